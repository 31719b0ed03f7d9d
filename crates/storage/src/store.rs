//! The storage contract, one narrow trait per aggregate. A use case takes the narrowest
//! trait it needs; [`Store`] is all of them, what a backend's connection implements and
//! what the application's connection pool holds.
//!
//! Every call that touches dossier data takes the fund (`org`): there is no way to ask
//! for "a case" without saying whose.

use crate::chain::ChainedAudit;
use crate::model::*;
use crate::Result;
use tnw_domain::{CaseKey, Date};

/// Dossiers: their event logs, summaries and open tasks, read and written whole.
pub trait CaseStore {
    /// Loads the stored cases among `keys` (same order; `None` where unknown).
    fn load_cases(&mut self, org: &str, keys: &[CaseKey]) -> Result<Vec<Option<StoredCase>>>;

    /// Stores new cases and events atomically, with the audit entries (written in the
    /// same transaction; an entry with `case` set is attached to that case of the batch).
    /// Either every case of the call is stored, or none. `import_id` names the import
    /// run the events came from ([`ImportLog::begin_import`]), `None` for other writes.
    fn write_cases(
        &mut self,
        org: &str,
        import_id: Option<i64>,
        cases: &[CaseWrite],
        audit: &[(Option<CaseKey>, AuditEntry)],
    ) -> Result<()>;

    /// Loads one case, lets `decide` look at it and name the audit entry of this access
    /// (a read, or a refused read), and records that entry in the same transaction.
    /// A backend may let `decide` look first at a snapshot and call it again when the
    /// dossier changed before the audit transaction: the last call's entry is the one
    /// recorded, and the case returned is the one that call saw.
    fn read_case_audited(
        &mut self,
        org: &str,
        key: &CaseKey,
        decide: &mut dyn FnMut(&StoredCase) -> AuditEntry,
    ) -> Result<Option<StoredCase>>;

    /// Cases of a person in a fund (a member's own dossiers), newest first.
    fn cases_of_person(&mut self, org: &str, person_id: &str) -> Result<Vec<CaseKey>>;
}

/// The record of import runs.
pub trait ImportLog {
    /// Starts an import record and returns its id.
    fn begin_import(&mut self, org: &str, record: &ImportRecord) -> Result<i64>;

    /// Completes an import record with its final counts.
    fn finish_import(&mut self, import_id: i64, record: &ImportRecord) -> Result<()>;
}

/// What the import needs: dossiers, and the record of its runs.
pub trait ImportStore: CaseStore + ImportLog {}
impl<T: CaseStore + ImportLog + ?Sized> ImportStore for T {}

/// Lists over the open-task projection: worklists and caseloads.
pub trait WorkQueries {
    /// The open tasks of a fund, by due date.
    fn worklist(&mut self, org: &str, q: &WorklistQuery) -> Result<Vec<WorkItem>>;

    /// Ongoing dossiers per assignee with the open and overdue (due before `today`)
    /// tasks of `actors`; the unassigned as `assignee: None`. Sorted by assignee.
    fn caseload(&mut self, org: &str, actors: &[&str], today: Date) -> Result<Vec<CaseloadRow>>;

    /// The ongoing dossiers assigned to `assignee`, oldest incapacity first.
    fn assigned_cases(
        &mut self,
        org: &str,
        assignee: &str,
        actors: &[&str],
        limit: u32,
    ) -> Result<Vec<CaseloadCase>>;
}

/// Bulk reads over every dossier, in chunks: the due sweep and the figures.
pub trait Scans {
    /// Streams every case's facts, in case order, `chunk` rows at a time (all funds
    /// when `org` is `None`: the nightly sweep of a multi-fund installation).
    fn scan_facts(
        &mut self,
        org: Option<&str>,
        chunk: usize,
        f: &mut dyn FnMut(Vec<FactsRow>) -> Result<()>,
    ) -> Result<()>;

    /// Streams every dossier of `org` (all funds when `None`) for the figures, in case
    /// order, from one consistent snapshot.
    fn scan_figures(
        &mut self,
        org: Option<&str>,
        chunk: usize,
        f: &mut dyn FnMut(Vec<FigureRow>) -> Result<()>,
    ) -> Result<()>;
}

/// Employers' monthly lists of their workers absent for four weeks or more
/// (docs/absences.md). The list names members to someone outside the fund, so its read
/// is audited like a dossier's.
pub trait AbsenceLists {
    /// The candidates of an absence list in fund `org` (docs: [`AbsenceQuery`]): the
    /// dossiers of scheme `employee` whose `case_opened` names `q.employer_id`, in order
    /// of incapacity start. `decide` looks at them and names the audit entry of this
    /// read, which is written in the same transaction before they are returned.
    fn employer_absences(
        &mut self,
        org: &str,
        q: &AbsenceQuery,
        decide: &mut dyn FnMut(&[AbsenceRow]) -> AuditEntry,
    ) -> Result<Vec<AbsenceRow>>;
}

/// User accounts. Accounts are never deleted, so the audit log keeps naming real ones.
pub trait AccountStore {
    fn create_user(&mut self, org: &str, user: &User) -> Result<i64>;
    fn user_by_name(&mut self, username: &str) -> Result<Option<User>>;
    fn users(&mut self, org: &str) -> Result<Vec<User>>;
    /// Changes a user of `org` (display name, role, language, person, employer, active,
    /// e-mail; not the password). False when `org` has no such user.
    fn update_user(&mut self, org: &str, user: &User) -> Result<bool>;
}

