//! Sources that records cite.
use diesel::prelude::*;

use super::{date, ListQuery, Page, Resource};
use crate::db::{lower, DbConn, MultiBackend};
use crate::domain::*;
use crate::error::{Error, FieldError, Result};
use crate::schema::sources;

#[derive(Queryable, Insertable, AsChangeset)]
#[diesel(table_name = sources, treat_none_as_null = true)]
struct Row {
    id: String,
    title: String,
    url: Option<String>,
    accessed_on: Option<String>,
    created_at: String,
    updated_at: String,
    deleted_at: Option<String>,
    /// The duplicate rule's identity, case-folded here (see `identity_key`).
    identity_key: String,
}

impl Row {
    fn from_record(r: &Record<Source>) -> Row {
        Row {
            id: r.id.clone(),
            title: r.data.title.clone(),
            url: r.data.url.clone(),
            accessed_on: r.data.accessed_on.map(|d| d.to_string()),
            created_at: r.created_at.clone(),
            updated_at: r.updated_at.clone(),
            deleted_at: r.deleted_at.clone(),
            identity_key: super::identity_key(&[&r.data.title]),
        }
    }

    fn into_record(self) -> Result<Record<Source>> {
        Ok(Record {
            id: self.id,
            data: Source {
                title: self.title,
                url: self.url,
                accessed_on: date(self.accessed_on)?,
            },
            created_at: self.created_at,
            updated_at: self.updated_at,
            deleted_at: self.deleted_at,
        })
    }
}

fn filtered(q: &ListQuery) -> sources::BoxedQuery<'static, MultiBackend> {
    let mut query = match q.deleted {
        true => sources::table
            .filter(sources::deleted_at.is_not_null())
            .into_boxed(),
        false => sources::table
            .filter(sources::deleted_at.is_null())
            .into_boxed(),
    };
    if let Some(pattern) = q.pattern() {
        query = query.filter(lower(sources::title).like(pattern).escape('\\'));
    }
    query
}

impl Resource for Source {
    const KIND: &'static str = "source";

    fn normalize(&mut self) {
        Source::normalize(self)
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
        let ids: Vec<String> = sources::table
            .filter(sources::deleted_at.is_null())
            // The stored key, through its unique index (see organisations).
            .filter(sources::identity_key.eq(super::identity_key(&[&self.title])))
            .select(sources::id)
            .load(conn)?;
        Ok(ids.into_iter().find(|id| Some(id.as_str()) != except_id))
    }

    /// A cited source stays: deleting it would leave every record that cites it unable
    /// to be saved or restored.
    fn check_delete(conn: &mut DbConn, id: &str) -> Result<()> {
        match super::citations::citing(conn, id)? {
            0 => Ok(()),
            n => Err(Error::Conflict {
                message: format!(
                    "this source is cited by {n} record(s); remove those citations first"
                ),
                existing_id: None,
            }),
        }
    }

    /// Sources cite nothing themselves.
    fn citations(&self) -> &[Citation] {
        &[]
    }

    fn set_citations(&mut self, _citations: Vec<Citation>) {}

    super::row_io!(sources);

    fn list(conn: &mut DbConn, _caller: &Caller, q: &ListQuery) -> Result<Page<Record<Self>>> {
        let total = filtered(q).count().get_result(conn)?;
        let rows: Vec<Row> = filtered(q)
            .order((sources::title, sources::id))
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
