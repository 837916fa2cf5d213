use super::*;
use fa2::{FA2Data, FA2Settings};

/// A reproducible graph: `n` nodes spread over a square, each linked to a few others
/// (some links repeated, some heavier), as a network view is.
type Graph = (Vec<(f32, f32)>, Vec<(usize, usize, f32)>);

fn graph(n: usize, seed: u64) -> Graph {
    let mut state = seed;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let spread = (n as f32).sqrt() * 10.0;
    let positions = (0..n)
        .map(|_| {
            let x = (next() % 10_000) as f32 / 10_000.0 - 0.5;
            let y = (next() % 10_000) as f32 / 10_000.0 - 0.5;
            (x * spread, y * spread)
        })
        .collect();
    let edges = (0..n * 3)
        .map(|k| {
            let a = k % n;
            let b = (a + 1 + next() % 40) % n;
            (a, b, 1.0 + (next() % 3) as f32)
        })
        .collect();
    (positions, edges)
}

/// The `fa2` crate (a port of graphology's ForceAtlas2 by its author) on the same graph.
fn reference(
    positions: &[(f32, f32)],
    edges: &[(usize, usize, f32)],
    settings: FA2Settings<f32>,
    epochs: usize,
) -> Vec<(f32, f32)> {
    let mut data = FA2Data::<f32>::with_capacity(positions.len(), edges.len());
    for &(x, y) in positions {
        data.add_node_with_position(x, y);
    }
    for &(a, b, w) in edges {
        data.add_edge_with_weight(a, b, w);
    }
    let mut layout = settings.build(data);
    layout.run(epochs);
    layout.data().positions().collect()
}

fn ours(
    positions: &[(f32, f32)],
    edges: &[(usize, usize, f32)],
    settings: Settings,
    epochs: usize,
) -> Vec<(f32, f32)> {
    let mut layout = ForceAtlas2::new(positions, edges, settings);
    for _ in 0..epochs {
        layout.epoch();
    }
    layout.positions().collect()
}

/// The largest distance between two sets of positions, as a share of the extent of
/// the first.
fn deviation(a: &[(f32, f32)], b: &[(f32, f32)]) -> f32 {
    let xs = a.iter().map(|p| p.0);
    let extent = xs.clone().fold(f32::MIN, f32::max) - xs.fold(f32::MAX, f32::min);
    a.iter()
        .zip(b)
        .map(|(p, q)| ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt())
        .fold(0.0, f32::max)
        / extent
}

#[test]
fn exact_repulsion_moves_nodes_as_the_fa2_crate_does() {
    let (positions, edges) = graph(300, 1);
    let theirs = reference(
        &positions,
        &edges,
        FA2Settings::from_graph_order(300).scaling_ratio(60.0),
        3,
    );
    let mine = ours(&positions, &edges, Settings::inferred(300, 60.0), 3);
    // The same forces summed in another order: rounding apart, the same steps. (Over
    // many epochs the rounding grows, as in any force simulation.)
    assert!(
        deviation(&theirs, &mine) < 1e-4,
        "{}",
        deviation(&theirs, &mine)
    );
    assert!(deviation(&positions, &mine) > 1e-2, "the nodes moved");
}

/// Relative errors of the tree's repulsion against the exact one, per node, sorted.
fn tree_errors(layout: &mut ForceAtlas2, theta: f32) -> Vec<f32> {
    layout
        .tree
        .rebuild(&layout.xs, &layout.ys, &layout.masses, theta);
    let by_tree = layout.repulsion_tree();
    let mut errors: Vec<f32> = (0..layout.xs.len())
        .map(|i| {
            let exact = layout.repulsion_exact(i);
            let tree = by_tree[i];
            let size = (exact.0.powi(2) + exact.1.powi(2)).sqrt();
            ((exact.0 - tree.0).powi(2) + (exact.1 - tree.1).powi(2)).sqrt() / size
        })
        .collect();
    errors.sort_by(f32::total_cmp);
    errors
}

#[test]
fn the_tree_approximates_the_exact_repulsion() {
    let (positions, edges) = graph(4_000, 3);
    let mut layout = ForceAtlas2::new(&positions, &edges, Settings::inferred(4_000, 60.0));
    let errors = tree_errors(&mut layout, 0.5);
    let (median, p99) = (errors[2_000], errors[3_960]);
    assert!(median < 0.005, "median relative error {median}");
    assert!(p99 < 0.02, "99th percentile {p99}");
    // A tighter θ gets closer.
    let tight = tree_errors(&mut layout, 0.2);
    assert!(tight[3_960] < p99, "θ 0.2: {}, θ 0.5: {p99}", tight[3_960]);
}

#[test]
fn barnes_hut_steps_are_near_the_exact_ones() {
    let (positions, edges) = graph(3_000, 2);
    let settings = Settings::inferred(3_000, 60.0);
    assert_eq!(settings.theta, Some(0.5));
    let exact_settings = Settings {
        theta: None,
        ..settings.clone()
    };
    let exact = ours(&positions, &edges, exact_settings, 1);
    let mine = ours(&positions, &edges, settings, 1);
    assert!(
        deviation(&exact, &mine) < 1e-3,
        "{}",
        deviation(&exact, &mine)
    );
    assert!(deviation(&positions, &mine) > 1e-2, "the nodes moved");
    // The fa2 crate's tree leaves out the mass of the node that splits a leaf, so its
    // far field is rougher; ours is nearer the exact steps than its.
    let theirs = reference(
        &positions,
        &edges,
        FA2Settings::from_graph_order(3_000).scaling_ratio(60.0),
        1,
    );
    assert!(deviation(&exact, &mine) < deviation(&exact, &theirs));
}

#[test]
fn threads_do_not_change_the_result() {
    let (positions, edges) = graph(2_500, 4);
    let one = ours(&positions, &edges, Settings::inferred(2_500, 60.0), 10);
    let mut parallel = Settings::inferred(2_500, 60.0);
    parallel.parallel = true;
    assert_eq!(one, ours(&positions, &edges, parallel, 10));
}

#[test]
fn nodes_at_the_same_point_do_not_break_the_tree() {
    // Many nodes on one spot (e.g. a warm start from a picture rounded to tenths).
    let positions = vec![(1.0, 1.0); 3_000];
    let edges: Vec<(usize, usize, f32)> = (1..3_000).map(|i| (0, i, 1.0)).collect();
    let mut layout = ForceAtlas2::new(&positions, &edges, Settings::inferred(3_000, 60.0));
    for _ in 0..3 {
        let moved = layout.epoch();
        assert!(moved.is_finite());
    }
    assert!(layout
        .positions()
        .all(|(x, y)| x.is_finite() && y.is_finite()));
}
