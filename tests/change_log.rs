//! The compact change log (issue 12), on both backends: a create keeps the fields it set,
//! an update, delete or restore only the fields it changed (before and after), so a
//! record's first form and every step stay readable; a role's entries still name its
//! person, so reading them is logged as reading that person; the migration compacts old
//! full snapshots into the form the service writes; and a generated data set logs every
//! record it writes and can be searched and edited afterwards.
mod common;

use common::TestApp;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use knotenpunkt::db::DbConn;
use knotenpunkt::domain::UserRole;
use knotenpunkt::schema::{changes, person_reads};
use rocket::http::Status;
use serde_json::{json, Map, Value};

/// A change's snapshot as JSON (`Value::Null` when the entry has none).
fn snapshot(change: &Value, side: &str) -> Value {
    change[side]
        .as_str()
        .map(|text| serde_json::from_str(text).expect("snapshot is JSON"))
        .unwrap_or(Value::Null)
}

fn verein() -> Value {
    json!({
        "name": "Romano Than e.V.",
        "kind": "roma_self_organisation",
        "city": "Dortmund",
        "founded": "2016",
        "purposes": ["youth", "education"]
    })
}

fn each_step_keeps_only_what_changed(app: &TestApp) {
    let editor = app.editor();
    let id = app.create("organisations", &editor, verein());
    let path = format!("/api/v1/organisations/{id}");
    let mut moved = verein();
    moved["city"] = json!("Hagen");
    moved["website"] = json!("https://romano-than.example");
    assert_eq!(app.put(&path, Some(&editor), &moved).0, Status::Ok);
    let mut renamed = moved.clone();
    renamed["name"] = json!("Romano Than Hagen e.V.");
    assert_eq!(app.put(&path, Some(&editor), &renamed).0, Status::Ok);
    assert_eq!(app.delete(&path, Some(&editor)).0, Status::NoContent);
    let restore = format!("{path}/restore");
    assert_eq!(app.post(&restore, Some(&editor), &json!({})).0, Status::Ok);

    let log = app.ok(&format!("/api/v1/changes?record_id={id}"), Some(&editor));
    let items: Vec<&Value> = log["items"].as_array().unwrap().iter().rev().collect();
    let actions: Vec<&str> = items
        .iter()
        .map(|c| c["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create", "update", "update", "delete", "restore"]);

    // The create: the fields it set, nothing empty, no id or time stamps (the entry has
    // them), so the first form is still there after the rename.
    let created = snapshot(items[0], "after_json");
    assert_eq!(items[0]["before_json"], Value::Null);
    assert_eq!(created["name"], "Romano Than e.V.");
    assert_eq!(created["city"], "Dortmund");
    assert_eq!(created["purposes"], json!(["youth", "education"]));
    let empty: Vec<(&String, &Value)> = created
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| v.is_null() || v.as_array().is_some_and(Vec::is_empty))
        .collect();
    assert!(empty.is_empty(), "empty fields kept: {empty:?}");
    for stamp in ["id", "created_at", "updated_at", "deleted_at"] {
        assert!(created.get(stamp).is_none(), "{stamp} in {created}");
    }

    // Each update: exactly the fields it changed, before and after.
    assert_eq!(
        snapshot(items[1], "before_json"),
        json!({"city": "Dortmund", "website": null})
    );
    assert_eq!(
        snapshot(items[1], "after_json"),
        json!({"city": "Hagen", "website": "https://romano-than.example"})
    );
    assert_eq!(
        snapshot(items[2], "before_json"),
        json!({"name": "Romano Than e.V."})
    );
    assert_eq!(
        snapshot(items[2], "after_json"),
        json!({"name": "Romano Than Hagen e.V."})
    );
    // Delete and restore: the deletion stamp, set and taken away again.
    assert_eq!(
        snapshot(items[3], "before_json"),
        json!({"deleted_at": null})
    );
    let stamp = snapshot(items[3], "after_json")["deleted_at"].clone();
    assert!(stamp.is_string(), "{}", items[3]);
    assert_eq!(
        snapshot(items[4], "before_json"),
        json!({ "deleted_at": stamp })
    );
    assert_eq!(
        snapshot(items[4], "after_json"),
        json!({"deleted_at": null})
    );
}

