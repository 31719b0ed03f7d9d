//! `tnw report`: the figures, coached against not coached, and the operational ones.

use anyhow::{anyhow, bail, Result};
use clap::{Args, Subcommand};
use std::io::Write;
use std::process::ExitCode;
use tnw_domain::Date;

use crate::context::Context;
use crate::dates::{date_arg, today};
use crate::output::out_err;
use tnw_app::access::Operator;

#[derive(Subcommand)]
pub enum ReportWhat {
    /// Coached against not coached: days sooner, relapse reduction, full resumption.
    Outcomes(ReportArgs),
    /// Time to each step, first contacts within a month, sustained return.
    Operations(ReportArgs),
}

#[derive(Args)]
pub struct ReportArgs {
    /// Dossiers whose incapacity started on or after this date.
    #[arg(long, value_parser = date_arg)]
    from: Option<Date>,
    /// … and on or before this date.
    #[arg(long, value_parser = date_arg)]
    to: Option<Date>,
    /// One fund (all funds when absent).
    #[arg(long, env = "TNW_ORG")]
    org: Option<String>,
    /// Only dossiers whose latest category is this one (1–4).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    category: Option<u8>,
    /// Only this condition (mental, musculoskeletal, injury, cancer, nervous, other).
    #[arg(long)]
    condition: Option<String>,
    /// Only this region (flanders, wallonia, brussels, german, abroad).
    #[arg(long)]
    region: Option<String>,
    /// Only this scheme (employee, unemployed, self_employed): the self-employed have
    /// their own clock since 2023 and are best read apart.
    #[arg(long)]
    scheme: Option<String>,
    /// The day the operational figures are judged on (default: today).
    #[arg(long, value_parser = date_arg)]
    as_of: Option<Date>,
    /// Print the JSON document instead of a table.
    #[arg(long)]
    json: bool,
}

fn figure_filter(a: &ReportArgs) -> Result<tnw_app::figures::FigureFilter> {
    use tnw_domain::event::{Condition, Region, Scheme};
    let mut f = tnw_app::figures::FigureFilter {
        category: a.category,
        ..Default::default()
    };
    if let Some(d) = a.from {
        f.from = d;
    }
    if let Some(d) = a.to {
        f.to = d;
    }
    if f.from > f.to {
        bail!("--from {} is after --to {}", f.from, f.to);
    }
    if let Some(c) = &a.condition {
        f.condition = Some(Condition::parse(c).ok_or_else(|| {
            anyhow!("--condition: `{c}` is not one of {}", Condition::expected())
        })?);
    }
    if let Some(r) = &a.region {
        f.region = Some(
            Region::parse(r)
                .ok_or_else(|| anyhow!("--region: `{r}` is not one of {}", Region::expected()))?,
        );
    }
    if let Some(x) = &a.scheme {
        f.scheme = Some(
            Scheme::parse(x)
                .ok_or_else(|| anyhow!("--scheme: `{x}` is not one of {}", Scheme::expected()))?,
        );
    }
    Ok(f)
}

pub fn run(ctx: &Context, what: ReportWhat) -> Result<ExitCode> {
    let (args, outcomes) = match &what {
        ReportWhat::Outcomes(a) => (a, true),
        ReportWhat::Operations(a) => (a, false),
    };
    let filter = figure_filter(args)?;
    let population = ctx
        .app()?
        .population_as_operator(&Operator::from_env(), args.org.as_deref())?;
    let mut out = std::io::stdout().lock();
    if outcomes {
        let o = population.outcomes(&filter);
        let doc = tnw_app::figures::OutcomesJson::from(&o);
        if args.json {
            writeln!(out, "{}", serde_json::to_string(&doc)?).map_err(out_err)?;
        } else {
            let num = |x: Option<f64>| x.map(|v| format!("{v}")).unwrap_or_else(|| "–".into());
            writeln!(out, "{:<22} {:>12} {:>12}", "", "coached", "not coached").map_err(out_err)?;
            for (name, a, b) in [
                (
                    "dossiers",
                    doc.coached.n.to_string(),
                    doc.not_coached.n.to_string(),
                ),
                (
                    "returned",
                    doc.coached.returned.to_string(),
                    doc.not_coached.returned.to_string(),
                ),
                (
                    "mean days to return",
                    num(doc.coached.mean_days_to_return),
                    num(doc.not_coached.mean_days_to_return),
                ),
                (
                    "relapse rate",
                    num(doc.coached.relapse_rate),
                    num(doc.not_coached.relapse_rate),
                ),
                (
                    "part-time returns",
                    doc.coached.part_time_returns.to_string(),
                    doc.not_coached.part_time_returns.to_string(),
                ),
                (
                    "full resumption rate",
                    num(doc.coached.full_resumption_rate),
                    num(doc.not_coached.full_resumption_rate),
                ),
            ] {
                writeln!(out, "{name:<22} {a:>12} {b:>12}").map_err(out_err)?;
            }
            writeln!(
                out,
                "days sooner {}, relapse reduction {}, full-resumption increase {}",
                num(doc.days_sooner),
                num(doc.relapse_reduction),
                num(doc.full_resumption_increase)
            )
            .map_err(out_err)?;
        }
    } else {
        let ops = population.operations(&filter, args.as_of.unwrap_or_else(today));
        if args.json {
            writeln!(out, "{}", serde_json::to_string(&ops)?).map_err(out_err)?;
        } else {
            writeln!(out, "dossiers {} (coached {})", ops.dossiers, ops.coached)
                .map_err(out_err)?;
            for (name, s) in [
                ("days to quick scan", ops.to_quick_scan),
                ("days to assessment", ops.to_assessment),
                ("days to referral", ops.to_referral),
                ("days to first contact", ops.to_first_contact),
            ] {
                let v = |x: Option<i64>| x.map(|v| v.to_string()).unwrap_or_else(|| "–".into());
                writeln!(
                    out,
                    "{name:<22} n {:>8}  median {:>5}  p90 {:>5}",
                    s.n,
                    v(s.median),
                    v(s.p90)
                )
                .map_err(out_err)?;
            }
            let fc = ops.first_contacts;
            writeln!(
                out,
                "first contacts within a month: {} of {}",
                fc.within_month, fc.referrals
            )
            .map_err(out_err)?;
            for s in &ops.sustained {
                writeln!(
                    out,
                    "sustained return at {:>2} months: {} of {}",
                    s.months, s.sustained, s.returns
                )
                .map_err(out_err)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
