//! ForceAtlas2 (Jacomy, Venturini, Heymann, Bastian 2014) as graphology and the `fa2`
//! crate run it: attraction linear in distance and edge weight, repulsion
//! k·m₁·m₂/d between all nodes (masses 1 + weighted degree), strong gravity towards the
//! origin, and each node's own adaptive speed (swinging and traction). The forces are the
//! same as those programs'; the difference is speed: repulsion through a Barnes-Hut
//! tree laid out for the cache (`quadtree`), attraction over an adjacency array with the
//! weights ready, and every node's force computed on its own, so the work splits over
//! threads and the result does not depend on how many there are.
mod quadtree;

use rayon::prelude::*;

use quadtree::QuadTree;

/// The settings graphology calls `inferSettings`, with the repulsion scale chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Repulsion against attraction (graphology: `scalingRatio`).
    pub scaling: f32,
    pub gravity: f32,
    /// Gravity not weakened with distance (graphology: `strongGravityMode`).
    pub strong_gravity: bool,
    /// Divides every step (graphology: `slowDown`).
    pub slow_down: f32,
    /// Barnes-Hut with this θ, or exact repulsion between all pairs when `None`.
    pub theta: Option<f32>,
    /// Split each epoch over rayon's threads.
    pub parallel: bool,
}

impl Settings {
    /// What graphology infers for a graph of `order` nodes: gravity 0.05, strong,
    /// slow-down 1 + ln n, Barnes-Hut (θ 0.5) on large graphs (from 2,048 nodes, as the
    /// `fa2` crate; graphology switches above 2,000).
    pub fn inferred(order: usize, scaling: f32) -> Self {
        Settings {
            scaling,
            gravity: 0.05,
            strong_gravity: true,
            slow_down: 1.0 + (order.max(1) as f32).ln(),
            theta: (order >= 2_048).then_some(0.5),
            parallel: false,
        }
    }
}

/// Nodes a rayon task takes at a time: enough to outweigh the hand-over.
const CHUNK: usize = 256;

/// A running layout.
pub struct ForceAtlas2 {
    settings: Settings,
    xs: Vec<f32>,
    ys: Vec<f32>,
    masses: Vec<f32>,
    forces: Vec<(f32, f32)>,
    old_forces: Vec<(f32, f32)>,
    convergence: Vec<f32>,
    /// Neighbours of node i: `neighbours[offsets[i]..offsets[i + 1]]`, with weights.
    offsets: Vec<usize>,
    neighbours: Vec<(u32, f32)>,
    tree: QuadTree,
}

impl ForceAtlas2 {
    /// A layout from start positions and links (index, index, weight); links of a node
    /// to itself are left out.
    pub fn new(
        positions: &[(f32, f32)],
        edges: &[(usize, usize, f32)],
        settings: Settings,
    ) -> Self {
        let n = positions.len();
        let links = || {
            edges
                .iter()
                .copied()
                .filter(move |&(a, b, _)| a != b && a < n && b < n)
        };
        let mut masses = vec![1.0f32; n];
        let mut degree = vec![0usize; n + 1];
        for (a, b, w) in links() {
            masses[a] += w;
            masses[b] += w;
            degree[a + 1] += 1;
            degree[b + 1] += 1;
        }
        let mut offsets = degree;
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut neighbours = vec![(0u32, 0.0f32); offsets[n]];
        let mut next = offsets.clone();
        for (a, b, w) in links() {
            neighbours[next[a]] = (b as u32, w);
            next[a] += 1;
            neighbours[next[b]] = (a as u32, w);
            next[b] += 1;
        }
        ForceAtlas2 {
            settings,
            xs: positions.iter().map(|p| p.0).collect(),
            ys: positions.iter().map(|p| p.1).collect(),
            masses,
            forces: vec![(0.0, 0.0); n],
            old_forces: vec![(0.0, 0.0); n],
            convergence: vec![1.0; n],
            offsets,
            neighbours,
            tree: QuadTree::default(),
        }
    }

