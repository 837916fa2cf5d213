//! Organisations through the JSON API: round trip, filters, bad input, duplicates.
mod common;

use common::TestApp;
use rocket::http::Status;
use serde_json::{json, Value};

fn romano_than() -> Value {
    json!({
        "name": "Romano Than e.V.",
        "short_name": "Romano Than",
        "kind": "roma_self_organisation",
        "legal_form": "registered_association",
        "city": "Dortmund",
        "country": "DE",
        "founded": "2016",
        "purposes": ["youth", "education"],
        "functions": ["hinge"]
    })
}

fn round_trip(app: &TestApp) {
    let editor = app.editor();
    let id = app.create("organisations", &editor, romano_than());

    let (status, org) = app.get(&format!("/api/v1/organisations/{id}"), None);
    assert_eq!(status, Status::Ok);
    assert_eq!(org["name"], "Romano Than e.V.");
    assert_eq!(org["founded"], "2016");
    assert_eq!(org["purposes"], json!(["youth", "education"]));
    assert_eq!(org["deleted_at"], Value::Null);

    let mut changed = romano_than();
    changed["dissolved"] = json!("2024-03");
    changed["member_count_min"] = json!(10);
    let (status, updated) = app.put(
        &format!("/api/v1/organisations/{id}"),
        Some(&editor),
        &changed,
    );
    assert_eq!(status, Status::Ok, "{updated}");
    assert_eq!(updated["dissolved"], "2024-03");
    let (_, reread) = app.get(&format!("/api/v1/organisations/{id}"), None);
    assert_eq!(reread["member_count_min"], 10);
    assert_eq!(reread["created_at"], org["created_at"]);

    let (status, _) = app.delete(&format!("/api/v1/organisations/{id}"), Some(&editor));
    assert_eq!(status, Status::NoContent);
    assert_eq!(
        app.get(&format!("/api/v1/organisations/{id}"), None).0,
        Status::NotFound
    );
    let (_, list) = app.get("/api/v1/organisations", None);
    assert_eq!(list["total"], 0);

    let (status, restored) = app.post(
        &format!("/api/v1/organisations/{id}/restore"),
        Some(&editor),
        &json!({}),
    );
    assert_eq!(status, Status::Ok, "{restored}");
    assert_eq!(
        app.get(&format!("/api/v1/organisations/{id}"), None).1["dissolved"],
        "2024-03"
    );

    let actions: Vec<String> = app.changes_of(&id).into_iter().map(|(a, _)| a).collect();
    assert_eq!(actions, ["create", "update", "delete", "restore"]);
    assert!(app.changes_of(&id).iter().all(|(_, user)| user.is_some()));

    let (status, log) = app.get(&format!("/api/v1/changes?record_id={id}"), Some(&editor));
    assert_eq!(status, Status::Ok);
    assert_eq!(log["total"], 4);
    let update = &log["items"][2];
    assert_eq!(update["action"], "update");
    let before: Value = serde_json::from_str(update["before_json"].as_str().unwrap()).unwrap();
    let after: Value = serde_json::from_str(update["after_json"].as_str().unwrap()).unwrap();
    assert_eq!(before["dissolved"], Value::Null);
    assert_eq!(after["dissolved"], "2024-03");
}

fn list_filters(app: &TestApp) {
    let editor = app.editor();
    app.create("organisations", &editor, romano_than());
    app.create(
        "organisations",
        &editor,
        json!({"name": "Romano Drom e.V.", "kind": "roma_self_organisation", "city": "Hagen"}),
    );
    app.create(
        "organisations",
        &editor,
        json!({"name": "Stadt Dortmund", "kind": "municipality", "city": "Dortmund"}),
    );
    let names = |path: &str| -> (i64, Vec<String>) {
        let (status, v) = app.get(path, None);
        assert_eq!(status, Status::Ok, "{path}: {v}");
        let names = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_string())
            .collect();
        (v["total"].as_i64().unwrap(), names)
    };
    assert_eq!(
        names("/api/v1/organisations?q=romano"),
        (
            2,
            vec!["Romano Drom e.V.".into(), "Romano Than e.V.".into()]
        )
    );
    assert_eq!(
        names("/api/v1/organisations?q=ROMANO%20TH").1,
        vec!["Romano Than e.V."]
    );
    assert_eq!(names("/api/v1/organisations?city=dortmund").0, 2);
    assert_eq!(
        names("/api/v1/organisations?city=Dortmund&kind=municipality").1,
        vec!["Stadt Dortmund"]
    );
    let (total, page) = names("/api/v1/organisations?limit=1&offset=1");
    assert_eq!((total, page), (3, vec!["Romano Than e.V.".to_string()]));
    assert_eq!(
        names("/api/v1/organisations?q=%25").0,
        0,
        "% is literal, not a wildcard"
    );

    let (status, v) = app.get("/api/v1/organisations?kind=club", None);
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(TestApp::error_fields(&v), ["kind"]);
    let (status, v) = app.get("/api/v1/organisations?limit=many", None);
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(TestApp::error_fields(&v), ["limit"]);
}

