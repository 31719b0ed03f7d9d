//! Rule sets as data: each is a TOML document with an effective date, its sources and
//! its rules. The engine ([`crate::engine`]) interprets them; adding a rule set is
//! adding a file, never a code change.

use crate::date::{add_days, parse_date, Date, Offset};
use crate::event::{EventType, Scheme};
use crate::facts::{attr_field, attr_values, Fact};
use crate::sanction::{RawSanction, Sanction};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// What starts a rule's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// Day 0: the first day of incapacity.
    IncapacityStart,
    /// Every event of this type (the latest one supersedes earlier ones, see [`Rule::supersede`]).
    Event(EventType),
}

impl Anchor {
    fn parse(s: &str) -> Result<Anchor, String> {
        if s == "incapacity_start" {
            return Ok(Anchor::IncapacityStart);
        }
        EventType::parse(s)
            .map(Anchor::Event)
            .ok_or_else(|| format!("unknown anchor `{s}` (incapacity_start or an event type)"))
    }
    pub fn as_str(&self) -> &'static str {
        match self {
            Anchor::IncapacityStart => "incapacity_start",
            Anchor::Event(e) => e.as_str(),
        }
    }
}

/// Which date decides the rule set that judges an instance of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SelectBy {
    /// The date of the anchoring event ("also for running trajectories").
    #[default]
    Anchor,
    /// The first day of incapacity.
    IncapacityStart,
    /// The first referral to the coordinator (falls back to the anchor date).
    TrajectoryStart,
}

/// Whether a done event must come after the anchor, or may be any event of the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DoneScope {
    #[default]
    AfterAnchor,
    Any,
}

/// A test on the characteristic value of an event (`category = [4]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub field: String,
    pub values: Vec<String>,
    /// The accepted [`Fact::attr`] values as a bit set, so the engine never compares text.
    mask: [u64; 4],
}

impl Condition {
    pub fn matches(&self, attr: u8) -> bool {
        self.mask[usize::from(attr / 64)] & (1u64 << (attr % 64)) != 0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// Something an actor must do by a date; done by an event.
    Task,
    /// A date worth knowing (invalidity begins, the employer may request …); no one
    /// has to act by it.
    Milestone,
}

/// One rule, resolved and checked.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Unique within a set; a child set overrides its parent's rule with the same key.
    /// Defaults to the code (two rules can share a code, e.g. R4 for categories 4 and 1).
    pub key: String,
    /// The source's number for the rule (R1 …) or the rule set's own.
    pub id: String,
    /// The task or milestone code (`send_quick_scan`, `invalidity` …).
    pub code: String,
    pub kind: RuleKind,
    pub actor: String,
    pub anchor: Anchor,
    pub when: Option<Condition>,
    pub if_scheme: Option<Vec<Scheme>>,
    pub if_employer: bool,
    /// A later event of the anchor's type closes an instance not yet done.
    pub supersede: bool,
    /// Offsets are counted from the anchor, or from the first day of incapacity.
    pub from_start: bool,
    pub window: Offset,
    pub due: Offset,
    pub done_by: Vec<EventType>,
    pub done_when: Option<Condition>,
    pub done_scope: DoneScope,
    pub cancelled_by: Vec<EventType>,
    pub select_by: SelectBy,
    pub source: String,
    /// Plain-language reason, per language code; `en` is always present.
    pub reason: BTreeMap<String, String>,
}

impl Rule {
    pub fn reason(&self, lang: &str) -> &str {
        self.reason
            .get(lang)
            .or_else(|| self.reason.get("en"))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// A complete rule set (its parent's rules merged in).
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub name: String,
    pub title: String,
    pub effective_from: Date,
    pub extends: Option<String>,
    /// The schemes whose dossiers this set judges: a dossier is judged only by the
    /// sets of its own scheme (the self-employed have a clock of their own).
    pub schemes: Vec<Scheme>,
    pub sources: Vec<String>,
    pub notes: Vec<String>,
    /// The benefit cut after ignored invitations, where the set has one.
    pub sanction: Option<Sanction>,
    /// Events after which no task of the case is open ("no task is open after
    /// incapacity_ended").
    pub ends_all_tasks_on: Vec<EventType>,
    pub rules: Vec<Rule>,
    /// Rule index by interned code (see [`RuleBook`]); filled when the book is built.
    by_code: Vec<Option<usize>>,
}

impl RuleSet {
    pub(crate) fn rule_by_code(&self, code: usize) -> Option<&Rule> {
        self.by_code
            .get(code)
            .copied()
            .flatten()
            .map(|i| &self.rules[i])
    }

