//! The record exports for spreadsheets (`csv`: a ZIP of CSV files, `xlsx`), on both
//! backends: one file or sheet per record type with the documented columns, the same rows
//! as the API lists, narrowed by the view's filters, no restricted person for anonymous
//! callers, reads logged for signed-in ones, the XLSX equal to the CSV, cells guarded
//! against formulas, bad parameters named.
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};

use calamine::{Data, Reader};
use common::privacy::{self, Privacy};
use common::web::*;
use common::TestApp;
use diesel::prelude::*;
use knotenpunkt::domain::UserRole;
use knotenpunkt::export::records::TABLES;
use knotenpunkt::schema::person_reads;
use rocket::http::{Header, Status};
use serde_json::json;

/// One table: the header and the rows, as text.
#[derive(Debug, Clone, PartialEq)]
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn column(&self, name: &str) -> Vec<String> {
        let at = self
            .header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"));
        self.rows.iter().map(|r| r[at].clone()).collect()
    }

    fn ids(&self) -> BTreeSet<String> {
        self.column("id").into_iter().collect()
    }
}

/// GET as bytes, with a bearer token; the answer must be 200.
fn download(app: &TestApp, path: &str, token: Option<&str>) -> (String, Vec<u8>) {
    app.settle();
    let mut req = app.client.get(path.to_string());
    if let Some(t) = token {
        req.add_header(Header::new("Authorization", format!("Bearer {t}")));
    }
    let res = req.dispatch();
    assert_eq!(res.status(), Status::Ok, "{path}");
    let kind = res
        .content_type()
        .map(|c| c.to_string())
        .unwrap_or_default();
    (kind, res.into_bytes().unwrap())
}

/// The tables of a CSV export (ZIP), by file name.
fn csv_tables(bytes: &[u8]) -> BTreeMap<String, Table> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a ZIP");
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        let mut lines = split_rows(&text);
        let header = lines.remove(0);
        out.insert(
            file.name().expect("a name").to_string(),
            Table {
                header,
                rows: lines,
            },
        );
    }
    out
}

/// Rows of a CSV file as the export writes it (BOM, `;`, every cell quoted, CRLF),
/// each cell unquoted.
fn split_rows(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').expect("a byte order mark");
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let mut cell = String::new();
                loop {
                    match chars.next().expect("a closed quote") {
                        '"' if chars.peek() == Some(&'"') => {
                            chars.next();
                            cell.push('"');
                        }
                        '"' => break,
                        c => cell.push(c),
                    }
                }
                row.push(cell);
                match chars.next() {
                    Some(';') => {}
                    Some('\r') => {
                        assert_eq!(chars.next(), Some('\n'), "CRLF");
                        rows.push(std::mem::take(&mut row));
                    }
                    other => panic!("after a cell: {other:?}"),
                }
            }
            other => panic!("unquoted character {other:?}"),
        }
    }
    assert!(row.is_empty(), "the last row ends with CRLF");
    rows
}

/// The sheets of an XLSX export as text, by sheet name: numbers as the CSV writes them
/// (decimal comma), days as ISO dates.
fn xlsx_tables(bytes: &[u8]) -> BTreeMap<String, Table> {
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an XLSX");
    let mut out = BTreeMap::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("a sheet");
        let width = range.width();
        let mut rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| (0..width).map(|i| text_of(r.get(i))).collect())
            .collect();
        let header = rows.remove(0);
        out.insert(name, Table { header, rows });
    }
    out
}

fn text_of(cell: Option<&Data>) -> String {
    match cell {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => number(*f),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::DateTime(d)) => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
            (epoch + chrono::Duration::days(d.as_f64() as i64)).to_string()
        }
        Some(other) => panic!("unexpected cell {other:?}"),
    }
}

fn number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        x.to_string().replace('.', ",")
    }
}

/// A CSV cell without the formula guard's `'`.
fn unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest)
            if rest
                .trim_start()
                .starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']) =>
        {
            rest
        }
        _ => cell,
    }
}

