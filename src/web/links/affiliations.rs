//! Roles of persons at organisations (affiliations): a new person with a role from an
//! organisation's page, a role at another organisation from a person's page (that is how
//! a tandem gets recorded), and editing a role.
use askama::Template;
use rocket::form::FromForm;
use rocket::{routes, Route};

use super::{form_routes, FormParts, LinkForm};
use crate::db::DbConn;
use crate::domain::*;
use crate::error::Result;
use crate::service::{crud, Caller};
use crate::web::forms::cite::{self, in_transaction};
use crate::web::forms::{form_outcome, CiteForm, FieldErrors, FormHead, Rejection, CHOICE};
use crate::web::organisations::resolve_organisation;
use crate::web::persons::PersonForm;
use crate::web::removal::organisation_name;
use crate::web::{render, Chrome, Page};

/// Messages about the record's links belong beside these form fields.
const RENAMES: &[(&str, &str)] = &[("organisation_id", "organisation")];

/// The role form as typed. The person fields are used when a new person is added, the
/// organisation field when a role is added from a person's page.
#[derive(Debug, Default, Clone, FromForm)]
pub struct RoleForm {
    #[field(default = String::new())]
    pub csrf: String,
    #[field(default = String::new())]
    pub display_name: String,
    #[field(default = String::new())]
    pub visibility: String,
    #[field(default = false)]
    pub is_pseudonym: bool,
    #[field(default = String::new())]
    pub organisation: String,
    #[field(default = String::new())]
    pub role: String,
    #[field(default = String::new())]
    pub title: String,
    #[field(default = String::new())]
    pub start: String,
    #[field(default = String::new())]
    pub end: String,
    /// `true`, `false`, or empty for not known.
    #[field(default = String::new())]
    pub paid: String,
    #[field(default = false)]
    pub project_bound: bool,
    pub fields_of_work: Vec<String>,
    /// A source to cite for the role (and a new person).
    pub cite: CiteForm,
}

impl RoleForm {
    fn from_record(a: &Affiliation) -> RoleForm {
        RoleForm {
            role: a.role.as_str().into(),
            title: a.title.clone().unwrap_or_default(),
            start: a.start.map(|d| d.to_string()).unwrap_or_default(),
            end: a.end.map(|d| d.to_string()).unwrap_or_default(),
            paid: a.paid.map(|p| p.to_string()).unwrap_or_default(),
            project_bound: a.project_bound,
            fields_of_work: a
                .fields_of_work
                .iter()
                .map(|f| f.as_str().to_string())
                .collect(),
            ..<RoleForm as Default>::default()
        }
    }

    /// The affiliation with the form's role fields; what the form does not show (the
    /// funding it is paid from, citations) is kept from `keep`.
    fn affiliation(
        &self,
        e: &mut FieldErrors,
        person_id: String,
        organisation_id: String,
        keep: Option<&Affiliation>,
    ) -> Affiliation {
        e.required("role", &self.role);
        let role = e.choice::<Role>("role", &self.role);
        let affiliation = Affiliation {
            person_id,
            organisation_id,
            role: role.unwrap_or(Role::Member),
            title: FieldErrors::text(&self.title),
            start: e.date("start", &self.start),
            end: e.date("end", &self.end),
            paid: match self.paid.trim() {
                "" => None,
                "true" => Some(true),
                "false" => Some(false),
                _ => {
                    e.add("paid", CHOICE);
                    None
                }
            },
            project_bound: self.project_bound,
            fields_of_work: e.choices("fields_of_work", &self.fields_of_work),
            funding_id: keep.and_then(|k| k.funding_id.clone()),
            citations: keep.map(|k| k.citations.clone()).unwrap_or_default(),
        };
        e.check_record(&affiliation, RENAMES);
        affiliation
    }

    /// The new person, checked as on the person form.
    fn person(&self, e: &mut FieldErrors) -> Option<Person> {
        let form = PersonForm {
            display_name: self.display_name.clone(),
            visibility: self.visibility.clone(),
            is_pseudonym: self.is_pseudonym,
            ..<PersonForm as Default>::default()
        };
        form.to_domain(None)
            .map_err(|errors| e.0.extend(errors.0))
            .ok()
    }
}

