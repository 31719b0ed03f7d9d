//! The figures the funds care about (docs/domain.md 6, 7.5): coached against not coached
//! (days sooner, relapse reduction, full-resumption increase) and the operational
//! figures (time to each step, first contacts within a month, sustained return).
//! Pure functions over the compact facts of each dossier.

use crate::date::{add_days, add_months, Date};
use crate::event::{EventType, Extent, Scheme};
use crate::facts::CaseFacts;
use serde::Serialize;

/// One dossier as the figures see it. `person` identifies the member within the
/// population handed over (interned by the caller: a relapse is a new dossier of the
/// same person).
#[derive(Debug, Clone, Copy)]
pub struct CaseRecord<'a> {
    pub person: u32,
    pub facts: &'a CaseFacts,
}

/// Days after a return within which a new incapacity of the same person is a relapse.
pub const RELAPSE_WINDOW_DAYS: i64 = 365;

/// What one dossier contributes, read once from its facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseSummary {
    pub start: Date,
    /// Employees, the unemployed and the self-employed are reported apart: the
    /// self-employed have their own clock since 2023.
    pub scheme: Scheme,
    /// At least one `coordinator_contact`.
    pub coached: bool,
    /// The first `work_resumed`: date and whether it was part-time.
    pub first_return: Option<(Date, bool)>,
    /// The first return was part-time and a later one full-time.
    pub full_after_part: bool,
    pub quick_scan: Option<Date>,
    pub assessment: Option<Date>,
    pub referral: Option<Date>,
    /// The first contact on or after the first referral.
    pub first_contact: Option<Date>,
    /// The latest category assigned.
    pub category: Option<u8>,
}

pub fn summarise(f: &CaseFacts) -> CaseSummary {
    let mut s = CaseSummary {
        start: f.incapacity_start,
        scheme: f.scheme,
        coached: false,
        first_return: None,
        full_after_part: false,
        quick_scan: None,
        assessment: None,
        referral: None,
        first_contact: None,
        category: None,
    };
    let full_time = Extent::FullTime.index();
    for fact in &f.facts {
        match fact.kind {
            EventType::CoordinatorContact => {
                s.coached = true;
                if s.first_contact.is_none() && s.referral.is_some_and(|r| fact.date >= r) {
                    s.first_contact = Some(fact.date);
                }
            }
            EventType::WorkResumed => match s.first_return {
                None => s.first_return = Some((fact.date, fact.attr != full_time)),
                Some((_, true)) if fact.attr == full_time => s.full_after_part = true,
                Some(_) => {}
            },
            EventType::QuickScanSent => {
                s.quick_scan.get_or_insert(fact.date);
            }
            EventType::CapacityAssessed => {
                s.assessment.get_or_insert(fact.date);
                s.category = Some(fact.attr);
            }
            EventType::ReferredToCoordinator => {
                s.referral.get_or_insert(fact.date);
            }
            _ => {}
        }
    }
    s
}

/// A figure computed for each scheme apart: `figure` is called with `select`
/// narrowed to one scheme at a time, in the order of [`Scheme::ALL`].
pub fn by_scheme<T>(
    select: &dyn Fn(usize, &CaseSummary) -> bool,
    figure: impl Fn(&dyn Fn(usize, &CaseSummary) -> bool) -> T,
) -> Vec<(Scheme, T)> {
    Scheme::ALL
        .iter()
        .map(|&scheme| {
            let one = |i: usize, s: &CaseSummary| s.scheme == scheme && select(i, s);
            (scheme, figure(&one))
        })
        .collect()
}

/// Every dossier's start per person, sorted: "did this person open a new incapacity
/// within N days after D?" in logarithmic time.
pub struct Starts(Vec<(u32, Date)>);

