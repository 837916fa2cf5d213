//! Deleting with confirmation and restoring roles, fundings, relations and sources through
//! the pages, on both backends; cited sources stay; deleted records listed for editors.
mod common;

use common::links::*;
use common::web::*;
use common::TestApp;
use knotenpunkt::domain::UserRole;
use rocket::http::Status;
use serde_json::json;

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
        assert_eq!(location, Some(format!("{profile}?done=deleted")));
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
        assert_eq!(location, Some(format!("{profile}?done=restored")));
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
        (Status::SeeOther, Some("/sources?done=saved"))
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
    a_cited_source_cannot_be_deleted,
    delete_and_restore_links_from_their_pages,
    a_link_whose_other_end_is_deleted_points_there_first,
    sources_are_edited_deleted_and_restored,
    deleted_records_are_listed_for_editors_only,
);
