//! Forms for relations (on an organisation's profile) and for sources.
use askama::Template;
use rocket::form::{Form, FromForm};
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{get, post, routes, Route, State};

use super::auth::check_csrf;
use super::forms::{form_outcome, FieldErrors};
use super::links::{org_name, rejected};
use super::organisations::{organisation_names, resolve_organisation};
use super::{fail, render, Chrome, HtmlError, Page};
use crate::app::Db;
use crate::domain::*;
use crate::service::{crud, ListQuery, Page as ListPage};

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

#[derive(Template)]
#[template(path = "relation_form.html")]
struct RelationView {
    chrome: Chrome,
    org_id: String,
    org_name: String,
    form: RelationForm,
    errors: FieldErrors,
    names: Vec<String>,
}

#[get("/<id>/relations/new")]
async fn relation_form(chrome: Chrome, db: &State<Db>, id: &str) -> Page {
    let org_name = org_name(&chrome, db, id).await?;
    let names = organisation_names(db).await;
    render(&RelationView {
        chrome,
        org_id: id.into(),
        org_name,
        form: <RelationForm as Default>::default(),
        errors: FieldErrors::default(),
        names,
    })
}

#[post("/<id>/relations/new", data = "<form>")]
async fn add_relation(
    chrome: Chrome,
    db: &State<Db>,
    id: &str,
    form: Form<RelationForm>,
) -> Result<Redirect, HtmlError> {
    check_csrf(&chrome, &form.csrf)?;
    let org_name = org_name(&chrome, db, id).await?;
    let (caller, source, f) = (chrome.caller.clone(), id.to_string(), form.clone());
    let outcome = db
        .run(move |c| {
            let mut e = FieldErrors::default();
            let kind = e.choice::<RelationKind>("kind", &f.kind);
            if f.kind.trim().is_empty() {
                e.add("kind", "is required");
            }
            let target = resolve_organisation(c, "target", &f.target, &mut e);
            if f.target.trim().is_empty() {
                e.add("target", "is required");
            }
            let (start, end) = (e.date("start", &f.start), e.date("end", &f.end));
            let approx_size = e
                .number("approx_size", &f.approx_size)
                .map(|n| n.clamp(0, i32::MAX as i64) as i32);
            let (Some(kind), Some(target_id), true) = (kind, target, e.is_empty()) else {
                return Ok(Err(e));
            };
            let relation = Relation {
                source_id: source,
                target_id,
                kind,
                start,
                end,
                approx_size,
                description: FieldErrors::text(&f.description),
                citations: Vec::new(),
            };
            let saved = crud::create(c, &caller, relation);
            // The form's field is `target`, the record's `target_id`.
            let outcome = form_outcome(saved, "target", "this relation is already registered")?;
            Ok(outcome.map_err(|FieldErrors(list)| {
                FieldErrors(
                    list.into_iter()
                        .map(|mut fe| {
                            if fe.field == "target_id" {
                                fe.field = "target".into();
                            }
                            fe
                        })
                        .collect(),
                )
            }))
        })
        .await
        .map_err(|e| fail(&chrome, e))?;
    match outcome {
        Ok(()) => Ok(Redirect::to(format!("/organisations/{id}"))),
        Err(errors) => {
            let names = organisation_names(db).await;
            let view = RelationView {
                chrome,
                org_id: id.into(),
                org_name,
                form: form.into_inner(),
                errors,
                names,
            };
            Err(rejected(render(&view), Status::UnprocessableEntity))
        }
    }
}

#[derive(Debug, Default, Clone, FromForm)]
pub struct SourceForm {
    #[field(default = String::new())]
    pub csrf: String,
    #[field(default = String::new())]
    pub title: String,
    #[field(default = String::new())]
    pub url: String,
    #[field(default = String::new())]
    pub accessed_on: String,
}

#[derive(Template)]
#[template(path = "sources.html")]
struct SourcesView {
    chrome: Chrome,
    sources: ListPage<Record<Source>>,
    form: SourceForm,
    errors: FieldErrors,
}

async fn sources_page(chrome: Chrome, db: &Db, form: SourceForm, errors: FieldErrors) -> Page {
    let caller = chrome.caller.clone();
    let q = ListQuery {
        limit: Some(500),
        ..ListQuery::default()
    };
    let sources = db
        .run(move |c| crud::list::<Source>(c, &caller, &q))
        .await
        .map_err(|e| fail(&chrome, e))?;
    render(&SourcesView {
        chrome,
        sources,
        form,
        errors,
    })
}

#[get("/")]
async fn sources(chrome: Chrome, db: &State<Db>) -> Page {
    sources_page(
        chrome,
        db,
        <SourceForm as Default>::default(),
        FieldErrors::default(),
    )
    .await
}

#[post("/", data = "<form>")]
async fn add_source(
    chrome: Chrome,
    db: &State<Db>,
    form: Form<SourceForm>,
) -> Result<Redirect, HtmlError> {
    check_csrf(&chrome, &form.csrf)?;
    chrome
        .caller
        .require(UserRole::Editor)
        .map_err(|e| fail(&chrome, e))?;
    let (caller, f) = (chrome.caller.clone(), form.clone());
    let outcome = db
        .run(move |c| {
            let mut e = FieldErrors::default();
            let accessed_on = e.date("accessed_on", &f.accessed_on);
            if !e.is_empty() {
                return Ok(Err(e));
            }
            let source = Source {
                title: f.title.clone(),
                url: FieldErrors::text(&f.url),
                accessed_on,
            };
            form_outcome(
                crud::create(c, &caller, source),
                "title",
                "a source with this title is already registered",
            )
        })
        .await
        .map_err(|e| fail(&chrome, e))?;
    match outcome {
        Ok(()) => Ok(Redirect::to("/sources")),
        Err(errors) => Err(rejected(
            sources_page(chrome, db, form.into_inner(), errors).await,
            Status::UnprocessableEntity,
        )),
    }
}

pub fn organisation_routes() -> Vec<Route> {
    routes![relation_form, add_relation]
}

pub fn source_routes() -> Vec<Route> {
    routes![sources, add_source]
}

pub const LABELS: super::i18n::Labels = &[
    (
        "records.add_relation",
        "Beziehung hinzufügen",
        "Add a relation",
    ),
    ("records.approx_size", "Ungefähre Größe", "Approximate size"),
    ("records.sources", "Quellen", "Sources"),
    (
        "records.add_source",
        "Quelle eintragen",
        "Register a source",
    ),
    ("records.title", "Titel", "Title"),
    ("records.accessed_on", "Abgerufen am", "Accessed on"),
];
