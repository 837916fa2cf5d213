//! Person pages for signed-in users: list with search, profile with roles over time and
//! tandem overlaps, edit form, delete with confirmation, restore.
use std::collections::HashMap;

use askama::Template;
use rocket::form::FromForm;
use rocket::{get, routes, Route, State};

use super::forms::cite::{self, in_transaction};
use super::forms::{form_outcome, CiteForm, FieldErrors, FormHead, Rejection};
use super::i18n::Labels;
use super::links::{form_routes, FormParts, LinkForm};
use super::{fail, render, render_showing, Chrome, HtmlError, Page, ShownPage};
use crate::db::Db;
use crate::db::DbConn;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::service::data_subject;
use crate::service::reads::{self, PersonRead};
use crate::service::{crud, Caller, ListQuery, Page as ListPage};

mod erasure;
mod roles;
pub use roles::{tandems, RoleRow, TandemRow};

const PAGE_SIZE: i64 = 25;

pub const LABELS: Labels = &[
    ("persons.title", "Personen", "Persons"),
    ("persons.count", "Treffer", "results"),
    (
        "persons.search",
        "Anzeigename enthält",
        "Display name contains",
    ),
    ("persons.pseudonym", "Pseudonym", "Pseudonym"),
    ("persons.yes", "ja", "yes"),
    ("persons.no", "nein", "no"),
    ("persons.notes", "Notizen", "Notes"),
    ("persons.roles", "Rollen im Zeitverlauf", "Roles over time"),
    ("persons.no_roles", "Keine Rollen erfasst.", "No roles recorded."),
    ("persons.paid", "bezahlt", "paid"),
    ("persons.unpaid", "ehrenamtlich", "unpaid"),
    ("persons.unknown", "unbekannt", "unknown"),
    ("persons.tandem", "Tandem", "Tandem"),
    (
        "persons.tandems",
        "Tandem: Selbstorganisation und Anstellung zugleich",
        "Tandem: self-organisation and employment at once",
    ),
    (
        "persons.tandem_hint",
        "Eine Rolle in einer Selbstorganisation, während die Person zugleich bei der Kommune, einer Landesstelle oder einem Wohlfahrtsverband angestellt ist.",
        "A role in a self-organisation while the person is employed by the city, a state body or a welfare organisation.",
    ),
    ("persons.self_side", "Selbstorganisation", "Self-organisation"),
    ("persons.employer", "Anstellung", "Employment"),
    ("persons.overlap", "Überschneidung", "Overlap"),
    ("persons.shared_fields", "Gemeinsame Arbeitsfelder", "Shared fields of work"),
    ("persons.edit", "Person bearbeiten", "Edit person"),
    (
        "persons.reads",
        "Zugriffe auf diese Person (neueste zuerst)",
        "Who was shown this person (newest first)",
    ),
    ("persons.privacy", "Datenschutz (DSGVO)", "Data protection (GDPR)"),
    (
        "persons.export",
        "Auskunft: alles über diese Person herunterladen (Art. 15)",
        "Access: download everything about this person (Art. 15)",
    ),
    (
        "persons.erase",
        "Endgültig löschen (Art. 17)",
        "Erase for good (Art. 17)",
    ),
    (
        "persons.erased",
        "Diese Person wurde endgültig gelöscht (DSGVO Art. 17) am",
        "This person was erased for good (GDPR Art. 17) on",
    ),
    ("erase.title", "Person endgültig löschen", "Erase a person for good"),
    (
        "erase.explain",
        "Das Recht auf Löschung (DSGVO Art. 17) wird so umgesetzt:",
        "The right to erasure (GDPR Art. 17) is carried out like this:",
    ),
    (
        "erase.what_goes",
        "Name, Notizen und Quellenangaben der Person werden entfernt, ebenso jede frühere Fassung im Änderungsprotokoll und Suchbegriffe mit dem Namen im Zugriffsprotokoll.",
        "The person's name, notes and citations are removed, as is every earlier version in the change log and any search term with the name in the read log.",
    ),
    (
        "erase.what_stays",
        "Die Rollen bleiben als „gelöschte Person“ bei den Organisationen, damit deren Angaben stimmen; das Zugriffsprotokoll behält, wer wann zugegriffen hat.",
        "The roles stay with the organisations as \"erased person\", so their facts remain right; the read log keeps who was shown the person and when.",
    ),
    (
        "erase.final",
        "Das kann nicht rückgängig gemacht werden; die Person kann nicht wiederhergestellt werden.",
        "This cannot be undone; the person cannot be restored.",
    ),
    (
        "erase.export_first",
        "Vorher die Auskunft (Art. 15) herunterladen",
        "Download the access export (Art. 15) first",
    ),
    (
        "erase.confirm",
        "Ich habe verstanden, dass die Löschung endgültig ist.",
        "I understand that the erasure is final.",
    ),
    ("erase.button", "Endgültig löschen", "Erase for good"),
    (
        "erase.unconfirmed",
        "Bitte bestätigen Sie, dass die Löschung endgültig ist.",
        "Please confirm that the erasure is final.",
    ),
];

