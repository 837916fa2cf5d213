//! Where each node of a picture goes: ForceAtlas2 with Barnes-Hut repulsion on large
//! views (Jacomy et al. 2014, our own `forceatlas`), settings inferred from the graph's
//! size as graphology does. Deterministic: start positions come from each node's
//! own key and a seed, and the run stops by itself once nodes barely move.
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::forceatlas::{ForceAtlas2, Settings};

/// A laid-out view: one position per node, in the order given.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub positions: Vec<(f32, f32)>,
    /// Epochs run until the layout settled (or the cap).
    pub iterations: usize,
    pub converged: bool,
}

/// The most epochs a layout runs before it is taken as it is.
pub const MAX_ITERATIONS: usize = 3_000;
/// Settled: the mean step of a node is below this share of the layout's extent for
/// `CALM_EPOCHS` epochs in a row.
const SETTLED: f32 = 1e-3;
const CALM_EPOCHS: usize = 5;
/// Repulsion against attraction (graphology infers 10).
const SCALING: f32 = 60.0;
/// From this many nodes on, Barnes-Hut repulsion runs on all cores.
const PARALLEL_FROM: usize = 2_048;

/// A start position from a node's key: the same node starts at the same place in every
/// view, so related views come out alike.
fn start(key: &str, seed: u64, n: usize) -> (f32, f32) {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (seed, key).hash(&mut h);
    let bits = h.finish();
    let unit = |b: u64| (b & 0xFFFF) as f32 / 65_535.0;
    let spread = (n as f32).sqrt().max(1.0) * 10.0;
    (
        (unit(bits) - 0.5) * spread,
        (unit(bits >> 16) - 0.5) * spread,
    )
}

/// Lays out `keys.len()` nodes joined by `edges` (index, index, weight). `previous`
/// positions, where given for a key, replace the start position (a warm start).
pub fn force_atlas2(
    keys: &[String],
    edges: &[(usize, usize, f32)],
    seed: u64,
    previous: &HashMap<String, (f32, f32)>,
) -> Layout {
    let n = keys.len();
    if n < 2 {
        return Layout {
            positions: vec![(0.0, 0.0); n],
            iterations: 0,
            converged: true,
        };
    }
    let starts: Vec<(f32, f32)> = keys
        .iter()
        .map(|key| {
            previous
                .get(key)
                .copied()
                .unwrap_or_else(|| start(key, seed, n))
        })
        .collect();
    // Graphology's inferred settings, with more room between nodes: pictures carry
    // labels, and tight clusters would hide them.
    let settings = Settings {
        parallel: n >= PARALLEL_FROM,
        ..Settings::inferred(n, SCALING)
    };
    let mut layout = ForceAtlas2::new(&starts, edges, settings);
    let (mut calm, mut iterations, mut converged) = (0, 0, false);
    while iterations < MAX_ITERATIONS {
        // The mean step is summed in node order whatever the threads did, so the
        // stopping point is the same on every run.
        let moved = layout.epoch();
        iterations += 1;
        calm = if moved / extent(layout.positions()).max(1e-6) < SETTLED {
            calm + 1
        } else {
            0
        };
        if calm >= CALM_EPOCHS {
            converged = true;
            break;
        }
    }
    Layout {
        positions: layout.positions().collect(),
        iterations,
        converged,
    }
}

