//! The graph answers on the study's seed data set: the tandem model in Hagen and
//! Dortmund, the mutual dependency of Romano Than and the city of Dortmund, Romano
//! Drom's dependency on Stiftung EVZ, and the migration link from Toflea to Hagen.
mod common;

use std::collections::BTreeSet;

use common::TestApp;
use knotenpunkt::domain::UserRole;
use serde_json::{json, Value};

/// Runs each body on a seeded SQLite app and, if configured, a seeded PostgreSQL one.
macro_rules! on_both_seeded {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name(&crate::common::TestApp::sqlite_seeded());
                }
                #[test]
                fn postgres() {
                    if let Some(app) = crate::common::TestApp::postgres_seeded() {
                        super::$name(&app);
                    }
                }
            }
        )*
    };
}

fn list(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("not a list: {v}"))
}

/// Percent-encodes a query value (UTF-8 bytes).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The id of the one live organisation with this name or short name.
fn org_id(app: &TestApp, name: &str) -> String {
    let v = app.ok(
        &format!("/api/v1/organisations?q={}&limit=100", encode(name)),
        None,
    );
    let found: Vec<&Value> = list(&v["items"])
        .iter()
        .filter(|o| o["name"] == name || o["short_name"] == name)
        .collect();
    assert_eq!(found.len(), 1, "organisation {name}: {v}");
    found[0]["id"].as_str().unwrap().to_string()
}

fn iv(start: Option<&str>, end: Option<&str>) -> Value {
    json!({ "start": start, "end": end })
}

fn span(role: &str, start: Option<&str>, end: Option<&str>) -> Value {
    json!({ "role": role, "start": start, "end": end })
}

/// The tandem rows of a signed-in answer (its `roles`) as (self-organisation, employer,
/// self role, employment, overlap, shared fields), in answer order, and the person names
/// per row.
fn tandem_rows(v: &Value) -> (Vec<Value>, Vec<Value>) {
    let roles = list(&v["roles"]);
    let rows = roles
        .iter()
        .map(|r| {
            json!([
                r["self_organisation"]["id"],
                r["employer"]["id"],
                r["self_role"],
                r["employment"],
                r["overlap"],
                r["shared_fields"],
            ])
        })
        .collect();
    let persons = roles.iter().map(|r| r["person"]["name"].clone()).collect();
    (rows, persons)
}

/// The counts every caller gets: (self-organisation, employer, persons) per pair in answer
/// order, and (city, persons) per city.
fn tandem_counts(v: &Value) -> (Vec<Value>, Vec<Value>) {
    let pairs = list(&v["pairs"])
        .iter()
        .map(|p| {
            json!([
                p["self_organisation"]["id"],
                p["employer"]["id"],
                p["persons"]
            ])
        })
        .collect();
    let cities = list(&v["cities"])
        .iter()
        .map(|c| json!([c["city"], c["persons"]]))
        .collect();
    (pairs, cities)
}

/// The anonymous answer to `path`: counts only (no `roles`), the same as a viewer's.
fn anonymous_tandem(app: &TestApp, path: &str, viewer: &str) -> Value {
    let anonymous = app.ok(path, None);
    assert!(anonymous.get("roles").is_none(), "{path}: {anonymous}");
    let named = app.ok(path, Some(viewer));
    assert!(named["roles"].is_array(), "{path}: {named}");
    assert_eq!(tandem_counts(&anonymous), tandem_counts(&named), "{path}");
    anonymous
}

