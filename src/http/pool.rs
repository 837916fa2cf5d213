//! One bounded pool for CPU-heavy graph work (graph requests, pictures, graph exports):
//! as many threads as cores, at a lower scheduling priority, behind a bounded queue.
//! Tokio's blocking pool grows to 512 threads, so on two cores a crowd of heavy
//! requests took the CPU from light ones. Here heavy work waits its turn, light work
//! (one organisation's JSON, database reads, which stay on tokio's pool) runs first
//! whenever it is ready, and a full queue is answered at once with 503 and Retry-After
//! (`Error::Busy`) rather than piling up. Work that blocks on a client (streamed
//! downloads) must not come here: it would hold a thread while the client reads.
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, OnceLock};

use rocket::tokio::sync::oneshot;

use crate::error::{Error, Result};

type Job = Box<dyn FnOnce() + Send>;

/// Jobs waiting per thread before the pool says it is busy: a few seconds of paths or
/// pictures, not minutes.
pub const QUEUE_PER_THREAD: usize = 32;

/// The nice value of the pool's threads (0 normal, 19 lowest): the scheduler then gives
/// a ready light request the core before a heavy one.
#[cfg(target_os = "linux")]
const NICE: libc::c_int = 10;

pub struct HeavyPool {
    queue: SyncSender<Job>,
    threads: usize,
}

impl HeavyPool {
    /// `threads` workers and room for `queue` waiting jobs.
    pub fn new(threads: usize, queue: usize) -> std::io::Result<HeavyPool> {
        let threads = threads.max(1);
        let (sender, receiver) = sync_channel::<Job>(queue);
        let receiver = Arc::new(Mutex::new(receiver));
        for i in 0..threads {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("graph-heavy-{i}"))
                .spawn(move || work_loop(&receiver))?;
        }
        Ok(HeavyPool {
            queue: sender,
            threads,
        })
    }

    /// The process's pool: one thread per core.
    pub fn global() -> Result<&'static HeavyPool> {
        static POOL: OnceLock<Option<HeavyPool>> = OnceLock::new();
        POOL.get_or_init(|| {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            HeavyPool::new(cores, cores * QUEUE_PER_THREAD).ok()
        })
        .as_ref()
        .ok_or_else(|| Error::Internal("cannot start the graph pool".into()))
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Queues `work` now; the answer comes when it has run. `Error::Busy` at once when
    /// the queue is full.
    pub fn submit<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<impl std::future::Future<Output = Result<T>> + Send + 'static> {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move || {
            // A panic drops `tx`: the caller gets an error and the thread lives on.
            if let Ok(answer) = catch_unwind(AssertUnwindSafe(work)) {
                let _ = tx.send(answer);
            }
        });
        match self.queue.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(Error::Busy),
            Err(TrySendError::Disconnected(_)) => {
                return Err(Error::Internal("the graph pool has stopped".into()))
            }
        }
        Ok(async move {
            rx.await
                .map_err(|_| Error::Internal("a graph task failed".into()))
        })
    }

    /// Runs `work` on the pool and waits for it without holding an async worker.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        self.submit(work)?.await
    }
}

/// Runs `work` on the process's heavy pool.
pub async fn heavy<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    HeavyPool::global()?.run(work).await
}

fn work_loop(receiver: &Mutex<Receiver<Job>>) {
    lower_priority();
    loop {
        let job = match receiver.lock() {
            Ok(r) => r.recv(),
            Err(poisoned) => poisoned.into_inner().recv(),
        };
        match job {
            Ok(job) => job(),
            // The pool was dropped.
            Err(_) => return,
        }
    }
}

/// Lowers the calling thread's priority (on Linux the nice value is per thread).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its integer arguments; `0` names the calling thread.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, NICE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn a_full_queue_is_busy_and_a_panic_is_an_error() {
        let rt = rocket::tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let pool = HeavyPool::new(1, 1).expect("pool");
            let (hold, release) = std::sync::mpsc::channel::<()>();
            let started = Arc::new(AtomicUsize::new(0));
            let s = started.clone();
            // One job runs (held), one waits; the next finds the queue full.
            let running = pool
                .submit(move || {
                    s.fetch_add(1, Ordering::SeqCst);
                    let _ = release.recv_timeout(Duration::from_secs(5));
                    1
                })
                .expect("queued");
            while started.load(Ordering::SeqCst) == 0 {
                rocket::tokio::time::sleep(Duration::from_millis(1)).await;
            }
            let waiting = pool.submit(|| 2).expect("queued");
            assert!(matches!(pool.submit(|| 3), Err(Error::Busy)));
            hold.send(()).expect("release");
            assert_eq!(running.await.expect("ran"), 1);
            assert_eq!(waiting.await.expect("ran"), 2);
            let panicked = pool.run(|| -> u8 { panic!("boom") }).await;
            assert!(matches!(panicked, Err(Error::Internal(_))));
            assert_eq!(pool.run(|| 4).await.expect("still running"), 4);
        });
    }
}
