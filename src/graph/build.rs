//! Builds a snapshot from the rows of `store::snapshot`, and the nodes and edges of
//! single rows (which `delta` applies the same way).
use std::collections::HashMap;
use std::sync::Arc;

use petgraph::graph::{DiGraph, NodeIndex};

use super::*;
use crate::domain::{enums::split_list, PartialDate, Visibility};
use crate::error::{Error, Result};
use crate::store::snapshot::{AffiliationRow, FundingRow, OrgRow, PersonRow, RelationRow, Rows};

fn interval(start: &Option<String>, end: &Option<String>) -> Result<Interval> {
    let date = |t: &Option<String>| -> Result<Option<PartialDate>> {
        t.as_deref()
            .map(|s| s.parse().map_err(|e| Error::Database(format!("{e}"))))
            .transpose()
    };
    Ok(Interval::new(date(start)?, date(end)?))
}

fn parse<T: std::str::FromStr<Err = String>>(s: &str) -> Result<T> {
    s.parse().map_err(Error::Database)
}

/// An organisation's node, its parent not yet resolved.
pub(super) fn org_node(o: &OrgRow) -> Result<Node> {
    Ok(Node::Organisation(Arc::new(OrgNode {
        id: o.id.clone(),
        name: o.name.clone(),
        short_name: o.short_name.clone(),
        kind: parse(&o.kind)?,
        city: o.city.clone(),
        parent: None,
        active: interval(&o.founded, &o.dissolved)?,
    })))
}

pub(super) fn person_node(p: &PersonRow) -> Node {
    Node::Person(Arc::new(PersonNode {
        restricted: p.visibility != Visibility::Public.as_str(),
        id: p.id.clone(),
        name: p.name.clone(),
    }))
}

pub(super) fn affiliation_edge(a: &AffiliationRow) -> Result<Edge> {
    Ok(Edge::Affiliation(Arc::new(AffiliationEdge {
        role: parse(&a.role)?,
        interval: interval(&a.start, &a.end)?,
        paid: a.paid,
        project_bound: a.project_bound,
        fields: split_list(&a.fields_of_work).map_err(Error::Database)?,
        id: a.id.clone(),
    })))
}

/// Carriers and co-applicants of a funding, as nodes.
pub(super) type Partners = (Vec<NodeIndex>, Vec<NodeIndex>);

pub(super) fn funding_edge(f: &FundingRow, (carriers, co_applicants): Partners) -> Result<Edge> {
    Ok(Edge::Funding(Arc::new(FundingEdge {
        id: f.id.clone(),
        programme: f.programme.clone(),
        amount_min: f.amount_min,
        amount_max: f.amount_max,
        interval: interval(&f.start, &f.end)?,
        project_bound: f.project_bound,
        status: parse(&f.status)?,
        carriers,
        co_applicants,
    })))
}

pub(super) fn relation_edge(r: &RelationRow) -> Result<Edge> {
    Ok(Edge::Relation(Arc::new(RelationEdge {
        kind: parse(&r.kind)?,
        interval: interval(&r.start, &r.end)?,
        approx_size: r.approx_size,
        id: r.id.clone(),
    })))
}

/// The partners of each funding among the nodes `node` finds (deleted partners are not).
pub(super) fn partners_by_funding(
    rows: &[(String, String, String)],
    node: impl Fn(&str) -> Option<NodeIndex>,
) -> HashMap<&str, Partners> {
    let mut partners: HashMap<&str, Partners> = HashMap::new();
    for (funding, org, role) in rows {
        if let Some(n) = node(org) {
            let entry = partners.entry(funding.as_str()).or_default();
            if role == "carrier" {
                entry.0.push(n)
            } else {
                entry.1.push(n)
            }
        }
    }
    partners
}

pub fn build_snapshot(rows: Rows) -> Result<Snapshot> {
    let node_count = rows.organisations.len() + rows.persons.len();
    let edge_count = rows.affiliations.len() + rows.fundings.len() + rows.relations.len();
    let mut s = Snapshot {
        version: rows.version,
        graph: DiGraph::with_capacity(node_count, edge_count),
        by_id: FxHashMap::with_capacity_and_hasher(node_count, Default::default()),
        edge_by_id: FxHashMap::with_capacity_and_hasher(edge_count, Default::default()),
        by_city: HashMap::new(),
        memo: Default::default(),
    };
    for o in &rows.organisations {
        s.add_node(org_node(o)?);
    }
    for o in &rows.organisations {
        if let (Some(parent), Some(me)) = (o.parent_id.as_deref(), s.node(&o.id)) {
            s.set_parent(me, s.node(parent));
        }
    }
    for p in &rows.persons {
        s.add_node(person_node(p));
    }
    // Links whose ends are gone (deleted) are not part of the network.
    for a in &rows.affiliations {
        s.add_edge(&a.person_id, &a.organisation_id, || affiliation_edge(a))?;
    }
    let mut partners = partners_by_funding(&rows.partners, |id| s.node(id));
    for f in &rows.fundings {
        let of_this = partners.remove(f.id.as_str()).unwrap_or_default();
        s.add_edge(&f.funder_id, &f.recipient_id, || funding_edge(f, of_this))?;
    }
    for r in &rows.relations {
        s.add_edge(&r.source_id, &r.target_id, || relation_edge(r))?;
    }
    Ok(s)
}

impl Snapshot {
    /// Adds a node and indexes it by id and city.
    pub(super) fn add_node(&mut self, node: Node) -> NodeIndex {
        let n = self.graph.add_node(node);
        let (id, city) = match &self.graph[n] {
            Node::Organisation(o) => (o.id.as_str(), o.city.as_deref()),
            Node::Person(p) => (p.id.as_str(), None),
        };
        self.by_id.insert(Arc::from(id), n);
        if let Some(city) = city {
            insert_sorted(self.by_city.entry(city.to_lowercase()).or_default(), n);
        }
        n
    }

    /// Adds the edge `make` gives between two nodes by id, if both are there.
    pub(super) fn add_edge(
        &mut self,
        from: &str,
        to: &str,
        make: impl FnOnce() -> Result<Edge>,
    ) -> Result<()> {
        if let (Some(a), Some(b)) = (self.node(from), self.node(to)) {
            let e = self.graph.add_edge(a, b, make()?);
            self.edge_by_id.insert(Arc::from(self.graph[e].id()), e);
        }
        Ok(())
    }

    pub(super) fn set_parent(&mut self, org: NodeIndex, parent: Option<NodeIndex>) {
        if let Node::Organisation(o) = &mut self.graph[org] {
            if o.parent != parent {
                Arc::make_mut(o).parent = parent;
            }
        }
    }
}

/// Keeps a city's organisations in node order, as a full build lists them.
pub(super) fn insert_sorted(nodes: &mut Vec<NodeIndex>, n: NodeIndex) {
    if let Err(at) = nodes.binary_search(&n) {
        nodes.insert(at, n);
    }
}
