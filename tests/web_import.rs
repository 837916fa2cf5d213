//! The upload page `/import` through Rocket's local client: editors only, the preview
//! (a dry run) writes nothing and names each problem with its line and column, the
//! confirmation writes, near matches wait for a decision, an expired or unknown token and
//! bad uploads come back as a message with the form.
mod common;

use common::web::*;
use common::TestApp;
use knotenpunkt::domain::UserRole;
use rocket::http::{ContentType, Status};
use serde_json::json;

const BOUNDARY: &str = "kp-test-boundary-4f1c";

const GOOD: &str = "name;kind;city\n\
                    Verein Morgenrot e.V.;migrant_organisation;Bochum\n\
                    Roma Kultur Hagen;roma_self_organisation;Hagen\n";

/// The same file with an unknown kind in line 3.
const BAD: &str = "name;kind;city\n\
                   Verein Morgenrot e.V.;migrant_organisation;Bochum\n\
                   Roma Kultur Hagen;no_such_kind;Hagen\n";

/// Posts a multipart form: the fields, then the file (name and bytes) if any.
fn upload_to(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> (Status, String) {
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; \
                 filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let content_type =
        ContentType::new("multipart", "form-data").with_params(("boundary", BOUNDARY));
    let res = app
        .client
        .post(path.to_string())
        .header(content_type)
        .body(body)
        .dispatch();
    (res.status(), res.into_string().unwrap_or_default())
}

/// Uploads a file as the signed-in editor, with the page's CSRF token.
fn upload(app: &TestApp, name: &str, bytes: &[u8], extra: &[(&str, &str)]) -> (Status, String) {
    let (status, html) = page(&app.client, "/import");
    assert_eq!(status, Status::Ok, "{html}");
    let csrf = csrf_of(&html);
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend_from_slice(extra);
    upload_to(app, "/import", &fields, Some((name, bytes)))
}

/// The confirmation address of a preview.
fn confirm_path(html: &str) -> String {
    let marker = "action=\"/import/";
    let start = html.find(marker).expect("a confirmation form") + "action=\"".len();
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

fn confirm(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (Status, String) {
    let (_, html) = page(&app.client, "/import");
    let csrf = csrf_of(&html);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let (status, html, _) = post_form(&app.client, path, &all);
    (status, html)
}

/// The text of the element with `id`, tags removed.
fn count(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\">");
    let start = html.find(&marker).unwrap_or_else(|| panic!("#{id}")) + marker.len();
    html[start..]
        .split('<')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The problem rows of a preview.
fn problems(html: &str) -> Vec<String> {
    html.split("<tr class=\"problem\">")
        .skip(1)
        .map(|r| r.split("</tr>").next().unwrap_or_default().to_string())
        .collect()
}

fn anonymous_and_viewers_are_refused(app: &TestApp) {
    let before = app.snapshot();
    let (status, html) = page(&app.client, "/import");
    assert_eq!(status, Status::Unauthorized, "anonymous");
    assert!(!html.contains("upload-form"));
    let (status, _) = upload_to(
        app,
        "/import",
        &[("csrf", "x")],
        Some(("a.csv", GOOD.as_bytes())),
    );
    assert_eq!(status, Status::Unauthorized);
    assert_eq!(app.snapshot(), before, "nothing written");
    sign_in(app, UserRole::Viewer);
    let before = app.snapshot();
    let (status, html) = page(&app.client, "/import");
    assert_eq!(status, Status::Forbidden, "viewer");
    assert!(html.contains("Keine Berechtigung") && !html.contains("upload-form"));
    let (_, start) = page(&app.client, "/");
    let csrf = csrf_of(&start);
    let (status, _) = upload_to(
        app,
        "/import",
        &[("csrf", &csrf)],
        Some(("a.csv", GOOD.as_bytes())),
    );
    assert_eq!(status, Status::Forbidden);
    let (status, _, _) = post_form(
        &app.client,
        &format!("/import/{}", "0".repeat(64)),
        &[("csrf", &csrf)],
    );
    assert_eq!(status, Status::Forbidden);
    assert_eq!(app.snapshot(), before, "nothing written");
    // The organisation list offers the page to editors only.
    let (_, list) = page(&app.client, "/organisations");
    assert!(!list.contains("id=\"import-link\""));
}

fn the_preview_writes_nothing_and_the_confirmation_writes(app: &TestApp) {
    sign_in(app, UserRole::Editor);
    let (_, list) = page(&app.client, "/organisations");
    assert!(list.contains("id=\"import-link\""), "editors find the page");
    let before = app.snapshot();
    let (status, html) = upload(app, "vereine.csv", GOOD.as_bytes(), &[]);
    assert_eq!(status, Status::Ok, "{html}");
    assert!(html.contains("id=\"preview-clean\""), "{html}");
    assert_eq!(count(&html, "count-rows"), "2");
    assert_eq!(count(&html, "count-created"), "2");
    assert!(html.contains("Verein Morgenrot e.V.") && html.contains("vereine.csv"));
    assert!(html.contains("id=\"confirm-import\""));
    assert_eq!(app.snapshot(), before, "the preview writes nothing");

    let path = confirm_path(&html);
    let (status, html) = confirm(app, &path, &[("near_matches", "ask")]);
    assert_eq!(status, Status::Ok, "{html}");
    assert!(html.contains("id=\"import-done\""), "{html}");
    assert!(html.contains("href=\"/organisations\""));
    let log = html
        .split("href=\"/import#")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a link to the import in the log")
        .to_string();
    let (_, list) = page(&app.client, "/organisations?q=Morgenrot");
    assert!(
        list.contains("Verein Morgenrot e.V.") && list.contains("Bochum"),
        "{list}"
    );
    let (_, list) = page(&app.client, "/organisations?q=Roma+Kultur");
    assert!(list.contains("Roma Kultur Hagen"));
    // The import is listed on the page, and its record is in the change log.
    let (_, html) = page(&app.client, "/import");
    assert!(html.contains("id=\"recent-imports\"") && html.contains("vereine.csv"));
    assert!(
        html.contains(&format!("<tr id=\"{log}\">")),
        "the linked entry"
    );
    let id = log.trim_start_matches("import-");
    assert_eq!(app.changes_of(id).len(), 1, "one import event");

    // A token is used once.
    let (status, html) = confirm(app, &path, &[]);
    assert_eq!(status, Status::NotFound);
    assert!(html.contains("id=\"import-message\"") && html.contains("abgelaufen"));

    // The same file again: both rows are the existing records, nothing new.
    let (status, html) = upload(app, "vereine.csv", GOOD.as_bytes(), &[]);
    assert_eq!(status, Status::Ok);
    assert_eq!(count(&html, "count-created"), "0");
    assert_eq!(count(&html, "count-unchanged"), "2");
}

fn an_error_row_is_named_with_its_line_and_column(app: &TestApp) {
    sign_in(app, UserRole::Editor);
    let before = app.snapshot();
    let (status, html) = upload(app, "vereine.csv", BAD.as_bytes(), &[]);
    assert_eq!(status, Status::UnprocessableEntity, "{html}");
    assert!(html.contains("id=\"nothing-written\""));
    let rows = problems(&html);
    assert_eq!(rows.len(), 1, "exactly one problem: {rows:?}");
    assert!(
        rows[0].contains("<td class=\"line\">3</td>")
            && rows[0].contains("<td class=\"column\">kind</td>"),
        "{}",
        rows[0]
    );
    assert_eq!(count(&html, "count-invalid"), "1");
    assert!(!html.contains("id=\"confirm-import\""), "no confirmation");
    assert!(
        html.contains("Korrigierte Datei hochladen"),
        "the form again"
    );
    assert_eq!(app.snapshot(), before, "nothing written");

    // The valid row alone, when asked for.
    let path = confirm_path(&html);
    let (status, html) = confirm(app, &path, &[("only_valid", "true")]);
    assert_eq!(status, Status::Ok, "{html}");
    let (_, list) = page(&app.client, "/organisations?q=Morgenrot");
    assert!(list.contains("Verein Morgenrot e.V."));
    let (_, list) = page(&app.client, "/organisations?q=Roma+Kultur");
    assert!(!list.contains("Roma Kultur Hagen"));
}

fn an_expired_or_unknown_token_is_a_clear_message(app: &TestApp) {
    let short = app.instance_with(&[("import_pending_minutes", 0)]);
    sign_in(&short, UserRole::Editor);
    let before = short.snapshot();
    let (status, html) = upload(&short, "vereine.csv", GOOD.as_bytes(), &[]);
    assert_eq!(status, Status::Ok, "{html}");
    let path = confirm_path(&html);
    let (status, html) = confirm(&short, &path, &[]);
    assert_eq!(status, Status::NotFound);
    assert!(html.contains("abgelaufen oder unbekannt") && html.contains("id=\"upload-form\""));
    let (status, html) = confirm(&short, "/import/not-a-token", &[]);
    assert_eq!(status, Status::NotFound);
    assert!(html.contains("id=\"import-message\""));
    assert_eq!(short.snapshot(), before, "nothing written");
}

fn near_matches_wait_for_a_decision(app: &TestApp) {
    let token = app.editor();
    let existing = app.create(
        "organisations",
        &token,
        json!({"name": "Romano Drom e.V.", "kind": "roma_self_organisation", "city": "Dortmund"}),
    );
    sign_in(app, UserRole::Editor);
    let file = "name;kind;city\nRomano Drom e. V.;roma_self_organisation;Dortmund\n";
    let (status, html) = upload(app, "drom.csv", file.as_bytes(), &[]);
    assert_eq!(status, Status::Ok, "{html}");
    assert!(html.contains("id=\"decide\"") && html.contains("id=\"near-matches\""));
    assert!(html.contains(&format!(
        "href=\"/organisations/{existing}\">Romano Drom e.V.</a>"
    )));
    assert!(html.contains("id=\"confirm-near-match\""));
    let before = app.snapshot();
    let path = confirm_path(&html);
    // Without a decision nothing is written, and the upload can be confirmed again.
    let (status, html) = confirm(app, &path, &[]);
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("id=\"import-refused\""));
    assert_eq!(app.snapshot(), before);
    let (status, html) = confirm(app, &path, &[("near_matches", "match")]);
    assert_eq!(status, Status::Ok, "{html}");
    let (_, list) = page(&app.client, "/organisations?q=Romano");
    assert!(list.contains("1 Treffer"), "matched, not created: {list}");
}

/// A preview that names existing persons logs their read, through the one disclosure
/// path, like every page that shows persons.
fn persons_a_preview_names_are_logged(app: &TestApp) {
    use diesel::prelude::*;
    use knotenpunkt::schema::person_reads;
    let token = app.editor();
    let person = app.create(
        "persons",
        &token,
        json!({"display_name": "Maria Beispiel", "visibility": "restricted"}),
    );
    sign_in(app, UserRole::Editor);
    let reads = |app: &TestApp| -> Vec<String> {
        let mut c = app.db().conn().expect("conn");
        person_reads::table
            .select(person_reads::person_id)
            .load(&mut *c)
            .expect("read log")
    };
    assert!(reads(app).is_empty());
    let file = "display_name\nMaria Beispiel\nNeue Person\n";
    let (status, html) = upload(app, "persons.csv", file.as_bytes(), &[]);
    assert_eq!(status, Status::Ok, "{html}");
    assert!(html.contains(&format!("href=\"/persons/{person}\">Maria Beispiel</a>")));
    assert_eq!(
        reads(app),
        vec![person],
        "the existing person's read is logged"
    );
}

on_both_backends!(
    persons_a_preview_names_are_logged,
    anonymous_and_viewers_are_refused,
    the_preview_writes_nothing_and_the_confirmation_writes,
    an_error_row_is_named_with_its_line_and_column,
    an_expired_or_unknown_token_is_a_clear_message,
    near_matches_wait_for_a_decision,
);

/// No file, another type, an unreadable workbook, a file over the limit, a missing
/// CSRF token: the form again with the reason, never a server error, nothing written.
#[test]
fn bad_uploads_come_back_as_the_form_with_the_reason() {
    let app = TestApp::sqlite();
    sign_in(&app, UserRole::Editor);
    let before = app.snapshot();
    let (_, html) = page(&app.client, "/import");
    let csrf = csrf_of(&html);

    let (status, html) = upload_to(&app, "/import", &[("csrf", &csrf)], Some(("", b"")));
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("Bitte eine Datei auswählen"));
    let (status, html) = upload_to(&app, "/import", &[("csrf", &csrf)], None);
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("Bitte eine Datei auswählen"));

    let (status, html) = upload(&app, "bild.png", b"\x89PNG", &[]);
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("Nur .csv-, .zip- und .xlsx-Dateien"));

    let (status, html) = upload(&app, "liste.xlsx", b"not a workbook", &[]);
    assert_eq!(status, Status::UnprocessableEntity, "{html}");
    assert_eq!(problems(&html).len(), 1, "the workbook's problem is listed");
    assert!(!html.contains("action=\"/import/"), "nothing to confirm");

    let latin1 = b"name;kind;city\nVerein f\xfcr Kultur;migrant_organisation;Essen\n";
    let (status, html) = upload(&app, "alt.csv", latin1, &[]);
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("UTF-8"), "{html}");

    let big = vec![b'a'; knotenpunkt::import::MAX_BYTES + 1];
    let (status, html) = upload(&app, "gross.csv", &big, &[]);
    assert_eq!(status, Status::PayloadTooLarge);
    assert!(html.contains("zu groß: höchstens 100 MB"), "{html}");

    let (status, html) = upload(&app, "a.csv", GOOD.as_bytes(), &[("source", "nonsense")]);
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("Diese Quelle gibt es nicht"));
    let unknown = "0190a5d2-0000-7000-8000-000000000000";
    let (status, html) = upload(&app, "a.csv", GOOD.as_bytes(), &[("source", unknown)]);
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("Diese Quelle gibt es nicht"), "{html}");

    let (status, _) = upload_to(
        &app,
        "/import",
        &[("csrf", "wrong")],
        Some(("a.csv", GOOD.as_bytes())),
    );
    assert_eq!(status, Status::Forbidden);
    assert_eq!(app.snapshot(), before, "nothing written");
}

