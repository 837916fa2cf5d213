//! The current snapshot behind an `Arc`, swapped after a rebuild. A background thread
//! compares the database's data version with the snapshot's and rebuilds off the request
//! path; readers always hold a complete snapshot.
use std::sync::{Arc, Condvar, Mutex, RwLock, Weak};
use std::time::{Duration, Instant};

use super::{build_snapshot, Snapshot};
use crate::db::{self, Pool};
use crate::error::Result;
use crate::store::snapshot;

/// How often the data version is polled when no local write has signalled a change.
const POLL: Duration = Duration::from_millis(200);

pub struct GraphState {
    current: RwLock<Arc<Snapshot>>,
    pool: Pool,
    wake: Arc<(Mutex<bool>, Condvar)>,
}

impl GraphState {
    /// Builds the first snapshot now and starts the refresher thread.
    pub fn start(pool: Pool) -> Result<Arc<GraphState>> {
        let first = Self::load(&pool)?;
        let state = Arc::new(GraphState {
            current: RwLock::new(Arc::new(first)),
            pool,
            wake: Arc::new((Mutex::new(false), Condvar::new())),
        });
        let weak = Arc::downgrade(&state);
        let wake = state.wake.clone();
        std::thread::Builder::new()
            .name("graph-refresh".into())
            .spawn(move || refresh_loop(weak, wake))
            .map_err(|e| crate::error::Error::Internal(e.to_string()))?;
        Ok(state)
    }

    fn load(pool: &Pool) -> Result<Snapshot> {
        let mut conn = pool.get()?;
        build_snapshot(snapshot::load_all(&mut conn)?)
    }

    pub fn current(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Asks the refresher to check now (called after local writes).
    pub fn nudge(&self) {
        let (flag, cv) = &*self.wake;
        if let Ok(mut f) = flag.lock() {
            *f = true;
            cv.notify_one();
        }
    }

    /// Rebuilds if the data version moved; returns whether it did.
    pub fn refresh(&self) -> Result<bool> {
        let mut conn = self.pool.get()?;
        let version = db::data_version(&mut conn)?;
        if version == self.current().version {
            return Ok(false);
        }
        let fresh = Arc::new(build_snapshot(snapshot::load_all(&mut conn)?)?);
        match self.current.write() {
            Ok(mut guard) => *guard = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(true)
    }

    /// Waits until the snapshot has at least `version` (for read-your-writes callers).
    pub fn wait_for(&self, version: i64, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while self.current().version < version {
            if Instant::now() >= deadline {
                return false;
            }
            self.nudge();
            std::thread::sleep(Duration::from_millis(5));
        }
        true
    }
}

fn refresh_loop(state: Weak<GraphState>, wake: Arc<(Mutex<bool>, Condvar)>) {
    let (flag, cv) = &*wake;
    loop {
        if let Ok(guard) = flag.lock() {
            if let Ok((mut woken, _)) = cv.wait_timeout_while(guard, POLL, |w| !*w) {
                *woken = false;
            }
        }
        let Some(state) = state.upgrade() else { return };
        if let Err(e) = state.refresh() {
            eprintln!("graph refresh failed, keeping the previous snapshot: {e}");
        }
    }
}
