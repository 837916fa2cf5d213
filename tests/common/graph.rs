//! Fixture builders and JSON helpers shared by the graph query tests: refusals and
//! not-found checks, intervals and role spans as the answers show them, order-free
//! comparison, records created through the API as an editor (`Fx`), and the staff
//! overlap fixture.
use rocket::http::Status;
use serde_json::{json, Value};

use super::TestApp;

/// GET must be refused with 422 naming exactly `field`.
pub fn refused(app: &TestApp, path: &str, field: &str) {
    app.settle();
    let (status, v) = app.get(path, None);
    assert_eq!(status, Status::UnprocessableEntity, "{path}: {v}");
    assert_eq!(TestApp::error_fields(&v), [field], "{path}: {v}");
}

pub fn not_found(app: &TestApp, path: &str, token: Option<&str>) {
    app.settle();
    let (status, v) = app.get(path, token);
    assert_eq!(status, Status::NotFound, "{path}: {v}");
}

/// An interval as the graph answers show it: first and last day, `null` when open.
pub fn iv(start: Option<&str>, end: Option<&str>) -> Value {
    json!({ "start": start, "end": end })
}

pub fn span(role: &str, start: Option<&str>, end: Option<&str>) -> Value {
    json!({ "role": role, "start": start, "end": end })
}

pub fn org_ref(id: &str, name: &str, kind: &str, city: &str) -> Value {
    json!({ "id": id, "name": name, "kind": kind, "city": city })
}

pub fn close(v: &Value, expected: f64, what: &str) {
    let got = v
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: not a number: {v}"));
    assert!(
        (got - expected).abs() < 1e-12,
        "{what}: expected {expected}, got {got}"
    );
}

/// The items of a JSON array as sorted JSON texts, for order-free comparison.
pub fn sorted(v: &Value) -> Vec<String> {
    let mut items: Vec<String> = v
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(Value::to_string)
        .collect();
    items.sort();
    items
}

pub fn texts(values: &[Value]) -> Vec<String> {
    let mut items: Vec<String> = values.iter().map(Value::to_string).collect();
    items.sort();
    items
}

pub fn list(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("not a list: {v}"))
}

pub fn names(v: &Value, field: &str) -> Vec<String> {
    list(v)
        .iter()
        .map(|i| i[field]["name"].as_str().expect("name").to_string())
        .collect()
}

/// Creates fixture records through the API as an editor.
pub struct Fx<'a> {
    app: &'a TestApp,
    pub editor: String,
}

impl<'a> Fx<'a> {
    pub fn new(app: &'a TestApp) -> Fx<'a> {
        Fx {
            app,
            editor: app.editor(),
        }
    }

    pub fn org(&self, name: &str, kind: &str, city: &str) -> String {
        self.app.create(
            "organisations",
            &self.editor,
            json!({ "name": name, "kind": kind, "city": city }),
        )
    }

    pub fn person(&self, name: &str, visibility: &str) -> String {
        self.app.create(
            "persons",
            &self.editor,
            json!({ "display_name": name, "visibility": visibility }),
        )
    }

    pub fn role(
        &self,
        person: &str,
        org: &str,
        role: &str,
        start: Option<&str>,
        end: Option<&str>,
    ) -> String {
        self.role_in(person, org, role, start, end, &[])
    }

    pub fn role_in(
        &self,
        person: &str,
        org: &str,
        role: &str,
        start: Option<&str>,
        end: Option<&str>,
        fields: &[&str],
    ) -> String {
        self.app.create(
            "affiliations",
            &self.editor,
            json!({
                "person_id": person,
                "organisation_id": org,
                "role": role,
                "start": start,
                "end": end,
                "fields_of_work": fields,
            }),
        )
    }

    /// A granted, project-bound funding; `extra` overrides or adds fields.
    pub fn grant(&self, funder: &str, recipient: &str, extra: Value) -> String {
        let mut body = json!({
            "funder_id": funder,
            "recipient_id": recipient,
            "status": "granted",
            "project_bound": true,
        });
        for (k, v) in extra.as_object().expect("object") {
            body[k] = v.clone();
        }
        self.app.create("fundings", &self.editor, body)
    }

    pub fn relation(
        &self,
        source: &str,
        target: &str,
        kind: &str,
        start: Option<&str>,
        end: Option<&str>,
    ) -> String {
        self.app.create(
            "relations",
            &self.editor,
            json!({
                "source_id": source,
                "target_id": target,
                "kind": kind,
                "start": start,
                "end": end,
            }),
        )
    }
}

pub struct Staff {
    pub a: String,
    pub b: String,
    pub c: String,
    pub d: String,
    pub e: String,
    pub p1: String,
    pub p1_at_b: String,
}

/// Alpha shares persons with Bravo (two), Charlie, Delta and Echo:
/// - P1 (restricted): Alpha 2015–2018, Bravo 2017–2020 → overlap 2017-01-01..2018-12-31
/// - P2: Alpha 2010–2012, Bravo from 2015 and 2016 → never at the same time
/// - P3: Alpha from 2016 (open), Charlie 2020–2021 → overlap 2020-01-01..2021-12-31
/// - P4: Alpha 2017–"2019", Delta from "2019-12" → overlap 2019-12-01..2019-12-31
/// - P5: Alpha 2018–"2019", Echo from "2020" → no overlap
pub fn staff_fixture(fx: &Fx) -> Staff {
    let a = fx.org("Alpha Verein", "migrant_organisation", "Essen");
    let b = fx.org("Bravo", "municipal_unit", "Essen");
    let c = fx.org("Charlie", "welfare_organisation", "Essen");
    let d = fx.org("Delta", "migrant_organisation", "Bochum");
    let e = fx.org("Echo", "project", "Bochum");
    let p1 = fx.person("Person Eins", "restricted");
    let p2 = fx.person("Person Zwei", "public");
    let p3 = fx.person("Person Drei", "public");
    let p4 = fx.person("Person Vier", "public");
    let p5 = fx.person("Person Fünf", "public");
    fx.role(&p1, &a, "board_member", Some("2015"), Some("2018"));
    let p1_at_b = fx.role(&p1, &b, "employee", Some("2017"), Some("2020"));
    fx.role(&p2, &a, "member", Some("2010"), Some("2012"));
    fx.role(&p2, &b, "member", Some("2015"), None);
    fx.role(&p2, &b, "volunteer", Some("2016"), Some("2016"));
    fx.role(&p3, &a, "chair", Some("2016"), None);
    fx.role(&p3, &c, "adviser", Some("2020"), Some("2021"));
    fx.role(&p4, &a, "member", Some("2017"), Some("2019"));
    fx.role(&p4, &d, "member", Some("2019-12"), None);
    fx.role(&p5, &a, "member", Some("2018"), Some("2019"));
    fx.role(&p5, &e, "member", Some("2020"), None);
    Staff {
        a,
        b,
        c,
        d,
        e,
        p1,
        p1_at_b,
    }
}
