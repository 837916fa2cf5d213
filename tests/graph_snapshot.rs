//! The graph snapshot itself: it follows writes, readers never see a half-built one,
//! and betweenness and components agree with plain reference implementations on
//! random graphs.
mod common;

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::TestApp;
use knotenpunkt::graph::centrality::{betweenness_scores, Csr, Method};
use knotenpunkt::graph::network::{self, KindFilter, View};
use knotenpunkt::graph::{build_snapshot, Edge, GraphState, Node, Snapshot, TimeFilter};
use knotenpunkt::store::snapshot::{
    AffiliationRow, FundingRow, OrgRow, PersonRow, RelationRow, Rows,
};
use petgraph::visit::EdgeRef;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rocket::http::Status;
use serde_json::json;

fn data_version(app: &TestApp) -> i64 {
    let mut conn = app.db().conn().expect("conn");
    knotenpunkt::db::data_version(&mut conn).expect("data version")
}

fn graph_state(app: &TestApp) -> Arc<GraphState> {
    app.client
        .rocket()
        .state::<Arc<GraphState>>()
        .expect("graph state")
        .clone()
}

/// Waits until the graph snapshot has caught up with every write made so far.
fn settle(app: &TestApp) {
    let version = data_version(app);
    assert!(
        graph_state(app).wait_for(version, Duration::from_secs(5)),
        "the graph snapshot did not reach data version {version}"
    );
}

// ---------------------------------------------------------------------------
// (a) The snapshot follows writes
// ---------------------------------------------------------------------------

