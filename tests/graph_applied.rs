//! Applications are not money yet: shares, co-funding and dependencies ignore them.
mod common;

use common::TestApp;
use serde_json::json;

fn applications_are_not_funding(app: &TestApp) {
    let editor = app.editor();
    let org = |name: &str, kind: &str| {
        app.create(
            "organisations",
            &editor,
            json!({"name": name, "kind": kind}),
        )
    };
    let (granting, applied_to, recipient, other) = (
        org("Stiftung Bewilligt", "funder"),
        org("Stiftung Beantragt", "funder"),
        org("Verein Empfänger", "migrant_organisation"),
        org("Verein Anderer", "migrant_organisation"),
    );
    let fund = |funder: &str, to: &str, status: &str, cents: i64| {
        app.create(
            "fundings",
            &editor,
            json!({"funder_id": funder, "recipient_id": to, "status": status, "amount_min": cents, "amount_max": cents}),
        )
    };
    fund(&granting, &recipient, "granted", 10_000);
    fund(&applied_to, &recipient, "applied", 90_000);
    fund(&applied_to, &other, "granted", 5_000);

    let v = app.ok(
        &format!("/api/v1/overlaps/funding?organisation={recipient}"),
        None,
    );
    let funders = v["funders"].as_array().unwrap();
    assert_eq!(funders.len(), 1, "{v}");
    assert_eq!(funders[0]["funder"]["id"], granting.as_str());
    assert_eq!(funders[0]["share"]["mid"], 1.0);
    assert_eq!(
        v["co_funded"],
        json!([]),
        "an application shares no funder: {v}"
    );

    let v = app.ok(&format!("/api/v1/dependencies/{recipient}"), None);
    let on: Vec<&str> = v["depends_on"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["organisation"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(on, [granting.as_str()], "{v}");

    let (status, v) = app.get(
        &format!("/api/v1/conflicts?funder={granting}&applicant={granting}"),
        None,
    );
    assert_eq!(status.code, 422, "{v}");
}

on_both_backends!(applications_are_not_funding);
