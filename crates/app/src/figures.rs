//! The figures use cases: load a fund's dossiers once (compact facts, member,
//! region, condition), then compute the outcome comparison (docs/domain.md 7.5) and the
//! operational figures (docs/domain.md 6) for any filter.

use crate::export::{suppress, Cell, Table, SMALL};
use crate::handle::App;
use crate::{AppError, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use tnw_domain::event::{Condition, Region, Scheme};
use tnw_domain::figures::{self, CaseRecord, CaseSummary, Operations, Outcomes, Starts};
use tnw_domain::{CaseFacts, Date};
use tnw_storage::{AuditStore, Scans, WorkQueries};

pub use tnw_storage::CaseloadRow;

/// Which dossiers a figure counts: incapacity started in `from..=to`, and optionally
/// the latest category, the condition, the region and the scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureFilter {
    pub from: Date,
    pub to: Date,
    pub category: Option<u8>,
    pub condition: Option<Condition>,
    pub region: Option<Region>,
    /// Employees, the unemployed or the self-employed only.
    pub scheme: Option<Scheme>,
}

impl Default for FigureFilter {
    fn default() -> Self {
        FigureFilter {
            from: tnw_domain::date::MIN_DATE,
            to: tnw_domain::date::MAX_DATE,
            category: None,
            condition: None,
            region: None,
            scheme: None,
        }
    }
}

/// Every dossier of one fund (or all), ready for the figures. Holds no names: members
/// are numbers, so nothing here can name a person.
pub struct Population {
    /// The fund it is of (`None`: every fund, for the operator's command line).
    org: Option<String>,
    facts: Vec<CaseFacts>,
    persons: Vec<u32>,
    regions: Vec<Region>,
    conditions: Vec<Condition>,
    starts: Starts,
}

/// Loads the population of `org` (all funds when `None`).
pub fn load<S: Scans + ?Sized>(store: &mut S, org: Option<&str>) -> Result<Population> {
    let mut facts = Vec::new();
    let mut persons = Vec::new();
    let mut regions = Vec::new();
    let mut conditions = Vec::new();
    let mut ids: HashMap<(i64, String), u32> = HashMap::new();
    let mut failure = None;
    store
        .scan_figures(org, 65_536, &mut |rows| {
            let decoded: Vec<_> = rows
                .par_iter()
                .map(|r| CaseFacts::decode(&r.facts))
                .collect();
            for (r, f) in rows.into_iter().zip(decoded) {
                let (Ok(f), Some(region), Some(condition)) =
                    (f, Region::parse(&r.region), Condition::parse(&r.condition))
                else {
                    failure = Some(AppError::Corrupt(format!(
                        "a dossier in fund #{} has unreadable facts or summary",
                        r.fund
                    )));
                    return Err(tnw_storage::StorageError::Invalid("figures stopped".into()));
                };
                let next = ids.len() as u32;
                persons.push(*ids.entry((r.fund, r.person_id)).or_insert(next));
                facts.push(f);
                regions.push(region);
                conditions.push(condition);
            }
            Ok(())
        })
        .map_err(|e| failure.take().unwrap_or(AppError::Storage(e)))?;
    let records: Vec<CaseRecord<'_>> = facts
        .iter()
        .zip(&persons)
        .map(|(facts, &person)| CaseRecord { person, facts })
        .collect();
    let starts = Starts::new(&records);
    drop(records);
    Ok(Population {
        org: org.map(str::to_owned),
        facts,
        persons,
        regions,
        conditions,
        starts,
    })
}

impl Population {
    pub fn len(&self) -> usize {
        self.facts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    fn records(&self) -> Vec<CaseRecord<'_>> {
        self.facts
            .iter()
            .zip(&self.persons)
            .map(|(facts, &person)| CaseRecord { person, facts })
            .collect()
    }

