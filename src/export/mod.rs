//! Exports for other tools. Of a network view: GEXF 1.3 (Gephi, Gephi Lite) and GraphML
//! (networkx, igraph) — the network page's view (same parameters, same nodes and links);
//! each link carries the periods of the records behind it, so Gephi's timeline plays the
//! registry's history. Of the records for spreadsheets (`records`): a ZIP of CSV files
//! and XLSX, selected by the same parameters. Writers stream into any `io::Write`; no
//! routes or pages.
pub mod csv;
pub mod gexf;
pub mod graphml;
pub mod records;
pub mod xlsx;
pub mod zip;

use std::collections::HashMap;
use std::io::{self, Write};

use crate::domain::{Disclosure, Interval, OrgKind};
use crate::graph::query::{Discloses, GraphQuery, ViewGraph, ViewRequest};
use crate::graph::{Edge, MemoKey, Node, Snapshot, Viewer};
use crate::picture::{self, Picture};

/// The graph formats a view is exported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Gexf,
    Graphml,
}

impl GraphFormat {
    pub const ALL: [GraphFormat; 2] = [GraphFormat::Gexf, GraphFormat::Graphml];

    pub fn parse(text: &str) -> Option<GraphFormat> {
        GraphFormat::ALL.into_iter().find(|f| f.extension() == text)
    }

    /// The format of this name, or a 422 naming the formats there are.
    pub fn named(name: &str) -> crate::error::Result<GraphFormat> {
        GraphFormat::parse(name).ok_or_else(|| {
            let known: Vec<&str> = GraphFormat::ALL.iter().map(|f| f.extension()).collect();
            crate::error::Error::invalid("format", format!("must be one of {}", known.join(", ")))
        })
    }

    /// The file name extension, also the format's name in addresses.
    pub fn extension(self) -> &'static str {
        match self {
            GraphFormat::Gexf => "gexf",
            GraphFormat::Graphml => "graphml",
        }
    }

    pub fn media_type(self) -> (&'static str, &'static str) {
        match self {
            GraphFormat::Gexf => ("application", "gexf+xml"),
            GraphFormat::Graphml => ("application", "graphml+xml"),
        }
    }

    /// Writes `graph` in this format.
    pub fn write(self, graph: &ExportGraph, out: &mut dyn Write) -> io::Result<()> {
        match self {
            GraphFormat::Gexf => gexf::write(graph, out),
            GraphFormat::Graphml => graphml::write(graph, out),
        }
    }
}

/// Every format of `GET /api/v1/export/{format}`: a view's graph or the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Graph(GraphFormat),
    Records(records::RecordFormat),
}

impl ExportFormat {
    /// The format of this name, or a 422 naming the formats there are.
    pub fn named(name: &str) -> crate::error::Result<ExportFormat> {
        if let Some(f) = GraphFormat::parse(name) {
            return Ok(ExportFormat::Graph(f));
        }
        if let Some(f) = records::RecordFormat::parse(name) {
            return Ok(ExportFormat::Records(f));
        }
        let known: Vec<&str> = GraphFormat::ALL
            .iter()
            .map(|f| f.extension())
            .chain(records::RecordFormat::ALL.iter().map(|f| f.name()))
            .collect();
        Err(crate::error::Error::invalid(
            "format",
            format!("must be one of {}", known.join(", ")),
        ))
    }
}

/// A node as exported.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportNode {
    pub id: String,
    pub label: String,
    /// `None` for persons.
    pub kind: Option<OrgKind>,
    pub city: Option<String>,
    pub short_name: Option<String>,
    /// An organisation's life (founded – dissolved); open for persons.
    pub active: Interval,
    /// The view's size value (degree, funding volume or betweenness, as asked).
    pub value: f64,
    /// Position and radius in the picture, where the picture was laid out already.
    pub position: Option<(f32, f32, f32)>,
}

