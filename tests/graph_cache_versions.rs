//! Rankings kept across snapshot versions: after a write, a centrality request answers
//! at once with the last complete ranking, marked with its version and with the
//! computation of the current one (`newer`), and soon after with the current version's;
//! the carried ranking shows visitors no person, and no record deleted since; a ranking
//! around a focus (node indices belong to their version) is never carried.
mod common;

use std::time::{Duration, Instant};

use common::graph::{list, Fx};
use common::TestApp;
use knotenpunkt::domain::UserRole;
use rocket::http::Status;
use serde_json::Value;

fn data_version(app: &TestApp) -> i64 {
    let mut conn = app.db().conn().expect("conn");
    knotenpunkt::db::data_version(&mut conn).expect("data version")
}

/// The ranked node ids and scores, in order.
fn ranked(v: &Value) -> Vec<(String, f64)> {
    list(&v["items"])
        .iter()
        .map(|i| {
            let id = i["node"]["id"].as_str().expect("id").to_string();
            (id, i["score"].as_f64().expect("score"))
        })
        .collect()
}

fn ids(v: &Value) -> Vec<String> {
    ranked(v).into_iter().map(|(id, _)| id).collect()
}

/// GET that must be 200, without waiting for the snapshot (the writing instance has
/// applied its writes before answering them).
fn now(app: &TestApp, path: &str, token: Option<&str>) -> Value {
    let (status, v) = app.get(path, token);
    assert_eq!(status, Status::Ok, "{path}: {v}");
    v
}

