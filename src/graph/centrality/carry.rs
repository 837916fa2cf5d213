//! Rankings kept across snapshot versions. Every write makes a new snapshot whose memo
//! starts empty, and a whole-graph betweenness estimate takes seconds at national scale:
//! asked after a write, a ranking answers at once with the last complete one, marked with
//! its version and with the computation of the current version's (`newer`), which is
//! queued here and computed in the background — one computation at a time, on a thread
//! of its own at lowered priority, only ever for the newest snapshot asked of. Only
//! rankings that name no node by index are carried (no `focus`: indices differ between
//! versions). A kept ranking is shared (`Arc`) and cut per request; the JSON of the few
//! cuts asked most is kept with it, so that serving one costs no serialisation.
use std::collections::{HashMap, VecDeque};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Instant;

use petgraph::graph::NodeIndex;
use serde::Serialize;

use super::exact::Progress;
use super::job::{JobProgress, JobStatus};
use super::{betweenness_with, city_subset, degree, Centrality, Method, Score};
use crate::domain::Disclosure;
use crate::graph::network::{KindFilter, View};
use crate::graph::query::{Discloses, MAX_RANKED};
use crate::graph::{MemoKey, Snapshot, TimeFilter, Viewer};

/// Rankings kept at most (one per request shape: measure, time, kinds, city, viewer);
/// the one asked least recently goes first. A whole ranking holds up to 10,000 nodes.
pub const MAX_KEPT: usize = 16;
/// Distinct rankings waiting for their computation at most; beyond, the longest
/// waiting is forgotten (a request that still wants it queues it again).
const MAX_QUEUED: usize = 8;
/// Cuts whose JSON a ranking keeps, and the longest cut kept as JSON (longer ones are
/// serialised per request, from the shared ranking).
const MAX_CUTS: usize = 4;
const MAX_CUT_KEPT: usize = 1_000;

/// What a ranking is computed from, naming no node: kept across versions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RankKey {
    pub betweenness: bool,
    pub time: TimeFilter,
    pub kinds: KindFilter,
    /// Lower-case city whose subgraph is ranked.
    pub city: Option<String>,
    pub viewer: Viewer,
}

impl RankKey {
    /// The whole ranking (its first `MAX_RANKED` nodes) on `s`, of the city's subgraph,
    /// of the nodes `depth` steps around `focus`, or of everything; progress counted.
    pub fn compute(
        &self,
        s: &Snapshot,
        focus: Option<(NodeIndex, usize)>,
        progress: &Progress,
    ) -> Centrality {
        let ranked = MAX_RANKED;
        let view = View {
            s,
            time: self.time,
            kinds: self.kinds.clone(),
        };
        let subset = match (&self.city, focus) {
            (Some(city), _) => Some(city_subset(&view, city)),
            (None, Some((f, depth))) => Some(view.ego(f, depth)),
            (None, None) => None,
        };
        if self.betweenness {
            betweenness_with(&view, subset.as_deref(), ranked, self.viewer, progress)
        } else {
            degree(&view, subset.as_deref(), ranked, self.viewer)
        }
    }

    /// The whole ranking of `s`, from its memo or computed and kept there (callers at
    /// once share one computation).
    pub fn ranked_on(
        &self,
        s: &Snapshot,
        focus: Option<(NodeIndex, usize)>,
        progress: &Progress,
    ) -> Arc<Ranked> {
        let key = MemoKey::Centrality {
            ranking: self.clone(),
            focus,
        };
        s.memo
            .get_or(key, || Ranked::new(self.compute(s, focus, progress)))
    }
}

/// A ranking's JSON for one request and the persons it shows.
#[derive(Debug, Clone)]
pub struct Served {
    pub json: Arc<str>,
    pub persons: Disclosure,
}

impl Served {
    pub fn of(answer: &Centrality) -> Served {
        let mut persons = Disclosure::none();
        answer.disclose(&mut persons);
        Served {
            json: to_json(answer),
            persons,
        }
    }
}

