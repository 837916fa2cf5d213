//! The current snapshot behind an `Arc`, swapped after a rebuild. A background thread
//! compares the database's data version with the snapshot's and rebuilds off the request
//! path; readers always hold a complete snapshot. A second thread computes ahead, on
//! each new snapshot, what requests are likely to ask of it (`Prepare`).
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, RwLock, Weak};
use std::time::{Duration, Instant};

use super::{build_snapshot, MemoKey, Snapshot};
use crate::db::{self, Pool};
use crate::error::Result;
use crate::store::snapshot;

/// How often the data version is polled when no local write has signalled a change.
const POLL: Duration = Duration::from_millis(200);

/// Work done ahead on a new snapshot, given the memo keys the previous snapshots were
/// asked for (most recent first). It fills the snapshot's memo; requests asking for the
/// same key meanwhile wait for it rather than compute it twice.
pub type Prepare = Box<dyn Fn(&Snapshot, &[MemoKey]) + Send>;

/// A new snapshot and what was asked of the one it replaced.
type Fresh = (Arc<Snapshot>, Vec<MemoKey>);

pub struct GraphState {
    current: RwLock<Arc<Snapshot>>,
    pool: Pool,
    wake: Arc<(Mutex<bool>, Condvar)>,
    /// To the preparing thread, if any.
    prepare: Mutex<Option<Sender<Fresh>>>,
}

impl GraphState {
    /// Builds the first snapshot now and starts the refresher thread.
    pub fn start(pool: Pool) -> Result<Arc<GraphState>> {
        Self::start_preparing(pool, None)
    }

    /// Like `start`, and runs `prepare` on every new snapshot (the first included) on a
    /// thread of its own.
    pub fn start_preparing(pool: Pool, prepare: Option<Prepare>) -> Result<Arc<GraphState>> {
        let first = Arc::new(Self::load(&pool)?);
        let spawn = |name: &str, work: Box<dyn FnOnce() + Send>| {
            std::thread::Builder::new()
                .name(name.into())
                .spawn(work)
                .map(|_| ())
                .map_err(|e| crate::error::Error::Internal(e.to_string()))
        };
        let sender = match prepare {
            Some(prepare) => {
                let (sender, receiver) = channel::<Fresh>();
                spawn(
                    "graph-prepare",
                    Box::new(move || prepare_loop(receiver, prepare)),
                )?;
                let _ = sender.send((first.clone(), Vec::new()));
                Some(sender)
            }
            None => None,
        };
        let state = Arc::new(GraphState {
            current: RwLock::new(first),
            pool,
            wake: Arc::new((Mutex::new(false), Condvar::new())),
            prepare: Mutex::new(sender),
        });
        let weak = Arc::downgrade(&state);
        let wake = state.wake.clone();
        spawn("graph-refresh", Box::new(move || refresh_loop(weak, wake)))?;
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
        let replaced = match self.current.write() {
            Ok(mut guard) => std::mem::replace(&mut *guard, fresh.clone()),
            Err(poisoned) => std::mem::replace(&mut *poisoned.into_inner(), fresh.clone()),
        };
        if let Ok(Some(sender)) = self.prepare.lock().as_deref() {
            let _ = sender.send((fresh, replaced.memo.keys()));
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

/// Prepares the newest snapshot sent; those replaced before their turn are skipped, but
/// what was asked of them is not forgotten.
fn prepare_loop(receiver: Receiver<Fresh>, prepare: Prepare) {
    while let Ok((mut snapshot, mut asked)) = receiver.recv() {
        while let Ok((newer, more)) = receiver.try_recv() {
            snapshot = newer;
            asked.extend(more);
        }
        let mut seen = std::collections::HashSet::new();
        asked.retain(|k| seen.insert(k.clone()));
        prepare(&snapshot, &asked);
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