/// The bounding box: (left, top, right, bottom).
fn bounds(points: impl IntoIterator<Item = (f32, f32)>) -> (f32, f32, f32, f32) {
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for (x, y) in points {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    (x0, y0, x1, y1)
}

/// The larger side of the bounding box.
fn extent(points: impl IntoIterator<Item = (f32, f32)>) -> f32 {
    let (x0, y0, x1, y1) = bounds(points);
    (x1 - x0).max(y1 - y0)
}

/// Positions scaled into a `width` × `height` box with a margin, rounded to tenths of
/// a pixel (so the same layout always prints the same numbers).
pub fn fit(points: &[(f32, f32)], width: f32, height: f32, margin: f32) -> Vec<(f32, f32)> {
    if points.is_empty() {
        return Vec::new();
    }
    let (x0, y0, x1, y1) = bounds(points.iter().copied());
    let (w, h) = ((x1 - x0).max(1e-6), (y1 - y0).max(1e-6));
    let scale = ((width - 2.0 * margin) / w).min((height - 2.0 * margin) / h);
    // Centred in the box.
    let (ox, oy) = (
        (width - w * scale) / 2.0 - x0 * scale,
        (height - h * scale) / 2.0 - y0 * scale,
    );
    let round = |v: f32| (v * 10.0).round() / 10.0;
    points
        .iter()
        .map(|&(x, y)| {
            if points.len() == 1 {
                (round(width / 2.0), round(height / 2.0))
            } else {
                (round(ox + x * scale), round(oy + y * scale))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two triangles joined by one edge, and a tail.
    fn graph() -> (Vec<String>, Vec<(usize, usize, f32)>) {
        let keys = (0..7).map(|i| format!("n{i}")).collect();
        let edges = vec![
            (0, 1, 1.0),
            (1, 2, 1.0),
            (2, 0, 1.0),
            (3, 4, 1.0),
            (4, 5, 1.0),
            (5, 3, 1.0),
            (2, 3, 1.0),
            (5, 6, 2.0),
        ];
        (keys, edges)
    }

    fn distance(a: (f32, f32), b: (f32, f32)) -> f32 {
        ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
    }

    #[test]
    fn the_same_view_and_seed_give_the_same_positions() {
        let (keys, edges) = graph();
        let a = force_atlas2(&keys, &edges, 7, &HashMap::new());
        let b = force_atlas2(&keys, &edges, 7, &HashMap::new());
        assert_eq!(a, b);
        let other = force_atlas2(&keys, &edges, 8, &HashMap::new());
        assert_ne!(a.positions, other.positions, "the seed matters");
    }

    #[test]
    fn settles_and_stops_by_itself() {
        let (keys, edges) = graph();
        let l = force_atlas2(&keys, &edges, 1, &HashMap::new());
        assert!(l.converged, "ran {} epochs", l.iterations);
        assert!(l.iterations < MAX_ITERATIONS);
        // Linked nodes end up nearer to each other than to the far end of the chain.
        let p = &l.positions;
        assert!(distance(p[0], p[1]) < distance(p[0], p[6]));
        assert!(distance(p[5], p[6]) < distance(p[0], p[6]));
    }

    #[test]
    fn a_warm_start_moves_nodes_less_than_a_cold_one() {
        let (keys, mut edges) = graph();
        let first = force_atlas2(&keys, &edges, 3, &HashMap::new());
        let previous: HashMap<String, (f32, f32)> = keys
            .iter()
            .cloned()
            .zip(first.positions.iter().copied())
            .collect();
        // One more link, as when the time window grows.
        edges.push((0, 6, 1.0));
        let warm = force_atlas2(&keys, &edges, 3, &previous);
        let cold = force_atlas2(&keys, &edges, 4, &HashMap::new());
        let shift = |l: &Layout| -> f32 {
            let a = fit(&first.positions, 1000.0, 1000.0, 0.0);
            let b = fit(&l.positions, 1000.0, 1000.0, 0.0);
            a.iter().zip(&b).map(|(x, y)| distance(*x, *y)).sum()
        };
        assert!(
            shift(&warm) < shift(&cold),
            "warm {} cold {}",
            shift(&warm),
            shift(&cold)
        );
        assert!(warm.iterations <= cold.iterations);
    }

    #[test]
    fn fits_into_the_box() {
        let fitted = fit(&[(-5.0, 0.0), (5.0, 10.0)], 200.0, 100.0, 10.0);
        for (x, y) in &fitted {
            assert!((10.0..=190.0).contains(x) && (10.0..=90.0).contains(y));
        }
        assert_eq!(fit(&[(3.0, 3.0)], 200.0, 100.0, 10.0), [(100.0, 50.0)]);
        assert!(fit(&[], 1.0, 1.0, 0.0).is_empty());
        let empty = force_atlas2(&[], &[], 1, &HashMap::new());
        assert!(empty.converged && empty.positions.is_empty());
    }
}
