//! Network views: ego networks, components, degree and betweenness (shortest paths are
//! `paths`).
use std::collections::{BTreeSet, HashMap, HashSet};

use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;

use super::*;
use crate::error::{Error, Result};

/// Which edge kinds a view keeps: `affiliation`, `funding` and relation kinds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct KindFilter(Option<BTreeSet<&'static str>>);

impl KindFilter {
    pub fn parse(text: Option<&str>) -> Result<KindFilter> {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(KindFilter(None));
        };
        let mut set = BTreeSet::new();
        for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            let kind = match word {
                "affiliation" => "affiliation",
                "funding" => "funding",
                other => other
                    .parse::<RelationKind>()
                    .map_err(|m| Error::invalid("kinds", m))?
                    .as_str(),
            };
            set.insert(kind);
        }
        Ok(KindFilter(Some(set)))
    }

    /// Whether every kind of link is kept (no filter given).
    pub fn is_all(&self) -> bool {
        self.0.is_none()
    }

    /// Whether links of this kind name are kept.
    pub fn admits_kind(&self, kind: &str) -> bool {
        self.0.as_ref().is_none_or(|set| set.contains(kind))
    }

    pub fn admits(&self, e: &Edge) -> bool {
        self.0
            .as_ref()
            .is_none_or(|set| set.contains(e.kind_name()))
    }
}

/// The edges a view walks: admitted by kind and time.
pub struct View<'a> {
    pub s: &'a Snapshot,
    pub time: TimeFilter,
    pub kinds: KindFilter,
}

