//! Lists that mean "all rows" do not stop at the API's page limit: an organisation with
//! more affiliations than `ListQuery::MAX_LIMIT` shows every one of them.
mod common;

use common::web::{page, sign_in};
use common::TestApp;
use diesel::Connection;
use knotenpunkt::db::DbConn;
use knotenpunkt::domain::{Affiliation, Organisation, Person, UserRole};
use knotenpunkt::error::Error;
use knotenpunkt::service::{crud, Caller, ListQuery};
use rocket::http::Status;
use serde_json::json;

/// More than one page of the largest size.
const MEMBERS: usize = ListQuery::MAX_LIMIT as usize + 23;

fn name(i: usize) -> String {
    format!("Aktive {i:04}")
}

/// An organisation with `MEMBERS` member affiliations, written through the service
/// layer in one transaction (nested commands become savepoints) to keep the test fast.
fn organisation_with_many_members(conn: &mut DbConn) -> String {
    conn.transaction::<_, Error, _>(|c| {
        let org: Organisation = serde_json::from_value(json!({
            "name": "Großverein",
            "kind": "migrant_organisation",
        }))
        .expect("organisation input");
        let org = crud::create(c, &Caller::System, org)?;
        for i in 0..MEMBERS {
            let person: Person = serde_json::from_value(json!({
                "display_name": name(i),
                "visibility": "public",
            }))
            .expect("person input");
            let person = crud::create(c, &Caller::System, person)?;
            let affiliation: Affiliation = serde_json::from_value(json!({
                "person_id": person.id,
                "organisation_id": org.id,
                "role": "member",
            }))
            .expect("affiliation input");
            crud::create(c, &Caller::System, affiliation)?;
        }
        Ok(org.id)
    })
    .expect("fixture")
}

fn all_affiliations_are_listed(app: &TestApp) {
    let id = {
        let mut conn = app.db().conn().expect("conn");
        organisation_with_many_members(&mut conn)
    };
    let mut conn = app.db().conn().expect("conn");
    let query = ListQuery {
        organisation: Some(id.clone()),
        ..ListQuery::default()
    };

    // One page stops at the limit (this is what the profile page used to show) …
    let capped = ListQuery {
        limit: Some(ListQuery::MAX_LIMIT),
        ..query.clone()
    };
    let one_page = crud::list::<Affiliation>(&mut conn, &Caller::System, &capped).expect("list");
    assert_eq!(one_page.items.len() as i64, ListQuery::MAX_LIMIT);
    assert_eq!(one_page.total, MEMBERS as i64);

    // … paging to the end finds each affiliation exactly once.
    let all = crud::list_all::<Affiliation>(&mut conn, &Caller::System, &query).expect("all");
    let mut ids: Vec<&str> = all.iter().map(|a| a.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), MEMBERS, "{}: distinct affiliations", app.backend);
    drop(conn);

    sign_in(app, UserRole::Viewer);
    let (status, html) = page(&app.client, &format!("/organisations/{id}"));
    assert_eq!(status, Status::Ok);
    let missing: Vec<String> = (0..MEMBERS)
        .map(name)
        .filter(|n| !html.contains(n.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "{}: the profile page misses {} of {MEMBERS} members, e.g. {:?}",
        app.backend,
        missing.len(),
        missing.first()
    );
}

on_both_backends!(all_affiliations_are_listed);
