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

/// The SQLite triggers that index each new organisation and person as it is inserted.
const INSERT_TRIGGERS: [&str; 2] = ["organisation_search_insert", "person_search_insert"];

/// For a writer of many new rows in one transaction (`generate`): drops the triggers
/// that index each new row on its own; `Paused::resume` indexes the transaction's new
/// rows with one statement per table and puts the triggers back before the commit, so
/// every committed state has its index and its triggers. PostgreSQL's trigram indexes
/// are plain indexes: nothing to do.
pub fn pause_for_bulk_insert(conn: &mut DbConn) -> crate::error::Result<Option<Paused>> {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use diesel::sql_types::{BigInt, Text};
    if !matches!(conn, DbConn::Sqlite(_)) {
        return Ok(None);
    }
    #[derive(QueryableByName)]
    struct Sql {
        #[diesel(sql_type = Text)]
        sql: String,
    }
    #[derive(QueryableByName)]
    struct Max {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let DbConn::Sqlite(c) = conn else {
        return Ok(None);
    };
    let mut triggers = Vec::new();
    for name in INSERT_TRIGGERS {
        let sql: Sql =
            diesel::sql_query("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?")
                .bind::<Text, _>(name)
                .get_result(c)?;
        triggers.push(sql.sql);
    }
    let max = |c: &mut diesel::SqliteConnection, table: &str| -> QueryResult<i64> {
        let m: Max = diesel::sql_query(format!("SELECT coalesce(max(n), 0) AS n FROM {table}"))
            .get_result(c)?;
        Ok(m.n)
    };
    let paused = Paused {
        organisations_after: max(c, "organisation_search_rows")?,
        persons_after: max(c, "person_search_rows")?,
        triggers,
    };
    conn.batch_execute(&format!(
        "DROP TRIGGER {}; DROP TRIGGER {};",
        INSERT_TRIGGERS[0], INSERT_TRIGGERS[1]
    ))?;
    Ok(Some(paused))
}

/// What `pause_for_bulk_insert` set aside.
#[derive(Debug)]
pub struct Paused {
    organisations_after: i64,
    persons_after: i64,
    triggers: Vec<String>,
}

impl Paused {
    /// Indexes the rows inserted since the pause (those without a search row, among the
    /// ids from `first_id`, the least id written meanwhile, on) and restores the triggers,
    /// in the same transaction.
    pub fn resume(self, conn: &mut DbConn, first_id: Option<&str>) -> crate::error::Result<()> {
        use diesel::connection::SimpleConnection;
        let Some(id) = first_id.map(|id| id.replace('\'', "''")) else {
            conn.batch_execute(&self.triggers.join("; "))?;
            return Ok(());
        };
        conn.batch_execute(&format!(
            "INSERT INTO organisation_search_rows (organisation_id) \
                 SELECT o.id FROM organisations o WHERE o.id >= '{id}' AND NOT EXISTS \
                 (SELECT 1 FROM organisation_search_rows r WHERE r.organisation_id = o.id) \
                 ORDER BY o.id; \
             INSERT INTO organisation_search (rowid, name, short_name) \
                 SELECT r.n, o.name, o.short_name FROM organisation_search_rows r \
                 JOIN organisations o ON o.id = r.organisation_id WHERE r.n > {orgs}; \
             INSERT INTO person_search_rows (person_id) \
                 SELECT p.id FROM persons p WHERE p.id >= '{id}' AND NOT EXISTS \
                 (SELECT 1 FROM person_search_rows r WHERE r.person_id = p.id) \
                 ORDER BY p.id; \
             INSERT INTO person_search (rowid, display_name) \
                 SELECT r.n, p.display_name FROM person_search_rows r \
                 JOIN persons p ON p.id = r.person_id WHERE r.n > {persons}; \
             {triggers};",
            orgs = self.organisations_after,
            persons = self.persons_after,
            triggers = self.triggers.join("; "),
        ))?;
        Ok(())
    }
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
