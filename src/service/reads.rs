//! The log of who was shown which person: every answer a signed-in user gets that names
//! or identifies a person leaves one row per person. Admins can read it per person.
use std::collections::BTreeSet;

use diesel::prelude::*;
use serde::Serialize;

use super::Caller;
use crate::db::{self, DbConn};
use crate::domain::UserRole;
use crate::error::Result;
use crate::schema::{person_reads, persons, users};

/// Logs that `caller` was shown the persons among `candidates` (any ids: those that are
/// not persons are ignored) by the request `via`. Anonymous and system callers are not
/// logged: anonymous answers never name persons, and the system is the service itself.
pub fn record(
    conn: &mut DbConn,
    caller: &Caller,
    candidates: &BTreeSet<String>,
    via: &str,
) -> Result<usize> {
    let Caller::User(user) = caller else {
        return Ok(0);
    };
    if candidates.is_empty() {
        return Ok(0);
    }
    let mut shown: Vec<String> = Vec::new();
    let ids: Vec<&String> = candidates.iter().collect();
    for chunk in ids.chunks(500) {
        shown.extend(
            persons::table
                .filter(persons::id.eq_any(chunk.iter().map(|s| s.as_str())))
                .select(persons::id)
                .load::<String>(conn)?,
        );
    }
    if shown.is_empty() {
        return Ok(0);
    }
    let at = db::now();
    let via: String = via.chars().take(500).collect();
    // One statement per row: MultiConnection has no batch insert.
    conn.transaction(|c| {
        for person_id in &shown {
            diesel::insert_into(person_reads::table)
                .values((
                    person_reads::id.eq(db::new_id()),
                    person_reads::at.eq(&at),
                    person_reads::user_id.eq(&user.id),
                    person_reads::person_id.eq(person_id),
                    person_reads::via.eq(&via),
                ))
                .execute(c)?;
        }
        Ok::<_, crate::error::Error>(())
    })?;
    Ok(shown.len())
}

#[derive(Debug, Clone, Serialize, PartialEq, Queryable)]
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
    Ok(person_reads::table
        .inner_join(users::table)
        .filter(person_reads::person_id.eq(person_id))
        .order((person_reads::at.desc(), person_reads::id.desc()))
        .limit(limit.clamp(0, 1_000))
        .select((person_reads::at, users::name, person_reads::via))
        .load(conn)?)
}

/// Ids in a text: every run shaped like a UUID (8-4-4-4-12 hex digits).
pub fn uuids_in(text: &str) -> BTreeSet<String> {
    const SHAPE: [usize; 5] = [8, 4, 4, 4, 12];
    let bytes = text.as_bytes();
    let mut found = BTreeSet::new();
    let mut i = 0;
    while i + 36 <= bytes.len() {
        let mut at = i;
        let fits = SHAPE.iter().enumerate().all(|(n, &len)| {
            let hex = bytes[at..at + len].iter().all(u8::is_ascii_hexdigit);
            at += len;
            let dash = n == 4 || bytes[at] == b'-';
            at += 1;
            hex && dash
        });
        let bounded = |j: Option<&u8>| !j.is_some_and(u8::is_ascii_hexdigit);
        if fits
            && bounded(i.checked_sub(1).and_then(|j| bytes.get(j)))
            && bounded(bytes.get(i + 36))
        {
            found.insert(text[i..i + 36].to_ascii_lowercase());
            i += 36;
        } else {
            i += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::uuids_in;

    #[test]
    fn finds_ids_in_json_html_and_paths() {
        let a = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
        let b = "0193A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5C";
        let text = format!(
            r#"{{"id":"{a}"}} <a href="/persons/{b}">x</a> 0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5"#
        );
        let found: Vec<String> = uuids_in(&text).into_iter().collect();
        assert_eq!(found, vec![a.to_string(), b.to_ascii_lowercase()]);
        assert!(
            uuids_in(&format!("x{a}f")).is_empty(),
            "longer hex runs are not ids"
        );
        assert!(uuids_in("").is_empty());
    }
}
