//! The import of FollowTheMoney JSON lines (`POST /api/v1/import?format=ftm`), on both
//! backends: the `ftm` export read into an empty registry exports again to the same
//! entities; read back into the registry it came from it changes nothing, and the
//! reference entities of a filtered export (organisations by name only) never change the
//! records they name; a foreign file (ids that are not `kp-…`) keeps its links; bad lines
//! are named by line and nothing is written; a dry run writes nothing; the upload page
//! takes the file.
mod common;

use std::collections::BTreeMap;

use common::web::{csrf_of, page, post_form, sign_in};
use common::TestApp;
use knotenpunkt::domain::UserRole;
use rocket::http::{ContentType, Header, Status};
use serde_json::{json, Value};

/// POSTs a file to the import; (status, report).
fn import(app: &TestApp, query: &str, token: &str, body: &[u8]) -> (Status, Value) {
    let mut req = app
        .client
        .post(format!("/api/v1/import?{query}"))
        .body(body);
    req.add_header(Header::new("Authorization", format!("Bearer {token}")));
    let res = req.dispatch();
    let status = res.status();
    let text = res.into_string().unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn download(app: &TestApp, path: &str, token: &str) -> String {
    app.settle();
    let mut req = app.client.get(path.to_string());
    req.add_header(Header::new("Authorization", format!("Bearer {token}")));
    let res = req.dispatch();
    assert_eq!(res.status(), Status::Ok, "{path}");
    res.into_string().unwrap()
}

fn fresh_like(app: &TestApp) -> TestApp {
    match app.backend {
        "sqlite" => TestApp::sqlite(),
        _ => TestApp::postgres().expect("postgres"),
    }
}

fn counts(report: &Value) -> [u64; 5] {
    let c = &report["counts"];
    ["created", "updated", "unchanged", "near_matches", "invalid"].map(|k| {
        c[k].as_u64()
            .unwrap_or_else(|| panic!("counts.{k}: {report}"))
    })
}

/// The file's entities by id (the lines sorted by id).
fn entities(file: &str) -> BTreeMap<String, Value> {
    file.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            (v["id"].as_str().unwrap().to_string(), v)
        })
        .collect()
}

/// The record id the report gives for a line of the file.
fn id_of_line(report: &Value, line: u64) -> String {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["line"] == line)
        .and_then(|r| r["id"].as_str())
        .unwrap_or_else(|| panic!("no row for line {line}: {report}"))
        .to_string()
}

fn export_then_import_gives_the_same_entities(app: &TestApp) {
    app.load_seed();
    let token = app.editor();
    let first = download(app, "/api/v1/export/ftm", &token);
    let empty = fresh_like(app);
    let editor = empty.editor();
    let (status, report) = import(
        &empty,
        "format=ftm&file_name=registry.ftm.json",
        &editor,
        first.as_bytes(),
    );
    assert_eq!(status, Status::Ok, "{report}");
    assert_eq!(report["written"], true);
    let [created, updated, unchanged, near, invalid] = counts(&report);
    assert_eq!(
        (created as usize, updated, unchanged, near, invalid),
        (first.lines().count(), 0, 0, 0, 0),
        "every entity a new record: {report}"
    );
    let second = download(&empty, "/api/v1/export/ftm", &editor);
    let (before, after) = (entities(&first), entities(&second));
    for (id, entity) in &before {
        assert_eq!(
            after.get(id),
            Some(entity),
            "entity {id} after the round trip"
        );
    }
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    // Byte for byte, once the lines are sorted.
    let sorted = |f: &str| {
        let mut lines: Vec<&str> = f.lines().collect();
        lines.sort();
        lines.join("\n")
    };
    assert_eq!(sorted(&first), sorted(&second));

    // Every record cites the import's source, the file and line as its locator.
    let source_id = report["source_id"].as_str().expect("an import source");
    let org_id = before
        .values()
        .find(|e| e["schema"] == "Organization")
        .and_then(|e| e["id"].as_str()?.strip_prefix("kp-"))
        .unwrap()
        .to_string();
    let org = empty.ok(&format!("/api/v1/organisations/{org_id}"), Some(&editor));
    assert_eq!(org["citations"][0]["source_id"], source_id, "{org}");
    assert!(
        org["citations"][0]["locator"]
            .as_str()
            .unwrap()
            .starts_with("registry.ftm.json, line "),
        "{org}"
    );

    // The file read back into the registry it came from changes no record.
    let snapshot = app.snapshot();
    let (status, report) = import(
        app,
        "format=ftm&file_name=again.ftm.json",
        &token,
        first.as_bytes(),
    );
    assert_eq!(status, Status::Ok, "{report}");
    let [created, updated, unchanged, _, _] = counts(&report);
    assert_eq!((created, updated), (0, 0), "{report}");
    assert_eq!(unchanged as usize, first.lines().count());
    let now = app.snapshot();
    assert_eq!(snapshot[..8], now[..8], "no record added");
    assert_eq!(
        download(app, "/api/v1/export/ftm", &token),
        first,
        "the same file"
    );
}

