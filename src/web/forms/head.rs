//! The part of a record form page around its fields.
use crate::domain::Disclosure;

/// What a record form shows around its fields: its heading, where it posts, the page it
/// belongs to, the existing record a duplicate links to and, when editing, where to delete.
#[derive(Debug, Clone)]
pub struct FormHead {
    /// Label key of the heading.
    pub title: &'static str,
    pub action: String,
    pub back_url: String,
    pub back_name: String,
    /// The existing record's page when the input duplicates it.
    pub duplicate: Option<String>,
    /// The delete confirmation page when editing.
    pub delete: Option<String>,
    /// The person the record is about (id, name), linked.
    pub person: Option<(String, String)>,
    /// A person the form shows otherwise (in its heading or its fields).
    pub shows_person: Option<String>,
}

impl FormHead {
    /// The persons the form page shows, for the read log.
    pub fn persons(&self) -> Disclosure {
        let linked = self.person.as_ref().map(|(id, _)| id);
        Disclosure::of(linked.into_iter().chain(self.shows_person.as_ref()))
    }
}
