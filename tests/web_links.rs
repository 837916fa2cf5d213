//! Editing, deleting and restoring roles, fundings, relations and sources through the
//! forms, the new-person page and roles added from a person's page, on both backends:
//! values shown for editing, bad input kept beside its field with nothing changed,
//! duplicates linked, CSRF and roles enforced, every write in the audit log.
mod common;

use common::web::*;
use common::TestApp;
use knotenpunkt::domain::UserRole;
use rocket::http::Status;
use serde_json::{json, Value};

/// Records made through the API, and an editor signed in on the app's web client.
struct Fx<'a> {
    app: &'a TestApp,
    tok: String,
    verein: String,
    stadt: String,
    stiftung: String,
    person: String,
    affiliation: String,
    funding: String,
    relation: String,
    source: String,
}

fn fixture(app: &TestApp) -> Fx<'_> {
    let tok = app.editor();
    let org = |name: &str, kind: &str| {
        let body = json!({"name": name, "kind": kind, "city": "Dortmund"});
        app.create("organisations", &tok, body)
    };
    let verein = org("Romano Than e.V.", "roma_self_organisation");
    let stadt = org("Stadt Dortmund", "municipality");
    let stiftung = org("Stiftung Mercator", "funder");
    let person = app.create(
        "persons",
        &tok,
        json!({"display_name": "Vorstand A", "is_pseudonym": true, "visibility": "restricted"}),
    );
    let affiliation = app.create(
        "affiliations",
        &tok,
        json!({"person_id": person, "organisation_id": verein, "role": "board_member",
               "start": "2016", "paid": false, "project_bound": false,
               "fields_of_work": ["education"]}),
    );
    let funding = app.create(
        "fundings",
        &tok,
        json!({"funder_id": stiftung, "recipient_id": verein, "amount_min": 3_000_000,
               "amount_max": 7_000_000, "start": "2019", "end": "2021",
               "project_bound": true, "status": "granted"}),
    );
    let relation = app.create(
        "relations",
        &tok,
        json!({"source_id": verein, "target_id": stadt, "kind": "founded_on_initiative_of",
               "start": "2016"}),
    );
    let source = app.create(
        "sources",
        &tok,
        json!({"title": "Studie Kapitel 4", "accessed_on": "2024"}),
    );
    sign_in(app, UserRole::Editor);
    Fx {
        app,
        tok,
        verein,
        stadt,
        stiftung,
        person,
        affiliation,
        funding,
        relation,
        source,
    }
}

impl Fx<'_> {
    fn record(&self, resource: &str, id: &str) -> Value {
        let (status, value) = self
            .app
            .get(&format!("/api/v1/{resource}/{id}"), Some(&self.tok));
        assert_eq!(status, Status::Ok, "{resource} {id}: {value}");
        value
    }

    fn status_of(&self, resource: &str, id: &str) -> Status {
        self.app
            .get(&format!("/api/v1/{resource}/{id}"), Some(&self.tok))
            .0
    }

    /// The edit form's page and its CSRF token.
    fn form(&self, path: &str) -> (String, String) {
        let (status, html) = page(&self.app.client, path);
        assert_eq!(status, Status::Ok, "{path}: {html}");
        let csrf = csrf_of(&html);
        (html, csrf)
    }
}

fn actions(app: &TestApp, id: &str) -> Vec<String> {
    app.changes_of(id).into_iter().map(|(a, _)| a).collect()
}

