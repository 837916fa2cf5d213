//! From a row of text cells to the JSON the API takes: the columns of the record exports
//! (`export::records::tables`) mapped back to fields. Derived columns (names beside ids,
//! first/last days, time stamps) are read but not used; unknown columns are refused.
use serde_json::{Map, Value};

use super::read::{Row, Table};
use super::ImportProblem;
use crate::domain::is_record_id;
use crate::export::records::TABLES;

/// How a column's text becomes a field value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Bool,
    Int,
    /// Euros (`30000,5`, `30.000,50` or `30000.5`) into cents.
    Euros,
    /// Comma-separated codes or ids.
    List,
    /// One `SOURCE_ID LOCATOR` a line.
    Citations,
}

/// What a column is to the import: `None` for a column it reads but does not use.
fn column(name: &str) -> Option<(&str, Kind)> {
    let derived = name.ends_with("_first_day")
        || name.ends_with("_last_day")
        || matches!(
            name,
            "created_at"
                | "updated_at"
                | "person_name"
                | "organisation_name"
                | "funder_name"
                | "recipient_name"
                | "source_name"
                | "target_name"
        );
    if derived {
        return None;
    }
    let kind = match name {
        "is_pseudonym" | "paid" | "project_bound" => Kind::Bool,
        "member_count_min" | "member_count_max" | "approx_size" => Kind::Int,
        "amount_min_eur" => return Some(("amount_min", Kind::Euros)),
        "amount_max_eur" => return Some(("amount_max", Kind::Euros)),
        "purposes" | "functions" | "resource_modes" | "fields_of_work" | "co_applicant_ids"
        | "carrier_ids" => Kind::List,
        "citations" => Kind::Citations,
        _ => Kind::Text,
    };
    Some((name, kind))
}

/// The column a field's problem is reported in (the inverse of `column`).
pub fn column_of_field(field: &str) -> String {
    let head = field.split(['.', '[']).next().unwrap_or(field);
    match head {
        "amount_min" => "amount_min_eur".into(),
        "amount_max" => "amount_max_eur".into(),
        "body" | "" => String::new(),
        other => other.into(),
    }
}

/// Columns a table must have for its rows to mean anything.
fn required(table: &str) -> &'static [&'static str] {
    match table {
        "organisations" => &["name", "kind"],
        "persons" => &["display_name"],
        "affiliations" => &["person_id", "organisation_id", "role"],
        "fundings" => &["funder_id", "recipient_id", "status"],
        "relations" => &["source_id", "target_id", "kind"],
        _ => &["title"],
    }
}

/// Problems with a table's header: unknown, repeated and missing columns.
pub fn check_header(table: &Table) -> Vec<ImportProblem> {
    let known = TABLES
        .iter()
        .find(|(t, _)| *t == table.name)
        .map_or(&[][..], |(_, c)| *c);
    let at = |column: &str, message: String| ImportProblem {
        file: table.file.clone(),
        table: Some(table.name.to_string()),
        line: Some(1),
        column: Some(column.to_string()),
        message,
    };
    let mut problems = Vec::new();
    for (i, h) in table.header.iter().enumerate() {
        if !known.contains(&h.as_str()) {
            problems.push(at(
                h,
                format!(
                    "is not a column of {} (the columns are: {})",
                    table.name,
                    known.join(", ")
                ),
            ));
        } else if table.header[..i].contains(h) {
            problems.push(at(h, "appears twice".into()));
        }
    }
    for r in required(table.name) {
        if !table.header.iter().any(|h| h == r) {
            problems.push(at(r, format!("is missing: {} need it", table.name)));
        }
    }
    problems
}

/// A row read: its id (if it has one) and its fields, `None` where a cell is empty.
pub struct RowFields {
    pub id: Option<String>,
    pub fields: Vec<(String, Option<Value>)>,
}

impl RowFields {
    /// Applies the row to a record's JSON (an empty object for a new record).
    pub fn apply(&self, object: &mut Map<String, Value>) {
        for (field, value) in &self.fields {
            match value {
                Some(v) => object.insert(field.clone(), v.clone()),
                None => object.remove(field),
            };
        }
    }

