//! The columns of the record exports, the same in every file format (README, "Exports"):
//! one table per record type, each row one live record. Codes as the API writes them,
//! dates as the partial ISO text stored plus the first or last day they cover, amounts
//! in euros as numbers, lists of codes or ids separated by commas, citations one per
//! line as `SOURCE_ID LOCATOR`.
use std::borrow::Cow;

use crate::domain::enums::join_list;
use crate::domain::*;
use crate::export::xlsx::Value;

/// Looks up the name of an organisation or person by id, for the name columns beside ids.
pub trait Names {
    fn name(&self, id: &str) -> Option<&str>;
}

pub const ORGANISATIONS: &[&str] = &[
    "id",
    "name",
    "short_name",
    "kind",
    "legal_form",
    "parent_id",
    "city",
    "country",
    "founded",
    "founded_first_day",
    "dissolved",
    "dissolved_last_day",
    "register_court",
    "register_number",
    "website",
    "description",
    "self_description",
    "working_principle",
    "member_count_min",
    "member_count_max",
    "orientation",
    "country_focus",
    "purposes",
    "functions",
    "composition",
    "resource_modes",
    "citations",
    "created_at",
    "updated_at",
];

pub const PERSONS: &[&str] = &[
    "id",
    "display_name",
    "is_pseudonym",
    "visibility",
    "notes",
    "citations",
    "created_at",
    "updated_at",
];

pub const AFFILIATIONS: &[&str] = &[
    "id",
    "person_id",
    "person_name",
    "organisation_id",
    "organisation_name",
    "role",
    "title",
    "start",
    "start_first_day",
    "end",
    "end_last_day",
    "paid",
    "project_bound",
    "fields_of_work",
    "funding_id",
    "citations",
    "created_at",
    "updated_at",
];

pub const FUNDINGS: &[&str] = &[
    "id",
    "funder_id",
    "funder_name",
    "recipient_id",
    "recipient_name",
    "programme",
    "purpose",
    "amount_min_eur",
    "amount_max_eur",
    "currency",
    "start",
    "start_first_day",
    "end",
    "end_last_day",
    "project_bound",
    "status",
    "co_applicant_ids",
    "carrier_ids",
    "citations",
    "created_at",
    "updated_at",
];

pub const RELATIONS: &[&str] = &[
    "id",
    "source_id",
    "source_name",
    "target_id",
    "target_name",
    "kind",
    "start",
    "start_first_day",
    "end",
    "end_last_day",
    "approx_size",
    "description",
    "citations",
    "created_at",
    "updated_at",
];

pub const SOURCES: &[&str] = &[
    "id",
    "title",
    "url",
    "accessed_on",
    "accessed_on_first_day",
    "created_at",
    "updated_at",
];

fn text(t: &str) -> Value<'_> {
    Value::Text(Cow::Borrowed(t))
}

fn opt(t: &Option<String>) -> Value<'_> {
    t.as_deref().map_or(Value::Empty, text)
}

fn code(c: Option<&'static str>) -> Value<'static> {
    c.map_or(Value::Empty, |c| Value::Text(Cow::Borrowed(c)))
}

fn owned(t: String) -> Value<'static> {
    if t.is_empty() {
        Value::Empty
    } else {
        Value::Text(Cow::Owned(t))
    }
}

fn flag(b: bool) -> Value<'static> {
    text(if b { "true" } else { "false" })
}

fn int(n: Option<i32>) -> Value<'static> {
    n.map_or(Value::Empty, |n| Value::Number(n.into()))
}

/// Cents as euros.
fn euros(cents: Option<i64>) -> Value<'static> {
    cents.map_or(Value::Empty, |c| Value::Number(c as f64 / 100.0))
}

/// The date as stored and the first day it covers.
fn start(d: Option<PartialDate>) -> [Value<'static>; 2] {
    match d {
        Some(d) => [owned(d.to_string()), Value::Day(d.first_day())],
        None => [Value::Empty, Value::Empty],
    }
}

