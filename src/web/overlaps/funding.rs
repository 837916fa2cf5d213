//! Funding overlaps and dependency of one organisation, funding that ends soon, a
//! funder's exit, conflicts of interest between a funder and an applicant.
use std::sync::Arc;

use rocket::{get, State};

use super::table::{self, Cell, Table};
use super::{finish, viewer, Answer, Found, Inputs, Params};
use crate::db::Db;
use crate::graph::dependencies::{self as graph_deps, Dependency};
use crate::graph::funding::{self as graph_funding, GrantRef};
use crate::graph::{GraphState, OrgRef, Viewer};
use crate::web::i18n::Lang;
use crate::web::Chrome;

/// "Stiftung EVZ · Programm"
fn grant_name(g: &GrantRef) -> String {
    match &g.programme {
        Some(p) => format!("{} · {p}", g.funder.name),
        None => g.funder.name.clone(),
    }
}

#[get("/funding?<p..>")]
pub async fn funding(
    chrome: Chrome,
    db: &State<Db>,
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Answer {
    let s = g.current();
    let lang = chrome.lang;
    let mut input = Inputs::new(&chrome, &p);
    let org = input
        .organisation(
            db,
            &s,
            "organisation",
            "field.organisation",
            &p.organisation,
        )
        .await;
    let time = input.time(&p, false);
    let answer = match (org, time) {
        (Some(org), Some(time)) if input.ok() => graph_funding::funding_overlap(&s, org, &time),
        _ => None,
    };
    let found = answer.map(|o| {
        let mut funders = Table::new(
            lang,
            "funders",
            Some("ov.t.funders"),
            &[
                "field.funder",
                "ov.c.grants",
                "ov.c.amount",
                "ov.c.share",
                "ov.c.share_range",
            ],
        );
        for f in &o.funders {
            funders.push(vec![
                Cell::org(&f.funder),
                Cell::text(f.grants.to_string()),
                Cell::text(table::money(lang, &f.amount)),
                Cell::text(table::percent_of(&f.amount, f.share.mid)),
                Cell::text(table::range_of(&f.amount, &f.share)),
            ]);
        }
        let mut co = Table::new(
            lang,
            "co_funded",
            Some("ov.t.co_funded"),
            &["field.organisation", "ov.c.shared_funders"],
        );
        for c in &o.co_funded {
            let names: Vec<&str> = c.shared_funders.iter().map(|f| f.name.as_str()).collect();
            co.push(vec![
                Cell::org(&c.organisation),
                Cell::text(names.join("; ")),
            ]);
        }
        let mut grants = Table::new(
            lang,
            "grants",
            Some("ov.t.grants"),
            &[
                "ov.c.grant",
                "field.period",
                "ov.c.overlaps_with",
                "field.period",
            ],
        );
        for (a, b) in &o.overlapping_grants {
            grants.push(vec![
                Cell::text(grant_name(a)),
                Cell::text(table::span(lang, &a.interval)),
                Cell::text(grant_name(b)),
                Cell::text(table::span(lang, &b.interval)),
            ]);
        }
        Found {
            facts: vec![(lang.t("ov.total").to_string(), table::money(lang, &o.total))],
            subject: Some(o.organisation),
            tables: vec![funders, co, grants],
            hidden_names: false,
        }
    });
    finish(chrome, db, "funding", "/overlaps/funding", &p, input, found).await
}

/// A dependency's reasons: "Förderung (100 %); Vorstand dort angestellt (Name)".
fn reasons(lang: Lang, d: &Dependency) -> String {
    d.reasons
        .iter()
        .map(|r| {
            let mut text = lang.t(&format!("ov.r.{}", r.kind)).to_string();
            if text == "??" {
                text = r.kind.replace('_', " ");
            }
            let detail = match (&r.share, &r.person) {
                (Some(s), _) => Some(table::share(s)),
                (None, Some(p)) => Some(p.name.clone()),
                (None, None) => None,
            };
            match detail {
                Some(d) => format!("{text} ({d})"),
                None => text,
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[get("/dependencies?<p..>")]
pub async fn dependencies(
    chrome: Chrome,
    db: &State<Db>,
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Answer {
    let s = g.current();
    let lang = chrome.lang;
    let mut input = Inputs::new(&chrome, &p);
    let org = input
        .organisation(
            db,
            &s,
            "organisation",
            "field.organisation",
            &p.organisation,
        )
        .await;
    let time = input.time(&p, false);
    let found = match (org, time) {
        (Some(org), Some(time)) if input.ok() => {
            let v = viewer(&chrome);
            let table_of = |id, title, list: Vec<Dependency>| {
                let mut t = Table::new(
                    lang,
                    id,
                    Some(title),
                    &["field.organisation", "field.kind", "ov.c.reasons"],
                );
                for d in &list {
                    t.push(vec![
                        Cell::org(&d.organisation),
                        Cell::text(table::label(
                            lang,
                            d.organisation.kind.label_de(),
                            d.organisation.kind.as_str(),
                        )),
                        Cell::text(reasons(lang, d)),
                    ]);
                }
                t
            };
            Some(Found {
                subject: s.org(org).map(OrgRef::of),
                tables: vec![
                    table_of(
                        "depends_on",
                        "ov.t.depends_on",
                        graph_deps::dependencies(&s, org, &time, v),
                    ),
                    table_of(
                        "dependents",
                        "ov.t.dependents",
                        graph_deps::dependents(&s, org, &time, v),
                    ),
                ],
                hidden_names: v == Viewer::Anonymous,
                ..Found::default()
            })
        }
        _ => None,
    };
    finish(
        chrome,
        db,
        "deps",
        "/overlaps/dependencies",
        &p,
        input,
        found,
    )
    .await
}

#[get("/ending?<p..>")]
pub async fn ending(
    chrome: Chrome,
    db: &State<Db>,
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Answer {
    let s = g.current();
    let lang = chrome.lang;
    let mut input = Inputs::new(&chrome, &p);
    let days = input.number(
        "within_days",
        "ov.f.within_days",
        &p.within_days,
        90,
        36_500,
    );
    let time = input.time(&p, false);
    let found = match (days, time) {
        (Some(days), Some(time)) if input.ok() => {
            let mut t = Table::new(
                lang,
                "ending",
                None,
                &[
                    "field.end",
                    "ov.c.days_left",
                    "field.funder",
                    "field.recipient",
                    "field.programme",
                    "ov.c.amount",
                    "ov.c.recipient_share",
                ],
            );
            for e in graph_funding::ending_within(&s, days as i64, &time) {
                t.push(vec![
                    Cell::text(e.end.to_string()),
                    Cell::text(e.days_left.to_string()),
                    Cell::org(&e.funder),
                    Cell::org(&e.recipient),
                    Cell::text(e.programme.clone().unwrap_or_default()),
                    Cell::text(table::money(lang, &e.amount)),
                    Cell::text(if table::known(&e.amount) {
                        table::share(&e.recipient_share)
                    } else {
                        "?".into()
                    }),
                ]);
            }
            Some(Found {
                tables: vec![t],
                ..Found::default()
            })
        }
        _ => None,
    };
    finish(chrome, db, "ending", "/overlaps/ending", &p, input, found).await
}

#[get("/impact?<p..>")]
pub async fn impact(
    chrome: Chrome,
    db: &State<Db>,
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Answer {
    let s = g.current();
    let lang = chrome.lang;
    let mut input = Inputs::new(&chrome, &p);
    let funder = input
        .organisation(db, &s, "funder", "field.funder", &p.funder)
        .await;
    let time = input.time(&p, false);
    let found = match (funder, time) {
        (Some(funder), Some(time)) if input.ok() => {
            let mut t = Table::new(
                lang,
                "impact",
                None,
                &[
                    "field.recipient",
                    "ov.c.lost",
                    "ov.c.share",
                    "ov.c.share_range",
                ],
            );
            for l in graph_funding::impact(&s, funder, &time) {
                t.push(vec![
                    Cell::org(&l.recipient),
                    Cell::text(table::money(lang, &l.lost)),
                    Cell::text(table::percent_of(&l.lost, l.share.mid)),
                    Cell::text(table::range_of(&l.lost, &l.share)),
                ]);
            }
            Some(Found {
                subject: s.org(funder).map(OrgRef::of),
                tables: vec![t],
                ..Found::default()
            })
        }
        _ => None,
    };
    finish(chrome, db, "impact", "/overlaps/impact", &p, input, found).await
}

#[get("/conflicts?<p..>")]
pub async fn conflicts(
    chrome: Chrome,
    db: &State<Db>,
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Answer {
    let s = g.current();
    let lang = chrome.lang;
    let mut input = Inputs::new(&chrome, &p);
    let funder = input
        .organisation(db, &s, "funder", "field.funder", &p.funder)
        .await;
    let applicant = input
        .organisation(db, &s, "applicant", "ov.f.applicant", &p.applicant)
        .await;
    let time = input.time(&p, false);
    if funder.is_some() && funder == applicant {
        input.errors.add("applicant", chrome.t("ov.e.same"));
    }
    let found = match (funder, applicant, time) {
        (Some(funder), Some(applicant), Some(time)) if input.ok() => {
            let v = viewer(&chrome);
            let mut t = Table::new(
                lang,
                "conflicts",
                None,
                &[
                    "field.person",
                    "ov.c.at_funder",
                    "ov.c.at_applicant",
                    "ov.c.overlap",
                ],
            );
            for c in graph_funding::conflicts(&s, funder, applicant, &time, v) {
                t.push(vec![
                    Cell::person(&c.person),
                    Cell::text(table::roles(lang, std::slice::from_ref(&c.at_funder))),
                    Cell::text(table::roles(lang, std::slice::from_ref(&c.at_applicant))),
                    Cell::text(table::span(lang, &c.overlap)),
                ]);
            }
            Some(Found {
                tables: vec![t],
                hidden_names: v == Viewer::Anonymous,
                ..Found::default()
            })
        }
        _ => None,
    };
    finish(
        chrome,
        db,
        "conflicts",
        "/overlaps/conflicts",
        &p,
        input,
        found,
    )
    .await
}
