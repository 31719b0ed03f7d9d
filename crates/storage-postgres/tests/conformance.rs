//! The shared storage conformance suite against a real PostgreSQL server on loopback
//! (a throw-away cluster, `tnw_storage_postgres::testing`), one database per test.

use tnw_storage::prelude::*;
use tnw_storage_postgres::{testing, PgStore, SCHEMA_VERSION};

/// A connection to a new, empty database on the shared test cluster.
fn fresh_database() -> PgStore {
    let cluster = testing::shared().unwrap();
    PgStore::connect(&cluster.fresh_database().unwrap()).unwrap()
}

tnw_storage_conformance::conformance_tests!(fresh_database);

#[test]
fn audited_read_rechecks_under_a_second_connection() {
    let cluster = testing::shared().unwrap();
    let url = cluster.fresh_database().unwrap();
    let mut a = PgStore::connect(&url).unwrap();
    let mut b = PgStore::connect(&url).unwrap();
    tnw_storage_conformance::audited_read_sees_a_concurrent_append(&mut a, &mut b);
}

#[test]
fn concurrent_audited_reads_on_several_connections() {
    let cluster = testing::shared().unwrap();
    let url = cluster.fresh_database().unwrap();
    let stores: Vec<Box<dyn Store + Send>> = (0..5)
        .map(|_| Box::new(PgStore::connect(&url).unwrap()) as Box<dyn Store + Send>)
        .collect();
    tnw_storage_conformance::concurrent_audited_reads(stores);
}

#[test]
fn a_stale_append_is_refused() {
    let cluster = testing::shared().unwrap();
    let url = cluster.fresh_database().unwrap();
    let mut a = PgStore::connect(&url).unwrap();
    let mut b = PgStore::connect(&url).unwrap();
    tnw_storage_conformance::stale_append_is_refused(&mut a, &mut b);
}

#[test]
fn reconnecting_keeps_data_and_schema_version() {
    let cluster = testing::shared().unwrap();
    let url = cluster.fresh_database().unwrap();
    {
        let mut store = PgStore::connect(&url).unwrap();
        tnw_storage_conformance::write_and_load(&mut store);
    }
    let mut store = PgStore::connect(&url).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.counts(None).unwrap().events, 3);
}
