//! The domain model: plain data, validation rules, no database and no HTTP.
pub mod caller;
pub mod disclosure;
pub mod enums;
pub mod links;
pub mod organisation;
pub mod partial_date;
pub mod person;
pub mod source;

pub use caller::{Caller, UserInfo};
pub use disclosure::{Disclosure, ShowsPerson};
pub use enums::*;
pub use links::{Affiliation, Funding, Relation};
pub use organisation::Organisation;
pub use partial_date::{Interval, PartialDate};
pub use person::Person;
pub use source::{Citation, Source};

use serde::Serialize;

/// A stored record: its id and timestamps around the data the user entered.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Record<T> {
    pub id: String,
    #[serde(flatten)]
    pub data: T,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

/// Trims an optional text and turns an empty one into `None`.
pub fn clean(text: &mut Option<String>) {
    if let Some(t) = text {
        let trimmed = t.trim();
        if trimmed.is_empty() {
            *text = None;
        } else if trimmed.len() != t.len() {
            *text = Some(trimmed.to_string());
        }
    }
}

/// Removes repeated entries from a list field, keeping the first occurrence.
pub fn dedup<T: PartialEq + Clone>(items: &mut Vec<T>) {
    let mut seen: Vec<T> = Vec::with_capacity(items.len());
    items.retain(|i| {
        if seen.contains(i) {
            false
        } else {
            seen.push(i.clone());
            true
        }
    });
}
