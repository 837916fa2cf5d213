//! Test harness: one fresh database per test, on SQLite always and on PostgreSQL when
//! `TEST_DATABASE_URL` is set (CI sets `KNOTENPUNKT_REQUIRE_POSTGRES` so a skip fails).
#![allow(dead_code)]

pub mod graph;
pub mod links;
pub mod privacy;
pub mod walk;
pub mod web;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use knotenpunkt::db::Db;
use knotenpunkt::domain::UserRole;
use knotenpunkt::service::tokens;
use rocket::http::{ContentType, Header, Status};
use rocket::local::blocking::Client;
use serde_json::Value;

pub struct TestApp {
    pub client: Client,
    pub backend: &'static str,
    /// The database URL, so that a second instance can share the database.
    pub url: String,
    pg_database: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

/// Runs a test body on SQLite and, if configured, on PostgreSQL, as two #[test]s.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name(&$crate::common::TestApp::sqlite());
                }
                #[test]
                fn postgres() {
                    if let Some(app) = $crate::common::TestApp::postgres() {
                        super::$name(&app);
                    }
                }
            }
        )*
    };
}

impl TestApp {
    pub fn sqlite() -> TestApp {
        Self::sqlite_with(false)
    }

    /// A SQLite app with the study's seed data loaded on start.
    pub fn sqlite_seeded() -> TestApp {
        Self::sqlite_with(true)
    }

