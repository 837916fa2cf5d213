//! Staff overlaps of one organisation, all pairs sharing persons, the tandem list.
use std::sync::Arc;

use rocket::{get, State};

use super::table::{self, Cell, Table};
use super::{finish, viewer, Answer, Found, Inputs, Params};
use crate::db::Db;
use crate::graph::{overlaps, GraphState, OrgRef};
use crate::web::{fail, Chrome};

#[get("/staff?<p..>")]
pub async fn staff(
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
    let concurrent = input.flag("concurrent", "ov.f.concurrent", &p.concurrent);
    let found = match (org, time) {
        (Some(org), Some(time)) if input.ok() => {
            let v = viewer(&chrome);
            let mut t = Table::new(
                lang,
                "staff",
                None,
                &[
                    "field.organisation",
                    "ov.c.shared",
                    "field.person",
                    "ov.c.roles_here",
                    "ov.c.roles_there",
                    "ov.c.overlap",
                ],
            );
            for o in overlaps::staff_overlaps(&s, org, &time, concurrent, v) {
                for person in &o.persons {
                    t.push(vec![
                        Cell::org(&o.organisation),
                        Cell::text(o.shared_persons.to_string()),
                        Cell::person(&person.person),
                        Cell::text(table::roles(lang, &person.roles_here)),
                        Cell::text(table::roles(lang, &person.roles_there)),
                        Cell::text(match &person.overlap {
                            Some(iv) => table::span(lang, iv),
                            None => lang.t("ov.never").to_string(),
                        }),
                    ]);
                }
            }
            Some(Found {
                subject: s.org(org).map(OrgRef::of),
                tables: vec![t],
                hidden_names: v == crate::graph::Viewer::Anonymous,
                ..Found::default()
            })
        }
        _ => None,
    };
    finish(chrome, db, "staff", "/overlaps/staff", &p, input, found).await
}

#[get("/staff/pairs?<p..>")]
pub async fn pairs(
    chrome: Chrome,
    db: &State<Db>,
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Answer {
    let s = g.current();
    let lang = chrome.lang;
    let mut input = Inputs::new(&chrome, &p);
    let limit = input.number("limit", "ov.f.limit", &p.limit, 20, 10_000);
    let time = input.time(&p, false);
    let concurrent = input.flag("concurrent", "ov.f.concurrent", &p.concurrent);
    let found = match (limit, time) {
        (Some(limit), Some(time)) if input.ok() => {
            // Counting all pairs touches every person: off the async workers.
            let ranked = rocket::tokio::task::spawn_blocking(move || {
                overlaps::staff_pairs(&s, &time, concurrent, limit)
            })
            .await
            .map_err(|e| {
                fail(
                    &chrome,
                    crate::error::Error::Internal(format!("graph task failed: {e}")),
                )
            })?;
            let mut t = Table::new(
                lang,
                "pairs",
                None,
                &["ov.c.rank", "ov.c.org_a", "ov.c.org_b", "ov.c.shared"],
            );
            for (i, pair) in ranked.iter().enumerate() {
                t.push(vec![
                    Cell::text((i + 1).to_string()),
                    Cell::org(&pair.a),
                    Cell::org(&pair.b),
                    Cell::text(pair.shared_persons.to_string()),
                ]);
            }
            Some(Found {
                tables: vec![t],
                ..Found::default()
            })
        }
        _ => None,
    };
    finish(
        chrome,
        db,
        "pairs",
        "/overlaps/staff/pairs",
        &p,
        input,
        found,
    )
    .await
}

#[get("/tandem?<p..>")]
pub async fn tandem(
    chrome: Chrome,
    db: &State<Db>,
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Answer {
    let s = g.current();
    let lang = chrome.lang;
    let mut input = Inputs::new(&chrome, &p);
    let city = input.text("city", "field.city", &p.city);
    let time = input.time(&p, true);
    let found = match time {
        Some(time) if input.ok() => {
            let v = viewer(&chrome);
            let city = Some(city.as_str()).filter(|c| !c.is_empty());
            let mut t = Table::new(
                lang,
                "tandem",
                None,
                &[
                    "field.person",
                    "ov.c.self_org",
                    "field.role",
                    "ov.c.employer",
                    "ov.c.employment",
                    "ov.c.overlap",
                    "ov.c.fields",
                ],
            );
            for r in overlaps::tandem(&s, &time, city, None, v) {
                t.push(vec![
                    Cell::person(&r.person),
                    Cell::org(&r.self_organisation),
                    Cell::text(table::roles(lang, std::slice::from_ref(&r.self_role))),
                    Cell::org(&r.employer),
                    Cell::text(table::roles(lang, std::slice::from_ref(&r.employment))),
                    Cell::text(table::span(lang, &r.overlap)),
                    Cell::text(table::fields(lang, &r.shared_fields)),
                ]);
            }
            Some(Found {
                tables: vec![t],
                hidden_names: v == crate::graph::Viewer::Anonymous,
                ..Found::default()
            })
        }
        _ => None,
    };
    finish(chrome, db, "tandem", "/overlaps/tandem", &p, input, found).await
}
