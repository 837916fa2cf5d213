//! The in-memory network: an immutable petgraph snapshot of all live organisations,
//! persons and their dated links, rebuilt when the data version changes.
mod build;
pub mod centrality;
mod delta;
pub mod dependencies;
pub mod funding;
mod memo;
pub mod network;
pub mod overlaps;
pub mod paths;
pub mod query;
pub mod state;
pub mod time;

use std::collections::HashMap;
use std::sync::Arc;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::domain::{FieldOfWork, FundingStatus, Interval, OrgKind, RelationKind, Role};

pub use build::build_snapshot;
pub use memo::{Memo, MemoKey};
pub use state::{GraphState, Prepare, Rebuild};
pub use time::TimeFilter;

#[derive(Debug, Clone)]
pub struct OrgNode {
    pub id: String,
    pub name: String,
    /// For finding an organisation by what people type.
    pub short_name: Option<String>,
    pub kind: OrgKind,
    pub city: Option<String>,
    pub parent: Option<NodeIndex>,
    /// From its founding to its dissolution (open ends: unknown start, still active).
    pub active: Interval,
}

#[derive(Debug, Clone)]
pub struct PersonNode {
    pub id: String,
    pub name: String,
    pub restricted: bool,
}

/// A node's data is shared between snapshots (`Arc`): a write copies the graph's index
/// arrays for the next snapshot, not every name and id in it.
#[derive(Debug, Clone)]
pub enum Node {
    Organisation(Arc<OrgNode>),
    Person(Arc<PersonNode>),
}

#[derive(Debug, Clone)]
pub struct AffiliationEdge {
    pub id: String,
    pub role: Role,
    pub interval: Interval,
    pub paid: Option<bool>,
    pub project_bound: bool,
    pub fields: Vec<FieldOfWork>,
}

#[derive(Debug, Clone)]
pub struct FundingEdge {
    pub id: String,
    pub programme: Option<String>,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub interval: Interval,
    pub project_bound: bool,
    pub status: FundingStatus,
    pub carriers: Vec<NodeIndex>,
    pub co_applicants: Vec<NodeIndex>,
}

#[derive(Debug, Clone)]
pub struct RelationEdge {
    pub id: String,
    pub kind: RelationKind,
    pub interval: Interval,
    pub approx_size: Option<i32>,
}

/// Edges point person → organisation, funder → recipient, source → target. Their data
/// is shared between snapshots, as nodes' is.
#[derive(Debug, Clone)]
pub enum Edge {
    Affiliation(Arc<AffiliationEdge>),
    Funding(Arc<FundingEdge>),
    Relation(Arc<RelationEdge>),
}

impl Edge {
    pub fn interval(&self) -> &Interval {
        match self {
            Edge::Affiliation(a) => &a.interval,
            Edge::Funding(f) => &f.interval,
            Edge::Relation(r) => &r.interval,
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Edge::Affiliation(a) => &a.id,
            Edge::Funding(f) => &f.id,
            Edge::Relation(r) => &r.id,
        }
    }

    /// The edge kind as a word: `affiliation`, `funding` or the relation kind.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Edge::Affiliation(_) => "affiliation",
            Edge::Funding(_) => "funding",
            Edge::Relation(r) => r.kind.as_str(),
        }
    }
}

/// One immutable snapshot of the network at a data version.
pub struct Snapshot {
    pub version: i64,
    pub graph: DiGraph<Node, Edge>,
    /// Node by record id, with a fast hash: looked up for every row of an export and
    /// every step of a query (ids are UUIDs the registry checked, not attacker-shaped).
    /// Shared keys, so that the copy a write makes does not copy every id.
    pub by_id: FxHashMap<Arc<str>, NodeIndex>,
    /// Edge by record id (affiliations, fundings, relations), for applying changes.
    pub edge_by_id: FxHashMap<Arc<str>, EdgeIndex>,
    /// Organisations by lower-case city name.
    pub by_city: HashMap<String, Vec<NodeIndex>>,
    /// Expensive answers computed on this snapshot; they go with it.
    pub memo: Memo,
}

