//! The current snapshot behind an `Arc`, swapped for a newer one after writes. The newer
//! one is the current one with the changes since its version applied (`delta`), read
//! from the change log; a full rebuild only at start and when a batch of changes is too
//! large or the log cannot tell what changed. The instance that writes applies its write
//! before it answers (read-your-writes); a background thread polls the data version for
//! other instances' writes. Readers always hold a complete snapshot. A second thread computes ahead, on
//! each new snapshot, what requests are likely to ask of it (`Prepare`).
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, RwLock, Weak};
use std::time::{Duration, Instant};

use super::{build_snapshot, MemoKey, Snapshot};
use crate::db::Pool;
use crate::error::Result;
use crate::store::snapshot::{self, Since};

/// How often the data version is polled when no local write has signalled a change.
const POLL: Duration = Duration::from_millis(200);

/// Records one batch of changes may touch before a full rebuild is the cheaper way (an
/// import of thousands of rows).
const MAX_DELTA: usize = 2_000;

/// Whether a refresh may rebuild the whole snapshot itself, or leaves that to the
/// background thread (a request should not wait a second or more for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rebuild {
    Here,
    InBackground,
}

/// Work done ahead on a new snapshot, given the memo keys the previous snapshots were
/// asked for (most recent first). It fills the snapshot's memo; requests asking for the
/// same key meanwhile wait for it rather than compute it twice.
pub type Prepare = Box<dyn Fn(&Snapshot, &[MemoKey]) + Send>;

/// News of a new snapshot: what was asked of the one it replaced. The preparing thread
/// takes the current snapshot itself when its turn comes, so that the queue holds no
/// reference to any (a snapshot no one else holds takes the next write in place).
type Fresh = Vec<MemoKey>;

/// The preparing thread waits for writes to pause this long before it lays out pictures
/// on the newest snapshot, and at most `PREPARE_WAIT_MAX` after the first one it saw.
const PREPARE_QUIET: Duration = Duration::from_millis(300);
const PREPARE_WAIT_MAX: Duration = Duration::from_secs(3);

