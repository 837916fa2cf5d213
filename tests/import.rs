//! The bulk import (`POST /api/v1/import`, `knotenpunkt import`), on both backends: the
//! exports read back give the same files (CSV and XLSX), a dry run changes nothing, one
//! bad row stops the whole import and is named by line and column, duplicates are
//! matched and near matches listed for a decision, bad files are refused with a reason,
//! rows without citations cite the import's source, the import is one listed event.
mod common;

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use common::TestApp;
use knotenpunkt::domain::UserRole;
use rocket::http::{Header, Status};
use serde_json::{json, Value};

/// POSTs a file to the import; (status, report).
fn import(app: &TestApp, query: &str, token: Option<&str>, body: &[u8]) -> (Status, Value) {
    let mut req = app
        .client
        .post(format!("/api/v1/import?{query}"))
        .body(body);
    if let Some(t) = token {
        req.add_header(Header::new("Authorization", format!("Bearer {t}")));
    }
    let res = req.dispatch();
    let status = res.status();
    let text = res.into_string().unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// GET as bytes with a token.
fn download(app: &TestApp, path: &str, token: &str) -> Vec<u8> {
    app.settle();
    let mut req = app.client.get(path.to_string());
    req.add_header(Header::new("Authorization", format!("Bearer {token}")));
    let res = req.dispatch();
    assert_eq!(res.status(), Status::Ok, "{path}");
    res.into_bytes().unwrap()
}

fn fresh_like(app: &TestApp) -> TestApp {
    match app.backend {
        "sqlite" => TestApp::sqlite(),
        _ => TestApp::postgres().expect("postgres"),
    }
}

/// Every file of a ZIP, by name.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a ZIP");
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        out.insert(file.name().unwrap().to_string(), content);
    }
    out
}

