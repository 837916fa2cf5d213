//! Degree and betweenness centrality. Betweenness is Brandes' algorithm on the undirected
//! view, exact up to `EXACT_LIMIT` nodes and estimated from a uniform sample of source
//! nodes beyond, on all cores; the answer says which method it used and its error bound.
//! The exact betweenness of a whole graph is a background job (`job`, `exact`); the
//! rankings requests ask are kept across snapshot versions (`carry`).
pub mod carry;
pub mod edges;
pub mod exact;
pub mod job;

use std::sync::atomic::{AtomicUsize, Ordering};

use petgraph::graph::NodeIndex;
use rand::SeedableRng;
use serde::Serialize;
use std::collections::HashMap;

use super::network::{Keys, NodeJson, View};
use super::Viewer;

/// Up to this many nodes betweenness is computed exactly (about a second on 2 cores).
pub const EXACT_LIMIT: usize = 8_000;
/// Source nodes sampled beyond the exact limit.
pub const SAMPLES: usize = 500;

/// Compressed adjacency of the undirected view, on local indices 0..n.
pub struct Csr {
    pub nodes: Vec<NodeIndex>,
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Csr {
    /// The view restricted to `subset` (or all nodes), without parallel edges or loops.
    pub fn build(view: &View, subset: Option<&[NodeIndex]>) -> Csr {
        let nodes: Vec<NodeIndex> = match subset {
            Some(s) => s.to_vec(),
            None => view.s.graph.node_indices().collect(),
        };
        let local: HashMap<NodeIndex, u32> = nodes
            .iter()
            .enumerate()
            .map(|(i, &n)| (n, i as u32))
            .collect();
        let mut offsets = Vec::with_capacity(nodes.len() + 1);
        let mut targets = Vec::new();
        let mut row = Vec::new();
        offsets.push(0);
        for (i, &n) in nodes.iter().enumerate() {
            row.clear();
            row.extend(
                view.neighbours(n)
                    .filter_map(|(m, _)| local.get(&m).copied())
                    .filter(|&m| m as usize != i),
            );
            row.sort_unstable();
            row.dedup();
            targets.extend_from_slice(&row);
            offsets.push(targets.len() as u32);
        }
        Csr {
            nodes,
            offsets,
            targets,
        }
    }

    /// The adjacency of a small graph given by its links between local indices 0..n (a
    /// picture's view); `nodes` are then only placeholders.
    pub fn from_links(n: usize, links: &[(usize, usize)]) -> Csr {
        let mut rows: Vec<Vec<u32>> = vec![Vec::new(); n];
        for &(a, b) in links {
            if a != b && a < n && b < n {
                rows[a].push(b as u32);
                rows[b].push(a as u32);
            }
        }
        let mut offsets = Vec::with_capacity(n + 1);
        let mut targets = Vec::new();
        offsets.push(0);
        for row in &mut rows {
            row.sort_unstable();
            row.dedup();
            targets.extend_from_slice(row);
            offsets.push(targets.len() as u32);
        }
        Csr {
            nodes: (0..n).map(NodeIndex::new).collect(),
            offsets,
            targets,
        }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The unique undirected links `(a, b)` with `a < b`, on local indices.
    pub fn links(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        (0..self.len()).flat_map(move |a| {
            self.neighbours(a)
                .iter()
                .filter(move |&&b| b as usize > a)
                .map(move |&b| (a as u32, b))
        })
    }

    fn neighbours(&self, v: usize) -> &[u32] {
        &self.targets[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }

    pub fn degree(&self, v: usize) -> usize {
        self.neighbours(v).len()
    }
}

/// Brandes' dependency accumulation from the given sources, split over `threads`.
/// Returns the sum over sources (each shortest path counted from both ends).
pub fn brandes(csr: &Csr, sources: &[u32], threads: usize) -> Vec<f64> {
    brandes_counted(csr, sources, threads, &AtomicUsize::new(0))
}

/// `brandes`, counting the sources walked in `done` (for a background computation's
/// progress).
pub fn brandes_counted(csr: &Csr, sources: &[u32], threads: usize, done: &AtomicUsize) -> Vec<f64> {
    let n = csr.len();
    let chunk = sources.len().div_ceil(threads.max(1)).max(1);
    let partials: Vec<Vec<f64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = sources
            .chunks(chunk)
            .map(|part| scope.spawn(move || brandes_part(csr, part, done)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| vec![0.0; n]))
            .collect()
    });
    let mut total = vec![0.0; n];
    for p in partials {
        for (t, x) in total.iter_mut().zip(p) {
            *t += x;
        }
    }
    total
}

fn brandes_part(csr: &Csr, sources: &[u32], done: &AtomicUsize) -> Vec<f64> {
    let n = csr.len();
    let mut bc = vec![0.0f64; n];
    let mut sigma = vec![0.0f64; n];
    let mut dist = vec![-1i32; n];
    let mut delta = vec![0.0f64; n];
    let mut stack: Vec<u32> = Vec::with_capacity(n);
    let mut queue: std::collections::VecDeque<u32> = std::collections::VecDeque::with_capacity(n);
    for &s in sources {
        for &v in &stack {
            sigma[v as usize] = 0.0;
            dist[v as usize] = -1;
            delta[v as usize] = 0.0;
        }
        stack.clear();
        sigma[s as usize] = 1.0;
        dist[s as usize] = 0;
        queue.push_back(s);
        while let Some(v) = queue.pop_front() {
            stack.push(v);
            let dv = dist[v as usize];
            for &w in csr.neighbours(v as usize) {
                let w = w as usize;
                if dist[w] < 0 {
                    dist[w] = dv + 1;
                    queue.push_back(w as u32);
                }
                if dist[w] == dv + 1 {
                    sigma[w] += sigma[v as usize];
                }
            }
        }
        for &w in stack.iter().rev() {
            let w = w as usize;
            for &v in csr.neighbours(w) {
                let v = v as usize;
                if dist[v] == dist[w] - 1 {
                    delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
                }
            }
            if w != s as usize {
                bc[w] += delta[w];
            }
        }
        done.fetch_add(1, Ordering::Relaxed);
    }
    bc
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Method {
    Exact,
    /// Estimated from `sources` random source nodes. With 95 % probability every
    /// normalised score is within `error_bound` of the exact one (Hoeffding bound).
    Sampled {
        sources: usize,
        error_bound: f64,
    },
    Degree,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Score {
    pub node: NodeJson,
    pub score: f64,
    /// Betweenness divided by the number of node pairs, (n-1)(n-2)/2; degree by n-1.
    pub normalized: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Centrality {
    #[serde(flatten)]
    pub method: Method,
    pub nodes: usize,
    pub items: Vec<Score>,
    /// The data version of the snapshot the values were computed on. After a write a
    /// ranking answers at once with the last complete values, of an older version than
    /// the current one, while the current version's are computed in the background
    /// (then `newer` is present); ask again for them.
    pub version: i64,
    /// The computation of the current version's values while it is queued or running
    /// (for `exact=true` the exact job; otherwise the estimate or degree ranking).
    /// Absent when the values are of the current version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub newer: Option<job::JobProgress>,
}

/// The nodes of a city's subgraph: its organisations and the persons with a role (in
/// the view) at one of them. Links to organisations elsewhere are left out.
pub fn city_subset(view: &View, city: &str) -> Vec<NodeIndex> {
    let orgs = view.s.in_city(city);
    let mut nodes: Vec<NodeIndex> = orgs.to_vec();
    let mut persons: Vec<NodeIndex> = orgs
        .iter()
        .flat_map(|&o| view.neighbours(o))
        .map(|(m, _)| m)
        .filter(|&m| view.s.person(m).is_some())
        .collect();
    persons.sort_unstable();
    persons.dedup();
    nodes.sort_unstable();
    nodes.extend(persons);
    nodes
}

/// Exact or sampled betweenness for every node of the CSR (undirected, unnormalised).
pub fn betweenness_scores(
    csr: &Csr,
    exact_limit: usize,
    samples: usize,
    seed: u64,
) -> (Method, Vec<f64>) {
    betweenness_counted(csr, exact_limit, samples, seed, &exact::Progress::default())
}

/// `betweenness_scores`, with the sources to walk and those walked in `progress`.
fn betweenness_counted(
    csr: &Csr,
    exact_limit: usize,
    samples: usize,
    seed: u64,
    progress: &exact::Progress,
) -> (Method, Vec<f64>) {
    let n = csr.len();
    let threads = std::thread::available_parallelism()
        .map(|p| p.get())
        .unwrap_or(1);
    if n <= exact_limit || samples >= n {
        let sources: Vec<u32> = (0..n as u32).collect();
        progress.total.store(n, Ordering::Relaxed);
        let scores = brandes_counted(csr, &sources, threads, &progress.done)
            .into_iter()
            .map(|x| x / 2.0)
            .collect();
        return (Method::Exact, scores);
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let sources: Vec<u32> = rand::seq::index::sample(&mut rng, n, samples)
        .into_iter()
        .map(|i| i as u32)
        .collect();
    let scale = n as f64 / samples as f64;
    progress.total.store(samples, Ordering::Relaxed);
    let scores = brandes_counted(csr, &sources, threads, &progress.done)
        .into_iter()
        .map(|x| x * scale / 2.0)
        .collect();
    let error_bound = ((2.0 * n as f64 / 0.05).ln() / (2.0 * samples as f64)).sqrt();
    (
        Method::Sampled {
            sources: samples,
            error_bound,
        },
        scores,
    )
}

pub(crate) fn top(
    view: &View,
    csr: &Csr,
    scores: &[f64],
    norm: f64,
    limit: usize,
    viewer: Viewer,
) -> Vec<Score> {
    // Anonymous rankings are of organisations only: an unnamed person's rank and score
    // would still single them out.
    let mut order: Vec<usize> = (0..scores.len())
        .filter(|&i| viewer == Viewer::SignedIn || view.s.org(csr.nodes[i]).is_some())
        .collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let keys = Keys::new(view.s, &[], viewer);
    order
        .into_iter()
        .take(limit)
        .map(|i| Score {
            node: keys.node(view.s, csr.nodes[i]),
            score: scores[i],
            normalized: if norm > 0.0 { scores[i] / norm } else { 0.0 },
        })
        .collect()
}

pub fn betweenness(
    view: &View,
    subset: Option<&[NodeIndex]>,
    limit: usize,
    viewer: Viewer,
) -> Centrality {
    betweenness_with(view, subset, limit, viewer, &exact::Progress::default())
}

/// `betweenness`, counting its progress (sources walked of all to walk).
pub fn betweenness_with(
    view: &View,
    subset: Option<&[NodeIndex]>,
    limit: usize,
    viewer: Viewer,
    progress: &exact::Progress,
) -> Centrality {
    let csr = Csr::build(view, subset);
    let (method, scores) = betweenness_counted(&csr, EXACT_LIMIT, SAMPLES, 7, progress);
    let n = csr.len() as f64;
    let pairs = (n - 1.0) * (n - 2.0) / 2.0;
    Centrality {
        method,
        nodes: csr.len(),
        items: top(view, &csr, &scores, pairs, limit, viewer),
        version: view.s.version,
        newer: None,
    }
}

pub fn degree(
    view: &View,
    subset: Option<&[NodeIndex]>,
    limit: usize,
    viewer: Viewer,
) -> Centrality {
    let csr = Csr::build(view, subset);
    let scores: Vec<f64> = (0..csr.len()).map(|v| csr.degree(v) as f64).collect();
    let norm = csr.len().saturating_sub(1) as f64;
    Centrality {
        method: Method::Degree,
        nodes: csr.len(),
        items: top(view, &csr, &scores, norm, limit, viewer),
        version: view.s.version,
        newer: None,
    }
}
