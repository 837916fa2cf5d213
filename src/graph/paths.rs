//! Shortest paths on a compact adjacency: every link seen from both ends in one array
//! (CSR on the snapshot's node indices as `u32`), each half carrying its kind and its
//! interval as day numbers, so a walk filters by kind and time without touching the
//! petgraph edge. Built once per snapshot and kept in its memo. The search is a
//! bidirectional breadth-first search that grows the cheaper side one level at a time;
//! visited marks live in per-thread arrays stamped per search (no hashing, no clearing).
use std::cell::RefCell;
use std::sync::Arc;

use chrono::Datelike;
use petgraph::visit::EdgeRef;

use super::network::KindFilter;
use super::{MemoKey, Snapshot, TimeFilter};
use crate::domain::{Interval, RelationKind};

/// One link as seen from one of its ends.
#[derive(Debug, Clone, Copy)]
struct Half {
    to: u32,
    /// The petgraph edge index.
    edge: u32,
    /// First and last day (open ends as `i32::MIN` / `i32::MAX`).
    start: i32,
    end: i32,
    kind: u8,
}

/// The undirected adjacency of a snapshot for path searches.
#[derive(Debug, Default)]
pub struct PathIndex {
    offsets: Vec<u32>,
    halves: Vec<Half>,
}

/// A link for `PathIndex::from_links`: its ends, kind name and interval.
#[derive(Debug, Clone)]
pub struct Link {
    pub a: u32,
    pub b: u32,
    pub kind: &'static str,
    pub interval: Interval,
}

/// The links a search may walk: kinds as a bit set, the time window as day numbers.
#[derive(Debug, Clone, Copy)]
pub struct Admit {
    kinds: u64,
    window: Option<(i32, i32)>,
}

/// Kind codes: 0 affiliation, 1 funding, 2.. the relation kinds in their order.
fn kind_code(name: &str) -> u8 {
    match name {
        "affiliation" => 0,
        "funding" => 1,
        other => RelationKind::ALL
            .iter()
            .position(|k| k.as_str() == other)
            .map_or(u8::MAX, |i| i as u8 + 2),
    }
}

fn kind_name(code: usize) -> Option<&'static str> {
    match code {
        0 => Some("affiliation"),
        1 => Some("funding"),
        c => RelationKind::ALL.get(c - 2).map(|k| k.as_str()),
    }
}

fn days(interval: &Interval) -> (i32, i32) {
    (
        interval.start.map_or(i32::MIN, |d| d.num_days_from_ce()),
        interval.end.map_or(i32::MAX, |d| d.num_days_from_ce()),
    )
}

impl Admit {
    pub fn new(kinds: &KindFilter, time: &TimeFilter) -> Admit {
        let mut bits = 0u64;
        for code in 0..64 {
            match kind_name(code) {
                Some(name) if kinds.admits_kind(name) => bits |= 1 << code,
                Some(_) => {}
                None => break,
            }
        }
        Admit {
            kinds: bits,
            window: time.window().map(|w| days(&w)),
        }
    }

    /// As `View::admits`: the kind is kept and the intervals meet.
    #[inline]
    fn admits(&self, h: &Half) -> bool {
        (h.kind < 64 && self.kinds >> h.kind & 1 == 1)
            && self
                .window
                .is_none_or(|(ws, we)| h.start.max(ws) <= h.end.min(we))
    }
}

impl PathIndex {
    /// The index of a snapshot, built on first use and kept with it.
    pub fn of(s: &Snapshot) -> Arc<PathIndex> {
        s.memo.get_or(MemoKey::Paths, || {
            let links = s.graph.edge_references().map(|e| {
                let w = e.weight();
                (
                    e.source().index() as u32,
                    e.target().index() as u32,
                    kind_code(w.kind_name()),
                    days(w.interval()),
                )
            });
            PathIndex::build(s.graph.node_count(), links)
        })
    }

    /// The index of `n` nodes and `links` (edge ids are positions in `links`).
    pub fn from_links(n: usize, links: &[Link]) -> PathIndex {
        let links = links
            .iter()
            .map(|l| (l.a, l.b, kind_code(l.kind), days(&l.interval)));
        PathIndex::build(n, links)
    }

