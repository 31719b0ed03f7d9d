//! Reminders to staff about overdue work, through the outbox: planned once a day per
//! person (deduplicated by key), delivered at least once by whichever process claims
//! them, retried with back-off when the mail server fails.

use crate::access::Role;
use crate::handle::App;
use crate::{AppError, Result};
use tnw_domain::Date;
use tnw_storage::{AccountStore, NewMessage, Outbox, WorkQueries, WorklistQuery};

/// Sends one message. The SMTP implementation is [`SmtpMailer`]; the outbox logic does
/// not care how mail leaves.
pub trait Mailer {
    /// `message_id` is stable across retries, so a receiver can drop duplicates.
    fn send(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        message_id: &str,
    ) -> std::result::Result<(), String>;
}

const TEXTS: &[(&str, [&str; 4])] = &[
    (
        "subject",
        [
            "tnw: {n} taken over tijd",
            "tnw : {n} tâches en retard",
            "tnw: {n} überfällige Aufgaben",
            "tnw: {n} overdue tasks",
        ],
    ),
    (
        "intro",
        [
            "Deze taken zijn over hun termijn:",
            "Ces tâches ont dépassé leur délai :",
            "Diese Aufgaben haben ihre Frist überschritten:",
            "These tasks are past their deadline:",
        ],
    ),
    ("due", ["termijn", "échéance", "Frist", "due"]),
];

fn text(key: &str, lang: &str) -> &'static str {
    let i = ["nl", "fr", "de", "en"]
        .iter()
        .position(|l| *l == lang)
        .unwrap_or(3);
    TEXTS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, t)| t[i])
        .unwrap_or("")
}

/// At most this many tasks are listed in one reminder.
const LISTED: usize = 50;

/// Plans today's reminders for `org`: every active coordinator or paramedic with an
/// e-mail address and overdue tasks on the dossiers assigned to them, and every
/// advisory doctor with an address while the fund has overdue medical tasks. Only
/// dossier numbers and task codes go out: no names, nothing medical. Returns how many
/// were new (a second run on the same day adds none).
pub fn plan<S: AccountStore + WorkQueries + Outbox + ?Sized>(
    store: &mut S,
    org: &str,
    today: Date,
    now: i64,
) -> Result<u64> {
    let yesterday = tnw_domain::date::add_days(today, -1);
    let mut messages = Vec::new();
    for u in store.users(org)? {
        let (Some(email), true) = (u.email.clone(), u.active) else {
            continue;
        };
        let Some(role) = Role::parse(&u.role) else {
            continue;
        };
        let Some(own) = role.reminded_of_own_dossiers() else {
            continue;
        };
        let assignee = own.then(|| u.username.clone());
        let q = WorklistQuery {
            actors: role
                .worklist_actors()
                .iter()
                .map(|a| a.to_string())
                .collect(),
            as_of: Some(today),
            due_by: Some(yesterday),
            assignee,
            limit: LISTED as u32 + 1,
            ..Default::default()
        };
        let overdue = store.worklist(org, &q)?;
        if overdue.is_empty() {
            continue;
        }
        let lang = u.language.as_str();
        let n = if overdue.len() > LISTED {
            format!("{LISTED}+")
        } else {
            overdue.len().to_string()
        };
        let mut body = format!("{}\n\n", text("intro", lang));
        for w in overdue.iter().take(LISTED) {
            body.push_str(&format!(
                "- {} · {} · {} {}\n",
                w.case.display(),
                w.task.code,
                text("due", lang),
                w.task.due
            ));
        }
        messages.push(NewMessage {
            dedup_key: format!("reminder/{org}/{}/{today}", u.username),
            recipient: email,
            subject: text("subject", lang).replace("{n}", &n),
            body,
        });
    }
    Ok(store.enqueue(org, &messages, now)?)
}

/// Attempts after which a message is left for an operator (`tnw outbox` shows it).
pub const MAX_ATTEMPTS: u32 = 10;

/// The outcome of one delivery round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivered {
    pub sent: u64,
    pub failed: u64,
}

