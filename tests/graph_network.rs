//! Network views on small hand-built fixtures: ego networks under `/api/v1/graph`,
//! shortest paths, connected components and degree and betweenness centrality.
//! Every expected answer below is worked out by hand from the fixture it follows.
mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::graph::{close, list, not_found, refused, Fx};
use common::TestApp;
use knotenpunkt::domain::UserRole;
use serde_json::{json, Value};

struct Net {
    n: Vec<String>,
    p: String,
}

/// n1 – n2 (cooperates) – n3 (member of, 2015–2016) – n5 (cooperates), n4 funds n3
/// (from 2019), a restricted person p is a member of n1 (from 2018), n6 alone, and
/// n7 – n8 (cooperates) apart. (n[0] is n1.)
fn net_fixture(fx: &Fx) -> Net {
    let names = [
        ("Knoten Eins", "migrant_organisation"),
        ("Knoten Zwei", "migrant_organisation"),
        ("Knoten Drei", "federal_association"),
        ("Knoten Vier", "funder"),
        ("Knoten Fünf", "municipality"),
        ("Knoten Sechs", "project"),
        ("Knoten Sieben", "project"),
        ("Knoten Acht", "project"),
    ];
    let n: Vec<String> = names
        .iter()
        .map(|(name, kind)| fx.org(name, kind, "Bochum"))
        .collect();
    let p = fx.person("Verdeckte Person", "restricted");
    fx.role(&p, &n[0], "member", Some("2018"), None);
    fx.relation(&n[0], &n[1], "cooperates_with", None, None);
    fx.relation(&n[1], &n[2], "member_of", Some("2015"), Some("2016"));
    fx.grant(
        &n[3],
        &n[2],
        json!({"amount_min": 100, "amount_max": 100, "start": "2019"}),
    );
    fx.relation(&n[2], &n[4], "cooperates_with", None, None);
    fx.relation(&n[6], &n[7], "cooperates_with", None, None);
    Net { n, p }
}

