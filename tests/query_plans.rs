//! The pages do not grow with the registry (issue 12): every statement that the profile
//! (anonymous, signed in, editor), the start page and the searched lists run is recorded
//! through diesel's instrumentation while the pages are asked for, then explained on the
//! same database; none may read a whole large table. SQLite's plans do not depend on the
//! data (no statistics are gathered), so a small generated data set shows them; on
//! PostgreSQL (`TEST_DATABASE_URL`) a scale-0.1 data set is generated and analysed, so
//! that the planner weighs real row counts with its default settings.
mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use common::web::{page, sign_in};
use common::TestApp;
use diesel::connection::{
    set_default_instrumentation, Instrumentation, InstrumentationEvent, SimpleConnection,
};
use diesel::prelude::*;
use diesel::sql_types::Text;
use knotenpunkt::domain::UserRole;
use rocket::http::Status;

/// Tables that grow with the registry; a plan may read them only through an index.
const LARGE: &[&str] = &[
    "organisations",
    "persons",
    "affiliations",
    "fundings",
    "funding_partners",
    "relations",
    "changes",
    "citations",
];

static RECORDING: AtomicBool = AtomicBool::new(false);
static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// One test at a time: the recorder sees every connection of the process.
static SERIAL: Mutex<()> = Mutex::new(());

struct Recorder;

impl Instrumentation for Recorder {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            if RECORDING.load(Ordering::SeqCst) {
                SEEN.lock().unwrap().push(query.to_string());
            }
        }
    }
}

fn recorder() -> Option<Box<dyn Instrumentation>> {
    Some(Box::new(Recorder))
}

/// A SELECT statement a page ran: its SQL, and its values as diesel's debug output lists
/// them (`["text", 10, None]`).
#[derive(Debug)]
struct Statement {
    page: String,
    sql: String,
    binds: String,
}

/// The SELECT statements the pages ran, each once, with the page that ran it first.
fn record_pages(app: &TestApp, pages: &[(&str, &str)]) -> Vec<Statement> {
    app.settle();
    let version_before = data_version(app);
    let mut statements: Vec<Statement> = Vec::new();
    for (label, path) in pages {
        SEEN.lock().unwrap().clear();
        RECORDING.store(true, Ordering::SeqCst);
        let (status, body) = page(&app.client, path);
        RECORDING.store(false, Ordering::SeqCst);
        assert_eq!(status, Status::Ok, "{label} {path}: {body}");
        for text in SEEN.lock().unwrap().drain(..) {
            let (sql, binds) = match text.rfind(" -- binds: ") {
                Some(at) => (text[..at].to_string(), text[at + 11..].to_string()),
                None => (text, String::new()),
            };
            let select = sql.trim_start().to_ascii_uppercase().starts_with("SELECT");
            if select && !statements.iter().any(|s| s.sql == sql) {
                statements.push(Statement {
                    page: label.to_string(),
                    sql,
                    binds,
                });
            }
        }
    }
    // No write came between: the graph snapshot did not reload (its loader reads whole
    // tables on purpose, and must not be mistaken for a page's query).
    assert_eq!(
        data_version(app),
        version_before,
        "a page wrote registry data"
    );
    statements
}

fn data_version(app: &TestApp) -> i64 {
    let mut conn = app.db().conn().expect("conn");
    knotenpunkt::db::data_version(&mut conn).expect("data version")
}

fn reads_large_table(statement: &str) -> bool {
    LARGE.iter().any(|t| {
        statement
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| word == *t)
    })
}

/// Generated data: an organisation with people, funding both ways and relations.
fn generate(app: &TestApp, scale: f64) -> String {
    let mut conn = app.db().conn().expect("conn");
    knotenpunkt::generate::generate(&mut conn, scale, false).expect("generate");
    use knotenpunkt::schema::{affiliations, fundings, organisations, relations};
    let busy: String = organisations::table
        .filter(organisations::kind.eq("migrant_organisation"))
        .filter(organisations::id.eq_any(affiliations::table.select(affiliations::organisation_id)))
        .filter(organisations::id.eq_any(fundings::table.select(fundings::recipient_id)))
        .filter(organisations::id.eq_any(relations::table.select(relations::source_id)))
        .select(organisations::id)
        .order(organisations::id)
        .first(&mut *conn)
        .expect("a migrant organisation with roles, funding and relations");
    busy
}

