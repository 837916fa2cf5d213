//! Forms on an organisation's profile: add a person with a role, add a funding.
use askama::Template;
use diesel::Connection;
use rocket::form::{Form, FromForm};
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{get, post, routes, Route, State};

use super::auth::check_csrf;
use super::forms::{form_outcome, FieldErrors};
use super::organisations::{organisation_names, resolve_organisation};
use super::{fail, render, Chrome, HtmlError, Page};
use crate::app::Db;
use crate::domain::*;
use crate::error::Error;
use crate::service::{crud, Caller};

#[derive(Debug, Default, Clone, FromForm)]
pub struct PersonRoleForm {
    #[field(default = String::new())]
    pub csrf: String,
    #[field(default = String::new())]
    pub display_name: String,
    #[field(default = String::new())]
    pub visibility: String,
    #[field(default = false)]
    pub is_pseudonym: bool,
    #[field(default = String::new())]
    pub role: String,
    #[field(default = String::new())]
    pub title: String,
    #[field(default = String::new())]
    pub start: String,
    #[field(default = String::new())]
    pub end: String,
    #[field(default = false)]
    pub paid: bool,
    #[field(default = false)]
    pub project_bound: bool,
    pub fields_of_work: Vec<String>,
}

#[derive(Debug, Default, Clone, FromForm)]
pub struct FundingForm {
    #[field(default = String::new())]
    pub csrf: String,
    #[field(default = String::new())]
    pub funder: String,
    #[field(default = String::new())]
    pub amount: String,
    #[field(default = String::new())]
    pub programme: String,
    #[field(default = String::new())]
    pub purpose: String,
    #[field(default = String::new())]
    pub start: String,
    #[field(default = String::new())]
    pub end: String,
    #[field(default = false)]
    pub project_bound: bool,
    #[field(default = String::new())]
    pub status: String,
}

#[derive(Template)]
#[template(path = "person_role_form.html")]
struct PersonRoleView {
    chrome: Chrome,
    org_id: String,
    org_name: String,
    form: PersonRoleForm,
    errors: FieldErrors,
}

impl PersonRoleView {
    fn has(&self, value: &str) -> bool {
        self.form.fields_of_work.iter().any(|v| v == value)
    }
}

#[derive(Template)]
#[template(path = "funding_form.html")]
struct FundingView {
    chrome: Chrome,
    org_id: String,
    org_name: String,
    form: FundingForm,
    errors: FieldErrors,
    names: Vec<String>,
}

/// The name of an organisation the caller may edit (401/403/404 pages otherwise).
pub(crate) async fn org_name(chrome: &Chrome, db: &Db, id: &str) -> Result<String, HtmlError> {
    chrome
        .caller
        .require(UserRole::Editor)
        .map_err(|e| fail(chrome, e))?;
    let (caller, key) = (chrome.caller.clone(), id.to_string());
    db.run(move |c| Ok(crud::get::<Organisation>(c, &caller, &key)?.data.name))
        .await
        .map_err(|e| fail(chrome, e))
}

/// Re-renders a form with its field errors and the status that fits them.
pub(crate) fn rejected(page: Page, status: Status) -> HtmlError {
    match page {
        Ok(html) => HtmlError {
            status,
            html: html.0,
        },
        Err(e) => e,
    }
}

#[get("/<id>/people/new")]
async fn person_form(chrome: Chrome, db: &State<Db>, id: &str) -> Page {
    let org_name = org_name(&chrome, db, id).await?;
    let form = PersonRoleForm {
        visibility: "restricted".into(),
        ..Default::default()
    };
    render(&PersonRoleView {
        chrome,
        org_id: id.into(),
        org_name,
        form,
        errors: FieldErrors::default(),
    })
}

/// Creates the person and the affiliation in one transaction: both or neither.
#[post("/<id>/people/new", data = "<form>")]
async fn add_person(
    chrome: Chrome,
    db: &State<Db>,
    id: &str,
    form: Form<PersonRoleForm>,
) -> Result<Redirect, HtmlError> {
    check_csrf(&chrome, &form.csrf)?;
    let org_name = org_name(&chrome, db, id).await?;
    let (caller, org, f) = (chrome.caller.clone(), id.to_string(), form.clone());
    let outcome = db
        .run(move |c| Ok(save_person_role(c, &caller, &org, &f)))
        .await
        .map_err(|e| fail(&chrome, e))?;
    match outcome {
        Ok(()) => Ok(Redirect::to(format!("/organisations/{id}"))),
        Err(Error::Validation(list)) => {
            let view = PersonRoleView {
                chrome,
                org_id: id.into(),
                org_name,
                form: form.into_inner(),
                errors: FieldErrors(list),
            };
            Err(rejected(render(&view), Status::UnprocessableEntity))
        }
        Err(Error::Conflict { .. }) => {
            let mut errors = FieldErrors::default();
            errors.add(
                "display_name",
                "a person with this name is already registered",
            );
            let view = PersonRoleView {
                chrome,
                org_id: id.into(),
                org_name,
                form: form.into_inner(),
                errors,
            };
            Err(rejected(render(&view), Status::Conflict))
        }
        Err(other) => Err(fail(&chrome, other)),
    }
}

