//! Exact betweenness of a whole graph, fast enough for the national registry: Brandes'
//! algorithm from every source, with
//! - leaves folded into their neighbour: a node of degree one lies on no shortest path
//!   and its paths are its neighbour's, so it is dropped and its neighbour weighted
//!   (pairs weighted by the nodes they stand for; the neighbour gets the pairs of its
//!   leaves in closed form) — a fifth of the registry's nodes are such persons;
//! - the rest relabelled in Cuthill–McKee order, so that neighbours sit near each other
//!   in memory;
//! - each source walked in three passes over compact per-thread state reused across
//!   sources (reset only where a walk reached): a breadth-first search that writes each
//!   node's successors (its links one level on) into one array in the walk's order,
//!   without branching on what it finds; the path counts along those successors; the
//!   dependencies back along them. The graph's links do not fit the processor's cache,
//!   so they are read once per source, in rows fetched ahead, and the later passes read
//!   the successors front to back or back to front;
//! - path counts as exact integers (`u64`; a source whose counts overflow is counted
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
        let mut walker = Walker::new(&g);
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

    /// Asks the processor to fetch `v`'s row into its cache ahead of use.
    #[inline(always)]
    fn prefetch_row(&self, v: u32) {
        prefetch(self.targets[self.offsets[v as usize] as usize..].as_ptr());
    }

    fn degree(&self, v: u32) -> usize {
        self.row(v).len()
    }
}

const UNSEEN: u32 = u32::MAX;

/// How many nodes ahead of the search their rows are fetched into the cache.
const AHEAD: usize = 8;

/// A hint to the processor to fetch `p` into its cache; no effect on results.
#[inline(always)]
fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch only hints; it never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch(p as *const i8, std::arch::x86_64::_MM_HINT_T0);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Shortest-path counts, kept in a 64-bit word: exact integers that may overflow, or
/// floats that do not.
trait Count {
    const ONE: u64;
    /// `a + b`; sets `overflow` when the sum does not fit.
    fn add(a: u64, b: u64, overflow: &mut bool) -> u64;
    fn to_f64(word: u64) -> f64;
}

impl Count for u64 {
    const ONE: u64 = 1;
    #[inline(always)]
    fn add(a: u64, b: u64, overflow: &mut bool) -> u64 {
        let (sum, over) = a.overflowing_add(b);
        *overflow |= over;
        sum
    }
    #[inline(always)]
    fn to_f64(word: u64) -> f64 {
        word as f64
    }
}

impl Count for f64 {
    const ONE: u64 = 0x3ff0_0000_0000_0000; // 1.0
    #[inline(always)]
    fn add(a: u64, b: u64, _: &mut bool) -> u64 {
        (f64::from_bits(a) + f64::from_bits(b)).to_bits()
    }
    #[inline(always)]
    fn to_f64(word: u64) -> f64 {
        f64::from_bits(word)
    }
}

/// A thread's reusable state: distances, one word per node (first its number of
/// shortest paths, then, walking back, its dependency quotient), the walk's order, the
/// successors of the walk's nodes, and the sums so far.
struct Walker {
    dist: Vec<u32>,
    word: Vec<u64>,
    /// The walk's order in `order[..len]`; one slot more than nodes, as the search
    /// writes every link's far end at the tail before knowing whether it is new.
    order: Vec<u32>,
    len: usize,
    /// The successors of `order[i]` are `succ[succ_end[i - 1]..succ_end[i]]` (from 0
    /// for the first); one slot more than links, as for `order`.
    succ: Vec<u32>,
    succ_end: Vec<u32>,
    bc: Vec<f64>,
}

impl Walker {
    fn new(g: &Adjacency) -> Walker {
        let n = g.offsets.len() - 1;
        Walker {
            dist: vec![UNSEEN; n],
            word: vec![0; n],
            order: vec![0; n + 1],
            len: 0,
            succ: vec![0; g.targets.len() + 1],
            succ_end: vec![0; n],
            bc: vec![0.0; n],
        }
    }

