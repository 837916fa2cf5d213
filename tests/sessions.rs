//! Web sessions live on the server and end: on sign-out (a copied cookie no longer
//! works), when an administrator changes the user's password or role or disables the
//! user, after idle time and at the end of their lifetime. After each, the old cookie
//! signs in no one and shows no restricted person — on both backends. Disabled users
//! can neither sign in nor use their API tokens; cookies are `Secure` when configured.
mod common;

use common::web::{self, page, post_form, PASSWORD};
use common::TestApp;
use diesel::prelude::*;
use knotenpunkt::domain::{Caller, UserRole};
use knotenpunkt::schema::sessions;
use knotenpunkt::service::{tokens, users};
use rocket::http::{Cookie, Status};
use serde_json::json;

const SECRET_NAME: &str = "Vorsitz Geheim";

/// A restricted person (only signed-in users may see it) for the pages to show.
fn restricted_person(app: &TestApp) {
    let editor = app.editor();
    app.create(
        "persons",
        &editor,
        json!({"display_name": SECRET_NAME, "visibility": "restricted"}),
    );
}

/// The session token in the client's cookie jar.
fn session_token(app: &TestApp) -> String {
    app.client
        .cookies()
        .get_private("kp_session")
        .expect("a session cookie")
        .value()
        .to_string()
}

/// Whether a request with this session token is signed in, judged by the persons page:
/// listed with the restricted person, or refused (401) without it.
fn signed_in_with(app: &TestApp, token: &str) -> bool {
    let res = app
        .client
        .get("/persons")
        .private_cookie(Cookie::new("kp_session", token.to_string()))
        .dispatch();
    let status = res.status();
    let html = res.into_string().unwrap_or_default();
    match status {
        Status::Ok => {
            assert!(html.contains("id=\"signout\""));
            assert!(
                html.contains(SECRET_NAME),
                "signed in, the person is listed"
            );
            true
        }
        Status::Unauthorized => {
            assert!(!html.contains(SECRET_NAME));
            false
        }
        other => panic!("/persons answered {other}"),
    }
}

fn ended_why(app: &TestApp, token: &str) -> Option<String> {
    let mut c = app.db().conn().expect("conn");
    sessions::table
        .filter(sessions::token_hash.eq(tokens::hash_token(token)))
        .select(sessions::ended_why)
        .first::<Option<String>>(&mut c)
        .expect("the session row")
}

fn admin(app: &TestApp) -> Caller {
    let mut c = app.db().conn().expect("conn");
    let (user, _) = tokens::add_user_with_token(&mut c, "chefin", UserRole::Admin).unwrap();
    Caller::User(user)
}