fn follows_writes(app: &TestApp) {
    let editor = app.editor();
    settle(app);
    let state = graph_state(app);
    let first = state.current().version;

    let a = app.create(
        "organisations",
        &editor,
        json!({"name": "Erste", "kind": "migrant_organisation", "city": "Essen"}),
    );
    let b = app.create(
        "organisations",
        &editor,
        json!({"name": "Zweite", "kind": "municipality"}),
    );
    let rel = app.create(
        "relations",
        &editor,
        json!({"source_id": a, "target_id": b, "kind": "cooperates_with"}),
    );
    let version = data_version(app);
    assert!(version > first, "writes move the data version");

    // No explicit wait: the refresher, nudged after the writes, catches up by itself.
    let deadline = Instant::now() + Duration::from_secs(5);
    while state.current().version < version {
        assert!(Instant::now() < deadline, "snapshot stuck before {version}");
        std::thread::sleep(Duration::from_millis(5));
    }
    let snap = state.current();
    assert_eq!(snap.version, version);
    let (na, nb) = (snap.node(&a).expect("a"), snap.node(&b).expect("b"));
    let e = snap.graph.find_edge(na, nb).expect("the new relation");
    assert_eq!(snap.graph[e].id(), rel);
    assert_eq!(snap.graph[e].kind_name(), "cooperates_with");
    let (status, path) = app.get(&format!("/api/v1/graph/path?from={a}&to={b}"), None);
    assert_eq!(status, Status::Ok, "{path}");
    assert_eq!(path["edges"][0]["id"], rel.as_str());

    // Reads and refused writes leave the version alone.
    app.get("/api/v1/graph", None);
    app.get("/api/v1/organisations", None);
    let (status, _) = app.post(
        "/api/v1/organisations",
        Some(&editor),
        &json!({"name": "Erste", "kind": "migrant_organisation", "city": "Essen"}),
    );
    assert_eq!(status, Status::Conflict);
    let (status, _) = app.post(
        "/api/v1/relations",
        Some(&editor),
        &json!({"source_id": a, "target_id": "no-such-id", "kind": "cooperates_with"}),
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(data_version(app), version);

    // A delete moves it again, and the edge is gone from the next snapshot.
    let (status, _) = app.delete(&format!("/api/v1/relations/{rel}"), Some(&editor));
    assert_eq!(status, Status::NoContent);
    let after = data_version(app);
    assert!(after > version);
    settle(app);
    let snap = state.current();
    assert!(snap.version >= after);
    assert!(snap.graph.find_edge(na, nb).is_none());
    assert_eq!(snap.graph.edge_count(), 0);
}

// ---------------------------------------------------------------------------
// (b) Readers never see a half-built snapshot
// ---------------------------------------------------------------------------

const BATCH: usize = 30;
const PREFIX: &str = "Charge ";

/// What a reader saw in one snapshot: (version, batch organisations, funding edges).
type Seen = (i64, usize, usize);

/// Checks the invariants every complete snapshot has, and returns its counts.
fn check_complete(s: &Snapshot, funder: &str) -> Seen {
    assert_eq!(
        s.by_id.len(),
        s.graph.node_count(),
        "by_id covers every node"
    );
    for n in s.graph.node_indices() {
        let id = match &s.graph[n] {
            Node::Organisation(o) => &o.id,
            Node::Person(p) => &p.id,
        };
        assert_eq!(
            s.by_id.get(id.as_str()),
            Some(&n),
            "by_id maps {id} back to its node"
        );
    }
    let batch: HashSet<String> = s
        .organisations()
        .filter(|(_, o)| o.name.starts_with(PREFIX))
        .map(|(_, o)| o.id.clone())
        .collect();
    let mut recipients = HashSet::new();
    for e in s.graph.edge_references() {
        let Edge::Funding(_) = e.weight() else {
            continue;
        };
        let (from, to) = (s.org(e.source()), s.org(e.target()));
        let (Some(from), Some(to)) = (from, to) else {
            panic!("a funding edge between non-organisations at {}", s.version);
        };
        assert_eq!(from.id, funder, "every funding comes from the one funder");
        assert!(batch.contains(&to.id), "recipient {} is live", to.id);
        assert!(recipients.insert(to.id.clone()), "one funding each");
    }
    // The writer adds an organisation, then its funding: at most the newest one lacks it.
    assert!(
        batch.len() - recipients.len() <= 1,
        "version {}: {} organisations but {} fundings",
        s.version,
        batch.len(),
        recipients.len()
    );
    (s.version, batch.len(), recipients.len())
}

fn never_half_built(app: &TestApp) {
    let editor = app.editor();
    let funder = app.create(
        "organisations",
        &editor,
        json!({"name": "Förderer der Charge", "kind": "funder"}),
    );
    settle(app);
    let state = graph_state(app);
    let stop = AtomicBool::new(false);

    let seen: Vec<Vec<Seen>> = std::thread::scope(|scope| {
        let readers: Vec<_> = (0..3)
            .map(|_| {
                let (state, stop, funder) = (&state, &stop, funder.as_str());
                scope.spawn(move || {
                    let mut seen: Vec<Seen> = Vec::new();
                    loop {
                        let done = stop.load(Ordering::SeqCst);
                        let snap = state.current();
                        if seen.last().is_none_or(|last| last.0 != snap.version) {
                            let counts = check_complete(&snap, funder);
                            if let Some(last) = seen.last() {
                                assert!(counts.0 > last.0, "versions never go back");
                            }
                            seen.push(counts);
                        }
                        if done {
                            return seen;
                        }
                        std::thread::sleep(Duration::from_micros(200));
                    }
                })
            })
            .collect();

        for i in 0..BATCH {
            let org = app.create(
                "organisations",
                &editor,
                json!({"name": format!("{PREFIX}{i:02}"), "kind": "migrant_organisation"}),
            );
            app.create(
                "fundings",
                &editor,
                json!({"funder_id": funder, "recipient_id": org, "status": "granted",
                       "amount_min": 100 * (i as i64 + 1), "amount_max": 100 * (i as i64 + 1)}),
            );
        }
        settle(app);
        stop.store(true, Ordering::SeqCst);
        readers
            .into_iter()
            .map(|r| r.join().expect("reader"))
            .collect()
    });

    // The final snapshot holds the whole batch, and every reader ended there.
    let last = check_complete(&state.current(), &funder);
    assert_eq!((last.1, last.2), (BATCH, BATCH));
    for reader in &seen {
        assert_eq!(reader.last().copied(), Some(last), "{reader:?}");
    }
    // One version, one content; and contents only grow with the version.
    let mut by_version: BTreeMap<i64, (usize, usize)> = BTreeMap::new();
    for &(v, orgs, fundings) in seen.iter().flatten() {
        let known = by_version.entry(v).or_insert((orgs, fundings));
        assert_eq!(
            *known,
            (orgs, fundings),
            "version {v} seen with two contents"
        );
    }
    let counts: Vec<(usize, usize)> = by_version.values().copied().collect();
    assert!(
        counts
            .windows(2)
            .all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1),
        "{by_version:?}"
    );
    assert!(by_version.len() >= 2, "readers saw the snapshot change");
    // The API on the final snapshot agrees: the funder's exit hits all of the batch.
    let (status, impact) = app.get(&format!("/api/v1/funding/impact?funder={funder}"), None);
    assert_eq!(status, Status::Ok);
    assert_eq!(impact.as_array().map(Vec::len), Some(BATCH));
}