#[derive(Template)]
#[template(path = "persons.html")]
struct ListView {
    chrome: Chrome,
    q: String,
    page: i64,
    pages: i64,
    result: ListPage<Record<Person>>,
}

impl ListView {
    fn link(&self, page: i64) -> String {
        let q: String = self
            .q
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        format!("/persons?q={q}&page={page}")
    }
}

/// Person pages are for signed-in users only: anonymous callers get the 401 page.
fn require_signed_in(chrome: &Chrome) -> Result<(), HtmlError> {
    chrome
        .caller
        .require(UserRole::Viewer)
        .map_err(|e| fail(chrome, e))
}

#[get("/?<q>&<page>")]
async fn list(chrome: Chrome, db: &State<Db>, q: Option<String>, page: Option<i64>) -> ShownPage {
    require_signed_in(&chrome)?;
    let page = page.unwrap_or(1).max(1);
    let query = ListQuery {
        q: q.clone(),
        limit: Some(PAGE_SIZE),
        offset: Some((page - 1) * PAGE_SIZE),
        ..ListQuery::default()
    };
    let caller = chrome.caller.clone();
    let result = db
        .run(move |c| crud::list::<Person>(c, &caller, &query))
        .await
        .map_err(|e| fail(&chrome, e))?;
    let shown = Disclosure::of_records(&result.items);
    let view = ListView {
        pages: ((result.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        chrome,
        q: q.unwrap_or_default(),
        page,
        result,
    };
    render_showing(&view, shown)
}

#[derive(Template)]
#[template(path = "person.html")]
struct ProfileView {
    chrome: Chrome,
    record: Record<Person>,
    roles: Vec<RoleRow>,
    tandems: Vec<TandemRow>,
    /// Who was shown this person, for admins.
    reads: Vec<PersonRead>,
    /// When the person was erased (GDPR Art. 17): then nothing can be edited.
    erased_at: Option<String>,
}

impl ProfileView {
    fn fields(&self, fields: &[FieldOfWork]) -> String {
        self.chrome.words(fields)
    }

    fn role_label(&self, role: &Role) -> &'static str {
        self.chrome.word(role)
    }

    fn visibility(&self) -> &'static str {
        self.chrome.word(self.record.data.visibility)
    }

    fn paid(&self, paid: &Option<bool>) -> &'static str {
        match paid {
            Some(true) => self.chrome.t("persons.paid"),
            Some(false) => self.chrome.t("persons.unpaid"),
            None => self.chrome.t("persons.unknown"),
        }
    }
}

/// A person for a signed-in caller; deleted ones only for editors (to restore them).
fn load_person(conn: &mut DbConn, caller: &Caller, id: &str) -> Result<Record<Person>> {
    match crud::load_full::<Person>(conn, id)? {
        Some(r)
            if (r.deleted_at.is_none() || caller.require(UserRole::Editor).is_ok())
                && (caller.sees_restricted() || r.data.visibility == Visibility::Public) =>
        {
            Ok(r)
        }
        _ => Err(Error::NotFound {
            kind: "person",
            id: id.into(),
        }),
    }
}

