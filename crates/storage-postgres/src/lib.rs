//! The server store: PostgreSQL through the blocking `postgres` client, its own
//! migrations applied on connect. Same tables, meanings and results as the SQLite store
//! (`tnw-storage-sqlite`); both pass the conformance suite (`tnw-storage-conformance`).
//!
//! Every statement is parameterised; lists travel as arrays (`= ANY($n)`, `unnest`).
//! The audited paths call server functions (migrations 5 and 7) so that each audited
//! read or write is one statement: see docs/storage-postgres.md.

#[cfg(feature = "testing")]
pub mod testing;

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::error::SqlState;
use postgres::types::{ToSql, Type};
use postgres::{Client, IsolationLevel, NoTls, Row, Statement};
use std::collections::{HashMap, HashSet};
use tnw_domain::{CaseKey, Date};
use tnw_storage::chain::{self, ChainedAudit};
use tnw_storage::log;
use tnw_storage::{
    AccountStore, AuditStore, CaseStore, DraftStore, FundStore, ImportLog, Outbox, Replication,
    Scans, SessionStore, SurveyStore, WorkQueries,
};
use tnw_storage::{
    AuditEntry, AuditRecord, CaseWrite, CaseloadCase, CaseloadRow, Counts, FactsRow, FigureRow,
    ImportRecord, Message, NewMessage, OpenTask, OutboxCounts, Result, Session, StorageError,
    StoredCase, SurveyImportCounts, SurveyResponse, User, WorkItem, WorklistQuery,
};

/// Up to this many tasks, a write replaces a batch's tasks with one statement; more go
/// through `COPY` (the import's batches).
const FEW_TASKS: usize = 64;

/// Up to this many new dossiers, a write inserts them with one statement; more go
/// through `COPY`.
const FEW_CASES: usize = 64;

/// How many times an audited read decides again on a dossier that changed under it.
const READ_ROUNDS: usize = 100;

/// Schema migrations, applied in order; `schema_migrations` records each one.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_audit_chain.sql"),
    include_str!("../migrations/0003_import_speed.sql"),
    include_str!("../migrations/0004_import_keys.sql"),
    include_str!("../migrations/0005_audited_calls.sql"),
    include_str!("../migrations/0006_audit_keys.sql"),
    include_str!("../migrations/0007_worklist_columns.sql"),
];

/// The schema version a database has once migrated.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Advisory lock key held while migrating ("tnw_migr" in ASCII): app instances starting
/// together migrate one after the other, and the later ones find nothing to do.
const MIGRATION_LOCK: i64 = 0x746e_775f_6d69_6772;

pub struct PgStore {
    client: Client,
    /// Prepared statements by SQL text: each is parsed once per connection.
    stmts: HashMap<&'static str, Statement>,
    /// Fund code → `orgs.id`, filled as funds are used (funds are never deleted).
    orgs: HashMap<String, i64>,
}

fn db(e: postgres::Error) -> StorageError {
    // The plain Display of a server error leaves out its message and detail.
    match e.as_db_error() {
        Some(d) => StorageError::Backend(match d.detail() {
            Some(detail) => format!("{}: {} ({detail})", d.code().code(), d.message()),
            None => format!("{}: {}", d.code().code(), d.message()),
        }),
        None => StorageError::Backend(e.to_string()),
    }
}

fn corrupt(what: &str) -> StorageError {
    StorageError::Corrupt(what.to_owned())
}

