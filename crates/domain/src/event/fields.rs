//! Checks of single fields: free text, required fields, closed value sets, dates,
//! the case key and the steps of an action plan.

use super::model::{CaseKey, EventType, PlanStep};
use super::parse::{err, ParseError};
use super::raw::RawStep;
use super::values::StepOwner;
use crate::date::{parse_date, Date};

pub(super) fn text(field: &str, v: &str, max: usize) -> Result<String, ParseError> {
    if v.trim().is_empty() {
        return err(format!("`{field}` must not be empty"));
    }
    if v.chars().count() > max {
        return err(format!("`{field}` is longer than {max} characters"));
    }
    if v.chars().any(char::is_control) {
        return err(format!("`{field}` contains control characters"));
    }
    Ok(v.to_owned())
}

pub(super) fn opt_text(
    field: &str,
    v: Option<&str>,
    max: usize,
) -> Result<Option<String>, ParseError> {
    v.map(|v| text(field, v, max)).transpose()
}

/// Free text that may span lines (notes): newlines and tabs are allowed, other control
/// characters are not.
pub(super) fn opt_text_multiline(
    field: &str,
    v: Option<&str>,
    max: usize,
) -> Result<Option<String>, ParseError> {
    let Some(v) = v else { return Ok(None) };
    if v.trim().is_empty() {
        return err(format!("`{field}` must not be empty"));
    }
    if v.chars().count() > max {
        return err(format!("`{field}` is longer than {max} characters"));
    }
    if v.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return err(format!("`{field}` contains control characters"));
    }
    Ok(Some(v.to_owned()))
}

pub(super) fn plan_step(n: usize, s: RawStep) -> Result<PlanStep, ParseError> {
    let field = |f: &str| format!("steps[{n}].{f}");
    let missing = |f: &str| ParseError(format!("`{}` is missing", field(f)));
    let step = text(&field("step"), &s.step.ok_or_else(|| missing("step"))?, 300)?;
    let owner_text = s.owner.ok_or_else(|| missing("owner"))?;
    let owner = StepOwner::parse(&owner_text).ok_or_else(|| {
        ParseError(format!(
            "`{}`: `{owner_text}` is not one of {}",
            field("owner"),
            StepOwner::expected()
        ))
    })?;
    let due = date_field(&field("due"), &s.due.ok_or_else(|| missing("due"))?)?;
    Ok(PlanStep { step, owner, due })
}

pub(super) fn req<T>(field: &str, kind: EventType, v: Option<T>) -> Result<T, ParseError> {
    match v {
        Some(v) => Ok(v),
        None => err(format!("{kind} needs the field `{field}`")),
    }
}

/// A required field of a closed value set, parsed. A macro because each set is its own
/// type; the caller has `req` and `ParseError` in scope.
macro_rules! enum_field {
    ($ty:ident, $field:literal, $kind:expr, $value:expr) => {{
        let v = req($field, $kind, $value)?;
        $ty::parse(&v).ok_or_else(|| {
            ParseError(format!(
                "`{}`: `{}` is not one of {}",
                $field,
                v,
                $ty::expected()
            ))
        })?
    }};
}
pub(super) use enum_field;

pub(super) fn date_field(field: &str, v: &str) -> Result<Date, ParseError> {
    parse_date(v).map_err(|e| ParseError(format!("`{field}`: {e}")))
}

pub(super) fn case_key(raw: &serde_json::value::RawValue) -> Result<CaseKey, ParseError> {
    let s = raw.get();
    match serde_json::from_str::<serde_json::Value>(s) {
        Ok(serde_json::Value::String(id)) => {
            text("case", &id, 64)?;
            // Re-encode so that equivalent escapes give one key.
            Ok(CaseKey(serde_json::Value::String(id).to_string()))
        }
        Ok(serde_json::Value::Number(n)) => match n.as_u64() {
            Some(n) => Ok(CaseKey(n.to_string())),
            None => err("`case` must be a string or a non-negative integer"),
        },
        _ => err("`case` must be a string or a non-negative integer"),
    }
}