/// A city's export brings the organisations its links reach as references (name
/// only): read back into the registry they name the records and change none; read into
/// an empty registry they become organisations of a default kind.
fn references_never_change_records(app: &TestApp) {
    app.load_seed();
    let token = app.editor();
    // The first city whose file has references.
    let list = app.ok("/api/v1/organisations?limit=500", Some(&token));
    let mut cities: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["city"].as_str())
        .collect();
    cities.sort();
    cities.dedup();
    let is_reference = |e: &Value| {
        e["properties"]
            .as_object()
            .unwrap()
            .keys()
            .all(|k| k == "name")
    };
    let (file, references) = cities
        .iter()
        .find_map(|city| {
            let path = format!("/api/v1/export/ftm?city={}", city.replace(' ', "%20"));
            let file = download(app, &path, &token);
            let references: Vec<Value> =
                entities(&file).into_values().filter(is_reference).collect();
            (!references.is_empty()).then_some((file, references))
        })
        .expect("a city's file with references");
    let whole = download(app, "/api/v1/export/ftm", &token);
    let snapshot = app.snapshot();
    let (status, report) = import(
        app,
        "format=ftm&file_name=city.ftm.json",
        &token,
        file.as_bytes(),
    );
    assert_eq!(status, Status::Ok, "{report}");
    let [created, updated, unchanged, _, _] = counts(&report);
    assert_eq!((created, updated), (0, 0), "{report}");
    assert_eq!(unchanged as usize, file.lines().count());
    assert_eq!(snapshot[..8], app.snapshot()[..8]);
    assert_eq!(download(app, "/api/v1/export/ftm", &token), whole);

    // A reference whose name, kind and city differ from the record under its id (an
    // older file) still changes nothing.
    let reference = &references[0];
    let id = reference["id"].as_str().unwrap();
    let renamed = json!({"id": id, "schema": "Organization",
                         "properties": {"name": ["Ganz anderer Name"]}});
    let (status, report) = import(
        app,
        "format=ftm&file_name=old.ftm.json",
        &token,
        format!("{renamed}\n").as_bytes(),
    );
    assert_eq!(status, Status::Ok, "{report}");
    assert_eq!(counts(&report)[..2], [0, 0], "{report}");
    assert_eq!(download(app, "/api/v1/export/ftm", &token), whole);

    // Into an empty registry: the references are new organisations, named, of a
    // default kind (state_body for a PublicBody, else other), without a city.
    let empty = fresh_like(app);
    let editor = empty.editor();
    let (status, report) = import(
        &empty,
        "format=ftm&file_name=city.ftm.json",
        &editor,
        file.as_bytes(),
    );
    assert_eq!(status, Status::Ok, "{report}");
    assert_eq!(counts(&report)[4], 0, "{report}");
    for r in &references {
        let id = r["id"].as_str().unwrap().strip_prefix("kp-").unwrap();
        let org = empty.ok(&format!("/api/v1/organisations/{id}"), Some(&editor));
        assert_eq!(org["name"], r["properties"]["name"][0]);
        let kind = if r["schema"] == "PublicBody" {
            "state_body"
        } else {
            "other"
        };
        assert_eq!(org["kind"], kind, "{org}");
        assert_eq!(org["city"], Value::Null, "{org}");
    }
}

