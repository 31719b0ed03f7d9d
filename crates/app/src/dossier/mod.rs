//! The dossier use cases of the workspace: read a dossier as the caller may see it
//! ([`reading`]), record an event ([`recording`]), the lists of work ([`lists`]), and
//! what a reader is shown ([`views`]). Every one asks [`crate::access`] and audits in
//! the same transaction as the read or write.

pub mod lists;
pub mod parties;
pub mod reading;
pub mod recording;
pub mod shared;
pub mod views;

pub use lists::{Caseload, CaseloadEntry, CaseloadLine, DoctorQueue, Work, WorkFilter};
pub use parties::{involved_parties, PartyChoice};
pub use reading::view_case;
pub use recording::{record_event, Recorded};
pub use shared::{ReintegrationView, RestrictionsView, SocioProfessionalView};
pub use views::*;

use crate::access::{Principal, Refusal};
use crate::handle::App;
use crate::AppError;
use tnw_domain::Date;

#[derive(Debug, thiserror::Error)]
pub enum DossierError {
    #[error("no such dossier")]
    NotFound,
    #[error(transparent)]
    Forbidden(#[from] Refusal),
    /// The input is not an event (bad JSON, unknown field, bad date …).
    #[error("{0}")]
    BadRequest(String),
    /// A well-formed event that is not possible in this dossier.
    #[error("{0}")]
    Unprocessable(String),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<tnw_storage::StorageError> for DossierError {
    fn from(e: tnw_storage::StorageError) -> Self {
        DossierError::App(AppError::Storage(e))
    }
}

pub type Result<T> = std::result::Result<T, DossierError>;
impl App {
    /// Dossier `id` as `p` may see it on `today`, texts in `lang`; the read (or its
    /// refusal) is audited.
    pub fn view_case(
        &self,
        p: &Principal,
        id: &str,
        today: Date,
        lang: &str,
    ) -> Result<DossierView> {
        self.primary_as(p, |st, book| view_case(st, book, p, id, today, lang))
    }

    /// Records one event (docs/domain.md 7.1 JSON) on dossier `id` as `p`.
    pub fn record_event(
        &self,
        p: &Principal,
        id: &str,
        body: &serde_json::Value,
        today: Date,
    ) -> Result<Recorded> {
        self.primary_as(p, |st, book| record_event(st, book, p, id, body, today))
    }

    /// `p`'s open and overdue tasks on `today`.
    pub fn worklist(&self, p: &Principal, f: &WorkFilter, today: Date) -> Result<Vec<Work>> {
        self.read(Some(p), |st, book| lists::worklist(st, book, p, f, today))
    }

    /// The advisory doctor's queue.
    pub fn doctor_queue(&self, p: &Principal, today: Date) -> Result<DoctorQueue> {
        self.read(Some(p), |st, _| lists::doctor_queue(st, p, today))
    }

    /// The team's caseloads and `p`'s own dossiers.
    pub fn caseload(&self, p: &Principal, today: Date) -> Result<Caseload> {
        self.read(Some(p), |st, _| lists::caseload(st, p, today))
    }

    /// The member's own dossiers.
    pub fn my_cases(&self, p: &Principal) -> Result<Vec<String>> {
        self.primary_as(p, |st, _| lists::my_cases(st, p))
    }

    /// The fund's active coordinators and paramedics, for whoever assigns dossiers.
    pub fn team(&self, p: &Principal) -> Result<Vec<(String, String)>> {
        self.primary_as(p, |st, _| lists::team(st, p))
    }
}
