//! Hardening on both backends: links from stored data can only be web addresses (no
//! `javascript:` that would run in the registry's origin when clicked), every answer
//! carries a Content-Security-Policy that forbids inline and foreign scripts, and answers
//! with person data stay out of caches.
mod common;

use common::web::{csrf_of, page, post_form, sign_in};
use common::TestApp;
use knotenpunkt::domain::UserRole;
use knotenpunkt::http::security::CONTENT_SECURITY_POLICY;
use rocket::http::{Header, Status};
use serde_json::json;

const HOSTILE: [&str; 4] = [
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
];

fn only_web_addresses_are_stored(app: &TestApp) {
    let editor = app.editor();
    let before = app.snapshot();
    for url in HOSTILE {
        let (status, body) = app.post(
            "/api/v1/sources",
            Some(&editor),
            &json!({"title": "Quelle", "url": url}),
        );
        assert_eq!(status, Status::UnprocessableEntity, "{url}: {body}");
        assert_eq!(TestApp::error_fields(&body), ["url"], "{url}");
        let (status, body) = app.post(
            "/api/v1/organisations",
            Some(&editor),
            &json!({"name": "Verein", "kind": "migrant_organisation", "website": url}),
        );
        assert_eq!(status, Status::UnprocessableEntity, "{url}: {body}");
        assert_eq!(TestApp::error_fields(&body), ["website"], "{url}");
    }
    assert_eq!(app.snapshot(), before, "nothing was written");
    // Web addresses still are.
    app.create(
        "sources",
        &editor,
        json!({"title": "Studie", "url": "https://example.org/studie.pdf"}),
    );
}

fn headers_on_every_answer(app: &TestApp) {
    let viewer = app.token(UserRole::Viewer);
    let editor = app.editor();
    let person = app.create(
        "persons",
        &editor,
        json!({"display_name": "Nadia Kessler", "visibility": "restricted"}),
    );
    let header = |path: &str, token: Option<&str>, name: &str| -> Option<String> {
        let mut req = app.client.get(path.to_string());
        if let Some(t) = token {
            req.add_header(Header::new("Authorization", format!("Bearer {t}")));
        }
        let res = req.dispatch();
        res.headers().get_one(name).map(str::to_string)
    };
    for (path, token) in [
        ("/", None),
        ("/organisations", None),
        ("/api/v1/organisations", None),
        ("/api/v1/persons", Some(viewer.as_str())),
        ("/nothing-here", None),
    ] {
        let csp = header(path, token, "Content-Security-Policy");
        assert_eq!(csp.as_deref(), Some(CONTENT_SECURITY_POLICY), "{path}");
        assert_eq!(
            header(path, token, "Referrer-Policy").as_deref(),
            Some("no-referrer"),
            "{path}"
        );
    }
    assert!(CONTENT_SECURITY_POLICY.contains("script-src 'self'"));
    assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
    assert!(CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
    // Person data is not cached; public organisation facts may be.
    let no_store = |path: &str, token: Option<&str>| {
        header(path, token, "Cache-Control").as_deref() == Some("no-store")
    };
    assert!(no_store("/api/v1/persons", Some(&viewer)));
    assert!(no_store(
        &format!("/api/v1/persons/{person}"),
        Some(&viewer)
    ));
    assert!(!no_store("/api/v1/organisations", None));
}

on_both_backends!(only_web_addresses_are_stored, headers_on_every_answer);

#[test]
fn the_source_form_refuses_a_script_address_and_pages_link_none() {
    let app = TestApp::sqlite_seeded();
    sign_in(&app, UserRole::Editor);
    let (_, html) = page(&app.client, "/sources");
    let csrf = csrf_of(&html);
    let (status, html, _) = post_form(
        &app.client,
        "/sources",
        &[
            ("csrf", &csrf),
            ("title", "Quelle"),
            ("url", "javascript:alert(1)"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(
        html.contains("http://") && html.contains("https://"),
        "{html}"
    );
    // No page of the study's data links to anything but the web and itself.
    let (_, sources) = page(&app.client, "/sources");
    assert!(!sources.to_lowercase().contains("href=\"javascript:"));
    // Signed-in pages are not cached either.
    let res = app.client.get("/organisations").dispatch();
    assert_eq!(res.headers().get_one("Cache-Control"), Some("no-store"));
}
