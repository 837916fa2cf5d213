//! `Db`, the pool handle kept in Rocket state: pooled connections for blocking code and
//! `run` to move database work off the async workers.
use super::pool::{connect_pool, Backend, DbConn, Pool};
use super::PooledConn;
use crate::error::{Error, Result};

pub struct Db {
    pool: Pool,
    pub backend: Backend,
}

impl Db {
    /// Opens a pool of at most `pool_size` connections to `url` (backend from the scheme).
    pub fn connect(url: &str, pool_size: u32) -> Result<Db> {
        let (pool, backend) = connect_pool(url, pool_size)?;
        Ok(Db { pool, backend })
    }

    /// A pooled connection for blocking code (CLI, tests, start-up).
    pub fn conn(&self) -> Result<PooledConn> {
        Ok(self.pool.get()?)
    }

    /// The pool itself, for owners of their own blocking threads (the graph refresher).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    pub async fn run<F, T>(&self, work: F) -> Result<T>
    where
        F: FnOnce(&mut DbConn) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        rocket::tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            work(&mut conn)
        })
        .await
        .map_err(|e| Error::Internal(format!("database task failed: {e}")))?
    }
}
