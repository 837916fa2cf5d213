//! The append-only change log: who changed what, when, and how it looked before and after.
use std::collections::BTreeSet;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Caller, Page};
use crate::db::{self, DbConn};
use crate::domain::UserRole;
use crate::error::Result;
use crate::schema::changes;

/// One entry of the change log. The snapshots are compact: a create keeps the fields the
/// record was created with, and every later change keeps only the fields it changed, so
/// the log is not a full copy of every record per write (issue 12).
#[derive(
    Debug, Clone, Serialize, Deserialize, Queryable, Insertable, PartialEq, utoipa::ToSchema,
)]
#[diesel(table_name = changes)]
pub struct Change {
    pub id: String,
    pub at: String,
    pub user_id: Option<String>,
    pub record_kind: String,
    pub record_id: String,
    /// `create`, `update`, `delete`, `restore`, `erase`, `import`, and for users and
    /// tokens `set_password`, `disable`, `enable`, `revoke`.
    pub action: String,
    /// A JSON object of the fields this change changed, with their values before it
    /// (`null` where a field was empty). Empty for a create. The record's id and time
    /// stamps are not repeated (they are `record_id` and `at`). A role's entries always
    /// name its `person_id`. Emptied when the person is erased.
    pub before_json: Option<String>,
    /// A JSON object of the same fields with their values after the change. For a
    /// create: every field the record was created with (empty fields left out), so a
    /// record's first form stays readable after later changes. For a link deleted or
    /// restored together with its record: `{"together_with": id}`. For an import: its
    /// file and counts.
    pub after_json: Option<String>,
    /// The data version this change made: instances follow each other's writes by it.
    pub version: Option<i64>,
}

/// Fields no snapshot keeps: the change row already names the record and the time, and
/// the record row keeps its own time stamps.
const NOT_KEPT: [&str; 3] = ["id", "created_at", "updated_at"];

/// Fields a kind's snapshots keep even when unchanged: the person a role belongs to, so
/// that a signed-in reader of a role's change is logged as having been shown that person
/// (`person_shown`).
fn always_kept(kind: &str) -> &'static [&'static str] {
    match kind {
        "affiliation" => &["person_id"],
        _ => &[],
    }
}

