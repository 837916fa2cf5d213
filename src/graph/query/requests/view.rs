//! The network picture's view: which organisations and links a picture shows, after
//! filters by time (a dissolved organisation drops out after its dissolution), kinds of
//! organisation and link, city, umbrella, funder and focus. Persons are folded into
//! organisation–organisation `staff` links weighted by how many persons hold roles on
//! both sides; signed-in callers may ask for persons as nodes (`persons=true`).
use std::collections::{BTreeMap, BTreeSet, HashSet};

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use petgraph::Direction::{Incoming, Outgoing};

use super::highlight::{Highlight, Marks};
use crate::domain::{Disclosure, OrgKind, RelationKind};
use crate::graph::centrality;
use crate::graph::network::KindFilter;
use crate::graph::query::{Discloses, GraphQuery, Parser, Problem};
use crate::graph::{Edge, Snapshot, TimeFilter, Viewer};

/// What a picture is sized by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SizeBy {
    /// Links to distinct neighbours in the view.
    Degree,
    /// Funding given and received in the view (midpoints of the amount ranges).
    Funding,
    /// Shortest paths of the view through the node (brokers stand out).
    Betweenness,
}

/// The selection of a picture: every field is part of its memo key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ViewRequest {
    pub time: TimeFilter,
    /// Link kinds: `affiliation` (persons, folded into `staff`), `funding`, relation kinds.
    pub links: KindFilter,
    /// Organisation kinds kept (as codes); empty keeps all.
    pub kinds: BTreeSet<&'static str>,
    pub city: Option<String>,
    pub umbrella: Option<NodeIndex>,
    pub funder: Option<NodeIndex>,
    pub focus: Option<NodeIndex>,
    pub depth: usize,
    /// Persons as nodes (signed-in callers only); else folded into `staff` links.
    pub persons: bool,
    pub size: SizeBy,
    pub highlight: Highlight,
    /// Top-down layers of dependencies instead of a force layout.
    pub layered: bool,
}

/// One node of a view: a snapshot node and its size value.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewNode {
    pub node: NodeIndex,
    pub value: f64,
}

/// One link of a view between two of its nodes (indices into `nodes`).
#[derive(Debug, Clone, PartialEq)]
pub struct ViewEdge {
    pub source: usize,
    pub target: usize,
    /// `staff`, `affiliation`, `funding` or a relation kind.
    pub kind: &'static str,
    /// Persons (staff), grants (funding) or records behind it.
    pub weight: u32,
}

/// The nodes and links a picture shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ViewGraph {
    pub nodes: Vec<ViewNode>,
    pub edges: Vec<ViewEdge>,
    /// Person ids shown as nodes (signed-in callers who asked for persons).
    pub persons: Vec<String>,
    /// What the picture marks (tandems, cycles, a path, a funder's exit).
    pub marks: Marks,
}

impl Discloses for ViewGraph {
    fn disclose(&self, shown: &mut Disclosure) {
        for p in &self.persons {
            shown.add(p.clone());
        }
    }
}

impl ViewRequest {
    /// The parameters a view reads (and that its picture's address carries).
    pub const PARAMS: [&'static str; 17] = [
        "kind",
        "kinds",
        "city",
        "umbrella",
        "funder",
        "focus",
        "depth",
        "as_of",
        "from",
        "to",
        "size",
        "persons",
        "highlight",
        "path_from",
        "path_to",
        "stops",
        "layout",
    ];
}

