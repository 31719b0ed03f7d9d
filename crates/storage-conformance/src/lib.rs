//! The conformance suite every backend must pass. Each check is a function that panics
//! with a message on failure and works on a fresh, empty store of its own: it writes
//! whatever it needs first, so no check depends on another or on their order.
//!
//! A backend's test file runs every single-connection check as its own test with
//! [`conformance_tests!`], given something that opens a new, empty store each time it is
//! called:
//!
//! ```text
//! fn fresh_store() -> MyStore {
//!     MyStore::open_new_database().unwrap()
//! }
//!
//! tnw_storage_conformance::conformance_tests!(fresh_store);
//! ```
//!
//! The checks that need several connections to one database
//! ([`audited_read_sees_a_concurrent_append`], [`stale_append_is_refused`],
//! [`concurrent_audited_reads`]) take their connections as arguments; the backend's tests
//! call them with connections opened its own way.

mod absences;
mod accounts;
mod audit;
mod batches;
mod cases;
mod concurrent;
mod fixtures;
mod outbox;
mod scans;
mod survey;
mod work;

pub use absences::absence_lists;
pub use accounts::users_sessions_and_throttling;
pub use audit::{audit_chain_verifies, audited_reads_and_writes};
pub use batches::{a_case_twice_in_one_batch, a_large_batch, atomic_batches};
pub use cases::{empty_store, org_isolation, write_and_load};
pub use concurrent::{
    audited_read_sees_a_concurrent_append, concurrent_audited_reads, stale_append_is_refused,
};
pub use outbox::outbox;
pub use scans::{figures_scan, scan_in_chunks};
pub use survey::survey_responses;
pub use work::{caseloads, tasks_and_worklist};

use tnw_storage::Store;

/// What [`conformance_tests!`] runs a check on: a store, or a value that owns one
/// together with what must outlive it (such as the temporary directory of its file).
pub trait AsStore {
    /// The store the check works on.
    fn as_store(&mut self) -> &mut dyn Store;
}

impl<S: Store> AsStore for S {
    fn as_store(&mut self) -> &mut dyn Store {
        self
    }
}

/// One `#[test]` per single-connection check, in a module `conformance`, each named
/// after its check and run on its own fresh store: `$fresh` is called once per test
/// (a function path or a closure) and returns a new, empty store, or an [`AsStore`]
/// value holding one. The expansion sees the calling module's names (`use super::*`).
///
/// A new single-connection check is added to the list here, so every backend runs it.
#[macro_export]
macro_rules! conformance_tests {
    (@each $fresh:expr; $($check:ident),+ $(,)?) => {
        mod conformance {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[doc = concat!("The conformance check `", stringify!($check), "` on a fresh store.")]
                #[test]
                fn $check() {
                    let mut fresh = ($fresh)();
                    $crate::$check($crate::AsStore::as_store(&mut fresh));
                }
            )+
        }
    };
    ($fresh:expr $(,)?) => {
        $crate::conformance_tests!(@each $fresh;
            empty_store,
            write_and_load,
            org_isolation,
            atomic_batches,
            a_case_twice_in_one_batch,
            a_large_batch,
            scan_in_chunks,
            figures_scan,
            tasks_and_worklist,
            caseloads,
            outbox,
            audited_reads_and_writes,
            audit_chain_verifies,
            users_sessions_and_throttling,
            survey_responses,
            absence_lists,
        );
    };
}
