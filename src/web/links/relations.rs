//! Relations from an organisation to another: add one from its page, edit one.
use askama::Template;
use rocket::form::FromForm;
use rocket::{routes, Route};

use super::owned::{At, OwnedLink};
use super::{form_routes, FormParts};
use crate::db::DbConn;
use crate::domain::*;
use crate::error::Result;
use crate::web::forms::{CiteForm, FieldErrors, FormHead};
use crate::web::organisations::resolve_or_keep;
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
    /// A source to cite.
    pub cite: CiteForm,
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
        e.required("kind", &self.kind);
        let kind = e.choice::<RelationKind>("kind", &self.kind);
        e.required("target", &self.target);
        let stored = keep.map(|k| k.target_id.as_str());
        let target = resolve_or_keep(conn, "target", &self.target, stored, &mut e);
        let (start, end) = (e.date("start", &self.start), e.date("end", &self.end));
        let approx_size = e
            .number("approx_size", &self.approx_size)
            .map(|n| n.clamp(0, i32::MAX as i64) as i32);
        let relation = Relation {
            source_id,
            target_id: target.unwrap_or_default(),
            kind: kind.unwrap_or(RelationKind::ALL[0]),
            start,
            end,
            approx_size,
            description: FieldErrors::text(&self.description),
            citations: keep.map(|k| k.citations.clone()).unwrap_or_default(),
        };
        e.check_record(
            &relation,
            &[("target_id", "target"), ("source_id", "target")],
        );
        match e.is_empty() {
            true => Ok(relation),
            false => Err(e),
        }
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
    sources: Vec<String>,
}

impl OwnedLink for Relation {
    type Fields = RelationForm;
    const PATH: &'static str = "relations";
    const TITLES: (&'static str, &'static str) = ("records.add_relation", "links.edit_relation");
    const OTHER: (&'static str, &'static str, &'static str) =
        ("target", "target_id", "this relation is already registered");

    fn owner(&self) -> &str {
        &self.source_id
    }

    fn new_fields() -> RelationForm {
        <RelationForm as Default>::default()
    }

    fn fields(&self, conn: &mut DbConn) -> RelationForm {
        RelationForm::from_record(self, organisation_name(conn, &self.target_id))
    }

    fn from_fields(
        fields: &RelationForm,
        conn: &mut DbConn,
        owner: String,
        keep: Option<&Self>,
    ) -> std::result::Result<Self, FieldErrors> {
        fields.to_domain(conn, owner, keep)
    }

    fn render(p: FormParts<RelationForm>) -> Page {
        render(&RelationView {
            chrome: p.chrome,
            head: p.head,
            form: p.form,
            errors: p.errors,
            names: p.names,
            sources: p.sources,
        })
    }

    fn cite(fields: &RelationForm) -> &CiteForm {
        &fields.cite
    }
}

form_routes!(
    new_form,
    create,
    "/organisations/<id>/relations/new",
    RelationForm,
    |id| At::<Relation>::new(id)
);
form_routes!(
    edit_form,
    update,
    "/relations/<id>/edit",
    RelationForm,
    |id| At::<Relation>::edit(id)
);

pub fn routes() -> Vec<Route> {
    routes![new_form, create, edit_form, update]
}
