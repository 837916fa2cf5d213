//! The study's seed data set as the API shows it, its citations, and loading it again.
mod common;

use std::collections::BTreeSet;

use common::TestApp;
use rocket::http::Status;
use serde_json::Value;

/// Runs each body on a seeded SQLite app and, if configured, a seeded PostgreSQL one.
macro_rules! on_both_seeded {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name(&crate::common::TestApp::sqlite_seeded());
                }
                #[test]
                fn postgres() {
                    if let Some(app) = crate::common::TestApp::postgres_seeded() {
                        super::$name(&app);
                    }
                }
            }
        )*
    };
}

/// GETs a list and returns its items, checking that the page holds all of them.
fn items(app: &TestApp, path: &str, token: Option<&str>) -> Vec<Value> {
    let (status, v) = app.get(path, token);
    assert_eq!(status, Status::Ok, "{path}: {v}");
    let items = v["items"].as_array().expect("items").clone();
    assert_eq!(v["total"], items.len(), "{path}: more than one page");
    items
}

/// The one live organisation with exactly this name.
fn org(app: &TestApp, name: &str) -> Value {
    let q = name.replace(' ', "%20");
    let found: Vec<Value> = items(app, &format!("/api/v1/organisations?q={q}"), None)
        .into_iter()
        .filter(|o| o["name"] == name || o["short_name"] == name)
        .collect();
    assert_eq!(found.len(), 1, "organisation {name}: {found:?}");
    found.into_iter().next().unwrap()
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

fn strs(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .expect("list")
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn romano_search(app: &TestApp) {
    let names: Vec<Value> = items(app, "/api/v1/organisations?q=Romano", None)
        .iter()
        .map(|o| o["name"].clone())
        .collect();
    assert_eq!(names, ["Romano Drom e.V.", "Romano Than e.V."]);
}

fn romano_drom(app: &TestApp) {
    let editor = app.editor();
    let drom = org(app, "Romano Drom e.V.");
    let drom_id = id(&drom);
    assert_eq!(drom["city"], "Hagen");
    assert_eq!(drom["kind"], "roma_self_organisation");
    assert_eq!(drom["founded"], "2019");
    assert!(
        drom["dissolved"].as_str().unwrap().starts_with("2024"),
        "{drom}"
    );

    let landesrat = org(app, "Landesrat der Roma NRW");
    let member_of = items(
        app,
        &format!("/api/v1/relations?organisation={drom_id}&kind=member_of"),
        None,
    );
    assert_eq!(member_of.len(), 1, "{member_of:?}");
    assert_eq!(member_of[0]["source_id"], drom_id.as_str());
    assert_eq!(member_of[0]["target_id"], landesrat["id"]);

    let evz = org(app, "Stiftung EVZ");
    let fundings = items(
        app,
        &format!("/api/v1/fundings?organisation={drom_id}"),
        None,
    );
    assert_eq!(fundings.len(), 1, "{fundings:?}");
    let funding = &fundings[0];
    assert_eq!(funding["funder_id"], evz["id"]);
    assert_eq!(funding["recipient_id"], drom_id.as_str());
    assert_eq!(funding["amount_min"], 3_000_000);
    assert_eq!(funding["amount_max"], 7_000_000);
    assert_eq!(funding["currency"], "EUR");

    let hagen = org(app, "Stadt Hagen");
    let unit = org(app, "Quartiersmanagement Hagen");
    assert!(unit["name"].as_str().unwrap().starts_with("Fachbereich"));
    assert_eq!(unit["kind"], "municipal_unit");
    assert_eq!(unit["parent_id"], hagen["id"]);

    // The co-chairs are restricted: anonymous callers see none of them.
    let co_chairs_path = format!("/api/v1/affiliations?organisation={drom_id}&kind=co_chair");
    assert!(items(app, &co_chairs_path, None).is_empty());
    let co_chairs = items(app, &co_chairs_path, Some(&editor));
    assert_eq!(co_chairs.len(), 2, "{co_chairs:?}");
    let persons: BTreeSet<String> = co_chairs
        .iter()
        .map(|a| a["person_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(persons.len(), 2, "two different persons");
    for person in &persons {
        let (status, p) = app.get(&format!("/api/v1/persons/{person}"), Some(&editor));
        assert_eq!(status, Status::Ok, "{p}");
        let employed = items(
            app,
            &format!("/api/v1/affiliations?person={person}&kind=employee"),
            Some(&editor),
        );
        assert_eq!(employed.len(), 1, "{employed:?}");
        assert_eq!(employed[0]["organisation_id"], unit["id"], "{p}");
    }
}

fn romano_than(app: &TestApp) {
    let editor = app.editor();
    let than = org(app, "Romano Than e.V.");
    let than_id = id(&than);
    assert_eq!(than["city"], "Dortmund");
    assert_eq!(than["founded"], "2016");

    let dortmund = org(app, "Stadt Dortmund");
    let initiative = items(
        app,
        &format!("/api/v1/relations?organisation={than_id}&kind=founded_on_initiative_of"),
        None,
    );
    assert_eq!(initiative.len(), 1, "{initiative:?}");
    assert_eq!(initiative[0]["source_id"], than_id.as_str());
    assert_eq!(initiative[0]["target_id"], dortmund["id"]);

    let jugendamt = org(app, "Jugendamt Dortmund");
    let board = items(
        app,
        &format!("/api/v1/affiliations?organisation={than_id}&kind=board_member"),
        Some(&editor),
    );
    assert_eq!(board.len(), 2, "{board:?}");
    let mut employers = Vec::new();
    for member in &board {
        let person = member["person_id"].as_str().unwrap();
        let employed = items(
            app,
            &format!("/api/v1/affiliations?person={person}&kind=employee"),
            Some(&editor),
        );
        assert_eq!(employed.len(), 1, "{employed:?}");
        let employer = employed[0]["organisation_id"].as_str().unwrap();
        let (status, o) = app.get(&format!("/api/v1/organisations/{employer}"), None);
        assert_eq!(status, Status::Ok);
        employers.push(o);
    }
    let at_jugendamt = employers.iter().filter(|o| o["id"] == jugendamt["id"]);
    assert_eq!(at_jugendamt.count(), 1, "{employers:?}");
    let at_welfare = employers
        .iter()
        .filter(|o| o["kind"] == "welfare_organisation");
    assert_eq!(at_welfare.count(), 1, "{employers:?}");
}

fn mifrin(app: &TestApp) {
    let mifrin = org(app, "MifriN");
    let mifrin_id = id(&mifrin);
    assert_eq!(mifrin["kind"], "project");
    assert_eq!(mifrin["city"], "Essen");
    assert_eq!(mifrin["founded"], "2017");

    let fundings = items(
        app,
        &format!("/api/v1/fundings?organisation={mifrin_id}"),
        None,
    );
    assert_eq!(fundings.len(), 1, "{fundings:?}");
    let funding = &fundings[0];
    assert_eq!(funding["funder_id"], org(app, "MKJFGFI")["id"]);
    assert_eq!(funding["recipient_id"], mifrin_id.as_str());
    let carriers: BTreeSet<String> = [org(app, "VKJ"), org(app, "Diakoniewerk Essen")]
        .iter()
        .map(id)
        .collect();
    assert_eq!(strs(&funding["carrier_ids"]), carriers);
    let co_applicants: BTreeSet<String> = [id(&org(app, "Kommunales Integrationszentrum Essen"))]
        .into_iter()
        .collect();
    assert_eq!(strs(&funding["co_applicant_ids"]), co_applicants);
}

fn iwan_wasow_and_toflea(app: &TestApp) {
    let wasow = org(app, "Iwan Wasow e.V.");
    assert_eq!(wasow["founded"], "1975-03-08");
    assert_eq!(wasow["city"], "Essen");

    let toflea = org(app, "Toflea");
    let toflea_id = id(&toflea);
    let links = items(
        app,
        &format!("/api/v1/relations?organisation={toflea_id}&kind=migration_link"),
        None,
    );
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(links[0]["source_id"], toflea_id.as_str());
    assert_eq!(links[0]["target_id"], org(app, "Stadt Hagen")["id"]);
    assert_eq!(links[0]["approx_size"], 100);
}

/// Every record except sources cites at least one source, and the cited sources exist.
fn everything_cited(app: &TestApp) {
    let editor = app.editor();
    let sources: BTreeSet<String> = items(app, "/api/v1/sources?limit=500", None)
        .iter()
        .map(id)
        .collect();
    assert!(!sources.is_empty());
    for resource in [
        "organisations",
        "persons",
        "affiliations",
        "fundings",
        "relations",
    ] {
        let records = items(app, &format!("/api/v1/{resource}?limit=500"), Some(&editor));
        assert!(!records.is_empty(), "no {resource} in the seed");
        for r in &records {
            let citations = r["citations"].as_array().expect("citations");
            assert!(!citations.is_empty(), "{resource} without citation: {r}");
            for c in citations {
                assert!(
                    sources.contains(c["source_id"].as_str().unwrap()),
                    "{resource} cites an unknown source: {r}"
                );
                assert!(!c["locator"].as_str().unwrap().is_empty(), "{r}");
            }
        }
    }
}

/// Loading the seed again adds nothing and writes nothing, not even audit entries.
fn reload_adds_nothing(app: &TestApp) {
    let before = app.snapshot();
    assert!(before[0] > 0, "the seed was not loaded: {before:?}");
    let mut conn = app.db().conn().expect("conn");
    let report = knotenpunkt::seed::load_builtin(&mut conn).expect("reload");
    drop(conn);
    assert_eq!(report.added, 0, "{report}");
    assert!(report.skipped > 0, "{report}");
    assert_eq!(
        app.snapshot(),
        before,
        "reloading the seed changed the database"
    );
}

/// A seed file cannot store forbidden person fields, and a failing file lands nothing.
fn seed_refuses_sensitive_fields(app: &TestApp) {
    let before = app.snapshot();
    let text = r#"
[[organisations]]
key = "test-neuer-verein"
name = "Neuer Verein (Test)"
kind = "migrant_organisation"
cite = [{ source = "study-ch4", locator = "4.3.1" }]

[[persons]]
key = "test-person-with-nationality"
display_name = "Person mit Staatsangehörigkeit"
visibility = "restricted"
nationality = "RO"
cite = [{ source = "study-ch4", locator = "4.3.1" }]
"#;
    let files = vec![("smuggle.toml".to_string(), text.to_string())];
    let mut conn = app.db().conn().expect("conn");
    let result = knotenpunkt::seed::load_files(&mut conn, &files);
    drop(conn);
    let err = result.expect_err("a person with nationality was loaded");
    assert!(err.to_string().contains("nationality"), "{err}");
    assert_eq!(
        app.snapshot(),
        before,
        "a failed seed file left records behind"
    );
    assert!(items(app, "/api/v1/organisations?q=Neuer%20Verein", None).is_empty());
}

on_both_seeded!(
    romano_search,
    romano_drom,
    romano_than,
    mifrin,
    iwan_wasow_and_toflea,
    everything_cited,
    reload_adds_nothing,
    seed_refuses_sensitive_fields,
);
