//! Sources: the list with a form to register one, and a form to edit one.
use askama::Template;
use rocket::form::{Form, FromForm};
use rocket::response::Redirect;
use rocket::{get, post, routes, Route, State};

use super::auth::check_csrf;
use super::forms::{form_outcome, with_done, Done, FieldErrors, FormHead, Rejection};
use super::links::{editor, form_routes, rejected, FormParts, LinkForm};
use super::{fail, render, Chrome, HtmlError, Page};
use crate::db::{Db, DbConn};
use crate::domain::*;
use crate::error::Result;
use crate::service::{crud, Caller, ListQuery, Page as ListPage};

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

impl SourceForm {
    fn from_record(s: &Source) -> SourceForm {
        SourceForm {
            title: s.title.clone(),
            url: s.url.clone().unwrap_or_default(),
            accessed_on: s.accessed_on.map(|d| d.to_string()).unwrap_or_default(),
            ..<SourceForm as Default>::default()
        }
    }

    fn to_domain(&self) -> std::result::Result<Source, FieldErrors> {
        let mut e = FieldErrors::default();
        let accessed_on = e.date("accessed_on", &self.accessed_on);
        let source = Source {
            title: self.title.clone(),
            url: FieldErrors::text(&self.url),
            accessed_on,
        };
        // The record's own rules too (title required, URL), so every problem shows at once.
        e.check_record(&source, &[]);
        if e.is_empty() {
            Ok(source)
        } else {
            Err(e)
        }
    }
}

/// Creates or updates a source from the form.
fn save_source(
    conn: &mut DbConn,
    caller: &Caller,
    id: Option<&str>,
    form: &SourceForm,
) -> Result<std::result::Result<String, Rejection>> {
    let source = match form.to_domain() {
        Ok(s) => s,
        Err(errors) => return Ok(Err(errors.into())),
    };
    let saved = match id {
        Some(id) => crud::update(conn, caller, id, source),
        None => crud::create(conn, caller, source),
    };
    let outcome = form_outcome(
        saved,
        "title",
        "a source with this title is already registered",
    )?;
    Ok(outcome.map(|_| "/sources".into()).map_err(|mut r| {
        r.duplicate = r.duplicate.map(|id| format!("/sources/{id}/edit"));
        r
    }))
}

#[derive(Template)]
#[template(path = "sources.html")]
struct SourcesView {
    chrome: Chrome,
    sources: ListPage<Record<Source>>,
    deleted: Vec<Record<Source>>,
    form: SourceForm,
    errors: FieldErrors,
    duplicate: Option<String>,
}

async fn sources_page(chrome: Chrome, db: &Db, form: SourceForm, rejection: Rejection) -> Page {
    let (caller, editing) = (chrome.caller.clone(), chrome.can_edit());
    let (sources, deleted) = db
        .run(move |c| {
            // The page has no pager: it is the one list of all sources, so it shows each.
            let items = crud::list_all::<Source>(c, &caller, &ListQuery::default())?;
            let sources = ListPage {
                total: items.len() as i64,
                items,
            };
            let deleted = match editing {
                true => {
                    let q = ListQuery {
                        deleted: true,
                        ..ListQuery::default()
                    };
                    crud::list_all::<Source>(c, &caller, &q)?
                }
                false => Vec::new(),
            };
            Ok((sources, deleted))
        })
        .await
        .map_err(|e| fail(&chrome, e))?;
    render(&SourcesView {
        chrome,
        sources,
        deleted,
        form,
        errors: rejection.errors,
        duplicate: rejection.duplicate,
    })
}

#[get("/")]
async fn sources(chrome: Chrome, db: &State<Db>) -> Page {
    sources_page(
        chrome,
        db,
        <SourceForm as Default>::default(),
        Rejection::default(),
    )
    .await
}

#[post("/", data = "<form>")]
async fn add_source(
    chrome: Chrome,
    db: &State<Db>,
    form: Form<SourceForm>,
) -> std::result::Result<Redirect, HtmlError> {
    check_csrf(&chrome, &form.csrf)?;
    editor(&chrome)?;
    let (caller, f) = (chrome.caller.clone(), form.clone());
    let outcome = db
        .run(move |c| save_source(c, &caller, None, &f))
        .await
        .map_err(|e| fail(&chrome, e))?;
    match outcome {
        Ok(next) => Ok(Redirect::to(with_done(&next, Done::Saved))),
        Err(rejection) => {
            let status = rejection.status();
            let page = sources_page(chrome, db, form.into_inner(), rejection).await;
            Err(rejected(page, status))
        }
    }
}

#[derive(Template)]
#[template(path = "source_form.html")]
struct SourceFormView {
    chrome: Chrome,
    head: FormHead,
    form: SourceForm,
    errors: FieldErrors,
}

/// The edit form of one source.
#[derive(Clone)]
struct EditSource(String);

impl LinkForm for EditSource {
    type Fields = SourceForm;

    fn context(&self, conn: &mut DbConn, caller: &Caller) -> Result<(FormHead, SourceForm)> {
        caller.require(UserRole::Editor)?;
        let source = crud::get::<Source>(conn, caller, &self.0)?.data;
        let head = FormHead {
            title: "links.edit_source",
            action: format!("/sources/{}/edit", self.0),
            back_url: "/sources".into(),
            back_name: source.title.clone(),
            duplicate: None,
            delete: Some(format!("/sources/{}/delete", self.0)),
            person: None,
            shows_person: None,
        };
        Ok((head, SourceForm::from_record(&source)))
    }

    fn save(
        &self,
        conn: &mut DbConn,
        caller: &Caller,
        form: &SourceForm,
    ) -> Result<std::result::Result<String, Rejection>> {
        save_source(conn, caller, Some(&self.0), form)
    }

    fn render(&self, p: FormParts<SourceForm>) -> Page {
        render(&SourceFormView {
            chrome: p.chrome,
            head: p.head,
            form: p.form,
            errors: p.errors,
        })
    }

    fn suggests_organisations(&self) -> bool {
        false
    }
}

form_routes!(
    edit_form,
    update,
    "/<id>/edit",
    SourceForm,
    |id| EditSource(id.into())
);

pub fn source_routes() -> Vec<Route> {
    routes![sources, add_source, edit_form, update]
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
