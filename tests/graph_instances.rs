//! Two service instances on one database: a write through one shows up in the other's
//! graph answers within a second, because each instance follows the shared data version.
mod common;

use std::time::{Duration, Instant};

use common::TestApp;
use rocket::http::Status;
use serde_json::json;

fn write_in_one_read_in_the_other(app: &TestApp) {
    let other = app.second_instance();
    let editor = app.editor();
    let funder = app.create(
        "organisations",
        &editor,
        json!({"name": "Stiftung Zwei", "kind": "funder"}),
    );
    let recipient = app.create(
        "organisations",
        &editor,
        json!({"name": "Verein Zwei", "kind": "migrant_organisation", "city": "Herne"}),
    );
    app.create(
        "fundings",
        &editor,
        json!({"funder_id": funder, "recipient_id": recipient, "status": "granted", "amount_min": 100, "amount_max": 100}),
    );
    let written = Instant::now();
    let path = format!("/api/v1/funding/impact?funder={funder}");
    loop {
        let (status, body) = other.get(&path, None);
        if status == Status::Ok && body[0]["recipient"]["id"] == recipient.as_str() {
            break;
        }
        assert!(
            written.elapsed() < Duration::from_secs(1),
            "the other instance did not see the write within a second: {status} {body}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // And back: a delete through the other instance disappears from the first one.
    let (status, _) = other.delete(&format!("/api/v1/organisations/{recipient}"), Some(&editor));
    assert_eq!(status, Status::NoContent);
    let deleted = Instant::now();
    loop {
        let (_, body) = app.get(&path, None);
        if body.as_array().is_some_and(|a| a.is_empty()) {
            break;
        }
        assert!(
            deleted.elapsed() < Duration::from_secs(1),
            "delete not seen within a second: {body}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

on_both_backends!(write_in_one_read_in_the_other);
