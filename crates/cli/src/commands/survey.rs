//! `tnw survey`: the experience survey's responses and its report.

use anyhow::{anyhow, bail, Context as _, Result};
use clap::Subcommand;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::context::Context;
use crate::output::write_out;
use tnw_app::access::Operator;

#[derive(Subcommand)]
pub enum SurveyCommand {
    /// Import a CSV file of responses (header of question codes, one row per
    /// respondent). All or nothing: a file with a bad row stores nothing and every bad
    /// row is listed. Re-importing is safe: the same answers change nothing, changed
    /// answers replace the respondent's earlier ones. `-` reads standard input.
    Import {
        file: PathBuf,
        /// The fund the responses belong to.
        #[arg(long, env = "TNW_ORG", default_value = "default")]
        org: String,
    },
    /// The frequency report: every question and option with n, base and percent.
    Report {
        #[arg(long, value_enum, default_value = "csv")]
        format: SurveyFormat,
        #[arg(long, env = "TNW_ORG", default_value = "default")]
        org: String,
        /// Output file (default: standard output; XLSX needs a file or a pipe).
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Language of the HTML page's texts: nl, fr, de, en.
        #[arg(long, default_value = "en")]
        lang: String,
        /// The analyst's view: counts of 1–4 as `<5`, percentages over them left out.
        #[arg(long)]
        aggregate_only: bool,
    },
    /// Write synthetic responses shaped like the CM study of November 2023 (the
    /// 5,100 respondents of docs/survey.md, or the first N of them).
    Sample {
        #[arg(long, default_value_t = tnw_survey::study::RESPONDENTS)]
        respondents: usize,
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum SurveyFormat {
    Csv,
    Xlsx,
    Html,
}

pub fn run(ctx: &Context, what: SurveyCommand) -> Result<ExitCode> {
    match what {
        SurveyCommand::Import { file, org } => {
            let data = if file.as_os_str() == "-" {
                let mut buf = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf)?;
                buf
            } else {
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?
            };
            let app = ctx.app()?;
            match app.import_survey(&Operator::from_env(), &org, &data) {
                Ok(done) => {
                    let c = done.counts;
                    println!(
                        "{} respondents: {} new, {} updated, {} unchanged (fund {org})",
                        done.respondents, c.new, c.updated, c.unchanged
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(tnw_app::survey::SurveyError::Import(e)) => {
                    use tnw_app::survey::ImportError;
                    match &e {
                        ImportError::Rows(rows) => {
                            for r in rows {
                                eprintln!("{}: {r}", file.display());
                            }
                            eprintln!(
                                "nothing imported: {} error(s) in {}; fix them and import the file again",
                                rows.len(),
                                file.display()
                            );
                        }
                        other => eprintln!("{}: {other}; nothing imported", file.display()),
                    }
                    Ok(ExitCode::FAILURE)
                }
                Err(e) => Err(e.into()),
            }
        }
        SurveyCommand::Report {
            format,
            org,
            out,
            lang,
            aggregate_only,
        } => {
            let report = ctx
                .app()?
                .survey_report_as_operator(&Operator::from_env(), &org)?;
            let bytes = match format {
                SurveyFormat::Csv => tnw_app::survey::to_csv(&report, aggregate_only).into_bytes(),
                SurveyFormat::Xlsx => {
                    if out.is_none() && std::io::stdout().is_terminal() {
                        bail!("XLSX is binary: give --out FILE or redirect standard output");
                    }
                    let t = tnw_app::survey::table(&report, aggregate_only, "Experience survey");
                    tnw_app::export::to_xlsx(&[t])?
                }
                SurveyFormat::Html => {
                    tnw_web::survey::standalone_html(&report, &lang, aggregate_only)?.into_bytes()
                }
            };
            write_out(out.as_deref(), &bytes)
        }
        SurveyCommand::Sample { respondents, out } => {
            let i = tnw_app::survey::instrument()?;
            let all = tnw_survey::study::respondents(i).map_err(|e| anyhow!(e))?;
            let take = respondents.min(all.len());
            let csv = tnw_survey::responses::to_csv(i, &all[..take]);
            write_out(out.as_deref(), csv.as_bytes())
        }
    }
}