#[derive(Template)]
#[template(path = "role_form.html")]
struct RoleView {
    chrome: Chrome,
    head: FormHead,
    /// Shows the fields of a new person.
    new_person: bool,
    /// Shows the organisation search field.
    pick_organisation: bool,
    form: RoleForm,
    errors: FieldErrors,
    names: Vec<String>,
    /// A new person's organisation, posted along so the role can go to an existing person
    /// instead.
    organisation: Option<String>,
    /// The person of the same name that refused a new person: the form offers to give
    /// the role (as typed) to that person.
    existing_person: Option<String>,
    /// Source titles for the citation field.
    sources: Vec<String>,
}

impl RoleView {
    fn has(&self, value: &str) -> bool {
        self.form.fields_of_work.iter().any(|v| v == value)
    }
}

/// Where a role form is, which decides its fields and what a save does.
#[derive(Clone)]
enum Place {
    /// A new person with a role at this organisation.
    NewPerson { organisation: String },
    /// A role of this person at an organisation chosen on the form.
    ForPerson { person: String },
    /// This affiliation, edited.
    Edit { affiliation: String },
}

struct Context {
    head: FormHead,
    form: RoleForm,
}

/// The heading, the way back and the stored values for a role form at `place`.
fn context(conn: &mut DbConn, caller: &Caller, place: &Place) -> Result<Context> {
    caller.require(UserRole::Editor)?;
    let head = |title, action: String, back_url: String, back_name| FormHead {
        title,
        action,
        back_url,
        back_name,
        duplicate: None,
        delete: None,
        person: None,
        shows_person: None,
    };
    Ok(match place {
        Place::NewPerson { organisation } => {
            let name = crud::get::<Organisation>(conn, caller, organisation)?
                .data
                .name;
            Context {
                head: head(
                    "profile.add_person",
                    format!("/organisations/{organisation}/people/new"),
                    format!("/organisations/{organisation}"),
                    name,
                ),
                form: RoleForm {
                    visibility: Visibility::Restricted.as_str().into(),
                    ..<RoleForm as Default>::default()
                },
            }
        }
        Place::ForPerson { person } => {
            let name = crud::get::<Person>(conn, caller, person)?.data.display_name;
            Context {
                head: FormHead {
                    shows_person: Some(person.clone()),
                    ..head(
                        "links.add_role",
                        format!("/persons/{person}/roles/new"),
                        format!("/persons/{person}"),
                        name,
                    )
                },
                form: <RoleForm as Default>::default(),
            }
        }
        Place::Edit { affiliation } => {
            let a = crud::get::<Affiliation>(conn, caller, affiliation)?.data;
            let person = crud::get::<Person>(conn, caller, &a.person_id)?.data;
            let org = organisation_name(conn, &a.organisation_id);
            Context {
                head: FormHead {
                    delete: Some(format!("/affiliations/{affiliation}/delete")),
                    person: Some((a.person_id.clone(), person.display_name)),
                    ..head(
                        "links.edit_role",
                        format!("/affiliations/{affiliation}/edit"),
                        format!("/organisations/{}", a.organisation_id),
                        org,
                    )
                },
                form: RoleForm::from_record(&a),
            }
        }
    })
}

