//! Answers kept with their snapshot, by a typed key of what they were computed from.
use std::any::Any;
use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::{Arc, Mutex, OnceLock};

use petgraph::graph::NodeIndex;

use super::centrality::carry::RankKey;
use super::query::ViewRequest;
use super::Viewer;

/// What a kept answer was computed from: the whole request, as typed values.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MemoKey {
    /// A whole ranking (cut to each request's limit afterwards): the whole graph's or a
    /// city's, or around a focus node, `depth` steps.
    Centrality {
        ranking: RankKey,
        focus: Option<(NodeIndex, usize)>,
    },
    /// A picture's layout: the positions of the view's nodes.
    Layout(ViewRequest, Viewer),
    /// A whole picture: its view laid out and named, for the page, the files and the API.
    Picture(ViewRequest, Viewer),
    /// The compact adjacency that shortest paths walk (`paths::PathIndex`).
    Paths,
}

/// Answers kept by a key for as long as their snapshot is current: a whole-graph
/// betweenness takes seconds, and asking twice must not — nor asking twice at once: the
/// second caller waits for the first one's answer. The oldest goes first when full.
pub struct Memo<K = MemoKey>(Mutex<MemoEntries<K>>);

impl<K> Default for Memo<K> {
    fn default() -> Self {
        Memo(Mutex::new(MemoEntries {
            by_key: HashMap::new(),
            oldest_first: VecDeque::new(),
        }))
    }
}

type Kept = Arc<dyn Any + Send + Sync>;
type Slot = Arc<OnceLock<Kept>>;

pub struct MemoEntries<K> {
    by_key: HashMap<K, Slot>,
    oldest_first: VecDeque<K>,
}

impl<K: Clone + Eq + Hash> Memo<K> {
    /// Kept answers at most (a whole-graph ranking holds up to 10,000 scored nodes, a
    /// picture up to 3,000 nodes).
    pub const MAX: usize = 48;

    /// The answer kept for `key`, or `compute`'s, kept.
    pub fn get_or<T: Any + Send + Sync>(&self, key: K, compute: impl FnOnce() -> T) -> Arc<T> {
        let slot = self.slot(key);
        let mut compute = Some(compute);
        let kept = slot
            .get_or_init(|| match compute.take() {
                Some(f) => Arc::new(f()),
                None => unreachable!("the closure runs once"),
            })
            .clone();
        match (kept.downcast::<T>(), compute.take()) {
            (Ok(found), _) => found,
            // The key holds an answer of another type: answer without keeping.
            (Err(_), Some(f)) => Arc::new(f()),
            (Err(_), None) => unreachable!("a fresh answer has the asked type"),
        }
    }

    /// The answer kept for `key`, if one was computed (never computes one).
    pub fn get<T: Any + Send + Sync>(&self, key: &K) -> Option<Arc<T>> {
        let slot = {
            let m = match self.0.lock() {
                Ok(m) => m,
                Err(poisoned) => poisoned.into_inner(),
            };
            m.by_key.get(key)?.clone()
        };
        slot.get()?.clone().downcast::<T>().ok()
    }

    /// The keys kept, newest first.
    pub fn keys(&self) -> Vec<K> {
        let m = match self.0.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        m.oldest_first.iter().rev().cloned().collect()
    }

    /// The slot of `key`, made (and the oldest dropped when full) if missing.
    fn slot(&self, key: K) -> Slot {
        let mut m = match self.0.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(slot) = m.by_key.get(&key) {
            return slot.clone();
        }
        let slot = Slot::default();
        m.by_key.insert(key.clone(), slot.clone());
        m.oldest_first.push_back(key);
        while m.by_key.len() > Self::MAX {
            match m.oldest_first.pop_front() {
                Some(old) => m.by_key.remove(&old),
                None => break,
            };
        }
        slot
    }
}

#[cfg(test)]
mod memo_tests {
    #[test]
    fn callers_at_once_share_one_computation() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let memo = super::Memo::<String>::default();
        let runs = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    let answer = memo.get_or("slow".into(), || {
                        runs.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(50));
                        42_u64
                    });
                    assert_eq!(*answer, 42);
                });
            }
        });
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    use super::Memo;
    use std::cell::Cell;

    #[test]
    fn computes_once_per_key_and_forgets_when_full() {
        let memo = Memo::<String>::default();
        let runs = Cell::new(0);
        let compute = |n: i32| {
            runs.set(runs.get() + 1);
            n
        };
        assert_eq!(*memo.get_or("a".into(), || compute(1)), 1);
        assert_eq!(*memo.get_or("a".into(), || compute(2)), 1, "kept");
        assert_eq!(runs.get(), 1);
        assert_eq!(*memo.get_or("b".into(), || compute(3)), 3);
        // The same key with another type is computed anew, not mistaken.
        assert_eq!(*memo.get_or("a".into(), || "text"), "text");
        // Full, the oldest go first: "a", then "b"; the recent ones stay.
        for i in 0..Memo::<String>::MAX - 1 {
            memo.get_or(format!("k{i}"), || i);
        }
        assert_eq!(*memo.get_or("b".into(), || compute(5)), 3, "not yet");
        memo.get_or("one more".into(), || 0);
        assert_eq!(
            *memo.get_or("k0".into(), || 99_usize),
            0,
            "recent ones stay"
        );
        runs.set(0);
        assert_eq!(
            *memo.get_or("b".into(), || compute(4)),
            4,
            "the oldest went"
        );
        assert_eq!(runs.get(), 1);
    }
}