/// Every page whose queries must stay indexed, as anonymous visitor, then signed in.
fn page_statements(app: &TestApp, org: &str) -> Vec<Statement> {
    let profile = format!("/organisations/{org}");
    let anonymous = [
        ("profile, anonymous", profile.as_str()),
        ("start page", "/"),
        ("organisation list ?q=", "/organisations?q=rein%200012"),
        (
            "organisation list ?q= and kind",
            "/organisations?q=ein%2000013&kind=migrant_organisation",
        ),
        (
            "organisation API ?q=",
            "/api/v1/organisations?q=rein%200012",
        ),
    ];
    let mut statements = record_pages(app, &anonymous);
    sign_in(app, UserRole::Editor);
    let signed_in = [
        ("profile, editor", profile.as_str()),
        ("person list ?q=", "/persons?q=son%2000012"),
    ];
    statements.extend(record_pages(app, &signed_in));
    statements.retain(|s| reads_large_table(&s.sql));
    assert!(
        statements.len() >= 10,
        "too few statements recorded: {statements:?}"
    );
    statements
}

#[derive(QueryableByName)]
struct SqlitePlanRow {
    #[diesel(sql_type = Text)]
    detail: String,
}

/// A line of a SQLite plan that reads a large table whole ("SCAN persons", also "USING
/// COVERING INDEX": every entry is still read).
fn sqlite_full_scan(line: &str) -> bool {
    let Some(rest) = line.trim().strip_prefix("SCAN ") else {
        return false;
    };
    let table = rest.split_whitespace().next().unwrap_or_default();
    LARGE.contains(&table)
}

#[test]
fn page_queries_use_indexes_on_sqlite() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    set_default_instrumentation(recorder).expect("instrumentation");
    let app = TestApp::sqlite();
    let org = generate(&app, 0.01);
    let statements = page_statements(&app, &org);
    let mut conn = SqliteConnection::establish(&app.url).expect("plain connection");
    let mut failures = Vec::new();
    for Statement { page, sql, .. } in &statements {
        let label = page;
        // Unbound parameters are NULL; the plan does not depend on them.
        let plan: Vec<SqlitePlanRow> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load(&mut conn)
            .unwrap_or_else(|e| panic!("{label}: cannot explain {sql}: {e}"));
        let lines: Vec<String> = plan.into_iter().map(|r| r.detail).collect();
        if lines.iter().any(|l| sqlite_full_scan(l)) {
            failures.push(format!("{label}:\n  {sql}\n  {}", lines.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} statements read a large table whole:\n{}",
        failures.len(),
        statements.len(),
        failures.join("\n\n")
    );
}

/// The large table a line of a PostgreSQL plan reads whole, if it does.
fn postgres_full_scan(line: &str) -> Option<&'static str> {
    let rest = &line[line.find("Seq Scan on ")? + 12..];
    let table = rest.split_whitespace().next().unwrap_or_default();
    LARGE.iter().find(|t| **t == table).copied()
}

/// diesel's debug list of values (`["a \"b\"", 10, None, true]`) as SQL literals.
fn sql_literals(binds: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = binds.trim().trim_start_matches('[').chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
            chars.next();
        }
        match chars.peek() {
            None | Some(']') => return out,
            Some('"') => {
                chars.next();
                let mut text = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some('n') => text.push('\n'),
                            Some('t') => text.push('\t'),
                            Some(other) => text.push(other),
                            None => break,
                        },
                        c => text.push(c),
                    }
                }
                out.push(format!("'{}'", text.replace('\'', "''")));
            }
            Some(_) => {
                let mut word = String::new();
                while let Some(c) = chars.next_if(|c| *c != ',' && *c != ']') {
                    word.push(c);
                }
                out.push(match word.trim() {
                    "None" => "NULL".to_string(),
                    w => w
                        .trim_start_matches("Some(")
                        .trim_end_matches(')')
                        .to_string(),
                });
            }
        }
    }
}

#[derive(QueryableByName)]
struct PostgresPlanRow {
    #[diesel(sql_type = Text)]
    #[diesel(column_name = "QUERY PLAN")]
    line: String,
}

#[derive(QueryableByName)]
struct Rows {
    #[diesel(sql_type = diesel::sql_types::Double)]
    n: f64,
}