impl GraphQuery for ViewRequest {
    type Answer = ViewGraph;
    const READS: Option<&'static [&'static str]> = Some(&Self::PARAMS);

    fn parse(p: &mut Parser) -> Option<Self> {
        let mut kinds = BTreeSet::new();
        for word in p.text("kind").unwrap_or_default().split(',') {
            let word = word.trim();
            if word.is_empty() {
                continue;
            }
            match word.parse::<OrgKind>() {
                Ok(k) => {
                    kinds.insert(k.as_str());
                }
                Err(m) => p.problem("kind", Problem::Other(m)),
            }
        }
        let umbrella = p.optional_organisation("umbrella");
        let funder = p.optional_organisation("funder");
        let focus = p.optional_node("focus");
        let unknown = ["umbrella", "funder", "focus"]
            .iter()
            .zip([umbrella, funder, focus])
            .any(|(f, n)| p.text(f).is_some() && n.is_none());
        let persons = p.flag("persons") && p.viewer == Viewer::SignedIn;
        let size = match p.choice("size", &["degree", "funding", "betweenness"]) {
            "funding" => SizeBy::Funding,
            "betweenness" => SizeBy::Betweenness,
            _ => SizeBy::Degree,
        };
        let request = ViewRequest {
            time: p.time(),
            links: p.kinds(),
            kinds,
            city: p.text("city").map(|c| c.to_lowercase()),
            umbrella,
            funder,
            focus,
            depth: p.number("depth", 1, 3),
            persons,
            size,
            highlight: Highlight::parse(p),
            layered: p.choice("layout", &["force", "layered"]) == "layered",
        };
        (!unknown && !p.has_problems()).then_some(request)
    }

    fn run(&self, s: &Snapshot, viewer: Viewer) -> ViewGraph {
        let persons = self.persons && viewer == Viewer::SignedIn;
        let allowed = self.organisations(s);
        // Links between kept nodes: (a, b) with a < b for undirected staff links.
        let mut links: BTreeMap<(NodeIndex, NodeIndex, &'static str), u32> = BTreeMap::new();
        let mut people: BTreeSet<NodeIndex> = BTreeSet::new();
        for e in s.graph.edge_references() {
            let w = e.weight();
            if !self.time.admits(w.interval()) || !self.links.admits(w) {
                continue;
            }
            let (a, b) = (e.source(), e.target());
            match w {
                Edge::Affiliation(_) if persons && allowed.contains(&b) => {
                    people.insert(a);
                    *links.entry((a, b, "affiliation")).or_default() += 1;
                }
                Edge::Affiliation(_) => {}
                _ if allowed.contains(&a) && allowed.contains(&b) => {
                    *links.entry((a, b, w.kind_name())).or_default() += 1;
                }
                _ => {}
            }
        }
        if !persons && self.links.admits_kind("affiliation") {
            for ((a, b), n) in self.staff(s, &allowed) {
                links.insert((a, b, "staff"), n);
            }
        }
        let mut kept: BTreeSet<NodeIndex> = allowed.iter().copied().collect();
        kept.extend(&people);
        if let Some(focus) = self.focus.filter(|f| kept.contains(f)) {
            kept = ego(focus, self.depth, &links);
        } else if self.focus.is_some() {
            kept.clear();
        }
        // In the order of record ids, not of node indices: two snapshots of the same data
        // (one built whole, one from deltas) number their nodes differently, and the
        // picture must not depend on it.
        let mut nodes: Vec<NodeIndex> = kept.into_iter().collect();
        nodes.sort_by_cached_key(|&n| record_id(s, n));
        let index: BTreeMap<NodeIndex, usize> =
            nodes.iter().enumerate().map(|(i, &n)| (n, i)).collect();
        let mut edges: Vec<ViewEdge> = links
            .iter()
            .filter_map(|(&(a, b, kind), &weight)| {
                let (source, target) = (*index.get(&a)?, *index.get(&b)?);
                // Staff links have no direction: lower end first, in the id order.
                let (source, target) = match kind {
                    "staff" => (source.min(target), source.max(target)),
                    _ => (source, target),
                };
                Some(ViewEdge {
                    source,
                    target,
                    kind,
                    weight,
                })
            })
            .collect();
        edges.sort_by_key(|e| (e.source, e.target, e.kind));
        let mut value = vec![0.0; nodes.len()];
        match self.size {
            SizeBy::Degree => {
                let mut neighbours: Vec<HashSet<usize>> = vec![HashSet::new(); nodes.len()];
                for e in &edges {
                    neighbours[e.source].insert(e.target);
                    neighbours[e.target].insert(e.source);
                }
                for (v, n) in value.iter_mut().zip(&neighbours) {
                    *v = n.len() as f64;
                }
            }
            SizeBy::Funding => {
                for (v, &n) in value.iter_mut().zip(&nodes) {
                    *v = self.funding_volume(s, n);
                }
            }
            SizeBy::Betweenness => {
                let links: Vec<(usize, usize)> =
                    edges.iter().map(|e| (e.source, e.target)).collect();
                let csr = centrality::Csr::from_links(nodes.len(), &links);
                let (_, scores) = centrality::betweenness_scores(
                    &csr,
                    centrality::EXACT_LIMIT,
                    centrality::SAMPLES,
                    7,
                );
                value = scores;
            }
        }
        let mut view = ViewGraph {
            persons: nodes
                .iter()
                .filter_map(|&n| s.person(n).map(|p| p.id.clone()))
                .collect(),
            nodes: nodes
                .into_iter()
                .zip(value)
                .map(|(node, value)| ViewNode { node, value })
                .collect(),
            edges,
            marks: Marks::default(),
        };
        view.marks = self.highlight.mark(s, &self.time, &view);
        view
    }
}

impl ViewRequest {
    /// Whether the request filters nothing: every organisation and every link, over all
    /// time (size, highlights and layout aside).
    pub fn selects_everything(&self) -> bool {
        self.time == TimeFilter::ALL
            && self.links.is_all()
            && self.kinds.is_empty()
            && self.city.is_none()
            && self.umbrella.is_none()
            && self.funder.is_none()
            && self.focus.is_none()
    }

