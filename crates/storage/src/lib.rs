//! The storage interface. The application layer only talks to [`Store`]; each backend
//! (SQLite, PostgreSQL) is its own crate implementing it and passes the same
//! conformance suite ([`conformance`]); what both store alike (the event log's format,
//! the audit chain) is here once.
//!
//! Every table that holds dossier data carries the fund (`org`) it belongs to, and
//! every read takes the org: there is no way to ask for "a case" without saying whose.

pub mod chain;
pub mod conformance;
pub mod log;
pub mod tasks;

use tnw_domain::event::EventType;
use tnw_domain::{CaseKey, Date};

pub use chain::ChainedAudit;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database error: {0}")]
    Backend(String),
    #[error("the database holds data this version cannot read: {0}")]
    Corrupt(String),
    #[error("the database schema is version {found}, newer than this program's {supported}; upgrade tnw")]
    TooNew { found: i64, supported: i64 },
    #[error("{0}")]
    Invalid(String),
    /// Another writer appended to the dossier after this write was prepared from it
    /// (events must continue the stored log: the first new `seq` is the stored count
    /// plus one). Nothing was written; the caller decides again on the new log.
    #[error("dossier {0} changed while this write was prepared; nothing was written")]
    Conflict(String),
}

pub type Result<T> = std::result::Result<T, StorageError>;

/// An event as stored: its place in the case (`seq`, arrival order), date, type, the
/// content fingerprint used to recognise re-imports, and the canonical JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub seq: u32,
    pub date: Date,
    pub kind: EventType,
    pub fingerprint: u64,
    pub body: String,
}

/// A case as stored, with all its events in arrival order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCase {
    pub id: i64,
    pub org: String,
    pub key: CaseKey,
    pub events: Vec<StoredEvent>,
}

/// Denormalised columns of a case, recomputed from its events on every write: what
/// lists and filters need without reading events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSummary {
    pub person_id: String,
    pub incapacity_start: Date,
    pub ended: Option<Date>,
    pub scheme: String,
    pub region: String,
    pub language: String,
    pub condition: String,
    pub category: Option<u8>,
    /// The username the dossier is assigned to (latest `case_assigned`).
    pub assignee: Option<String>,
    /// The date of the latest `quick_scan_returned`.
    pub quick_scan_returned: Option<Date>,
    /// [`tnw_domain::CaseFacts::encode`]: what the deadline engine reads.
    pub facts: Vec<u8>,
}

/// New events for one case, with the case's recomputed summary and open tasks.
#[derive(Debug, Clone)]
pub struct CaseWrite {
    pub key: CaseKey,
    /// `None` for a case that does not exist yet.
    pub existing_id: Option<i64>,
    pub events: Vec<StoredEvent>,
    pub summary: CaseSummary,
    /// Every task instance not done or closed; replaces the case's previous ones.
    pub tasks: Vec<OpenTask>,
}

/// A task instance still to do (the worklist projection).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenTask {
    pub code: String,
    pub actor: String,
    pub rule: String,
    pub window_start: Date,
    pub due: Date,
}

/// A worklist row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkItem {
    pub case: CaseKey,
    pub task: OpenTask,
    pub region: String,
    pub category: Option<u8>,
    pub quick_scan_returned: Option<Date>,
}

/// Filters of a worklist query.
#[derive(Debug, Clone, Default)]
pub struct WorklistQuery {
    pub actors: Vec<String>,
    /// Tasks whose window has opened by this date.
    pub as_of: Option<Date>,
    /// Only tasks due on or before this date.
    pub due_by: Option<Date>,
    pub task: Option<String>,
    pub region: Option<String>,
    pub category: Option<u8>,
    /// Only dossiers assigned to this username.
    pub assignee: Option<String>,
    /// Only dossiers whose quick scan came back.
    pub quick_scan_returned: bool,
    pub limit: u32,
}

/// One row of the caseload overview: the ongoing dossiers of one assignee (or of
/// nobody) and their open coaching work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadRow {
    pub assignee: Option<String>,
    /// Dossiers whose incapacity has not ended.
    pub dossiers: u64,
    /// Open tasks of the given actors on those dossiers, and how many are past due.
    pub open_tasks: u64,
    pub overdue_tasks: u64,
}

/// A dossier on someone's caseload, with its next task of the given actors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadCase {
    pub case: CaseKey,
    pub incapacity_start: Date,
    pub region: String,
    pub category: Option<u8>,
    pub next_task: Option<(String, Date)>,
}

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub org: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: String,
    pub language: String,
    pub person_id: Option<String>,
    pub employer_id: Option<String>,
    pub active: bool,
    /// Where reminders go (staff).
    pub email: Option<String>,
}

