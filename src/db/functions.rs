//! SQL functions that the queries call by name on both backends, and their SQLite
//! implementations where SQLite's built-in differs from PostgreSQL's.
use diesel::sql_types::{Nullable, Text};
use diesel::SqliteConnection;

diesel::define_sql_function!(fn lower(x: Text) -> Text);
diesel::define_sql_function!(
    #[sql_name = "lower"]
    fn lower_opt(x: Nullable<Text>) -> Nullable<Text>
);

/// Replaces SQLite's `lower()`, which folds ASCII only: searches and duplicate checks
/// need "Ömer" = "ömer" as on PostgreSQL.
pub(super) fn register_sqlite(conn: &mut SqliteConnection) -> diesel::QueryResult<()> {
    lower_opt_utils::register_impl(conn, |text: Option<String>| text.map(|t| t.to_lowercase()))
}
