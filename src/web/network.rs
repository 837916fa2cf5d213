//! The network page: the registry as a node-link picture laid out on the server, with
//! filters in the address (the same address gives the same picture), a legend, a table
//! of the same view for screen readers and copying, and the SVG as a download.
use std::sync::Arc;

use askama::Template;
use rocket::http::Header;
use rocket::response::content::RawHtml;
use rocket::{get, routes, Responder, Route, State};

use super::i18n::{Labels, Lang};
use super::organisations::organisation_names;
use super::{fail, Chrome, HtmlError};
use crate::db::Db;
use crate::domain::OrgKind;
use crate::graph::query::{self, GraphQuery};
use crate::graph::query::{Answer, Params, Problem, Problems, ViewRequest};
use crate::graph::{GraphState, Viewer};
use crate::http::Shown;
use crate::picture::{style, svg, timeline, Picture, MAX_NODES};

pub const LABELS: Labels = &[
    ("nav.network", "Netzwerk", "Network"),
    ("net.title", "Netzwerk", "Network"),
    (
        "net.intro",
        "Organisationen und ihre Verbindungen, auf dem Server angeordnet (ForceAtlas2). Personen mit Rollen auf beiden Seiten erscheinen als „Personal“-Verbindung, gewichtet nach ihrer Zahl.",
        "Organisations and their links, laid out on the server (ForceAtlas2). Persons with roles on both sides appear as a “staff” link, weighted by their number.",
    ),
    ("net.kinds", "Arten von Organisationen", "Kinds of organisation"),
    ("net.links", "Arten von Verbindungen", "Kinds of link"),
    ("net.umbrella", "Dachverband", "Umbrella"),
    ("net.focus", "Im Mittelpunkt", "Focus"),
    ("net.depth", "Schritte", "Steps"),
    ("net.size", "Größe nach", "Size by"),
    ("net.size.degree", "Zahl der Verbindungen", "Number of links"),
    ("net.size.funding", "Fördervolumen", "Funding volume"),
    ("net.persons", "Personen als Knoten zeigen", "Show persons as nodes"),
    ("net.person", "Person", "Person"),
    ("net.download", "Als SVG herunterladen", "Download as SVG"),
    ("net.json", "Als JSON", "As JSON"),
    ("net.png", "Als PNG", "As PNG"),
    ("net.legend", "Legende", "Legend"),
    ("net.table", "Als Tabelle", "As a table"),
    ("net.nodes", "Knoten", "Nodes"),
    ("net.edges", "Verbindungen", "Links"),
    ("net.value", "Wert", "Value"),
    ("net.weight", "Gewicht", "Weight"),
    (
        "net.too_large",
        "Diese Ansicht hat zu viele Knoten für ein Bild. Bitte mit den Filtern eingrenzen. Knoten:",
        "This view has too many nodes for a picture. Please narrow it with the filters. Nodes:",
    ),
    ("net.max", "höchstens", "at most"),
    ("net.empty", "Keine Organisation passt zu den Filtern.", "No organisation matches the filters."),
    ("net.help", "Ziehen oder Pfeiltasten verschieben, Mausrad oder + und − zoomen, 0 setzt zurück.", "Drag or use the arrow keys to move, the wheel or + and − to zoom, 0 resets."),
    ("net.year", "Jahr", "Year"),
    (
        "net.year_hint",
        "Schieben zeigt das Netzwerk in jenem Jahr.",
        "Sliding shows the network in that year.",
    ),
    ("net.highlight", "Hervorheben", "Highlight"),
    ("net.ego", "Im Netzwerk", "In the network"),
    ("net.open", "Im Netzwerk öffnen", "Open in the network"),
    ("net.funding_timeline", "Förderung im Zeitverlauf", "Funding over time"),
    (
        "net.timeline_hint",
        "Ein Balken je Förderung; gestreift: projektgebunden. Viele kurze gestreifte Balken nacheinander zeigen „Projektitis“.",
        "One bar per grant; striped: project-bound. Many short striped bars in a row show “Projektitis”.",
    ),
    ("net.hl.tandem", "Tandems (Selbstorganisation – Arbeitgeber)", "Tandems (self-organisation – employer)"),
    ("net.hl.cycles", "Gegenseitige Abhängigkeiten", "Mutual dependencies"),
    ("net.hl.path_from", "Kürzester Weg von", "Shortest path from"),
    ("net.hl.path_to", "nach", "to"),
    ("net.hl.stops", "Was, wenn dieser Förderer aufhört?", "What if this funder stops?"),
    (
        "net.no_path",
        "Zwischen den beiden gibt es in dieser Ansicht keinen Weg.",
        "There is no path between the two in this view.",
    ),
    ("net.link.staff", "Personal (beide Seiten)", "Staff (both sides)"),
    ("net.link.affiliation", "Rolle", "Role"),
    ("net.link.funding", "Förderung", "Funding"),
];

/// The year slider starts here (the study's records begin in the 1970s).
const FIRST_YEAR: i32 = 1970;

/// A link kind's label.
fn link_label(lang: Lang, kind: &str) -> String {
    match kind {
        "staff" | "affiliation" | "funding" => lang.t(&format!("net.link.{kind}")).to_string(),
        other => match (lang, other.parse::<crate::domain::RelationKind>()) {
            (Lang::De, Ok(r)) => r.label_de().to_string(),
            _ => other.replace('_', " "),
        },
    }
}

