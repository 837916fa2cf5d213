//! Exact betweenness: the fast whole-graph algorithm equals the plain Brandes on random
//! graphs and known values on a hand-made one; `exact=true` answers 202 with the
//! background job's progress, then the values of the latest finished version (also
//! after a write, while the newer one is computed); `city=` ranks the city's subgraph;
//! parameters the route would ignore are refused.
mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::graph::{list, refused, Fx};
use common::TestApp;
use knotenpunkt::graph::centrality::exact::{exact_betweenness, Progress};
use knotenpunkt::graph::centrality::{brandes, Csr};
use rand::{Rng, SeedableRng};
use rocket::http::Status;
use serde_json::Value;

fn close_to(got: f64, expected: f64) -> bool {
    (got - expected).abs() <= 1e-9 * expected.abs().max(1.0)
}

#[test]
fn equals_the_plain_brandes_on_random_graphs() {
    for seed in [1_u64, 2, 3, 5, 8, 13] {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let n = rng.gen_range(20..300);
        // Sparse with a few dense spots and several components, like the registry.
        let m = rng.gen_range(n / 2..3 * n);
        let links: Vec<(usize, usize)> = (0..m)
            .map(|_| {
                let a = rng.gen_range(0..n);
                let b = if rng.gen_bool(0.3) {
                    rng.gen_range(0..n.min(12))
                } else {
                    rng.gen_range(0..n)
                };
                (a, b)
            })
            .collect();
        let csr = Csr::from_links(n, &links);
        let progress = Progress::default();
        let exact = exact_betweenness(&csr, 2, &progress);
        let sources: Vec<u32> = (0..n as u32).collect();
        let plain = brandes(&csr, &sources, 1);
        for v in 0..n {
            assert!(
                close_to(exact[v], plain[v] / 2.0),
                "seed {seed}, node {v}: {} vs {}",
                exact[v],
                plain[v] / 2.0
            );
        }
        assert_eq!(
            progress.done.into_inner(),
            n,
            "every source walked, seed {seed}"
        );
        assert_eq!(progress.total.into_inner(), n);
    }
}

/// The fast algorithm's values equal the plain Brandes' (halved: each pair once).
fn assert_equals_brandes(name: &str, n: usize, links: &[(usize, usize)]) {
    let csr = Csr::from_links(n, links);
    let exact = exact_betweenness(&csr, 2, &Progress::default());
    let sources: Vec<u32> = (0..n as u32).collect();
    let plain = brandes(&csr, &sources, 1);
    for v in 0..n {
        assert!(
            close_to(exact[v], plain[v] / 2.0),
            "{name}, node {v}: {} vs {}",
            exact[v],
            plain[v] / 2.0
        );
    }
}

#[test]
fn equals_the_plain_brandes_on_deep_dense_and_tree_shaped_graphs() {
    // A path: a walk 600 levels deep, every node reached.
    let path: Vec<(usize, usize)> = (0..599).map(|i| (i, i + 1)).collect();
    assert_equals_brandes("path", 600, &path);

    // A cycle with trees and chains hanging off it (nodes that become leaves once the
    // leaves are folded), all one component.
    let mut links: Vec<(usize, usize)> = (0..40).map(|i| (i, (i + 1) % 40)).collect();
    let mut next = 40;
    for root in [0, 7, 13, 29] {
        // A binary tree of depth 4 under `root`.
        let mut level = vec![root];
        for _ in 0..4 {
            let mut below = Vec::new();
            for &v in &level {
                for _ in 0..2 {
                    links.push((v, next));
                    below.push(next);
                    next += 1;
                }
            }
            level = below;
        }
    }
    for root in [3, 20] {
        // A chain of 10.
        let mut at = root;
        for _ in 0..10 {
            links.push((at, next));
            at = next;
            next += 1;
        }
    }
    assert_equals_brandes("cycle with trees", next, &links);

    // Two cliques joined through a cut vertex, a pendant path at it, and a complete
    // bipartite part (many equivalent nodes, many shortest paths).
    let mut links = Vec::new();
    for a in 0..8 {
        for b in a + 1..8 {
            links.push((a, b));
            links.push((9 + a, 9 + b));
        }
    }
    links.extend([(0, 8), (8, 9), (8, 17), (17, 18), (18, 19)]);
    for a in 20..23 {
        links.push((19, a));
        for b in 23..63 {
            links.push((a, b));
        }
    }
    assert_equals_brandes("cliques, cut vertex, bipartite", 63, &links);
}

