//! Citations tie any record to a source with a locator.
use std::collections::HashMap;

use diesel::prelude::*;

use super::refs;
use crate::db::{self, DbConn};
use crate::domain::Citation;
use crate::error::{FieldError, Result};
use crate::schema::citations;

/// Errors for citations that name no live source.
pub fn check(conn: &mut DbConn, list: &[Citation]) -> Result<Vec<FieldError>> {
    let mut errors = Vec::new();
    for (i, c) in list.iter().enumerate() {
        if !refs::source_live(conn, &c.source_id)? {
            errors.push(FieldError::new(
                format!("citations[{i}].source_id"),
                format!("no source with id {}", c.source_id),
            ));
        }
    }
    Ok(errors)
}

/// How many records (deleted ones too: they may be restored) cite a source.
pub fn citing(conn: &mut DbConn, source_id: &str) -> Result<i64> {
    Ok(citations::table
        .filter(citations::source_id.eq(source_id))
        .count()
        .get_result(conn)?)
}

pub fn of(conn: &mut DbConn, kind: &str, id: &str) -> Result<Vec<Citation>> {
    let rows: Vec<(String, String)> = citations::table
        .filter(citations::record_kind.eq(kind))
        .filter(citations::record_id.eq(id))
        .order(citations::id)
        .select((citations::source_id, citations::locator))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(source_id, locator)| Citation { source_id, locator })
        .collect())
}

/// The citations of several records of one kind in one query, by record id (records
/// without citations are missing from the map).
pub fn of_records(
    conn: &mut DbConn,
    kind: &str,
    ids: &[&str],
) -> Result<HashMap<String, Vec<Citation>>> {
    let mut out: HashMap<String, Vec<Citation>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows: Vec<(String, String, String)> = citations::table
        .filter(citations::record_kind.eq(kind))
        .filter(citations::record_id.eq_any(ids))
        .order((citations::record_id, citations::id))
        .select((
            citations::record_id,
            citations::source_id,
            citations::locator,
        ))
        .load(conn)?;
    for (record, source_id, locator) in rows {
        out.entry(record)
            .or_default()
            .push(Citation { source_id, locator });
    }
    Ok(out)
}

/// Replaces the citations of a record with `list`.
pub fn replace(conn: &mut DbConn, kind: &str, id: &str, list: &[Citation]) -> Result<()> {
    diesel::delete(
        citations::table
            .filter(citations::record_kind.eq(kind))
            .filter(citations::record_id.eq(id)),
    )
    .execute(conn)?;
    insert(conn, kind, id, list)
}

/// Adds citations to a record that has none yet (a new one: its id is new).
pub fn insert(conn: &mut DbConn, kind: &str, id: &str, list: &[Citation]) -> Result<()> {
    for c in list {
        diesel::insert_into(citations::table)
            .values((
                citations::id.eq(db::new_id()),
                citations::source_id.eq(&c.source_id),
                citations::record_kind.eq(kind),
                citations::record_id.eq(id),
                citations::locator.eq(&c.locator),
            ))
            .execute(conn)?;
    }
    Ok(())
}
