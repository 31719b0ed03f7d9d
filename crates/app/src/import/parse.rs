//! Reading the file: every line parsed into a typed event (in parallel, on pieces
//! that end on line boundaries), or rejected with its line number and reason.

use super::{Parsed, Rejection};
use rayon::prelude::*;
use tnw_domain::event::parse_line;

/// Splits `data` into about `n` pieces that end on line boundaries.
fn split_on_lines(data: &[u8], n: usize) -> Vec<&[u8]> {
    let target = (data.len() / n.max(1)).max(1 << 20);
    let mut pieces = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        if rest.len() <= target {
            pieces.push(rest);
            break;
        }
        let cut = match rest[target..].iter().position(|&b| b == b'\n') {
            Some(i) => target + i + 1,
            None => rest.len(),
        };
        pieces.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    pieces
}

/// Parses every line; returns the parsed events (in line order) and the rejections.
pub(super) fn parse_all(data: &[u8]) -> (Vec<Parsed>, Vec<Rejection>, u64) {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let pieces = split_on_lines(data, rayon::current_num_threads() * 8);
    let line_counts: Vec<u64> = pieces
        .par_iter()
        .map(|p| {
            let n = p.iter().filter(|&&b| b == b'\n').count() as u64;
            n + u64::from(!p.is_empty() && !p.ends_with(b"\n"))
        })
        .collect();
    let mut first_line = Vec::with_capacity(pieces.len());
    let mut acc = 1u64;
    for n in &line_counts {
        first_line.push(acc);
        acc += n;
    }
    let results: Vec<(Vec<Parsed>, Vec<Rejection>, u64)> = pieces
        .par_iter()
        .zip(first_line)
        .map(|(piece, first)| {
            let mut ok = Vec::new();
            let mut bad = Vec::new();
            let mut nonblank = 0u64;
            let body = piece.strip_suffix(b"\n").unwrap_or(piece);
            for (i, raw) in body.split(|&b| b == b'\n').enumerate() {
                let line = first + i as u64;
                let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
                if raw.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                nonblank += 1;
                let text = match std::str::from_utf8(raw) {
                    Ok(t) => t,
                    Err(e) => {
                        bad.push(Rejection {
                            line,
                            reason: format!("not valid UTF-8 (byte {})", e.valid_up_to() + 1),
                        });
                        continue;
                    }
                };
                match parse_line(text) {
                    Ok(e) => ok.push(Parsed {
                        line,
                        case: e.case,
                        date: e.date,
                        event: e.event,
                    }),
                    Err(e) => bad.push(Rejection { line, reason: e.0 }),
                }
            }
            (ok, bad, nonblank)
        })
        .collect();
    let mut parsed = Vec::with_capacity(results.iter().map(|r| r.0.len()).sum());
    let mut rejected = Vec::new();
    let mut lines = 0;
    for (ok, bad, n) in results {
        parsed.extend(ok);
        rejected.extend(bad);
        lines += n;
    }
    (parsed, rejected, lines)
}
