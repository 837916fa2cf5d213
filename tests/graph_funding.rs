//! Funding answers on small hand-built fixtures: funding shares and co-funding under
//! `/api/v1/overlaps/funding`, funding that ends under `/api/v1/funding/ending`, and a
//! funder's exit under `/api/v1/funding/impact`.
//! Every expected answer below is worked out by hand from the fixture it follows.
mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::graph::{close, list, names, not_found, org_ref, refused, Fx};
use common::TestApp;
use serde_json::{json, Value};

fn share(v: &Value, mid: f64, min: f64, max: f64, what: &str) {
    close(&v["mid"], mid, &format!("{what} mid"));
    close(&v["min"], min, &format!("{what} min"));
    close(&v["max"], max, &format!("{what} max"));
}

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

on_both_backends!(funding_overlap, funding_ending, funding_impact);

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