/// Node ids (hidden persons as "?") and edges as (source id, target id, kind).
fn graph_summary(v: &Value) -> (Vec<String>, BTreeSet<(String, String, String)>) {
    let mut by_key = BTreeMap::new();
    let nodes: Vec<String> = list(&v["nodes"])
        .iter()
        .map(|n| {
            let id = n["id"].as_str().unwrap_or("?").to_string();
            by_key.insert(n["key"].as_str().unwrap().to_string(), id.clone());
            id
        })
        .collect();
    let edges = list(&v["edges"])
        .iter()
        .map(|e| {
            (
                by_key[e["source"].as_str().unwrap()].clone(),
                by_key[e["target"].as_str().unwrap()].clone(),
                e["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (nodes, edges)
}

fn edge(a: &str, b: &str, kind: &str) -> (String, String, String) {
    (a.to_string(), b.to_string(), kind.to_string())
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn graph_views(app: &TestApp) {
    let fx = Fx::new(app);
    let Net { n, p } = net_fixture(&fx);
    let editor = fx.editor.as_str();
    let g = |query: &str, token: Option<&str>| {
        let v = app.ok(&format!("/api/v1/graph?{query}"), token);
        assert_eq!(v["truncated"], false);
        let (nodes, edges) = graph_summary(&v);
        let set: BTreeSet<String> = nodes.iter().cloned().collect();
        assert_eq!(set.len(), nodes.len(), "no node twice: {v}");
        (nodes, set, edges, v)
    };

    // Depth 1 around n2: n1 and n3.
    let (nodes, set1, edges, _) = g(&format!("focus={}&depth=1", n[1]), None);
    assert_eq!(nodes[0], n[1], "the focus comes first");
    assert_eq!(set1, set(&[&n[0], &n[1], &n[2]]));
    assert_eq!(
        edges,
        [
            edge(&n[0], &n[1], "cooperates_with"),
            edge(&n[1], &n[2], "member_of")
        ]
        .into()
    );
    // Depth 1 is the default.
    assert_eq!(g(&format!("focus={}", n[1]), None).1, set1);

    // Depth 2: also the person (hidden), n4 and n5.
    let (_, set2, edges, v) = g(&format!("focus={}&depth=2", n[1]), None);
    assert_eq!(set2, set(&[&n[0], &n[1], &n[2], &n[3], &n[4], "?"]));
    assert_eq!(
        edges,
        [
            edge(&n[0], &n[1], "cooperates_with"),
            edge(&n[1], &n[2], "member_of"),
            edge("?", &n[0], "affiliation"),
            edge(&n[3], &n[2], "funding"),
            edge(&n[2], &n[4], "cooperates_with"),
        ]
        .into()
    );
    let person = list(&v["nodes"])
        .iter()
        .find(|x| x["type"] == "person")
        .unwrap()
        .clone();
    assert_eq!(person["id"], Value::Null);
    assert_eq!(person["label"], Value::Null);
    // The hidden person's key is numbered within this answer only (`p1`), not `n<index>`.
    assert_eq!(person["key"], "p1", "{person}");
    let affiliation = list(&v["edges"])
        .iter()
        .find(|e| e["kind"] == "affiliation")
        .unwrap()
        .clone();
    // Anonymous callers learn that someone is affiliated, not the role or the dates.
    assert_eq!(affiliation["id"], Value::Null, "{affiliation}");
    assert_eq!(affiliation["role"], Value::Null, "{affiliation}");
    for field in ["start", "end"] {
        assert!(affiliation.get(field).is_none(), "{field}: {affiliation}");
    }
    let text = v.to_string();
    assert!(!text.contains(&p) && !text.contains("Verdeckte Person"));
    assert!(!text.contains("2018-01-01"), "no role dates: {text}");
    // A viewer sees the person, the role and its dates.
    let viewer = app.token(UserRole::Viewer);
    let (_, named, _, v) = g(&format!("focus={}&depth=2", n[1]), Some(&viewer));
    assert!(named.contains(&p), "{v}");
    let affiliation = list(&v["edges"])
        .iter()
        .find(|e| e["kind"] == "affiliation")
        .unwrap()
        .clone();
    assert!(affiliation["id"].is_string(), "{affiliation}");
    assert_eq!(affiliation["role"], "member");
    assert_eq!(affiliation["start"], "2018-01-01");
    assert_eq!(affiliation["end"], Value::Null, "open role: {affiliation}");
    // An editor sees the person.
    let (_, named, _, v) = g(&format!("focus={}&depth=2", n[1]), Some(editor));
    assert!(named.contains(&p), "{v}");
    let person = list(&v["nodes"])
        .iter()
        .find(|x| x["type"] == "person")
        .unwrap()
        .clone();
    assert_eq!(person["label"], "Verdeckte Person");
    assert!(list(&v["edges"])
        .iter()
        .any(|e| e["kind"] == "affiliation" && e["id"].is_string()));

    // Kinds filter: only cooperation and membership.
    let (_, set3, edges, _) = g(
        &format!("focus={}&depth=2&kinds=cooperates_with,member_of", n[1]),
        None,
    );
    assert_eq!(set3, set(&[&n[0], &n[1], &n[2], &n[4]]));
    assert_eq!(edges.len(), 3, "{edges:?}");
    let (nodes, _, edges, _) = g(&format!("focus={}&depth=2&kinds=funding", n[1]), None);
    assert_eq!((nodes, edges.len()), (vec![n[1].clone()], 0));
    // In 2020 the membership has ended: n2 reaches n1 and, at depth 2, the person.
    let (_, set4, _, _) = g(&format!("focus={}&depth=2&as_of=2020", n[1]), None);
    assert_eq!(set4, set(&[&n[0], &n[1], "?"]));

    // Without focus: every node with at least one edge (all but n6), six edges.
    let (_, all, edges, _) = g("", None);
    assert_eq!(all.len(), 8, "{all:?}");
    assert!(!all.contains(&n[5]));
    assert_eq!(edges.len(), 6);

    // A person as focus: hidden from anonymous callers, fine for an editor.
    not_found(app, &format!("/api/v1/graph?focus={p}"), None);
    let (_, around_p, _, _) = g(&format!("focus={p}"), Some(editor));
    assert_eq!(around_p, set(&[&p, &n[0]]));

    refused(app, "/api/v1/graph?as_of=2019-13", "as_of");
    refused(
        app,
        &format!("/api/v1/graph?focus={}&depth=3", n[0]),
        "depth",
    );
    refused(app, "/api/v1/graph?kinds=friends", "kinds");
    not_found(app, "/api/v1/graph?focus=no-such-id", None);
}

fn shortest_path(app: &TestApp) {
    let fx = Fx::new(app);
    let Net { n, p } = net_fixture(&fx);
    let editor = fx.editor.as_str();
    let path = |from: &str, to: &str, extra: &str, token: Option<&str>| {
        let v = app.ok(
            &format!("/api/v1/graph/path?from={from}&to={to}{extra}"),
            token,
        );
        let (nodes, _) = graph_summary(&v);
        let kinds: Vec<String> = list(&v["edges"])
            .iter()
            .map(|e| e["kind"].as_str().unwrap().to_string())
            .collect();
        (nodes, kinds)
    };
    assert_eq!(
        path(&n[0], &n[4], "", None),
        (
            vec![n[0].clone(), n[1].clone(), n[2].clone(), n[4].clone()],
            vec![
                "cooperates_with".into(),
                "member_of".into(),
                "cooperates_with".into()
            ]
        )
    );
    assert_eq!(
        path(&n[3], &n[0], "", None),
        (
            vec![n[3].clone(), n[2].clone(), n[1].clone(), n[0].clone()],
            vec![
                "funding".into(),
                "member_of".into(),
                "cooperates_with".into()
            ]
        )
    );
    assert_eq!(path(&n[0], &n[0], "", None), (vec![n[0].clone()], vec![]));
    // Through a person: only for signed-in callers.
    assert_eq!(
        path(&p, &n[1], "", Some(editor)).0,
        vec![p.clone(), n[0].clone(), n[1].clone()]
    );
    not_found(
        app,
        &format!("/api/v1/graph/path?from={p}&to={}", n[1]),
        None,
    );
    // The membership runs 2015–2016.
    assert_eq!(path(&n[0], &n[4], "&as_of=2016-06", None).0.len(), 4);
    not_found(
        app,
        &format!("/api/v1/graph/path?from={}&to={}&as_of=2020", n[0], n[4]),
        None,
    );
    not_found(
        app,
        &format!(
            "/api/v1/graph/path?from={}&to={}&kinds=cooperates_with",
            n[0], n[4]
        ),
        None,
    );
    // No way to the lone n6 or to the n7–n8 pair.
    not_found(
        app,
        &format!("/api/v1/graph/path?from={}&to={}", n[0], n[5]),
        None,
    );
    not_found(
        app,
        &format!("/api/v1/graph/path?from={}&to={}", n[0], n[7]),
        None,
    );

    refused(
        app,
        &format!("/api/v1/graph/path?from={}&to={}&as_of=bad", n[0], n[4]),
        "as_of",
    );
    refused(app, &format!("/api/v1/graph/path?from={}", n[0]), "to");
    not_found(
        app,
        &format!("/api/v1/graph/path?from=no-such-id&to={}", n[0]),
        None,
    );
}

fn components(app: &TestApp) {
    let fx = Fx::new(app);
    net_fixture(&fx);
    let comp = |size: usize, orgs: usize, persons: usize, examples: &[&str]| json!({"size": size, "organisations": orgs, "persons": persons, "examples": examples});
    // Degrees in the big one: Drei 3, Eins 2 (with the person), Zwei 2, Fünf 1, Vier 1.
    let all = app.ok("/api/v1/graph/components", None);
    assert_eq!(
        all,
        json!([
            comp(
                6,
                5,
                1,
                &[
                    "Knoten Drei",
                    "Knoten Eins",
                    "Knoten Zwei",
                    "Knoten Fünf",
                    "Knoten Vier"
                ]
            ),
            comp(2, 2, 0, &["Knoten Acht", "Knoten Sieben"]),
            comp(1, 1, 0, &["Knoten Sechs"]),
        ])
    );
    assert_eq!(
        app.ok("/api/v1/graph/components?limit=1", None),
        json!([all[0]])
    );
    // Only cooperation: three pairs and three singletons (the person among them).
    assert_eq!(
        app.ok("/api/v1/graph/components?kinds=cooperates_with", None),
        json!([
            comp(2, 2, 0, &["Knoten Acht", "Knoten Sieben"]),
            comp(2, 2, 0, &["Knoten Drei", "Knoten Fünf"]),
            comp(2, 2, 0, &["Knoten Eins", "Knoten Zwei"]),
            comp(1, 0, 1, &[]),
            comp(1, 1, 0, &["Knoten Sechs"]),
            comp(1, 1, 0, &["Knoten Vier"]),
        ])
    );
    // In 2020 the membership n2–n3 has ended: the big one splits in two threes.
    assert_eq!(
        app.ok("/api/v1/graph/components?as_of=2020", None),
        json!([
            comp(3, 3, 0, &["Knoten Drei", "Knoten Fünf", "Knoten Vier"]),
            comp(3, 2, 1, &["Knoten Eins", "Knoten Zwei"]),
            comp(2, 2, 0, &["Knoten Acht", "Knoten Sieben"]),
            comp(1, 1, 0, &["Knoten Sechs"]),
        ])
    );
    refused(app, "/api/v1/graph/components?from=2019-13", "from");
    refused(app, "/api/v1/graph/components?limit=x", "limit");
}

fn centrality(app: &TestApp) {
    let fx = Fx::new(app);
    // A path of five: Glied 1 – 2 – 3 – 4 – 5.
    let l: Vec<String> = (1..=5)
        .map(|i| fx.org(&format!("Glied {i}"), "migrant_organisation", "Hamm"))
        .collect();
    for w in l.windows(2) {
        fx.relation(&w[0], &w[1], "cooperates_with", None, None);
    }
    let scores = |v: &Value| -> BTreeMap<String, (f64, f64)> {
        list(&v["items"])
            .iter()
            .map(|i| {
                (
                    i["node"]["id"].as_str().unwrap().to_string(),
                    (
                        i["score"].as_f64().unwrap(),
                        i["normalized"].as_f64().unwrap(),
                    ),
                )
            })
            .collect()
    };

    // Betweenness on a path of five: node i separates (i-1)(5-i) pairs → 0, 3, 4, 3, 0;
    // normalised by (n-1)(n-2)/2 = 6.
    let v = app.ok("/api/v1/graph/centrality?measure=betweenness", None);
    assert_eq!(v["method"], "exact", "{v}");
    assert_eq!(v["nodes"], 5);
    assert_eq!(v["items"][0]["node"]["id"], l[2].as_str(), "middle first");
    assert_eq!(v["items"][0]["node"]["label"], "Glied 3");
    let got = scores(&v);
    for (i, expected) in [0.0, 3.0, 4.0, 3.0, 0.0].into_iter().enumerate() {
        let (score, normalized) = got[&l[i]];
        assert!((score - expected).abs() < 1e-12, "Glied {}: {score}", i + 1);
        assert!((normalized - expected / 6.0).abs() < 1e-12);
    }
    let got_path_of_five = got.clone();
    let second: BTreeSet<&str> = list(&v["items"])[1..3]
        .iter()
        .map(|i| i["node"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(second, [l[1].as_str(), l[3].as_str()].into());

    // Degree: 1, 2, 2, 2, 1 over n-1 = 4.
    let v = app.ok("/api/v1/graph/centrality", None);
    assert_eq!(v["method"], "degree");
    let got = scores(&v);
    for (i, expected) in [1.0, 2.0, 2.0, 2.0, 1.0].into_iter().enumerate() {
        assert_eq!(got[&l[i]], (expected, expected / 4.0), "Glied {}", i + 1);
    }
    assert_eq!(
        list(&app.ok("/api/v1/graph/centrality?limit=2", None)["items"]).len(),
        2
    );

    // Around Glied 1 at depth 2: the path 1 – 2 – 3, Glied 2 on the one pair (1, 3).
    let v = app.ok(
        &format!(
            "/api/v1/graph/centrality?measure=betweenness&focus={}&depth=2",
            l[0]
        ),
        None,
    );
    assert_eq!(v["nodes"], 3);
    assert_eq!(v["items"][0]["node"]["id"], l[1].as_str());
    close(&v["items"][0]["score"], 1.0, "Glied 2 score");
    close(&v["items"][0]["normalized"], 1.0, "Glied 2 normalized");

    // Answers are kept: asked again, the same; after a write, the last complete one at
    // once, marked as older (tests/graph_cache_versions.rs), and soon the new graph's.
    let again = app.ok("/api/v1/graph/centrality?measure=betweenness", None);
    assert_eq!(scores(&again), got_path_of_five);
    let sixth = fx.org("Glied 6", "migrant_organisation", "Hamm");
    fx.relation(&l[4], &sixth, "cooperates_with", None, None);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let v = loop {
        let v = app.ok("/api/v1/graph/centrality?measure=betweenness", None);
        if v.get("newer").is_none() || std::time::Instant::now() > deadline {
            break v;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(v["nodes"], 6, "the current version's: {v}");
    let got = scores(&v);
    for (i, expected) in [0.0, 4.0, 6.0, 6.0, 4.0].into_iter().enumerate() {
        assert!((got[&l[i]].0 - expected).abs() < 1e-12, "Glied {}", i + 1);
    }

    refused(app, "/api/v1/graph/centrality?measure=closeness", "measure");
    refused(app, "/api/v1/graph/centrality?as_of=2019-13", "as_of");
    not_found(app, "/api/v1/graph/centrality?focus=no-such-id", None);
}

on_both_backends!(graph_views, shortest_path, components, centrality);
