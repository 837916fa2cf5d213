//! Many writers at once: 8 concurrent clients × 200 creates through the API against one
//! database complete without an error and without a lost row or audit entry.
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::PgConnection;
use knotenpunkt::db::Db;
use knotenpunkt::domain::UserRole;
use knotenpunkt::service::tokens;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;
use rocket::{Build, Rocket};
use serde_json::{json, Value};

const WRITERS: usize = 8;
const CREATES_EACH: usize = 200;

/// The Rocket `TestApp::start` builds, for any database URL.
fn rocket_for(url: &str) -> Rocket<Build> {
    let figment = rocket::Config::figment()
        .merge(("database_url", url))
        .merge(("seed_on_empty", false))
        .merge(("pool_size", 4))
        .merge(("log_level", "off"));
    knotenpunkt::app::build(figment).expect("build app")
}

/// What one run of the load measured.
struct Outcome {
    elapsed: Duration,
}

/// Runs the writers against `rocket` and checks that every row and audit entry is there.
fn hammer(rocket: Rocket<Build>, backend: &str) -> Outcome {
    let runtime = rocket::tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WRITERS)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let client = Arc::new(Client::tracked(rocket).await.expect("valid rocket"));
        let db = client.rocket().state::<Db>().expect("db state");
        let (_, token) = db
            .run(|c| tokens::add_user_with_token(c, "load-editor", UserRole::Editor))
            .await
            .expect("editor token");
        let auth = format!("Bearer {token}");

        let started = Instant::now();
        let mut tasks = Vec::new();
        for writer in 0..WRITERS {
            let client = Arc::clone(&client);
            let auth = auth.clone();
            tasks.push(rocket::tokio::spawn(async move {
                let mut ids = Vec::with_capacity(CREATES_EACH);
                for n in 0..CREATES_EACH {
                    let body = json!({
                        "name": format!("Lastverein {writer}-{n}"),
                        "kind": "migrant_organisation",
                        "city": "Duisburg",
                    });
                    let res = client
                        .post("/api/v1/organisations")
                        .header(ContentType::JSON)
                        .header(Header::new("Authorization", auth.clone()))
                        .body(body.to_string())
                        .dispatch()
                        .await;
                    let status = res.status();
                    let text = res.into_string().await.unwrap_or_default();
                    assert_eq!(
                        status,
                        Status::Created,
                        "writer {writer}, create {n}: {text}"
                    );
                    let v: Value = serde_json::from_str(&text).expect("json");
                    ids.push(v["id"].as_str().expect("id").to_string());
                }
                ids
            }));
        }
        let mut ids = HashSet::new();
        for task in tasks {
            for id in task.await.expect("writer task panicked") {
                assert!(ids.insert(id), "an id was handed out twice");
            }
        }
        let elapsed = started.elapsed();
        let expected = WRITERS * CREATES_EACH;
        assert_eq!(ids.len(), expected);

        let res = client.get("/api/v1/organisations?limit=1").dispatch().await;
        assert_eq!(res.status(), Status::Ok);
        let list: Value = res.into_json().await.expect("json");
        assert_eq!(list["total"], expected, "rows lost on {backend}");

        let (rows, creates, ids_in_log) = db
            .run(|c| {
                use knotenpunkt::schema::{changes, organisations};
                let rows: i64 = organisations::table.count().get_result(c)?;
                let creates: i64 = changes::table
                    .filter(changes::action.eq("create"))
                    .filter(changes::record_kind.eq("organisation"))
                    .count()
                    .get_result(c)?;
                let ids: Vec<String> = changes::table
                    .filter(changes::action.eq("create"))
                    .filter(changes::record_kind.eq("organisation"))
                    .select(changes::record_id)
                    .load(c)?;
                Ok((rows, creates, ids))
            })
            .await
            .expect("count");
        assert_eq!(rows, expected as i64, "rows lost on {backend}");
        assert_eq!(creates, expected as i64, "audit entries lost on {backend}");
        assert_eq!(
            ids_in_log.into_iter().collect::<HashSet<_>>(),
            ids,
            "the audit log does not name exactly the created records"
        );
        eprintln!(
            "{backend}: {expected} creates by {WRITERS} concurrent writers in {:.2?} ({:.0}/s)",
            elapsed,
            expected as f64 / elapsed.as_secs_f64()
        );
        Outcome { elapsed }
    })
}

mod many_writers {
    use super::*;

    #[test]
    fn sqlite() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = dir.path().join("load.db").display().to_string();
        let outcome = hammer(rocket_for(&url), "sqlite");
        assert!(outcome.elapsed < Duration::from_secs(300));
    }

    #[test]
    fn postgres() {
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            if std::env::var_os("KNOTENPUNKT_REQUIRE_POSTGRES").is_some() {
                panic!("TEST_DATABASE_URL is not set but PostgreSQL tests are required");
            }
            eprintln!("skipped: TEST_DATABASE_URL not set");
            return;
        };
        let name = format!("kp_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = PgConnection::establish(&admin_url).expect("connect TEST_DATABASE_URL");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create test database");
        let url = replace_database(&admin_url, &name);
        // Drop the database however the run ends.
        let _cleanup = DropDatabase { admin_url, name };
        let outcome = hammer(rocket_for(&url), "postgres");
        assert!(outcome.elapsed < Duration::from_secs(300));
    }
}

struct DropDatabase {
    admin_url: String,
    name: String,
}

impl Drop for DropDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.admin_url) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base[scheme_end..]
        .find('/')
        .map(|i| scheme_end + i)
        .unwrap_or(base.len());
    format!("{}/{}{}", &base[..host_end], name, query)
}
