//! Persons: restricted persons are never returned to anonymous callers.
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use super::{parse, refs, search, ListQuery, Page, Resource};
use crate::db::{lower, Backend, DbConn, MultiBackend};
use crate::domain::*;
use crate::error::{Error, FieldError, Result};
use crate::schema::{affiliations, persons};

#[derive(Queryable, Insertable, AsChangeset)]
#[diesel(table_name = persons, treat_none_as_null = true)]
struct Row {
    id: String,
    display_name: String,
    is_pseudonym: bool,
    visibility: String,
    notes: Option<String>,
    created_at: String,
    updated_at: String,
    deleted_at: Option<String>,
    /// The duplicate rule's identity, case-folded here (see `identity_key`).
    identity_key: String,
}

impl Row {
    fn from_record(r: &Record<Person>) -> Row {
        Row {
            id: r.id.clone(),
            display_name: r.data.display_name.clone(),
            is_pseudonym: r.data.is_pseudonym,
            visibility: r.data.visibility.as_str().into(),
            notes: r.data.notes.clone(),
            created_at: r.created_at.clone(),
            updated_at: r.updated_at.clone(),
            deleted_at: r.deleted_at.clone(),
            identity_key: super::identity_key(&[&r.data.display_name]),
        }
    }

    fn into_record(self) -> Result<Record<Person>> {
        Ok(Record {
            id: self.id,
            data: Person {
                display_name: self.display_name,
                is_pseudonym: self.is_pseudonym,
                visibility: parse(&self.visibility)?,
                notes: self.notes,
                citations: Vec::new(),
            },
            created_at: self.created_at,
            updated_at: self.updated_at,
            deleted_at: self.deleted_at,
        })
    }
}

/// Persons whose display name contains `text`, through SQLite's trigram index (see
/// `super::search`).
fn trigram_match(
    text: &str,
) -> Box<dyn BoxableExpression<persons::table, MultiBackend, SqlType = Bool>> {
    Box::new(
        diesel::dsl::sql::<Bool>(
            "persons.id IN (SELECT person_id FROM person_search_rows \
             WHERE n IN (SELECT rowid FROM person_search WHERE person_search MATCH ",
        )
        .bind::<Text, _>(search::phrase(text))
        .sql("))"),
    )
}

fn filtered(
    caller: &Caller,
    q: &ListQuery,
    backend: Backend,
) -> persons::BoxedQuery<'static, MultiBackend> {
    let mut query = match q.deleted {
        true => persons::table
            .filter(persons::deleted_at.is_not_null())
            .into_boxed(),
        false => persons::table
            .filter(persons::deleted_at.is_null())
            .into_boxed(),
    };
    if !caller.sees_restricted() {
        query = query.filter(persons::visibility.eq(Visibility::Public.as_str()));
    }
    if let (Backend::Sqlite, Some(text)) = (backend, search::indexed(q)) {
        query = query.filter(trigram_match(text));
    } else if let Some(pattern) = q.pattern() {
        query = query.filter(lower(persons::display_name).like(pattern).escape('\\'));
    }
    if let Some(org) = q.organisation.clone().filter(|o| !o.is_empty()) {
        // Live persons through live roles; deleted ones through the roles deleted with them.
        let roles = affiliations::table
            .filter(affiliations::organisation_id.eq(org))
            .filter(affiliations::deleted_at.is_null().eq(!q.deleted))
            .select(affiliations::person_id);
        query = query.filter(persons::id.eq_any(roles));
    }
    query
}

impl Resource for Person {
    const KIND: &'static str = "person";

    fn normalize(&mut self) {
        Person::normalize(self)
    }

    fn check(&self) -> Vec<FieldError> {
        Vec::new()
    }

    fn check_references(
        &self,
        _conn: &mut DbConn,
        _own_id: Option<&str>,
    ) -> Result<Vec<FieldError>> {
        Ok(Vec::new())
    }

    fn find_duplicate(&self, conn: &mut DbConn, except_id: Option<&str>) -> Result<Option<String>> {
        let ids: Vec<String> = persons::table
            .filter(persons::deleted_at.is_null())
            // The stored key, through its unique index (see organisations).
            .filter(persons::identity_key.eq(super::identity_key(&[&self.display_name])))
            .select(persons::id)
            .load(conn)?;
        Ok(ids.into_iter().find(|id| Some(id.as_str()) != except_id))
    }

    fn check_writable(conn: &mut DbConn, id: &str) -> Result<()> {
        match super::erasure::erased_at(conn, id)? {
            None => Ok(()),
            Some(_) => Err(Error::Conflict {
                message: format!(
                    "person {id} was erased (GDPR Art. 17): it cannot be changed or restored"
                ),
                existing_id: Some(id.to_string()),
            }),
        }
    }

    super::cites_field!();

    super::row_io!(persons);

    fn list(conn: &mut DbConn, caller: &Caller, q: &ListQuery) -> Result<Page<Record<Self>>> {
        let backend = search::backend(conn);
        let total = filtered(caller, q, backend).count().get_result(conn)?;
        let rows: Vec<Row> = filtered(caller, q, backend)
            .order((persons::display_name, persons::id))
            .limit(q.limit())
            .offset(q.offset())
            .load(conn)?;
        let items = rows
            .into_iter()
            .map(Row::into_record)
            .collect::<Result<_>>()?;
        Ok(Page { items, total })
    }

    fn visible(record: &Record<Self>, _conn: &mut DbConn, caller: &Caller) -> Result<bool> {
        Ok(caller.sees_restricted() || record.data.visibility == Visibility::Public)
    }

    fn cascade_delete(
        conn: &mut DbConn,
        id: &str,
        stamp: &str,
    ) -> Result<Vec<(&'static str, String)>> {
        let ids: Vec<String> = affiliations::table
            .filter(affiliations::person_id.eq(id))
            .filter(affiliations::deleted_at.is_null())
            .select(affiliations::id)
            .load(conn)?;
        diesel::update(affiliations::table.filter(affiliations::id.eq_any(&ids)))
            .set(affiliations::deleted_at.eq(stamp))
            .execute(conn)?;
        Ok(ids.into_iter().map(|i| ("affiliation", i)).collect())
    }

    fn cascade_restore(
        conn: &mut DbConn,
        id: &str,
        stamp: &str,
    ) -> Result<Vec<(&'static str, String)>> {
        let rows: Vec<(String, String)> = affiliations::table
            .filter(affiliations::person_id.eq(id))
            .filter(affiliations::deleted_at.eq(stamp))
            .select((affiliations::id, affiliations::organisation_id))
            .load(conn)?;
        let mut restored = Vec::new();
        for (aff, org) in rows {
            // An affiliation to a still deleted organisation follows that organisation.
            let org_stamp = refs::organisation_deleted_at(conn, &org)?;
            super::organisations::set_link_deleted(
                conn,
                "affiliation",
                &aff,
                org_stamp.as_deref(),
            )?;
            if org_stamp.is_none() {
                restored.push(("affiliation", aff));
            }
        }
        Ok(restored)
    }
}
