//! One read path: the same graph request asked through the API and through a page gives
//! the same answer, and the same bad parameters are refused for the same fields.
mod common;

use common::web::*;
use common::TestApp;
use knotenpunkt::domain::UserRole;
use rocket::http::{Header, Status};
use serde_json::Value;

/// Fields of one CSV line (RFC 4180 quoting).
fn fields(line: &str) -> Vec<String> {
    let (mut out, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cell)),
            (c, _) => cell.push(c),
        }
    }
    out.push(cell);
    out
}

/// A page's CSV table, without its header line.
fn table(app: &TestApp, path: &str) -> Vec<Vec<String>> {
    let res = app.client.get(path.to_string()).dispatch();
    assert_eq!(res.status(), Status::Ok, "{path}");
    let body = res.into_string().unwrap_or_default();
    body.trim_end_matches("\r\n")
        .split("\r\n")
        .skip(1)
        .map(fields)
        .collect()
}

fn api(app: &TestApp, path: &str, token: &str) -> (Status, Value) {
    let res = app
        .client
        .get(path.to_string())
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .dispatch();
    let status = res.status();
    let body = res.into_string().unwrap_or_default();
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

fn name(v: &Value) -> String {
    v["name"].as_str().unwrap_or_default().to_string()
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

#[test]
fn api_and_pages_give_the_same_answers() {
    let app = TestApp::sqlite_seeded();
    app.settle();
    let token = app.token(UserRole::Viewer);
    sign_in(&app, UserRole::Viewer);

    // Tandem roles and their counts per pair, in Hagen.
    let (status, tandem) = api(&app, "/api/v1/tandem?city=Hagen", &token);
    assert_eq!(status, Status::Ok);
    let roles: Vec<(String, String)> = tandem["roles"]
        .as_array()
        .expect("roles for a signed-in caller")
        .iter()
        .map(|r| (name(&r["self_organisation"]), name(&r["employer"])))
        .collect();
    assert!(!roles.is_empty(), "Hagen has tandem roles in the study");
    let page_roles: Vec<(String, String)> =
        table(&app, "/overlaps/tandem?city=Hagen&format=csv&table=tandem")
            .into_iter()
            .map(|r| (r[1].clone(), r[3].clone()))
            .collect();
    assert_eq!(sorted(page_roles), sorted(roles));
    let pairs: Vec<Vec<String>> = tandem["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let n = p["persons"].as_u64().unwrap().to_string();
            vec![name(&p["self_organisation"]), name(&p["employer"]), n]
        })
        .collect();
    let page_pairs = table(&app, "/overlaps/tandem?city=Hagen&format=csv&table=pairs");
    assert_eq!(page_pairs, pairs);

    // Staff overlaps of an organisation named as people type it.
    let (status, staff) = api(
        &app,
        "/api/v1/overlaps/staff?organisation=Romano%20Drom",
        &token,
    );
    assert_eq!(status, Status::Ok, "{staff}");
    let shared: Vec<(String, String)> = staff["overlaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (name(&o["organisation"]), o["shared_persons"].to_string()))
        .collect();
    let mut page_shared: Vec<(String, String)> =
        table(&app, "/overlaps/staff?organisation=Romano+Drom&format=csv")
            .into_iter()
            .map(|r| (r[0].clone(), r[1].clone()))
            .collect();
    page_shared.dedup();
    assert!(!shared.is_empty());
    assert_eq!(page_shared, shared);

    // What each recipient would lose if a funder stopped.
    let (status, impact) = api(&app, "/api/v1/funding/impact?funder=Stiftung%20EVZ", &token);
    assert_eq!(status, Status::Ok);
    let losses: Vec<String> = impact
        .as_array()
        .unwrap()
        .iter()
        .map(|l| name(&l["recipient"]))
        .collect();
    assert!(!losses.is_empty());
    let page_losses: Vec<String> = table(&app, "/overlaps/impact?funder=Stiftung+EVZ&format=csv")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(page_losses, losses);
}

#[test]
fn api_and_pages_refuse_the_same_fields() {
    let app = TestApp::sqlite_seeded();
    let token = app.token(UserRole::Viewer);
    for (api_path, page_path, fields) in [
        (
            "/api/v1/tandem?as_of=2019-13",
            "/overlaps/tandem?as_of=2019-13",
            vec!["as_of"],
        ),
        (
            "/api/v1/overlaps/staff/pairs?limit=-1&concurrent=vielleicht",
            "/overlaps/staff/pairs?limit=-1&concurrent=vielleicht",
            vec!["limit", "concurrent"],
        ),
        (
            "/api/v1/funding/ending?within_days=viele&as_of=gestern",
            "/overlaps/ending?within_days=viele&as_of=gestern",
            vec!["within_days", "as_of"],
        ),
        (
            "/api/v1/overlaps/staff?organisation=Romano",
            "/overlaps/staff?organisation=Romano",
            vec!["organisation"],
        ),
        (
            "/api/v1/conflicts?funder=Stiftung%20EVZ&applicant=Stiftung%20EVZ",
            "/overlaps/conflicts?funder=Stiftung+EVZ&applicant=Stiftung+EVZ",
            vec!["applicant"],
        ),
    ] {
        let (status, body) = api(&app, api_path, &token);
        assert_eq!(status, Status::UnprocessableEntity, "{api_path}: {body}");
        assert_eq!(
            sorted(TestApp::error_fields(&body)),
            sorted(fields.iter().map(|f| f.to_string()).collect()),
            "{api_path}"
        );
        let (status, html) = page(&app.client, page_path);
        assert_eq!(status, Status::UnprocessableEntity, "{page_path}");
        for f in &fields {
            assert!(
                html.contains(&format!("id=\"error-{f}\"")),
                "{page_path}: no message beside {f}"
            );
        }
    }
    // Unknown organisations: 404 from the API, a message beside the field on the page.
    let (status, _) = api(
        &app,
        "/api/v1/overlaps/staff?organisation=Gibt%20es%20nicht",
        &token,
    );
    assert_eq!(status, Status::NotFound);
    let (status, html) = page(&app.client, "/overlaps/staff?organisation=Gibt+es+nicht");
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("id=\"error-organisation\""));
}

/// A graph parameter a request does not use is refused by name with the reason, on the
/// API and on the pages, instead of being silently ignored; where it is used, the same
/// parameter is answered, and names that are not the graph's pass.
fn ignored_parameters_are_refused(app: &TestApp) {
    let fx = common::graph::Fx::new(app);
    let a = fx.org("Verein am Rand", "migrant_organisation", "Herne");
    let b = fx.org("Stadt am Rand", "municipality", "Herne");
    fx.relation(&a, &b, "cooperates_with", None, None);
    let unused = "is not used by this request";
    let needs_focus = "applies only with focus";
    for (path, field, reason) in [
        ("/api/v1/graph?depth=2".to_string(), "depth", needs_focus),
        ("/api/v1/network?depth=2".into(), "depth", needs_focus),
        ("/api/v1/graph?persons=true".into(), "persons", unused),
        (
            "/api/v1/tandem?concurrent=true".into(),
            "concurrent",
            unused,
        ),
        (
            format!("/api/v1/graph/components?focus={a}"),
            "focus",
            unused,
        ),
        (
            format!("/api/v1/overlaps/staff?organisation={a}&city=Herne"),
            "city",
            unused,
        ),
        (format!("/api/v1/dependencies/{a}?limit=5"), "limit", unused),
        (
            format!("/api/v1/graph/path?from={a}&to={b}&depth=2"),
            "depth",
            unused,
        ),
    ] {
        app.settle();
        let (status, v) = app.get(&path, None);
        assert_eq!(status, Status::UnprocessableEntity, "{path}: {v}");
        assert_eq!(TestApp::error_fields(&v), [field], "{path}: {v}");
        assert_eq!(v["errors"][0]["message"], reason, "{path}");
    }
    // Used where they mean something; a name that is not the graph's passes.
    for path in [
        format!("/api/v1/graph?focus={a}&depth=2"),
        format!("/api/v1/network?focus={a}&depth=2"),
        "/api/v1/tandem?city=Herne".to_string(),
        format!("/api/v1/graph/path?from={a}&to={b}&as_of=2020"),
        "/api/v1/graph?lang=en".into(),
    ] {
        app.ok(&path, None);
    }
    // The pages read through the same requests: refused there too, beside the field.
    let (status, html) = page(&app.client, "/network?depth=2");
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(
        html.contains("id=\"error-depth\""),
        "no message beside depth"
    );
    let (status, _) = page(&app.client, &format!("/network?focus={a}&depth=2"));
    assert_eq!(status, Status::Ok);
}

on_both_backends!(ignored_parameters_are_refused);