/// Entities of another tool: ids that are not the registry's.
fn foreign(existing_name: &str) -> String {
    [
        json!({"id": "acme", "schema": "Organization", "properties": {
            "name": ["Kulturverein Acme"], "address": ["Hauptstr. 5, 47051 Duisburg"],
            "country": ["de"], "legalForm": ["e.V."], "classification": ["NGO"],
            "incorporationDate": ["2015-03-01T00:00:00"], "sector": ["culture", "Jugend"],
            "email": ["info@acme.example"]}}),
        json!({"id": "stadt", "schema": "PublicBody", "properties": {"name": ["Stadt Acme"]}}),
        json!({"id": "old", "schema": "Company", "properties": {"name": [existing_name]}}),
        json!({"id": "jane", "schema": "Person", "properties": {
            "firstName": ["Jane"], "lastName": ["Doe"]}}),
        json!({"id": "jane-chair", "schema": "Directorship", "properties": {
            "director": ["jane"], "organization": ["acme"], "role": ["Vorsitzende"],
            "startDate": ["2020"]}}),
        json!({"id": "grant-1", "schema": "Payment", "properties": {
            "payer": ["stadt"], "beneficiary": ["acme"], "amount": ["1500.5"],
            "currency": ["eur"], "programme": ["Kultur vor Ort"], "startDate": ["2021-01"]}}),
        json!({"id": "grant-2", "schema": "Payment", "properties": {
            "payer": ["old"], "beneficiary": ["acme"], "amountEur": ["200"]}}),
        json!({"id": "umbrella", "schema": "Membership", "properties": {
            "member": ["acme"], "organization": ["old"]}}),
    ]
    .iter()
    .map(|e| format!("{e}\n"))
    .collect()
}

fn a_foreign_file_keeps_its_links(app: &TestApp) {
    app.load_seed();
    let token = app.editor();
    let list = app.ok("/api/v1/organisations?limit=500", Some(&token));
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    let existing = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| names.iter().filter(|n| **n == o["name"]).count() == 1)
        .expect("an organisation with a name of its own");
    let existing_id = existing["id"].as_str().unwrap();
    let file = foreign(existing["name"].as_str().unwrap());
    let (status, report) = import(app, "file_name=acme.jsonl", &token, file.as_bytes());
    assert_eq!(status, Status::Ok, "{report}");
    assert_eq!(report["written"], true, "{report}");
    // acme, stadt, jane, the role, two fundings and the relation are new; `old` is the
    // existing organisation of that name, unchanged.
    assert_eq!(counts(&report), [7, 0, 1, 0, 0], "{report}");
    let [acme, stadt, old, jane, chair, grant, grant2, umbrella] =
        [1, 2, 3, 4, 5, 6, 7, 8].map(|l| id_of_line(&report, l));
    assert_eq!(old, existing_id, "the reference names the existing record");

    let org = app.ok(&format!("/api/v1/organisations/{acme}"), Some(&token));
    assert_eq!(org["name"], "Kulturverein Acme");
    assert_eq!(org["kind"], "other", "NGO is no kind of the registry's");
    assert_eq!(org["city"], "Duisburg");
    assert_eq!(org["country"], "DE");
    assert_eq!(org["legal_form"], "registered_association");
    assert_eq!(org["founded"], "2015-03-01");
    assert_eq!(org["purposes"], json!(["culture", "youth"]));
    let body = app.ok(&format!("/api/v1/organisations/{stadt}"), Some(&token));
    assert_eq!(body["kind"], "state_body");
    let person = app.ok(&format!("/api/v1/persons/{jane}"), Some(&token));
    assert_eq!(person["display_name"], "Jane Doe");
    assert_eq!(person["visibility"], "restricted", "privacy by default");
    let role = app.ok(&format!("/api/v1/affiliations/{chair}"), Some(&token));
    assert_eq!(role["person_id"], jane.as_str());
    assert_eq!(role["organisation_id"], acme.as_str());
    assert_eq!(role["role"], "board_member");
    assert_eq!(role["title"], "Vorsitzende");
    assert_eq!(role["start"], "2020");
    let funding = app.ok(&format!("/api/v1/fundings/{grant}"), Some(&token));
    assert_eq!(funding["funder_id"], stadt.as_str());
    assert_eq!(funding["recipient_id"], acme.as_str());
    assert_eq!(funding["amount_min"], 150_050);
    assert_eq!(funding["amount_max"], 150_050);
    assert_eq!(funding["currency"], "EUR");
    assert_eq!(funding["status"], "granted");
    assert_eq!(funding["programme"], "Kultur vor Ort");
    let funding = app.ok(&format!("/api/v1/fundings/{grant2}"), Some(&token));
    assert_eq!(funding["funder_id"], existing_id);
    assert_eq!(funding["amount_min"], 20_000);
    let relation = app.ok(&format!("/api/v1/relations/{umbrella}"), Some(&token));
    assert_eq!(relation["source_id"], acme.as_str());
    assert_eq!(relation["target_id"], existing_id);
    assert_eq!(relation["kind"], "member_of");
    assert!(names.contains(&existing["name"].as_str().unwrap()));

    // The same file again: the same ids, every record unchanged.
    let (status, report) = import(app, "file_name=acme.jsonl", &token, file.as_bytes());
    assert_eq!(status, Status::Ok, "{report}");
    assert_eq!(counts(&report), [0, 0, 8, 0, 0], "{report}");
}