/// Every way a session ends, one after the other on the same app.
fn sessions_end(app: &TestApp) {
    restricted_person(app);
    let admin = admin(app);
    let viewer = web::sign_in_user(app, UserRole::Viewer);
    let first = session_token(app);
    assert!(signed_in_with(app, &first));
    assert_eq!(ended_why(app, &first), None);

    // Sign-out ends the session on the server: a copy of the cookie is worthless.
    let (_, html) = page(&app.client, "/");
    let csrf = web::csrf_of(&html);
    let (status, _, _) = post_form(&app.client, "/signout", &[("csrf", &csrf)]);
    assert_eq!(status, Status::SeeOther);
    assert!(
        !signed_in_with(app, &first),
        "a copied cookie after sign-out"
    );
    assert_eq!(ended_why(app, &first).as_deref(), Some("signed_out"));

    // An administrator sets a new password: every session of the user ends.
    let second = sign_in_again(app, &viewer.name, PASSWORD);
    assert!(signed_in_with(app, &second));
    {
        let mut c = app.db().conn().unwrap();
        users::set_password(&mut c, &admin, &viewer.id, "ein ganz neues Passwort").unwrap();
    }
    assert!(!signed_in_with(app, &second), "after a password change");
    assert_eq!(ended_why(app, &second).as_deref(), Some("password_changed"));

    // A role change ends them too (the old session must not keep the old rights).
    let third = sign_in_again(app, &viewer.name, "ein ganz neues Passwort");
    {
        let mut c = app.db().conn().unwrap();
        users::set_role(&mut c, &admin, &viewer.id, UserRole::Editor).unwrap();
    }
    assert!(!signed_in_with(app, &third), "after a role change");
    assert_eq!(ended_why(app, &third).as_deref(), Some("role_changed"));

    // Idle for longer than allowed (30 minutes by default).
    let fourth = sign_in_again(app, &viewer.name, "ein ganz neues Passwort");
    assert!(signed_in_with(app, &fourth));
    set_times(app, &fourth, 31 * 60, 31 * 60);
    assert!(!signed_in_with(app, &fourth), "after 31 idle minutes");
    assert_eq!(ended_why(app, &fourth).as_deref(), Some("idle"));

    // Active all along, but signed in longer ago than the lifetime (12 hours).
    let fifth = sign_in_again(app, &viewer.name, "ein ganz neues Passwort");
    set_times(app, &fifth, 13 * 3600, 10);
    assert!(!signed_in_with(app, &fifth), "13 hours after sign-in");
    assert_eq!(ended_why(app, &fifth).as_deref(), Some("expired"));

    // A session within both limits lives on, and an ended one never returns.
    let sixth = sign_in_again(app, &viewer.name, "ein ganz neues Passwort");
    set_times(app, &sixth, 3600, 29 * 60);
    assert!(signed_in_with(app, &sixth), "active, within the lifetime");
    assert!(!signed_in_with(app, &fourth));

    // Disabling the user ends it as well, and the user can no longer sign in.
    {
        let mut c = app.db().conn().unwrap();
        users::set_disabled(&mut c, &admin, &viewer.id, true).unwrap();
    }
    assert!(!signed_in_with(app, &sixth), "after the user is disabled");
    assert_eq!(ended_why(app, &sixth).as_deref(), Some("disabled"));
    let (_, html) = page(&app.client, "/signin");
    let csrf = web::csrf_of(&html);
    let (status, _, _) = post_form(
        &app.client,
        "/signin",
        &[
            ("csrf", &csrf),
            ("name", &viewer.name),
            ("password", "ein ganz neues Passwort"),
        ],
    );
    assert_eq!(
        status,
        Status::Unauthorized,
        "a disabled user cannot sign in"
    );
}

/// Signs the user in on the app's client; the new session's token.
fn sign_in_again(app: &TestApp, name: &str, password: &str) -> String {
    let (_, html) = page(&app.client, "/signin");
    let csrf = web::csrf_of(&html);
    let (status, _, _) = post_form(
        &app.client,
        "/signin",
        &[("csrf", &csrf), ("name", name), ("password", password)],
    );
    assert_eq!(status, Status::SeeOther, "{name} signs in");
    session_token(app)
}

/// Moves a session's sign-in and last request into the past.
fn set_times(app: &TestApp, token: &str, signed_in_ago: i64, seen_ago: i64) {
    let at = |ago: i64| {
        (chrono::Utc::now() - chrono::Duration::seconds(ago))
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string()
    };
    let mut c = app.db().conn().unwrap();
    diesel::update(sessions::table.filter(sessions::token_hash.eq(tokens::hash_token(token))))
        .set((
            sessions::created_at.eq(at(signed_in_ago)),
            sessions::last_seen_at.eq(at(seen_ago)),
        ))
        .execute(&mut c)
        .unwrap();
}