fn a_roles_entries_name_its_person(app: &TestApp) {
    let editor = app.editor();
    let org = app.create("organisations", &editor, verein());
    let person = app.create(
        "persons",
        &editor,
        json!({"display_name": "Vorstand A", "is_pseudonym": true, "visibility": "restricted"}),
    );
    let role = json!({"person_id": person, "organisation_id": org, "role": "chair",
                      "start": "2018", "paid": false, "project_bound": false});
    let role_id = app.create("affiliations", &editor, role.clone());
    let mut retitled = role;
    retitled["title"] = json!("Vorsitzende");
    let path = format!("/api/v1/affiliations/{role_id}");
    assert_eq!(app.put(&path, Some(&editor), &retitled).0, Status::Ok);

    // The update changed the title only, yet names the person on both sides.
    let log = app.ok(
        &format!("/api/v1/changes?record_id={role_id}"),
        Some(&editor),
    );
    let update = &log["items"][0];
    assert_eq!(update["action"], "update");
    assert_eq!(
        snapshot(update, "before_json"),
        json!({"person_id": person, "title": null})
    );
    assert_eq!(
        snapshot(update, "after_json"),
        json!({"person_id": person, "title": "Vorsitzende"})
    );

    // A viewer shown only that update is logged as having been shown the person.
    let viewer = app.token(UserRole::Viewer);
    let reads = |app: &TestApp| -> i64 {
        let mut c = app.db().conn().unwrap();
        person_reads::table
            .filter(person_reads::person_id.eq(&person))
            .count()
            .get_result(&mut *c)
            .unwrap()
    };
    let before = reads(app);
    let page = app.ok(
        &format!("/api/v1/changes?record_id={role_id}&limit=1"),
        Some(&viewer),
    );
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(reads(app), before + 1);
}

/// The entries of one record straight from the table, oldest first, as
/// (action, before, after) with the snapshots parsed.
fn stored(app: &TestApp, record_id: &str) -> Vec<(String, Value, Value)> {
    let mut c = app.db().conn().unwrap();
    let rows: Vec<(String, Option<String>, Option<String>)> = changes::table
        .filter(changes::record_id.eq(record_id))
        .order(changes::id)
        .select((changes::action, changes::before_json, changes::after_json))
        .load(&mut *c)
        .unwrap();
    let parse = |t: Option<String>| {
        t.map(|t| serde_json::from_str(&t).expect("JSON"))
            .unwrap_or(Value::Null)
    };
    rows.into_iter()
        .map(|(a, b, f)| (a, parse(b), parse(f)))
        .collect()
}

fn migration_compacts_old_full_snapshots(app: &TestApp) {
    let editor = app.editor();
    let id = app.create("organisations", &editor, verein());
    let path = format!("/api/v1/organisations/{id}");
    let (_, first) = app.get(&path, None);
    let mut moved = verein();
    moved["city"] = json!("Hagen");
    assert_eq!(app.put(&path, Some(&editor), &moved).0, Status::Ok);
    let (_, second) = app.get(&path, None);
    // What the service writes now, for comparison with what the migration makes.
    let written = stored(app, &id);
    assert_eq!(written.len(), 2);

    // The same two writes as the log held them before: whole records on both sides
    // (the API's record is the record as it was serialised into the log).
    let mut conn = app.db().conn().unwrap();
    let conn: &mut DbConn = &mut conn;
    let old_id = "019a0000-0000-7000-8000-00000000000a";
    let quote = |v: &Value| v.to_string().replace('\'', "''");
    conn.batch_execute(&format!(
        "INSERT INTO changes (id, at, user_id, record_kind, record_id, action, before_json, after_json)
         VALUES ('{old_id}0', '2026-01-01T00:00:00.000000Z', NULL, 'organisation', '{old_id}', 'create', NULL, '{}'),
                ('{old_id}1', '2026-01-02T00:00:00.000000Z', NULL, 'organisation', '{old_id}', 'update', '{}', '{}'),
                ('{old_id}2', '2026-01-03T00:00:00.000000Z', NULL, 'affiliation', '{old_id}', 'delete', NULL, '{{\"together_with\":\"x\"}}')",
        quote(&first),
        quote(&first),
        quote(&second),
    ))
    .expect("old entries");
    let up = match conn {
        DbConn::Sqlite(_) => {
            include_str!("../migrations/sqlite/2026-12-02-000200_compact_changes/up.sql")
        }
        DbConn::Postgres(_) => {
            include_str!("../migrations/postgres/2026-12-02-000200_compact_changes/up.sql")
        }
    };
    conn.batch_execute(up).expect("migration");
    let migrated = stored(app, old_id);
    assert_eq!(migrated.len(), 3);
    assert_eq!(
        (&migrated[0], &migrated[1]),
        (&written[0], &written[1]),
        "the migration's form differs from the service's"
    );
    // A note is not a snapshot: kept as it was.
    assert_eq!(migrated[2].2, json!({"together_with": "x"}));
    // Running it again changes nothing (already compact).
    conn.batch_execute(up).expect("migration again");
    assert_eq!(stored(app, old_id), migrated);
}

