//! The dependency graph between organisations: recipient → funder, unit → parent,
//! member → umbrella, project → carrier, founded → initiator or supporter, a city →
//! the association it relies on, and an organisation → the employers of its board.
use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction::{Incoming, Outgoing};
use serde::Serialize;

use super::funding::Share;
use super::overlaps::is_employment;
use super::*;

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Reason {
    pub kind: &'static str,
    /// The funding or relation record behind it, if there is one.
    pub record_id: Option<String>,
    /// For funding: the share of the organisation's funding from this funder.
    pub share: Option<Share>,
    /// For staffing: the board member employed there (named for signed-in callers).
    pub person: Option<PersonRef>,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Dependency {
    pub organisation: OrgRef,
    pub reasons: Vec<Reason>,
}

fn is_board(role: Role) -> bool {
    matches!(
        role,
        Role::Chair | Role::CoChair | Role::BoardMember | Role::Treasurer
    )
}

fn reason(kind: &'static str, record_id: Option<&str>) -> Reason {
    Reason {
        kind,
        record_id: record_id.map(str::to_string),
        share: None,
        person: None,
    }
}

/// Every (organisation it depends on, why) for one organisation.
pub fn depends_on(
    s: &Snapshot,
    org: NodeIndex,
    time: &TimeFilter,
    viewer: Viewer,
) -> Vec<(NodeIndex, Reason)> {
    let mut out = Vec::new();
    let Some(me) = s.org(org) else { return out };
    if let Some(parent) = me.parent {
        out.push((parent, reason("parent", None)));
    }
    let mut total = funding::Amount::default();
    for (_, f) in s.grants_to(org).filter(|(_, f)| funding::counts(f, time)) {
        total.add(funding::Amount::of(f));
    }
    for e in s.graph.edges_directed(org, Incoming) {
        if !time.admits(e.weight().interval()) {
            continue;
        }
        match e.weight() {
            Edge::Funding(f) if f.status != FundingStatus::Applied => {
                let mut r = reason("funding", Some(&f.id));
                r.share = Some(Share::of(funding::Amount::of(f), total));
                out.push((e.source(), r));
            }
            Edge::Relation(r) if r.kind == RelationKind::CarrierOf => {
                out.push((e.source(), reason("carrier", Some(&r.id))))
            }
            Edge::Relation(r) if r.kind == RelationKind::SupportedFoundingOf => {
                out.push((e.source(), reason("founding_support", Some(&r.id))))
            }
            _ => {}
        }
    }
    for e in s.graph.edges_directed(org, Outgoing) {
        let Edge::Relation(r) = e.weight() else {
            continue;
        };
        if !time.admits(&r.interval) {
            continue;
        }
        let kind = match r.kind {
            RelationKind::PartOf => "part_of",
            RelationKind::MemberOf => "member_of",
            RelationKind::FoundedOnInitiativeOf => "founding_initiative",
            RelationKind::ReliesOn => "relies_on",
            _ => continue,
        };
        out.push((e.target(), reason(kind, Some(&r.id))));
    }
    for (_, person, board) in s.staff_of(org) {
        if !is_board(board.role) || !time.admits(&board.interval) {
            continue;
        }
        for (_, employer, job) in s.roles_of(person) {
            if employer != org
                && is_employment(job.role)
                && time.admits(&job.interval)
                && board.interval.intersect(&job.interval).is_some()
            {
                let mut r = reason("staffing", None);
                r.person = s.person(person).and_then(|p| viewer.name(p));
                out.push((employer, r));
            }
        }
    }
    out
}

fn group(s: &Snapshot, edges: Vec<(NodeIndex, Reason)>) -> Vec<Dependency> {
    let mut by_org: BTreeMap<NodeIndex, Vec<Reason>> = BTreeMap::new();
    for (o, r) in edges {
        by_org.entry(o).or_default().push(r);
    }
    let mut result: Vec<Dependency> = by_org
        .into_iter()
        .filter_map(|(o, reasons)| {
            Some(Dependency {
                organisation: OrgRef::of(s.org(o)?),
                reasons,
            })
        })
        .collect();
    result.sort_by(|a, b| a.organisation.name.cmp(&b.organisation.name));
    result
}

pub fn dependencies(
    s: &Snapshot,
    org: NodeIndex,
    time: &TimeFilter,
    viewer: Viewer,
) -> Vec<Dependency> {
    group(s, depends_on(s, org, time, viewer))
}

/// Organisations that depend on `org`: its neighbours (directly, through persons, or as
/// children) whose own dependencies point to it.
pub fn dependents(
    s: &Snapshot,
    org: NodeIndex,
    time: &TimeFilter,
    viewer: Viewer,
) -> Vec<Dependency> {
    let mut candidates: BTreeSet<NodeIndex> = s
        .graph
        .neighbors_undirected(org)
        .filter(|&n| s.org(n).is_some())
        .collect();
    for (_, person, _) in s.staff_of(org) {
        candidates.extend(s.roles_of(person).map(|(_, o, _)| o));
    }
    candidates.extend(
        s.organisations()
            .filter(|(_, o)| o.parent == Some(org))
            .map(|(n, _)| n),
    );
    candidates.remove(&org);
    let edges = candidates
        .into_iter()
        .flat_map(|c| {
            depends_on(s, c, time, viewer)
                .into_iter()
                .filter(|(target, _)| *target == org)
                .map(move |(_, r)| (c, r))
        })
        .collect();
    group(s, edges)
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Cycle {
    pub organisations: Vec<OrgRef>,
    /// The dependencies among the members: (from, to, reason kinds).
    pub edges: Vec<(String, String, Vec<&'static str>)>,
}

/// Strongly connected components of the dependency graph with more than one member.
pub fn cycles(s: &Snapshot, time: &TimeFilter) -> Vec<Cycle> {
    let mut dep: DiGraph<NodeIndex, Vec<&'static str>> = DiGraph::new();
    let mut local: BTreeMap<NodeIndex, petgraph::graph::NodeIndex> = BTreeMap::new();
    for (n, _) in s.organisations() {
        local.insert(n, dep.add_node(n));
    }
    let mut kinds: BTreeMap<(NodeIndex, NodeIndex), Vec<&'static str>> = BTreeMap::new();
    for (n, _) in s.organisations() {
        for (target, r) in depends_on(s, n, time, Viewer::Anonymous) {
            if target != n {
                let list = kinds.entry((n, target)).or_default();
                if !list.contains(&r.kind) {
                    list.push(r.kind);
                }
            }
        }
    }
    for ((a, b), k) in &kinds {
        dep.add_edge(local[a], local[b], k.clone());
    }
    let mut result: Vec<Cycle> = petgraph::algo::tarjan_scc(&dep)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|component| {
            let members: BTreeSet<NodeIndex> = component.iter().map(|&l| dep[l]).collect();
            let mut organisations: Vec<OrgRef> = members
                .iter()
                .filter_map(|&m| s.org(m).map(OrgRef::of))
                .collect();
            organisations.sort_by(|a, b| a.name.cmp(&b.name));
            let edges = kinds
                .iter()
                .filter(|((a, b), _)| members.contains(a) && members.contains(b))
                .filter_map(|((a, b), k)| {
                    Some((s.org(*a)?.id.clone(), s.org(*b)?.id.clone(), k.clone()))
                })
                .collect();
            Cycle {
                organisations,
                edges,
            }
        })
        .collect();
    result.sort_by_key(|c| std::cmp::Reverse(c.organisations.len()));
    result
}
