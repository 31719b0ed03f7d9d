//! The tamper-evident audit chain: pure functions, no I/O.
//!
//! Every audit entry stores `hash = SHA-256(previous hash ‖ encoding of the entry)`,
//! one chain over the whole log in id order, the first entry chaining from
//! [`GENESIS`]. Changing any stored field of an entry, or removing or reordering
//! entries, breaks the chain at the first entry concerned; appending leaves every
//! earlier link valid. Backends store the hash; [`Verifier`] checks what
//! [`crate::AuditStore::audit_chain`] returns, chunk by chunk. What a bare hash chain
//! cannot see (entries cut off at the end) is covered by an anchor kept outside the
//! database: see docs/audit.md.

use crate::{AuditEntry, AuditStore, Result};
use sha2::{Digest, Sha256};

/// A link of the chain.
pub type Hash = [u8; 32];

/// What the first entry chains from.
pub const GENESIS: Hash = [0; 32];

/// Tags the encoding so that a change of format can never verify old hashes by chance.
const DOMAIN: &[u8] = b"tnw-audit-v1";

/// The fields of one entry that the chain protects, as the backend stores them
/// (the fund's code and the case's key token, not internal row ids, so the chain
/// survives a move to another backend).
#[derive(Debug, Clone, Copy)]
pub struct AuditFields<'a> {
    pub id: i64,
    pub org: &'a str,
    /// The timestamp exactly as stored.
    pub at: &'a str,
    /// The case key's token (`CaseKey::token`), `None` for entries about no dossier.
    pub case: Option<&'a str>,
    pub entry: &'a AuditEntry,
}

/// A stored audit entry with its stored hash, as [`crate::AuditStore::audit_chain`]
/// returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainedAudit {
    pub id: i64,
    pub org: String,
    pub at: String,
    pub case: Option<String>,
    pub entry: AuditEntry,
    /// `None` when the row has no hash (never written so by tnw).
    pub hash: Option<Vec<u8>>,
}

impl ChainedAudit {
    pub fn fields(&self) -> AuditFields<'_> {
        AuditFields {
            id: self.id,
            org: &self.org,
            at: &self.at,
            case: self.case.as_deref(),
            entry: &self.entry,
        }
    }
}

/// Feeds the canonical encoding of an entry's fields to `out`, piece by piece.
fn write_fields(f: &AuditFields, out: &mut impl FnMut(&[u8])) {
    out(DOMAIN);
    out(&f.id.to_be_bytes());
    write_fields_after_id(f, out);
}

/// The encoding's part after the domain tag and the id.
fn write_fields_after_id(f: &AuditFields, out: &mut impl FnMut(&[u8])) {
    // Length-prefixed strings: no two different entries share an encoding, whatever
    // their strings contain.
    let put_str = |out: &mut dyn FnMut(&[u8]), s: &str| {
        out(&(s.len() as u64).to_be_bytes());
        out(s.as_bytes());
    };
    let e = f.entry;
    put_str(out, f.org);
    put_str(out, &e.username);
    put_str(out, &e.role);
    put_str(out, &e.action);
    match f.case {
        None => out(&[0]),
        Some(c) => {
            out(&[1]);
            put_str(out, c);
        }
    }
    put_str(out, &e.what);
    put_str(out, &e.purpose);
    put_str(out, f.at);
}

/// The canonical encoding of an entry's fields.
pub fn encode(f: &AuditFields) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    write_fields(f, &mut |b: &[u8]| out.extend_from_slice(b));
    out
}

/// The canonical encoding of an entry's fields without its tag and id: `encode(f)` is
/// the tag (`tnw-audit-v1`), the id as 8 big-endian bytes, then this. What a backend
/// that numbers and hashes entries inside the database (PostgreSQL, in one round
/// trip) needs from the caller; `f.id` is not used.
pub fn encode_after_id(f: &AuditFields) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    write_fields_after_id(f, &mut |b: &[u8]| out.extend_from_slice(b));
    out
}

/// The hash of an entry that follows `prev`: SHA-256(prev ‖ encode(f)), streamed.
pub fn link(prev: &Hash, f: &AuditFields) -> Hash {
    let mut h = Sha256::new();
    h.update(prev);
    write_fields(f, &mut |b: &[u8]| h.update(b));
    h.finalize().into()
}

