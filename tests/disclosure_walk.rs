//! Issue 7, by walking the mounted route list: every GET route (API, pages, and the CSV
//! downloads the pages link to) is asked about one fixture. Signed out, no answer may
//! carry a restricted person's name, id, title, role or dates; signed in (viewer, then
//! editor), each answer must leave one `person_reads` row for exactly the persons it
//! shows. A route added later is walked without a new test. Failures are collected and
//! reported together, so one run shows every leak; `--nocapture` prints the walk.
mod common;

use std::collections::BTreeSet;

use common::privacy::{self, csv_links, snippet, Person, Privacy};
use common::web::sign_in;
use common::TestApp;
use diesel::prelude::*;
use knotenpunkt::domain::{Role, UserRole};
use knotenpunkt::schema::person_reads;
use rocket::http::{Header, Method, Status};

/// One address to ask, and the route pattern it was made from.
struct Target {
    route: String,
    uri: String,
}

struct Answer {
    status: Status,
    html: bool,
    body: String,
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
                _ => fx.verein.as_str(),
            }
        } else {
            segment
        });
        previous = segment;
    }
    out.join("/")
}

/// The parameters the graph and overlaps routes read. Elsewhere `from`/`to` are dates,
/// so only the path route gets them. `person=` goes to the API only: no page reads it,
/// and pages echo their address in the language link.
fn query(path: &str, fx: &Privacy) -> String {
    if path == "/api/v1/graph/path" {
        return format!("from={}&to={}", fx.verein, fx.stadt);
    }
    let v = &fx.verein;
    let mut q = format!(
        "organisation={v}&funder={}&applicant={v}&focus={v}&city=Duisburg",
        fx.funder
    );
    if path.starts_with("/api/") {
        q.push_str(&format!("&person={}", fx.public.id));
    }
    q
}

