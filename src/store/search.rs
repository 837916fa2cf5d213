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
