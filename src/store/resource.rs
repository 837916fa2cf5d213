//! What the generic commands in `service::crud` need to know about each kind of record,
//! with the list filters and pages; each table in this store implements `Resource`.
use serde::de::DeserializeOwned;
use serde::Serialize;
use validator::Validate;

use crate::db::DbConn;
use crate::domain::{Caller, Citation, Record};
use crate::error::{FieldError, Result};

/// Filters and paging for list requests; each resource uses the fields that fit it.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub city: Option<String>,
    pub organisation: Option<String>,
    pub person: Option<String>,
    /// Organisations that are members of this umbrella (member_of relation).
    pub umbrella: Option<String>,
    /// `active` or `dissolved`.
    pub status: Option<String>,
    /// Deleted records instead of live ones, to offer them for restoring.
    pub deleted: bool,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl ListQuery {
    pub const MAX_LIMIT: i64 = 500;

    /// The query's texts by field name, for checks before they reach SQL.
    pub fn texts(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("q", &self.q),
            ("kind", &self.kind),
            ("city", &self.city),
            ("organisation", &self.organisation),
            ("person", &self.person),
            ("umbrella", &self.umbrella),
            ("status", &self.status),
        ]
        .into_iter()
        .filter_map(|(field, text)| Some((field, text.as_deref()?)))
    }

    pub fn limit(&self) -> i64 {
        self.limit.unwrap_or(50).clamp(0, Self::MAX_LIMIT)
    }

    pub fn offset(&self) -> i64 {
        self.offset.unwrap_or(0).max(0)
    }

    /// The `q` filter as a lower-case LIKE pattern.
    pub fn pattern(&self) -> Option<String> {
        let q = self.q.as_deref()?.trim();
        if q.is_empty() {
            return None;
        }
        let escaped = q
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        Some(format!("%{escaped}%"))
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

pub trait Resource:
    Sized + Clone + Serialize + DeserializeOwned + Validate + Send + 'static
{
    /// The record kind in the audit log and in citations, e.g. `organisation`.
    const KIND: &'static str;

    /// Trims texts and drops empty optional values before validation.
    fn normalize(&mut self);
    /// Checks that need no database (date order, ranges, self references).
    fn check(&self) -> Vec<FieldError>;
    /// Checks that referenced records exist and are not deleted.
    /// `own_id` is the record's id when it is being updated.
    fn check_references(&self, conn: &mut DbConn, own_id: Option<&str>) -> Result<Vec<FieldError>>;
    /// The id of a live record this one would duplicate, if any.
    fn find_duplicate(&self, conn: &mut DbConn, except_id: Option<&str>) -> Result<Option<String>>;

    fn citations(&self) -> &[Citation];
    fn set_citations(&mut self, citations: Vec<Citation>);

    /// Loads a record, deleted or not, without its citations.
    fn load(conn: &mut DbConn, id: &str) -> Result<Option<Record<Self>>>;
    fn insert(conn: &mut DbConn, record: &Record<Self>) -> Result<()>;
    fn update(conn: &mut DbConn, record: &Record<Self>) -> Result<()>;
    fn set_deleted(conn: &mut DbConn, id: &str, deleted_at: Option<&str>) -> Result<()>;
    /// Up to `limit` live records whose ids come after `after` (`""`: from the first), in
    /// id order, without citations: keyset pages through a whole table for the exports,
    /// which read every row once whatever its size (no offsets to skip over). Callers
    /// apply visibility themselves.
    fn live_after(conn: &mut DbConn, after: &str, limit: i64) -> Result<Vec<Record<Self>>>;
    /// Live records matching the query that the caller may see (without citations).
    fn list(conn: &mut DbConn, caller: &Caller, query: &ListQuery) -> Result<Page<Record<Self>>>;

    /// Whether the caller may see this record (persons and their links can be restricted).
    fn visible(_record: &Record<Self>, _conn: &mut DbConn, _caller: &Caller) -> Result<bool> {
        Ok(true)
    }

    /// Why this record may not be changed, deleted or restored at all, if it may not
    /// (an erased person stays the anonymous placeholder it became).
    fn check_writable(_conn: &mut DbConn, _id: &str) -> Result<()> {
        Ok(())
    }

    /// Why this record may not be deleted, if it may not (e.g. a source still cited).
    fn check_delete(_conn: &mut DbConn, _id: &str) -> Result<()> {
        Ok(())
    }

    /// Soft-deletes the links that hang on this record with the same stamp; returns
    /// their (kind, id) for the audit log.
    fn cascade_delete(
        _conn: &mut DbConn,
        _id: &str,
        _stamp: &str,
    ) -> Result<Vec<(&'static str, String)>> {
        Ok(Vec::new())
    }

    /// Restores the links deleted together with this record.
    fn cascade_restore(
        _conn: &mut DbConn,
        _id: &str,
        _stamp: &str,
    ) -> Result<Vec<(&'static str, String)>> {
        Ok(Vec::new())
    }
}
