//! The network page: the registry as a node-link picture laid out on the server, with
//! filters in the address (the same address gives the same picture), a legend, a table
//! of the same view for screen readers and copying, and the SVG as a download. Views
//! above the SVG limit are drawn by the page's script on a canvas from the JSON of the
//! same view; their SVG and PNG downloads are refused.
use std::sync::Arc;

use askama::Template;
use rocket::http::Header;
use rocket::response::content::RawHtml;
use rocket::{get, routes, Responder, Route, State};

use super::forms::query_problem;
use super::i18n::Lang;
use super::organisations::organisation_names;
use super::{fail, fail_with, Chrome, HtmlError};
use crate::db::Db;
use crate::domain::OrgKind;
use crate::export::GraphFormat;
use crate::graph::query::{Answer, Params, Problems, ViewRequest};
use crate::graph::{GraphState, Viewer};
use crate::http::export::{graph_download, graph_export, Download};
use crate::http::graph::{JsonText, NetworkAnswer};
use crate::http::Shown;
use crate::picture::{style, svg, DrawnAs, Limits, Picture, LAYOUT_MAX_NODES};

mod labels;
mod profile;

pub use labels::LABELS;
pub use profile::{profile_pictures, ProfilePictures};

/// The year slider starts here (the study's records begin in the 1970s).
const FIRST_YEAR: i32 = 1970;
/// The table of links lists at most this many links (all are in the JSON download).
pub const TABLE_MAX_LINKS: usize = 5_000;

/// A link kind's label.
fn link_label(lang: Lang, kind: &str) -> String {
    match kind {
        "staff" | "affiliation" | "funding" => lang.t(&format!("net.link.{kind}")).to_string(),
        other => match other.parse::<crate::domain::RelationKind>() {
            Ok(r) => lang.word(r).to_string(),
            Err(_) => other.replace('_', " "),
        },
    }
}

/// An organisation kind's label; `None` is a person.
fn kind_label(lang: Lang, kind: Option<OrgKind>) -> String {
    match (kind, lang) {
        (None, _) => lang.t("net.person").to_string(),
        (Some(k), _) => lang.word(k).to_string(),
    }
}

/// A legend entry: a small SVG of the symbol and its label.
pub struct Legend {
    pub symbol: String,
    pub label: String,
}

pub struct Choice {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "network.html")]
struct NetworkView {
    chrome: Chrome,
    params: Params,
    query: String,
    kinds: Vec<Choice>,
    links: Vec<Choice>,
    errors: Vec<(&'static str, String)>,
    names: Vec<String>,
    picture: Option<Picture>,
    svg: String,
    /// The view is drawn on a canvas by the page's script.
    canvas: bool,
    /// The colours of `picture::style` as JSON, for the canvas.
    palette: String,
    legend: Vec<Legend>,
    svg_max_nodes: usize,
    layout_max_nodes: usize,
    table_max_links: usize,
    /// Node labels by key, for the table of links.
    node_names: std::collections::HashMap<String, String>,
    /// The year slider: its range and where it stands (the `as_of` year, else this year).
    first_year: i32,
    this_year: i32,
    year: i32,
}

impl NetworkView {
    fn value(&self, name: &str) -> &str {
        self.params.typed(name)
    }

    fn label_of(&self, kind: &Option<OrgKind>) -> String {
        kind_label(self.chrome.lang, *kind)
    }

    fn link_of(&self, kind: &str) -> String {
        link_label(self.chrome.lang, kind)
    }

    fn highlights(&self, what: &str) -> bool {
        self.value("highlight").split(',').any(|w| w.trim() == what)
    }

    /// The links the table lists: the first `TABLE_MAX_LINKS`.
    fn table_edges(&self) -> &[crate::picture::PictureEdge] {
        let edges = self.picture.as_ref().map(|p| &p.edges[..]).unwrap_or(&[]);
        &edges[..edges.len().min(TABLE_MAX_LINKS)]
    }

    fn node_name(&self, key: &str) -> &str {
        self.node_names.get(key).map(String::as_str).unwrap_or("")
    }

    fn field_label(&self, field: &str) -> &'static str {
        field_label(field)
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// The label of a filter field, for the list of problems above the picture.
fn field_label(field: &str) -> &'static str {
    match field {
        "city" => "field.city",
        "focus" => "net.focus",
        "depth" => "net.depth",
        "umbrella" => "net.umbrella",
        "funder" => "field.funder",
        "as_of" => "ov.f.as_of",
        "from" => "ov.f.from",
        "to" => "ov.f.to",
        "path_from" => "net.hl.path_from",
        "path_to" => "net.hl.path_to",
        "stops" => "net.hl.stops",
        "kind" | "kinds" => "net.kinds",
        "layout" => "net.layout",
        "size" => "net.size",
        _ => "field.other",
    }
}

/// Percent-encodes a query value.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b',' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The picture of a request, or the problems with its parameters.
async fn ask(
    g: &Arc<GraphState>,
    chrome: &Chrome,
    p: &Params,
    limits: Limits,
) -> Result<Result<Answer<Picture>, Problems>, HtmlError> {
    crate::http::graph::picture(g, p.clone(), Viewer::of(&chrome.caller), limits)
        .await
        .map_err(|e| fail(chrome, e))
}

fn words<'a>(
    lang: Lang,
    picture: &Picture,
    kind: &'a dyn Fn(Option<OrgKind>) -> String,
    link: &'a dyn Fn(&str) -> String,
) -> svg::Words<'a> {
    svg::Words {
        title: lang.t("net.title"),
        description: format!(
            "{} {}, {} {}",
            picture.nodes.len(),
            lang.t("net.nodes"),
            picture.edges.len(),
            lang.t("net.edges")
        ),
        kind,
        link,
    }
}

