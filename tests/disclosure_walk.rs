//! Issue 7, by walking the mounted route list: every GET route (API, pages, and the CSV
//! downloads the pages link to) is asked about one fixture. Signed out, no answer may
//! carry a restricted person's name, id, title, role or dates; signed in (viewer, editor,
//! admin), each answer must leave one `person_reads` row for exactly the persons it
//! shows. A route added later is walked without a new test. Failures are collected and
//! reported together, so one run shows every leak; `--nocapture` prints the walk.
mod common;

use std::collections::BTreeSet;

use common::privacy::{self, snippet, Person};
use common::walk::{fetch, routes_walked, targets, walk};
use common::web::sign_in;
use common::TestApp;
use diesel::prelude::*;
use knotenpunkt::domain::{Role, UserRole};
use knotenpunkt::schema::person_reads;

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

/// Signed in (as a viewer; an editor, who also gets the forms; an admin, who also gets
/// the read log and the Art. 15 export): the rows each answer adds name exactly the persons whose name or id it carries (echoes of the
/// address aside).
fn signed_in_answers_log_exactly_the_persons_shown(app: &TestApp) {
    let fx = privacy::build(app);
    let targets = targets(app, &fx);
    routes_walked(&targets);
    let mut failures = Vec::new();
    for role in [UserRole::Viewer, UserRole::Editor, UserRole::Admin] {
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