fn file(table: &str) -> String {
    format!("{table}.csv")
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

/// One CSV file per record type, with the documented header, and without filters the
/// same records as the API lists (signed in: all persons; anonymous: the public ones).
fn the_zip_holds_every_table_with_the_apis_rows(app: &TestApp) {
    privacy::build(app);
    app.load_seed();
    let viewer = app.token(UserRole::Viewer);
    for token in [Some(viewer.as_str()), None] {
        let (kind, bytes) = download(app, "/api/v1/export/csv", token);
        assert_eq!(kind, "application/zip");
        let tables = csv_tables(&bytes);
        let names: Vec<String> = TABLES.iter().map(|(n, _)| file(n)).collect();
        assert_eq!(
            tables.keys().cloned().collect::<BTreeSet<_>>(),
            names.iter().cloned().collect()
        );
        for (name, columns) in TABLES {
            let t = &tables[&file(name)];
            assert_eq!(t.header, *columns, "{name}: the documented header");
            assert!(t.rows.iter().all(|r| r.len() == columns.len()), "{name}");
            assert_eq!(t.ids(), listed(app, name, token), "{name}: the API's rows");
        }
    }
}

/// The README documents every column of every file.
#[test]
fn the_readme_documents_the_columns() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    for (name, columns) in TABLES {
        let line = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}.csv`")))
            .unwrap_or_else(|| panic!("README: no row for {name}.csv"));
        for c in columns {
            assert!(
                line.contains(&format!("`{c}`")),
                "README: {name}.csv lacks {c}"
            );
        }
    }
}

/// A city narrows the export to its organisations, the roles at them, the links that
/// touch them, the persons of those roles and the sources they cite; a date narrows the
/// links to those running then.
fn filters_narrow_the_export(app: &TestApp) {
    let fx = privacy::build(app);
    let viewer = app.token(UserRole::Viewer);
    let (_, bytes) = download(app, "/api/v1/export/csv?city=Duisburg", Some(&viewer));
    let t = csv_tables(&bytes);
    let set = |v: &[&String]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(
        t["organisations.csv"].ids(),
        set(&[&fx.verein, &fx.stadt, &fx.welfare])
    );
    assert!(t["organisations.csv"]
        .column("city")
        .iter()
        .all(|c| c == "Duisburg"));
    assert_eq!(
        t["persons.csv"].ids(),
        set(&[&fx.chair.id, &fx.board.id, &fx.public.id])
    );
    // Roles at Duisburg's organisations only: not the board member's at the funder in
    // Berlin, nor the public member's in Bochum.
    let orgs: BTreeSet<String> = t["affiliations.csv"]
        .column("organisation_id")
        .into_iter()
        .collect();
    assert_eq!(orgs, set(&[&fx.verein, &fx.stadt, &fx.welfare]));
    assert_eq!(t["affiliations.csv"].rows.len(), 5);
    // The funding from Berlin and the relation to Bochum touch the Verein.
    assert_eq!(t["fundings.csv"].ids(), set(&[&fx.funding]));
    assert_eq!(t["fundings.csv"].column("amount_min_eur"), ["30000"]);
    assert_eq!(t["fundings.csv"].column("end_last_day"), ["2027-01-31"]);
    assert_eq!(t["relations.csv"].ids(), set(&[&fx.relation]));
    assert_eq!(t["sources.csv"].ids(), set(&[&fx.source]));

    // In January 2021 the chair held no role there yet, and the funding had not begun.
    let (_, bytes) = download(
        app,
        "/api/v1/export/csv?city=Duisburg&as_of=2021-01",
        Some(&viewer),
    );
    let t = csv_tables(&bytes);
    assert_eq!(t["persons.csv"].ids(), set(&[&fx.board.id, &fx.public.id]));
    assert!(t["fundings.csv"].rows.is_empty());
    // Without the funding only the relation cites the source.
    assert_eq!(t["sources.csv"].ids(), set(&[&fx.source]));
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

/// Anonymous exports hold public persons only, in both formats and through both doors.
fn anonymous_exports_hold_no_restricted_person(app: &TestApp) {
    let fx = privacy::build(app);
    for path in [
        "/api/v1/export/csv",
        "/api/v1/export/xlsx",
        "/api/v1/export/csv?city=Duisburg",
        "/records.zip?city=Duisburg",
        "/records.xlsx",
    ] {
        let (_, bytes) = download(app, path, None);
        let text = common::walk::unpacked(&bytes).expect("a ZIP");
        for n in needles(&fx) {
            assert!(!text.contains(&n), "{path} shows {n}");
        }
        assert!(text.contains(fx.public.name), "{path}: the public person");
    }
    let (_, bytes) = download(app, "/api/v1/export/csv", None);
    let t = csv_tables(&bytes);
    assert_eq!(
        t["persons.csv"].ids(),
        BTreeSet::from([fx.public.id.clone()])
    );
    assert!(t["affiliations.csv"]
        .column("person_id")
        .iter()
        .all(|p| *p == fx.public.id));
    let reads: i64 = {
        let mut c = app.db().conn().unwrap();
        person_reads::table.count().get_result(&mut *c).unwrap()
    };
    assert_eq!(reads, 0, "anonymous answers are not logged");
}

/// A signed-in export logs exactly the persons its persons file holds, once each.
fn signed_in_exports_log_the_persons_they_show(app: &TestApp) {
    let fx = privacy::build(app);
    let viewer = app.token(UserRole::Viewer);
    for (format, path) in [
        ("csv", "/api/v1/export/csv?city=Duisburg&as_of=2021-01"),
        ("xlsx", "/api/v1/export/xlsx?city=Duisburg&as_of=2021-01"),
    ] {
        let (_, bytes) = download(app, path, Some(&viewer));
        let shown = if format == "csv" {
            csv_tables(&bytes)["persons.csv"].ids()
        } else {
            xlsx_tables(&bytes)["persons"].ids()
        };
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
        assert_eq!(logged.len(), shown.len(), "{path}: once per person");
        assert_eq!(logged.into_iter().collect::<BTreeSet<_>>(), shown, "{path}");
    }
}

/// The workbook opens and holds the same tables as the ZIP, cell for cell (the CSV's
/// formula guard aside; numbers and days read back as such).
fn the_xlsx_equals_the_csv(app: &TestApp) {
    privacy::build(app);
    app.load_seed();
    let viewer = app.token(UserRole::Viewer);
    let (kind, xlsx) = download(app, "/api/v1/export/xlsx", Some(&viewer));
    assert_eq!(
        kind,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let (_, zip) = download(app, "/api/v1/export/csv", Some(&viewer));
    let sheets = xlsx_tables(&xlsx);
    let csv = csv_tables(&zip);
    let names: Vec<&str> = TABLES.iter().map(|(n, _)| *n).collect();
    assert_eq!(sheets.keys().map(String::as_str).collect::<Vec<_>>(), {
        let mut sorted = names.clone();
        sorted.sort();
        sorted
    });
    for name in names {
        let sheet = &sheets[name];
        let table = &csv[&file(name)];
        assert_eq!(sheet.header, table.header, "{name}");
        assert!(!table.rows.is_empty(), "{name} has rows");
        assert_eq!(sheet.rows.len(), table.rows.len(), "{name}");
        for (a, b) in sheet.rows.iter().zip(&table.rows) {
            let b: Vec<&str> = b.iter().map(|c| unguarded(c)).collect();
            assert_eq!(a, &b, "{name}");
        }
    }
}

/// A cell that would start a formula gets a `'` in the CSV; in the workbook it is a
/// string, never a formula.
fn cells_are_guarded_against_formulas(app: &TestApp) {
    let tok = app.editor();
    let id = app.create(
        "organisations",
        &tok,
        json!({"name": "=HYPERLINK(\"https://example.invalid\";\"x\")", "kind": "other",
               "city": "Hagen", "description": "@SUM(A1:A9)", "short_name": "-1+2"}),
    );
    let (_, bytes) = download(app, "/api/v1/export/csv?city=Hagen", None);
    let raw = common::walk::unpacked(&bytes).unwrap();
    assert!(raw.contains("\"'=HYPERLINK(\"\"https://example.invalid\"\";\"\"x\"\")\""));
    let t = csv_tables(&bytes);
    let orgs = &t["organisations.csv"];
    assert_eq!(orgs.ids(), BTreeSet::from([id]));
    assert_eq!(orgs.column("description"), ["'@SUM(A1:A9)"]);
    assert_eq!(orgs.column("short_name"), ["'-1+2"]);

    let (_, bytes) = download(app, "/api/v1/export/xlsx?city=Hagen", None);
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes.clone())).unwrap();
    let mut sheet = String::new();
    archive
        .by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert!(
        !sheet.contains("<f>") && !sheet.contains("<f "),
        "no formulas"
    );
    let sheets = xlsx_tables(&bytes);
    assert_eq!(
        sheets["organisations"].column("name"),
        ["=HYPERLINK(\"https://example.invalid\";\"x\")"]
    );
}