fn save_person_role(
    conn: &mut crate::db::DbConn,
    caller: &Caller,
    org: &str,
    f: &PersonRoleForm,
) -> Result<(), Error> {
    let mut e = FieldErrors::default();
    let visibility = e
        .choice::<Visibility>("visibility", &f.visibility)
        .unwrap_or(Visibility::Restricted);
    let role = e.choice::<Role>("role", &f.role);
    if f.role.trim().is_empty() {
        e.add("role", "is required");
    }
    let (start, end) = (e.date("start", &f.start), e.date("end", &f.end));
    let fields_of_work = e.choices("fields_of_work", &f.fields_of_work);
    if !e.is_empty() {
        return Err(Error::Validation(e.0));
    }
    let person = Person {
        display_name: f.display_name.clone(),
        is_pseudonym: f.is_pseudonym,
        visibility,
        notes: None,
        citations: Vec::new(),
    };
    conn.transaction(|c| {
        let person_id = crud::create(c, caller, person)?.id;
        let affiliation = Affiliation {
            person_id,
            organisation_id: org.to_string(),
            role: role.unwrap_or(Role::Member),
            title: FieldErrors::text(&f.title),
            start,
            end,
            paid: Some(f.paid),
            project_bound: f.project_bound,
            fields_of_work,
            funding_id: None,
            citations: Vec::new(),
        };
        crud::create(c, caller, affiliation).map(|_| ())
    })
}

#[get("/<id>/fundings/new")]
async fn funding_form(chrome: Chrome, db: &State<Db>, id: &str) -> Page {
    let org_name = org_name(&chrome, db, id).await?;
    let names = organisation_names(db).await;
    let form = FundingForm {
        status: "granted".into(),
        project_bound: true,
        ..Default::default()
    };
    render(&FundingView {
        chrome,
        org_id: id.into(),
        org_name,
        form,
        errors: FieldErrors::default(),
        names,
    })
}

#[post("/<id>/fundings/new", data = "<form>")]
async fn add_funding(
    chrome: Chrome,
    db: &State<Db>,
    id: &str,
    form: Form<FundingForm>,
) -> Result<Redirect, HtmlError> {
    check_csrf(&chrome, &form.csrf)?;
    let org_name = org_name(&chrome, db, id).await?;
    let (caller, org, f) = (chrome.caller.clone(), id.to_string(), form.clone());
    let outcome = db
        .run(move |c| {
            let mut e = FieldErrors::default();
            let funder = resolve_organisation(c, "funder", &f.funder, &mut e);
            if f.funder.trim().is_empty() {
                e.add("funder", "is required");
            }
            let (amount_min, amount_max) = e.amount_range("amount", &f.amount);
            let (start, end) = (e.date("start", &f.start), e.date("end", &f.end));
            let status = e.choice::<FundingStatus>("status", &f.status);
            if !e.is_empty() {
                return Ok(Err(e));
            }
            let funding = Funding {
                funder_id: funder.unwrap_or_default(),
                recipient_id: org,
                programme: FieldErrors::text(&f.programme),
                purpose: FieldErrors::text(&f.purpose),
                amount_min,
                amount_max,
                currency: "EUR".into(),
                start,
                end,
                project_bound: f.project_bound,
                status: status.unwrap_or(FundingStatus::Granted),
                co_applicant_ids: Vec::new(),
                carrier_ids: Vec::new(),
                citations: Vec::new(),
            };
            form_outcome(
                crud::create(c, &caller, funding),
                "funder",
                "this funding is already registered",
            )
        })
        .await
        .map_err(|e| fail(&chrome, e))?;
    match outcome {
        Ok(()) => Ok(Redirect::to(format!("/organisations/{id}"))),
        Err(errors) => {
            let names = organisation_names(db).await;
            let view = FundingView {
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

pub fn routes() -> Vec<Route> {
    routes![person_form, add_person, funding_form, add_funding]
}
