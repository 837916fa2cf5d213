//! Forms as people use them every day: every problem shown at once (the form's own and
//! the domain's rules), listed above the form as links to the fields, each field marked
//! and tied to its message; messages in words in the page's language; required fields
//! marked; a note after every save, delete and restore; and back to the person's page
//! when a role was edited from there. On both backends.
mod common;

use common::links::*;
use common::web::*;
use common::TestApp;
use knotenpunkt::domain::UserRole;
use rocket::http::Status;

/// The list of problems above a refused form.
fn summary(html: &str) -> &str {
    let start = html.find("id=\"form-errors\"").expect("a list of problems");
    let end = html[start..].find("</div>").expect("end of the list") + start;
    &html[start..end]
}

/// The message beside `field`.
fn message(html: &str, field: &str) -> String {
    let marker = format!("id=\"error-{field}\">");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("a message beside {field}"))
        + marker.len();
    html[start..]
        .split('<')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The text of a piece of HTML, without its tags.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Every message of the page: the list above the form and those beside the fields.
fn messages(html: &str) -> Vec<String> {
    let list = summary(html);
    let mut out = vec![text_of(&list[list.find('>').unwrap_or(0)..])];
    let mut rest = html;
    while let Some(i) = rest.find("class=\"error\" id=\"error-") {
        let after = &rest[i..];
        let text_start = after.find('>').expect("tag end") + 1;
        out.push(
            after[text_start..]
                .split('<')
                .next()
                .unwrap_or("")
                .to_string(),
        );
        rest = &after[text_start..];
    }
    out
}

/// The field `field` is marked invalid, tied to its message and linked from the list.
fn marked(html: &str, field: &str) {
    let tag_start = html
        .find(&format!("id=\"{field}\""))
        .unwrap_or_else(|| panic!("field {field}"));
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>').unwrap()];
    assert!(tag.contains("aria-invalid=\"true\""), "{field}: {tag}");
    assert!(
        tag.contains("aria-describedby=\"") && tag.contains(&format!("error-{field}")),
        "{field} tied to its message: {tag}"
    );
    assert!(html.contains(&format!("id=\"error-{field}\"")), "{field}");
    assert!(
        summary(html).contains(&format!("href=\"#{field}\"")),
        "{field} linked from the list"
    );
}

/// None of `words` in any of the page's messages.
fn messages_without(html: &str, words: &[&str], what: &str) {
    for text in messages(html) {
        for word in words {
            assert!(!text.contains(word), "{what} messages in words: {text}");
        }
    }
}

/// No field code and no English in a German page's messages.
fn german_words_only(html: &str) {
    let english = [
        "_",
        "must",
        "is required",
        "not a valid",
        "the end",
        "smaller",
    ];
    messages_without(html, &english, "German");
}

/// No field code and no German in an English page's messages.
fn english_words_only(html: &str) {
    let german = [
        "_",
        "Bitte",
        "Kein",
        "liegt",
        "Mitglieder",
        "Angabe",
        "Gründung",
    ];
    messages_without(html, &german, "English");
}