fn rezip(files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in files {
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(content).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The CSV export's tables with the time stamps left out (an import makes new ones).
fn without_stamps(zip: &[u8]) -> BTreeMap<String, Vec<Vec<String>>> {
    unzip(zip)
        .into_iter()
        .map(|(name, bytes)| {
            let text = String::from_utf8(bytes).unwrap();
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(b';')
                .has_headers(false)
                .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
            let rows: Vec<Vec<String>> = reader
                .records()
                .map(|r| r.unwrap().iter().map(str::to_string).collect())
                .collect();
            let keep: Vec<usize> = (0..rows[0].len())
                .filter(|&i| rows[0][i] != "created_at" && rows[0][i] != "updated_at")
                .collect();
            let rows = rows
                .iter()
                .map(|r| keep.iter().map(|&i| r[i].clone()).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

fn counts(report: &Value) -> [u64; 5] {
    let c = &report["counts"];
    ["created", "updated", "unchanged", "near_matches", "invalid"].map(|k| {
        c[k].as_u64()
            .unwrap_or_else(|| panic!("counts.{k}: {report}"))
    })
}

fn organisation_names(app: &TestApp) -> Vec<String> {
    let list = app.ok("/api/v1/organisations?limit=500", None);
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap().to_string())
        .collect()
}

const ORGS: &str = "name;kind;city;founded;purposes\n\
    Verein Eins;migrant_organisation;Köln;2019;culture,youth\n\
    Verein Zwei;roma_self_organisation;Köln;2020-05;\n";

fn export_then_import_gives_the_same_files(app: &TestApp) {
    app.load_seed();
    let token = app.editor();
    let first = download(app, "/api/v1/export/csv", &token);
    let empty = fresh_like(app);
    let editor = empty.editor();
    let (status, report) = import(
        &empty,
        "format=csv&file_name=registry.zip",
        Some(&editor),
        &first,
    );
    assert_eq!(status, Status::Ok, "{report}");
    assert_eq!(report["written"], true);
    assert_eq!(counts(&report)[4], 0, "{report}");
    let second = download(&empty, "/api/v1/export/csv", &editor);
    let (first_tables, second_tables) = (without_stamps(&first), without_stamps(&second));
    for (name, table) in &first_tables {
        assert!(
            &second_tables[name] == table,
            "{name} differs after the round trip"
        );
    }
    assert_eq!(first_tables.len(), second_tables.len());

    // The XLSX export reads back to the same registry as well.
    let xlsx = download(app, "/api/v1/export/xlsx", &token);
    let other = fresh_like(app);
    let editor = other.editor();
    let (status, report) = import(&other, "file_name=registry.xlsx", Some(&editor), &xlsx);
    assert_eq!(status, Status::Ok, "{report}");
    let third = download(&other, "/api/v1/export/csv", &editor);
    assert!(
        without_stamps(&third) == first_tables,
        "the XLSX round trip differs"
    );

    // Importing the same file again finds every record unchanged and adds nothing.
    let before = app.snapshot();
    let (status, report) = import(app, "file_name=again.zip", Some(&token), &first);
    assert_eq!(status, Status::Ok, "{report}");
    let [created, updated, unchanged, _, _] = counts(&report);
    assert_eq!((created, updated), (0, 0), "{report}");
    assert_eq!(unchanged as usize, report["rows"].as_array().unwrap().len());
    let after = app.snapshot();
    assert_eq!(before[..8], after[..8], "no record added");
}

fn a_dry_run_changes_nothing(app: &TestApp) {
    let token = app.editor();
    let before = app.snapshot();
    let (status, report) = import(
        app,
        "file_name=orgs.csv&dry_run=true",
        Some(&token),
        ORGS.as_bytes(),
    );
    assert_eq!(status, Status::Ok, "{report}");
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["written"], false);
    assert_eq!(counts(&report), [2, 0, 0, 0, 0]);
    let lines: Vec<u64> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2, 3]);
    assert_eq!(app.snapshot(), before);
    assert!(organisation_names(app).is_empty());

    // The same file for real: written, cited, logged, listed.
    let (status, report) = import(app, "file_name=orgs.csv", Some(&token), ORGS.as_bytes());
    assert_eq!(status, Status::Ok, "{report}");
    assert_eq!(report["written"], true);
    let mut names = organisation_names(app);
    names.sort();
    assert_eq!(names, ["Verein Eins", "Verein Zwei"]);
    // The name search indexes what the real import wrote (a dry run suspends it only
    // for its own rolled-back transaction).
    let found = app.ok("/api/v1/organisations?q=rein%20Zw", None);
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["items"][0]["name"], "Verein Zwei");
    let id = report["rows"][0]["id"].as_str().unwrap();
    let org = app.ok(&format!("/api/v1/organisations/{id}"), None);
    assert_eq!(org["purposes"], json!(["culture", "youth"]));
    assert_eq!(org["founded"], "2019");
    let source = report["source_id"].as_str().expect("the import's source");
    assert_eq!(org["citations"][0]["source_id"], source);
    assert_eq!(org["citations"][0]["locator"], "orgs.csv, line 2");
    let title = app.ok(&format!("/api/v1/sources/{source}"), None)["title"].clone();
    assert!(
        title.as_str().unwrap().starts_with("Import orgs.csv"),
        "{title}"
    );
    assert_eq!(app.changes_of(id).len(), 1, "one change-log entry");
    let imports = app.ok("/api/v1/imports", Some(&token));
    assert_eq!(imports["total"], 1);
    let event = &imports["items"][0];
    assert_eq!(event["record_id"], report["import_id"]);
    let summary: Value = serde_json::from_str(event["after_json"].as_str().unwrap()).unwrap();
    assert_eq!(summary["file"], "orgs.csv");
    assert_eq!(summary["counts"]["created"], 2);
}

fn one_bad_row_writes_nothing_and_is_named(app: &TestApp) {
    let token = app.editor();
    let file = format!("{ORGS}Verein Drei;verein;Köln;2019-13;\n");
    let before = app.snapshot();
    let (status, report) = import(app, "file_name=orgs.csv", Some(&token), file.as_bytes());
    assert_eq!(status, Status::UnprocessableEntity, "{report}");
    assert_eq!(report["written"], false);
    let problems = report["problems"].as_array().unwrap();
    let mut columns: Vec<&str> = problems
        .iter()
        .map(|p| p["column"].as_str().unwrap())
        .collect();
    columns.sort();
    assert_eq!(
        columns,
        ["founded", "kind"],
        "both bad cells of the row: {report}"
    );
    assert!(problems
        .iter()
        .all(|p| p["line"] == 4 && p["table"] == "organisations"));
    assert_eq!(app.snapshot(), before, "nothing written");

    // Every bad row at once, each with its line.
    let file = format!(
        "{ORGS};migrant_organisation;Köln;;\nVerein Vier;migrant_organisation;Köln;soon;\n"
    );
    let (_, report) = import(app, "file_name=orgs.csv", Some(&token), file.as_bytes());
    let named: Vec<(u64, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(named, [(4, "name".to_string()), (5, "founded".to_string())]);

    // Asked to, the valid rows go in and the bad one is still reported.
    let (status, report) = import(
        app,
        "file_name=orgs.csv&only_valid=true",
        Some(&token),
        file.as_bytes(),
    );
    assert_eq!(status, Status::Ok, "{report}");
    assert_eq!(counts(&report), [2, 0, 0, 0, 2]);
    assert_eq!(organisation_names(app).len(), 2);
}

fn duplicates_match_and_near_matches_wait(app: &TestApp) {
    let token = app.editor();
    let existing = app.create(
        "organisations",
        &token,
        json!({"name": "Romano Drom e.V.", "kind": "roma_self_organisation", "city": "Duisburg"}),
    );
    // Same identity in other letter case: the existing record, given the file's values.
    let file = "name;kind;city;website\nROMANO DROM E.V.;roma_self_organisation;Duisburg;https://romano-drom.de\n";
    let (status, report) = import(app, "file_name=a.csv", Some(&token), file.as_bytes());
    assert_eq!(status, Status::Ok, "{report}");
    assert_eq!(counts(&report), [0, 1, 0, 0, 0]);
    assert_eq!(report["rows"][0]["id"], existing.as_str());
    let org = app.ok(&format!("/api/v1/organisations/{existing}"), None);
    assert_eq!(org["website"], "https://romano-drom.de");
    assert_eq!(org["name"], "Romano Drom e.V.", "the name stays as stored");

    // A near match is listed and stops the import until the user decides.
    let file = "name;kind;city\nRomano Drom e. V.;roma_self_organisation;Duisburg\nNeu e.V.;migrant_organisation;Duisburg\n";
    let before = app.snapshot();
    let (status, report) = import(app, "file_name=b.csv", Some(&token), file.as_bytes());
    assert_eq!(status, Status::UnprocessableEntity, "{report}");
    assert_eq!(counts(&report), [1, 0, 0, 1, 0]);
    let near = &report["near_matches"][0];
    assert_eq!(near["line"], 2);
    assert_eq!(near["existing_id"], existing.as_str());
    assert_eq!(near["existing_label"], "Romano Drom e.V.");
    assert_eq!(app.snapshot(), before);

    let (status, report) = import(
        app,
        "file_name=b.csv&near_matches=match",
        Some(&token),
        file.as_bytes(),
    );
    assert_eq!(status, Status::Ok, "{report}");
    assert_eq!(counts(&report), [1, 0, 1, 0, 0]);
    assert_eq!(report["rows"][0]["id"], existing.as_str());

    let file = "name;kind;city\nRomano Drom e. V.;roma_self_organisation;Duisburg\n";
    let (status, report) = import(
        app,
        "file_name=c.csv&near_matches=create",
        Some(&token),
        file.as_bytes(),
    );
    assert_eq!(status, Status::Ok, "{report}");
    assert_eq!(counts(&report), [1, 0, 0, 0, 0]);
    assert_ne!(report["rows"][0]["id"], existing.as_str());
}

fn links_between_rows_follow_matched_records(app: &TestApp) {
    let token = app.editor();
    let existing = app.create(
        "organisations",
        &token,
        json!({"name": "Stadt Köln", "kind": "municipality", "city": "Köln"}),
    );
    // The file's own id for the city differs from the registry's: the role follows the
    // matched record; the new person is restricted by default.
    let file_org = "0190c0de-0000-7000-8000-000000000001";
    let file_person = "0190c0de-0000-7000-8000-000000000002";
    let mut files = BTreeMap::new();
    files.insert(
        "organisations.csv".to_string(),
        format!("id;name;kind;city\n{file_org};Stadt Köln;municipality;Köln\n").into_bytes(),
    );
    files.insert(
        "persons.csv".to_string(),
        format!("id;display_name\n{file_person};Erika Beispiel\n").into_bytes(),
    );
    files.insert(
        "affiliations.csv".to_string(),
        format!("person_id;organisation_id;role;start\n{file_person};{file_org};employee;2021\n")
            .into_bytes(),
    );
    let (status, report) = import(app, "file_name=tandem.zip", Some(&token), &rezip(&files));
    assert_eq!(status, Status::Ok, "{report}");
    // The city, matched by its identity, gains the import's citation: an update.
    assert_eq!(counts(&report), [2, 1, 0, 0, 0], "{report}");
    let person = app.ok(&format!("/api/v1/persons/{file_person}"), Some(&token));
    assert_eq!(person["visibility"], "restricted");
    let (status, _) = app.get(&format!("/api/v1/persons/{file_person}"), None);
    assert_eq!(status, Status::NotFound, "hidden from anonymous callers");
    let roles = app.ok(
        &format!("/api/v1/affiliations?person={file_person}"),
        Some(&token),
    );
    assert_eq!(roles["items"][0]["organisation_id"], existing.as_str());

    // A role whose person is in neither the file nor the registry is named.
    let missing = "0190c0de-0000-7000-8000-000000000009";
    let file = format!("person_id;organisation_id;role\n{missing};{existing};member\n");
    let (status, report) = import(
        app,
        "file_name=affiliations.csv",
        Some(&token),
        file.as_bytes(),
    );
    assert_eq!(status, Status::UnprocessableEntity, "{report}");
    assert_eq!(report["problems"][0]["column"], "person_id", "{report}");

    // A file's id that another record (of another kind) has is refused, not shared.
    let file = format!("id;display_name\n{existing};Max Muster\n");
    let (status, report) = import(app, "file_name=persons.csv", Some(&token), file.as_bytes());
    assert_eq!(status, Status::UnprocessableEntity, "{report}");
    assert_eq!(report["problems"][0]["column"], "id", "{report}");
    assert!(report["problems"][0]["message"]
        .as_str()
        .unwrap()
        .contains("organisation"));
}

fn bad_files_are_refused_with_a_reason(app: &TestApp) {
    let token = app.editor();
    let before = app.snapshot();
    let refused = |query: &str, body: &[u8]| {
        let (status, report) = import(app, query, Some(&token), body);
        assert_eq!(status, Status::UnprocessableEntity, "{query}: {report}");
        report["problems"].as_array().unwrap().clone()
    };
    // Latin-1 from an old Excel.
    let p = refused(
        "file_name=alt.csv",
        b"name;kind\nK\xf6ln-Verein;migrant_organisation\n",
    );
    assert_eq!(p[0]["line"], 2);
    assert!(p[0]["message"].as_str().unwrap().contains("UTF-8"), "{p:?}");
    // Unknown and missing columns; a column of personal data the registry never keeps.
    let p = refused(
        "file_name=organisations.csv",
        "name;ethnicity\nA;x\n".as_bytes(),
    );
    let columns: Vec<&str> = p.iter().map(|p| p["column"].as_str().unwrap()).collect();
    assert_eq!(columns, ["ethnicity", "kind"]);
    // Not a spreadsheet at all, in either format.
    let p = refused("file_name=x.xlsx", b"PK\x03\x04 but not a workbook");
    assert!(p[0]["message"].as_str().unwrap().contains("XLSX"), "{p:?}");
    let p = refused("format=csv", b"\x00\x01\x02");
    assert!(!p.is_empty());
    // A workbook with a formula and merged cells.
    let workbook = download(app, "/api/v1/export/xlsx", &token);
    let mut parts = unzip(&workbook);
    let sheet = parts.get_mut("xl/worksheets/sheet1.xml").unwrap();
    let xml = String::from_utf8(sheet.clone()).unwrap();
    let xml = xml.replace(
        "</sheetData>",
        "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>X e.V.</t></is></c>\
         <c r=\"B2\" t=\"inlineStr\"><is><t>X</t></is></c><c r=\"D2\" t=\"str\"><f>UPPER(B2)</f><v>X</v></c></row>\
         </sheetData><mergeCells count=\"1\"><mergeCell ref=\"A2:B2\"/></mergeCells>",
    );
    *sheet = xml.into_bytes();
    let p = refused("file_name=book.xlsx", &rezip(&parts));
    let messages: Vec<String> = p
        .iter()
        .map(|p| format!("{} {} {}", p["line"], p["column"], p["message"]))
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("2 \"kind\"") && m.contains("formula")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("2 \"id\"") && m.contains("merged")),
        "{messages:?}"
    );
    // Bad parameters are named.
    let (status, body) = import(app, "format=pdf&dry_run=vielleicht", Some(&token), b"x");
    assert_eq!(status, Status::UnprocessableEntity);
    let mut fields = TestApp::error_fields(&body);
    fields.sort();
    assert_eq!(fields, ["dry_run", "format"]);
    assert_eq!(app.snapshot(), before, "nothing written by any of them");
}

