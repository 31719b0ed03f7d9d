//! Survey responses and the CSV import format (docs/domain.md 7.3): a header row of
//! question codes in any order, one row per respondent, an empty cell for "not asked".
//! A file is checked completely and every bad row reported; the caller stores the
//! responses only when there is none (all or nothing per file).

use crate::instrument::{Instrument, Kind, Question};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// One respondent's answers: question code → answer code (Likert `1`–`5`, integers as
/// digits). Questions not asked are absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub respondent: String,
    pub answers: BTreeMap<String, String>,
}

impl Response {
    /// The answers as a JSON object with sorted keys: the same answers always give the
    /// same text, so a re-import can recognise them.
    pub fn answers_json(&self) -> String {
        serde_json::to_string(&self.answers).unwrap_or_else(|_| "{}".into())
    }

    pub fn from_json(respondent: &str, answers: &str) -> Result<Response, String> {
        let answers: BTreeMap<String, String> = serde_json::from_str(answers)
            .map_err(|e| format!("respondent `{respondent}`: stored answers unreadable: {e}"))?;
        Ok(Response {
            respondent: respondent.to_owned(),
            answers,
        })
    }

    pub fn get(&self, code: &str) -> Option<&str> {
        self.answers.get(code).map(String::as_str)
    }
}

/// A rejected row: its file line (1 = the header; a quoted cell may span lines, the
/// row's first line counts), its data row (1 = the first row after the header), the
/// column, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub row: u64,
    pub column: Option<String>,
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} (data row {})", self.line, self.row)?;
        if let Some(c) = &self.column {
            write!(f, ", column `{c}`")?;
        }
        write!(f, ": {}", self.reason)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty: a header row of question codes is needed")]
    Empty,
    #[error("header (line 1): {}", .0.join("; "))]
    Header(Vec<String>),
    #[error("{} row error(s), nothing imported; first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Rows(Vec<RowError>),
}

/// Longest respondent id.
pub const MAX_ID: usize = 100;

/// Semicolons when the header has more of them than commas (spreadsheets with a
/// Belgian locale export `;`), commas otherwise.
fn delimiter(data: &[u8]) -> u8 {
    let first = data.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let count = |c: u8| first.iter().filter(|b| **b == c).count();
    if count(b';') > count(b',') {
        b';'
    } else {
        b','
    }
}

enum Column<'a> {
    Id,
    Question(&'a Question),
}

/// Checks one answer against its question: `Ok(())` or the reason.
pub fn check_value(i: &Instrument, q: &Question, v: &str) -> Result<(), String> {
    match q.kind {
        Kind::Single => {
            if q.options.iter().any(|o| o.code == v) {
                Ok(())
            } else {
                Err(format!(
                    "`{v}` is not an option (expected one of {})",
                    i.option_codes(q).join(", ")
                ))
            }
        }
        Kind::Likert => {
            if matches!(v, "1" | "2" | "3" | "4" | "5") {
                Ok(())
            } else {
                Err(format!("`{v}` is not on the Likert scale 1–5"))
            }
        }
        Kind::Integer => {
            // Digits only: no sign, no decimals, no thousands separator.
            let n = if v.bytes().all(|b| b.is_ascii_digit()) {
                v.parse::<u32>().ok()
            } else {
                None
            };
            match n {
                None => Err(format!("`{v}` is not a whole number")),
                Some(n) if n < q.min || n > q.max => {
                    Err(format!("{n} is outside {}–{}", q.min, q.max))
                }
                Some(_) => Ok(()),
            }
        }
    }
}

/// Checks a respondent's answers as a whole: every value valid and every answered
/// question asked by the routing. Returns (column, reason) per problem.
pub fn check_response(i: &Instrument, r: &Response) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let mut invalid: Vec<&str> = Vec::new();
    for (code, v) in &r.answers {
        match i.question(code) {
            None => problems.push((code.clone(), "not a question of this survey".into())),
            Some(q) => {
                if let Err(why) = check_value(i, q, v) {
                    problems.push((code.clone(), why));
                    invalid.push(code);
                }
            }
        }
    }
    for q in &i.questions {
        let Some(v) = r.get(&q.code) else { continue };
        if invalid.contains(&q.code.as_str())
            || q.asked_if.keys().any(|k| invalid.contains(&k.as_str()))
        {
            // Already reported: a bad routing answer would only add noise here.
            continue;
        }
        if !i.asked(q, |c| r.get(c)) {
            let here = q
                .asked_if
                .keys()
                .map(|k| match r.get(k) {
                    Some(a) => format!("`{k}` is {a}"),
                    None => format!("`{k}` is empty"),
                })
                .collect::<Vec<_>>()
                .join(", ");
            problems.push((
                q.code.clone(),
                format!(
                    "answered `{v}`, but it is asked only when {} (here {here})",
                    i.routing_text(q)
                ),
            ));
        }
    }
    problems
}

