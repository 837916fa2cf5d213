//! Changes applied to a copy of a snapshot instead of a full rebuild: the records a
//! batch of changes touched, as they are now, replace their old selves. The copy shares
//! every node's and edge's data with the snapshot it came from and copies only the index
//! arrays and maps, so a write costs milliseconds and little memory at national scale.
use std::collections::HashSet;

use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::Direction;

use super::build::{
    affiliation_edge, funding_edge, insert_sorted, org_node, partners_by_funding, person_node,
    relation_edge,
};
use super::{Edge, Node, Snapshot};
use crate::error::Result;
use crate::store::snapshot::{OrgRow, Rows, Touched};

impl Snapshot {
    /// A copy to apply changes to. The memo starts empty: its answers belong to the
    /// version they were computed on.
    pub fn copy_for_changes(&self) -> Snapshot {
        Snapshot {
            version: self.version,
            graph: self.graph.clone(),
            by_id: self.by_id.clone(),
            edge_by_id: self.edge_by_id.clone(),
            by_city: self.by_city.clone(),
            memo: Default::default(),
        }
    }

    /// Brings the snapshot to `rows.version`. `touched` names every record the changes
    /// touched (one without a row in `rows` is gone); `rows` holds the live ones, with
    /// the live links of nodes that come back; `children` the organisations whose parent
    /// is a touched one. The result equals a full build at that version, up to the order
    /// of node and edge indices.
    pub fn apply(&mut self, touched: &Touched, rows: &Rows, children: &[OrgRow]) -> Result<()> {
        // Every link touched or reloaded leaves first; the live ones come back below.
        let links = touched
            .affiliations
            .iter()
            .chain(&touched.fundings)
            .chain(&touched.relations)
            .chain(rows.affiliations.iter().map(|a| &a.id))
            .chain(rows.fundings.iter().map(|f| &f.id))
            .chain(rows.relations.iter().map(|r| &r.id));
        for id in links {
            if let Some(&e) = self.edge_by_id.get(id.as_str()) {
                self.remove_edge(e);
            }
        }

        let live: HashSet<&str> = rows
            .organisations
            .iter()
            .map(|o| o.id.as_str())
            .chain(rows.persons.iter().map(|p| p.id.as_str()))
            .collect();
        for id in touched.organisations.iter().chain(&touched.persons) {
            if live.contains(id.as_str()) {
                continue;
            }
            if let Some(n) = self.node(id) {
                self.remove_node(n);
            }
        }

        for o in &rows.organisations {
            self.put_node(&o.id, org_node(o)?);
        }
        for p in &rows.persons {
            self.put_node(&p.id, person_node(p));
        }
        for o in rows.organisations.iter().chain(children) {
            if let Some(me) = self.node(&o.id) {
                let parent = o.parent_id.as_deref().and_then(|p| self.node(p));
                self.set_parent(me, parent);
            }
        }

        for a in &rows.affiliations {
            self.add_edge(&a.person_id, &a.organisation_id, || affiliation_edge(a))?;
        }
        let mut partners = partners_by_funding(&rows.partners, |id| self.node(id));
        for f in &rows.fundings {
            let of_this = partners.remove(f.id.as_str()).unwrap_or_default();
            self.add_edge(&f.funder_id, &f.recipient_id, || funding_edge(f, of_this))?;
        }
        for r in &rows.relations {
            self.add_edge(&r.source_id, &r.target_id, || relation_edge(r))?;
        }
        self.version = rows.version;
        Ok(())
    }

    /// Replaces a node's data, or adds the node. A replaced organisation keeps its
    /// parent until the caller sets it from the row.
    fn put_node(&mut self, id: &str, mut node: Node) {
        let Some(n) = self.node(id) else {
            self.add_node(node);
            return;
        };
        if let (Node::Organisation(old), Node::Organisation(new)) = (&self.graph[n], &mut node) {
            std::sync::Arc::make_mut(new).parent = old.parent;
        }
        let (old_city, new_city) = (city_key(&self.graph[n]), city_key(&node));
        if old_city != new_city {
            self.uncity(n, old_city.as_deref());
            if let Some(city) = new_city {
                insert_sorted(self.by_city.entry(city).or_default(), n);
            }
        }
        self.graph[n] = node;
    }

    fn uncity(&mut self, n: NodeIndex, city: Option<&str>) {
        let Some(city) = city else { return };
        if let Some(nodes) = self.by_city.get_mut(city) {
            nodes.retain(|&m| m != n);
            if nodes.is_empty() {
                self.by_city.remove(city);
            }
        }
    }

    /// Removes an edge; the graph's last edge takes its index.
    fn remove_edge(&mut self, e: EdgeIndex) {
        self.edge_by_id.remove(self.graph[e].id());
        self.graph.remove_edge(e);
        if let Some(moved) = self.graph.edge_weight(e) {
            if let Some(slot) = self.edge_by_id.get_mut(moved.id()) {
                *slot = e;
            }
        }
    }

    /// Removes a node with its edges; the graph's last node takes its index, and every
    /// reference to either (parents, funding partners, city lists) follows.
    fn remove_node(&mut self, n: NodeIndex) {
        for direction in [Direction::Outgoing, Direction::Incoming] {
            while let Some(e) = self.graph.first_edge(n, direction) {
                self.remove_edge(e);
            }
        }
        let city = city_key(&self.graph[n]);
        self.uncity(n, city.as_deref());
        self.by_id.remove(node_id(&self.graph[n]));
        let last = NodeIndex::new(self.graph.node_count() - 1);
        self.graph.remove_node(n);
        let follow = |m: NodeIndex| match m {
            m if m == n => None,
            m if m == last => Some(n),
            m => Some(m),
        };
        if last != n {
            if let Some(slot) = self.by_id.get_mut(node_id(&self.graph[n])) {
                *slot = n;
            }
            if let Some(city) = city_key(&self.graph[n]) {
                self.uncity(last, Some(&city));
                insert_sorted(self.by_city.entry(city).or_default(), n);
            }
        }
        for m in self.graph.node_indices() {
            if let Node::Organisation(o) = &mut self.graph[m] {
                if let Some(p) = o.parent.filter(|&p| p == n || p == last) {
                    std::sync::Arc::make_mut(o).parent = follow(p);
                }
            }
        }
        for w in self.graph.edge_weights_mut() {
            if let Edge::Funding(f) = w {
                let names = |v: &Vec<NodeIndex>| v.iter().any(|&m| m == n || m == last);
                if names(&f.carriers) || names(&f.co_applicants) {
                    let f = std::sync::Arc::make_mut(f);
                    f.carriers = f.carriers.iter().filter_map(|&m| follow(m)).collect();
                    f.co_applicants = f.co_applicants.iter().filter_map(|&m| follow(m)).collect();
                }
            }
        }
    }
}

fn node_id(node: &Node) -> &str {
    match node {
        Node::Organisation(o) => &o.id,
        Node::Person(p) => &p.id,
    }
}

/// The key of `by_city` a node is listed under.
fn city_key(node: &Node) -> Option<String> {
    match node {
        Node::Organisation(o) => o.city.as_ref().map(|c| c.to_lowercase()),
        Node::Person(_) => None,
    }
}
