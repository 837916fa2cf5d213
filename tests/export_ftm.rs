//! The FollowTheMoney export (`ftm`, JSON lines for Aleph), on both backends: every line
//! one entity with an id of FtM's pattern, unique; schemas as mapped (README,
//! "FollowTheMoney"); every entity a link names is in the file; the same records as the
//! API lists; no restricted person for anonymous callers; reads logged for signed-in
//! ones; a city's file holds its selection (and the organisations its links reach, by
//! name only). `.ci/check-exports` checks the file against the `followthemoney` library.
mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::privacy::{self, Privacy};
use common::web::*;
use common::TestApp;
use diesel::prelude::*;
use knotenpunkt::domain::UserRole;
use knotenpunkt::schema::person_reads;
use rocket::http::{Header, Status};
use serde_json::{json, Value};

/// One entity of the file.
#[derive(Debug, Clone)]
struct Entity {
    id: String,
    schema: String,
    properties: BTreeMap<String, Vec<String>>,
}

impl Entity {
    fn get(&self, property: &str) -> Vec<String> {
        self.properties.get(property).cloned().unwrap_or_default()
    }

    fn one(&self, property: &str) -> String {
        let values = self.get(property);
        assert_eq!(values.len(), 1, "{}.{property}: {values:?}", self.id);
        values[0].clone()
    }

    /// A reference entity: an organisation outside the selection, by name only.
    fn is_reference(&self) -> bool {
        self.properties.keys().all(|k| k == "name")
    }
}

/// The file's entities by id, after checking each line's shape: an object with exactly
/// `id`, `schema` and `properties`, each property a non-empty list of non-blank strings,
/// ids of FtM's pattern and unique.
struct File {
    entities: BTreeMap<String, Entity>,
    text: String,
}

/// `^[0-9a-zA-Z]([0-9a-zA-Z.-]*[0-9a-zA-Z])?$`
fn ftm_id(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'.' || *c == b'-')
}

fn parse(text: String) -> File {
    assert!(text.ends_with('\n'), "every line ends with a line feed");
    let mut entities = BTreeMap::new();
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        let object = v.as_object().expect("an object a line");
        assert_eq!(
            object.keys().map(String::as_str).collect::<BTreeSet<_>>(),
            BTreeSet::from(["id", "properties", "schema"]),
            "{line}"
        );
        let id = v["id"].as_str().expect("an id").to_string();
        assert!(ftm_id(&id), "id {id} does not match FtM's pattern");
        let mut properties = BTreeMap::new();
        for (name, values) in v["properties"].as_object().expect("properties") {
            let values: Vec<String> = values
                .as_array()
                .unwrap_or_else(|| panic!("{id}.{name} is a list"))
                .iter()
                .map(|x| x.as_str().expect("strings only").to_string())
                .collect();
            assert!(!values.is_empty(), "{id}.{name}: no empty lists");
            assert!(
                values.iter().all(|x| !x.trim().is_empty()),
                "{id}.{name}: blank"
            );
            properties.insert(name.clone(), values);
        }
        let entity = Entity {
            id: id.clone(),
            schema: v["schema"].as_str().expect("a schema").to_string(),
            properties,
        };
        assert!(
            entities.insert(id.clone(), entity).is_none(),
            "id {id} twice"
        );
    }
    let file = File { entities, text };
    file.check_references();
    file
}

/// The schemas an entity-valued property may point to (FtM's ranges, for the schemas
/// this export writes: `LegalEntity` covers all three, `Organization` both organisation
/// schemas).
fn range(schema: &str, property: &str) -> Option<&'static [&'static str]> {
    const LEGAL: &[&str] = &["Organization", "PublicBody", "Person"];
    const ORG: &[&str] = &["Organization", "PublicBody"];
    Some(match (schema, property) {
        (_, "parent") => LEGAL,
        ("Directorship", "director") | ("Membership", "member") => LEGAL,
        ("Directorship" | "Membership", "organization") | ("Employment", "employer") => ORG,
        ("Employment", "employee") => &["Person"],
        ("Payment", "payer" | "beneficiary") => LEGAL,
        ("UnknownLink", "subject" | "object") => LEGAL,
        _ => return None,
    })
}

/// The properties that make a link, per schema (FtM's required ones).
fn ends(schema: &str) -> Option<[&'static str; 2]> {
    Some(match schema {
        "Directorship" => ["director", "organization"],
        "Employment" => ["employee", "employer"],
        "Membership" => ["member", "organization"],
        "Payment" => ["payer", "beneficiary"],
        "UnknownLink" => ["subject", "object"],
        _ => return None,
    })
}

