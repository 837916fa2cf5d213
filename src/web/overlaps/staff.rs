//! Staff overlaps of one organisation, all pairs sharing persons, the tandem list.
//! Anonymous visitors get counts per organisation: no person, role or period.
use std::sync::Arc;

use rocket::{get, State};

use super::dates::Dates;
use super::inputs::{Asked, Inputs, Kind, AS_OF, CONCURRENT, FROM, ORGANISATION, TO};
use super::table::{self, Cell, Table};
use super::{finish, Answer, Found, Pager};
use crate::db::Db;
use crate::graph::query::{self, Params};
use crate::graph::GraphState;
use crate::web::Chrome;

#[get("/staff")]
pub async fn staff(
    chrome: Chrome,
    db: &State<Db>,
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Answer {
    let lang = chrome.lang;
    let mut input = Inputs::new(lang, &p, &[ORGANISATION, AS_OF, CONCURRENT]);
    let found = match input.ask::<query::StaffOverlaps>(&chrome, g, &p).await? {
        Asked::Found(a) => {
            let named = a.body.overlaps.iter().any(|o| o.persons.is_some());
            let persons = a
                .body
                .overlaps
                .iter()
                .flat_map(|o| o.persons.iter().flatten());
            let ids = persons.filter_map(|p| p.person.as_ref().map(|p| p.id.clone()));
            let dates = Dates::load(db, &chrome.caller, ids.collect(), Vec::new()).await;
            let mut t = if named {
                Table::new(
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
                )
            } else {
                Table::new(lang, "staff", None, &["field.organisation", "ov.c.shared"])
            };
            for o in &a.body.overlaps {
                let Some(persons) = &o.persons else {
                    t.push(vec![
                        Cell::org(&o.organisation),
                        Cell::text(o.shared_persons.to_string()),
                    ]);
                    continue;
                };
                for person in persons {
                    let who = person.person.as_ref();
                    let both = person.roles_here.iter().chain(&person.roles_there);
                    let entered: Vec<_> = both.flat_map(|r| dates.role(who, r)).copied().collect();
                    t.push(vec![
                        Cell::org(&o.organisation),
                        Cell::text(o.shared_persons.to_string()),
                        Cell::person(&person.person),
                        Cell::text(table::roles(lang, &person.roles_here, &dates, who)),
                        Cell::text(table::roles(lang, &person.roles_there, &dates, who)),
                        Cell::text(match &person.overlap {
                            Some(iv) => table::span(lang, iv, &entered),
                            None => lang.t("ov.never").to_string(),
                        }),
                    ]);
                }
            }
            Some(Found {
                subject: Some(a.body.organisation),
                tables: vec![t],
                hidden_names: !chrome.signed_in(),
                persons: a.persons,
                ..Found::default()
            })
        }
        Asked::Waiting | Asked::Refused => None,
    };
    finish(chrome, db, "staff", "/overlaps/staff", &p, input, found).await
}

#[get("/staff/pairs")]
pub async fn pairs(
    chrome: Chrome,
    db: &State<Db>,
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Answer {
    let lang = chrome.lang;
    let limit = ("limit", "ov.f.limit", Kind::Number(20));
    let mut input = Inputs::new(lang, &p, &[limit, AS_OF, CONCURRENT]);
    let found = match input.ask::<query::StaffPairs>(&chrome, g, &p).await? {
        Asked::Found(a) => {
            let mut t = Table::new(
                lang,
                "pairs",
                None,
                &["ov.c.rank", "ov.c.org_a", "ov.c.org_b", "ov.c.shared"],
            );
            for (i, pair) in a.body.iter().enumerate() {
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
        Asked::Waiting | Asked::Refused => None,
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

#[get("/tandem")]
pub async fn tandem(
    chrome: Chrome,
    db: &State<Db>,
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Answer {
    let lang = chrome.lang;
    let city = ("city", "field.city", Kind::Text);
    let mut input = Inputs::new(lang, &p, &[city, AS_OF, FROM, TO]);
    let found = match input.ask::<query::Tandem>(&chrome, g, &p).await? {
        Asked::Found(a) => {
            let mut tables = Vec::new();
            if let Some(roles) = &a.body.roles {
                let ids = roles
                    .iter()
                    .filter_map(|r| r.person.as_ref().map(|p| p.id.clone()));
                let dates = Dates::load(db, &chrome.caller, ids.collect(), Vec::new()).await;
                let mut t = Table::new(
                    lang,
                    "tandem",
                    Some("ov.t.tandem_roles"),
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
                for r in roles {
                    let who = r.person.as_ref();
                    let (own, job) = (&r.self_role, &r.employment);
                    t.push(vec![
                        Cell::person(&r.person),
                        Cell::org(&r.self_organisation),
                        Cell::text(table::roles(lang, std::slice::from_ref(own), &dates, who)),
                        Cell::org(&r.employer),
                        Cell::text(table::roles(lang, std::slice::from_ref(job), &dates, who)),
                        Cell::text(table::overlap(lang, &r.overlap, &dates, who, own, job)),
                        Cell::text(table::fields(lang, &r.shared_fields)),
                    ]);
                }
                t.paged = a.body.roles_total.map(|total| (a.body.offset, total));
                tables.push(t);
            }
            let mut pairs = Table::new(
                lang,
                "pairs",
                Some("ov.t.tandem_pairs"),
                &["ov.c.self_org", "ov.c.employer", "ov.c.persons"],
            );
            for pair in &a.body.pairs {
                pairs.push(vec![
                    Cell::org(&pair.self_organisation),
                    Cell::org(&pair.employer),
                    Cell::text(pair.persons.to_string()),
                ]);
            }
            let mut cities = Table::new(
                lang,
                "cities",
                Some("ov.t.tandem_cities"),
                &["field.city", "ov.c.persons"],
            );
            for c in &a.body.cities {
                cities.push(vec![
                    Cell::text(c.city.clone().unwrap_or_else(|| "–".into())),
                    Cell::text(c.persons.to_string()),
                ]);
            }
            let (offset, limit) = (a.body.offset, a.body.limit);
            pairs.paged = Some((offset, a.body.pairs_total));
            tables.extend([pairs, cities]);
            // Pairs and roles come one page at a time; the cities whole.
            let longest = a.body.pairs_total.max(a.body.roles_total.unwrap_or(0));
            Some(Found {
                tables,
                hidden_names: a.body.roles.is_none(),
                persons: a.persons,
                pager: Some(Pager::new(offset, limit, offset + limit < longest)),
                ..Found::default()
            })
        }
        Asked::Waiting | Asked::Refused => None,
    };
    finish(chrome, db, "tandem", "/overlaps/tandem", &p, input, found).await
}
