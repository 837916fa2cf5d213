//! HTML pages through Rocket's local client: rendering, forms, CSRF, roles, escaping.
mod common;

use common::web::*;
use common::TestApp;
use knotenpunkt::domain::UserRole;
use rocket::http::{ContentType, Status};

#[test]
fn start_page_and_list_show_the_seed_data() {
    let app = TestApp::sqlite_seeded();
    let (status, html) = page(&app.client, "/");
    assert_eq!(status, Status::Ok);
    assert!(html.contains("Knotenpunkt enthält"));
    assert!(html.contains("Roma-Selbstorganisation"));
    let (status, html) = page(&app.client, "/organisations?q=romano");
    assert_eq!(status, Status::Ok);
    assert!(html.contains("Romano Drom e.V.") && html.contains("Romano Than e.V."));
    assert!(html.contains("2 Treffer"));
    let (_, html) = page(&app.client, "/organisations?kind=project");
    assert!(html.contains("MifriN") && !html.contains("Romano"));
    let (_, html) = page(&app.client, "/organisations?status=dissolved");
    assert!(html.contains("Romano Drom e.V.") && !html.contains("Romano Than"));
}

#[test]
fn profile_hides_person_names_from_anonymous_visitors() {
    let app = TestApp::sqlite_seeded();
    let (_, list) = page(&app.client, "/organisations?q=Romano%20Drom");
    let start = list.find("href=\"/organisations/0").expect("link") + "href=\"".len();
    let link = list[start..].split('"').next().unwrap().to_string();
    let (status, html) = page(&app.client, &link);
    assert_eq!(status, Status::Ok);
    assert!(html.contains("Stiftung"), "funding shown: {html}");
    assert!(html.contains("Hagen") && html.contains("2019"));
    assert!(!html.contains("Co-Vorsitz Romano Drom"), "names are hidden");
    sign_in(&app, UserRole::Viewer);
    let (_, html) = page(&app.client, &link);
    assert!(
        html.contains("Co-Vorsitz Romano Drom (1)"),
        "signed in: names shown"
    );
}

