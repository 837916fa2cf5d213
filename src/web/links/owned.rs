//! Links that belong to one organisation's page — a funding to its recipient, a relation
//! to its source: added from that page, edited on a form of their own. `At<R>` is the
//! form's place for any such record; each record says what differs in `OwnedLink`.
use std::marker::PhantomData;

use super::{FormParts, LinkForm};
use crate::db::DbConn;
use crate::domain::*;
use crate::error::Result;
use crate::service::{crud, Caller, Resource};
use crate::web::forms::cite::{self, in_transaction};
use crate::web::forms::{form_outcome, CiteForm, FieldErrors, FormHead, Rejection};
use crate::web::removal::organisation_name;
use crate::web::Page;

pub(crate) trait OwnedLink: Resource {
    type Fields: Clone + Send + 'static;
    /// The path segment of its routes, e.g. `fundings`.
    const PATH: &'static str;
    /// Label keys of the headings for adding and editing.
    const TITLES: (&'static str, &'static str);
    /// The form field that names the other organisation, the record field it fills, and
    /// the message beside it for a duplicate.
    const OTHER: (&'static str, &'static str, &'static str);

    /// The organisation whose page it belongs to.
    fn owner(&self) -> &str;
    /// The fields of a new one.
    fn new_fields() -> Self::Fields;
    /// The fields showing a stored one.
    fn fields(&self, conn: &mut DbConn) -> Self::Fields;
    /// The record the fields describe; what the form does not show is kept from `keep`.
    fn from_fields(
        fields: &Self::Fields,
        conn: &mut DbConn,
        owner: String,
        keep: Option<&Self>,
    ) -> std::result::Result<Self, FieldErrors>;
    fn render(parts: FormParts<Self::Fields>) -> Page;
    /// The form's citation fields.
    fn cite(fields: &Self::Fields) -> &CiteForm;
}

enum Place {
    /// A new one for this organisation.
    New(String),
    /// This one, edited.
    Edit(String),
}

pub(crate) struct At<R> {
    place: Place,
    record: PhantomData<fn() -> R>,
}

impl<R> At<R> {
    pub fn new(owner: &str) -> At<R> {
        At {
            place: Place::New(owner.into()),
            record: PhantomData,
        }
    }

    pub fn edit(id: &str) -> At<R> {
        At {
            place: Place::Edit(id.into()),
            record: PhantomData,
        }
    }
}

impl<R> Clone for At<R> {
    fn clone(&self) -> Self {
        match &self.place {
            Place::New(owner) => At::new(owner),
            Place::Edit(id) => At::edit(id),
        }
    }
}

impl<R: OwnedLink> LinkForm for At<R> {
    type Fields = R::Fields;

    fn context(&self, conn: &mut DbConn, caller: &Caller) -> Result<(FormHead, R::Fields)> {
        caller.require(UserRole::Editor)?;
        let (new_title, edit_title) = R::TITLES;
        Ok(match &self.place {
            Place::New(owner) => {
                let name = crud::get::<Organisation>(conn, caller, owner)?.data.name;
                let head = FormHead {
                    title: new_title,
                    action: format!("/organisations/{owner}/{}/new", R::PATH),
                    back_url: format!("/organisations/{owner}"),
                    back_name: name,
                    duplicate: None,
                    delete: None,
                    person: None,
                    shows_person: None,
                };
                (head, R::new_fields())
            }
            Place::Edit(id) => {
                let record = crud::get::<R>(conn, caller, id)?.data;
                let head = FormHead {
                    title: edit_title,
                    action: format!("/{}/{id}/edit", R::PATH),
                    back_url: format!("/organisations/{}", record.owner()),
                    back_name: organisation_name(conn, record.owner()),
                    duplicate: None,
                    delete: Some(format!("/{}/{id}/delete", R::PATH)),
                    person: None,
                    shows_person: None,
                };
                (head, record.fields(conn))
            }
        })
    }

    fn save(
        &self,
        conn: &mut DbConn,
        caller: &Caller,
        fields: &R::Fields,
    ) -> Result<std::result::Result<String, Rejection>> {
        let (owner, keep, id) = match &self.place {
            Place::New(owner) => (owner.clone(), None, None),
            Place::Edit(id) => {
                let keep = crud::get::<R>(conn, caller, id)?.data;
                (keep.owner().to_string(), Some(keep), Some(id))
            }
        };
        let parsed = R::from_fields(fields, conn, owner.clone(), keep.as_ref());
        let mut cite_errors = FieldErrors::default();
        let cite = R::cite(fields).parse(&mut cite_errors);
        let mut record = match parsed {
            Ok(r) if cite_errors.is_empty() => r,
            Ok(_) => return Ok(Err(cite_errors.into())),
            Err(mut errors) => {
                errors.0.extend(cite_errors.0);
                return Ok(Err(errors.into()));
            }
        };
        in_transaction(conn, |conn| {
            cite::apply(conn, caller, cite.as_ref(), &mut record)?;
            let saved = match id {
                Some(id) => crud::update(conn, caller, id, record),
                None => crud::create(conn, caller, record),
            };
            let (form_field, record_field, duplicate) = R::OTHER;
            let outcome = form_outcome(saved, form_field, duplicate)?;
            Ok(outcome
                .map(|_| format!("/organisations/{owner}"))
                .map_err(|mut r| {
                    r.duplicate = r.duplicate.map(|id| format!("/{}/{id}/edit", R::PATH));
                    r.errors.rename(record_field, form_field);
                    r
                }))
        })
    }

    fn render(&self, parts: FormParts<R::Fields>) -> Page {
        R::render(parts)
    }

    fn cites(&self) -> bool {
        true
    }
}
