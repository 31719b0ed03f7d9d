//! The transactions of the audited paths, and waiting for the disk after them.

use crate::connection::db;
use crate::PgStore;
use postgres::Client;
use tnw_storage::Result;

/// A transaction of the audited paths (dossier reads and writes). Ended by one of its
/// methods; dropped unfinished (an error on the way), it is rolled back. Statements run
/// on the connection it derefs to.
pub(crate) struct Tx<'a> {
    client: &'a mut Client,
    open: bool,
}

impl<'a> Tx<'a> {
    pub(crate) fn begin(client: &'a mut Client) -> Result<Tx<'a>> {
        client.batch_execute("START TRANSACTION").map_err(db)?;
        Ok(Tx { client, open: true })
    }

    pub(crate) fn commit(mut self) -> Result<()> {
        self.finish("COMMIT")
    }

    /// Commits a transaction holding the audit chain's lock without waiting for the
    /// disk, then waits until it is on disk ([`PgStore::wait_for_disk`] says why), both
    /// in one round trip.
    pub(crate) fn commit_chained(mut self) -> Result<()> {
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
    /// Returns once everything this connection committed is on disk. Audited calls
    /// commit without waiting for the disk: the audit chain's lock serialises them
    /// all, and a commit that waits for its flush under it lets only one commit flush
    /// at a time (measured: about 1,000 audited reads/s). This short transaction
    /// commits with the session's `synchronous_commit`; its flush covers the earlier
    /// commit's record (and connections waiting at once share the server's flushes).
    /// Nothing is acknowledged before it returns. [`Tx::commit_chained`] sends the
    /// same wait in its commit's round trip.
    pub(crate) fn wait_for_disk(&mut self) -> Result<()> {
        // Prepared: a plain query would be parsed and planned every time.
        let wait = self.prep("SELECT pg_current_xact_id()")?;
        self.client.execute(&wait, &[]).map_err(db).map(drop)
    }
}