/// Plain data (strings, numbers, enums) always serialises.
fn to_json<T: Serialize>(value: &T) -> Arc<str> {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "{}".into())
        .into()
}

/// A whole ranking, computed once and cut per request.
pub struct Ranked {
    pub whole: Centrality,
    /// The JSON of the cuts asked last (by limit), newest last.
    cuts: Mutex<Vec<(usize, Served)>>,
}

/// A cut of a ranking as the API writes it: the fields and order of `Centrality`.
#[derive(Serialize)]
struct CutJson<'a> {
    #[serde(flatten)]
    method: &'a Method,
    nodes: usize,
    items: &'a [&'a Score],
    version: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    newer: Option<&'a JobProgress>,
}

impl Ranked {
    pub fn new(whole: Centrality) -> Ranked {
        Ranked {
            whole,
            cuts: Mutex::new(Vec::new()),
        }
    }

    pub fn version(&self) -> i64 {
        self.whole.version
    }

    /// The first `limit` nodes as an answer (only those are copied).
    pub fn cut(&self, limit: usize) -> Centrality {
        Centrality {
            method: self.whole.method.clone(),
            nodes: self.whole.nodes,
            items: self.whole.items.iter().take(limit).cloned().collect(),
            version: self.whole.version,
            newer: None,
        }
    }

    /// The JSON of the first `limit` nodes, kept for the next request of that limit.
    pub fn served(&self, limit: usize) -> Served {
        let limit = limit.min(self.whole.items.len());
        if let Some((_, kept)) = lock(&self.cuts).iter().find(|(l, _)| *l == limit) {
            return kept.clone();
        }
        let items: Vec<&Score> = self.whole.items.iter().take(limit).collect();
        let served = self.serialise(&items, None);
        if limit <= MAX_CUT_KEPT {
            let mut cuts = lock(&self.cuts);
            if !cuts.iter().any(|(l, _)| *l == limit) {
                if cuts.len() == MAX_CUTS {
                    cuts.remove(0);
                }
                cuts.push((limit, served.clone()));
            }
        }
        served
    }

    /// The JSON of the first `limit` nodes that are still in `s` (a ranking of an older
    /// version may name records since deleted or erased), marked with `newer`.
    fn served_on(&self, s: &Snapshot, limit: usize, newer: &JobProgress) -> Served {
        let items: Vec<&Score> = self
            .whole
            .items
            .iter()
            .filter(|i| i.node.id.as_deref().is_none_or(|id| s.node(id).is_some()))
            .take(limit)
            .collect();
        self.serialise(&items, Some(newer))
    }

    fn serialise(&self, items: &[&Score], newer: Option<&JobProgress>) -> Served {
        let mut persons = Disclosure::none();
        for item in items {
            item.node.disclose(&mut persons);
        }
        let cut = CutJson {
            method: &self.whole.method,
            nodes: self.whole.nodes,
            items,
            version: self.whole.version,
            newer,
        };
        Served {
            json: to_json(&cut),
            persons,
        }
    }
}

struct Kept {
    ranked: Arc<Ranked>,
    /// When it was last asked for (a counter), for forgetting the least used.
    used: u64,
}

struct Running {
    key: RankKey,
    version: i64,
    progress: Arc<Progress>,
    started: Instant,
}

#[derive(Default)]
struct Inner {
    kept: HashMap<RankKey, Kept>,
    tick: u64,
    /// Waiting computations: the ranking and the snapshot to compute it on (not kept
    /// alive here: once replaced, a newer request queues the newer one).
    queue: VecDeque<(RankKey, Weak<Snapshot>, i64)>,
    running: Option<Running>,
    worker: bool,
}

/// The rankings of one service instance, kept across its snapshots.
#[derive(Default)]
pub struct Rankings {
    inner: Mutex<Inner>,
}

impl Rankings {
    pub fn new() -> Arc<Rankings> {
        Arc::new(Rankings::default())
    }