fn bad_formats_and_parameters_are_named(app: &TestApp) {
    for (path, field) in [
        ("/api/v1/export/xls", "format"),
        ("/api/v1/export/csv?as_of=2021-13", "as_of"),
        ("/api/v1/export/xlsx?kind=verein", "kind"),
        ("/api/v1/export/csv?kinds=nonsense", "kinds"),
    ] {
        let (status, v) = app.get(path, None);
        assert_eq!(status, Status::UnprocessableEntity, "{path}: {v}");
        assert_eq!(TestApp::error_fields(&v), [field], "{path}");
    }
    for path in ["/records.zip?as_of=2021-13", "/records.xlsx?kind=verein"] {
        let res = app.client.get(path).dispatch();
        assert_eq!(res.status(), Status::UnprocessableEntity, "{path}");
    }
}

/// The organisation list and the network page link to both files with their filters;
/// the files come as downloads.
fn the_pages_offer_the_files(app: &TestApp) {
    privacy::build(app);
    sign_in(app, UserRole::Viewer);
    app.settle();
    let (status, html) = page(
        &app.client,
        "/organisations?city=Duisburg&kind=municipality",
    );
    assert_eq!(status, Status::Ok);
    for link in [
        "href=\"/records.zip?kind=municipality&#38;city=Duisburg\"",
        "href=\"/records.xlsx?kind=municipality&#38;city=Duisburg\"",
    ] {
        assert!(html.contains(link), "{link} missing");
    }
    let (status, html) = page(&app.client, "/network?city=Duisburg");
    assert_eq!(status, Status::Ok);
    for link in [
        "href=\"/records.zip?city=Duisburg\"",
        "href=\"/records.xlsx?city=Duisburg\"",
    ] {
        assert!(html.contains(link), "{link} missing");
    }
    for (path, name) in [
        (
            "/records.zip?kind=municipality&city=Duisburg",
            "knotenpunkt-records.zip",
        ),
        ("/records.xlsx?city=Duisburg", "knotenpunkt-records.xlsx"),
    ] {
        let res = app.client.get(path).dispatch();
        assert_eq!(res.status(), Status::Ok, "{path}");
        assert_eq!(
            res.headers().get_one("Content-Disposition"),
            Some(format!("attachment; filename=\"{name}\"").as_str())
        );
        let bytes = res.into_bytes().unwrap();
        if name.ends_with(".zip") {
            let t = csv_tables(&bytes);
            assert_eq!(t["organisations.csv"].rows.len(), 1, "Stadt Duisburg");
        }
    }
}

on_both_backends!(
    the_zip_holds_every_table_with_the_apis_rows,
    filters_narrow_the_export,
    anonymous_exports_hold_no_restricted_person,
    signed_in_exports_log_the_persons_they_show,
    the_xlsx_equals_the_csv,
    cells_are_guarded_against_formulas,
    bad_formats_and_parameters_are_named,
    the_pages_offer_the_files,
);
