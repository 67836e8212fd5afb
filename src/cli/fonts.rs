//! `nashr fonts`: the fonts a layout can name, with their weights and how
//! much of the Persian, Sorani Kurdish and Arabic alphabets each has.

use nashr::Engine;

/// One line per face: family, weight, where it comes from, coverage.
pub fn list(system: bool) -> String {
    let engine = if system { Engine::with_system_fonts() } else { Engine::new() };
    let fonts = engine.fonts();
    let mut out = String::new();
    for f in &fonts {
        let coverage: Vec<String> = f
            .coverage
            .iter()
            .map(|c| {
                let missing = if c.missing.is_empty() { String::new() } else { format!(" (lacks {})", c.missing) };
                format!("{} {}/{} {}%{missing}", c.alphabet, c.covered, c.total, c.percent())
            })
            .collect();
        out.push_str(&format!("{}\t{}\t{}\t{}\n", f.family, f.weight, f.source, coverage.join(", ")));
    }
    let families: std::collections::BTreeSet<&str> = fonts.iter().map(|f| f.family.as_str()).collect();
    out.push_str(&format!(
        "{} faces in {} families{}\n",
        fonts.len(),
        families.len(),
        if system { "" } else { " (add --system for the fonts installed on this machine)" }
    ));
    out
}
