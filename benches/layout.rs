//! Network pictures on generated data: ForceAtlas2 per epoch (ours, `picture::forceatlas`,
//! and the `fa2` crate it replaced, with the settings of `picture::layout`, one core and
//! two), time to convergence
//! (`layout::force_atlas2`), and the whole picture of a 2,000-node view (request, layout,
//! SVG, PNG). `KP_BENCH_SCALE=1 cargo bench --bench layout` (default scale 1.0); the
//! data set is shared with benches/graph.rs (`target/bench-data/scale-<S>.db`). Each
//! view's edge list goes to `target/bench-views/<size>.json` for
//! benches/layout_graphology.sh, which runs graphology's ForceAtlas2 on the same graphs.
//! benches/README.md, "Network pictures".
mod common;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{black_box, criterion_group, criterion_main, Criterion, SamplingMode};
use fa2::{FA2Data, FA2Settings};

use knotenpunkt::db;
use knotenpunkt::domain::OrgKind;
use knotenpunkt::graph::query::{self, GraphQuery, Params, ViewGraph, ViewRequest};
use knotenpunkt::graph::{self, Snapshot, Viewer};
use knotenpunkt::picture::forceatlas::{ForceAtlas2, Settings};
use knotenpunkt::picture::{self, layout, png, svg};
use knotenpunkt::store::snapshot::load_all;

/// Epochs per timed run of the fixed-length layout (per-epoch time = run / EPOCHS).
const EPOCHS: usize = 50;
/// The views' sizes: organisations of the largest cities, added by size until reached.
const SIZES: [usize; 3] = [2_000, 5_000, 10_000];
/// As in `picture::layout`.
const SCALING: f32 = 60.0;
const PARALLEL_FROM: usize = 2_048;
const VIEWER: Viewer = Viewer::SignedIn;

/// A view as the layout sees it: node keys (organisation ids) and weighted links.
struct Graph {
    size: usize,
    cities: usize,
    keys: Vec<String>,
    edges: Vec<(usize, usize, f32)>,
}

/// The view a request with these parameters shows.
fn view_of(s: &Snapshot, pairs: &[(&str, &str)]) -> (ViewRequest, ViewGraph) {
    let params = Params::new(pairs.iter().copied());
    let request = query::parse::<ViewRequest>(s, &params, VIEWER).expect("a valid request");
    let view = request.run(s, VIEWER);
    (request, view)
}

/// Organisation ids and links (self-links dropped, as the layout drops them) of the
/// nodes of `view` that `keep` admits, renumbered.
fn induced(s: &Snapshot, view: &ViewGraph, keep: impl Fn(usize) -> bool) -> Graph {
    let mut index = vec![usize::MAX; view.nodes.len()];
    let mut keys = Vec::new();
    for (i, n) in view.nodes.iter().enumerate().filter(|(i, _)| keep(*i)) {
        index[i] = keys.len();
        keys.push(s.org(n.node).expect("an organisation").id.clone());
    }
    let edges = view
        .edges
        .iter()
        .map(|e| (index[e.source], index[e.target], e.weight as f32))
        .filter(|&(a, b, _)| a != usize::MAX && b != usize::MAX && a != b)
        .collect();
    Graph {
        size: 0,
        cities: 0,
        keys,
        edges,
    }
}

/// Views of about `SIZES` nodes from the organisation-only fold of the whole graph (all
/// kinds, all links, persons folded into staff links): the organisations of the largest
/// cities (by organisations, ties by name), adding cities until the size is reached. The
/// first is one city's view, as `city=…` asks for it.
fn views(s: &Snapshot) -> Vec<Graph> {
    let (_, whole) = view_of(s, &[]);
    let city = |i: usize| s.org(whole.nodes[i].node).and_then(|o| o.city.clone());
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for i in 0..whole.nodes.len() {
        if let Some(c) = city(i) {
            *counts.entry(c).or_default() += 1;
        }
    }
    let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    eprintln!(
        "whole organisation fold: {} nodes, {} links, {} cities; largest {:?}",
        whole.nodes.len(),
        whole.edges.len(),
        ranked.len(),
        &ranked[..3.min(ranked.len())]
    );
    SIZES
        .iter()
        .map(|&size| {
            let (mut taken, mut total) = (0, 0);
            while total < size && taken < ranked.len() {
                total += ranked[taken].1;
                taken += 1;
            }
            let rank: HashMap<&str, usize> = ranked
                .iter()
                .enumerate()
                .map(|(r, (c, _))| (c.as_str(), r))
                .collect();
            let keep = |i: usize| city(i).is_some_and(|c| rank[c.as_str()] < taken);
            let mut g = induced(s, &whole, keep);
            g.size = size;
            g.cities = taken;
            eprintln!(
                "view {size}: {} nodes, {} links, the {taken} largest cities ({} … {})",
                g.keys.len(),
                g.edges.len(),
                ranked[0].0,
                ranked[taken - 1].0
            );
            g
        })
        .collect()
}

