//! Small holes found by probing, each closed on both backends: the language switch's way
//! back, the year zero, the change log's paging.
mod common;

use common::TestApp;
use rocket::http::Status;
use serde_json::json;

fn odd_inputs_get_clear_answers(app: &TestApp) {
    // The language switch goes back only to a path a Location header can carry.
    for back in [
        "/%20",
        "/%5C",
        "/%09x",
        "/%C3%A4",
        "//evil.example",
        "/%5C%5Cevil",
    ] {
        let res = app.client.get(format!("/lang/en?back={back}")).dispatch();
        assert_eq!(res.status(), Status::SeeOther, "{back}");
        assert_eq!(res.headers().get_one("Location"), Some("/"), "{back}");
    }
    let res = app
        .client
        .get("/lang/de?back=/organisations%3Fq%3DRom")
        .dispatch();
    assert_eq!(
        res.headers().get_one("Location"),
        Some("/organisations?q=Rom")
    );

    // The year zero is no date.
    let editor = app.editor();
    for date in ["0000", "0000-01", "0999"] {
        let (status, body) = app.post(
            "/api/v1/organisations",
            Some(&editor),
            &json!({"name": "Verein", "kind": "other", "founded": date}),
        );
        assert_eq!(status, Status::UnprocessableEntity, "{date}: {body}");
        assert_eq!(TestApp::error_fields(&body), ["founded"], "{date}");
    }

    // The change log pages like every list: bad numbers are 422 with the field.
    for (query, field) in [
        ("limit=-1", "limit"),
        ("limit=501", "limit"),
        ("offset=-3", "offset"),
    ] {
        let (status, body) = app.get(&format!("/api/v1/changes?{query}"), Some(&editor));
        assert_eq!(status, Status::UnprocessableEntity, "{query}: {body}");
        assert_eq!(TestApp::error_fields(&body), [field], "{query}");
    }
    let (status, _) = app.get("/api/v1/changes?limit=5", Some(&editor));
    assert_eq!(status, Status::Ok);
}

/// Amounts are bounded, so totals cannot overflow; parents cannot form a loop.
fn amounts_and_parents_stay_sane(app: &TestApp) {
    let editor = app.editor();
    let org = |name: &str, kind: &str| {
        app.create(
            "organisations",
            &editor,
            json!({"name": name, "kind": kind}),
        )
    };
    let (stiftung, verein) = (org("Stiftung", "funder"), org("Verein", "other"));
    let before = app.snapshot();
    let huge = i64::MAX;
    let (status, body) = app.post(
        "/api/v1/fundings",
        Some(&editor),
        &json!({"funder_id": stiftung, "recipient_id": verein, "status": "granted",
                "amount_min": huge, "amount_max": huge, "project_bound": false}),
    );
    assert_eq!(status, Status::UnprocessableEntity, "{body}");
    let mut fields = TestApp::error_fields(&body);
    fields.sort();
    assert_eq!(fields, ["amount_max", "amount_min"]);
    assert_eq!(app.snapshot(), before);

    // A unit of a city; the city cannot then be part of its unit, nor anyone of itself.
    let stadt = org("Stadt Hagen", "municipality");
    let amt = app.create(
        "organisations",
        &editor,
        json!({"name": "Jugendamt", "kind": "municipal_unit", "parent_id": stadt}),
    );
    let refused = |id: &str, parent: &str| {
        let (status, body) = app.put(
            &format!("/api/v1/organisations/{id}"),
            Some(&editor),
            &json!({"name": if id == stadt { "Stadt Hagen" } else { "Jugendamt" },
                    "kind": if id == stadt { "municipality" } else { "municipal_unit" },
                    "parent_id": parent}),
        );
        assert_eq!(
            status,
            Status::UnprocessableEntity,
            "{id} → {parent}: {body}"
        );
        assert_eq!(TestApp::error_fields(&body), ["parent_id"]);
    };
    refused(&stadt, &amt);
    refused(&amt, &amt);
}

on_both_backends!(odd_inputs_get_clear_answers, amounts_and_parents_stay_sane);
