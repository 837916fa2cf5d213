//! Organisations: row mapping, filters, duplicate check and cascading soft delete.
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use super::{date, list, parse, parse_opt, refs, search, ListQuery, Page, Resource};
use crate::db::{lower, lower_opt, Backend, DbConn, MultiBackend};
use crate::domain::enums::join_list;
use crate::domain::*;
use crate::error::{Error, FieldError, Result};
use crate::schema::{affiliations, fundings, organisations, relations};

#[derive(Queryable, Insertable, AsChangeset, Selectable)]
#[diesel(table_name = organisations, treat_none_as_null = true)]
struct Row {
    id: String,
    name: String,
    short_name: Option<String>,
    kind: String,
    legal_form: Option<String>,
    parent_id: Option<String>,
    city: Option<String>,
    country: Option<String>,
    founded: Option<String>,
    dissolved: Option<String>,
    register_court: Option<String>,
    register_number: Option<String>,
    website: Option<String>,
    description: Option<String>,
    self_description: Option<String>,
    working_principle: Option<String>,
    member_count_min: Option<i32>,
    member_count_max: Option<i32>,
    orientation: Option<String>,
    country_focus: Option<String>,
    purposes: String,
    functions: String,
    composition: Option<String>,
    resource_modes: String,
    created_at: String,
    updated_at: String,
    deleted_at: Option<String>,
    /// The duplicate rule's identity, case-folded here (see `identity_key`).
    identity_key: String,
}

impl Row {
    fn from_record(r: &Record<Organisation>) -> Row {
        let o = &r.data;
        Row {
            id: r.id.clone(),
            name: o.name.clone(),
            short_name: o.short_name.clone(),
            kind: o.kind.as_str().into(),
            legal_form: o.legal_form.map(|v| v.as_str().into()),
            parent_id: o.parent_id.clone(),
            city: o.city.clone(),
            country: o.country.clone(),
            founded: o.founded.map(|d| d.to_string()),
            dissolved: o.dissolved.map(|d| d.to_string()),
            register_court: o.register_court.clone(),
            register_number: o.register_number.clone(),
            website: o.website.clone(),
            description: o.description.clone(),
            self_description: o.self_description.clone(),
            working_principle: o.working_principle.clone(),
            member_count_min: o.member_count_min,
            member_count_max: o.member_count_max,
            orientation: o.orientation.map(|v| v.as_str().into()),
            country_focus: o.country_focus.map(|v| v.as_str().into()),
            purposes: join_list(&o.purposes, Purpose::as_str),
            functions: join_list(&o.functions, Function::as_str),
            composition: o.composition.map(|v| v.as_str().into()),
            resource_modes: join_list(&o.resource_modes, ResourceMode::as_str),
            created_at: r.created_at.clone(),
            updated_at: r.updated_at.clone(),
            deleted_at: r.deleted_at.clone(),
            identity_key: super::identity_key(&[
                &o.name,
                o.kind.as_str(),
                o.city.as_deref().unwrap_or_default(),
            ]),
        }
    }

    fn into_record(self) -> Result<Record<Organisation>> {
        let data = Organisation {
            name: self.name,
            short_name: self.short_name,
            kind: parse(&self.kind)?,
            legal_form: parse_opt(self.legal_form)?,
            parent_id: self.parent_id,
            city: self.city,
            country: self.country,
            founded: date(self.founded)?,
            dissolved: date(self.dissolved)?,
            register_court: self.register_court,
            register_number: self.register_number,
            website: self.website,
            description: self.description,
            self_description: self.self_description,
            working_principle: self.working_principle,
            member_count_min: self.member_count_min,
            member_count_max: self.member_count_max,
            orientation: parse_opt(self.orientation)?,
            country_focus: parse_opt(self.country_focus)?,
            purposes: list(&self.purposes)?,
            functions: list(&self.functions)?,
            composition: parse_opt(self.composition)?,
            resource_modes: list(&self.resource_modes)?,
            citations: Vec::new(),
        };
        Ok(Record {
            id: self.id,
            data,
            created_at: self.created_at,
            updated_at: self.updated_at,
            deleted_at: self.deleted_at,
        })
    }
}