/// The date as stored and the last day it covers.
fn end(d: Option<PartialDate>) -> [Value<'static>; 2] {
    match d {
        Some(d) => [owned(d.to_string()), Value::Day(d.last_day())],
        None => [Value::Empty, Value::Empty],
    }
}

fn name<'a>(names: &'a dyn Names, id: &str) -> Value<'a> {
    names.name(id).map_or(Value::Empty, text)
}

/// One citation a line: the source's id, a space, the locator (its own line breaks
/// become spaces).
pub fn citations(list: &[Citation]) -> Value<'static> {
    let lines: Vec<String> = list
        .iter()
        .map(|c| format!("{} {}", c.source_id, c.locator.replace(['\r', '\n'], " ")))
        .collect();
    owned(lines.join("\n"))
}

fn stamps<T>(r: &Record<T>) -> [Value<'_>; 2] {
    [text(&r.created_at), text(&r.updated_at)]
}

pub fn organisation(r: &Record<Organisation>) -> Vec<Value<'_>> {
    let o = &r.data;
    let mut row = vec![
        text(&r.id),
        text(&o.name),
        opt(&o.short_name),
        text(o.kind.as_str()),
        code(o.legal_form.map(|v| v.as_str())),
        opt(&o.parent_id),
        opt(&o.city),
        opt(&o.country),
    ];
    row.extend(start(o.founded));
    row.extend(end(o.dissolved));
    row.extend([
        opt(&o.register_court),
        opt(&o.register_number),
        opt(&o.website),
        opt(&o.description),
        opt(&o.self_description),
        opt(&o.working_principle),
        int(o.member_count_min),
        int(o.member_count_max),
        code(o.orientation.map(|v| v.as_str())),
        code(o.country_focus.map(|v| v.as_str())),
        owned(join_list(&o.purposes, Purpose::as_str)),
        owned(join_list(&o.functions, Function::as_str)),
        code(o.composition.map(|v| v.as_str())),
        owned(join_list(&o.resource_modes, ResourceMode::as_str)),
        citations(&o.citations),
    ]);
    row.extend(stamps(r));
    row
}

pub fn person(r: &Record<Person>) -> Vec<Value<'_>> {
    let p = &r.data;
    let mut row = vec![
        text(&r.id),
        text(&p.display_name),
        flag(p.is_pseudonym),
        text(p.visibility.as_str()),
        opt(&p.notes),
        citations(&p.citations),
    ];
    row.extend(stamps(r));
    row
}

pub fn affiliation<'a>(r: &'a Record<Affiliation>, names: &'a dyn Names) -> Vec<Value<'a>> {
    let a = &r.data;
    let mut row = vec![
        text(&r.id),
        text(&a.person_id),
        name(names, &a.person_id),
        text(&a.organisation_id),
        name(names, &a.organisation_id),
        text(a.role.as_str()),
        opt(&a.title),
    ];
    row.extend(start(a.start));
    row.extend(end(a.end));
    row.extend([
        a.paid.map_or(Value::Empty, flag),
        flag(a.project_bound),
        owned(join_list(&a.fields_of_work, FieldOfWork::as_str)),
        opt(&a.funding_id),
        citations(&a.citations),
    ]);
    row.extend(stamps(r));
    row
}

pub fn funding<'a>(r: &'a Record<Funding>, names: &'a dyn Names) -> Vec<Value<'a>> {
    let f = &r.data;
    let mut row = vec![
        text(&r.id),
        text(&f.funder_id),
        name(names, &f.funder_id),
        text(&f.recipient_id),
        name(names, &f.recipient_id),
        opt(&f.programme),
        opt(&f.purpose),
        euros(f.amount_min),
        euros(f.amount_max),
        text(&f.currency),
    ];
    row.extend(start(f.start));
    row.extend(end(f.end));
    row.extend([
        flag(f.project_bound),
        text(f.status.as_str()),
        owned(f.co_applicant_ids.join(",")),
        owned(f.carrier_ids.join(",")),
        citations(&f.citations),
    ]);
    row.extend(stamps(r));
    row
}

