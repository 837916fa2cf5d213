//! Funding overlaps and dependency on funders: shares per funder, shared funders,
//! overlapping grants, funding that ends soon, and what a funder's exit would cost.
use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use petgraph::graph::NodeIndex;
use serde::Serialize;

use super::*;

/// A sum of amount ranges in cents; `unknown` counts grants without any amount.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Amount {
    pub min: i64,
    pub max: i64,
    pub unknown: u32,
}

impl Amount {
    pub fn of(f: &FundingEdge) -> Amount {
        match (f.amount_min, f.amount_max) {
            (Some(a), Some(b)) => Amount {
                min: a,
                max: b,
                unknown: 0,
            },
            (Some(a), None) | (None, Some(a)) => Amount {
                min: a,
                max: a,
                unknown: 0,
            },
            (None, None) => Amount {
                min: 0,
                max: 0,
                unknown: 1,
            },
        }
    }

    pub fn add(&mut self, other: Amount) {
        // Amounts are bounded on input; saturating keeps a total meaningful regardless.
        self.min = self.min.saturating_add(other.min);
        self.max = self.max.saturating_add(other.max);
        self.unknown += other.unknown;
    }

    pub fn mid(&self) -> f64 {
        (self.min as f64 + self.max as f64) / 2.0
    }
}

/// The part `part` of `whole`: by midpoints, and the lowest and highest it can be.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Share {
    pub mid: f64,
    pub min: f64,
    pub max: f64,
}