/// Each bad input is refused with 422 naming the field, and nothing is written.
fn bad_input(app: &TestApp) {
    let editor = app.editor();
    let existing = app.create("organisations", &editor, romano_than());
    let before = app.snapshot();
    let cases: Vec<(Value, &str)> = vec![
        (json!({"kind": "municipality"}), "name"),
        (json!({"name": "X", "kind": "club"}), "kind"),
        (
            json!({"name": "X", "kind": "project", "founded": "2024-02-30"}),
            "founded",
        ),
        (
            json!({"name": "X", "kind": "project", "founded": "2024-13"}),
            "founded",
        ),
        (
            json!({"name": "X", "kind": "project", "founded": "2020", "dissolved": "2019"}),
            "dissolved",
        ),
        (
            json!({"name": "X", "kind": "project", "parent_id": "no-such-id"}),
            "parent_id",
        ),
        (
            json!({"name": "X", "kind": "project", "country": "Germany"}),
            "country",
        ),
        (
            json!({"name": "X", "kind": "project", "website": "not a url"}),
            "website",
        ),
        (
            json!({"name": "X", "kind": "project", "member_count_min": 9, "member_count_max": 3}),
            "member_count_max",
        ),
        (json!({"name": "", "kind": "project"}), "name"),
        (
            json!({"name": "X", "kind": "project", "purposes": ["gardening"]}),
            "purposes[0]",
        ),
        (
            json!({"name": "X", "kind": "project", "ethnicity": "x"}),
            "ethnicity",
        ),
    ];
    for (body, field) in cases {
        let (status, v) = app.post("/api/v1/organisations", Some(&editor), &body);
        assert_eq!(status, Status::UnprocessableEntity, "{body}: {v}");
        assert!(
            TestApp::error_fields(&v).iter().any(|f| f == field),
            "{body}: expected an error for {field}, got {v}"
        );
        assert!(v["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    // The same name, kind and city (in another case) is a duplicate.
    let mut dup = romano_than();
    dup["name"] = json!("ROMANO THAN E.V.");
    dup["city"] = json!("dortmund");
    let (status, v) = app.post("/api/v1/organisations", Some(&editor), &dup);
    assert_eq!(status, Status::Conflict, "{v}");
    assert_eq!(v["existing_id"], existing.as_str());
    // A bad update leaves the record as it was.
    let (status, _) = app.put(
        &format!("/api/v1/organisations/{existing}"),
        Some(&editor),
        &json!({"name": "Romano Than e.V.", "kind": "roma_self_organisation", "founded": "20x6"}),
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(
        app.get(&format!("/api/v1/organisations/{existing}"), None)
            .1["founded"],
        "2016"
    );
    assert_eq!(app.snapshot(), before, "bad input changed the database");

    let (status, _) = app.get(
        "/api/v1/organisations/0190aaaa-0000-7000-8000-000000000000",
        None,
    );
    assert_eq!(status, Status::NotFound);
    let (status, v) = app.request(
        rocket::http::Method::Post,
        "/api/v1/organisations",
        Some(&editor),
        None,
    );
    assert!(
        status.code == 400 || status.code == 422 || status.code == 415,
        "{status} {v}"
    );
}

/// Restoring a record whose identity was taken meanwhile is a conflict, not a copy.
fn restore_conflict(app: &TestApp) {
    let editor = app.editor();
    let first = app.create("organisations", &editor, romano_than());
    app.delete(&format!("/api/v1/organisations/{first}"), Some(&editor));
    app.create("organisations", &editor, romano_than());
    let (status, _) = app.post(
        &format!("/api/v1/organisations/{first}/restore"),
        Some(&editor),
        &json!({}),
    );
    assert_eq!(status, Status::Conflict);
    let (_, list) = app.get("/api/v1/organisations", None);
    assert_eq!(list["total"], 1);
}

on_both_backends!(round_trip, list_filters, bad_input, restore_conflict);
