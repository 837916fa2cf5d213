//! Network pictures: a view chosen through the query layer (`graph::query::ViewRequest`),
//! laid out on the server (`layout`) and drawn as SVG (`svg`) up to `SVG_MAX_NODES`
//! nodes; larger views up to `LAYOUT_MAX_NODES` are laid out the same way and drawn by the
//! page's own script on a canvas from their JSON. Pure functions over the snapshot; no
//! routes or pages. Layouts are kept with their snapshot, by view.
pub mod forceatlas;
pub mod layered;
pub mod layout;
pub mod png;
pub mod prepare;
pub mod style;
pub mod svg;
pub mod timeline;

use std::collections::HashMap;

use serde::Serialize;

use crate::domain::{Disclosure, OrgKind};
use crate::graph::query::{Discloses, ViewEdge, ViewGraph, ViewRequest};
use crate::graph::query::{GraphQuery, Highlight, SizeBy};
use crate::graph::{MemoKey, Node, Snapshot, TimeFilter, Viewer};

/// The drawing area of a picture, in SVG user units.
pub const WIDTH: f32 = 1200.0;
pub const HEIGHT: f32 = 800.0;
const MARGIN: f32 = 40.0;
/// Views up to this many nodes are drawn as SVG (the page, `/network.svg`, `/network.png`);
/// the default of the `network_svg_max_nodes` setting.
pub const SVG_MAX_NODES: usize = 3_000;
/// Views up to this many nodes are laid out on the server (larger ones ask for filters
/// first); those above the SVG limit are drawn on a canvas. The organisations-only fold
/// of the whole country at `generate --scale 1` (≈ 20,100 nodes) fits.
pub const LAYOUT_MAX_NODES: usize = 25_000;
/// The layout's seed: the same view gives the same picture.
const SEED: u64 = 20_14;

/// A node as drawn.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct PictureNode {
    /// `n<index>`, unique in the picture.
    pub key: String,
    pub id: String,
    pub label: String,
    /// `None` for persons.
    pub kind: Option<OrgKind>,
    pub city: Option<String>,
    pub x: f32,
    pub y: f32,
    /// Radius, from the size value.
    pub size: f32,
    /// Degree or funding volume, as asked.
    pub value: f64,
    /// Marked by a highlight (tandem pair, cycle, path).
    pub highlight: bool,
    /// Share of its funding it would lose if the funder in `stops` stopped (0–1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loss: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct PictureEdge {
    pub source: String,
    pub target: String,
    pub kind: &'static str,
    pub weight: u32,
    pub highlight: bool,
}

/// How a laid-out picture is drawn: as SVG (on the server) or on a canvas (by the page's
/// script, from the same positions).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DrawnAs {
    Svg,
    Canvas,
}

/// Where the picture of a view is drawn how: views up to `svg_max_nodes` as SVG, larger
/// ones (up to `LAYOUT_MAX_NODES`) on a canvas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub svg_max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            svg_max_nodes: SVG_MAX_NODES,
        }
    }
}

impl Limits {
    /// The SVG limit as configured, never above the layout limit.
    pub fn new(svg_max_nodes: usize) -> Limits {
        Limits {
            svg_max_nodes: svg_max_nodes.min(LAYOUT_MAX_NODES),
        }
    }

    /// How a view of `nodes` nodes is drawn; `None` when it is not laid out at all.
    pub fn drawn_as(&self, nodes: usize) -> Option<DrawnAs> {
        match nodes {
            n if n > LAYOUT_MAX_NODES => None,
            n if n > self.svg_max_nodes => Some(DrawnAs::Canvas),
            _ => Some(DrawnAs::Svg),
        }
    }
}

