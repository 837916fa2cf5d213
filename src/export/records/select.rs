//! Which records an export holds: the organisations of the network view asked for (on
//! the graph snapshot), the persons holding roles at them in its time window that the
//! caller may see, and the rule for links. Known before the file is written, so the
//! persons it discloses can be logged before the first byte leaves.
use std::collections::HashSet;
use std::sync::Arc;

use petgraph::graph::NodeIndex;

use super::tables::Names;
use crate::domain::{Disclosure, Interval};
use crate::graph::network::KindFilter;
use crate::graph::query::ViewRequest;
use crate::graph::{Node, OrgNode, Snapshot, TimeFilter, Viewer};

/// An export's selection, made on one snapshot.
pub struct Selection {
    snapshot: Arc<Snapshot>,
    /// No filter at all: every live record (the store's, also those newer than the
    /// snapshot — except persons and their roles, which must be known beforehand).
    everything: bool,
    organisations: HashSet<NodeIndex>,
    time: TimeFilter,
    links: KindFilter,
    /// The persons that may be written (an upper bound: the writer also checks each
    /// person's visibility as stored).
    persons: Disclosure,
    viewer: Viewer,
}

impl Selection {
    pub fn of(snapshot: Arc<Snapshot>, request: &ViewRequest, viewer: Viewer) -> Selection {
        let everything = request.selects_everything();
        let organisations: HashSet<NodeIndex> = if everything {
            HashSet::new()
        } else {
            request
                .selected_organisations(&snapshot, viewer)
                .into_iter()
                .collect()
        };
        let visible = |n: NodeIndex| {
            snapshot
                .person(n)
                .filter(|p| viewer == Viewer::SignedIn || !p.restricted)
                .map(|p| p.id.clone())
        };
        let persons: Disclosure = if everything {
            snapshot.graph.node_indices().filter_map(visible).collect()
        } else if request.links.admits_kind("affiliation") {
            organisations
                .iter()
                .flat_map(|&org| snapshot.staff_of(org))
                .filter(|(_, _, a)| request.time.admits(&a.interval))
                .filter_map(|(_, person, _)| visible(person))
                .collect()
        } else {
            Disclosure::none()
        };
        Selection {
            everything,
            organisations,
            time: request.time,
            links: request.links.clone(),
            persons,
            viewer,
            snapshot,
        }
    }

    /// The persons the export may show: what a signed-in caller's read log records.
    pub fn persons(&self) -> &Disclosure {
        &self.persons
    }

    pub fn viewer(&self) -> Viewer {
        self.viewer
    }

    pub fn is_everything(&self) -> bool {
        self.everything
    }

    pub fn names(&self) -> &dyn Names {
        &*self.snapshot
    }

    pub fn has_organisation(&self, id: &str) -> bool {
        self.everything
            || self
                .snapshot
                .node(id)
                .is_some_and(|n| self.organisations.contains(&n))
    }

    /// An organisation the snapshot knows, selected or not (for the other end of a link
    /// that leaves the selection).
    pub fn known_organisation(&self, id: &str) -> Option<&OrgNode> {
        match &self.snapshot.graph[self.snapshot.node(id)?] {
            Node::Organisation(o) => Some(o),
            Node::Person(_) => None,
        }
    }

    pub fn has_person(&self, id: &str) -> bool {
        self.persons.contains(id)
    }

    /// Whether a link of `kind` between two organisations (or a role at one, given twice)
    /// belongs to the export: it touches a selected organisation, in the time window,
    /// and its kind is asked for.
    pub fn has_link(&self, ends: [&str; 2], kind: &str, interval: &Interval) -> bool {
        self.everything
            || (self.links.admits_kind(kind)
                && self.time.admits(interval)
                && ends.iter().any(|id| self.has_organisation(id)))
    }
}

impl Names for Snapshot {
    fn name(&self, id: &str) -> Option<&str> {
        match &self.graph[self.node(id)?] {
            Node::Organisation(o) => Some(&o.name),
            Node::Person(p) => Some(&p.name),
        }
    }
}
