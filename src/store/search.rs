//! Substring search of names through an index made for it. On SQLite an FTS5 table with
//! the trigram tokenizer per searched table (kept by triggers, see the `name_search`
//! migration): a quoted phrase of three or more characters matches exactly the names
//! that contain it, case-folded. On PostgreSQL pg_trgm's GIN indexes answer the lists'
//! `lower(name) LIKE '%q%'` as it is. Shorter texts have no trigram to look up and are
//! matched by LIKE on both.
use crate::db::{Backend, DbConn};
use crate::store::ListQuery;

/// The query's text when an index can answer it: three characters or more.
pub(crate) fn indexed(q: &ListQuery) -> Option<&str> {
    let text = q.q.as_deref()?.trim();
    (text.chars().count() >= 3).then_some(text)
}

/// `text` as one FTS5 phrase (its double quotes doubled): a substring, not a query.
pub(crate) fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// For a transaction that is rolled back whole (an import's dry run): drops the SQLite
/// triggers that keep the name-search tables current, and the rollback brings them back
/// with everything else. Its rows are never seen, so indexing their names is only work
/// (a third of a 100,000-row dry run). PostgreSQL's trigram indexes are plain indexes.
pub fn suspend_for_rollback(conn: &mut DbConn) -> crate::error::Result<()> {
    use diesel::connection::SimpleConnection;
    if let DbConn::Sqlite(_) = conn {
        conn.batch_execute(
            "DROP TRIGGER organisation_search_insert; DROP TRIGGER organisation_search_update; \
             DROP TRIGGER person_search_insert; DROP TRIGGER person_search_update;",
        )?;
    }
    Ok(())
}

pub(crate) fn backend(conn: &DbConn) -> Backend {
    match conn {
        DbConn::Sqlite(_) => Backend::Sqlite,
        DbConn::Postgres(_) => Backend::Postgres,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_keeps_quotes_as_text() {
        assert_eq!(phrase("Romano \"Drom\""), r#""Romano ""Drom""""#);
    }

    #[test]
    fn short_texts_are_not_looked_up() {
        let q = |t: &str| ListQuery {
            q: Some(t.into()),
            ..ListQuery::default()
        };
        assert_eq!(indexed(&q(" äö ")), None);
        assert_eq!(indexed(&q(" äöü ")), Some("äöü"));
    }
}
