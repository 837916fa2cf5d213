//! The rights of a person the registry names (GDPR Art. 15 and 17), for admins: export
//! everything stored about one person as one document, and erase a person for good.
use diesel::Connection;
use serde::Serialize;

use super::audit::{self, Change};
use super::reads::{self, PersonRead};
use super::{crud, Caller};
use crate::db::{self, DbConn};
use crate::domain::{is_record_id, Affiliation, Disclosure, Person, Record, UserRole};
use crate::error::{Error, Result};
use crate::store::{affiliations, erasure};

/// What an erasure did, for the admin who asked (it names no erased data).
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Erasure {
    pub person_id: String,
    pub erased_at: String,
    /// Change-log entries of the person whose before/after snapshots were emptied.
    pub changes_redacted: usize,
    /// Read-log rows whose request address lost its query string.
    pub reads_redacted: usize,
}

/// Everything stored about one person (Art. 15), in one document.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectExport {
    pub exported_at: String,
    pub person: Record<Person>,
    /// Set when the person was erased: the record above is then the anonymous placeholder.
    pub erased_at: Option<String>,
    /// Every role, deleted ones too, with the organisation's name.
    pub roles: Vec<RoleExport>,
    /// Every change-log entry of the person and of its roles, oldest first.
    pub changes: Vec<Change>,
    /// Every time a signed-in user was shown the person, oldest first.
    pub reads: Vec<PersonRead>,
    /// The persons the document shows: the person, and any other person a read's
    /// request address names.
    #[serde(skip)]
    pub shown: Disclosure,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleExport {
    #[serde(flatten)]
    pub role: Record<Affiliation>,
    pub organisation_name: String,
}

fn not_found(id: &str) -> Error {
    Error::NotFound {
        kind: "person",
        id: id.to_string(),
    }
}

/// Erases a person for good: name, notes and citations gone, every snapshot of the
/// person in the change log emptied, the read log's addresses cut to their paths; the
/// roles stay with the anonymous placeholder, so organisations keep their facts. The
/// erasure is logged as a change without data. Cannot be undone.
pub fn erase(conn: &mut DbConn, caller: &Caller, id: &str) -> Result<Erasure> {
    caller.require(UserRole::Admin)?;
    if !is_record_id(id) {
        return Err(not_found(id));
    }
    conn.transaction(|conn| {
        db::bump_data_version(conn)?;
        let person = crud::load_full::<Person>(conn, id)?.ok_or_else(|| not_found(id))?;
        if erasure::erased_at(conn, id)?.is_some() {
            return Err(Error::Conflict {
                message: format!("person {id} has already been erased"),
                existing_id: Some(id.to_string()),
            });
        }
        let stamp = db::now();
        let changes_redacted = erasure::redact_changes(conn, id)?;
        let reads_redacted = erasure::redact_reads(conn, id, &person.data.display_name)?;
        erasure::anonymise_person(conn, id, &stamp)?;
        audit::record::<()>(conn, caller, "person", id, "erase", None, None)?;
        Ok(Erasure {
            person_id: id.to_string(),
            erased_at: stamp,
            changes_redacted,
            reads_redacted,
        })
    })
}

/// When the person was erased, if it was.
pub fn erased_at(conn: &mut DbConn, id: &str) -> Result<Option<String>> {
    erasure::erased_at(conn, id)
}

/// Everything stored about the person, deleted or erased or not (Art. 15).
pub fn export(conn: &mut DbConn, caller: &Caller, id: &str) -> Result<SubjectExport> {
    caller.require(UserRole::Admin)?;
    // One snapshot of every table, so the parts agree with each other.
    conn.transaction(|conn| {
        let person = crud::load_full::<Person>(conn, id)?.ok_or_else(|| not_found(id))?;
        let mut roles = Vec::new();
        for role_id in affiliations::ids_of_person(conn, id)? {
            let Some(role) = crud::load_full::<Affiliation>(conn, &role_id)? else {
                continue;
            };
            let organisation_name =
                crate::store::refs::organisation_name(conn, &role.data.organisation_id)?
                    .unwrap_or_default();
            roles.push(RoleExport {
                role,
                organisation_name,
            });
        }
        let role_ids: Vec<String> = roles.iter().map(|r| r.role.id.clone()).collect();
        let reads = reads::all_of_person(conn, id)?;
        let mut shown = reads::persons_in_requests(conn, &reads, id)?;
        shown.add(person.id.clone());
        Ok(SubjectExport {
            exported_at: db::now(),
            erased_at: erasure::erased_at(conn, id)?,
            changes: audit::of_person(conn, id, &role_ids)?,
            reads,
            person,
            roles,
            shown,
        })
    })
}
