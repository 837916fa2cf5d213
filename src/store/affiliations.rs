//! Affiliations of persons to organisations. Anonymous callers see only those of public
//! persons, so a restricted person never shows up, not even as an id.
use diesel::prelude::*;

use super::{date, list, parse, refs, ListQuery, Page, Resource};
use crate::db::{DbConn, MultiBackend};
use crate::domain::enums::join_list;
use crate::domain::*;
use crate::error::{Error, FieldError, Result};
use crate::schema::{affiliations, persons};

#[derive(Queryable, Insertable, AsChangeset)]
#[diesel(table_name = affiliations, treat_none_as_null = true)]
struct Row {
    id: String,
    person_id: String,
    organisation_id: String,
    role: String,
    title: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    paid: Option<bool>,
    project_bound: bool,
    fields_of_work: String,
    funding_id: Option<String>,
    created_at: String,
    updated_at: String,
    deleted_at: Option<String>,
}

impl Row {
    fn from_record(r: &Record<Affiliation>) -> Row {
        let a = &r.data;
        Row {
            id: r.id.clone(),
            person_id: a.person_id.clone(),
            organisation_id: a.organisation_id.clone(),
            role: a.role.as_str().into(),
            title: a.title.clone(),
            start_date: a.start.map(|d| d.to_string()),
            end_date: a.end.map(|d| d.to_string()),
            paid: a.paid,
            project_bound: a.project_bound,
            fields_of_work: join_list(&a.fields_of_work, FieldOfWork::as_str),
            funding_id: a.funding_id.clone(),
            created_at: r.created_at.clone(),
            updated_at: r.updated_at.clone(),
            deleted_at: r.deleted_at.clone(),
        }
    }

    fn into_record(self) -> Result<Record<Affiliation>> {
        Ok(Record {
            id: self.id,
            data: Affiliation {
                person_id: self.person_id,
                organisation_id: self.organisation_id,
                role: parse(&self.role)?,
                title: self.title,
                start: date(self.start_date)?,
                end: date(self.end_date)?,
                paid: self.paid,
                project_bound: self.project_bound,
                fields_of_work: list(&self.fields_of_work)?,
                funding_id: self.funding_id,
                citations: Vec::new(),
            },
            created_at: self.created_at,
            updated_at: self.updated_at,
            deleted_at: self.deleted_at,
        })
    }
}

fn filtered(
    caller: &Caller,
    q: &ListQuery,
) -> Result<affiliations::BoxedQuery<'static, MultiBackend>> {
    let mut query = match q.deleted {
        true => affiliations::table
            .filter(affiliations::deleted_at.is_not_null())
            .into_boxed(),
        false => affiliations::table
            .filter(affiliations::deleted_at.is_null())
            .into_boxed(),
    };
    if !caller.sees_restricted() {
        // Each role's own person, by its key: `person_id IN (SELECT id FROM persons WHERE
        // visibility = 'public')` made SQLite read every person to list one organisation's
        // roles. (diesel has no correlated subqueries, hence the literal.)
        query = query.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
            "EXISTS (SELECT 1 FROM persons WHERE persons.id = affiliations.person_id \
             AND persons.visibility = '{}')",
            Visibility::Public.as_str()
        )));
    }
    if let Some(org) = q.organisation.clone().filter(|o| !o.is_empty()) {
        query = query.filter(affiliations::organisation_id.eq(org));
    }
    if let Some(person) = q.person.clone().filter(|p| !p.is_empty()) {
        query = query.filter(affiliations::person_id.eq(person));
    }
    if let Some(kind) = q.kind.as_deref().filter(|k| !k.is_empty()) {
        let role: Role = kind.parse().map_err(|m| Error::invalid("kind", m))?;
        query = query.filter(affiliations::role.eq(role.as_str()));
    }
    Ok(query)
}

impl Resource for Affiliation {
    const KIND: &'static str = "affiliation";

    fn normalize(&mut self) {
        Affiliation::normalize(self)
    }

    fn check(&self) -> Vec<FieldError> {
        Affiliation::check(self)
    }

    fn check_references(&self, conn: &mut DbConn, own_id: Option<&str>) -> Result<Vec<FieldError>> {
        let mut errors = Vec::new();
        if !refs::person_live(conn, &self.person_id)? {
            errors.push(FieldError::new(
                "person_id",
                format!("no person with id {}", self.person_id),
            ));
        } else if own_id.is_none() && super::erasure::erased_at(conn, &self.person_id)?.is_some() {
            // The placeholder keeps the roles it had; it is nobody to give a new one.
            errors.push(FieldError::new(
                "person_id",
                "this person was erased and can take no new role",
            ));
        }
        refs::require_organisation(conn, "organisation_id", &self.organisation_id, &mut errors)?;
        if let Some(f) = &self.funding_id {
            if !refs::funding_live(conn, f)? {
                errors.push(FieldError::new(
                    "funding_id",
                    format!("no funding with id {f}"),
                ));
            }
        }
        Ok(errors)
    }

    fn find_duplicate(&self, conn: &mut DbConn, except_id: Option<&str>) -> Result<Option<String>> {
        let rows: Vec<(String, Option<String>)> = affiliations::table
            .filter(affiliations::deleted_at.is_null())
            .filter(affiliations::person_id.eq(&self.person_id))
            .filter(affiliations::organisation_id.eq(&self.organisation_id))
            .filter(affiliations::role.eq(self.role.as_str()))
            .select((affiliations::id, affiliations::start_date))
            .load(conn)?;
        let start = self.start.map(|d| d.to_string());
        Ok(rows
            .into_iter()
            .find(|(id, s)| Some(id.as_str()) != except_id && *s == start)
            .map(|(id, _)| id))
    }

    super::cites_field!();

    super::row_io!(affiliations);

    fn list(conn: &mut DbConn, caller: &Caller, q: &ListQuery) -> Result<Page<Record<Self>>> {
        let total = filtered(caller, q)?.count().get_result(conn)?;
        let rows: Vec<Row> = filtered(caller, q)?
            .order((affiliations::start_date, affiliations::id))
            .limit(q.limit())
            .offset(q.offset())
            .load(conn)?;
        let items = rows
            .into_iter()
            .map(Row::into_record)
            .collect::<Result<_>>()?;
        Ok(Page { items, total })
    }

    fn visible(record: &Record<Self>, conn: &mut DbConn, caller: &Caller) -> Result<bool> {
        if caller.sees_restricted() {
            return Ok(true);
        }
        let visibility: Option<String> = persons::table
            .find(&record.data.person_id)
            .select(persons::visibility)
            .first(conn)
            .optional()?;
        Ok(visibility.as_deref() == Some(Visibility::Public.as_str()))
    }
}

/// The ids of every role of a person, deleted ones too, oldest first.
pub fn ids_of_person(conn: &mut DbConn, person_id: &str) -> Result<Vec<String>> {
    Ok(affiliations::table
        .filter(affiliations::person_id.eq(person_id))
        .order(affiliations::id)
        .select(affiliations::id)
        .load(conn)?)
}