    fn selector<'a>(&'a self, f: &'a FigureFilter) -> impl Fn(usize, &CaseSummary) -> bool + 'a {
        move |i, s| {
            f.category.is_none_or(|c| s.category == Some(c))
                && f.condition.is_none_or(|c| self.conditions[i] == c)
                && f.region.is_none_or(|r| self.regions[i] == r)
                && f.scheme.is_none_or(|x| s.scheme == x)
        }
    }

    /// Coached against not coached (docs/domain.md 7.5).
    pub fn outcomes(&self, f: &FigureFilter) -> Outcomes {
        let records = self.records();
        let select = self.selector(f);
        figures::outcomes(&records, &self.starts, f.from, f.to, &select)
    }

    /// The operational figures as of `today`.
    pub fn operations(&self, f: &FigureFilter, today: Date) -> Operations {
        let records = self.records();
        let select = self.selector(f);
        figures::operations(&records, &self.starts, f.from, f.to, today, &select)
    }

    /// The comparison and the operational figures for each scheme apart: the
    /// self-employed, on their own clock since 2023, are never mixed with employees.
    pub fn by_scheme(&self, f: &FigureFilter, today: Date) -> Vec<SchemeFigures> {
        let records = self.records();
        let select = self.selector(f);
        let (from, to) = (f.from, f.to);
        figures::by_scheme(&select, |one| {
            (
                figures::outcomes(&records, &self.starts, from, to, one),
                figures::operations(&records, &self.starts, from, to, today, one),
            )
        })
        .into_iter()
        .map(|(scheme, (outcomes, operations))| SchemeFigures {
            scheme,
            outcomes,
            operations,
        })
        .collect()
    }
}

/// One scheme's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemeFigures {
    pub scheme: Scheme,
    pub outcomes: Outcomes,
    pub operations: Operations,
}

/// The figures of each scheme as one table: dossiers, coached, returns and mean days
/// to return of both cohorts, days sooner, first contacts within a month. Labels come
/// from `label` (`scheme_employee` … for the rows); `aggregate_only` suppresses counts
/// of 1–4 and what derives from them.
pub fn scheme_table(
    rows: &[SchemeFigures],
    aggregate_only: bool,
    label: &dyn Fn(&str) -> String,
) -> Table {
    let mut t = Table {
        id: "schemes".into(),
        title: label("fig_by_scheme"),
        columns: [
            "fig_scheme",
            "fig_dossiers",
            "fig_coached_n",
            "fig_returned_coached",
            "fig_mean_days_coached",
            "fig_returned_not_coached",
            "fig_mean_days_not_coached",
            "fig_days_sooner",
            "fig_referrals",
            "fig_first_contact_month",
        ]
        .iter()
        .map(|k| label(k))
        .collect(),
        rows: rows
            .iter()
            .map(|r| {
                let o = OutcomesJson::from(&r.outcomes);
                let fc = r.operations.first_contacts;
                vec![
                    Cell::text(label(&format!("scheme_{}", r.scheme.as_str()))),
                    Cell::Count(o.coached.n + o.not_coached.n),
                    Cell::Count(o.coached.n),
                    Cell::Count(o.coached.returned),
                    Cell::number(o.coached.mean_days_to_return),
                    Cell::Count(o.not_coached.returned),
                    Cell::number(o.not_coached.mean_days_to_return),
                    Cell::number(o.days_sooner),
                    Cell::Count(fc.referrals),
                    Cell::number(round(fc.share, 4)),
                ]
            })
            .collect(),
    };
    if aggregate_only {
        suppress(&mut t, &[(4, 3), (6, 5), (7, 3), (7, 5), (9, 8)]);
    }
    t
}

fn round(x: Option<f64>, decimals: i32) -> Option<f64> {
    let k = 10f64.powi(decimals);
    x.map(|v| (v * k).round() / k)
}

/// One cohort as docs/domain.md 7.5 prints it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CohortJson {
    pub n: u64,
    pub returned: u64,
    pub mean_days_to_return: Option<f64>,
    pub relapse_rate: Option<f64>,
    pub part_time_returns: u64,
    pub full_resumption_rate: Option<f64>,
}

