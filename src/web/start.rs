//! The start page: what the registry holds, funding that ends soon, recent changes.
use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use rocket::http::{Cookie, CookieJar, SameSite};
use rocket::response::Redirect;
use rocket::{get, routes, Route, State};

use super::forms::without_done;
use super::i18n::{Lang, LANG_COOKIE};
use super::{fail, render, Chrome, Page};
use crate::db::Db;
use crate::domain::OrgKind;
use crate::graph::funding::{ending_first, EndingFunding};
use crate::graph::{GraphState, Snapshot, TimeFilter};
use crate::store::stats;

/// Funding shown as ending soon on the start page, soonest first.
const ENDING_ROWS: usize = 20;

#[derive(Template)]
#[template(path = "start.html")]
struct StartPage {
    chrome: Chrome,
    counts: Vec<(String, i64)>,
    ending: Vec<EndingFunding>,
    /// How many end within the horizon, of which `ending` shows the first.
    ending_total: usize,
    changes: Vec<(String, String, String, String)>,
}

/// Live organisations per kind, most first: counted in the snapshot's memory, where
/// SQL had to read every organisation on every visit.
fn organisations_by_kind(snapshot: &Snapshot) -> Vec<(OrgKind, i64)> {
    let mut counts: HashMap<OrgKind, i64> = HashMap::new();
    for (_, o) in snapshot.organisations() {
        *counts.entry(o.kind).or_default() += 1;
    }
    let mut rows: Vec<(OrgKind, i64)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.as_str().cmp(b.0.as_str())));
    rows
}

#[get("/")]
async fn start(chrome: Chrome, db: &State<Db>, graph: &State<Arc<GraphState>>) -> Page {
    let loaded = db.run(|c| stats::recent_organisation_changes(c, 10)).await;
    let changes = loaded.map_err(|e| fail(&chrome, e))?;
    let lang = chrome.lang;
    let snapshot = graph.current();
    let counts = organisations_by_kind(&snapshot)
        .into_iter()
        .map(|(k, n)| (lang.word(k).to_string(), n))
        .collect();
    let changes = changes
        .into_iter()
        .map(|(at, action, id, name)| (lang.when(&at), lang.action(&action).to_string(), id, name))
        .collect();
    // The soonest ones; the whole list is a page of its own (a national registry has
    // thousands, which made this page 277 kB).
    let (ending_total, ending) = ending_first(&snapshot, 180, &TimeFilter::ALL, ENDING_ROWS);
    render(&StartPage {
        chrome,
        counts,
        ending,
        ending_total,
        changes,
    })
}

/// Switches the language and goes back to the page the user came from.
#[get("/lang/<code>?<back>")]
fn switch_language(code: &str, back: Option<String>, cookies: &CookieJar<'_>) -> Redirect {
    if let Some(lang) = Lang::from_code(code) {
        let cookie = Cookie::build((LANG_COOKIE, lang.code()))
            .path("/")
            .same_site(SameSite::Lax)
            .max_age(rocket::time::Duration::days(365));
        cookies.add(cookie);
    }
    // The page again, without a note that something was just saved.
    Redirect::to(without_done(&local_path(back)))
}

/// A path on this site to go back to, or the start page: never another site (`//host`,
/// `/\\host`), and nothing a Location header cannot carry (spaces, tabs, non-ASCII).
fn local_path(back: Option<String>) -> String {
    back.filter(|b| {
        b.starts_with('/')
            && !b.starts_with("//")
            && b.bytes().all(|c| c.is_ascii_graphic() && c != b'\\')
            && rocket::http::uri::Origin::parse(b).is_ok()
    })
    .unwrap_or_else(|| "/".into())
}

pub fn routes() -> Vec<Route> {
    routes![start, switch_language]
}
