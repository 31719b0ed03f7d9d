//! `tnw demo`: a generated demo population, and today's tasks.

use anyhow::Result;
use clap::Args;
use std::process::ExitCode;
use tnw_app::import::ImportOptions;

use super::due::{self, DueArgs};
use crate::context::Context;
use crate::dates::today;
use tnw_app::access::Operator;

#[derive(Args)]
pub struct DemoArgs {
    #[arg(long, default_value_t = 2000)]
    cases: u64,
    #[arg(long, default_value = "demo")]
    org: String,
}

pub fn run(ctx: &Context, args: DemoArgs) -> Result<ExitCode> {
    let DemoArgs { cases, org } = args;
    let app = ctx.app()?;
    if app.status(&Operator::from_env(), Some(&org))?.cases == 0 {
        let mut data = Vec::new();
        let opts = tnw_gen::GenOptions {
            cases,
            seed: 1,
            ..Default::default()
        };
        tnw_gen::generate(&opts, &mut data)?;
        let report = app.import_events(
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
            report.cases_created, report.imported, ctx.db
        );
    }
    drop(app);
    let as_of = today();
    eprintln!("tasks open or overdue today ({as_of}):");
    due::run(
        ctx,
        DueArgs {
            as_of,
            json: false,
            rules: None,
            org: Some(org),
        },
    )
}