/// The docs/domain.md 7.5 document: days to one decimal, rates to four.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OutcomesJson {
    pub coached: CohortJson,
    pub not_coached: CohortJson,
    pub days_sooner: Option<f64>,
    pub relapse_reduction: Option<f64>,
    pub full_resumption_increase: Option<f64>,
}

impl From<&Outcomes> for OutcomesJson {
    fn from(o: &Outcomes) -> Self {
        let c = |c: &figures::Cohort| CohortJson {
            n: c.n,
            returned: c.returned,
            mean_days_to_return: round(c.mean_days_to_return, 1),
            relapse_rate: round(c.relapse_rate, 4),
            part_time_returns: c.part_time_returns,
            full_resumption_rate: round(c.full_resumption_rate, 4),
        };
        OutcomesJson {
            coached: c(&o.coached),
            not_coached: c(&o.not_coached),
            days_sooner: round(o.days_sooner, 1),
            relapse_reduction: round(o.relapse_reduction, 4),
            full_resumption_increase: round(o.full_resumption_increase, 4),
        }
    }
}

/// The figures as tables (for the page and the exports). `label` translates the
/// row and column keys; `aggregate_only` suppresses counts of 1–4 and what derives
/// from them (the analyst's view).
pub fn tables(
    o: &Outcomes,
    ops: &Operations,
    aggregate_only: bool,
    label: &dyn Fn(&str) -> String,
) -> Vec<Table> {
    let j = OutcomesJson::from(o);
    let cohort = |key: &str, c: &CohortJson| {
        vec![
            Cell::text(label(key)),
            Cell::Count(c.n),
            Cell::Count(c.returned),
            Cell::number(c.mean_days_to_return),
            Cell::rate(c.relapse_rate),
            Cell::Count(c.part_time_returns),
            Cell::rate(c.full_resumption_rate),
        ]
    };
    let mut outcomes = Table {
        id: "outcomes".into(),
        title: label("fig_outcomes"),
        columns: [
            "fig_cohort",
            "fig_dossiers",
            "fig_returned",
            "fig_mean_days",
            "fig_relapse_rate",
            "fig_part_time",
            "fig_full_rate",
        ]
        .iter()
        .map(|k| label(k))
        .collect(),
        rows: vec![
            cohort("fig_coached", &j.coached),
            cohort("fig_not_coached", &j.not_coached),
        ],
    };
    let comparison = Table {
        id: "comparison".into(),
        title: label("fig_comparison"),
        columns: vec![label("fig_measure"), label("fig_value")],
        rows: vec![
            vec![
                Cell::text(label("fig_days_sooner")),
                Cell::number(j.days_sooner),
            ],
            vec![
                Cell::text(label("fig_relapse_reduction")),
                Cell::rate(j.relapse_reduction),
            ],
            vec![
                Cell::text(label("fig_full_increase")),
                Cell::rate(j.full_resumption_increase),
            ],
        ],
    };
    let spread = |key: &str, s: &figures::Spread| {
        vec![
            Cell::text(label(key)),
            Cell::Count(s.n),
            s.median.map_or(Cell::Empty, |v| Cell::Number(v as f64)),
            s.p90.map_or(Cell::Empty, |v| Cell::Number(v as f64)),
        ]
    };
    let mut timing = Table {
        id: "timing".into(),
        title: label("fig_timing"),
        columns: ["fig_step", "fig_dossiers", "fig_median", "fig_p90"]
            .iter()
            .map(|k| label(k))
            .collect(),
        rows: vec![
            spread("fig_to_quick_scan", &ops.to_quick_scan),
            spread("fig_to_assessment", &ops.to_assessment),
            spread("fig_to_referral", &ops.to_referral),
            spread("fig_to_first_contact", &ops.to_first_contact),
        ],
    };
    let fc = ops.first_contacts;
    let mut rate_rows = vec![vec![
        Cell::text(label("fig_first_contact_month")),
        Cell::Count(fc.referrals),
        Cell::Count(fc.within_month),
        Cell::rate(round(fc.share, 4)),
    ]];
    for s in &ops.sustained {
        rate_rows.push(vec![
            Cell::text(format!("{} ({} m)", label("fig_sustained"), s.months)),
            Cell::Count(s.returns),
            Cell::Count(s.sustained),
            Cell::rate(round(s.rate, 4)),
        ]);
    }
    let mut rates = Table {
        id: "rates".into(),
        title: label("fig_rates"),
        columns: ["fig_measure", "fig_base", "fig_count", "fig_share"]
            .iter()
            .map(|k| label(k))
            .collect(),
        rows: rate_rows,
    };
    if aggregate_only {
        // The comparison hangs on both cohorts' returns.
        let small = |c: &CohortJson| c.returned < SMALL || c.part_time_returns < SMALL;
        let mut comparison = comparison;
        if small(&j.coached) || small(&j.not_coached) {
            for row in &mut comparison.rows {
                row[1] = Cell::Empty;
            }
        }
        // Means and rates hang on the count they are computed over.
        suppress(&mut outcomes, &[(3, 2), (4, 2), (6, 5)]);
        suppress(&mut timing, &[(2, 1), (3, 1)]);
        suppress(&mut rates, &[(3, 1)]);
        return vec![outcomes, comparison, timing, rates];
    }
    vec![outcomes, comparison, timing, rates]
}

