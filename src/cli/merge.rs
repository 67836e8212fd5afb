//! `nashr manifest merge A.json B.json … -o merged.json`: join the
//! manifests of the shards of one batch (`batch --shard K/N` on several
//! machines) into the manifest the whole batch would have written, after
//! checking that together they hold every variant exactly once.
//!
//! Every entry of a manifest carries its place in the whole plan
//! (`variant`, from 1) and the plan's size (`variants`), so a missing
//! shard, a shard run twice or manifests of different batches are found
//! without re-planning.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The merged manifest's text and how many of its variants failed, or why
/// the manifests do not make one whole batch.
pub fn merge(inputs: &[PathBuf]) -> Result<(String, usize), String> {
    let mut total: Option<(u64, &Path)> = None;
    let mut seen: BTreeMap<u64, (Value, &Path)> = BTreeMap::new();
    let mut duplicates = Vec::new();
    for file in inputs {
        for entry in entries(file)? {
            let number = field(&entry, "variant", file)?;
            let of = field(&entry, "variants", file)?;
            match total {
                None => total = Some((of, file)),
                Some((t, first)) if t != of => {
                    return Err(format!(
                        "{} lists a batch of {of} variants but {} one of {t}: they are not shards of one batch",
                        file.display(),
                        first.display()
                    ));
                }
                _ => {}
            }
            if let Some((_, other)) = seen.get(&number) {
                duplicates.push(format!("variant {number} is in both {} and {}", other.display(), file.display()));
                continue;
            }
            seen.insert(number, (entry, file));
        }
    }
    let Some((total, _)) = total else { return Err("the manifests list no variants".into()) };
    let missing: Vec<u64> = (1..=total).filter(|n| !seen.contains_key(n)).collect();
    let mut problems = Vec::new();
    if !duplicates.is_empty() {
        problems.push(format!("{} duplicated: {}", duplicates.len(), duplicates.join("; ")));
    }
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(20).map(u64::to_string).collect();
        let more = if missing.len() > 20 { ", …" } else { "" };
        problems.push(format!(
            "{} of {total} variants missing (numbers {}{more}): a shard did not run or did not finish",
            missing.len(),
            shown.join(", ")
        ));
    }
    if !problems.is_empty() {
        return Err(format!("the manifests do not make one whole batch: {}", problems.join("; ")));
    }
    let failed = seen.values().filter(|(e, _)| !e["error"].is_null()).count();
    let merged: Vec<Value> = seen.into_values().map(|(e, _)| e).collect();
    let text = serde_json::to_string_pretty(&merged).map_err(|e| e.to_string())?;
    Ok((text, failed))
}

/// The entries of one manifest file.
fn entries(file: &Path) -> Result<Vec<Value>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    match serde_json::from_str(&text) {
        Ok(Value::Array(entries)) => Ok(entries),
        Ok(_) => Err(format!("{} is not a batch manifest (a JSON list)", file.display())),
        Err(e) => Err(format!("{}:{}:{}: not valid JSON: {e}", file.display(), e.line(), e.column())),
    }
}

/// A whole-number field of an entry.
fn field(entry: &Value, name: &str, file: &Path) -> Result<u64, String> {
    entry[name].as_u64().ok_or_else(|| {
        format!(
            "{}: an entry has no \"{name}\" number; it was written by a nashr without shard-aware manifests, run that batch again",
            file.display()
        )
    })
}
