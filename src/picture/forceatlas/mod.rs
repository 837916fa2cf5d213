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

/// A group of places in curve order and where its forces go.
type GroupOut<'a> = ((usize, usize), &'a mut [(f32, f32)]);

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
    /// Buffers kept from epoch to epoch (an epoch allocates nothing in one thread).
    scratch: Scratch,
}

#[derive(Default)]
struct Scratch {
    /// Repulsion per place in curve order, then per node.
    curve: Vec<(f32, f32)>,
    repulsion: Vec<(f32, f32)>,
    sources: quadtree::Sources,
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
            scratch: Scratch::default(),
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
    /// of the scaling ratio.
    fn repulsion_exact(&self, i: usize) -> (f32, f32) {
        quadtree::pull_of(self.xs[i], self.ys[i], &self.xs, &self.ys, &self.masses)
    }

    /// Repulsion on every node through the tree (built for the current positions), per
    /// unit of its own mass and of the scaling ratio, into `scratch.repulsion` in node
    /// order.
    fn repulsion_tree_into(tree: &QuadTree, parallel: bool, scratch: &mut Scratch) {
        let n = tree.order().len();
        scratch.curve.resize(n, (0.0, 0.0));
        // Each group writes only its own places: hand out disjoint slices.
        let mut parts: Vec<GroupOut> = Vec::new();
        let mut rest = &mut scratch.curve[..];
        for (start, end) in tree.groups() {
            let (part, tail) = rest.split_at_mut(end - start);
            parts.push(((start, end), part));
            rest = tail;
        }
        if parallel {
            parts
                .into_par_iter()
                .for_each_init(quadtree::Sources::default, |sources, (group, out)| {
                    tree.group_repulsion(group, sources, out)
                });
        } else {
            for (group, out) in parts {
                tree.group_repulsion(group, &mut scratch.sources, out);
            }
        }
        scratch.repulsion.resize(n, (0.0, 0.0));
        for (&i, &f) in tree.order().iter().zip(&scratch.curve) {
            scratch.repulsion[i as usize] = f;
        }
    }

    /// `repulsion_tree_into`, on its own.
    #[cfg(test)]
    fn repulsion_tree(&self) -> Vec<(f32, f32)> {
        let mut scratch = Scratch::default();
        Self::repulsion_tree_into(&self.tree, self.settings.parallel, &mut scratch);
        scratch.repulsion
    }

    /// One epoch: forces on every node, then every node moves by its own speed.
    /// Returns the mean distance a node moved.
    pub fn epoch(&mut self) -> f32 {
        let n = self.xs.len();
        if n == 0 {
            return 0.0;
        }
        std::mem::swap(&mut self.forces, &mut self.old_forces);
        let barnes_hut = match self.settings.theta {
            Some(theta) => {
                self.tree.rebuild(&self.xs, &self.ys, &self.masses, theta);
                Self::repulsion_tree_into(&self.tree, self.settings.parallel, &mut self.scratch);
                true
            }
            None => false,
        };
        // Each node's force on its own: no sums across nodes, so any split over threads
        // gives the same.
        let mut forces = std::mem::take(&mut self.forces);
        let this = &*self;
        let force = |i: usize| -> (f32, f32) {
            let (rx, ry) = if barnes_hut {
                this.scratch.repulsion[i]
            } else {
                this.repulsion_exact(i)
            };
            let k = this.settings.scaling * this.masses[i];
            this.pull(i, (rx * k, ry * k))
        };
        let compute = |(chunk, out): (usize, &mut [(f32, f32)])| {
            for (k, f) in out.iter_mut().enumerate() {
                *f = force(chunk * CHUNK + k);
            }
        };
        if self.settings.parallel {
            forces.par_chunks_mut(CHUNK).enumerate().for_each(compute);
        } else {
            forces.chunks_mut(CHUNK).enumerate().for_each(compute);
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