fn tandem(app: &TestApp) {
    let editor = app.editor();
    let drom = org_id(app, "Romano Drom");
    let than = org_id(app, "Romano Than");
    let qm = org_id(app, "Quartiersmanagement Hagen");
    let jugendamt = org_id(app, "Jugendamt Dortmund");
    let welfare = org_id(
        app,
        "Träger der Freien Wohlfahrtspflege (Dortmund, nicht benannt)",
    );

    // By hand from seed/study.toml: both co-chairs (co_chair 2019–2024, employed in the
    // Quartiersmanagement without dates, fields mediation + social_counselling on both
    // sides), the board member employed at the Jugendamt (no dates anywhere), and the
    // interviewed board member (from 2016) employed by the unnamed welfare organisation.
    // Sorted by self-organisation, then employer name ("Fachbereich …" for the
    // Quartiersmanagement, "Jugendamt …" before "Träger …").
    let drom_row = json!([
        drom,
        qm,
        span("co_chair", Some("2019-01-01"), Some("2024-12-31")),
        span("employee", None, None),
        iv(Some("2019-01-01"), Some("2024-12-31")),
        ["mediation", "social_counselling"],
    ]);
    let jugendamt_row = json!([
        than,
        jugendamt,
        span("board_member", None, None),
        span("employee", None, None),
        iv(None, None),
        [],
    ]);
    let welfare_row = json!([
        than,
        welfare,
        span("board_member", Some("2016-01-01"), None),
        span("employee", None, None),
        iv(Some("2016-01-01"), None),
        [],
    ]);

    let named = app.ok("/api/v1/tandem", Some(&editor));
    let (rows, persons) = tandem_rows(&named);
    assert_eq!(
        rows,
        vec![
            drom_row.clone(),
            drom_row.clone(),
            jugendamt_row.clone(),
            welfare_row.clone()
        ],
        "{named}"
    );
    let co_chairs: BTreeSet<&str> = persons[..2].iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(
        co_chairs,
        ["Co-Vorsitz Romano Drom (1)", "Co-Vorsitz Romano Drom (2)"].into()
    );
    assert_eq!(persons[2], "Vorstand Romano Than (Jugendamt)");
    assert_eq!(persons[3], "Vorstand Romano Than (interviewt)");
    let roles = &named["roles"];
    assert_eq!(roles[0]["self_organisation"]["name"], "Romano Drom e.V.");
    assert_eq!(roles[2]["employer"]["name"], "Jugendamt Dortmund");
    assert_eq!(roles[2]["employer"]["kind"], "municipal_unit");
    // A viewer sees the same rows.
    let viewer = app.token(UserRole::Viewer);
    assert_eq!(
        tandem_rows(&app.ok("/api/v1/tandem", Some(&viewer))),
        (rows, persons)
    );

    // The counts, for everyone: distinct persons per pair (most first) and per city.
    let pairs = vec![
        json!([drom, qm, 2]),
        json!([than, jugendamt, 1]),
        json!([than, welfare, 1]),
    ];
    let cities = vec![json!(["Dortmund", 2]), json!(["Hagen", 2])];
    assert_eq!(tandem_counts(&named), (pairs.clone(), cities.clone()));
    assert_eq!(
        named["pairs"][0]["self_organisation"]["name"],
        "Romano Drom e.V."
    );
    assert_eq!(named["pairs"][1]["employer"]["kind"], "municipal_unit");

    // Anonymously: the same counts, no roles, no person named, no person id anywhere.
    let anonymous = anonymous_tandem(app, "/api/v1/tandem", &viewer);
    assert_eq!(tandem_counts(&anonymous), (pairs, cities));
    let person_ids: Vec<String> = list(&named["roles"])
        .iter()
        .map(|r| r["person"]["id"].as_str().unwrap().to_string())
        .collect();
    let text = anonymous.to_string();
    for id in &person_ids {
        assert!(!text.contains(id.as_str()), "{id} in {text}");
    }
    assert!(!text.contains("Co-Vorsitz") && !text.contains("Vorstand"));
    for hidden in [
        "co_chair",
        "board_member",
        "employee",
        "2019-01-01",
        "mediation",
    ] {
        assert!(!text.contains(hidden), "{hidden} in {text}");
    }

    // By city.
    let hagen = tandem_rows(&app.ok("/api/v1/tandem?city=Hagen", Some(&viewer))).0;
    assert_eq!(hagen, vec![drom_row.clone(), drom_row]);
    assert_eq!(
        tandem_counts(&anonymous_tandem(app, "/api/v1/tandem?city=Hagen", &viewer)),
        (vec![json!([drom, qm, 2])], vec![json!(["Hagen", 2])])
    );
    let dortmund = tandem_rows(&app.ok("/api/v1/tandem?city=dortmund", Some(&viewer))).0;
    assert_eq!(dortmund.len(), 2);
    assert_eq!(dortmund[0], jugendamt_row);
    assert_eq!(
        tandem_counts(&anonymous_tandem(
            app,
            "/api/v1/tandem?city=dortmund",
            &viewer
        )),
        (
            vec![json!([than, jugendamt, 1]), json!([than, welfare, 1])],
            vec![json!(["Dortmund", 2])]
        )
    );
    let at = format!("/api/v1/tandem?organisation={jugendamt}");
    let at_jugendamt = tandem_rows(&app.ok(&at, Some(&viewer))).0;
    assert_eq!(at_jugendamt, vec![jugendamt_row]);
    assert_eq!(
        tandem_counts(&anonymous_tandem(app, &at, &viewer)),
        (
            vec![json!([than, jugendamt, 1])],
            vec![json!(["Dortmund", 1])]
        )
    );
}