impl File {
    /// Every entity-valued property names an entity of the file, of a fitting schema;
    /// every link has both ends; every organisation and person has a name.
    fn check_references(&self) {
        for e in self.entities.values() {
            match ends(&e.schema) {
                Some(pair) => {
                    for p in pair {
                        assert_eq!(e.get(p).len(), 1, "{} {}: {p}", e.schema, e.id);
                    }
                }
                None => {
                    assert!(
                        ["Organization", "PublicBody", "Person"].contains(&e.schema.as_str()),
                        "schema {}",
                        e.schema
                    );
                    assert_eq!(e.get("name").len(), 1, "{} has a name", e.id);
                }
            }
            for (p, values) in &e.properties {
                let Some(allowed) = range(&e.schema, p) else {
                    continue;
                };
                for v in values {
                    let target = self
                        .entities
                        .get(v)
                        .unwrap_or_else(|| panic!("{}.{p} names {v}, not in the file", e.id));
                    assert!(
                        allowed.contains(&target.schema.as_str()),
                        "{}.{p} names a {}",
                        e.id,
                        target.schema
                    );
                    assert_ne!(v, &e.id, "no link to itself");
                }
            }
        }
    }

    fn of_schema(&self, schema: &str) -> Vec<&Entity> {
        self.entities
            .values()
            .filter(|e| e.schema == schema)
            .collect()
    }

    /// The record ids behind the entities of these schemas (`kp-` dropped).
    fn ids(&self, schemas: &[&str]) -> BTreeSet<String> {
        self.entities
            .values()
            .filter(|e| schemas.contains(&e.schema.as_str()))
            .map(|e| record_id(&e.id))
            .collect()
    }

    fn entity(&self, record: &str) -> &Entity {
        self.entities
            .get(&format!("kp-{record}"))
            .unwrap_or_else(|| panic!("no entity for {record}"))
    }
}

fn record_id(entity_id: &str) -> String {
    entity_id.strip_prefix("kp-").expect("kp- ids").to_string()
}

/// GET the export; the answer must be 200 JSON lines.
fn download(app: &TestApp, path: &str, token: Option<&str>) -> File {
    app.settle();
    let mut req = app.client.get(path.to_string());
    if let Some(t) = token {
        req.add_header(Header::new("Authorization", format!("Bearer {t}")));
    }
    let res = req.dispatch();
    assert_eq!(res.status(), Status::Ok, "{path}");
    assert_eq!(
        res.content_type().map(|c| c.to_string()).as_deref(),
        Some("application/x-ndjson; charset=utf-8"),
        "{path}"
    );
    parse(res.into_string().expect("UTF-8"))
}

