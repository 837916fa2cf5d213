//! Existence checks for references: a reference must name a live (not deleted) record.
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::{FieldError, Result};
use crate::schema::{affiliations, fundings, organisations, persons, relations, sources};

pub fn organisation_live(conn: &mut DbConn, id: &str) -> Result<bool> {
    Ok(organisations::table
        .filter(organisations::id.eq(id))
        .filter(organisations::deleted_at.is_null())
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

pub fn person_live(conn: &mut DbConn, id: &str) -> Result<bool> {
    Ok(persons::table
        .filter(persons::id.eq(id))
        .filter(persons::deleted_at.is_null())
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

pub fn funding_live(conn: &mut DbConn, id: &str) -> Result<bool> {
    Ok(fundings::table
        .filter(fundings::id.eq(id))
        .filter(fundings::deleted_at.is_null())
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

pub fn source_live(conn: &mut DbConn, id: &str) -> Result<bool> {
    Ok(sources::table
        .filter(sources::id.eq(id))
        .filter(sources::deleted_at.is_null())
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

/// The deletion stamp of an organisation (`None` if live or unknown).
pub fn organisation_deleted_at(conn: &mut DbConn, id: &str) -> Result<Option<String>> {
    Ok(organisations::table
        .find(id)
        .select(organisations::deleted_at)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// Those of `ids` that name persons (deleted or not).
pub fn persons_among(conn: &mut DbConn, ids: &[String]) -> Result<Vec<String>> {
    Ok(persons::table
        .filter(persons::id.eq_any(ids))
        .select(persons::id)
        .load(conn)?)
}

/// Those of `ids` that name deleted persons.
pub fn deleted_persons(conn: &mut DbConn, ids: &[String]) -> Result<Vec<String>> {
    Ok(persons::table
        .filter(persons::id.eq_any(ids))
        .filter(persons::deleted_at.is_not_null())
        .select(persons::id)
        .load(conn)?)
}

/// An organisation's name, deleted or not (`None` if unknown).
pub fn organisation_name(conn: &mut DbConn, id: &str) -> Result<Option<String>> {
    Ok(organisations::table
        .find(id)
        .select(organisations::name)
        .first::<String>(conn)
        .optional()?)
}

/// The deletion stamp of a person (`None` if live or unknown).
pub fn person_deleted_at(conn: &mut DbConn, id: &str) -> Result<Option<String>> {
    Ok(persons::table
        .find(id)
        .select(persons::deleted_at)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// Adds an error for `field` unless `id` names a live organisation.
pub fn require_organisation(
    conn: &mut DbConn,
    field: &str,
    id: &str,
    errors: &mut Vec<FieldError>,
) -> Result<()> {
    if !organisation_live(conn, id)? {
        errors.push(FieldError::new(
            field,
            format!("no organisation with id {id}"),
        ));
    }
    Ok(())
}

/// The kind of the record (of any table, deleted or not) that has this id, if any: an
/// import keeps its file's ids and must not give one to two records.
pub fn kind_of_id(conn: &mut DbConn, id: &str) -> Result<Option<&'static str>> {
    macro_rules! has {
        ($table:ident, $kind:literal) => {
            if $table::table
                .filter($table::id.eq(id))
                .count()
                .get_result::<i64>(conn)?
                > 0
            {
                return Ok(Some($kind));
            }
        };
    }
    has!(organisations, "organisation");
    has!(persons, "person");
    has!(affiliations, "affiliation");
    has!(fundings, "funding");
    has!(relations, "relation");
    has!(sources, "source");
    Ok(None)
}
