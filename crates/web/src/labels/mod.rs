//! Labels: the words a page shows for a code — a task, a state, a region, a role, an
//! event type … — in nl, fr, de and en, and numbers and shares written the way each
//! language writes them. A page never shows a code: templates call [`Tr::label`]. The
//! JSON API keeps the codes (it is a machine contract). docs/ui.md.

mod log;
mod texts;
mod values;
mod work;

pub use texts::TEXTS;

use crate::i18n::{Tr, LANGUAGES};
use std::borrow::Cow;
use tnw_app::timeline::{describe_with, Coded};
use tnw_domain::event::Event;
use tnw_domain::rules::RuleKind;
use tnw_domain::RuleBook;

/// A code and its label in nl, fr, de, en.
pub type Entry = (&'static str, [&'static str; 4]);

/// What a code names: each kind has its own labels (`employer` is a role, a partner
/// and a consent role, each said its own way).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A task of the rule sets (`send_quick_scan`).
    Task,
    /// A milestone of the rule sets (`invalidity`).
    Milestone,
    /// A task or milestone as the member reads it: one sentence, to them.
    ForMember,
    /// Where a task or milestone stands (`overdue`), as the fund's team reads it.
    State,
    /// The same, as the member reads it.
    MemberState,
    /// A role, a rule's actor, or who acted in the audit log.
    Role,
    Scheme,
    Region,
    Regime,
    WorkType,
    Condition,
    Sex,
    Language,
    Initiative,
    ContactMode,
    Partner,
    PartnerOutcome,
    Letter,
    StepOwner,
    Requester,
    Decision,
    PlanStatus,
    Service,
    Activity,
    Extent,
    StopReason,
    ConsentRole,
    ConsentScope,
    Event,
    /// What an audit entry records (`read`, `write` …).
    AuditAction,
    /// Why a dossier was opened, as the audit log records it.
    Purpose,
    /// A part of a dossier a reader was shown (`identity`, `timeline` …).
    DossierPart,
    /// A rule set, by name: its title.
    RuleSet,
    PlanWork,
    SocioResult,
}

impl Kind {
    pub const ALL: [Kind; 35] = [
        Kind::Task,
        Kind::Milestone,
        Kind::ForMember,
        Kind::State,
        Kind::MemberState,
        Kind::Role,
        Kind::Scheme,
        Kind::Region,
        Kind::Regime,
        Kind::WorkType,
        Kind::Condition,
        Kind::Sex,
        Kind::Language,
        Kind::Initiative,
        Kind::ContactMode,
        Kind::Partner,
        Kind::PartnerOutcome,
        Kind::Letter,
        Kind::StepOwner,
        Kind::Requester,
        Kind::Decision,
        Kind::PlanStatus,
        Kind::Service,
        Kind::Activity,
        Kind::Extent,
        Kind::StopReason,
        Kind::ConsentRole,
        Kind::ConsentScope,
        Kind::Event,
        Kind::AuditAction,
        Kind::Purpose,
        Kind::DossierPart,
        Kind::RuleSet,
        Kind::PlanWork,
        Kind::SocioResult,
    ];

