//! GDPR Art. 17 and 15 on both backends: an admin erases a person for good (nothing of
//! the name left in any table, any API answer or any page; the organisations keep their
//! facts; no way back) and exports everything stored about a person as one document.
mod common;

use common::privacy::{self, Privacy};
use common::walk::{fetch, targets, walk};
use common::web::*;
use common::TestApp;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use knotenpunkt::db::DbConn;
use knotenpunkt::domain::UserRole;
use rocket::http::Status;
use serde_json::{json, Value};

/// The chair's name after the rename below; the fixture's own name is erased too.
const RENAMED: &str = "Zorvina Quelltapp-Brankow";
const NOTES: &str = "Telefon Zorvina 0203 555 Quelltapp";
const LOCATOR: &str = "Interview mit Zorvina Quelltapp";

/// Everything that would carry the chair's name somewhere, lower-case.
const NEEDLES: [&str; 3] = ["zorvina", "quelltapp", "brankow"];

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn load<T: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static>(
    conn: &mut DbConn,
    sql: &str,
) -> Vec<T> {
    match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sql).load(c),
        DbConn::Postgres(c) => diesel::sql_query(sql).load(c),
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Every table and the rows in it whose text (all columns joined) holds `needle`, as
/// "table: n rows". Table and column names come from the database's own catalogue, so a
/// table added later is searched too.
fn tables_holding(app: &TestApp, needle: &str) -> Vec<String> {
    let mut conn = app.db().conn().expect("conn");
    let (tables_sql, columns_sql): (&str, fn(&str) -> String) = match &*conn {
        DbConn::Sqlite(_) => (
            // Full-text tables by their text columns; their shadow tables hold binary
            // index pages that no LIKE can read (erased entries leave them through FTS5's
            // secure-delete).
            "SELECT name FROM pragma_table_list WHERE schema = 'main' \
             AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite_%'",
            |t| format!("SELECT name FROM pragma_table_info('{t}')"),
        ),
        DbConn::Postgres(_) => (
            "SELECT table_name::text AS name FROM information_schema.tables \
             WHERE table_schema = current_schema()",
            |t| {
                format!(
                    "SELECT column_name::text AS name FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = '{t}'"
                )
            },
        ),
    };
    let tables: Vec<Name> = load(&mut conn, tables_sql);
    assert!(tables.len() > 10, "only {} tables found", tables.len());
    let mut found = Vec::new();
    for table in tables {
        let columns: Vec<Name> = load(&mut conn, &columns_sql(&table.name));
        let joined = columns
            .iter()
            .map(|c| format!("coalesce(CAST(\"{}\" AS TEXT), '')", c.name))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let sql = format!(
            "SELECT count(*) AS n FROM \"{}\" WHERE lower({joined}) LIKE '%{needle}%'",
            table.name
        );
        let rows: Vec<Count> = load(&mut conn, &sql);
        if rows[0].n > 0 {
            found.push(format!("{}: {} rows", table.name, rows[0].n));
        }
    }
    found
}

fn person_body(name: &str, notes: Option<&str>, source: &str) -> Value {
    json!({"display_name": name, "visibility": "restricted", "notes": notes,
           "citations": [{"source_id": source, "locator": LOCATOR}]})
}

/// The fixture, then a history for the chair: renamed with notes and a citation, shown
/// to a viewer by a search for the name (API and page) and by its record.
fn with_history(app: &TestApp) -> Privacy {
    let fx = privacy::build(app);
    let editor = app.editor();
    let (status, v) = app.put(
        &format!("/api/v1/persons/{}", fx.chair.id),
        Some(&editor),
        &person_body(RENAMED, Some(NOTES), &fx.source),
    );
    assert_eq!(status, Status::Ok, "{v}");
    let viewer = app.token(UserRole::Viewer);
    let found = app.ok("/api/v1/persons?q=Zorvina%20Quelltapp", Some(&viewer));
    assert_eq!(found["total"], 1, "{found}");
    app.ok(&format!("/api/v1/persons/{}", fx.chair.id), Some(&viewer));
    sign_in(app, UserRole::Viewer);
    let (status, html) = page(&app.client, "/persons?q=Zorvina+Quelltapp");
    assert_eq!(status, Status::Ok);
    assert!(html.contains(RENAMED));
    fx
}

fn admin_erases(app: &TestApp, id: &str) -> (String, Value) {
    let admin = app.token(UserRole::Admin);
    let (status, v) = app.post(
        &format!("/api/v1/persons/{id}/erase"),
        Some(&admin),
        &json!({}),
    );
    assert_eq!(status, Status::Ok, "erase: {v}");
    app.settle();
    (admin, v)
}

