//! Exports of the network view as GEXF 1.3 and GraphML, on both backends: the same nodes
//! and links as the view, dynamic periods from the partial dates, positions where the
//! view was laid out, no restricted person for anonymous callers, reads logged for
//! signed-in ones; `.ci/check-exports` reads the files back with networkx, igraph and
//! graphology-gexf.
mod common;

use std::collections::BTreeSet;

use common::privacy;
use common::web::*;
use common::TestApp;
use knotenpunkt::domain::UserRole;
use rocket::http::{Header, Status};
use serde_json::{json, Value};

const GEXF: &str = "http://gexf.net/1.3";
const GRAPHML: &str = "http://graphml.graphdrawing.org/xmlns";

/// The body of a 200 answer as text.
fn text(app: &TestApp, path: &str, token: Option<&str>) -> String {
    app.settle();
    let (status, v) = app.get(path, token);
    assert_eq!(status, Status::Ok, "{path}: {v}");
    match v {
        Value::String(s) => s,
        other => panic!("{path} answered JSON: {other}"),
    }
}

fn elements<'a>(
    doc: &'a roxmltree::Document,
    ns: &str,
    name: &str,
) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.tag_name().name() == name && n.tag_name().namespace() == Some(ns))
        .collect()
}

/// The node ids and (source, target) pairs of the view as `/api/v1/network` gives it.
fn view_of(
    app: &TestApp,
    query: &str,
    token: Option<&str>,
) -> (BTreeSet<String>, Vec<(String, String)>) {
    let v = app.ok(&format!("/api/v1/network?{query}"), token);
    let nodes = v["nodes"].as_array().unwrap();
    let id_of = |key: &str| {
        nodes
            .iter()
            .find(|n| n["key"] == key)
            .map(|n| n["id"].as_str().unwrap().to_string())
            .unwrap()
    };
    let ids = nodes
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect();
    let mut pairs: Vec<(String, String)> = v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                id_of(e["source"].as_str().unwrap()),
                id_of(e["target"].as_str().unwrap()),
            )
        })
        .collect();
    pairs.sort();
    (ids, pairs)
}

/// Both formats hold exactly the view's nodes and links, for the whole registry and for
/// a filtered view.
fn exports_hold_the_views_nodes_and_links(app: &TestApp) {
    let fx = privacy::build(app);
    let token = app.token(UserRole::Viewer);
    for query in [
        String::new(),
        "city=Duisburg&as_of=2023".to_string(),
        format!("focus={}&depth=1&persons=true", fx.verein),
    ] {
        let (ids, pairs) = view_of(app, &query, Some(&token));
        assert!(!pairs.is_empty(), "{query}: the view has links");
        let gexf = text(app, &format!("/api/v1/export/gexf?{query}"), Some(&token));
        let doc = roxmltree::Document::parse(&gexf).expect("well-formed GEXF");
        assert_eq!(doc.root_element().attribute("version"), Some("1.3"));
        let nodes: BTreeSet<String> = elements(&doc, GEXF, "node")
            .iter()
            .map(|n| n.attribute("id").unwrap().to_string())
            .collect();
        assert_eq!(nodes, ids, "{query}: GEXF nodes");
        let mut edges: Vec<(String, String)> = elements(&doc, GEXF, "edge")
            .iter()
            .map(|e| {
                (
                    e.attribute("source").unwrap().into(),
                    e.attribute("target").unwrap().into(),
                )
            })
            .collect();
        edges.sort();
        assert_eq!(edges, pairs, "{query}: GEXF links");

        let graphml = text(
            app,
            &format!("/api/v1/export/graphml?{query}"),
            Some(&token),
        );
        let doc = roxmltree::Document::parse(&graphml).expect("well-formed GraphML");
        let nodes: BTreeSet<String> = elements(&doc, GRAPHML, "node")
            .iter()
            .map(|n| n.attribute("id").unwrap().to_string())
            .collect();
        assert_eq!(nodes, ids, "{query}: GraphML nodes");
        assert_eq!(elements(&doc, GRAPHML, "edge").len(), pairs.len());
    }
}

