//! The pages speak words, not codes (issue 11, "Words"): with the seed data and a few
//! changes on top, every page of organisations, persons, overlaps, history and
//! administration shows, in German and in English, no vocabulary code (`co_chair`,
//! `cooperates_with`, `granted`, the code with spaces "co chair"), no stored timestamp
//! (`2026-12-01T05:12:38Z`), and keeps the month a period was entered with.
mod common;

use common::web::*;
use common::TestApp;
use knotenpunkt::domain::{enums::every_label, Caller, UserRole};
use knotenpunkt::import::{import_file, ImportFormat, ImportOptions, NearMatches};
use rocket::http::Status;
use serde_json::{json, Value};

/// The text a reader sees: without scripts, styles, tags and their attributes, and
/// without `<code>` (codes shown on purpose, e.g. the import's values for `kind`).
fn visible(html: &str) -> String {
    let mut text = html.to_string();
    for tag in ["script", "style", "code"] {
        let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
        while let Some(start) = text.find(&open) {
            let end = text[start..]
                .find(&close)
                .map_or(text.len(), |e| start + e + close.len());
            text.replace_range(start..end, " ");
        }
    }
    let mut out = String::new();
    let mut in_tag = false;
    for ch in text.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    out.replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Whether `word` stands in `text` as a word of its own (not inside a longer one).
fn has_word(text: &str, word: &str) -> bool {
    let part_of_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(word).any(|(i, _)| {
        !part_of_word(text[..i].chars().next_back())
            && !part_of_word(text[i + word.len()..].chars().next())
    })
}

/// The first stored timestamp (`\d{4}-\d{2}-\d{2}T`) in `text`, with what follows.
fn iso_timestamp(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    (0..b.len().saturating_sub(10)).find_map(|i| {
        let hit = digits(i..i + 4)
            && b[i + 4] == b'-'
            && digits(i + 5..i + 7)
            && b[i + 7] == b'-'
            && digits(i + 8..i + 10)
            && b[i + 10] == b'T';
        hit.then(|| String::from_utf8_lossy(&b[i..(i + 30).min(b.len())]).into_owned())
    })
}

/// What no page may show in `lang`: every code with an underscore and the same code with
/// spaces where that is not the label (both languages); in German also the English
/// one-word codes whose label differs (`granted`, `hinge`, `chair`), the change log's
/// actions and the dependency reasons.
fn forbidden(lang: &str) -> Vec<String> {
    let mut words = Vec::new();
    let reasons = [
        "founding_support",
        "founding_initiative",
        "part_of",
        "member_of",
    ];
    let actions = [
        "create",
        "update",
        "delete",
        "restore",
        "import",
        "set_password",
    ];
    // The signed-in test users are called `admin-web` and so on: user roles' codes are
    // names there.
    let user_roles = ["viewer", "editor", "admin"];
    for (code, de, en) in every_label() {
        if code.contains('_') {
            words.push(code.to_string());
            let spaced = code.replace('_', " ");
            if !en.contains(&spaced) && !de.contains(&spaced) {
                words.push(spaced);
            }
        } else if lang == "de" && !de.eq_ignore_ascii_case(code) && !user_roles.contains(&code) {
            words.push(code.to_string());
        }
    }
    words.extend(reasons.iter().map(|r| r.to_string()));
    words.extend(
        actions
            .iter()
            .filter(|a| a.contains('_'))
            .map(|a| a.to_string()),
    );
    if lang == "de" {
        words.extend(actions.iter().map(|a| a.to_string()));
        words.extend(["staffing", "carrier", "parent"].map(String::from));
    }
    words.sort();
    words.dedup();
    words
}

/// Problems of one page: codes and timestamps a reader would see.
fn problems(path: &str, html: &str, forbidden: &[String]) -> Vec<String> {
    let text = visible(html);
    let mut found: Vec<String> = forbidden
        .iter()
        .filter(|w| has_word(&text, w))
        .map(|w| {
            let at = text.find(w.as_str()).unwrap_or(0);
            let from = text[..at]
                .char_indices()
                .rev()
                .nth(40)
                .map_or(0, |(i, _)| i);
            let around: String = text[from..].chars().take(100).collect();
            format!(
                "{path}: code '{w}' in “{}”",
                around.split_whitespace().collect::<Vec<_>>().join(" ")
            )
        })
        .collect();
    if let Some(stamp) = iso_timestamp(&text) {
        found.push(format!("{path}: timestamp {stamp}"));
    }
    found
}

fn ids(app: &TestApp, token: &str, resource: &str) -> Vec<Value> {
    let list = app.ok(&format!("/api/v1/{resource}?limit=500"), Some(token));
    list["items"].as_array().cloned().unwrap_or_default()
}

fn id_of(items: &[Value], name: &str) -> String {
    let found = items.iter().find(|o| o["name"] == name);
    found
        .and_then(|o| o["id"].as_str())
        .expect(name)
        .to_string()
}

/// Changes on top of the seed, so that history, deleted records, imports, tandem roles
/// entered by month and funding that ends soon are there to be shown.
fn changes(app: &TestApp, token: &str) {
    let orgs = ids(app, token, "organisations");
    let romano = id_of(&orgs, "Romano Drom e.V.");
    let hagen = orgs
        .iter()
        .find(|o| o["kind"] == "municipality")
        .and_then(|o| o["id"].as_str())
        .expect("a municipality")
        .to_string();
    let funder = orgs
        .iter()
        .find(|o| o["kind"] == "funder")
        .and_then(|o| o["id"].as_str())
        .expect("a funder")
        .to_string();
    // A tandem: co-chair of a Roma self-organisation and employed by a city, by month.
    let person = app.create(
        "persons",
        token,
        json!({"display_name": "Tandem Testperson", "is_pseudonym": true,
               "visibility": "restricted"}),
    );
    let role = |org: &str, role: &str, start: &str, end: Option<&str>| {
        json!({"person_id": person, "organisation_id": org, "role": role, "start": start,
               "end": end, "paid": true, "project_bound": false,
               "fields_of_work": ["education", "social_counselling", "education"]})
    };
    app.create(
        "affiliations",
        token,
        role(&romano, "co_chair", "2022-01", Some("2024-12")),
    );
    app.create(
        "affiliations",
        token,
        role(&hagen, "project_staff", "2021-03", None),
    );
    let gone = app.create(
        "affiliations",
        token,
        role(&romano, "language_mediator", "2020", None),
    );
    let (status, v) = app.delete(&format!("/api/v1/affiliations/{gone}"), Some(token));
    assert!(status.code < 300, "{v}");
    // Funding that ends in 30 days, and one applied for.
    let end = (chrono::Utc::now().date_naive() + chrono::Duration::days(30)).to_string();
    for (status, end) in [("granted", end.as_str()), ("applied", "2030")] {
        app.create(
            "fundings",
            token,
            json!({"funder_id": funder, "recipient_id": romano, "amount_min": 1_000_000,
                   "amount_max": 1_000_000, "start": "2025-02", "end": end,
                   "programme": format!("Programm {}", &status[..1]),
                   "project_bound": true, "status": status}),
        );
    }
    // A relation deleted and restored; an organisation changed.
    let relation = app.create(
        "relations",
        token,
        json!({"source_id": hagen, "target_id": romano, "kind": "supported_founding_of",
               "start": "2019"}),
    );
    let path = format!("/api/v1/relations/{relation}");
    assert!(app.delete(&path, Some(token)).0.code < 300);
    let (status, v) = app.post(&format!("{path}/restore"), Some(token), &json!({}));
    assert!(status.code < 300, "{v}");
    let org = app.ok(&format!("/api/v1/organisations/{romano}"), Some(token));
    let mut changed = org.clone();
    changed["working_principle"] = json!("von Roma für Roma");
    for key in ["id", "created_at", "updated_at", "deleted_at"] {
        changed.as_object_mut().unwrap().remove(key);
    }
    let (status, v) = app.put(
        &format!("/api/v1/organisations/{romano}"),
        Some(token),
        &changed,
    );
    assert_eq!(status, Status::Ok, "{v}");
    // An import, for the import page's list.
    let options = ImportOptions {
        file_name: "organisations.csv".into(),
        dry_run: false,
        only_valid: false,
        near_matches: NearMatches::Create,
        source_id: None,
    };
    let csv = b"name,kind,city\nImportverein e.V.,migrant_organisation,Bochum\n";
    let mut conn = app.db().conn().unwrap();
    import_file(
        &mut conn,
        &Caller::System,
        ImportFormat::Csv,
        &options,
        csv,
        &mut |_| {},
    )
    .expect("import");
    app.settle();
}

/// Every page to check: lists, profiles, overlaps, history and administration.
fn pages(app: &TestApp, token: &str) -> Vec<String> {
    let mut pages: Vec<String> = [
        "/",
        "/organisations",
        "/persons",
        "/sources",
        "/admin",
        "/import",
        "/overlaps",
        "/network",
        "/overlaps/staff/pairs",
        "/overlaps/tandem",
        "/overlaps/ending?within_days=3650",
    ]
    .map(String::from)
    .to_vec();
    let orgs = ids(app, token, "organisations");
    for o in &orgs {
        let id = o["id"].as_str().unwrap();
        pages.push(format!("/organisations/{id}"));
        for view in ["staff", "funding", "dependencies"] {
            pages.push(format!("/overlaps/{view}?organisation={id}"));
        }
    }
    for f in ids(app, token, "fundings") {
        let (funder, recipient) = (&f["funder_id"], &f["recipient_id"]);
        let (funder, recipient) = (funder.as_str().unwrap(), recipient.as_str().unwrap());
        pages.push(format!("/overlaps/impact?funder={funder}"));
        pages.push(format!(
            "/overlaps/conflicts?funder={funder}&applicant={recipient}"
        ));
    }
    for p in ids(app, token, "persons") {
        pages.push(format!("/persons/{}", p["id"].as_str().unwrap()));
    }
    pages.sort();
    pages.dedup();
    pages
}

/// Every page in German and in English: no code, no stored timestamp.
fn words_on_every_page(app: &TestApp) {
    let token = app.token(UserRole::Admin);
    changes(app, &token);
    sign_in(app, UserRole::Admin);
    let pages = pages(app, &token);
    assert!(pages.len() > 150, "{} pages", pages.len());
    let mut found = Vec::new();
    for lang in ["de", "en"] {
        page(&app.client, &format!("/lang/{lang}?back=/"));
        let forbidden = forbidden(lang);
        for path in &pages {
            let (status, html) = page(&app.client, path);
            assert_eq!(status, Status::Ok, "{lang} {path}");
            found.extend(problems(&format!("{lang} {path}"), &html, &forbidden));
        }
    }
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn pages_show_words_and_dates_not_codes_and_timestamps() {
    words_on_every_page(&TestApp::sqlite_seeded());
}

#[test]
fn pages_show_words_and_dates_not_codes_and_timestamps_postgres() {
    if let Some(app) = TestApp::postgres_seeded() {
        words_on_every_page(&app);
    }
}

/// The tandem list keeps the month the roles were entered with; days read as days
/// ("30 Tage"), rows and results counted in the right number, the history in words.
#[test]
fn periods_keep_months_and_counts_take_their_nouns() {
    let app = TestApp::sqlite_seeded();
    let token = app.token(UserRole::Admin);
    changes(&app, &token);
    sign_in(&app, UserRole::Admin);
    let text = |path: &str| {
        let (status, html) = page(&app.client, path);
        assert_eq!(status, Status::Ok, "{path}");
        visible(&html)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let tandem = text("/overlaps/tandem");
    assert!(
        tandem.contains("2022-01 – 2024-12"),
        "months kept: {tandem}"
    );
    assert!(
        tandem.contains("Co-Vorsitz (2022-01 – 2024-12)"),
        "{tandem}"
    );
    assert!(tandem.contains("Projektpersonal (2021-03 – …)"), "{tandem}");
    assert!(
        tandem.contains("Bildung, Sozialberatung"),
        "each field once: {tandem}"
    );
    assert!(
        tandem.contains("1 Zeile") || tandem.contains("2 Zeilen"),
        "{tandem}"
    );
    let ending = text("/overlaps/ending?within_days=60");
    assert!(
        ending.contains("30 Tage") && ending.contains("1 Zeile"),
        "{ending}"
    );
    assert!(!ending.contains("1 Zeilen"), "{ending}");
    let start = text("/");
    assert!(start.contains("(30 Tage)"), "{start}");
    let orgs = ids(&app, &token, "organisations");
    let romano = id_of(&orgs, "Romano Drom e.V.");
    let profile = text(&format!("/organisations/{romano}"));
    assert!(
        profile.contains("angelegt") && profile.contains("geändert"),
        "{profile}"
    );
    assert!(
        profile.contains("bewilligt") && profile.contains("beantragt"),
        "{profile}"
    );
    assert!(profile.contains("unterstützte Gründung von"), "{profile}");
    page(&app.client, "/lang/en?back=/");
    let tandem = text("/overlaps/tandem");
    assert!(tandem.contains("co-chair (2022-01 – 2024-12)"), "{tandem}");
    let ending = text("/overlaps/ending?within_days=60");
    assert!(
        ending.contains("30 days") && ending.contains("1 row"),
        "{ending}"
    );
    let profile = text(&format!("/organisations/{romano}"));
    assert!(
        profile.contains("granted") && profile.contains("applied for"),
        "{profile}"
    );
    assert!(profile.contains("supported the founding of"), "{profile}");
    assert!(profile.contains("updated"), "history in words: {profile}");
    let list = text("/organisations?q=Romano%20Drom");
    assert!(
        list.contains("1 result") && !list.contains("1 results"),
        "{list}"
    );
}

#[test]
fn the_checks_themselves_find_codes_and_timestamps() {
    let html = "<p class=\"co_chair\">Co-Vorsitz <b>co_chair</b> 2026-12-01T05:12:38Z</p>\
                <code>roma_self_organisation</code><script>var hinge;</script>";
    let text = visible(html);
    assert!(!text.contains("class") && !text.contains("roma_self") && !text.contains("var"));
    assert!(has_word(&text, "co_chair") && !has_word("co_chairs", "co_chair"));
    assert_eq!(
        iso_timestamp("am 2026-12-01T05:12:38Z").as_deref(),
        Some("2026-12-01T05:12:38Z")
    );
    assert_eq!(iso_timestamp("2026-12-01, 2026-12"), None);
    let de = forbidden("de");
    assert!(de.contains(&"granted".to_string()) && de.contains(&"co chair".to_string()));
    assert!(de.contains(&"update".to_string()));
    let en = forbidden("en");
    assert!(
        en.contains(&"roma self organisation".to_string()) && !en.contains(&"granted".to_string())
    );
    assert!(
        !en.contains(&"cooperates with".to_string()),
        "that is its English label"
    );
    assert_eq!(
        problems("p", html, &de).len(),
        2,
        "{:?}",
        problems("p", html, &de)
    );
}
