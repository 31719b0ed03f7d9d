//! The events of one dossier and how they are written: straight into a byte buffer,
//! with a precomputed table of formatted dates, no `serde_json::Value` per line.

use crate::names::{Employer, GOALS};
use crate::Person;
use chrono::{Datelike, NaiveDate};

/// A consent: the role it is given to and its scope.
pub(crate) type Consent = (&'static str, &'static str);

/// One event of a dossier; the dates of the case live in [`Ev`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Opened,
    QsSent,
    QsReminder,
    QsReturned {
        health: u8,
        expected: &'static str,
        support: bool,
    },
    Assessed(u8),
    PreReturnVisit,
    CodexRequested(&'static str),
    CodexDecision(u8),
    Plan(&'static str),
    ConsentGiven(Consent),
    Referred(&'static str),
    Contact {
        mode: &'static str,
        first: bool,
    },
    ActionPlan {
        lang: u8,
        goal: u8,
        goals: u8,
        follow_up: i32,
    },
    PartnerReferral(&'static str),
    SpStarted {
        service: &'static str,
        activity: &'static str,
    },
    SpSuspended,
    SpResumed,
    SpEnded,
    Authorised(u8),
    /// `percent` 100 is a full-time resumption.
    WorkResumed {
        percent: u8,
        same_employer: bool,
        same_job: bool,
        adaptations: bool,
    },
    Ended,
    CoachingStopped(&'static str),
    ConsentWithdrawn(Consent),
}

impl Kind {
    /// The order of events of different types on one day. The importer applies
    /// same-day events in file order, so this order must be a valid one: the
    /// prerequisites of a type rank before it, and `incapacity_ended` ranks after
    /// everything that is not allowed after it (only the types allowed after the end,
    /// and the withdrawal of a consent given that day, rank after it).
    pub(crate) fn rank(&self) -> u8 {
        match self {
            Kind::Opened => 0,
            Kind::QsSent => 1,
            Kind::QsReminder => 2,
            Kind::QsReturned { .. } => 3,
            Kind::Assessed(_) => 4,
            Kind::PreReturnVisit => 5,
            Kind::CodexRequested(_) => 6,
            Kind::CodexDecision(_) => 7,
            Kind::Plan(_) => 8,
            Kind::ConsentGiven(_) => 9,
            Kind::Referred(_) => 10,
            Kind::Contact { .. } => 11,
            Kind::ActionPlan { .. } => 12,
            Kind::PartnerReferral(_) => 13,
            Kind::SpStarted { .. } => 14,
            Kind::SpSuspended => 15,
            Kind::SpResumed => 16,
            Kind::SpEnded => 17,
            Kind::Authorised(_) => 18,
            Kind::WorkResumed { .. } => 19,
            Kind::Ended => 20,
            Kind::CoachingStopped(_) => 21,
            Kind::ConsentWithdrawn(_) => 22,
        }
    }
}

/// A dated event; `day` counts days from the common era (chrono's
/// `num_days_from_ce`), so date arithmetic is integer arithmetic.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ev {
    pub day: i32,
    pub kind: Kind,
}

/// Formatted `YYYY-MM-DD` for every day from `base` on (birth dates to the snapshot),
/// so that writing a date is a copy.
pub(crate) struct Dates {
    base: i32,
    table: Vec<[u8; 10]>,
}

impl Dates {
    pub(crate) fn new(from: i32, to: i32) -> Dates {
        let table = (from..=to).map(format_day).collect();
        Dates { base: from, table }
    }

    fn get(&self, day: i32) -> [u8; 10] {
        usize::try_from(day - self.base)
            .ok()
            .and_then(|i| self.table.get(i).copied())
            .unwrap_or_else(|| format_day(day))
    }
}

fn format_day(day: i32) -> [u8; 10] {
    let d = NaiveDate::from_num_days_from_ce_opt(day).unwrap_or_default();
    let mut out = *b"0000-00-00";
    let y = d.year().clamp(0, 9999) as u32;
    out[0] = b'0' + (y / 1000) as u8;
    out[1] = b'0' + (y / 100 % 10) as u8;
    out[2] = b'0' + (y / 10 % 10) as u8;
    out[3] = b'0' + (y % 10) as u8;
    out[5] = b'0' + (d.month() / 10) as u8;
    out[6] = b'0' + (d.month() % 10) as u8;
    out[8] = b'0' + (d.day() / 10) as u8;
    out[9] = b'0' + (d.day() % 10) as u8;
    out
}

/// Appends `n` in decimal, left-padded with zeros to `width` digits.
pub(crate) fn push_num(buf: &mut Vec<u8>, n: u64, width: usize) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    let mut v = n;
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for _ in (tmp.len() - i)..width {
        buf.push(b'0');
    }
    buf.extend_from_slice(&tmp[i..]);
}

fn push_bool(buf: &mut Vec<u8>, b: bool) {
    buf.extend_from_slice(if b { b"true" } else { b"false" });
}

/// Writes the lines of dossiers into a byte buffer.
pub(crate) struct LineWriter {
    pub buf: Vec<u8>,
    /// `{"case":"` + the JSON-escaped prefix, ready to copy.
    head: Vec<u8>,
    dates: Dates,
    employers: Vec<Employer>,
}

impl LineWriter {
    pub(crate) fn new(prefix: &str, dates: Dates, employers: Vec<Employer>) -> LineWriter {
        let mut head = b"{\"case\":".to_vec();
        // The prefix comes from the caller: escape it like any JSON string.
        let quoted = serde_json::to_string(prefix).unwrap_or_else(|_| "\"\"".into());
        head.extend_from_slice(&quoted.as_bytes()[..quoted.len() - 1]);
        LineWriter {
            buf: Vec::with_capacity(1 << 17),
            head,
            dates,
            employers,
        }
    }

    fn date(&mut self, day: i32) {
        let d = self.dates.get(day);
        self.buf.extend_from_slice(&d);
    }

    fn str_field(&mut self, name: &str, value: &str) {
        self.buf.extend_from_slice(b",\"");
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.extend_from_slice(b"\":\"");
        self.buf.extend_from_slice(value.as_bytes());
        self.buf.push(b'"');
    }

    /// Writes one line: `{"case":…,"type":…,"date":…,fields}\n`.
    pub(crate) fn line(&mut self, case: u64, ev: &Ev, person: &Person, start: i32) {
        let b = &mut self.buf;
        b.extend_from_slice(&self.head);
        push_num(b, case, 7);
        b.extend_from_slice(b"\",\"type\":\"");
        b.extend_from_slice(type_name(&ev.kind).as_bytes());
        b.extend_from_slice(b"\",\"date\":\"");
        self.date(ev.day);
        self.buf.push(b'"');
        match ev.kind {
            Kind::Opened => self.opened(person, start),
            Kind::QsSent
            | Kind::QsReminder
            | Kind::PreReturnVisit
            | Kind::SpSuspended
            | Kind::SpResumed
            | Kind::SpEnded
            | Kind::Ended => {}
            Kind::QsReturned {
                health,
                expected,
                support,
            } => {
                // A replaceable quick-scan form (docs/domain.md 5): own view of health
                // (1 very bad – 5 very good), expected return, wish for support.
                self.buf.extend_from_slice(b",\"answers\":{\"health\":");
                push_num(&mut self.buf, u64::from(health), 1);
                self.str_field("expected_return", expected);
                self.buf.extend_from_slice(b",\"wants_support\":");
                push_bool(&mut self.buf, support);
                self.buf.push(b'}');
            }
            Kind::Assessed(c) => {
                self.buf.extend_from_slice(b",\"category\":");
                push_num(&mut self.buf, u64::from(c), 1);
            }
            Kind::CodexRequested(by) => self.str_field("by", by),
            Kind::CodexDecision(d) => {
                self.buf.extend_from_slice(b",\"decision\":\"");
                self.buf.push(d);
                self.buf.push(b'"');
            }
            Kind::Plan(s) => self.str_field("status", s),
            Kind::ConsentGiven((to, scope)) | Kind::ConsentWithdrawn((to, scope)) => {
                self.str_field("to", to);
                self.str_field("scope", scope);
            }
            Kind::Referred(i) => self.str_field("initiative", i),
            Kind::Contact { mode, first } => {
                self.str_field("mode", mode);
                self.buf.extend_from_slice(b",\"first\":");
                push_bool(&mut self.buf, first);
            }
            Kind::ActionPlan {
                lang,
                goal,
                goals,
                follow_up,
            } => {
                let list = GOALS[usize::from(lang).min(2)];
                self.buf.extend_from_slice(b",\"goals\":[");
                for k in 0..usize::from(goals) {
                    if k > 0 {
                        self.buf.push(b',');
                    }
                    self.buf.push(b'"');
                    let g = list[(usize::from(goal) + k) % list.len()];
                    self.buf.extend_from_slice(g.as_bytes());
                    self.buf.push(b'"');
                }
                self.buf.extend_from_slice(b"],\"follow_up\":\"");
                self.date(follow_up);
                self.buf.push(b'"');
            }
            Kind::PartnerReferral(to) => self.str_field("to", to),
            Kind::SpStarted { service, activity } => {
                self.str_field("service", service);
                self.str_field("activity", activity);
            }
            Kind::Authorised(p) => {
                self.buf.extend_from_slice(b",\"percent\":");
                push_num(&mut self.buf, u64::from(p), 1);
            }
            Kind::WorkResumed {
                percent,
                same_employer,
                same_job,
                adaptations,
            } => {
                if percent >= 100 {
                    self.str_field("extent", "full_time");
                } else {
                    self.str_field("extent", "part_time");
                    self.buf.extend_from_slice(b",\"percent\":");
                    push_num(&mut self.buf, u64::from(percent), 1);
                }
                self.buf.extend_from_slice(b",\"same_employer\":");
                push_bool(&mut self.buf, same_employer);
                self.buf.extend_from_slice(b",\"same_job\":");
                push_bool(&mut self.buf, same_job);
                self.buf.extend_from_slice(b",\"adaptations\":");
                push_bool(&mut self.buf, adaptations);
            }
            Kind::CoachingStopped(r) => self.str_field("reason", r),
        }
        self.buf.extend_from_slice(b"}\n");
    }

    fn opened(&mut self, p: &Person, start: i32) {
        self.buf.extend_from_slice(b",\"person\":{\"id\":\"P");
        push_num(&mut self.buf, p.id, 7);
        self.buf.extend_from_slice(b"\",\"name\":\"");
        self.buf.extend_from_slice(p.first.as_bytes());
        self.buf.push(b' ');
        self.buf.extend_from_slice(p.last.as_bytes());
        self.buf.push(b'"');
        self.buf.extend_from_slice(b",\"birth_date\":\"");
        self.date(p.birth);
        self.buf.push(b'"');
        self.str_field("sex", p.sex);
        self.str_field("language", p.language);
        self.str_field("region", p.region);
        self.buf.push(b'}');
        self.str_field("scheme", p.scheme);
        match p.employer {
            Some(e) => {
                // Enterprise numbers (KBO/BCE) with valid check digits, counting from
                // 0200000142 for the first employer of the pool: the eight-digit base
                // 02000001, 02000002 …, then 97 minus the base modulo 97.
                let base = 2_000_000 + u64::from(e) + 1;
                self.buf.extend_from_slice(b",\"employer\":{\"id\":\"");
                push_num(&mut self.buf, base, 8);
                push_num(&mut self.buf, 97 - base % 97, 2);
                self.buf.extend_from_slice(b"\",\"name\":\"");
                let name = self
                    .employers
                    .get(e as usize)
                    .map_or("", |x| x.name.as_str());
                self.buf.extend_from_slice(name.as_bytes());
                self.buf.extend_from_slice(b"\"}");
            }
            None => self.buf.extend_from_slice(b",\"employer\":null"),
        }
        match p.regime {
            Some(r) => self.str_field("regime", r),
            None => self.buf.extend_from_slice(b",\"regime\":null"),
        }
        self.str_field("work_type", p.work_type);
        if let Some(s) = p.sector {
            self.buf.extend_from_slice(b",\"sector\":\"");
            self.buf.push(s);
            self.buf.push(b'"');
        }
        self.str_field("condition", p.condition);
        self.buf.extend_from_slice(b",\"incapacity_start\":\"");
        self.date(start);
        self.buf.push(b'"');
    }
}

fn type_name(k: &Kind) -> &'static str {
    match k {
        Kind::Opened => "case_opened",
        Kind::QsSent => "quick_scan_sent",
        Kind::QsReminder => "quick_scan_reminder",
        Kind::QsReturned { .. } => "quick_scan_returned",
        Kind::Assessed(_) => "capacity_assessed",
        Kind::PreReturnVisit => "pre_return_visit",
        Kind::CodexRequested(_) => "codex_requested",
        Kind::CodexDecision(_) => "codex_decision",
        Kind::Plan(_) => "reintegration_plan",
        Kind::ConsentGiven(_) => "consent_given",
        Kind::Referred(_) => "referred_to_coordinator",
        Kind::Contact { .. } => "coordinator_contact",
        Kind::ActionPlan { .. } => "action_plan",
        Kind::PartnerReferral(_) => "partner_referral",
        Kind::SpStarted { .. } => "socio_professional_started",
        Kind::SpSuspended => "socio_professional_suspended",
        Kind::SpResumed => "socio_professional_resumed",
        Kind::SpEnded => "socio_professional_ended",
        Kind::Authorised(_) => "authorised_activity",
        Kind::WorkResumed { .. } => "work_resumed",
        Kind::Ended => "incapacity_ended",
        Kind::CoachingStopped(_) => "coaching_stopped",
        Kind::ConsentWithdrawn(_) => "consent_withdrawn",
    }
}
