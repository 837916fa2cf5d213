//! The partial dates behind the graph's day intervals, so that a period reads as it was
//! entered: a role from `2022-01` to `2024-12` shows as "2022-01 – 2024-12", not as the
//! whole years its days would also fit ("2022 – 2024"). The graph keeps days only; the
//! pages look the entered dates up for the persons and grants they show.
use std::collections::HashMap;

use crate::db::Db;
use crate::domain::{Affiliation, Funding, Interval, PartialDate, Role};
use crate::graph::overlaps::RoleSpan;
use crate::graph::PersonRef;
use crate::service::{crud, Caller, ListQuery};

/// Entered dates by role (person, role, days) and by grant id.
#[derive(Default)]
pub struct Dates {
    roles: HashMap<(String, Role, Interval), Vec<PartialDate>>,
    grants: HashMap<String, Vec<PartialDate>>,
}

fn entered(start: Option<PartialDate>, end: Option<PartialDate>) -> Vec<PartialDate> {
    start.into_iter().chain(end).collect()
}

impl Dates {
    /// The entered dates of the roles of `persons` and of the grants `grants`, as the
    /// caller may see them. Nothing found (or a failed read) leaves the days to speak.
    pub async fn load(
        db: &Db,
        caller: &Caller,
        persons: Vec<String>,
        grants: Vec<String>,
    ) -> Dates {
        if persons.is_empty() && grants.is_empty() {
            return Dates::default();
        }
        let caller = caller.clone();
        let loaded = db
            .run(move |c| {
                let mut dates = Dates::default();
                for person in persons {
                    let query = ListQuery {
                        person: Some(person.clone()),
                        ..ListQuery::default()
                    };
                    for a in crud::list_all::<Affiliation>(c, &caller, &query)? {
                        let a = a.data;
                        let key = (person.clone(), a.role, a.interval());
                        dates.roles.insert(key, entered(a.start, a.end));
                    }
                }
                for id in grants {
                    if let Ok(f) = crud::get::<Funding>(c, &caller, &id) {
                        dates.grants.insert(id, entered(f.data.start, f.data.end));
                    }
                }
                Ok(dates)
            })
            .await;
        loaded.unwrap_or_default()
    }

    /// The entered dates of one person's role.
    pub fn role(&self, person: Option<&PersonRef>, span: &RoleSpan) -> &[PartialDate] {
        person
            .and_then(|p| self.roles.get(&(p.id.clone(), span.role, span.interval)))
            .map_or(&[], Vec::as_slice)
    }

    /// The entered dates of one grant.
    pub fn grant(&self, id: &str) -> &[PartialDate] {
        self.grants.get(id).map_or(&[], Vec::as_slice)
    }
}