#[get("/network")]
async fn page(
    chrome: Chrome,
    db: &State<Db>,
    g: &State<Arc<GraphState>>,
    limits: &State<Limits>,
    p: Params,
) -> Result<Shown<RawHtml<String>>, HtmlError> {
    let lang = chrome.lang;
    let asked = ask(g, &chrome, &p, **limits).await?;
    let (picture, persons, errors) = match asked {
        Ok(a) => (Some(a.body), a.persons, Vec::new()),
        Err(problems) => {
            let errors = problems
                .0
                .iter()
                .map(|f| (f.field, query_problem(lang, f.field, &f.problem)))
                .collect();
            (None, Default::default(), errors)
        }
    };
    let drawn_as = picture.as_ref().and_then(|pic| pic.drawn_as);
    let svg = match &picture {
        Some(pic) if drawn_as == Some(DrawnAs::Svg) && !pic.nodes.is_empty() => draw(lang, pic),
        _ => String::new(),
    };
    let listed = |name: &str| -> Vec<String> {
        p.get(name)
            .map(|v| v.split(',').map(|w| w.trim().to_string()).collect())
            .unwrap_or_default()
    };
    let (chosen_kinds, chosen_links) = (listed("kind"), listed("kinds"));
    let kinds = OrgKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.as_str(),
            label: kind_label(lang, Some(*k)),
            checked: chosen_kinds.iter().any(|c| c == k.as_str()),
        })
        .collect();
    let links = style::EDGE_KINDS
        .iter()
        .filter(|k| **k != "staff")
        .map(|k| Choice {
            value: k,
            label: link_label(lang, if *k == "affiliation" { "staff" } else { k }),
            checked: chosen_links.iter().any(|c| c == k),
        })
        .collect();
    let mut legend: Vec<Legend> = OrgKind::ALL
        .iter()
        .map(|k| Some(*k))
        .chain([None])
        .map(|k| {
            let (shape, fill) = style::node(k);
            Legend {
                symbol: format!(
                    "<svg width=\"18\" height=\"18\" aria-hidden=\"true\">{} fill=\"{fill}\" stroke=\"#555\"/></svg>",
                    style::shape(shape, 9.0, 9.0, 6.0)
                ),
                label: kind_label(lang, k),
            }
        })
        .collect();
    legend.extend(style::EDGE_KINDS.iter().map(|k| {
        let (colour, dash) = style::edge(k);
        Legend {
            symbol: format!(
                "<svg width=\"28\" height=\"10\" aria-hidden=\"true\"><line x1=\"1\" y1=\"5\" x2=\"27\" y2=\"5\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\"/></svg>"
            ),
            label: link_label(lang, k),
        }
    }));
    let query: String = ViewRequest::PARAMS
        .iter()
        .filter_map(|name| p.get(name).map(|v| format!("{name}={}", encode(v))))
        .collect::<Vec<_>>()
        .join("&");
    let node_names = picture
        .iter()
        .flat_map(|p| &p.nodes)
        .map(|n| (n.key.clone(), n.label.clone()))
        .collect();
    use chrono::Datelike;
    let this_year = chrono::Utc::now().year();
    let year = p
        .get("as_of")
        .and_then(|d| d.get(..4)?.parse().ok())
        .filter(|y| (FIRST_YEAR..=this_year).contains(y))
        .unwrap_or(this_year);
    let view = NetworkView {
        first_year: FIRST_YEAR,
        this_year,
        year,
        node_names,
        names: organisation_names(db).await,
        chrome,
        params: p,
        query,
        kinds,
        links,
        errors,
        picture,
        svg,
        canvas: drawn_as == Some(DrawnAs::Canvas),
        palette: style::palette_json(),
        legend,
        svg_max_nodes: limits.svg_max_nodes,
        layout_max_nodes: LAYOUT_MAX_NODES,
        table_max_links: TABLE_MAX_LINKS,
    };
    let html = view.render().map_err(|e| HtmlError {
        status: rocket::http::Status::InternalServerError,
        html: format!("template error: {e}"),
    })?;
    if !view.errors.is_empty() {
        return Err(HtmlError {
            status: rocket::http::Status::UnprocessableEntity,
            html,
        });
    }
    Ok(Shown::new(RawHtml(html), persons))
}

