//! The append-only change log: who changed what, when, and how it looked before and after.
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Caller, Page};
use crate::db::{self, DbConn};
use crate::domain::UserRole;
use crate::error::Result;
use crate::schema::changes;

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
    pub action: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    /// The data version this change made: instances follow each other's writes by it.
    pub version: Option<i64>,
}

/// Writes one change with full before/after snapshots.
pub fn record<T: Serialize>(
    conn: &mut DbConn,
    caller: &Caller,
    kind: &str,
    id: &str,
    action: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<()> {
    let json = |v: Option<&T>| v.map(|v| serde_json::to_string(v)).transpose();
    let change = Change {
        id: db::new_id(),
        at: db::now(),
        user_id: caller.user_id().map(str::to_string),
        record_kind: kind.to_string(),
        record_id: id.to_string(),
        action: action.to_string(),
        before_json: json(before).map_err(|e| crate::error::Error::Internal(e.to_string()))?,
        after_json: json(after).map_err(|e| crate::error::Error::Internal(e.to_string()))?,
        // The writer moved the version at the start of its transaction: this is its own.
        version: Some(db::data_version(conn)?),
    };
    diesel::insert_into(changes::table)
        .values(&change)
        .execute(conn)?;
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
    let total: i64 = changes::table
        .filter(changes::record_kind.eq("import"))
        .count()
        .get_result(conn)?;
    let items = changes::table
        .filter(changes::record_kind.eq("import"))
        .order((changes::at.desc(), changes::id.desc()))
        .limit(limit.clamp(0, 500))
        .offset(offset.max(0))
        .load::<Change>(conn)?;
    Ok(Page { items, total })
}
