//! Issue 7, the Duisburg scenario: the chair of a migrant organisation (a restricted
//! person) is employed by Stadt Duisburg at the same time. Signed out, the tandem page,
//! its CSV downloads, the tandem and staff overlap answers and the organisation's page
//! say that one person links the two, but not who, in what role, with what title or
//! when. Signed in, a viewer sees the chair's row, and that read is logged.
mod common;

use common::privacy::{self, csv_links, snippet, Privacy, CHAIR_DATES};
use common::web::page;
use common::TestApp;
use diesel::prelude::*;
use knotenpunkt::domain::UserRole;
use knotenpunkt::schema::person_reads;
use rocket::http::Status;
use serde_json::Value;

/// Collects failed checks so one run reports all of them.
#[derive(Default)]
struct Failures(Vec<String>);

impl Failures {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }

    fn report(self) {
        assert!(
            self.0.is_empty(),
            "{} problems:\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}

/// What may not appear about the chair: name, id, titles, role (JSON code and German
/// label; no other role of the fixture is a kind of chair) and the dates of both roles.
fn chair_needles(fx: &Privacy) -> Vec<String> {
    let mut needles = vec![fx.chair.name.to_string(), fx.chair.id.clone()];
    needles.extend(fx.chair.titles.iter().map(|t| t.to_string()));
    needles.push("\"chair\"".into());
    needles.push("Vorsitz".into());
    needles.extend(CHAIR_DATES.iter().map(|d| d.to_string()));
    needles
}

fn no_chair_details(f: &mut Failures, fx: &Privacy, what: &str, status: Status, body: &str) {
    f.check(status == Status::Ok, || format!("{what}: status {status}"));
    for needle in chair_needles(fx) {
        if let Some(at) = body.find(&needle) {
            f.0.push(format!(
                "{what} shows {needle:?}: …{}…",
                snippet(body, at, needle.len())
            ));
        }
    }
}

/// A JSON value for a failure message, cut short.
fn short(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// The item of a list whose `key.id` is `id`.
fn find<'a>(list: &'a Value, key: &str, id: &str) -> Option<&'a Value> {
    list.as_array()?.iter().find(|i| i[key]["id"] == id)
}

fn json_body(app: &TestApp, path: &str, token: Option<&str>) -> (Status, String, Value) {
    app.settle();
    let (status, value) = app.get(path, token);
    (status, value.to_string(), value)
}

fn signed_out_answers_count_but_do_not_describe(app: &TestApp) {
    let fx = privacy::build(app);
    let mut f = Failures::default();

    // Pages and their CSV downloads.
    let tandem_page = "/overlaps/tandem?city=Duisburg";
    let (status, html) = page(&app.client, tandem_page);
    no_chair_details(&mut f, &fx, tandem_page, status, &html);
    f.check(html.contains("Stadt Duisburg"), || {
        format!("{tandem_page} does not show the tandem between the Verein and the city")
    });
    let mut downloads = csv_links(&html);
    f.check(!downloads.is_empty(), || {
        format!("{tandem_page} links no CSV download")
    });
    downloads.push(format!("{tandem_page}&format=csv"));
    for csv in &downloads {
        let (status, body) = page(&app.client, csv);
        no_chair_details(&mut f, &fx, csv, status, &body);
    }
    let profile = format!("/organisations/{}", fx.verein);
    let (status, html) = page(&app.client, &profile);
    no_chair_details(&mut f, &fx, &profile, status, &html);

    // The tandem answer: pairs and cities counted, no per-person rows.
    let path = "/api/v1/tandem?city=Duisburg";
    let (status, text, tandem) = json_body(app, path, None);
    no_chair_details(&mut f, &fx, path, status, &text);
    let pair = tandem["pairs"].as_array().and_then(|pairs| {
        pairs.iter().find(|p| {
            p["self_organisation"]["id"] == fx.verein.as_str()
                && p["employer"]["id"] == fx.stadt.as_str()
        })
    });
    f.check(pair.is_some_and(|p| p["persons"] == 1), || {
        format!(
            "{path}: no pair Verein – Stadt Duisburg with \"persons\": 1 in {}",
            short(&tandem)
        )
    });
    let duisburg = tandem["cities"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["city"] == "Duisburg"));
    // The chair (city) and the board member (welfare organisation), both in Duisburg.
    f.check(duisburg.is_some_and(|c| c["persons"] == 2), || {
        format!(
            "{path}: no city Duisburg with \"persons\": 2 in {}",
            short(&tandem)
        )
    });
    f.check(tandem.get("roles").is_none(), || {
        format!("{path}: anonymous answer has \"roles\"")
    });

    // Staff overlaps: the city shares one person with the Verein, unnamed and undated.
    let path = format!("/api/v1/overlaps/staff?organisation={}", fx.verein);
    let (status, text, staff) = json_body(app, &path, None);
    no_chair_details(&mut f, &fx, &path, status, &text);
    let city = find(&staff["overlaps"], "organisation", &fx.stadt);
    f.check(city.is_some_and(|c| c["shared_persons"] == 1), || {
        format!(
            "{path}: Stadt Duisburg does not share 1 person in {}",
            short(&staff)
        )
    });
    f.check(city.is_some_and(|c| c.get("persons").is_none()), || {
        format!("{path}: anonymous overlap with the city lists \"persons\"")
    });

    // Conflicts: the board member sits at the funder and the Verein; counted only.
    let path = format!(
        "/api/v1/conflicts?funder={}&applicant={}",
        fx.funder, fx.verein
    );
    let (status, text, conflicts) = json_body(app, &path, None);
    f.check(status == Status::Ok, || format!("{path}: status {status}"));
    f.check(
        conflicts["persons"] == 1 && conflicts.get("conflicts").is_none(),
        || {
            format!(
                "{path}: expected {{\"persons\": 1}} without \"conflicts\", got {}",
                short(&conflicts)
            )
        },
    );
    f.check(
        !text.contains(fx.board.name) && !text.contains(&fx.board.id),
        || format!("{path}: names the board member: {}", short(&conflicts)),
    );
    f.report();
}

