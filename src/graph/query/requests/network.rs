//! Requests about the network's shape: ego networks, paths, components, centrality.
use std::sync::Arc;

use petgraph::graph::{EdgeIndex, NodeIndex};

use crate::graph::centrality::carry::{RankKey, Ranked, Rankings, Served};
use crate::graph::centrality::exact::Progress;
use crate::graph::centrality::{self, Centrality};
use crate::graph::network::{self, Component, GraphJson, Keys, KindFilter, View};
use crate::graph::paths::{Admit, PathIndex};
use crate::graph::query::{GraphQuery, Parser, Problem};
use crate::graph::{MemoKey, Snapshot, TimeFilter, Viewer};

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
    const READS: Option<&'static [&'static str]> =
        Some(&["focus", "depth", "kinds", "as_of", "from", "to"]);

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
    const READS: Option<&'static [&'static str]> = Some(&["from", "to", "as_of", "kinds"]);

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

    /// Walks the snapshot's compact adjacency (`PathIndex`), filtering links as it goes.
    fn run(&self, s: &Snapshot, viewer: Viewer) -> Option<GraphJson> {
        let index = PathIndex::of(s);
        let admit = Admit::new(&self.kinds, &self.time);
        let (nodes, edges) =
            index.shortest(self.from.index() as u32, self.to.index() as u32, &admit)?;
        let nodes: Vec<NodeIndex> = nodes
            .into_iter()
            .map(|n| NodeIndex::new(n as usize))
            .collect();
        let keys = Keys::new(s, &nodes, viewer);
        Some(GraphJson {
            nodes: nodes.iter().map(|&n| keys.node(s, n)).collect(),
            edges: edges
                .into_iter()
                .filter_map(|e| keys.edge(s, EdgeIndex::new(e as usize)))
                .collect(),
            truncated: false,
        })
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
    const READS: Option<&'static [&'static str]> = Some(&["as_of", "from", "to", "kinds", "limit"]);

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

/// Degree or betweenness ranking, of everything, a city's subgraph or around a focus.
/// Parameters that would change nothing (`depth` without `focus`, `exact` for degree,
/// graph parameters it does not read) are refused rather than ignored.
pub struct CentralityRanking {
    pub betweenness: bool,
    pub time: TimeFilter,
    pub kinds: KindFilter,
    pub focus: Option<NodeIndex>,
    pub depth: usize,
    /// Lower-case city whose subgraph is ranked.
    pub city: Option<String>,
    /// Exact betweenness of the whole graph or city, answered by the background job
    /// (`centrality::job`); `run` answers the interactive estimate.
    pub exact: bool,
    pub limit: usize,
}

impl CentralityRanking {
    /// What the ranking is computed from, but the focus.
    pub fn key(&self, viewer: Viewer) -> RankKey {
        RankKey {
            betweenness: self.betweenness,
            time: self.time,
            kinds: self.kinds.clone(),
            city: self.city.clone(),
            viewer,
        }
    }

    /// The whole ranking on `s`, kept in its memo.
    fn whole(&self, s: &Snapshot, viewer: Viewer, progress: &Progress) -> Arc<Ranked> {
        let focus = self.focus.map(|f| (f, self.depth));
        self.key(viewer).ranked_on(s, focus, progress)
    }

    /// The answer served at once, without computing: on `s`'s memo around a focus (node
    /// indices belong to their snapshot), otherwise from `kept` — of `s`'s version or,
    /// marked, of an older one while `s`'s is computed in the background. `None` when
    /// nothing is kept for this request yet.
    pub fn kept(&self, s: &Arc<Snapshot>, kept: &Arc<Rankings>, viewer: Viewer) -> Option<Served> {
        if let Some(f) = self.focus {
            let key = MemoKey::Centrality {
                ranking: self.key(viewer),
                focus: Some((f, self.depth)),
            };
            return s.memo.get::<Ranked>(&key).map(|r| r.served(self.limit));
        }
        kept.serve(&self.key(viewer), s, self.limit)
    }

    /// Computes the ranking on `s` (or waits for a request computing it already),
    /// keeps it for later versions unless it has a focus, and serves it.
    pub fn computed(&self, s: &Snapshot, kept: &Rankings, viewer: Viewer) -> Served {
        let whole = self.whole(s, viewer, &Progress::default());
        if self.focus.is_none() {
            kept.keep(self.key(viewer), whole.clone());
        }
        whole.served(self.limit)
    }

    /// What the exact job computes for this request, if it asks for exact values.
    pub fn exact_job(&self) -> Option<centrality::job::JobKey> {
        self.exact.then(|| centrality::job::JobKey {
            time: self.time,
            kinds: self.kinds.clone(),
            city: self.city.clone(),
        })
    }
}

impl GraphQuery for CentralityRanking {
    type Answer = Centrality;
    const READS: Option<&'static [&'static str]> = Some(&[
        "measure", "exact", "city", "focus", "depth", "limit", "kinds", "as_of", "from", "to",
    ]);

    fn parse(p: &mut Parser) -> Option<Self> {
        let focus = p.optional_node("focus");
        let unknown = p.text("focus").is_some() && focus.is_none();
        let ranking = CentralityRanking {
            betweenness: p.choice("measure", &["degree", "betweenness"]) == "betweenness",
            time: p.time(),
            kinds: p.kinds(),
            focus,
            depth: p.number("depth", 2, 3),
            city: p.text("city").map(|c| c.to_lowercase()),
            exact: p.flag("exact"),
            limit: p.number("limit", 20, MAX_RANKED),
        };
        let with_focus = p.text("focus").is_some();
        let mut refused: Vec<(&'static str, &str)> = Vec::new();
        if ranking.exact && !ranking.betweenness {
            refused.push((
                "exact",
                "applies only to measure=betweenness (degree is always exact)",
            ));
        }
        if ranking.exact && with_focus {
            refused.push((
                "exact",
                "applies to the whole graph or a city, not around a focus",
            ));
        }
        if let Some(city) = &ranking.city {
            if with_focus {
                refused.push(("city", "cannot be combined with focus"));
            } else if p.s.in_city(city).is_empty() {
                refused.push(("city", "no organisation is in this city"));
            }
        }
        for (field, message) in refused {
            p.problem(field, Problem::Other(message.into()));
        }
        (!unknown).then_some(ranking)
    }

    /// The whole ranking is kept with the snapshot (the same for every limit) and cut
    /// per request.
    fn run(&self, s: &Snapshot, viewer: Viewer) -> Centrality {
        self.whole(s, viewer, &Progress::default()).cut(self.limit)
    }
}
