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
                // The letters a font lacks, when it has most of them.
                let lacking = c.total - c.covered;
                let missing = match lacking {
                    1..=10 if c.covered > 0 => format!(" (lacks {})", c.missing),
                    _ => String::new(),
                };
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
