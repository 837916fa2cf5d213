//! Across all graph routes: a restricted person is counted but never named to anonymous
//! callers, and deleted organisations, persons, affiliations and fundings leave every
//! answer at once and come back when restored.
mod common;

use common::graph::{list, names, not_found, staff_fixture, Fx};
use common::TestApp;
use knotenpunkt::domain::UserRole;
use rocket::http::Status;
use serde_json::{json, Value};

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
    // Counted, not named: anonymous answers carry counts, no person list at all.
    let staff = app.ok(&paths[0], None);
    assert_eq!(staff["overlaps"][0]["shared_persons"], 2);
    assert!(staff["overlaps"][0].get("persons").is_none(), "{staff}");
    let tandem = app.ok("/api/v1/tandem", None);
    assert!(tandem.get("roles").is_none(), "{tandem}");
    assert_eq!(tandem["pairs"][0]["persons"], 2, "{tandem}");
    assert_eq!(
        tandem["cities"],
        json!([{"city": "Gelsenkirchen", "persons": 2}])
    );
    let conflicts = app.ok(&paths[12], None);
    assert_eq!(conflicts, json!({"persons": 1}));
    // The path S – R – F runs through the hidden person: a node without id or label and
    // edges without id, role or dates.
    let path = app.ok(&paths[8], None);
    assert_eq!(list(&path["nodes"]).len(), 3);
    assert_eq!(path["nodes"][1]["type"], "person");
    assert_eq!(path["nodes"][1]["id"], Value::Null);
    assert_eq!(path["nodes"][1]["label"], Value::Null);
    for e in list(&path["edges"]) {
        assert_eq!((&e["id"], &e["role"]), (&Value::Null, &Value::Null), "{e}");
        assert!(e.get("start").is_none() && e.get("end").is_none(), "{e}");
    }
    // Anonymous centrality ranks organisations only.
    let central = app.ok(&paths[11], None);
    assert!(!list(&central["items"]).is_empty(), "{central}");
    for item in list(&central["items"]) {
        assert_eq!(item["node"]["type"], "organisation", "{central}");
    }

    // Signed-in callers see the names, and every person row.
    let viewer = app.token(UserRole::Viewer);
    let staff = app.ok(&paths[0], Some(&viewer));
    let mut shared: Vec<&str> = list(&staff["overlaps"][0]["persons"])
        .iter()
        .map(|p| p["person"]["name"].as_str().unwrap())
        .collect();
    shared.sort();
    assert_eq!(shared, ["Geheime Person", "Offene Person"]);
    assert_eq!(
        list(&app.ok("/api/v1/tandem", Some(&viewer))["roles"]).len(),
        2
    );
    assert_eq!(
        list(&app.ok(&paths[12], Some(&viewer))["conflicts"]).len(),
        1
    );
    // The person is the most central node.
    let central = app.ok(&paths[11], Some(&viewer));
    assert_eq!(central["items"][0]["node"]["type"], "person");
    assert_eq!(central["items"][0]["node"]["label"], "Geheime Person");
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

on_both_backends!(restricted_never_named, deleted_records_leave_the_graph);
