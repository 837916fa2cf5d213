//! Who may do what: every write route refuses anonymous callers (401) and viewers (403)
//! without touching the database, restricted persons never reach anonymous callers, and
//! persons never take sensitive personal fields.
mod common;

use common::TestApp;
use knotenpunkt::domain::UserRole;
use rocket::http::{Header, Method, Status};
use serde_json::{json, Value};

/// The ids a write test needs: two organisations, a person and a source to link.
struct Fixtures {
    org_a: String,
    org_b: String,
    person: String,
    source: String,
}

fn fixtures(app: &TestApp, editor: &str) -> Fixtures {
    let source = app.create(
        "sources",
        editor,
        json!({"title": "Fixture source for access tests"}),
    );
    let org_a = app.create(
        "organisations",
        editor,
        json!({"name": "Fixture Verein A", "kind": "migrant_organisation", "city": "Essen"}),
    );
    let org_b = app.create(
        "organisations",
        editor,
        json!({"name": "Fixture Stadt B", "kind": "municipality", "city": "Essen"}),
    );
    let person = app.create(
        "persons",
        editor,
        json!({"display_name": "Fixture Person", "visibility": "public"}),
    );
    Fixtures {
        org_a,
        org_b,
        person,
        source,
    }
}

/// Variant `i` of a valid body of `resource`; different `i` give different identities.
fn body(resource: &str, f: &Fixtures, i: usize) -> Value {
    let cite = json!([{"source_id": f.source, "locator": format!("4.3.{i}")}]);
    match resource {
        "organisations" => json!({
            "name": format!("Zugangsverein {i}"),
            "kind": "migrant_organisation",
            "city": "Dortmund",
            "citations": cite,
        }),
        "persons" => json!({
            "display_name": format!("Zugangsperson {i}"),
            "visibility": "restricted",
            "citations": cite,
        }),
        "affiliations" => json!({
            "person_id": f.person,
            "organisation_id": f.org_a,
            "role": "member",
            "start": format!("{}", 2000 + i),
            "citations": cite,
        }),
        "fundings" => json!({
            "funder_id": f.org_b,
            "recipient_id": f.org_a,
            "programme": format!("Programm {i}"),
            "status": "granted",
            "amount_min": 100,
            "amount_max": 200,
            "citations": cite,
        }),
        "relations" => json!({
            "source_id": f.org_a,
            "target_id": f.org_b,
            "kind": "cooperates_with",
            "start": format!("{}", 2000 + i),
            "citations": cite,
        }),
        "sources" => json!({"title": format!("Zugangsquelle {i}")}),
        other => panic!("unknown resource {other}"),
    }
}

const RESOURCES: [&str; 6] = [
    "organisations",
    "persons",
    "affiliations",
    "fundings",
    "relations",
    "sources",
];

