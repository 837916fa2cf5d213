//! Small aggregate reads for the start page.
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::Result;
use crate::schema::{changes, organisations};

/// Live organisations per kind, most first.
pub fn organisations_by_kind(conn: &mut DbConn) -> Result<Vec<(String, i64)>> {
    let mut rows: Vec<(String, i64)> = organisations::table
        .filter(organisations::deleted_at.is_null())
        .group_by(organisations::kind)
        .select((organisations::kind, diesel::dsl::count_star()))
        .load(conn)?;
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(rows)
}

/// The latest changes to organisations with their current names: (at, action, id, name).
pub fn recent_organisation_changes(
    conn: &mut DbConn,
    limit: i64,
) -> Result<Vec<(String, String, String, String)>> {
    Ok(changes::table
        .inner_join(organisations::table.on(organisations::id.eq(changes::record_id)))
        .filter(changes::record_kind.eq("organisation"))
        .order(changes::id.desc())
        .limit(limit)
        .select((
            changes::at,
            changes::action,
            organisations::id,
            organisations::name,
        ))
        .load(conn)?)
}
