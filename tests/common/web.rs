//! Helpers for page tests through the local client: GET, form posts, CSRF, sign-in.
use knotenpunkt::domain::UserRole;
use knotenpunkt::service::tokens;
use rocket::http::{ContentType, Status};
use rocket::local::blocking::Client;

use super::TestApp;

pub const PASSWORD: &str = "correct horse battery";

pub fn page(client: &Client, path: &str) -> (Status, String) {
    let res = client.get(path.to_string()).dispatch();
    (res.status(), res.into_string().unwrap_or_default())
}

/// The CSRF token embedded in a page's forms.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("page has a CSRF field") + marker.len();
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Posts form fields; returns the status, the body and the redirect target.
pub fn post_form(
    client: &Client,
    path: &str,
    fields: &[(&str, &str)],
) -> (Status, String, Option<String>) {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", k, urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let res = client
        .post(path.to_string())
        .header(ContentType::Form)
        .body(body)
        .dispatch();
    let location = res.headers().get_one("Location").map(str::to_string);
    (
        res.status(),
        res.into_string().unwrap_or_default(),
        location,
    )
}

pub fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A new user `<role>-web` with a password, signed in on the app's client; its name.
pub fn sign_in(app: &TestApp, role: UserRole) -> String {
    sign_in_user(app, role).name
}

/// Like `sign_in`, returning the whole user.
pub fn sign_in_user(app: &TestApp, role: UserRole) -> knotenpunkt::service::UserInfo {
    let name = format!("{role}-web");
    let user = {
        let mut c = app.db().conn().unwrap();
        let (user, _) = tokens::add_user_with_token(&mut c, &name, role).unwrap();
        tokens::set_password(&mut c, &name, PASSWORD).unwrap();
        user
    };
    let (_, html) = page(&app.client, "/signin");
    let csrf = csrf_of(&html);
    let (status, _, location) = post_form(
        &app.client,
        "/signin",
        &[("csrf", &csrf), ("name", &name), ("password", PASSWORD)],
    );
    assert_eq!(status, Status::SeeOther, "sign-in redirects");
    assert_eq!(location.as_deref(), Some("/"));
    user
}
