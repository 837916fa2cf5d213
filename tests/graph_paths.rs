//! Shortest paths: the bidirectional search on the compact adjacency (`PathIndex`)
//! finds paths as short as a plain breadth-first search over the links the filters
//! admit — on random graphs with kind and time filters, and through the API on both
//! backends — and every path it gives is a real walk over admitted links.
mod common;

use std::collections::{BTreeSet, VecDeque};

use common::TestApp;
use knotenpunkt::domain::Interval;
use knotenpunkt::graph::network::KindFilter;
use knotenpunkt::graph::paths::{Admit, Link, PathIndex};
use knotenpunkt::graph::TimeFilter;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rocket::http::Status;
use serde_json::Value;

/// A year interval: first and last year, open ends as `None`.
type Years = (Option<i32>, Option<i32>);

const KINDS: [&str; 4] = ["affiliation", "funding", "cooperates_with", "member_of"];

/// A year interval with open ends now and then.
fn random_interval(rng: &mut StdRng) -> Years {
    let start = rng.gen_range(2000..2024);
    let end = start + rng.gen_range(0..6);
    (
        (!rng.gen_bool(0.2)).then_some(start),
        (!rng.gen_bool(0.3)).then_some(end),
    )
}

fn interval(years: Years) -> Interval {
    let year = |y: Option<i32>| y.map(|y| y.to_string().parse().expect("a year"));
    Interval::new(year(years.0), year(years.1))
}

/// Fewest links from `a` to `b` over the admitted links, by a plain BFS: the reference.
fn bfs_length(n: usize, links: &[(usize, usize)], a: usize, b: usize) -> Option<usize> {
    let mut adjacent = vec![Vec::new(); n];
    for &(x, y) in links {
        adjacent[x].push(y);
        adjacent[y].push(x);
    }
    let mut distance = vec![usize::MAX; n];
    distance[a] = 0;
    let mut queue = VecDeque::from([a]);
    while let Some(v) = queue.pop_front() {
        for &w in &adjacent[v] {
            if distance[w] == usize::MAX {
                distance[w] = distance[v] + 1;
                queue.push_back(w);
            }
        }
    }
    (distance[b] != usize::MAX).then_some(distance[b])
}

fn random_filters(rng: &mut StdRng) -> (KindFilter, TimeFilter) {
    let kinds = match rng.gen_range(0..3) {
        0 => KindFilter::default(),
        1 => KindFilter::parse(Some("cooperates_with,affiliation")).expect("kinds"),
        _ => KindFilter::parse(Some("funding,member_of,cooperates_with")).expect("kinds"),
    };
    let first = rng.gen_range(2000..2026);
    let (year, later) = (first.to_string(), (first + rng.gen_range(0..4)).to_string());
    let time = match rng.gen_range(0..3) {
        0 => Ok(TimeFilter::ALL),
        1 => TimeFilter::parse(Some(&year), None, None),
        _ => TimeFilter::parse(None, Some(&year), Some(&later)),
    };
    (kinds, time.expect("a window"))
}

#[test]
fn bidirectional_search_is_as_short_as_a_plain_bfs_on_random_graphs() {
    let mut compared = 0;
    let mut found = 0;
    for seed in 1..=8u64 {
        let mut rng = StdRng::seed_from_u64(seed);
        let n = rng.gen_range(40..400);
        let m = n * rng.gen_range(2..8);
        let links: Vec<Link> = (0..m)
            .map(|_| Link {
                a: rng.gen_range(0..n as u32),
                b: rng.gen_range(0..n as u32),
                kind: KINDS[rng.gen_range(0..KINDS.len())],
                interval: interval(random_interval(&mut rng)),
            })
            .collect();
        let index = PathIndex::from_links(n, &links);
        for _ in 0..12 {
            let (kinds, time) = random_filters(&mut rng);
            let admitted: Vec<bool> = links
                .iter()
                .map(|l| kinds.admits_kind(l.kind) && time.admits(&l.interval))
                .collect();
            let kept: Vec<(usize, usize)> = links
                .iter()
                .zip(&admitted)
                .filter(|(_, &ok)| ok)
                .map(|(l, _)| (l.a as usize, l.b as usize))
                .collect();
            let admit = Admit::new(&kinds, &time);
            for _ in 0..40 {
                let (a, b) = (rng.gen_range(0..n), rng.gen_range(0..n));
                let expected = bfs_length(n, &kept, a, b);
                let got = index.shortest(a as u32, b as u32, &admit);
                compared += 1;
                let Some((nodes, edges)) = got else {
                    assert_eq!(expected, None, "seed {seed}: {a}→{b} has a path");
                    continue;
                };
                found += 1;
                assert_eq!(Some(edges.len()), expected, "seed {seed}: {a}→{b}");
                assert_eq!(nodes.len(), edges.len() + 1);
                assert_eq!((nodes[0], nodes[nodes.len() - 1]), (a as u32, b as u32));
                for (i, &e) in edges.iter().enumerate() {
                    let l = &links[e as usize];
                    assert!(
                        admitted[e as usize],
                        "seed {seed}: link {e} is filtered out"
                    );
                    let ends = BTreeSet::from([l.a, l.b]);
                    assert_eq!(ends, BTreeSet::from([nodes[i], nodes[i + 1]]));
                }
            }
        }
    }
    assert!(
        found > compared / 5 && found < compared,
        "{found} of {compared}"
    );
}

