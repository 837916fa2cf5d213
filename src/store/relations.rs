//! Relations between organisations (member of, carrier of, relies on, migration link, …).
use diesel::prelude::*;

use super::{date, parse, refs, ListQuery, Page, Resource};
use crate::db::{DbConn, MultiBackend};
use crate::domain::*;
use crate::error::{Error, FieldError, Result};
use crate::schema::relations;

#[derive(Queryable, Insertable, AsChangeset)]
#[diesel(table_name = relations, treat_none_as_null = true)]
struct Row {
    id: String,
    source_id: String,
    target_id: String,
    kind: String,
    start_date: Option<String>,
    end_date: Option<String>,
    approx_size: Option<i32>,
    description: Option<String>,
    created_at: String,
    updated_at: String,
    deleted_at: Option<String>,
}

impl Row {
    fn from_record(r: &Record<Relation>) -> Row {
        let x = &r.data;
        Row {
            id: r.id.clone(),
            source_id: x.source_id.clone(),
            target_id: x.target_id.clone(),
            kind: x.kind.as_str().into(),
            start_date: x.start.map(|d| d.to_string()),
            end_date: x.end.map(|d| d.to_string()),
            approx_size: x.approx_size,
            description: x.description.clone(),
            created_at: r.created_at.clone(),
            updated_at: r.updated_at.clone(),
            deleted_at: r.deleted_at.clone(),
        }
    }

    fn into_record(self) -> Result<Record<Relation>> {
        Ok(Record {
            id: self.id,
            data: Relation {
                source_id: self.source_id,
                target_id: self.target_id,
                kind: parse(&self.kind)?,
                start: date(self.start_date)?,
                end: date(self.end_date)?,
                approx_size: self.approx_size,
                description: self.description,
                citations: Vec::new(),
            },
            created_at: self.created_at,
            updated_at: self.updated_at,
            deleted_at: self.deleted_at,
        })
    }
}

fn filtered(q: &ListQuery) -> Result<relations::BoxedQuery<'static, MultiBackend>> {
    let mut query = match q.deleted {
        true => relations::table
            .filter(relations::deleted_at.is_not_null())
            .into_boxed(),
        false => relations::table
            .filter(relations::deleted_at.is_null())
            .into_boxed(),
    };
    if let Some(org) = q.organisation.clone().filter(|o| !o.is_empty()) {
        query = query.filter(
            relations::source_id
                .eq(org.clone())
                .or(relations::target_id.eq(org)),
        );
    }
    if let Some(kind) = q.kind.as_deref().filter(|k| !k.is_empty()) {
        let kind: RelationKind = kind.parse().map_err(|m| Error::invalid("kind", m))?;
        query = query.filter(relations::kind.eq(kind.as_str()));
    }
    Ok(query)
}

impl Resource for Relation {
    const KIND: &'static str = "relation";

    fn normalize(&mut self) {
        Relation::normalize(self)
    }

    fn check(&self) -> Vec<FieldError> {
        Relation::check(self)
    }

    fn check_references(
        &self,
        conn: &mut DbConn,
        _own_id: Option<&str>,
    ) -> Result<Vec<FieldError>> {
        let mut errors = Vec::new();
        refs::require_organisation(conn, "source_id", &self.source_id, &mut errors)?;
        refs::require_organisation(conn, "target_id", &self.target_id, &mut errors)?;
        Ok(errors)
    }

    fn find_duplicate(&self, conn: &mut DbConn, except_id: Option<&str>) -> Result<Option<String>> {
        let rows: Vec<(String, Option<String>)> = relations::table
            .filter(relations::deleted_at.is_null())
            .filter(relations::source_id.eq(&self.source_id))
            .filter(relations::target_id.eq(&self.target_id))
            .filter(relations::kind.eq(self.kind.as_str()))
            .select((relations::id, relations::start_date))
            .load(conn)?;
        let start = self.start.map(|d| d.to_string());
        Ok(rows
            .into_iter()
            .find(|(id, s)| Some(id.as_str()) != except_id && *s == start)
            .map(|(id, _)| id))
    }

    super::cites_field!();
    super::row_io!(relations);

    fn list(conn: &mut DbConn, _caller: &Caller, q: &ListQuery) -> Result<Page<Record<Self>>> {
        let total = filtered(q)?.count().get_result(conn)?;
        let rows: Vec<Row> = filtered(q)?
            .order((relations::kind, relations::id))
            .limit(q.limit())
            .offset(q.offset())
            .load(conn)?;
        let items = rows
            .into_iter()
            .map(Row::into_record)
            .collect::<Result<_>>()?;
        Ok(Page { items, total })
    }
}
