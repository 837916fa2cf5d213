//! Staff overlaps under `/api/v1/overlaps/staff` on a small hand-built fixture: the
//! persons an organisation shares with others, when they held both roles, year and month
//! precision, time filters, hidden names, and the pairs of organisations sharing staff.
//! Every expected answer below is worked out by hand from the fixture it follows.
mod common;

use std::collections::BTreeSet;

use common::graph::{
    iv, list, not_found, org_ref, refused, sorted, span, staff_fixture, texts, Fx,
};
use common::TestApp;
use knotenpunkt::domain::UserRole;
use serde_json::{json, Value};

/// (organisation name, shared_persons, sorted overlaps) per other organisation, in order,
/// from a signed-in answer (anonymous answers have no `persons`).
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

/// The answer for a signed-in `viewer`, after checking that the anonymous answer to the
/// same question is that answer without any person: the same organisations and counts,
/// no `persons` key.
fn staff(app: &TestApp, path: &str, viewer: &str) -> Value {
    let named = app.ok(path, Some(viewer));
    let anonymous = app.ok(path, None);
    let mut counts = named.clone();
    for o in counts["overlaps"].as_array_mut().expect("overlaps") {
        o.as_object_mut().expect("overlap").remove("persons");
    }
    assert_eq!(
        anonymous, counts,
        "{path}: anonymous callers get counts only"
    );
    named
}

fn staff_overlaps(app: &TestApp) {
    let fx = Fx::new(app);
    let s = staff_fixture(&fx);
    let viewer = app.token(UserRole::Viewer);
    let viewer = viewer.as_str();
    let path = format!("/api/v1/overlaps/staff?organisation={}", s.a);

    let all = staff(app, &path, viewer);
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
    // Anonymous callers count persons but get no names, roles or dates, and never a
    // restricted id.
    let anonymous = app.ok(&path, None);
    let counts: Vec<(String, u64)> = list(&anonymous["overlaps"])
        .iter()
        .map(|o| {
            assert!(o.get("persons").is_none(), "{o}");
            (
                o["organisation"]["name"].as_str().unwrap().to_string(),
                o["shared_persons"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [("Bravo", 2), ("Charlie", 1), ("Delta", 1), ("Echo", 1)].map(|(n, c)| (n.to_string(), c))
    );
    let text = anonymous.to_string();
    assert!(
        !text.contains(&s.p1) && !text.contains("Person Eins"),
        "{text}"
    );
    for hidden in ["board_member", "employee", "2017-01-01", "2019-12-31"] {
        assert!(!text.contains(hidden), "{hidden}: {text}");
    }

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
    let concurrent = staff(app, &format!("{path}&concurrent=true"), viewer);
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
        overlap_summary(&staff(app, &format!("{path}&as_of=2017"), viewer)),
        vec![row("Bravo", 1, std::slice::from_ref(&p1_overlap))]
    );
    assert_eq!(
        overlap_summary(&staff(app, &format!("{path}&from=2019&to=2019"), viewer)),
        vec![row("Delta", 1, std::slice::from_ref(&p4_overlap))]
    );
    assert_eq!(
        overlap_summary(&staff(app, &format!("{path}&as_of=2030"), viewer)),
        vec![]
    );

    // From Bravo's side: two persons shared with Alpha.
    let from_bravo = staff(
        app,
        &format!("/api/v1/overlaps/staff?organisation={}", s.b),
        viewer,
    );
    assert_eq!(
        overlap_summary(&from_bravo),
        vec![row("Alpha Verein", 2, &[p1_overlap, Value::Null])]
    );
    for other in [&s.c, &s.d, &s.e] {
        let v = staff(
            app,
            &format!("/api/v1/overlaps/staff?organisation={other}"),
            viewer,
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

on_both_backends!(staff_overlaps, staff_pairs);