/// Organisations whose name or short name contains `text`, through SQLite's trigram
/// index (see `super::search`).
fn trigram_match(
    text: &str,
) -> Box<dyn BoxableExpression<organisations::table, MultiBackend, SqlType = Bool>> {
    Box::new(
        diesel::dsl::sql::<Bool>(
            "organisations.id IN (SELECT organisation_id FROM organisation_search_rows \
             WHERE n IN (SELECT rowid FROM organisation_search WHERE organisation_search MATCH ",
        )
        .bind::<Text, _>(search::phrase(text))
        .sql("))"),
    )
}

fn filtered(
    q: &ListQuery,
    backend: Backend,
) -> Result<organisations::BoxedQuery<'static, MultiBackend>> {
    let mut query = match q.deleted {
        true => organisations::table
            .filter(organisations::deleted_at.is_not_null())
            .into_boxed(),
        false => organisations::table
            .filter(organisations::deleted_at.is_null())
            .into_boxed(),
    };
    if let (Backend::Sqlite, Some(text)) = (backend, search::indexed(q)) {
        query = query.filter(trigram_match(text));
    } else if let Some(pattern) = q.pattern() {
        // PostgreSQL's pg_trgm indexes answer this LIKE; shorter texts scan on both.
        query = query.filter(
            lower(organisations::name)
                .like(pattern.clone())
                .escape('\\')
                .or(lower_opt(organisations::short_name)
                    .like(pattern)
                    .escape('\\')),
        );
    }
    if let Some(kind) = q.kind.as_deref().filter(|k| !k.is_empty()) {
        let kind: OrgKind = kind.parse().map_err(|m| Error::invalid("kind", m))?;
        query = query.filter(organisations::kind.eq(kind.as_str()));
    }
    if let Some(umbrella) = q.umbrella.clone().filter(|u| !u.is_empty()) {
        // Live members through live relations; deleted ones through those deleted with them.
        let members = relations::table
            .filter(relations::target_id.eq(umbrella))
            .filter(relations::kind.eq(RelationKind::MemberOf.as_str()))
            .filter(relations::deleted_at.is_null().eq(!q.deleted))
            .select(relations::source_id);
        query = query.filter(organisations::id.eq_any(members));
    }
    match q.status.as_deref().unwrap_or("") {
        "" | "any" => {}
        "active" => query = query.filter(organisations::dissolved.is_null()),
        "dissolved" => query = query.filter(organisations::dissolved.is_not_null()),
        _ => return Err(Error::invalid("status", "must be active, dissolved or any")),
    }
    if let Some(city) = q.city.as_deref().filter(|c| !c.is_empty()) {
        query = query.filter(lower_opt(organisations::city).eq(city.to_lowercase()));
    }
    Ok(query)
}

impl Resource for Organisation {
    const KIND: &'static str = "organisation";

    fn normalize(&mut self) {
        Organisation::normalize(self)
    }

    fn check(&self) -> Vec<FieldError> {
        Organisation::check(self)
    }

    fn check_references(&self, conn: &mut DbConn, own_id: Option<&str>) -> Result<Vec<FieldError>> {
        let mut errors = Vec::new();
        if let Some(parent) = &self.parent_id {
            refs::require_organisation(conn, "parent_id", parent, &mut errors)?;
            if own_id.is_some_and(|own| ancestry_reaches(conn, parent, own).unwrap_or(true)) {
                errors.push(FieldError::new(
                    "parent_id",
                    "would make the organisation a part of itself",
                ));
            }
        }
        Ok(errors)
    }

    fn find_duplicate(&self, conn: &mut DbConn, except_id: Option<&str>) -> Result<Option<String>> {
        // The stored key, through its unique index (a `lower(name)` comparison would scan
        // the whole table on every write).
        let key = super::identity_key(&[
            &self.name,
            self.kind.as_str(),
            self.city.as_deref().unwrap_or_default(),
        ]);
        let ids: Vec<String> = organisations::table
            .filter(organisations::deleted_at.is_null())
            .filter(organisations::identity_key.eq(key))
            .select(organisations::id)
            .load(conn)?;
        Ok(ids.into_iter().find(|id| Some(id.as_str()) != except_id))
    }

    super::cites_field!();

    super::row_io!(organisations);

    fn list(conn: &mut DbConn, _caller: &Caller, q: &ListQuery) -> Result<Page<Record<Self>>> {
        let backend = search::backend(conn);
        let total = filtered(q, backend)?.count().get_result(conn)?;
        let rows: Vec<Row> = filtered(q, backend)?
            .order((organisations::name, organisations::id))
            .limit(q.limit())
            .offset(q.offset())
            .load(conn)?;
        let items = rows
            .into_iter()
            .map(Row::into_record)
            .collect::<Result<_>>()?;
        Ok(Page { items, total })
    }

