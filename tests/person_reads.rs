//! The person read log, on both backends: every answer that shows a signed-in user a
//! person (API records and lists, graph answers, pages, CSV downloads) leaves one row per
//! person; anonymous answers and answers without persons leave none; admins read the log.
mod common;

use common::web::*;
use common::TestApp;
use diesel::prelude::*;
use knotenpunkt::domain::UserRole;
use knotenpunkt::schema::{person_reads, users};
use rocket::http::{Header, Status};
use serde_json::json;

/// Two organisations in Dortmund and two persons: a restricted one holding a tandem
/// (chair of the association while employed by the city) and a public one.
struct Fx {
    verein: String,
    restricted: String,
    public: String,
}

fn fixture(app: &TestApp) -> Fx {
    let tok = app.editor();
    let org = |name: &str, kind: &str| {
        let body = json!({"name": name, "kind": kind, "city": "Dortmund"});
        app.create("organisations", &tok, body)
    };
    let verein = org("Romano Than e.V.", "roma_self_organisation");
    let stadt = org("Stadt Dortmund", "municipality");
    let person = |name: &str, visibility: &str| {
        let body = json!({"display_name": name, "is_pseudonym": true, "visibility": visibility});
        app.create("persons", &tok, body)
    };
    let restricted = person("Vorstand A", "restricted");
    let public = person("Sprecherin B", "public");
    for (who, org, role, paid) in [
        (&restricted, &verein, "chair", false),
        (&restricted, &stadt, "employee", true),
        (&public, &verein, "member", false),
    ] {
        let body = json!({"person_id": who, "organisation_id": org, "role": role,
                          "start": "2018", "paid": paid, "project_bound": false});
        app.create("affiliations", &tok, body);
    }
    app.settle();
    Fx {
        verein,
        restricted,
        public,
    }
}

/// The logged reads as (user name, person id, via), oldest first.
fn reads(app: &TestApp) -> Vec<(String, String, String)> {
    let mut c = app.db().conn().unwrap();
    person_reads::table
        .inner_join(users::table)
        .order((person_reads::at, person_reads::person_id))
        .select((users::name, person_reads::person_id, person_reads::via))
        .load(&mut *c)
        .unwrap()
}

