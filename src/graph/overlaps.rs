//! Staff overlaps (organisations sharing persons) and tandem roles (a role in a
//! self-organisation while employed by the city or a welfare organisation).
use std::collections::{BTreeMap, HashMap, HashSet};

use petgraph::graph::NodeIndex;
use serde::Serialize;

use super::*;

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

/// Organisations on the self-organisation side of a tandem.
pub fn is_self_organisation(kind: OrgKind) -> bool {
    matches!(
        kind,
        OrgKind::MigrantOrganisation
            | OrgKind::RomaSelfOrganisation
            | OrgKind::StateAssociation
            | OrgKind::FederalAssociation
            | OrgKind::EuropeanAssociation
    )
}

/// Organisations on the employer side: the city, its units, the state, welfare.
pub fn is_public_employer(kind: OrgKind) -> bool {
    matches!(
        kind,
        OrgKind::Municipality
            | OrgKind::MunicipalUnit
            | OrgKind::StateBody
            | OrgKind::WelfareOrganisation
    )
}

/// Roles that mean being employed (often only for a project's duration).
pub fn is_employment(role: Role) -> bool {
    matches!(
        role,
        Role::Employee
            | Role::ProjectStaff
            | Role::Mediator
            | Role::LanguageMediator
            | Role::Adviser
    )
}

/// One side of a possible tandem: where a role is held, which role, when.
#[derive(Debug, Clone, Copy)]
pub struct Side {
    pub kind: OrgKind,
    pub role: Role,
    pub interval: Interval,
}

/// The tandem rule, the one place it is written: a role at a self-organisation held while
/// employed by a public employer (another organisation), at a common time. Returns that
/// common time.
pub fn tandem_overlap(self_side: Side, job: Side, same_organisation: bool) -> Option<Interval> {
    if same_organisation
        || !is_self_organisation(self_side.kind)
        || !is_public_employer(job.kind)
        || !is_employment(job.role)
    {
        return None;
    }
    self_side.interval.intersect(&job.interval)
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct TandemRole {
    pub person: Option<PersonRef>,
    pub self_organisation: OrgRef,
    pub self_role: RoleSpan,
    pub employer: OrgRef,
    pub employment: RoleSpan,
    pub overlap: Interval,
    pub shared_fields: Vec<FieldOfWork>,
}

/// How many persons hold tandem roles between one self-organisation and one employer.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct TandemPair {
    pub self_organisation: OrgRef,
    pub employer: OrgRef,
    pub persons: usize,
}

/// How many persons hold tandem roles with a self-organisation in this city.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct TandemCity {
    pub city: Option<String>,
    pub persons: usize,
}

/// Tandems as organisation-level counts for everyone, and the roles behind them (whose,
/// which, when) for signed-in callers only.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct TandemAnswer {
    pub pairs: Vec<TandemPair>,
    pub cities: Vec<TandemCity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<TandemRole>>,
}

/// Persons holding a role in a self-organisation while employed on the public side.
pub fn tandem(
    s: &Snapshot,
    time: &TimeFilter,
    city: Option<&str>,
    organisation: Option<NodeIndex>,
    viewer: Viewer,
) -> TandemAnswer {
    let persons: Vec<NodeIndex> = match (organisation, city) {
        (Some(org), _) => s.staff_of(org).map(|(_, p, _)| p).collect(),
        (None, Some(c)) => s
            .in_city(c)
            .iter()
            .flat_map(|&o| s.staff_of(o).map(|(_, p, _)| p))
            .collect(),
        (None, None) => s
            .graph
            .node_indices()
            .filter(|&n| s.person(n).is_some())
            .collect(),
    };
    let city = city.map(str::to_lowercase);
    let in_city = |o: &OrgNode| {
        city.as_deref()
            .is_none_or(|c| o.city.as_deref().is_some_and(|oc| oc.to_lowercase() == c))
    };
    let side = |n: &OrgNode, a: &AffiliationEdge| Side {
        kind: n.kind,
        role: a.role,
        interval: a.interval,
    };
    let mut seen = HashSet::new();
    let mut rows: Vec<(NodeIndex, NodeIndex, NodeIndex, TandemRole)> = Vec::new();
    for person in persons {
        if !seen.insert(person) {
            continue;
        }
        let roles: Vec<(NodeIndex, &OrgNode, &AffiliationEdge)> = s
            .roles_of(person)
            .filter(|(_, _, a)| time.admits(&a.interval))
            .filter_map(|(_, o, a)| Some((o, s.org(o)?, a)))
            .collect();
        for &(mo, mo_node, mo_role) in &roles {
            for &(emp, emp_node, job) in &roles {
                let Some(overlap) =
                    tandem_overlap(side(mo_node, mo_role), side(emp_node, job), emp == mo)
                else {
                    continue;
                };
                if organisation.is_some_and(|o| o != mo && o != emp)
                    || !(in_city(mo_node) || in_city(emp_node))
                {
                    continue;
                }
                let row = TandemRole {
                    person: s.person(person).and_then(|p| viewer.name(p)),
                    self_organisation: OrgRef::of(mo_node),
                    self_role: RoleSpan::of(mo_role),
                    employer: OrgRef::of(emp_node),
                    employment: RoleSpan::of(job),
                    overlap,
                    shared_fields: mo_role
                        .fields
                        .iter()
                        .filter(|f| job.fields.contains(f))
                        .copied()
                        .collect(),
                };
                rows.push((person, mo, emp, row));
            }
        }
    }
    rows.sort_by(|a, b| {
        (&a.3.self_organisation.name, &a.3.employer.name)
            .cmp(&(&b.3.self_organisation.name, &b.3.employer.name))
    });
    // Each person counts once per pair and once per city, however many roles they hold.
    let mut pairs: BTreeMap<(NodeIndex, NodeIndex), HashSet<NodeIndex>> = BTreeMap::new();
    let mut cities: BTreeMap<Option<String>, HashSet<NodeIndex>> = BTreeMap::new();
    for (person, mo, emp, row) in &rows {
        pairs.entry((*mo, *emp)).or_default().insert(*person);
        let city = row.self_organisation.city.clone();
        cities.entry(city).or_default().insert(*person);
    }
    let mut pairs: Vec<TandemPair> = pairs
        .into_iter()
        .filter_map(|((mo, emp), people)| {
            Some(TandemPair {
                self_organisation: OrgRef::of(s.org(mo)?),
                employer: OrgRef::of(s.org(emp)?),
                persons: people.len(),
            })
        })
        .collect();
    pairs.sort_by(|a, b| {
        b.persons.cmp(&a.persons).then_with(|| {
            (&a.self_organisation.name, &a.employer.name)
                .cmp(&(&b.self_organisation.name, &b.employer.name))
        })
    });
    TandemAnswer {
        pairs,
        cities: cities
            .into_iter()
            .map(|(city, people)| TandemCity {
                city,
                persons: people.len(),
            })
            .collect(),
        roles: (viewer == Viewer::SignedIn)
            .then(|| rows.into_iter().map(|(_, _, _, row)| row).collect()),
    }
}
