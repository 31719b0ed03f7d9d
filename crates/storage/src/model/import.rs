//! The record of an import run.

/// The record of one import run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportRecord {
    pub source: String,
    pub strict: bool,
    pub lines: u64,
    pub imported: u64,
    pub duplicates: u64,
    pub rejected: u64,
}