on_both_backends!(follows_writes, never_half_built);

// ---------------------------------------------------------------------------
// (c) Betweenness and components against reference implementations
// ---------------------------------------------------------------------------

const RELATION_KINDS: [&str; 3] = ["cooperates_with", "member_of", "migration_link"];

/// Random rows: organisations, a few persons, relations of three kinds (some parallel,
/// some both ways, a few loops), affiliations and fundings.
fn random_rows(rng: &mut StdRng, orgs: usize, persons: usize) -> Rows {
    let org_id = |i: usize| format!("o{i}");
    let person_id = |i: usize| format!("p{i}");
    let organisations = (0..orgs)
        .map(|i| OrgRow {
            id: org_id(i),
            name: format!("Organisation {i}"),
            short_name: None,
            kind: "migrant_organisation".into(),
            city: None,
            parent_id: None,
            founded: None,
            dissolved: None,
        })
        .collect();
    let persons_rows = (0..persons)
        .map(|i| PersonRow {
            id: person_id(i),
            name: format!("Person {i}"),
            visibility: if i % 2 == 0 { "public" } else { "restricted" }.into(),
        })
        .collect();
    let density = rng.gen_range(0.5..2.5);
    let relations = (0..((orgs as f64 * density) as usize))
        .map(|i| {
            let a = rng.gen_range(0..orgs);
            let b = if rng.gen_bool(0.03) {
                a
            } else {
                rng.gen_range(0..orgs)
            };
            RelationRow {
                id: format!("r{i}"),
                source_id: org_id(a),
                target_id: org_id(b),
                kind: RELATION_KINDS[rng.gen_range(0..RELATION_KINDS.len())].into(),
                start: None,
                end: None,
                approx_size: None,
            }
        })
        .collect();
    let affiliations = if persons == 0 {
        Vec::new()
    } else {
        (0..rng.gen_range(0..=2 * persons))
            .map(|i| AffiliationRow {
                id: format!("a{i}"),
                person_id: person_id(rng.gen_range(0..persons)),
                organisation_id: org_id(rng.gen_range(0..orgs)),
                role: "member".into(),
                start: None,
                end: None,
                paid: None,
                project_bound: false,
                fields_of_work: String::new(),
            })
            .collect()
    };
    let fundings = (0..rng.gen_range(0..=orgs / 4))
        .map(|i| FundingRow {
            id: format!("f{i}"),
            funder_id: org_id(rng.gen_range(0..orgs)),
            recipient_id: org_id(rng.gen_range(0..orgs)),
            programme: None,
            amount_min: Some(100),
            amount_max: Some(100),
            start: None,
            end: None,
            project_bound: false,
            status: "granted".into(),
        })
        .collect();
    Rows {
        version: 1,
        organisations,
        persons: persons_rows,
        affiliations,
        fundings,
        partners: Vec::new(),
        relations,
    }
}

/// The simple undirected graph of the snapshot on node indices: no loops, no parallels.
fn adjacency(s: &Snapshot, keep: impl Fn(&Edge) -> bool) -> Vec<Vec<usize>> {
    let n = s.graph.node_count();
    let mut sets: Vec<HashSet<usize>> = vec![HashSet::new(); n];
    for e in s.graph.edge_references() {
        let (a, b) = (e.source().index(), e.target().index());
        if a != b && keep(e.weight()) {
            sets[a].insert(b);
            sets[b].insert(a);
        }
    }
    sets.into_iter()
        .map(|s| {
            let mut v: Vec<usize> = s.into_iter().collect();
            v.sort_unstable();
            v
        })
        .collect()
}

