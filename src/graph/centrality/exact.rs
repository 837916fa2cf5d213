//! Exact betweenness of a whole graph, fast enough for the national registry: Brandes'
//! algorithm from every source, with
//! - leaves folded into their neighbour: a node of degree one lies on no shortest path
//!   and its paths are its neighbour's, so it is dropped and its neighbour weighted
//!   (pairs weighted by the nodes they stand for; the neighbour gets the pairs of its
//!   leaves in closed form) — a fifth of the registry's nodes are such persons;
//! - the rest relabelled in Cuthill–McKee order, so that neighbours sit near each other
//!   in memory;
//! - compact per-thread state reused across sources and reset only where a walk
//!   reached: distances (`u32`) apart from path counts, so the array read at every
//!   link stays small;
//! - path counts as exact integers (`u64`; a source whose counts overflow is walked
//!   again in `f64`);
//! - sources handed out in small batches, so that every thread stays busy to the end.
use std::sync::atomic::{AtomicUsize, Ordering};

use super::Csr;

/// How far a job has come: sources walked of all sources.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicUsize,
    pub total: AtomicUsize,
}

/// Sources a thread takes at a time: small enough to balance the end, large enough
/// that the shared counter is rarely touched.
const BATCH: usize = 32;

/// Unnormalised betweenness of every node of `csr` (undirected; each pair counted
/// once), the same values as `brandes` over all sources halved, on `threads` threads.
pub fn exact_betweenness(csr: &Csr, threads: usize, progress: &Progress) -> Vec<f64> {
    let n = csr.len();
    let folded = Folded::of(csr);
    let order = cuthill_mckee(csr, &folded.leaf);
    let g = Adjacency::relabelled(csr, &order, &folded.leaf);
    let weights: Vec<f64> = order
        .iter()
        .map(|&old| 1.0 + folded.leaves_at[old as usize] as f64)
        .collect();
    // Isolated nodes lie on no path and start none: not walked; leaves are folded.
    let sources: Vec<u32> = (0..order.len() as u32)
        .filter(|&v| g.degree(v) > 0)
        .collect();
    progress.total.store(n, Ordering::Relaxed);
    progress.done.store(n - sources.len(), Ordering::Relaxed);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut walker = Walker::new(order.len());
        loop {
            let start = next.fetch_add(BATCH, Ordering::Relaxed);
            if start >= sources.len() {
                break;
            }
            let batch = &sources[start..(start + BATCH).min(sources.len())];
            for &s in batch {
                walker.source(&g, &weights, s);
            }
            progress.done.fetch_add(batch.len(), Ordering::Relaxed);
        }
        walker.bc
    };
    let partials: Vec<Vec<f64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.max(1)).map(|_| scope.spawn(work)).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut scores = vec![0.0; n];
    for (new, &old) in order.iter().enumerate() {
        let sum: f64 = partials.iter().map(|p| p[new]).sum();
        scores[old as usize] = sum / 2.0 + folded.endpoint_pairs(old as usize);
    }
    scores
}

/// The leaves of a graph (degree one, at a node of higher degree) and what folding
/// them into their neighbours needs.
struct Folded {
    leaf: Vec<bool>,
    /// Leaves at each node.
    leaves_at: Vec<u32>,
    /// The size of each node's connected component.
    component: Vec<u32>,
}

impl Folded {
    fn of(csr: &Csr) -> Folded {
        let n = csr.len();
        let leaf: Vec<bool> = (0..n)
            .map(|v| csr.degree(v) == 1 && csr.degree(csr.neighbours(v)[0] as usize) > 1)
            .collect();
        let mut leaves_at = vec![0u32; n];
        for v in (0..n).filter(|&v| leaf[v]) {
            leaves_at[csr.neighbours(v)[0] as usize] += 1;
        }
        // Components by breadth-first search.
        let mut component = vec![0u32; n];
        let mut seen = vec![false; n];
        let mut members: Vec<u32> = Vec::new();
        for start in 0..n {
            if seen[start] {
                continue;
            }
            seen[start] = true;
            members.clear();
            members.push(start as u32);
            let mut head = 0;
            while head < members.len() {
                let v = members[head] as usize;
                head += 1;
                for &w in csr.neighbours(v) {
                    if !seen[w as usize] {
                        seen[w as usize] = true;
                        members.push(w);
                    }
                }
            }
            for &v in &members {
                component[v as usize] = members.len() as u32;
            }
        }
        Folded {
            leaf,
            leaves_at,
            component,
        }
    }