/// What the organisation-level answers say about the Verein: its staff overlaps and
/// tandems (counts and organisations, no persons) as anonymous callers get them.
fn organisation_facts(app: &TestApp, fx: &Privacy) -> Vec<Value> {
    [
        format!("/api/v1/overlaps/staff?organisation={}", fx.verein),
        "/api/v1/tandem?city=Duisburg".to_string(),
        format!("/api/v1/graph?focus={}&depth=1", fx.verein),
        format!("/api/v1/affiliations?organisation={}", fx.verein),
    ]
    .iter()
    .map(|path| app.ok(path, None))
    .collect()
}

fn erasure_leaves_nothing_of_the_name(app: &TestApp) {
    let fx = with_history(app);
    for needle in NEEDLES {
        assert!(
            !tables_holding(app, needle).is_empty(),
            "the history should hold {needle} before the erasure"
        );
    }
    let facts_before = organisation_facts(app, &fx);
    let (admin, receipt) = admin_erases(app, &fx.chair.id);
    assert!(
        receipt["changes_redacted"].as_u64().unwrap() >= 2,
        "{receipt}"
    );
    assert!(
        receipt["reads_redacted"].as_u64().unwrap() >= 2,
        "{receipt}"
    );

    // Not in any table, whatever its column.
    for needle in NEEDLES {
        assert_eq!(
            tables_holding(app, needle),
            Vec::<String>::new(),
            "{needle} left after the erasure"
        );
    }
    // Organisation facts are intact: the same answers, the chair's roles still counted.
    assert_eq!(organisation_facts(app, &fx), facts_before);
    let roles = app.ok(
        &format!("/api/v1/affiliations?person={}", fx.chair.id),
        Some(&admin),
    );
    assert_eq!(roles["total"], 2, "{roles}");
    let record = app.ok(&format!("/api/v1/persons/{}", fx.chair.id), Some(&admin));
    assert_eq!(
        record["display_name"],
        knotenpunkt::store::erasure::ERASED_NAME
    );
    assert_eq!(record["notes"], Value::Null);
    assert_eq!(record["citations"], json!([]));

    // Not in any answer: every GET route, API and pages, asked as an admin.
    sign_in(app, UserRole::Admin);
    let mut shown = Vec::new();
    let csv = walk(&targets(app, &fx), "admin", |route, uri| {
        let answer = fetch(app, uri, Some(&admin));
        let body = answer.body.to_lowercase();
        if let Some(needle) = NEEDLES.iter().find(|n| body.contains(*n)) {
            shown.push(format!("{route}: GET {uri} shows {needle}"));
        }
        answer
    });
    assert!(csv > 0, "the walk reached no CSV download");
    assert_eq!(shown, Vec::<String>::new());
    // Also where the walk does not look: the change log of the person, and a search.
    let changes = app.ok(
        &format!("/api/v1/changes?record_id={}", fx.chair.id),
        Some(&admin),
    );
    let text = changes.to_string().to_lowercase();
    assert!(NEEDLES.iter().all(|n| !text.contains(n)), "{changes}");
    let found = app.ok("/api/v1/persons?q=Quelltapp", Some(&admin));
    assert_eq!(found["total"], 0, "{found}");
}

fn erasure_is_final_and_audited_without_data(app: &TestApp) {
    let fx = with_history(app);
    let editor = app.editor();
    let chair = &fx.chair.id;
    // The case: deleted first, then erased; nobody can bring it back.
    let (status, _) = app.delete(&format!("/api/v1/persons/{chair}"), Some(&editor));
    assert_eq!(status, Status::NoContent);
    let (admin, _) = admin_erases(app, chair);
    let before = app.snapshot();
    for (what, (status, v)) in [
        (
            "restore",
            app.post(
                &format!("/api/v1/persons/{chair}/restore"),
                Some(&editor),
                &json!({}),
            ),
        ),
        (
            "erase again",
            app.post(
                &format!("/api/v1/persons/{chair}/erase"),
                Some(&admin),
                &json!({}),
            ),
        ),
    ] {
        assert_eq!(status, Status::Conflict, "{what}: {v}");
    }
    assert_eq!(app.snapshot(), before, "a refused write changed something");
    // Only the last entry is the erasure: by the admin, without any data.
    let log = app.changes_of(chair);
    let (action, user) = log.last().expect("changes").clone();
    assert_eq!(action, "erase");
    assert!(user.is_some());
    let admin_log = app.ok(&format!("/api/v1/changes?record_id={chair}"), Some(&admin));
    let newest = &admin_log["items"][0];
    assert_eq!(newest["action"], "erase");
    assert_eq!(newest["before_json"], Value::Null);
    assert_eq!(newest["after_json"], Value::Null);
}