/// Loads the population of `p`'s fund for its figures, if `p` may see them at all:
/// refused before anything is read.
pub fn load_for<S: Scans + ?Sized>(
    store: &mut S,
    p: &crate::access::Principal,
) -> std::result::Result<Population, crate::dossier::DossierError> {
    crate::access::figures_access(p)?;
    Ok(load(store, Some(&p.org))?)
}

/// The figures of a fund's population as `p` may see them, and how they may be shown
/// (`aggregate_only`: small counts suppressed, staff not named). The access decision is
/// taken here, with the figures, so that a page showing a cached population cannot
/// skip it: only the fund's own figure viewers get them.
pub fn fund_figures(
    pop: &Population,
    p: &crate::access::Principal,
    f: &FigureFilter,
    today: Date,
) -> std::result::Result<(Outcomes, Operations, crate::access::FigureAccess), crate::access::Refusal>
{
    let access = may_use(pop, p)?;
    Ok((pop.outcomes(f), pop.operations(f, today), access))
}

/// [`fund_figures`] for each scheme apart, under the same access decision.
pub fn fund_figures_by_scheme(
    pop: &Population,
    p: &crate::access::Principal,
    f: &FigureFilter,
    today: Date,
) -> std::result::Result<Vec<SchemeFigures>, crate::access::Refusal> {
    may_use(pop, p)?;
    Ok(pop.by_scheme(f, today))
}

/// Whether `p` may see figures of `pop` (a cached population is handed out only after
/// this), and how.
pub fn may_use(
    pop: &Population,
    p: &crate::access::Principal,
) -> std::result::Result<crate::access::FigureAccess, crate::access::Refusal> {
    let access = crate::access::figures_access(p)?;
    if pop.org.as_deref() != Some(p.org.as_str()) {
        return Err(crate::access::Refusal::OtherFund);
    }
    Ok(access)
}

/// The team's caseloads for the figures page (names are pseudonymised by the page for
/// aggregate-only viewers; the rows carry no dossier).
pub fn team_caseload<S: WorkQueries + ?Sized>(
    store: &mut S,
    p: &crate::access::Principal,
    today: Date,
) -> std::result::Result<Vec<tnw_storage::CaseloadRow>, crate::dossier::DossierError> {
    crate::access::figures_access(p)?;
    Ok(store.caseload(
        &p.org,
        crate::access::Role::Coordinator.worklist_actors(),
        today,
    )?)
}

/// Figures that leave the application: what the audit log says was taken.
#[derive(Debug, Clone, Copy)]
pub enum Export<'a> {
    /// The figures page's tables as `format` (csv, xlsx), `filter` its query string.
    Figures { format: &'a str, filter: &'a str },
    /// The survey report as `format`, of instrument version `instrument`.
    Survey {
        format: &'a str,
        instrument: &'a str,
    },
}

