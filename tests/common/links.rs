//! Records for the link form tests: organisations, a person, a role, a funding, a
//! relation and a source made through the API, and an editor signed in on the web client.
use knotenpunkt::domain::UserRole;
use rocket::http::Status;
use serde_json::{json, Value};

use super::web::*;
use super::TestApp;

/// Records made through the API, and an editor signed in on the app's web client.
pub struct Fx<'a> {
    pub app: &'a TestApp,
    pub tok: String,
    pub verein: String,
    pub stadt: String,
    pub stiftung: String,
    pub person: String,
    pub affiliation: String,
    pub funding: String,
    pub relation: String,
    pub source: String,
}

pub fn fixture(app: &TestApp) -> Fx<'_> {
    let tok = app.editor();
    let org = |name: &str, kind: &str| {
        let body = json!({"name": name, "kind": kind, "city": "Dortmund"});
        app.create("organisations", &tok, body)
    };
    let verein = org("Romano Than e.V.", "roma_self_organisation");
    let stadt = org("Stadt Dortmund", "municipality");
    let stiftung = org("Stiftung Mercator", "funder");
    let person = app.create(
        "persons",
        &tok,
        json!({"display_name": "Vorstand A", "is_pseudonym": true, "visibility": "restricted"}),
    );
    let affiliation = app.create(
        "affiliations",
        &tok,
        json!({"person_id": person, "organisation_id": verein, "role": "board_member",
               "start": "2016", "paid": false, "project_bound": false,
               "fields_of_work": ["education"]}),
    );
    let funding = app.create(
        "fundings",
        &tok,
        json!({"funder_id": stiftung, "recipient_id": verein, "amount_min": 3_000_000,
               "amount_max": 7_000_000, "start": "2019", "end": "2021",
               "project_bound": true, "status": "granted"}),
    );
    let relation = app.create(
        "relations",
        &tok,
        json!({"source_id": verein, "target_id": stadt, "kind": "founded_on_initiative_of",
               "start": "2016"}),
    );
    let source = app.create(
        "sources",
        &tok,
        json!({"title": "Studie Kapitel 4", "accessed_on": "2024"}),
    );
    sign_in(app, UserRole::Editor);
    Fx {
        app,
        tok,
        verein,
        stadt,
        stiftung,
        person,
        affiliation,
        funding,
        relation,
        source,
    }
}

impl Fx<'_> {
    pub fn record(&self, resource: &str, id: &str) -> Value {
        let (status, value) = self
            .app
            .get(&format!("/api/v1/{resource}/{id}"), Some(&self.tok));
        assert_eq!(status, Status::Ok, "{resource} {id}: {value}");
        value
    }

    pub fn status_of(&self, resource: &str, id: &str) -> Status {
        self.app
            .get(&format!("/api/v1/{resource}/{id}"), Some(&self.tok))
            .0
    }

    /// The edit form's page and its CSRF token.
    pub fn form(&self, path: &str) -> (String, String) {
        let (status, html) = page(&self.app.client, path);
        assert_eq!(status, Status::Ok, "{path}: {html}");
        let csrf = csrf_of(&html);
        (html, csrf)
    }
}

pub fn actions(app: &TestApp, id: &str) -> Vec<String> {
    app.changes_of(id).into_iter().map(|(a, _)| a).collect()
}