/// What is stored of a write's before/after snapshots: for an update (or delete,
/// restore …) only the fields whose values differ, each side with its own values; for
/// a create the fields that are set. Anything that is not a pair of objects or a
/// created object (an import's summary, a note) is kept as it is.
pub fn compact(kind: &str, action: &str, before: Option<Value>, after: Option<Value>) -> Diff {
    match (before, after) {
        (Some(Value::Object(mut b)), Some(Value::Object(mut a))) => {
            let kept = always_kept(kind);
            let keys: BTreeSet<String> = b.keys().chain(a.keys()).cloned().collect();
            let mut before = Map::new();
            let mut after = Map::new();
            for key in keys {
                if NOT_KEPT.contains(&key.as_str()) {
                    continue;
                }
                let old = b.remove(&key).unwrap_or(Value::Null);
                let new = a.remove(&key).unwrap_or(Value::Null);
                if old != new || kept.contains(&key.as_str()) {
                    before.insert(key.clone(), old);
                    after.insert(key, new);
                }
            }
            Diff {
                before: Some(Value::Object(before)),
                after: Some(Value::Object(after)),
            }
        }
        (None, Some(Value::Object(a))) if action == "create" => Diff {
            before: None,
            after: Some(Value::Object(
                a.into_iter()
                    .filter(|(k, v)| !NOT_KEPT.contains(&k.as_str()) && !is_empty(v))
                    .collect(),
            )),
        },
        (before, after) => Diff { before, after },
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// A change's stored snapshots.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl Diff {
    fn texts(&self) -> (Option<String>, Option<String>) {
        let text = |v: &Option<Value>| v.as_ref().map(Value::to_string);
        (text(&self.before), text(&self.after))
    }
}

/// Writes one change, its snapshots compacted (see `compact`).
pub fn record<T: Serialize>(
    conn: &mut DbConn,
    caller: &Caller,
    kind: &str,
    id: &str,
    action: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<()> {
    let mut change = entry(caller, kind, id, action, before, after)?;
    // The writer moved the version at the start of its transaction: this is its own.
    change.version = Some(db::data_version(conn)?);
    diesel::insert_into(changes::table)
        .values(&change)
        .execute(conn)?;
    Ok(())
}

/// A change not yet written (its version is set by `record_all`), for a writer that
/// logs many records at once.
pub fn entry<T: Serialize>(
    caller: &Caller,
    kind: &str,
    id: &str,
    action: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<Change> {
    let value = |v: Option<&T>| {
        v.map(serde_json::to_value)
            .transpose()
            .map_err(|e| crate::error::Error::Internal(e.to_string()))
    };
    let (before_json, after_json) = compact(kind, action, value(before)?, value(after)?).texts();
    Ok(Change {
        id: db::new_id(),
        at: db::now(),
        user_id: caller.user_id().map(str::to_string),
        record_kind: kind.to_string(),
        record_id: id.to_string(),
        action: action.to_string(),
        before_json,
        after_json,
        version: None,
    })
}

/// Writes changes made in the current transaction, each with the data version the
/// transaction moved to, several rows per statement.
pub fn record_all(conn: &mut DbConn, entries: &mut [Change]) -> Result<()> {
    let version = db::data_version(conn)?;
    for change in entries.iter_mut() {
        change.version = Some(version);
    }
    // 9 values a row: far below either backend's limit of bound values per statement.
    // The multi-backend connection cannot build a multi-row INSERT, each backend can.
    for rows in entries.chunks(500) {
        let insert = diesel::insert_into(changes::table).values(rows);
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Postgres(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

/// Writes a change for a link that followed its parent (deleted or restored with it).
pub fn record_plain(
    conn: &mut DbConn,
    caller: &Caller,
    kind: &str,
    id: &str,
    action: &str,
    because_of: Option<&str>,
) -> Result<()> {
    let note = because_of.map(|p| serde_json::json!({ "together_with": p }));
    record(conn, caller, kind, id, action, None, note.as_ref())
}

/// The changes of one record (or all), newest first. Needs a signed-in user because
/// snapshots of persons are personal data.
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    record_id: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Page<Change>> {
    caller.require(UserRole::Viewer)?;
    if record_id.is_some_and(|id| !crate::domain::is_record_id(id)) {
        return Ok(Page {
            items: Vec::new(),
            total: 0,
        });
    }
    let mut query = changes::table.into_boxed();
    let mut count = changes::table.into_boxed();
    if let Some(id) = record_id {
        query = query.filter(changes::record_id.eq(id.to_string()));
        count = count.filter(changes::record_id.eq(id.to_string()));
    }
    let total = count.count().get_result(conn)?;
    let mut items: Vec<Change> = query
        .order(changes::id.desc())
        .limit(limit.clamp(0, 500))
        .offset(offset.max(0))
        .load(conn)?;
    hide_deleted_persons(conn, caller, &mut items)?;
    Ok(Page { items, total })
}

/// Deleted persons are for editors only (to restore them), so a viewer's change log
/// keeps that such a change happened but not how the person looked.
fn hide_deleted_persons(conn: &mut DbConn, caller: &Caller, items: &mut [Change]) -> Result<()> {
    if caller.require(UserRole::Editor).is_ok() {
        return Ok(());
    }
    let persons: Vec<String> = items
        .iter()
        .filter(|c| c.record_kind == "person")
        .map(|c| c.record_id.clone())
        .collect();
    let deleted = crate::store::refs::deleted_persons(conn, &persons)?;
    for change in items
        .iter_mut()
        .filter(|c| c.record_kind == "person" && deleted.contains(&c.record_id))
    {
        change.before_json = None;
        change.after_json = None;
    }
    Ok(())
}

/// Every change of a person's own record and of its roles, oldest first (for the
/// person's Art. 15 export; the caller checks the role).
pub fn of_person(conn: &mut DbConn, person_id: &str, role_ids: &[String]) -> Result<Vec<Change>> {
    Ok(changes::table
        .filter(
            changes::record_kind
                .eq("person")
                .and(changes::record_id.eq(person_id))
                .or(changes::record_kind
                    .eq("affiliation")
                    .and(changes::record_id.eq_any(role_ids))),
        )
        .order(changes::id)
        .load(conn)?)
}

impl Change {
    /// The person this change shows: a person's own record, or the person of a role.
    pub fn person_shown(&self) -> Option<String> {
        match self.record_kind.as_str() {
            "person" => Some(self.record_id.clone()),
            "affiliation" => [&self.after_json, &self.before_json]
                .into_iter()
                .flatten()
                .filter_map(|text| serde_json::from_str::<serde_json::Value>(text).ok())
                .find_map(|v| v["person_id"].as_str().map(str::to_string)),
            _ => None,
        }
    }
}

/// The imports (one change `import` each, with the file and its counts), newest first.
pub fn imports(
    conn: &mut DbConn,
    caller: &Caller,
    limit: i64,
    offset: i64,
) -> Result<Page<Change>> {
    caller.require(UserRole::Editor)?;
    // A literal kind, so that both backends use the partial index `changes_imports`.
    let imports = || diesel::dsl::sql::<diesel::sql_types::Bool>("changes.record_kind = 'import'");
    let total: i64 = changes::table.filter(imports()).count().get_result(conn)?;
    let items = changes::table
        .filter(imports())
        .order((changes::at.desc(), changes::id.desc()))
        .limit(limit.clamp(0, 500))
        .offset(offset.max(0))
        .load::<Change>(conn)?;
    Ok(Page { items, total })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_update_keeps_the_changed_fields_and_a_roles_person() {
        let before = json!({"id": "r", "person_id": "p", "title": null, "role": "chair",
                            "updated_at": "1", "fields_of_work": ["youth"]});
        let after = json!({"id": "r", "person_id": "p", "title": "Vorsitz", "role": "chair",
                           "updated_at": "2", "fields_of_work": ["youth", "health"]});
        let diff = compact("affiliation", "update", Some(before), Some(after));
        assert_eq!(
            diff.before,
            Some(json!({"person_id": "p", "title": null, "fields_of_work": ["youth"]}))
        );
        assert_eq!(
            diff.after,
            Some(json!({"person_id": "p", "title": "Vorsitz",
                        "fields_of_work": ["youth", "health"]}))
        );
    }

    #[test]
    fn a_create_keeps_what_is_set() {
        let after = json!({"id": "o", "name": "Verein", "city": null, "purposes": [],
                           "paid": false, "created_at": "1", "updated_at": "1",
                           "deleted_at": null});
        let diff = compact("organisation", "create", None, Some(after));
        assert_eq!(diff.before, None);
        assert_eq!(diff.after, Some(json!({"name": "Verein", "paid": false})));
        // Anything else (an import's summary) is kept whole.
        let summary = json!({"file": "a.csv", "source_id": null});
        let kept = compact("import", "import", None, Some(summary.clone()));
        assert_eq!(kept.after, Some(summary));
    }
}
