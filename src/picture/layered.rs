//! A layered, top-down layout for dependency views: what an organisation depends on
//! (its funder, its city, its umbrella, its carrier) stands above it. Layers come from
//! the longest chain of dependencies below the top (cycles are broken where a depth-first
//! walk meets them); within a layer, nodes are ordered by the mean position of their
//! neighbours in the layers above and below, a few sweeps each way.
/// Whether a link of this kind means that its source depends on its target (`Some(true)`),
/// its target on its source (`Some(false)`), or neither.
pub fn depends(kind: &str) -> Option<bool> {
    match kind {
        "part_of" | "member_of" | "relies_on" | "founded_on_initiative_of" => Some(true),
        "funding" | "carrier_of" | "supported_founding_of" => Some(false),
        _ => None,
    }
}

/// Positions (x = place in layer, y = layer) for `n` nodes with links (source, target,
/// kind); nodes without dependencies form the top layer.
pub fn layered(n: usize, links: &[(usize, usize, &str)]) -> Vec<(f32, f32)> {
    // above[v]: the nodes v depends on.
    let mut above: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut below: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b, kind) in links {
        let (lower, upper) = match depends(kind) {
            Some(true) => (a, b),
            Some(false) => (b, a),
            None => continue,
        };
        if lower != upper && lower < n && upper < n {
            above[lower].push(upper);
            below[upper].push(lower);
        }
    }
    let layer = depths(&above);
    let layers = layer.iter().copied().max().map_or(0, |m| m + 1);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for (v, &l) in layer.iter().enumerate() {
        rows[l].push(v);
    }
    let mut place: Vec<f32> = vec![0.0; n];
    for row in &rows {
        for (i, &v) in row.iter().enumerate() {
            place[v] = i as f32;
        }
    }
    // Barycentre sweeps: down (by the layer above), then up (by the layer below).
    for sweep in 0..8 {
        let order: Vec<usize> = if sweep % 2 == 0 {
            (1..layers).collect()
        } else {
            (0..layers.saturating_sub(1)).rev().collect()
        };
        for l in order {
            let by = if sweep % 2 == 0 { &above } else { &below };
            let mut keyed: Vec<(f32, usize)> = rows[l]
                .iter()
                .map(|&v| {
                    let near = &by[v];
                    let key = if near.is_empty() {
                        place[v]
                    } else {
                        near.iter().map(|&w| place[w]).sum::<f32>() / near.len() as f32
                    };
                    (key, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            rows[l] = keyed.into_iter().map(|(_, v)| v).collect();
            for (i, &v) in rows[l].iter().enumerate() {
                place[v] = i as f32;
            }
        }
    }
    // Each layer centred on the widest.
    let widest = rows.iter().map(Vec::len).max().unwrap_or(1) as f32;
    let mut positions = vec![(0.0, 0.0); n];
    for (l, row) in rows.iter().enumerate() {
        let offset = (widest - row.len() as f32) / 2.0;
        for (i, &v) in row.iter().enumerate() {
            positions[v] = (offset + i as f32, l as f32 * widest.sqrt().max(1.0));
        }
    }
    positions
}

/// Each node's layer: 0 when it depends on nothing, else one below the deepest node it
/// depends on. A depth-first walk ignores the link that closes a cycle.
fn depths(above: &[Vec<usize>]) -> Vec<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
    }
    let n = above.len();
    let mut state = vec![State::New; n];
    let mut depth = vec![0usize; n];
    for start in 0..n {
        if state[start] != State::New {
            continue;
        }
        // An explicit stack: (node, next neighbour to look at).
        let mut stack = vec![(start, 0usize)];
        state[start] = State::Open;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&w) = above[v].get(*next) {
                *next += 1;
                match state[w] {
                    State::New => {
                        state[w] = State::Open;
                        stack.push((w, 0));
                    }
                    State::Done => depth[v] = depth[v].max(depth[w] + 1),
                    // The link that closes a cycle.
                    State::Open => {}
                }
            } else {
                state[v] = State::Done;
                stack.pop();
                if let Some(&(parent, _)) = stack.last() {
                    depth[parent] = depth[parent].max(depth[v] + 1);
                }
            }
        }
    }
    depth
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_an_organisation_depends_on_stands_above_it() {
        // 0 funds 1; 1 is member of 2; 3 is part of 4; 1 relies on 0 and 0 on 1 (a cycle).
        let links = [
            (0, 1, "funding"),
            (1, 2, "member_of"),
            (3, 4, "part_of"),
            (5, 1, "cooperates_with"),
        ];
        let p = layered(6, &links);
        let y = |v: usize| p[v].1;
        assert!(
            y(1) > y(0) && y(1) > y(2),
            "the recipient and member below: {p:?}"
        );
        assert!(y(3) > y(4), "the unit below its city");
        assert_eq!(y(5), 0.0, "cooperation is no dependency");
        let cyclic = layered(2, &[(0, 1, "relies_on"), (1, 0, "relies_on")]);
        assert_ne!(cyclic[0].1, cyclic[1].1, "a cycle is broken, not looped");
        assert!(layered(0, &[]).is_empty());
    }

    #[test]
    fn a_layer_is_ordered_by_its_neighbours_above() {
        // Two funders, each funding two recipients: each pair sits under its funder.
        let links = [
            (0, 3, "funding"),
            (1, 2, "funding"),
            (0, 5, "funding"),
            (1, 4, "funding"),
        ];
        let p = layered(6, &links);
        let x = |v: usize| p[v].0;
        let left_is_0 = x(0) < x(1);
        for (recipient, funder) in [(3, 0), (5, 0), (2, 1), (4, 1)] {
            let left = x(recipient) < 2.0;
            assert_eq!(left, (funder == 0) == left_is_0, "{p:?}");
        }
    }
}
