//! The graph requests, one type per question: the fields each reads and how it runs.
//! Field names are the same for the API and the pages.
use petgraph::graph::NodeIndex;
use serde::Serialize;

use super::{Discloses, GraphQuery, Parser, Problem};
use crate::domain::Disclosure;
use crate::graph::centrality::{self, Centrality};
use crate::graph::dependencies::{self, Cycle, Dependency};
use crate::graph::funding::{self, Conflicts, EndingFunding, FundingOverlap, Loss};
use crate::graph::network::{self, Component, GraphJson, KindFilter, View};
use crate::graph::overlaps::{self, StaffOverlap, StaffPair, TandemAnswer};
use crate::graph::{MemoKey, OrgRef, Snapshot, TimeFilter, Viewer};

/// The subject organisation of an answer.
fn subject(s: &Snapshot, n: NodeIndex) -> OrgRef {
    match s.org(n) {
        Some(o) => OrgRef::of(o),
        None => unreachable!("requests resolve organisations only"),
    }
}

/// Organisations that share persons with one organisation.
pub struct StaffOverlaps {
    pub organisation: NodeIndex,
    pub time: TimeFilter,
    /// Only persons whose roles on both sides overlap in time.
    pub concurrent: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
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

/// Tandem roles, in a city or around one organisation.
pub struct Tandem {
    pub time: TimeFilter,
    pub city: Option<String>,
    pub organisation: Option<NodeIndex>,
}

impl GraphQuery for Tandem {
    type Answer = TandemAnswer;

    fn parse(p: &mut Parser) -> Option<Self> {
        let organisation = p.optional_organisation("organisation");
        let unknown = p.text("organisation").is_some() && organisation.is_none();
        let tandem = Tandem {
            time: p.time(),
            city: p.text("city"),
            organisation,
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
        )
    }
}

/// One organisation's funders, shares and co-funded organisations.
pub struct FundingOverlaps {
    pub organisation: NodeIndex,
    pub time: TimeFilter,
}

impl GraphQuery for FundingOverlaps {
    type Answer = Option<FundingOverlap>;

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

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DependsOn {
    pub organisation: OrgRef,
    pub depends_on: Vec<Dependency>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
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

/// The network around a focus (1–2 steps) or the whole connected registry.
pub struct Network {
    pub focus: Option<NodeIndex>,
    pub depth: usize,
    pub time: TimeFilter,
    pub kinds: KindFilter,
}

/// The most nodes a network answer holds.
pub const MAX_NODES: usize = 5_000;

impl GraphQuery for Network {
    type Answer = GraphJson;

    fn parse(p: &mut Parser) -> Option<Self> {
        let focus = p.optional_node("focus");
        let unknown = p.text("focus").is_some() && focus.is_none();
        let network = Network {
            focus,
            depth: p.number("depth", 1, 2),
            time: p.time(),
            kinds: p.kinds(),
        };
        (!unknown).then_some(network)
    }

    fn run(&self, s: &Snapshot, viewer: Viewer) -> GraphJson {
        let view = View {
            s,
            time: self.time,
            kinds: self.kinds.clone(),
        };
        let nodes: Vec<NodeIndex> = match self.focus {
            Some(f) => view.ego(f, self.depth),
            None => s
                .graph
                .node_indices()
                .filter(|&n| view.neighbours(n).next().is_some())
                .collect(),
        };
        network::subgraph_json(&view, &nodes, viewer, MAX_NODES)
    }
}

/// A shortest path between two nodes; here `from` and `to` name its ends, so only
/// `as_of` restricts the time.
pub struct Path {
    pub from: NodeIndex,
    pub to: NodeIndex,
    pub time: TimeFilter,
    pub kinds: KindFilter,
}

impl GraphQuery for Path {
    /// `None` when no path connects the two.
    type Answer = Option<GraphJson>;

    fn parse(p: &mut Parser) -> Option<Self> {
        let (from, to) = (p.node("from"), p.node("to"));
        let (time, kinds) = (p.as_of(), p.kinds());
        Some(Path {
            from: from?,
            to: to?,
            time,
            kinds,
        })
    }

    fn run(&self, s: &Snapshot, viewer: Viewer) -> Option<GraphJson> {
        let view = View {
            s,
            time: self.time,
            kinds: self.kinds.clone(),
        };
        network::shortest_path(&view, self.from, self.to, viewer)
    }
}

/// Connected parts of the network, largest first.
pub struct Components {
    pub time: TimeFilter,
    pub kinds: KindFilter,
    pub limit: usize,
}

impl GraphQuery for Components {
    type Answer = Vec<Component>;

    fn parse(p: &mut Parser) -> Option<Self> {
        Some(Components {
            time: p.time(),
            kinds: p.kinds(),
            limit: p.number("limit", 100, 100_000),
        })
    }

    fn run(&self, s: &Snapshot, _: Viewer) -> Vec<Component> {
        let view = View {
            s,
            time: self.time,
            kinds: self.kinds.clone(),
        };
        let mut all = network::components(&view);
        all.truncate(self.limit);
        all
    }
}

/// The longest ranking a centrality answer gives.
pub const MAX_RANKED: usize = 10_000;

/// Degree or betweenness ranking, of everything or around a focus.
pub struct CentralityRanking {
    pub betweenness: bool,
    pub time: TimeFilter,
    pub kinds: KindFilter,
    pub focus: Option<NodeIndex>,
    pub depth: usize,
    pub limit: usize,
}

impl GraphQuery for CentralityRanking {
    type Answer = Centrality;

    fn parse(p: &mut Parser) -> Option<Self> {
        let focus = p.optional_node("focus");
        let unknown = p.text("focus").is_some() && focus.is_none();
        let ranking = CentralityRanking {
            betweenness: p.choice("measure", &["degree", "betweenness"]) == "betweenness",
            time: p.time(),
            kinds: p.kinds(),
            focus,
            depth: p.number("depth", 2, 3),
            limit: p.number("limit", 20, MAX_RANKED),
        };
        (!unknown).then_some(ranking)
    }

    /// The whole ranking is kept with the snapshot (the same for every limit) and cut
    /// per request.
    fn run(&self, s: &Snapshot, viewer: Viewer) -> Centrality {
        let key = MemoKey::Centrality {
            betweenness: self.betweenness,
            time: self.time,
            kinds: self.kinds.clone(),
            focus: self.focus,
            depth: self.depth,
            viewer,
        };
        let ranking = s.memo.get_or(key, || {
            let view = View {
                s,
                time: self.time,
                kinds: self.kinds.clone(),
            };
            let subset = self.focus.map(|f| view.ego(f, self.depth));
            if self.betweenness {
                centrality::betweenness(&view, subset.as_deref(), MAX_RANKED, viewer)
            } else {
                centrality::degree(&view, subset.as_deref(), MAX_RANKED, viewer)
            }
        });
        Centrality {
            method: ranking.method.clone(),
            nodes: ranking.nodes,
            items: ranking.items.iter().take(self.limit).cloned().collect(),
        }
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