pub struct GraphState {
    current: RwLock<Arc<Snapshot>>,
    pool: Pool,
    wake: Arc<(Mutex<bool>, Condvar)>,
    /// To the preparing thread, if any.
    prepare: Mutex<Option<Sender<Fresh>>>,
    /// Held while a newer snapshot is made: one at a time, each from the latest.
    making: Mutex<()>,
    /// Snapshots built from all rows so far (the first one included).
    full_builds: AtomicU64,
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
        let state = Arc::new(GraphState {
            current: RwLock::new(first),
            pool,
            wake: Arc::new((Mutex::new(false), Condvar::new())),
            prepare: Mutex::new(None),
            making: Mutex::new(()),
            full_builds: AtomicU64::new(1),
        });
        if let Some(prepare) = prepare {
            let (sender, receiver) = channel::<Fresh>();
            let weak = Arc::downgrade(&state);
            spawn(
                "graph-prepare",
                Box::new(move || prepare_loop(weak, receiver, prepare)),
            )?;
            let _ = sender.send(Vec::new());
            if let Ok(mut slot) = state.prepare.lock() {
                *slot = Some(sender);
            }
        }
        let weak = Arc::downgrade(&state);
        let wake = state.wake.clone();
        spawn("graph-refresh", Box::new(move || refresh_loop(weak, wake)))?;
        Ok(state)
    }

    fn load(pool: &Pool) -> Result<Snapshot> {
        let mut conn = pool.get()?;
        build_snapshot(snapshot::load_all(&mut conn)?)
    }

    fn rebuild(&self, conn: &mut crate::db::DbConn) -> Result<Snapshot> {
        self.full_builds.fetch_add(1, Ordering::Relaxed);
        build_snapshot(snapshot::load_all(conn)?)
    }

    /// How many snapshots were built from all rows rather than from the changes since
    /// the previous one (for tests and the benchmark).
    pub fn full_builds(&self) -> u64 {
        self.full_builds.load(Ordering::Relaxed)
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

    /// Brings the snapshot up to the data version if it moved; returns whether it did.
    pub fn refresh(&self) -> Result<bool> {
        self.refresh_with(Rebuild::Here)
    }

    /// Applies this instance's own write before the write is answered. Errors are the
    /// background thread's to retry: the write itself has been stored.
    pub fn catch_up(&self) {
        if let Err(e) = self.refresh_with(Rebuild::InBackground) {
            eprintln!("applying a write to the graph failed, left to the refresher: {e}");
            self.nudge();
        }
    }

    pub fn refresh_with(&self, rebuild: Rebuild) -> Result<bool> {
        let _one_at_a_time = match self.making.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let current = self.current();
        let mut conn = self.pool.get()?;
        let since = snapshot::changes_since(&mut conn, current.version, MAX_DELTA, &|id| {
            current.node(id).is_some()
        })?;
        // Let go of it: a snapshot no one else holds takes the changes in place.
        drop(current);
        let fresh = match since {
            Since::Unchanged => return Ok(false),
            Since::Delta(delta) => {
                // No one else holds the snapshot: change it where it is, without a copy
                // (touching every shared node's count costs more than the change).
                if let Some(applied) = self.apply_in_place(&delta) {
                    if applied.is_err() {
                        let fresh = self.rebuild(&mut conn)?;
                        self.install(Arc::new(fresh));
                    }
                    return Ok(true);
                }
                let current = self.current();
                let mut next = current.copy_for_changes();
                match next.apply(&delta.touched, &delta.rows, &delta.children) {
                    Ok(()) => next,
                    // A row the snapshot cannot take: the full build reports it as well.
                    Err(_) => self.rebuild(&mut conn)?,
                }
            }
            Since::Rebuild if rebuild == Rebuild::InBackground => {
                self.nudge();
                return Ok(false);
            }
            Since::Rebuild => self.rebuild(&mut conn)?,
        };
        self.install(Arc::new(fresh));
        Ok(true)
    }

    /// Applies `delta` to the current snapshot itself if nothing else holds it; `None`
    /// if something does. On an error the snapshot is half-changed and must be replaced.
    fn apply_in_place(&self, delta: &snapshot::Delta) -> Option<Result<()>> {
        let mut guard = match self.current.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let s = Arc::get_mut(&mut guard)?;
        let asked = std::mem::take(&mut s.memo).keys();
        let applied = s.apply(&delta.touched, &delta.rows, &delta.children);
        drop(guard);
        if let Ok(Some(sender)) = self.prepare.lock().as_deref() {
            let _ = sender.send(asked);
        }
        Some(applied)
    }

    /// Makes `fresh` the current snapshot and hands it to the preparing thread.
    fn install(&self, fresh: Arc<Snapshot>) {
        let replaced = match self.current.write() {
            Ok(mut guard) => std::mem::replace(&mut *guard, fresh.clone()),
            Err(poisoned) => std::mem::replace(&mut *poisoned.into_inner(), fresh.clone()),
        };
        if let Ok(Some(sender)) = self.prepare.lock().as_deref() {
            let _ = sender.send(replaced.memo.keys());
        }
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

/// Prepares the newest snapshot sent, once writes pause; those replaced before their turn
/// are skipped, but what was asked of them is not forgotten.
fn prepare_loop(state: Weak<GraphState>, receiver: Receiver<Fresh>, prepare: Prepare) {
    while let Ok(mut asked) = receiver.recv() {
        let first = Instant::now();
        while let Ok(more) = receiver.recv_timeout(PREPARE_QUIET) {
            asked.extend(more);
            if first.elapsed() > PREPARE_WAIT_MAX {
                break;
            }
        }
        let Some(state) = state.upgrade() else { return };
        let snapshot = state.current();
        drop(state);
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
