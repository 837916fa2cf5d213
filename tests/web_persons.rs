//! Person pages through Rocket's local client: signed-in users only, the list, the
//! profile with roles over time and tandem marks (seed: Romano Drom's co-chair employed
//! in Hagen's Quartiersmanagement), the edit form, delete and restore, CSRF and roles.
mod common;

use common::web::*;
use common::TestApp;
use diesel::prelude::*;
use knotenpunkt::domain::UserRole;
use knotenpunkt::schema::persons;
use rocket::http::Status;

const CO_CHAIR: &str = "Co-Vorsitz Romano Drom (1)";

fn person_id(app: &TestApp, name: &str) -> String {
    let mut c = app.db().conn().unwrap();
    persons::table
        .filter(persons::display_name.eq(name))
        .select(persons::id)
        .first(&mut *c)
        .expect("seeded person")
}

fn person_row(app: &TestApp, id: &str) -> (String, String, bool, Option<String>) {
    let mut c = app.db().conn().unwrap();
    persons::table
        .find(id)
        .select((
            persons::display_name,
            persons::visibility,
            persons::is_pseudonym,
            persons::notes,
        ))
        .first(&mut *c)
        .unwrap()
}

#[test]
fn anonymous_visitors_get_no_person_data() {
    let app = TestApp::sqlite_seeded();
    let id = person_id(&app, CO_CHAIR);
    for path in [
        "/persons".to_string(),
        "/persons?q=Romano".to_string(),
        format!("/persons/{id}"),
        format!("/persons/{id}/edit"),
        format!("/persons/{id}/delete"),
    ] {
        let (status, html) = page(&app.client, &path);
        assert_eq!(status, Status::Unauthorized, "{path}");
        assert!(html.contains("Keine Berechtigung"), "the 401 page: {path}");
        assert!(
            !html.contains("Co-Vorsitz")
                && !html.contains("Vorstand Romano")
                && !html.contains("Quartiersmanagement"),
            "no person data in {path}: {html}"
        );
        assert!(!html.contains("href=\"/persons\""), "no persons link");
    }
    let before = app.snapshot();
    let (status, _, _) = post_form(
        &app.client,
        &format!("/persons/{id}/edit"),
        &[
            ("csrf", ""),
            ("display_name", "X"),
            ("visibility", "public"),
        ],
    );
    assert_eq!(status, Status::Forbidden);
    assert_eq!(app.snapshot(), before);
}

#[test]
fn viewers_see_the_list_and_the_tandem_of_romano_droms_co_chair() {
    let app = TestApp::sqlite_seeded();
    sign_in(&app, UserRole::Viewer);
    let (status, html) = page(&app.client, "/persons");
    assert_eq!(status, Status::Ok);
    assert!(html.contains("id=\"persons\"") && html.contains(CO_CHAIR));
    assert!(
        html.contains("href=\"/persons\""),
        "nav link for signed-in users"
    );
    let (_, html) = page(&app.client, "/persons?q=romano%20drom");
    assert!(html.contains(CO_CHAIR) && html.contains("Co-Vorsitz Romano Drom (2)"));
    assert!(!html.contains("Vorstand Romano Than"));
    assert!(html.contains("2 Treffer"));

    let start = html.find("href=\"/persons/").expect("link") + "href=\"".len();
    let link = html[start..].split('"').next().unwrap().to_string();
    assert_eq!(link, format!("/persons/{}", person_id(&app, CO_CHAIR)));
    let (status, html) = page(&app.client, &link);
    assert_eq!(status, Status::Ok);
    assert!(html.contains(&format!("<h1 id=\"person-name\">{CO_CHAIR}</h1>")));
    assert!(html.contains("id=\"pseudonym\">ja<"), "pseudonym flag");
    assert!(html.contains("eingeschränkt"), "visibility");
    assert!(html.contains("Tandem-Modell"), "notes");

    // Roles over time: the co-chair and the employment, with period, pay and fields.
    let roles = &html[html.find("id=\"roles\"").expect("roles table")..];
    let roles = &roles[..roles.find("</table>").unwrap()];
    assert!(roles.contains("Romano Drom e.V.") && roles.contains("Co-Vorsitz"));
    assert!(roles.contains("Quartiersmanagement") && roles.contains("Beschäftigt"));
    assert!(roles.contains("2019 – 2024") && roles.contains("bezahlt"));
    assert!(roles.contains("Mediation, Sozialberatung"));
    assert_eq!(
        roles.matches("class=\"tandem\"").count(),
        2,
        "both roles marked"
    );

    // The tandem itself: the overlap and the shared fields of work.
    let tandem = &html[html.find("id=\"tandem\"").expect("tandem table")..];
    let tandem = &tandem[..tandem.find("</table>").unwrap()];
    assert_eq!(tandem.matches("<tr class=\"tandem\">").count(), 1);
    assert!(tandem.contains(">Tandem<"));
    assert!(tandem.contains("Romano Drom e.V.") && tandem.contains("Fachbereich Integration"));
    assert!(tandem.contains("<td class=\"overlap\">2019 – 2024</td>"));
    assert!(tandem.contains("Mediation, Sozialberatung"));

    // A viewer sees no edit or delete buttons.
    assert!(!html.contains("id=\"edit\"") && !html.contains("id=\"delete\""));

    // Romano Than's board member employed by the Jugendamt: a tandem of open periods.
    let (_, html) = page(&app.client, "/persons?q=Jugendamt");
    let start = html.find("href=\"/persons/").expect("link") + "href=\"".len();
    let link = html[start..].split('"').next().unwrap().to_string();
    let (status, html) = page(&app.client, &link);
    assert_eq!(status, Status::Ok);
    assert!(html.contains("Romano Than e.V.") && html.contains("Jugendamt Dortmund"));
    assert!(html.contains("<td class=\"overlap\">…</td>"));

    // A plain member has no tandem.
    let token = app.editor();
    let (_, orgs) = app.get("/api/v1/organisations?q=Romano%20Than", None);
    let than = orgs["items"][0]["id"].as_str().unwrap().to_string();
    let member = app.create(
        "persons",
        &token,
        serde_json::json!({"display_name": "Mitglied ohne Anstellung", "visibility": "restricted"}),
    );
    app.create(
        "affiliations",
        &token,
        serde_json::json!({"person_id": member, "organisation_id": than, "role": "member", "start": "2017-03"}),
    );
    let (status, html) = page(&app.client, &format!("/persons/{member}"));
    assert_eq!(status, Status::Ok);
    assert!(html.contains("Romano Than e.V.") && html.contains("2017-03 – …"));
    assert!(!html.contains("id=\"tandem\"") && !html.contains("class=\"tandem\""));
    assert!(html.contains("id=\"pseudonym\">nein<"));

    let (status, _) = page(&app.client, "/persons/no-such-person");
    assert_eq!(status, Status::NotFound);
}

