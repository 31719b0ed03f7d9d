//! Codes never show: every role of the demo crawls every page it can reach, in nl, fr,
//! de and en, and no code that has a label (a task, a state, a region, a role, an
//! event type …) may be among the words a person reads. The API keeps its codes.
//!
//! Labels do not depend on the storage backend: this runs over a SQLite file.

use std::collections::{BTreeSet, HashSet, VecDeque};

mod common;

use common::{Backend, Db, Server};
use reqwest::StatusCode;
use tnw_app::access::Role;
use tnw_domain::RuleBook;
use tnw_web::i18n::{LANGUAGES, MESSAGES};
use tnw_web::labels::{labelled_codes, Kind, TEXTS};

const PW: &str = "labels password 1";

/// Elements without content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// The text a person reads on a page: no tags, no attribute values, no scripts or
/// styles, and nothing inside `<code>` (a reference shown as such: a rule set's name,
/// a survey's answer code beside its label) or an element marked `translate="no"`
/// (names and ids: data, never translated); entities decoded. Text nodes are
/// separated by a space.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    // Open elements: name, and whether their content is left out.
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if !open.last().is_some_and(|(_, skip)| *skip) {
                out.push_str(&decode(rest));
            }
            break;
        };
        if !open.last().is_some_and(|(_, skip)| *skip) {
            out.push_str(&decode(&rest[..lt]));
            out.push(' ');
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        // The tag, up to its `>` outside quoted attribute values.
        let mut quote = None;
        let mut end = None;
        for (i, c) in rest.char_indices().skip(1) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '>') => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let Some(end) = end else { break };
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            if let Some(i) = open.iter().rposition(|(n, _)| *n == name) {
                open.truncate(i);
            }
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || VOID.contains(&name.as_str()) || tag.ends_with('/') {
            continue;
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            rest = rest.find(&close).map_or("", |i| &rest[i..]);
            continue;
        }
        let parent_skips = open.last().is_some_and(|(_, skip)| *skip);
        let skip = parent_skips || name == "code" || tag.contains("translate=\"no\"");
        open.push((name, skip));
    }
    out
}

