//! Exact betweenness of the whole graph (or a city's subgraph) as a background job per
//! snapshot version. The first request queues it; while it runs, requests see its
//! progress; once done, requests get the values of the latest finished version, marked
//! with it, even after newer snapshots (whose job is then queued). One job runs at a
//! time, on a thread of its own (and its helper threads) at lowered priority, never on
//! Rocket's async workers or tokio's blocking pool, so that other requests keep going.
use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use serde::Serialize;

use super::exact::{exact_betweenness, Progress};
use super::{city_subset, top, Centrality, Csr, Method};
use crate::graph::network::{KindFilter, View};
use crate::graph::{Snapshot, TimeFilter, Viewer};

/// What an exact job computes: the graph as filtered, whole or one city's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JobKey {
    pub time: TimeFilter,
    pub kinds: KindFilter,
    /// Lower-case city name.
    pub city: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Queued,
    Running,
}

/// How far the exact job for a version has come.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct JobProgress {
    pub status: JobStatus,
    /// The data version the job computes the values of.
    pub version: i64,
    /// Source nodes walked so far (isolated nodes count as done at once).
    pub sources_done: usize,
    /// All source nodes of the graph; 0 while queued.
    pub sources_total: usize,
    /// Seconds since the job started; 0 while queued.
    pub elapsed_seconds: f64,
}

/// A finished job: the whole rankings for both kinds of viewer.
pub struct Finished {
    pub version: i64,
    pub seconds: f64,
    anonymous: Centrality,
    signed_in: Centrality,
}

impl Finished {
    /// The first `limit` of the ranking `viewer` may see, with `newer` progress if a
    /// newer version is being computed.
    pub fn ranking(&self, viewer: Viewer, limit: usize, newer: Option<JobProgress>) -> Centrality {
        let whole = match viewer {
            Viewer::Anonymous => &self.anonymous,
            Viewer::SignedIn => &self.signed_in,
        };
        Centrality {
            method: whole.method.clone(),
            nodes: whole.nodes,
            items: whole.items.iter().take(limit).cloned().collect(),
            version: whole.version,
            newer,
        }
    }
}

/// What a request for exact values gets.
pub enum Exact {
    /// Values of the latest finished version (and the newer job's progress, if any).
    Ready(Arc<Finished>, Option<JobProgress>),
    /// No version finished yet: the job's progress.
    Pending(JobProgress),
}

/// Distinct jobs waiting at most; beyond, the longest-waiting is forgotten (a request
/// that still wants it queues it again).
const MAX_QUEUED: usize = 4;
/// Finished answers kept at most (whole graph and a few cities), the oldest first out.
const MAX_FINISHED: usize = 8;

struct Running {
    key: JobKey,
    version: i64,
    progress: Arc<Progress>,
    started: Instant,
}

impl Running {
    fn progress(&self) -> JobProgress {
        JobProgress {
            status: JobStatus::Running,
            version: self.version,
            sources_done: self.progress.done.load(Ordering::Relaxed),
            sources_total: self.progress.total.load(Ordering::Relaxed),
            elapsed_seconds: self.started.elapsed().as_secs_f64(),
        }
    }
}

#[derive(Default)]
struct Jobs {
    finished: Vec<(JobKey, Arc<Finished>)>,
    running: Option<Running>,
    queue: VecDeque<(JobKey, Arc<Snapshot>)>,
    worker: bool,
}

/// The exact jobs of one service instance.
pub struct ExactJobs {
    jobs: Mutex<Jobs>,
    /// How many ranked nodes a finished answer keeps.
    ranked: usize,
    threads: usize,
}