/// The header's columns and where the respondent's id is, or every problem of the
/// header.
fn read_header<'i>(
    i: &'i Instrument,
    header: &csv::ByteRecord,
) -> Result<(Vec<Column<'i>>, usize), ImportError> {
    let mut problems = Vec::new();
    let mut columns: Vec<Column> = Vec::new();
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    for (k, raw) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(raw);
        // A byte-order mark (spreadsheet exports) is not part of the first name.
        let name = name.trim_start_matches('\u{feff}').trim().to_owned();
        let n = k + 1;
        if name.is_empty() {
            problems.push(format!("column {n} has no name"));
        } else if let Some(prev) = first_seen.get(&name) {
            problems.push(format!(
                "column `{name}` appears twice (columns {prev} and {n})"
            ));
        } else if name == i.id_column {
            columns.push(Column::Id);
        } else if let Some(q) = i.question(&name) {
            columns.push(Column::Question(q));
        } else {
            problems.push(format!(
                "unknown column `{name}` (column {n}): not a question code of {}",
                i.version
            ));
        }
        first_seen.entry(name).or_insert(n);
    }
    let id_at = header.iter().position(|h| {
        String::from_utf8_lossy(h)
            .trim_start_matches('\u{feff}')
            .trim()
            == i.id_column
    });
    if id_at.is_none() {
        problems.push(format!("no `{}` column (the respondent's id)", i.id_column));
    }
    match id_at.filter(|_| problems.is_empty()) {
        Some(id_at) => Ok((columns, id_at)),
        None => Err(ImportError::Header(problems)),
    }
}

/// Where a row is: its line in the file and its number among the rows.
#[derive(Clone, Copy)]
struct Row {
    line: u64,
    row: u64,
}

/// One row as a response, or its problems added to `errors`; `ids` holds the ids seen
/// so far, with their lines.
fn read_row(
    i: &Instrument,
    columns: &[Column],
    id_at: usize,
    at: Row,
    record: &csv::ByteRecord,
    ids: &mut HashMap<String, u64>,
    errors: &mut Vec<RowError>,
) -> Option<Response> {
    let Row { line, row } = at;
    // Every column of a valid header is the id or a question.
    let width = columns.len();
    let err = |column: Option<&str>, reason: String| RowError {
        line,
        row,
        column: column.map(str::to_owned),
        reason,
    };
    if record.iter().all(|c| c.is_empty()) {
        // Spreadsheets leave rows of empty cells at the end: nothing to import.
        return None;
    }
    if record.len() != width {
        errors.push(err(
            None,
            format!("has {} cells, the header has {width}", record.len()),
        ));
        return None;
    }
    let mut cells: Vec<&str> = Vec::with_capacity(width);
    let mut utf8 = true;
    for c in record.iter() {
        match std::str::from_utf8(c) {
            Ok(s) => cells.push(s),
            Err(_) => utf8 = false,
        }
    }
    if !utf8 {
        errors.push(err(None, "not valid UTF-8 text".into()));
        return None;
    }
    let id = cells[id_at];
    if id.is_empty() {
        errors.push(err(Some(&i.id_column), "no respondent id".into()));
        return None;
    }
    if id.chars().count() > MAX_ID || id.chars().any(char::is_control) {
        errors.push(err(
            Some(&i.id_column),
            format!("a respondent id has at most {MAX_ID} characters and no control characters"),
        ));
        return None;
    }
    if let Some(first) = ids.get(id) {
        errors.push(err(
            Some(&i.id_column),
            format!("respondent `{id}` appears again (first on line {first})"),
        ));
        return None;
    }
    ids.insert(id.to_owned(), line);
    let mut answers = BTreeMap::new();
    for (col, cell) in columns.iter().zip(&cells) {
        if let (Column::Question(q), false) = (col, cell.is_empty()) {
            answers.insert(q.code.clone(), (*cell).to_owned());
        }
    }
    let r = Response {
        respondent: id.to_owned(),
        answers,
    };
    let mut problems = check_response(i, &r);
    if problems.is_empty() {
        return Some(r);
    }
    // Report in the file's column order, so a reader can follow along.
    let position = |c: &str| {
        columns
            .iter()
            .position(|col| matches!(col, Column::Question(q) if q.code == c))
            .unwrap_or(usize::MAX)
    };
    problems.sort_by_key(|(c, _)| position(c));
    errors.extend(problems.into_iter().map(|(c, why)| err(Some(&c), why)));
    None
}

/// Reads a CSV file of responses. Either every row is valid and all responses come
/// back (in file order), or every problem found is reported.
pub fn parse_csv(i: &Instrument, data: &[u8]) -> Result<Vec<Response>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(data))
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(data);
    let mut records = reader.byte_records();
    let header = match records.next() {
        None => return Err(ImportError::Empty),
        Some(Err(e)) => return Err(ImportError::Header(vec![e.to_string()])),
        Some(Ok(h)) => h,
    };
    let (columns, id_at) = read_header(i, &header)?;
    let mut errors: Vec<RowError> = Vec::new();
    let mut out: Vec<Response> = Vec::new();
    let mut ids: HashMap<String, u64> = HashMap::new();
    let mut row = 0u64;
    for record in records {
        row += 1;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let reason = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "not valid UTF-8 text".to_owned(),
                    _ => e.to_string(),
                };
                errors.push(RowError {
                    line,
                    row,
                    column: None,
                    reason,
                });
                continue;
            }
        };
        let line = record.position().map_or(row + 1, |p| p.line());
        let at = Row { line, row };
        if let Some(r) = read_row(i, &columns, id_at, at, &record, &mut ids, &mut errors) {
            out.push(r);
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ImportError::Rows(errors))
    }
}

/// Writes responses as the import CSV: the id column, then every question in the
/// instrument's order.
pub fn to_csv(i: &Instrument, responses: &[Response]) -> String {
    let mut out = String::new();
    out.push_str(&i.id_column);
    for q in &i.questions {
        out.push(',');
        out.push_str(&q.code);
    }
    out.push('\n');
    for r in responses {
        out.push_str(&csv_field(&r.respondent));
        for q in &i.questions {
            out.push(',');
            out.push_str(&csv_field(r.get(&q.code).unwrap_or("")));
        }
        out.push('\n');
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', ';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}
