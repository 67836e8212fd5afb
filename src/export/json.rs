//! JSON export: the Scene as data, for tests, debugging and other tools.

use crate::scene::Scene;

/// The scene as pretty-printed JSON. It opens with `"format"`, the version
/// of the Scene's shape ([`crate::scene::SCENE_FORMAT`]).
///
/// ```
/// # let src = "[page]\nsize = \"A6\"\n";
/// # let doc = nashr::model::parse(src, std::path::Path::new("x.toml")).unwrap();
/// let scene = nashr::layout::layout(&doc).unwrap();
/// let json = nashr::export::json::to_json(&scene);
/// assert!(json.starts_with("{\n  \"format\": 1,"));
/// assert!(json.contains("\"pages\""));
/// ```
pub fn to_json(scene: &Scene) -> String {
    serde_json::to_string_pretty(scene).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