/// Where a writer continues the chain: the last entry's id and hash. Every backend
/// appends through this, so ids and links are computed the same way everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tip {
    pub id: i64,
    pub hash: Hash,
}

impl Tip {
    /// From the stored last entry (`None`: no entry yet). A last entry without a valid
    /// hash was tampered with: writing goes on (the audit must not stop the service)
    /// from the genesis hash, and verification reports the break.
    pub fn from_stored(last: Option<(i64, Option<Vec<u8>>)>) -> Tip {
        match last {
            None => Tip {
                id: 0,
                hash: GENESIS,
            },
            Some((id, hash)) => Tip {
                id,
                hash: hash
                    .and_then(|h| Hash::try_from(h.as_slice()).ok())
                    .unwrap_or(GENESIS),
            },
        }
    }

    /// The next entry's id (the one after the tip: ids are hashed, so the writer gives
    /// them) and hash; the tip moves to it.
    pub fn advance(
        &mut self,
        org: &str,
        at: &str,
        case: Option<&str>,
        entry: &AuditEntry,
    ) -> (i64, Hash) {
        let id = self.id + 1;
        let hash = link(
            &self.hash,
            &AuditFields {
                id,
                org,
                at,
                case,
                entry,
            },
        );
        *self = Tip { id, hash };
        (id, hash)
    }
}

#[cfg(test)]
#[test]
fn the_tip_continues_from_the_stored_last_entry() {
    let entry = AuditEntry {
        username: "u".into(),
        role: "r".into(),
        action: "a".into(),
        what: "w".into(),
        purpose: "p".into(),
    };
    let mut empty = Tip::from_stored(None);
    let (id, hash) = empty.advance("o", "t", None, &entry);
    let fields = |id| AuditFields {
        id,
        org: "o",
        at: "t",
        case: None,
        entry: &entry,
    };
    assert_eq!((id, hash), (1, link(&GENESIS, &fields(1))));
    assert_eq!(empty, Tip { id: 1, hash });
    let mut stored = Tip::from_stored(Some((41, Some(hash.to_vec()))));
    assert_eq!(
        stored.advance("o", "t", None, &entry),
        (42, link(&hash, &fields(42)))
    );
    // A damaged stored hash: writing goes on from the genesis hash.
    let damaged = Tip::from_stored(Some((5, Some(vec![1, 2, 3]))));
    assert_eq!(
        damaged,
        Tip {
            id: 5,
            hash: GENESIS
        }
    );
}

#[cfg(test)]
#[test]
fn streamed_link_is_the_hash_of_the_encoding() {
    let entry = AuditEntry {
        username: "u".into(),
        role: "r".into(),
        action: "a".into(),
        what: "w".into(),
        purpose: "p".into(),
    };
    let f = AuditFields {
        id: 7,
        org: "o",
        at: "t",
        case: Some("\"C1\""),
        entry: &entry,
    };
    let mut h = Sha256::new();
    h.update([9u8; 32]);
    h.update(encode(&f));
    let direct: Hash = h.finalize().into();
    assert_eq!(link(&[9; 32], &f), direct);
    let mut split = DOMAIN.to_vec();
    split.extend_from_slice(&7i64.to_be_bytes());
    split.extend(encode_after_id(&f));
    assert_eq!(split, encode(&f), "tag, id, then the rest");
}

/// The time an audit entry is written, as it is hashed and stored: milliseconds, UTC
/// (what SQLite's text and PostgreSQL's `timestamptz` both keep and give back). Fixed
/// by the writer, not by a column default, because it is part of the hash.
pub fn timestamp_now() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// Lowercase hexadecimal.
pub fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Parses 64 hexadecimal digits.
pub fn from_hex(s: &str) -> Option<Hash> {
    let s = s.trim();
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// The end of a verified chain: how many entries, the last one's id and hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainHead {
    pub count: u64,
    /// `None` for an empty log.
    pub last_id: Option<i64>,
    pub hash: Hash,
}

impl ChainHead {
    /// `id count hash`, one line: what an anchor file holds.
    pub fn anchor_line(&self) -> String {
        format!(
            "{} {} {}",
            self.last_id.unwrap_or(0),
            self.count,
            to_hex(&self.hash)
        )
    }
}

/// A head recorded earlier, outside the database: the entry `id` must still be there
/// with this `hash`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub id: i64,
    pub count: u64,
    pub hash: Hash,
}

