//! The SQLite file stays sound for stock tools: the app folds case with Unicode rules
//! (its own `lower()`, as PostgreSQL does), and no index may depend on that function,
//! or a stock `sqlite3` (ASCII `lower()`) finds the unique indexes corrupt. After writes
//! with non-ASCII names, `PRAGMA integrity_check` on a plain connection says "ok", and
//! the duplicate rule still folds "Ö" and "ö" alike.
mod common;

use common::TestApp;
use diesel::prelude::*;
use diesel::sql_types::Text;
use rocket::http::Status;
use serde_json::json;

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

#[test]
fn a_stock_sqlite_finds_the_file_sound() {
    let app = TestApp::sqlite();
    let editor = app.editor();
    app.create(
        "organisations",
        &editor,
        json!({"name": "Ömer Kültürverein", "kind": "migrant_organisation", "city": "KÖLN"}),
    );
    app.create(
        "persons",
        &editor,
        json!({"display_name": "Ümit Ä.", "visibility": "restricted"}),
    );
    app.create("sources", &editor, json!({"title": "Über uns: Ärzte"}));
    // The duplicate rule folds non-ASCII letters as before.
    let (status, v) = app.post(
        "/api/v1/organisations",
        Some(&editor),
        &json!({"name": "ÖMER KÜLTÜRVEREIN", "kind": "migrant_organisation", "city": "köln"}),
    );
    assert_eq!(status, Status::Conflict, "{v}");
    let (status, _) = app.post(
        "/api/v1/sources",
        Some(&editor),
        &json!({"title": "über UNS: ärzte"}),
    );
    assert_eq!(status, Status::Conflict);

    // A plain connection: SQLite's own functions only.
    let mut stock = SqliteConnection::establish(&app.url).expect("open the file");
    let result: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut stock)
        .expect("integrity_check runs");
    let lines: Vec<&str> = result.iter().map(|c| c.integrity_check.as_str()).collect();
    assert_eq!(lines, ["ok"]);
}

/// The study's seeded database: sound for a stock SQLite, and still so after a stock
/// `REINDEX`, which must not break the duplicate rule (the index holds stored keys, not
/// the result of a function a stock SQLite computes differently).
#[test]
fn the_seeded_file_survives_a_stock_reindex() {
    let app = TestApp::sqlite_seeded();
    let mut stock = SqliteConnection::establish(&app.url).expect("open the file");
    let check = |stock: &mut SqliteConnection| -> Vec<String> {
        diesel::sql_query("PRAGMA integrity_check")
            .load::<Check>(stock)
            .expect("integrity_check runs")
            .into_iter()
            .map(|c| c.integrity_check)
            .collect()
    };
    assert_eq!(check(&mut stock), ["ok"]);
    diesel::sql_query("REINDEX")
        .execute(&mut stock)
        .expect("a stock REINDEX");
    assert_eq!(check(&mut stock), ["ok"]);
    drop(stock);
    let editor = app.editor();
    let (status, v) = app.post(
        "/api/v1/organisations",
        Some(&editor),
        &json!({"name": "ȘINCA NOUĂ", "kind": "origin_municipality"}),
    );
    assert_eq!(status, Status::Conflict, "{v}");
    assert!(v["existing_id"].is_string(), "{v}");
}