    /// The organisations the view shows: those kept by the filters, or with a focus the
    /// ones within `depth` links of it (as the picture has them).
    pub fn selected_organisations(&self, s: &Snapshot, viewer: Viewer) -> BTreeSet<NodeIndex> {
        if self.focus.is_none() {
            return self.organisations(s);
        }
        self.run(s, viewer)
            .nodes
            .into_iter()
            .map(|n| n.node)
            .filter(|&n| s.org(n).is_some())
            .collect()
    }

    /// Organisations kept by the filters, active at some time in the window.
    fn organisations(&self, s: &Snapshot) -> BTreeSet<NodeIndex> {
        let members: Option<HashSet<NodeIndex>> = self.umbrella.map(|u| {
            let mut set: HashSet<NodeIndex> = s
                .graph
                .edges_directed(u, Incoming)
                .filter(
                    |e| matches!(e.weight(), Edge::Relation(r) if r.kind == RelationKind::MemberOf),
                )
                .filter(|e| self.time.admits(e.weight().interval()))
                .map(|e| e.source())
                .collect();
            set.insert(u);
            set
        });
        let recipients: Option<HashSet<NodeIndex>> = self.funder.map(|f| {
            let mut set: HashSet<NodeIndex> = s
                .graph
                .edges_directed(f, Outgoing)
                .filter(|e| matches!(e.weight(), Edge::Funding(_)))
                .filter(|e| self.time.admits(e.weight().interval()))
                .map(|e| e.target())
                .collect();
            set.insert(f);
            set
        });
        s.organisations()
            .filter(|(_, o)| self.time.admits(&o.active))
            .filter(|(_, o)| self.kinds.is_empty() || self.kinds.contains(o.kind.as_str()))
            .filter(|(_, o)| {
                self.city
                    .as_deref()
                    .is_none_or(|c| o.city.as_deref().is_some_and(|oc| oc.to_lowercase() == c))
            })
            .filter(|(n, _)| members.as_ref().is_none_or(|m| m.contains(n)))
            .filter(|(n, _)| recipients.as_ref().is_none_or(|r| r.contains(n)))
            .map(|(n, _)| n)
            .collect()
    }

    /// Persons with roles at two kept organisations in the window, counted per pair.
    fn staff(
        &self,
        s: &Snapshot,
        allowed: &BTreeSet<NodeIndex>,
    ) -> BTreeMap<(NodeIndex, NodeIndex), u32> {
        let mut pairs: BTreeMap<(NodeIndex, NodeIndex), u32> = BTreeMap::new();
        for person in s.graph.node_indices().filter(|&n| s.person(n).is_some()) {
            let orgs: BTreeSet<NodeIndex> = s
                .roles_of(person)
                .filter(|(_, o, a)| self.time.admits(&a.interval) && allowed.contains(o))
                .map(|(_, o, _)| o)
                .collect();
            let orgs: Vec<NodeIndex> = orgs.into_iter().collect();
            for (i, &a) in orgs.iter().enumerate() {
                for &b in &orgs[i + 1..] {
                    *pairs.entry((a, b)).or_default() += 1;
                }
            }
        }
        pairs
    }

    /// Funding given and received in the window, by amount midpoints in euros.
    fn funding_volume(&self, s: &Snapshot, n: NodeIndex) -> f64 {
        let given = s.grants_from(n).map(|(_, f)| f);
        let received = s.grants_to(n).map(|(_, f)| f);
        given
            .chain(received)
            .filter(|f| self.time.admits(&f.interval))
            .map(|f| {
                let (lo, hi) = (f.amount_min.or(f.amount_max), f.amount_max.or(f.amount_min));
                (lo.unwrap_or(0) + hi.unwrap_or(0)) as f64 / 200.0
            })
            .sum()
    }
}

/// Nodes within `depth` links of `focus` over the view's links (either direction).
fn record_id(s: &Snapshot, n: NodeIndex) -> String {
    match &s.graph[n] {
        crate::graph::Node::Organisation(o) => o.id.clone(),
        crate::graph::Node::Person(p) => p.id.clone(),
    }
}

fn ego(
    focus: NodeIndex,
    depth: usize,
    links: &BTreeMap<(NodeIndex, NodeIndex, &'static str), u32>,
) -> BTreeSet<NodeIndex> {
    let mut adjacent: BTreeMap<NodeIndex, Vec<NodeIndex>> = BTreeMap::new();
    for &(a, b, _) in links.keys() {
        adjacent.entry(a).or_default().push(b);
        adjacent.entry(b).or_default().push(a);
    }
    let mut seen = BTreeSet::from([focus]);
    let mut frontier = vec![focus];
    for _ in 0..depth {
        let mut next = Vec::new();
        for n in frontier {
            for &m in adjacent.get(&n).map(Vec::as_slice).unwrap_or(&[]) {
                if seen.insert(m) {
                    next.push(m);
                }
            }
        }
        frontier = next;
    }
    seen
}
