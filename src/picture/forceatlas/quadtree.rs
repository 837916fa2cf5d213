//! The Barnes-Hut tree of one epoch: nodes sorted along a Z-order (Morton) curve, cells
//! stored depth-first in one flat array with a "skip" index past each cell's subtree, so
//! a walk reads the array forwards (descend = next cell, far enough = jump to `skip`).
//! Every cell's bodies are contiguous in curve order. Nodes are handled in groups (the
//! largest cells of at most `GROUP` bodies): one walk per group, with the opening test
//! taken from the group's bounding box, collects the point masses every node of the
//! group interacts with — cells far from the whole group, bodies of the near leaves —
//! and each node then sums over that list in a tight loop the compiler vectorises.
//! The test from the box is stricter than from any one node in it, so each node's
//! approximation is at least as close as the per-node walk with the same θ
//! (Barnes 1990, "A modified tree code: don't laugh; it runs").
/// Most bodies in one leaf: a handful of direct interactions cost less than more cells.
const LEAF: usize = 16;
/// Most nodes sharing one walk.
const GROUP: usize = 64;
/// Bits per axis of the curve: cells below 1/65,536 of the extent are not split.
const BITS: u32 = 16;

/// A cell: its centre of mass and mass, and from which squared distance it may stand
/// for all its bodies.
#[derive(Debug, Clone, Copy)]
struct Cell {
    x: f32,
    y: f32,
    mass: f32,
    /// (2·width/θ)²: a node farther than this (squared) sees the cell as one body.
    open: f32,
    /// The first cell after this one's subtree.
    skip: u32,
    /// Its bodies: `start..end` in curve order.
    start: u32,
    end: u32,
    /// No children: its bodies interact one by one when near.
    leaf: bool,
}

/// The tree, kept between epochs so that its buffers and the (nearly unchanged) order
/// of the nodes along the curve are reused.
#[derive(Debug, Default)]
pub struct QuadTree {
    cells: Vec<Cell>,
    /// Node indices in curve order.
    order: Vec<u32>,
    /// (curve code << 32 | node) of each node, sorted.
    keys: Vec<u64>,
    /// Positions and masses in curve order.
    xs: Vec<f32>,
    ys: Vec<f32>,
    ms: Vec<f32>,
    /// `open` of a cell of width 1.
    open_per_width: f32,
    /// The cells whose bodies share a walk, in curve order; together they hold every
    /// body once.
    groups: Vec<u32>,
}

/// Point masses a group of nodes interacts with, one array per coordinate.
#[derive(Debug, Default)]
pub struct Sources {
    xs: Vec<f32>,
    ys: Vec<f32>,
    ms: Vec<f32>,
}

impl Sources {
    fn clear(&mut self) {
        self.xs.clear();
        self.ys.clear();
        self.ms.clear();
    }

    fn push(&mut self, x: f32, y: f32, m: f32) {
        self.xs.push(x);
        self.ys.push(y);
        self.ms.push(m);
    }
}

