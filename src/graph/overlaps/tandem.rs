//! Tandem roles: a role in a self-organisation held while employed by the city, the
//! state or a welfare organisation. The list comes one page at a time: a city's whole
//! list is megabytes at national scale.
use std::collections::{BTreeMap, HashSet};

use petgraph::graph::NodeIndex;
use serde::Serialize;

use super::RoleSpan;
use crate::graph::*;

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

/// The rows one page of the tandem list holds when the caller names no `limit`.
pub const TANDEM_PAGE: usize = 50;
/// The most rows one page of the tandem list may hold (as record lists: a larger
/// `limit` is refused). A city's whole list is megabytes of JSON at national scale.
pub const TANDEM_MAX_PAGE: usize = 500;

/// Which rows of a long list an answer holds: `limit` rows after the first `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub offset: usize,
    pub limit: usize,
}

impl Paging {
    /// Every row (for work inside the graph layer, never for an answer sent whole).
    pub const ALL: Paging = Paging {
        offset: 0,
        limit: usize::MAX,
    };

    /// The page's part of `items` (already in their order).
    fn of<T>(self, items: impl IntoIterator<Item = T>) -> impl Iterator<Item = T> {
        items.into_iter().skip(self.offset).take(self.limit)
    }
}

/// Tandems as organisation-level counts for everyone, and the roles behind them (whose,
/// which, when) for signed-in callers only. Pairs and roles come one page at a time
/// (`offset`, `limit`; the same page of each list), each list with its total; the
/// cities (one row per city) come whole.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct TandemAnswer {
    /// One page of the pairs, most persons first.
    pub pairs: Vec<TandemPair>,
    /// How many pairs there are in all.
    pub pairs_total: usize,
    pub cities: Vec<TandemCity>,
    /// One page of the roles, by self-organisation and employer (signed-in only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<TandemRole>>,
    /// How many roles there are in all (signed-in only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles_total: Option<usize>,
    /// Rows skipped before this page, in each list.
    pub offset: usize,
    /// The most rows of each list on this page.
    pub limit: usize,
}

/// One tandem found, by reference until it is on the page shown.
struct Found<'s> {
    person: NodeIndex,
    mo: NodeIndex,
    emp: NodeIndex,
    mo_node: &'s OrgNode,
    emp_node: &'s OrgNode,
    mo_role: &'s AffiliationEdge,
    job: &'s AffiliationEdge,
    overlap: Interval,
}

impl Found<'_> {
    /// The list's order: by self-organisation and employer, ties broken by ids down to
    /// the two affiliations, so that pages never overlap or leave a row out.
    fn key<'k>(&'k self, s: &'k Snapshot) -> impl Ord + 'k {
        let person = s.person(self.person).map_or("", |p| p.id.as_str());
        (
            (&self.mo_node.name, &self.emp_node.name),
            (&self.mo_node.id, &self.emp_node.id),
            person,
            (&self.mo_role.id, &self.job.id),
        )
    }

    fn row(&self, s: &Snapshot, viewer: Viewer) -> TandemRole {
        TandemRole {
            person: s.person(self.person).and_then(|p| viewer.name(p)),
            self_organisation: OrgRef::of(self.mo_node),
            self_role: RoleSpan::of(self.mo_role),
            employer: OrgRef::of(self.emp_node),
            employment: RoleSpan::of(self.job),
            overlap: self.overlap,
            shared_fields: self
                .mo_role
                .fields
                .iter()
                .filter(|f| self.job.fields.contains(f))
                .copied()
                .collect(),
        }
    }
}

/// Persons holding a role in a self-organisation while employed on the public side: one
/// page of the pairs and (signed-in) of the roles, with the totals and every city.
pub fn tandem(
    s: &Snapshot,
    time: &TimeFilter,
    city: Option<&str>,
    organisation: Option<NodeIndex>,
    viewer: Viewer,
    page: Paging,
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
    // The city's organisations, as the snapshot files them (by lower-case name).
    let city_orgs: Option<HashSet<NodeIndex>> =
        city.map(|c| s.in_city(c).iter().copied().collect());
    let in_city = |o: NodeIndex| city_orgs.as_ref().is_none_or(|set| set.contains(&o));
    let side = |n: &OrgNode, a: &AffiliationEdge| Side {
        kind: n.kind,
        role: a.role,
        interval: a.interval,
    };
    let mut seen = HashSet::new();
    let mut found: Vec<Found> = Vec::new();
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
                    || !(in_city(mo) || in_city(emp))
                {
                    continue;
                }
                found.push(Found {
                    person,
                    mo,
                    emp,
                    mo_node,
                    emp_node,
                    mo_role,
                    job,
                    overlap,
                });
            }
        }
    }
    // Each person counts once per pair and once per city, however many roles they hold.
    let mut pairs: BTreeMap<(NodeIndex, NodeIndex), HashSet<NodeIndex>> = BTreeMap::new();
    let mut cities: BTreeMap<Option<&str>, HashSet<NodeIndex>> = BTreeMap::new();
    for f in &found {
        pairs.entry((f.mo, f.emp)).or_default().insert(f.person);
        let city = f.mo_node.city.as_deref();
        cities.entry(city).or_default().insert(f.person);
    }
    let mut pairs: Vec<(&OrgNode, &OrgNode, usize)> = pairs
        .into_iter()
        .filter_map(|((mo, emp), people)| Some((s.org(mo)?, s.org(emp)?, people.len())))
        .collect();
    let pairs_total = pairs.len();
    pairs.sort_by(|a, b| {
        b.2.cmp(&a.2)
            .then_with(|| (&a.0.name, &a.1.name).cmp(&(&b.0.name, &b.1.name)))
            .then_with(|| (&a.0.id, &a.1.id).cmp(&(&b.0.id, &b.1.id)))
    });
    let roles = (viewer == Viewer::SignedIn).then(|| {
        found.sort_by(|a, b| a.key(s).cmp(&b.key(s)));
        page.of(&found).map(|f| f.row(s, viewer)).collect()
    });
    TandemAnswer {
        pairs: page
            .of(pairs)
            .map(|(mo, emp, persons)| TandemPair {
                self_organisation: OrgRef::of(mo),
                employer: OrgRef::of(emp),
                persons,
            })
            .collect(),
        pairs_total,
        cities: cities
            .into_iter()
            .map(|(city, people)| TandemCity {
                city: city.map(str::to_string),
                persons: people.len(),
            })
            .collect(),
        roles_total: roles.as_ref().map(|_| found.len()),
        roles,
        offset: page.offset,
        limit: page.limit,
    }
}