impl Starts {
    pub fn new(cases: &[CaseRecord<'_>]) -> Starts {
        let mut v: Vec<(u32, Date)> = cases
            .iter()
            .map(|c| (c.person, c.facts.incapacity_start))
            .collect();
        v.sort_unstable();
        Starts(v)
    }

    /// A new incapacity of `person` starting in `(after, after + days]`.
    pub fn new_incapacity(&self, person: u32, after: Date, days: i64) -> bool {
        let i = self.0.partition_point(|&(p, d)| (p, d) <= (person, after));
        self.0
            .get(i)
            .is_some_and(|&(p, d)| p == person && d <= add_days(after, days))
    }
}

/// One cohort of docs/domain.md 7.5.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Cohort {
    pub n: u64,
    pub returned: u64,
    pub mean_days_to_return: Option<f64>,
    pub relapse_rate: Option<f64>,
    pub part_time_returns: u64,
    pub full_resumption_rate: Option<f64>,
    #[serde(skip)]
    pub relapses: u64,
    #[serde(skip)]
    pub full_resumptions: u64,
    #[serde(skip)]
    pub days_total: i64,
}

/// Coached against not coached (docs/domain.md 7.5).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Outcomes {
    pub coached: Cohort,
    pub not_coached: Cohort,
    /// Not-coached mean days to return − coached mean.
    pub days_sooner: Option<f64>,
    /// 1 − coached relapse rate / not-coached relapse rate.
    pub relapse_reduction: Option<f64>,
    /// Coached full-resumption rate / not-coached rate − 1.
    pub full_resumption_increase: Option<f64>,
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

impl Cohort {
    fn add(&mut self, s: &CaseSummary, relapsed: bool) {
        self.n += 1;
        if let Some((date, part_time)) = s.first_return {
            self.returned += 1;
            self.days_total += (date - s.start).num_days();
            self.relapses += u64::from(relapsed);
            if part_time {
                self.part_time_returns += 1;
                self.full_resumptions += u64::from(s.full_after_part);
            }
        }
    }

    fn finish(&mut self) {
        self.mean_days_to_return =
            (self.returned > 0).then(|| self.days_total as f64 / self.returned as f64);
        self.relapse_rate = ratio(self.relapses, self.returned);
        self.full_resumption_rate = ratio(self.full_resumptions, self.part_time_returns);
    }
}

/// The comparison over the dossiers whose incapacity started in `from..=to` and that
/// `select` keeps (fund, category, condition, region filters); relapses are looked up
/// among all of `cases`, whatever the filters.
pub fn outcomes(
    cases: &[CaseRecord<'_>],
    starts: &Starts,
    from: Date,
    to: Date,
    select: &dyn Fn(usize, &CaseSummary) -> bool,
) -> Outcomes {
    let mut coached = Cohort::default();
    let mut not_coached = Cohort::default();
    for (i, c) in cases.iter().enumerate() {
        let start = c.facts.incapacity_start;
        if start < from || start > to {
            continue;
        }
        let s = summarise(c.facts);
        if !select(i, &s) {
            continue;
        }
        let relapsed = s
            .first_return
            .is_some_and(|(d, _)| starts.new_incapacity(c.person, d, RELAPSE_WINDOW_DAYS));
        if s.coached {
            coached.add(&s, relapsed);
        } else {
            not_coached.add(&s, relapsed);
        }
    }
    coached.finish();
    not_coached.finish();
    let both = |a: Option<f64>, b: Option<f64>| a.zip(b);
    Outcomes {
        days_sooner: both(not_coached.mean_days_to_return, coached.mean_days_to_return)
            .map(|(n, c)| n - c),
        relapse_reduction: both(coached.relapse_rate, not_coached.relapse_rate)
            .filter(|(_, n)| *n > 0.0)
            .map(|(c, n)| 1.0 - c / n),
        full_resumption_increase: both(
            coached.full_resumption_rate,
            not_coached.full_resumption_rate,
        )
        .filter(|(_, n)| *n > 0.0)
        .map(|(c, n)| c / n - 1.0),
        coached,
        not_coached,
    }
}

/// Median and 90th percentile (nearest rank) of a number of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Spread {
    pub n: u64,
    pub median: Option<i64>,
    pub p90: Option<i64>,
}