/// Organisations live from founding to dissolution (a year is the whole year, a month
/// to its last day, an open end stays open); links carry their records' periods, as
/// spells where there are several.
fn periods_follow_the_partial_dates(app: &TestApp) {
    let tok = app.editor();
    let org = |name: &str, founded: Option<&str>, dissolved: Option<&str>| {
        app.create(
            "organisations",
            &tok,
            json!({"name": name, "kind": "migrant_organisation", "city": "Hagen",
                   "founded": founded, "dissolved": dissolved}),
        )
    };
    let verein = org("Verein Hagen", Some("2019"), Some("2024-02"));
    let partner = org("Partner Hagen", None, None);
    for (start, end) in [("2019-05", Some("2020")), ("2022", None)] {
        app.create(
            "relations",
            &tok,
            json!({"source_id": verein, "target_id": partner, "kind": "cooperates_with",
                   "start": start, "end": end}),
        );
    }
    let gexf = text(app, "/api/v1/export/gexf?city=Hagen", None);
    let doc = roxmltree::Document::parse(&gexf).unwrap();
    let node = |id: &str| {
        elements(&doc, GEXF, "node")
            .into_iter()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap()
    };
    assert_eq!(node(&verein).attribute("start"), Some("2019-01-01"));
    assert_eq!(node(&verein).attribute("end"), Some("2024-02-29"));
    assert_eq!(node(&partner).attribute("start"), None);
    assert_eq!(node(&partner).attribute("end"), None);
    let spells: Vec<(Option<&str>, Option<&str>)> = elements(&doc, GEXF, "spell")
        .iter()
        .map(|s| (s.attribute("start"), s.attribute("end")))
        .collect();
    assert_eq!(
        spells,
        [
            (Some("2019-05-01"), Some("2020-12-31")),
            (Some("2022-01-01"), None)
        ]
    );
    // As of 2021 neither cooperation runs: the view has no link, nor has the file.
    let gexf = text(app, "/api/v1/export/gexf?city=Hagen&as_of=2021", None);
    assert!(!gexf.contains("<edge "), "{gexf}");

    let graphml = text(app, "/api/v1/export/graphml?city=Hagen", None);
    let doc = roxmltree::Document::parse(&graphml).unwrap();
    let data: Vec<(String, String)> = elements(&doc, GRAPHML, "data")
        .iter()
        .map(|d| {
            (
                d.attribute("key").unwrap().into(),
                d.text().unwrap_or_default().into(),
            )
        })
        .collect();
    for expected in [
        ("n_founded", "2019-01-01"),
        ("n_dissolved", "2024-02-29"),
        ("e_start", "2019-05-01"),
        ("e_periods", "2019-05-01/2020-12-31;2022-01-01/.."),
        ("e_weight", "2"),
    ] {
        let pair = (expected.0.to_string(), expected.1.to_string());
        assert!(data.contains(&pair), "{expected:?} missing in {data:?}");
    }
    // An open end: no latest end.
    assert!(!data.iter().any(|(k, _)| k == "e_end"));
}

/// Anonymous exports hold no restricted person (persons as nodes are for signed-in
/// users); a signed-in export with persons logs exactly those it holds.
fn exports_keep_persons_private_and_log_reads(app: &TestApp) {
    let fx = privacy::build(app);
    for format in ["gexf", "graphml"] {
        let path = format!("/api/v1/export/{format}?persons=true&focus={}", fx.verein);
        let body = text(app, &path, None);
        for p in fx.restricted() {
            assert!(
                !body.contains(p.name) && !body.contains(&p.id),
                "{format}: {}",
                p.name
            );
        }
    }
    let viewer = app.token(UserRole::Viewer);
    let path = format!("/api/v1/export/gexf?persons=true&focus={}", fx.verein);
    let body = text(app, &path, Some(&viewer));
    let mut shown: Vec<&str> = fx
        .persons()
        .iter()
        .filter(|p| body.contains(&p.id))
        .map(|p| p.id.as_str())
        .collect();
    shown.sort();
    assert!(
        shown.len() >= 2,
        "the view with persons shows them: {shown:?}"
    );
    let mut logged: Vec<String> = app
        .ok(
            &format!("/api/v1/persons/{}/reads", fx.chair.id),
            Some(&app.token(UserRole::Admin)),
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["via"].as_str().unwrap().to_string())
        .collect();
    logged.retain(|via| via.starts_with("/api/v1/export/"));
    assert_eq!(logged.len(), 1, "one read of the chair through the export");
}

fn bad_formats_and_parameters_are_named(app: &TestApp) {
    for (path, field) in [
        ("/api/v1/export/xls", "format"),
        ("/api/v1/export/gexf?as_of=2021-13", "as_of"),
        ("/api/v1/export/graphml?kind=verein", "kind"),
    ] {
        let (status, v) = app.get(path, None);
        assert_eq!(status, Status::UnprocessableEntity, "{path}: {v}");
        assert_eq!(TestApp::error_fields(&v), [field], "{path}");
    }
}

/// The network page offers both files for its view; they come as downloads, with the
/// picture's positions once the page has laid the view out.
fn the_network_page_offers_the_files(app: &TestApp) {
    privacy::build(app);
    sign_in(app, UserRole::Viewer);
    app.settle();
    let (status, html) = page(&app.client, "/network?city=Duisburg");
    assert_eq!(status, Status::Ok);
    for format in ["gexf", "graphml"] {
        let link = format!("href=\"/network.{format}?city=Duisburg\"");
        assert!(html.contains(&link), "{link} missing");
        let res = app
            .client
            .get(format!("/network.{format}?city=Duisburg"))
            .header(Header::new("Accept", "*/*"))
            .dispatch();
        assert_eq!(res.status(), Status::Ok);
        let disposition = res.headers().get_one("Content-Disposition").unwrap();
        assert_eq!(
            disposition,
            format!("attachment; filename=\"network.{format}\"")
        );
        let body = res.into_string().unwrap();
        let doc = roxmltree::Document::parse(&body).unwrap();
        if format == "gexf" {
            let nodes = elements(&doc, GEXF, "node").len();
            let placed = doc
                .descendants()
                .filter(|n| n.tag_name().name() == "position")
                .count();
            assert!(nodes > 0);
            assert_eq!(placed, nodes, "every node has the picture's position");
        }
    }
}

on_both_backends!(
    exports_hold_the_views_nodes_and_links,
    periods_follow_the_partial_dates,
    exports_keep_persons_private_and_log_reads,
    bad_formats_and_parameters_are_named,
    the_network_page_offers_the_files,
);