/// A laid-out view, or the number of its nodes when too large to lay out.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Picture {
    pub nodes: Vec<PictureNode>,
    pub edges: Vec<PictureEdge>,
    /// Set when the view has more than `LAYOUT_MAX_NODES` nodes (then nothing is laid
    /// out).
    pub too_large: Option<usize>,
    /// `svg` or `canvas`; `null` when the view is too large to lay out.
    pub drawn_as: Option<DrawnAs>,
    /// The drawing area, in SVG user units.
    pub width: f32,
    pub height: f32,
    /// A path was asked for and none connects the two in this view.
    pub no_path: bool,
    pub layout_iterations: usize,
    #[serde(skip)]
    persons: Disclosure,
}

impl Picture {
    /// The same picture, marked as drawn under `limits` (the kept picture is marked with
    /// the default limits; the SVG limit is a setting).
    pub fn drawn_under(mut self, limits: Limits) -> Picture {
        self.drawn_as = match self.too_large {
            Some(_) => None,
            None => limits.drawn_as(self.nodes.len()),
        };
        self
    }
}

impl Discloses for Picture {
    fn disclose(&self, shown: &mut Disclosure) {
        shown.extend(self.persons.clone());
    }
}

/// Radius from a size value: area grows with the value, within bounds.
fn radius(value: f64, max: f64) -> f32 {
    let share = if max > 0.0 { value / max } else { 0.0 };
    (5.0 + 17.0 * share.sqrt()) as f32
}

/// Start positions for a view at a date or in a window: where its nodes stand in the
/// same view over all time (laid out once and kept), so that moving through the years
/// moves nodes little. A view over all time starts from scratch.
fn anchor(s: &Snapshot, request: &ViewRequest, viewer: Viewer) -> HashMap<String, (f32, f32)> {
    if request.time == TimeFilter::ALL || request.layered {
        return HashMap::new();
    }
    let whole = ViewRequest {
        time: TimeFilter::ALL,
        ..request.clone()
    };
    let view = whole.run(s, viewer);
    if view.nodes.len() > LAYOUT_MAX_NODES {
        return HashMap::new();
    }
    let picture = picture_sized(s, &whole, &view, viewer, (WIDTH, HEIGHT));
    // Back from the drawing area to layout units is not needed: FA2 only needs a start
    // that keeps the neighbourhoods; the drawn positions keep them.
    picture
        .nodes
        .into_iter()
        .map(|n| (n.id, (n.x, n.y)))
        .collect()
}

/// The viewer a picture depends on: only a view with persons as nodes (signed-in users
/// who ask) differs between visitors and signed-in users; any other is the same picture,
/// laid out and kept once for both.
pub fn drawn_for(request: &ViewRequest, viewer: Viewer) -> Viewer {
    if request.persons {
        viewer
    } else {
        Viewer::Anonymous
    }
}

/// The picture of a request, kept with the snapshot: asking again (the page, then its
/// SVG, PNG and JSON) costs a copy.
pub fn picture_of(s: &Snapshot, request: &ViewRequest, viewer: Viewer) -> Picture {
    let viewer = drawn_for(request, viewer);
    let key = MemoKey::Picture(request.clone(), viewer);
    let kept = s.memo.get_or(key, || {
        let view = request.run(s, viewer);
        picture(s, request, &view, viewer)
    });
    kept.as_ref().clone()
}

/// Lays out `view` (kept with the snapshot per request and viewer) and names its nodes.
pub fn picture(s: &Snapshot, request: &ViewRequest, view: &ViewGraph, viewer: Viewer) -> Picture {
    picture_sized(s, request, view, viewer, (WIDTH, HEIGHT))
}