    /// Pairs with one of `v`'s leaves at an end and not `v` itself at the other: all
    /// their shortest paths pass `v` (c·(N−1−c) with the rest, c(c−1)/2 among them).
    fn endpoint_pairs(&self, v: usize) -> f64 {
        let c = self.leaves_at[v] as f64;
        let rest = self.component[v] as f64 - 1.0 - c;
        c * rest + c * (c - 1.0) / 2.0
    }
}

/// Cuthill–McKee order of the nodes not `skipped`: breadth-first through each
/// component from a node of least degree, neighbours by rising degree.
/// `order[new] = old`.
pub fn cuthill_mckee(csr: &Csr, skipped: &[bool]) -> Vec<u32> {
    let n = csr.len();
    let mut by_degree: Vec<u32> = (0..n as u32).filter(|&v| !skipped[v as usize]).collect();
    by_degree.sort_by_key(|&v| (csr.degree(v as usize), v));
    let mut seen = skipped.to_vec();
    let mut order: Vec<u32> = Vec::with_capacity(by_degree.len());
    let mut row: Vec<u32> = Vec::new();
    for &start in &by_degree {
        if seen[start as usize] {
            continue;
        }
        seen[start as usize] = true;
        let mut head = order.len();
        order.push(start);
        while head < order.len() {
            let v = order[head] as usize;
            head += 1;
            row.clear();
            row.extend(
                csr.neighbours(v)
                    .iter()
                    .copied()
                    .filter(|&w| !seen[w as usize]),
            );
            row.sort_by_key(|&w| (csr.degree(w as usize), w));
            for &w in &row {
                seen[w as usize] = true;
                order.push(w);
            }
        }
    }
    order
}

/// The adjacency alone, on the new labels.
struct Adjacency {
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Adjacency {
    /// The links among the nodes in `order`, on their new labels (the `skipped` ones
    /// left out).
    fn relabelled(csr: &Csr, order: &[u32], skipped: &[bool]) -> Adjacency {
        let mut new_of = vec![u32::MAX; csr.len()];
        for (new, &old) in order.iter().enumerate() {
            new_of[old as usize] = new as u32;
        }
        let mut offsets = Vec::with_capacity(order.len() + 1);
        let mut targets = Vec::with_capacity(csr.targets.len());
        offsets.push(0);
        for &old in order {
            let start = targets.len();
            targets.extend(
                csr.neighbours(old as usize)
                    .iter()
                    .filter(|&&w| !skipped[w as usize])
                    .map(|&w| new_of[w as usize]),
            );
            targets[start..].sort_unstable();
            offsets.push(targets.len() as u32);
        }
        Adjacency { offsets, targets }
    }

    #[inline]
    fn row(&self, v: u32) -> &[u32] {
        &self.targets[self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize]
    }

    fn degree(&self, v: u32) -> usize {
        self.row(v).len()
    }
}

const UNSEEN: u32 = u32::MAX;

/// Shortest-path counts: exact integers that may overflow, or floats that do not.
trait Count: Copy {
    const ONE: Self;
    fn plus(self, other: Self) -> Option<Self>;
    fn to_f64(self) -> f64;
    fn to_word(self) -> u64;
    fn of_word(word: u64) -> Self;
}

impl Count for u64 {
    const ONE: u64 = 1;
    #[inline]
    fn plus(self, other: u64) -> Option<u64> {
        self.checked_add(other)
    }
    #[inline]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[inline]
    fn to_word(self) -> u64 {
        self
    }
    #[inline]
    fn of_word(word: u64) -> u64 {
        word
    }
}

impl Count for f64 {
    const ONE: f64 = 1.0;
    #[inline]
    fn plus(self, other: f64) -> Option<f64> {
        Some(self + other)
    }
    #[inline]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline]
    fn to_word(self) -> u64 {
        self.to_bits()
    }
    #[inline]
    fn of_word(word: u64) -> f64 {
        f64::from_bits(word)
    }
}

/// A thread's reusable state: distances, one word per node (first its number of
/// shortest paths, then, walking back, its dependency quotient), the walk's order and
/// the sums so far.
struct Walker {
    dist: Vec<u32>,
    word: Vec<u64>,
    order: Vec<u32>,
    bc: Vec<f64>,
}

impl Walker {
    fn new(n: usize) -> Walker {
        Walker {
            dist: vec![UNSEEN; n],
            word: vec![0; n],
            order: Vec::with_capacity(n),
            bc: vec![0.0; n],
        }
    }

