//! Requests about persons shared between organisations: staff overlaps, pairs, tandem
//! roles, conflicts of interest.
use petgraph::graph::NodeIndex;
use serde::Serialize;

use super::subject;
use crate::domain::Disclosure;
use crate::graph::funding::{self, Conflicts};
use crate::graph::overlaps::{
    self, Paging, StaffOverlap, StaffPair, TandemAnswer, TANDEM_MAX_PAGE, TANDEM_PAGE,
};
use crate::graph::query::MAX_OFFSET;
use crate::graph::query::{Discloses, GraphQuery, Parser, Problem};
use crate::graph::{OrgRef, Snapshot, TimeFilter, Viewer};

/// Organisations that share persons with one organisation.
pub struct StaffOverlaps {
    pub organisation: NodeIndex,
    pub time: TimeFilter,
    /// Only persons whose roles on both sides overlap in time.
    pub concurrent: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct StaffAnswer {
    pub organisation: OrgRef,
    pub overlaps: Vec<StaffOverlap>,
}

impl Discloses for StaffAnswer {
    fn disclose(&self, shown: &mut Disclosure) {
        self.overlaps.disclose(shown);
    }
}

impl GraphQuery for StaffOverlaps {
    type Answer = StaffAnswer;
    const READS: Option<&'static [&'static str]> =
        Some(&["organisation", "as_of", "from", "to", "concurrent"]);

    fn parse(p: &mut Parser) -> Option<Self> {
        let organisation = p.organisation("organisation");
        let (time, concurrent) = (p.time(), p.flag("concurrent"));
        Some(StaffOverlaps {
            organisation: organisation?,
            time,
            concurrent,
        })
    }

    fn run(&self, s: &Snapshot, viewer: Viewer) -> StaffAnswer {
        StaffAnswer {
            organisation: subject(s, self.organisation),
            overlaps: overlaps::staff_overlaps(
                s,
                self.organisation,
                &self.time,
                self.concurrent,
                viewer,
            ),
        }
    }
}

/// All pairs of organisations ranked by the persons they share.
pub struct StaffPairs {
    pub time: TimeFilter,
    pub concurrent: bool,
    pub limit: usize,
}

impl GraphQuery for StaffPairs {
    type Answer = Vec<StaffPair>;
    const READS: Option<&'static [&'static str]> =
        Some(&["as_of", "from", "to", "concurrent", "limit"]);

    fn parse(p: &mut Parser) -> Option<Self> {
        Some(StaffPairs {
            time: p.time(),
            concurrent: p.flag("concurrent"),
            limit: p.number("limit", 20, 10_000),
        })
    }

    fn run(&self, s: &Snapshot, _: Viewer) -> Vec<StaffPair> {
        overlaps::staff_pairs(s, &self.time, self.concurrent, self.limit)
    }
}

/// Tandem roles, in a city or around one organisation, one page at a time.
pub struct Tandem {
    pub time: TimeFilter,
    pub city: Option<String>,
    pub organisation: Option<NodeIndex>,
    pub page: Paging,
}

impl GraphQuery for Tandem {
    type Answer = TandemAnswer;
    const READS: Option<&'static [&'static str]> = Some(&[
        "as_of",
        "from",
        "to",
        "city",
        "organisation",
        "offset",
        "limit",
    ]);

    fn parse(p: &mut Parser) -> Option<Self> {
        let organisation = p.optional_organisation("organisation");
        let unknown = p.text("organisation").is_some() && organisation.is_none();
        let tandem = Tandem {
            time: p.time(),
            city: p.text("city"),
            organisation,
            page: Paging {
                offset: p.number("offset", 0, MAX_OFFSET),
                limit: p.number("limit", TANDEM_PAGE, TANDEM_MAX_PAGE),
            },
        };
        (!unknown).then_some(tandem)
    }

    fn run(&self, s: &Snapshot, viewer: Viewer) -> TandemAnswer {
        overlaps::tandem(
            s,
            &self.time,
            self.city.as_deref(),
            self.organisation,
            viewer,
            self.page,
        )
    }
}

/// Persons active at a funder and an applicant at the same time.
pub struct ConflictCheck {
    pub funder: NodeIndex,
    pub applicant: NodeIndex,
    pub time: TimeFilter,
}

impl GraphQuery for ConflictCheck {
    type Answer = Conflicts;
    const READS: Option<&'static [&'static str]> =
        Some(&["funder", "applicant", "as_of", "from", "to"]);

    fn parse(p: &mut Parser) -> Option<Self> {
        let (funder, applicant) = (p.organisation("funder"), p.organisation("applicant"));
        let time = p.time();
        if funder.is_some() && funder == applicant {
            p.problem("applicant", Problem::Same);
            return None;
        }
        Some(ConflictCheck {
            funder: funder?,
            applicant: applicant?,
            time,
        })
    }

    fn run(&self, s: &Snapshot, viewer: Viewer) -> Conflicts {
        funding::conflicts(s, self.funder, self.applicant, &self.time, viewer)
    }
}

/// The roles held at one organisation over time, each marked where it is one side of a
/// tandem. Anonymous callers get the roles of public persons only, unnamed; signed-in
/// callers get every role with its person.
pub struct RolesAt {
    pub organisation: NodeIndex,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct RoleOverTime {
    pub person: Option<crate::graph::PersonRef>,
    pub role: crate::domain::Role,
    #[serde(flatten)]
    pub interval: crate::domain::Interval,
    /// The common time with a role on the other side of a tandem, if any.
    pub tandem: Option<crate::domain::Interval>,
}

impl Discloses for RoleOverTime {
    fn disclose(&self, shown: &mut Disclosure) {
        self.person.disclose(shown);
    }
}

impl GraphQuery for RolesAt {
    type Answer = Vec<RoleOverTime>;
    const READS: Option<&'static [&'static str]> = Some(&["organisation"]);

    fn parse(p: &mut Parser) -> Option<Self> {
        Some(RolesAt {
            organisation: p.organisation("organisation")?,
        })
    }

    fn run(&self, s: &Snapshot, viewer: Viewer) -> Vec<RoleOverTime> {
        use crate::graph::overlaps::{tandem_overlap, Side};
        let here = self.organisation;
        let Some(org) = s.org(here) else {
            return Vec::new();
        };
        let side = |kind, a: &crate::graph::AffiliationEdge| Side {
            kind,
            role: a.role,
            interval: a.interval,
        };
        let mut roles: Vec<RoleOverTime> = s
            .staff_of(here)
            .filter_map(|(_, person, a)| {
                let p = s.person(person)?;
                if p.restricted && viewer == Viewer::Anonymous {
                    return None;
                }
                // This role as either side of a tandem with one of the person's others.
                let tandem = s.roles_of(person).find_map(|(_, other, b)| {
                    let other_kind = s.org(other)?.kind;
                    let same = other == here;
                    tandem_overlap(side(org.kind, a), side(other_kind, b), same)
                        .or_else(|| tandem_overlap(side(other_kind, b), side(org.kind, a), same))
                });
                Some(RoleOverTime {
                    person: viewer.name(p),
                    role: a.role,
                    interval: a.interval,
                    tandem,
                })
            })
            .collect();
        roles.sort_by(|a, b| {
            (a.interval.start, a.role.as_str()).cmp(&(b.interval.start, b.role.as_str()))
        });
        roles
    }
}