/// Like `picture`, in a drawing area of another size (e.g. the small ego network of a
/// profile, whose labels must stay readable when scaled to the page).
pub fn picture_sized(
    s: &Snapshot,
    request: &ViewRequest,
    view: &ViewGraph,
    viewer: Viewer,
    (width, height): (f32, f32),
) -> Picture {
    let mut persons = Disclosure::none();
    view.disclose(&mut persons);
    if view.nodes.len() > LAYOUT_MAX_NODES {
        return Picture {
            nodes: Vec::new(),
            edges: Vec::new(),
            too_large: Some(view.nodes.len()),
            drawn_as: None,
            width: WIDTH,
            height: HEIGHT,
            no_path: false,
            layout_iterations: 0,
            persons: Disclosure::none(),
        };
    }
    let ids: Vec<String> = view
        .nodes
        .iter()
        .map(|n| match &s.graph[n.node] {
            Node::Organisation(o) => o.id.clone(),
            Node::Person(p) => p.id.clone(),
        })
        .collect();
    let weighted: Vec<(usize, usize, f32)> = view
        .edges
        .iter()
        .map(|e: &ViewEdge| (e.source, e.target, e.weight as f32))
        .collect();
    // Sizes and highlights do not move nodes: one layout serves them all.
    let selection = ViewRequest {
        size: SizeBy::Degree,
        highlight: Highlight::default(),
        ..request.clone()
    };
    let key = MemoKey::Layout(selection, drawn_for(request, viewer));
    let laid = s.memo.get_or(key, || {
        if request.layered {
            let links: Vec<(usize, usize, &str)> = view
                .edges
                .iter()
                .map(|e| (e.source, e.target, e.kind))
                .collect();
            return layout::Layout {
                positions: layered::layered(ids.len(), &links),
                iterations: 0,
                converged: true,
            };
        }
        let start = anchor(s, request, viewer);
        layout::force_atlas2(&ids, &weighted, SEED, &start)
    });
    let points = layout::fit(&laid.positions, width, height, MARGIN);
    let max = view.nodes.iter().map(|n| n.value).fold(0.0, f64::max);
    let nodes: Vec<PictureNode> = view
        .nodes
        .iter()
        .zip(ids)
        .zip(points)
        .enumerate()
        .map(|(i, ((n, id), (x, y)))| {
            let (label, kind, city) = match &s.graph[n.node] {
                Node::Organisation(o) => (o.name.clone(), Some(o.kind), o.city.clone()),
                Node::Person(p) => (p.name.clone(), None, None),
            };
            PictureNode {
                key: format!("n{i}"),
                id,
                label,
                kind,
                city,
                x,
                y,
                size: radius(n.value, max),
                value: n.value,
                highlight: view.marks.nodes.contains(&i),
                loss: view.marks.loss.get(&i).copied(),
            }
        })
        .collect();
    let edges = view
        .edges
        .iter()
        .enumerate()
        .map(|(k, e)| PictureEdge {
            source: nodes[e.source].key.clone(),
            target: nodes[e.target].key.clone(),
            kind: e.kind,
            weight: e.weight,
            highlight: view.marks.edges.contains(&k),
        })
        .collect();
    Picture {
        drawn_as: Limits::default().drawn_as(nodes.len()),
        nodes,
        edges,
        too_large: None,
        width,
        height,
        no_path: view.marks.no_path,
        layout_iterations: laid.iterations,
        persons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_are_drawn_as_svg_then_on_a_canvas_then_not_at_all() {
        let limits = Limits::default();
        assert_eq!(limits.drawn_as(0), Some(DrawnAs::Svg));
        assert_eq!(limits.drawn_as(SVG_MAX_NODES), Some(DrawnAs::Svg));
        assert_eq!(limits.drawn_as(SVG_MAX_NODES + 1), Some(DrawnAs::Canvas));
        assert_eq!(limits.drawn_as(20_100), Some(DrawnAs::Canvas));
        assert_eq!(limits.drawn_as(LAYOUT_MAX_NODES), Some(DrawnAs::Canvas));
        assert_eq!(limits.drawn_as(LAYOUT_MAX_NODES + 1), None);
        // A setting above the layout limit cannot draw an unlaid view as SVG.
        let high = Limits::new(1_000_000);
        assert_eq!(high.svg_max_nodes, LAYOUT_MAX_NODES);
        assert_eq!(high.drawn_as(LAYOUT_MAX_NODES + 1), None);
        assert_eq!(Limits::new(10).drawn_as(11), Some(DrawnAs::Canvas));
    }
}
