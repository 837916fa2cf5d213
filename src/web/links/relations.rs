//! Relations from an organisation to another: add one from its page, edit one.
use askama::Template;
use rocket::form::FromForm;
use rocket::{routes, Route};

use super::{form_routes, FormParts, LinkForm};
use crate::db::DbConn;
use crate::domain::*;
use crate::error::Result;
use crate::service::{crud, Caller};
use crate::web::forms::{form_outcome, FieldErrors, FormHead, Rejection};
use crate::web::organisations::resolve_organisation;
use crate::web::removal::organisation_name;
use crate::web::{render, Chrome, Page};

#[derive(Debug, Default, Clone, FromForm)]
pub struct RelationForm {
    #[field(default = String::new())]
    pub csrf: String,
    #[field(default = String::new())]
    pub kind: String,
    #[field(default = String::new())]
    pub target: String,
    #[field(default = String::new())]
    pub start: String,
    #[field(default = String::new())]
    pub end: String,
    #[field(default = String::new())]
    pub approx_size: String,
    #[field(default = String::new())]
    pub description: String,
}

impl RelationForm {
    fn from_record(r: &Relation, target: String) -> RelationForm {
        RelationForm {
            kind: r.kind.as_str().into(),
            target,
            start: r.start.map(|d| d.to_string()).unwrap_or_default(),
            end: r.end.map(|d| d.to_string()).unwrap_or_default(),
            approx_size: r.approx_size.map(|n| n.to_string()).unwrap_or_default(),
            description: r.description.clone().unwrap_or_default(),
            ..<RelationForm as Default>::default()
        }
    }

    /// The relation with the form's values; citations are kept from `keep`.
    fn to_domain(
        &self,
        conn: &mut DbConn,
        source_id: String,
        keep: Option<&Relation>,
    ) -> std::result::Result<Relation, FieldErrors> {
        let mut e = FieldErrors::default();
        let kind = e.choice::<RelationKind>("kind", &self.kind);
        if self.kind.trim().is_empty() {
            e.add("kind", "is required");
        }
        let target = resolve_organisation(conn, "target", &self.target, &mut e);
        if self.target.trim().is_empty() {
            e.add("target", "is required");
        }
        let (start, end) = (e.date("start", &self.start), e.date("end", &self.end));
        let approx_size = e
            .number("approx_size", &self.approx_size)
            .map(|n| n.clamp(0, i32::MAX as i64) as i32);
        let (Some(kind), Some(target_id), true) = (kind, target, e.is_empty()) else {
            return Err(e);
        };
        Ok(Relation {
            source_id,
            target_id,
            kind,
            start,
            end,
            approx_size,
            description: FieldErrors::text(&self.description),
            citations: keep.map(|k| k.citations.clone()).unwrap_or_default(),
        })
    }
}

#[derive(Template)]
#[template(path = "relation_form.html")]
struct RelationView {
    chrome: Chrome,
    head: FormHead,
    form: RelationForm,
    errors: FieldErrors,
    names: Vec<String>,
}

/// A new relation from this organisation, or this relation edited.
#[derive(Clone)]
enum Place {
    New { source: String },
    Edit { relation: String },
}

impl LinkForm for Place {
    type Fields = RelationForm;

    fn context(&self, conn: &mut DbConn, caller: &Caller) -> Result<(FormHead, RelationForm)> {
        caller.require(UserRole::Editor)?;
        Ok(match self {
            Place::New { source } => {
                let name = crud::get::<Organisation>(conn, caller, source)?.data.name;
                let head = FormHead {
                    title: "records.add_relation",
                    action: format!("/organisations/{source}/relations/new"),
                    back_url: format!("/organisations/{source}"),
                    back_name: name,
                    duplicate: None,
                    delete: None,
                };
                (head, <RelationForm as Default>::default())
            }
            Place::Edit { relation } => {
                let r = crud::get::<Relation>(conn, caller, relation)?.data;
                let head = FormHead {
                    title: "links.edit_relation",
                    action: format!("/relations/{relation}/edit"),
                    back_url: format!("/organisations/{}", r.source_id),
                    back_name: organisation_name(conn, &r.source_id),
                    duplicate: None,
                    delete: Some(format!("/relations/{relation}/delete")),
                };
                let target = organisation_name(conn, &r.target_id);
                (head, RelationForm::from_record(&r, target))
            }
        })
    }

    fn save(
        &self,
        conn: &mut DbConn,
        caller: &Caller,
        form: &RelationForm,
    ) -> Result<std::result::Result<String, Rejection>> {
        let (source, keep, id) = match self {
            Place::New { source } => (source.clone(), None, None),
            Place::Edit { relation } => {
                let keep = crud::get::<Relation>(conn, caller, relation)?.data;
                (keep.source_id.clone(), Some(keep), Some(relation))
            }
        };
        let relation = match form.to_domain(conn, source.clone(), keep.as_ref()) {
            Ok(r) => r,
            Err(errors) => return Ok(Err(errors.into())),
        };
        let saved = match id {
            Some(id) => crud::update(conn, caller, id, relation),
            None => crud::create(conn, caller, relation),
        };
        let outcome = form_outcome(saved, "target", "this relation is already registered")?;
        Ok(outcome
            .map(|_| format!("/organisations/{source}"))
            .map_err(|mut r| {
                r.duplicate = r.duplicate.map(|id| format!("/relations/{id}/edit"));
                // The form's field is `target`, the record's `target_id`.
                r.errors.rename("target_id", "target");
                r
            }))
    }

    fn render(&self, p: FormParts<RelationForm>) -> Page {
        render(&RelationView {
            chrome: p.chrome,
            head: p.head,
            form: p.form,
            errors: p.errors,
            names: p.names,
        })
    }
}

form_routes!(
    new_form,
    create,
    "/organisations/<id>/relations/new",
    RelationForm,
    |id| Place::New { source: id.into() }
);
form_routes!(
    edit_form,
    update,
    "/relations/<id>/edit",
    RelationForm,
    |id| Place::Edit {
        relation: id.into()
    }
);

pub fn routes() -> Vec<Route> {
    routes![new_form, create, edit_form, update]
}