fn romano_than_and_dortmund(app: &TestApp) {
    let than = org_id(app, "Romano Than");
    let dortmund = org_id(app, "Stadt Dortmund");
    let jugendamt = org_id(app, "Jugendamt Dortmund");
    let cycles = app.ok("/api/v1/dependencies/cycles", None);
    let members = |c: &Value| -> BTreeSet<String> {
        list(&c["organisations"])
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_string())
            .collect()
    };
    let with_than: Vec<&Value> = list(&cycles)
        .iter()
        .filter(|c| members(c).contains(&than))
        .collect();
    assert_eq!(with_than.len(), 1, "{cycles}");
    let cycle = with_than[0];
    assert!(members(cycle).contains(&dortmund), "{cycle}");
    // By hand: Romano Than → Stadt Dortmund (founding initiative, relies on), Stadt
    // Dortmund → Romano Than (relies on), Romano Than → Jugendamt (its board member works
    // there), Jugendamt → Stadt Dortmund (parent, part of). No other cycle in the study.
    assert_eq!(
        members(cycle),
        [than.clone(), dortmund.clone(), jugendamt.clone()].into()
    );
    assert_eq!(list(&cycles).len(), 1, "{cycles}");
    let edges: BTreeSet<(String, String, BTreeSet<String>)> = list(&cycle["edges"])
        .iter()
        .map(|e| {
            (
                e[0].as_str().unwrap().to_string(),
                e[1].as_str().unwrap().to_string(),
                list(&e[2])
                    .iter()
                    .map(|k| k.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    let kinds = |k: &[&str]| -> BTreeSet<String> { k.iter().map(|s| s.to_string()).collect() };
    assert_eq!(
        edges,
        [
            (
                than.clone(),
                dortmund.clone(),
                kinds(&["founding_initiative", "relies_on"])
            ),
            (dortmund.clone(), than.clone(), kinds(&["relies_on"])),
            (than.clone(), jugendamt.clone(), kinds(&["staffing"])),
            (jugendamt, dortmund.clone(), kinds(&["parent", "part_of"])),
        ]
        .into()
    );

    // Each side lists the other among its dependencies.
    let deps = app.ok(&format!("/api/v1/dependencies/{dortmund}"), None);
    assert!(list(&deps["depends_on"])
        .iter()
        .any(|d| d["organisation"]["id"] == than.as_str()));
    let deps = app.ok(&format!("/api/v1/dependencies/{than}"), None);
    assert!(list(&deps["depends_on"])
        .iter()
        .any(|d| d["organisation"]["id"] == dortmund.as_str()));
}

fn romano_drom_and_evz(app: &TestApp) {
    let drom = org_id(app, "Romano Drom");
    let evz = org_id(app, "Stiftung EVZ");
    let fundings = app.ok(&format!("/api/v1/fundings?organisation={drom}"), None);
    assert_eq!(fundings["total"], 1, "{fundings}");
    let funding_id = fundings["items"][0]["id"].as_str().unwrap().to_string();

    let v = app.ok(
        &format!("/api/v1/overlaps/funding?organisation={drom}"),
        None,
    );
    assert_eq!(v["organisation"]["name"], "Romano Drom e.V.");
    assert_eq!(
        v["total"],
        json!({"min": 3_000_000, "max": 7_000_000, "unknown": 0})
    );
    let funders = list(&v["funders"]);
    assert_eq!(funders.len(), 1, "{v}");
    assert_eq!(funders[0]["funder"]["id"], evz.as_str());
    assert_eq!(funders[0]["grants"], 1);
    assert_eq!(funders[0]["share"]["mid"], 1.0);
    assert_eq!(funders[0]["share"]["min"], 1.0);
    assert_eq!(funders[0]["share"]["max"], 1.0);
    assert_eq!(v["co_funded"], json!([]));

    let deps = app.ok(&format!("/api/v1/dependencies/{drom}"), None);
    let on_evz: Vec<&Value> = list(&deps["depends_on"])
        .iter()
        .filter(|d| d["organisation"]["id"] == evz.as_str())
        .collect();
    assert_eq!(on_evz.len(), 1, "{deps}");
    let funding: Vec<&Value> = list(&on_evz[0]["reasons"])
        .iter()
        .filter(|r| r["kind"] == "funding")
        .collect();
    assert_eq!(funding.len(), 1, "{deps}");
    assert_eq!(funding[0]["record_id"], funding_id.as_str());
    assert_eq!(funding[0]["share"]["mid"], 1.0);

    // By hand, Romano Drom also depends on the Quartiersmanagement (it supported the
    // founding; both co-chairs work there) and on the Landesrat (member).
    let qm = org_id(app, "Quartiersmanagement Hagen");
    let landesrat = org_id(app, "Landesrat der Roma NRW");
    let targets: BTreeSet<String> = list(&deps["depends_on"])
        .iter()
        .map(|d| d["organisation"]["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(targets, [evz.clone(), qm.clone(), landesrat].into());
    let mut qm_kinds: Vec<String> = list(&deps["depends_on"])
        .iter()
        .find(|d| d["organisation"]["id"] == qm.as_str())
        .map(|d| {
            list(&d["reasons"])
                .iter()
                .map(|r| r["kind"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap();
    qm_kinds.sort();
    assert_eq!(qm_kinds, ["founding_support", "staffing", "staffing"]);

    // Stiftung EVZ's exit would take all of Romano Drom's recorded funding.
    let impact = app.ok(&format!("/api/v1/funding/impact?funder={evz}"), None);
    assert_eq!(list(&impact).len(), 1, "{impact}");
    assert_eq!(impact[0]["recipient"]["id"], drom.as_str());
    assert_eq!(impact[0]["share"]["mid"], 1.0);
}

fn toflea_to_hagen(app: &TestApp) {
    let toflea = org_id(app, "Toflea");
    let hagen = org_id(app, "Stadt Hagen");
    let relations = app.ok(
        &format!("/api/v1/relations?organisation={toflea}&kind=migration_link"),
        None,
    );
    assert_eq!(relations["total"], 1, "{relations}");
    let relation_id = relations["items"][0]["id"].as_str().unwrap().to_string();

    let v = app.ok(&format!("/api/v1/graph?focus={toflea}&depth=1"), None);
    let key_of = |id: &str| -> String {
        list(&v["nodes"])
            .iter()
            .find(|n| n["id"] == id)
            .unwrap_or_else(|| panic!("{id} not in {v}"))["key"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        v["nodes"][0]["id"],
        toflea.as_str(),
        "the focus comes first"
    );
    assert_eq!(v["nodes"][0]["label"], "Toflea");
    assert_eq!(v["nodes"][0]["kind"], "origin_municipality");
    let (from, to) = (key_of(&toflea), key_of(&hagen));
    let links: Vec<&Value> = list(&v["edges"])
        .iter()
        .filter(|e| e["kind"] == "migration_link")
        .collect();
    assert_eq!(links.len(), 1, "{v}");
    assert_eq!(links[0]["source"], from.as_str());
    assert_eq!(links[0]["target"], to.as_str());
    assert_eq!(links[0]["id"], relation_id.as_str());
    // Toflea has no other link in the study.
    assert_eq!(list(&v["nodes"]).len(), 2, "{v}");

    // And the migration link alone still connects them.
    let only = app.ok(
        &format!("/api/v1/graph?focus={toflea}&depth=1&kinds=migration_link"),
        None,
    );
    assert_eq!(list(&only["edges"]).len(), 1, "{only}");
}

on_both_seeded!(
    tandem,
    romano_than_and_dortmund,
    romano_drom_and_evz,
    toflea_to_hagen
);