fn signed_in_viewer_sees_the_chair_and_is_logged(app: &TestApp) {
    let fx = privacy::build(app);
    let mut f = Failures::default();
    let viewer = app.token(UserRole::Viewer);

    let path = "/api/v1/tandem?city=Duisburg";
    let (status, _, tandem) = json_body(app, path, Some(&viewer));
    f.check(status == Status::Ok, || format!("{path}: status {status}"));
    let row = tandem["roles"].as_array().and_then(|rows| {
        rows.iter()
            .find(|r| r["person"]["id"] == fx.chair.id.as_str())
    });
    match row {
        None => f.0.push(format!(
            "{path}: no \"roles\" row of the chair in {}",
            short(&tandem)
        )),
        Some(r) => {
            f.check(r["person"]["name"] == fx.chair.name, || {
                format!("{path}: chair unnamed: {r}")
            });
            // The issue lists the row's keys without the organisations; where a row
            // names them, they must be the Verein and the city.
            for (key, id) in [("self_organisation", &fx.verein), ("employer", &fx.stadt)] {
                f.check(r.get(key).is_none_or(|o| o["id"] == id.as_str()), || {
                    format!("{path}: {key} is not {id}: {r}")
                });
            }
            let role = &r["self_role"];
            f.check(
                role["role"] == "chair"
                    && role["start"] == "2022-03-01"
                    && role["end"] == "2024-10-31",
                || format!("{path}: chair role or dates missing: {r}"),
            );
            f.check(r["employment"]["start"] == "2021-07-01", || {
                format!("{path}: employment start missing: {r}")
            });
        }
    }
    // The pairs and cities are there for signed-in callers too.
    f.check(
        tandem["pairs"].is_array() && tandem["cities"].is_array(),
        || format!("{path}: no \"pairs\"/\"cities\" in {}", short(&tandem)),
    );
    let logged: Vec<String> = {
        let mut c = app.db().conn().unwrap();
        person_reads::table
            .filter(person_reads::via.eq(path))
            .select(person_reads::person_id)
            .load(&mut *c)
            .unwrap()
    };
    f.check(logged.contains(&fx.chair.id), || {
        format!("{path}: the chair's read is not logged ({logged:?})")
    });

    let path = format!("/api/v1/overlaps/staff?organisation={}", fx.verein);
    let (_, _, staff) = json_body(app, &path, Some(&viewer));
    let named = find(&staff["overlaps"], "organisation", &fx.stadt)
        .and_then(|c| find(&c["persons"], "person", &fx.chair.id));
    f.check(named.is_some(), || {
        format!(
            "{path}: signed-in overlap with the city does not name the chair: {}",
            short(&staff)
        )
    });

    let path = format!(
        "/api/v1/conflicts?funder={}&applicant={}",
        fx.funder, fx.verein
    );
    let (_, _, conflicts) = json_body(app, &path, Some(&viewer));
    f.check(
        conflicts["persons"] == 1
            && find(&conflicts["conflicts"], "person", &fx.board.id).is_some(),
        || {
            format!(
                "{path}: signed-in answer does not list the board member: {}",
                short(&conflicts)
            )
        },
    );
    f.report();
}

on_both_backends!(
    signed_out_answers_count_but_do_not_describe,
    signed_in_viewer_sees_the_chair_and_is_logged,
);