    /// Replaces ids the file used by the registry's ids of the same records.
    pub fn remap(&mut self, ids: &std::collections::HashMap<String, String>) {
        let swap = |v: &mut Value| {
            if let Value::String(s) = v {
                if let Some(new) = ids.get(s.as_str()) {
                    *s = new.clone();
                }
            }
        };
        for (field, value) in &mut self.fields {
            let Some(value) = value else { continue };
            match field.as_str() {
                "parent_id" | "person_id" | "organisation_id" | "funding_id" | "funder_id"
                | "recipient_id" | "source_id" | "target_id" => swap(value),
                "co_applicant_ids" | "carrier_ids" => {
                    if let Value::Array(items) = value {
                        items.iter_mut().for_each(swap);
                    }
                }
                "citations" => {
                    if let Value::Array(items) = value {
                        for c in items {
                            if let Some(s) = c.get_mut("source_id") {
                                swap(s);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Reads one row; every problem of its cells at once.
pub fn row_fields(table: &Table, row: &Row) -> Result<RowFields, Vec<ImportProblem>> {
    let mut problems = Vec::new();
    let mut out = RowFields {
        id: None,
        fields: Vec::new(),
    };
    let at = |column: &str, message: String| ImportProblem {
        file: table.file.clone(),
        table: Some(table.name.to_string()),
        line: Some(row.line),
        column: Some(column.to_string()),
        message,
    };
    if row.cells.len() > table.header.len()
        && row.cells[table.header.len()..]
            .iter()
            .any(|c| !c.trim().is_empty())
    {
        problems.push(ImportProblem {
            column: None,
            ..at(
                "",
                format!(
                    "has {} cells but the header only {} columns",
                    row.cells.len(),
                    table.header.len()
                ),
            )
        });
    }
    for (i, name) in table.header.iter().enumerate() {
        let cell = row.cells.get(i).map_or("", |c| c.as_str());
        let text = cell.trim();
        if name == "id" {
            if !text.is_empty() {
                if is_record_id(text) {
                    out.id = Some(text.to_lowercase());
                } else {
                    problems.push(at(name, "must be a record id (a UUID) or empty".into()));
                }
            }
            continue;
        }
        let Some((field, kind)) = column(name) else {
            continue;
        };
        if text.is_empty() {
            out.fields.push((field.to_string(), None));
            continue;
        }
        match value(kind, text) {
            Ok(v) => out.fields.push((field.to_string(), Some(v))),
            Err(message) => problems.push(at(name, message)),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn value(kind: Kind, text: &str) -> Result<Value, String> {
    Ok(match kind {
        Kind::Text => Value::String(text.to_string()),
        Kind::Bool => Value::Bool(boolean(text)?),
        Kind::Int => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| "must be a whole number".to_string())?,
        Kind::Euros => Value::from(cents(text)?),
        Kind::List => Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        ),
        Kind::Citations => Value::Array(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| {
                    let (source, locator) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
                    serde_json::json!({ "source_id": source, "locator": locator.trim() })
                })
                .collect(),
        ),
    })
}

fn boolean(text: &str) -> Result<bool, String> {
    match text.to_lowercase().as_str() {
        "true" | "wahr" | "ja" | "yes" | "1" | "x" => Ok(true),
        "false" | "falsch" | "nein" | "no" | "0" => Ok(false),
        _ => Err("must be true or false (ja/nein)".into()),
    }
}

/// Euros as written in German or English spreadsheets, in cents.
fn cents(text: &str) -> Result<i64, String> {
    let bad = || "must be an amount in euros such as 30000 or 30000,50".to_string();
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€')
        .collect();
    let german_thousands = |s: &str| {
        let mut parts = s.split('.');
        parts.next().is_some_and(|p| (1..=3).contains(&p.len()))
            && parts.all(|p| p.len() == 3)
            && s.contains('.')
    };
    let normal = match (t.rfind(','), t.rfind('.')) {
        // 30.000,50 (German) or 30,000.50 (English)
        (Some(c), Some(d)) if c > d => t.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => t.replace(',', ""),
        (Some(_), None) => t.replace(',', "."),
        (None, Some(_)) if german_thousands(&t) => t.replace('.', ""),
        _ => t,
    };
    let (whole, fraction) = normal.split_once('.').unwrap_or((&normal, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || fraction.len() > 2
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let euros: i64 = whole.parse().map_err(|_| bad())?;
    let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
    euros
        .checked_mul(100)
        .and_then(|e| e.checked_add(cents))
        .ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_german_and_english() {
        assert_eq!(cents("30000"), Ok(3_000_000));
        assert_eq!(cents("30000,5"), Ok(3_000_050));
        assert_eq!(cents("30.000,50 €"), Ok(3_000_050));
        assert_eq!(cents("30.000"), Ok(3_000_000));
        assert_eq!(cents("30,000.50"), Ok(3_000_050));
        assert_eq!(cents("30000.5"), Ok(3_000_050));
        assert!(cents("30000,505").is_err());
        assert!(cents("-5").is_err());
        assert!(cents("viel").is_err());
    }

    #[test]
    fn cells_to_fields() {
        let table = Table {
            file: "f.csv".into(),
            name: "organisations",
            header: [
                "id",
                "name",
                "purposes",
                "member_count_min",
                "created_at",
                "citations",
            ]
            .map(String::from)
            .to_vec(),
            rows: Vec::new(),
        };
        let row = Row {
            line: 2,
            cells: ["", " A ", "culture, youth", "12", "x", "s1 4.3, p. 2\ns2"]
                .map(String::from)
                .to_vec(),
        };
        let f = row_fields(&table, &row).ok().unwrap();
        assert_eq!(f.id, None);
        let mut object = Map::new();
        f.apply(&mut object);
        assert_eq!(
            Value::Object(object),
            serde_json::json!({
                "name": "A", "purposes": ["culture", "youth"], "member_count_min": 12,
                "citations": [{"source_id": "s1", "locator": "4.3, p. 2"},
                              {"source_id": "s2", "locator": ""}]
            })
        );
        let bad = Row {
            line: 7,
            cells: ["nope", "A", "", "zwölf", "", ""]
                .map(String::from)
                .to_vec(),
        };
        let problems = row_fields(&table, &bad).err().unwrap();
        let columns: Vec<_> = problems.iter().map(|p| p.column.clone().unwrap()).collect();
        assert_eq!(columns, ["id", "member_count_min"]);
        assert!(problems.iter().all(|p| p.line == Some(7)));
    }

    #[test]
    fn header_problems() {
        let table = Table {
            file: "f.csv".into(),
            name: "organisations",
            header: ["name", "ethnicity", "name"].map(String::from).to_vec(),
            rows: Vec::new(),
        };
        let problems = check_header(&table);
        let columns: Vec<_> = problems.iter().map(|p| p.column.clone().unwrap()).collect();
        assert_eq!(columns, ["ethnicity", "name", "kind"]);
    }
}
