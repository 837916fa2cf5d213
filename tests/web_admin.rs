//! The administration page through Rocket's local client: access by role, adding users,
//! changing roles, the last-admin rule, passwords, API tokens (shown once, hash stored,
//! revocable), CSRF refusal and the audit log. Runs on SQLite and, if configured,
//! on PostgreSQL.
mod common;

use common::web::*;
use common::TestApp;
use diesel::prelude::*;
use knotenpunkt::domain::UserRole;
use knotenpunkt::schema::{api_tokens, changes, users};
use knotenpunkt::service::tokens;
use rocket::http::{ContentType, Header, Status};

/// The admin page's CSRF token (the page must be reachable).
fn admin_csrf(app: &TestApp) -> String {
    let (status, html) = page(&app.client, "/admin");
    assert_eq!(status, Status::Ok, "{html}");
    csrf_of(&html)
}

fn user_row(app: &TestApp, name: &str) -> Option<(String, String, Option<String>)> {
    let mut c = app.db().conn().unwrap();
    users::table
        .filter(users::name.eq(name))
        .select((users::id, users::role, users::password_hash))
        .first(&mut *c)
        .optional()
        .unwrap()
}

fn role_of(app: &TestApp, id: &str) -> String {
    let mut c = app.db().conn().unwrap();
    users::table
        .find(id)
        .select(users::role)
        .first(&mut *c)
        .unwrap()
}

/// Row counts of users, tokens, revoked tokens and the audit log.
fn counts(app: &TestApp) -> Vec<i64> {
    let mut c = app.db().conn().unwrap();
    vec![
        users::table.count().get_result(&mut *c).unwrap(),
        api_tokens::table.count().get_result(&mut *c).unwrap(),
        api_tokens::table
            .filter(api_tokens::revoked_at.is_not_null())
            .count()
            .get_result(&mut *c)
            .unwrap(),
        changes::table.count().get_result(&mut *c).unwrap(),
    ]
}

/// Audit entries of one record: (kind, action, user_id, before, after), oldest first.
type Entry = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn audit_of(app: &TestApp, record_id: &str) -> Vec<Entry> {
    let mut c = app.db().conn().unwrap();
    changes::table
        .filter(changes::record_id.eq(record_id))
        .order(changes::id)
        .select((
            changes::record_kind,
            changes::action,
            changes::user_id,
            changes::before_json,
            changes::after_json,
        ))
        .load(&mut *c)
        .unwrap()
}

fn bearer_status(app: &TestApp, token: &str) -> Status {
    app.client
        .get("/api/v1/persons")
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .dispatch()
        .status()
}

fn access_by_role(app: &TestApp) {
    let (status, html) = page(&app.client, "/admin");
    assert_eq!(status, Status::Unauthorized, "anonymous");
    assert!(!html.contains("id=\"users\""));
    let before = counts(app);
    let (status, _, _) = post_form(
        &app.client,
        "/admin/users",
        &[("csrf", ""), ("name", "mallory"), ("role", "admin")],
    );
    assert_eq!(status, Status::Forbidden, "anonymous post");

    for role in [UserRole::Viewer, UserRole::Editor] {
        sign_in_user(app, role);
        let (status, html) = page(&app.client, "/admin");
        assert_eq!(status, Status::Forbidden, "{role}");
        assert!(!html.contains("id=\"users\""));
        assert!(
            !html.contains("href=\"/admin\""),
            "no admin link for {role}"
        );
        // A valid CSRF token does not make up for the missing role.
        let csrf = csrf_of(&html);
        let (status, _, _) = post_form(
            &app.client,
            "/admin/users",
            &[("csrf", &csrf), ("name", "mallory"), ("role", "admin")],
        );
        assert_eq!(status, Status::Forbidden, "{role} post");
    }
    assert_eq!(user_row(app, "mallory"), None);
    assert_eq!(
        counts(app)[0],
        before[0] + 2,
        "only the two signed-in users"
    );

    sign_in_user(app, UserRole::Admin);
    let (status, html) = page(&app.client, "/admin");
    assert_eq!(status, Status::Ok);
    assert!(html.contains("id=\"users\""));
    assert!(html.contains("viewer-web") && html.contains("editor-web"));
    assert!(
        html.contains("href=\"/admin\""),
        "admin link in the navigation"
    );
    assert!(!html.contains("argon2"), "no password hashes");
    let (_, html) = page(&app.client, "/persons");
    assert!(
        html.contains("href=\"/persons\""),
        "persons link when signed in"
    );
}