#[test]
fn register_an_organisation_through_the_form() {
    let app = TestApp::sqlite();
    sign_in(&app, UserRole::Editor);
    let (status, html) = page(&app.client, "/organisations/new");
    assert_eq!(status, Status::Ok);
    let csrf = csrf_of(&html);
    let (status, _, location) = post_form(
        &app.client,
        "/organisations/new",
        &[
            ("csrf", &csrf),
            ("name", "Neuer Verein e.V."),
            ("kind", "migrant_organisation"),
            ("city", "Gelsenkirchen"),
            ("founded", "14.05.2019"),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    let (status, html) = page(&app.client, &location.expect("redirect to the profile"));
    assert_eq!(status, Status::Ok);
    assert!(
        html.contains("Neuer Verein e.V.")
            && html.contains("Gelsenkirchen")
            && html.contains("2019-05-14")
    );

    // The same again is a duplicate: the form warns and links to the existing record.
    let (status, html, _) = post_form(
        &app.client,
        "/organisations/new",
        &[
            ("csrf", &csrf),
            ("name", "neuer verein e.v."),
            ("kind", "migrant_organisation"),
            ("city", "Gelsenkirchen"),
        ],
    );
    assert_eq!(status, Status::Conflict);
    assert!(html.contains("id=\"duplicate\""));
}

#[test]
fn invalid_input_is_shown_beside_the_field_and_kept() {
    let app = TestApp::sqlite();
    sign_in(&app, UserRole::Editor);
    let (_, html) = page(&app.client, "/organisations/new");
    let csrf = csrf_of(&html);
    let before = app.snapshot();
    let (status, html, _) = post_form(
        &app.client,
        "/organisations/new",
        &[
            ("csrf", &csrf),
            ("name", "Verein mit Tippfehler"),
            ("kind", "migrant_organisation"),
            ("founded", "2024-13"),
            ("city", "Bochum"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(
        html.contains("id=\"error-founded\""),
        "message beside the field"
    );
    assert!(html.contains("value=\"2024-13\""), "typed value kept");
    assert!(html.contains("value=\"Verein mit Tippfehler\"") && html.contains("value=\"Bochum\""));
    let (status, html, _) = post_form(
        &app.client,
        "/organisations/new",
        &[("csrf", &csrf), ("name", ""), ("kind", "")],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("id=\"error-kind\""));
    assert_eq!(app.snapshot(), before, "nothing written");
}

#[test]
fn posts_without_the_right_csrf_token_are_refused() {
    let app = TestApp::sqlite();
    sign_in(&app, UserRole::Editor);
    let before = app.snapshot();
    for token in ["", "forged"] {
        let (status, _, _) = post_form(
            &app.client,
            "/organisations/new",
            &[
                ("csrf", token),
                ("name", "X e.V."),
                ("kind", "migrant_organisation"),
            ],
        );
        assert_eq!(status, Status::Forbidden);
    }
    assert_eq!(app.snapshot(), before);
}

#[test]
fn forms_need_the_editor_role() {
    let app = TestApp::sqlite();
    let (status, _) = page(&app.client, "/organisations/new");
    assert_eq!(status, Status::Unauthorized, "anonymous");
    sign_in(&app, UserRole::Viewer);
    let (status, html) = page(&app.client, "/organisations/new");
    assert_eq!(status, Status::Forbidden, "viewer");
    let csrf = csrf_of(&html);
    let (status, _, _) = post_form(
        &app.client,
        "/organisations/new",
        &[
            ("csrf", &csrf),
            ("name", "V e.V."),
            ("kind", "migrant_organisation"),
        ],
    );
    assert_eq!(status, Status::Forbidden);
    assert_eq!(app.snapshot()[0], 0);
}

#[test]
fn stored_markup_is_shown_as_text() {
    let app = TestApp::sqlite();
    let token = app.editor();
    let id = app.create(
        "organisations",
        &token,
        serde_json::json!({"name": "<script>alert('x')</script> e.V.", "kind": "migrant_organisation"}),
    );
    let (_, html) = page(&app.client, &format!("/organisations/{id}"));
    assert!(!html.contains("<script>alert"), "escaped on the profile");
    assert!(
        html.contains("&lt;script&gt;") || html.contains("&#60;script&#62;"),
        "shown as text"
    );
    let (_, html) = page(&app.client, "/organisations");
    assert!(!html.contains("<script>alert"), "escaped in the list");
}

#[test]
fn language_switch_is_remembered() {
    let app = TestApp::sqlite();
    let res = app.client.get("/lang/en?back=/organisations").dispatch();
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(res.headers().get_one("Location"), Some("/organisations"));
    let (_, html) = page(&app.client, "/organisations");
    assert!(html.contains("<h1>Organisations</h1>"));
    let (_, html) = page(&app.client, "/");
    assert!(html.contains("Knotenpunkt holds"));
    let res = app
        .client
        .get("/lang/de?back=https://evil.example")
        .dispatch();
    assert_eq!(
        res.headers().get_one("Location"),
        Some("/"),
        "no open redirect"
    );
}

#[test]
fn sign_in_failures_are_rate_limited_and_sign_out_works() {
    let app = TestApp::sqlite();
    let name = sign_in(&app, UserRole::Viewer);
    let (_, html) = page(&app.client, "/");
    assert!(html.contains(&name));
    let csrf = csrf_of(&html);
    let (status, _, _) = post_form(&app.client, "/signout", &[("csrf", &csrf)]);
    assert_eq!(status, Status::SeeOther);
    let (_, html) = page(&app.client, "/");
    assert!(!html.contains(&name) && html.contains("id=\"signin-link\""));

    let (_, html) = page(&app.client, "/signin");
    let csrf = csrf_of(&html);
    let attempt = |password: &str| {
        let body = format!("csrf={csrf}&name={name}&password={password}");
        app.client
            .post("/signin")
            .remote("203.0.113.7:5000".parse().unwrap())
            .header(ContentType::Form)
            .body(body)
            .dispatch()
            .status()
    };
    for _ in 0..5 {
        assert_eq!(attempt("wrong-password"), Status::Unauthorized);
    }
    assert_eq!(
        attempt("correct%20horse%20battery"),
        Status::TooManyRequests,
        "blocked even with the right password"
    );
}

#[test]
fn relations_and_sources_through_forms() {
    let app = TestApp::sqlite();
    let token = app.editor();
    let member = app.create(
        "organisations",
        &token,
        serde_json::json!({"name": "Verein Eins", "kind": "roma_self_organisation"}),
    );
    app.create(
        "organisations",
        &token,
        serde_json::json!({"name": "Landesrat Test", "kind": "state_association"}),
    );
    sign_in(&app, UserRole::Editor);
    let (status, html) = page(
        &app.client,
        &format!("/organisations/{member}/relations/new"),
    );
    assert_eq!(status, Status::Ok);
    let csrf = csrf_of(&html);
    let path = format!("/organisations/{member}/relations/new");
    let (status, html, _) = post_form(
        &app.client,
        &path,
        &[
            ("csrf", &csrf),
            ("kind", "member_of"),
            ("target", "Niemand"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("id=\"error-target\"") && html.contains("value=\"Niemand\""));
    let (status, _, location) = post_form(
        &app.client,
        &path,
        &[
            ("csrf", &csrf),
            ("kind", "member_of"),
            ("target", "Landesrat Test"),
            ("start", "2020"),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    let (_, html) = page(&app.client, &location.unwrap());
    assert!(
        html.contains("→ Mitglied von") && html.contains("Landesrat Test"),
        "relation on the profile"
    );

    let (_, html) = page(&app.client, "/sources");
    let csrf = csrf_of(&html);
    let (status, html, _) = post_form(
        &app.client,
        "/sources",
        &[("csrf", &csrf), ("title", ""), ("accessed_on", "2026-11")],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("id=\"error-title\"") && html.contains("value=\"2026-11\""));
    let (status, _, _) = post_form(
        &app.client,
        "/sources",
        &[
            ("csrf", &csrf),
            ("title", "Studie Kapitel 4"),
            ("accessed_on", "2026-11"),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    let (_, html) = page(&app.client, "/sources");
    assert!(html.contains("Studie Kapitel 4"));
}

/// The sign-in limit holds against a client that sends a new `X-Real-IP` with every
/// attempt (only a configured proxy's header is trusted), and per account: attempts on
/// one name from many addresses are limited too.
#[test]
fn sign_in_limits_cannot_be_dodged_by_headers_or_addresses() {
    let app = TestApp::sqlite();
    let name = sign_in(&app, UserRole::Viewer);
    let (_, html) = page(&app.client, "/");
    let csrf = csrf_of(&html);
    let (status, _, _) = post_form(&app.client, "/signout", &[("csrf", &csrf)]);
    assert_eq!(status, Status::SeeOther);
    let (_, html) = page(&app.client, "/signin");
    let csrf = csrf_of(&html);
    let attempt = |from: &str, real_ip: &str, who: &str, password: &str| {
        let body = format!("csrf={csrf}&name={who}&password={password}");
        app.client
            .post("/signin")
            .remote(from.parse().unwrap())
            .header(rocket::http::Header::new("X-Real-IP", real_ip.to_string()))
            .header(ContentType::Form)
            .body(body)
            .dispatch()
            .status()
    };
    // One peer, a new claimed address each time, and other names: the peer counts.
    for i in 0..5 {
        let status = attempt("198.51.100.1:4000", &format!("10.0.0.{i}"), "niemand", "x");
        assert_eq!(status, Status::Unauthorized);
    }
    let status = attempt(
        "198.51.100.1:4000",
        "10.0.0.99",
        &name,
        "correct%20horse%20battery",
    );
    assert_eq!(
        status,
        Status::TooManyRequests,
        "the peer address is blocked"
    );
    // Many peers, one name: the account counts.
    for i in 0..5 {
        let status = attempt(&format!("192.0.2.{i}:4000"), "10.9.9.9", &name, "wrong");
        assert_eq!(status, Status::Unauthorized);
    }
    let status = attempt(
        "192.0.2.77:4000",
        "10.9.9.9",
        &name,
        "correct%20horse%20battery",
    );
    assert_eq!(status, Status::TooManyRequests, "the account is blocked");
    // Another account from a fresh address is not affected.
    let status = attempt("192.0.2.88:4000", "10.9.9.9", "jemand", "x");
    assert_eq!(status, Status::Unauthorized);
}
