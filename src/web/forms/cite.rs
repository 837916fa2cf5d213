//! Citing a source from any record form: the title of a source (an existing one is
//! suggested while typing; a new title registers a new source) and where in it the fact
//! is found. Checked with the form's other fields; the source is looked up or registered
//! in the same transaction that saves the record, so a refused form leaves nothing behind.
use diesel::Connection;
use rocket::form::FromForm;

use super::{FieldErrors, REQUIRED};
use crate::db::{Db, DbConn};
use crate::domain::{Citation, Source};
use crate::error::{Error, Result};
use crate::service::{crud, Caller, ListQuery, Resource};

/// How many source titles the form suggests.
const SUGGESTIONS: i64 = 500;

/// The citation fields of a form as typed (`cite.source`, `cite.locator`).
#[derive(Debug, Default, Clone, FromForm)]
pub struct CiteForm {
    /// A source's title (or id).
    #[field(default = String::new())]
    pub source: String,
    /// Where in the source: chapter, page, interview.
    #[field(default = String::new())]
    pub locator: String,
}

/// A citation that checked out and is added when the record is saved.
#[derive(Debug, Clone)]
pub struct Pending {
    source: String,
    locator: String,
}

impl CiteForm {
    /// The citation to add, if one was typed; both fields are needed, and each must fit
    /// the rules of a source and a citation.
    pub fn parse(&self, e: &mut FieldErrors) -> Option<Pending> {
        let (source, locator) = (self.source.trim(), self.locator.trim());
        match (source.is_empty(), locator.is_empty()) {
            (true, true) => return None,
            (true, false) => e.add("cite.source", REQUIRED),
            (false, true) => e.add("cite.locator", REQUIRED),
            (false, false) => {}
        }
        let before = e.0.len();
        let source_record = Source {
            title: source.to_string(),
            url: None,
            accessed_on: None,
        };
        e.check_record(&source_record, &[("title", "cite.source")]);
        if locator.chars().count() > 300 {
            e.add("cite.locator", "must be at most 300 characters");
        }
        let complete = !source.is_empty() && !locator.is_empty() && e.0.len() == before;
        complete.then(|| Pending {
            source: source.to_string(),
            locator: locator.to_string(),
        })
    }
}

/// Adds the citation to `record` (once): the source named by id or by title, registered
/// if no source has that title.
pub fn apply<R: Resource>(
    conn: &mut DbConn,
    caller: &Caller,
    pending: Option<&Pending>,
    record: &mut R,
) -> Result<()> {
    let Some(p) = pending else {
        return Ok(());
    };
    let source_id = match crud::get::<Source>(conn, caller, &p.source) {
        Ok(found) => found.id,
        Err(_) => {
            let new = Source {
                title: p.source.clone(),
                url: None,
                accessed_on: None,
            };
            match crud::create(conn, caller, new) {
                Ok(created) => created.id,
                // A source with this title (as the registry compares titles) exists.
                Err(Error::Conflict {
                    existing_id: Some(id),
                    ..
                }) => id,
                Err(other) => return Err(other),
            }
        }
    };
    let citation = Citation {
        source_id,
        locator: p.locator.clone(),
    };
    let mut list = record.citations().to_vec();
    if !list.contains(&citation) {
        list.push(citation);
        record.set_citations(list);
    }
    Ok(())
}

/// What leaves a transaction early: a failure, or a refused form (which undoes what the
/// transaction wrote before, e.g. a newly registered source).
enum Out<T> {
    Failed(Error),
    Refused(T),
}

impl<T> From<diesel::result::Error> for Out<T> {
    fn from(e: diesel::result::Error) -> Self {
        Out::Failed(e.into())
    }
}

/// Runs a save in one transaction: kept if it saved, undone if it failed or was refused.
pub fn in_transaction<T, R>(
    conn: &mut DbConn,
    save: impl FnOnce(&mut DbConn) -> Result<std::result::Result<T, R>>,
) -> Result<std::result::Result<T, R>> {
    let outcome = conn.transaction(|c| match save(c) {
        Ok(Ok(saved)) => Ok(saved),
        Ok(Err(refused)) => Err(Out::Refused(refused)),
        Err(e) => Err(Out::Failed(e)),
    });
    match outcome {
        Ok(saved) => Ok(Ok(saved)),
        Err(Out::Refused(refused)) => Ok(Err(refused)),
        Err(Out::Failed(e)) => Err(e),
    }
}

/// Titles of sources for the citation field's suggestions.
pub async fn source_titles(db: &Db) -> Vec<String> {
    db.run(|c| {
        let q = ListQuery {
            limit: Some(SUGGESTIONS),
            ..ListQuery::default()
        };
        Ok(crud::list::<Source>(c, &Caller::System, &q)?
            .items
            .into_iter()
            .map(|r| r.data.title)
            .collect())
    })
    .await
    .unwrap_or_default()
}