fn only_editors_import(app: &TestApp) {
    let (status, _) = import(app, "file_name=orgs.csv", None, ORGS.as_bytes());
    assert_eq!(status, Status::Unauthorized);
    let viewer = app.token(UserRole::Viewer);
    let (status, _) = import(app, "file_name=orgs.csv", Some(&viewer), ORGS.as_bytes());
    assert_eq!(status, Status::Forbidden);
    let (status, _) = app.get("/api/v1/imports", Some(&viewer));
    assert_eq!(status, Status::Forbidden);
    assert!(organisation_names(app).is_empty());
}

on_both_backends!(
    export_then_import_gives_the_same_files,
    a_dry_run_changes_nothing,
    one_bad_row_writes_nothing_and_is_named,
    duplicates_match_and_near_matches_wait,
    links_between_rows_follow_matched_records,
    bad_files_are_refused_with_a_reason,
    only_editors_import,
);

/// A file over the limit is refused before it is read (once: no database is involved).
#[test]
fn a_file_over_100_mb_is_refused() {
    let app = TestApp::sqlite();
    let token = app.editor();
    let body = vec![b'a'; knotenpunkt::import::MAX_BYTES + 1];
    let (status, answer) = import(&app, "file_name=big.csv", Some(&token), &body);
    assert_eq!(status, Status::PayloadTooLarge, "{answer}");
    assert!(answer.to_string().contains("100 MB"), "{answer}");
}
