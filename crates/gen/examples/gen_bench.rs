//! Times the generator: `cargo run --release -p tnw-gen --example gen_bench [CASES] [SEED]`
//! writes CASES dossiers (default 1,000,000) to a sink and prints the time and counts.

use std::time::Instant;
use tnw_gen::{generate, GenOptions};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let cases = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let seed = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let opts = GenOptions {
        cases,
        seed,
        ..Default::default()
    };
    let mut sink = CountingSink(0);
    let t = Instant::now();
    let stats = generate(&opts, &mut sink)?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{} cases, {} events ({:.2}/case), {} persons, {:.1} MiB in {:.2} s ({:.0} events/s)",
        stats.cases,
        stats.events,
        stats.events as f64 / stats.cases.max(1) as f64,
        stats.persons,
        sink.0 as f64 / (1024.0 * 1024.0),
        secs,
        stats.events as f64 / secs
    );
    Ok(())
}

/// Like /dev/null, counting bytes.
struct CountingSink(u64);

impl std::io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
