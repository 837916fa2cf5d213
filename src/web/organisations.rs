//! Organisation pages: list with filters, profile, register/edit form, delete, restore.
use std::sync::Arc;

use askama::Template;
use rocket::form::{Form, FromForm};
use rocket::response::Redirect;
use rocket::{get, post, routes, Route, State};

use super::auth::check_csrf;
use super::forms::cite::{self, in_transaction};
use super::forms::{with_done, Done, FieldErrors, FormHead};
use super::{fail, removal, render, Chrome, HtmlError, Page};
use crate::db::{Db, DbConn};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::graph::query::{self, Params};
use crate::graph::{dependencies, overlaps, GraphState, Viewer};
use crate::service::{crud, ListQuery, Page as ListPage};

mod form;
mod profile_page;
use form::OrgForm;
pub(crate) use form::{organisation_names, resolve_or_keep, resolve_organisation};
use profile_page::profile;

const PAGE_SIZE: i64 = 25;

#[derive(Template)]
#[template(path = "organisations.html")]
struct ListView {
    chrome: Chrome,
    q: String,
    kind: String,
    city: String,
    status: String,
    umbrella: String,
    umbrellas: Vec<(String, String)>,
    page: i64,
    pages: i64,
    result: ListPage<Record<Organisation>>,
}

/// A filter value inside an address.
fn enc(s: &str) -> String {
    s.replace('%', "%25")
        .replace('&', "%26")
        .replace(' ', "+")
        .replace('#', "%23")
}