#[test]
fn known_values_on_a_hand_made_graph() {
    // Triangles a b c and d e f joined by x (c – x – d); a square p q r s; an edge g – h;
    // i alone. c and d each separate {a, b} from the four nodes beyond them (8 pairs),
    // x separates the triangles (9 pairs); each square node lies on one of the two
    // shortest paths between its two neighbours (1/2).
    let names = [
        "a", "b", "c", "x", "d", "e", "f", "p", "q", "r", "s", "g", "h", "i",
    ];
    let at = |name: &str| names.iter().position(|n| *n == name).unwrap();
    let links: Vec<(usize, usize)> = [
        ("a", "b"),
        ("b", "c"),
        ("a", "c"),
        ("c", "x"),
        ("x", "d"),
        ("d", "e"),
        ("e", "f"),
        ("d", "f"),
        ("p", "q"),
        ("q", "r"),
        ("r", "s"),
        ("s", "p"),
        ("g", "h"),
        ("h", "g"),
    ]
    .iter()
    .map(|(a, b)| (at(a), at(b)))
    .collect();
    let csr = Csr::from_links(names.len(), &links);
    let got = exact_betweenness(&csr, 2, &Progress::default());
    let expected = [
        0.0, 0.0, 8.0, 9.0, 8.0, 0.0, 0.0, 0.5, 0.5, 0.5, 0.5, 0.0, 0.0, 0.0,
    ];
    for (i, name) in names.iter().enumerate() {
        assert!(close_to(got[i], expected[i]), "{name}: {}", got[i]);
    }
}

/// A, B, C in Bochum (A – B – C), D in Dortmund (C – D – A), person P with roles at A
/// and D. Whole graph: the square A B C D with P beside A and D. Bochum: P – A – B – C.
struct Cities {
    a: String,
    b: String,
    c: String,
    d: String,
}

fn cities(fx: &Fx) -> Cities {
    let org = |name| fx.org(name, "migrant_organisation", "Bochum");
    let (a, b, c) = (org("Verein A"), org("Verein B"), org("Verein C"));
    let d = fx.org("Verein D", "migrant_organisation", "Dortmund");
    fx.relation(&a, &b, "cooperates_with", None, None);
    fx.relation(&b, &c, "cooperates_with", None, None);
    fx.relation(&c, &d, "cooperates_with", None, None);
    fx.relation(&d, &a, "cooperates_with", None, None);
    let p = fx.person("Person P", "public");
    fx.role(&p, &a, "member", None, None);
    fx.role(&p, &d, "member", None, None);
    Cities { a, b, c, d }
}

