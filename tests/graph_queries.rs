//! The graph answers under `/api/v1` on small hand-built fixtures: staff overlaps and
//! pairs, tandem roles, funding shares, funding that ends, a funder's exit, dependencies
//! and cycles, ego networks, paths, components, centrality and conflicts of interest.
//! Every expected answer below is worked out by hand from the fixture it follows.
mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::TestApp;
use rocket::http::Status;
use serde_json::{json, Value};

/// GET must be refused with 422 naming exactly `field`.
fn refused(app: &TestApp, path: &str, field: &str) {
    app.settle();
    let (status, v) = app.get(path, None);
    assert_eq!(status, Status::UnprocessableEntity, "{path}: {v}");
    assert_eq!(TestApp::error_fields(&v), [field], "{path}: {v}");
}

fn not_found(app: &TestApp, path: &str, token: Option<&str>) {
    app.settle();
    let (status, v) = app.get(path, token);
    assert_eq!(status, Status::NotFound, "{path}: {v}");
}

/// An interval as the graph answers show it: first and last day, `null` when open.
fn iv(start: Option<&str>, end: Option<&str>) -> Value {
    json!({ "start": start, "end": end })
}

fn span(role: &str, start: Option<&str>, end: Option<&str>) -> Value {
    json!({ "role": role, "start": start, "end": end })
}

fn org_ref(id: &str, name: &str, kind: &str, city: &str) -> Value {
    json!({ "id": id, "name": name, "kind": kind, "city": city })
}

fn close(v: &Value, expected: f64, what: &str) {
    let got = v
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: not a number: {v}"));
    assert!(
        (got - expected).abs() < 1e-12,
        "{what}: expected {expected}, got {got}"
    );
}

fn share(v: &Value, mid: f64, min: f64, max: f64, what: &str) {
    close(&v["mid"], mid, &format!("{what} mid"));
    close(&v["min"], min, &format!("{what} min"));
    close(&v["max"], max, &format!("{what} max"));
}

/// The items of a JSON array as sorted JSON texts, for order-free comparison.
fn sorted(v: &Value) -> Vec<String> {
    let mut items: Vec<String> = v
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(Value::to_string)
        .collect();
    items.sort();
    items
}

fn texts(values: &[Value]) -> Vec<String> {
    let mut items: Vec<String> = values.iter().map(Value::to_string).collect();
    items.sort();
    items
}

fn list(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("not a list: {v}"))
}

fn names(v: &Value, field: &str) -> Vec<String> {
    list(v)
        .iter()
        .map(|i| i[field]["name"].as_str().expect("name").to_string())
        .collect()
}

/// Creates fixture records through the API as an editor.
struct Fx<'a> {
    app: &'a TestApp,
    editor: String,
}