/// A source the editor picks is cited, and the page is in English on request.
#[test]
fn a_picked_source_is_kept_and_the_page_speaks_english() {
    let app = TestApp::sqlite();
    let token = app.editor();
    let source = app.create(
        "sources",
        &token,
        json!({"title": "Vereinsliste Hagen 2024"}),
    );
    sign_in(&app, UserRole::Editor);
    let (_, html) = page(&app.client, "/import");
    assert!(html.contains(&format!(
        "<option value=\"{source}\">Vereinsliste Hagen 2024"
    )));
    let (status, html) = upload(
        &app,
        "v.csv",
        GOOD.as_bytes(),
        &[("source", &source), ("near_matches", "create")],
    );
    assert_eq!(status, Status::Ok, "{html}");
    assert!(
        html.contains(&format!("<option value=\"{source}\" selected>")),
        "choice kept"
    );
    assert!(html.contains("value=\"create\" id=\"near-create\" checked"));
    let (status, _) = confirm(&app, &confirm_path(&html), &[("near_matches", "create")]);
    assert_eq!(status, Status::Ok);
    let (_, sources) = app.get("/api/v1/sources", Some(&token));
    assert_eq!(sources["total"], 1, "no new source: {sources}");

    page(&app.client, "/lang/en?back=/import");
    let (_, html) = page(&app.client, "/import");
    assert!(html.contains("Import records") && html.contains("Recent imports"));
}