    /// Adds the dependencies of every node on paths from `s`, weighted.
    fn source(&mut self, g: &Adjacency, weights: &[f64], s: u32) {
        if self.forward::<u64>(g, s) {
            self.backward::<u64>(g, weights, s);
        } else {
            self.reset();
            self.forward::<f64>(g, s);
            self.backward::<f64>(g, weights, s);
        }
        self.reset();
    }

    /// Breadth-first from `s`, counting shortest paths; false when a count overflowed.
    fn forward<C: Count>(&mut self, g: &Adjacency, s: u32) -> bool {
        let (dist, word, order) = (&mut self.dist, &mut self.word, &mut self.order);
        dist[s as usize] = 0;
        word[s as usize] = C::ONE.to_word();
        order.push(s);
        let mut head = 0;
        while head < order.len() {
            let v = order[head] as usize;
            head += 1;
            let next = dist[v] + 1;
            let paths = word[v];
            for &w in g.row(v as u32) {
                let w = w as usize;
                if dist[w] == UNSEEN {
                    dist[w] = next;
                    word[w] = paths;
                    order.push(w as u32);
                } else if dist[w] == next {
                    match C::of_word(word[w]).plus(C::of_word(paths)) {
                        Some(sum) => word[w] = sum.to_word(),
                        None => return false,
                    }
                }
            }
        }
        true
    }

    /// Back from the farthest nodes. With weights ω (the nodes a node stands for), a
    /// node's dependency is δ(v) = σ(v)·Σ q(w) over its successors w, where
    /// q(w) = (ω(w) + δ(w)) / σ(w) = ω(w)/σ(w) + Σ q(successors of w): each node reads
    /// only its successors' quotients and writes only its own word.
    fn backward<C: Count>(&mut self, g: &Adjacency, weights: &[f64], s: u32) {
        let (dist, word, bc) = (&self.dist, &mut self.word, &mut self.bc);
        let from = weights[s as usize];
        for &v in self.order.iter().rev() {
            let v = v as usize;
            let next = dist[v] + 1;
            let mut sum = 0.0;
            for &w in g.row(v as u32) {
                if dist[w as usize] == next {
                    sum += f64::from_bits(word[w as usize]);
                }
            }
            let sigma = C::of_word(word[v]).to_f64();
            word[v] = (weights[v] / sigma + sum).to_bits();
            if v != s as usize {
                bc[v] += from * sigma * sum;
            }
        }
    }

    fn reset(&mut self) {
        for &v in &self.order {
            self.dist[v as usize] = UNSEEN;
        }
        self.order.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflowing_path_counts_fall_back_to_floats() {
        // A chain of 70 diamonds doubles the paths at each: 2^70 > u64::MAX.
        let mut links = Vec::new();
        let mut at = 0;
        for i in 0..70 {
            let (a, b, next) = (1 + 3 * i, 2 + 3 * i, 3 + 3 * i);
            links.extend([(at, a), (at, b), (a, next), (b, next)]);
            at = next;
        }
        let csr = Csr::from_links(at + 1, &links);
        let exact = exact_betweenness(&csr, 2, &Progress::default());
        let sources: Vec<u32> = (0..csr.len() as u32).collect();
        let reference = super::super::brandes(&csr, &sources, 1);
        for (v, (x, r)) in exact.iter().zip(&reference).enumerate() {
            assert!(
                (x - r / 2.0).abs() <= 1e-9 * r.abs().max(1.0),
                "node {v}: {x} vs {}",
                r / 2.0
            );
        }
    }
}