/// Σ m·(p − q)/|p − q|² over the point masses q, those at p itself left out (as
/// graphology does). Nearly all of an epoch is spent here: on x86-64 processors with
/// wider vector units (AVX2, AVX-512) the same code is compiled for them too and chosen
/// at run time.
#[inline]
pub fn pull_of(x: f32, y: f32, qx: &[f32], qy: &[f32], qm: &[f32]) -> (f32, f32) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the processor has AVX-512F, checked just above.
            return unsafe { pull_avx512(x, y, qx, qy, qm) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, checked just above.
            return unsafe { pull_avx2(x, y, qx, qy, qm) };
        }
    }
    pull_lanes(x, y, qx, qy, qm)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn pull_avx512(x: f32, y: f32, qx: &[f32], qy: &[f32], qm: &[f32]) -> (f32, f32) {
    pull_lanes(x, y, qx, qy, qm)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn pull_avx2(x: f32, y: f32, qx: &[f32], qy: &[f32], qm: &[f32]) -> (f32, f32) {
    pull_lanes(x, y, qx, qy, qm)
}

/// `pull_of`, sixteen lanes at a time so that the compiler uses vector instructions
/// of any width. The lanes are summed in a fixed order and no multiply-add is fused,
/// so every instruction set gives the same result.
#[inline(always)]
fn pull_lanes(x: f32, y: f32, qx: &[f32], qy: &[f32], qm: &[f32]) -> (f32, f32) {
    const LANES: usize = 16;
    let n = qx.len().min(qy.len()).min(qm.len());
    let whole = n / LANES * LANES;
    let (mut fx, mut fy) = ([0.0f32; LANES], [0.0f32; LANES]);
    let chunks = qx[..whole]
        .chunks_exact(LANES)
        .zip(qy[..whole].chunks_exact(LANES))
        .zip(qm[..whole].chunks_exact(LANES));
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
    for j in whole..n {
        let (dx, dy) = (x - qx[j], y - qy[j]);
        let d2 = dx * dx + dy * dy;
        if d2 > 0.0 {
            let f = qm[j] / d2;
            sx += dx * f;
            sy += dy * f;
        }
    }
    (sx, sy)
}

/// Spreads the low 16 bits of `v` to the even bit positions.
fn spread(v: u32) -> u32 {
    let mut v = v & 0xFFFF;
    v = (v | (v << 8)) & 0x00FF_00FF;
    v = (v | (v << 4)) & 0x0F0F_0F0F;
    v = (v | (v << 2)) & 0x3333_3333;
    (v | (v << 1)) & 0x5555_5555
}

impl QuadTree {
    /// Rebuilds the tree over the given positions and masses.
    pub fn rebuild(&mut self, xs: &[f32], ys: &[f32], ms: &[f32], theta: f32) {
        let n = xs.len();
        self.open_per_width = 4.0 / (theta * theta);
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for (&x, &y) in xs.iter().zip(ys) {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let side = (x1 - x0).max(y1 - y0).max(f32::MIN_POSITIVE);
        let cells_per_unit = ((1u32 << BITS) - 1) as f32 / side;
        let code = |x: f32, y: f32| -> u32 {
            let qx = ((x - x0) * cells_per_unit) as u32;
            let qy = ((y - y0) * cells_per_unit) as u32;
            spread(qx) | (spread(qy) << 1)
        };
        // Sorting last epoch's order again: nodes move little, so the input is almost
        // sorted and the (adaptive, stable) sort is nearly linear.
        if self.order.len() != n {
            self.order = (0..n as u32).collect();
        }
        self.keys.clear();
        self.keys.extend(self.order.iter().map(|&i| {
            let i = i as usize;
            (u64::from(code(xs[i], ys[i])) << 32) | i as u64
        }));
        self.keys.sort();
        self.order.clear();
        self.order.extend(self.keys.iter().map(|k| *k as u32));
        self.xs.clear();
        self.ys.clear();
        self.ms.clear();
        for &i in &self.order {
            self.xs.push(xs[i as usize]);
            self.ys.push(ys[i as usize]);
            self.ms.push(ms[i as usize]);
        }
        self.cells.clear();
        self.groups.clear();
        if n > 0 {
            self.build(0, n, 0, side);
        }
        let mut c = 0;
        while c < self.cells.len() {
            let cell = &self.cells[c];
            if cell.leaf || (cell.end - cell.start) as usize <= GROUP {
                self.groups.push(c as u32);
                c = cell.skip as usize;
            } else {
                c += 1;
            }
        }
    }

    /// The groups as ranges of places in curve order, in order: `start..end` each.
    pub fn groups(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.groups.iter().map(|&g| {
            let c = &self.cells[g as usize];
            (c.start as usize, c.end as usize)
        })
    }

    /// The repulsion on each body of the group `start..end` (places in curve order)
    /// from all others, per unit of the body's own mass and of the scaling ratio,
    /// written to `out` (one per body). `sources` is scratch space.
    pub fn group_repulsion(
        &self,
        (start, end): (usize, usize),
        sources: &mut Sources,
        out: &mut [(f32, f32)],
    ) {
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for b in start..end {
            x0 = x0.min(self.xs[b]);
            y0 = y0.min(self.ys[b]);
            x1 = x1.max(self.xs[b]);
            y1 = y1.max(self.ys[b]);
        }
        sources.clear();
        let cells = &self.cells[..];
        let mut c = 0;
        while c < cells.len() {
            let cell = &cells[c];
            // From the cell's centre of mass to the nearest point of the group's box.
            let dx = (x0 - cell.x).max(cell.x - x1).max(0.0);
            let dy = (y0 - cell.y).max(cell.y - y1).max(0.0);
            if dx * dx + dy * dy > cell.open {
                sources.push(cell.x, cell.y, cell.mass);
                c = cell.skip as usize;
            } else if cell.leaf {
                let (s, e) = (cell.start as usize, cell.end as usize);
                sources.xs.extend_from_slice(&self.xs[s..e]);
                sources.ys.extend_from_slice(&self.ys[s..e]);
                sources.ms.extend_from_slice(&self.ms[s..e]);
                c = cell.skip as usize;
            } else {
                c += 1;
            }
        }
        for (b, f) in (start..end).zip(out) {
            *f = pull_of(
                self.xs[b],
                self.ys[b],
                &sources.xs,
                &sources.ys,
                &sources.ms,
            );
        }
    }

    /// Node indices in curve order.
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// Adds the cell of the bodies `lo..hi` (sharing the curve code above level
    /// `level`, in a cell of width `width`) and its subtree; returns its index.
    fn build(&mut self, lo: usize, hi: usize, level: u32, width: f32) -> usize {
        let code = |k: u64| (k >> 32) as u32;
        let (mut level, mut width) = (level, width);
        // Skip the levels at which all bodies fall into one quadrant: the cell is then
        // the smaller one, which only makes the opening test tighter.
        while level < BITS && hi - lo > LEAF {
            let shift = 2 * (BITS - 1 - level);
            if (code(self.keys[lo]) >> shift) & 3 != (code(self.keys[hi - 1]) >> shift) & 3 {
                break;
            }
            level += 1;
            width /= 2.0;
        }
        let index = self.cells.len();
        self.cells.push(Cell {
            x: 0.0,
            y: 0.0,
            mass: 0.0,
            open: self.open_per_width * width * width,
            skip: 0,
            start: lo as u32,
            end: hi as u32,
            leaf: false,
        });
        let (mut mass, mut mx, mut my) = (0.0f32, 0.0f32, 0.0f32);
        if hi - lo <= LEAF || level >= BITS {
            for b in lo..hi {
                mass += self.ms[b];
                mx += self.ms[b] * self.xs[b];
                my += self.ms[b] * self.ys[b];
            }
            self.cells[index].leaf = true;
        } else {
            // Sorted along the curve, the bodies of each quadrant follow one another.
            let shift = 2 * (BITS - 1 - level);
            let mut start = lo;
            for quadrant in 0..4u32 {
                let end =
                    lo + self.keys[lo..hi].partition_point(|k| (code(*k) >> shift) & 3 <= quadrant);
                if end > start {
                    let child = self.build(start, end, level + 1, width / 2.0);
                    let c = self.cells[child];
                    mass += c.mass;
                    mx += c.mass * c.x;
                    my += c.mass * c.y;
                }
                start = end;
            }
        }
        let skip = self.cells.len() as u32;
        let cell = &mut self.cells[index];
        cell.mass = mass;
        (cell.x, cell.y) = if mass > 0.0 {
            (mx / mass, my / mass)
        } else {
            (0.0, 0.0)
        };
        cell.skip = skip;
        index
    }
}