#[test]
fn page_queries_use_indexes_on_postgres() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    set_default_instrumentation(recorder).expect("instrumentation");
    let Some(app) = TestApp::postgres() else {
        return;
    };
    let org = generate(&app, 0.1);
    let mut conn = PgConnection::establish(&app.url).expect("plain connection");
    // As autovacuum leaves a database in use: statistics gathered, and the GIN indexes'
    // own figures (which only VACUUM updates) counted after the bulk insert.
    conn.batch_execute("VACUUM ANALYZE")
        .expect("vacuum analyze");
    let statements = page_statements(&app, &org);
    let mut failures = Vec::new();
    for (i, Statement { page, sql, binds }) in statements.iter().enumerate() {
        conn.batch_execute(&format!("PREPARE qp{i} AS {sql}"))
            .unwrap_or_else(|e| panic!("{page}: cannot prepare {sql}: {e}"));
        // The plan for the values the page used, as the server makes it for them.
        let values = sql_literals(binds);
        let execute = match values.is_empty() {
            true => format!("EXPLAIN EXECUTE qp{i}"),
            false => format!("EXPLAIN EXECUTE qp{i}({})", values.join(", ")),
        };
        let plan: Vec<PostgresPlanRow> = diesel::sql_query(&execute)
            .load(&mut conn)
            .unwrap_or_else(|e| panic!("{page}: cannot explain {execute} for {sql}: {e}"));
        let lines: Vec<String> = plan.into_iter().map(|r| r.line).collect();
        for table in lines.iter().filter_map(|l| postgres_full_scan(l)) {
            // A table the generated data leaves (almost) empty is read whole by any
            // sensible planner; that says nothing about the registry's size.
            let rows: Rows = diesel::sql_query(format!(
                "SELECT reltuples::float8 AS n FROM pg_class WHERE relname = '{table}'"
            ))
            .get_result(&mut conn)
            .expect("row estimate");
            if rows.n >= 1000.0 {
                failures.push(format!(
                    "{page}:\n  {execute}\n  {sql}\n  {}",
                    lines.join("\n  ")
                ));
                break;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} statements read a large table whole:\n{}",
        failures.len(),
        statements.len(),
        failures.join("\n\n")
    );
}

#[test]
fn a_full_scan_is_recognised() {
    assert!(sqlite_full_scan("SCAN persons"));
    assert!(sqlite_full_scan(
        "SCAN organisations USING COVERING INDEX organisations_kind"
    ));
    assert!(!sqlite_full_scan(
        "SEARCH persons USING INDEX sqlite_autoindex_persons_1 (id=?)"
    ));
    assert!(!sqlite_full_scan(
        "SCAN organisation_search VIRTUAL TABLE INDEX 0:M2"
    ));
    assert!(postgres_full_scan(
        "  ->  Seq Scan on persons  (cost=0.00..180.00 rows=8000 width=37)"
    )
    .is_some());
    assert!(postgres_full_scan("Index Scan using persons_pkey on persons").is_none());
    assert_eq!(
        sql_literals(r#"["it's \"x\"", 10, None, true]"#),
        vec!["'it''s \"x\"'", "10", "NULL", "true"]
    );
}

/// What a search finds through the name indexes: substrings in any case (also beyond
/// ASCII), quotes as text, short names, new names after a rename and not the old ones,
/// no deleted organisation; two characters still find by scanning.
fn search_finds_what_the_names_hold(app: &TestApp) {
    let editor = app.editor();
    let org = |name: &str, short: Option<&str>| {
        let mut body =
            serde_json::json!({"name": name, "kind": "migrant_organisation", "city": "Hagen"});
        if let Some(s) = short {
            body["short_name"] = s.into();
        }
        app.create("organisations", &editor, body)
    };
    let omer = org("Ömer Kültürverein", Some("ÖKV"));
    org("Romano \"Drom\" e.V.", None);
    let hagen = org("Stadtteilverein Hagen-Mitte", None);
    let names = |path: &str, token: Option<&str>, field: &str| -> Vec<String> {
        let v = app.ok(path, token);
        let mut found: Vec<String> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i[field].as_str().unwrap().to_string())
            .collect();
        found.sort();
        assert_eq!(v["total"].as_i64(), Some(found.len() as i64), "{path}: {v}");
        found
    };
    let orgs = |q: &str| names(&format!("/api/v1/organisations?q={q}"), None, "name");
    assert_eq!(
        orgs("K%C3%9CLT%C3%9CR"),
        ["Ömer Kültürverein"],
        "Unicode case folded"
    );
    assert_eq!(orgs("%C3%B6kv"), ["Ömer Kültürverein"], "short name");
    assert_eq!(
        orgs("%22Drom%22"),
        ["Romano \"Drom\" e.V."],
        "quotes are text"
    );
    assert_eq!(
        orgs("verein"),
        ["Stadtteilverein Hagen-Mitte", "Ömer Kültürverein"]
    );
    assert_eq!(orgs("ro"), ["Romano \"Drom\" e.V."], "two characters scan");
    assert!(orgs("vereinx").is_empty());

    let (status, v) = app.put(
        &format!("/api/v1/organisations/{hagen}"),
        Some(&editor),
        &serde_json::json!({"name": "Stadtteilverein Hamm-Mitte", "kind": "migrant_organisation", "city": "Hagen"}),
    );
    assert_eq!(status, Status::Ok, "{v}");
    assert!(
        orgs("hagen-m").is_empty(),
        "the old name is gone from the index"
    );
    assert_eq!(orgs("hamm-m"), ["Stadtteilverein Hamm-Mitte"]);
    let (status, v) = app.delete(&format!("/api/v1/organisations/{omer}"), Some(&editor));
    assert_eq!(status, Status::NoContent, "{v}");
    assert!(
        orgs("k%C3%BClt%C3%BCr").is_empty(),
        "deleted organisations are not listed"
    );

    let person = app.create(
        "persons",
        &editor,
        serde_json::json!({"display_name": "Zsófia Lakatos", "visibility": "public"}),
    );
    let viewer = app.token(UserRole::Viewer);
    let persons = |q: &str| {
        names(
            &format!("/api/v1/persons?q={q}"),
            Some(&viewer),
            "display_name",
        )
    };
    assert_eq!(persons("S%C3%93FIA%20L"), ["Zsófia Lakatos"]);
    let (status, v) = app.put(
        &format!("/api/v1/persons/{person}"),
        Some(&editor),
        &serde_json::json!({"display_name": "Zsófia Varga", "visibility": "public"}),
    );
    assert_eq!(status, Status::Ok, "{v}");
    assert!(persons("lakatos").is_empty());
    assert_eq!(persons("varga"), ["Zsófia Varga"]);
}