    /// The ranking for `key` served at once on `s`: of `s`'s version (or a newer one),
    /// or the last complete one of an older version, marked with its version and with
    /// the computation of `s`'s values, which is queued unless it is already. `None`
    /// when no ranking for `key` was computed yet.
    pub fn serve(
        self: &Arc<Self>,
        key: &RankKey,
        s: &Arc<Snapshot>,
        limit: usize,
    ) -> Option<Served> {
        let (ranked, newer) = {
            let mut inner = lock(&self.inner);
            inner.tick += 1;
            let tick = inner.tick;
            let kept = inner.kept.get_mut(key)?;
            kept.used = tick;
            let ranked = kept.ranked.clone();
            let newer = (ranked.version() < s.version).then(|| self.want(&mut inner, key, s));
            (ranked, newer)
        };
        Some(match newer {
            None => ranked.served(limit),
            Some(newer) => ranked.served_on(s, limit, &newer),
        })
    }

    /// Keeps `ranked` as the last complete ranking for `key`, unless a newer one is.
    pub fn keep(&self, key: RankKey, ranked: Arc<Ranked>) {
        let mut inner = lock(&self.inner);
        inner.tick += 1;
        let tick = inner.tick;
        match inner.kept.get_mut(&key) {
            Some(kept) if kept.ranked.version() >= ranked.version() => kept.used = tick,
            Some(kept) => *kept = Kept { ranked, used: tick },
            None => {
                inner.kept.insert(key, Kept { ranked, used: tick });
                if inner.kept.len() > MAX_KEPT {
                    let least = inner
                        .kept
                        .iter()
                        .min_by_key(|(_, k)| k.used)
                        .map(|(k, _)| k.clone());
                    if let Some(least) = least {
                        inner.kept.remove(&least);
                    }
                }
            }
        }
    }

    /// The version of the ranking kept for `key`, if any (for tests).
    pub fn kept_version(&self, key: &RankKey) -> Option<i64> {
        lock(&self.inner).kept.get(key).map(|k| k.ranked.version())
    }

    /// The progress of the computation for `key` at `s`'s version, queued if need be.
    fn want(self: &Arc<Self>, inner: &mut Inner, key: &RankKey, s: &Arc<Snapshot>) -> JobProgress {
        let queued = |version| JobProgress {
            status: JobStatus::Queued,
            version,
            sources_done: 0,
            sources_total: 0,
            elapsed_seconds: 0.0,
        };
        if let Some(r) = inner.running.as_ref().filter(|r| r.key == *key) {
            if r.version >= s.version {
                return JobProgress {
                    status: JobStatus::Running,
                    version: r.version,
                    sources_done: r.progress.done.load(Ordering::Relaxed),
                    sources_total: r.progress.total.load(Ordering::Relaxed),
                    elapsed_seconds: r.started.elapsed().as_secs_f64(),
                };
            }
        }
        if let Some((_, waiting, version)) = inner.queue.iter_mut().find(|(k, ..)| k == key) {
            if *version < s.version || waiting.strong_count() == 0 {
                *waiting = Arc::downgrade(s);
                *version = s.version;
            }
            return queued(*version);
        }
        inner
            .queue
            .push_back((key.clone(), Arc::downgrade(s), s.version));
        while inner.queue.len() > MAX_QUEUED {
            inner.queue.pop_front();
        }
        if !inner.worker {
            let me = self.clone();
            let spawned = std::thread::Builder::new()
                .name("rankings".into())
                .spawn(move || me.work());
            match spawned {
                Ok(_) => inner.worker = true,
                Err(e) => eprintln!("could not start the ranking thread: {e}"),
            }
        }
        queued(s.version)
    }

