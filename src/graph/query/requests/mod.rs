//! The graph requests, one type per question: the fields each reads and how it runs.
//! Field names are the same for the API and the pages.
mod funding;
mod highlight;
mod network;
mod people;
mod view;

pub use funding::*;
pub use highlight::*;
pub use network::*;
pub use people::*;
pub use view::*;

use petgraph::graph::NodeIndex;

use crate::graph::{OrgRef, Snapshot};

/// The subject organisation of an answer.
fn subject(s: &Snapshot, n: NodeIndex) -> OrgRef {
    match s.org(n) {
        Some(o) => OrgRef::of(o),
        None => unreachable!("requests resolve organisations only"),
    }
}
