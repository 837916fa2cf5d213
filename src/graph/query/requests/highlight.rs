//! What a picture marks on top of its view: tandem pairs, mutual dependencies (strongly
//! connected parts of the dependency graph), the shortest path between two organisations,
//! and what each organisation would lose if a funder stopped. All organisation-level:
//! no highlight names or describes a person.
use std::collections::{BTreeMap, BTreeSet, VecDeque};

use petgraph::graph::NodeIndex;

use super::view::{ViewEdge, ViewGraph};
use crate::graph::query::{Parser, Problem};
use crate::graph::{dependencies, funding, overlaps, Snapshot, TimeFilter, Viewer};

/// The marks a picture asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Highlight {
    pub tandem: bool,
    pub cycles: bool,
    pub path: Option<(NodeIndex, NodeIndex)>,
    /// "What if this funder stops".
    pub stops: Option<NodeIndex>,
}

/// The marks found in a view: node and edge indices, and losses by node index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marks {
    pub nodes: BTreeSet<usize>,
    pub edges: BTreeSet<usize>,
    /// Share of its funding each node would lose (0–1, midpoint of the range).
    pub loss: BTreeMap<usize, f64>,
    /// Set when a path was asked for and the view holds none.
    pub no_path: bool,
}

impl Highlight {
    /// `highlight=tandem,cycles`, `path_from=…&path_to=…`, `stops=FUNDER`.
    pub fn parse(p: &mut Parser) -> Highlight {
        let mut h = Highlight::default();
        for word in p.text("highlight").unwrap_or_default().split(',') {
            match word.trim() {
                "" => {}
                "tandem" => h.tandem = true,
                "cycles" => h.cycles = true,
                _ => p.problem("highlight", Problem::Choice(&["tandem", "cycles"])),
            }
        }
        let from = p.optional_organisation("path_from");
        let to = p.optional_organisation("path_to");
        match (from, to, p.text("path_from"), p.text("path_to")) {
            (Some(a), Some(b), _, _) => h.path = Some((a, b)),
            (None, _, None, Some(_)) => p.problem("path_from", Problem::Required),
            (_, None, Some(_), None) => p.problem("path_to", Problem::Required),
            _ => {}
        }
        h.stops = p.optional_organisation("stops");
        h
    }

    pub fn is_empty(&self) -> bool {
        *self == Highlight::default()
    }

    /// The marks on `view` (its nodes are snapshot nodes; edges index into them).
    pub fn mark(&self, s: &Snapshot, time: &TimeFilter, view: &ViewGraph) -> Marks {
        let mut marks = Marks::default();
        if self.is_empty() {
            return marks;
        }
        let index: BTreeMap<NodeIndex, usize> = view
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.node, i))
            .collect();
        let pair = |a: NodeIndex, b: NodeIndex, marks: &mut Marks| {
            let (Some(&i), Some(&j)) = (index.get(&a), index.get(&b)) else {
                return;
            };
            marks.nodes.extend([i, j]);
            marks.edges.extend(edges_between(&view.edges, i, j));
        };
        if self.tandem {
            // Every pair is marked: the whole list, not one page of it.
            let all = overlaps::Paging::ALL;
            let answer = overlaps::tandem(s, time, None, None, Viewer::Anonymous, all);
            for p in answer.pairs {
                if let (Some(a), Some(b)) =
                    (s.node(&p.self_organisation.id), s.node(&p.employer.id))
                {
                    pair(a, b, &mut marks);
                }
            }
        }
        if self.cycles {
            for cycle in dependencies::cycles(s, time) {
                for (a, b, _) in &cycle.edges {
                    if let (Some(a), Some(b)) = (s.node(a), s.node(b)) {
                        pair(a, b, &mut marks);
                    }
                }
            }
        }
        if let Some((a, b)) = self.path {
            match (index.get(&a), index.get(&b)) {
                (Some(&i), Some(&j)) => match shortest(&view.edges, view.nodes.len(), i, j) {
                    Some((nodes, edges)) => {
                        marks.nodes.extend(nodes);
                        marks.edges.extend(edges);
                    }
                    None => marks.no_path = true,
                },
                _ => marks.no_path = true,
            }
        }
        if let Some(funder) = self.stops {
            for loss in funding::impact(s, funder, time) {
                if let Some(&i) = s.node(&loss.recipient.id).and_then(|n| index.get(&n)) {
                    marks.loss.insert(i, loss.share.mid);
                }
            }
        }
        marks
    }
}

fn edges_between(edges: &[ViewEdge], i: usize, j: usize) -> impl Iterator<Item = usize> + '_ {
    edges.iter().enumerate().filter_map(move |(k, e)| {
        ((e.source == i && e.target == j) || (e.source == j && e.target == i)).then_some(k)
    })
}

/// A shortest path over the view's links (either direction): its nodes and edges.
fn shortest(
    edges: &[ViewEdge],
    n: usize,
    from: usize,
    to: usize,
) -> Option<(Vec<usize>, Vec<usize>)> {
    let mut adjacent: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (k, e) in edges.iter().enumerate() {
        adjacent[e.source].push((e.target, k));
        adjacent[e.target].push((e.source, k));
    }
    let mut previous: Vec<Option<(usize, usize)>> = vec![None; n];
    let mut seen = vec![false; n];
    seen[from] = true;
    let mut queue = VecDeque::from([from]);
    while let Some(v) = queue.pop_front() {
        if v == to {
            break;
        }
        for &(w, k) in &adjacent[v] {
            if !seen[w] {
                seen[w] = true;
                previous[w] = Some((v, k));
                queue.push_back(w);
            }
        }
    }
    if !seen[to] {
        return None;
    }
    let (mut nodes, mut path) = (vec![to], Vec::new());
    let mut at = to;
    while let Some((p, k)) = previous[at] {
        nodes.push(p);
        path.push(k);
        at = p;
    }
    Some((nodes, path))
}
