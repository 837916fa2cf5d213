//! A walk over every mounted GET route (API, pages, and the CSV downloads the pages link
//! to), each asked about the privacy fixture: the route list comes from the built
//! Rocket, so a route added later is walked without a new test. ZIP answers (the record
//! exports, XLSX) are read as the text of their files, so the checks see inside them.
use std::collections::BTreeSet;

use rocket::http::{Header, Method, Status};

use super::privacy::{csv_links, Privacy};
use super::TestApp;

/// One address to ask, and the route pattern it was made from.
pub struct Target {
    pub route: String,
    pub uri: String,
}

pub struct Answer {
    pub status: Status,
    pub html: bool,
    pub body: String,
}

/// Static files and the sign-in form show no records; sign-out is not a GET. The OpenAPI
/// document is built from the types alone, without the database (it names every role
/// word of the vocabulary, which the walk would take for a person's roles).
fn skipped(path: &str) -> bool {
    path.starts_with("/static/")
        || path.contains("signin")
        || path.contains("signout")
        || path == "/api/v1/openapi.json"
}

/// Fills each dynamic segment from the segment before it.
fn fill(path: &str, fx: &Privacy) -> String {
    let mut previous = "";
    let mut out = Vec::new();
    for segment in path.split('/') {
        out.push(if segment.starts_with('<') {
            match previous {
                "persons" => fx.chair.id.as_str(),
                "organisations" => fx.verein.as_str(),
                "affiliations" => fx.chair_at_verein.as_str(),
                "fundings" => fx.funding.as_str(),
                "relations" => fx.relation.as_str(),
                "sources" => fx.source.as_str(),
                "export" => "gexf",
                _ => fx.verein.as_str(),
            }
        } else {
            segment
        });
        previous = segment;
    }
    out.join("/")
}

/// `fill`, and for the export route every format (the graph and the record exports
/// answer through one route).
fn fills(path: &str, fx: &Privacy) -> Vec<String> {
    let plain = fill(path, fx);
    if path.ends_with("/export/<format>") {
        let base = plain.trim_end_matches("gexf");
        return ["gexf", "graphml", "csv", "xlsx", "ftm"]
            .iter()
            .map(|f| format!("{base}{f}"))
            .collect();
    }
    vec![plain]
}

/// The graph parameters a route's request reads (graph routes refuse the others), or
/// `None` for routes that read no graph parameters.
fn graph_reads(path: &str) -> Option<&'static [&'static str]> {
    use knotenpunkt::graph::query::{self as q, GraphQuery};
    fn of<Q: GraphQuery>() -> &'static [&'static str] {
        Q::READS.expect("the request declares what it reads")
    }
    let route = path.strip_prefix("/api/v1").unwrap_or(path);
    if route.starts_with("/network")
        || route.starts_with("/records.")
        || route.starts_with("/export/")
    {
        return Some(&q::ViewRequest::PARAMS);
    }
    Some(match route {
        "/overlaps/staff" => of::<q::StaffOverlaps>(),
        "/overlaps/staff/pairs" => of::<q::StaffPairs>(),
        "/tandem" | "/overlaps/tandem" => of::<q::Tandem>(),
        "/overlaps/funding" => of::<q::FundingOverlaps>(),
        "/funding/ending" | "/overlaps/ending" => of::<q::FundingEnding>(),
        "/funding/impact" | "/overlaps/impact" => of::<q::FundingImpact>(),
        "/dependencies/cycles" => of::<q::Cycles>(),
        "/dependencies/<id>" | "/dependents/<id>" | "/overlaps/dependencies" => {
            of::<q::DependsOnRequest>()
        }
        "/conflicts" | "/overlaps/conflicts" => of::<q::ConflictCheck>(),
        "/graph" => of::<q::Network>(),
        "/graph/components" => of::<q::Components>(),
        // Its own rules: a city's ranking cannot also be around a focus.
        "/graph/centrality" => &["focus"],
        _ => return None,
    })
}

