//! A throw-away PostgreSQL cluster for tests outside Rust (the browser tests): starts
//! one (`testing::PgCluster`), prints the URL of a fresh database on stdout, and stops
//! and removes it when stdin closes, i.e. when the process that started it ends.
//!
//! `cargo test` builds it (as every example) into `target/debug/examples/test_cluster`.

use std::io::{Read, Write};
use tnw_storage_postgres::testing::PgCluster;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cluster = PgCluster::start()?;
    let url = cluster.fresh_database()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{url}")?;
    out.flush()?;
    // Until end of input: the starter closes its end, or goes away.
    std::io::stdin().lock().read_to_end(&mut Vec::new())?;
    drop(cluster);
    Ok(())
}