    /// Adds the dependencies of every node on paths from `s`, weighted.
    fn source(&mut self, g: &Adjacency, weights: &[f64], s: u32) {
        self.search(g, s);
        if self.count::<u64>(s) {
            self.backward::<u64>(weights, s);
        } else {
            self.count::<f64>(s);
            self.backward::<f64>(weights, s);
        }
        self.reset();
    }

    /// Breadth-first from `s`: distances, the order, and each node's successors. No
    /// branch on a link's far end (whether it is new, or one level on, is a coin toss
    /// the processor would mostly guess wrong): it is written at the order's tail and
    /// kept only if new, its distance becomes the smaller of its own and the next
    /// level's, and it is written at the successors' tail and kept only if it lies on
    /// the next level.
    fn search(&mut self, g: &Adjacency, s: u32) {
        let (dist, order) = (&mut self.dist[..], &mut self.order[..]);
        let (succ, succ_end) = (&mut self.succ[..], &mut self.succ_end[..]);
        dist[s as usize] = 0;
        order[0] = s;
        let (mut head, mut tail, mut arcs) = (0, 1, 0);
        while head < tail {
            let v = order[head] as usize;
            if head + AHEAD < tail {
                g.prefetch_row(order[head + AHEAD]);
            }
            let next = dist[v] + 1;
            for &w in g.row(v as u32) {
                let w = w as usize;
                // SAFETY: w < n = dist.len(), being a label of the relabelled graph;
                // tail ≤ n < order.len(), as every node is kept once; arcs < succ.len(),
                // as every link is looked at once from each end.
                unsafe {
                    let d = *dist.get_unchecked(w);
                    *order.get_unchecked_mut(tail) = w as u32;
                    tail += (d == UNSEEN) as usize;
                    *dist.get_unchecked_mut(w) = d.min(next);
                    *succ.get_unchecked_mut(arcs) = w as u32;
                    arcs += (d >= next) as usize;
                }
            }
            succ_end[head] = arcs as u32;
            head += 1;
        }
        self.len = tail;
    }

    /// The number of shortest paths from `s` to every node, along the successors in
    /// the walk's order; false when a count overflowed.
    fn count<C: Count>(&mut self, s: u32) -> bool {
        let (word, order) = (&mut self.word[..], &self.order[..self.len]);
        for &v in order {
            word[v as usize] = 0;
        }
        word[s as usize] = C::ONE;
        let mut overflow = false;
        let mut start = 0;
        for (&v, &end) in order.iter().zip(&self.succ_end) {
            let paths = word[v as usize];
            for &w in &self.succ[start..end as usize] {
                word[w as usize] = C::add(word[w as usize], paths, &mut overflow);
            }
            start = end as usize;
        }
        !overflow
    }

    /// Back from the farthest nodes. With weights ω (the nodes a node stands for), a
    /// node's dependency is δ(v) = σ(v)·Σ q(w) over its successors w, where
    /// q(w) = (ω(w) + δ(w)) / σ(w) = ω(w)/σ(w) + Σ q(successors of w): each node reads
    /// only its successors' quotients and writes only its own word.
    fn backward<C: Count>(&mut self, weights: &[f64], s: u32) {
        let (word, bc) = (&mut self.word[..], &mut self.bc[..]);
        let from = weights[s as usize];
        for i in (0..self.len).rev() {
            let v = self.order[i] as usize;
            let start = if i == 0 {
                0
            } else {
                self.succ_end[i - 1] as usize
            };
            let mut sum = 0.0;
            for &w in &self.succ[start..self.succ_end[i] as usize] {
                sum += f64::from_bits(word[w as usize]);
            }
            let sigma = C::to_f64(word[v]);
            word[v] = (weights[v] / sigma + sum).to_bits();
            if v != s as usize {
                bc[v] += from * sigma * sum;
            }
        }
    }

    fn reset(&mut self) {
        for &v in &self.order[..self.len] {
            self.dist[v as usize] = UNSEEN;
        }
        self.len = 0;
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
