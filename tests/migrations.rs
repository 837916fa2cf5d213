//! The two migration trees stay in step, migrations revert cleanly, and an unreachable
//! PostgreSQL server is reported with its real cause, quickly.
mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::TestApp;
use diesel::prelude::*;
use diesel_migrations::MigrationHarness;
use knotenpunkt::db::{self, DbConn};

fn migration_dir(backend: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend)
}

/// The migration directory names of one backend, sorted, each checked for its files.
fn migration_names(backend: &str) -> Vec<String> {
    let dir = migration_dir(backend);
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let entry = entry.expect("dir entry");
        if !entry.file_type().expect("file type").is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().to_string();
        for file in ["up.sql", "down.sql"] {
            let path = entry.path().join(file);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{backend}/{name}/{file}: {e}"));
            assert!(!text.trim().is_empty(), "{backend}/{name}/{file} is empty");
        }
        names.push(name);
    }
    names.sort();
    names
}

#[test]
fn migration_trees_have_the_same_names() {
    let sqlite = migration_names("sqlite");
    let postgres = migration_names("postgres");
    assert!(!sqlite.is_empty(), "no SQLite migrations");
    assert_eq!(
        sqlite, postgres,
        "migrations/sqlite and migrations/postgres differ"
    );
}

#[test]
fn unreachable_postgres_fails_fast_with_the_cause() {
    let started = Instant::now();
    let result = db::connect_pool("postgres://nobody@127.0.0.1:1/none", 1);
    let elapsed = started.elapsed();
    let err = match result {
        Ok(_) => panic!("connected to a closed port"),
        Err(e) => e,
    };
    assert!(
        elapsed < Duration::from_secs(10),
        "took {elapsed:?} to give up"
    );
    let message = err.to_string();
    let lower = message.to_lowercase();
    assert!(lower.contains("refused"), "no cause in: {message}");
    assert!(
        !lower.contains("timed out"),
        "a bare pool time-out: {message}"
    );
    // The error says which server it could not reach.
    assert!(message.contains("127.0.0.1"), "{message}");

    // A password in the URL is not repeated in the message.
    let Err(err) = db::connect_pool("postgres://nobody:s3cr3t-pw@127.0.0.1:1/none", 1) else {
        panic!("connected to a closed port");
    };
    assert!(!err.to_string().contains("s3cr3t-pw"), "{err}");
}

/// Every migration reverts (down.sql) and applies again on a database in use.
fn down_and_up_again(app: &TestApp) {
    let editor = app.editor();
    app.create(
        "organisations",
        &editor,
        serde_json::json!({"name": "Romano Than e.V.", "kind": "roma_self_organisation"}),
    );
    let mut conn = app.db().conn().expect("conn");
    let conn: &mut DbConn = &mut conn;
    let count = |conn: &mut DbConn| -> i64 {
        use knotenpunkt::schema::organisations;
        organisations::table
            .count()
            .get_result(conn)
            .expect("count")
    };
    assert_eq!(count(conn), 1);
    match conn {
        DbConn::Sqlite(c) => {
            c.revert_all_migrations(db::SQLITE_MIGRATIONS)
                .expect("revert sqlite");
            assert!(c
                .pending_migrations(db::SQLITE_MIGRATIONS)
                .is_ok_and(|p| !p.is_empty()));
        }
        DbConn::Postgres(c) => {
            c.revert_all_migrations(db::POSTGRES_MIGRATIONS)
                .expect("revert postgres");
            assert!(c
                .pending_migrations(db::POSTGRES_MIGRATIONS)
                .is_ok_and(|p| !p.is_empty()));
        }
    }
    {
        use knotenpunkt::schema::organisations;
        assert!(
            organisations::table
                .count()
                .get_result::<i64>(conn)
                .is_err(),
            "the organisations table survived down.sql"
        );
    }
    db::migrate(conn).expect("migrate again");
    assert_eq!(count(conn), 0);
    db::migrate(conn).expect("migrating twice is a no-op");
}

on_both_backends!(down_and_up_again);