/// The SVG of a request's picture and the persons it shows; bad parameters are the
/// error page, and so is a view above the SVG limit (422: it is drawn on the page's
/// canvas only; its JSON has the same positions).
async fn drawn(
    g: &Arc<GraphState>,
    chrome: &Chrome,
    p: &Params,
    limits: Limits,
) -> Result<(String, crate::domain::Disclosure), HtmlError> {
    let a = match ask(g, chrome, p, limits).await? {
        Ok(a) => a,
        Err(problems) => return Err(fail(chrome, problems.into())),
    };
    if a.body.drawn_as != Some(DrawnAs::Svg) {
        let message = match a.body.too_large {
            Some(n) => format!(
                "{} {n} ({} {LAYOUT_MAX_NODES}).",
                chrome.t("net.too_large"),
                chrome.t("net.max")
            ),
            None => format!(
                "{} {} {} {} {}.",
                chrome.t("net.no_svg"),
                a.body.nodes.len(),
                chrome.t("net.no_svg.limit"),
                limits.svg_max_nodes,
                chrome.t("net.no_svg.rest"),
            ),
        };
        return Err(fail_with(
            chrome,
            rocket::http::Status::UnprocessableEntity,
            message,
        ));
    }
    Ok((draw(chrome.lang, &a.body), a.persons))
}

/// A picture as SVG with words in `lang`.
fn draw(lang: Lang, picture: &Picture) -> String {
    let kind = |k: Option<OrgKind>| kind_label(lang, k);
    let link = |k: &str| link_label(lang, k);
    svg::draw(picture, &words(lang, picture, &kind, &link))
}

/// The picture as an SVG file.
#[derive(Responder)]
#[response(content_type = "image/svg+xml")]
struct SvgFile {
    body: String,
    disposition: Header<'static>,
}

#[get("/network.svg")]
async fn svg_file(
    chrome: Chrome,
    g: &State<Arc<GraphState>>,
    limits: &State<Limits>,
    p: Params,
) -> Result<Shown<SvgFile>, HtmlError> {
    let (body, persons) = drawn(g, &chrome, &p, **limits).await?;
    let file = SvgFile {
        body,
        disposition: Header::new(
            "Content-Disposition",
            "attachment; filename=\"network.svg\"",
        ),
    };
    Ok(Shown::new(file, persons))
}

/// The picture as a PNG file, rendered on the server.
#[derive(Responder)]
#[response(content_type = "image/png")]
struct PngFile {
    body: Vec<u8>,
    disposition: Header<'static>,
}

#[get("/network.png")]
async fn png_file(
    chrome: Chrome,
    g: &State<Arc<GraphState>>,
    limits: &State<Limits>,
    p: Params,
) -> Result<Shown<PngFile>, HtmlError> {
    let (drawn, persons) = drawn(g, &chrome, &p, **limits).await?;
    // Rasterising is CPU work like laying out: on the bounded pool (a full queue is 503).
    let body = crate::http::pool::heavy(move || crate::picture::png::render(&drawn, 2.0))
        .await
        .and_then(|png| png)
        .map_err(|e| fail(&chrome, e))?;
    let file = PngFile {
        body,
        disposition: Header::new(
            "Content-Disposition",
            "attachment; filename=\"network.png\"",
        ),
    };
    Ok(Shown::new(file, persons))
}

/// The view as a file for Gephi (`/network.gexf`) or networkx and igraph
/// (`/network.graphml`), for the page's own visitor, streamed.
async fn graph_file(
    chrome: &Chrome,
    g: &State<Arc<GraphState>>,
    p: Params,
    format: GraphFormat,
) -> Result<Shown<Download>, HtmlError> {
    let a = graph_export(g, p, Viewer::of(&chrome.caller))
        .await
        .map_err(|e| fail(chrome, e))?
        .map_err(|problems| fail(chrome, problems.into()))?;
    Ok(Shown::new(graph_download(format, a.body), a.persons))
}

#[get("/network.gexf")]
async fn gexf_file(
    chrome: Chrome,
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Result<Shown<Download>, HtmlError> {
    graph_file(&chrome, g, p, GraphFormat::Gexf).await
}

#[get("/network.graphml")]
async fn graphml_file(
    chrome: Chrome,
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Result<Shown<Download>, HtmlError> {
    graph_file(&chrome, g, p, GraphFormat::Graphml).await
}

/// The picture as JSON for the page's canvas: the body of `/api/v1/network` for the
/// page's own visitor (the session cookie, which the API does not read, decides what a
/// signed-in visitor sees, as for the SVG and PNG).
#[get("/network.json")]
async fn json_file(
    chrome: Chrome,
    g: &State<Arc<GraphState>>,
    limits: &State<Limits>,
    p: Params,
) -> crate::error::Result<Shown<JsonText<NetworkAnswer>>> {
    let a = crate::http::graph::network(g, p, Viewer::of(&chrome.caller), **limits).await??;
    Ok(Shown::new(a.body, a.persons))
}

pub fn routes() -> Vec<Route> {
    routes![page, svg_file, png_file, json_file, gexf_file, graphml_file]
}