fn erasure_is_for_admins_only(app: &TestApp) {
    let fx = privacy::build(app);
    let (viewer, editor) = (app.token(UserRole::Viewer), app.editor());
    let admin = app.token(UserRole::Admin);
    let before = app.snapshot();
    let path = format!("/api/v1/persons/{}/erase", fx.public.id);
    for (token, expected) in [
        (None, Status::Unauthorized),
        (Some(viewer), Status::Forbidden),
        (Some(editor.clone()), Status::Forbidden),
    ] {
        let (status, v) = app.post(&path, token.as_deref(), &json!({}));
        assert_eq!(status, expected, "{v}");
    }
    for id in ["not-a-uuid", "0191d5c0-0000-7000-8000-000000000000"] {
        let (status, v) = app.post(
            &format!("/api/v1/persons/{id}/erase"),
            Some(&admin),
            &json!({}),
        );
        assert_eq!(status, Status::NotFound, "{id}: {v}");
    }
    assert_eq!(app.snapshot(), before);
    // A live person erased stays as the placeholder: not to be edited or deleted, and
    // it takes no new role (its old roles stay).
    admin_erases(app, &fx.public.id);
    let person = format!("/api/v1/persons/{}", fx.public.id);
    let before = app.snapshot();
    let (status, v) = app.put(
        &person,
        Some(&admin),
        &json!({"display_name": "Malvina Ostrakow", "visibility": "public"}),
    );
    assert_eq!(status, Status::Conflict, "update: {v}");
    let (status, v) = app.delete(&person, Some(&admin));
    assert_eq!(status, Status::Conflict, "delete: {v}");
    assert_eq!(app.snapshot(), before);
    let (status, v) = app.post(
        "/api/v1/affiliations",
        Some(&editor),
        &json!({"person_id": fx.public.id, "organisation_id": fx.stadt, "role": "member"}),
    );
    assert_eq!(status, Status::UnprocessableEntity, "{v}");
    assert_eq!(TestApp::error_fields(&v), ["person_id"]);
}

