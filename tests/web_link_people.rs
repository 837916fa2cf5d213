//! The new-person page, roles added from a person's page (a tandem), and who may use the
//! link forms (anonymous, viewer, editor with and without CSRF token, admin), on both
//! backends.
mod common;

use common::links::*;
use common::web::*;
use common::TestApp;
use knotenpunkt::domain::UserRole;
use rocket::http::Status;

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
    let saved = location.expect("goes to the person");
    let person_page = saved.trim_end_matches("?done=saved").to_string();
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
        assert_eq!(location, Some(format!("{person_page}?done=saved")));
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

on_both_backends!(
    a_new_person_gets_roles_on_both_sides_and_is_marked_as_tandem,
    edit_and_delete_need_an_editor_and_a_csrf_token,
    admins_may_edit_too,
);