/// A session row (the token itself is never stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    pub created_at: i64,
    pub last_seen: i64,
    pub expires_at: i64,
}

/// One audit entry: who did what to which dossier, in which role, for what purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub username: String,
    pub role: String,
    /// `read`, `write` or `import`.
    pub action: String,
    pub what: String,
    pub purpose: String,
}

/// A stored audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: i64,
    pub at: String,
    pub case: Option<CaseKey>,
    pub entry: AuditEntry,
}

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

/// One row of the due sweep: the case and its facts blob.
#[derive(Debug, Clone)]
pub struct FactsRow {
    pub id: i64,
    pub key: CaseKey,
    pub facts: Vec<u8>,
}

/// One dossier for the figures: its fund (an opaque number), member, where, and facts.
#[derive(Debug, Clone)]
pub struct FigureRow {
    pub fund: i64,
    pub person_id: String,
    pub region: String,
    pub condition: String,
    pub facts: Vec<u8>,
}

/// A message to enqueue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// Same key, same message: enqueued once.
    pub dedup_key: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

/// A claimed message, to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: i64,
    pub dedup_key: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// Earlier attempts that failed.
    pub attempts: u32,
}

/// The outbox at a glance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: u64,
    pub sent: u64,
    /// Pending messages that failed at least once.
    pub failing: u64,
}

/// One respondent's survey answers as stored: the answers are an opaque JSON object
/// to the store (the survey crate reads and writes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyResponse {
    pub respondent: String,
    pub answers: String,
}

/// What a survey import did: respondents new to the fund, stored with other answers
/// before (replaced), or stored with the same answers (left as they were).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SurveyImportCounts {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// Counts for `tnw status` and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub cases: u64,
    pub events: u64,
    pub imports: u64,
}

/// The narrow storage contract. Writes are atomic per call: either every case of a
/// `write_cases` call is stored, or none.
pub trait Store: Send {
    /// Loads the stored cases among `keys` (same order; `None` where unknown).
    fn load_cases(&mut self, org: &str, keys: &[CaseKey]) -> Result<Vec<Option<StoredCase>>>;

    /// Starts an import record and returns its id.
    fn begin_import(&mut self, org: &str, record: &ImportRecord) -> Result<i64>;

    /// Stores new cases and events atomically, with the audit entries (written in the
    /// same transaction; an entry with `case` set is attached to that case of the batch).
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

    /// The open tasks of a fund, by due date.
    fn worklist(&mut self, org: &str, q: &WorklistQuery) -> Result<Vec<WorkItem>>;

    /// Cases of a person in a fund (a member's own dossiers), newest first.
    fn cases_of_person(&mut self, org: &str, person_id: &str) -> Result<Vec<CaseKey>>;

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

    fn create_user(&mut self, org: &str, user: &User) -> Result<i64>;
    fn user_by_name(&mut self, username: &str) -> Result<Option<User>>;
    fn users(&mut self, org: &str) -> Result<Vec<User>>;
    /// Changes a user of `org` (display name, role, language, person, employer, active;
    /// not the password). False when `org` has no such user.
    fn update_user(&mut self, org: &str, user: &User) -> Result<bool>;

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

    /// Audit entries of a fund, newest first; of one case when `case` is set.
    fn audit_log(
        &mut self,
        org: &str,
        case: Option<&CaseKey>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>>;

    /// Completes an import record with its final counts.
    fn finish_import(&mut self, import_id: i64, record: &ImportRecord) -> Result<()>;

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

    fn counts(&mut self, org: Option<&str>) -> Result<Counts>;

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
    /// The funds' codes.
    fn orgs(&mut self) -> Result<Vec<String>>;

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

    /// Where the database's write-ahead log stands now (bytes), for backends whose
    /// replicas replay it: after a commit, a replica that replayed this far shows it.
    /// `None` where there are no replicas.
    fn log_position(&mut self) -> Result<Option<u64>> {
        Ok(None)
    }

    /// On a read replica, how far it has replayed the primary's log (bytes); `None` on
    /// a primary or a backend without replicas.
    fn replayed_position(&mut self) -> Result<Option<u64>> {
        Ok(None)
    }

    /// The audit log of every fund with the stored chain hashes ([`chain`]): up to
    /// `limit` entries with an id above `after_id`, in id order. Verification walks it
    /// in chunks outside the backend. Backends that do not chain their audit yet say so.
    fn audit_chain(&mut self, after_id: i64, limit: u32) -> Result<Vec<ChainedAudit>> {
        let _ = (after_id, limit);
        Err(StorageError::Invalid(
            "this storage backend does not keep a verifiable audit chain yet".into(),
        ))
    }
}