/// Distances and shortest-path counts from one source, by breadth-first search.
fn bfs(adj: &[Vec<usize>], s: usize) -> (Vec<Option<usize>>, Vec<f64>) {
    let mut dist = vec![None; adj.len()];
    let mut sigma = vec![0.0; adj.len()];
    dist[s] = Some(0);
    sigma[s] = 1.0;
    let mut queue = VecDeque::from([s]);
    while let Some(v) = queue.pop_front() {
        let dv = dist[v].unwrap();
        for &w in &adj[v] {
            if dist[w].is_none() {
                dist[w] = Some(dv + 1);
                queue.push_back(w);
            }
            if dist[w] == Some(dv + 1) {
                sigma[w] += sigma[v];
            }
        }
    }
    (dist, sigma)
}

/// Betweenness by its definition: for every pair s < t and every other v on a shortest
/// s–t path, the fraction sigma_sv * sigma_vt / sigma_st of those paths through v.
fn reference_betweenness(adj: &[Vec<usize>]) -> Vec<f64> {
    let n = adj.len();
    let all: Vec<(Vec<Option<usize>>, Vec<f64>)> = (0..n).map(|s| bfs(adj, s)).collect();
    let mut bc = vec![0.0; n];
    for s in 0..n {
        for t in s + 1..n {
            let Some(dst) = all[s].0[t] else { continue };
            for (v, score) in bc.iter_mut().enumerate() {
                if v == s || v == t {
                    continue;
                }
                if let (Some(dsv), Some(dvt)) = (all[s].0[v], all[v].0[t]) {
                    if dsv + dvt == dst {
                        *score += all[s].1[v] * all[v].1[t] / all[s].1[t];
                    }
                }
            }
        }
    }
    bc
}

/// Components by depth-first search: a component number per node.
fn reference_components(adj: &[Vec<usize>]) -> Vec<usize> {
    let mut label = vec![usize::MAX; adj.len()];
    let mut next = 0;
    for start in 0..adj.len() {
        if label[start] != usize::MAX {
            continue;
        }
        let mut stack = vec![start];
        label[start] = next;
        while let Some(v) = stack.pop() {
            for &w in &adj[v] {
                if label[w] == usize::MAX {
                    label[w] = next;
                    stack.push(w);
                }
            }
        }
        next += 1;
    }
    label
}

/// Compares the engine with the references on one snapshot and one kind filter.
fn compare(s: &Snapshot, kinds: Option<&str>, case: &str) {
    let view = View {
        s,
        time: TimeFilter::ALL,
        kinds: KindFilter::parse(kinds).expect("kinds"),
    };
    let keep = |e: &Edge| kinds.is_none_or(|k| k.split(',').any(|k| k == e.kind_name()));
    let adj = adjacency(s, keep);
    let n = adj.len();

    let csr = Csr::build(&view, None);
    assert_eq!(csr.len(), n, "{case}");
    for (i, node) in csr.nodes.iter().enumerate() {
        assert_eq!(node.index(), i, "{case}: local index = node index");
        assert_eq!(csr.degree(i), adj[i].len(), "{case}: degree of {i}");
    }
    let (method, scores) = betweenness_scores(&csr, usize::MAX, 0, 1);
    assert_eq!(method, Method::Exact, "{case}");
    let expected = reference_betweenness(&adj);
    assert_eq!(scores.len(), n);
    for v in 0..n {
        let tolerance = 1e-9 * expected[v].abs().max(1.0);
        assert!(
            (scores[v] - expected[v]).abs() <= tolerance,
            "{case}: betweenness of node {v}: {} vs reference {}",
            scores[v],
            expected[v]
        );
    }
    // With as many samples as nodes the answer is exact as well.
    let (method, again) = betweenness_scores(&csr, 0, n, 99);
    assert_eq!(method, Method::Exact, "{case}");
    for v in 0..n {
        assert!((again[v] - scores[v]).abs() <= 1e-9 * scores[v].abs().max(1.0));
    }

    // Components: the same partition, and the same (size, organisations, persons).
    let reference = reference_components(&adj);
    let labels = network::component_labels(&view);
    let mut pairing: HashMap<usize, usize> = HashMap::new();
    let mut back: HashMap<usize, usize> = HashMap::new();
    for v in 0..n {
        assert_eq!(
            *pairing.entry(reference[v]).or_insert(labels[v]),
            labels[v],
            "{case}: node {v} split from its component"
        );
        assert_eq!(
            *back.entry(labels[v]).or_insert(reference[v]),
            reference[v],
            "{case}: node {v} joined to a foreign component"
        );
    }
    let mut expected_sizes: BTreeMap<usize, (usize, usize, usize)> = BTreeMap::new();
    for (v, &c) in reference.iter().enumerate() {
        let entry = expected_sizes.entry(c).or_default();
        entry.0 += 1;
        match s.graph[petgraph::graph::NodeIndex::new(v)] {
            Node::Organisation(_) => entry.1 += 1,
            Node::Person(_) => entry.2 += 1,
        }
    }
    let mut expected_sizes: Vec<(usize, usize, usize)> = expected_sizes.into_values().collect();
    expected_sizes.sort_by(|a, b| b.cmp(a));
    let components = network::components(&view);
    let mut got: Vec<(usize, usize, usize)> = components
        .iter()
        .map(|c| (c.size, c.organisations, c.persons))
        .collect();
    assert!(
        got.windows(2).all(|w| w[0].0 >= w[1].0),
        "{case}: largest first"
    );
    got.sort_by(|a, b| b.cmp(a));
    assert_eq!(got, expected_sizes, "{case}");
    for c in &components {
        assert!(c.examples.len() <= 5.min(c.organisations), "{case}");
    }
}

