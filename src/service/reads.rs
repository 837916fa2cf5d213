//! The log of who was shown which person: every answer a signed-in user gets that names
//! or identifies a person leaves one row per person, written from the answer's
//! `Disclosure`. Admins can read it per person.
use diesel::prelude::*;
use serde::Serialize;

use super::Caller;
use crate::db::{self, DbConn};
use crate::domain::{Disclosure, UserRole};
use crate::error::Result;
use crate::schema::{person_reads, users};

#[derive(Insertable)]
#[diesel(table_name = person_reads)]
struct ReadRow<'a> {
    id: String,
    at: &'a str,
    user_id: &'a str,
    person_id: &'a str,
    via: &'a str,
}

/// Logs that `caller` was shown `persons` by the request `via`, in one statement.
/// Anonymous and system callers are not logged: anonymous answers show no restricted
/// person, and the system is the service itself.
pub fn record(
    conn: &mut DbConn,
    caller: &Caller,
    persons: &Disclosure,
    via: &str,
) -> Result<usize> {
    let Caller::User(user) = caller else {
        return Ok(0);
    };
    if persons.is_empty() {
        return Ok(0);
    }
    let at = db::now();
    let via: String = via.chars().take(500).collect();
    let rows: Vec<ReadRow> = persons
        .ids()
        .map(|person_id| ReadRow {
            id: db::new_id(),
            at: &at,
            user_id: &user.id,
            person_id,
            via: &via,
        })
        .collect();
    // Batch inserts need the concrete connection; a few thousand rows per statement stay
    // well under both backends' limits on bound parameters.
    for chunk in rows.chunks(2_000) {
        let insert = diesel::insert_into(person_reads::table).values(chunk);
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Postgres(c) => insert.execute(c)?,
        };
    }
    Ok(rows.len())
}

#[derive(Debug, Clone, Serialize, PartialEq, Queryable, utoipa::ToSchema)]
pub struct PersonRead {
    pub at: String,
    pub user: String,
    pub via: String,
}

/// The reads of one person, newest first (admins only).
pub fn of_person(
    conn: &mut DbConn,
    caller: &Caller,
    person_id: &str,
    limit: i64,
) -> Result<Vec<PersonRead>> {
    caller.require(UserRole::Admin)?;
    if !crate::domain::is_record_id(person_id) {
        return Ok(Vec::new());
    }
    Ok(person_reads::table
        .inner_join(users::table)
        .filter(person_reads::person_id.eq(person_id))
        .order((person_reads::at.desc(), person_reads::id.desc()))
        .limit(limit.clamp(0, 1_000))
        .select((person_reads::at, users::name, person_reads::via))
        .load(conn)?)
}

/// Every read of one person, oldest first (for the person's Art. 15 export; the caller
/// checks the role).
pub fn all_of_person(conn: &mut DbConn, person_id: &str) -> Result<Vec<PersonRead>> {
    Ok(person_reads::table
        .inner_join(users::table)
        .filter(person_reads::person_id.eq(person_id))
        .order((person_reads::at, person_reads::id))
        .select((person_reads::at, users::name, person_reads::via))
        .load(conn)?)
}

/// The persons a list of reads shows besides the person read: a request address can
/// name another person by id (`/api/v1/affiliations?person=…`), and showing it to an
/// admin shows that person too, so it is disclosed (and logged) like any other. The
/// person read (`about`) is left to the caller, who knows whether it shows it.
pub fn persons_in_requests(
    conn: &mut DbConn,
    reads: &[PersonRead],
    about: &str,
) -> Result<Disclosure> {
    let mut ids: Vec<String> = reads
        .iter()
        .flat_map(|r| {
            r.via
                .split(|c: char| !(c.is_ascii_hexdigit() || c == '-'))
                .filter(|token| token.len() == 36 && *token != about)
                .filter(|token| crate::domain::is_record_id(token))
                .map(str::to_string)
        })
        .collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Disclosure::none());
    }
    Ok(crate::store::refs::persons_among(conn, &ids)?
        .into_iter()
        .collect())
}