/// Start positions: uniform in a square of side √n·10, as `layout::force_atlas2` starts,
/// from a fixed sequence (the same for graphology through the JSON file).
fn starts(n: usize) -> Vec<(f32, f32)> {
    let mut state: u64 = 2014;
    let mut next = move || {
        // splitmix64
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 40) as f32 / (1u64 << 24) as f32
    };
    let spread = (n as f32).sqrt().max(1.0) * 10.0;
    (0..n)
        .map(|_| ((next() - 0.5) * spread, (next() - 0.5) * spread))
        .collect()
}

/// `target/bench-views/<size>.json`: `{"nodes": n, "edges": [[a, b, w], …],
/// "positions": [[x, y], …]}`.
fn write_json(g: &Graph, positions: &[(f32, f32)]) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-views");
    std::fs::create_dir_all(&dir).expect("target/bench-views");
    let json = serde_json::json!({
        "nodes": g.keys.len(),
        "cities": g.cities,
        "edges": g.edges.iter().map(|&(a, b, w)| serde_json::json!([a, b, w])).collect::<Vec<_>>(),
        "positions": positions.iter().map(|&(x, y)| serde_json::json!([x, y])).collect::<Vec<_>>(),
    });
    let path = dir.join(format!("{}.json", g.size));
    std::fs::write(&path, json.to_string()).expect("write the view");
}

/// Our layout runner with `picture::layout`'s settings, Barnes-Hut from 2,048 nodes, on
/// one core or on all (rayon's global pool: one thread per core).
fn ours(g: &Graph, positions: &[(f32, f32)], parallel: bool) -> ForceAtlas2 {
    let settings = Settings {
        parallel,
        ..Settings::inferred(g.keys.len(), SCALING)
    };
    ForceAtlas2::new(positions, &g.edges, settings)
}

/// The fa2 crate's runner with the same settings.
fn fa2_crate(g: &Graph, positions: &[(f32, f32)], parallel: bool) -> fa2::FA2Layout<f32> {
    let n = g.keys.len();
    let mut data = FA2Data::<f32>::with_capacity(n, g.edges.len());
    for &(x, y) in positions {
        data.add_node_with_position(x, y);
    }
    for &(a, b, w) in &g.edges {
        data.add_edge_with_weight(a, b, w);
    }
    FA2Settings::<f32>::from_graph_order(n)
        .scaling_ratio(SCALING)
        .parallel(parallel)
        .build(data)
}

