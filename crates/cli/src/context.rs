//! What a command reaches the database through: the application handle over `--db`
//! with the rule sets of `--rules-dir`, opened when the command first needs it (after
//! its own input is read and checked).

use anyhow::{Context as _, Result};
use std::path::{Path, PathBuf};
use tnw_app::App;
use tnw_database::Address;
use tnw_domain::RuleBook;

pub struct Context<'a> {
    pub db: &'a str,
    pub rules_dir: Option<&'a Path>,
}

impl Context<'_> {
    /// Where `--db` points.
    pub fn address(&self) -> Result<Address> {
        Ok(Address::parse(self.db)?)
    }

    /// The built-in rule sets and those of `--rules-dir`.
    pub fn book(&self) -> Result<RuleBook> {
        rule_book(self.rules_dir)
    }

    /// The application over the database, created and migrated on first use.
    pub fn app(&self) -> Result<App> {
        Ok(tnw_database::open(&self.address()?, self.book()?)?)
    }
}

fn rule_book(dir: Option<&Path>) -> Result<RuleBook> {
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
