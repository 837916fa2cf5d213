//! Fundings of an organisation: add one from its page, edit one.
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
use crate::web::{amount_text, render, Chrome, Page};

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
    /// A source to cite.
    pub cite: CiteForm,
}

impl FundingForm {
    fn from_record(f: &Funding, funder: String) -> FundingForm {
        let amount = amount_text(f.amount_min, f.amount_max);
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
        e.required("funder", &self.funder);
        let stored = keep.map(|k| k.funder_id.as_str());
        let funder = resolve_or_keep(conn, "funder", &self.funder, stored, &mut e);
        let (amount_min, amount_max) = e.amount_range("amount", &self.amount);
        let (start, end) = (e.date("start", &self.start), e.date("end", &self.end));
        e.required("status", &self.status);
        let status = e.choice::<FundingStatus>("status", &self.status);
        let funding = Funding {
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
        };
        e.check_record(&funding, RENAMES);
        match e.is_empty() {
            true => Ok(funding),
            false => Err(e),
        }
    }
}

/// Messages about record fields belong beside these form fields.
const RENAMES: &[(&str, &str)] = &[
    ("funder_id", "funder"),
    ("recipient_id", "funder"),
    ("amount_min", "amount"),
    ("amount_max", "amount"),
    ("currency", "amount"),
];

#[derive(Template)]
#[template(path = "funding_form.html")]
struct FundingView {
    chrome: Chrome,
    head: FormHead,
    form: FundingForm,
    errors: FieldErrors,
    names: Vec<String>,
    sources: Vec<String>,
}

impl OwnedLink for Funding {
    type Fields = FundingForm;
    const PATH: &'static str = "fundings";
    const TITLES: (&'static str, &'static str) = ("profile.add_funding", "links.edit_funding");
    const OTHER: (&'static str, &'static str, &'static str) =
        ("funder", "funder_id", "this funding is already registered");

    fn owner(&self) -> &str {
        &self.recipient_id
    }

    fn new_fields() -> FundingForm {
        FundingForm {
            status: FundingStatus::Granted.as_str().into(),
            // Unticked: only what the editor marks counts for "ending soon".
            project_bound: false,
            ..<FundingForm as Default>::default()
        }
    }

    fn fields(&self, conn: &mut DbConn) -> FundingForm {
        FundingForm::from_record(self, organisation_name(conn, &self.funder_id))
    }

    fn from_fields(
        fields: &FundingForm,
        conn: &mut DbConn,
        owner: String,
        keep: Option<&Self>,
    ) -> std::result::Result<Self, FieldErrors> {
        fields.to_domain(conn, owner, keep)
    }

    fn render(p: FormParts<FundingForm>) -> Page {
        render(&FundingView {
            chrome: p.chrome,
            head: p.head,
            form: p.form,
            errors: p.errors,
            names: p.names,
            sources: p.sources,
        })
    }

    fn cite(fields: &FundingForm) -> &CiteForm {
        &fields.cite
    }
}

form_routes!(
    new_form,
    create,
    "/organisations/<id>/fundings/new",
    FundingForm,
    |id| At::<Funding>::new(id)
);
form_routes!(
    edit_form,
    update,
    "/fundings/<id>/edit",
    FundingForm,
    |id| At::<Funding>::edit(id)
);

pub fn routes() -> Vec<Route> {
    routes![new_form, create, edit_form, update]
}
