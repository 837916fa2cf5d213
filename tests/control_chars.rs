//! NUL and other control characters, and ids that are no UUIDs, get the same clear answer
//! on both backends (PostgreSQL cannot store NUL, SQLite can): 422 with the field, or
//! 404 — never a 500, and never a database's own error text.
mod common;

use common::web::{csrf_of, page, post_form};
use common::TestApp;
use rocket::http::{Method, Status};
use serde_json::{json, Value};

const RESOURCES: [&str; 6] = [
    "organisations",
    "persons",
    "affiliations",
    "fundings",
    "relations",
    "sources",
];

/// No answer may carry a database's words.
fn clean(path: &str, body: &Value) {
    let text = body.to_string().to_lowercase();
    for leak in [
        "utf8",
        "byte sequence",
        "sqlite",
        "postgres",
        "syntax",
        "diesel",
    ] {
        assert!(!text.contains(leak), "{path}: {body}");
    }
}

fn answers_alike(app: &TestApp) {
    let editor = app.editor();
    let admin = app.token(knotenpunkt::domain::UserRole::Admin);
    let org = app.create(
        "organisations",
        &editor,
        json!({"name": "Verein", "kind": "migrant_organisation"}),
    );
    let before = app.snapshot();
    let mut seen = 0;
    let mut expect = |method: Method, path: &str, body: Option<&Value>, status: Status| {
        let (got, answer) = app.request(method, path, Some(&admin), body);
        assert_eq!(got, status, "{method} {path}: {answer}");
        clean(path, &answer);
        seen += 1;
        answer
    };
    // Bodies with a NUL in a text, in a linked record's id, in a citation.
    let bodies = [
        (
            "organisations",
            json!({"name": "a\u{0}b", "kind": "other"}),
            "name",
        ),
        (
            "persons",
            json!({"display_name": "x\u{1}y", "visibility": "restricted"}),
            "display_name",
        ),
        (
            "affiliations",
            json!({"person_id": "p\u{0}", "organisation_id": org, "role": "member",
                   "paid": false, "project_bound": false}),
            "person_id",
        ),
        (
            "fundings",
            json!({"funder_id": org, "recipient_id": "r\u{0}", "status": "granted",
                   "project_bound": false}),
            "recipient_id",
        ),
        (
            "relations",
            json!({"source_id": org, "target_id": "t\u{0}", "kind": "member_of"}),
            "target_id",
        ),
        ("sources", json!({"title": "Studie\u{7}"}), "title"),
    ];
    for (resource, body, field) in &bodies {
        let path = format!("/api/v1/{resource}");
        let answer = expect(Method::Post, &path, Some(body), Status::UnprocessableEntity);
        assert!(
            TestApp::error_fields(&answer).contains(&field.to_string()),
            "{answer}"
        );
        let put = format!("/api/v1/{resource}/{org}");
        if *resource == "organisations" {
            expect(Method::Put, &put, Some(body), Status::UnprocessableEntity);
        }
    }
    // Ids that are no UUIDs name nothing; filters with control characters are refused.
    for resource in RESOURCES {
        for id in ["a%00b", "%00", "not-a-uuid", "..%5C"] {
            let path = format!("/api/v1/{resource}/{id}");
            expect(Method::Get, &path, None, Status::NotFound);
            expect(Method::Delete, &path, None, Status::NotFound);
            expect(
                Method::Post,
                &format!("{path}/restore"),
                None,
                Status::NotFound,
            );
        }
        for filter in ["q", "kind", "city", "organisation", "person", "umbrella"] {
            let path = format!("/api/v1/{resource}?{filter}=x%00y");
            let answer = expect(Method::Get, &path, None, Status::UnprocessableEntity);
            assert_eq!(TestApp::error_fields(&answer), [filter], "{path}");
        }
    }
    expect(
        Method::Get,
        "/api/v1/changes?record_id=%00",
        None,
        Status::Ok,
    );
    expect(Method::Get, "/api/v1/persons/a%00b/reads", None, Status::Ok);
    expect(Method::Get, "/api/v1/tandem?city=%00", None, Status::Ok);
    expect(
        Method::Get,
        "/api/v1/overlaps/staff?organisation=%00",
        None,
        Status::NotFound,
    );
    expect(
        Method::Get,
        "/api/v1/network?focus=a%00",
        None,
        Status::NotFound,
    );
    assert!(seen > 100, "{seen} requests");
    assert_eq!(app.snapshot(), before, "nothing was written");

    // Pages: the same rules, as pages.
    for (path, status) in [
        ("/organisations?q=%00", Status::UnprocessableEntity),
        ("/organisations/a%00b", Status::NotFound),
        (
            "/overlaps/staff?organisation=%00",
            Status::UnprocessableEntity,
        ),
        ("/network?city=%00", Status::Ok),
    ] {
        let (got, html) = page(&app.client, path);
        assert_eq!(got, status, "{path}: {html}");
        assert!(!html.to_lowercase().contains("byte sequence"), "{path}");
    }
    let (_, html) = page(&app.client, "/signin");
    let csrf = csrf_of(&html);
    let (got, html, _) = post_form(
        &app.client,
        "/signin",
        &[("csrf", &csrf), ("name", "a\u{0}b"), ("password", "x")],
    );
    assert!(got.code < 500, "sign-in with a NUL: {got}: {html}");
}

on_both_backends!(answers_alike);