    pub fn rule(&self, key: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.key == key)
    }

    /// Whether this set judges dossiers of `scheme`.
    pub fn judges(&self, scheme: Scheme) -> bool {
        self.schemes.contains(&scheme)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("rule set {file}: {msg}")]
    Invalid { file: String, msg: String },
    #[error("unknown rule set `{0}` (known: {1})")]
    Unknown(String, String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSet {
    name: String,
    title: String,
    effective_from: String,
    extends: Option<String>,
    schemes: Option<Vec<String>>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    notes: Vec<String>,
    sanction: Option<RawSanction>,
    #[serde(default)]
    ends_all_tasks_on: Option<Vec<String>>,
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum Scalar {
    Int(i64),
    Bool(bool),
    Text(String),
}

impl Scalar {
    fn text(&self) -> String {
        match self {
            Scalar::Int(i) => i.to_string(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Text(s) => s.clone(),
        }
    }
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawRule {
    key: Option<String>,
    id: String,
    task: Option<String>,
    milestone: Option<String>,
    actor: String,
    anchor: String,
    when: Option<BTreeMap<String, Vec<Scalar>>>,
    if_scheme: Option<Vec<String>>,
    #[serde(default)]
    if_employer: bool,
    supersede: Option<bool>,
    #[serde(default)]
    from: Option<String>,
    window: Option<Offset>,
    due: Offset,
    #[serde(default)]
    done_by: Vec<String>,
    done_when: Option<BTreeMap<String, Vec<Scalar>>>,
    #[serde(default)]
    done_scope: DoneScope,
    #[serde(default)]
    cancelled_by: Vec<String>,
    #[serde(default)]
    select_by: SelectBy,
    source: String,
    reason: BTreeMap<String, String>,
}

/// The rule sets that ship with tnw.
pub const BUILTIN: &[(&str, &str)] = &[
    ("tnw-2022.toml", include_str!("../rulesets/tnw-2022.toml")),
    (
        "codex-2022-10.toml",
        include_str!("../rulesets/codex-2022-10.toml"),
    ),
    ("rtw-2026.toml", include_str!("../rulesets/rtw-2026.toml")),
    (
        "tnw-self-employed-2023.toml",
        include_str!("../rulesets/tnw-self-employed-2023.toml"),
    ),
];

/// All rule sets known to a run, ordered by effective date.
#[derive(Debug, Clone)]
pub struct RuleBook {
    sets: Vec<RuleSet>,
    /// Every rule key, interned: the engine works with their indexes.
    codes: Vec<String>,
    /// Code indexes by the anchor that can start them, in any set.
    by_anchor: HashMap<Anchor, Vec<usize>>,
}

impl RuleBook {
    /// The built-in rule sets.
    pub fn builtin() -> Result<RuleBook, RuleError> {
        RuleBook::from_sources(BUILTIN.iter().map(|(f, t)| (f.to_string(), t.to_string())))
    }

    /// Builds a book from `(file name, TOML text)` pairs; parents must be present.
    pub fn from_sources(
        sources: impl IntoIterator<Item = (String, String)>,
    ) -> Result<RuleBook, RuleError> {
        let mut raws: Vec<(String, RawSet)> = Vec::new();
        for (file, text) in sources {
            let raw: RawSet = toml::from_str(&text).map_err(|e| RuleError::Invalid {
                file: file.clone(),
                msg: e.to_string(),
            })?;
            if raws.iter().any(|(_, r)| r.name == raw.name) {
                return Err(RuleError::Invalid {
                    file,
                    msg: format!("a rule set named `{}` already exists", raw.name),
                });
            }
            raws.push((file, raw));
        }
        let mut sets: Vec<RuleSet> = Vec::new();
        // Resolve parents first; a bounded loop also rejects cycles.
        let mut pending = raws;
        for _ in 0..=pending.len() {
            if pending.is_empty() {
                break;
            }
            let mut next = Vec::new();
            for (file, raw) in pending {
                let parent = match &raw.extends {
                    None => None,
                    Some(p) => match sets.iter().find(|s| &s.name == p) {
                        Some(s) => Some(s.clone()),
                        None => {
                            next.push((file, raw));
                            continue;
                        }
                    },
                };
                sets.push(resolve(&file, raw, parent.as_ref())?);
            }
            pending = next;
        }
        if let Some((file, raw)) = pending.into_iter().next() {
            return Err(RuleError::Invalid {
                file,
                msg: format!(
                    "extends `{}`, which is not known (or is part of a cycle)",
                    raw.extends.unwrap_or_default()
                ),
            });
        }
        sets.sort_by(|a, b| {
            a.effective_from
                .cmp(&b.effective_from)
                .then(a.name.cmp(&b.name))
        });
        let mut codes: Vec<String> = Vec::new();
        let mut by_anchor: HashMap<Anchor, Vec<usize>> = HashMap::new();
        for s in &sets {
            for r in &s.rules {
                let id = match codes.iter().position(|c| c == &r.key) {
                    Some(i) => i,
                    None => {
                        codes.push(r.key.clone());
                        codes.len() - 1
                    }
                };
                let list = by_anchor.entry(r.anchor).or_default();
                if !list.contains(&id) {
                    list.push(id);
                }
            }
        }
        for s in &mut sets {
            s.by_code = codes
                .iter()
                .map(|c| s.rules.iter().position(|r| &r.key == c))
                .collect();
        }
        Ok(RuleBook {
            sets,
            codes,
            by_anchor,
        })
    }

    /// The built-in sets plus every `*.toml` in `dir` (sorted by file name).
    pub fn with_extra(extra: Vec<(String, String)>) -> Result<RuleBook, RuleError> {
        RuleBook::from_sources(
            BUILTIN
                .iter()
                .map(|(f, t)| (f.to_string(), t.to_string()))
                .chain(extra),
        )
    }

    /// Rule sets by effective date, oldest first.
    pub fn sets(&self) -> &[RuleSet] {
        &self.sets
    }

    pub fn get(&self, name: &str) -> Result<&RuleSet, RuleError> {
        self.sets.iter().find(|s| s.name == name).ok_or_else(|| {
            RuleError::Unknown(
                name.to_owned(),
                self.sets
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })
    }

    /// Every rule key of every set.
    pub fn keys(&self) -> &[String] {
        &self.codes
    }

    pub(crate) fn codes_for(&self, anchor: Anchor) -> &[usize] {
        self.by_anchor
            .get(&anchor)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

fn condition(
    file: &str,
    rule: &str,
    kind: Option<EventType>,
    raw: Option<BTreeMap<String, Vec<Scalar>>>,
) -> Result<Option<Condition>, RuleError> {
    let bad = |msg: String| RuleError::Invalid {
        file: file.to_owned(),
        msg: format!("rule {rule}: {msg}"),
    };
    let Some(raw) = raw else { return Ok(None) };
    if raw.len() != 1 {
        return Err(bad("a condition tests exactly one field".into()));
    }
    let Some((field, values)) = raw.into_iter().next() else {
        return Ok(None);
    };
    let Some(kind) = kind else {
        return Err(bad("only event anchors can have conditions".into()));
    };
    if attr_field(kind) != Some(field.as_str()) {
        return Err(bad(format!("{kind} has no testable field `{field}`")));
    }
    let allowed = attr_values(kind);
    let values: Vec<String> = values.iter().map(Scalar::text).collect();
    if let Some(v) = values.iter().find(|v| !allowed.contains(v)) {
        return Err(bad(format!("`{v}` is not a value of {kind}.{field}")));
    }
    let mut mask = [0u64; 4];
    for attr in 0..=u8::MAX {
        let text = Fact {
            date: Date::MIN,
            kind,
            attr,
        }
        .attr_text();
        if text.is_some_and(|t| values.contains(&t)) {
            mask[usize::from(attr / 64)] |= 1u64 << (attr % 64);
        }
    }
    Ok(Some(Condition {
        field,
        values,
        mask,
    }))
}

fn resolve(file: &str, raw: RawSet, parent: Option<&RuleSet>) -> Result<RuleSet, RuleError> {
    let bad = |msg: String| RuleError::Invalid {
        file: file.to_owned(),
        msg,
    };
    let effective_from =
        parse_date(&raw.effective_from).map_err(|e| bad(format!("effective_from: {e}")))?;
    if let Some(p) = parent {
        if effective_from <= p.effective_from {
            return Err(bad(format!(
                "effective_from {effective_from} must be after its parent {}'s ({})",
                p.name, p.effective_from
            )));
        }
    }
    let events = |list: &[String], what: &str| event_types(file, list, what);
    let ends_all_tasks_on = match &raw.ends_all_tasks_on {
        Some(l) => events(l, "ends_all_tasks_on")?,
        None => parent
            .map(|p| p.ends_all_tasks_on.clone())
            .unwrap_or_default(),
    };
    let mut rules: Vec<Rule> = parent.map(|p| p.rules.clone()).unwrap_or_default();
    for code in &raw.remove {
        let before = rules.len();
        rules.retain(|r| &r.key != code);
        if rules.len() == before {
            return Err(bad(format!("remove: `{code}` is not a rule of the parent")));
        }
    }
    let schemes = match &raw.schemes {
        Some(l) if l.is_empty() => return Err(bad("schemes: name at least one scheme".into())),
        Some(l) => l
            .iter()
            .map(|s| Scheme::parse(s).ok_or_else(|| bad(format!("schemes: unknown scheme `{s}`"))))
            .collect::<Result<Vec<_>, _>>()?,
        None => {
            match parent {
                Some(p) => p.schemes.clone(),
                None => return Err(bad(
                    "a rule set without a parent names the schemes it judges (`schemes = [...]`)"
                        .into(),
                )),
            }
        }
    };
    let mut own_codes = Vec::new();
    for r in raw.rule {
        let rule = resolve_rule(file, r)?;
        if own_codes.contains(&rule.key) {
            return Err(bad(format!(
                "rule {}: `{}` is defined twice",
                rule.id, rule.key
            )));
        }
        own_codes.push(rule.key.clone());
        match rules.iter_mut().find(|x| x.key == rule.key) {
            Some(x) => *x = rule,
            None => rules.push(rule),
        }
    }
    if schemes.contains(&Scheme::SelfEmployed) {
        if let Some(r) = rules.iter().find(|r| employee_only(r)) {
            return Err(bad(format!(
                "rule {} ({}) belongs to employees (employer, occupational physician or \
                 codex trajectory) and cannot judge self-employed dossiers",
                r.id, r.code
            )));
        }
    }
    let task_codes: Vec<&str> = rules
        .iter()
        .filter(|r| r.kind == RuleKind::Task)
        .map(|r| r.code.as_str())
        .collect();
    let sanction = match raw.sanction {
        Some(s) => Some(s.resolve(&task_codes).map_err(bad)?),
        // Inherited, it counts the tasks this set still has (a removed task has no
        // invitation left to mention it).
        None => parent.and_then(|p| p.sanction.clone()).and_then(|mut s| {
            s.tasks.retain(|t| task_codes.contains(&t.as_str()));
            (!s.tasks.is_empty()).then_some(s)
        }),
    };
    Ok(RuleSet {
        name: raw.name,
        title: raw.title,
        effective_from,
        extends: raw.extends,
        schemes,
        sources: raw.sources,
        notes: raw.notes,
        sanction,
        ends_all_tasks_on,
        rules,
        by_code: Vec::new(),
    })
}

/// The events of the codex trajectory (codex on well-being at work): employees only.
const CODEX_EVENTS: [EventType; 4] = [
    EventType::CodexRequested,
    EventType::PreReturnVisit,
    EventType::CodexDecision,
    EventType::ReintegrationPlan,
];

/// A rule that only makes sense for an employee: it waits on an employer, names the
/// employer or the occupational physician as actor, or belongs to the codex trajectory.
/// The self-employed have none of these.
fn employee_only(r: &Rule) -> bool {
    let excluded = r
        .if_scheme
        .as_ref()
        .is_some_and(|s| !s.contains(&Scheme::SelfEmployed));
    let codex = |e: &EventType| CODEX_EVENTS.contains(e);
    !excluded
        && (r.if_employer
            || matches!(r.actor.as_str(), "employer" | "occupational_physician")
            || matches!(r.anchor, Anchor::Event(e) if codex(&e))
            || r.done_by.iter().any(codex))
}

/// One rule of a set, checked.
fn resolve_rule(file: &str, r: RawRule) -> Result<Rule, RuleError> {
    let bad = |msg: String| RuleError::Invalid {
        file: file.to_owned(),
        msg,
    };
    let events = |list: &[String], what: &str| event_types(file, list, what);
    let (code, kind) = match (&r.task, &r.milestone) {
        (Some(t), None) => (t.clone(), RuleKind::Task),
        (None, Some(m)) => (m.clone(), RuleKind::Milestone),
        _ => {
            return Err(bad(format!(
                "rule {}: set exactly one of `task` or `milestone`",
                r.id
            )))
        }
    };
    let key = r.key.clone().unwrap_or_else(|| code.clone());
    let anchor = Anchor::parse(&r.anchor).map_err(|e| bad(format!("rule {}: {e}", r.id)))?;
    let anchor_type = match anchor {
        Anchor::Event(e) => Some(e),
        Anchor::IncapacityStart => None,
    };
    let done_by = events(&r.done_by, &format!("rule {} done_by", r.id))?;
    if kind == RuleKind::Task && done_by.is_empty() {
        return Err(bad(format!("rule {}: a task needs `done_by`", r.id)));
    }
    let done_when = match (&r.done_when, done_by.as_slice()) {
        (None, _) => None,
        (Some(_), [one]) => condition(file, &r.id, Some(*one), r.done_when.clone())?,
        (Some(_), _) => {
            return Err(bad(format!(
                "rule {}: done_when needs exactly one done_by type",
                r.id
            )))
        }
    };
    let if_scheme = r
        .if_scheme
        .as_ref()
        .map(|l| {
            l.iter()
                .map(|s| {
                    Scheme::parse(s)
                        .ok_or_else(|| bad(format!("rule {}: unknown scheme `{s}`", r.id)))
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let from_start = match r.from.as_deref() {
        None | Some("anchor") => false,
        Some("incapacity_start") => true,
        Some(o) => {
            return Err(bad(format!(
                "rule {}: `from` must be anchor or incapacity_start, not `{o}`",
                r.id
            )))
        }
    };
    if !r.reason.contains_key("en") {
        return Err(bad(format!("rule {}: `reason.en` is required", r.id)));
    }
    let window = r.window.clone().unwrap_or_else(|| r.due.clone());
    // A window that could open after its due date is a rule-set bug: check it on
    // every start day of a leap and a common year.
    let base = parse_date("2023-01-01").map_err(bad)?;
    for day in 0..(366 + 365) {
        let d = add_days(base, day);
        if window.apply(d) > r.due.apply(d) {
            return Err(bad(format!(
                "rule {}: window {window} opens after due {} from {d}",
                r.id, r.due
            )));
        }
    }
    Ok(Rule {
        key: key.clone(),
        id: r.id.clone(),
        code: code.clone(),
        kind,
        actor: r.actor.clone(),
        anchor,
        when: condition(file, &r.id, anchor_type, r.when.clone())?,
        if_scheme,
        if_employer: r.if_employer,
        supersede: r.supersede.unwrap_or(true),
        from_start,
        window,
        due: r.due.clone(),
        done_by,
        done_when,
        done_scope: r.done_scope,
        cancelled_by: events(&r.cancelled_by, &format!("rule {} cancelled_by", r.id))?,
        select_by: r.select_by,
        source: r.source.clone(),
        reason: r.reason.clone(),
    })
}

/// Event type names of a rule set's list `what`, parsed.
fn event_types(file: &str, list: &[String], what: &str) -> Result<Vec<EventType>, RuleError> {
    list.iter()
        .map(|s| {
            EventType::parse(s).ok_or_else(|| RuleError::Invalid {
                file: file.to_owned(),
                msg: format!("{what}: unknown event type `{s}`"),
            })
        })
        .collect()
}
