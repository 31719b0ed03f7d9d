//! What an installation's funds hold.

/// Counts for `tnw status` and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub cases: u64,
    pub events: u64,
    pub imports: u64,
}