/// Every write route of every resource: 401 anonymous, 403 viewer, nothing written;
/// then the same routes succeed for an editor and for an admin.
fn write_routes_need_editor(app: &TestApp) {
    let editor = app.editor();
    let admin = app.token(UserRole::Admin);
    let viewer = app.token(UserRole::Viewer);
    let f = fixtures(app, &editor);

    for resource in RESOURCES {
        let base = format!("/api/v1/{resource}");
        // A live record to update and delete, and a deleted one to restore.
        let live = app.create(resource, &editor, body(resource, &f, 0));
        let gone = app.create(resource, &editor, body(resource, &f, 1));
        let (status, v) = app.delete(&format!("{base}/{gone}"), Some(&editor));
        assert_eq!(status, Status::NoContent, "{resource}: {v}");

        let live_before = app.get(&format!("{base}/{live}"), Some(&editor)).1;
        let before = app.snapshot();
        for (token, expected) in [
            (None, Status::Unauthorized),
            (Some(viewer.as_str()), Status::Forbidden),
        ] {
            let who = if token.is_some() {
                "viewer"
            } else {
                "anonymous"
            };
            let attempts = [
                (Method::Post, base.clone(), Some(body(resource, &f, 2))),
                (
                    Method::Put,
                    format!("{base}/{live}"),
                    Some(body(resource, &f, 3)),
                ),
                (Method::Delete, format!("{base}/{live}"), None),
                (
                    Method::Post,
                    format!("{base}/{gone}/restore"),
                    Some(json!({})),
                ),
            ];
            for (method, path, payload) in attempts {
                let (status, v) = app.request(method, &path, token, payload.as_ref());
                assert_eq!(status, expected, "{who} {method} {path}: {v}");
                assert!(
                    TestApp::error_fields(&v)
                        .iter()
                        .any(|f| f == "authorization"),
                    "{who} {method} {path}: {v}"
                );
            }
        }
        assert_eq!(
            app.snapshot(),
            before,
            "{resource}: a refused write changed the database"
        );
        assert_eq!(
            app.get(&format!("{base}/{live}"), Some(&editor)).1,
            live_before,
            "{resource}: a refused write changed the record"
        );
        assert_eq!(
            app.get(&format!("{base}/{gone}"), Some(&editor)).0,
            Status::NotFound,
            "{resource}: a refused restore brought the record back"
        );

        for (who, token, first) in [("editor", &editor, 4), ("admin", &admin, 6)] {
            let (status, v) = app.post(&base, Some(token), &body(resource, &f, first));
            assert_eq!(status, Status::Created, "{who} POST {base}: {v}");
            let new_id = v["id"].as_str().expect("id").to_string();
            let (status, v) = app.put(
                &format!("{base}/{live}"),
                Some(token),
                &body(resource, &f, first + 1),
            );
            assert_eq!(status, Status::Ok, "{who} PUT {base}/{live}: {v}");
            let (status, v) = app.delete(&format!("{base}/{new_id}"), Some(token));
            assert_eq!(status, Status::NoContent, "{who} DELETE: {v}");
            let (status, v) =
                app.post(&format!("{base}/{new_id}/restore"), Some(token), &json!({}));
            assert_eq!(status, Status::Ok, "{who} restore: {v}");
            assert_eq!(v["deleted_at"], Value::Null);
            let (status, _) = app.get(&format!("{base}/{new_id}"), Some(token));
            assert_eq!(status, Status::Ok, "{who}: restored record is readable");
            let user_actions: Vec<String> = app
                .changes_of(&new_id)
                .into_iter()
                .map(|(action, user)| {
                    assert!(user.is_some(), "{who}: change without user");
                    action
                })
                .collect();
            assert_eq!(user_actions, ["create", "delete", "restore"], "{who}");
        }
        // The deleted one comes back for an admin too.
        let (status, v) = app.post(&format!("{base}/{gone}/restore"), Some(&admin), &json!({}));
        assert_eq!(status, Status::Ok, "admin restore {resource}/{gone}: {v}");
    }
}