#[test]
fn betweenness_and_components_match_references_on_random_graphs() {
    let mut rng = StdRng::seed_from_u64(20_240_301);
    for round in 0..30 {
        let orgs = rng.gen_range(5..=40);
        let persons = rng.gen_range(0..=5);
        let s = build_snapshot(random_rows(&mut rng, orgs, persons)).expect("snapshot");
        assert_eq!(s.graph.node_count(), orgs + persons);
        compare(&s, None, &format!("round {round}, all kinds"));
        compare(
            &s,
            Some("cooperates_with"),
            &format!("round {round}, cooperation"),
        );
        compare(
            &s,
            Some("member_of,affiliation"),
            &format!("round {round}, membership and affiliation"),
        );
    }
}

#[test]
fn references_agree_on_small_known_graphs() {
    let rows = |n: usize, edges: &[(usize, usize)]| Rows {
        version: 1,
        organisations: (0..n)
            .map(|i| OrgRow {
                id: format!("o{i}"),
                name: format!("O{i}"),
                short_name: None,
                kind: "project".into(),
                city: None,
                parent_id: None,
                founded: None,
                dissolved: None,
            })
            .collect(),
        persons: Vec::new(),
        affiliations: Vec::new(),
        fundings: Vec::new(),
        partners: Vec::new(),
        relations: edges
            .iter()
            .enumerate()
            .map(|(i, &(a, b))| RelationRow {
                id: format!("r{i}"),
                source_id: format!("o{a}"),
                target_id: format!("o{b}"),
                kind: "cooperates_with".into(),
                start: None,
                end: None,
                approx_size: None,
            })
            .collect(),
    };
    let scores = |s: &Snapshot| {
        let view = View {
            s,
            time: TimeFilter::ALL,
            kinds: KindFilter::default(),
        };
        betweenness_scores(&Csr::build(&view, None), usize::MAX, 0, 1).1
    };
    // Nothing, one node.
    let empty = build_snapshot(rows(0, &[])).unwrap();
    assert!(scores(&empty).is_empty());
    compare(&empty, None, "empty");
    let one = build_snapshot(rows(1, &[])).unwrap();
    assert_eq!(scores(&one), [0.0]);
    // A path of five: 0, 3, 4, 3, 0 (both the engine and the reference).
    let path = build_snapshot(rows(5, &[(0, 1), (1, 2), (2, 3), (3, 4)])).unwrap();
    assert_eq!(scores(&path), [0.0, 3.0, 4.0, 3.0, 0.0]);
    compare(&path, None, "path");
    // A star with four leaves: the centre lies on all 6 leaf pairs.
    let star = build_snapshot(rows(5, &[(0, 1), (0, 2), (3, 0), (4, 0)])).unwrap();
    assert_eq!(scores(&star), [6.0, 0.0, 0.0, 0.0, 0.0]);
    // A square 0-1-2-3-0: each node carries half of the one opposite pair.
    let square = build_snapshot(rows(4, &[(0, 1), (1, 2), (2, 3), (3, 0), (1, 0)])).unwrap();
    assert_eq!(scores(&square), [0.5, 0.5, 0.5, 0.5]);
    compare(&square, None, "square");
}
