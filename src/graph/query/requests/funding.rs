//! Requests about money and dependency: funding overlaps, ending funding, a funder's
//! exit, what an organisation depends on and who depends on it, mutual dependencies.
use petgraph::graph::NodeIndex;
use serde::Serialize;

use super::subject;
use crate::domain::Disclosure;
use crate::graph::dependencies::{self, Cycle, Dependency};
use crate::graph::funding::{self, EndingFunding, FundingOverlap, Loss};
use crate::graph::query::{Discloses, GraphQuery, Parser};
use crate::graph::{OrgRef, Snapshot, TimeFilter, Viewer};

/// One organisation's funders, shares and co-funded organisations.
pub struct FundingOverlaps {
    pub organisation: NodeIndex,
    pub time: TimeFilter,
}

impl GraphQuery for FundingOverlaps {
    type Answer = Option<FundingOverlap>;
    const READS: Option<&'static [&'static str]> = Some(&["organisation", "as_of", "from", "to"]);

    fn parse(p: &mut Parser) -> Option<Self> {
        let organisation = p.organisation("organisation");
        let time = p.time();
        Some(FundingOverlaps {
            organisation: organisation?,
            time,
        })
    }

    fn run(&self, s: &Snapshot, _: Viewer) -> Option<FundingOverlap> {
        funding::funding_overlap(s, self.organisation, &self.time)
    }
}

/// Project funding that ends within some days.
pub struct FundingEnding {
    pub within_days: usize,
    pub time: TimeFilter,
}

impl GraphQuery for FundingEnding {
    type Answer = Vec<EndingFunding>;
    const READS: Option<&'static [&'static str]> = Some(&["within_days", "as_of", "from", "to"]);

    fn parse(p: &mut Parser) -> Option<Self> {
        Some(FundingEnding {
            within_days: p.number("within_days", 90, 36_500),
            time: p.time(),
        })
    }

    fn run(&self, s: &Snapshot, _: Viewer) -> Vec<EndingFunding> {
        funding::ending_within(s, self.within_days as i64, &self.time)
    }
}

/// What each recipient loses if a funder stops.
pub struct FundingImpact {
    pub funder: NodeIndex,
    pub time: TimeFilter,
}

impl GraphQuery for FundingImpact {
    type Answer = Vec<Loss>;
    const READS: Option<&'static [&'static str]> = Some(&["funder", "as_of", "from", "to"]);

    fn parse(p: &mut Parser) -> Option<Self> {
        let funder = p.organisation("funder");
        let time = p.time();
        Some(FundingImpact {
            funder: funder?,
            time,
        })
    }

    fn run(&self, s: &Snapshot, _: Viewer) -> Vec<Loss> {
        funding::impact(s, self.funder, &self.time)
    }
}

/// Mutual dependencies: strongly connected parts of the dependency graph.
pub struct Cycles {
    pub time: TimeFilter,
}

impl GraphQuery for Cycles {
    type Answer = Vec<Cycle>;
    const READS: Option<&'static [&'static str]> = Some(&["as_of", "from", "to"]);

    fn parse(p: &mut Parser) -> Option<Self> {
        Some(Cycles { time: p.time() })
    }

    fn run(&self, s: &Snapshot, _: Viewer) -> Vec<Cycle> {
        dependencies::cycles(s, &self.time)
    }
}

/// What one organisation depends on, or what depends on it.
pub struct Dependencies {
    pub organisation: NodeIndex,
    pub time: TimeFilter,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct DependsOn {
    pub organisation: OrgRef,
    pub depends_on: Vec<Dependency>,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Dependents {
    pub organisation: OrgRef,
    pub dependents: Vec<Dependency>,
}

impl Discloses for DependsOn {
    fn disclose(&self, shown: &mut Disclosure) {
        self.depends_on.disclose(shown);
    }
}

impl Discloses for Dependents {
    fn disclose(&self, shown: &mut Disclosure) {
        self.dependents.disclose(shown);
    }
}

impl Dependencies {
    fn read(p: &mut Parser) -> Option<Self> {
        let organisation = p.organisation("organisation");
        let time = p.time();
        Some(Dependencies {
            organisation: organisation?,
            time,
        })
    }
}

/// `Dependencies` asked one way: what the organisation depends on.
pub struct DependsOnRequest(pub Dependencies);
/// `Dependencies` asked the other way: who depends on the organisation.
pub struct DependentsRequest(pub Dependencies);

impl GraphQuery for DependsOnRequest {
    type Answer = DependsOn;
    const READS: Option<&'static [&'static str]> = Some(&["organisation", "as_of", "from", "to"]);

    fn parse(p: &mut Parser) -> Option<Self> {
        Dependencies::read(p).map(DependsOnRequest)
    }

    fn run(&self, s: &Snapshot, viewer: Viewer) -> DependsOn {
        let d = &self.0;
        DependsOn {
            organisation: subject(s, d.organisation),
            depends_on: dependencies::dependencies(s, d.organisation, &d.time, viewer),
        }
    }
}

impl GraphQuery for DependentsRequest {
    type Answer = Dependents;
    const READS: Option<&'static [&'static str]> = Some(&["organisation", "as_of", "from", "to"]);

    fn parse(p: &mut Parser) -> Option<Self> {
        Dependencies::read(p).map(DependentsRequest)
    }

    fn run(&self, s: &Snapshot, viewer: Viewer) -> Dependents {
        let d = &self.0;
        Dependents {
            organisation: subject(s, d.organisation),
            dependents: dependencies::dependents(s, d.organisation, &d.time, viewer),
        }
    }
}

/// The grants one organisation received, oldest first (for its funding timeline).
pub struct GrantsReceived {
    pub organisation: NodeIndex,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Grant {
    pub funder: OrgRef,
    pub programme: Option<String>,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    #[serde(flatten)]
    pub interval: crate::domain::Interval,
    pub project_bound: bool,
}

impl GraphQuery for GrantsReceived {
    type Answer = Vec<Grant>;
    const READS: Option<&'static [&'static str]> = Some(&["organisation"]);

    fn parse(p: &mut Parser) -> Option<Self> {
        Some(GrantsReceived {
            organisation: p.organisation("organisation")?,
        })
    }

    fn run(&self, s: &Snapshot, _: Viewer) -> Vec<Grant> {
        let mut grants: Vec<Grant> = s
            .grants_to(self.organisation)
            .filter_map(|(funder, f)| {
                Some(Grant {
                    funder: OrgRef::of(s.org(funder)?),
                    programme: f.programme.clone(),
                    amount_min: f.amount_min,
                    amount_max: f.amount_max,
                    interval: f.interval,
                    project_bound: f.project_bound,
                })
            })
            .collect();
        grants.sort_by(|a, b| {
            (a.interval.start, &a.funder.name).cmp(&(b.interval.start, &b.funder.name))
        });
        grants
    }
}