    /// Computes queued rankings one after another; ends when none is left.
    fn work(self: Arc<Self>) {
        lower_priority();
        loop {
            let (key, snapshot, progress) = {
                let mut inner = lock(&self.inner);
                let Some((key, waiting, _)) = inner.queue.pop_front() else {
                    inner.worker = false;
                    return;
                };
                // A snapshot replaced before its turn, or a ranking a request has
                // computed meanwhile, needs nothing more.
                let Some(snapshot) = waiting.upgrade() else {
                    continue;
                };
                let done = inner.kept.get(&key).map(|k| k.ranked.version());
                if done.is_some_and(|v| v >= snapshot.version) {
                    continue;
                }
                let progress = Arc::new(Progress::default());
                inner.running = Some(Running {
                    key: key.clone(),
                    version: snapshot.version,
                    progress: progress.clone(),
                    started: Instant::now(),
                });
                (key, snapshot, progress)
            };
            let computed = std::panic::catch_unwind(AssertUnwindSafe(|| {
                key.ranked_on(&snapshot, None, &progress)
            }));
            drop(snapshot);
            lock(&self.inner).running = None;
            match computed {
                Ok(ranked) => self.keep(key, ranked),
                Err(_) => eprintln!("computing the ranking {key:?} failed"),
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// Lowers the calling thread's priority and that of the threads it starts (on Linux the
/// nice value is per thread and inherited): requests get the cores first.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its integer arguments; `0` names the calling thread.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::network::NodeJson;

    fn ranking(version: i64, ids: &[&str]) -> Centrality {
        Centrality {
            method: Method::Sampled {
                sources: 500,
                error_bound: 0.1,
            },
            nodes: 40,
            items: ids
                .iter()
                .enumerate()
                .map(|(i, id)| Score {
                    node: NodeJson {
                        key: format!("n{i}"),
                        id: Some(id.to_string()),
                        label: Some(format!("Verein {id}")),
                        node_type: "organisation",
                        kind: None,
                        city: None,
                    },
                    score: 10.0 - i as f64,
                    normalized: 0.5,
                })
                .collect(),
            version,
            newer: None,
        }
    }

    #[test]
    fn a_kept_cut_is_the_answer_serialised() {
        let whole = ranking(7, &["a", "b", "c"]);
        let ranked = Ranked::new(whole.clone());
        for limit in [0, 2, 3, 50] {
            let expected = serde_json::to_string(&ranked.cut(limit)).unwrap();
            assert_eq!(&*ranked.served(limit).json, expected, "limit {limit}");
            // Asked again: the same text, kept.
            let again = ranked.served(limit);
            assert_eq!(&*again.json, expected);
        }
        let kept = lock(&ranked.cuts);
        assert!(kept.len() <= MAX_CUTS, "bounded");
        // 50 is cut to the 3 there are: one entry for both.
        assert_eq!(kept.iter().filter(|(l, _)| *l == 3).count(), 1);
    }

    #[test]
    fn keeps_the_newest_and_forgets_the_least_used() {
        let rankings = Rankings::new();
        let key = |i: usize| RankKey {
            betweenness: true,
            time: TimeFilter::ALL,
            kinds: KindFilter::default(),
            city: Some(format!("stadt {i}")),
            viewer: Viewer::Anonymous,
        };
        rankings.keep(key(0), Arc::new(Ranked::new(ranking(5, &["a"]))));
        rankings.keep(key(0), Arc::new(Ranked::new(ranking(4, &["a"]))));
        assert_eq!(
            rankings.kept_version(&key(0)),
            Some(5),
            "an older one is not kept"
        );
        rankings.keep(key(0), Arc::new(Ranked::new(ranking(6, &["a"]))));
        assert_eq!(rankings.kept_version(&key(0)), Some(6));
        for i in 1..=MAX_KEPT {
            rankings.keep(key(i), Arc::new(Ranked::new(ranking(1, &["a"]))));
        }
        assert_eq!(lock(&rankings.inner).kept.len(), MAX_KEPT, "bounded");
        assert_eq!(rankings.kept_version(&key(0)), None, "the least used went");
        assert_eq!(rankings.kept_version(&key(MAX_KEPT)), Some(1));
    }
}