    /// This kind's catalogue.
    pub fn entries(self) -> &'static [Entry] {
        match self {
            Kind::Task => work::TASKS,
            Kind::Milestone => work::MILESTONES,
            Kind::ForMember => work::FOR_MEMBER,
            Kind::State => work::STATES,
            Kind::MemberState => work::MEMBER_STATES,
            Kind::Role => work::ROLES,
            Kind::Scheme => values::SCHEMES,
            Kind::Region => values::REGIONS,
            Kind::Regime => values::REGIMES,
            Kind::WorkType => values::WORK_TYPES,
            Kind::Condition => values::CONDITIONS,
            Kind::Sex => values::SEXES,
            Kind::Language => values::LANGUAGE_NAMES,
            Kind::Initiative => values::INITIATIVES,
            Kind::ContactMode => values::CONTACT_MODES,
            Kind::Partner => values::PARTNERS,
            Kind::PartnerOutcome => values::PARTNER_OUTCOMES,
            Kind::Letter => values::LETTERS,
            Kind::StepOwner => values::STEP_OWNERS,
            Kind::Requester => values::REQUESTERS,
            Kind::Decision => values::DECISIONS,
            Kind::PlanStatus => values::PLAN_STATUSES,
            Kind::Service => values::SERVICES,
            Kind::Activity => values::ACTIVITIES,
            Kind::Extent => values::EXTENTS,
            Kind::StopReason => values::STOP_REASONS,
            Kind::ConsentRole => values::CONSENT_ROLES,
            Kind::ConsentScope => values::CONSENT_SCOPES,
            Kind::Event => log::EVENTS,
            Kind::AuditAction => log::AUDIT_ACTIONS,
            Kind::Purpose => log::PURPOSES,
            Kind::DossierPart => log::DOSSIER_PARTS,
            Kind::RuleSet => log::RULE_SETS,
            Kind::PlanWork => values::PLAN_WORKS,
            Kind::SocioResult => values::SOCIO_RESULTS,
        }
    }

    /// Every code of this kind the application produces, read from the domain's value
    /// sets and the rule book (not from the catalogue): what must have a label. The
    /// audit log's purposes and dossier parts are words of the access policy, not a
    /// value set; their catalogue is what there is.
    pub fn codes(self, book: &RuleBook) -> Vec<String> {
        use tnw_domain::event as v;
        fn all<T: Copy>(xs: &[T], f: fn(T) -> &'static str) -> Vec<String> {
            xs.iter().map(|x| f(*x).to_owned()).collect()
        }
        let rules = |kind: Option<RuleKind>| {
            let mut codes: Vec<String> = book
                .sets()
                .iter()
                .flat_map(|s| s.rules.iter())
                .filter(|r| kind.as_ref().is_none_or(|k| r.kind == *k))
                .map(|r| r.code.clone())
                .collect();
            codes.sort();
            codes.dedup();
            codes
        };
        match self {
            Kind::Task => rules(Some(RuleKind::Task)),
            Kind::Milestone => rules(Some(RuleKind::Milestone)),
            Kind::ForMember => rules(None),
            Kind::State | Kind::MemberState => tnw_app::timeline::STATUSES
                .iter()
                .map(|s| s.to_string())
                .collect(),
            Kind::Role => {
                let mut codes = all(tnw_app::access::Role::ALL, |r| r.as_str());
                codes.extend(
                    book.sets()
                        .iter()
                        .flat_map(|s| s.rules.iter())
                        .map(|r| r.actor.clone()),
                );
                codes.push(tnw_app::access::OPERATOR_ROLE.to_owned());
                codes.push(tnw_app::audit::SYSTEM_ROLE.to_owned());
                codes.sort();
                codes.dedup();
                codes
            }
            Kind::Scheme => all(v::Scheme::ALL, v::Scheme::as_str),
            Kind::Region => all(v::Region::ALL, v::Region::as_str),
            Kind::Regime => all(v::Regime::ALL, v::Regime::as_str),
            Kind::WorkType => all(v::WorkType::ALL, v::WorkType::as_str),
            Kind::Condition => all(v::Condition::ALL, v::Condition::as_str),
            Kind::Sex => all(v::Sex::ALL, v::Sex::as_str),
            Kind::Language => {
                // The members' languages, and the interface's.
                let mut codes = all(v::Language::ALL, v::Language::as_str);
                codes.extend(LANGUAGES.iter().map(|l| l.to_string()));
                codes.sort();
                codes.dedup();
                codes
            }
            Kind::Initiative => all(v::Initiative::ALL, v::Initiative::as_str),
            Kind::ContactMode => all(v::ContactMode::ALL, v::ContactMode::as_str),
            Kind::Partner => all(v::Partner::ALL, v::Partner::as_str),
            Kind::PartnerOutcome => all(v::PartnerOutcome::ALL, v::PartnerOutcome::as_str),
            Kind::Letter => all(v::LetterKind::ALL, v::LetterKind::as_str),
            Kind::StepOwner => all(v::StepOwner::ALL, v::StepOwner::as_str),
            Kind::Requester => all(v::Requester::ALL, v::Requester::as_str),
            Kind::Decision => all(v::Decision::ALL, v::Decision::as_str),
            Kind::PlanStatus => all(v::PlanStatus::ALL, v::PlanStatus::as_str),
            Kind::Service => all(v::Service::ALL, v::Service::as_str),
            Kind::Activity => all(v::Activity::ALL, v::Activity::as_str),
            Kind::Extent => all(v::Extent::ALL, v::Extent::as_str),
            Kind::StopReason => all(v::StopReason::ALL, v::StopReason::as_str),
            Kind::ConsentRole => all(v::ConsentRole::ALL, v::ConsentRole::as_str),
            Kind::ConsentScope => all(v::ConsentScope::ALL, v::ConsentScope::as_str),
            Kind::Event => all(v::EventType::ALL, v::EventType::as_str),
            Kind::AuditAction => all(&tnw_app::audit::Action::ALL, |a| a.as_str()),
            Kind::Purpose => self.entries().iter().map(|(c, _)| c.to_string()).collect(),
            // The parts a grant holds, and the two older audit entries name.
            Kind::DossierPart => {
                let mut codes = all(&tnw_app::access::Part::ALL, |p| p.as_str());
                codes.extend(["timeline".to_owned(), "events".to_owned()]);
                codes
            }
            Kind::RuleSet => book.sets().iter().map(|s| s.name.clone()).collect(),
            Kind::PlanWork => all(v::PlanWork::ALL, v::PlanWork::as_str),
            Kind::SocioResult => all(v::SocioResult::ALL, v::SocioResult::as_str),
        }
    }
}