/// Every GET route once as it is, and once with the query (routes may read their query
/// through a request guard, so the route's own pattern does not tell).
fn targets(app: &TestApp, fx: &Privacy) -> Vec<Target> {
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
        let plain = fill(&path, fx);
        let uris = [plain.clone(), format!("{plain}?{}", query(&path, fx))];
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
fn fetch(app: &TestApp, uri: &str, token: Option<&str>) -> Answer {
    let mut req = app.client.get(uri.to_string());
    if let (Some(t), true) = (token, uri.starts_with("/api/")) {
        req.add_header(Header::new("Authorization", format!("Bearer {t}")));
    }
    let res = req.dispatch();
    let status = res.status();
    let html = res.content_type().is_some_and(|c| c.is_html());
    let body = res.into_string().unwrap_or_default();
    Answer { status, html, body }
}

/// Visits every target and every CSV link on the pages it gets back (each address
/// once); `visit` asks and checks one address.
fn walk(targets: &[Target], who: &str, mut visit: impl FnMut(&str, &str) -> Answer) -> usize {
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

fn routes_walked(targets: &[Target]) {
    let routes: BTreeSet<&str> = targets.iter().map(|t| t.route.as_str()).collect();
    eprintln!("routes walked ({}):", routes.len());
    for r in routes {
        eprintln!("  GET {r}");
    }
}

fn report(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The body without what echoes the address asked: the address itself (as error
/// messages quote it), HTML-escaped, the ids in its path ("person … not found") and the
/// `back=` value of the language link. An id the caller sent and gets back discloses
/// nothing. Ids in the query of API calls are not removed: a list filtered by a person
/// does show that person's records.
fn without_echoes(body: &str, uri: &str) -> String {
    let mut rest = body
        .replace(uri, "")
        .replace(&uri.replace('&', "&amp;"), "");
    let path = uri.split('?').next().unwrap_or_default();
    for id in path.split('/').filter(|s| s.len() == 36) {
        rest = rest.replace(id, "");
    }
    let mut out = String::with_capacity(rest.len());
    while let Some(at) = rest.find("back=") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find('"').map_or(rest.len(), |e| at + e);
        rest = rest[end..].to_string();
    }
    out.push_str(&rest);
    out
}

/// What a signed-out answer may not carry of a restricted person: name, titles, id,
/// role (JSON code and German label; only restricted persons hold these roles in the
/// fixture) and dates.
fn needles(p: &Person) -> Vec<String> {
    let mut out = vec![p.name.to_string(), p.id.clone()];
    out.extend(p.titles.iter().map(|t| t.to_string()));
    for code in &p.roles {
        out.push(format!("\"{code}\""));
        out.push(code.parse::<Role>().expect("role").label_de().to_string());
    }
    out.extend(p.dates.iter().map(|d| d.to_string()));
    out
}

/// Signed out: nothing of a restricted person in any answer (see `needles`).
fn anonymous_answers_never_disclose_restricted_persons(app: &TestApp) {
    let fx = privacy::build(app);
    let targets = targets(app, &fx);
    routes_walked(&targets);
    let mut failures = Vec::new();
    let mut public_shown = false;
    let csv = walk(&targets, "anonymous", |route, uri| {
        let answer = fetch(app, uri, None);
        public_shown |= answer.body.contains(fx.public.name);
        let body = without_echoes(&answer.body, uri);
        for p in fx.restricted() {
            let found: Vec<(String, usize)> = needles(p)
                .into_iter()
                .filter_map(|n| body.find(&n).map(|at| (n, at)))
                .collect();
            if let Some((first, at)) = found.first() {
                let what: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
                failures.push(format!(
                    "{route}: GET {uri} ({}) shows of {}: {what:?}, e.g. …{}…",
                    answer.status.code,
                    p.name,
                    snippet(&body, *at, first.len())
                ));
            }
        }
        answer
    });
    assert!(
        csv > 0,
        "no page linked a CSV download: the walk missed them"
    );
    // The check can see persons at all: the public one is shown signed out.
    assert!(public_shown, "no answer showed the public person");
    report(&failures);
}

/// All rows of the read log as (row id, person id).
fn read_rows(app: &TestApp) -> Vec<(String, String)> {
    let mut c = app.db().conn().expect("conn");
    person_reads::table
        .select((person_reads::id, person_reads::person_id))
        .load(&mut *c)
        .expect("read log")
}

/// Signed in (as a viewer, then as an editor, who also gets the forms): the rows each
/// answer adds name exactly the persons whose name or id it carries (echoes of the
/// address aside).
fn signed_in_answers_log_exactly_the_persons_shown(app: &TestApp) {
    let fx = privacy::build(app);
    let targets = targets(app, &fx);
    routes_walked(&targets);
    let mut failures = Vec::new();
    for role in [UserRole::Viewer, UserRole::Editor] {
        let token = app.token(role);
        sign_in(app, role);
        let who = role.to_string();
        let mut logged_any = false;
        walk(&targets, &who, |route, uri| {
            let before: BTreeSet<String> = read_rows(app).into_iter().map(|(id, _)| id).collect();
            let answer = fetch(app, uri, Some(&token));
            let mut logged: Vec<String> = read_rows(app)
                .into_iter()
                .filter(|(id, _)| !before.contains(id))
                .map(|(_, person)| fx.name_of(&person))
                .collect();
            logged.sort();
            let body = without_echoes(&answer.body, uri);
            let shown: Vec<String> = fx
                .persons()
                .iter()
                .filter(|p| body.contains(p.name) || body.contains(&p.id))
                .map(|p| p.name.to_string())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            logged_any |= !logged.is_empty();
            if logged != shown {
                failures.push(format!(
                    "[{who}] {route}: GET {uri} ({}) shows {shown:?}, logged {logged:?}",
                    answer.status.code
                ));
            }
            answer
        });
        assert!(logged_any, "[{who}] no answer was logged at all");
    }
    report(&failures);
}

on_both_backends!(
    anonymous_answers_never_disclose_restricted_persons,
    signed_in_answers_log_exactly_the_persons_shown,
);
