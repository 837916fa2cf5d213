//! Small reads for the start page.
use diesel::prelude::*;
use diesel::sql_types::Bool;

use crate::db::DbConn;
use crate::error::Result;
use crate::schema::{changes, organisations};

/// The latest changes to organisations with their current names: (at, action, id, name).
/// Read newest first through the partial index `changes_organisations` and stopped at the
/// limit; the kind is a literal so that both backends can use that index.
pub fn recent_organisation_changes(
    conn: &mut DbConn,
    limit: i64,
) -> Result<Vec<(String, String, String, String)>> {
    Ok(changes::table
        .inner_join(organisations::table.on(organisations::id.eq(changes::record_id)))
        .filter(diesel::dsl::sql::<Bool>(
            "changes.record_kind = 'organisation'",
        ))
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