fn the_organisation_form_shows_every_problem_at_once(app: &TestApp) {
    sign_in(app, UserRole::Editor);
    let (_, html) = page(&app.client, "/organisations/new");
    let csrf = csrf_of(&html);
    let before = app.snapshot();
    // An empty name and kind, a month 13, and more members at least than at most.
    let (status, html, _) = post_form(
        &app.client,
        "/organisations/new",
        &[
            ("csrf", &csrf),
            ("name", ""),
            ("kind", ""),
            ("founded", "2021-13"),
            ("dissolved", "2020"),
            ("member_count_min", "50"),
            ("member_count_max", "10"),
            ("website", "verein.example"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    for field in ["name", "kind", "founded", "member_count_max", "website"] {
        marked(&html, field);
    }
    assert!(html.contains("value=\"2021-13\"") && html.contains("value=\"50\""));
    assert!(
        message(&html, "founded").contains("14.05.2019"),
        "as the hint says"
    );
    assert!(message(&html, "member_count_max").contains("Mitglieder von"));
    let list = summary(&html);
    assert!(list.contains("tabindex=\"-1\"") && list.contains("autofocus"));
    assert!(
        list.contains("Mitglieder bis:"),
        "the field in words: {list}"
    );
    german_words_only(&html);

    // Dissolved before it was founded, with the name still empty and min > max.
    let (status, html, _) = post_form(
        &app.client,
        "/organisations/new",
        &[
            ("csrf", &csrf),
            ("name", " "),
            ("kind", "migrant_organisation"),
            ("founded", "14.05.2021"),
            ("dissolved", "2020"),
            ("member_count_min", "50"),
            ("member_count_max", "10"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    for field in ["name", "dissolved", "member_count_max"] {
        marked(&html, field);
    }
    assert!(message(&html, "dissolved").contains("vor der Gründung"));
    german_words_only(&html);
    assert_eq!(app.snapshot(), before, "nothing written");

    // The same in English: English words, no German, no field codes.
    page(&app.client, "/lang/en?back=/");
    let (status, html, _) = post_form(
        &app.client,
        "/organisations/new",
        &[
            ("csrf", &csrf),
            ("kind", ""),
            ("founded", "2021-13"),
            ("member_count_min", "50"),
            ("member_count_max", "10"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    for field in ["name", "kind", "founded", "member_count_max"] {
        marked(&html, field);
    }
    assert!(summary(&html).contains("Members to:"));
    assert!(message(&html, "founded").contains("14.05.2019"));
    english_words_only(&html);
}

/// A form, the fields posted to it, and the fields that must be marked.
type FormCase = (String, Vec<(&'static str, &'static str)>, Vec<&'static str>);

fn every_link_form_shows_every_problem_at_once(app: &TestApp) {
    let fx = fixture(app);
    let cases: [FormCase; 5] = [
        (
            format!("/organisations/{}/people/new", fx.verein),
            vec![("display_name", ""), ("role", ""), ("start", "2021-13")],
            vec!["display_name", "role", "start"],
        ),
        (
            format!("/persons/{}/roles/new", fx.person),
            vec![
                ("organisation", ""),
                ("role", "chair"),
                ("start", "2020"),
                ("end", "2019"),
            ],
            vec!["organisation", "end"],
        ),
        (
            format!("/organisations/{}/fundings/new", fx.verein),
            vec![
                ("funder", ""),
                ("amount", "viel"),
                ("start", "2022"),
                ("end", "2021"),
                ("status", "granted"),
            ],
            vec!["funder", "amount", "end"],
        ),
        (
            format!("/organisations/{}/relations/new", fx.verein),
            vec![
                ("kind", ""),
                ("target", ""),
                ("start", "2020"),
                ("end", "2019"),
                ("approx_size", "x"),
            ],
            vec!["kind", "target", "end", "approx_size"],
        ),
        (
            "/persons/new".to_string(),
            vec![("display_name", ""), ("visibility", "")],
            vec!["display_name", "visibility"],
        ),
    ];
    let before = app.snapshot();
    for (path, fields, bad) in cases {
        let (html, csrf) = fx.form(&path);
        assert!(html.contains("id=\"required-note\""), "{path}");
        assert!(
            html.contains("aria-required=\"true\""),
            "{path}: required marked"
        );
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields.iter().copied());
        let (status, html, _) = post_form(&app.client, &path, &all);
        assert_eq!(status, Status::UnprocessableEntity, "{path}: {html}");
        for field in &bad {
            marked(&html, field);
        }
        german_words_only(&html);
    }
    assert_eq!(app.snapshot(), before, "nothing written");
}

fn labels_titles_and_the_project_bound_box(app: &TestApp) {
    let fx = fixture(app);
    let (html, _) = fx.form(&format!("/organisations/{}/edit", fx.verein));
    assert!(html.contains("<h1>Organisation bearbeiten</h1>"), "{html}");
    assert!(
        html.contains(&format!(
            "href=\"/organisations/{}\" id=\"cancel\">Abbrechen",
            fx.verein
        )),
        "a way back"
    );
    assert!(html.contains(">Mitglieder von<") && html.contains(">Mitglieder bis<"));
    assert!(html.contains("id=\"name\" value=\"Romano Than e.V.\" required aria-required=\"true\""));
    let (html, _) = fx.form(&format!("/organisations/{}/fundings/new", fx.verein));
    let tag_start = html.find("id=\"project_bound\"").expect("the box");
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>').unwrap()];
    assert!(!tag.contains("checked"), "not ticked by default: {tag}");
    assert!(tag.contains("aria-describedby=\"hint-project_bound\""));
    assert!(
        html.contains("Förderung, die bald endet"),
        "says what it changes"
    );
    // The form on the list of sources says its messages in words as well.
    let (_, csrf) = fx.form("/sources");
    let (status, html, _) = post_form(
        &app.client,
        "/sources",
        &[("csrf", &csrf), ("title", ""), ("url", "quelle.example")],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    for field in ["title", "url"] {
        let said = message(&html, field);
        assert!(
            said.starts_with("Bitte") && !said.contains("must"),
            "{said}"
        );
    }
    page(&app.client, "/lang/en?back=/");
    let (html, _) = fx.form(&format!("/organisations/{}/edit", fx.verein));
    assert!(html.contains("<h1>Edit organisation</h1>") && html.contains(">Cancel<"));
    assert!(html.contains(">Members from<") && html.contains(">Members to<"));
}

fn a_note_after_every_save_delete_and_restore(app: &TestApp) {
    let fx = fixture(app);
    let path = format!("/organisations/{}/edit", fx.verein);
    let (_, csrf) = fx.form(&path);
    let (status, _, location) = post_form(
        &app.client,
        &path,
        &[
            ("csrf", &csrf),
            ("name", "Romano Than e.V."),
            ("kind", "roma_self_organisation"),
            ("city", "Dortmund"),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    let location = location.expect("to the profile");
    assert_eq!(location, format!("/organisations/{}?done=saved", fx.verein));
    let (_, html) = page(&app.client, &location);
    assert!(
        html.contains("role=\"status\" id=\"done\">Gespeichert."),
        "{html}"
    );
    let (_, html) = page(&app.client, &format!("/organisations/{}", fx.verein));
    assert!(!html.contains("id=\"done\""), "only right after the save");

    let edits = [
        (
            format!("/fundings/{}/edit", fx.funding),
            vec![("funder", "Stiftung Mercator"), ("status", "granted")],
        ),
        (
            format!("/relations/{}/edit", fx.relation),
            vec![("kind", "member_of"), ("target", "Stadt Dortmund")],
        ),
        (
            format!("/affiliations/{}/edit", fx.affiliation),
            vec![("role", "chair")],
        ),
        (
            format!("/persons/{}/edit", fx.person),
            vec![("display_name", "Vorstand A"), ("visibility", "restricted")],
        ),
        (
            format!("/sources/{}/edit", fx.source),
            vec![("title", "Studie Kapitel 4")],
        ),
    ];
    for (path, fields) in edits {
        let (_, csrf) = fx.form(&path);
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields.iter().copied());
        let (status, _, location) = post_form(&app.client, &path, &all);
        assert_eq!(status, Status::SeeOther, "{path}");
        let location = location.expect("goes on");
        assert!(location.ends_with("?done=saved"), "{path}: {location}");
        let (_, html) = page(&app.client, &location);
        assert!(html.contains("id=\"done\">Gespeichert."), "{path}");
    }

    let confirm = format!("/fundings/{}/delete", fx.funding);
    let (_, csrf) = fx.form(&confirm);
    let (status, _, location) = post_form(&app.client, &confirm, &[("csrf", &csrf)]);
    assert_eq!(status, Status::SeeOther);
    let location = location.expect("back to the organisation");
    assert_eq!(
        location,
        format!("/organisations/{}?done=deleted", fx.verein)
    );
    let (_, html) = page(&app.client, &location);
    assert!(html.contains("role=\"status\" id=\"done\">Gelöscht."));
    let restore = format!("/fundings/{}/restore", fx.funding);
    let (status, _, location) = post_form(&app.client, &restore, &[("csrf", &csrf)]);
    assert_eq!(status, Status::SeeOther);
    let (_, html) = page(&app.client, &location.expect("back"));
    assert!(html.contains("role=\"status\" id=\"done\">Wiederhergestellt."));
    page(&app.client, "/lang/en?back=/");
    let (_, html) = page(
        &app.client,
        &format!("/organisations/{}?done=saved", fx.verein),
    );
    assert!(html.contains("id=\"done\">Saved."));
}

fn a_role_edited_from_a_person_page_returns_there(app: &TestApp) {
    let fx = fixture(app);
    let person_page = format!("/persons/{}", fx.person);
    let path = format!("/affiliations/{}/edit?return={person_page}", fx.affiliation);
    let (html, csrf) = fx.form(&path);
    assert!(
        html.contains(&format!(
            "action=\"/affiliations/{}/edit?return={person_page}\"",
            fx.affiliation
        )),
        "the form carries the way back"
    );
    assert!(html.contains(&format!("href=\"{person_page}\" id=\"cancel\"")));
    let (status, _, location) =
        post_form(&app.client, &path, &[("csrf", &csrf), ("role", "chair")]);
    assert_eq!(status, Status::SeeOther);
    assert_eq!(location, Some(format!("{person_page}?done=saved")));
    // A refused save keeps the way back.
    let (status, html, _) = post_form(
        &app.client,
        &path,
        &[
            ("csrf", &csrf),
            ("role", "chair"),
            ("start", "2020"),
            ("end", "2019"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains(&format!("?return={person_page}")));
    // Deleting from there goes back there too.
    let delete = format!(
        "/affiliations/{}/delete?return={person_page}",
        fx.affiliation
    );
    assert!(
        html.contains(&format!("href=\"{delete}\"")),
        "delete carries it"
    );
    let (html, csrf) = fx.form(&delete);
    assert!(html.contains(&format!("action=\"{delete}\"")));
    let (status, _, location) = post_form(&app.client, &delete, &[("csrf", &csrf)]);
    assert_eq!(status, Status::SeeOther);
    assert_eq!(location, Some(format!("{person_page}?done=deleted")));
    // Anything but a local record page is ignored: no open redirect.
    let restore = format!(
        "/affiliations/{}/restore?return=https://evil.example/",
        fx.affiliation
    );
    let (status, _, location) = post_form(&app.client, &restore, &[("csrf", &csrf)]);
    assert_eq!(status, Status::SeeOther);
    assert_eq!(
        location,
        Some(format!("/organisations/{}?done=restored", fx.verein))
    );
}

on_both_backends!(
    the_organisation_form_shows_every_problem_at_once,
    every_link_form_shows_every_problem_at_once,
    labels_titles_and_the_project_bound_box,
    a_note_after_every_save_delete_and_restore,
    a_role_edited_from_a_person_page_returns_there,
);

fn a_refused_new_person_gives_the_role_to_the_existing_one(app: &TestApp) {
    let fx = fixture(app);
    let path = format!("/organisations/{}/people/new", fx.verein);
    let (_, csrf) = fx.form(&path);
    let typed = [
        ("csrf", csrf.as_str()),
        ("organisation", fx.verein.as_str()),
        ("display_name", "Vorstand A"),
        ("visibility", "restricted"),
        ("role", "treasurer"),
        ("title", "Kasse"),
        ("start", "2022"),
        ("paid", "false"),
        ("fields_of_work", "youth"),
    ];
    let before = app.snapshot();
    let (status, html, _) = post_form(&app.client, &path, &typed);
    assert_eq!(status, Status::Conflict, "{html}");
    assert_eq!(app.snapshot(), before, "nothing written");
    let offer = format!(
        "formaction=\"/persons/{}/roles/new?return=/organisations/{}\"",
        fx.person, fx.verein
    );
    assert!(html.contains(&offer), "offers the existing person: {html}");
    assert!(html.contains("id=\"add-to-existing\""));
    assert!(html.contains("value=\"Kasse\"") && html.contains("value=\"2022\""));
    // The button posts what was typed to the existing person's role form.
    let action = format!(
        "/persons/{}/roles/new?return=/organisations/{}",
        fx.person, fx.verein
    );
    let (status, _, location) = post_form(&app.client, &action, &typed);
    assert_eq!(status, Status::SeeOther);
    assert_eq!(
        location,
        Some(format!("/organisations/{}?done=saved", fx.verein))
    );
    let (_, roles) = app.get(
        &format!("/api/v1/affiliations?person={}", fx.person),
        Some(&fx.tok),
    );
    let roles = roles["items"].as_array().expect("roles").clone();
    let kept = roles
        .iter()
        .find(|r| r["role"] == "treasurer")
        .expect("the new role");
    assert_eq!(kept["organisation_id"], fx.verein.as_str());
    assert_eq!(kept["title"], "Kasse");
    assert_eq!(kept["start"], "2022");
    assert_eq!(kept["fields_of_work"], serde_json::json!(["youth"]));
    assert_eq!(roles.len(), 2, "the board role and the new one");
}

on_both_backends!(a_refused_new_person_gives_the_role_to_the_existing_one);

fn the_person_page_starts_role_edits_with_its_way_back(app: &TestApp) {
    let fx = fixture(app);
    let person_page = format!("/persons/{}", fx.person);
    let (_, html) = page(&app.client, &person_page);
    let edit = format!("/affiliations/{}/edit?return={person_page}", fx.affiliation);
    assert!(html.contains(&format!("href=\"{edit}\"")), "{html}");
    let (_, csrf) = fx.form(&edit);
    let (status, _, location) = post_form(
        &app.client,
        &edit,
        &[("csrf", &csrf), ("role", "treasurer")],
    );
    assert_eq!(status, Status::SeeOther);
    assert_eq!(location, Some(format!("{person_page}?done=saved")));
    let (_, html) = page(&app.client, &format!("{person_page}?done=saved"));
    assert!(html.contains("id=\"done\">Gespeichert."));
}

on_both_backends!(the_person_page_starts_role_edits_with_its_way_back);

fn every_record_form_cites_a_source(app: &TestApp) {
    let fx = fixture(app);
    for path in [
        "/organisations/new".to_string(),
        format!("/organisations/{}/edit", fx.verein),
        format!("/organisations/{}/people/new", fx.verein),
        format!("/persons/{}/roles/new", fx.person),
        format!("/affiliations/{}/edit", fx.affiliation),
        format!("/organisations/{}/fundings/new", fx.verein),
        format!("/fundings/{}/edit", fx.funding),
        format!("/organisations/{}/relations/new", fx.verein),
        format!("/relations/{}/edit", fx.relation),
        "/persons/new".to_string(),
        format!("/persons/{}/edit", fx.person),
    ] {
        let (html, _) = fx.form(&path);
        assert!(html.contains("id=\"citations\""), "{path}");
        assert!(
            html.contains("name=\"cite.source\"") && html.contains("list=\"source-titles\""),
            "{path}"
        );
        assert!(
            html.contains("<option value=\"Studie Kapitel 4\">"),
            "{path}: suggests sources"
        );
    }
    // An existing source by its title.
    let path = format!("/fundings/{}/edit", fx.funding);
    let (_, csrf) = fx.form(&path);
    let fields = [
        ("csrf", csrf.as_str()),
        ("funder", "Stiftung Mercator"),
        ("amount", "30.000 – 70.000"),
        ("start", "2019"),
        ("end", "2021"),
        ("status", "granted"),
        ("cite.source", "Studie Kapitel 4"),
        ("cite.locator", "Kap. 4.3.2"),
    ];
    let (status, html, _) = post_form(&app.client, &path, &fields);
    assert_eq!(status, Status::SeeOther, "{html}");
    let stored = fx.record("fundings", &fx.funding);
    assert_eq!(
        stored["citations"],
        serde_json::json!([{"source_id": fx.source, "locator": "Kap. 4.3.2"}])
    );
    // A new title registers the source; a refused form registers nothing.
    let path = format!("/affiliations/{}/edit", fx.affiliation);
    let (_, csrf) = fx.form(&path);
    let before = app.snapshot();
    let (status, _, _) = post_form(
        &app.client,
        &path,
        &[
            ("csrf", &csrf),
            ("role", "chair"),
            ("start", "2020"),
            ("end", "2019"),
            ("cite.source", "Interview Stadt Dortmund 2024"),
            ("cite.locator", "I4.31"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(app.snapshot(), before, "no source registered");
    let (status, _, _) = post_form(
        &app.client,
        &path,
        &[
            ("csrf", &csrf),
            ("role", "chair"),
            ("cite.source", "Interview Stadt Dortmund 2024"),
            ("cite.locator", "I4.31"),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    let stored = fx.record("affiliations", &fx.affiliation);
    let cited = stored["citations"][0]["source_id"]
        .as_str()
        .expect("cited")
        .to_string();
    assert_eq!(
        fx.record("sources", &cited)["title"],
        "Interview Stadt Dortmund 2024"
    );
    // Half a citation is refused beside the missing field, in words.
    let (_, csrf) = fx.form("/organisations/new");
    let (status, html, _) = post_form(
        &app.client,
        "/organisations/new",
        &[
            ("csrf", &csrf),
            ("name", "Neuer Verein e.V."),
            ("kind", "migrant_organisation"),
            ("cite.locator", "S. 12"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    marked(&html, "cite.source");
    assert!(summary(&html).contains("Quelle (Titel): Bitte ausfüllen."));
    german_words_only(&html);
}

on_both_backends!(every_record_form_cites_a_source);

/// The forms outside the record pages follow the same rules: the sources list's form,
/// the administration's new-user form and the network filters list every problem in
/// words with the field's label; the note after a save is not repeated when the reader
/// switches the language.
fn the_other_forms_follow_the_same_rules(app: &TestApp) {
    let fx = fixture(app);
    let (_, csrf) = fx.form("/sources");
    let (status, html, _) = post_form(
        &app.client,
        "/sources",
        &[("csrf", &csrf), ("title", " "), ("accessed_on", "2021-13")],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    marked(&html, "title");
    marked(&html, "accessed_on");
    let list = summary(&html);
    assert!(list.contains("href=\"#title\""), "{list}");
    assert!(list.contains("href=\"#accessed_on\""), "{list}");
    assert!(message(&html, "accessed_on").contains("14.05.2019"));
    german_words_only(&html);

    let (status, _, location) = post_form(
        &app.client,
        "/sources",
        &[("csrf", &csrf), ("title", "Protokoll Runder Tisch 2024")],
    );
    assert_eq!(status, Status::SeeOther);
    let location = location.expect("back to the list");
    assert_eq!(location, "/sources?done=saved");
    let (_, html) = page(&app.client, &location);
    assert!(html.contains("id=\"done\">Gespeichert."), "{html}");
    let switched = app
        .client
        .get("/lang/en?back=%2Fsources%3Fdone%3Dsaved")
        .dispatch();
    assert_eq!(
        switched.headers().get_one("Location"),
        Some("/sources"),
        "the same page, without the note"
    );

    let (_, html) = page(&app.client, "/network?depth=viele&from=2021-13");
    let list = summary(&html);
    assert!(list.contains("href=\"#depth\">Steps</a>"), "{list}");
    assert!(list.contains("href=\"#from\">"), "{list}");
    assert!(
        !list.contains(">depth<") && !list.contains(">from<"),
        "{list}"
    );
    page(&app.client, "/lang/de?back=/");
    let (_, html) = page(&app.client, "/network?depth=viele");
    assert!(summary(&html).contains("href=\"#depth\">Schritte</a>"));

    sign_in_user(app, UserRole::Admin);
    let (_, csrf) = fx.form("/admin");
    let (status, html, _) = post_form(
        &app.client,
        "/admin/users",
        &[
            ("csrf", &csrf),
            ("name", " "),
            ("role", "editor"),
            ("password", "kurz"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    marked(&html, "name");
    marked(&html, "password");
    let list = summary(&html);
    assert!(list.contains("href=\"#name\""), "{list}");
    assert!(list.contains("href=\"#password\""), "{list}");
    german_words_only(&html);
}

on_both_backends!(the_other_forms_follow_the_same_rules);