impl Anchor {
    /// Parses [`ChainHead::anchor_line`].
    pub fn parse(line: &str) -> Option<Anchor> {
        let mut it = line.split_whitespace();
        let id = it.next()?.parse().ok()?;
        let count = it.next()?.parse().ok()?;
        let hash = from_hex(it.next()?)?;
        it.next().is_none().then_some(Anchor { id, count, hash })
    }
}

/// Where and how the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    /// The entry's stored hash does not match its content: it was altered (or its
    /// hash was recomputed after an earlier entry was altered).
    #[error("audit entry {id} was altered: its content does not match its hash")]
    Altered { id: i64 },
    /// The entry does not chain from the one before it and ids are missing in
    /// between: entries were removed.
    #[error("audit entries before {id} are missing (the previous entry is {})", or_none(.previous))]
    Missing { id: i64, previous: Option<i64> },
    /// Entries are not in increasing id order.
    #[error("audit entry {id} is out of order (after {previous})")]
    OutOfOrder { id: i64, previous: i64 },
    /// The anchored entry is gone: the end of the log was cut off.
    #[error("the anchored audit entry {id} (entry {count} of the chain) is missing: the log ends at entry {}", or_none(.last))]
    AnchorMissing {
        id: i64,
        count: u64,
        last: Option<i64>,
    },
    /// The anchored entry is there with another hash or place: the log was rewritten.
    #[error("the anchored audit entry {id} (entry {count} of the chain) differs from the anchor: the log was rewritten")]
    AnchorDiffers { id: i64, count: u64 },
}

fn or_none(id: &Option<i64>) -> String {
    id.map_or_else(|| "none".to_owned(), |i| i.to_string())
}

/// Checks entries in id order, any number of chunks at a time.
#[derive(Debug, Clone)]
pub struct Verifier {
    prev: Hash,
    last_id: Option<i64>,
    count: u64,
    anchor: Option<Anchor>,
    anchor_seen: bool,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier::new(None)
    }
}

impl Verifier {
    pub fn new(anchor: Option<Anchor>) -> Verifier {
        Verifier {
            prev: GENESIS,
            last_id: None,
            count: 0,
            anchor,
            anchor_seen: false,
        }
    }

    /// The id after which the next chunk starts.
    pub fn last_id(&self) -> i64 {
        self.last_id.unwrap_or(0)
    }

    /// Checks the next entry.
    pub fn push(&mut self, row: &ChainedAudit) -> std::result::Result<(), ChainBreak> {
        if let Some(prev) = self.last_id {
            if row.id <= prev {
                return Err(ChainBreak::OutOfOrder {
                    id: row.id,
                    previous: prev,
                });
            }
        }
        let expected = link(&self.prev, &row.fields());
        if row.hash.as_deref() != Some(&expected[..]) {
            // Ids are consecutive as written; a gap together with a broken link means
            // removed entries. (A gap that was there when the chain was computed links
            // fine and is not reported.)
            let gap = match self.last_id {
                Some(p) => row.id > p + 1,
                None => row.id > 1,
            };
            return Err(if gap {
                ChainBreak::Missing {
                    id: row.id,
                    previous: self.last_id,
                }
            } else {
                ChainBreak::Altered { id: row.id }
            });
        }
        self.count += 1;
        if let Some(a) = self.anchor {
            if row.id == a.id {
                if expected != a.hash || self.count != a.count {
                    return Err(ChainBreak::AnchorDiffers {
                        id: a.id,
                        count: a.count,
                    });
                }
                self.anchor_seen = true;
            }
        }
        self.prev = expected;
        self.last_id = Some(row.id);
        Ok(())
    }

    /// The end of the chain, once every entry was pushed.
    pub fn finish(self) -> std::result::Result<ChainHead, ChainBreak> {
        if let Some(a) = self.anchor {
            // An anchor of an empty log (id 0) holds nothing to find.
            if a.id > 0 && !self.anchor_seen {
                return Err(ChainBreak::AnchorMissing {
                    id: a.id,
                    count: a.count,
                    last: self.last_id,
                });
            }
        }
        Ok(ChainHead {
            count: self.count,
            last_id: self.last_id,
            hash: self.prev,
        })
    }
}