/// Asks until the answer is of `version` (at most 10 s); every answer on the way is of
/// an older version and names its newer computation.
fn current(app: &TestApp, path: &str, token: Option<&str>, version: i64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let v = now(app, path, token);
        if v["version"] == version {
            assert!(v.get("newer").is_none(), "{path}: {v}");
            return v;
        }
        assert!(v["version"].as_i64() < Some(version), "{path}: {v}");
        assert_eq!(v["newer"]["version"], version, "{path}: {v}");
        assert!(
            Instant::now() < deadline,
            "{path}: version {version} never came: {v}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The path Glied 1 – 2 – 3 – 4 in Hamm.
fn path_of_four(fx: &Fx) -> Vec<String> {
    let l: Vec<String> = (1..=4)
        .map(|i| fx.org(&format!("Glied {i}"), "migrant_organisation", "Hamm"))
        .collect();
    for w in l.windows(2) {
        fx.relation(&w[0], &w[1], "cooperates_with", None, None);
    }
    l
}

fn a_write_answers_at_once_with_the_previous_version(app: &TestApp) {
    let fx = Fx::new(app);
    let l = path_of_four(&fx);
    let rankings = [
        "/api/v1/graph/centrality?measure=betweenness",
        "/api/v1/graph/centrality?measure=betweenness&city=Hamm&limit=3",
        "/api/v1/graph/centrality?kinds=cooperates_with",
    ];
    app.settle();
    let v1 = data_version(app);
    let before: Vec<Value> = rankings.iter().map(|p| now(app, p, None)).collect();
    for (path, v) in rankings.iter().zip(&before) {
        assert_eq!(v["version"], v1, "{path}: {v}");
        assert!(v.get("newer").is_none(), "{path}: {v}");
    }
    // Betweenness on the path of four: 0, 2, 2, 0.
    assert_eq!(before[0]["nodes"], 4);
    assert_eq!(ranked(&before[0])[0].1, 2.0, "{}", before[0]);
    assert_eq!(list(&before[1]["items"]).len(), 3, "cut to the limit");

    // Glied 5 joins at the end: 0, 3, 4, 3, 0.
    let fifth = fx.org("Glied 5", "migrant_organisation", "Hamm");
    fx.relation(&l[3], &fifth, "cooperates_with", None, None);
    app.settle();
    let v2 = data_version(app);
    assert!(v2 > v1);
    for (path, old) in rankings.iter().zip(&before) {
        let carried = now(app, path, None);
        assert_eq!(carried["version"], v1, "{path}: {carried}");
        assert_eq!(carried["newer"]["version"], v2, "{path}: {carried}");
        let status = carried["newer"]["status"].as_str().unwrap_or_default();
        assert!(["queued", "running"].contains(&status), "{carried}");
        assert_eq!(
            ranked(&carried),
            ranked(old),
            "{path}: the last complete one"
        );
        assert_eq!(carried["nodes"], old["nodes"]);
    }
    for path in &rankings {
        let fresh = current(app, path, None, v2);
        assert!(
            ids(&fresh).contains(&fifth) || path.contains("limit=3"),
            "{fresh}"
        );
        assert_eq!(fresh["nodes"], 5, "{path}: {fresh}");
    }
    let fresh = now(app, rankings[0], None);
    let scores: Vec<f64> = ranked(&fresh).into_iter().map(|(_, s)| s).collect();
    assert_eq!(scores, [4.0, 3.0, 3.0, 0.0, 0.0], "{fresh}");
    assert_eq!(ranked(&fresh)[0].0, l[2], "Glied 3 in the middle now");
    // Asked again: the current version's, kept.
    assert_eq!(now(app, rankings[0], None), fresh);
}

fn the_carried_ranking_shows_visitors_no_person(app: &TestApp) {
    let fx = Fx::new(app);
    let l = path_of_four(&fx);
    // A restricted person linking Glied 1 and Glied 4: on most shortest paths.
    let p = fx.person("Geheime Person", "restricted");
    fx.role(&p, &l[0], "board_member", None, None);
    fx.role(&p, &l[3], "board_member", None, None);
    let viewer = app.token(UserRole::Viewer);
    let path = "/api/v1/graph/centrality?measure=betweenness";
    app.settle();
    let v1 = data_version(app);
    let anonymous = now(app, path, None);
    let signed_in = now(app, path, Some(&viewer));
    assert!(ids(&signed_in).contains(&p), "signed in: {signed_in}");
    assert!(!anonymous.to_string().contains(&p), "{anonymous}");

    // A write: both are carried, each to its own kind of caller.
    let other = fx.org("Anderer Verein", "migrant_organisation", "Hamm");
    fx.relation(&l[1], &other, "cooperates_with", None, None);
    app.settle();
    let carried = now(app, path, None);
    assert_eq!(carried["version"], v1, "{carried}");
    let text = carried.to_string();
    assert!(
        !text.contains(&p) && !text.contains("Geheime Person"),
        "{text}"
    );
    for item in list(&carried["items"]) {
        assert_eq!(item["node"]["type"], "organisation", "{carried}");
    }
    let carried = now(app, path, Some(&viewer));
    assert_eq!(carried["version"], v1, "{carried}");
    assert!(ids(&carried).contains(&p), "{carried}");

    // Deleted, the person leaves the carried ranking at once, before the newer one.
    let (status, v) = app.delete(&format!("/api/v1/persons/{p}"), Some(&fx.editor));
    assert_eq!(status, Status::NoContent, "{v}");
    app.settle();
    let carried = now(app, path, Some(&viewer));
    assert!(
        carried["version"].as_i64() < Some(data_version(app)),
        "{carried}"
    );
    assert!(!carried.to_string().contains(&p), "{carried}");
    assert!(!carried.to_string().contains("Geheime Person"), "{carried}");
    let fresh = current(app, path, Some(&viewer), data_version(app));
    assert!(!ids(&fresh).contains(&p), "{fresh}");
}

fn a_focus_ranking_is_not_carried(app: &TestApp) {
    let fx = Fx::new(app);
    let l = path_of_four(&fx);
    let path = format!("/api/v1/graph/centrality?focus={}&depth=1", l[1]);
    app.settle();
    let v1 = data_version(app);
    let before = now(app, &path, None);
    assert_eq!(before["version"], v1);
    assert_eq!(before["nodes"], 3, "Glied 1, 2 and 3: {before}");
    // Glied 0 goes, so node indices move; Glied 2 gains a neighbour.
    let (status, v) = app.delete(&format!("/api/v1/organisations/{}", l[0]), Some(&fx.editor));
    assert_eq!(status, Status::NoContent, "{v}");
    let new = fx.org("Neuer Verein", "migrant_organisation", "Hamm");
    fx.relation(&new, &l[1], "cooperates_with", None, None);
    app.settle();
    let v2 = data_version(app);
    let after = now(app, &path, None);
    assert_eq!(
        after["version"], v2,
        "computed on the current version: {after}"
    );
    assert!(after.get("newer").is_none(), "{after}");
    let mut got = ids(&after);
    got.sort();
    let mut expected = vec![l[1].clone(), l[2].clone(), new];
    expected.sort();
    assert_eq!(got, expected, "{after}");
}

on_both_backends!(
    a_write_answers_at_once_with_the_previous_version,
    the_carried_ranking_shows_visitors_no_person,
    a_focus_ranking_is_not_carried
);