/// A restricted person, with its affiliation, never appears to anonymous callers;
/// a public one does; any signed-in user sees both.
fn restricted_persons_hidden(app: &TestApp) {
    let editor = app.editor();
    let viewer = app.token(UserRole::Viewer);
    let org = app.create(
        "organisations",
        &editor,
        json!({"name": "Romano Drom e.V.", "kind": "roma_self_organisation", "city": "Hagen"}),
    );
    let hidden = app.create(
        "persons",
        &editor,
        json!({"display_name": "Co-Vorsitz (verdeckt)", "is_pseudonym": true, "visibility": "restricted"}),
    );
    let shown = app.create(
        "persons",
        &editor,
        json!({"display_name": "Sprecherin (öffentlich)", "visibility": "public"}),
    );
    let hidden_aff = app.create(
        "affiliations",
        &editor,
        json!({"person_id": hidden, "organisation_id": org, "role": "co_chair", "start": "2019"}),
    );
    let shown_aff = app.create(
        "affiliations",
        &editor,
        json!({"person_id": shown, "organisation_id": org, "role": "co_chair", "start": "2019"}),
    );

    let ids = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    };

    // Anonymous: only the public person and its affiliation.
    let anonymous_lists = [
        ("/api/v1/persons".to_string(), vec![shown.clone()]),
        ("/api/v1/persons?q=verdeckt".to_string(), vec![]),
        (
            format!("/api/v1/persons?organisation={org}"),
            vec![shown.clone()],
        ),
        ("/api/v1/affiliations".to_string(), vec![shown_aff.clone()]),
        (
            format!("/api/v1/affiliations?organisation={org}"),
            vec![shown_aff.clone()],
        ),
        (
            "/api/v1/affiliations?kind=co_chair".to_string(),
            vec![shown_aff.clone()],
        ),
        (format!("/api/v1/affiliations?person={hidden}"), vec![]),
    ];
    for (path, expected) in &anonymous_lists {
        let (status, v) = app.get(path, None);
        assert_eq!(status, Status::Ok, "{path}: {v}");
        assert_eq!(&ids(&v), expected, "{path}");
        assert_eq!(
            v["total"],
            expected.len(),
            "{path}: total counts hidden rows"
        );
        let text = v.to_string();
        assert!(
            !text.contains(&hidden),
            "{path} leaks the restricted person: {text}"
        );
        assert!(
            !text.contains(&hidden_aff),
            "{path} leaks its affiliation: {text}"
        );
    }
    for path in [
        format!("/api/v1/organisations/{org}"),
        "/api/v1/organisations".to_string(),
        format!("/api/v1/affiliations/{hidden_aff}"),
    ] {
        let (_, v) = app.get(&path, None);
        assert!(
            !v.to_string().contains(&hidden),
            "{path} leaks the restricted person: {v}"
        );
    }

    // Single reads: 404, indistinguishable from an id that does not exist.
    let unknown = "0190aaaa-0000-7000-8000-000000000000";
    for (resource, id) in [("persons", &hidden), ("affiliations", &hidden_aff)] {
        let (status, v) = app.get(&format!("/api/v1/{resource}/{id}"), None);
        assert_eq!(status, Status::NotFound, "{resource}/{id}: {v}");
        let (status, missing) = app.get(&format!("/api/v1/{resource}/{unknown}"), None);
        assert_eq!(status, Status::NotFound);
        assert_eq!(
            v.to_string().replace(id.as_str(), unknown),
            missing.to_string(),
            "a hidden {resource} answers differently from a missing one"
        );
    }
    // The public person and its affiliation are readable anonymously.
    let (status, v) = app.get(&format!("/api/v1/persons/{shown}"), None);
    assert_eq!(status, Status::Ok, "{v}");
    assert_eq!(v["display_name"], "Sprecherin (öffentlich)");
    let (status, v) = app.get(&format!("/api/v1/affiliations/{shown_aff}"), None);
    assert_eq!(status, Status::Ok, "{v}");
    assert_eq!(v["person_id"], shown.as_str());

    // A viewer sees everything.
    let mut both_persons = vec![hidden.clone(), shown.clone()];
    both_persons.sort();
    let mut both_affs = vec![hidden_aff.clone(), shown_aff.clone()];
    both_affs.sort();
    for (path, expected) in [
        ("/api/v1/persons".to_string(), &both_persons),
        (format!("/api/v1/persons?organisation={org}"), &both_persons),
        ("/api/v1/affiliations".to_string(), &both_affs),
        (
            format!("/api/v1/affiliations?organisation={org}"),
            &both_affs,
        ),
    ] {
        let (status, v) = app.get(&path, Some(&viewer));
        assert_eq!(status, Status::Ok, "{path}: {v}");
        let mut got = ids(&v);
        got.sort();
        assert_eq!(&got, expected, "viewer {path}");
        assert_eq!(v["total"], 2, "viewer {path}");
    }
    let (status, v) = app.get(&format!("/api/v1/persons/{hidden}"), Some(&viewer));
    assert_eq!(status, Status::Ok, "{v}");
    assert_eq!(v["visibility"], "restricted");
    let (status, v) = app.get(&format!("/api/v1/affiliations/{hidden_aff}"), Some(&viewer));
    assert_eq!(status, Status::Ok, "{v}");
    assert_eq!(v["person_id"], hidden.as_str());
}