/// Sends what is due: claims a batch (a lease of 5 minutes, so a crashed sender's
/// messages go out later through another), sends each, records the outcome. Failures
/// are retried after 1, 2, 4 … minutes, at most an hour apart.
pub fn deliver<S: Outbox + ?Sized>(
    store: &mut S,
    mailer: &dyn Mailer,
    now: i64,
) -> Result<Delivered> {
    let mut d = Delivered::default();
    loop {
        let batch = store.claim_messages(now, 300, 50)?;
        if batch.is_empty() {
            return Ok(d);
        }
        for m in batch {
            if m.attempts >= MAX_ATTEMPTS {
                // Parked: not claimable again before an operator looks.
                store.mark_failed(m.id, "too many attempts", i64::MAX)?;
                continue;
            }
            let id = format!("<{}@tnw>", m.dedup_key.replace(['/', ' '], "."));
            match mailer.send(&m.recipient, &m.subject, &m.body, &id) {
                Ok(()) => {
                    store.mark_sent(m.id, now)?;
                    d.sent += 1;
                }
                Err(e) => {
                    let wait = 60i64 << m.attempts.min(6);
                    store.mark_failed(m.id, &e, now + wait.min(3600))?;
                    d.failed += 1;
                }
            }
        }
    }
}

/// Mail through an SMTP server given by URL: `smtp://host:port` (plain, for a relay
/// on the same host or network); the sender address is `from`.
pub struct SmtpMailer {
    transport: lettre::SmtpTransport,
    from: lettre::message::Mailbox,
}

impl SmtpMailer {
    pub fn new(url: &str, from: &str) -> Result<SmtpMailer> {
        let (host, port) = parse_smtp_url(url)?;
        // Plain SMTP to a relay the fund runs (which handles TLS onwards): this build
        // carries no TLS stack of its own.
        let transport = lettre::SmtpTransport::builder_dangerous(host)
            .port(port)
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|e| AppError::Config(format!("sender {from}: {e}")))?;
        Ok(SmtpMailer { transport, from })
    }
}

/// `smtp://host[:port]` (port 25 by default).
pub fn parse_smtp_url(url: &str) -> Result<(String, u16)> {
    let bad = |why: &str| AppError::Config(format!("SMTP URL `{url}`: {why}"));
    let rest = url
        .strip_prefix("smtp://")
        .ok_or_else(|| bad("must start with smtp://"))?;
    let rest = rest.trim_end_matches('/');
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) => (
            h,
            p.parse::<u16>()
                .map_err(|_| bad("the port is not a number"))?,
        ),
        None => (rest, 25),
    };
    if host.is_empty() || host.contains(['/', '@', ' ']) {
        return Err(bad("no host name"));
    }
    Ok((host.to_owned(), port))
}

impl Mailer for SmtpMailer {
    fn send(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        message_id: &str,
    ) -> std::result::Result<(), String> {
        use lettre::Transport;
        let to = to.parse().map_err(|e| format!("recipient: {e}"))?;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(message_id.to_owned()))
            .body(body.to_owned())
            .map_err(|e| e.to_string())?;
        self.transport
            .send(&email)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

impl App {
    /// Plans today's reminders of every fund (or of `org`); returns per fund how many
    /// were new.
    pub fn plan_reminders(
        &self,
        org: Option<&str>,
        today: Date,
        now: i64,
    ) -> Result<Vec<(String, u64)>> {
        self.primary(|st, _| {
            let orgs = match org {
                Some(o) => vec![o.to_owned()],
                None => st.orgs()?,
            };
            let mut out = Vec::with_capacity(orgs.len());
            for o in orgs {
                let n = plan(st, &o, today, now)?;
                out.push((o, n));
            }
            Ok(out)
        })
    }

    /// Sends what is due through `mailer`.
    pub fn deliver_reminders(&self, mailer: &dyn Mailer, now: i64) -> Result<Delivered> {
        self.primary(|st, _| deliver(st, mailer, now))
    }
}