    fn cascade_delete(
        conn: &mut DbConn,
        id: &str,
        stamp: &str,
    ) -> Result<Vec<(&'static str, String)>> {
        set_links_deleted(conn, id, None, Some(stamp))
    }

    fn cascade_restore(
        conn: &mut DbConn,
        id: &str,
        stamp: &str,
    ) -> Result<Vec<(&'static str, String)>> {
        set_links_deleted(conn, id, Some(stamp), None)
    }
}

/// Sets the deletion stamp of one link row.
pub(crate) fn set_link_deleted(
    conn: &mut DbConn,
    kind: &str,
    id: &str,
    stamp: Option<&str>,
) -> Result<()> {
    match kind {
        "affiliation" => diesel::update(affiliations::table.find(id))
            .set(affiliations::deleted_at.eq(stamp))
            .execute(conn)?,
        "funding" => diesel::update(fundings::table.find(id))
            .set(fundings::deleted_at.eq(stamp))
            .execute(conn)?,
        _ => diesel::update(relations::table.find(id))
            .set(relations::deleted_at.eq(stamp))
            .execute(conn)?,
    };
    Ok(())
}

/// Moves the links of an organisation from deletion state `from` to `to`, returning the
/// ones moved. On restore, a link whose other end is still deleted takes that end's
/// stamp instead, so that restoring the other end later brings it back.
fn set_links_deleted(
    conn: &mut DbConn,
    org: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Vec<(&'static str, String)>> {
    // (kind, link id, link's deletion stamp, the other end's deletion stamp)
    let mut links: Vec<(&'static str, String, Option<String>, Option<String>)> = Vec::new();
    let aff: Vec<(String, String, Option<String>)> = affiliations::table
        .filter(affiliations::organisation_id.eq(org))
        .select((
            affiliations::id,
            affiliations::person_id,
            affiliations::deleted_at,
        ))
        .load(conn)?;
    for (id, person, deleted) in aff {
        links.push((
            "affiliation",
            id,
            deleted,
            refs::person_deleted_at(conn, &person)?,
        ));
    }
    let fund: Vec<(String, String, String, Option<String>)> = fundings::table
        .filter(
            fundings::funder_id
                .eq(org)
                .or(fundings::recipient_id.eq(org)),
        )
        .select((
            fundings::id,
            fundings::funder_id,
            fundings::recipient_id,
            fundings::deleted_at,
        ))
        .load(conn)?;
    for (id, a, b, deleted) in fund {
        let other = if a == org { b } else { a };
        links.push((
            "funding",
            id,
            deleted,
            refs::organisation_deleted_at(conn, &other)?,
        ));
    }
    let rel: Vec<(String, String, String, Option<String>)> = relations::table
        .filter(
            relations::source_id
                .eq(org)
                .or(relations::target_id.eq(org)),
        )
        .select((
            relations::id,
            relations::source_id,
            relations::target_id,
            relations::deleted_at,
        ))
        .load(conn)?;
    for (id, a, b, deleted) in rel {
        let other = if a == org { b } else { a };
        links.push((
            "relation",
            id,
            deleted,
            refs::organisation_deleted_at(conn, &other)?,
        ));
    }
    let mut moved = Vec::new();
    for (kind, id, deleted, other_end) in links {
        if deleted.as_deref() != from {
            continue;
        }
        match (to, other_end) {
            (None, Some(other_stamp)) => set_link_deleted(conn, kind, &id, Some(&other_stamp))?,
            _ => {
                set_link_deleted(conn, kind, &id, to)?;
                moved.push((kind, id));
            }
        }
    }
    Ok(moved)
}

/// Whether following parents up from `start` reaches `own` (a parent cycle). Chains
/// longer than any real hierarchy count as cycles too.
fn ancestry_reaches(conn: &mut DbConn, start: &str, own: &str) -> Result<bool> {
    let mut at = start.to_string();
    for _ in 0..256 {
        if at == own {
            return Ok(true);
        }
        let parent: Option<Option<String>> = organisations::table
            .find(&at)
            .select(organisations::parent_id)
            .first(conn)
            .optional()?;
        match parent.flatten() {
            Some(p) => at = p,
            None => return Ok(false),
        }
    }
    Ok(true)
}