/// Bad tokens are refused, not treated as anonymous; the audit log needs sign-in.
fn tokens_and_audit_log(app: &TestApp) {
    let editor = app.editor();
    let viewer = app.token(UserRole::Viewer);
    let id = app.create(
        "organisations",
        &editor,
        json!({"name": "Iwan Wasow e.V.", "kind": "migrant_organisation", "city": "Essen"}),
    );
    let before = app.snapshot();

    let bogus = "kp_0000000000000000000000000000000000000000000000000000000000000000";
    for path in [
        "/api/v1/persons",
        "/api/v1/organisations",
        "/api/v1/changes",
    ] {
        let (status, v) = app.get(path, Some(bogus));
        assert_eq!(status, Status::Unauthorized, "{path}: {v}");
    }
    let (status, _) = app.post(
        "/api/v1/organisations",
        Some(bogus),
        &json!({"name": "Nope", "kind": "project"}),
    );
    assert_eq!(status, Status::Unauthorized);
    let (status, _) = app.delete(&format!("/api/v1/organisations/{id}"), Some(bogus));
    assert_eq!(status, Status::Unauthorized);
    // Not a bearer token at all.
    let mut req = app.client.get("/api/v1/persons");
    req.add_header(Header::new("Authorization", "Basic dXNlcjpwYXNz"));
    assert_eq!(req.dispatch().status(), Status::Unauthorized);
    assert_eq!(app.snapshot(), before, "a bad token changed the database");

    let (status, v) = app.get("/api/v1/changes", None);
    assert_eq!(status, Status::Unauthorized, "{v}");
    assert!(!v.to_string().contains(&id), "{v}");
    let (status, v) = app.get(&format!("/api/v1/changes?record_id={id}"), None);
    assert_eq!(status, Status::Unauthorized, "{v}");
    let (status, v) = app.get("/api/v1/changes", Some(&viewer));
    assert_eq!(status, Status::Ok, "{v}");
    assert!(v["total"].as_i64().unwrap() >= 1, "{v}");
    let (status, v) = app.get(&format!("/api/v1/changes?record_id={id}"), Some(&viewer));
    assert_eq!(status, Status::Ok, "{v}");
    assert_eq!(v["total"], 1);
    assert_eq!(v["items"][0]["action"], "create");
}

/// Sensitive personal fields are refused on create and update, naming the field.
fn persons_refuse_sensitive_fields(app: &TestApp) {
    let editor = app.editor();
    let admin = app.token(UserRole::Admin);
    let person = json!({"display_name": "Vorstand (Pseudonym)", "visibility": "restricted"});
    let id = app.create("persons", &editor, person.clone());
    let before = app.snapshot();
    for field in [
        "ethnicity",
        "religion",
        "nationality",
        "gender",
        "birth_date",
        "address",
    ] {
        let mut body = person.clone();
        body[field] = json!("x");
        body["display_name"] = json!(format!("Neue Person {field}"));
        for token in [&editor, &admin] {
            let (status, v) = app.post("/api/v1/persons", Some(token), &body);
            assert_eq!(status, Status::UnprocessableEntity, "POST {field}: {v}");
            assert_eq!(TestApp::error_fields(&v), [field], "POST {field}: {v}");
            let (status, v) = app.put(&format!("/api/v1/persons/{id}"), Some(token), &body);
            assert_eq!(status, Status::UnprocessableEntity, "PUT {field}: {v}");
            assert_eq!(TestApp::error_fields(&v), [field], "PUT {field}: {v}");
        }
        // Not even as null or as a nested value.
        let mut null_body = person.clone();
        null_body[field] = Value::Null;
        let (status, v) = app.post("/api/v1/persons", Some(&editor), &null_body);
        assert_eq!(
            status,
            Status::UnprocessableEntity,
            "POST {field}=null: {v}"
        );
        assert_eq!(TestApp::error_fields(&v), [field]);
    }
    assert_eq!(
        app.snapshot(),
        before,
        "a refused person changed the database"
    );
    let (_, v) = app.get(&format!("/api/v1/persons/{id}"), Some(&editor));
    assert_eq!(v["display_name"], "Vorstand (Pseudonym)");
    assert!(v.get("nationality").is_none(), "{v}");
}

on_both_backends!(
    write_routes_need_editor,
    restricted_persons_hidden,
    tokens_and_audit_log,
    persons_refuse_sensitive_fields,
);