    fn build(
        n: usize,
        links: impl Iterator<Item = (u32, u32, u8, (i32, i32))> + Clone,
    ) -> PathIndex {
        let mut offsets = vec![0u32; n + 1];
        for (a, b, _, _) in links.clone() {
            offsets[a as usize + 1] += 1;
            offsets[b as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill: Vec<u32> = offsets[..n].to_vec();
        let empty = Half {
            to: 0,
            edge: 0,
            start: 0,
            end: 0,
            kind: 0,
        };
        let mut halves = vec![empty; offsets[n] as usize];
        for (edge, (a, b, kind, (start, end))) in links.enumerate() {
            let edge = edge as u32;
            for (from, to) in [(a, b), (b, a)] {
                let at = &mut fill[from as usize];
                halves[*at as usize] = Half {
                    to,
                    edge,
                    start,
                    end,
                    kind,
                };
                *at += 1;
            }
        }
        PathIndex { offsets, halves }
    }

    pub fn node_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    fn row(&self, v: u32) -> &[Half] {
        let (a, b) = (self.offsets[v as usize], self.offsets[v as usize + 1]);
        &self.halves[a as usize..b as usize]
    }

    /// A shortest path (fewest links, either direction) from `from` to `to` over the
    /// admitted links: its nodes from `from` to `to` and the links between them.
    pub fn shortest(&self, from: u32, to: u32, admit: &Admit) -> Option<(Vec<u32>, Vec<u32>)> {
        let n = self.node_count();
        if from as usize >= n || to as usize >= n {
            return None;
        }
        if from == to {
            return Some((vec![from], Vec::new()));
        }
        SCRATCH.with(|cell| {
            let mut scratch = cell.borrow_mut();
            let sides = scratch.begin(n);
            self.search(from, to, admit, sides)
        })
    }

    fn search(
        &self,
        from: u32,
        to: u32,
        admit: &Admit,
        sides: Sides,
    ) -> Option<(Vec<u32>, Vec<u32>)> {
        let Sides { epoch, fwd, bwd } = sides;
        fwd.mark(from, epoch, (u32::MAX, u32::MAX));
        bwd.mark(to, epoch, (u32::MAX, u32::MAX));
        let mut frontiers = (vec![from], vec![to]);
        let mut work = (self.row(from).len(), self.row(to).len());
        let mut next = Vec::new();
        let meeting = loop {
            if frontiers.0.is_empty() || frontiers.1.is_empty() {
                return None;
            }
            // Grow the side whose next level looks at fewer links.
            let forward = work.0 <= work.1;
            let (frontier, mine, theirs) = if forward {
                (&frontiers.0, &mut *fwd, &*bwd)
            } else {
                (&frontiers.1, &mut *bwd, &*fwd)
            };
            next.clear();
            let mut next_work = 0;
            let mut met = None;
            'level: for &u in frontier {
                for h in self.row(u) {
                    if mine.seen[h.to as usize] == epoch || !admit.admits(h) {
                        continue;
                    }
                    mine.mark(h.to, epoch, (u, h.edge));
                    if theirs.seen[h.to as usize] == epoch {
                        met = Some(h.to);
                        break 'level;
                    }
                    next.push(h.to);
                    next_work += self.row(h.to).len();
                }
            }
            if let Some(m) = met {
                break m;
            }
            if forward {
                std::mem::swap(&mut frontiers.0, &mut next);
                work.0 = next_work;
            } else {
                std::mem::swap(&mut frontiers.1, &mut next);
                work.1 = next_work;
            }
        };
        // From the meeting node back to each end.
        let (mut nodes, mut edges) = (vec![meeting], Vec::new());
        let mut at = meeting;
        while at != from {
            let (p, e) = fwd.via[at as usize];
            nodes.push(p);
            edges.push(e);
            at = p;
        }
        nodes.reverse();
        edges.reverse();
        at = meeting;
        while at != to {
            let (p, e) = bwd.via[at as usize];
            nodes.push(p);
            edges.push(e);
            at = p;
        }
        Some((nodes, edges))
    }
}

/// The marks of one side of a search: the search's stamp on each node it reached, and
/// the node and link it was reached by.
#[derive(Default)]
struct Side {
    seen: Vec<u32>,
    via: Vec<(u32, u32)>,
}

impl Side {
    #[inline]
    fn mark(&mut self, v: u32, epoch: u32, via: (u32, u32)) {
        self.seen[v as usize] = epoch;
        self.via[v as usize] = via;
    }
}

/// Both sides of one search, with its stamp.
struct Sides<'a> {
    epoch: u32,
    fwd: &'a mut Side,
    bwd: &'a mut Side,
}

/// Per-thread search state, reused: a stamp per search instead of clearing.
#[derive(Default)]
struct Scratch {
    epoch: u32,
    fwd: Side,
    bwd: Side,
}

impl Scratch {
    fn begin(&mut self, n: usize) -> Sides<'_> {
        if self.fwd.seen.len() < n {
            for side in [&mut self.fwd, &mut self.bwd] {
                side.seen.resize(n, 0);
                side.via.resize(n, (0, 0));
            }
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            for side in [&mut self.fwd, &mut self.bwd] {
                side.seen.fill(0);
            }
            self.epoch = 1;
        }
        Sides {
            epoch: self.epoch,
            fwd: &mut self.fwd,
            bwd: &mut self.bwd,
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(a: u32, b: u32, kind: &'static str, start: Option<&str>, end: Option<&str>) -> Link {
        Link {
            a,
            b,
            kind,
            interval: Interval::new(
                start.map(|s| s.parse().unwrap()),
                end.map(|s| s.parse().unwrap()),
            ),
        }
    }

    #[test]
    fn walks_only_admitted_links_either_way() {
        // 0 -> 1 -> 2 (member_of 2015–2016) <- 3; and 0 -> 3 funding from 2019.
        let links = [
            link(0, 1, "cooperates_with", None, None),
            link(1, 2, "member_of", Some("2015"), Some("2016")),
            link(3, 2, "cooperates_with", None, None),
            link(0, 3, "funding", Some("2019"), None),
        ];
        let index = PathIndex::from_links(5, &links);
        let all = Admit::new(&KindFilter::default(), &TimeFilter::ALL);
        assert_eq!(
            index.shortest(0, 2, &all),
            Some((vec![0, 1, 2], vec![0, 1]))
        );
        assert_eq!(
            index.shortest(2, 0, &all),
            Some((vec![2, 1, 0], vec![1, 0]))
        );
        assert_eq!(index.shortest(4, 4, &all), Some((vec![4], vec![])));
        assert_eq!(index.shortest(0, 4, &all), None);
        let in_2020 = TimeFilter::parse(Some("2020"), None, None).unwrap();
        let admit = Admit::new(&KindFilter::default(), &in_2020);
        assert_eq!(
            index.shortest(0, 2, &admit),
            Some((vec![0, 3, 2], vec![3, 2]))
        );
        let relations = KindFilter::parse(Some("cooperates_with,member_of")).unwrap();
        let admit = Admit::new(&relations, &in_2020);
        assert_eq!(index.shortest(0, 2, &admit), None);
        assert_eq!(index.shortest(0, 9, &all), None, "no such node");
    }
}