fn edit_a_role_and_see_it_on_the_profile(app: &TestApp) {
    let fx = fixture(app);
    let path = format!("/affiliations/{}/edit", fx.affiliation);
    let (html, csrf) = fx.form(&path);
    assert!(html.contains("value=\"2016\""), "stored start shown");
    assert!(
        html.contains("<option value=\"board_member\" selected>"),
        "stored role selected"
    );
    assert!(
        html.contains(&format!(
            "href=\"/persons/{}\" id=\"person-link\"",
            fx.person
        )),
        "names the person, linked"
    );
    assert!(
        html.contains("<option value=\"false\" selected>"),
        "stored: unpaid"
    );
    let (status, _, location) = post_form(
        &app.client,
        &path,
        &[
            ("csrf", &csrf),
            ("role", "chair"),
            ("start", "2016"),
            ("end", "31.12.2023"),
            ("paid", "true"),
            ("fields_of_work", "education"),
            ("fields_of_work", "mediation"),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    assert_eq!(location, Some(format!("/organisations/{}", fx.verein)));
    let stored = fx.record("affiliations", &fx.affiliation);
    assert_eq!(stored["role"], "chair");
    assert_eq!(stored["end"], "2023-12-31");
    assert_eq!(stored["paid"], true);
    assert_eq!(stored["fields_of_work"], json!(["education", "mediation"]));
    assert_eq!(stored["person_id"], fx.person.as_str(), "person kept");
    let (_, profile) = page(&app.client, &format!("/organisations/{}", fx.verein));
    assert!(
        profile.contains("2016 – 2023-12-31"),
        "new period on the profile"
    );
    assert!(profile.contains(&format!("/affiliations/{}/edit", fx.affiliation)));
    assert_eq!(actions(app, &fx.affiliation), ["create", "update"]);
}

/// An edit form, the fields posted to it, and the field that must show an error.
type EditCase = (String, Vec<(&'static str, &'static str)>, &'static str);

fn bad_input_on_an_edit_form_is_kept_and_changes_nothing(app: &TestApp) {
    let fx = fixture(app);
    let before = (
        fx.record("affiliations", &fx.affiliation),
        fx.record("fundings", &fx.funding),
        fx.record("relations", &fx.relation),
        fx.record("sources", &fx.source),
    );
    let changes = app.snapshot();
    let cases: [EditCase; 4] = [
        (
            format!("/affiliations/{}/edit", fx.affiliation),
            vec![("role", "chair"), ("start", "2020"), ("end", "2019")],
            "end",
        ),
        (
            format!("/fundings/{}/edit", fx.funding),
            vec![
                ("funder", "Stiftung Mercator"),
                ("amount", "70.000 – 30.000"),
                ("status", "granted"),
            ],
            "amount",
        ),
        (
            format!("/relations/{}/edit", fx.relation),
            vec![("kind", "member_of"), ("target", "Gibt es nicht e.V.")],
            "target",
        ),
        (
            format!("/sources/{}/edit", fx.source),
            vec![("title", "Studie Kapitel 4"), ("accessed_on", "2024-02-30")],
            "accessed_on",
        ),
    ];
    for (path, fields, bad) in cases {
        let (_, csrf) = fx.form(&path);
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields.iter().copied());
        let (status, html, _) = post_form(&app.client, &path, &all);
        assert_eq!(status, Status::UnprocessableEntity, "{path}: {html}");
        assert!(
            html.contains(&format!("id=\"error-{bad}\"")),
            "{path}: {html}"
        );
        for (name, value) in &fields {
            let shown = format!("value=\"{value}\"");
            if *name != "role" && *name != "kind" && *name != "status" {
                assert!(html.contains(&shown), "{path}: {name} kept as typed");
            }
        }
    }
    assert_eq!(app.snapshot(), changes, "nothing written");
    let after = (
        fx.record("affiliations", &fx.affiliation),
        fx.record("fundings", &fx.funding),
        fx.record("relations", &fx.relation),
        fx.record("sources", &fx.source),
    );
    assert_eq!(after, before);
}

fn edit_a_funding_and_a_relation(app: &TestApp) {
    let fx = fixture(app);
    let path = format!("/fundings/{}/edit", fx.funding);
    let (html, csrf) = fx.form(&path);
    assert!(
        html.contains("value=\"Stiftung Mercator\""),
        "funder by name"
    );
    assert!(
        html.contains("value=\"30.000 – 70.000\""),
        "amount as a range"
    );
    let (status, _, location) = post_form(
        &app.client,
        &path,
        &[
            ("csrf", &csrf),
            ("funder", "Stiftung Mercator"),
            ("amount", "45000"),
            ("programme", "Teilhabe"),
            ("start", "2019"),
            ("end", "2022"),
            ("project_bound", "true"),
            ("status", "granted"),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    assert_eq!(location, Some(format!("/organisations/{}", fx.verein)));
    let stored = fx.record("fundings", &fx.funding);
    assert_eq!(
        (
            &stored["amount_min"],
            &stored["amount_max"],
            &stored["end"],
            &stored["programme"]
        ),
        (
            &json!(4_500_000),
            &json!(4_500_000),
            &json!("2022"),
            &json!("Teilhabe")
        )
    );
    assert_eq!(stored["funder_id"], fx.stiftung.as_str());

    let path = format!("/relations/{}/edit", fx.relation);
    let (html, csrf) = fx.form(&path);
    assert!(html.contains("value=\"Stadt Dortmund\""), "target by name");
    let (status, _, _) = post_form(
        &app.client,
        &path,
        &[
            ("csrf", &csrf),
            ("kind", "relies_on"),
            ("target", "Stadt Dortmund"),
            ("start", "2017"),
            ("description", "Die Stadt braucht die Hilfe des Vereins"),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    let stored = fx.record("relations", &fx.relation);
    assert_eq!(stored["kind"], "relies_on");
    assert_eq!(stored["target_id"], fx.stadt.as_str());
    assert_eq!(stored["start"], "2017");
    assert_eq!(actions(app, &fx.funding), ["create", "update"]);
    assert_eq!(actions(app, &fx.relation), ["create", "update"]);
}

fn an_edit_keeps_what_it_does_not_change(app: &TestApp) {
    let fx = fixture(app);
    // Pay not known, and a funding known only to be at least 30.000,50 EUR.
    let role = app.create(
        "affiliations",
        &fx.tok,
        json!({"person_id": fx.person, "organisation_id": fx.stadt, "role": "employee",
               "start": "2018", "project_bound": false}),
    );
    let funding = app.create(
        "fundings",
        &fx.tok,
        json!({"funder_id": fx.stiftung, "recipient_id": fx.stadt, "amount_min": 3_000_050,
               "start": "2020", "project_bound": true, "status": "granted"}),
    );
    let path = format!("/affiliations/{role}/edit");
    let (html, csrf) = fx.form(&path);
    assert!(
        html.contains("<option value=\"\" selected>"),
        "pay: not known"
    );
    let (status, _, _) = post_form(
        &app.client,
        &path,
        &[
            ("csrf", &csrf),
            ("role", "employee"),
            ("start", "2018"),
            ("end", "2022"),
            ("paid", ""),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    let stored = fx.record("affiliations", &role);
    assert_eq!(
        (&stored["end"], &stored["paid"]),
        (&json!("2022"), &Value::Null)
    );

    let path = format!("/fundings/{funding}/edit");
    let (html, csrf) = fx.form(&path);
    assert!(
        html.contains("value=\"≥ 30.000,50\""),
        "an open range, with cents"
    );
    let (status, _, _) = post_form(
        &app.client,
        &path,
        &[
            ("csrf", &csrf),
            ("funder", "Stiftung Mercator"),
            ("amount", "≥ 30.000,50"),
            ("start", "2020"),
            ("end", "2023"),
            ("project_bound", "true"),
            ("status", "granted"),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    let stored = fx.record("fundings", &funding);
    assert_eq!(
        (&stored["amount_min"], &stored["amount_max"], &stored["end"]),
        (&json!(3_000_050), &Value::Null, &json!("2023"))
    );
}

fn a_shared_name_on_an_edit_form_keeps_its_organisation(app: &TestApp) {
    let fx = fixture(app);
    // A second "Stadt Dortmund" (another kind): the name alone no longer decides.
    app.create(
        "organisations",
        &fx.tok,
        json!({"name": "Stadt Dortmund", "kind": "municipal_unit", "city": "Dortmund"}),
    );
    let path = format!("/relations/{}/edit", fx.relation);
    let (html, csrf) = fx.form(&path);
    assert!(html.contains("value=\"Stadt Dortmund\""));
    let (status, _, _) = post_form(
        &app.client,
        &path,
        &[
            ("csrf", &csrf),
            ("kind", "founded_on_initiative_of"),
            ("target", "Stadt Dortmund"),
            ("start", "2015"),
        ],
    );
    assert_eq!(
        status,
        Status::SeeOther,
        "the unchanged name keeps the stored target"
    );
    let stored = fx.record("relations", &fx.relation);
    assert_eq!(
        (&stored["target_id"], &stored["start"]),
        (&json!(fx.stadt), &json!("2015"))
    );
    // Typed anew on a new relation, the same name is ambiguous and says so.
    let path = format!("/organisations/{}/relations/new", fx.verein);
    let (_, csrf) = fx.form(&path);
    let (status, html, _) = post_form(
        &app.client,
        &path,
        &[
            ("csrf", &csrf),
            ("kind", "cooperates_with"),
            ("target", "Stadt Dortmund"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("id=\"error-target\""), "{html}");
}

fn a_cited_source_cannot_be_deleted(app: &TestApp) {
    let fx = fixture(app);
    let (status, org) = app.put(
        &format!("/api/v1/organisations/{}", fx.verein),
        Some(&fx.tok),
        &json!({"name": "Romano Than e.V.", "kind": "roma_self_organisation",
                "city": "Dortmund",
                "citations": [{"source_id": fx.source, "locator": "4.3.2, I4.31"}]}),
    );
    assert_eq!(status, Status::Ok, "{org}");
    let confirm = format!("/sources/{}/delete", fx.source);
    let (_, csrf) = fx.form(&confirm);
    let before = app.snapshot();
    let (status, html, _) = post_form(&app.client, &confirm, &[("csrf", &csrf)]);
    assert_eq!(status, Status::Conflict);
    assert!(html.contains("cited by 1 record"), "{html}");
    let (status, _) = app.delete(&format!("/api/v1/sources/{}", fx.source), Some(&fx.tok));
    assert_eq!(status, Status::Conflict);
    assert_eq!(app.snapshot(), before, "nothing deleted");
    assert_eq!(fx.status_of("sources", &fx.source), Status::Ok);
}

fn delete_and_restore_links_from_their_pages(app: &TestApp) {
    let fx = fixture(app);
    let profile = format!("/organisations/{}", fx.verein);
    for (resource, id) in [
        ("affiliations", &fx.affiliation),
        ("fundings", &fx.funding),
        ("relations", &fx.relation),
    ] {
        let (html, _) = fx.form(&format!("/{resource}/{id}/edit"));
        let confirm = format!("/{resource}/{id}/delete");
        assert!(
            html.contains(&format!("href=\"{confirm}\"")),
            "delete offered"
        );
        let (html, csrf) = fx.form(&confirm);
        assert!(html.contains("id=\"confirm-delete\""));
        assert!(html.contains("Romano Than e.V."), "names what goes: {html}");
        let (status, _, location) = post_form(&app.client, &confirm, &[("csrf", &csrf)]);
        assert_eq!(status, Status::SeeOther);
        assert_eq!(location.as_deref(), Some(profile.as_str()));
        assert_eq!(
            fx.status_of(resource, id),
            Status::NotFound,
            "{resource} gone"
        );
    }
    let (_, html) = page(&app.client, &profile);
    assert!(
        html.contains("id=\"deleted-links\""),
        "deleted links listed"
    );
    for (resource, id) in [
        ("affiliations", &fx.affiliation),
        ("fundings", &fx.funding),
        ("relations", &fx.relation),
    ] {
        let restore = format!("/{resource}/{id}/restore");
        assert!(html.contains(&restore), "restore offered for {resource}");
        let csrf = csrf_of(&html);
        let (status, _, location) = post_form(&app.client, &restore, &[("csrf", &csrf)]);
        assert_eq!(status, Status::SeeOther, "{resource}");
        assert_eq!(location.as_deref(), Some(profile.as_str()));
        assert_eq!(fx.status_of(resource, id), Status::Ok, "{resource} back");
        assert_eq!(actions(app, id), ["create", "delete", "restore"]);
    }
    let (_, html) = page(&app.client, &profile);
    assert!(
        !html.contains("id=\"deleted-links\""),
        "nothing left to restore"
    );
    assert!(
        html.contains("Vorstand A"),
        "the role is back on the profile"
    );
}

fn a_link_whose_other_end_is_deleted_points_there_first(app: &TestApp) {
    let fx = fixture(app);
    // Deleting the city takes the relation to it along.
    let (status, _) = app.delete(
        &format!("/api/v1/organisations/{}", fx.stadt),
        Some(&fx.tok),
    );
    assert_eq!(status, Status::NoContent);
    let profile = format!("/organisations/{}", fx.verein);
    let (_, html) = page(&app.client, &profile);
    assert!(html.contains("id=\"deleted-links\""), "{html}");
    assert!(
        html.contains(&format!(
            "<a href=\"/organisations/{}\">Stadt Dortmund</a></span>",
            fx.stadt
        )),
        "points to the deleted city: {html}"
    );
    assert!(
        !html.contains(&format!("/relations/{}/restore", fx.relation)),
        "no restore that would fail"
    );
    // Restoring the city brings the relation back with it.
    let city = format!("/organisations/{}", fx.stadt);
    let (_, city_page) = page(&app.client, &city);
    let (status, _, _) = post_form(
        &app.client,
        &format!("{city}/restore"),
        &[("csrf", &csrf_of(&city_page))],
    );
    assert_eq!(status, Status::SeeOther);
    assert_eq!(fx.status_of("relations", &fx.relation), Status::Ok);
    let (_, html) = page(&app.client, &profile);
    assert!(!html.contains("id=\"deleted-links\""));
}

fn sources_are_edited_deleted_and_restored(app: &TestApp) {
    let fx = fixture(app);
    let other = app.create("sources", &fx.tok, json!({"title": "Interview I4"}));
    let (html, _) = fx.form("/sources");
    assert!(html.contains(&format!("/sources/{}/edit", fx.source)));
    let path = format!("/sources/{}/edit", fx.source);
    let (html, csrf) = fx.form(&path);
    assert!(html.contains("value=\"Studie Kapitel 4\""));
    // Renaming it to the other source's title is a duplicate that links to it.
    let before = app.snapshot();
    let (status, html, _) = post_form(
        &app.client,
        &path,
        &[("csrf", &csrf), ("title", "interview i4")],
    );
    assert_eq!(status, Status::Conflict);
    assert!(
        html.contains(&format!("href=\"/sources/{other}/edit\"")),
        "{html}"
    );
    assert!(html.contains("id=\"error-title\""));
    assert_eq!(app.snapshot(), before);
    let (status, _, location) = post_form(
        &app.client,
        &path,
        &[
            ("csrf", &csrf),
            ("title", "Studie, Kapitel 4.3"),
            ("accessed_on", "01.03.2024"),
        ],
    );
    assert_eq!(
        (status, location.as_deref()),
        (Status::SeeOther, Some("/sources"))
    );
    let stored = fx.record("sources", &fx.source);
    assert_eq!(stored["title"], "Studie, Kapitel 4.3");
    assert_eq!(stored["accessed_on"], "2024-03-01");

    let (_, csrf) = fx.form(&format!("/sources/{}/delete", fx.source));
    let delete = format!("/sources/{}/delete", fx.source);
    let (status, _, _) = post_form(&app.client, &delete, &[("csrf", &csrf)]);
    assert_eq!(status, Status::SeeOther);
    let (_, html) = page(&app.client, "/sources");
    assert!(html.contains("id=\"deleted\""), "deleted sources listed");
    let restore = format!("/sources/{}/restore", fx.source);
    assert!(html.contains(&restore));
    let (status, _, _) = post_form(&app.client, &restore, &[("csrf", &csrf_of(&html))]);
    assert_eq!(status, Status::SeeOther);
    assert_eq!(fx.status_of("sources", &fx.source), Status::Ok);
    assert_eq!(
        actions(app, &fx.source),
        ["create", "update", "delete", "restore"]
    );
}

fn a_duplicate_links_to_the_existing_record(app: &TestApp) {
    let fx = fixture(app);
    // The same funding again, entered from the recipient's page.
    let path = format!("/organisations/{}/fundings/new", fx.verein);
    let (_, csrf) = fx.form(&path);
    let before = app.snapshot();
    let (status, html, _) = post_form(
        &app.client,
        &path,
        &[
            ("csrf", &csrf),
            ("funder", "Stiftung Mercator"),
            ("amount", "30.000 – 70.000"),
            ("start", "2019"),
            ("end", "2021"),
            ("project_bound", "true"),
            ("status", "granted"),
        ],
    );
    assert_eq!(status, Status::Conflict, "{html}");
    assert!(html.contains("id=\"duplicate\""));
    assert!(
        html.contains(&format!("href=\"/fundings/{}/edit\"", fx.funding)),
        "links to the existing funding"
    );
    assert!(html.contains("value=\"30.000 – 70.000\""), "input kept");
    // A new person whose name is taken links to that person.
    let (_, csrf) = fx.form("/persons/new");
    let (status, html, _) = post_form(
        &app.client,
        "/persons/new",
        &[
            ("csrf", &csrf),
            ("display_name", "Vorstand A"),
            ("visibility", "restricted"),
        ],
    );
    assert_eq!(status, Status::Conflict);
    assert!(html.contains(&format!("href=\"/persons/{}\"", fx.person)));
    assert_eq!(app.snapshot(), before, "nothing written");
}

fn a_new_person_gets_roles_on_both_sides_and_is_marked_as_tandem(app: &TestApp) {
    let fx = fixture(app);
    let (html, _) = fx.form("/persons");
    assert!(
        html.contains("href=\"/persons/new\""),
        "offered on the list"
    );
    let (html, csrf) = fx.form("/persons/new");
    assert!(
        html.contains("<option value=\"restricted\" selected>"),
        "restricted by default"
    );
    let (status, _, location) = post_form(
        &app.client,
        "/persons/new",
        &[
            ("csrf", &csrf),
            ("display_name", "Vorstand B"),
            ("visibility", "restricted"),
            ("is_pseudonym", "true"),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    let person_page = location.expect("goes to the person");
    let person = person_page.trim_start_matches("/persons/").to_string();
    assert_eq!(actions(app, &person), ["create"]);

    let roles = format!("/persons/{person}/roles/new");
    let (_, html) = page(&app.client, &person_page);
    assert!(
        html.contains(&format!("href=\"{roles}\"")),
        "add a role offered"
    );
    let (html, csrf) = fx.form(&roles);
    assert!(
        html.contains("list=\"org-names\""),
        "organisation search field"
    );
    // Without a role the form comes back with the organisation kept.
    let (status, html, _) = post_form(
        &app.client,
        &roles,
        &[
            ("csrf", &csrf),
            ("organisation", "Romano Than"),
            ("start", "2016"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("id=\"error-role\""));
    assert!(html.contains("value=\"Romano Than\""));
    for (organisation, role, start, paid) in [
        ("Romano Than", "board_member", "2016", "false"),
        ("Stadt Dortmund", "employee", "2018-04", "true"),
    ] {
        let (status, _, location) = post_form(
            &app.client,
            &roles,
            &[
                ("csrf", &csrf),
                ("organisation", organisation),
                ("role", role),
                ("start", start),
                ("paid", paid),
            ],
        );
        assert_eq!(status, Status::SeeOther, "{organisation}");
        assert_eq!(location.as_deref(), Some(person_page.as_str()));
    }
    let (_, html) = page(&app.client, &person_page);
    assert!(html.contains("Romano Than e.V.") && html.contains("Stadt Dortmund"));
    assert!(
        html.contains("id=\"tandem\""),
        "the two roles form a tandem: {html}"
    );
    // The same role again is a duplicate linking to the stored role.
    let (status, html, _) = post_form(
        &app.client,
        &roles,
        &[
            ("csrf", &csrf),
            ("organisation", "Stadt Dortmund"),
            ("role", "employee"),
            ("start", "2018-04"),
        ],
    );
    assert_eq!(status, Status::Conflict);
    assert!(
        html.contains("href=\"/affiliations/"),
        "links to the role: {html}"
    );
    assert!(html.contains("id=\"error-organisation\""));
}

fn edit_and_delete_need_an_editor_and_a_csrf_token(app: &TestApp) {
    let fx = fixture(app);
    let forms = [
        format!("/affiliations/{}/edit", fx.affiliation),
        format!("/fundings/{}/edit", fx.funding),
        format!("/relations/{}/edit", fx.relation),
        format!("/sources/{}/edit", fx.source),
        format!("/fundings/{}/delete", fx.funding),
        format!("/persons/{}/roles/new", fx.person),
        "/persons/new".to_string(),
    ];
    let before = app.snapshot();
    // Signed in as editor, but with a wrong token: refused, nothing changes.
    for path in &forms {
        let (status, _, _) = post_form(&app.client, path, &[("csrf", "falsch"), ("role", "chair")]);
        assert_eq!(status, Status::Forbidden, "{path}");
    }
    let restore = format!("/fundings/{}/restore", fx.funding);
    let (status, _, _) = post_form(&app.client, &restore, &[("csrf", "")]);
    assert_eq!(status, Status::Forbidden);
    assert_eq!(app.snapshot(), before);

    // Signed out, every form asks for a sign-in and names no one.
    let (_, html) = page(&app.client, "/");
    let (status, _, _) = post_form(&app.client, "/signout", &[("csrf", &csrf_of(&html))]);
    assert_eq!(status, Status::SeeOther);
    for path in &forms {
        let (status, html) = page(&app.client, path);
        assert_eq!(status, Status::Unauthorized, "{path}");
        assert!(!html.contains("Vorstand A"), "no person named: {path}");
    }
    // A viewer may look at nothing of this either.
    sign_in(app, UserRole::Viewer);
    // Adding the viewer is a write of its own.
    let before = app.snapshot();
    for path in &forms {
        let (status, html) = page(&app.client, path);
        assert_eq!(status, Status::Forbidden, "{path}");
        assert!(
            !html.contains("id=\"save\""),
            "no form for a viewer: {path}"
        );
    }
    let (_, html) = page(&app.client, &format!("/organisations/{}", fx.verein));
    assert!(!html.contains("/edit\""), "no edit links for a viewer");
    let csrf = csrf_of(&html);
    let delete = format!("/fundings/{}/delete", fx.funding);
    let (status, _, _) = post_form(&app.client, &delete, &[("csrf", &csrf)]);
    assert_eq!(status, Status::Forbidden);
    assert_eq!(app.snapshot(), before);
}

fn admins_may_edit_too(app: &TestApp) {
    let fx = fixture(app);
    let (_, html) = page(&app.client, "/");
    post_form(&app.client, "/signout", &[("csrf", &csrf_of(&html))]);
    sign_in(app, UserRole::Admin);
    let path = format!("/relations/{}/edit", fx.relation);
    let (_, csrf) = fx.form(&path);
    let (status, _, _) = post_form(
        &app.client,
        &path,
        &[
            ("csrf", &csrf),
            ("kind", "cooperates_with"),
            ("target", "Stadt Dortmund"),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    assert_eq!(
        fx.record("relations", &fx.relation)["kind"],
        "cooperates_with"
    );
}

fn deleted_records_are_listed_for_editors_only(app: &TestApp) {
    let fx = fixture(app);
    let (status, _) = app.delete(&format!("/api/v1/fundings/{}", fx.funding), Some(&fx.tok));
    assert_eq!(status, Status::NoContent);
    let (status, list) = app.get("/api/v1/fundings?deleted=true", Some(&fx.tok));
    assert_eq!(status, Status::Ok);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], fx.funding.as_str());
    let (_, live) = app.get("/api/v1/fundings", Some(&fx.tok));
    assert_eq!(live["total"], 0);
    let viewer = app.token(UserRole::Viewer);
    let (status, _) = app.get("/api/v1/fundings?deleted=true", Some(&viewer));
    assert_eq!(status, Status::Forbidden);
    let (status, _) = app.get("/api/v1/fundings?deleted=true", None);
    assert_eq!(status, Status::Unauthorized);
    let (status, v) = app.get("/api/v1/fundings?deleted=ja", Some(&fx.tok));
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(TestApp::error_fields(&v), ["deleted"]);
    // A deleted person is found by the organisation of the roles deleted with it.
    let (status, _) = app.delete(&format!("/api/v1/persons/{}", fx.person), Some(&fx.tok));
    assert_eq!(status, Status::NoContent);
    let at_verein = format!("organisation={}", fx.verein);
    let (_, gone) = app.get(
        &format!("/api/v1/persons?deleted=true&{at_verein}"),
        Some(&fx.tok),
    );
    assert_eq!(gone["total"], 1, "{gone}");
    assert_eq!(gone["items"][0]["id"], fx.person.as_str());
    let (_, live) = app.get(&format!("/api/v1/persons?{at_verein}"), Some(&fx.tok));
    assert_eq!(live["total"], 0);
}

on_both_backends!(
    edit_a_role_and_see_it_on_the_profile,
    bad_input_on_an_edit_form_is_kept_and_changes_nothing,
    edit_a_funding_and_a_relation,
    an_edit_keeps_what_it_does_not_change,
    a_cited_source_cannot_be_deleted,
    a_shared_name_on_an_edit_form_keeps_its_organisation,
    delete_and_restore_links_from_their_pages,
    a_link_whose_other_end_is_deleted_points_there_first,
    sources_are_edited_deleted_and_restored,
    a_duplicate_links_to_the_existing_record,
    a_new_person_gets_roles_on_both_sides_and_is_marked_as_tandem,
    edit_and_delete_need_an_editor_and_a_csrf_token,
    admins_may_edit_too,
    deleted_records_are_listed_for_editors_only,
);