/// An administrator disables a user on the admin page: the user's API token stops
/// working, the last administrator cannot be disabled, and enabling restores sign-in.
fn disable_on_the_admin_page(app: &TestApp) {
    let (status, _) = app.get("/api/v1/persons", None);
    assert_eq!(status, Status::Ok);
    let editor_token = app.token(UserRole::Editor);
    let (status, _) = app.get("/api/v1/changes", Some(&editor_token));
    assert_eq!(status, Status::Ok, "the token works");
    let editor_id = {
        let mut c = app.db().conn().unwrap();
        tokens::user_for_token(&mut c, &editor_token)
            .unwrap()
            .expect("the token's user")
            .id
    };
    let me = web::sign_in_user(app, UserRole::Admin);
    let (_, html) = page(&app.client, "/admin");
    let csrf = web::csrf_of(&html);
    let (status, _, location) = post_form(
        &app.client,
        &format!("/admin/users/{editor_id}/disable"),
        &[("csrf", &csrf)],
    );
    assert_eq!(status, Status::SeeOther);
    assert_eq!(location.as_deref(), Some("/admin?done=disabled"));
    let (status, _) = app.get("/api/v1/changes", Some(&editor_token));
    assert_eq!(status, Status::Unauthorized, "a disabled user's token");
    let (_, html) = page(&app.client, "/admin");
    assert!(html.contains(&format!("id=\"disabled-{editor_id}\"")));

    // The only administrator who can sign in cannot disable themself.
    let (status, html, _) = post_form(
        &app.client,
        &format!("/admin/users/{}/disable", me.id),
        &[("csrf", &csrf)],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(
        html.contains(&format!("id=\"error-disabled-{}\"", me.id)),
        "{html}"
    );
    assert!(signed_in_now(app), "still signed in");

    let (status, _, _) = post_form(
        &app.client,
        &format!("/admin/users/{editor_id}/enable"),
        &[("csrf", &csrf)],
    );
    assert_eq!(status, Status::SeeOther);
    let (status, _) = app.get("/api/v1/changes", Some(&editor_token));
    assert_eq!(status, Status::Ok, "enabled again");
    // Both changes are in the change log.
    let actions: Vec<String> = app
        .changes_of(&editor_id)
        .into_iter()
        .map(|(action, _)| action)
        .collect();
    assert!(actions.contains(&"disable".to_string()), "{actions:?}");
    assert!(actions.contains(&"enable".to_string()), "{actions:?}");
}

fn signed_in_now(app: &TestApp) -> bool {
    page(&app.client, "/").1.contains("id=\"signout\"")
}

on_both_backends!(sessions_end, disable_on_the_admin_page);

/// With `secure_cookies`, the session and CSRF cookies are sent over HTTPS only.
#[test]
fn cookies_are_secure_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("kp.db");
    for secure in [true, false] {
        let figment = rocket::Config::figment()
            .merge(("database_url", url.to_str().unwrap()))
            .merge(("seed_on_empty", false))
            .merge(("log_level", "off"))
            .merge(("secure_cookies", secure));
        let client = rocket::local::blocking::Client::tracked(
            knotenpunkt::app::build(figment).expect("build"),
        )
        .expect("client");
        let name = format!("sicher-{secure}");
        {
            let db = client.rocket().state::<knotenpunkt::db::Db>().unwrap();
            let mut c = db.conn().unwrap();
            tokens::add_user_with_token(&mut c, &name, UserRole::Viewer).unwrap();
            tokens::set_password(&mut c, &name, PASSWORD).unwrap();
        }
        let res = client.get("/signin").dispatch();
        let csrf_cookie: Vec<String> = res
            .headers()
            .get("Set-Cookie")
            .map(str::to_string)
            .collect();
        assert!(csrf_cookie.iter().any(|c| c.starts_with("kp_csrf=")));
        assert_eq!(
            csrf_cookie.iter().all(|c| c.contains("Secure")),
            secure,
            "{csrf_cookie:?}"
        );
        let html = res.into_string().unwrap_or_default();
        let form = format!(
            "csrf={}&name={}&password={}",
            web::urlencode(&web::csrf_of(&html)),
            web::urlencode(&name),
            web::urlencode(PASSWORD)
        );
        let res = client
            .post("/signin")
            .header(rocket::http::ContentType::Form)
            .body(form)
            .dispatch();
        assert_eq!(res.status(), Status::SeeOther);
        let session: Vec<String> = res
            .headers()
            .get("Set-Cookie")
            .filter(|c| c.starts_with("kp_session="))
            .map(str::to_string)
            .collect();
        assert_eq!(session.len(), 1, "{session:?}");
        assert_eq!(session[0].contains("Secure"), secure, "{session:?}");
        assert!(session[0].contains("HttpOnly"));
    }
}