impl<'a> Fx<'a> {
    fn new(app: &'a TestApp) -> Fx<'a> {
        Fx {
            app,
            editor: app.editor(),
        }
    }

    fn org(&self, name: &str, kind: &str, city: &str) -> String {
        self.app.create(
            "organisations",
            &self.editor,
            json!({ "name": name, "kind": kind, "city": city }),
        )
    }

    fn person(&self, name: &str, visibility: &str) -> String {
        self.app.create(
            "persons",
            &self.editor,
            json!({ "display_name": name, "visibility": visibility }),
        )
    }

    fn role(
        &self,
        person: &str,
        org: &str,
        role: &str,
        start: Option<&str>,
        end: Option<&str>,
    ) -> String {
        self.role_in(person, org, role, start, end, &[])
    }

    fn role_in(
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
    fn grant(&self, funder: &str, recipient: &str, extra: Value) -> String {
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

    fn relation(
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

// ---------------------------------------------------------------------------
// Staff overlaps
// ---------------------------------------------------------------------------

struct Staff {
    a: String,
    b: String,
    c: String,
    d: String,
    e: String,
    p1: String,
    p1_at_b: String,
}

/// Alpha shares persons with Bravo (two), Charlie, Delta and Echo:
/// - P1 (restricted): Alpha 2015–2018, Bravo 2017–2020 → overlap 2017-01-01..2018-12-31
/// - P2: Alpha 2010–2012, Bravo from 2015 and 2016 → never at the same time
/// - P3: Alpha from 2016 (open), Charlie 2020–2021 → overlap 2020-01-01..2021-12-31
/// - P4: Alpha 2017–"2019", Delta from "2019-12" → overlap 2019-12-01..2019-12-31
/// - P5: Alpha 2018–"2019", Echo from "2020" → no overlap
fn staff_fixture(fx: &Fx) -> Staff {
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

/// (organisation name, shared_persons, sorted overlaps) per other organisation, in order.
fn overlap_summary(v: &Value) -> Vec<(String, u64, Vec<String>)> {
    list(&v["overlaps"])
        .iter()
        .map(|o| {
            let persons = list(&o["persons"]);
            assert_eq!(o["shared_persons"], persons.len(), "{o}");
            let overlaps: Vec<Value> = persons.iter().map(|p| p["overlap"].clone()).collect();
            (
                o["organisation"]["name"].as_str().unwrap().to_string(),
                o["shared_persons"].as_u64().unwrap(),
                texts(&overlaps),
            )
        })
        .collect()
}

fn row(name: &str, n: u64, overlaps: &[Value]) -> (String, u64, Vec<String>) {
    (name.to_string(), n, texts(overlaps))
}

fn staff_overlaps(app: &TestApp) {
    let fx = Fx::new(app);
    let s = staff_fixture(&fx);
    let path = format!("/api/v1/overlaps/staff?organisation={}", s.a);

    let all = app.ok(&path, None);
    assert_eq!(
        all["organisation"],
        org_ref(&s.a, "Alpha Verein", "migrant_organisation", "Essen")
    );
    let p1_overlap = iv(Some("2017-01-01"), Some("2018-12-31"));
    let p3_overlap = iv(Some("2020-01-01"), Some("2021-12-31"));
    let p4_overlap = iv(Some("2019-12-01"), Some("2019-12-31"));
    assert_eq!(
        overlap_summary(&all),
        vec![
            row("Bravo", 2, &[p1_overlap.clone(), Value::Null]),
            row("Charlie", 1, std::slice::from_ref(&p3_overlap)),
            row("Delta", 1, std::slice::from_ref(&p4_overlap)),
            row("Echo", 1, &[Value::Null]),
        ]
    );
    // Anonymous callers count persons but get no names, and never a restricted id.
    for o in list(&all["overlaps"]) {
        for p in list(&o["persons"]) {
            assert_eq!(p["person"], Value::Null, "{p}");
        }
    }
    let text = all.to_string();
    assert!(
        !text.contains(&s.p1) && !text.contains("Person Eins"),
        "{text}"
    );

    // Year precision: an end in "2019" meets a start in "2019-12" but not one in "2020".
    let delta = &all["overlaps"][2]["persons"][0];
    assert_eq!(
        delta["roles_here"],
        json!([span("member", Some("2017-01-01"), Some("2019-12-31"))])
    );
    assert_eq!(
        delta["roles_there"],
        json!([span("member", Some("2019-12-01"), None)])
    );
    let echo = &all["overlaps"][3]["persons"][0];
    assert_eq!(
        echo["roles_here"],
        json!([span("member", Some("2018-01-01"), Some("2019-12-31"))])
    );
    assert_eq!(
        echo["roles_there"],
        json!([span("member", Some("2020-01-01"), None)])
    );
    assert_eq!(echo["overlap"], Value::Null);

    // Only persons who held both roles at once.
    let concurrent = app.ok(&format!("{path}&concurrent=true"), None);
    assert_eq!(
        overlap_summary(&concurrent),
        vec![
            row("Bravo", 1, std::slice::from_ref(&p1_overlap)),
            row("Charlie", 1, std::slice::from_ref(&p3_overlap)),
            row("Delta", 1, std::slice::from_ref(&p4_overlap)),
        ]
    );

    // An editor sees who it is and both sides of the roles.
    let editor = fx.editor.as_str();
    let named = app.ok(&format!("{path}&concurrent=true"), Some(editor));
    let p1 = &named["overlaps"][0]["persons"][0];
    assert_eq!(p1["person"], json!({ "id": s.p1, "name": "Person Eins" }));
    assert_eq!(
        p1["roles_here"],
        json!([span("board_member", Some("2015-01-01"), Some("2018-12-31"))])
    );
    assert_eq!(
        p1["roles_there"],
        json!([span("employee", Some("2017-01-01"), Some("2020-12-31"))])
    );
    assert_eq!(p1["overlap"], p1_overlap);
    // P2 holds two roles at Bravo, none at the same time as at Alpha.
    let bravo = app.ok(&path, Some(editor));
    let p2 = list(&bravo["overlaps"][0]["persons"])
        .iter()
        .find(|p| p["person"]["name"] == "Person Zwei")
        .expect("Person Zwei at Bravo")
        .clone();
    assert_eq!(
        sorted(&p2["roles_there"]),
        texts(&[
            span("member", Some("2015-01-01"), None),
            span("volunteer", Some("2016-01-01"), Some("2016-12-31")),
        ])
    );
    assert_eq!(p2["overlap"], Value::Null);

    // Time filters keep only the roles that meet the window, on both sides.
    assert_eq!(
        overlap_summary(&app.ok(&format!("{path}&as_of=2017"), None)),
        vec![row("Bravo", 1, std::slice::from_ref(&p1_overlap))]
    );
    assert_eq!(
        overlap_summary(&app.ok(&format!("{path}&from=2019&to=2019"), None)),
        vec![row("Delta", 1, std::slice::from_ref(&p4_overlap))]
    );
    assert_eq!(
        overlap_summary(&app.ok(&format!("{path}&as_of=2030"), None)),
        vec![]
    );

    // From Bravo's side: two persons shared with Alpha.
    let from_bravo = app.ok(
        &format!("/api/v1/overlaps/staff?organisation={}", s.b),
        None,
    );
    assert_eq!(
        overlap_summary(&from_bravo),
        vec![row("Alpha Verein", 2, &[p1_overlap, Value::Null])]
    );
    for other in [&s.c, &s.d, &s.e] {
        let v = app.ok(
            &format!("/api/v1/overlaps/staff?organisation={other}"),
            None,
        );
        assert_eq!(list(&v["overlaps"]).len(), 1, "{v}");
    }

    refused(app, &format!("{path}&as_of=2019-13"), "as_of");
    refused(app, &format!("{path}&from=2020&to=2019"), "to");
    refused(app, &format!("{path}&as_of=2019&from=2018"), "as_of");
    refused(app, "/api/v1/overlaps/staff", "organisation");
    not_found(app, "/api/v1/overlaps/staff?organisation=no-such-id", None);
    // A person is not an organisation, whoever asks.
    not_found(
        app,
        &format!("/api/v1/overlaps/staff?organisation={}", s.p1),
        Some(editor),
    );
}

/// Unordered pairs of names with their counts, in answer order.
fn pairs(v: &Value) -> Vec<(BTreeSet<String>, u64)> {
    list(v)
        .iter()
        .map(|p| {
            (
                [&p["a"]["name"], &p["b"]["name"]]
                    .iter()
                    .map(|n| n.as_str().unwrap().to_string())
                    .collect(),
                p["shared_persons"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn pair(a: &str, b: &str, n: u64) -> (BTreeSet<String>, u64) {
    ([a.to_string(), b.to_string()].into(), n)
}

fn staff_pairs(app: &TestApp) {
    let fx = Fx::new(app);
    let s = staff_fixture(&fx);
    // P6 was at Alpha, Bravo and Charlie in 2000–2001.
    let p6 = fx.person("Person Sechs", "public");
    for org in [&s.a, &s.b, &s.c] {
        fx.role(&p6, org, "member", Some("2000"), Some("2001"));
    }
    // By hand: Alpha–Bravo P1, P2, P6 = 3; Alpha–Charlie P3, P6 = 2; Alpha–Delta P4,
    // Alpha–Echo P5, Bravo–Charlie P6 = 1 each. P2's two Bravo roles count once.
    let all = pairs(&app.ok("/api/v1/overlaps/staff/pairs", None));
    assert_eq!(all.len(), 5, "{all:?}");
    assert_eq!(all[0], pair("Alpha Verein", "Bravo", 3));
    assert_eq!(all[1], pair("Alpha Verein", "Charlie", 2));
    let rest: BTreeSet<_> = all[2..].iter().cloned().collect();
    assert_eq!(
        rest,
        [
            pair("Alpha Verein", "Delta", 1),
            pair("Alpha Verein", "Echo", 1),
            pair("Bravo", "Charlie", 1),
        ]
        .into()
    );
    assert_eq!(
        pairs(&app.ok("/api/v1/overlaps/staff/pairs?limit=2", None)),
        vec![
            pair("Alpha Verein", "Bravo", 3),
            pair("Alpha Verein", "Charlie", 2)
        ]
    );
    assert_eq!(
        pairs(&app.ok("/api/v1/overlaps/staff/pairs?limit=0", None)),
        vec![]
    );

    // At the same time: P2 and P5 drop out → Alpha–Bravo 2, Alpha–Charlie 2, Alpha–Delta 1,
    // Bravo–Charlie 1.
    let concurrent = pairs(&app.ok("/api/v1/overlaps/staff/pairs?concurrent=true", None));
    assert_eq!(concurrent.len(), 4, "{concurrent:?}");
    let top: BTreeSet<_> = concurrent[..2].iter().cloned().collect();
    assert_eq!(
        top,
        [
            pair("Alpha Verein", "Bravo", 2),
            pair("Alpha Verein", "Charlie", 2)
        ]
        .into()
    );
    let low: BTreeSet<_> = concurrent[2..].iter().cloned().collect();
    assert_eq!(
        low,
        [
            pair("Alpha Verein", "Delta", 1),
            pair("Bravo", "Charlie", 1)
        ]
        .into()
    );

    // In 2000 only P6's roles count.
    let y2000: BTreeSet<_> = pairs(&app.ok("/api/v1/overlaps/staff/pairs?as_of=2000", None))
        .into_iter()
        .collect();
    assert_eq!(
        y2000,
        [
            pair("Alpha Verein", "Bravo", 1),
            pair("Alpha Verein", "Charlie", 1),
            pair("Bravo", "Charlie", 1),
        ]
        .into()
    );

    refused(app, "/api/v1/overlaps/staff/pairs?limit=-1", "limit");
    refused(app, "/api/v1/overlaps/staff/pairs?from=20x", "from");
}

// ---------------------------------------------------------------------------
// Tandem
// ---------------------------------------------------------------------------

fn tandem(app: &TestApp) {
    let fx = Fx::new(app);
    let phen = fx.org("Romani Phen", "roma_self_organisation", "Essen");
    let amt = fx.org("Jugendamt Essen", "municipal_unit", "Essen");
    let stiftung = fx.org("Stiftung Essen", "funder", "Essen");
    let drom = fx.org("Romano Drom", "roma_self_organisation", "Hagen");
    let qm = fx.org("Quartiersmanagement Hagen", "municipal_unit", "Hagen");
    // T1 (restricted): board 2018–2022 while employed at the Jugendamt from 2020.
    let t1 = fx.person("Tandem Eins", "restricted");
    fx.role_in(
        &t1,
        &phen,
        "board_member",
        Some("2018"),
        Some("2022"),
        &["education", "youth", "mediation"],
    );
    fx.role_in(
        &t1,
        &amt,
        "employee",
        Some("2020"),
        None,
        &["youth", "mediation", "housing"],
    );
    // T2: board 2010–2012, employed 2015–2016: never at the same time.
    let t2 = fx.person("Tandem Zwei", "public");
    fx.role(&t2, &phen, "board_member", Some("2010"), Some("2012"));
    fx.role(&t2, &amt, "employee", Some("2015"), Some("2016"));
    // T4: a member, not employed, at the Jugendamt; T5 employed by a funder.
    let t4 = fx.person("Tandem Vier", "public");
    fx.role(&t4, &phen, "board_member", Some("2018"), None);
    fx.role(&t4, &amt, "member", Some("2018"), None);
    let t5 = fx.person("Tandem Fünf", "public");
    fx.role(&t5, &phen, "board_member", Some("2018"), None);
    fx.role(&t5, &stiftung, "employee", Some("2018"), None);
    // T3 in Hagen: co-chair 2019–2024, employed with no dates at all.
    let t3 = fx.person("Tandem Drei", "restricted");
    fx.role_in(
        &t3,
        &drom,
        "co_chair",
        Some("2019"),
        Some("2024"),
        &["mediation", "social_counselling"],
    );
    fx.role_in(&t3, &qm, "employee", None, None, &["social_counselling"]);

    let essen = json!({
        "person": null,
        "self_organisation": org_ref(&phen, "Romani Phen", "roma_self_organisation", "Essen"),
        "self_role": span("board_member", Some("2018-01-01"), Some("2022-12-31")),
        "employer": org_ref(&amt, "Jugendamt Essen", "municipal_unit", "Essen"),
        "employment": span("employee", Some("2020-01-01"), None),
        "overlap": iv(Some("2020-01-01"), Some("2022-12-31")),
        "shared_fields": ["youth", "mediation"],
    });
    let hagen = json!({
        "person": null,
        "self_organisation": org_ref(&drom, "Romano Drom", "roma_self_organisation", "Hagen"),
        "self_role": span("co_chair", Some("2019-01-01"), Some("2024-12-31")),
        "employer": org_ref(&qm, "Quartiersmanagement Hagen", "municipal_unit", "Hagen"),
        "employment": span("employee", None, None),
        "overlap": iv(Some("2019-01-01"), Some("2024-12-31")),
        "shared_fields": ["social_counselling"],
    });
    // Sorted by self-organisation name: "Romani Phen" < "Romano Drom".
    let all = app.ok("/api/v1/tandem", None);
    assert_eq!(all, json!([essen, hagen]));
    let text = all.to_string();
    for secret in [t1.as_str(), t3.as_str(), "Tandem Eins", "Tandem Drei"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }

    let editor = fx.editor.as_str();
    let named = app.ok("/api/v1/tandem", Some(editor));
    assert_eq!(named[0]["person"], json!({"id": t1, "name": "Tandem Eins"}));
    assert_eq!(named[1]["person"], json!({"id": t3, "name": "Tandem Drei"}));

    assert_eq!(app.ok("/api/v1/tandem?city=essen", None), json!([essen]));
    assert_eq!(app.ok("/api/v1/tandem?city=Hagen", None), json!([hagen]));
    assert_eq!(app.ok("/api/v1/tandem?city=Bochum", None), json!([]));
    assert_eq!(
        app.ok(&format!("/api/v1/tandem?organisation={amt}"), None),
        json!([essen])
    );
    assert_eq!(
        app.ok(&format!("/api/v1/tandem?organisation={qm}"), None),
        json!([hagen])
    );
    assert_eq!(
        app.ok(&format!("/api/v1/tandem?organisation={stiftung}"), None),
        json!([])
    );
    // In 2019 T1 is not yet employed; in 2023–2024 no longer on the board.
    assert_eq!(app.ok("/api/v1/tandem?as_of=2019", None), json!([hagen]));
    assert_eq!(
        app.ok("/api/v1/tandem?from=2023&to=2024", None),
        json!([hagen])
    );
    assert_eq!(
        app.ok("/api/v1/tandem?as_of=2021-06-30", None),
        json!([essen, hagen])
    );

    refused(app, "/api/v1/tandem?to=2019-02-30", "to");
    not_found(app, "/api/v1/tandem?organisation=no-such-id", None);
}

// ---------------------------------------------------------------------------
// Funding
// ---------------------------------------------------------------------------

fn funding_overlap(app: &TestApp) {
    let fx = Fx::new(app);
    let f1 = fx.org("Stiftung Eins", "funder", "Berlin");
    let f2 = fx.org("Land Zwei", "state_body", "Düsseldorf");
    let r = fx.org("Verein Er", "migrant_organisation", "Essen");
    let s = fx.org("Verein Es", "migrant_organisation", "Essen");
    let g1 = fx.grant(
        &f1,
        &r,
        json!({"amount_min": 10000, "amount_max": 30000, "start": "2020", "end": "2021", "programme": "P1"}),
    );
    let g2 = fx.grant(
        &f2,
        &r,
        json!({"amount_min": 20000, "amount_max": 20000, "start": "2021", "end": "2022"}),
    );
    let _g3 = fx.grant(&f2, &r, json!({"start": "2023", "end": "2023"}));
    fx.grant(
        &f1,
        &s,
        json!({"amount_min": 5000, "amount_max": 5000, "start": "2020", "end": "2020"}),
    );
    let path = format!("/api/v1/overlaps/funding?organisation={r}");
    let f1_ref = org_ref(&f1, "Stiftung Eins", "funder", "Berlin");
    let f2_ref = org_ref(&f2, "Land Zwei", "state_body", "Düsseldorf");

    // Total 30000..50000 (+1 grant without amount), midpoint 40000.
    // F1: 10000..30000, mid 20000 → 0.5; lowest 10000/(10000+20000) = 1/3;
    //     highest 30000/(30000+20000) = 0.6.
    // F2: 20000 (+ one unknown), mid 20000 → 0.5; lowest 20000/(20000+30000) = 0.4;
    //     highest 20000/(20000+10000) = 2/3.
    let v = app.ok(&path, None);
    assert_eq!(
        v["organisation"],
        org_ref(&r, "Verein Er", "migrant_organisation", "Essen")
    );
    assert_eq!(
        v["total"],
        json!({"min": 30000, "max": 50000, "unknown": 1})
    );
    let funders = list(&v["funders"]);
    assert_eq!(funders.len(), 2, "{v}");
    let by_funder: BTreeMap<String, &Value> = funders
        .iter()
        .map(|f| (f["funder"]["id"].as_str().unwrap().to_string(), f))
        .collect();
    let one = by_funder[&f1];
    assert_eq!(one["funder"], f1_ref);
    assert_eq!(one["grants"], 1);
    assert_eq!(
        one["amount"],
        json!({"min": 10000, "max": 30000, "unknown": 0})
    );
    share(&one["share"], 0.5, 1.0 / 3.0, 0.6, "F1");
    let two = by_funder[&f2];
    assert_eq!(two["funder"], f2_ref);
    assert_eq!(two["grants"], 2);
    assert_eq!(
        two["amount"],
        json!({"min": 20000, "max": 20000, "unknown": 1})
    );
    share(&two["share"], 0.5, 0.4, 2.0 / 3.0, "F2");
    // Verein Es shares Stiftung Eins.
    assert_eq!(
        v["co_funded"],
        json!([{
            "organisation": org_ref(&s, "Verein Es", "migrant_organisation", "Essen"),
            "shared_funders": [f1_ref],
        }])
    );
    // g1 (2020–2021) and g2 (2021–2022) meet in 2021; g3 (2023) meets neither.
    let overlapping = list(&v["overlapping_grants"]);
    assert_eq!(overlapping.len(), 1, "{v}");
    let ids: BTreeSet<&str> = list(&overlapping[0])
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [g1.as_str(), g2.as_str()].into());
    let g1_ref = list(&overlapping[0])
        .iter()
        .find(|g| g["id"] == g1.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        g1_ref,
        json!({"id": g1, "funder": f1_ref, "programme": "P1",
               "start": "2020-01-01", "end": "2021-12-31"})
    );

    // In 2020 only g1 runs: all of it from F1.
    let y2020 = app.ok(&format!("{path}&as_of=2020"), None);
    assert_eq!(
        y2020["total"],
        json!({"min": 10000, "max": 30000, "unknown": 0})
    );
    assert_eq!(list(&y2020["funders"]).len(), 1);
    assert_eq!(y2020["funders"][0]["funder"]["id"], f1.as_str());
    share(&y2020["funders"][0]["share"], 1.0, 1.0, 1.0, "F1 in 2020");
    assert_eq!(list(&y2020["co_funded"]).len(), 1);
    assert_eq!(y2020["overlapping_grants"], json!([]));

    // In 2022–2023: g2 and g3, both from F2; nobody else funded by F2.
    let late = app.ok(&format!("{path}&from=2022&to=2023"), None);
    assert_eq!(
        late["total"],
        json!({"min": 20000, "max": 20000, "unknown": 1})
    );
    assert_eq!(list(&late["funders"]).len(), 1);
    assert_eq!(late["funders"][0]["grants"], 2);
    share(&late["funders"][0]["share"], 1.0, 1.0, 1.0, "F2 2022–2023");
    assert_eq!(late["co_funded"], json!([]));
    assert_eq!(late["overlapping_grants"], json!([]));

    // From Verein Es: all from F1, co-funded with Verein Er.
    let es = app.ok(&format!("/api/v1/overlaps/funding?organisation={s}"), None);
    assert_eq!(es["total"], json!({"min": 5000, "max": 5000, "unknown": 0}));
    share(&es["funders"][0]["share"], 1.0, 1.0, 1.0, "Es");
    assert_eq!(es["co_funded"][0]["organisation"]["id"], r.as_str());

    refused(app, &format!("{path}&as_of=yesterday"), "as_of");
    refused(app, "/api/v1/overlaps/funding", "organisation");
    not_found(
        app,
        "/api/v1/overlaps/funding?organisation=no-such-id",
        None,
    );
}

fn funding_ending(app: &TestApp) {
    let fx = Fx::new(app);
    let f1 = fx.org("Stiftung Eins", "funder", "Berlin");
    let f2 = fx.org("Land Zwei", "state_body", "Düsseldorf");
    let r = fx.org("Verein Er", "migrant_organisation", "Essen");
    let s = fx.org("Verein Es", "migrant_organisation", "Essen");
    let g1 = fx.grant(
        &f1,
        &r,
        json!({"amount_min": 10000, "amount_max": 30000, "start": "2020", "end": "2021", "programme": "P1"}),
    );
    fx.grant(
        &f2,
        &r,
        json!({"amount_min": 20000, "amount_max": 20000, "start": "2021", "end": "2022"}),
    );
    // Ends on the reference day itself; "ended" still counts as funding that ends.
    let g5 = fx.grant(
        &f2,
        &s,
        json!({"amount_min": 5000, "amount_max": 5000, "start": "2021-03", "end": "2021-11-01", "status": "ended"}),
    );
    // Only applied for: never "ending".
    fx.grant(
        &f1,
        &s,
        json!({"amount_min": 7000, "amount_max": 7000, "start": "2021-12-01", "end": "2021-12-15", "status": "applied"}),
    );
    // Not project-bound: not listed, but part of Verein Es's running funding.
    fx.grant(
        &f1,
        &s,
        json!({"amount_min": 1000, "amount_max": 1000, "start": "2020", "end": "2021-12-20", "project_bound": false}),
    );
    // Ends 2022-06-30 (beyond 90 days of 2021-11-01) and one already over in 2020.
    let g8 = fx.grant(
        &f1,
        &r,
        json!({"amount_min": 3000, "amount_max": 3000, "start": "2022-03", "end": "2022-06"}),
    );
    fx.grant(
        &f2,
        &r,
        json!({"amount_min": 500, "amount_max": 500, "start": "2019", "end": "2020", "status": "ended"}),
    );

    // As of 2021-11-01, 90 days → until 2022-01-30:
    // g5 ends 2021-11-01 (0 days): Verein Es runs g5 5000 + 1000 → 5/6 of it ends.
    // g1 ends 2021-12-31 (30 + 30 = 60 days): Verein Er runs g1 10000..30000 and
    //   g2 20000 → shares 0.5 / (10000/30000 =) 1/3 / (30000/50000 =) 0.6.
    let v = app.ok(
        "/api/v1/funding/ending?as_of=2021-11-01&within_days=90",
        None,
    );
    let items = list(&v);
    assert_eq!(items.len(), 2, "{v}");
    assert_eq!(items[0]["funding_id"], g5.as_str());
    assert_eq!(items[0]["end"], "2021-11-01");
    assert_eq!(items[0]["days_left"], 0);
    assert_eq!(
        items[0]["funder"],
        org_ref(&f2, "Land Zwei", "state_body", "Düsseldorf")
    );
    assert_eq!(
        items[0]["recipient"],
        org_ref(&s, "Verein Es", "migrant_organisation", "Essen")
    );
    assert_eq!(
        items[0]["amount"],
        json!({"min": 5000, "max": 5000, "unknown": 0})
    );
    let five_sixths = 5000.0 / 6000.0;
    share(
        &items[0]["recipient_share"],
        five_sixths,
        five_sixths,
        five_sixths,
        "g5",
    );
    assert_eq!(items[1]["funding_id"], g1.as_str());
    assert_eq!(items[1]["end"], "2021-12-31");
    assert_eq!(items[1]["days_left"], 60);
    assert_eq!(items[1]["programme"], "P1");
    assert_eq!(
        items[1]["amount"],
        json!({"min": 10000, "max": 30000, "unknown": 0})
    );
    share(&items[1]["recipient_share"], 0.5, 1.0 / 3.0, 0.6, "g1");

    let ids = |path: &str| -> Vec<String> {
        list(&app.ok(path, None))
            .iter()
            .map(|e| e["funding_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids("/api/v1/funding/ending?as_of=2021-11-01&within_days=30"),
        vec![g5.clone()]
    );
    assert_eq!(
        ids("/api/v1/funding/ending?as_of=2021-11-01&within_days=0"),
        vec![g5.clone()]
    );
    // Default: 90 days.
    assert_eq!(
        ids("/api/v1/funding/ending?as_of=2021-11-01"),
        [g5.clone(), g1.clone()]
    );
    // From 2022-01-01, 180 days reach exactly 2022-06-30 (31+28+31+30+31+29).
    let v = app.ok(
        "/api/v1/funding/ending?as_of=2022-01-01&within_days=180",
        None,
    );
    assert_eq!(list(&v).len(), 1, "{v}");
    assert_eq!(v[0]["funding_id"], g8.as_str());
    assert_eq!(v[0]["days_left"], 180);
    assert_eq!(
        ids("/api/v1/funding/ending?as_of=2022-01-01&within_days=179"),
        Vec::<String>::new()
    );

    refused(
        app,
        "/api/v1/funding/ending?as_of=2021-02-29&within_days=9",
        "as_of",
    );
    refused(
        app,
        "/api/v1/funding/ending?within_days=soon",
        "within_days",
    );
    refused(app, "/api/v1/funding/ending?within_days=-1", "within_days");
}

fn funding_impact(app: &TestApp) {
    let fx = Fx::new(app);
    let f1 = fx.org("Stiftung Eins", "funder", "Berlin");
    let f2 = fx.org("Land Zwei", "state_body", "Düsseldorf");
    let f3 = fx.org("Fonds Drei", "funder", "Berlin");
    let r1 = fx.org("Empfänger Eins", "migrant_organisation", "Essen");
    let r2 = fx.org("Empfänger Zwei", "migrant_organisation", "Essen");
    let r3 = fx.org("Empfänger Drei", "migrant_organisation", "Essen");
    // R1: two grants from F1 only (6000 + 4000).
    fx.grant(
        &f1,
        &r1,
        json!({"amount_min": 6000, "amount_max": 6000, "start": "2020", "end": "2022", "programme": "A"}),
    );
    fx.grant(
        &f1,
        &r1,
        json!({"amount_min": 4000, "amount_max": 4000, "start": "2020", "end": "2022", "programme": "B"}),
    );
    // R2: F1 10000..30000 and F2 20000 → mid 0.5, min 1/3, max 0.6.
    fx.grant(
        &f1,
        &r2,
        json!({"amount_min": 10000, "amount_max": 30000, "start": "2020", "end": "2022"}),
    );
    fx.grant(
        &f2,
        &r2,
        json!({"amount_min": 20000, "amount_max": 20000, "start": "2020", "end": "2022"}),
    );
    // R3: F1 1000 of 10000 in all → 0.1, only in 2018.
    fx.grant(
        &f1,
        &r3,
        json!({"amount_min": 1000, "amount_max": 1000, "start": "2018", "end": "2018"}),
    );
    fx.grant(
        &f3,
        &r3,
        json!({"amount_min": 9000, "amount_max": 9000, "start": "2018", "end": "2020"}),
    );

    let v = app.ok(&format!("/api/v1/funding/impact?funder={f1}"), None);
    assert_eq!(
        names(&v, "recipient"),
        ["Empfänger Eins", "Empfänger Zwei", "Empfänger Drei"]
    );
    assert_eq!(v[0]["recipient"]["id"], r1.as_str());
    assert_eq!(
        v[0]["lost"],
        json!({"min": 10000, "max": 10000, "unknown": 0})
    );
    share(&v[0]["share"], 1.0, 1.0, 1.0, "R1");
    assert_eq!(v[1]["recipient"]["id"], r2.as_str());
    assert_eq!(
        v[1]["lost"],
        json!({"min": 10000, "max": 30000, "unknown": 0})
    );
    share(&v[1]["share"], 0.5, 1.0 / 3.0, 0.6, "R2");
    assert_eq!(v[2]["recipient"]["id"], r3.as_str());
    assert_eq!(
        v[2]["lost"],
        json!({"min": 1000, "max": 1000, "unknown": 0})
    );
    share(&v[2]["share"], 0.1, 0.1, 0.1, "R3");

    let y2020 = app.ok(
        &format!("/api/v1/funding/impact?funder={f1}&as_of=2020"),
        None,
    );
    assert_eq!(
        names(&y2020, "recipient"),
        ["Empfänger Eins", "Empfänger Zwei"]
    );
    // F3's exit in 2018 costs R3 nine tenths.
    let f3_exit = app.ok(
        &format!("/api/v1/funding/impact?funder={f3}&as_of=2018"),
        None,
    );
    assert_eq!(names(&f3_exit, "recipient"), ["Empfänger Drei"]);
    share(&f3_exit[0]["share"], 0.9, 0.9, 0.9, "R3 from F3");
    // A recipient funds nobody.
    assert_eq!(
        app.ok(&format!("/api/v1/funding/impact?funder={r1}"), None),
        json!([])
    );

    refused(
        app,
        &format!("/api/v1/funding/impact?funder={f1}&from=2019-1"),
        "from",
    );
    refused(app, "/api/v1/funding/impact", "funder");
    not_found(app, "/api/v1/funding/impact?funder=no-such-id", None);
}

// ---------------------------------------------------------------------------
// Dependencies
// ---------------------------------------------------------------------------

fn reason(kind: &str, record_id: Option<&str>) -> Value {
    json!({"kind": kind, "record_id": record_id, "share": null, "person": null})
}

fn dependencies(app: &TestApp) {
    let fx = Fx::new(app);
    let city = fx.org("Stadt Xhausen", "municipality", "Xhausen");
    let v = fx.org("Verein Vau", "roma_self_organisation", "Xhausen");
    let f = fx.org("Fonds Eff", "funder", "Berlin");
    let u = fx.org("Dachverband Uh", "federal_association", "Berlin");
    let q = fx.org("Quartiersbüro Xhausen", "municipal_unit", "Xhausen");
    let j = app.create(
        "organisations",
        &fx.editor,
        json!({"name": "Jugendamt Xhausen", "kind": "municipal_unit", "city": "Xhausen", "parent_id": city}),
    );
    let r_init = fx.relation(&v, &city, "founded_on_initiative_of", Some("2016"), None);
    let r_rel = fx.relation(&city, &v, "relies_on", None, None);
    let r_mem = fx.relation(&v, &u, "member_of", None, None);
    let r_part = fx.relation(&j, &city, "part_of", None, None);
    let r_sup = fx.relation(&q, &v, "supported_founding_of", None, None);
    let g = fx.grant(
        &f,
        &v,
        json!({"amount_min": 1000, "amount_max": 1000, "start": "2019", "end": "2020"}),
    );
    let p = fx.person("Vorstand Vau", "restricted");
    fx.role(&p, &v, "board_member", Some("2019"), None);
    fx.role(&p, &j, "employee", Some("2018"), Some("2020"));
    // A plain cooperation is no dependency.
    fx.relation(&v, &q, "cooperates_with", None, None);

    let city_ref = org_ref(&city, "Stadt Xhausen", "municipality", "Xhausen");
    let v_ref = org_ref(&v, "Verein Vau", "roma_self_organisation", "Xhausen");
    let j_ref = org_ref(&j, "Jugendamt Xhausen", "municipal_unit", "Xhausen");
    let staffing = |person: Value| json!({"kind": "staffing", "record_id": null, "share": null, "person": person});
    let editor = fx.editor.as_str();

    // Verein Vau depends on five organisations, sorted by name.
    let deps = app.ok(&format!("/api/v1/dependencies/{v}"), None);
    assert_eq!(deps["organisation"], v_ref);
    let expected = json!([
        {"organisation": org_ref(&u, "Dachverband Uh", "federal_association", "Berlin"),
         "reasons": [reason("member_of", Some(&r_mem))]},
        {"organisation": org_ref(&f, "Fonds Eff", "funder", "Berlin"),
         "reasons": [{"kind": "funding", "record_id": g, "share": {"mid": 1.0, "min": 1.0, "max": 1.0}, "person": null}]},
        {"organisation": j_ref, "reasons": [staffing(Value::Null)]},
        {"organisation": org_ref(&q, "Quartiersbüro Xhausen", "municipal_unit", "Xhausen"),
         "reasons": [reason("founding_support", Some(&r_sup))]},
        {"organisation": city_ref, "reasons": [reason("founding_initiative", Some(&r_init))]},
    ]);
    assert_eq!(deps["depends_on"], expected);
    let text = deps.to_string();
    assert!(
        !text.contains(&p) && !text.contains("Vorstand Vau"),
        "{text}"
    );
    let named = app.ok(&format!("/api/v1/dependencies/{v}"), Some(editor));
    assert_eq!(
        named["depends_on"][2]["reasons"],
        json!([staffing(json!({"id": p, "name": "Vorstand Vau"}))])
    );
    // In 2017 neither the funding (2019–2020) nor the board role (from 2019) counts.
    let y2017 = app.ok(&format!("/api/v1/dependencies/{v}?as_of=2017"), None);
    assert_eq!(
        names(&y2017["depends_on"], "organisation"),
        ["Dachverband Uh", "Quartiersbüro Xhausen", "Stadt Xhausen"]
    );

    assert_eq!(
        app.ok(&format!("/api/v1/dependencies/{city}"), None)["depends_on"],
        json!([{"organisation": v_ref, "reasons": [reason("relies_on", Some(&r_rel))]}])
    );
    assert_eq!(
        app.ok(&format!("/api/v1/dependencies/{j}"), None)["depends_on"],
        json!([{"organisation": city_ref,
                "reasons": [reason("parent", None), reason("part_of", Some(&r_part))]}])
    );

    // Dependents: who depends on the city, on the Jugendamt, on the fund.
    let on_city = app.ok(&format!("/api/v1/dependents/{city}"), None);
    assert_eq!(on_city["organisation"], city_ref);
    assert_eq!(
        on_city["dependents"],
        json!([
            {"organisation": j_ref, "reasons": [reason("parent", None), reason("part_of", Some(&r_part))]},
            {"organisation": v_ref, "reasons": [reason("founding_initiative", Some(&r_init))]},
        ])
    );
    let on_j = app.ok(&format!("/api/v1/dependents/{j}"), None);
    assert_eq!(
        on_j["dependents"],
        json!([{"organisation": v_ref, "reasons": [staffing(Value::Null)]}])
    );
    assert!(!on_j.to_string().contains(&p));
    let on_j_named = app.ok(&format!("/api/v1/dependents/{j}"), Some(editor));
    assert_eq!(
        on_j_named["dependents"][0]["reasons"][0]["person"]["name"],
        "Vorstand Vau"
    );
    let on_f = app.ok(&format!("/api/v1/dependents/{f}"), None);
    assert_eq!(names(&on_f["dependents"], "organisation"), ["Verein Vau"]);
    assert_eq!(on_f["dependents"][0]["reasons"][0]["kind"], "funding");
    assert_eq!(
        app.ok(&format!("/api/v1/dependents/{f}?as_of=2021"), None)["dependents"],
        json!([])
    );
    assert_eq!(
        app.ok(&format!("/api/v1/dependents/{v}"), None)["dependents"],
        json!([{"organisation": city_ref, "reasons": [reason("relies_on", Some(&r_rel))]}])
    );

    // Cycles. With everything: V → City (founding initiative), City → V (relies on),
    // V → J (staffing, 2019–2020), J → City (parent, part of) → one component of three.
    let cycles = app.ok("/api/v1/dependencies/cycles", None);
    assert_eq!(list(&cycles).len(), 1, "{cycles}");
    let members: Vec<&str> = list(&cycles[0]["organisations"])
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        members,
        ["Jugendamt Xhausen", "Stadt Xhausen", "Verein Vau"]
    );
    assert_eq!(
        sorted(&cycles[0]["edges"]),
        texts(&[
            json!([j, city, ["parent", "part_of"]]),
            json!([city, v, ["relies_on"]]),
            json!([v, city, ["founding_initiative"]]),
            json!([v, j, ["staffing"]]),
        ])
    );
    // In 2017 the staffing link is not there yet: the founding initiative and reliance
    // alone make the cycle.
    let y2017 = app.ok("/api/v1/dependencies/cycles?as_of=2017", None);
    assert_eq!(list(&y2017).len(), 1, "{y2017}");
    assert_eq!(
        y2017[0]["organisations"],
        json!([city_ref, v_ref]),
        "{y2017}"
    );
    assert_eq!(
        sorted(&y2017[0]["edges"]),
        texts(&[
            json!([city, v, ["relies_on"]]),
            json!([v, city, ["founding_initiative"]]),
        ])
    );
    // Before the founding initiative (2016) there is no cycle.
    assert_eq!(
        app.ok("/api/v1/dependencies/cycles?as_of=2015", None),
        json!([])
    );

    refused(
        app,
        &format!("/api/v1/dependencies/{v}?as_of=2019-00"),
        "as_of",
    );
    refused(app, &format!("/api/v1/dependents/{v}?to=abc"), "to");
    refused(app, "/api/v1/dependencies/cycles?as_of=19", "as_of");
    not_found(app, "/api/v1/dependencies/no-such-id", None);
    not_found(app, "/api/v1/dependents/no-such-id", None);
    not_found(app, &format!("/api/v1/dependencies/{p}"), Some(editor));
}

// ---------------------------------------------------------------------------
// Network views
// ---------------------------------------------------------------------------

struct Net {
    n: Vec<String>,
    p: String,
}

/// n1 – n2 (cooperates) – n3 (member of, 2015–2016) – n5 (cooperates), n4 funds n3
/// (from 2019), a restricted person p is a member of n1 (from 2018), n6 alone, and
/// n7 – n8 (cooperates) apart. (n[0] is n1.)
fn net_fixture(fx: &Fx) -> Net {
    let names = [
        ("Knoten Eins", "migrant_organisation"),
        ("Knoten Zwei", "migrant_organisation"),
        ("Knoten Drei", "federal_association"),
        ("Knoten Vier", "funder"),
        ("Knoten Fünf", "municipality"),
        ("Knoten Sechs", "project"),
        ("Knoten Sieben", "project"),
        ("Knoten Acht", "project"),
    ];
    let n: Vec<String> = names
        .iter()
        .map(|(name, kind)| fx.org(name, kind, "Bochum"))
        .collect();
    let p = fx.person("Verdeckte Person", "restricted");
    fx.role(&p, &n[0], "member", Some("2018"), None);
    fx.relation(&n[0], &n[1], "cooperates_with", None, None);
    fx.relation(&n[1], &n[2], "member_of", Some("2015"), Some("2016"));
    fx.grant(
        &n[3],
        &n[2],
        json!({"amount_min": 100, "amount_max": 100, "start": "2019"}),
    );
    fx.relation(&n[2], &n[4], "cooperates_with", None, None);
    fx.relation(&n[6], &n[7], "cooperates_with", None, None);
    Net { n, p }
}

/// Node ids (hidden persons as "?") and edges as (source id, target id, kind).
fn graph_summary(v: &Value) -> (Vec<String>, BTreeSet<(String, String, String)>) {
    let mut by_key = BTreeMap::new();
    let nodes: Vec<String> = list(&v["nodes"])
        .iter()
        .map(|n| {
            let id = n["id"].as_str().unwrap_or("?").to_string();
            by_key.insert(n["key"].as_str().unwrap().to_string(), id.clone());
            id
        })
        .collect();
    let edges = list(&v["edges"])
        .iter()
        .map(|e| {
            (
                by_key[e["source"].as_str().unwrap()].clone(),
                by_key[e["target"].as_str().unwrap()].clone(),
                e["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (nodes, edges)
}

fn edge(a: &str, b: &str, kind: &str) -> (String, String, String) {
    (a.to_string(), b.to_string(), kind.to_string())
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn graph_views(app: &TestApp) {
    let fx = Fx::new(app);
    let Net { n, p } = net_fixture(&fx);
    let editor = fx.editor.as_str();
    let g = |query: &str, token: Option<&str>| {
        let v = app.ok(&format!("/api/v1/graph?{query}"), token);
        assert_eq!(v["truncated"], false);
        let (nodes, edges) = graph_summary(&v);
        let set: BTreeSet<String> = nodes.iter().cloned().collect();
        assert_eq!(set.len(), nodes.len(), "no node twice: {v}");
        (nodes, set, edges, v)
    };

    // Depth 1 around n2: n1 and n3.
    let (nodes, set1, edges, _) = g(&format!("focus={}&depth=1", n[1]), None);
    assert_eq!(nodes[0], n[1], "the focus comes first");
    assert_eq!(set1, set(&[&n[0], &n[1], &n[2]]));
    assert_eq!(
        edges,
        [
            edge(&n[0], &n[1], "cooperates_with"),
            edge(&n[1], &n[2], "member_of")
        ]
        .into()
    );
    // Depth 1 is the default.
    assert_eq!(g(&format!("focus={}", n[1]), None).1, set1);

    // Depth 2: also the person (hidden), n4 and n5.
    let (_, set2, edges, v) = g(&format!("focus={}&depth=2", n[1]), None);
    assert_eq!(set2, set(&[&n[0], &n[1], &n[2], &n[3], &n[4], "?"]));
    assert_eq!(
        edges,
        [
            edge(&n[0], &n[1], "cooperates_with"),
            edge(&n[1], &n[2], "member_of"),
            edge("?", &n[0], "affiliation"),
            edge(&n[3], &n[2], "funding"),
            edge(&n[2], &n[4], "cooperates_with"),
        ]
        .into()
    );
    let person = list(&v["nodes"])
        .iter()
        .find(|x| x["type"] == "person")
        .unwrap()
        .clone();
    assert_eq!(person["id"], Value::Null);
    assert_eq!(person["label"], Value::Null);
    let affiliation = list(&v["edges"])
        .iter()
        .find(|e| e["kind"] == "affiliation")
        .unwrap()
        .clone();
    assert_eq!(affiliation["id"], Value::Null, "{affiliation}");
    assert_eq!(affiliation["role"], "member");
    assert_eq!(affiliation["start"], "2018-01-01");
    let text = v.to_string();
    assert!(!text.contains(&p) && !text.contains("Verdeckte Person"));
    // An editor sees the person.
    let (_, named, _, v) = g(&format!("focus={}&depth=2", n[1]), Some(editor));
    assert!(named.contains(&p), "{v}");
    let person = list(&v["nodes"])
        .iter()
        .find(|x| x["type"] == "person")
        .unwrap()
        .clone();
    assert_eq!(person["label"], "Verdeckte Person");
    assert!(list(&v["edges"])
        .iter()
        .any(|e| e["kind"] == "affiliation" && e["id"].is_string()));

    // Kinds filter: only cooperation and membership.
    let (_, set3, edges, _) = g(
        &format!("focus={}&depth=2&kinds=cooperates_with,member_of", n[1]),
        None,
    );
    assert_eq!(set3, set(&[&n[0], &n[1], &n[2], &n[4]]));
    assert_eq!(edges.len(), 3, "{edges:?}");
    let (nodes, _, edges, _) = g(&format!("focus={}&depth=2&kinds=funding", n[1]), None);
    assert_eq!((nodes, edges.len()), (vec![n[1].clone()], 0));
    // In 2020 the membership has ended: n2 reaches n1 and, at depth 2, the person.
    let (_, set4, _, _) = g(&format!("focus={}&depth=2&as_of=2020", n[1]), None);
    assert_eq!(set4, set(&[&n[0], &n[1], "?"]));

    // Without focus: every node with at least one edge (all but n6), six edges.
    let (_, all, edges, _) = g("", None);
    assert_eq!(all.len(), 8, "{all:?}");
    assert!(!all.contains(&n[5]));
    assert_eq!(edges.len(), 6);

    // A person as focus: hidden from anonymous callers, fine for an editor.
    not_found(app, &format!("/api/v1/graph?focus={p}"), None);
    let (_, around_p, _, _) = g(&format!("focus={p}"), Some(editor));
    assert_eq!(around_p, set(&[&p, &n[0]]));

    refused(app, "/api/v1/graph?as_of=2019-13", "as_of");
    refused(
        app,
        &format!("/api/v1/graph?focus={}&depth=3", n[0]),
        "depth",
    );
    refused(app, "/api/v1/graph?kinds=friends", "kinds");
    not_found(app, "/api/v1/graph?focus=no-such-id", None);
}

fn shortest_path(app: &TestApp) {
    let fx = Fx::new(app);
    let Net { n, p } = net_fixture(&fx);
    let editor = fx.editor.as_str();
    let path = |from: &str, to: &str, extra: &str, token: Option<&str>| {
        let v = app.ok(
            &format!("/api/v1/graph/path?from={from}&to={to}{extra}"),
            token,
        );
        let (nodes, _) = graph_summary(&v);
        let kinds: Vec<String> = list(&v["edges"])
            .iter()
            .map(|e| e["kind"].as_str().unwrap().to_string())
            .collect();
        (nodes, kinds)
    };
    assert_eq!(
        path(&n[0], &n[4], "", None),
        (
            vec![n[0].clone(), n[1].clone(), n[2].clone(), n[4].clone()],
            vec![
                "cooperates_with".into(),
                "member_of".into(),
                "cooperates_with".into()
            ]
        )
    );
    assert_eq!(
        path(&n[3], &n[0], "", None),
        (
            vec![n[3].clone(), n[2].clone(), n[1].clone(), n[0].clone()],
            vec![
                "funding".into(),
                "member_of".into(),
                "cooperates_with".into()
            ]
        )
    );
    assert_eq!(path(&n[0], &n[0], "", None), (vec![n[0].clone()], vec![]));
    // Through a person: only for signed-in callers.
    assert_eq!(
        path(&p, &n[1], "", Some(editor)).0,
        vec![p.clone(), n[0].clone(), n[1].clone()]
    );
    not_found(
        app,
        &format!("/api/v1/graph/path?from={p}&to={}", n[1]),
        None,
    );
    // The membership runs 2015–2016.
    assert_eq!(path(&n[0], &n[4], "&as_of=2016-06", None).0.len(), 4);
    not_found(
        app,
        &format!("/api/v1/graph/path?from={}&to={}&as_of=2020", n[0], n[4]),
        None,
    );
    not_found(
        app,
        &format!(
            "/api/v1/graph/path?from={}&to={}&kinds=cooperates_with",
            n[0], n[4]
        ),
        None,
    );
    // No way to the lone n6 or to the n7–n8 pair.
    not_found(
        app,
        &format!("/api/v1/graph/path?from={}&to={}", n[0], n[5]),
        None,
    );
    not_found(
        app,
        &format!("/api/v1/graph/path?from={}&to={}", n[0], n[7]),
        None,
    );

    refused(
        app,
        &format!("/api/v1/graph/path?from={}&to={}&as_of=bad", n[0], n[4]),
        "as_of",
    );
    refused(app, &format!("/api/v1/graph/path?from={}", n[0]), "to");
    not_found(
        app,
        &format!("/api/v1/graph/path?from=no-such-id&to={}", n[0]),
        None,
    );
}

fn components(app: &TestApp) {
    let fx = Fx::new(app);
    net_fixture(&fx);
    let comp = |size: usize, orgs: usize, persons: usize, examples: &[&str]| json!({"size": size, "organisations": orgs, "persons": persons, "examples": examples});
    // Degrees in the big one: Drei 3, Eins 2 (with the person), Zwei 2, Fünf 1, Vier 1.
    let all = app.ok("/api/v1/graph/components", None);
    assert_eq!(
        all,
        json!([
            comp(
                6,
                5,
                1,
                &[
                    "Knoten Drei",
                    "Knoten Eins",
                    "Knoten Zwei",
                    "Knoten Fünf",
                    "Knoten Vier"
                ]
            ),
            comp(2, 2, 0, &["Knoten Acht", "Knoten Sieben"]),
            comp(1, 1, 0, &["Knoten Sechs"]),
        ])
    );
    assert_eq!(
        app.ok("/api/v1/graph/components?limit=1", None),
        json!([all[0]])
    );
    // Only cooperation: three pairs and three singletons (the person among them).
    assert_eq!(
        app.ok("/api/v1/graph/components?kinds=cooperates_with", None),
        json!([
            comp(2, 2, 0, &["Knoten Acht", "Knoten Sieben"]),
            comp(2, 2, 0, &["Knoten Drei", "Knoten Fünf"]),
            comp(2, 2, 0, &["Knoten Eins", "Knoten Zwei"]),
            comp(1, 0, 1, &[]),
            comp(1, 1, 0, &["Knoten Sechs"]),
            comp(1, 1, 0, &["Knoten Vier"]),
        ])
    );
    // In 2020 the membership n2–n3 has ended: the big one splits in two threes.
    assert_eq!(
        app.ok("/api/v1/graph/components?as_of=2020", None),
        json!([
            comp(3, 3, 0, &["Knoten Drei", "Knoten Fünf", "Knoten Vier"]),
            comp(3, 2, 1, &["Knoten Eins", "Knoten Zwei"]),
            comp(2, 2, 0, &["Knoten Acht", "Knoten Sieben"]),
            comp(1, 1, 0, &["Knoten Sechs"]),
        ])
    );
    refused(app, "/api/v1/graph/components?from=2019-13", "from");
    refused(app, "/api/v1/graph/components?limit=x", "limit");
}

fn centrality(app: &TestApp) {
    let fx = Fx::new(app);
    // A path of five: Glied 1 – 2 – 3 – 4 – 5.
    let l: Vec<String> = (1..=5)
        .map(|i| fx.org(&format!("Glied {i}"), "migrant_organisation", "Hamm"))
        .collect();
    for w in l.windows(2) {
        fx.relation(&w[0], &w[1], "cooperates_with", None, None);
    }
    let scores = |v: &Value| -> BTreeMap<String, (f64, f64)> {
        list(&v["items"])
            .iter()
            .map(|i| {
                (
                    i["node"]["id"].as_str().unwrap().to_string(),
                    (
                        i["score"].as_f64().unwrap(),
                        i["normalized"].as_f64().unwrap(),
                    ),
                )
            })
            .collect()
    };

    // Betweenness on a path of five: node i separates (i-1)(5-i) pairs → 0, 3, 4, 3, 0;
    // normalised by (n-1)(n-2)/2 = 6.
    let v = app.ok("/api/v1/graph/centrality?measure=betweenness", None);
    assert_eq!(v["method"], "exact", "{v}");
    assert_eq!(v["nodes"], 5);
    assert_eq!(v["items"][0]["node"]["id"], l[2].as_str(), "middle first");
    assert_eq!(v["items"][0]["node"]["label"], "Glied 3");
    let got = scores(&v);
    for (i, expected) in [0.0, 3.0, 4.0, 3.0, 0.0].into_iter().enumerate() {
        let (score, normalized) = got[&l[i]];
        assert!((score - expected).abs() < 1e-12, "Glied {}: {score}", i + 1);
        assert!((normalized - expected / 6.0).abs() < 1e-12);
    }
    let second: BTreeSet<&str> = list(&v["items"])[1..3]
        .iter()
        .map(|i| i["node"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(second, [l[1].as_str(), l[3].as_str()].into());

    // Degree: 1, 2, 2, 2, 1 over n-1 = 4.
    let v = app.ok("/api/v1/graph/centrality", None);
    assert_eq!(v["method"], "degree");
    let got = scores(&v);
    for (i, expected) in [1.0, 2.0, 2.0, 2.0, 1.0].into_iter().enumerate() {
        assert_eq!(got[&l[i]], (expected, expected / 4.0), "Glied {}", i + 1);
    }
    assert_eq!(
        list(&app.ok("/api/v1/graph/centrality?limit=2", None)["items"]).len(),
        2
    );

    // Around Glied 1 at depth 2: the path 1 – 2 – 3, Glied 2 on the one pair (1, 3).
    let v = app.ok(
        &format!(
            "/api/v1/graph/centrality?measure=betweenness&focus={}&depth=2",
            l[0]
        ),
        None,
    );
    assert_eq!(v["nodes"], 3);
    assert_eq!(v["items"][0]["node"]["id"], l[1].as_str());
    close(&v["items"][0]["score"], 1.0, "Glied 2 score");
    close(&v["items"][0]["normalized"], 1.0, "Glied 2 normalized");

    refused(app, "/api/v1/graph/centrality?measure=closeness", "measure");
    refused(app, "/api/v1/graph/centrality?as_of=2019-13", "as_of");
    not_found(app, "/api/v1/graph/centrality?focus=no-such-id", None);
}

// ---------------------------------------------------------------------------
// Conflicts of interest
// ---------------------------------------------------------------------------

fn conflicts(app: &TestApp) {
    let fx = Fx::new(app);
    let f = fx.org("Stiftung Zett", "funder", "Berlin");
    let a = fx.org("Verein Antrag", "migrant_organisation", "Essen");
    let b = fx.org("Verein Bee", "migrant_organisation", "Essen");
    // K1 (restricted): on the funder's board 2015–2020, chair of A from 2019.
    let k1 = fx.person("Konflikt Eins", "restricted");
    fx.role(&k1, &f, "board_member", Some("2015"), Some("2020"));
    fx.role(&k1, &a, "chair", Some("2019"), None);
    // K2: adviser at the funder 2010–2012, member of A from 2014: different times.
    let k2 = fx.person("Konflikt Zwei", "public");
    fx.role(&k2, &f, "adviser", Some("2010"), Some("2012"));
    fx.role(&k2, &a, "member", Some("2014"), None);
    // K3: on the board from 2015, member of B in 2016.
    let k3 = fx.person("Konflikt Drei", "public");
    fx.role(&k3, &f, "board_member", Some("2015"), None);
    fx.role(&k3, &b, "member", Some("2016"), Some("2016"));

    let k1_conflict = |person: Value| {
        json!({
            "person": person,
            "at_funder": span("board_member", Some("2015-01-01"), Some("2020-12-31")),
            "at_applicant": span("chair", Some("2019-01-01"), None),
            "overlap": iv(Some("2019-01-01"), Some("2020-12-31")),
        })
    };
    let path = format!("/api/v1/conflicts?funder={f}&applicant={a}");
    let v = app.ok(&path, None);
    assert_eq!(v, json!([k1_conflict(Value::Null)]));
    assert!(!v.to_string().contains(&k1));
    assert_eq!(
        app.ok(&path, Some(&fx.editor)),
        json!([k1_conflict(json!({"id": k1, "name": "Konflikt Eins"}))])
    );
    assert_eq!(app.ok(&format!("{path}&as_of=2016"), None), json!([]));
    assert_eq!(
        app.ok(&format!("{path}&as_of=2020"), None),
        json!([k1_conflict(Value::Null)])
    );
    assert_eq!(
        app.ok(&format!("/api/v1/conflicts?funder={f}&applicant={b}"), None),
        json!([{
            "person": null,
            "at_funder": span("board_member", Some("2015-01-01"), None),
            "at_applicant": span("member", Some("2016-01-01"), Some("2016-12-31")),
            "overlap": iv(Some("2016-01-01"), Some("2016-12-31")),
        }])
    );
    // The other way round: K1 chairs A while on the funder's board.
    let back = app.ok(&format!("/api/v1/conflicts?funder={a}&applicant={f}"), None);
    assert_eq!(list(&back).len(), 1, "{back}");
    assert_eq!(
        back[0]["overlap"],
        iv(Some("2019-01-01"), Some("2020-12-31"))
    );

    refused(app, &format!("{path}&as_of=2019-13"), "as_of");
    refused(app, &format!("/api/v1/conflicts?funder={f}"), "applicant");
    not_found(
        app,
        &format!("/api/v1/conflicts?funder=no-such-id&applicant={a}"),
        None,
    );
    not_found(
        app,
        &format!("/api/v1/conflicts?funder={f}&applicant={k1}"),
        Some(&fx.editor),
    );
}

// ---------------------------------------------------------------------------
// Across all routes: restricted persons, deleted records
// ---------------------------------------------------------------------------

/// A restricted person in tandem, on a funder's board, and central in the network:
/// anonymous answers count them but never carry their id or name.
fn restricted_never_named(app: &TestApp) {
    let fx = Fx::new(app);
    let s = fx.org(
        "Selbstorganisation Es",
        "roma_self_organisation",
        "Gelsenkirchen",
    );
    let m = fx.org("Stadtamt Em", "municipal_unit", "Gelsenkirchen");
    let f = fx.org("Förderer Eff", "funder", "Berlin");
    let r = fx.person("Geheime Person", "restricted");
    let q = fx.person("Offene Person", "public");
    fx.role(&r, &s, "board_member", Some("2019"), None);
    fx.role(&r, &m, "employee", Some("2019"), None);
    fx.role(&r, &f, "board_member", Some("2019"), None);
    fx.role(&q, &s, "member", Some("2019"), None);
    fx.role(&q, &m, "employee", Some("2019"), None);
    let paths = [
        format!("/api/v1/overlaps/staff?organisation={s}"),
        "/api/v1/overlaps/staff/pairs".to_string(),
        "/api/v1/tandem".to_string(),
        format!("/api/v1/dependencies/{s}"),
        format!("/api/v1/dependents/{m}"),
        "/api/v1/dependencies/cycles".to_string(),
        "/api/v1/graph".to_string(),
        format!("/api/v1/graph?focus={s}&depth=2"),
        format!("/api/v1/graph/path?from={s}&to={f}"),
        "/api/v1/graph/components".to_string(),
        "/api/v1/graph/centrality".to_string(),
        "/api/v1/graph/centrality?measure=betweenness".to_string(),
        format!("/api/v1/conflicts?funder={f}&applicant={s}"),
    ];
    for path in &paths {
        let text = app.ok(path, None).to_string();
        assert!(
            !text.contains(&r) && !text.contains("Geheime Person"),
            "{path}: {text}"
        );
    }
    // Counted, not named.
    let staff = app.ok(&paths[0], None);
    assert_eq!(staff["overlaps"][0]["shared_persons"], 2);
    assert_eq!(
        staff["overlaps"][0]["persons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["person"].clone())
            .collect::<Vec<_>>(),
        [Value::Null, Value::Null]
    );
    assert_eq!(list(&app.ok("/api/v1/tandem", None)).len(), 2);
    assert_eq!(list(&app.ok(&paths[12], None)).len(), 1);
    // The path S – R – F runs through the hidden person.
    let path = app.ok(&paths[8], None);
    assert_eq!(list(&path["nodes"]).len(), 3);
    assert_eq!(path["nodes"][1]["type"], "person");
    assert_eq!(path["nodes"][1]["id"], Value::Null);
    // The person is the most central node: listed without a name.
    let central = app.ok(&paths[11], None);
    assert_eq!(central["items"][0]["node"]["type"], "person");
    assert_eq!(central["items"][0]["node"]["label"], Value::Null);

    // Signed-in callers see the names.
    let editor = fx.editor.as_str();
    for path in [&paths[0], &paths[2], &paths[8], &paths[11], &paths[12]] {
        let text = app.ok(path, Some(editor)).to_string();
        assert!(
            text.contains(&r) && text.contains("Geheime Person"),
            "{path}: {text}"
        );
    }
}

/// Deleted organisations, persons, affiliations and fundings leave the graph at once,
/// and come back when restored.
fn deleted_records_leave_the_graph(app: &TestApp) {
    let fx = Fx::new(app);
    let s = staff_fixture(&fx);
    let editor = fx.editor.as_str();
    let overlap_names = |org: &str| -> Vec<String> {
        names(
            &app.ok(
                &format!("/api/v1/overlaps/staff?organisation={org}&concurrent=true"),
                None,
            )["overlaps"],
            "organisation",
        )
    };
    assert_eq!(overlap_names(&s.a), ["Bravo", "Charlie", "Delta"]);

    // P1's role at Bravo goes: Bravo no longer shares anyone with Alpha at the same time.
    let del = |resource: &str, id: &str| {
        let (status, v) = app.delete(&format!("/api/v1/{resource}/{id}"), Some(editor));
        assert_eq!(status, Status::NoContent, "{v}");
    };
    let restore = |resource: &str, id: &str| {
        let (status, v) = app.post(
            &format!("/api/v1/{resource}/{id}/restore"),
            Some(editor),
            &json!({}),
        );
        assert_eq!(status, Status::Ok, "{v}");
    };
    del("affiliations", &s.p1_at_b);
    assert_eq!(overlap_names(&s.a), ["Charlie", "Delta"]);
    restore("affiliations", &s.p1_at_b);
    assert_eq!(overlap_names(&s.a), ["Bravo", "Charlie", "Delta"]);

    // The person goes, with their roles.
    del("persons", &s.p1);
    assert_eq!(overlap_names(&s.a), ["Charlie", "Delta"]);
    restore("persons", &s.p1);
    assert_eq!(overlap_names(&s.a), ["Bravo", "Charlie", "Delta"]);

    // Delta goes: out of every answer, and unknown as an id.
    let f = fx.org("Förderer", "funder", "Berlin");
    let grant = fx.grant(
        &f,
        &s.d,
        json!({"amount_min": 100, "amount_max": 100, "start": "2019"}),
    );
    fx.grant(
        &f,
        &s.a,
        json!({"amount_min": 100, "amount_max": 100, "start": "2019"}),
    );
    let co = app.ok(
        &format!("/api/v1/overlaps/funding?organisation={}", s.a),
        None,
    );
    assert_eq!(names(&co["co_funded"], "organisation"), ["Delta"]);
    del("organisations", &s.d);
    assert_eq!(overlap_names(&s.a), ["Bravo", "Charlie"]);
    let co = app.ok(
        &format!("/api/v1/overlaps/funding?organisation={}", s.a),
        None,
    );
    assert_eq!(co["co_funded"], json!([]));
    let impact = app.ok(&format!("/api/v1/funding/impact?funder={f}"), None);
    assert_eq!(names(&impact, "recipient"), ["Alpha Verein"]);
    let graph = app.ok("/api/v1/graph", Some(editor)).to_string();
    assert!(!graph.contains(&s.d) && !graph.contains(&grant), "{graph}");
    not_found(
        app,
        &format!("/api/v1/overlaps/staff?organisation={}", s.d),
        None,
    );
    not_found(app, &format!("/api/v1/dependencies/{}", s.d), None);
    not_found(
        app,
        &format!("/api/v1/graph/path?from={}&to={}", s.a, s.d),
        None,
    );
    restore("organisations", &s.d);
    assert_eq!(overlap_names(&s.a), ["Bravo", "Charlie", "Delta"]);

    // A funding goes: its funder no longer co-funds.
    del("fundings", &grant);
    let co = app.ok(
        &format!("/api/v1/overlaps/funding?organisation={}", s.a),
        None,
    );
    assert_eq!(co["co_funded"], json!([]));
    let d = app.ok(
        &format!("/api/v1/overlaps/funding?organisation={}", s.d),
        None,
    );
    assert_eq!(d["funders"], json!([]));
    assert_eq!(d["total"], json!({"min": 0, "max": 0, "unknown": 0}));
}

on_both_backends!(
    staff_overlaps,
    staff_pairs,
    tandem,
    funding_overlap,
    funding_ending,
    funding_impact,
    dependencies,
    graph_views,
    shortest_path,
    components,
    centrality,
    conflicts,
    restricted_never_named,
    deleted_records_leave_the_graph,
);

/// Regression: the share of an ending grant was once taken against the funding running on
/// the reference day, which need not include the grant itself, giving shares above 1.
/// Here Verein Er runs 1000 (2021–2023) and gets 3000 for 2022-03..2022-06; on the
/// grant's last day both run: 3000 / (1000 + 3000) = 0.75.
#[test]
fn ending_share_of_a_grant_not_yet_running_is_at_most_one() {
    let app = TestApp::sqlite();
    let fx = Fx::new(&app);
    let f = fx.org("Stiftung Eins", "funder", "Berlin");
    let r = fx.org("Verein Er", "migrant_organisation", "Essen");
    fx.grant(
        &f,
        &r,
        json!({"amount_min": 1000, "amount_max": 1000, "start": "2021", "end": "2023", "programme": "Basis"}),
    );
    let late = fx.grant(
        &f,
        &r,
        json!({"amount_min": 3000, "amount_max": 3000, "start": "2022-03", "end": "2022-06", "programme": "Projekt"}),
    );
    let v = app.ok(
        "/api/v1/funding/ending?as_of=2022-01-01&within_days=180",
        None,
    );
    assert_eq!(list(&v).len(), 1, "{v}");
    assert_eq!(v[0]["funding_id"], late.as_str());
    share(&v[0]["recipient_share"], 0.75, 0.75, 0.75, "late grant");
}
