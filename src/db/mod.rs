//! Database access for both backends: one connection enum, one pool, embedded migrations.
mod functions;
mod handle;
mod pool;

pub use functions::{lower, lower_opt};
pub use handle::Db;
pub use pool::{connect_pool, Backend, DbConn, MultiBackend, Pool};

use diesel::prelude::*;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::{Error, Result};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Applies all pending migrations of the connection's backend.
pub fn migrate(conn: &mut DbConn) -> Result<()> {
    let applied = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        DbConn::Postgres(c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
    };
    applied
        .map(|_| ())
        .map_err(|e| Error::Database(format!("migration failed: {e}")))
}

/// Marks the data as changed. Called first in every write transaction, which also makes
/// SQLite take its write lock at once instead of failing on a lock upgrade later.
pub fn bump_data_version(conn: &mut DbConn) -> Result<()> {
    use crate::schema::data_version::dsl::*;
    diesel::update(data_version.filter(id.eq(1)))
        .set(version.eq(version + 1))
        .execute(conn)?;
    Ok(())
}

/// The current data version (graph snapshots compare it to know they are stale).
pub fn data_version(conn: &mut DbConn) -> Result<i64> {
    use crate::schema::data_version::dsl::*;
    Ok(data_version.filter(id.eq(1)).select(version).first(conn)?)
}

/// Writes a consistent copy of a SQLite database to `target` while the service runs
/// (`VACUUM INTO` reads one snapshot, WAL included, so every write committed before it
/// began is in the copy). `target` must not exist yet. PostgreSQL is backed up with its
/// own tools (`pg_dump`), which this refuses to imitate.
pub fn backup(conn: &mut DbConn, target: &std::path::Path) -> Result<()> {
    if target.exists() {
        return Err(Error::invalid("file", "exists already; choose a new file"));
    }
    let path = target
        .to_str()
        .ok_or_else(|| Error::invalid("file", "must be a UTF-8 path"))?;
    match conn {
        DbConn::Sqlite(c) => {
            use diesel::connection::SimpleConnection;
            c.batch_execute(&format!("VACUUM INTO '{}'", path.replace('\'', "''")))
                .map_err(|e| Error::Database(format!("backup failed: {e}")))
        }
        DbConn::Postgres(_) => Err(Error::invalid(
            "backend",
            "back up PostgreSQL with pg_dump (see README, Backup)",
        )),
    }
}

/// Runs `work` with SQLite set for one long write transaction (a bulk import): a page
/// cache large enough that the transaction's pages stay in memory instead of spilling
/// into the WAL half-done, and savepoint journals in memory. The pooled connection gets
/// its defaults back afterwards. PostgreSQL needs nothing of this.
pub fn with_bulk_settings<T>(conn: &mut DbConn, work: impl FnOnce(&mut DbConn) -> T) -> Result<T> {
    use diesel::connection::SimpleConnection;
    let sqlite = matches!(conn, DbConn::Sqlite(_));
    if sqlite {
        conn.batch_execute("PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;")?;
    }
    let out = work(conn);
    if sqlite {
        conn.batch_execute("PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT;")?;
    }
    Ok(out)
}

/// A new record id: UUIDv7, so ids sort by creation time on every backend.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The current time as stored: RFC 3339 UTC with microseconds (sorts as text).
pub fn now() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

/// A connection borrowed from the pool.
pub type PooledConn = diesel::r2d2::PooledConnection<pool::Manager>;
