//! Diesel rows and queries, one file per table. Rows are converted to domain records at
//! this boundary; nothing above it sees SQL.
pub mod affiliations;
pub mod citations;
pub mod erasure;
pub mod fundings;
pub mod organisations;
pub mod persons;
pub mod refs;
pub mod relations;
mod resource;
pub(crate) mod search;
pub mod sessions;
pub mod snapshot;
pub mod sources;
pub mod stats;

pub use resource::{ListQuery, Page, Resource};

use crate::domain::PartialDate;
use crate::error::{Error, Result};

/// Parses a stored partial date (written by us, so a failure means corrupt data).
pub(crate) fn date(text: Option<String>) -> Result<Option<PartialDate>> {
    text.map(|t| t.parse().map_err(|e| Error::Database(format!("{e}"))))
        .transpose()
}

/// Parses a stored enum value.
pub(crate) fn parse<T: std::str::FromStr<Err = String>>(text: &str) -> Result<T> {
    text.parse().map_err(Error::Database)
}

pub(crate) fn parse_opt<T: std::str::FromStr<Err = String>>(
    text: Option<String>,
) -> Result<Option<T>> {
    text.map(|t| parse(&t)).transpose()
}

pub(crate) fn list<T: std::str::FromStr<Err = String>>(text: &str) -> Result<Vec<T>> {
    crate::domain::enums::split_list(text).map_err(Error::Database)
}

/// A record's identity for the duplicate rule: its parts case-folded with Unicode rules
/// (as PostgreSQL's `lower()`) and joined by the unit separator, which no text field may
/// hold. Stored in `identity_key` and indexed there, so that no index calls a function
/// (a stock SQLite's `lower()` folds ASCII only and would find such an index corrupt).
pub(crate) fn identity_key(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.to_lowercase())
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

/// The row-level methods of `Resource` that are the same for every table: load by id,
/// insert, update, set the deletion stamp and page through live rows. Expects a `Row` type with `from_record`
/// and `into_record` in scope.
macro_rules! row_io {
    ($table:ident) => {
        fn load(conn: &mut DbConn, id: &str) -> Result<Option<Record<Self>>> {
            $table::table
                .find(id)
                .first::<Row>(conn)
                .optional()?
                .map(Row::into_record)
                .transpose()
        }

        fn insert(conn: &mut DbConn, record: &Record<Self>) -> Result<()> {
            diesel::insert_into($table::table)
                .values(Row::from_record(record))
                .execute(conn)?;
            Ok(())
        }

        fn update(conn: &mut DbConn, record: &Record<Self>) -> Result<()> {
            diesel::update($table::table.find(&record.id))
                .set(Row::from_record(record))
                .execute(conn)?;
            Ok(())
        }

        fn set_deleted(conn: &mut DbConn, id: &str, deleted_at: Option<&str>) -> Result<()> {
            diesel::update($table::table.find(id))
                .set($table::deleted_at.eq(deleted_at))
                .execute(conn)?;
            Ok(())
        }

        fn live_after(conn: &mut DbConn, after: &str, limit: i64) -> Result<Vec<Record<Self>>> {
            $table::table
                .filter($table::deleted_at.is_null())
                .filter($table::id.gt(after))
                .order($table::id)
                .limit(limit)
                .load::<Row>(conn)?
                .into_iter()
                .map(Row::into_record)
                .collect()
        }
    };
}
pub(crate) use row_io;

/// `citations`/`set_citations` for data types with a `citations` field.
macro_rules! cites_field {
    () => {
        fn citations(&self) -> &[Citation] {
            &self.citations
        }

        fn set_citations(&mut self, citations: Vec<Citation>) {
            self.citations = citations;
        }
    };
}
pub(crate) use cites_field;