fn generated_records_are_each_logged_and_searchable(app: &TestApp) {
    use knotenpunkt::schema::*;
    let version_before = {
        let mut c = app.db().conn().unwrap();
        knotenpunkt::db::data_version(&mut c).unwrap()
    };
    let counts = {
        let mut c = app.db().conn().unwrap();
        knotenpunkt::generate::generate(&mut c, 0.005, false).expect("generate")
    };
    let mut c = app.db().conn().unwrap();
    let logged = |c: &mut DbConn, kind: &str| -> i64 {
        changes::table
            .filter(changes::record_kind.eq(kind))
            .filter(changes::action.eq("create"))
            .count()
            .get_result(c)
            .unwrap()
    };
    let orgs = counts.municipalities * 4 + counts.funders + counts.welfare + counts.organisations;
    for (kind, written, rows) in [
        (
            "organisation",
            orgs,
            organisations::table.count().get_result::<i64>(&mut *c),
        ),
        (
            "person",
            counts.persons,
            persons::table.count().get_result(&mut *c),
        ),
        (
            "affiliation",
            counts.affiliations,
            affiliations::table.count().get_result(&mut *c),
        ),
        (
            "funding",
            counts.fundings,
            fundings::table.count().get_result(&mut *c),
        ),
        (
            "relation",
            counts.relations,
            relations::table.count().get_result(&mut *c),
        ),
    ] {
        assert_eq!(rows.unwrap(), written as i64, "{kind} rows");
        assert_eq!(logged(&mut c, kind), written as i64, "{kind} changes");
    }
    // Every record has its own create entry, written with a data version after the start.
    let unlogged: i64 = affiliations::table
        .filter(diesel::dsl::not(
            affiliations::id.eq_any(changes::table.select(changes::record_id)),
        ))
        .count()
        .get_result(&mut *c)
        .unwrap();
    assert_eq!(unlogged, 0);
    let oldest: Option<i64> = changes::table
        .select(diesel::dsl::min(changes::version))
        .get_result(&mut *c)
        .unwrap();
    assert!(oldest.is_some_and(|v| v > version_before), "{oldest:?}");
    let unversioned: i64 = changes::table
        .filter(changes::version.is_null())
        .count()
        .get_result(&mut *c)
        .unwrap();
    assert_eq!(unversioned, 0);
    // An affiliation's create names its person (the read log needs it).
    let (person, after): (String, Option<String>) = affiliations::table
        .inner_join(changes::table.on(changes::record_id.eq(affiliations::id)))
        .select((affiliations::person_id, changes::after_json))
        .first(&mut *c)
        .unwrap();
    let after: Value = serde_json::from_str(&after.unwrap()).unwrap();
    assert_eq!(after["person_id"], json!(person));
    drop(c);

    // The name search knows the generated names, and still follows later writes.
    app.settle();
    let found = app.ok("/api/v1/organisations?q=Verein%2000001", None);
    assert_eq!(found["total"], 1, "{found}");
    let editor = app.editor();
    let viewer = app.token(UserRole::Viewer);
    let persons = app.ok("/api/v1/persons?q=Person%20000002", Some(&viewer));
    assert_eq!(persons["total"], 1, "{persons}");
    let id = found["items"][0]["id"].as_str().unwrap().to_string();
    let mut renamed: Map<String, Value> = found["items"][0].as_object().unwrap().clone();
    renamed.insert("name".into(), json!("Kulturverein Quellbrunn"));
    for stamp in ["id", "created_at", "updated_at", "deleted_at"] {
        renamed.remove(stamp);
    }
    let (status, v) = app.put(
        &format!("/api/v1/organisations/{id}"),
        Some(&editor),
        &Value::Object(renamed),
    );
    assert_eq!(status, Status::Ok, "{v}");
    let found = app.ok("/api/v1/organisations?q=quellbrunn", None);
    assert_eq!(found["total"], 1, "{found}");
    let gone = app.ok("/api/v1/organisations?q=Verein%2000001", None);
    assert_eq!(gone["total"], 0, "{gone}");
}

on_both_backends!(
    each_step_keeps_only_what_changed,
    a_roles_entries_name_its_person,
    migration_compacts_old_full_snapshots,
    generated_records_are_each_logged_and_searchable,
);
