//! The Barnes-Hut tree of one epoch: nodes sorted along a Z-order (Morton) curve, cells
//! stored depth-first in one flat array with a "skip" index past each cell's subtree.
//! A walk for one node then reads the array forwards (descend = next cell, far enough =
//! jump to `skip`), and nodes that are neighbours on the curve walk nearly the same
//! cells, so the tree stays in the CPU's cache. Leaves hold up to `LEAF` bodies, stored
//! contiguously in curve order.

/// Most bodies in one leaf: a handful of direct interactions cost less than more cells.
const LEAF: usize = 8;
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
    /// Bodies of a leaf: `start..start + count` in curve order; `count == 0` for a cell
    /// with children (its first child is the next cell).
    start: u32,
    count: u32,
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
        if n > 0 {
            self.build(0, n, 0, side);
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
            count: 0,
        });
        let (mut mass, mut mx, mut my) = (0.0f32, 0.0f32, 0.0f32);
        if hi - lo <= LEAF || level >= BITS {
            for b in lo..hi {
                mass += self.ms[b];
                mx += self.ms[b] * self.xs[b];
                my += self.ms[b] * self.ys[b];
            }
            self.cells[index].count = (hi - lo) as u32;
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

    /// The repulsion on a body at (x, y) from all others, per unit of the body's own
    /// mass and of the scaling ratio: Σ m·(p − q)/|p − q|², bodies at the same point
    /// left out (as graphology does).
    #[inline]
    pub fn repulsion(&self, x: f32, y: f32) -> (f32, f32) {
        let (mut fx, mut fy) = (0.0f32, 0.0f32);
        let cells = &self.cells[..];
        let mut c = 0;
        while c < cells.len() {
            let cell = &cells[c];
            let (dx, dy) = (x - cell.x, y - cell.y);
            let d2 = dx * dx + dy * dy;
            if d2 > cell.open {
                let f = cell.mass / d2;
                fx += dx * f;
                fy += dy * f;
                c = cell.skip as usize;
            } else if cell.count == 0 {
                c += 1;
            } else {
                let (start, end) = (cell.start as usize, (cell.start + cell.count) as usize);
                for b in start..end {
                    let (dx, dy) = (x - self.xs[b], y - self.ys[b]);
                    let d2 = dx * dx + dy * dy;
                    if d2 > 0.0 {
                        let f = self.ms[b] / d2;
                        fx += dx * f;
                        fy += dy * f;
                    }
                }
                c = cell.skip as usize;
            }
        }
        (fx, fy)
    }
}