fn persons_read(app: &TestApp) -> Vec<String> {
    let mut ids: Vec<String> = reads(app).into_iter().map(|(_, p, _)| p).collect();
    ids.sort();
    ids.dedup();
    ids
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

fn api_reads_of_persons_are_logged_per_user(app: &TestApp) {
    let fx = fixture(app);
    assert!(reads(app).is_empty(), "writes are not reads");
    // Anonymous callers see the public person, and nothing is logged for them.
    let (status, _) = app.get(&format!("/api/v1/persons/{}", fx.public), None);
    assert_eq!(status, Status::Ok);
    assert!(reads(app).is_empty());

    let viewer = app.token(UserRole::Viewer);
    let path = format!("/api/v1/persons/{}", fx.restricted);
    let (status, _) = app.get(&path, Some(&viewer));
    assert_eq!(status, Status::Ok);
    let logged = reads(app);
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert!(logged[0].0.starts_with("viewer-"), "the reader: {logged:?}");
    assert_eq!((&logged[0].1, &logged[0].2), (&fx.restricted, &path));

    // A list names both; an affiliation list identifies both by id.
    let (status, _) = app.get("/api/v1/persons", Some(&viewer));
    assert_eq!(status, Status::Ok);
    assert_eq!(reads(app).len(), 3);
    let by_org = format!("/api/v1/affiliations?organisation={}", fx.verein);
    app.get(&by_org, Some(&viewer));
    let via_list: Vec<String> = reads(app)
        .into_iter()
        .filter(|(_, _, via)| *via == by_org)
        .map(|(_, p, _)| p)
        .collect();
    assert_eq!(
        sorted(via_list),
        sorted(vec![fx.restricted.clone(), fx.public.clone()])
    );

    // Answers without persons log nothing.
    let before = reads(app).len();
    app.get("/api/v1/organisations", Some(&viewer));
    app.get(
        &format!("/api/v1/organisations/{}", fx.verein),
        Some(&viewer),
    );
    assert_eq!(reads(app).len(), before);
}

fn graph_answers_that_name_persons_are_logged(app: &TestApp) {
    let fx = fixture(app);
    let (status, tandem) = app.get("/api/v1/tandem?city=Dortmund", None);
    assert_eq!(status, Status::Ok);
    // Anonymously: one pair with one person, counted, nobody named.
    assert_eq!(
        tandem["pairs"].as_array().map(Vec::len),
        Some(1),
        "{tandem}"
    );
    assert_eq!(tandem["pairs"][0]["persons"], 1, "{tandem}");
    assert!(tandem.get("roles").is_none(), "{tandem}");
    assert!(reads(app).is_empty(), "anonymous answers name no one");
    let viewer = app.token(UserRole::Viewer);
    let (status, named) = app.get("/api/v1/tandem?city=Dortmund", Some(&viewer));
    assert_eq!(status, Status::Ok);
    assert_eq!(named["roles"].as_array().map(Vec::len), Some(1), "{named}");
    assert_eq!(persons_read(app), vec![fx.restricted.clone()]);
    assert_eq!(reads(app)[0].2, "/api/v1/tandem?city=Dortmund");

    // Answers with counts only log nothing, even for a signed-in caller.
    let before = reads(app).len();
    let (status, _) = app.get("/api/v1/overlaps/staff/pairs", Some(&viewer));
    assert_eq!(status, Status::Ok);
    assert_eq!(reads(app).len(), before, "counts name no one");

    // A network around the association shows both persons to a viewer: both are logged.
    let around = format!("/api/v1/graph?focus={}", fx.verein);
    let (status, _) = app.get(&around, None);
    assert_eq!(status, Status::Ok);
    assert_eq!(reads(app).len(), before, "anonymous graph: no log");
    let (status, _) = app.get(&around, Some(&viewer));
    assert_eq!(status, Status::Ok);
    let via_graph: Vec<String> = reads(app)
        .into_iter()
        .filter(|(_, _, via)| *via == around)
        .map(|(_, p, _)| p)
        .collect();
    assert_eq!(
        sorted(via_graph),
        sorted(vec![fx.restricted.clone(), fx.public.clone()])
    );
}

fn pages_and_csv_downloads_are_logged(app: &TestApp) {
    let fx = fixture(app);
    let profile = format!("/organisations/{}", fx.verein);
    let (status, _) = page(&app.client, &profile);
    assert_eq!(status, Status::Ok);
    assert!(reads(app).is_empty(), "anonymous page: no names, no log");

    sign_in(app, UserRole::Viewer);
    let (_, html) = page(&app.client, &profile);
    assert!(html.contains(&format!("href=\"/persons/{}\"", fx.restricted)));
    assert_eq!(
        persons_read(app),
        sorted(vec![fx.restricted.clone(), fx.public.clone()])
    );
    let count = reads(app).len();
    page(&app.client, &format!("/persons/{}", fx.restricted));
    assert_eq!(reads(app).len(), count + 1, "the person's page");

    let csv = "/overlaps/tandem?city=Dortmund&format=csv";
    let (status, body) = page(&app.client, csv);
    assert_eq!(status, Status::Ok);
    assert!(body.contains("Vorstand A") && !body.contains(&fx.restricted));
    let via_csv: Vec<String> = reads(app)
        .into_iter()
        .filter(|(_, _, via)| via == csv)
        .map(|(_, p, _)| p)
        .collect();
    assert_eq!(
        via_csv,
        vec![fx.restricted.clone()],
        "names in a CSV are logged"
    );
}

fn the_log_names_the_user_the_answer_was_made_for(app: &TestApp) {
    let fx = fixture(app);
    let admin = app.token(UserRole::Admin);
    let viewer = sign_in_user(app, UserRole::Viewer);
    // A page goes by its session, whatever Authorization header comes along.
    for header in [
        "Bearer junk".to_string(),
        "Basic eDp5".to_string(),
        format!("Bearer {admin}"),
    ] {
        let res = app
            .client
            .get(format!("/persons/{}", fx.restricted))
            .header(Header::new("Authorization", header.clone()))
            .dispatch();
        assert_eq!(res.status(), Status::Ok, "{header}");
    }
    let readers: Vec<String> = reads(app).into_iter().map(|(user, _, _)| user).collect();
    assert_eq!(
        readers,
        vec![viewer.name.clone(); 3],
        "logged for the session's user"
    );

    // A restore shows a record the caller did not send: it counts as a read.
    let editor = app.editor();
    let at = format!("/api/v1/persons/{}", fx.public);
    assert_eq!(app.delete(&at, Some(&editor)).0, Status::NoContent);
    let (status, _) = app.post(&format!("{at}/restore"), Some(&editor), &json!({}));
    assert_eq!(status, Status::Ok);
    let restored: Vec<String> = reads(app)
        .into_iter()
        .filter(|(_, _, via)| via.ends_with("/restore"))
        .map(|(_, p, _)| p)
        .collect();
    assert_eq!(restored, vec![fx.public.clone()]);
}

fn a_role_named_on_an_edit_page_is_logged(app: &TestApp) {
    let fx = fixture(app);
    let tok = app.editor();
    let (_, roles) = app.get(
        &format!("/api/v1/affiliations?person={}", fx.public),
        Some(&tok),
    );
    let role = roles["items"][0]["id"].as_str().expect("role").to_string();
    sign_in(app, UserRole::Editor);
    for path in [
        format!("/affiliations/{role}/edit"),
        format!("/affiliations/{role}/delete"),
    ] {
        let (status, html) = page(&app.client, &path);
        assert_eq!(status, Status::Ok, "{path}");
        assert!(html.contains("Sprecherin B"), "{path} names the person");
        let logged: Vec<String> = reads(app)
            .into_iter()
            .filter(|(_, _, via)| *via == path)
            .map(|(_, p, _)| p)
            .collect();
        assert_eq!(logged, vec![fx.public.clone()], "{path}");
    }
}

fn admins_read_the_log_and_nothing_else_changes(app: &TestApp) {
    let fx = fixture(app);
    let (viewer, editor, admin) = (
        app.token(UserRole::Viewer),
        app.editor(),
        app.token(UserRole::Admin),
    );
    let changes = app.snapshot();
    let version = {
        let mut c = app.db().conn().unwrap();
        knotenpunkt::db::data_version(&mut c).unwrap()
    };
    app.get(&format!("/api/v1/persons/{}", fx.restricted), Some(&viewer));
    let path = format!("/api/v1/persons/{}/reads", fx.restricted);
    let (status, _) = app.get(&path, None);
    assert_eq!(status, Status::Unauthorized);
    let (status, _) = app.get(&path, Some(&editor));
    assert_eq!(status, Status::Forbidden);
    let (status, log) = app.get(&path, Some(&admin));
    assert_eq!(status, Status::Ok);
    let (status, bad) = app.get(&format!("{path}?limit=viele"), Some(&admin));
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(TestApp::error_fields(&bad), ["limit"]);
    let entries = log.as_array().expect("list");
    assert_eq!(entries.len(), 1, "{log}");
    // Reading the log names no person: the id in the path is not a read.
    assert_eq!(reads(app).len(), 1, "{:?}", reads(app));
    assert!(entries[0]["user"].as_str().unwrap().starts_with("viewer-"));
    assert_eq!(
        entries[0]["via"],
        format!("/api/v1/persons/{}", fx.restricted)
    );
    // Logging writes neither records, nor the change log, nor the data version (which
    // would make every graph snapshot rebuild).
    assert_eq!(app.snapshot(), changes, "nothing changed");
    let mut c = app.db().conn().unwrap();
    assert_eq!(knotenpunkt::db::data_version(&mut c).unwrap(), version);

    // The person's page shows admins who read it.
    drop(c);
    sign_in(app, UserRole::Admin);
    let (_, html) = page(&app.client, &format!("/persons/{}", fx.restricted));
    assert!(html.contains("id=\"reads\""), "{html}");
    assert!(html.contains(&format!("/api/v1/persons/{}", fx.restricted)));
}

on_both_backends!(
    api_reads_of_persons_are_logged_per_user,
    graph_answers_that_name_persons_are_logged,
    pages_and_csv_downloads_are_logged,
    the_log_names_the_user_the_answer_was_made_for,
    a_role_named_on_an_edit_page_is_logged,
    admins_read_the_log_and_nothing_else_changes,
);
