//! The rule book: the built-in rule sets and those of `--rules-dir`.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use tnw_domain::RuleBook;

pub fn rule_book(dir: Option<&Path>) -> Result<RuleBook> {
    let Some(dir) = dir else {
        return Ok(RuleBook::builtin()?);
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading rule sets from {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let extra = files
        .iter()
        .map(|p| {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            Ok((p.display().to_string(), text))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(RuleBook::with_extra(extra)?)
}