fn scores(v: &Value) -> BTreeMap<String, f64> {
    list(&v["items"])
        .iter()
        .map(|i| {
            (
                i["node"]["id"].as_str().unwrap().to_string(),
                i["score"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn data_version(app: &TestApp) -> i64 {
    let mut conn = app.db().conn().expect("conn");
    knotenpunkt::db::data_version(&mut conn).expect("data version")
}

/// Asks until the answer is 200 (at most 20 s), checking every 202 on the way.
fn exact_answer(app: &TestApp, path: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, v) = app.get(path, None);
        match status {
            Status::Ok => return v,
            Status::Accepted => {
                assert!(["queued", "running"].contains(&v["status"].as_str().unwrap()));
                assert!(
                    v["sources_done"].as_u64() <= v["sources_total"].as_u64(),
                    "{v}"
                );
            }
            other => panic!("{path}: {other} {v}"),
        }
        assert!(Instant::now() < deadline, "{path}: still not done: {v}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn city_restricts_centrality(app: &TestApp) {
    let fx = Fx::new(app);
    let net = cities(&fx);
    app.settle();
    let whole = scores(&app.ok("/api/v1/graph/centrality?measure=betweenness", None));
    let bochum = app.ok(
        "/api/v1/graph/centrality?measure=betweenness&city=bochum",
        None,
    );
    assert_eq!(bochum["nodes"], 4, "A, B, C and P: {bochum}");
    let got = scores(&bochum);
    assert_eq!(got.len(), 3, "organisations only for visitors: {bochum}");
    assert!(!got.contains_key(&net.d), "D is in Dortmund");
    // P – A – B – C: A on (P,B), (P,C); B on (A,C), (P,C).
    assert!(
        close_to(got[&net.a], 2.0) && close_to(got[&net.b], 2.0),
        "{got:?}"
    );
    assert!(close_to(got[&net.c], 0.0), "{got:?}");
    assert_ne!(
        got[&net.b], whole[&net.b],
        "the whole graph differs: {whole:?}"
    );

    // Degree in the city: C's link to D is outside.
    let degree = scores(&app.ok("/api/v1/graph/centrality?city=Bochum", None));
    assert_eq!(degree[&net.c], 1.0);
    assert_eq!(degree[&net.a], 2.0, "B and P");

    refused(app, "/api/v1/graph/centrality?city=Atlantis", "city");
    refused(
        app,
        &format!("/api/v1/graph/centrality?city=Bochum&focus={}", net.a),
        "city",
    );
}

fn exact_job_answers_202_then_the_latest_finished_version(app: &TestApp) {
    let fx = Fx::new(app);
    let net = cities(&fx);
    app.settle();
    let version = data_version(app);
    let path = "/api/v1/graph/centrality?measure=betweenness&exact=true&limit=100";
    let (status, first) = app.get(path, None);
    assert_eq!(status, Status::Accepted, "{first}");
    assert_eq!(first["version"], version, "{first}");
    // The document names the 202 answer and its body.
    let doc = app.ok("/api/v1/openapi.json", None);
    let accepted = &doc["paths"]["/api/v1/graph/centrality"]["get"]["responses"]["202"];
    let schema = accepted["content"]["application/json"]["schema"]["$ref"]
        .as_str()
        .expect("202 schema");
    let name = schema.rsplit('/').next().unwrap();
    let props = &doc["components"]["schemas"][name]["properties"];
    for field in ["status", "version", "sources_done", "sources_total"] {
        assert!(props.get(field).is_some(), "{field} in {props}");
    }

    let done = exact_answer(app, path);
    assert_eq!(done["method"], "exact", "{done}");
    assert_eq!(done["version"], version);
    assert!(done.get("newer").is_none(), "{done}");
    // The same values as the interactive answer (exact on a graph this small).
    let interactive = app.ok("/api/v1/graph/centrality?measure=betweenness", None);
    assert_eq!(done["nodes"], interactive["nodes"]);
    let (got, expected) = (scores(&done), scores(&interactive));
    assert_eq!(got.len(), expected.len());
    for (id, x) in &expected {
        assert!(close_to(got[id], *x), "{id}: {} vs {x}", got[id]);
    }

    // After a write the finished values are served, marked with their version, while
    // the newer version is computed; then the newer values.
    let e = fx.org("Verein E", "migrant_organisation", "Bochum");
    fx.relation(&e, &net.b, "cooperates_with", None, None);
    app.settle();
    let newer_version = data_version(app);
    assert!(newer_version > version);
    let (status, stale) = app.get(path, None);
    assert_eq!(status, Status::Ok, "{stale}");
    assert_eq!(stale["version"], version, "{stale}");
    assert_eq!(stale["newer"]["version"], newer_version, "{stale}");
    assert_eq!(scores(&stale), got);
    let deadline = Instant::now() + Duration::from_secs(20);
    let fresh = loop {
        let v = exact_answer(app, path);
        if v["version"] == newer_version {
            break v;
        }
        assert!(
            Instant::now() < deadline,
            "the newer version never came: {v}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let got = scores(&fresh);
    assert_eq!(got.len(), 5);
    assert!(
        got[&net.b] > expected[&net.b],
        "B now also links E: {got:?}"
    );

    // A city's exact values are their own job.
    let city = exact_answer(
        app,
        "/api/v1/graph/centrality?measure=betweenness&exact=true&city=Bochum",
    );
    assert_eq!(city["nodes"], 5, "A, B, C, E and P: {city}");
    assert!(close_to(scores(&city)[&net.b], 2.0 + 3.0), "{city}");
}

fn ignored_parameters_are_refused(app: &TestApp) {
    let fx = Fx::new(app);
    let net = cities(&fx);
    let c = "/api/v1/graph/centrality";
    refused(app, &format!("{c}?measure=betweenness&depth=2"), "depth");
    refused(app, &format!("{c}?exact=true"), "exact");
    refused(
        app,
        &format!("{c}?measure=betweenness&exact=maybe"),
        "exact",
    );
    refused(
        app,
        &format!("{c}?measure=betweenness&exact=true&focus={}", net.a),
        "exact",
    );
    refused(
        app,
        &format!("{c}?measure=betweenness&concurrent=true"),
        "concurrent",
    );
    // With a focus, depth counts.
    let v = app.ok(&format!("{c}?focus={}&depth=1", net.a), None);
    assert_eq!(v["nodes"], 4, "A with B, D and P: {v}");
}

on_both_backends!(
    city_restricts_centrality,
    exact_job_answers_202_then_the_latest_finished_version,
    ignored_parameters_are_refused
);
