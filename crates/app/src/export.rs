//! Tables of figures and their exports (CSV, XLSX). The page, the CSV and the XLSX
//! are built from the same [`Table`]s, so they always agree. Small counts are
//! suppressed here for whoever must not see them.

use serde::Serialize;

/// One cell of a figures table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Text(String),
    Count(u64),
    Number(f64),
    /// A share (0.25 is a quarter): written as the number, shown as a percentage.
    Rate(f64),
    /// A count below the disclosure threshold, shown as `<5`.
    Small,
    /// No value (undefined, or derived from a suppressed count).
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn number(x: Option<f64>) -> Cell {
        x.map_or(Cell::Empty, Cell::Number)
    }

    pub fn rate(x: Option<f64>) -> Cell {
        x.map_or(Cell::Empty, Cell::Rate)
    }

    /// As shown on a page and written to CSV.
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Number(x) | Cell::Rate(x) => format!("{x}"),
            Cell::Small => format!("<{SMALL}"),
            Cell::Empty => String::new(),
        }
    }
}

/// Counts from 1 to this − 1 are not shown to those who see aggregates only.
pub const SMALL: u64 = 5;

/// A titled table with a header row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub id: String,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Suppression for aggregate-only viewers: a count of 1–4 becomes `<5`, and a number
/// derived from such a count (the `base` column named for each number column) is
/// hidden.
pub fn suppress(t: &mut Table, derived_from: &[(usize, usize)]) {
    for row in &mut t.rows {
        let small: Vec<bool> = row
            .iter()
            .map(|c| matches!(c, Cell::Count(n) if (1..SMALL).contains(n)))
            .collect();
        for &(col, base) in derived_from {
            let base_small = small.get(base).copied().unwrap_or(false)
                || matches!(row.get(base), Some(Cell::Count(0)));
            if base_small {
                if let Some(c) = row.get_mut(col) {
                    *c = Cell::Empty;
                }
            }
        }
        for (c, s) in row.iter_mut().zip(small) {
            if s {
                *c = Cell::Small;
            }
        }
    }
}

/// A text cell that a spreadsheet would run as a formula gets a leading apostrophe.
pub fn defuse(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// All tables in one CSV: `table,<columns…>` per table, then its rows.
pub fn to_csv(tables: &[Table]) -> String {
    let mut out = String::new();
    for t in tables {
        out.push_str("table");
        for c in &t.columns {
            out.push(',');
            out.push_str(&csv_field(&defuse(c)));
        }
        out.push('\n');
        for row in &t.rows {
            out.push_str(&csv_field(&t.id));
            for c in row {
                out.push(',');
                let text = match c {
                    Cell::Text(s) => defuse(s),
                    other => other.display(),
                };
                out.push_str(&csv_field(&text));
            }
            out.push('\n');
        }
    }
    out
}

#[derive(Debug, thiserror::Error)]
#[error("spreadsheet: {0}")]
pub struct XlsxError(#[from] rust_xlsxwriter::XlsxError);

/// One worksheet per table; numbers stay numbers, text is never a formula.
pub fn to_xlsx(tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    for t in tables {
        let ws = wb.add_worksheet();
        // Sheet names: at most 31 characters, none of []:*?/\ (our ids are [a-z_]).
        let name: String = t.id.chars().take(31).collect();
        ws.set_name(&name)?;
        ws.write_string_with_format(0, 0, defuse(&t.title), &bold)?;
        for (j, c) in t.columns.iter().enumerate() {
            ws.write_string_with_format(1, j as u16, defuse(c), &bold)?;
        }
        for (i, row) in t.rows.iter().enumerate() {
            let r = i as u32 + 2;
            for (j, c) in row.iter().enumerate() {
                let col = j as u16;
                match c {
                    Cell::Text(s) => ws.write_string(r, col, defuse(s))?,
                    Cell::Count(n) => ws.write_number(r, col, *n as f64)?,
                    Cell::Number(x) | Cell::Rate(x) => ws.write_number(r, col, *x)?,
                    Cell::Small => ws.write_string(r, col, Cell::Small.display())?,
                    Cell::Empty => ws,
                };
            }
        }
        ws.set_column_width(0, 28)?;
    }
    Ok(wb.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            id: "t".into(),
            title: "T".into(),
            columns: vec!["what".into(), "n".into(), "rate".into()],
            rows: vec![
                vec![
                    Cell::text("=HYPERLINK(\"x\")"),
                    Cell::Count(3),
                    Cell::Number(0.5),
                ],
                vec![Cell::text("ok, fine"), Cell::Count(12), Cell::Number(0.25)],
                vec![Cell::text("none"), Cell::Count(0), Cell::Number(0.0)],
            ],
        }
    }

    #[test]
    fn small_counts_and_what_derives_from_them_are_hidden() {
        let mut t = table();
        suppress(&mut t, &[(2, 1)]);
        assert_eq!(t.rows[0][1], Cell::Small);
        assert_eq!(t.rows[0][2], Cell::Empty);
        assert_eq!(t.rows[1][1], Cell::Count(12));
        assert_eq!(t.rows[2][1], Cell::Count(0), "zero is not disclosive");
        assert_eq!(t.rows[2][2], Cell::Empty, "no rate over nobody");
    }

    #[test]
    fn csv_defuses_formulas_and_quotes() {
        let csv = to_csv(&[table()]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "table,what,n,rate");
        assert_eq!(lines[1], "t,\"'=HYPERLINK(\"\"x\"\")\",3,0.5");
        assert_eq!(lines[2], "t,\"ok, fine\",12,0.25");
        for bad in ["+1", "-2", "@x", "=1+1"] {
            assert!(defuse(bad).starts_with('\''), "{bad}");
        }
        assert_eq!(defuse("fine"), "fine");
    }

    #[test]
    fn xlsx_is_a_zip_with_one_sheet_per_table() {
        let mut t2 = table();
        t2.id = "second".into();
        let bytes = to_xlsx(&[table(), t2]).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        assert!(bytes.len() > 1000);
    }
}