impl Snapshot {
    pub fn in_city(&self, city: &str) -> &[NodeIndex] {
        self.by_city
            .get(&city.to_lowercase())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn node(&self, id: &str) -> Option<NodeIndex> {
        self.by_id.get(id).copied()
    }

    pub fn org(&self, n: NodeIndex) -> Option<&OrgNode> {
        match &self.graph[n] {
            Node::Organisation(o) => Some(o.as_ref()),
            Node::Person(_) => None,
        }
    }

    pub fn person(&self, n: NodeIndex) -> Option<&PersonNode> {
        match &self.graph[n] {
            Node::Person(p) => Some(p.as_ref()),
            Node::Organisation(_) => None,
        }
    }

    /// Affiliations at an organisation: (edge, person node, data).
    pub fn staff_of(
        &self,
        org: NodeIndex,
    ) -> impl Iterator<Item = (EdgeIndex, NodeIndex, &AffiliationEdge)> {
        use petgraph::visit::EdgeRef;
        self.graph
            .edges_directed(org, petgraph::Direction::Incoming)
            .filter_map(|e| match e.weight() {
                Edge::Affiliation(a) => Some((e.id(), e.source(), a.as_ref())),
                _ => None,
            })
    }

    /// Affiliations of a person: (edge, organisation node, data).
    pub fn roles_of(
        &self,
        person: NodeIndex,
    ) -> impl Iterator<Item = (EdgeIndex, NodeIndex, &AffiliationEdge)> {
        use petgraph::visit::EdgeRef;
        self.graph
            .edges_directed(person, petgraph::Direction::Outgoing)
            .filter_map(|e| match e.weight() {
                Edge::Affiliation(a) => Some((e.id(), e.target(), a.as_ref())),
                _ => None,
            })
    }

    /// Fundings received by an organisation: (funder node, data).
    pub fn grants_to(&self, org: NodeIndex) -> impl Iterator<Item = (NodeIndex, &FundingEdge)> {
        use petgraph::visit::EdgeRef;
        self.graph
            .edges_directed(org, petgraph::Direction::Incoming)
            .filter_map(|e| match e.weight() {
                Edge::Funding(f) => Some((e.source(), f.as_ref())),
                _ => None,
            })
    }

    /// Fundings given by a funder: (recipient node, data).
    pub fn grants_from(
        &self,
        funder: NodeIndex,
    ) -> impl Iterator<Item = (NodeIndex, &FundingEdge)> {
        use petgraph::visit::EdgeRef;
        self.graph
            .edges_directed(funder, petgraph::Direction::Outgoing)
            .filter_map(|e| match e.weight() {
                Edge::Funding(f) => Some((e.target(), f.as_ref())),
                _ => None,
            })
    }

    pub fn organisations(&self) -> impl Iterator<Item = (NodeIndex, &OrgNode)> {
        self.graph
            .node_indices()
            .filter_map(|n| self.org(n).map(|o| (n, o)))
    }
}

/// An organisation as named in answers.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct OrgRef {
    pub id: String,
    pub name: String,
    pub kind: OrgKind,
    pub city: Option<String>,
}

impl OrgRef {
    pub fn of(o: &OrgNode) -> OrgRef {
        OrgRef {
            id: o.id.clone(),
            name: o.name.clone(),
            kind: o.kind,
            city: o.city.clone(),
        }
    }
}

/// A person as named in answers: `None` when the caller may not see the name.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct PersonRef {
    pub id: String,
    pub name: String,
}

/// Who asks, for naming persons: anonymous callers get counts, not names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Viewer {
    Anonymous,
    SignedIn,
}

impl Viewer {
    /// Signed-in users (any role) and the system see persons; anonymous callers don't.
    pub fn of(caller: &crate::service::Caller) -> Viewer {
        if caller.sees_restricted() {
            Viewer::SignedIn
        } else {
            Viewer::Anonymous
        }
    }

    pub fn name(&self, p: &PersonNode) -> Option<PersonRef> {
        match self {
            Viewer::SignedIn => Some(PersonRef {
                id: p.id.clone(),
                name: p.name.clone(),
            }),
            Viewer::Anonymous => None,
        }
    }
}
