//! Fundings of an organisation: add one from its page, edit one.
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
use crate::web::{amount, render, Chrome, Page};

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

impl FundingForm {
    fn from_record(f: &Funding, funder: String) -> FundingForm {
        let amount = match (f.amount_min, f.amount_max) {
            (None, None) => String::new(),
            (min, max) => amount(min, max, &f.currency),
        };
        FundingForm {
            funder,
            amount,
            programme: f.programme.clone().unwrap_or_default(),
            purpose: f.purpose.clone().unwrap_or_default(),
            start: f.start.map(|d| d.to_string()).unwrap_or_default(),
            end: f.end.map(|d| d.to_string()).unwrap_or_default(),
            project_bound: f.project_bound,
            status: f.status.as_str().into(),
            ..<FundingForm as Default>::default()
        }
    }

    /// The funding with the form's values; partners and citations are kept from `keep`.
    fn to_domain(
        &self,
        conn: &mut DbConn,
        recipient_id: String,
        keep: Option<&Funding>,
    ) -> std::result::Result<Funding, FieldErrors> {
        let mut e = FieldErrors::default();
        let funder = resolve_organisation(conn, "funder", &self.funder, &mut e);
        if self.funder.trim().is_empty() {
            e.add("funder", "is required");
        }
        let (amount_min, amount_max) = e.amount_range("amount", &self.amount);
        let (start, end) = (e.date("start", &self.start), e.date("end", &self.end));
        let status = e.choice::<FundingStatus>("status", &self.status);
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Funding {
            funder_id: funder.unwrap_or_default(),
            recipient_id,
            programme: FieldErrors::text(&self.programme),
            purpose: FieldErrors::text(&self.purpose),
            amount_min,
            amount_max,
            currency: keep.map_or("EUR".into(), |k| k.currency.clone()),
            start,
            end,
            project_bound: self.project_bound,
            status: status.unwrap_or(FundingStatus::Granted),
            co_applicant_ids: keep.map(|k| k.co_applicant_ids.clone()).unwrap_or_default(),
            carrier_ids: keep.map(|k| k.carrier_ids.clone()).unwrap_or_default(),
            citations: keep.map(|k| k.citations.clone()).unwrap_or_default(),
        })
    }
}

#[derive(Template)]
#[template(path = "funding_form.html")]
struct FundingView {
    chrome: Chrome,
    head: FormHead,
    form: FundingForm,
    errors: FieldErrors,
    names: Vec<String>,
}

/// A new funding for this recipient, or this funding edited.
#[derive(Clone)]
enum Place {
    New { recipient: String },
    Edit { funding: String },
}

impl LinkForm for Place {
    type Fields = FundingForm;

    fn context(&self, conn: &mut DbConn, caller: &Caller) -> Result<(FormHead, FundingForm)> {
        caller.require(UserRole::Editor)?;
        Ok(match self {
            Place::New { recipient } => {
                let name = crud::get::<Organisation>(conn, caller, recipient)?
                    .data
                    .name;
                let head = FormHead {
                    title: "profile.add_funding",
                    action: format!("/organisations/{recipient}/fundings/new"),
                    back_url: format!("/organisations/{recipient}"),
                    back_name: name,
                    duplicate: None,
                    delete: None,
                };
                let form = FundingForm {
                    status: FundingStatus::Granted.as_str().into(),
                    project_bound: true,
                    ..<FundingForm as Default>::default()
                };
                (head, form)
            }
            Place::Edit { funding } => {
                let f = crud::get::<Funding>(conn, caller, funding)?.data;
                let head = FormHead {
                    title: "links.edit_funding",
                    action: format!("/fundings/{funding}/edit"),
                    back_url: format!("/organisations/{}", f.recipient_id),
                    back_name: organisation_name(conn, &f.recipient_id),
                    duplicate: None,
                    delete: Some(format!("/fundings/{funding}/delete")),
                };
                let funder = organisation_name(conn, &f.funder_id);
                (head, FundingForm::from_record(&f, funder))
            }
        })
    }

    fn save(
        &self,
        conn: &mut DbConn,
        caller: &Caller,
        form: &FundingForm,
    ) -> Result<std::result::Result<String, Rejection>> {
        let (recipient, keep, id) = match self {
            Place::New { recipient } => (recipient.clone(), None, None),
            Place::Edit { funding } => {
                let keep = crud::get::<Funding>(conn, caller, funding)?.data;
                (keep.recipient_id.clone(), Some(keep), Some(funding))
            }
        };
        let funding = match form.to_domain(conn, recipient.clone(), keep.as_ref()) {
            Ok(f) => f,
            Err(errors) => return Ok(Err(errors.into())),
        };
        let saved = match id {
            Some(id) => crud::update(conn, caller, id, funding),
            None => crud::create(conn, caller, funding),
        };
        let outcome = form_outcome(saved, "funder", "this funding is already registered")?;
        Ok(outcome
            .map(|_| format!("/organisations/{recipient}"))
            .map_err(|mut r| {
                r.duplicate = r.duplicate.map(|id| format!("/fundings/{id}/edit"));
                r.errors.rename("funder_id", "funder");
                r
            }))
    }

    fn render(&self, p: FormParts<FundingForm>) -> Page {
        render(&FundingView {
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
    "/organisations/<id>/fundings/new",
    FundingForm,
    |id| Place::New {
        recipient: id.into()
    }
);
form_routes!(
    edit_form,
    update,
    "/fundings/<id>/edit",
    FundingForm,
    |id| Place::Edit { funding: id.into() }
);

pub fn routes() -> Vec<Route> {
    routes![new_form, create, edit_form, update]
}