/// A link as exported: one per pair and kind, as in the view.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportEdge {
    /// Index of the source and target in `ExportGraph::nodes`.
    pub source: usize,
    pub target: usize,
    /// `staff`, `affiliation`, `funding` or a relation kind.
    pub kind: &'static str,
    /// Persons (staff), grants (funding) or records behind the link.
    pub weight: u32,
    /// The periods of the records behind the link, in the view's time window. Empty for
    /// `staff` links (persons counted, not shown) — such a link has no period of its own.
    pub spells: Vec<Interval>,
}

/// A view ready to be written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExportGraph {
    pub nodes: Vec<ExportNode>,
    pub edges: Vec<ExportEdge>,
    /// Persons shown as nodes (signed-in callers who asked for them).
    pub persons: Disclosure,
}

/// The export of a view: its nodes and links, with positions from the view's picture if
/// one is kept with the snapshot (an export never lays out a view itself, so exporting
/// the whole country does not wait for a layout).
pub fn graph_of(s: &Snapshot, request: &ViewRequest, viewer: Viewer) -> ExportGraph {
    let view = request.run(s, viewer);
    let key = MemoKey::Picture(request.clone(), picture::drawn_for(request, viewer));
    let positions: HashMap<String, (f32, f32, f32)> = s
        .memo
        .get::<Picture>(&key)
        .map(|p| {
            p.nodes
                .iter()
                .map(|n| (n.id.clone(), (n.x, n.y, n.size)))
                .collect()
        })
        .unwrap_or_default();
    let mut persons = Disclosure::none();
    view.disclose(&mut persons);
    ExportGraph {
        nodes: nodes(s, &view, &positions),
        edges: edges(s, request, &view),
        persons,
    }
}

fn nodes(
    s: &Snapshot,
    view: &ViewGraph,
    positions: &HashMap<String, (f32, f32, f32)>,
) -> Vec<ExportNode> {
    view.nodes
        .iter()
        .map(|n| {
            let mut node = match &s.graph[n.node] {
                Node::Organisation(o) => ExportNode {
                    id: o.id.clone(),
                    label: o.name.clone(),
                    kind: Some(o.kind),
                    city: o.city.clone(),
                    short_name: o.short_name.clone(),
                    active: o.active,
                    value: n.value,
                    position: None,
                },
                Node::Person(p) => ExportNode {
                    id: p.id.clone(),
                    label: p.name.clone(),
                    kind: None,
                    city: None,
                    short_name: None,
                    active: Interval::default(),
                    value: n.value,
                    position: None,
                },
            };
            node.position = positions.get(&node.id).copied();
            node
        })
        .collect()
}

/// The view's links with the periods of the records behind each (records of the link's
/// kind between its two nodes, either way round, in the view's time window).
fn edges(s: &Snapshot, request: &ViewRequest, view: &ViewGraph) -> Vec<ExportEdge> {
    view.edges
        .iter()
        .map(|e| {
            let (a, b) = (view.nodes[e.source].node, view.nodes[e.target].node);
            let mut spells: Vec<Interval> = if e.kind == "staff" {
                Vec::new()
            } else {
                s.graph
                    .edges_connecting(a, b)
                    .chain(s.graph.edges_connecting(b, a))
                    .map(|r| r.weight())
                    .filter(|w: &&Edge| w.kind_name() == e.kind)
                    .map(|w| *w.interval())
                    .filter(|i| request.time.admits(i))
                    .collect()
            };
            spells.sort_by_key(|i| (i.start, i.end));
            spells.dedup();
            ExportEdge {
                source: e.source,
                target: e.target,
                kind: e.kind,
                weight: e.weight,
                spells,
            }
        })
        .collect()
}

/// The label of a node's kind in German (`Person` for persons), for tools that show
/// attribute values as they are.
pub fn kind_label(kind: Option<OrgKind>) -> &'static str {
    kind.map_or("Person", |k| k.label_de())
}

/// A node's colour as (r, g, b), the picture's.
pub fn colour(kind: Option<OrgKind>) -> (u8, u8, u8) {
    let hex = picture::style::node(kind).1.trim_start_matches('#');
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
    (channel(0), channel(2), channel(4))
}