/// The parameters of the fixture each route reads. Elsewhere `from`/`to` are dates,
/// so only the path route gets them. `person=` goes to the API's other routes only: no
/// page or graph request reads it, and pages echo their address in the language link.
fn query(path: &str, fx: &Privacy) -> String {
    if path == "/api/v1/graph/path" {
        return format!("from={}&to={}", fx.verein, fx.stadt);
    }
    let v = fx.verein.as_str();
    let given = [
        ("organisation", v),
        ("funder", fx.funder.as_str()),
        ("applicant", v),
        ("focus", v),
        ("city", "Duisburg"),
    ];
    let reads = graph_reads(path);
    let mut q: Vec<String> = given
        .iter()
        .filter(|(name, _)| reads.is_none_or(|r| r.contains(name)))
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    if path.starts_with("/api/") && reads.is_none() {
        q.push(format!("person={}", fx.public.id));
    }
    q.join("&")
}

/// Every GET route once as it is, and once with the query (routes may read their query
/// through a request guard, so the route's own pattern does not tell).
pub fn targets(app: &TestApp, fx: &Privacy) -> Vec<Target> {
    let mut routes: Vec<String> = app
        .client
        .rocket()
        .routes()
        .filter(|r| r.method == Method::Get)
        .map(|r| r.uri.path().to_string())
        .filter(|path| !skipped(path))
        .collect();
    routes.sort();
    routes.dedup();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for path in routes {
        let mut uris = Vec::new();
        for plain in fills(&path, fx) {
            uris.push(plain.clone());
            uris.push(format!("{plain}?{}", query(&path, fx)));
        }
        for uri in uris {
            if seen.insert(uri.clone()) {
                out.push(Target {
                    route: path.clone(),
                    uri,
                });
            }
        }
    }
    assert!(
        out.len() > 40,
        "the walk found only {} addresses",
        out.len()
    );
    out
}

/// GET as the client stands (session cookie, if any), with a bearer token for the API.
pub fn fetch(app: &TestApp, uri: &str, token: Option<&str>) -> Answer {
    let mut req = app.client.get(uri.to_string());
    if let (Some(t), true) = (token, uri.starts_with("/api/")) {
        req.add_header(Header::new("Authorization", format!("Bearer {t}")));
    }
    let res = req.dispatch();
    let status = res.status();
    let html = res.content_type().is_some_and(|c| c.is_html());
    let bytes = res.into_bytes().unwrap_or_default();
    let body = unpacked(&bytes).unwrap_or_else(|| String::from_utf8(bytes).unwrap_or_default());
    Answer { status, html, body }
}

/// The text of every file in a ZIP (the record exports, XLSX), one after the other, so
/// that the checks see what a spreadsheet shows; `None` for anything else.
pub fn unpacked(bytes: &[u8]) -> Option<String> {
    use std::io::Read;
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
    let mut text = String::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("a ZIP entry");
        file.read_to_string(&mut text).expect("UTF-8 in the ZIP");
        text.push('\n');
    }
    Some(text)
}

/// Visits every target and every CSV link on the pages it gets back (each address
/// once); `visit` asks and checks one address.
pub fn walk(targets: &[Target], who: &str, mut visit: impl FnMut(&str, &str) -> Answer) -> usize {
    let mut csv_seen = BTreeSet::new();
    let mut refused = Vec::new();
    for t in targets {
        let answer = visit(&t.route, &t.uri);
        eprintln!("[{who}] {} {}", answer.status.code, t.uri);
        // With the fixture's parameters every route must answer: a refusal would let
        // the walk pass without looking at the answer.
        if t.uri.contains('?') && (answer.status.code == 422 || answer.status.code >= 500) {
            refused.push(format!("{} {}", answer.status.code, t.uri));
        }
        if !answer.html {
            continue;
        }
        for link in csv_links(&answer.body) {
            if csv_seen.insert(link.clone()) {
                let csv = visit(&format!("{} (CSV)", t.route), &link);
                eprintln!("[{who}] {} {link}", csv.status.code);
            }
        }
    }
    assert!(refused.is_empty(), "[{who}] refused: {refused:#?}");
    csv_seen.len()
}

pub fn routes_walked(targets: &[Target]) {
    let routes: BTreeSet<&str> = targets.iter().map(|t| t.route.as_str()).collect();
    eprintln!("routes walked ({}):", routes.len());
    for r in routes {
        eprintln!("  GET {r}");
    }
}