impl ExactJobs {
    pub fn new(ranked: usize) -> Arc<ExactJobs> {
        let threads = std::thread::available_parallelism()
            .map(|p| p.get())
            .unwrap_or(1);
        Arc::new(ExactJobs {
            jobs: Mutex::default(),
            ranked,
            threads,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Jobs> {
        match self.jobs.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The exact values for `key` on snapshot `s` or a finished older one; queues the
    /// job for `s` unless it is done, running or queued.
    pub fn ask(self: &Arc<Self>, key: JobKey, s: &Arc<Snapshot>) -> Exact {
        let mut jobs = self.lock();
        let done = jobs
            .finished
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, f)| f.clone());
        if let Some(f) = done.as_ref().filter(|f| f.version >= s.version) {
            return Exact::Ready(f.clone(), None);
        }
        let progress = self.want(&mut jobs, key, s);
        match done {
            Some(f) => Exact::Ready(f, Some(progress)),
            None => Exact::Pending(progress),
        }
    }

    /// The progress of the job for `key` at `s`'s version, queued if need be.
    fn want(self: &Arc<Self>, jobs: &mut Jobs, key: JobKey, s: &Arc<Snapshot>) -> JobProgress {
        let queued = |version| JobProgress {
            status: JobStatus::Queued,
            version,
            sources_done: 0,
            sources_total: 0,
            elapsed_seconds: 0.0,
        };
        if let Some(r) = jobs.running.as_ref() {
            if r.key == key && r.version >= s.version {
                return r.progress();
            }
        }
        if let Some((_, waiting)) = jobs.queue.iter_mut().find(|(k, _)| *k == key) {
            if waiting.version < s.version {
                *waiting = s.clone();
            }
            return queued(waiting.version);
        }
        jobs.queue.push_back((key, s.clone()));
        while jobs.queue.len() > MAX_QUEUED {
            jobs.queue.pop_front();
        }
        if !jobs.worker {
            let me = self.clone();
            let spawned = std::thread::Builder::new()
                .name("betweenness".into())
                .spawn(move || me.work());
            match spawned {
                Ok(_) => jobs.worker = true,
                Err(e) => eprintln!("could not start the betweenness job: {e}"),
            }
        }
        queued(s.version)
    }

    /// Runs queued jobs one after another; ends when none is left.
    fn work(self: Arc<Self>) {
        lower_priority();
        loop {
            let (key, snapshot, progress) = {
                let mut jobs = self.lock();
                let Some((key, snapshot)) = jobs.queue.pop_front() else {
                    jobs.worker = false;
                    return;
                };
                let progress = Arc::new(Progress::default());
                jobs.running = Some(Running {
                    key: key.clone(),
                    version: snapshot.version,
                    progress: progress.clone(),
                    started: Instant::now(),
                });
                (key, snapshot, progress)
            };
            let computed = std::panic::catch_unwind(AssertUnwindSafe(|| {
                self.compute(&key, &snapshot, &progress)
            }));
            drop(snapshot);
            let mut jobs = self.lock();
            jobs.running = None;
            match computed {
                Ok(finished) => {
                    jobs.finished.retain(|(k, _)| *k != key);
                    jobs.finished.push((key, Arc::new(finished)));
                    if jobs.finished.len() > MAX_FINISHED {
                        jobs.finished.remove(0);
                    }
                }
                Err(_) => eprintln!("the betweenness job for {key:?} failed"),
            }
        }
    }

    fn compute(&self, key: &JobKey, s: &Snapshot, progress: &Progress) -> Finished {
        let started = Instant::now();
        let view = View {
            s,
            time: key.time,
            kinds: key.kinds.clone(),
        };
        let subset = key.city.as_deref().map(|c| city_subset(&view, c));
        let csr = Csr::build(&view, subset.as_deref());
        let scores = exact_betweenness(&csr, self.threads, progress);
        let n = csr.len() as f64;
        let pairs = (n - 1.0) * (n - 2.0) / 2.0;
        let ranking = |viewer| Centrality {
            method: Method::Exact,
            nodes: csr.len(),
            items: top(&view, &csr, &scores, pairs, self.ranked, viewer),
            version: s.version,
            newer: None,
        };
        Finished {
            version: s.version,
            anonymous: ranking(Viewer::Anonymous),
            signed_in: ranking(Viewer::SignedIn),
            seconds: started.elapsed().as_secs_f64(),
        }
    }
}

/// Lowers the calling thread's priority (and that of the threads it starts): the job
/// yields the cores to requests whenever they need them.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        extern "C" {
            fn nice(inc: i32) -> i32;
        }
        // SAFETY: nice(2) only changes the calling thread's scheduling priority (on Linux
        // priority is per thread) and touches no memory; failure leaves it unchanged.
        unsafe {
            nice(10);
        }
    }
}
