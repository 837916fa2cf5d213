//! Funding overlaps and dependency of one organisation, funding that ends soon, a
//! funder's exit, conflicts of interest between a funder and an applicant.
use std::sync::Arc;

use rocket::{get, State};

use super::dates::Dates;
use super::inputs::{Asked, Inputs, Kind, AS_OF, FUNDER, ORGANISATION};
use super::table::{self, Cell, Table};
use super::{finish, Answer, Found};
use crate::db::Db;
use crate::graph::dependencies::Dependency;
use crate::graph::funding::GrantRef;
use crate::graph::query::{self, Params};
use crate::graph::{GraphState, OrgRef};
use crate::web::i18n::Lang;
use crate::web::Chrome;

/// "Stiftung EVZ · Programm"
fn grant_name(g: &GrantRef) -> String {
    match &g.programme {
        Some(p) => format!("{} · {p}", g.funder.name),
        None => g.funder.name.clone(),
    }
}

#[get("/funding")]
pub async fn funding(
    chrome: Chrome,
    db: &State<Db>,
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Answer {
    let lang = chrome.lang;
    let mut input = Inputs::new(lang, &p, &[ORGANISATION, AS_OF]);
    let answer = match input.ask::<query::FundingOverlaps>(&chrome, g, &p).await? {
        Asked::Found(a) => a.body,
        Asked::Waiting | Asked::Refused => None,
    };
    let grant_ids = answer.iter().flat_map(|o| &o.overlapping_grants);
    let grant_ids = grant_ids.flat_map(|(a, b)| [a.id.clone(), b.id.clone()]);
    let dates = Dates::load(db, &chrome.caller, Vec::new(), grant_ids.collect()).await;
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
                Cell::text(table::span(lang, &a.interval, dates.grant(&a.id))),
                Cell::text(grant_name(b)),
                Cell::text(table::span(lang, &b.interval, dates.grant(&b.id))),
            ]);
        }
        Found {
            facts: vec![(lang.t("ov.total").to_string(), table::money(lang, &o.total))],
            subject: Some(o.organisation),
            tables: vec![funders, co, grants],
            ..Found::default()
        }
    });
    finish(chrome, db, "funding", "/overlaps/funding", &p, input, found).await
}