/// Walks a store's whole audit chain, `chunk` entries at a time; the outer error is
/// the store's, the inner one the first break.
pub fn verify_store(
    store: &mut dyn AuditStore,
    anchor: Option<Anchor>,
    chunk: u32,
) -> Result<std::result::Result<ChainHead, ChainBreak>> {
    let chunk = chunk.max(1);
    let mut v = Verifier::new(anchor);
    loop {
        let rows = store.audit_chain(v.last_id(), chunk)?;
        for r in &rows {
            if let Err(b) = v.push(r) {
                return Ok(Err(b));
            }
        }
        if rows.len() < chunk as usize {
            break;
        }
    }
    Ok(v.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(n: usize) -> AuditEntry {
        AuditEntry {
            username: format!("user{n}"),
            role: "coordinator".into(),
            action: "read".into(),
            what: format!("dossier {n}"),
            purpose: "coordination".into(),
        }
    }

    /// A chain as a backend would store it.
    fn chain(entries: Vec<(i64, String, String, Option<String>, AuditEntry)>) -> Vec<ChainedAudit> {
        let mut prev = GENESIS;
        entries
            .into_iter()
            .map(|(id, org, at, case, entry)| {
                let mut r = ChainedAudit {
                    id,
                    org,
                    at,
                    case,
                    entry,
                    hash: None,
                };
                prev = link(&prev, &r.fields());
                r.hash = Some(prev.to_vec());
                r
            })
            .collect()
    }

    fn sample(n: usize) -> Vec<ChainedAudit> {
        chain(
            (0..n)
                .map(|i| {
                    (
                        i as i64 + 1,
                        "fund-a".to_owned(),
                        format!("2026-01-01T00:00:{:02}.000Z", i % 60),
                        (i % 3 != 0).then(|| format!("\"C{i}\"")),
                        entry(i),
                    )
                })
                .collect(),
        )
    }

    fn run(
        rows: &[ChainedAudit],
        anchor: Option<Anchor>,
    ) -> std::result::Result<ChainHead, ChainBreak> {
        let mut v = Verifier::new(anchor);
        for r in rows {
            v.push(r)?;
        }
        v.finish()
    }

    #[test]
    fn an_intact_chain_verifies_and_reports_its_head() {
        let rows = sample(5);
        let head = run(&rows, None).unwrap();
        assert_eq!(head.count, 5);
        assert_eq!(head.last_id, Some(5));
        assert_eq!(rows[4].hash.as_deref(), Some(&head.hash[..]));
        assert_eq!(run(&[], None).unwrap().hash, GENESIS);
    }

    #[test]
    fn length_prefixes_keep_shifted_fields_apart() {
        let mut a = entry(1);
        a.username = "ab".into();
        a.role = "c".into();
        let mut b = entry(1);
        b.username = "a".into();
        b.role = "bc".into();
        let f = |e| AuditFields {
            id: 1,
            org: "o",
            at: "t",
            case: None,
            entry: e,
        };
        assert_ne!(encode(&f(&a)), encode(&f(&b)));
        // No case and a case with an empty key differ too.
        let none = f(&a);
        let empty = AuditFields {
            case: Some(""),
            ..none
        };
        assert_ne!(encode(&none), encode(&empty));
    }

    #[test]
    fn a_removed_entry_is_named_as_missing() {
        let mut rows = sample(5);
        rows.remove(2);
        assert_eq!(
            run(&rows, None),
            Err(ChainBreak::Missing {
                id: 4,
                previous: Some(2)
            })
        );
        let mut rows = sample(3);
        rows.remove(0);
        assert_eq!(
            run(&rows, None),
            Err(ChainBreak::Missing {
                id: 2,
                previous: None
            })
        );
    }

    #[test]
    fn a_gap_present_when_chained_is_not_a_break() {
        let rows = chain(vec![
            (1, "o".into(), "t".into(), None, entry(1)),
            (5, "o".into(), "t".into(), None, entry(2)),
        ]);
        assert_eq!(run(&rows, None).unwrap().count, 2);
    }

    #[test]
    fn a_missing_hash_is_an_alteration() {
        let mut rows = sample(3);
        rows[1].hash = None;
        assert_eq!(run(&rows, None), Err(ChainBreak::Altered { id: 2 }));
    }

    #[test]
    fn the_anchor_catches_a_cut_off_end() {
        let rows = sample(4);
        let head = run(&rows, None).unwrap();
        let anchor = Anchor::parse(&head.anchor_line()).unwrap();
        assert_eq!(
            anchor,
            Anchor {
                id: 4,
                count: 4,
                hash: head.hash
            }
        );
        // More entries later: still fine.
        let longer = sample(6);
        assert_eq!(run(&longer, Some(anchor)).unwrap().count, 6);
        // The last entry removed: the bare chain cannot tell, the anchor can.
        assert!(run(&rows[..3], None).is_ok());
        assert_eq!(
            run(&rows[..3], Some(anchor)),
            Err(ChainBreak::AnchorMissing {
                id: 4,
                count: 4,
                last: Some(3)
            })
        );
        // A whole log rewritten from scratch with other content.
        let mut other = sample(4);
        other[0].entry.what = "forged".into();
        let forged = chain(
            other
                .into_iter()
                .map(|r| (r.id, r.org, r.at, r.case, r.entry))
                .collect(),
        );
        assert!(matches!(
            run(&forged, Some(anchor)),
            Err(ChainBreak::AnchorDiffers { id: 4, count: 4 })
        ));
        assert!(Anchor::parse("1 2").is_none());
        assert!(Anchor::parse("1 2 zz").is_none());
    }

    #[test]
    fn hex_round_trips() {
        let h = link(&GENESIS, &sample(1)[0].fields());
        assert_eq!(from_hex(&to_hex(&h)), Some(h));
        assert_eq!(from_hex("00"), None);
    }

    /// Which field of an entry a test changes.
    fn alter(r: &mut ChainedAudit, field: usize, value: &str) {
        let v = value.to_owned();
        match field {
            0 => r.org.push_str(&v),
            1 => r.at.push_str(&v),
            2 => r.case = Some(r.case.clone().unwrap_or_default() + &v),
            3 => r.entry.username.push_str(&v),
            4 => r.entry.role.push_str(&v),
            5 => r.entry.action.push_str(&v),
            6 => r.entry.what.push_str(&v),
            7 => r.entry.purpose.push_str(&v),
            _ => r.id += 1_000_000,
        }
    }

    proptest! {
        #[test]
        fn any_altered_field_breaks_the_chain_at_that_entry(
            n in 1usize..12,
            at in 0usize..12,
            field in 0usize..9,
            value in "[a-z0-9 ]{1,6}",
        ) {
            let mut rows = sample(n);
            let at = at % n;
            alter(&mut rows[at], field, &value);
            let id = rows[at].id;
            let got = run(&rows, None);
            if field == 8 {
                // A changed id leaves the order or makes a gap: never verifies.
                prop_assert!(got.is_err());
            } else {
                prop_assert_eq!(got, Err(ChainBreak::Altered { id }));
            }
        }

        #[test]
        fn any_removal_breaks_the_chain_at_the_next_entry(n in 2usize..12, at in 0usize..12) {
            let mut rows = sample(n);
            let at = at % (n - 1); // not the last: that needs the anchor
            rows.remove(at);
            let id = rows[at].id;
            let previous = (at > 0).then(|| rows[at - 1].id);
            prop_assert_eq!(run(&rows, None), Err(ChainBreak::Missing { id, previous }));
        }

        #[test]
        fn any_swap_breaks_the_chain(n in 2usize..12, a in 0usize..12, b in 0usize..12) {
            let mut rows = sample(n);
            let (a, b) = (a % n, b % n);
            prop_assume!(a != b);
            rows.swap(a, b);
            prop_assert!(run(&rows, None).is_err());
        }

        #[test]
        fn appending_keeps_earlier_links(n in 0usize..10, more in 1usize..10) {
            let short = sample(n);
            let long = sample(n + more);
            prop_assert_eq!(&long[..n], &short[..]);
            let head = run(&short, None).unwrap();
            let anchor = Anchor { id: head.last_id.unwrap_or(0), count: head.count, hash: head.hash };
            prop_assert_eq!(run(&long, Some(anchor)).map(|h| h.count), Ok((n + more) as u64));
        }

        #[test]
        fn chunking_does_not_matter(n in 0usize..20, chunk in 1usize..7) {
            let rows = sample(n);
            let mut v = Verifier::new(None);
            for c in rows.chunks(chunk) {
                for r in c {
                    prop_assert!(v.push(r).is_ok());
                }
            }
            prop_assert_eq!(v.finish(), run(&rows, None));
        }
    }
}