pub fn relation<'a>(r: &'a Record<Relation>, names: &'a dyn Names) -> Vec<Value<'a>> {
    let x = &r.data;
    let mut row = vec![
        text(&r.id),
        text(&x.source_id),
        name(names, &x.source_id),
        text(&x.target_id),
        name(names, &x.target_id),
        text(x.kind.as_str()),
    ];
    row.extend(start(x.start));
    row.extend(end(x.end));
    row.extend([
        int(x.approx_size),
        opt(&x.description),
        citations(&x.citations),
    ]);
    row.extend(stamps(r));
    row
}

pub fn source(r: &Record<Source>) -> Vec<Value<'_>> {
    let s = &r.data;
    let mut row = vec![text(&r.id), text(&s.title), opt(&s.url)];
    row.extend(start(s.accessed_on));
    row.extend(stamps(r));
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoNames;
    impl Names for NoNames {
        fn name(&self, _: &str) -> Option<&str> {
            None
        }
    }

    fn record<T>(data: T) -> Record<T> {
        Record {
            id: "id".into(),
            data,
            created_at: "c".into(),
            updated_at: "u".into(),
            deleted_at: None,
        }
    }

    #[test]
    fn every_row_has_its_headers_width() {
        let org: Organisation = serde_json::from_value(serde_json::json!({
            "name": "A", "kind": "migrant_organisation", "founded": "2019"
        }))
        .unwrap();
        assert_eq!(organisation(&record(org)).len(), ORGANISATIONS.len());
        let p: Person = serde_json::from_value(serde_json::json!({
            "display_name": "P", "visibility": "public"
        }))
        .unwrap();
        assert_eq!(person(&record(p)).len(), PERSONS.len());
        let a: Affiliation = serde_json::from_value(serde_json::json!({
            "person_id": "p", "organisation_id": "o", "role": "chair", "start": "2019-05"
        }))
        .unwrap();
        let a = record(a);
        let row = affiliation(&a, &NoNames);
        assert_eq!(row.len(), AFFILIATIONS.len());
        let at = AFFILIATIONS.iter().position(|c| *c == "start_first_day");
        assert_eq!(
            row[at.unwrap()],
            Value::Day(chrono::NaiveDate::from_ymd_opt(2019, 5, 1).unwrap())
        );
        let f: Funding = serde_json::from_value(serde_json::json!({
            "funder_id": "f", "recipient_id": "r", "status": "granted",
            "amount_min": 3_000_050, "amount_max": 7_000_000, "end": "2024"
        }))
        .unwrap();
        let f = record(f);
        let row = funding(&f, &NoNames);
        assert_eq!(row.len(), FUNDINGS.len());
        let at = |c: &str| FUNDINGS.iter().position(|x| *x == c).unwrap();
        assert_eq!(row[at("amount_min_eur")], Value::Number(30_000.5));
        assert_eq!(row[at("amount_max_eur")], Value::Number(70_000.0));
        assert_eq!(
            row[at("end_last_day")],
            Value::Day(chrono::NaiveDate::from_ymd_opt(2024, 12, 31).unwrap())
        );
        let x: Relation = serde_json::from_value(serde_json::json!({
            "source_id": "a", "target_id": "b", "kind": "member_of"
        }))
        .unwrap();
        assert_eq!(relation(&record(x), &NoNames).len(), RELATIONS.len());
        let s: Source = serde_json::from_value(serde_json::json!({"title": "T"})).unwrap();
        assert_eq!(source(&record(s)).len(), SOURCES.len());
    }

    #[test]
    fn citations_one_per_line() {
        let list = vec![
            Citation {
                source_id: "s1".into(),
                locator: "4.3.2, I4.31".into(),
            },
            Citation {
                source_id: "s2".into(),
                locator: "a\nb".into(),
            },
        ];
        assert_eq!(
            citations(&list),
            Value::Text("s1 4.3.2, I4.31\ns2 a b".into())
        );
        assert_eq!(citations(&[]), Value::Empty);
    }
}