/// The ids the API lists of a resource for this caller.
fn listed(app: &TestApp, resource: &str, token: Option<&str>) -> BTreeSet<String> {
    app.ok(&format!("/api/v1/{resource}?limit=500"), token)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

const ORG_SCHEMAS: &[&str] = &["Organization", "PublicBody"];
const LINK_SCHEMAS: &[&str] = &[
    "Directorship",
    "Employment",
    "Membership",
    "UnknownLink",
    "Payment",
];

/// The seeded registry (and the privacy fixture): valid lines, the API's records, each
/// with the schema of its kind or role.
fn the_registry_exports_as_entities(app: &TestApp) {
    privacy::build(app);
    app.load_seed();
    let viewer = app.token(UserRole::Viewer);
    let file = download(app, "/api/v1/export/ftm", Some(&viewer));
    assert_eq!(
        file.ids(ORG_SCHEMAS),
        listed(app, "organisations", Some(&viewer))
    );
    assert_eq!(file.ids(&["Person"]), listed(app, "persons", Some(&viewer)));
    let links: BTreeSet<String> = ["affiliations", "fundings", "relations"]
        .iter()
        .flat_map(|r| listed(app, r, Some(&viewer)))
        .collect();
    assert_eq!(file.ids(LINK_SCHEMAS), links);
    assert_eq!(
        file.entities.len(),
        file.ids(ORG_SCHEMAS).len() + file.ids(&["Person"]).len() + links.len(),
        "nothing else, and no references without filters"
    );

    // Schemas as mapped: by organisation kind, role and relation kind.
    for item in app.ok("/api/v1/organisations?limit=500", Some(&viewer))["items"]
        .as_array()
        .unwrap()
    {
        let e = file.entity(item["id"].as_str().unwrap());
        let kind = item["kind"].as_str().unwrap();
        let public = matches!(
            kind,
            "municipality" | "municipal_unit" | "state_body" | "origin_municipality"
        );
        assert_eq!(
            e.schema,
            if public { "PublicBody" } else { "Organization" },
            "{kind}"
        );
        assert_eq!(e.one("classification"), kind);
        assert_eq!(e.one("name"), item["name"].as_str().unwrap());
        if let Some(c) = item["country"].as_str() {
            assert_eq!(e.one("country"), c.to_ascii_lowercase());
        }
        if let Some(f) = item["founded"].as_str() {
            assert_eq!(e.one("incorporationDate"), f);
        }
    }
    for item in app.ok("/api/v1/affiliations?limit=500", Some(&viewer))["items"]
        .as_array()
        .unwrap()
    {
        let e = file.entity(item["id"].as_str().unwrap());
        let role = item["role"].as_str().unwrap();
        let (schema, person) = match role {
            "chair" | "co_chair" | "board_member" | "treasurer" => ("Directorship", "director"),
            "employee" | "project_staff" | "mediator" | "language_mediator" => {
                ("Employment", "employee")
            }
            "founder" | "member" | "volunteer" => ("Membership", "member"),
            _ => ("UnknownLink", "subject"),
        };
        assert_eq!(e.schema, schema, "{role}");
        assert_eq!(e.one("role"), role);
        assert_eq!(
            e.one(person),
            format!("kp-{}", item["person_id"].as_str().unwrap())
        );
    }
    for item in app.ok("/api/v1/relations?limit=500", Some(&viewer))["items"]
        .as_array()
        .unwrap()
    {
        let e = file.entity(item["id"].as_str().unwrap());
        let kind = item["kind"].as_str().unwrap();
        let expected = if kind == "member_of" {
            ("Membership", "member", "organization")
        } else {
            ("UnknownLink", "subject", "object")
        };
        assert_eq!(e.schema, expected.0, "{kind}");
        assert_eq!(e.one("role"), kind);
        assert_eq!(
            e.one(expected.1),
            format!("kp-{}", item["source_id"].as_str().unwrap())
        );
        assert_eq!(
            e.one(expected.2),
            format!("kp-{}", item["target_id"].as_str().unwrap())
        );
    }
    // Exact amounts as `amount` (in units of the currency), ranges in the description.
    let fundings = app.ok("/api/v1/fundings?limit=500", Some(&viewer));
    let fundings = fundings["items"].as_array().unwrap();
    assert!(!fundings.is_empty());
    for item in fundings {
        let e = file.entity(item["id"].as_str().unwrap());
        assert_eq!(e.schema, "Payment");
        assert_eq!(e.one("currency"), item["currency"].as_str().unwrap());
        let (min, max) = (item["amount_min"].as_i64(), item["amount_max"].as_i64());
        match (min, max) {
            (Some(a), Some(b)) if a == b => {
                let units: f64 = e.one("amount").parse().unwrap();
                assert_eq!((units * 100.0).round() as i64, a, "{}", e.id);
            }
            (None, None) => assert!(e.get("amount").is_empty()),
            _ => {
                assert!(e.get("amount").is_empty(), "{}: no single amount", e.id);
                assert!(e.one("description").contains("Betrag: "), "{}", e.id);
            }
        }
    }
}

/// The fixture's funding and roles, property by property.
fn values_as_ftm_wants_them(app: &TestApp) {
    let fx = privacy::build(app);
    let tok = app.editor();
    let range = app.create(
        "fundings",
        &tok,
        json!({"funder_id": fx.funder, "recipient_id": fx.roma, "status": "applied",
               "amount_min": 3_000_050, "amount_max": 7_000_000, "currency": "EUR",
               "start": "2024", "purpose": "Beratung"}),
    );
    let unit = app.create(
        "organisations",
        &tok,
        json!({"name": "Kommunales Integrationszentrum Qx", "kind": "municipal_unit",
               "city": "Duisburg", "country": "DE", "parent_id": fx.stadt,
               "founded": "2013-05", "register_number": "VR 1234",
               "register_court": "Amtsgericht Duisburg", "short_name": "KI Qx"}),
    );
    let viewer = app.token(UserRole::Viewer);
    let file = download(app, "/api/v1/export/ftm", Some(&viewer));

    let f = file.entity(&fx.funding);
    assert_eq!(f.schema, "Payment");
    assert_eq!(f.one("payer"), format!("kp-{}", fx.funder));
    assert_eq!(f.one("beneficiary"), format!("kp-{}", fx.verein));
    assert_eq!(f.one("amount"), "30000");
    assert_eq!(f.one("amountEur"), "30000");
    assert_eq!(f.one("currency"), "EUR");
    assert_eq!(f.one("programme"), "Programm Nxq");
    assert_eq!(f.one("startDate"), "2023-01");
    assert_eq!(f.one("endDate"), "2027-01");
    assert_eq!(f.one("recordId"), fx.funding);

    let r = file.entity(&range);
    assert!(r.get("amount").is_empty(), "a range has no single amount");
    assert!(r.get("amountEur").is_empty());
    assert!(r
        .one("description")
        .contains("Betrag: 30000.5 bis 70000 EUR"));
    assert_eq!(r.one("purpose"), "Beratung");
    assert_eq!(r.one("startDate"), "2024");

    let u = file.entity(&unit);
    assert_eq!(u.schema, "PublicBody");
    assert_eq!(u.one("parent"), format!("kp-{}", fx.stadt));
    assert_eq!(u.one("country"), "de");
    assert_eq!(u.one("address"), "Duisburg");
    assert_eq!(u.one("incorporationDate"), "2013-05");
    assert_eq!(u.one("registrationNumber"), "VR 1234");
    assert_eq!(u.one("alias"), "KI Qx");
    assert!(u
        .one("notes")
        .contains("Registergericht: Amtsgericht Duisburg"));

    let chair = file.entity(&fx.chair_at_verein);
    assert_eq!(chair.schema, "Directorship");
    assert_eq!(chair.one("organization"), format!("kp-{}", fx.verein));
    assert_eq!(chair.one("description"), privacy::CHAIR_TITLE);
    assert_eq!(chair.one("startDate"), "2022-03");
    assert_eq!(chair.one("endDate"), "2024-10");
    assert_eq!(file.entity(&fx.relation).schema, "UnknownLink");
    assert_eq!(file.entity(&fx.relation).one("role"), "cooperates_with");
}

/// A city's file: its organisations in full, the persons of the roles at them, the
/// links that touch them, and the organisations those links reach outside the city as
/// references (name only).
fn a_city_holds_its_selection(app: &TestApp) {
    let fx = privacy::build(app);
    app.load_seed();
    let viewer = app.token(UserRole::Viewer);
    let file = download(app, "/api/v1/export/ftm?city=Duisburg", Some(&viewer));
    let set = |v: &[&String]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    let full: BTreeSet<String> = file
        .entities
        .values()
        .filter(|e| ORG_SCHEMAS.contains(&e.schema.as_str()) && !e.is_reference())
        .map(|e| record_id(&e.id))
        .collect();
    let duisburg: BTreeSet<String> = app.ok(
        "/api/v1/organisations?city=Duisburg&limit=500",
        Some(&viewer),
    )["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect();
    assert!(duisburg.is_superset(&set(&[&fx.verein, &fx.stadt, &fx.welfare])));
    assert_eq!(full, duisburg, "the city's organisations in full");
    for e in file.entities.values() {
        if ORG_SCHEMAS.contains(&e.schema.as_str()) && !e.is_reference() {
            assert_eq!(e.get("address"), ["Duisburg"], "{}", e.id);
        }
    }
    // The funder in Berlin and the Roma self-organisation in Bochum: by name only.
    for outside in [&fx.funder, &fx.roma] {
        let e = file.entity(outside);
        assert!(e.is_reference(), "{outside} is a reference: {e:?}");
    }
    let refs: Vec<&Entity> = file
        .entities
        .values()
        .filter(|e| e.is_reference())
        .collect();
    for r in &refs {
        assert!(
            !duisburg.contains(&record_id(&r.id)),
            "a reference lies outside"
        );
    }
    // The fixture's persons of Duisburg, not the public member's role in Bochum.
    let persons = file.ids(&["Person"]);
    assert!(persons.is_superset(&set(&[&fx.chair.id, &fx.board.id, &fx.public.id])));
    for e in file.entities.values() {
        let Some(pair) = ends(&e.schema) else {
            continue;
        };
        let touched: Vec<String> = pair.iter().map(|p| record_id(&e.one(p))).collect();
        assert!(
            touched.iter().any(|id| duisburg.contains(id)),
            "{} {} touches Duisburg",
            e.schema,
            e.id
        );
    }
    assert!(file.entities.contains_key(&format!("kp-{}", fx.funding)));
    assert!(file.entities.contains_key(&format!("kp-{}", fx.relation)));
    let bochum_role = file
        .entities
        .values()
        .filter(|e| e.get("organization") == [format!("kp-{}", fx.roma)])
        .count();
    assert_eq!(bochum_role, 0, "no role at the Bochum organisation");

    // Before the funding began: no payment, and the funder is not needed.
    let file = download(
        app,
        "/api/v1/export/ftm?city=Duisburg&as_of=2021-01",
        Some(&viewer),
    );
    assert!(file.of_schema("Payment").is_empty());
    assert!(!file.entities.contains_key(&format!("kp-{}", fx.funder)));
    assert!(!file.entities.contains_key(&format!("kp-{}", fx.chair.id)));
}

fn needles(fx: &Privacy) -> Vec<String> {
    let mut out = Vec::new();
    for p in fx.restricted() {
        out.push(p.name.to_string());
        out.push(p.id.clone());
        out.extend(p.titles.iter().map(|t| t.to_string()));
    }
    out
}

/// Anonymous files hold public persons only, through both doors.
fn anonymous_files_hold_no_restricted_person(app: &TestApp) {
    let fx = privacy::build(app);
    for path in [
        "/api/v1/export/ftm",
        "/api/v1/export/ftm?city=Duisburg",
        "/records.ftm.json",
        "/records.ftm.json?city=Duisburg&as_of=2023",
    ] {
        let file = download(app, path, None);
        for n in needles(&fx) {
            assert!(!file.text.contains(&n), "{path} shows {n}");
        }
        assert_eq!(
            file.ids(&["Person"]),
            BTreeSet::from([fx.public.id.clone()]),
            "{path}"
        );
        let person_links = file
            .entities
            .values()
            .filter(|e| {
                ["director", "employee", "member", "subject"]
                    .iter()
                    .any(|p| e.get(p) == [format!("kp-{}", fx.public.id)])
            })
            .count();
        assert!(person_links >= 1, "{path}: the public member's role");
    }
    let reads: i64 = {
        let mut c = app.db().conn().unwrap();
        person_reads::table.count().get_result(&mut *c).unwrap()
    };
    assert_eq!(reads, 0, "anonymous answers are not logged");
}

/// A signed-in file logs exactly the persons it holds, once each.
fn signed_in_files_log_the_persons_they_show(app: &TestApp) {
    let fx = privacy::build(app);
    let viewer = app.token(UserRole::Viewer);
    let path = "/api/v1/export/ftm?city=Duisburg&as_of=2021-01";
    let file = download(app, path, Some(&viewer));
    let shown = file.ids(&["Person"]);
    assert_eq!(
        shown,
        BTreeSet::from([fx.board.id.clone(), fx.public.id.clone()])
    );
    let mut c = app.db().conn().unwrap();
    let logged: Vec<String> = person_reads::table
        .filter(person_reads::via.eq(path))
        .select(person_reads::person_id)
        .load(&mut *c)
        .unwrap();
    assert_eq!(logged.len(), shown.len(), "once per person");
    assert_eq!(logged.into_iter().collect::<BTreeSet<_>>(), shown);
}

/// The organisation list and the network page link to the file with their filters; it
/// comes as a download.
fn the_pages_offer_the_file(app: &TestApp) {
    privacy::build(app);
    sign_in(app, UserRole::Viewer);
    app.settle();
    let (status, html) = page(
        &app.client,
        "/organisations?city=Duisburg&kind=municipality",
    );
    assert_eq!(status, Status::Ok);
    let link = "href=\"/records.ftm.json?kind=municipality&#38;city=Duisburg\"";
    assert!(html.contains(link), "{link} missing");
    assert!(html.contains("FollowTheMoney (Aleph)"));
    let (status, html) = page(&app.client, "/network?city=Duisburg");
    assert_eq!(status, Status::Ok);
    assert!(html.contains("href=\"/records.ftm.json?city=Duisburg\""));
    let res = app
        .client
        .get("/records.ftm.json?kind=municipality&city=Duisburg")
        .dispatch();
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(
        res.headers().get_one("Content-Disposition"),
        Some("attachment; filename=\"knotenpunkt.ftm.json\"")
    );
    let file = parse(res.into_string().unwrap());
    let full: Vec<&Entity> = file
        .entities
        .values()
        .filter(|e| !e.is_reference() && ORG_SCHEMAS.contains(&e.schema.as_str()))
        .collect();
    assert_eq!(full.len(), 1, "Stadt Duisburg");
    assert_eq!(full[0].schema, "PublicBody");
    let res = app.client.get("/records.ftm.json?as_of=2021-13").dispatch();
    assert_eq!(res.status(), Status::UnprocessableEntity);
}

on_both_backends!(
    the_registry_exports_as_entities,
    values_as_ftm_wants_them,
    a_city_holds_its_selection,
    anonymous_files_hold_no_restricted_person,
    signed_in_files_log_the_persons_they_show,
    the_pages_offer_the_file,
);