/// Reading a column: a type the schema does not promise is corrupt data, not a panic
/// (`Row::get` panics).
trait Col {
    fn col<'a, T: postgres::types::FromSql<'a>>(&'a self, i: usize) -> Result<T>;
}

impl Col for Row {
    fn col<'a, T: postgres::types::FromSql<'a>>(&'a self, i: usize) -> Result<T> {
        self.try_get(i)
            .map_err(|e| StorageError::Corrupt(format!("column {i}: {e}")))
    }
}

fn is_unique_violation(e: &postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

/// Applies the migrations after the recorded version, up to `target`, in one
/// transaction under the migration lock.
fn migrate(client: &mut Client, target: usize) -> Result<()> {
    let mut tx = client.transaction().map_err(db)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(db)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .map_err(db)?;
    let found: i32 = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM schema_migrations",
            &[],
        )
        .map_err(db)?
        .col(0)?;
    let supported = MIGRATIONS.len() as i64;
    if i64::from(found) > supported {
        return Err(StorageError::TooNew {
            found: found.into(),
            supported,
        });
    }
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(target)
        .skip(found.max(0) as usize)
    {
        tx.batch_execute(sql).map_err(db)?;
        let version = i as i32 + 1;
        if version == 2 {
            chain_backfill(&mut tx)?;
        }
        tx.execute(
            "INSERT INTO schema_migrations (version) VALUES ($1)",
            &[&version],
        )
        .map_err(db)?;
    }
    tx.commit().map_err(db)
}

/// The directory holding all of PostgreSQL's `programs` (`pg_dump`, `initdb` …): the
/// newest of Debian's `/usr/lib/postgresql/<version>/bin` that has them, else the first
/// directory on `PATH` that does. Newest first, so a dump's format matches the server.
pub fn programs_dir(programs: &[&str]) -> Option<std::path::PathBuf> {
    let has_all = |d: &std::path::Path| programs.iter().all(|p| d.join(p).is_file());
    let mut versions: Vec<(u32, std::path::PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            has_all(&bin).then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .find(|d| has_all(d))
}

/// A transaction of the audited paths (dossier reads and writes). Ended by one of its
/// methods; dropped unfinished (an error on the way), it is rolled back. Statements run
/// on the connection it derefs to.
struct Tx<'a> {
    client: &'a mut Client,
    open: bool,
}

impl<'a> Tx<'a> {
    fn begin(client: &'a mut Client) -> Result<Tx<'a>> {
        client.batch_execute("START TRANSACTION").map_err(db)?;
        Ok(Tx { client, open: true })
    }

    fn commit(mut self) -> Result<()> {
        self.finish("COMMIT")
    }

    /// Commits a transaction holding the audit chain's lock without waiting for the
    /// disk, then waits until it is on disk ([`PgStore::wait_for_disk`] says why), both
    /// in one round trip.
    fn commit_chained(mut self) -> Result<()> {
        self.finish(
            "SET LOCAL synchronous_commit = off; COMMIT;
             START TRANSACTION; SELECT pg_current_xact_id(); COMMIT;",
        )
    }

    fn finish(&mut self, sql: &str) -> Result<()> {
        self.open = false;
        let done = self.client.batch_execute(sql).map_err(db);
        if done.is_err() {
            // Whichever statement failed, leave no transaction open on the connection
            // (a warning only when none is).
            let _ = self.client.batch_execute("ROLLBACK");
        }
        done
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Client;
    fn deref(&self) -> &Client {
        self.client
    }
}

impl std::ops::DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut Client {
        self.client
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            // Nothing to report: the connection is ready again either way, or broken
            // and dropped by its pool.
            let _ = self.client.batch_execute("ROLLBACK");
        }
    }
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`, or key=value settings) and
    /// brings the schema up to date.
    pub fn connect(url: &str) -> Result<PgStore> {
        let mut client = Client::connect(url, NoTls).map_err(db)?;
        migrate(&mut client, MIGRATIONS.len())?;
        Ok(PgStore {
            client,
            stmts: HashMap::new(),
            orgs: HashMap::new(),
        })
    }

    /// Connects to a read replica (a hot standby of the primary): nothing is migrated
    /// there (it replays the primary's schema); one of another schema version is refused.
    pub fn connect_replica(url: &str) -> Result<PgStore> {
        let client = Client::connect(url, NoTls).map_err(db)?;
        let mut store = PgStore {
            client,
            stmts: HashMap::new(),
            orgs: HashMap::new(),
        };
        let version = store.schema_version()?;
        if version != SCHEMA_VERSION {
            return Err(StorageError::Invalid(format!(
                "the read replica's schema is version {version}, this program's {SCHEMA_VERSION}"
            )));
        }
        Ok(store)
    }

    /// Applies the migrations up to `version` only: builds databases of an older schema,
    /// to test upgrades.
    pub fn migrate_to(url: &str, version: i64) -> Result<()> {
        let mut client = Client::connect(url, NoTls).map_err(db)?;
        migrate(&mut client, version.max(0) as usize)
    }

    /// The schema version of the database.
    pub fn schema_version(&mut self) -> Result<i64> {
        let v: i32 = self
            .client
            .query_one(
                "SELECT coalesce(max(version), 0) FROM schema_migrations",
                &[],
            )
            .map_err(db)?
            .col(0)?;
        Ok(v.into())
    }

    /// Returns once everything this connection committed is on disk. Audited calls
    /// commit without waiting for the disk: the audit chain's lock serialises them
    /// all, and a commit that waits for its flush under it lets only one commit flush
    /// at a time (measured: about 1,000 audited reads/s). This short transaction
    /// commits with the session's `synchronous_commit`; its flush covers the earlier
    /// commit's record (and connections waiting at once share the server's flushes).
    /// Nothing is acknowledged before it returns. [`Tx::commit_chained`] sends the
    /// same wait in its commit's round trip.
    fn wait_for_disk(&mut self) -> Result<()> {
        // Prepared: a plain query would be parsed and planned every time.
        let wait = self.prep("SELECT pg_current_xact_id()")?;
        self.client.execute(&wait, &[]).map_err(db).map(drop)
    }

    /// A write to one existing dossier (the API's) in one round trip: the server's
    /// `tnw_write_case` (migration 5) updates it, appends, replaces its open tasks and
    /// appends the audit entries, then [`Self::wait_for_disk`]. For calls of that
    /// shape only ([`one_existing_case`]).
    fn write_one_case(
        &mut self,
        org: &str,
        org_id: i64,
        import: i64,
        (c, id): (&CaseWrite, i64),
        audit: &[(Option<CaseKey>, AuditEntry)],
    ) -> Result<()> {
        let write = self.prep(
            "SELECT tnw_write_case($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
                                   $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26,
                                   $27, $28, $29)",
        )?;
        let s = &c.summary;
        let n = i32::try_from(c.events.len())
            .map_err(|_| StorageError::Invalid("too many events".into()))?;
        let expected = expected_events(c)?;
        let mut tail = String::new();
        if n > 0 {
            tail.push(',');
            log::write_entries(&mut tail, &c.events, import);
            tail.push(']');
        }
        let t = &c.tasks;
        let t_code: Vec<&str> = t.iter().map(|t| t.code.as_str()).collect();
        let t_actor: Vec<&str> = t.iter().map(|t| t.actor.as_str()).collect();
        let t_rule: Vec<&str> = t.iter().map(|t| t.rule.as_str()).collect();
        let t_window: Vec<Date> = t.iter().map(|t| t.window_start).collect();
        let t_due: Vec<Date> = t.iter().map(|t| t.due).collect();
        let at = chain::timestamp_now();
        let a_user: Vec<&str> = audit.iter().map(|(_, a)| a.username.as_str()).collect();
        let a_role: Vec<&str> = audit.iter().map(|(_, a)| a.role.as_str()).collect();
        let a_action: Vec<&str> = audit.iter().map(|(_, a)| a.action.as_str()).collect();
        let a_case: Vec<Option<i64>> = audit.iter().map(|(k, _)| k.as_ref().map(|_| id)).collect();
        let a_what: Vec<&str> = audit.iter().map(|(_, a)| a.what.as_str()).collect();
        let a_purpose: Vec<&str> = audit.iter().map(|(_, a)| a.purpose.as_str()).collect();
        let a_fields: Vec<Vec<u8>> = audit
            .iter()
            .map(|(k, a)| audit_fields(org, &at, k.as_ref().map(|k| k.token()), a))
            .collect();
        let done = self.client.execute(
            &write,
            &[
                &org_id,
                &id,
                &s.person_id,
                &s.incapacity_start,
                &s.ended,
                &s.scheme,
                &s.region,
                &s.language,
                &s.condition,
                &s.category.map(i16::from),
                &s.facts,
                &s.assignee,
                &s.quick_scan_returned,
                &tail,
                &n,
                &expected,
                &t_code,
                &t_actor,
                &t_rule,
                &t_window,
                &t_due,
                &at,
                &a_user,
                &a_role,
                &a_action,
                &a_case,
                &a_what,
                &a_purpose,
                &a_fields,
            ],
        );
        match done {
            Ok(_) if audit.is_empty() => Ok(()),
            Ok(_) => self.wait_for_disk(),
            Err(e) => match e.code().map(SqlState::code) {
                Some("TN001") => Err(StorageError::Invalid(format!(
                    "case {} does not exist in {org}",
                    c.key
                ))),
                Some("TN002") => Err(append_refused(&mut self.client, &c.key, id)?),
                _ => Err(db(e)),
            },
        }
    }

    /// The prepared statement for `sql`, parsed on first use.
    fn prep(&mut self, sql: &'static str) -> Result<Statement> {
        if let Some(s) = self.stmts.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql).map_err(db)?;
        self.stmts.insert(sql, s.clone());
        Ok(s)
    }

    fn query(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>> {
        let s = self.prep(sql)?;
        self.client.query(&s, params).map_err(db)
    }

    fn query_opt(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>> {
        let s = self.prep(sql)?;
        self.client.query_opt(&s, params).map_err(db)
    }

    fn execute(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        let s = self.prep(sql)?;
        self.client.execute(&s, params).map_err(db)
    }

    /// The id of fund `code`, created on first write when `create`.
    fn org_id(&mut self, code: &str, create: bool) -> Result<Option<i64>> {
        if let Some(id) = self.orgs.get(code) {
            return Ok(Some(*id));
        }
        if create {
            self.execute(
                "INSERT INTO orgs (code) VALUES ($1) ON CONFLICT (code) DO NOTHING",
                &[&code],
            )?;
        }
        let id: Option<i64> = self
            .query_opt("SELECT id FROM orgs WHERE code = $1", &[&code])?
            .map(|r| r.col(0))
            .transpose()?;
        if let Some(id) = id {
            self.orgs.insert(code.to_owned(), id);
        }
        Ok(id)
    }

    fn org_id_created(&mut self, org: &str) -> Result<i64> {
        self.org_id(org, true)?
            .ok_or_else(|| StorageError::Backend(format!("fund {org} could not be created")))
    }
}

/// The length the stored log must have for `c`'s events to continue it.
fn expected_events(c: &CaseWrite) -> Result<i32> {
    i32::try_from(log::expected_len(c))
        .map_err(|_| StorageError::Invalid(format!("case {}: seq out of range", c.key)))
}

/// The call's one case and its id, when the call writes one existing case and audits
/// nothing but it (the API's write): the shape `PgStore::write_one_case` takes.
fn one_existing_case<'c>(
    cases: &'c [CaseWrite],
    audit: &[(Option<CaseKey>, AuditEntry)],
) -> Option<(&'c CaseWrite, i64)> {
    let [c] = cases else {
        return None;
    };
    let id = c.existing_id?;
    let others = audit
        .iter()
        .any(|(k, _)| k.as_ref().is_some_and(|k| *k != c.key));
    (!others).then_some((c, id))
}

/// Why an append to an existing case changed no log row: another writer appended
/// first, or the case has no log at all.
fn append_refused(tx: &mut Client, key: &CaseKey, id: i64) -> Result<StorageError> {
    let has_log = tx
        .query_opt("SELECT 1 FROM case_logs WHERE case_id = $1", &[&id])
        .map_err(db)?
        .is_some();
    Ok(log::append_refused(key, has_log))
}

/// The user columns read by [`user_row_at`], as a literal for `concat!`.
macro_rules! user_select {
    () => {
        "SELECT u.id, o.code, u.username, u.display_name, u.role, u.password_hash, u.language,
                u.person_id, u.employer_id, u.active, u.email
         FROM users u JOIN orgs o ON o.id = u.org_id"
    };
}

fn user_row_at(r: &Row, at: usize) -> Result<User> {
    Ok(User {
        id: r.col(at)?,
        org: r.col(at + 1)?,
        username: r.col(at + 2)?,
        display_name: r.col(at + 3)?,
        role: r.col(at + 4)?,
        password_hash: r.col(at + 5)?,
        language: r.col(at + 6)?,
        person_id: r.col(at + 7)?,
        employer_id: r.col(at + 8)?,
        active: r.col(at + 9)?,
        email: r.col(at + 10)?,
    })
}

fn category_out(v: Option<i16>) -> Result<Option<u8>> {
    v.map(|c| u8::try_from(c).map_err(|_| corrupt("category")))
        .transpose()
}

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// The audit entries of the chain from `after_id` on, as stored (`at` in the SQLite
/// store's text form, which is what is hashed).
const CHAIN_ROWS: &str = "SELECT a.id, o.code,
        to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),
        c.key, a.username, a.role, a.action, a.what, a.purpose, a.hash
     FROM audit a JOIN orgs o ON o.id = a.org_id LEFT JOIN cases c ON c.id = a.case_id
     WHERE a.id > $1 ORDER BY a.id LIMIT $2";

fn chain_row(r: &Row) -> Result<ChainedAudit> {
    Ok(ChainedAudit {
        id: r.col(0)?,
        org: r.col(1)?,
        at: r.col(2)?,
        case: r.col(3)?,
        entry: AuditEntry {
            username: r.col(4)?,
            role: r.col(5)?,
            action: r.col(6)?,
            what: r.col(7)?,
            purpose: r.col(8)?,
        },
        hash: r.col(9)?,
    })
}

/// Chains every audit entry in id order, from the genesis hash (migration 2).
fn chain_backfill(tx: &mut postgres::Transaction) -> Result<()> {
    const CHUNK: i64 = 10_000;
    let mut prev = chain::GENESIS;
    let mut after = 0i64;
    loop {
        let rows = tx.query(CHAIN_ROWS, &[&after, &CHUNK]).map_err(db)?;
        let n = rows.len() as i64;
        for r in &rows {
            let row = chain_row(r)?;
            prev = chain::link(&prev, &row.fields());
            tx.execute(
                "UPDATE audit SET hash = $2 WHERE id = $1",
                &[&row.id, &&prev[..]],
            )
            .map_err(db)?;
            after = row.id;
        }
        if n < CHUNK {
            return Ok(());
        }
    }
}

/// Appends audit entries within one transaction, each with one call of the server's
/// `tnw_audit_append` (migration 5), which takes the chain's lock (held until commit),
/// numbers and hashes the entry.
struct AuditAppender {
    appended: bool,
    at: String,
}

/// `SELECT tnw_audit_append(…)`: `$1` the fund, `$2` the time, `$3…$5` user, role,
/// action, `$6` the case id, `$7` what, `$8` purpose, `$9` the encoded fields.
const APPEND_AUDIT: &str = "SELECT tnw_audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// The fields of an entry as `chain::encode_after_id` encodes them: the part of the
/// hashed bytes the server cannot know (it adds the tag and the id it gives).
fn audit_fields(org: &str, at: &str, case: Option<&str>, entry: &AuditEntry) -> Vec<u8> {
    chain::encode_after_id(&chain::AuditFields {
        id: 0,
        org,
        at,
        case,
        entry,
    })
}

impl AuditAppender {
    fn new() -> AuditAppender {
        AuditAppender {
            appended: false,
            at: chain::timestamp_now(),
        }
    }

    fn append(
        &mut self,
        tx: &mut Client,
        append: &Statement,
        org_id: i64,
        org: &str,
        case: Option<(i64, &str)>,
        entry: &AuditEntry,
    ) -> Result<()> {
        let fields = audit_fields(org, &self.at, case.map(|(_, key)| key), entry);
        tx.execute(
            append,
            &[
                &org_id,
                &self.at,
                &entry.username,
                &entry.role,
                &entry.action,
                &case.map(|(id, _)| id),
                &entry.what,
                &entry.purpose,
                &fields,
            ],
        )
        .map_err(db)?;
        self.appended = true;
        Ok(())
    }
}

/// The summary columns of a batch of cases as arrays, one per column, for the
/// `unnest` inserts and updates (the same eleven columns both ways).
struct SummaryColumns<'a> {
    person: Vec<&'a str>,
    start: Vec<Date>,
    ended: Vec<Option<Date>>,
    scheme: Vec<&'a str>,
    region: Vec<&'a str>,
    language: Vec<&'a str>,
    condition: Vec<&'a str>,
    category: Vec<Option<i16>>,
    facts: Vec<&'a [u8]>,
    assignee: Vec<Option<&'a str>>,
    returned: Vec<Option<Date>>,
}

impl<'a> SummaryColumns<'a> {
    fn of(cases: &[&'a CaseWrite]) -> SummaryColumns<'a> {
        SummaryColumns {
            person: cases.iter().map(|c| c.summary.person_id.as_str()).collect(),
            start: cases.iter().map(|c| c.summary.incapacity_start).collect(),
            ended: cases.iter().map(|c| c.summary.ended).collect(),
            scheme: cases.iter().map(|c| c.summary.scheme.as_str()).collect(),
            region: cases.iter().map(|c| c.summary.region.as_str()).collect(),
            language: cases.iter().map(|c| c.summary.language.as_str()).collect(),
            condition: cases.iter().map(|c| c.summary.condition.as_str()).collect(),
            category: cases
                .iter()
                .map(|c| c.summary.category.map(i16::from))
                .collect(),
            facts: cases.iter().map(|c| c.summary.facts.as_slice()).collect(),
            assignee: cases
                .iter()
                .map(|c| c.summary.assignee.as_deref())
                .collect(),
            returned: cases
                .iter()
                .map(|c| c.summary.quick_scan_returned)
                .collect(),
        }
    }

    /// `$1` the fund, `$2` the keys or ids, `$3…$13` the columns.
    fn params<'p>(
        &'p self,
        org_id: &'p i64,
        keys: &'p (dyn ToSql + Sync),
    ) -> [&'p (dyn ToSql + Sync); 13] {
        [
            org_id,
            keys,
            &self.person,
            &self.start,
            &self.ended,
            &self.scheme,
            &self.region,
            &self.language,
            &self.condition,
            &self.category,
            &self.facts,
            &self.assignee,
            &self.returned,
        ]
    }
}

impl CaseStore for PgStore {
    fn load_cases(&mut self, org: &str, keys: &[CaseKey]) -> Result<Vec<Option<StoredCase>>> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(vec![None; keys.len()]);
        };
        if let [key] = keys {
            // The API's case: a statement without arrays, whose plan the server caches
            // (the array form is planned again on every call, joins and all: measured,
            // planning took a quarter of the server's CPU under API writes).
            let row = self.query_opt(
                "SELECT c.id, l.log FROM cases c LEFT JOIN case_logs l ON l.case_id = c.id
                 WHERE c.org_id = $1 AND c.key = $2",
                &[&org_id, &key.token()],
            )?;
            return row
                .map(|r| {
                    let id: i64 = r.col(0)?;
                    let log: Option<String> = r.col(1)?;
                    Ok(StoredCase {
                        id,
                        org: org.to_owned(),
                        key: key.clone(),
                        events: log::parse_stored(id, log.as_deref())?,
                    })
                })
                .transpose()
                .map(|c| vec![c]);
        }
        // One statement: one snapshot for all the cases asked for.
        let tokens: Vec<&str> = keys.iter().map(|k| k.token()).collect();
        let rows = self.query(
            "SELECT k.ord, c.id, l.log
             FROM unnest($2::text[]) WITH ORDINALITY AS k(key, ord)
             JOIN cases c ON c.org_id = $1 AND c.key = k.key
             LEFT JOIN case_logs l ON l.case_id = c.id",
            &[&org_id, &tokens],
        )?;
        let mut out = vec![None; keys.len()];
        for r in rows {
            let ord: i64 = r.col(0)?;
            let id: i64 = r.col(1)?;
            let log: Option<String> = r.col(2)?;
            let at = usize::try_from(ord - 1).map_err(|_| corrupt("key position"))?;
            let key = keys.get(at).ok_or_else(|| corrupt("key position"))?;
            out[at] = Some(StoredCase {
                id,
                org: org.to_owned(),
                key: key.clone(),
                events: log::parse_stored(id, log.as_deref())?,
            });
        }
        Ok(out)
    }

    fn write_cases(
        &mut self,
        org: &str,
        import_id: Option<i64>,
        cases: &[CaseWrite],
        audit: &[(Option<CaseKey>, AuditEntry)],
    ) -> Result<()> {
        let org_id = self.org_id_created(org)?;
        let import = import_id.unwrap_or(0);
        if let Some(one) = one_existing_case(cases, audit) {
            return self.write_one_case(org, org_id, import, one, audit);
        }
        let insert_cases = self.prep(
            "INSERT INTO cases (org_id, key, person_id, incapacity_start, ended, scheme, region,
                                language, condition, category, facts, assignee, quick_scan_returned)
             SELECT $1, u.key, u.person_id, u.start, u.ended, u.scheme, u.region, u.language,
                    u.condition, u.category, u.facts, u.assignee, u.returned
             FROM unnest($2::text[], $3::text[], $4::date[], $5::date[], $6::text[], $7::text[],
                         $8::text[], $9::text[], $10::smallint[], $11::bytea[], $12::text[],
                         $13::date[])
                  WITH ORDINALITY AS u(key, person_id, start, ended, scheme, region, language,
                                       condition, category, facts, assignee, returned, ord)
             ORDER BY u.ord
             RETURNING id, key",
        )?;
        let update_case = self.prep(
            "UPDATE cases SET person_id = $3, incapacity_start = $4, ended = $5, scheme = $6,
                    region = $7, language = $8, condition = $9, category = $10, facts = $11,
                    assignee = $12, quick_scan_returned = $13, updated_at = now()
             WHERE id = $1 AND org_id = $2",
        )?;
        // Appending keeps every stored entry byte for byte: the log is append-only.
        let append_log = self.prep(
            "UPDATE case_logs SET log = left(log, -1) || $3, events = events + $4
             WHERE case_id = $1 AND org_id = $2 AND events = $5",
        )?;
        // The same two writes for many existing cases at once (a re-import appending to
        // many dossiers): one statement each instead of one per case.
        let update_cases = self.prep(
            "UPDATE cases c SET person_id = u.person_id, incapacity_start = u.start,
                    ended = u.ended, scheme = u.scheme, region = u.region,
                    language = u.language, condition = u.condition, category = u.category,
                    facts = u.facts, assignee = u.assignee, quick_scan_returned = u.returned,
                    updated_at = now()
             FROM unnest($2::bigint[], $3::text[], $4::date[], $5::date[], $6::text[],
                         $7::text[], $8::text[], $9::text[], $10::smallint[], $11::bytea[],
                         $12::text[], $13::date[])
                  AS u(id, person_id, start, ended, scheme, region, language, condition,
                       category, facts, assignee, returned)
             WHERE c.id = u.id AND c.org_id = $1
             RETURNING c.id",
        )?;
        let append_logs = self.prep(
            "UPDATE case_logs l SET log = left(l.log, -1) || u.tail, events = l.events + u.n
             FROM unnest($2::bigint[], $3::text[], $4::integer[], $5::integer[])
                  AS u(case_id, tail, n, expected)
             WHERE l.case_id = u.case_id AND l.org_id = $1 AND l.events = u.expected
             RETURNING l.case_id",
        )?;
        let delete_tasks = self.prep("DELETE FROM tasks WHERE case_id = ANY($1)")?;
        let replace_tasks = self.prep(
            "WITH gone AS (DELETE FROM tasks WHERE case_id = ANY($1))
             INSERT INTO tasks (case_id, org_id, code, actor, rule, window_start, due,
                                case_key, region, category, quick_scan_returned)
             SELECT u.case_id, $2, u.code, u.actor, u.rule, u.window_start, u.due, u.key,
                    u.region, u.category, u.returned
             FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::date[],
                         $8::date[], $9::text[], $10::text[], $11::smallint[], $12::date[])
                  AS u(case_id, code, actor, rule, window_start, due, key, region, category,
                       returned)",
        )?;
        let next_case_ids =
            self.prep("SELECT nextval('cases_id_seq') FROM generate_series(1, $1::bigint)")?;
        let append_audit = self.prep(APPEND_AUDIT)?;

        let mut tx = Tx::begin(&mut self.client)?;

        // New cases: a few with one statement, many (an import's batch) by COPY.
        let new: Vec<&CaseWrite> = cases.iter().filter(|c| c.existing_id.is_none()).collect();
        let mut new_ids: HashMap<&str, i64> = HashMap::with_capacity(new.len());
        if new.len() > FEW_CASES {
            // The import's batches: ids drawn from the sequence, then the rows by binary
            // COPY, which inserts heap rows in groups and skips a statement's per-row
            // executor work (measured at 1,000,000 dossiers: 16 s of server time in
            // the array INSERT below, see docs/performance.md).
            let count = i64::try_from(new.len())
                .map_err(|_| StorageError::Invalid("too many cases".into()))?;
            let rows = tx.query(&next_case_ids, &[&count]).map_err(db)?;
            if rows.len() != new.len() {
                return Err(StorageError::Backend(format!(
                    "{} case ids asked for, {} drawn",
                    new.len(),
                    rows.len()
                )));
            }
            let sink = tx
                .copy_in(
                    "COPY cases (id, org_id, key, person_id, incapacity_start, ended, scheme,
                                 region, language, condition, category, facts, assignee,
                                 quick_scan_returned)
                     FROM STDIN BINARY",
                )
                .map_err(db)?;
            let mut w = BinaryCopyInWriter::new(
                sink,
                &[
                    Type::INT8,
                    Type::INT8,
                    Type::TEXT,
                    Type::TEXT,
                    Type::DATE,
                    Type::DATE,
                    Type::TEXT,
                    Type::TEXT,
                    Type::TEXT,
                    Type::TEXT,
                    Type::INT2,
                    Type::BYTEA,
                    Type::TEXT,
                    Type::DATE,
                ],
            );
            for (r, c) in rows.iter().zip(&new) {
                let id: i64 = r.col(0)?;
                let s = &c.summary;
                w.write(&[
                    &id,
                    &org_id,
                    &c.key.token(),
                    &s.person_id,
                    &s.incapacity_start,
                    &s.ended,
                    &s.scheme,
                    &s.region,
                    &s.language,
                    &s.condition,
                    &s.category.map(i16::from),
                    &s.facts,
                    &s.assignee,
                    &s.quick_scan_returned,
                ])
                .map_err(db)?;
                new_ids.insert(c.key.token(), id);
            }
            w.finish().map_err(db)?;
        } else if !new.is_empty() {
            let keys: Vec<&str> = new.iter().map(|c| c.key.token()).collect();
            let cols = SummaryColumns::of(&new);
            let rows = tx
                .query(&insert_cases, &cols.params(&org_id, &keys))
                .map_err(db)?;
            // RETURNING follows the sorted insert; checked, as ids are matched by position.
            if rows.len() != new.len() {
                return Err(StorageError::Backend(format!(
                    "{} new cases stored, {} returned",
                    new.len(),
                    rows.len()
                )));
            }
            for (r, c) in rows.iter().zip(&new) {
                let key: &str = r.col(1)?;
                if key != c.key.token() {
                    return Err(StorageError::Backend(
                        "new cases came back out of order".into(),
                    ));
                }
                new_ids.insert(c.key.token(), r.col(0)?);
            }
        }

        // Existing cases go through the multi-row updates unless one appears twice in
        // the batch (an UPDATE … FROM applies one source row per target row): then one
        // statement per case, in batch order.
        let existing: Vec<i64> = cases.iter().filter_map(|c| c.existing_id).collect();
        // One existing case (the API's write) goes through the single-row statements,
        // whose plans the server caches; the array forms are planned on every call.
        let bulk =
            existing.len() > 1 && existing.iter().collect::<HashSet<_>>().len() == existing.len();
        let mut upd: Vec<&CaseWrite> = Vec::new();
        let (mut app_case, mut app_tail, mut app_n, mut app_expected) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut ids: Vec<(&CaseKey, i64)> = Vec::with_capacity(cases.len());
        let mut replaced: Vec<i64> = Vec::new();
        let mut new_logs: Vec<(i64, i32, &CaseWrite)> = Vec::new();
        let mut buf = String::with_capacity(4096);
        for c in cases {
            let s = &c.summary;
            let id = match c.existing_id {
                None => *new_ids
                    .get(c.key.token())
                    .ok_or_else(|| StorageError::Backend(format!("case {} not stored", c.key)))?,
                Some(id) if bulk => {
                    upd.push(c);
                    replaced.push(id);
                    id
                }
                Some(id) => {
                    let n = tx
                        .execute(
                            &update_case,
                            &[
                                &id,
                                &org_id,
                                &s.person_id,
                                &s.incapacity_start,
                                &s.ended,
                                &s.scheme,
                                &s.region,
                                &s.language,
                                &s.condition,
                                &s.category.map(i16::from),
                                &s.facts,
                                &s.assignee,
                                &s.quick_scan_returned,
                            ],
                        )
                        .map_err(db)?;
                    if n != 1 {
                        return Err(StorageError::Invalid(format!(
                            "case {} does not exist in {org}",
                            c.key
                        )));
                    }
                    replaced.push(id);
                    id
                }
            };
            ids.push((&c.key, id));
            if c.events.is_empty() {
                continue;
            }
            let n = i32::try_from(c.events.len())
                .map_err(|_| StorageError::Invalid("too many events".into()))?;
            buf.clear();
            if c.existing_id.is_none() {
                // Written out while the COPY below streams (the server stores one
                // while this thread writes the next).
                new_logs.push((id, n, c));
            } else {
                buf.push(',');
                log::write_entries(&mut buf, &c.events, import);
                buf.push(']');
                let expected = expected_events(c)?;
                if bulk {
                    app_case.push(id);
                    app_tail.push(buf.clone());
                    app_n.push(n);
                    app_expected.push(expected);
                    continue;
                }
                let changed = tx
                    .execute(&append_log, &[&id, &org_id, &buf, &n, &expected])
                    .map_err(db)?;
                if changed != 1 {
                    return Err(append_refused(&mut tx, &c.key, id)?);
                }
            }
        }
        if !upd.is_empty() {
            let id: Vec<i64> = upd.iter().filter_map(|c| c.existing_id).collect();
            let cols = SummaryColumns::of(&upd);
            let rows = tx
                .query(&update_cases, &cols.params(&org_id, &id))
                .map_err(db)?;
            let done = rows
                .iter()
                .map(|r| r.col::<i64>(0))
                .collect::<Result<HashSet<i64>>>()?;
            // The first case of the batch that is not the fund's, as one by one would say.
            let missing = (done.len() != upd.len())
                .then(|| {
                    upd.iter()
                        .find(|c| c.existing_id.is_some_and(|id| !done.contains(&id)))
                })
                .flatten();
            if let Some(c) = missing {
                return Err(StorageError::Invalid(format!(
                    "case {} does not exist in {org}",
                    c.key
                )));
            }
        }
        if !app_case.is_empty() {
            let rows = tx
                .query(
                    &append_logs,
                    &[&org_id, &app_case, &app_tail, &app_n, &app_expected],
                )
                .map_err(db)?;
            let done = rows
                .iter()
                .map(|r| r.col::<i64>(0))
                .collect::<Result<HashSet<i64>>>()?;
            let missing = (done.len() != app_case.len())
                .then(|| {
                    let appended: HashSet<i64> = app_case.iter().copied().collect();
                    ids.iter()
                        .find(|(_, id)| appended.contains(id) && !done.contains(id))
                })
                .flatten();
            if let Some((key, id)) = missing {
                return Err(append_refused(&mut tx, key, *id)?);
            }
        }
        // New logs, and an import's tasks further down, by binary COPY: the bulk of an
        // import's bytes and rows, without a statement's per-row executor work (see
        // docs/performance.md for 1,000,000 dossiers).
        if !new_logs.is_empty() {
            let sink = tx
                .copy_in("COPY case_logs (case_id, org_id, events, log) FROM STDIN BINARY")
                .map_err(db)?;
            let mut w =
                BinaryCopyInWriter::new(sink, &[Type::INT8, Type::INT8, Type::INT4, Type::TEXT]);
            for (id, n, c) in &new_logs {
                buf.clear();
                buf.push('[');
                log::write_entries(&mut buf, &c.events, import);
                buf.push(']');
                w.write(&[id, &org_id, n, &buf.as_str()]).map_err(db)?;
            }
            w.finish().map_err(db)?;
        }
        let mut t_case = Vec::new();
        let (mut t_code, mut t_actor, mut t_rule) = (Vec::new(), Vec::new(), Vec::new());
        let (mut t_window, mut t_due) = (Vec::new(), Vec::new());
        // The worklist's copies of the dossier's columns (migration 7).
        let (mut t_key, mut t_region) = (Vec::new(), Vec::new());
        let (mut t_category, mut t_returned) = (Vec::new(), Vec::new());
        // A case written twice in one batch keeps the open tasks of its last write, as
        // when each write replaces the previous one's.
        let last: HashMap<i64, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, (_, id))| (*id, i))
            .collect();
        for (i, (c, (_, id))) in cases.iter().zip(&ids).enumerate() {
            if last.get(id) != Some(&i) {
                continue;
            }
            for t in &c.tasks {
                t_case.push(*id);
                t_code.push(t.code.as_str());
                t_actor.push(t.actor.as_str());
                t_rule.push(t.rule.as_str());
                t_window.push(t.window_start);
                t_due.push(t.due);
                t_key.push(c.key.token());
                t_region.push(c.summary.region.as_str());
                t_category.push(c.summary.category.map(i16::from));
                t_returned.push(c.summary.quick_scan_returned);
            }
        }
        if t_case.is_empty() && replaced.is_empty() {
            // No dossier in the batch (an audit entry only).
        } else if t_case.len() <= FEW_TASKS {
            // A small write (the API's): the old tasks out and the new ones in with one
            // statement, instead of a DELETE and a COPY (three round trips).
            tx.execute(
                &replace_tasks,
                &[
                    &replaced,
                    &org_id,
                    &t_case,
                    &t_code,
                    &t_actor,
                    &t_rule,
                    &t_window,
                    &t_due,
                    &t_key,
                    &t_region,
                    &t_category,
                    &t_returned,
                ],
            )
            .map_err(db)?;
        } else {
            if !replaced.is_empty() {
                tx.execute(&delete_tasks, &[&replaced]).map_err(db)?;
            }
            let sink = tx
                .copy_in(
                    "COPY tasks (case_id, org_id, code, actor, rule, window_start, due,
                                 case_key, region, category, quick_scan_returned)
                     FROM STDIN BINARY",
                )
                .map_err(db)?;
            let mut w = BinaryCopyInWriter::new(
                sink,
                &[
                    Type::INT8,
                    Type::INT8,
                    Type::TEXT,
                    Type::TEXT,
                    Type::TEXT,
                    Type::DATE,
                    Type::DATE,
                    Type::TEXT,
                    Type::TEXT,
                    Type::INT2,
                    Type::DATE,
                ],
            );
            for i in 0..t_case.len() {
                w.write(&[
                    &t_case[i],
                    &org_id,
                    &t_code[i],
                    &t_actor[i],
                    &t_rule[i],
                    &t_window[i],
                    &t_due[i],
                    &t_key[i],
                    &t_region[i],
                    &t_category[i],
                    &t_returned[i],
                ])
                .map_err(db)?;
            }
            w.finish().map_err(db)?;
        }
        let mut appender = AuditAppender::new();
        for (key, a) in audit {
            let case = match key {
                None => None,
                Some(k) => Some((
                    ids.iter()
                        .find(|(x, _)| *x == k)
                        .map(|(_, id)| *id)
                        .ok_or_else(|| {
                            StorageError::Invalid(format!(
                                "audit entry for case {k} outside the batch"
                            ))
                        })?,
                    k.token(),
                )),
            };
            appender.append(&mut tx, &append_audit, org_id, org, case, a)?;
        }
        if appender.appended {
            return tx.commit_chained();
        }
        tx.commit()
    }

    fn read_case_audited(
        &mut self,
        org: &str,
        key: &CaseKey,
        decide: &mut dyn FnMut(&StoredCase) -> AuditEntry,
    ) -> Result<Option<StoredCase>> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(None);
        };
        // Optimistic, as in the SQLite store: read and decide outside any transaction
        // (one statement, so the log and its length agree), then write the audit entry
        // in a transaction that share-locks the case row (writers of the case update it
        // first, so none can append until we commit) and re-reads the log's length. Same
        // length, same events; a dossier that grew in between is decided on again.
        // `decide` may take its time without holding a lock, and may even let another
        // connection write.
        let snapshot = self.query_opt(
            "SELECT c.id, coalesce(l.events, 0), l.log
             FROM cases c LEFT JOIN case_logs l ON l.case_id = c.id
             WHERE c.org_id = $1 AND c.key = $2",
            &[&org_id, &key.token()],
        )?;
        let Some(row) = snapshot else {
            return Ok(None);
        };
        let id: i64 = row.col(0)?;
        let seen: i32 = row.col(1)?;
        let log: Option<String> = row.col(2)?;
        let mut case = StoredCase {
            id,
            org: org.to_owned(),
            key: key.clone(),
            events: log::parse_stored(id, log.as_deref())?,
        };
        let mut audit = decide(&case);
        // The entry is written by the server's `tnw_read_audited` (migration 5), in one
        // round trip, if the dossier still has the events decided on; else it sends
        // the log as it is now, and we decide again. Each round needs a write to the
        // dossier in between: a bound keeps a dossier written without pause from
        // holding the read forever.
        let read_audited = self.prep(
            "SELECT events, log FROM tnw_read_audited($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )?;
        let mut seen = seen;
        for _ in 0..READ_ROUNDS {
            let at = chain::timestamp_now();
            let fields = audit_fields(org, &at, Some(key.token()), &audit);
            let changed = self
                .client
                .query_opt(
                    &read_audited,
                    &[
                        &id,
                        &seen,
                        &org_id,
                        &at,
                        &audit.username,
                        &audit.role,
                        &audit.action,
                        &audit.what,
                        &audit.purpose,
                        &fields,
                    ],
                )
                .map_err(db)?;
            let Some(now) = changed else {
                self.wait_for_disk()?;
                return Ok(Some(case));
            };
            seen = now.col(0)?;
            let log: Option<String> = now.col(1)?;
            case.events = log::parse_stored(id, log.as_deref())?;
            audit = decide(&case);
        }
        Err(StorageError::Backend(format!(
            "dossier {key} changed {READ_ROUNDS} times while it was being read; try again"
        )))
    }

    fn cases_of_person(&mut self, org: &str, person_id: &str) -> Result<Vec<CaseKey>> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(Vec::new());
        };
        let rows = self.query(
            "SELECT key FROM cases WHERE org_id = $1 AND person_id = $2
             ORDER BY incapacity_start DESC, id DESC",
            &[&org_id, &person_id],
        )?;
        rows.into_iter()
            .map(|r| Ok(CaseKey::from_token(r.col(0)?)))
            .collect()
    }
}

impl ImportLog for PgStore {
    fn begin_import(&mut self, org: &str, record: &ImportRecord) -> Result<i64> {
        let org_id = self.org_id_created(org)?;
        let row = self
            .query(
                "INSERT INTO imports (org_id, source, strict) VALUES ($1, $2, $3) RETURNING id",
                &[&org_id, &record.source, &record.strict],
            )?
            .into_iter()
            .next()
            .ok_or_else(|| StorageError::Backend("no import id returned".into()))?;
        row.col(0)
    }

    fn finish_import(&mut self, import_id: i64, r: &ImportRecord) -> Result<()> {
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        self.execute(
            "UPDATE imports SET finished_at = now(), lines = $2, imported = $3, duplicates = $4,
                    rejected = $5
             WHERE id = $1",
            &[
                &import_id,
                &n(r.lines),
                &n(r.imported),
                &n(r.duplicates),
                &n(r.rejected),
            ],
        )?;
        Ok(())
    }
}

impl WorkQueries for PgStore {
    fn worklist(&mut self, org: &str, q: &WorklistQuery) -> Result<Vec<WorkItem>> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(Vec::new());
        };
        // One query per actor walks the (org, actor, due, id) index in order and stops
        // at the limit; the few lists are merged here (as the SQLite store does). The
        // tasks carry their dossiers' listed columns (migration 7): only a filter on
        // the assignee needs the dossiers themselves.
        let plain = match (q.as_of, q.due_by, &q.task, &q.region, q.category) {
            (Some(as_of), None, None, None, None)
                if q.assignee.is_none() && !q.quick_scan_returned =>
            {
                Some(as_of)
            }
            _ => None,
        };
        let stmt = match (plain, &q.assignee) {
            // The default list, with a statement of its own: the one with optional
            // filters is planned again on every call (a cached plan for them is slow),
            // this one is not.
            (Some(_), _) => self.prep(
                "SELECT case_key, code, actor, rule, window_start, due, region, category,
                        quick_scan_returned
                 FROM tasks
                 WHERE org_id = $1 AND actor = $2 AND window_start <= $3
                 ORDER BY due, id LIMIT $4",
            )?,
            (None, None) => self.prep(
                "SELECT case_key, code, actor, rule, window_start, due, region, category,
                        quick_scan_returned
                 FROM tasks
                 WHERE org_id = $1 AND actor = $2
                   AND ($3::date IS NULL OR window_start <= $3)
                   AND ($5::date IS NULL OR due <= $5)
                   AND ($6::text IS NULL OR code = $6)
                   AND ($7::text IS NULL OR region = $7)
                   AND ($8::smallint IS NULL OR category = $8)
                   AND (NOT $9::boolean OR quick_scan_returned IS NOT NULL)
                 ORDER BY due, id
                 LIMIT $4",
            )?,
            (None, Some(_)) => self.prep(
                "SELECT t.case_key, t.code, t.actor, t.rule, t.window_start, t.due, t.region,
                        t.category, t.quick_scan_returned
                 FROM tasks t JOIN cases c ON c.id = t.case_id
                 WHERE t.org_id = $1 AND t.actor = $2
                   AND ($3::date IS NULL OR t.window_start <= $3)
                   AND ($5::date IS NULL OR t.due <= $5)
                   AND ($6::text IS NULL OR t.code = $6)
                   AND ($7::text IS NULL OR t.region = $7)
                   AND ($8::smallint IS NULL OR t.category = $8)
                   AND (NOT $9::boolean OR t.quick_scan_returned IS NOT NULL)
                   AND c.assignee = $10
                 ORDER BY t.due, t.id
                 LIMIT $4",
            )?,
        };
        let category = q.category.map(i16::from);
        let limit = i64::from(q.limit);
        let mut out = Vec::new();
        for actor in &q.actors {
            // `$1…$4` in every statement; the filters only in the statements that use
            // them.
            let mut params: Vec<&(dyn ToSql + Sync)> = vec![&org_id, actor, &q.as_of, &limit];
            if plain.is_none() {
                params.extend([
                    &q.due_by as &(dyn ToSql + Sync),
                    &q.task,
                    &q.region,
                    &category,
                    &q.quick_scan_returned,
                ]);
            }
            if let (None, Some(assignee)) = (plain, &q.assignee) {
                params.push(assignee);
            }
            for r in self.client.query(&stmt, &params).map_err(db)? {
                out.push(WorkItem {
                    case: CaseKey::from_token(r.col(0)?),
                    task: OpenTask {
                        code: r.col(1)?,
                        actor: r.col(2)?,
                        rule: r.col(3)?,
                        window_start: r.col(4)?,
                        due: r.col(5)?,
                    },
                    region: r.col(6)?,
                    category: category_out(r.col(7)?)?,
                    quick_scan_returned: r.col(8)?,
                });
            }
        }
        out.sort_by(|a, b| (a.task.due, &a.case).cmp(&(b.task.due, &b.case)));
        out.truncate(q.limit as usize);
        Ok(out)
    }

    fn caseload(&mut self, org: &str, actors: &[&str], today: Date) -> Result<Vec<CaseloadRow>> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(Vec::new());
        };
        // Byte order and the unassigned first: the order SQLite gives.
        let rows = self.query(
            "SELECT c.assignee, count(*),
                    coalesce(sum(t.open), 0)::bigint, coalesce(sum(t.overdue), 0)::bigint
             FROM cases c
             LEFT JOIN (SELECT case_id, count(*) AS open, count(*) FILTER (WHERE due < $3) AS overdue
                        FROM tasks
                        WHERE org_id = $1 AND actor = ANY($2)
                        GROUP BY case_id) t ON t.case_id = c.id
             WHERE c.org_id = $1 AND c.ended IS NULL
             GROUP BY c.assignee
             ORDER BY c.assignee COLLATE \"C\" NULLS FIRST",
            &[&org_id, &actors, &today],
        )?;
        rows.into_iter()
            .map(|r| {
                Ok(CaseloadRow {
                    assignee: r.col(0)?,
                    dossiers: count(r.col(1)?),
                    open_tasks: count(r.col(2)?),
                    overdue_tasks: count(r.col(3)?),
                })
            })
            .collect()
    }

    fn assigned_cases(
        &mut self,
        org: &str,
        assignee: &str,
        actors: &[&str],
        limit: u32,
    ) -> Result<Vec<CaseloadCase>> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(Vec::new());
        };
        let rows = self.query(
            "SELECT c.key, c.incapacity_start, c.region, c.category, n.code, n.due
             FROM cases c
             LEFT JOIN LATERAL (SELECT t.code, t.due FROM tasks t
                                WHERE t.case_id = c.id AND t.actor = ANY($3)
                                ORDER BY t.due, t.id LIMIT 1) n ON TRUE
             WHERE c.org_id = $1 AND c.assignee = $2 AND c.ended IS NULL
             ORDER BY c.incapacity_start, c.id
             LIMIT $4",
            &[&org_id, &assignee, &actors, &i64::from(limit)],
        )?;
        rows.into_iter()
            .map(|r| {
                let code: Option<String> = r.col(4)?;
                let due: Option<Date> = r.col(5)?;
                Ok(CaseloadCase {
                    case: CaseKey::from_token(r.col(0)?),
                    incapacity_start: r.col(1)?,
                    region: r.col(2)?,
                    category: category_out(r.col(3)?)?,
                    next_task: code.zip(due),
                })
            })
            .collect()
    }
}

impl Scans for PgStore {
    fn scan_facts(
        &mut self,
        org: Option<&str>,
        chunk: usize,
        f: &mut dyn FnMut(Vec<FactsRow>) -> Result<()>,
    ) -> Result<()> {
        let stmt = self.prep(
            "SELECT c.id, c.key, c.facts FROM cases c
             WHERE $1::text IS NULL OR c.org_id = (SELECT id FROM orgs WHERE code = $1)
             ORDER BY c.id",
        )?;
        scan(
            &mut self.client,
            &stmt,
            org,
            chunk,
            &mut |r| {
                Ok(FactsRow {
                    id: r.col(0)?,
                    key: CaseKey::from_token(r.col(1)?),
                    facts: r.col(2)?,
                })
            },
            f,
        )
    }

    fn scan_figures(
        &mut self,
        org: Option<&str>,
        chunk: usize,
        f: &mut dyn FnMut(Vec<FigureRow>) -> Result<()>,
    ) -> Result<()> {
        let stmt = self.prep(
            "SELECT c.org_id, c.person_id, c.region, c.condition, c.facts FROM cases c
             WHERE $1::text IS NULL OR c.org_id = (SELECT id FROM orgs WHERE code = $1)
             ORDER BY c.id",
        )?;
        scan(
            &mut self.client,
            &stmt,
            org,
            chunk,
            &mut |r| {
                Ok(FigureRow {
                    fund: r.col(0)?,
                    person_id: r.col(1)?,
                    region: r.col(2)?,
                    condition: r.col(3)?,
                    facts: r.col(4)?,
                })
            },
            f,
        )
    }
}

impl AccountStore for PgStore {
    fn create_user(&mut self, org: &str, u: &User) -> Result<i64> {
        let org_id = self.org_id_created(org)?;
        let stmt = self.prep(
            "INSERT INTO users (org_id, username, display_name, role, password_hash, language,
                                person_id, employer_id, active, email)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )?;
        let row = self
            .client
            .query_one(
                &stmt,
                &[
                    &org_id,
                    &u.username,
                    &u.display_name,
                    &u.role,
                    &u.password_hash,
                    &u.language,
                    &u.person_id,
                    &u.employer_id,
                    &u.active,
                    &u.email,
                ],
            )
            .map_err(|e| {
                if is_unique_violation(&e) {
                    StorageError::Invalid(format!("a user named {} already exists", u.username))
                } else {
                    db(e)
                }
            })?;
        row.col(0)
    }

    fn user_by_name(&mut self, username: &str) -> Result<Option<User>> {
        const SQL: &str = concat!(user_select!(), " WHERE u.username = $1");
        self.query_opt(SQL, &[&username])?
            .map(|r| user_row_at(&r, 0))
            .transpose()
    }

    fn users(&mut self, org: &str) -> Result<Vec<User>> {
        const SQL: &str = concat!(
            user_select!(),
            " WHERE o.code = $1 ORDER BY u.username COLLATE \"C\""
        );
        self.query(SQL, &[&org])?
            .iter()
            .map(|r| user_row_at(r, 0))
            .collect()
    }

    fn update_user(&mut self, org: &str, u: &User) -> Result<bool> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(false);
        };
        let update = self.prep(
            "UPDATE users SET display_name = $3, role = $4, language = $5, person_id = $6,
                    employer_id = $7, active = $8, email = $9
             WHERE org_id = $1 AND username = $2
             RETURNING id",
        )?;
        let end_sessions = self.prep("DELETE FROM sessions WHERE user_id = $1")?;
        let mut tx = self.client.transaction().map_err(db)?;
        let row = tx
            .query_opt(
                &update,
                &[
                    &org_id,
                    &u.username,
                    &u.display_name,
                    &u.role,
                    &u.language,
                    &u.person_id,
                    &u.employer_id,
                    &u.active,
                    &u.email,
                ],
            )
            .map_err(db)?;
        let Some(row) = row else {
            return Ok(false);
        };
        if !u.active {
            // A deactivated user's sessions end at once, with the deactivation.
            let id: i64 = row.col(0)?;
            tx.execute(&end_sessions, &[&id]).map_err(db)?;
        }
        tx.commit().map_err(db)?;
        Ok(true)
    }
}

impl SessionStore for PgStore {
    fn create_session(
        &mut self,
        token_hash: &[u8],
        user_id: i64,
        csrf: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        self.execute(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen, expires_at)
             VALUES ($1, $2, $3, $4, $4, $5)",
            &[&token_hash, &user_id, &csrf, &now, &expires_at],
        )?;
        Ok(())
    }

    fn touch_session(&mut self, token_hash: &[u8], now: i64) -> Result<Option<Session>> {
        let row = self.query_opt(
            "SELECT s.csrf, s.created_at, s.last_seen, s.expires_at,
                    u.id, o.code, u.username, u.display_name, u.role, u.password_hash,
                    u.language, u.person_id, u.employer_id, u.active, u.email
             FROM sessions s JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id
             WHERE s.token_hash = $1",
            &[&token_hash],
        )?;
        let Some(r) = row else {
            return Ok(None);
        };
        let session = Session {
            csrf: r.col(0)?,
            created_at: r.col(1)?,
            last_seen: r.col(2)?,
            expires_at: r.col(3)?,
            user: user_row_at(&r, 4)?,
        };
        // Idle expiry is counted in minutes: refreshing last_seen once a minute spares a
        // write on almost every request.
        if now - session.last_seen >= 60 {
            self.execute(
                "UPDATE sessions SET last_seen = $2 WHERE token_hash = $1",
                &[&token_hash, &now],
            )?;
        }
        Ok(Some(session))
    }

    fn delete_session(&mut self, token_hash: &[u8]) -> Result<()> {
        self.execute("DELETE FROM sessions WHERE token_hash = $1", &[&token_hash])?;
        Ok(())
    }

    fn record_login_failure(&mut self, username: &str, now: i64) -> Result<()> {
        self.execute(
            "INSERT INTO login_failures (username, at) VALUES ($1, $2)",
            &[&username, &now],
        )?;
        Ok(())
    }

    fn login_failures_since(&mut self, username: &str, since: i64) -> Result<u32> {
        let n: i64 = self
            .query(
                "SELECT count(*) FROM login_failures WHERE username = $1 AND at >= $2",
                &[&username, &since],
            )?
            .first()
            .map(|r| r.col(0))
            .transpose()?
            .unwrap_or(0);
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }
}

impl AuditStore for PgStore {
    fn append(&mut self, org: &str, entries: &[AuditEntry]) -> Result<()> {
        let audit: Vec<(Option<CaseKey>, AuditEntry)> =
            entries.iter().map(|e| (None, e.clone())).collect();
        self.write_cases(org, None, &[], &audit)
    }

    fn audit_log(
        &mut self,
        org: &str,
        case: Option<&CaseKey>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>> {
        // `at` in the SQLite store's text form (UTC, milliseconds).
        let rows = self.query(
            "SELECT a.id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),
                    c.key, a.username, a.role, a.action, a.what, a.purpose
             FROM audit a JOIN orgs o ON o.id = a.org_id LEFT JOIN cases c ON c.id = a.case_id
             WHERE o.code = $1
               AND ($2::text IS NULL
                    OR a.case_id = (SELECT id FROM cases WHERE org_id = o.id AND key = $2))
             ORDER BY a.id DESC LIMIT $3",
            &[&org, &case.map(|k| k.token()), &i64::from(limit)],
        )?;
        rows.into_iter()
            .map(|r| {
                Ok(AuditRecord {
                    id: r.col(0)?,
                    at: r.col(1)?,
                    case: r.col::<Option<String>>(2)?.map(CaseKey::from_token),
                    entry: AuditEntry {
                        username: r.col(3)?,
                        role: r.col(4)?,
                        action: r.col(5)?,
                        what: r.col(6)?,
                        purpose: r.col(7)?,
                    },
                })
            })
            .collect()
    }

    fn audit_chain(&mut self, after_id: i64, limit: u32) -> Result<Vec<ChainedAudit>> {
        // One statement: a consistent chunk even while writers append.
        let rows = self
            .client
            .query(CHAIN_ROWS, &[&after_id, &i64::from(limit)])
            .map_err(db)?;
        rows.iter().map(chain_row).collect()
    }
}

impl Outbox for PgStore {
    fn enqueue(&mut self, org: &str, messages: &[NewMessage], now: i64) -> Result<u64> {
        if messages.is_empty() {
            return Ok(0);
        }
        let org_id = self.org_id_created(org)?;
        let keys: Vec<&str> = messages.iter().map(|m| m.dedup_key.as_str()).collect();
        let to: Vec<&str> = messages.iter().map(|m| m.recipient.as_str()).collect();
        let subject: Vec<&str> = messages.iter().map(|m| m.subject.as_str()).collect();
        let body: Vec<&str> = messages.iter().map(|m| m.body.as_str()).collect();
        // One statement; a key met twice (already there, or earlier in the same call)
        // is skipped by ON CONFLICT, in the order given.
        self.execute(
            "INSERT INTO outbox (org_id, dedup_key, recipient, subject, body, created_at,
                                 next_attempt_at)
             SELECT $1, u.key, u.recipient, u.subject, u.body, $6, $6
             FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])
                  WITH ORDINALITY AS u(key, recipient, subject, body, ord)
             ORDER BY u.ord
             ON CONFLICT (dedup_key) DO NOTHING",
            &[&org_id, &keys, &to, &subject, &body, &now],
        )
    }

    fn claim_messages(&mut self, now: i64, lease: i64, limit: u32) -> Result<Vec<Message>> {
        // One statement; SKIP LOCKED: a message another sender is claiming right now is
        // passed over instead of waited for, so two senders never get the same one.
        let rows = self.query(
            "UPDATE outbox SET claimed_until = $1 + $2
             WHERE id IN (SELECT id FROM outbox
                          WHERE sent_at IS NULL AND next_attempt_at <= $1
                            AND (claimed_until IS NULL OR claimed_until <= $1)
                          ORDER BY next_attempt_at, id LIMIT $3
                          FOR UPDATE SKIP LOCKED)
             RETURNING id, dedup_key, recipient, subject, body, attempts",
            &[&now, &lease, &i64::from(limit)],
        )?;
        let mut out: Vec<Message> = rows
            .into_iter()
            .map(|r| {
                Ok(Message {
                    id: r.col(0)?,
                    dedup_key: r.col(1)?,
                    recipient: r.col(2)?,
                    subject: r.col(3)?,
                    body: r.col(4)?,
                    attempts: u32::try_from(r.col::<i32>(5)?).unwrap_or(0),
                })
            })
            .collect::<Result<_>>()?;
        out.sort_by_key(|m| m.id);
        Ok(out)
    }

    fn mark_sent(&mut self, id: i64, now: i64) -> Result<()> {
        self.execute(
            "UPDATE outbox SET sent_at = $2, claimed_until = NULL, attempts = attempts + 1
             WHERE id = $1",
            &[&id, &now],
        )?;
        Ok(())
    }

    fn mark_failed(&mut self, id: i64, error: &str, retry_at: i64) -> Result<()> {
        self.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3,
                    claimed_until = NULL
             WHERE id = $1 AND sent_at IS NULL",
            &[&id, &error, &retry_at],
        )?;
        Ok(())
    }

    fn outbox_counts(&mut self, org: Option<&str>) -> Result<OutboxCounts> {
        let rows = self.query(
            "SELECT count(*) FILTER (WHERE sent_at IS NULL),
                    count(*) FILTER (WHERE sent_at IS NOT NULL),
                    count(*) FILTER (WHERE sent_at IS NULL AND attempts > 0)
             FROM outbox
             WHERE $1::text IS NULL OR org_id = (SELECT id FROM orgs WHERE code = $1)",
            &[&org],
        )?;
        let r = rows
            .first()
            .ok_or_else(|| StorageError::Backend("no counts returned".into()))?;
        Ok(OutboxCounts {
            pending: count(r.col(0)?),
            sent: count(r.col(1)?),
            failing: count(r.col(2)?),
        })
    }
}

impl DraftStore for PgStore {
    fn save_draft(
        &mut self,
        org: &str,
        case: &CaseKey,
        instrument: &str,
        answers: &str,
        now: i64,
    ) -> Result<()> {
        let org_id = self
            .org_id(org, false)?
            .ok_or_else(|| StorageError::Invalid(format!("no fund {org}")))?;
        self.execute(
            "INSERT INTO drafts (org_id, case_key, instrument, answers, updated_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (org_id, case_key, instrument)
             DO UPDATE SET answers = excluded.answers, updated_at = excluded.updated_at",
            &[&org_id, &case.token(), &instrument, &answers, &now],
        )?;
        Ok(())
    }

    fn load_draft(
        &mut self,
        org: &str,
        case: &CaseKey,
        instrument: &str,
    ) -> Result<Option<String>> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(None);
        };
        self.query_opt(
            "SELECT answers FROM drafts WHERE org_id = $1 AND case_key = $2 AND instrument = $3",
            &[&org_id, &case.token(), &instrument],
        )?
        .map(|r| r.col(0))
        .transpose()
    }

    fn delete_draft(&mut self, org: &str, case: &CaseKey, instrument: &str) -> Result<()> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(());
        };
        self.execute(
            "DELETE FROM drafts WHERE org_id = $1 AND case_key = $2 AND instrument = $3",
            &[&org_id, &case.token(), &instrument],
        )?;
        Ok(())
    }
}

impl SurveyStore for PgStore {
    fn import_survey(
        &mut self,
        org: &str,
        instrument: &str,
        responses: &[SurveyResponse],
    ) -> Result<SurveyImportCounts> {
        let org_id = self.org_id_created(org)?;
        // FOR UPDATE: a concurrent import of the same respondent waits, so the counts
        // say what this call changed.
        let stored = self.prep(
            "SELECT answers FROM survey_responses
             WHERE org_id = $1 AND instrument = $2 AND respondent = $3
             FOR UPDATE",
        )?;
        let upsert = self.prep(
            "INSERT INTO survey_responses (org_id, instrument, respondent, answers)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (org_id, instrument, respondent) DO UPDATE
             SET answers = excluded.answers, imported_at = excluded.imported_at",
        )?;
        let mut tx = self.client.transaction().map_err(db)?;
        let mut counts = SurveyImportCounts::default();
        for r in responses {
            let before: Option<String> = tx
                .query_opt(&stored, &[&org_id, &instrument, &r.respondent])
                .map_err(db)?
                .map(|row| row.col(0))
                .transpose()?;
            match before {
                Some(a) if a == r.answers => {
                    counts.unchanged += 1;
                    continue;
                }
                Some(_) => counts.updated += 1,
                None => counts.new += 1,
            }
            tx.execute(&upsert, &[&org_id, &instrument, &r.respondent, &r.answers])
                .map_err(db)?;
        }
        tx.commit().map_err(db)?;
        Ok(counts)
    }

    fn survey_responses(&mut self, org: &str, instrument: &str) -> Result<Vec<SurveyResponse>> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(Vec::new());
        };
        self.query(
            "SELECT respondent, answers FROM survey_responses
                 WHERE org_id = $1 AND instrument = $2 ORDER BY respondent COLLATE \"C\"",
            &[&org_id, &instrument],
        )?
        .into_iter()
        .map(|r| {
            Ok(SurveyResponse {
                respondent: r.col(0)?,
                answers: r.col(1)?,
            })
        })
        .collect::<Result<_>>()
    }
}

impl FundStore for PgStore {
    fn orgs(&mut self) -> Result<Vec<String>> {
        self.query("SELECT code FROM orgs ORDER BY code COLLATE \"C\"", &[])?
            .into_iter()
            .map(|r| r.col(0))
            .collect()
    }

    fn counts(&mut self, org: Option<&str>) -> Result<Counts> {
        // One statement: the three counts agree with each other.
        let rows = self.query(
            "WITH o AS (SELECT id FROM orgs WHERE code = $1)
             SELECT (SELECT count(*) FROM cases
                     WHERE $1::text IS NULL OR org_id = (SELECT id FROM o)),
                    (SELECT coalesce(sum(events), 0)::bigint FROM case_logs
                     WHERE $1::text IS NULL OR org_id = (SELECT id FROM o)),
                    (SELECT count(*) FROM imports
                     WHERE $1::text IS NULL OR org_id = (SELECT id FROM o))",
            &[&org],
        )?;
        let r = rows
            .first()
            .ok_or_else(|| StorageError::Backend("no counts returned".into()))?;
        Ok(Counts {
            cases: count(r.col(0)?),
            events: count(r.col(1)?),
            imports: count(r.col(2)?),
        })
    }
}

impl Replication for PgStore {
    fn log_position(&mut self) -> Result<Option<u64>> {
        let row = self
            .client
            .query_one(
                "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint",
                &[],
            )
            .map_err(db)?;
        Ok(u64::try_from(row.col::<i64>(0)?).ok())
    }

    fn replayed_position(&mut self) -> Result<Option<u64>> {
        let row = self
            .client
            .query_one(
                "SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint",
                &[],
            )
            .map_err(db)?;
        Ok(row
            .col::<Option<i64>>(0)?
            .and_then(|p| u64::try_from(p).ok()))
    }
}

/// Runs `stmt` (one `$1` parameter: the fund or NULL) in a read-only REPEATABLE READ
/// transaction, one consistent snapshot, fetching `chunk` rows at a time through a
/// portal so a national database is never held in memory at once.
fn scan<T>(
    client: &mut Client,
    stmt: &Statement,
    org: Option<&str>,
    chunk: usize,
    map: &mut dyn FnMut(&Row) -> Result<T>,
    f: &mut dyn FnMut(Vec<T>) -> Result<()>,
) -> Result<()> {
    let chunk = i32::try_from(chunk.max(1)).unwrap_or(i32::MAX);
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(db)?;
    let portal = tx.bind(stmt, &[&org]).map_err(db)?;
    loop {
        let rows = tx.query_portal(&portal, chunk).map_err(db)?;
        if rows.is_empty() {
            break;
        }
        let last = rows.len() < chunk as usize;
        f(rows.iter().map(&mut *map).collect::<Result<Vec<T>>>()?)?;
        if last {
            break;
        }
    }
    tx.commit().map_err(db)
}
