//! What an installation's operator does at the command line beside the funds' own
//! work: what the database holds, the outbox, the audit chain's verification. Account
//! creation, imports, timelines and reports are in their own modules, audited under
//! the operator's name like a person's action ([`crate::access::Operator`]).

use crate::access::Operator;
use crate::handle::App;
use crate::{AppError, Result};
use tnw_storage::chain::verify_store;
pub use tnw_storage::chain::{Anchor, ChainBreak, ChainHead};
use tnw_storage::{Counts, OutboxCounts};

/// Audit entries read per step of the verification: bounded memory on any log size.
pub const AUDIT_CHUNK: u32 = 10_000;

impl App {
    /// Dossiers, events and imports of fund `org` (all funds when `None`).
    pub fn status(&self, _op: &Operator, org: Option<&str>) -> Result<Counts> {
        self.primary(|st, _| Ok(st.counts(org)?))
    }

    /// The funds' codes.
    pub fn funds(&self, _op: &Operator) -> Result<Vec<String>> {
        self.primary(|st, _| Ok(st.orgs()?))
    }

    /// The outbox at a glance, of fund `org` (all funds when `None`).
    pub fn outbox_status(&self, _op: &Operator, org: Option<&str>) -> Result<OutboxCounts> {
        self.primary(|st, _| Ok(st.outbox_counts(org)?))
    }

    /// Walks the whole audit chain (and checks it against `anchor`, the head recorded
    /// outside the database at an earlier verification): the head, or the first break.
    pub fn verify_audit_chain(
        &self,
        _op: &Operator,
        anchor: Option<Anchor>,
    ) -> Result<std::result::Result<ChainHead, ChainBreak>> {
        self.primary(|st, _| verify_store(st, anchor, AUDIT_CHUNK).map_err(AppError::from))
    }
}
