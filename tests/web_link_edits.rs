//! Editing roles, fundings and relations through their forms, on both backends: stored
//! values shown, bad input kept beside its field with nothing changed, what a form does
//! not show kept, duplicates linked to the existing record, every write audited.
mod common;

use common::links::*;
use common::web::*;
use common::TestApp;
use rocket::http::Status;
use serde_json::{json, Value};

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
    assert_eq!(
        location,
        Some(format!("/organisations/{}?done=saved", fx.verein))
    );
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
    assert_eq!(
        location,
        Some(format!("/organisations/{}?done=saved", fx.verein))
    );
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

on_both_backends!(
    edit_a_role_and_see_it_on_the_profile,
    bad_input_on_an_edit_form_is_kept_and_changes_nothing,
    edit_a_funding_and_a_relation,
    an_edit_keeps_what_it_does_not_change,
    a_shared_name_on_an_edit_form_keeps_its_organisation,
    a_duplicate_links_to_the_existing_record,
);
