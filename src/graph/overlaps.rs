//! Staff overlaps (organisations sharing persons) and tandem roles (a role in a
//! self-organisation while employed by the city or a welfare organisation).
use std::collections::{BTreeMap, HashMap, HashSet};

use petgraph::graph::NodeIndex;
use serde::Serialize;

use super::*;

mod tandem;
pub use tandem::{
    is_employment, is_public_employer, is_self_organisation, tandem, tandem_overlap, Paging, Side,
    TandemAnswer, TandemCity, TandemPair, TandemRole, TANDEM_MAX_PAGE, TANDEM_PAGE,
};

/// One affiliation as shown in answers.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct RoleSpan {
    pub role: Role,
    #[serde(flatten)]
    pub interval: Interval,
}

impl RoleSpan {
    fn of(a: &AffiliationEdge) -> RoleSpan {
        RoleSpan {
            role: a.role,
            interval: a.interval,
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct SharedPerson {
    /// `None` when the caller may not see person names.
    pub person: Option<PersonRef>,
    pub roles_here: Vec<RoleSpan>,
    pub roles_there: Vec<RoleSpan>,
    /// The span in which roles on both sides were held at once, if ever.
    pub overlap: Option<Interval>,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct StaffOverlap {
    pub organisation: OrgRef,
    pub shared_persons: usize,
    /// Who and in which roles: for signed-in callers only. Anonymous callers get the
    /// count, never a restricted person's role or dates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persons: Option<Vec<SharedPerson>>,
}

/// The hull of all pairwise intersections between two sets of affiliations.
fn overlap_of(here: &[&AffiliationEdge], there: &[&AffiliationEdge]) -> Option<Interval> {
    let mut hull: Option<Interval> = None;
    for a in here {
        for b in there {
            if let Some(i) = a.interval.intersect(&b.interval) {
                hull = Some(match hull {
                    None => i,
                    Some(h) => Interval {
                        start: h.start.min(i.start),
                        end: if h.end.is_none() || i.end.is_none() {
                            None
                        } else {
                            h.end.max(i.end)
                        },
                    },
                });
            }
        }
    }
    hull
}

/// Organisations that share persons with `org`.
pub fn staff_overlaps(
    s: &Snapshot,
    org: NodeIndex,
    time: &TimeFilter,
    concurrent: bool,
    viewer: Viewer,
) -> Vec<StaffOverlap> {
    // Ordered maps keep the answer's order the same from run to run.
    let mut here: BTreeMap<NodeIndex, Vec<&AffiliationEdge>> = BTreeMap::new();
    for (_, person, a) in s.staff_of(org) {
        if time.admits(&a.interval) {
            here.entry(person).or_default().push(a);
        }
    }
    // other organisation → person → that person's roles there
    let mut found: BTreeMap<NodeIndex, Vec<(NodeIndex, Vec<&AffiliationEdge>)>> = BTreeMap::new();
    for (&person, mine) in &here {
        let mut there: BTreeMap<NodeIndex, Vec<&AffiliationEdge>> = BTreeMap::new();
        for (_, other, a) in s.roles_of(person) {
            if other != org && time.admits(&a.interval) {
                there.entry(other).or_default().push(a);
            }
        }
        for (other, roles) in there {
            if concurrent && overlap_of(mine, &roles).is_none() {
                continue;
            }
            found.entry(other).or_default().push((person, roles));
        }
    }
    let mut result: Vec<StaffOverlap> = found
        .into_iter()
        .filter_map(|(other, people)| {
            let organisation = OrgRef::of(s.org(other)?);
            let shared_persons = people.len();
            let persons = (viewer == Viewer::SignedIn).then(|| {
                people
                    .into_iter()
                    .map(|(p, roles)| SharedPerson {
                        person: s.person(p).and_then(|p| viewer.name(p)),
                        roles_here: here[&p].iter().map(|a| RoleSpan::of(a)).collect(),
                        overlap: overlap_of(&here[&p], &roles),
                        roles_there: roles.into_iter().map(RoleSpan::of).collect(),
                    })
                    .collect()
            });
            Some(StaffOverlap {
                organisation,
                shared_persons,
                persons,
            })
        })
        .collect();
    result.sort_by(|a, b| {
        b.shared_persons
            .cmp(&a.shared_persons)
            .then_with(|| a.organisation.name.cmp(&b.organisation.name))
    });
    result
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct StaffPair {
    pub a: OrgRef,
    pub b: OrgRef,
    pub shared_persons: u32,
}

/// All pairs of organisations ranked by the number of persons they share.
pub fn staff_pairs(
    s: &Snapshot,
    time: &TimeFilter,
    concurrent: bool,
    limit: usize,
) -> Vec<StaffPair> {
    let mut counts: HashMap<(NodeIndex, NodeIndex), u32> = HashMap::new();
    let mut roles: Vec<(NodeIndex, &AffiliationEdge)> = Vec::new();
    let mut pairs: HashSet<(NodeIndex, NodeIndex)> = HashSet::new();
    for person in s.graph.node_indices() {
        if s.person(person).is_none() {
            continue;
        }
        roles.clear();
        roles.extend(
            s.roles_of(person)
                .filter(|(_, _, a)| time.admits(&a.interval))
                .map(|(_, o, a)| (o, a)),
        );
        if roles.len() < 2 {
            continue;
        }
        pairs.clear();
        for (i, (o1, a1)) in roles.iter().enumerate() {
            for (o2, a2) in &roles[i + 1..] {
                if o1 == o2 || (concurrent && a1.interval.intersect(&a2.interval).is_none()) {
                    continue;
                }
                pairs.insert(if o1 < o2 { (*o1, *o2) } else { (*o2, *o1) });
            }
        }
        for pair in &pairs {
            *counts.entry(*pair).or_default() += 1;
        }
    }
    let mut ranked: Vec<((NodeIndex, NodeIndex), u32)> = counts.into_iter().collect();
    let by_rank = |x: &((NodeIndex, NodeIndex), u32), y: &((NodeIndex, NodeIndex), u32)| {
        y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0))
    };
    if limit < ranked.len() && limit > 0 {
        ranked.select_nth_unstable_by(limit - 1, by_rank);
        ranked.truncate(limit);
    }
    ranked.sort_by(by_rank);
    ranked.truncate(limit);
    ranked
        .into_iter()
        .filter_map(|((a, b), n)| {
            Some(StaffPair {
                a: OrgRef::of(s.org(a)?),
                b: OrgRef::of(s.org(b)?),
                shared_persons: n,
            })
        })
        .collect()
}