impl Share {
    pub fn of(part: Amount, whole: Amount) -> Share {
        let rest_min = (whole.min - part.min) as f64;
        let rest_max = (whole.max - part.max) as f64;
        let ratio = |a: f64, b: f64| if a + b > 0.0 { a / (a + b) } else { 0.0 };
        let mid_whole = whole.mid();
        Share {
            mid: if mid_whole > 0.0 {
                part.mid() / mid_whole
            } else {
                0.0
            },
            min: ratio(part.min as f64, rest_max),
            max: ratio(part.max as f64, rest_min),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct FunderShare {
    pub funder: OrgRef,
    pub grants: usize,
    pub amount: Amount,
    pub share: Share,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct CoFunded {
    pub organisation: OrgRef,
    pub shared_funders: Vec<OrgRef>,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct GrantRef {
    pub id: String,
    pub funder: OrgRef,
    pub programme: Option<String>,
    #[serde(flatten)]
    pub interval: Interval,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct FundingOverlap {
    pub organisation: OrgRef,
    pub total: Amount,
    pub funders: Vec<FunderShare>,
    pub co_funded: Vec<CoFunded>,
    pub overlapping_grants: Vec<(GrantRef, GrantRef)>,
}

fn grant(s: &Snapshot, funder: NodeIndex, f: &FundingEdge) -> Option<GrantRef> {
    Some(GrantRef {
        id: f.id.clone(),
        funder: OrgRef::of(s.org(funder)?),
        programme: f.programme.clone(),
        interval: f.interval,
    })
}

/// Whether a grant counts as funding in the time filter. Applications are not money
/// yet: shares, co-funding and dependencies count granted and ended funding only.
pub fn counts(f: &FundingEdge, time: &TimeFilter) -> bool {
    f.status != FundingStatus::Applied && time.admits(&f.interval)
}

/// The admitted grants of an organisation, summed per funder.
fn per_funder(
    s: &Snapshot,
    org: NodeIndex,
    time: &TimeFilter,
) -> (Amount, BTreeMap<NodeIndex, (usize, Amount)>) {
    let mut total = Amount::default();
    let mut by_funder: BTreeMap<NodeIndex, (usize, Amount)> = BTreeMap::new();
    for (funder, f) in s.grants_to(org) {
        if !counts(f, time) {
            continue;
        }
        let amount = Amount::of(f);
        total.add(amount);
        let entry = by_funder.entry(funder).or_default();
        entry.0 += 1;
        entry.1.add(amount);
    }
    (total, by_funder)
}

pub fn funding_overlap(s: &Snapshot, org: NodeIndex, time: &TimeFilter) -> Option<FundingOverlap> {
    let (total, by_funder) = per_funder(s, org, time);
    let mut funders: Vec<FunderShare> = by_funder
        .iter()
        .filter_map(|(&f, &(grants, amount))| {
            Some(FunderShare {
                funder: OrgRef::of(s.org(f)?),
                grants,
                amount,
                share: Share::of(amount, total),
            })
        })
        .collect();
    funders.sort_by(|a, b| b.share.mid.total_cmp(&a.share.mid));

    let mut co: BTreeMap<NodeIndex, Vec<NodeIndex>> = BTreeMap::new();
    for &funder in by_funder.keys() {
        for (other, f) in s.grants_from(funder) {
            if other != org && counts(f, time) {
                let list = co.entry(other).or_default();
                if !list.contains(&funder) {
                    list.push(funder);
                }
            }
        }
    }
    let mut co_funded: Vec<CoFunded> = co
        .into_iter()
        .filter_map(|(o, fs)| {
            Some(CoFunded {
                organisation: OrgRef::of(s.org(o)?),
                shared_funders: fs
                    .iter()
                    .filter_map(|&f| s.org(f).map(OrgRef::of))
                    .collect(),
            })
        })
        .collect();
    co_funded.sort_by(|a, b| {
        b.shared_funders
            .len()
            .cmp(&a.shared_funders.len())
            .then_with(|| a.organisation.name.cmp(&b.organisation.name))
    });

    let grants: Vec<(NodeIndex, &FundingEdge)> =
        s.grants_to(org).filter(|(_, f)| counts(f, time)).collect();
    let mut overlapping_grants = Vec::new();
    for (i, (fa, a)) in grants.iter().enumerate() {
        for (fb, b) in &grants[i + 1..] {
            if a.interval.intersect(&b.interval).is_some() {
                if let (Some(x), Some(y)) = (grant(s, *fa, a), grant(s, *fb, b)) {
                    overlapping_grants.push((x, y));
                }
            }
        }
    }
    Some(FundingOverlap {
        organisation: OrgRef::of(s.org(org)?),
        total,
        funders,
        co_funded,
        overlapping_grants,
    })
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct EndingFunding {
    pub funding_id: String,
    pub funder: OrgRef,
    pub recipient: OrgRef,
    pub programme: Option<String>,
    pub end: NaiveDate,
    pub days_left: i64,
    pub amount: Amount,
    /// The part of the recipient's funding running on the reference day that ends.
    pub recipient_share: Share,
}

/// Project-bound funding whose end falls within `days` after the reference day, soonest
/// first (then by recipient): every row with its share.
pub fn ending_within(s: &Snapshot, days: i64, time: &TimeFilter) -> Vec<EndingFunding> {
    ending_first(s, days, time, usize::MAX).1
}

/// How many grants end within `days`, and the first `shown` of them in the list's order.
/// A row's share needs the recipient's whole funding on the grant's last day, so it is
/// computed only for the rows returned (the start page shows 20 of thousands).
pub fn ending_first(
    s: &Snapshot,
    days: i64,
    time: &TimeFilter,
    shown: usize,
) -> (usize, Vec<EndingFunding>) {
    let today = time.reference_day();
    let horizon = today + Duration::days(days);
    let mut ending: Vec<(NaiveDate, &OrgNode, &OrgNode, NodeIndex, &FundingEdge)> = Vec::new();
    for e in s.graph.edge_indices() {
        let Edge::Funding(f) = &s.graph[e] else {
            continue;
        };
        let f: &FundingEdge = f;
        let Some(end) = f.interval.end else { continue };
        if !f.project_bound || f.status == FundingStatus::Applied || end < today || end > horizon {
            continue;
        }
        let Some((funder, recipient)) = s.graph.edge_endpoints(e) else {
            continue;
        };
        if let (Some(fo), Some(ro)) = (s.org(funder), s.org(recipient)) {
            ending.push((end, fo, ro, recipient, f));
        }
    }
    let total = ending.len();
    // Soonest first, then by recipient; the grant's id keeps ties in one order.
    let order = |a: &(NaiveDate, &OrgNode, &OrgNode, NodeIndex, &FundingEdge),
                 b: &(NaiveDate, &OrgNode, &OrgNode, NodeIndex, &FundingEdge)| {
        (a.0, &a.2.name, &a.4.id).cmp(&(b.0, &b.2.name, &b.4.id))
    };
    if shown < ending.len() && shown > 0 {
        ending.select_nth_unstable_by(shown - 1, order);
    }
    ending.truncate(shown);
    ending.sort_by(order);
    let rows = ending
        .into_iter()
        .map(|(end, funder, recipient_node, recipient, f)| {
            // The share is taken on the grant's last day, when it certainly counts itself.
            let (whole, _) = per_funder(s, recipient, &TimeFilter::as_of(end));
            EndingFunding {
                funding_id: f.id.clone(),
                funder: OrgRef::of(funder),
                recipient: OrgRef::of(recipient_node),
                programme: f.programme.clone(),
                end,
                days_left: (end - today).num_days(),
                amount: Amount::of(f),
                recipient_share: Share::of(Amount::of(f), whole),
            }
        })
        .collect();
    (total, rows)
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Loss {
    pub recipient: OrgRef,
    pub lost: Amount,
    pub share: Share,
}

/// What each recipient loses if `funder` stops: the share of its funding that goes.
pub fn impact(s: &Snapshot, funder: NodeIndex, time: &TimeFilter) -> Vec<Loss> {
    let mut recipients: Vec<NodeIndex> = s
        .grants_from(funder)
        .filter(|(_, f)| time.admits(&f.interval))
        .map(|(r, _)| r)
        .collect();
    recipients.sort();
    recipients.dedup();
    let mut result: Vec<Loss> = recipients
        .into_iter()
        .filter_map(|r| {
            let (total, by_funder) = per_funder(s, r, time);
            let lost = by_funder.get(&funder)?.1;
            Some(Loss {
                recipient: OrgRef::of(s.org(r)?),
                lost,
                share: Share::of(lost, total),
            })
        })
        .collect();
    result.sort_by(|a, b| {
        b.share
            .mid
            .total_cmp(&a.share.mid)
            .then_with(|| a.recipient.name.cmp(&b.recipient.name))
    });
    result
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Conflict {
    pub person: Option<PersonRef>,
    pub at_funder: overlaps::RoleSpan,
    pub at_applicant: overlaps::RoleSpan,
    pub overlap: Interval,
}

/// Whether anyone is active at the funder and at the applicant at the same time: how
/// many persons for everyone, and who in which roles for signed-in callers only.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Conflicts {
    pub persons: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conflicts: Option<Vec<Conflict>>,
}

/// Persons active at the funder and at the applicant at the same time.
pub fn conflicts(
    s: &Snapshot,
    funder: NodeIndex,
    applicant: NodeIndex,
    time: &TimeFilter,
    viewer: Viewer,
) -> Conflicts {
    let mut result = Vec::new();
    let mut persons = std::collections::HashSet::new();
    for (_, person, a) in s.staff_of(funder) {
        if !time.admits(&a.interval) {
            continue;
        }
        for (_, org, b) in s.roles_of(person) {
            if org != applicant || !time.admits(&b.interval) {
                continue;
            }
            if let Some(overlap) = a.interval.intersect(&b.interval) {
                persons.insert(person);
                result.push(Conflict {
                    person: s.person(person).and_then(|p| viewer.name(p)),
                    at_funder: overlaps::RoleSpan {
                        role: a.role,
                        interval: a.interval,
                    },
                    at_applicant: overlaps::RoleSpan {
                        role: b.role,
                        interval: b.interval,
                    },
                    overlap,
                });
            }
        }
    }
    Conflicts {
        persons: persons.len(),
        conflicts: (viewer == Viewer::SignedIn).then_some(result),
    }
}
