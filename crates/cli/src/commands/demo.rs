//! `tnw demo`: a generated demo population, and today's tasks.

use anyhow::Result;
use clap::Args;
use std::process::ExitCode;
use tnw_app::import::ImportOptions;
use tnw_domain::RuleBook;

use super::due::{self, DueArgs};
use crate::database::open_store;
use crate::dates::today;

#[derive(Args)]
pub struct DemoArgs {
    #[arg(long, default_value_t = 2000)]
    cases: u64,
    #[arg(long, default_value = "demo")]
    org: String,
}

pub fn run(db: &str, book: &RuleBook, args: DemoArgs) -> Result<ExitCode> {
    let DemoArgs { cases, org } = args;
    let mut store = open_store(db)?;
    if store.counts(Some(&org))?.cases == 0 {
        let mut data = Vec::new();
        let opts = tnw_gen::GenOptions {
            cases,
            seed: 1,
            ..Default::default()
        };
        tnw_gen::generate(&opts, &mut data)?;
        let report = tnw_app::import::import_events(
            &mut *store,
            book,
            &data,
            &ImportOptions {
                org: org.clone(),
                source: "demo".into(),
                ..Default::default()
            },
            &|_| {},
        )?;
        eprintln!(
            "demo: {} dossiers with {} events imported into {}",
            report.cases_created, report.imported, db
        );
    }
    drop(store);
    let as_of = today();
    eprintln!("tasks open or overdue today ({as_of}):");
    due::run(
        db,
        book,
        DueArgs {
            as_of,
            json: false,
            rules: None,
            org: Some(org),
        },
    )
}