    fn sqlite_with(seed: bool) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = dir.path().join("test.db").display().to_string();
        let mut app = Self::start(&url, "sqlite", seed);
        app._dir = Some(dir);
        app
    }

    pub fn postgres() -> Option<TestApp> {
        Self::postgres_with(false)
    }

    pub fn postgres_seeded() -> Option<TestApp> {
        Self::postgres_with(true)
    }

    fn postgres_with(seed: bool) -> Option<TestApp> {
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            if std::env::var_os("KNOTENPUNKT_REQUIRE_POSTGRES").is_some() {
                panic!("TEST_DATABASE_URL is not set but PostgreSQL tests are required");
            }
            eprintln!("skipped: TEST_DATABASE_URL not set");
            return None;
        };
        let name = format!("kp_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = PgConnection::establish(&admin_url).expect("connect TEST_DATABASE_URL");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create test database");
        let url = replace_database(&admin_url, &name);
        let mut app = Self::start(&url, "postgres", seed);
        app.pg_database = Some((admin_url, name));
        Some(app)
    }

    fn start(url: &str, backend: &'static str, seed: bool) -> TestApp {
        Self::start_with(url, backend, seed, &[])
    }

    fn start_with(
        url: &str,
        backend: &'static str,
        seed: bool,
        settings: &[(&str, usize)],
    ) -> TestApp {
        let figment = settings.iter().fold(
            rocket::Config::figment()
                .merge(("database_url", url))
                .merge(("seed_on_empty", seed))
                .merge(("pool_size", 4))
                .merge(("log_level", "off")),
            |f, (key, value)| f.merge((*key, *value)),
        );
        let rocket = knotenpunkt::app::build(figment).expect("build app");
        TestApp {
            client: Client::tracked(rocket).expect("valid rocket"),
            backend,
            url: url.to_string(),
            pg_database: None,
            _dir: None,
        }
    }

    /// Another service instance on the same database (as behind a load balancer).
    pub fn second_instance(&self) -> TestApp {
        Self::start(&self.url, self.backend, false)
    }

    /// Another instance on the same database with other settings, e.g. a low
    /// `network_svg_max_nodes` so that small data makes a large view.
    pub fn instance_with(&self, settings: &[(&str, usize)]) -> TestApp {
        Self::start_with(&self.url, self.backend, false, settings)
    }

    /// Loads the study's seed data, as the first start of a service does.
    pub fn load_seed(&self) {
        let mut conn = self.db().conn().expect("conn");
        knotenpunkt::seed::load_builtin(&mut conn).expect("seed data");
    }

    /// Waits until the graph snapshot has caught up with every write made so far.
    pub fn settle(&self) {
        let version = {
            let mut conn = self.db().conn().expect("conn");
            knotenpunkt::db::data_version(&mut conn).expect("data version")
        };
        let state = self
            .client
            .rocket()
            .state::<std::sync::Arc<knotenpunkt::graph::GraphState>>()
            .expect("graph state");
        assert!(
            state.wait_for(version, std::time::Duration::from_secs(5)),
            "the graph snapshot did not reach data version {version}"
        );
    }

    /// GET on a settled snapshot; the answer must be 200.
    pub fn ok(&self, path: &str, token: Option<&str>) -> Value {
        self.settle();
        let (status, v) = self.get(path, token);
        assert_eq!(status, Status::Ok, "{path}: {v}");
        v
    }

    pub fn db(&self) -> &Db {
        self.client.rocket().state::<Db>().expect("db state")
    }

    /// A new user with `role` and their bearer token.
    pub fn token(&self, role: UserRole) -> String {
        let mut conn = self.db().conn().expect("conn");
        let name = format!("{}-{}", role, uuid::Uuid::now_v7().simple());
        tokens::add_user_with_token(&mut conn, &name, role)
            .expect("add user")
            .1
    }

    pub fn editor(&self) -> String {
        self.token(UserRole::Editor)
    }

    pub fn request(
        &self,
        method: rocket::http::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (Status, Value) {
        let mut req = self.client.req(method, path.to_string());
        if let Some(t) = token {
            req.add_header(Header::new("Authorization", format!("Bearer {t}")));
        }
        if let Some(b) = body {
            req = req.header(ContentType::JSON).body(b.to_string());
        }
        let res = req.dispatch();
        let status = res.status();
        let text = res.into_string().unwrap_or_default();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> (Status, Value) {
        self.request(rocket::http::Method::Get, path, token, None)
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: &Value) -> (Status, Value) {
        self.request(rocket::http::Method::Post, path, token, Some(body))
    }

    pub fn put(&self, path: &str, token: Option<&str>, body: &Value) -> (Status, Value) {
        self.request(rocket::http::Method::Put, path, token, Some(body))
    }

    pub fn delete(&self, path: &str, token: Option<&str>) -> (Status, Value) {
        self.request(rocket::http::Method::Delete, path, token, None)
    }

    /// Creates a record and returns its id, failing the test on anything but 201.
    pub fn create(&self, resource: &str, token: &str, body: Value) -> String {
        let (status, value) = self.post(&format!("/api/v1/{resource}"), Some(token), &body);
        assert_eq!(status, Status::Created, "create {resource}: {value}");
        value["id"].as_str().expect("id").to_string()
    }

    /// The field names of a 422 answer.
    pub fn error_fields(value: &Value) -> Vec<String> {
        value["errors"]
            .as_array()
            .map(|l| {
                l.iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Row counts of all record tables plus the audit log: "nothing changed" checks.
    pub fn snapshot(&self) -> Vec<i64> {
        use diesel::prelude::*;
        use knotenpunkt::schema::*;
        let mut c = self.db().conn().expect("conn");
        vec![
            organisations::table.count().get_result(&mut *c).unwrap(),
            persons::table.count().get_result(&mut *c).unwrap(),
            affiliations::table.count().get_result(&mut *c).unwrap(),
            fundings::table.count().get_result(&mut *c).unwrap(),
            funding_partners::table.count().get_result(&mut *c).unwrap(),
            relations::table.count().get_result(&mut *c).unwrap(),
            sources::table.count().get_result(&mut *c).unwrap(),
            citations::table.count().get_result(&mut *c).unwrap(),
            changes::table.count().get_result(&mut *c).unwrap(),
        ]
    }

    /// The audit log entries of one record, oldest first, as (action, user_id).
    pub fn changes_of(&self, id: &str) -> Vec<(String, Option<String>)> {
        use diesel::prelude::*;
        use knotenpunkt::schema::changes;
        let mut c = self.db().conn().expect("conn");
        changes::table
            .filter(changes::record_id.eq(id))
            .order(changes::id)
            .select((changes::action, changes::user_id))
            .load(&mut *c)
            .unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.pg_database.take() {
            // The pool must go before the database can be dropped.
            let rocket = std::mem::replace(&mut self.client, dummy_client());
            drop(rocket);
            if let Ok(mut admin) = PgConnection::establish(&admin_url) {
                let _ =
                    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

fn dummy_client() -> Client {
    Client::untracked(rocket::custom(
        rocket::Config::figment().merge(("log_level", "off")),
    ))
    .expect("empty rocket")
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
