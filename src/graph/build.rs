//! Builds a snapshot from the rows of `store::snapshot`.
use std::collections::HashMap;

use petgraph::graph::{DiGraph, NodeIndex};

use super::*;
use crate::domain::{enums::split_list, PartialDate, Visibility};
use crate::error::{Error, Result};
use crate::store::snapshot::Rows;

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

pub fn build_snapshot(rows: Rows) -> Result<Snapshot> {
    let node_count = rows.organisations.len() + rows.persons.len();
    let edge_count = rows.affiliations.len() + rows.fundings.len() + rows.relations.len();
    let mut graph: DiGraph<Node, Edge> = DiGraph::with_capacity(node_count, edge_count);
    let mut by_id: rustc_hash::FxHashMap<String, NodeIndex> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(node_count, Default::default());

    for o in &rows.organisations {
        let node = Node::Organisation(OrgNode {
            id: o.id.clone(),
            name: o.name.clone(),
            short_name: o.short_name.clone(),
            kind: parse(&o.kind)?,
            city: o.city.clone(),
            parent: None,
            active: interval(&o.founded, &o.dissolved)?,
        });
        by_id.insert(o.id.clone(), graph.add_node(node));
    }
    for o in &rows.organisations {
        if let (Some(parent), Some(&me)) = (
            o.parent_id.as_ref().and_then(|p| by_id.get(p)),
            by_id.get(&o.id),
        ) {
            if let Node::Organisation(org) = &mut graph[me] {
                org.parent = Some(*parent);
            }
        }
    }
    for p in rows.persons {
        let node = Node::Person(PersonNode {
            restricted: p.visibility != Visibility::Public.as_str(),
            id: p.id.clone(),
            name: p.name,
        });
        by_id.insert(p.id, graph.add_node(node));
    }
    // Links whose ends are gone (deleted) are not part of the network.
    for a in rows.affiliations {
        let (Some(&person), Some(&org)) = (by_id.get(&a.person_id), by_id.get(&a.organisation_id))
        else {
            continue;
        };
        let edge = Edge::Affiliation(AffiliationEdge {
            role: parse(&a.role)?,
            interval: interval(&a.start, &a.end)?,
            paid: a.paid,
            project_bound: a.project_bound,
            fields: split_list(&a.fields_of_work).map_err(Error::Database)?,
            id: a.id,
        });
        graph.add_edge(person, org, edge);
    }
    let mut partners: HashMap<&str, (Vec<NodeIndex>, Vec<NodeIndex>)> = HashMap::new();
    for (funding, org, role) in &rows.partners {
        if let Some(&n) = by_id.get(org) {
            let entry = partners.entry(funding.as_str()).or_default();
            if role == "carrier" {
                entry.0.push(n)
            } else {
                entry.1.push(n)
            }
        }
    }
    for f in &rows.fundings {
        let (Some(&funder), Some(&recipient)) =
            (by_id.get(&f.funder_id), by_id.get(&f.recipient_id))
        else {
            continue;
        };
        let (carriers, co_applicants) = partners.remove(f.id.as_str()).unwrap_or_default();
        let edge = Edge::Funding(FundingEdge {
            id: f.id.clone(),
            programme: f.programme.clone(),
            amount_min: f.amount_min,
            amount_max: f.amount_max,
            interval: interval(&f.start, &f.end)?,
            project_bound: f.project_bound,
            status: parse(&f.status)?,
            carriers,
            co_applicants,
        });
        graph.add_edge(funder, recipient, edge);
    }
    for r in rows.relations {
        let (Some(&source), Some(&target)) = (by_id.get(&r.source_id), by_id.get(&r.target_id))
        else {
            continue;
        };
        let edge = Edge::Relation(RelationEdge {
            kind: parse(&r.kind)?,
            interval: interval(&r.start, &r.end)?,
            approx_size: r.approx_size,
            id: r.id,
        });
        graph.add_edge(source, target, edge);
    }
    let mut by_city: HashMap<String, Vec<NodeIndex>> = HashMap::new();
    for n in graph.node_indices() {
        if let Node::Organisation(OrgNode { city: Some(c), .. }) = &graph[n] {
            by_city.entry(c.to_lowercase()).or_default().push(n);
        }
    }
    Ok(Snapshot {
        version: rows.version,
        graph,
        by_id,
        by_city,
        memo: Default::default(),
    })
}