/// Nearest-rank percentile `p` (1–100) of sorted values: the smallest value with at
/// least p% of the values at or below it.
pub fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len() as u64;
    let rank = (u64::from(p) * n).div_ceil(100).max(1);
    sorted.get(rank as usize - 1).copied()
}

fn spread(mut v: Vec<i64>) -> Spread {
    v.sort_unstable();
    Spread {
        n: v.len() as u64,
        median: percentile(&v, 50),
        p90: percentile(&v, 90),
    }
}

/// Returns still at work (no new incapacity) some months later.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Sustained {
    pub months: i32,
    /// Returns at least `months` before the day of the report (the others cannot be
    /// judged yet).
    pub returns: u64,
    pub sustained: u64,
    pub rate: Option<f64>,
}

/// Share of first contacts within one month of the referral.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FirstContacts {
    /// Referrals whose outcome is known: contacted, or the month has passed.
    pub referrals: u64,
    pub within_month: u64,
    pub share: Option<f64>,
}

/// The operational figures of docs/domain.md 6 over one selection of dossiers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operations {
    pub dossiers: u64,
    pub coached: u64,
    /// Days from the start of the incapacity to each first step.
    pub to_quick_scan: Spread,
    pub to_assessment: Spread,
    pub to_referral: Spread,
    pub to_first_contact: Spread,
    pub first_contacts: FirstContacts,
    pub sustained: Vec<Sustained>,
}

/// Operational figures as of `today` over the dossiers that started in `from..=to`
/// and that `select` keeps.
pub fn operations(
    cases: &[CaseRecord<'_>],
    starts: &Starts,
    from: Date,
    to: Date,
    today: Date,
    select: &dyn Fn(usize, &CaseSummary) -> bool,
) -> Operations {
    const MONTHS: [i32; 3] = [3, 6, 12];
    let (mut qs, mut assess, mut referral, mut contact) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut dossiers = 0;
    let mut coached = 0;
    let mut fc = FirstContacts {
        referrals: 0,
        within_month: 0,
        share: None,
    };
    let mut sustained: Vec<Sustained> = MONTHS
        .iter()
        .map(|&months| Sustained {
            months,
            returns: 0,
            sustained: 0,
            rate: None,
        })
        .collect();
    for (i, c) in cases.iter().enumerate() {
        let start = c.facts.incapacity_start;
        if start < from || start > to {
            continue;
        }
        let s = summarise(c.facts);
        if !select(i, &s) {
            continue;
        }
        dossiers += 1;
        coached += u64::from(s.coached);
        let days = |d: Option<Date>| d.filter(|d| *d <= today).map(|d| (d - start).num_days());
        qs.extend(days(s.quick_scan));
        assess.extend(days(s.assessment));
        referral.extend(days(s.referral));
        contact.extend(days(s.first_contact));
        if let Some(r) = s.referral.filter(|r| *r <= today) {
            let deadline = add_months(r, 1);
            match s.first_contact.filter(|d| *d <= today) {
                Some(d) => {
                    fc.referrals += 1;
                    fc.within_month += u64::from(d <= deadline);
                }
                None if deadline < today => fc.referrals += 1,
                None => {}
            }
        }
        if let Some((back, _)) = s.first_return {
            for x in sustained.iter_mut() {
                let until = add_months(back, x.months);
                if until <= today {
                    x.returns += 1;
                    let days = (until - back).num_days();
                    x.sustained += u64::from(!starts.new_incapacity(c.person, back, days));
                }
            }
        }
    }
    fc.share = ratio(fc.within_month, fc.referrals);
    for x in sustained.iter_mut() {
        x.rate = ratio(x.sustained, x.returns);
    }
    Operations {
        dossiers,
        coached,
        to_quick_scan: spread(qs),
        to_assessment: spread(assess),
        to_referral: spread(referral),
        to_first_contact: spread(contact),
        first_contacts: fc,
        sustained,
    }
}