fn add_user_and_change_role(app: &TestApp) {
    let admin_id = sign_in_user(app, UserRole::Admin).id;
    let csrf = admin_csrf(app);

    // A short password is refused beside its field; the name is kept, nothing written.
    let before = counts(app);
    let (status, html, _) = post_form(
        &app.client,
        "/admin/users",
        &[
            ("csrf", &csrf),
            ("name", "alice"),
            ("role", "editor"),
            ("password", "short"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("id=\"error-password\""), "{html}");
    assert!(html.contains("value=\"alice\""), "typed name kept");
    assert!(!html.contains("value=\"short\""), "password not echoed");
    assert_eq!(counts(app), before);

    let (status, html, _) = post_form(
        &app.client,
        "/admin/users",
        &[("csrf", &csrf), ("name", "  "), ("role", "editor")],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("id=\"error-name\""));
    let (status, html, _) = post_form(
        &app.client,
        "/admin/users",
        &[("csrf", &csrf), ("name", "alice"), ("role", "superuser")],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("id=\"error-role\""));
    assert_eq!(counts(app), before);

    let (status, _, location) = post_form(
        &app.client,
        "/admin/users",
        &[
            ("csrf", &csrf),
            ("name", "alice"),
            ("role", "editor"),
            ("password", "a long enough secret"),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    assert_eq!(location.as_deref(), Some("/admin?done=added"));
    let (alice, role, hash) = user_row(app, "alice").expect("alice added");
    assert_eq!(role, "editor");
    assert!(hash.is_some_and(|h| h.starts_with("$argon2")));
    {
        let mut c = app.db().conn().unwrap();
        let user = tokens::check_password(&mut c, "alice", "a long enough secret").unwrap();
        assert_eq!(user.map(|u| u.role), Some(UserRole::Editor));
    }
    let (_, html) = page(&app.client, "/admin?done=added");
    assert!(html.contains("id=\"notice\"") && html.contains("alice"));

    // The same name again is refused beside the name field.
    let (status, html, _) = post_form(
        &app.client,
        "/admin/users",
        &[("csrf", &csrf), ("name", "alice"), ("role", "viewer")],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("id=\"error-name\""));
    assert_eq!(role_of(app, &alice), "editor");

    // Without a password: the user exists but cannot sign in until one is set.
    let (status, _, _) = post_form(
        &app.client,
        "/admin/users",
        &[("csrf", &csrf), ("name", "bob"), ("role", "viewer")],
    );
    assert_eq!(status, Status::SeeOther);
    let (bob, _, hash) = user_row(app, "bob").expect("bob added");
    assert_eq!(hash, None);

    let (status, _, location) = post_form(
        &app.client,
        &format!("/admin/users/{alice}/role"),
        &[("csrf", &csrf), ("role", "viewer")],
    );
    assert_eq!(status, Status::SeeOther);
    assert_eq!(location.as_deref(), Some("/admin?done=role"));
    assert_eq!(role_of(app, &alice), "viewer");

    let (status, html, _) = post_form(
        &app.client,
        &format!("/admin/users/{bob}/password"),
        &[("csrf", &csrf), ("password", "too short")],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains(&format!("id=\"error-password-{bob}\"")));
    let (status, _, _) = post_form(
        &app.client,
        &format!("/admin/users/{bob}/password"),
        &[("csrf", &csrf), ("password", "bobs new password")],
    );
    assert_eq!(status, Status::SeeOther);
    {
        let mut c = app.db().conn().unwrap();
        assert!(tokens::check_password(&mut c, "bob", "bobs new password")
            .unwrap()
            .is_some());
    }

    // Each write is in the audit log, by the admin, without password hashes.
    let log = audit_of(app, &alice);
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|(k, a, ..)| (k.as_str(), a.as_str()))
        .collect();
    assert_eq!(actions, vec![("user", "create"), ("user", "update")]);
    assert!(log
        .iter()
        .all(|e| e.2.as_deref() == Some(admin_id.as_str())));
    let (_, _, _, before, after) = &log[1];
    assert!(before.as_deref().unwrap().contains("\"editor\""));
    assert!(after.as_deref().unwrap().contains("\"viewer\""));
    let log = audit_of(app, &bob);
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].1, "set_password");
    for (_, _, _, before, after) in audit_of(app, &alice).iter().chain(&log) {
        let text = format!("{before:?}{after:?}");
        assert!(
            !text.contains("argon2") && !text.contains("secret"),
            "{text}"
        );
    }
}

fn the_last_admin_keeps_the_admin_role(app: &TestApp) {
    let admin_id = sign_in_user(app, UserRole::Admin).id;
    let csrf = admin_csrf(app);
    let before = counts(app);
    let (status, html, _) = post_form(
        &app.client,
        &format!("/admin/users/{admin_id}/role"),
        &[("csrf", &csrf), ("role", "editor")],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    let marker = format!("id=\"error-role-{admin_id}\"");
    assert!(html.contains(&marker), "message beside the field: {html}");
    assert!(html.contains("Der letzte Administrator"));
    assert_eq!(role_of(app, &admin_id), "admin");
    assert_eq!(counts(app), before, "nothing written");

    // With a second admin, the first may step down.
    let (status, _, _) = post_form(
        &app.client,
        "/admin/users",
        &[("csrf", &csrf), ("name", "second-admin"), ("role", "admin")],
    );
    assert_eq!(status, Status::SeeOther);
    let (second, _, _) = user_row(app, "second-admin").unwrap();
    let (status, _, _) = post_form(
        &app.client,
        &format!("/admin/users/{admin_id}/role"),
        &[("csrf", &csrf), ("role", "editor")],
    );
    assert_eq!(status, Status::SeeOther);
    assert_eq!(role_of(app, &admin_id), "editor");
    // The role change takes effect at once: it ended the former admin's session, so
    // the admin page and its forms ask for a sign-in now.
    let (status, _) = page(&app.client, "/admin");
    assert_eq!(status, Status::Unauthorized);
    let (status, _, _) = post_form(
        &app.client,
        &format!("/admin/users/{second}/role"),
        &[("csrf", &csrf), ("role", "viewer")],
    );
    assert_eq!(status, Status::Unauthorized);
    assert_eq!(role_of(app, &second), "admin");
}

fn tokens_are_shown_once_and_can_be_revoked(app: &TestApp) {
    let admin_id = sign_in_user(app, UserRole::Admin).id;
    let csrf = admin_csrf(app);
    let (status, _, _) = post_form(
        &app.client,
        "/admin/users",
        &[("csrf", &csrf), ("name", "api-reader"), ("role", "viewer")],
    );
    assert_eq!(status, Status::SeeOther);
    let (reader, _, _) = user_row(app, "api-reader").unwrap();

    let res = app
        .client
        .post(format!("/admin/users/{reader}/tokens"))
        .header(ContentType::Form)
        .body(format!("csrf={csrf}"))
        .dispatch();
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(res.headers().get_one("Cache-Control"), Some("no-store"));
    let html = res.into_string().unwrap();
    let marker = "id=\"new-token\">";
    let start = html.find(marker).expect("token shown") + marker.len();
    let token = html[start..].split('<').next().unwrap().to_string();
    assert!(token.starts_with("kp_") && token.len() > 40, "{token}");
    assert!(html.contains("api-reader"));

    // Only the hash is stored; the token works as a bearer token.
    let (token_id, stored_hash): (String, String) = {
        let mut c = app.db().conn().unwrap();
        api_tokens::table
            .filter(api_tokens::user_id.eq(&reader))
            .select((api_tokens::id, api_tokens::token_hash))
            .first(&mut *c)
            .unwrap()
    };
    assert_eq!(stored_hash, tokens::hash_token(&token));
    assert_ne!(stored_hash, token);
    assert_eq!(bearer_status(app, &token), Status::Ok);
    let (status, value) = app.get("/api/v1/persons", Some(&token));
    assert_eq!(status, Status::Ok);
    assert!(value["items"].is_array());

    // The admin page lists the token by its dates, never the token itself.
    let (_, html) = page(&app.client, "/admin");
    assert!(html.contains(&format!("id=\"token-{token_id}\"")));
    assert!(!html.contains(&token) && !html.contains(&stored_hash));

    let before = counts(app);
    let (status, _, location) = post_form(
        &app.client,
        &format!("/admin/tokens/{token_id}/revoke"),
        &[("csrf", &csrf)],
    );
    assert_eq!(status, Status::SeeOther);
    assert_eq!(location.as_deref(), Some("/admin?done=revoked"));
    assert_eq!(bearer_status(app, &token), Status::Unauthorized);
    assert_eq!(counts(app)[2], before[2] + 1);
    let (_, html) = page(&app.client, "/admin?done=revoked");
    assert!(html.contains("widerrufen"));
    // Revoking again changes nothing.
    let (status, _, _) = post_form(
        &app.client,
        &format!("/admin/tokens/{token_id}/revoke"),
        &[("csrf", &csrf)],
    );
    assert_eq!(status, Status::Conflict);

    let log = audit_of(app, &token_id);
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|(k, a, ..)| (k.as_str(), a.as_str()))
        .collect();
    assert_eq!(
        actions,
        vec![("api_token", "create"), ("api_token", "revoke")]
    );
    for (_, _, user, before, after) in &log {
        assert_eq!(user.as_deref(), Some(admin_id.as_str()));
        let text = format!("{before:?}{after:?}");
        assert!(
            !text.contains(&token) && !text.contains(&stored_hash),
            "{text}"
        );
    }

    // Unknown ids are "not found" pages.
    let (status, _, _) = post_form(
        &app.client,
        "/admin/users/no-such-user/tokens",
        &[("csrf", &csrf)],
    );
    assert_eq!(status, Status::NotFound);
}

fn posts_without_the_right_csrf_token_change_nothing(app: &TestApp) {
    let admin_id = sign_in_user(app, UserRole::Admin).id;
    let csrf = admin_csrf(app);
    let (status, _, _) = post_form(
        &app.client,
        "/admin/users",
        &[("csrf", &csrf), ("name", "victim"), ("role", "viewer")],
    );
    assert_eq!(status, Status::SeeOther);
    let (victim, _, _) = user_row(app, "victim").unwrap();
    let res = app
        .client
        .post(format!("/admin/users/{victim}/tokens"))
        .header(ContentType::Form)
        .body(format!("csrf={csrf}"))
        .dispatch();
    assert_eq!(res.status(), Status::Ok);
    let token_id: String = {
        let mut c = app.db().conn().unwrap();
        api_tokens::table
            .filter(api_tokens::user_id.eq(&victim))
            .select(api_tokens::id)
            .first(&mut *c)
            .unwrap()
    };

    let before = counts(app);
    for token in ["", "forged"] {
        let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
            (
                "/admin/users".into(),
                vec![("name", "intruder"), ("role", "admin")],
            ),
            (
                format!("/admin/users/{victim}/role"),
                vec![("role", "admin")],
            ),
            (
                format!("/admin/users/{admin_id}/role"),
                vec![("role", "viewer")],
            ),
            (
                format!("/admin/users/{victim}/password"),
                vec![("password", "chosen by the attacker")],
            ),
            (format!("/admin/users/{victim}/tokens"), vec![]),
            (format!("/admin/tokens/{token_id}/revoke"), vec![]),
        ];
        for (path, fields) in posts {
            let mut all = vec![("csrf", token)];
            all.extend(fields);
            let (status, html, _) = post_form(&app.client, &path, &all);
            assert_eq!(status, Status::Forbidden, "{path} with {token:?}");
            assert!(!html.contains("kp_"), "no token issued");
        }
    }
    assert_eq!(counts(app), before, "nothing changed");
    assert_eq!(role_of(app, &victim), "viewer");
    assert_eq!(user_row(app, "victim").unwrap().2, None, "no password set");
}

on_both_backends!(
    access_by_role,
    add_user_and_change_role,
    the_last_admin_keeps_the_admin_role,
    tokens_are_shown_once_and_can_be_revoked,
    posts_without_the_right_csrf_token_change_nothing,
);

#[test]
fn english_labels_on_the_admin_page() {
    let app = TestApp::sqlite();
    sign_in_user(&app, UserRole::Admin);
    let res = app.client.get("/lang/en?back=/admin").dispatch();
    assert_eq!(res.status(), Status::SeeOther);
    let (status, html) = page(&app.client, "/admin");
    assert_eq!(status, Status::Ok);
    assert!(html.contains("<h1>Administration</h1>") && html.contains("Add a user"));
    assert!(!html.contains("??"), "every label known");
}