/// Saves the form at `place`; returns the page to go to, or why it was not saved.
fn save(
    conn: &mut DbConn,
    caller: &Caller,
    place: &Place,
    f: &RoleForm,
) -> Result<std::result::Result<String, Rejection>> {
    let mut e = FieldErrors::default();
    match place {
        Place::NewPerson { organisation } => {
            let person = f.person(&mut e);
            let draft = f.affiliation(&mut e, String::new(), organisation.clone(), None);
            let cite = f.cite.parse(&mut e);
            let (Some(mut person), true) = (person, e.is_empty()) else {
                return Ok(Err(e.into()));
            };
            // The person, the role and a new source are saved together or not at all.
            in_transaction(conn, |c| {
                cite::apply(c, caller, cite.as_ref(), &mut person)?;
                let person = form_outcome(
                    crud::create(c, caller, person),
                    "display_name",
                    "a person with this name is already registered",
                )?;
                let person_id = match person {
                    Ok(id) => id,
                    Err(mut rejection) => {
                        rejection.duplicate =
                            rejection.duplicate.map(|id| format!("/persons/{id}"));
                        return Ok(Err(rejection));
                    }
                };
                let mut affiliation = Affiliation { person_id, ..draft };
                cite::apply(c, caller, cite.as_ref(), &mut affiliation)?;
                let outcome = form_outcome(
                    crud::create(c, caller, affiliation),
                    "role",
                    "this role is already registered",
                )?;
                Ok(outcome
                    .map(|_| format!("/organisations/{organisation}"))
                    .map_err(|r| Rejection::from(r.errors)))
            })
        }
        Place::ForPerson { person } => {
            e.required("organisation", &f.organisation);
            let organisation = resolve_organisation(conn, "organisation", &f.organisation, &mut e);
            let mut affiliation = f.affiliation(
                &mut e,
                person.clone(),
                organisation.unwrap_or_default(),
                None,
            );
            let cite = f.cite.parse(&mut e);
            if !e.is_empty() {
                return Ok(Err(e.into()));
            }
            in_transaction(conn, |c| {
                cite::apply(c, caller, cite.as_ref(), &mut affiliation)?;
                let outcome = form_outcome(
                    crud::create(c, caller, affiliation),
                    "organisation",
                    "this role is already registered",
                )?;
                Ok(outcome
                    .map(|_| format!("/persons/{person}"))
                    .map_err(|r| to_edit_page(r, "organisation_id", "organisation")))
            })
        }
        Place::Edit { affiliation: id } => {
            let keep = crud::get::<Affiliation>(conn, caller, id)?.data;
            let mut affiliation = f.affiliation(
                &mut e,
                keep.person_id.clone(),
                keep.organisation_id.clone(),
                Some(&keep),
            );
            let cite = f.cite.parse(&mut e);
            if !e.is_empty() {
                return Ok(Err(e.into()));
            }
            in_transaction(conn, |c| {
                cite::apply(c, caller, cite.as_ref(), &mut affiliation)?;
                let outcome = form_outcome(
                    crud::update(c, caller, id, affiliation),
                    "role",
                    "this role is already registered",
                )?;
                Ok(outcome
                    .map(|_| format!("/organisations/{}", keep.organisation_id))
                    .map_err(|r| to_edit_page(r, "organisation_id", "organisation")))
            })
        }
    }
}

/// A rejected affiliation: the duplicate becomes a link to its edit page, and a record
/// field name becomes the form's field name.
fn to_edit_page(mut r: Rejection, record_field: &str, form_field: &str) -> Rejection {
    r.duplicate = r.duplicate.map(|id| format!("/affiliations/{id}/edit"));
    r.errors.rename(record_field, form_field);
    r
}

impl LinkForm for Place {
    type Fields = RoleForm;

    fn context(&self, conn: &mut DbConn, caller: &Caller) -> Result<(FormHead, RoleForm)> {
        let Context { head, form } = context(conn, caller, self)?;
        Ok((head, form))
    }

    fn save(
        &self,
        conn: &mut DbConn,
        caller: &Caller,
        form: &RoleForm,
    ) -> Result<std::result::Result<String, Rejection>> {
        save(conn, caller, self, form)
    }

    fn render(&self, p: FormParts<RoleForm>) -> Page {
        let organisation = match self {
            Place::NewPerson { organisation } => Some(organisation.clone()),
            _ => None,
        };
        // A new person refused as a duplicate links to the existing one (`/persons/{id}`).
        let existing_person = match (&organisation, &p.head.duplicate) {
            (Some(_), Some(url)) => url.strip_prefix("/persons/").map(str::to_string),
            _ => None,
        };
        let head = FormHead {
            // The offer names the existing person itself.
            duplicate: p.head.duplicate.filter(|_| existing_person.is_none()),
            ..p.head
        };
        render(&RoleView {
            chrome: p.chrome,
            head,
            new_person: organisation.is_some(),
            pick_organisation: self.suggests_organisations(),
            form: p.form,
            errors: p.errors,
            names: p.names,
            organisation,
            existing_person,
            sources: p.sources,
        })
    }

    fn suggests_organisations(&self) -> bool {
        matches!(self, Place::ForPerson { .. })
    }

    fn cites(&self) -> bool {
        true
    }
}

form_routes!(
    new_person_form,
    add_new_person,
    "/organisations/<id>/people/new",
    RoleForm,
    |id| Place::NewPerson {
        organisation: id.into()
    }
);
form_routes!(
    role_form,
    add_role,
    "/persons/<id>/roles/new",
    RoleForm,
    |id| Place::ForPerson { person: id.into() }
);
form_routes!(
    edit_form,
    update,
    "/affiliations/<id>/edit",
    RoleForm,
    |id| Place::Edit {
        affiliation: id.into()
    }
);

pub fn routes() -> Vec<Route> {
    routes![
        new_person_form,
        add_new_person,
        role_form,
        add_role,
        edit_form,
        update
    ]
}