fn benches(c: &mut Criterion) {
    let scale = std::env::var("KP_BENCH_SCALE").map_or(1.0, |s| s.parse().expect("a number"));
    let path = common::database(scale);
    let (pool, _) = db::connect_pool(path.to_str().expect("utf-8 path"), 1).expect("open");
    // Built on another thread, as in the server (benches/README.md: malloc arenas).
    let mut s = std::thread::scope(|t| {
        t.spawn(|| {
            let mut conn = pool.get().expect("connection");
            graph::build_snapshot(load_all(&mut conn).expect("load_all")).expect("snapshot")
        })
        .join()
        .expect("build")
    });
    eprintln!(
        "snapshot: {} nodes, {} edges; rayon threads: {}",
        s.graph.node_count(),
        s.graph.edge_count(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let graphs = views(&s);
    let positions: Vec<Vec<(f32, f32)>> = graphs.iter().map(|g| starts(g.keys.len())).collect();
    for (g, p) in graphs.iter().zip(&positions) {
        write_json(g, p);
    }

    // (a) A fixed number of epochs from the same start, building the runner untimed.
    let mut group = c.benchmark_group(format!("fa2_{EPOCHS}_epochs"));
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for (g, p) in graphs.iter().zip(&positions) {
        for (parallel, cores) in [(false, "1core"), (true, "2cores")] {
            group.bench_function(format!("{}/ours_{cores}", g.size), |b| {
                b.iter_custom(|iters| {
                    let mut spent = Duration::ZERO;
                    for _ in 0..iters {
                        let mut l = ours(g, p, parallel);
                        let started = Instant::now();
                        for _ in 0..EPOCHS {
                            l.epoch();
                        }
                        spent += started.elapsed();
                        black_box(l.positions().next());
                    }
                    spent
                })
            });
            group.bench_function(format!("{}/fa2crate_{cores}", g.size), |b| {
                b.iter_custom(|iters| {
                    let mut spent = Duration::ZERO;
                    for _ in 0..iters {
                        let mut l = fa2_crate(g, p, parallel);
                        let started = Instant::now();
                        l.run(EPOCHS);
                        spent += started.elapsed();
                        black_box(l.data().positions().next());
                    }
                    spent
                })
            });
        }
    }
    group.finish();

    // (b) Until settled, as a picture is laid out (on all cores from 2,048 nodes).
    let mut group = c.benchmark_group("fa2_converge");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_secs(5));
    for g in &graphs {
        let once = layout::force_atlas2(&g.keys, &g.edges, 2014, &HashMap::new());
        eprintln!(
            "converge {}: {} epochs, converged {}, parallel {}",
            g.size,
            once.iterations,
            once.converged,
            g.keys.len() >= PARALLEL_FROM
        );
        group.bench_function(g.size.to_string(), |b| {
            b.iter(|| layout::force_atlas2(&g.keys, &g.edges, 2014, &HashMap::new()))
        });
    }
    group.finish();
    drop(graphs);

    // (c) The whole picture of one city's view, as the network page asks for it.
    let city = picture_city(&s);
    let pairs = [("city", city.as_str())];
    let words = |p: &picture::Picture| -> String {
        let kind = |k: Option<OrgKind>| k.map_or("person".into(), |k| k.as_str().to_string());
        let link = |l: &str| l.to_string();
        let description = format!("{} organisations, {} links", p.nodes.len(), p.edges.len());
        let w = svg::Words {
            title: "Network",
            description,
            kind: &kind,
            link: &link,
        };
        svg::draw(p, &w)
    };
    let (request, view) = view_of(&s, &pairs);
    let drawn = picture::picture(&s, &request, &view, VIEWER);
    let svg_text = words(&drawn);
    eprintln!(
        "picture of {city}: {} nodes, {} links, {} epochs; SVG {} KiB",
        drawn.nodes.len(),
        drawn.edges.len(),
        drawn.layout_iterations,
        svg_text.len() / 1024
    );
    assert!(drawn.too_large.is_none(), "the view is drawn");
    let mut group = c.benchmark_group("picture_2000");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_secs(3));
    // As a request runs it: read the view, then the picture kept with the snapshot
    // (laid out and named on the first call), then drawn.
    let whole = |s: &Snapshot| {
        let params = Params::new(pairs.iter().copied());
        let request = query::parse::<ViewRequest>(s, &params, VIEWER).expect("a valid request");
        let p = picture::picture_of(s, &request, VIEWER);
        words(&p)
    };
    group.bench_function("request_cold", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                s.memo = Default::default();
                let started = Instant::now();
                black_box(whole(&s));
                spent += started.elapsed();
            }
            spent
        })
    });
    whole(&s);
    group.bench_function("request_cached", |b| b.iter(|| whole(&s)));
    group.bench_function("view_run", |b| b.iter(|| request.run(&s, VIEWER)));
    group.bench_function("svg_draw", |b| b.iter(|| words(&drawn)));
    group.bench_function("png_render", |b| {
        b.iter(|| png::render(&svg_text, 2.0).expect("PNG"))
    });
    group.finish();
}

/// The largest city by organisations (Stadt 000: 2,337 at scale 1).
fn picture_city(s: &Snapshot) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, o) in s.organisations() {
        if let Some(c) = o.city.as_deref() {
            *counts.entry(c).or_default() += 1;
        }
    }
    let largest = counts
        .iter()
        .max_by_key(|(c, n)| (**n, std::cmp::Reverse(**c)));
    largest.expect("cities").0.to_string()
}

criterion_group!(layout_benches, benches);
criterion_main!(layout_benches);
