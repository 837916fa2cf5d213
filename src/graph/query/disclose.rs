//! Which persons an answer shows: each answer type names the places it can hold a
//! person. Person references are only ever made for callers who may see them
//! (`Viewer::name`), so an anonymous answer discloses nobody by construction.
use crate::domain::Disclosure;
use crate::graph::centrality::Centrality;
use crate::graph::dependencies::{Cycle, Dependency};
use crate::graph::funding::{Conflicts, EndingFunding, FundingOverlap, Loss};
use crate::graph::network::{Component, GraphJson, NodeJson};
use crate::graph::overlaps::{StaffOverlap, StaffPair, TandemAnswer};
use crate::graph::PersonRef;

pub trait Discloses {
    /// Adds the persons this value shows to `shown`.
    fn disclose(&self, shown: &mut Disclosure);
}

impl Discloses for PersonRef {
    fn disclose(&self, shown: &mut Disclosure) {
        shown.add(self.id.clone());
    }
}

impl<T: Discloses> Discloses for Option<T> {
    fn disclose(&self, shown: &mut Disclosure) {
        if let Some(t) = self {
            t.disclose(shown);
        }
    }
}

impl<T: Discloses> Discloses for Vec<T> {
    fn disclose(&self, shown: &mut Disclosure) {
        for t in self {
            t.disclose(shown);
        }
    }
}

/// Answers about organisations and money only.
macro_rules! shows_no_person {
    ($($t:ty),*) => {
        $(impl Discloses for $t {
            fn disclose(&self, _: &mut Disclosure) {}
        })*
    };
}
shows_no_person!(
    StaffPair,
    Cycle,
    Component,
    EndingFunding,
    Loss,
    FundingOverlap,
    crate::graph::query::Grant
);

impl Discloses for StaffOverlap {
    fn disclose(&self, shown: &mut Disclosure) {
        for p in self.persons.iter().flatten() {
            p.person.disclose(shown);
        }
    }
}

impl Discloses for TandemAnswer {
    fn disclose(&self, shown: &mut Disclosure) {
        for r in self.roles.iter().flatten() {
            r.person.disclose(shown);
        }
    }
}

impl Discloses for Conflicts {
    fn disclose(&self, shown: &mut Disclosure) {
        for c in self.conflicts.iter().flatten() {
            c.person.disclose(shown);
        }
    }
}

impl Discloses for Dependency {
    fn disclose(&self, shown: &mut Disclosure) {
        for r in &self.reasons {
            r.person.disclose(shown);
        }
    }
}

impl Discloses for NodeJson {
    fn disclose(&self, shown: &mut Disclosure) {
        if let (Some(id), "person") = (&self.id, self.node_type) {
            shown.add(id.clone());
        }
    }
}

impl Discloses for GraphJson {
    fn disclose(&self, shown: &mut Disclosure) {
        self.nodes.disclose(shown);
    }
}

impl Discloses for Centrality {
    fn disclose(&self, shown: &mut Disclosure) {
        for item in &self.items {
            item.node.disclose(shown);
        }
    }
}