/// Organisations linked by random dated cooperations, and persons with dated roles;
/// the API's path lengths equal a BFS over the links each `as_of` admits.
fn api_paths_are_shortest(app: &TestApp) {
    let fx = common::graph::Fx::new(app);
    let mut rng = StdRng::seed_from_u64(12);
    let orgs: Vec<String> = (0..14)
        .map(|i| fx.org(&format!("Pfad Verein {i}"), "migrant_organisation", "Herne"))
        .collect();
    let persons: Vec<String> = (0..3)
        .map(|i| fx.person(&format!("Pfad Person {i}"), "public"))
        .collect();
    let year = |y: Option<i32>| y.map(|y| y.to_string());
    // Nodes: organisations 0..14, persons 14..17; links with their years.
    let mut links: Vec<(usize, usize, Years)> = Vec::new();
    let mut pairs = BTreeSet::new();
    while links.len() < 16 {
        let (a, b) = (rng.gen_range(0..14), rng.gen_range(0..14));
        if a == b || !pairs.insert((a.min(b), a.max(b))) {
            continue;
        }
        let years = random_interval(&mut rng);
        let (start, end) = (year(years.0), year(years.1));
        fx.relation(
            &orgs[a],
            &orgs[b],
            "cooperates_with",
            start.as_deref(),
            end.as_deref(),
        );
        links.push((a, b, years));
    }
    for (p, person) in persons.iter().enumerate() {
        for _ in 0..2 {
            let o = rng.gen_range(0..14);
            let years = random_interval(&mut rng);
            let (start, end) = (year(years.0), year(years.1));
            fx.role(person, &orgs[o], "member", start.as_deref(), end.as_deref());
            links.push((14 + p, o, years));
        }
    }
    let mut compared = 0;
    for as_of in [None, Some("2005"), Some("2012"), Some("2019")] {
        let time = TimeFilter::parse(as_of, None, None).expect("a year");
        let kept: Vec<(usize, usize)> = links
            .iter()
            .filter(|(_, _, years)| time.admits(&interval(*years)))
            .map(|&(a, b, _)| (a, b))
            .collect();
        for a in 0..14 {
            for b in [(a + 3) % 14, (a + 7) % 14] {
                let extra = as_of.map(|y| format!("&as_of={y}")).unwrap_or_default();
                let path = format!("/api/v1/graph/path?from={}&to={}{extra}", orgs[a], orgs[b]);
                app.settle();
                let (status, v) = app.get(&path, None);
                compared += 1;
                match bfs_length(17, &kept, a, b) {
                    None => assert_eq!(status, Status::NotFound, "{path}: {v}"),
                    Some(length) => {
                        assert_eq!(status, Status::Ok, "{path}: {v}");
                        let edges = v["edges"].as_array().map(Vec::len);
                        assert_eq!(edges, Some(length), "{path}: {v}");
                        let nodes: Vec<&Value> =
                            v["nodes"].as_array().expect("nodes").iter().collect();
                        assert_eq!(nodes[0]["id"], orgs[a].as_str());
                        assert_eq!(nodes[length]["id"], orgs[b].as_str());
                    }
                }
            }
        }
    }
    assert_eq!(compared, 4 * 28);
}

on_both_backends!(api_paths_are_shortest);