impl Export<'_> {
    fn what(&self) -> String {
        match self {
            Export::Figures { format, filter } => format!("figures.{format} {filter}"),
            Export::Survey { format, instrument } => format!("survey.{format} {instrument}"),
        }
    }
}

/// Figures that leave the application are logged in the fund's audit log.
pub fn audit_export<S: AuditStore + ?Sized>(
    store: &mut S,
    p: &crate::access::Principal,
    export: &Export<'_>,
) -> std::result::Result<(), crate::dossier::DossierError> {
    crate::access::figures_access(p)?;
    let e = crate::audit::entry(
        crate::audit::Actor::Person(p),
        crate::audit::Action::Export,
        export.what(),
        "figures",
    );
    store.append(&p.org, &[e])?;
    Ok(())
}

impl App {
    /// The population of `who`'s fund for the figures, from the cache or freshly loaded
    /// (at most every [`crate::FIGURES_CACHE`]); refused to those who may not see
    /// figures, before anything is read.
    pub fn population(
        &self,
        who: &crate::access::Principal,
    ) -> std::result::Result<Arc<Population>, crate::dossier::DossierError> {
        let org = who.org.as_str();
        let cached = {
            let cache = self
                .figures_cache()
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            cache
                .get(org)
                .filter(|(at, _)| at.elapsed() < crate::FIGURES_CACHE)
                .map(|(_, p)| p.clone())
        };
        if let Some(p) = cached {
            may_use(&p, who)?;
            return Ok(p);
        }
        let p = Arc::new(self.read(None, |st, _| load_for(st, who))?);
        let mut cache = self
            .figures_cache()
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        cache.insert(org.to_owned(), (std::time::Instant::now(), p.clone()));
        Ok(p)
    }

    /// The population of fund `org` (all funds when `None`), for the operator's
    /// command line.
    pub fn population_as_operator(
        &self,
        _op: &crate::access::Operator,
        org: Option<&str>,
    ) -> Result<Population> {
        self.primary(|st, _| load(st, org))
    }

    /// The team's caseloads for the figures page.
    pub fn team_caseload(
        &self,
        p: &crate::access::Principal,
        today: Date,
    ) -> std::result::Result<Vec<tnw_storage::CaseloadRow>, crate::dossier::DossierError> {
        self.read(Some(p), |st, _| team_caseload(st, p, today))
    }