/// An organisation kind's label; `None` is a person.
fn kind_label(lang: Lang, kind: Option<OrgKind>) -> String {
    match (kind, lang) {
        (None, _) => lang.t("net.person").to_string(),
        (Some(k), Lang::De) => k.label_de().to_string(),
        (Some(k), Lang::En) => k.as_str().replace('_', " "),
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
    legend: Vec<Legend>,
    max_nodes: usize,
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

    fn node_name(&self, key: &str) -> &str {
        self.node_names.get(key).map(String::as_str).unwrap_or("")
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

fn problem_text(lang: Lang, p: &Problem) -> String {
    match p {
        Problem::Unknown(t) => format!("{}: {t}", lang.t("ov.e.unknown")),
        Problem::Ambiguous(names) => format!("{}: {}", lang.t("ov.e.ambiguous"), names.join("; ")),
        Problem::Number { max } => format!("{} {max}", lang.t("ov.e.number")),
        other => other.english(),
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
) -> Result<Result<Answer<Picture>, Problems>, HtmlError> {
    crate::http::graph::picture(g, p.clone(), Viewer::of(&chrome.caller))
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
    p: Params,
) -> Result<Shown<RawHtml<String>>, HtmlError> {
    let lang = chrome.lang;
    let asked = ask(g, &chrome, &p).await?;
    let (picture, persons, errors) = match asked {
        Ok(a) => (Some(a.body), a.persons, Vec::new()),
        Err(problems) => {
            let errors = problems
                .0
                .iter()
                .map(|f| (f.field, problem_text(lang, &f.problem)))
                .collect();
            (None, Default::default(), errors)
        }
    };
    let svg = match &picture {
        Some(pic) if pic.too_large.is_none() && !pic.nodes.is_empty() => draw(lang, pic),
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
        legend,
        max_nodes: MAX_NODES,
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
/// error page.
async fn drawn(
    g: &Arc<GraphState>,
    chrome: &Chrome,
    p: &Params,
) -> Result<(String, crate::domain::Disclosure), HtmlError> {
    match ask(g, chrome, p).await? {
        Ok(a) => Ok((draw(chrome.lang, &a.body), a.persons)),
        Err(problems) => Err(fail(chrome, problems.into())),
    }
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
    p: Params,
) -> Result<Shown<SvgFile>, HtmlError> {
    let (body, persons) = drawn(g, &chrome, &p).await?;
    let file = SvgFile {
        body,
        disposition: Header::new(
            "Content-Disposition",
            "attachment; filename=\"network.svg\"",
        ),
    };
    Ok(Shown::new(file, persons))
}

/// The pictures on an organisation's profile: its ego network (one step, persons folded:
/// organisation-level for every visitor) and its funding over time.
pub struct ProfilePictures {
    pub network: Option<String>,
    pub funding: Option<String>,
}

pub(crate) async fn profile_pictures(g: &Arc<GraphState>, id: &str, lang: Lang) -> ProfilePictures {
    let s = g.current();
    let id = id.to_string();
    let drawn = rocket::tokio::task::spawn_blocking(move || {
        let params = Params::new([("focus", id.as_str()), ("depth", "1")]);
        let viewer = Viewer::Anonymous;
        let network = query::parse::<ViewRequest>(&s, &params, viewer)
            .ok()
            .map(|request| {
                let view = request.run(&s, viewer);
                crate::picture::picture_sized(&s, &request, &view, viewer, (640.0, 380.0))
            })
            .filter(|p| p.nodes.len() > 1)
            .map(|p| draw(lang, &p));
        let params = Params::new([("organisation", id.as_str())]);
        let grants = query::ask::<query::GrantsReceived>(&s, &params, viewer)
            .map(|a| a.body)
            .unwrap_or_default();
        let bars: Vec<timeline::Bar> = grants
            .iter()
            .map(|g| {
                let mut label = g.funder.name.clone();
                if let Some(p) = &g.programme {
                    label = format!("{label} · {p}");
                }
                let amount = super::amount_text(g.amount_min, g.amount_max);
                if !amount.is_empty() {
                    label = format!("{label} · {amount} EUR");
                }
                timeline::Bar {
                    label,
                    interval: g.interval,
                    project_bound: g.project_bound,
                }
            })
            .collect();
        let today = chrono::Utc::now().date_naive();
        let funding = timeline::funding(&bars, today, lang.t("net.funding_timeline"));
        ProfilePictures { network, funding }
    })
    .await;
    drawn.unwrap_or(ProfilePictures {
        network: None,
        funding: None,
    })
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
    p: Params,
) -> Result<Shown<PngFile>, HtmlError> {
    let (drawn, persons) = drawn(g, &chrome, &p).await?;
    let body =
        rocket::tokio::task::spawn_blocking(move || crate::picture::png::render(&drawn, 2.0))
            .await
            .map_err(|e| fail(&chrome, crate::error::Error::Internal(e.to_string())))?
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

pub fn routes() -> Vec<Route> {
    routes![page, svg_file, png_file]
}