fn bad_lines_are_named_and_nothing_is_written(app: &TestApp) {
    let token = app.editor();
    let before = app.snapshot();
    let file = format!(
        "{}\nnot json at all\n{}\n\n{}\n",
        json!({"id": "a", "schema": "Organization", "properties": {"name": ["A e.V."]}}),
        json!({"id": "v", "schema": "Vessel", "properties": {"name": ["Seeadler"]}}),
        json!({"schema": "Person", "properties": {"name": ["Ohne Id"]}}),
    );
    let (status, report) = import(
        app,
        "format=ftm&file_name=bad.jsonl",
        &token,
        file.as_bytes(),
    );
    assert_eq!(status, Status::UnprocessableEntity, "{report}");
    assert_eq!(report["written"], false);
    let problems = report["problems"].as_array().unwrap();
    let lines: Vec<u64> = problems
        .iter()
        .map(|p| p["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2, 3, 5], "{report}");
    assert!(problems.iter().all(|p| p["file"] == "bad.jsonl"));
    assert!(problems[0]["message"].as_str().unwrap().contains("JSON"));
    assert!(problems[1]["message"].as_str().unwrap().contains("Vessel"));
    assert!(problems[2]["message"].as_str().unwrap().contains("no id"));
    assert_eq!(app.snapshot(), before, "nothing written");

    // A row the registry's rules refuse is named by its line and field, and stops the
    // whole file too.
    let file = format!(
        "{}\n{}\n",
        json!({"id": "a", "schema": "Organization", "properties": {"name": ["A e.V."]}}),
        json!({"id": "b", "schema": "Organization", "properties": {
            "name": ["B e.V."], "website": ["kein link"]}}),
    );
    let (status, report) = import(
        app,
        "format=ftm&file_name=bad.jsonl",
        &token,
        file.as_bytes(),
    );
    assert_eq!(status, Status::UnprocessableEntity, "{report}");
    assert_eq!(report["problems"][0]["line"], 2, "{report}");
    assert_eq!(report["problems"][0]["column"], "website", "{report}");
    assert_eq!(app.snapshot(), before, "nothing written");
}

fn a_dry_run_writes_nothing(app: &TestApp) {
    app.load_seed();
    let token = app.editor();
    let before = app.snapshot();
    let file = foreign("Nicht da");
    let (status, report) = import(
        app,
        "format=ftm&file_name=acme.ftm.json&dry_run=true",
        &token,
        file.as_bytes(),
    );
    assert_eq!(status, Status::Ok, "{report}");
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["written"], false);
    assert_eq!(counts(&report), [8, 0, 0, 0, 0], "{report}");
    assert_eq!(app.snapshot(), before, "nothing written");
}

/// The upload page offers and previews an FtM file, and writes it once confirmed.
fn the_upload_page_takes_ftm_files(app: &TestApp) {
    sign_in(app, UserRole::Editor);
    let (status, html) = page(&app.client, "/import");
    assert_eq!(status, Status::Ok);
    assert!(
        html.contains(".jsonl") && html.contains(".json,"),
        "accept: {html}"
    );
    let csrf = csrf_of(&html);
    let boundary = "kp-ftm-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
         filename=\"acme.ftm.json\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(foreign("Nicht da").as_bytes());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let res = app
        .client
        .post("/import")
        .header(ContentType::new("multipart", "form-data").with_params(("boundary", boundary)))
        .body(body)
        .dispatch();
    assert_eq!(res.status(), Status::Ok);
    let html = res.into_string().unwrap();
    assert!(html.contains("id=\"count-created\">8<"), "{html}");
    let marker = "action=\"/import/";
    let start = html.find(marker).expect("a confirmation form") + "action=\"".len();
    let path = html[start..].split('"').next().unwrap().to_string();
    let (_, page_html) = page(&app.client, "/import");
    let csrf = csrf_of(&page_html);
    let (status, html, _) = post_form(&app.client, &path, &[("csrf", csrf.as_str())]);
    assert!(
        status == Status::Ok || status == Status::SeeOther,
        "{status}: {html}"
    );
    let list = app.ok("/api/v1/organisations?limit=500", Some(&app.editor()));
    assert!(list.to_string().contains("Kulturverein Acme"), "{list}");
}

on_both_backends!(
    export_then_import_gives_the_same_entities,
    references_never_change_records,
    a_foreign_file_keeps_its_links,
    bad_lines_are_named_and_nothing_is_written,
    a_dry_run_writes_nothing,
    the_upload_page_takes_ftm_files,
);
