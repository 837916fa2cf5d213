//! Pictures laid out ahead of requests: the network page's opening view on every new
//! snapshot, and after a change the views asked before it, on the new data; one picture
//! for visitors and signed-in users unless persons are shown — on both backends.
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::TestApp;
use knotenpunkt::graph::query::{parse, Params, ViewRequest};
use knotenpunkt::graph::{GraphState, MemoKey, Snapshot, Viewer};
use serde_json::json;

fn graph(app: &TestApp) -> Arc<GraphState> {
    app.client
        .rocket()
        .state::<Arc<GraphState>>()
        .expect("graph state")
        .clone()
}

fn request(s: &Snapshot, pairs: &[(&str, &str)]) -> ViewRequest {
    parse::<ViewRequest>(s, &Params::new(pairs.iter().copied()), Viewer::Anonymous)
        .expect("a valid view")
}

/// Waits (up to 20 s) until `s` keeps the picture of `view` for visitors.
fn prepared(s: &Snapshot, view: &ViewRequest) -> bool {
    let key = MemoKey::Picture(view.clone(), Viewer::Anonymous);
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if s.memo.keys().contains(&key) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

fn views_are_laid_out_ahead(app: &TestApp) {
    let editor = app.editor();
    let add = |name: &str| {
        app.create(
            "organisations",
            &editor,
            json!({"name": name, "kind": "migrant_organisation", "city": "Hagen"}),
        )
    };
    add("Verein Eins");
    add("Verein Zwei");
    let viewer = app.token(knotenpunkt::domain::UserRole::Viewer);
    app.settle();
    let state = graph(app);
    let first = state.current();
    assert!(
        prepared(&first, &request(&first, &[])),
        "the opening view is laid out without being asked"
    );
    let hagen = request(&first, &[("city", "Hagen")]);
    assert!(!first
        .memo
        .keys()
        .contains(&MemoKey::Picture(hagen.clone(), Viewer::Anonymous)));
    app.ok("/api/v1/network?city=Hagen", None);
    app.ok("/api/v1/network?focus=Verein%20Eins", None);
    // Without persons as nodes, a signed-in user's picture is the visitors' one: laid
    // out and kept once.
    app.ok("/api/v1/network?city=Hagen", Some(&viewer));
    let signed_in_pictures = first
        .memo
        .keys()
        .into_iter()
        .filter(|k| matches!(k, MemoKey::Picture(_, Viewer::SignedIn)))
        .count();
    assert_eq!(signed_in_pictures, 0);
    app.ok("/api/v1/network?city=Hagen&persons=true", Some(&viewer));
    assert!(first
        .memo
        .keys()
        .iter()
        .any(|k| matches!(k, MemoKey::Picture(r, Viewer::SignedIn) if r.persons)));

    add("Verein Drei");
    app.settle();
    let fresh = state.current();
    assert!(fresh.version > first.version);
    assert!(
        prepared(&fresh, &hagen),
        "the city view asked before the change is laid out again on the new data"
    );
    // A focus names a node of the old snapshot: not carried over.
    assert!(!fresh
        .memo
        .keys()
        .iter()
        .any(|k| matches!(k, MemoKey::Picture(r, _) if r.focus.is_some())));
    let answer = app.ok("/api/v1/network?city=Hagen", None);
    let labels: Vec<&str> = answer["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|n| n["label"].as_str())
        .collect();
    assert!(labels.contains(&"Verein Drei"), "{labels:?}");
    assert_eq!(labels.len(), 3);
}

on_both_backends!(views_are_laid_out_ahead);