fn lang_index(lang: &str) -> usize {
    LANGUAGES.iter().position(|l| *l == lang).unwrap_or(3)
}

/// The label of `code` in `lang`, if the catalogue has one.
pub fn find(kind: Kind, code: &str, lang: &str) -> Option<&'static str> {
    kind.entries()
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| l[lang_index(lang)])
}

/// Every code that has a label, with its kind: what a page must never show as it is.
pub fn labelled_codes() -> impl Iterator<Item = (Kind, &'static str)> {
    Kind::ALL
        .into_iter()
        .flat_map(|k| k.entries().iter().map(move |(c, _)| (k, *c)))
}

/// A code without a label (a rule set added at run time, a value from a newer
/// version): its words, not its underscores.
fn spelled_out(code: &str) -> String {
    code.replace('_', " ")
}

impl Tr {
    /// What a page shows for `code`.
    pub fn label(&self, kind: Kind, code: &str) -> Cow<'static, str> {
        match find(kind, code, self.lang) {
            Some(l) => Cow::Borrowed(l),
            None => Cow::Owned(spelled_out(code)),
        }
    }

    /// A task's or milestone's label, by the kind a timeline row gives (`task`,
    /// `milestone`).
    pub fn step(&self, kind: &str, code: &str) -> Cow<'static, str> {
        let kind = if kind == "milestone" {
            Kind::Milestone
        } else {
            Kind::Task
        };
        self.label(kind, code)
    }

    /// A party as a person reads it: the employment service by its name, an enterprise
    /// by its KBO/BCE number, a physician by the RIZIV/INAMI number.
    pub fn party(&self, party: &tnw_domain::party::Party) -> String {
        use tnw_domain::party::Party;
        let text = party.to_string();
        let id = text.split_once(':').map_or("", |(_, id)| id);
        match party {
            Party::EmploymentService(_) => id.to_ascii_uppercase(),
            Party::Employer(_) | Party::OccupationalHealth(_) => {
                let kbo = match self.lang {
                    "fr" => "BCE",
                    "de" => "ZDU",
                    _ => "KBO",
                };
                format!("{kbo} {}.{}.{}", &id[..4], &id[4..7], &id[7..])
            }
            Party::Physician(_) => {
                let riziv = match self.lang {
                    "fr" => "INAMI",
                    "de" => "LIKIV",
                    "en" => "RIZIV/INAMI",
                    _ => "RIZIV",
                };
                format!("{riziv} {id}")
            }
        }
    }

    /// A worklist's deadline: a task, or an outside actor's milestone.
    pub fn deadline(&self, code: &str) -> Cow<'static, str> {
        match find(Kind::Task, code, self.lang) {
            Some(l) => Cow::Borrowed(l),
            None => self.label(Kind::Milestone, code),
        }
    }

    /// A message with `{0}` replaced by `arg`.
    pub fn fill(&self, key: &str, arg: &str) -> String {
        self.get(key).replace("{0}", arg)
    }

    /// `x` with `decimals` decimals and this language's decimal sign.
    pub fn decimal(&self, x: f64, decimals: usize) -> String {
        let s = format!("{x:.decimals$}");
        if self.lang == "en" {
            s
        } else {
            s.replace('.', ",")
        }
    }

    /// A share (0.0909) as a percentage with one decimal: `9.1%` in English, `9,1 %`
    /// (a no-break space before the sign) in Dutch, French and German.
    pub fn percent(&self, share: f64) -> String {
        let n = self.decimal(share * 100.0, 1);
        if self.lang == "en" {
            format!("{n}%")
        } else {
            format!("{n}\u{a0}%")
        }
    }

    /// A whole percentage (50): `50%` in English, `50 %` in the other languages.
    pub fn whole_percent(&self, n: impl std::fmt::Display) -> String {
        if self.lang == "en" {
            format!("{n}%")
        } else {
            format!("{n}\u{a0}%")
        }
    }

    /// A coded value of an event's description.
    pub fn coded(&self, c: Coded) -> Cow<'static, str> {
        let kind = match c {
            Coded::Initiative(_) => Kind::Initiative,
            Coded::Mode(_) => Kind::ContactMode,
            Coded::Partner(_) => Kind::Partner,
            Coded::Requester(_) => Kind::Requester,
            Coded::Decision(_) => Kind::Decision,
            Coded::PlanStatus(_) => Kind::PlanStatus,
            Coded::Service(_) => Kind::Service,
            Coded::Activity(_) => Kind::Activity,
            Coded::Extent(_) => Kind::Extent,
            Coded::StopReason(_) => Kind::StopReason,
            Coded::ConsentRole(_) => Kind::ConsentRole,
            Coded::ConsentScope(_) => Kind::ConsentScope,
            Coded::Outcome(_) => Kind::PartnerOutcome,
            Coded::Letter(_) => Kind::Letter,
        };
        self.label(kind, c.code())
    }

    /// An event in a sentence, its values labelled.
    pub fn summary(&self, e: &Event) -> String {
        describe_with(e, self.lang, &|c| self.coded(c).into_owned())
    }

    /// What an audit entry says was done (`action`, `what`), in words: the dossier
    /// parts read, the event recorded, the reason of a refusal. Free text the log
    /// holds (an export's file and filter) stays as it is.
    pub fn audit_what(&self, action: &str, what: &str) -> String {
        let verb = self.label(Kind::AuditAction, action);
        let detail = match action {
            "read" if what.starts_with("absence list ") => log::absence_list(*self, what),
            "read" => {
                let parts: Vec<_> = what
                    .split(',')
                    .map(|p| find(Kind::DossierPart, p, self.lang))
                    .collect();
                if parts.iter().all(Option::is_some) {
                    parts.into_iter().flatten().collect::<Vec<_>>().join(", ")
                } else {
                    what.to_owned()
                }
            }
            "write" => self.label(Kind::Event, what).into_owned(),
            "refused" => log::refusal(*self, what),
            "admin" => log::account_change(*self, what),
            "import" => log::import(*self, what),
            _ => what.to_owned(),
        };
        if detail.is_empty() {
            verb.into_owned()
        } else {
            format!("{verb} · {detail}")
        }
    }
}

/// An audit time (`2026-11-20T09:30:12.345Z`) to the minute: `2026-11-20 09:30 UTC`.
pub fn moment(at: &str) -> String {
    let b = at.as_bytes();
    let shaped = b.len() >= 16 && b[10] == b'T' && b[13] == b':' && at.ends_with('Z');
    if shaped && at.is_char_boundary(16) {
        format!("{} {} UTC", &at[..10], &at[11..16])
    } else {
        at.to_owned()
    }
}

#[cfg(test)]
mod tests;
