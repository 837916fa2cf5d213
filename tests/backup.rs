//! `knotenpunkt backup FILE`: a consistent copy of the SQLite database taken while writes
//! go on holds every write acknowledged before it began, and starts and serves as a
//! registry of its own. PostgreSQL is pointed to pg_dump.
mod common;

use std::sync::Mutex;
use std::time::Duration;

use common::TestApp;
use knotenpunkt::db;
use knotenpunkt::domain::{Caller, Organisation};
use knotenpunkt::service::crud;
use rocket::http::Status;
use rocket::local::blocking::Client;
use serde_json::json;

#[test]
fn a_backup_under_write_load_holds_every_acknowledged_write_and_serves() {
    let app = TestApp::sqlite();
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("backup.db");
    let acknowledged: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let store = app.db();
    let before = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            for i in 0..150 {
                let mut conn = store.conn().expect("conn");
                let input: Organisation =
                    serde_json::from_value(json!({"name": format!("Verein {i}"), "kind": "other"}))
                        .expect("organisation");
                let record = crud::create(&mut conn, &Caller::System, input).expect("create");
                acknowledged.lock().unwrap().push(record.id);
            }
        });
        std::thread::sleep(Duration::from_millis(100));
        let before: Vec<String> = acknowledged.lock().unwrap().clone();
        let mut conn = store.conn().expect("conn");
        db::backup(&mut conn, &target).expect("backup");
        writer.join().expect("writer");
        before
    });
    assert!(
        !before.is_empty(),
        "writes were acknowledged before the backup began"
    );
    // Taking the same file twice is refused rather than overwritten.
    let mut conn = app.db().conn().expect("conn");
    assert!(db::backup(&mut conn, &target).is_err());

    let figment = rocket::Config::figment()
        .merge(("database_url", target.display().to_string()))
        .merge(("seed_on_empty", false))
        .merge(("log_level", "off"));
    let client = Client::tracked(knotenpunkt::app::build(figment).expect("the backup starts"))
        .expect("client");
    for id in &before {
        let res = client.get(format!("/api/v1/organisations/{id}")).dispatch();
        assert_eq!(res.status(), Status::Ok, "{id} is in the backup");
    }
}

#[test]
fn postgresql_is_backed_up_with_its_own_tools() {
    let Some(app) = TestApp::postgres() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut conn = app.db().conn().expect("conn");
    let error = db::backup(&mut conn, &dir.path().join("x.db")).unwrap_err();
    assert!(error.to_string().contains("pg_dump"), "{error}");
}