fn decode(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|i| *i < 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            e => e
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| e.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// The codes that would betray themselves on a page in `lang`: every code with a
/// label that a reader could not take for a word of the page's language. A code with
/// an underscore is never a word; a one-word code (`overdue`, `phone`) is one in the
/// languages whose own texts use it (English `overdue`, Dutch `open`), and codes of
/// one or two letters (decisions `A`–`E`, languages `nl`) cannot be told from text.
fn telltale_codes(lang: &str) -> HashSet<&'static str> {
    let i = LANGUAGES.iter().position(|l| *l == lang).unwrap();
    let book = RuleBook::builtin().unwrap();
    let reasons: Vec<String> = book
        .sets()
        .iter()
        .flat_map(|s| s.rules.iter())
        .map(|r| r.reason(lang).to_owned())
        .collect();
    let mut own: HashSet<&str> = MESSAGES
        .iter()
        .chain(TEXTS)
        .flat_map(|(_, m)| words(m[i]))
        .chain(reasons.iter().flat_map(|r| words(r)))
        .collect();
    for kind in Kind::ALL {
        for (_, l) in kind.entries() {
            own.extend(words(l[i]));
        }
    }
    labelled_codes()
        .map(|(_, code)| code)
        .filter(|c| c.len() >= 3)
        .filter(|c| {
            c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
        .filter(|c| c.contains('_') || !own.contains(c))
        .collect()
}

/// The codes a page in `lang` shows as text, each with a little of its context.
fn shown_codes(html: &str, codes: &HashSet<&str>) -> Vec<String> {
    let text = visible_text(html);
    let mut found = Vec::new();
    for w in words(&text) {
        if codes.contains(w) {
            let at = text.find(w).unwrap_or(0);
            let from = text[..at]
                .char_indices()
                .rev()
                .nth(40)
                .map_or(0, |(i, _)| i);
            let to = text[at..]
                .char_indices()
                .nth(w.len() + 40)
                .map_or(text.len(), |(i, _)| at + i);
            let context: Vec<&str> = text[from..to].split_whitespace().collect();
            found.push(format!("`{w}` in \"…{}…\"", context.join(" ")));
        }
    }
    found
}

#[test]
fn the_check_catches_a_code_in_text_and_only_there() {
    let nl = telltale_codes("nl");
    let en = telltale_codes("en");
    let page = |body: &str| format!("<!doctype html><html><body>{body}</body></html>");
    // Caught: a task code, a state, a role, in a cell, an option, an SVG label.
    assert_eq!(shown_codes(&page("<td>send_quick_scan</td>"), &nl).len(), 1);
    assert_eq!(shown_codes(&page("<p>te laat: overdue</p>"), &nl).len(), 1);
    assert_eq!(
        shown_codes(
            &page("<select><option>advisory_doctor</option></select>"),
            &en
        )
        .len(),
        1
    );
    assert_eq!(
        shown_codes(&page("<svg><text>flanders</text></svg>"), &nl).len(),
        1
    );
    assert_eq!(
        shown_codes(&page("<li>a &amp; self_employed</li>"), &en).len(),
        1
    );
    // Not text: attribute values, scripts, comments, code, names marked as such.
    let quiet = page(concat!(
        r#"<tr class="overdue" data-task="send_quick_scan"><td title="first_contact">x</td></tr>"#,
        "<script>var s = 'first_contact';</script><!-- flanders -->",
        "<p>rule <code>send_quick_scan</code></p>",
        r#"<p translate="no">coordinator <b>paramedic</b></p><p>after</p>"#,
    ));
    assert_eq!(shown_codes(&quiet, &nl), Vec::<String>::new());
    // A code that is also a word of the page's language is left alone there.
    assert!(nl.contains("overdue") && !en.contains("overdue"));
    assert!(nl.contains("coordinator"));
    assert!(!nl.contains("open"), "a Dutch word");
    assert_eq!(
        visible_text("<p>a<b>b</b></p>c")
            .split_whitespace()
            .collect::<Vec<_>>(),
        ["a", "b", "c"]
    );
}

/// The demo's usernames: `coordinator`, `doctor`, … (fund A).
fn usernames() -> Vec<String> {
    Role::ALL
        .iter()
        .filter(|r| **r != Role::TreatingPhysician)
        .map(|r| match r {
            Role::AdvisoryDoctor => "doctor".to_owned(),
            r => r.as_str().to_owned(),
        })
        .collect()
}

/// Same-origin links of a page, minus those that end the session or only switch the
/// language.
fn links(body: &str) -> Vec<String> {
    body.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|l| l.replace("&amp;", "&").replace("&#38;", "&"))
        .filter(|l| l.starts_with('/') && !l.starts_with("//"))
        // Downloads (the absence list's CSV) are data, not pages.
        .filter(|l| !l.starts_with("/api/"))
        .filter(|l| !l.starts_with("/logout") && !l.starts_with("/lang/"))
        .filter(|l| !l.starts_with("/static/") && !l.contains("figures.") && !l.contains("survey."))
        .collect()
}

/// Pages per role and language: the screens first (breadth first), then dossiers.
const PAGES: usize = 150;

/// Dossiers per fund of the demo.
const CASES: u64 = 60;

#[tokio::test(flavor = "multi_thread")]
async fn no_page_shows_a_code_in_any_language_to_any_role() {
    let db = Db::new(Backend::Sqlite);
    let book = RuleBook::builtin().unwrap();
    let today = tnw_domain::date::parse_date("2026-11-22").unwrap();
    db.with_store(|store| assert!(tnw_app::demo::seed(store, &book, PW, CASES, today).unwrap()));
    let s = Server::start(db, Some(today)).await;

    let mut failures = Vec::new();
    let mut pages = 0;
    let mut dossiers = BTreeSet::new();
    let codes = LANGUAGES.map(telltale_codes);
    for lang in LANGUAGES {
        for user in usernames() {
            let session = s.login_as(&user, PW).await;
            let cookie = format!("{session}; tnw_lang={lang}");
            let mut seen = BTreeSet::new();
            let mut queue: VecDeque<String> = [
                "/",
                "/worklist?task=first_contact",
                "/reports?region=flanders",
                "/reports/survey",
            ]
            .map(String::from)
            .into();
            // Those who read any dossier of the fund read every one of the demo: each
            // history shows other codes.
            if matches!(user.as_str(), "coordinator" | "doctor") {
                queue.extend((1..=CASES).map(|n| format!("/cases/A{n:07}")));
            }
            while let Some(path) = queue.pop_front() {
                if seen.len() >= PAGES || !seen.insert(path.clone()) {
                    continue;
                }
                let (status, body) = s.get(&cookie, &path).await;
                assert!(status.as_u16() < 500, "{user} {path}: {status}");
                // A letter is in the member's language, a page in the reader's; a
                // refusal is a page too.
                let Some(page_lang) = body
                    .split("<html lang=\"")
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .and_then(|l| LANGUAGES.iter().position(|x| *x == l))
                else {
                    assert_ne!(status, StatusCode::OK, "{user} {path} says its language");
                    continue;
                };
                assert!(
                    LANGUAGES[page_lang] == lang || path.contains("/letters/"),
                    "{user} {path} is in {lang}"
                );
                pages += 1;
                if status == StatusCode::OK && path.starts_with("/cases/") {
                    dossiers.insert(path.clone());
                }
                for found in shown_codes(&body, &codes[page_lang]) {
                    failures.push(format!("{lang} {user} {path}: {found}"));
                }
                queue.extend(links(&body).into_iter().filter(|l| !seen.contains(l)));
            }
        }
    }
    failures.sort();
    failures.dedup();
    assert!(
        failures.is_empty(),
        "{} codes shown as text:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(pages > 600, "the crawl read {pages} pages");
    assert!(dossiers.len() > 50, "{} dossier pages", dossiers.len());

    // The labels are there, and the API keeps the codes: it is a machine contract.
    let coordinator = s.login_as("coordinator", PW).await;
    let (_, page) = s
        .get(
            &format!("{coordinator}; tnw_lang=fr"),
            "/worklist?task=first_contact",
        )
        .await;
    assert!(page.contains("<td>Premier contact</td>"), "{page}");
    let (_, api) = s
        .get(&coordinator, "/api/v1/worklist?task=first_contact")
        .await;
    assert!(api.contains(r#""task":"first_contact""#), "{api}");
    assert!(api.contains(r#""state":"open""#) || api.contains(r#""state":"overdue""#));
}