#[test]
fn search_finds_what_the_names_hold_on_sqlite() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    search_finds_what_the_names_hold(&TestApp::sqlite());
}

#[test]
fn search_finds_what_the_names_hold_on_postgres() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(app) = TestApp::postgres() {
        search_finds_what_the_names_hold(&app);
    }
}

/// The start page lists the 20 grants that end soonest and links to all of them, so
/// that its size does not follow the registry's.
fn start_page_shows_the_soonest_endings(app: &TestApp) {
    let editor = app.editor();
    let org = |name: &str, kind: &str| {
        app.create(
            "organisations",
            &editor,
            serde_json::json!({"name": name, "kind": kind, "city": "Hagen"}),
        )
    };
    let funder = org("Stiftung Ruhr", "funder");
    let today = chrono::Utc::now().date_naive();
    for i in 0..25 {
        let recipient = org(&format!("Verein {i:02}"), "migrant_organisation");
        let end = today + chrono::Duration::days(10 + i);
        app.create(
            "fundings",
            &editor,
            serde_json::json!({"funder_id": funder, "recipient_id": recipient,
                "currency": "EUR", "amount_min": 1000, "amount_max": 1000, "start": "2020",
                "end": end.format("%Y-%m-%d").to_string(), "project_bound": true,
                "status": "granted"}),
        );
    }
    app.settle();
    let (status, html) = page(&app.client, "/");
    assert_eq!(status, Status::Ok);
    let from = html
        .find("Förderung, die bald endet")
        .expect("ending section");
    let to = html.find("Letzte Änderungen").expect("changes section");
    let section = &html[from..to];
    let shown: Vec<usize> = (0..25)
        .filter(|i| section.contains(&format!(">Verein {i:02}<")))
        .collect();
    assert_eq!(
        shown,
        (0..20).collect::<Vec<_>>(),
        "the 20 soonest, in order"
    );
    assert!(
        section.contains("href=\"/overlaps/ending?within_days=180\">Alle zeigen (25 Förderungen)"),
        "a link to all of them"
    );
    let (status, all) = page(&app.client, "/overlaps/ending?within_days=180");
    assert_eq!(status, Status::Ok);
    assert!(all.contains("Verein 24"), "the linked page lists the rest");
}

#[test]
fn start_page_shows_the_soonest_endings_on_sqlite() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    start_page_shows_the_soonest_endings(&TestApp::sqlite());
}

#[test]
fn start_page_shows_the_soonest_endings_on_postgres() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(app) = TestApp::postgres() {
        start_page_shows_the_soonest_endings(&app);
    }
}
