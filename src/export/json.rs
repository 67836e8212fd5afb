//! JSON export: the Scene as data, for tests, debugging and other tools.

use crate::scene::Scene;

/// The scene as pretty-printed JSON. It opens with `"format"`, the version
/// of the Scene's shape ([`crate::scene::SCENE_FORMAT`]).
pub fn to_json(scene: &Scene) -> String {
    serde_json::to_string_pretty(scene).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
