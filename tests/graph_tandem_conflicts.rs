//! Persons in two roles at once, on small hand-built fixtures: tandem roles under
//! `/api/v1/tandem` (a role in a self-organisation while employed by the city) and
//! conflicts of interest under `/api/v1/conflicts` (at a funder and at an applicant).
//! Every expected answer below is worked out by hand from the fixture it follows.
mod common;

use common::graph::{iv, list, not_found, org_ref, refused, span, Fx};
use common::TestApp;
use knotenpunkt::domain::UserRole;
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

    let phen_ref = org_ref(&phen, "Romani Phen", "roma_self_organisation", "Essen");
    let amt_ref = org_ref(&amt, "Jugendamt Essen", "municipal_unit", "Essen");
    let drom_ref = org_ref(&drom, "Romano Drom", "roma_self_organisation", "Hagen");
    let qm_ref = org_ref(&qm, "Quartiersmanagement Hagen", "municipal_unit", "Hagen");
    // The rows a signed-in caller gets under `roles`.
    let essen = json!({
        "person": {"id": t1, "name": "Tandem Eins"},
        "self_organisation": phen_ref,
        "self_role": span("board_member", Some("2018-01-01"), Some("2022-12-31")),
        "employer": amt_ref,
        "employment": span("employee", Some("2020-01-01"), None),
        "overlap": iv(Some("2020-01-01"), Some("2022-12-31")),
        "shared_fields": ["youth", "mediation"],
    });
    let hagen = json!({
        "person": {"id": t3, "name": "Tandem Drei"},
        "self_organisation": drom_ref,
        "self_role": span("co_chair", Some("2019-01-01"), Some("2024-12-31")),
        "employer": qm_ref,
        "employment": span("employee", None, None),
        "overlap": iv(Some("2019-01-01"), Some("2024-12-31")),
        "shared_fields": ["social_counselling"],
    });
    // The counts everyone gets: one person per pair and per city.
    let essen_pair = json!({"self_organisation": phen_ref, "employer": amt_ref, "persons": 1});
    let hagen_pair = json!({"self_organisation": drom_ref, "employer": qm_ref, "persons": 1});
    let essen_city = json!({"city": "Essen", "persons": 1});
    let hagen_city = json!({"city": "Hagen", "persons": 1});
    let viewer = app.token(UserRole::Viewer);
    // The anonymous answer has the counts only; a viewer's adds the rows.
    let check = |query: &str, pairs: &[&Value], cities: &[&Value], roles: &[&Value]| {
        let path = format!("/api/v1/tandem{query}");
        // One page (the first, of the default size) with the length of each list.
        let counts = json!({
            "pairs": pairs,
            "pairs_total": pairs.len(),
            "cities": cities,
            "offset": 0,
            "limit": 50,
        });
        assert_eq!(app.ok(&path, None), counts, "{path} anonymously");
        let mut named = counts;
        named["roles"] = json!(roles);
        named["roles_total"] = json!(roles.len());
        assert_eq!(app.ok(&path, Some(&viewer)), named, "{path} for a viewer");
    };

    // Sorted by self-organisation name: "Romani Phen" < "Romano Drom".
    check(
        "",
        &[&essen_pair, &hagen_pair],
        &[&essen_city, &hagen_city],
        &[&essen, &hagen],
    );
    let all = app.ok("/api/v1/tandem", None);
    let text = all.to_string();
    for secret in [t1.as_str(), t3.as_str(), "Tandem Eins", "Tandem Drei"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    for detail in [
        "board_member",
        "co_chair",
        "employee",
        "2020-01-01",
        "youth",
    ] {
        assert!(!text.contains(detail), "{detail} in {text}");
    }

    let editor = fx.editor.as_str();
    let named = app.ok("/api/v1/tandem", Some(editor));
    assert_eq!(
        named["roles"][0]["person"],
        json!({"id": t1, "name": "Tandem Eins"})
    );
    assert_eq!(
        named["roles"][1]["person"],
        json!({"id": t3, "name": "Tandem Drei"})
    );

    check("?city=essen", &[&essen_pair], &[&essen_city], &[&essen]);
    check("?city=Hagen", &[&hagen_pair], &[&hagen_city], &[&hagen]);
    check("?city=Bochum", &[], &[], &[]);
    check(
        &format!("?organisation={amt}"),
        &[&essen_pair],
        &[&essen_city],
        &[&essen],
    );
    check(
        &format!("?organisation={qm}"),
        &[&hagen_pair],
        &[&hagen_city],
        &[&hagen],
    );
    check(&format!("?organisation={stiftung}"), &[], &[], &[]);
    // In 2019 T1 is not yet employed; in 2023–2024 no longer on the board.
    check("?as_of=2019", &[&hagen_pair], &[&hagen_city], &[&hagen]);
    check(
        "?from=2023&to=2024",
        &[&hagen_pair],
        &[&hagen_city],
        &[&hagen],
    );
    check(
        "?as_of=2021-06-30",
        &[&essen_pair, &hagen_pair],
        &[&essen_city, &hagen_city],
        &[&essen, &hagen],
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
    let viewer = app.token(UserRole::Viewer);
    // Anonymous callers get the number of persons only; a viewer's answer adds the list.
    let check = |path: &str, conflicts: Value| -> Value {
        let n = list(&conflicts).len();
        let anonymous = app.ok(path, None);
        assert_eq!(anonymous, json!({ "persons": n }), "{path} anonymously");
        let named = app.ok(path, Some(&viewer));
        assert_eq!(
            named,
            json!({ "persons": n, "conflicts": conflicts }),
            "{path} for a viewer"
        );
        named
    };
    let k1_named = json!({"id": k1, "name": "Konflikt Eins"});
    let path = format!("/api/v1/conflicts?funder={f}&applicant={a}");
    check(&path, json!([k1_conflict(k1_named.clone())]));
    let v = app.ok(&path, None);
    assert_eq!(v, json!({"persons": 1}));
    let text = v.to_string();
    for secret in [
        k1.as_str(),
        "Konflikt Eins",
        "board_member",
        "chair",
        "2019-01-01",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    assert_eq!(
        app.ok(&path, Some(&fx.editor)),
        json!({"persons": 1, "conflicts": [k1_conflict(k1_named.clone())]})
    );
    check(&format!("{path}&as_of=2016"), json!([]));
    check(
        &format!("{path}&as_of=2020"),
        json!([k1_conflict(k1_named)]),
    );
    check(
        &format!("/api/v1/conflicts?funder={f}&applicant={b}"),
        json!([{
            "person": {"id": k3, "name": "Konflikt Drei"},
            "at_funder": span("board_member", Some("2015-01-01"), None),
            "at_applicant": span("member", Some("2016-01-01"), Some("2016-12-31")),
            "overlap": iv(Some("2016-01-01"), Some("2016-12-31")),
        }]),
    );
    // The other way round: K1 chairs A while on the funder's board.
    let back_path = format!("/api/v1/conflicts?funder={a}&applicant={f}");
    assert_eq!(app.ok(&back_path, None), json!({"persons": 1}));
    let back = app.ok(&back_path, Some(&viewer));
    assert_eq!(list(&back["conflicts"]).len(), 1, "{back}");
    assert_eq!(
        back["conflicts"][0]["overlap"],
        iv(Some("2019-01-01"), Some("2020-12-31"))
    );
    assert_eq!(back["conflicts"][0]["person"]["id"], k1.as_str());

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