/// Login sessions (by the hash of their token, never the token) and failed logins.
pub trait SessionStore {
    fn create_session(
        &mut self,
        token_hash: &[u8],
        user_id: i64,
        csrf: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()>;
    /// The session and its user; updates `last_seen` to `now`.
    fn touch_session(&mut self, token_hash: &[u8], now: i64) -> Result<Option<Session>>;
    fn delete_session(&mut self, token_hash: &[u8]) -> Result<()>;

    fn record_login_failure(&mut self, username: &str, now: i64) -> Result<()>;
    fn login_failures_since(&mut self, username: &str, since: i64) -> Result<u32>;
}

/// The hash-chained audit log.
pub trait AuditStore {
    /// Appends entries about no dossier (account changes, exports, operator commands) in
    /// one transaction, chained like every other entry. Entries about a dossier are
    /// written with the dossier's read or write ([`CaseStore`]).
    fn append(&mut self, org: &str, entries: &[AuditEntry]) -> Result<()>;

    /// Audit entries of a fund, newest first; of one case when `case` is set.
    fn audit_log(
        &mut self,
        org: &str,
        case: Option<&CaseKey>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>>;

    /// The audit log of every fund with the stored chain hashes ([`crate::chain`]): up
    /// to `limit` entries with an id above `after_id`, in id order. Verification walks
    /// it in chunks outside the backend.
    fn audit_chain(&mut self, after_id: i64, limit: u32) -> Result<Vec<ChainedAudit>>;
}

/// Messages to send (reminders), claimed by one sender at a time.
pub trait Outbox {
    /// Enqueues messages, skipping those whose `dedup_key` is already there; returns
    /// how many were new.
    fn enqueue(&mut self, org: &str, messages: &[NewMessage], now: i64) -> Result<u64>;
    /// Claims up to `limit` messages due at `now` for `lease` seconds: no other sender
    /// gets them until the lease ends (a sender that dies releases them that way).
    fn claim_messages(&mut self, now: i64, lease: i64, limit: u32) -> Result<Vec<Message>>;
    fn mark_sent(&mut self, id: i64, now: i64) -> Result<()>;
    /// Records a failed attempt; the message is tried again at `retry_at`.
    fn mark_failed(&mut self, id: i64, error: &str, retry_at: i64) -> Result<()>;
    fn outbox_counts(&mut self, org: Option<&str>) -> Result<OutboxCounts>;
}

/// Questionnaire answers saved before they are sent.
pub trait DraftStore {
    /// Saves (replaces) the draft answers of a questionnaire for a dossier.
    fn save_draft(
        &mut self,
        org: &str,
        case: &CaseKey,
        instrument: &str,
        answers: &str,
        now: i64,
    ) -> Result<()>;
    fn load_draft(&mut self, org: &str, case: &CaseKey, instrument: &str)
        -> Result<Option<String>>;
    fn delete_draft(&mut self, org: &str, case: &CaseKey, instrument: &str) -> Result<()>;
}

/// Experience-survey responses.
pub trait SurveyStore {
    /// Stores survey responses of one instrument version for a fund, atomically: all
    /// or none. A respondent already stored is replaced, or left when the answers are
    /// the same (re-imports are idempotent).
    fn import_survey(
        &mut self,
        org: &str,
        instrument: &str,
        responses: &[SurveyResponse],
    ) -> Result<SurveyImportCounts>;
    /// The fund's responses to one instrument version, by respondent id.
    fn survey_responses(&mut self, org: &str, instrument: &str) -> Result<Vec<SurveyResponse>>;
}

/// The funds of an installation and what they hold.
pub trait FundStore {
    /// The funds' codes.
    fn orgs(&mut self) -> Result<Vec<String>>;
    /// Dossiers, events and import runs of one fund (all funds when `None`).
    fn counts(&mut self, org: Option<&str>) -> Result<Counts>;
}

/// Where a connection stands in the database's write-ahead log, for backends whose
/// replicas replay it. Backends without replicas answer `None`.
pub trait Replication {
    /// Where the log stands now (bytes): after a commit, a replica that replayed this
    /// far shows it.
    fn log_position(&mut self) -> Result<Option<u64>> {
        Ok(None)
    }

    /// On a read replica, how far it has replayed the primary's log (bytes); `None` on
    /// a primary or a backend without replicas.
    fn replayed_position(&mut self) -> Result<Option<u64>> {
        Ok(None)
    }
}

/// Every aggregate: what one connection of a backend is. Implemented for every type
/// that implements the narrow traits; the conformance suite checks a backend against
/// all of them.
pub trait Store:
    CaseStore
    + ImportLog
    + WorkQueries
    + Scans
    + AbsenceLists
    + AccountStore
    + SessionStore
    + AuditStore
    + Outbox
    + DraftStore
    + SurveyStore
    + FundStore
    + Replication
    + Send
{
}

impl<T> Store for T where
    T: CaseStore
        + ImportLog
        + WorkQueries
        + Scans
        + AbsenceLists
        + AccountStore
        + SessionStore
        + AuditStore
        + Outbox
        + DraftStore
        + SurveyStore
        + FundStore
        + Replication
        + Send
        + ?Sized
{
}
