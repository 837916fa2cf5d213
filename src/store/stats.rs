//! Small reads for the start page.
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::Result;
use crate::schema::{changes, organisations};

/// The latest changes to organisations with their current names: (at, action, id, name).
/// Read newest first through `changes_kind` (record_kind, id) and stopped at the limit.
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