fn load_profile(
    conn: &mut DbConn,
    caller: &Caller,
    id: &str,
) -> Result<(Record<Person>, Vec<RoleRow>, Vec<TandemRow>)> {
    let record = load_person(conn, caller, id)?;
    let query = ListQuery {
        person: Some(id.to_string()),
        ..ListQuery::default()
    };
    let affiliations = crud::list_all::<Affiliation>(conn, caller, &query)?;
    let mut organisations: HashMap<String, (String, OrgKind)> = HashMap::new();
    let mut roles = Vec::new();
    for a in affiliations {
        let affiliation_id = a.id;
        let a = a.data;
        if !organisations.contains_key(&a.organisation_id) {
            let org = crud::load_full::<Organisation>(conn, &a.organisation_id)?
                .map(|o| (o.data.name, o.data.kind))
                .unwrap_or_else(|| (a.organisation_id.clone(), OrgKind::Other));
            organisations.insert(a.organisation_id.clone(), org);
        }
        let (name, kind) = organisations[&a.organisation_id].clone();
        roles.push(RoleRow {
            affiliation_id,
            organisation_id: a.organisation_id,
            organisation_name: name,
            organisation_kind: kind,
            role: a.role,
            title: a.title,
            start: a.start,
            end: a.end,
            paid: a.paid,
            fields: a.fields_of_work,
            tandem: false,
        });
    }
    // Over time: unknown starts first, then by start and end, the same on both backends.
    roles.sort_by(|x, y| {
        let key = |r: &RoleRow| {
            (
                r.start.map(|d| d.first_day()),
                r.end.map(|d| d.last_day()).is_none(),
                r.end.map(|d| d.last_day()),
            )
        };
        key(x)
            .cmp(&key(y))
            .then_with(|| x.organisation_name.cmp(&y.organisation_name))
    });
    let tandems = tandems(&mut roles);
    Ok((record, roles, tandems))
}

#[get("/<id>", rank = 2)]
async fn profile(chrome: Chrome, db: &State<Db>, id: &str) -> ShownPage {
    require_signed_in(&chrome)?;
    let (caller, key) = (chrome.caller.clone(), id.to_string());
    let ((record, roles, tandems), (reads, in_reads), erased_at) = db
        .run(move |c| {
            let profile = load_profile(c, &caller, &key)?;
            let reads = match caller.require(UserRole::Admin) {
                Ok(()) => reads::of_person(c, &caller, &key, 20)?,
                Err(_) => Vec::new(),
            };
            let in_reads = reads::persons_in_requests(c, &reads, &key)?;
            let erased_at = data_subject::erased_at(c, &key)?;
            Ok((profile, (reads, in_reads), erased_at))
        })
        .await
        .map_err(|e| fail(&chrome, e))?;
    let mut shown = Disclosure::of([&record.id]);
    shown.extend(in_reads);
    let view = ProfileView {
        chrome,
        record,
        roles,
        tandems,
        reads,
        erased_at,
    };
    render_showing(&view, shown)
}

/// The person form as typed, so a re-render shows it unchanged.
#[derive(Debug, Default, Clone, FromForm)]
pub struct PersonForm {
    #[field(default = String::new())]
    pub csrf: String,
    #[field(default = String::new())]
    pub display_name: String,
    #[field(default = String::new())]
    pub visibility: String,
    #[field(default = false)]
    pub is_pseudonym: bool,
    #[field(default = String::new())]
    pub notes: String,
    /// A source to cite for the person.
    pub cite: CiteForm,
}

impl PersonForm {
    fn from_record(p: &Person) -> PersonForm {
        PersonForm {
            csrf: String::new(),
            display_name: p.display_name.clone(),
            visibility: p.visibility.as_str().into(),
            is_pseudonym: p.is_pseudonym,
            notes: p.notes.clone().unwrap_or_default(),
            cite: <CiteForm as Default>::default(),
        }
    }