/// A dependency's reasons, each kind once with its details: "Förderung (100 %); Vorstand
/// dort angestellt (Name 1, Name 2)".
fn reasons(lang: Lang, d: &Dependency) -> String {
    let mut kinds: Vec<(&str, Vec<String>)> = Vec::new();
    for r in &d.reasons {
        let detail = match (&r.share, &r.person) {
            (Some(s), _) => Some(table::share(s)),
            (None, Some(p)) => Some(p.name.clone()),
            (None, None) => None,
        };
        let at = match kinds.iter().position(|(k, _)| *k == r.kind) {
            Some(at) => at,
            None => {
                kinds.push((r.kind, Vec::new()));
                kinds.len() - 1
            }
        };
        if let Some(detail) = detail.filter(|d| !kinds[at].1.contains(d)) {
            kinds[at].1.push(detail);
        }
    }
    kinds
        .into_iter()
        .map(|(kind, details)| {
            let text = lang.reason(kind);
            match details.is_empty() {
                true => text.to_string(),
                false => format!("{text} ({})", details.join(", ")),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn dependency_table(lang: Lang, id: &'static str, title: &str, list: &[Dependency]) -> Table {
    let mut t = Table::new(
        lang,
        id,
        Some(title),
        &["field.organisation", "field.kind", "ov.c.reasons"],
    );
    for d in list {
        let kind = d.organisation.kind;
        t.push(vec![
            Cell::org(&d.organisation),
            Cell::text(lang.word(kind)),
            Cell::text(reasons(lang, d)),
        ]);
        // A staffing reason names the board member employed there (signed-in only).
        for p in d.reasons.iter().filter_map(|r| r.person.as_ref()) {
            t.persons.add(p.id.clone());
        }
    }
    t
}

#[get("/dependencies")]
pub async fn dependencies(
    chrome: Chrome,
    db: &State<Db>,
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Answer {
    let lang = chrome.lang;
    let mut input = Inputs::new(lang, &p, &[ORGANISATION, AS_OF]);
    let depends_on = input.ask::<query::DependsOnRequest>(&chrome, g, &p).await?;
    let dependents = match &depends_on {
        Asked::Found(_) => {
            input
                .ask::<query::DependentsRequest>(&chrome, g, &p)
                .await?
        }
        Asked::Waiting => Asked::Waiting,
        Asked::Refused => Asked::Refused,
    };
    let found = match (depends_on, dependents) {
        (Asked::Found(on), Asked::Found(of)) => {
            let mut persons = on.persons;
            persons.extend(of.persons);
            Some(Found {
                subject: Some(on.body.organisation),
                tables: vec![
                    dependency_table(lang, "depends_on", "ov.t.depends_on", &on.body.depends_on),
                    dependency_table(lang, "dependents", "ov.t.dependents", &of.body.dependents),
                ],
                hidden_names: !chrome.signed_in(),
                persons,
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

#[get("/ending")]
pub async fn ending(
    chrome: Chrome,
    db: &State<Db>,
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Answer {
    let lang = chrome.lang;
    let days = ("within_days", "ov.f.within_days", Kind::Number(90));
    let mut input = Inputs::new(lang, &p, &[days, AS_OF]);
    let found = match input.ask::<query::FundingEnding>(&chrome, g, &p).await? {
        Asked::Found(a) => {
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
            for e in &a.body {
                t.push(vec![
                    Cell::text(e.end.to_string()),
                    Cell::count(lang, e.days_left, "n.days"),
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

#[get("/impact")]
pub async fn impact(
    chrome: Chrome,
    db: &State<Db>,
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Answer {
    let lang = chrome.lang;
    let mut input = Inputs::new(lang, &p, &[FUNDER, AS_OF]);
    let found = match input.ask::<query::FundingImpact>(&chrome, g, &p).await? {
        Asked::Found(a) => {
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
            for l in &a.body {
                t.push(vec![
                    Cell::org(&l.recipient),
                    Cell::text(table::money(lang, &l.lost)),
                    Cell::text(table::percent_of(&l.lost, l.share.mid)),
                    Cell::text(table::range_of(&l.lost, &l.share)),
                ]);
            }
            Some(Found {
                subject: p
                    .get("funder")
                    .and_then(|f| query::find_organisation(&g.current(), f).ok())
                    .and_then(|n| g.current().org(n).map(OrgRef::of)),
                tables: vec![t],
                ..Found::default()
            })
        }
        _ => None,
    };
    finish(chrome, db, "impact", "/overlaps/impact", &p, input, found).await
}

#[get("/conflicts")]
pub async fn conflicts(
    chrome: Chrome,
    db: &State<Db>,
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Answer {
    let lang = chrome.lang;
    let applicant = ("applicant", "ov.f.applicant", Kind::Organisation);
    let mut input = Inputs::new(lang, &p, &[FUNDER, applicant, AS_OF]);
    let found = match input.ask::<query::ConflictCheck>(&chrome, g, &p).await? {
        Asked::Found(a) => {
            let t = match &a.body.conflicts {
                Some(list) => {
                    let ids = list
                        .iter()
                        .filter_map(|c| c.person.as_ref().map(|p| p.id.clone()));
                    let dates = Dates::load(db, &chrome.caller, ids.collect(), Vec::new()).await;
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
                    for c in list {
                        let who = c.person.as_ref();
                        let (funder, applicant) = (&c.at_funder, &c.at_applicant);
                        let at = |r| table::roles(lang, std::slice::from_ref(r), &dates, who);
                        t.push(vec![
                            Cell::person(&c.person),
                            Cell::text(at(funder)),
                            Cell::text(at(applicant)),
                            Cell::text(table::overlap(
                                lang, &c.overlap, &dates, who, funder, applicant,
                            )),
                        ]);
                    }
                    t
                }
                None => {
                    let mut t = Table::new(lang, "conflicts", None, &["ov.c.persons"]);
                    if a.body.persons > 0 {
                        t.push(vec![Cell::text(a.body.persons.to_string())]);
                    }
                    t
                }
            };
            Some(Found {
                tables: vec![t],
                hidden_names: a.body.conflicts.is_none(),
                persons: a.persons,
                ..Found::default()
            })
        }
        Asked::Waiting | Asked::Refused => None,
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
