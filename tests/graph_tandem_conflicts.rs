//! Persons in two roles at once, on small hand-built fixtures: tandem roles under
//! `/api/v1/tandem` (a role in a self-organisation while employed by the city) and
//! conflicts of interest under `/api/v1/conflicts` (at a funder and at an applicant).
//! Every expected answer below is worked out by hand from the fixture it follows.
mod common;

use common::graph::{iv, list, not_found, org_ref, refused, span, Fx};
use common::TestApp;
use serde_json::{json, Value};

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

on_both_backends!(tandem, conflicts);