    pub fn positions(&self) -> impl Iterator<Item = (f32, f32)> + '_ {
        self.xs.iter().copied().zip(self.ys.iter().copied())
    }

    /// Attraction and gravity on node `i`, added to `force`.
    #[inline]
    fn pull(&self, i: usize, mut force: (f32, f32)) -> (f32, f32) {
        let (x, y) = (self.xs[i], self.ys[i]);
        for &(j, w) in &self.neighbours[self.offsets[i]..self.offsets[i + 1]] {
            force.0 -= w * (x - self.xs[j as usize]);
            force.1 -= w * (y - self.ys[j as usize]);
        }
        let s = &self.settings;
        let distance = (x * x + y * y).sqrt();
        if distance > 0.0 {
            let mut g = self.masses[i] * s.gravity;
            if !s.strong_gravity {
                g /= distance;
            }
            force.0 -= x * g;
            force.1 -= y * g;
        }
        force
    }

    /// Exact repulsion on node `i` from every other node, per unit of its own mass and
    /// of the scaling ratio. Eight lanes at a time, so that the compiler can use vector
    /// instructions; the lanes are summed in a fixed order.
    fn repulsion_exact(&self, i: usize) -> (f32, f32) {
        const LANES: usize = 8;
        let (x, y) = (self.xs[i], self.ys[i]);
        let (mut fx, mut fy) = ([0.0f32; LANES], [0.0f32; LANES]);
        let n = self.xs.len() / LANES * LANES;
        let chunks = self.xs[..n]
            .chunks_exact(LANES)
            .zip(self.ys[..n].chunks_exact(LANES))
            .zip(self.masses[..n].chunks_exact(LANES));
        for ((cx, cy), cm) in chunks {
            for l in 0..LANES {
                let (dx, dy) = (x - cx[l], y - cy[l]);
                let d2 = dx * dx + dy * dy;
                let f = if d2 > 0.0 { cm[l] / d2 } else { 0.0 };
                fx[l] += dx * f;
                fy[l] += dy * f;
            }
        }
        let (mut sx, mut sy) = (fx.iter().sum::<f32>(), fy.iter().sum::<f32>());
        for j in n..self.xs.len() {
            let (dx, dy) = (x - self.xs[j], y - self.ys[j]);
            let d2 = dx * dx + dy * dy;
            if d2 > 0.0 {
                let f = self.masses[j] / d2;
                sx += dx * f;
                sy += dy * f;
            }
        }
        (sx, sy)
    }

    /// The whole force on node `i`.
    #[inline]
    fn force(&self, i: usize, barnes_hut: bool) -> (f32, f32) {
        let (rx, ry) = if barnes_hut {
            self.tree.repulsion(self.xs[i], self.ys[i])
        } else {
            self.repulsion_exact(i)
        };
        let k = self.settings.scaling * self.masses[i];
        self.pull(i, (rx * k, ry * k))
    }

    /// One epoch: forces on every node, then every node moves by its own speed.
    /// Returns the mean distance a node moved.
    pub fn epoch(&mut self) -> f32 {
        let n = self.xs.len();
        if n == 0 {
            return 0.0;
        }
        std::mem::swap(&mut self.forces, &mut self.old_forces);
        let mut forces = std::mem::take(&mut self.forces);
        let barnes_hut = match self.settings.theta {
            Some(theta) => {
                self.tree.rebuild(&self.xs, &self.ys, &self.masses, theta);
                true
            }
            None => false,
        };
        // Computed in curve order (nodes near each other walk the same cells), each on
        // its own: no sums across nodes, so any split over threads gives the same.
        let identity: Vec<u32>;
        let order: &[u32] = if barnes_hut {
            self.tree.order()
        } else {
            identity = (0..n as u32).collect();
            &identity
        };
        let mut in_order = vec![(0.0f32, 0.0f32); n];
        let this = &*self;
        let compute = |(chunk, out): (usize, &mut [(f32, f32)])| {
            for (k, f) in out.iter_mut().enumerate() {
                *f = this.force(order[chunk * CHUNK + k] as usize, barnes_hut);
            }
        };
        if self.settings.parallel {
            in_order.par_chunks_mut(CHUNK).enumerate().for_each(compute);
        } else {
            in_order.chunks_mut(CHUNK).enumerate().for_each(compute);
        }
        for (&i, f) in order.iter().zip(in_order) {
            forces[i as usize] = f;
        }
        self.forces = forces;
        self.apply()
    }

    /// Moves every node along its force at its own speed: fast while the force keeps
    /// its direction (traction), slow while it swings. Returns the mean step.
    fn apply(&mut self) -> f32 {
        let slow_down = self.settings.slow_down;
        let mut moved = 0.0f32;
        for i in 0..self.xs.len() {
            let (fx, fy) = self.forces[i];
            let (ox, oy) = self.old_forces[i];
            let swinging =
                1.0 + (self.masses[i] * ((ox - fx).powi(2) + (oy - fy).powi(2)).sqrt()).sqrt();
            let traction = ((ox + fx).powi(2) + (oy + fy).powi(2)).sqrt() / 2.0;
            let speed = self.convergence[i] * traction.ln_1p() / swinging;
            self.convergence[i] = (speed * ((fx * fx + fy * fy) / swinging)).sqrt().min(1.0);
            let step = speed / slow_down;
            let (sx, sy) = (fx * step, fy * step);
            self.xs[i] += sx;
            self.ys[i] += sy;
            moved += (sx * sx + sy * sy).sqrt();
        }
        moved / self.xs.len() as f32
    }
}

#[cfg(test)]
mod tests;
