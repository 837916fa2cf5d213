//! The rows an erasure (GDPR Art. 17) rewrites, and the marks it leaves: the person's row
//! becomes an anonymous placeholder, the change log loses the person's snapshots, the
//! read log loses request addresses that carried the name.
use diesel::prelude::*;

use crate::db::{lower, DbConn};
use crate::error::Result;
use crate::schema::{changes, citations, erased_persons, person_reads, persons};

/// What an erased person is called from then on, in every answer and picture.
pub const ERASED_NAME: &str = "gelöschte Person / erased person";

/// When the person was erased, if it was.
pub fn erased_at(conn: &mut DbConn, person_id: &str) -> Result<Option<String>> {
    Ok(erased_persons::table
        .find(person_id)
        .select(erased_persons::erased_at)
        .first(conn)
        .optional()?)
}

/// Replaces the person's name and notes, drops its citations (their locators can quote
/// it) and marks it erased. The row stays, so roles keep pointing at a person.
pub fn anonymise_person(conn: &mut DbConn, person_id: &str, stamp: &str) -> Result<()> {
    diesel::update(persons::table.find(person_id))
        .set((
            persons::display_name.eq(ERASED_NAME),
            persons::notes.eq(None::<String>),
            persons::is_pseudonym.eq(true),
            persons::visibility.eq(crate::domain::Visibility::Restricted.as_str()),
            // Unique among live persons, and no longer the erased name's key.
            persons::identity_key.eq(format!("erased {person_id}")),
            persons::updated_at.eq(stamp),
        ))
        .execute(conn)?;
    diesel::delete(
        citations::table
            .filter(citations::record_kind.eq("person"))
            .filter(citations::record_id.eq(person_id)),
    )
    .execute(conn)?;
    diesel::insert_into(erased_persons::table)
        .values((
            erased_persons::person_id.eq(person_id),
            erased_persons::erased_at.eq(stamp),
        ))
        .execute(conn)?;
    Ok(())
}

/// Empties the before/after snapshots of every change of the person's own record (its
/// roles' snapshots hold only ids and organisation facts). Returns the entries emptied.
pub fn redact_changes(conn: &mut DbConn, person_id: &str) -> Result<usize> {
    Ok(diesel::update(
        changes::table
            .filter(changes::record_kind.eq("person"))
            .filter(changes::record_id.eq(person_id)),
    )
    .set((
        changes::before_json.eq(None::<String>),
        changes::after_json.eq(None::<String>),
    ))
    .execute(conn)?)
}

/// Cuts the query string off the request addresses in the read log that could carry the
/// name: every read of this person (a search that found it), and any other read whose
/// address holds the name as browsers and clients encode it. The rows themselves stay
/// (who was shown the person, and when). Returns the rows changed.
pub fn redact_reads(conn: &mut DbConn, person_id: &str, name: &str) -> Result<usize> {
    let mut rows: Vec<(String, String)> = person_reads::table
        .filter(person_reads::person_id.eq(person_id))
        .filter(person_reads::via.like("%?%"))
        .select((person_reads::id, person_reads::via))
        .load(conn)?;
    // The comparison is case-insensitive, so one pattern serves both cases of hex digits.
    let mut patterns: Vec<String> = encodings(name)
        .iter()
        .map(|form| format!("%{}%", like_escaped(&form.to_lowercase())))
        .collect();
    patterns.sort();
    patterns.dedup();
    for pattern in patterns {
        let more: Vec<(String, String)> = person_reads::table
            .filter(lower(person_reads::via).like(pattern).escape('\\'))
            .select((person_reads::id, person_reads::via))
            .load(conn)?;
        rows.extend(more);
    }
    rows.sort();
    rows.dedup();
    for (id, via) in &rows {
        let path = via.split('?').next().unwrap_or_default();
        diesel::update(person_reads::table.find(id))
            .set(person_reads::via.eq(path))
            .execute(conn)?;
    }
    Ok(rows.len())
}

/// The forms a name takes in a request address: as typed, with `+` or `%20` for spaces,
/// and fully percent-encoded (UTF-8 bytes; the search ignores the case of hex digits).
fn encodings(name: &str) -> Vec<String> {
    let name = name.trim();
    let percent = crate::domain::percent_encode(name);
    let mut forms = vec![
        name.to_string(),
        name.replace(' ', "+"),
        name.replace(' ', "%20"),
        percent.replace("%20", "+"),
        percent,
    ];
    forms.retain(|f| !f.is_empty());
    forms.sort();
    forms.dedup();
    forms
}

fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_searched_in_the_forms_a_browser_sends() {
        let forms = encodings("Ana Ünal");
        for expected in [
            "Ana Ünal",
            "Ana+Ünal",
            "Ana%20Ünal",
            "Ana%20%C3%9Cnal",
            "Ana+%C3%9Cnal",
        ] {
            assert!(forms.contains(&expected.to_string()), "{expected} missing");
        }
    }

    #[test]
    fn like_patterns_match_percent_signs_literally() {
        assert_eq!(like_escaped("a%20b_c"), "a\\%20b\\_c");
    }
}