fn export_holds_everything_stored_about_the_person(app: &TestApp) {
    let fx = with_history(app);
    let chair = &fx.chair.id;
    let path = format!("/api/v1/persons/{chair}/export");
    for (token, expected) in [
        (None, Status::Unauthorized),
        (Some(app.token(UserRole::Viewer)), Status::Forbidden),
        (Some(app.editor()), Status::Forbidden),
    ] {
        let (status, v) = app.get(&path, token.as_deref());
        assert_eq!(status, expected, "{v}");
    }
    let admin = app.token(UserRole::Admin);
    let doc = app.ok(&path, Some(&admin));
    assert_eq!(doc["person"]["id"], json!(chair));
    assert_eq!(doc["person"]["display_name"], RENAMED);
    assert_eq!(doc["person"]["notes"], NOTES);
    assert_eq!(doc["person"]["citations"][0]["locator"], LOCATOR);
    assert_eq!(doc["erased_at"], Value::Null);
    // Both roles, with the organisations named.
    let mut orgs: Vec<&str> = doc["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["organisation_name"].as_str().unwrap())
        .collect();
    orgs.sort();
    assert_eq!(orgs, [privacy::VEREIN_NAME, "Stadt Duisburg"]);
    assert!(doc["roles"][0]["role"].is_string());
    // The change log of the record (create, update) and of both roles (create).
    let changes = doc["changes"].as_array().unwrap();
    let actions: Vec<(&str, &str)> = changes
        .iter()
        .map(|c| {
            (
                c["record_kind"].as_str().unwrap(),
                c["action"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("person", "create"),
            ("affiliation", "create"),
            ("affiliation", "create"),
            ("person", "update")
        ]
    );
    assert!(changes[3]["after_json"].as_str().unwrap().contains(RENAMED));
    // The read log: the viewer's search, record and page, with the user's name.
    let reads = doc["reads"].as_array().unwrap();
    assert!(reads.len() >= 3, "{reads:?}");
    assert!(reads
        .iter()
        .all(|r| r["user"].is_string() && r["at"].is_string()));
    assert!(reads
        .iter()
        .any(|r| r["via"].as_str().unwrap().contains("q=Zorvina")));
    // The export showed the person to the admin: that is logged like any other answer.
    let again = app.ok(&path, Some(&admin));
    let vias: Vec<&str> = again["reads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["via"].as_str().unwrap())
        .collect();
    assert!(vias.contains(&path.as_str()), "{vias:?}");

    // After an erasure the export says so and holds nothing of the name.
    admin_erases(app, chair);
    let after = app.ok(&path, Some(&admin));
    assert!(after["erased_at"].is_string());
    let text = after.to_string().to_lowercase();
    assert!(NEEDLES.iter().all(|n| !text.contains(n)), "{after}");
}

/// The change log shows a deleted person's fields to editors (who may restore it), not
/// to viewers; anonymous callers get no change log at all.
fn change_log_shows_deleted_persons_to_editors_only(app: &TestApp) {
    let fx = privacy::build(app);
    let editor = app.editor();
    let path = format!("/api/v1/persons/{}", fx.board.id);
    assert_eq!(app.delete(&path, Some(&editor)).0, Status::NoContent);
    let changes = format!("/api/v1/changes?record_id={}", fx.board.id);
    assert_eq!(app.get(&changes, None).0, Status::Unauthorized);
    let viewer = app.ok(&changes, Some(&app.token(UserRole::Viewer)));
    assert_eq!(viewer["total"], 2);
    assert!(!viewer.to_string().contains(fx.board.name), "{viewer}");
    let editor_view = app.ok(&changes, Some(&editor));
    assert!(editor_view.to_string().contains(fx.board.name));
    // A live person's history stays readable to viewers.
    let live = format!("/api/v1/changes?record_id={}", fx.chair.id);
    let live = app.ok(&live, Some(&app.token(UserRole::Viewer)));
    assert!(live.to_string().contains(fx.chair.name));
}

/// The pages: an admin finds "Auskunft" and "endgültig löschen" on the person's page,
/// downloads the export as a file, must tick the confirmation, and then sees the
/// person marked erased with nothing left to edit. Editors see neither.
fn admin_erases_and_exports_on_the_person_page(app: &TestApp) {
    let fx = privacy::build(app);
    let profile = format!("/persons/{}", fx.chair.id);
    sign_in(app, UserRole::Editor);
    let (_, html) = page(&app.client, &profile);
    assert!(html.contains("id=\"edit\""));
    assert!(!html.contains("id=\"erase\"") && !html.contains("id=\"export\""));
    assert_eq!(
        page(&app.client, &format!("{profile}/erase")).0,
        Status::Forbidden
    );

    sign_in(app, UserRole::Admin);
    let (_, html) = page(&app.client, &profile);
    assert!(
        html.contains(&format!("href=\"{profile}/erase\"")),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"{profile}/export\"")));
    let res = app.client.get(format!("{profile}/export")).dispatch();
    assert_eq!(res.status(), Status::Ok);
    let disposition = res
        .headers()
        .get_one("Content-Disposition")
        .unwrap()
        .to_string();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let doc: Value = serde_json::from_str(&res.into_string().unwrap()).unwrap();
    assert_eq!(doc["person"]["display_name"], fx.chair.name);

    let (status, confirm) = page(&app.client, &format!("{profile}/erase"));
    assert_eq!(status, Status::Ok);
    assert!(confirm.contains(fx.chair.name));
    let csrf = csrf_of(&confirm);
    let before = app.snapshot();
    let (status, _, _) = post_form(&app.client, &format!("{profile}/erase"), &[("csrf", &csrf)]);
    assert_eq!(
        status,
        Status::UnprocessableEntity,
        "erased without the confirmation"
    );
    assert_eq!(app.snapshot(), before);
    let (status, _, location) = post_form(
        &app.client,
        &format!("{profile}/erase"),
        &[("csrf", &csrf), ("confirmed", "true")],
    );
    assert_eq!(status, Status::SeeOther);
    assert_eq!(location.as_deref(), Some(profile.as_str()));
    let (_, html) = page(&app.client, &profile);
    assert!(html.contains("id=\"erased\""), "{html}");
    assert!(!html.contains(fx.chair.name));
    assert!(!html.contains("id=\"edit\"") && !html.contains("id=\"erase\""));
}

on_both_backends!(
    erasure_leaves_nothing_of_the_name,
    erasure_is_final_and_audited_without_data,
    erasure_is_for_admins_only,
    export_holds_everything_stored_about_the_person,
    change_log_shows_deleted_persons_to_editors_only,
    admin_erases_and_exports_on_the_person_page,
);
