//! Pictures laid out before they are asked for: on each new snapshot, the network page
//! as it opens (one picture for visitors and signed-in users alike), then the views asked of the
//! snapshot it replaced, newest first (those naming no organisation by node). The same function as a request computes them,
//! so a prepared picture is the one the request would have drawn.
use crate::graph::query::{parse, Params, ViewRequest};
use crate::graph::{MemoKey, Snapshot, Viewer};

/// Views prepared per snapshot at most: a few seconds of work at national scale.
pub const MAX_PREPARED: usize = 8;

/// The views to prepare on `s`, given the keys asked of earlier snapshots.
pub fn views_to_prepare(s: &Snapshot, asked: &[MemoKey]) -> Vec<(ViewRequest, Viewer)> {
    let opening = [Viewer::Anonymous, Viewer::SignedIn]
        .into_iter()
        .filter_map(|viewer| {
            let request = parse::<ViewRequest>(s, &Params::default(), viewer).ok()?;
            Some((request.clone(), super::drawn_for(&request, viewer)))
        });
    let asked = asked.iter().filter_map(|key| match key {
        MemoKey::Picture(request, viewer) if !names_nodes(request) => {
            Some((request.clone(), super::drawn_for(request, *viewer)))
        }
        _ => None,
    });
    let mut views: Vec<(ViewRequest, Viewer)> = Vec::new();
    for view in opening.chain(asked) {
        if !views.contains(&view) {
            views.push(view);
        }
        if views.len() == MAX_PREPARED {
            break;
        }
    }
    views
}

/// Whether a request names organisations: their node indices belong to the snapshot it
/// was parsed on and may mean another node (or none) in a newer one.
fn names_nodes(r: &ViewRequest) -> bool {
    r.focus.is_some()
        || r.umbrella.is_some()
        || r.funder.is_some()
        || r.highlight.path.is_some()
        || r.highlight.stops.is_some()
}

/// Lays out and keeps the pictures `views_to_prepare` names.
pub fn prepare(s: &Snapshot, asked: &[MemoKey]) {
    for (request, viewer) in views_to_prepare(s, asked) {
        super::picture_of(s, &request, viewer);
    }
}