#[test]
fn english_labels_on_the_person_page() {
    let app = TestApp::sqlite_seeded();
    sign_in(&app, UserRole::Viewer);
    app.client.get("/lang/en?back=/persons").dispatch();
    let (_, html) = page(
        &app.client,
        &format!("/persons/{}", person_id(&app, CO_CHAIR)),
    );
    assert!(html.contains("Roles over time") && html.contains("co-chair"));
    assert!(html.contains("mediation, social counselling"));
    assert!(!html.contains("??"), "every label known");
}

#[test]
fn the_edit_form_keeps_input_and_shows_errors_beside_the_fields() {
    let app = TestApp::sqlite_seeded();
    sign_in(&app, UserRole::Editor);
    let id = person_id(&app, CO_CHAIR);
    let (status, html) = page(&app.client, &format!("/persons/{id}"));
    assert_eq!(status, Status::Ok);
    assert!(html.contains("id=\"edit\"") && html.contains("id=\"delete\""));
    let (status, html) = page(&app.client, &format!("/persons/{id}/edit"));
    assert_eq!(status, Status::Ok);
    assert!(html.contains(&format!("value=\"{CO_CHAIR}\"")));
    assert!(html.contains("name=\"is_pseudonym\" id=\"is_pseudonym\" value=\"true\" checked"));
    let csrf = csrf_of(&html);

    let before = app.snapshot();
    let (status, html, _) = post_form(
        &app.client,
        &format!("/persons/{id}/edit"),
        &[
            ("csrf", &csrf),
            ("display_name", "   "),
            ("visibility", "restricted"),
            ("is_pseudonym", "true"),
            ("notes", "Neue Notiz, noch nicht gespeichert"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("id=\"error-display_name\""), "{html}");
    assert!(
        html.contains("Neue Notiz, noch nicht gespeichert"),
        "notes kept"
    );
    let (status, html, _) = post_form(
        &app.client,
        &format!("/persons/{id}/edit"),
        &[
            ("csrf", &csrf),
            ("display_name", "Umbenannt"),
            ("visibility", "secret"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("id=\"error-visibility\""));
    assert!(html.contains("value=\"Umbenannt\""), "name kept");
    // A name another person already has is a conflict, shown beside the name.
    let (status, html, _) = post_form(
        &app.client,
        &format!("/persons/{id}/edit"),
        &[
            ("csrf", &csrf),
            ("display_name", "Co-Vorsitz Romano Drom (2)"),
            ("visibility", "restricted"),
        ],
    );
    assert_eq!(status, Status::Conflict);
    assert!(html.contains("id=\"error-display_name\""));
    assert_eq!(app.snapshot(), before, "nothing written");

    let (status, _, location) = post_form(
        &app.client,
        &format!("/persons/{id}/edit"),
        &[
            ("csrf", &csrf),
            ("display_name", "Co-Vorsitz Romano Drom (A)"),
            ("visibility", "restricted"),
            ("notes", "Neue Notiz"),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    assert_eq!(location, Some(format!("/persons/{id}?done=saved")));
    assert_eq!(
        person_row(&app, &id),
        (
            "Co-Vorsitz Romano Drom (A)".to_string(),
            "restricted".to_string(),
            false,
            Some("Neue Notiz".to_string())
        )
    );
    let actions: Vec<String> = app.changes_of(&id).into_iter().map(|c| c.0).collect();
    assert_eq!(actions.last().map(String::as_str), Some("update"));
    // Citations survive the edit: the form does not show them, so it keeps them.
    let token = app.token(UserRole::Viewer);
    let (_, value) = app.get(&format!("/api/v1/persons/{id}"), Some(&token));
    assert_eq!(value["citations"].as_array().map(Vec::len), Some(2));
}

#[test]
fn posts_without_the_right_csrf_token_are_refused() {
    let app = TestApp::sqlite_seeded();
    sign_in(&app, UserRole::Editor);
    let id = person_id(&app, CO_CHAIR);
    let before = app.snapshot();
    for token in ["", "forged"] {
        let (status, _, _) = post_form(
            &app.client,
            &format!("/persons/{id}/edit"),
            &[
                ("csrf", token),
                ("display_name", "Gefälscht"),
                ("visibility", "public"),
            ],
        );
        assert_eq!(status, Status::Forbidden);
        for action in ["delete", "restore"] {
            let (status, _, _) = post_form(
                &app.client,
                &format!("/persons/{id}/{action}"),
                &[("csrf", token)],
            );
            assert_eq!(status, Status::Forbidden, "{action}");
        }
    }
    assert_eq!(app.snapshot(), before);
    assert_eq!(person_row(&app, &id).0, CO_CHAIR);
}

#[test]
fn viewers_cannot_edit_or_delete() {
    let app = TestApp::sqlite_seeded();
    sign_in(&app, UserRole::Viewer);
    let id = person_id(&app, CO_CHAIR);
    for path in [
        format!("/persons/{id}/edit"),
        format!("/persons/{id}/delete"),
    ] {
        let (status, _) = page(&app.client, &path);
        assert_eq!(status, Status::Forbidden, "{path}");
    }
    let (_, html) = page(&app.client, &format!("/persons/{id}"));
    let csrf = csrf_of(&html);
    let before = app.snapshot();
    let (status, _, _) = post_form(
        &app.client,
        &format!("/persons/{id}/edit"),
        &[
            ("csrf", &csrf),
            ("display_name", "Vom Betrachter geändert"),
            ("visibility", "public"),
        ],
    );
    assert_eq!(status, Status::Forbidden);
    let (status, _, _) = post_form(
        &app.client,
        &format!("/persons/{id}/delete"),
        &[("csrf", &csrf)],
    );
    assert_eq!(status, Status::Forbidden);
    assert_eq!(app.snapshot(), before);
}

#[test]
fn delete_with_confirmation_and_restore() {
    let app = TestApp::sqlite_seeded();
    sign_in(&app, UserRole::Editor);
    let id = person_id(&app, CO_CHAIR);
    let (status, html) = page(&app.client, &format!("/persons/{id}/delete"));
    assert_eq!(status, Status::Ok);
    assert!(html.contains(CO_CHAIR) && html.contains("id=\"confirm-delete\""));
    let csrf = csrf_of(&html);
    let (status, _, location) = post_form(
        &app.client,
        &format!("/persons/{id}/delete"),
        &[("csrf", &csrf)],
    );
    assert_eq!(status, Status::SeeOther);
    assert_eq!(location, Some(format!("/persons/{id}?done=deleted")));

    // Gone from the list; the profile shows it deleted, with a restore button.
    let (_, html) = page(&app.client, "/persons?q=romano%20drom");
    assert!(!html.contains(CO_CHAIR) && html.contains("1 Treffer"));
    let (status, html) = page(&app.client, &format!("/persons/{id}"));
    assert_eq!(status, Status::Ok);
    assert!(html.contains("id=\"deleted\"") && html.contains("id=\"restore\""));
    assert!(
        !html.contains("id=\"tandem\""),
        "its affiliations went with it"
    );

    let (status, _, _) = post_form(
        &app.client,
        &format!("/persons/{id}/restore"),
        &[("csrf", &csrf)],
    );
    assert_eq!(status, Status::SeeOther);
    let (_, html) = page(&app.client, &format!("/persons/{id}"));
    assert!(!html.contains("id=\"deleted\""));
    assert!(
        html.contains("id=\"tandem\""),
        "affiliations restored with it"
    );
    let actions: Vec<String> = app.changes_of(&id).into_iter().map(|c| c.0).collect();
    assert!(actions.ends_with(&["delete".to_string(), "restore".to_string()]));
}

#[test]
fn stored_markup_in_person_fields_is_shown_as_text() {
    let app = TestApp::sqlite();
    let token = app.editor();
    let id = app.create(
        "persons",
        &token,
        serde_json::json!({
            "display_name": "<script>alert('p')</script>",
            "visibility": "restricted",
            "notes": "<b>fett</b>"
        }),
    );
    sign_in(&app, UserRole::Viewer);
    for path in ["/persons".to_string(), format!("/persons/{id}")] {
        let (status, html) = page(&app.client, &path);
        assert_eq!(status, Status::Ok);
        assert!(
            !html.contains("<script>alert") && !html.contains("<b>fett"),
            "{path}"
        );
    }
}