    /// The person with the form's values; citations are kept from the stored record.
    pub(crate) fn to_domain(
        &self,
        keep: Option<&Person>,
    ) -> std::result::Result<Person, FieldErrors> {
        let mut e = FieldErrors::default();
        e.required("display_name", &self.display_name);
        e.required("visibility", &self.visibility);
        let visibility = e.choice::<Visibility>("visibility", &self.visibility);
        let person = Person {
            display_name: self.display_name.clone(),
            is_pseudonym: self.is_pseudonym,
            visibility: visibility.unwrap_or(Visibility::Restricted),
            notes: FieldErrors::text(&self.notes),
            citations: keep.map(|k| k.citations.clone()).unwrap_or_default(),
        };
        e.check_record(&person, &[]);
        match e.is_empty() {
            true => Ok(person),
            false => Err(e),
        }
    }
}

#[derive(Template)]
#[template(path = "person_form.html")]
struct FormView {
    chrome: Chrome,
    head: FormHead,
    form: PersonForm,
    errors: FieldErrors,
    sources: Vec<String>,
}

/// The person form: a new person, or this person edited.
#[derive(Clone)]
enum Place {
    New,
    Edit(String),
}

impl LinkForm for Place {
    type Fields = PersonForm;

    fn context(&self, conn: &mut DbConn, caller: &Caller) -> Result<(FormHead, PersonForm)> {
        caller.require(UserRole::Editor)?;
        Ok(match self {
            Place::New => {
                let head = FormHead {
                    title: "persons.new",
                    action: "/persons/new".into(),
                    back_url: "/persons".into(),
                    // Empty: the form says "back" in the reader's language.
                    back_name: String::new(),
                    duplicate: None,
                    delete: None,
                    person: None,
                    shows_person: None,
                };
                let form = PersonForm {
                    visibility: Visibility::Restricted.as_str().into(),
                    ..<PersonForm as Default>::default()
                };
                (head, form)
            }
            Place::Edit(id) => {
                let person = crud::get::<Person>(conn, caller, id)?.data;
                let head = FormHead {
                    title: "persons.edit",
                    action: format!("/persons/{id}/edit"),
                    back_url: format!("/persons/{id}"),
                    back_name: person.display_name.clone(),
                    duplicate: None,
                    delete: Some(format!("/persons/{id}/delete")),
                    person: None,
                    shows_person: Some(id.clone()),
                };
                (head, PersonForm::from_record(&person))
            }
        })
    }

    fn save(
        &self,
        conn: &mut DbConn,
        caller: &Caller,
        form: &PersonForm,
    ) -> Result<std::result::Result<String, Rejection>> {
        let keep = match self {
            Place::New => None,
            Place::Edit(id) => Some(crud::get::<Person>(conn, caller, id)?.data),
        };
        let mut cite_errors = FieldErrors::default();
        let cite = form.cite.parse(&mut cite_errors);
        let mut person = match form.to_domain(keep.as_ref()) {
            Ok(p) if cite_errors.is_empty() => p,
            Ok(_) => return Ok(Err(cite_errors.into())),
            Err(mut errors) => {
                errors.0.extend(cite_errors.0);
                return Ok(Err(errors.into()));
            }
        };
        in_transaction(conn, |c| {
            cite::apply(c, caller, cite.as_ref(), &mut person)?;
            let saved = match self {
                Place::New => crud::create(c, caller, person),
                Place::Edit(id) => crud::update(c, caller, id, person),
            };
            let outcome = form_outcome(
                saved,
                "display_name",
                "a person with this name is already registered",
            )?;
            Ok(outcome.map(|id| format!("/persons/{id}")).map_err(|mut r| {
                r.duplicate = r.duplicate.map(|id| format!("/persons/{id}"));
                r
            }))
        })
    }

    fn render(&self, p: FormParts<PersonForm>) -> Page {
        render(&FormView {
            chrome: p.chrome,
            head: p.head,
            form: p.form,
            errors: p.errors,
            sources: p.sources,
        })
    }

    fn suggests_organisations(&self) -> bool {
        false
    }

    fn cites(&self) -> bool {
        true
    }
}

form_routes!(new_form, create, "/new", PersonForm, || Place::New);
form_routes!(edit_form, update, "/<id>/edit", PersonForm, |id| {
    Place::Edit(id.into())
});

pub fn routes() -> Vec<Route> {
    routes![
        list,
        profile,
        new_form,
        create,
        edit_form,
        update,
        erasure::confirm_erase,
        erasure::erase,
        erasure::export
    ]
}