impl View<'_> {
    fn admits(&self, e: &Edge) -> bool {
        self.kinds.admits(e) && self.time.admits(e.interval())
    }

    /// Neighbours over admitted edges in either direction, with the edge.
    pub fn neighbours(&self, n: NodeIndex) -> impl Iterator<Item = (NodeIndex, EdgeIndex)> + '_ {
        self.s
            .graph
            .edges_directed(n, petgraph::Direction::Outgoing)
            .chain(
                self.s
                    .graph
                    .edges_directed(n, petgraph::Direction::Incoming),
            )
            .filter(|e| self.admits(e.weight()))
            .map(move |e| {
                (
                    if e.source() == n {
                        e.target()
                    } else {
                        e.source()
                    },
                    e.id(),
                )
            })
    }

    /// Nodes within `depth` steps of `focus`, in breadth-first order.
    pub fn ego(&self, focus: NodeIndex, depth: usize) -> Vec<NodeIndex> {
        let mut seen = HashSet::from([focus]);
        let mut order = vec![focus];
        let mut frontier = vec![focus];
        for _ in 0..depth {
            let mut next = Vec::new();
            for &n in &frontier {
                for (m, _) in self.neighbours(n) {
                    if seen.insert(m) {
                        order.push(m);
                        next.push(m);
                    }
                }
            }
            frontier = next;
        }
        order
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct NodeJson {
    /// Stable within one answer: `n<index>`; `p<number>` for a person the caller may not
    /// see, numbered anew in every answer.
    pub key: String,
    /// The record id, absent for persons the caller may not see.
    pub id: Option<String>,
    pub label: Option<String>,
    #[serde(rename = "type")]
    pub node_type: &'static str,
    pub kind: Option<OrgKind>,
    pub city: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct EdgeJson {
    pub source: String,
    pub target: String,
    pub kind: &'static str,
    pub id: Option<String>,
    pub role: Option<Role>,
    /// Absent on the roles of persons the caller may not see.
    #[serde(flatten)]
    pub interval: Option<Interval>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default, utoipa::ToSchema)]
pub struct GraphJson {
    pub nodes: Vec<NodeJson>,
    pub edges: Vec<EdgeJson>,
    pub truncated: bool,
}

/// The node keys of one answer. Persons the caller may not see get numbers that hold
/// inside this answer only, so the same person cannot be followed from one answer (an
/// organisation's ego network) to the next.
pub struct Keys {
    viewer: Viewer,
    hidden: HashMap<NodeIndex, usize>,
}

impl Keys {
    pub fn new(s: &Snapshot, nodes: &[NodeIndex], viewer: Viewer) -> Keys {
        let mut hidden = HashMap::new();
        if viewer == Viewer::Anonymous {
            for &n in nodes {
                if s.person(n).is_some() && !hidden.contains_key(&n) {
                    hidden.insert(n, hidden.len() + 1);
                }
            }
        }
        Keys { viewer, hidden }
    }

    pub fn of(&self, n: NodeIndex) -> String {
        match self.hidden.get(&n) {
            Some(k) => format!("p{k}"),
            None => format!("n{}", n.index()),
        }
    }

    pub fn node(&self, s: &Snapshot, n: NodeIndex) -> NodeJson {
        let key = self.of(n);
        match &s.graph[n] {
            Node::Organisation(o) => NodeJson {
                key,
                id: Some(o.id.clone()),
                label: Some(o.name.clone()),
                node_type: "organisation",
                kind: Some(o.kind),
                city: o.city.clone(),
            },
            Node::Person(p) => {
                let named = self.viewer.name(p);
                NodeJson {
                    key,
                    id: named.as_ref().map(|r| r.id.clone()),
                    label: named.map(|r| r.name),
                    node_type: "person",
                    kind: None,
                    city: None,
                }
            }
        }
    }

    /// An edge; the role of a person the caller may not see keeps only its kind.
    pub fn edge(&self, s: &Snapshot, e: EdgeIndex) -> Option<EdgeJson> {
        let (a, b) = s.graph.edge_endpoints(e)?;
        let w = &s.graph[e];
        let hidden = matches!(w, Edge::Affiliation(_)) && self.viewer == Viewer::Anonymous;
        Some(EdgeJson {
            source: self.of(a),
            target: self.of(b),
            kind: w.kind_name(),
            id: (!hidden).then(|| w.id().to_string()),
            role: match w {
                Edge::Affiliation(a) if !hidden => Some(a.role),
                _ => None,
            },
            interval: (!hidden).then(|| *w.interval()),
        })
    }
}

/// The induced subgraph on `nodes` (capped at `max_nodes`) as JSON.
pub fn subgraph_json(
    view: &View,
    nodes: &[NodeIndex],
    viewer: Viewer,
    max_nodes: usize,
) -> GraphJson {
    let truncated = nodes.len() > max_nodes;
    let nodes = &nodes[..nodes.len().min(max_nodes)];
    let keys = Keys::new(view.s, nodes, viewer);
    let kept: HashSet<NodeIndex> = nodes.iter().copied().collect();
    let mut edges = Vec::new();
    for &n in nodes {
        for e in view
            .s
            .graph
            .edges_directed(n, petgraph::Direction::Outgoing)
        {
            if kept.contains(&e.target()) && view.admits(e.weight()) {
                edges.extend(keys.edge(view.s, e.id()));
            }
        }
    }
    GraphJson {
        nodes: nodes.iter().map(|&n| keys.node(view.s, n)).collect(),
        edges,
        truncated,
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Component {
    pub size: usize,
    pub organisations: usize,
    pub persons: usize,
    /// Up to five organisation names, largest degree first, to recognise it by.
    pub examples: Vec<String>,
}

/// Connected components (ignoring direction), largest first; labels per node index.
pub fn component_labels(view: &View) -> Vec<usize> {
    let n = view.s.graph.node_count();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for e in view.s.graph.edge_references() {
        if view.admits(e.weight()) {
            let (a, b) = (
                find(&mut parent, e.source().index()),
                find(&mut parent, e.target().index()),
            );
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    (0..n).map(|x| find(&mut parent, x)).collect()
}

pub fn components(view: &View) -> Vec<Component> {
    let labels = component_labels(view);
    let mut groups: HashMap<usize, Vec<NodeIndex>> = HashMap::new();
    for (i, &l) in labels.iter().enumerate() {
        groups.entry(l).or_default().push(NodeIndex::new(i));
    }
    let mut result: Vec<Component> = groups
        .into_values()
        .map(|members| {
            let mut orgs: Vec<(usize, &str)> = members
                .iter()
                .filter_map(|&m| {
                    view.s
                        .org(m)
                        .map(|o| (view.neighbours(m).count(), o.name.as_str()))
                })
                .collect();
            orgs.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
            Component {
                size: members.len(),
                organisations: orgs.len(),
                persons: members.len() - orgs.len(),
                examples: orgs.iter().take(5).map(|(_, n)| n.to_string()).collect(),
            }
        })
        .collect();
    result.sort_by(|a, b| {
        b.size
            .cmp(&a.size)
            .then_with(|| a.examples.cmp(&b.examples))
    });
    result
}