    /// Records in the fund's audit log that `p` takes `export` out of the application.
    pub fn record_export(
        &self,
        p: &crate::access::Principal,
        export: &Export<'_>,
    ) -> std::result::Result<(), crate::dossier::DossierError> {
        self.primary_as(p, |st, _| audit_export(st, p, export))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{Principal, Refusal, Role};

    fn principal(org: &str, role: Role) -> Principal {
        Principal {
            username: "u".into(),
            org: org.into(),
            role,
            person_id: None,
            employer_id: None,
            party: None,
        }
    }

    fn population(org: Option<&str>) -> Population {
        Population {
            org: org.map(str::to_owned),
            facts: Vec::new(),
            persons: Vec::new(),
            regions: Vec::new(),
            conditions: Vec::new(),
            starts: Starts::new(&[]),
        }
    }

    /// A dossier of `scheme` started on `start`, coached or not, back after `back` days.
    fn facts(scheme: Scheme, start: &str, coached: bool, back: Option<i64>) -> CaseFacts {
        use tnw_domain::date::add_days;
        use tnw_domain::{EventType, Fact};
        let start = tnw_domain::date::parse_date(start).unwrap();
        let mut facts = vec![Fact {
            date: start,
            kind: EventType::CaseOpened,
            attr: 0,
        }];
        if coached {
            for (days, kind, attr) in [
                (1, EventType::ReferredToCoordinator, 0),
                (2, EventType::CoordinatorContact, 1),
            ] {
                facts.push(Fact {
                    date: add_days(start, days),
                    kind,
                    attr,
                });
            }
        }
        if let Some(days) = back {
            facts.push(Fact {
                date: add_days(start, days),
                kind: EventType::WorkResumed,
                attr: tnw_domain::event::Extent::FullTime.index(),
            });
        }
        CaseFacts {
            incapacity_start: start,
            scheme,
            has_employer: scheme == Scheme::Employee,
            facts,
        }
    }

    #[test]
    fn the_self_employed_are_reported_apart_and_can_be_filtered() {
        let mut pop = population(Some("fund-a"));
        let cases = [
            facts(Scheme::SelfEmployed, "2024-01-01", true, Some(40)),
            facts(Scheme::SelfEmployed, "2024-01-01", false, Some(90)),
            facts(Scheme::Employee, "2024-01-01", true, Some(100)),
            facts(Scheme::Employee, "2024-01-01", false, None),
            facts(Scheme::Employee, "2024-01-01", false, Some(150)),
        ];
        for (i, f) in cases.into_iter().enumerate() {
            pop.facts.push(f);
            pop.persons.push(i as u32);
            pop.regions.push(Region::Flanders);
            pop.conditions.push(Condition::Mental);
        }
        pop.starts = Starts::new(&pop.records());
        let today = tnw_domain::date::parse_date("2025-01-01").unwrap();
        let all = FigureFilter::default();
        let rows = pop.by_scheme(&all, today);
        assert_eq!(
            rows.iter().map(|r| r.scheme).collect::<Vec<_>>(),
            Scheme::ALL.to_vec()
        );
        let se = rows
            .iter()
            .find(|r| r.scheme == Scheme::SelfEmployed)
            .unwrap();
        assert_eq!((se.outcomes.coached.n, se.outcomes.not_coached.n), (1, 1));
        assert_eq!(se.outcomes.days_sooner, Some(50.0));
        let only = FigureFilter {
            scheme: Some(Scheme::SelfEmployed),
            ..FigureFilter::default()
        };
        assert_eq!(pop.outcomes(&only), se.outcomes);
        assert_eq!(pop.operations(&only, today).dossiers, 2);
        // The table names the schemes in words and hides small counts from analysts.
        let label = |k: &str| format!("<{k}>");
        let t = scheme_table(&rows, false, &label);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[2][0], Cell::text("<scheme_self_employed>"));
        assert_eq!(t.rows[2][1], Cell::Count(2));
        let t = scheme_table(&rows, true, &label);
        assert_eq!(t.rows[2][1], Cell::Small);
        assert_eq!(t.rows[2][4], Cell::Empty, "a mean over one return");
        let p = principal("fund-a", Role::Coordinator);
        assert!(fund_figures_by_scheme(&pop, &p, &all, today).is_ok());
        let other = principal("fund-b", Role::Coordinator);
        assert_eq!(
            fund_figures_by_scheme(&pop, &other, &all, today).map(|_| ()),
            Err(Refusal::OtherFund)
        );
    }

    #[test]
    fn figures_go_to_the_funds_own_figure_viewers_only() {
        let pop = population(Some("fund-a"));
        let f = FigureFilter::default();
        let today = tnw_domain::date::parse_date("2026-11-22").unwrap();
        let seen = |org: &str, role| {
            fund_figures(&pop, &principal(org, role), &f, today).map(|(_, _, a)| a.aggregate_only)
        };
        assert_eq!(seen("fund-a", Role::Coordinator), Ok(false));
        assert_eq!(seen("fund-a", Role::Admin), Ok(false));
        assert_eq!(seen("fund-a", Role::Analyst), Ok(true), "pseudonymised");
        for role in [Role::Member, Role::Employer, Role::EmploymentService] {
            assert!(seen("fund-a", role).is_err(), "{role:?} sees no figures");
        }
        assert_eq!(seen("fund-b", Role::Coordinator), Err(Refusal::OtherFund));
        // The operator's all-funds population is for the command line, not a session.
        let all = population(None);
        assert_eq!(
            fund_figures(&all, &principal("fund-a", Role::Admin), &f, today).map(|_| ()),
            Err(Refusal::OtherFund)
        );
    }
}