impl ListView {
    /// The list's filters that the record exports read (the network view's `kind`,
    /// `city`, `umbrella`; search and status are the list's own).
    fn export_query(&self) -> String {
        [
            ("kind", &self.kind),
            ("city", &self.city),
            ("umbrella", &self.umbrella),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&")
    }

    fn link(&self, page: i64) -> String {
        format!(
            "/organisations?q={}&kind={}&city={}&status={}&umbrella={}&page={page}",
            enc(&self.q),
            enc(&self.kind),
            enc(&self.city),
            enc(&self.status),
            enc(&self.umbrella)
        )
    }
}

#[allow(clippy::too_many_arguments)]
#[get("/?<q>&<kind>&<city>&<status>&<umbrella>&<page>")]
async fn list(
    chrome: Chrome,
    db: &State<Db>,
    q: Option<String>,
    kind: Option<String>,
    city: Option<String>,
    status: Option<String>,
    umbrella: Option<String>,
    page: Option<i64>,
) -> Page {
    let page = page.unwrap_or(1).max(1);
    let query = ListQuery {
        q: q.clone(),
        kind: kind.clone(),
        city: city.clone(),
        status: status.clone(),
        umbrella: umbrella.clone(),
        limit: Some(PAGE_SIZE),
        offset: Some((page - 1) * PAGE_SIZE),
        ..ListQuery::default()
    };
    let caller = chrome.caller.clone();
    let loaded = db
        .run(move |c| {
            let umbrellas = umbrella_choices(c)?;
            Ok((crud::list::<Organisation>(c, &caller, &query)?, umbrellas))
        })
        .await;
    let (result, umbrellas) = loaded.map_err(|e| fail(&chrome, e))?;
    render(&ListView {
        pages: ((result.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        chrome,
        q: q.unwrap_or_default(),
        kind: kind.unwrap_or_default(),
        city: city.unwrap_or_default(),
        status: status.unwrap_or_default(),
        umbrella: umbrella.unwrap_or_default(),
        umbrellas,
        page,
        result,
    })
}

/// Umbrella associations to filter by: (id, name).
fn umbrella_choices(conn: &mut DbConn) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for kind in [
        OrgKind::StateAssociation,
        OrgKind::FederalAssociation,
        OrgKind::EuropeanAssociation,
    ] {
        let q = ListQuery {
            kind: Some(kind.as_str().into()),
            ..ListQuery::default()
        };
        out.extend(
            crud::list_all::<Organisation>(conn, &crate::service::Caller::System, &q)?
                .into_iter()
                .map(|r| (r.id, r.data.name)),
        );
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "organisation_form.html")]
struct FormView {
    chrome: Chrome,
    head: FormHead,
    form: OrgForm,
    errors: FieldErrors,
    duplicate: Option<(String, String)>,
    names: Vec<String>,
    /// Source titles for the citation field.
    sources: Vec<String>,
}

impl FormView {
    fn has(&self, list: &[String], value: &str) -> bool {
        list.iter().any(|v| v == value)
    }
}

/// The heading, the way back and where to post: a new organisation, or this one edited
/// (`name` is its stored name).
fn head(id: Option<&str>, name: String) -> FormHead {
    let (title, action, back_url, delete) = match id {
        Some(id) => (
            "orgs.edit_title",
            format!("/organisations/{id}/edit"),
            format!("/organisations/{id}"),
            Some(format!("/organisations/{id}/delete")),
        ),
        None => (
            "orgs.new",
            "/organisations/new".into(),
            "/organisations".into(),
            None,
        ),
    };
    FormHead {
        title,
        action,
        back_url,
        back_name: name,
        duplicate: None,
        delete,
        person: None,
        shows_person: None,
    }
}

async fn form_page(
    chrome: Chrome,
    db: &Db,
    id: Option<&str>,
    form: OrgForm,
    errors: FieldErrors,
    duplicate: Option<(String, String)>,
) -> Page {
    let names = form::organisation_names(db).await;
    let sources = cite::source_titles(db).await;
    let name = match id {
        Some(id) => {
            let key = id.to_string();
            db.run(move |c| Ok(removal::organisation_name(c, &key)))
                .await
                .unwrap_or_default()
        }
        None => String::new(),
    };
    render(&FormView {
        head: head(id, name),
        chrome,
        form,
        errors,
        duplicate,
        names,
        sources,
    })
}

#[get("/new")]
async fn new_form(chrome: Chrome, db: &State<Db>) -> Page {
    chrome
        .caller
        .require(UserRole::Editor)
        .map_err(|e| fail(&chrome, e))?;
    form_page(
        chrome,
        db,
        None,
        <OrgForm as Default>::default(),
        FieldErrors::default(),
        None,
    )
    .await
}

/// A form's refusal: the messages, and the existing organisation it duplicates (id, name).
type Refusal = (FieldErrors, Option<(String, String)>);

/// A save as the form sees it: the saved id, or why it was refused.
fn outcome(
    c: &mut DbConn,
    caller: &crate::service::Caller,
    saved: Result<Record<Organisation>>,
) -> Result<std::result::Result<String, Refusal>> {
    match saved {
        Ok(r) => Ok(Ok(r.id)),
        Err(Error::Validation(list)) => {
            let mut errors = FieldErrors(list);
            errors.rename("parent_id", "parent");
            Ok(Err((errors, None)))
        }
        Err(Error::Conflict {
            existing_id: Some(existing),
            ..
        }) => {
            let name = crud::get::<Organisation>(c, caller, &existing)
                .map(|r| r.data.name)
                .unwrap_or_default();
            Ok(Err((FieldErrors::default(), Some((existing, name)))))
        }
        Err(other) => Err(other),
    }
}

/// Saves a form (create if `id` is None) and shows the profile with "saved"; on bad
/// input re-renders the form with every message at once.
async fn save(
    chrome: Chrome,
    db: &Db,
    id: Option<String>,
    form: OrgForm,
) -> Result<Redirect, HtmlError> {
    check_csrf(&chrome, &form.csrf)?;
    chrome
        .caller
        .require(UserRole::Editor)
        .map_err(|e| fail(&chrome, e))?;
    let (caller, f, target) = (chrome.caller.clone(), form.clone(), id.clone());
    let outcome = db
        .run(move |c| {
            let keep = match &target {
                Some(id) => Some(crud::get::<Organisation>(c, &caller, id)?.data),
                None => None,
            };
            let (mut org, cite) = match f.to_domain(c, keep.as_ref()) {
                Ok(parsed) => parsed,
                Err(errors) => return Ok(Err((errors, None))),
            };
            in_transaction(c, |c| {
                cite::apply(c, &caller, cite.as_ref(), &mut org)?;
                let saved = match &target {
                    Some(id) => crud::update(c, &caller, id, org),
                    None => crud::create(c, &caller, org),
                };
                outcome(c, &caller, saved)
            })
        })
        .await
        .map_err(|e| fail(&chrome, e))?;
    match outcome {
        Ok(id) => Ok(Redirect::to(with_done(
            &format!("/organisations/{id}"),
            Done::Saved,
        ))),
        Err((errors, duplicate)) => {
            let status = if duplicate.is_some() {
                rocket::http::Status::Conflict
            } else {
                rocket::http::Status::UnprocessableEntity
            };
            let page = form_page(chrome, db, id.as_deref(), form, errors, duplicate).await?;
            Err(HtmlError {
                status,
                html: page.0,
            })
        }
    }
}

#[post("/new", data = "<form>")]
async fn create(
    chrome: Chrome,
    db: &State<Db>,
    form: Form<OrgForm>,
) -> Result<Redirect, HtmlError> {
    save(chrome, db, None, form.into_inner()).await
}

#[get("/<id>/edit")]
async fn edit_form(chrome: Chrome, db: &State<Db>, id: &str) -> Page {
    chrome
        .caller
        .require(UserRole::Editor)
        .map_err(|e| fail(&chrome, e))?;
    let (caller, key) = (chrome.caller.clone(), id.to_string());
    let form = db
        .run(move |c| {
            let r = crud::get::<Organisation>(c, &caller, &key)?;
            let parent = match &r.data.parent_id {
                Some(p) => crud::get::<Organisation>(c, &caller, p)
                    .ok()
                    .map(|p| p.data.name),
                None => None,
            };
            Ok(OrgForm::from_record(&r, parent))
        })
        .await
        .map_err(|e| fail(&chrome, e))?;
    form_page(chrome, db, Some(id), form, FieldErrors::default(), None).await
}

#[post("/<id>/edit", data = "<form>")]
async fn update(
    chrome: Chrome,
    db: &State<Db>,
    id: &str,
    form: Form<OrgForm>,
) -> Result<Redirect, HtmlError> {
    save(chrome, db, Some(id.to_string()), form.into_inner()).await
}

#[derive(FromForm)]
pub(crate) struct CsrfOnly {
    #[field(default = String::new())]
    pub(crate) csrf: String,
}

/// Graph answers shown on the profile, from the current snapshot.
/// An organisation's dependencies and staff overlaps at organisation level (kinds and
/// counts, no persons), through the query layer as every graph read.
pub(crate) fn graph_facts(
    graph: &GraphState,
    id: &str,
) -> (Vec<dependencies::Dependency>, Vec<overlaps::StaffOverlap>) {
    let s = graph.current();
    let params = Params::new([("organisation", id)]);
    let depends_on = query::ask::<query::DependsOnRequest>(&s, &params, Viewer::Anonymous);
    let staff = query::ask::<query::StaffOverlaps>(&s, &params, Viewer::Anonymous);
    match (depends_on, staff) {
        (Ok(d), Ok(o)) => (d.body.depends_on, o.body.overlaps),
        // Not in the snapshot (deleted, or just created and not there yet).
        _ => (Vec::new(), Vec::new()),
    }
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, profile, edit_form, update,]
}

pub(crate) type GraphHandle = Arc<GraphState>;
