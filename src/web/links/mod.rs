//! Forms for the links between records: roles of persons (affiliations), fundings and
//! relations. Each is added from a record's page, edited on its own form, and deleted or
//! restored through `web::removal`.
mod affiliations;
mod fundings;
mod owned;
mod relations;

use rocket::http::Status;
use rocket::response::Redirect;
use rocket::Route;

use super::auth::check_csrf;
use super::forms::cite::source_titles;
use super::forms::{with_done, Done, FieldErrors, FormHead, Rejection, ReturnTo};
use super::i18n::Labels;
use super::organisations::organisation_names;
use super::{fail, Chrome, HtmlError, Page, ShownPage};
use crate::db::Db;
use crate::db::DbConn;
use crate::domain::UserRole;
use crate::error::Result;
use crate::http::Shown;
use crate::service::Caller;

/// Where a link form is (e.g. "a new funding for this recipient", "this relation") and
/// what it does there. The generic `show` and `submit` below drive every link form.
pub(crate) trait LinkForm: Clone + Send + 'static {
    /// The form's fields as typed, so a rejected form comes back unchanged.
    type Fields: Clone + Send + 'static;

    /// The heading, the way back and the stored (or default) values.
    fn context(&self, conn: &mut DbConn, caller: &Caller) -> Result<(FormHead, Self::Fields)>;
    /// Saves the fields; returns the page to go to next, or why nothing was saved.
    fn save(
        &self,
        conn: &mut DbConn,
        caller: &Caller,
        fields: &Self::Fields,
    ) -> Result<std::result::Result<String, Rejection>>;
    /// The page with the form.
    fn render(&self, view: FormParts<Self::Fields>) -> Page;
    /// Whether the form has an organisation search field with suggestions.
    fn suggests_organisations(&self) -> bool {
        true
    }
    /// Whether the form cites a source (and suggests source titles).
    fn cites(&self) -> bool {
        false
    }
}

/// What a link form page is made of.
pub(crate) struct FormParts<F> {
    pub chrome: Chrome,
    pub head: FormHead,
    pub form: F,
    pub errors: FieldErrors,
    pub names: Vec<String>,
    /// Source titles for the citation field, if the form has one.
    pub sources: Vec<String>,
}

/// Editors only: the 401/403 page otherwise.
pub(crate) fn editor(chrome: &Chrome) -> std::result::Result<(), HtmlError> {
    chrome
        .caller
        .require(UserRole::Editor)
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

/// The heading's way back, the form's action and its delete link when the form was
/// started from another page (`back`): all go back there.
fn carry(mut head: FormHead, back: &ReturnTo) -> FormHead {
    let Some(path) = &back.0 else {
        return head;
    };
    if head.back_url != *path {
        head.back_name = match &head.person {
            Some((id, name)) if *path == format!("/persons/{id}") => name.clone(),
            _ => String::new(),
        };
        head.back_url = path.clone();
    }
    head.action = back.carried(&head.action);
    head.delete = head.delete.map(|d| back.carried(&d));
    head
}

/// The form at `place`: empty or stored values, or what was typed with why it was refused.
pub(crate) async fn show<P: LinkForm>(
    chrome: Chrome,
    db: &Db,
    place: P,
    back: ReturnTo,
    typed: Option<(P::Fields, Rejection)>,
) -> ShownPage {
    let (caller, p) = (chrome.caller.clone(), place.clone());
    let (head, stored) = db
        .run(move |c| p.context(c, &caller))
        .await
        .map_err(|e| fail(&chrome, e))?;
    let mut head = carry(head, &back);
    let names = match place.suggests_organisations() {
        true => organisation_names(db).await,
        false => Vec::new(),
    };
    let sources = match place.cites() {
        true => source_titles(db).await,
        false => Vec::new(),
    };
    match typed {
        None => {
            let persons = head.persons();
            let page = place.render(FormParts {
                chrome,
                head,
                form: stored,
                errors: FieldErrors::default(),
                names,
                sources,
            })?;
            Ok(Shown::new(page, persons))
        }
        Some((form, rejection)) => {
            let status = rejection.status();
            head.duplicate = rejection.duplicate;
            let page = place.render(FormParts {
                chrome,
                head,
                form,
                errors: rejection.errors,
                names,
                sources,
            });
            Err(rejected(page, status))
        }
    }
}

/// Saves a posted form (after the CSRF and role checks) and goes on with "saved" — back
/// to the page the form was started from, if any — or shows it again.
pub(crate) async fn submit<P: LinkForm>(
    chrome: Chrome,
    db: &Db,
    place: P,
    back: ReturnTo,
    csrf: &str,
    form: P::Fields,
) -> std::result::Result<Redirect, HtmlError> {
    check_csrf(&chrome, csrf)?;
    editor(&chrome)?;
    let (caller, p, f) = (chrome.caller.clone(), place.clone(), form.clone());
    let outcome = db
        .run(move |c| p.save(c, &caller, &f))
        .await
        .map_err(|e| fail(&chrome, e))?;
    match outcome {
        Ok(next) => {
            let next = back.0.unwrap_or(next);
            Ok(Redirect::to(with_done(&next, Done::Saved)))
        }
        Err(rejection) => match show(chrome, db, place, back, Some((form, rejection))).await {
            Err(page) => Err(page),
            // Not reached: a rejected form always comes back with an error status.
            Ok(page) => Err(rejected(Ok(page.body), Status::UnprocessableEntity)),
        },
    }
}

/// The GET route that shows a form at a place and the POST route that saves it; the
/// path's `<id>`, if any, is handed to the expression that makes the place.
macro_rules! form_routes {
    ($get:ident, $post:ident, $path:tt, $fields:ty, || $place:expr) => {
        form_routes!(@routes $get, $post, $path, $fields, [], $place);
    };
    ($get:ident, $post:ident, $path:tt, $fields:ty, |$id:ident| $place:expr) => {
        form_routes!(@routes $get, $post, $path, $fields, [$id], $place);
    };
    (@routes $get:ident, $post:ident, $path:tt, $fields:ty, [$($id:ident)?], $place:expr) => {
        #[rocket::get($path)]
        async fn $get(
            chrome: $crate::web::Chrome,
            db: &rocket::State<$crate::db::Db>,
            back: $crate::web::forms::ReturnTo,
            $($id: &str)?
        ) -> $crate::web::ShownPage {
            $crate::web::links::show(chrome, db, $place, back, None).await
        }

        #[rocket::post($path, data = "<form>")]
        async fn $post(
            chrome: $crate::web::Chrome,
            db: &rocket::State<$crate::db::Db>,
            back: $crate::web::forms::ReturnTo,
            $($id: &str,)?
            form: rocket::form::Form<$fields>,
        ) -> Result<rocket::response::Redirect, $crate::web::HtmlError> {
            let csrf = form.csrf.clone();
            $crate::web::links::submit(chrome, db, $place, back, &csrf, form.into_inner()).await
        }
    };
}
pub(crate) use form_routes;

/// All link form routes; their paths are absolute, so they are mounted at `/`.
pub fn routes() -> Vec<Route> {
    let mut routes = affiliations::routes();
    routes.extend(fundings::routes());
    routes.extend(relations::routes());
    routes
}

pub const LABELS: Labels = &[
    ("links.add_role", "Rolle hinzufügen", "Add a role"),
    ("links.edit_role", "Rolle bearbeiten", "Edit role"),
    ("links.edit_funding", "Förderung bearbeiten", "Edit funding"),
    (
        "links.edit_relation",
        "Beziehung bearbeiten",
        "Edit relation",
    ),
    ("links.edit_source", "Quelle bearbeiten", "Edit source"),
    ("links.edit", "bearbeiten", "edit"),
    ("links.title", "Bezeichnung der Rolle", "Title of the role"),
    ("links.purpose", "Zweck", "Purpose"),
    ("links.paid", "Bezahlt?", "Paid?"),
    (
        "links.restore_first",
        "– erst wiederherstellen:",
        "– restore this first:",
    ),
    ("links.project_bound", "projektgebunden", "project-bound"),
    (
        "links.project_bound_hint",
        "Nur projektgebundene Förderung steht in der Liste „Förderung, die bald endet“ (Startseite und Überschneidungen). Nicht angekreuzt: nicht projektgebunden.",
        "Only project-bound funding appears in the list “Funding that ends soon” (start page and overlaps). Unticked: not project-bound.",
    ),
    (
        "links.project_bound_role_hint",
        "Die Rolle hängt an einem befristeten Projekt (z. B. eine Projektstelle). Nicht angekreuzt: nicht projektgebunden.",
        "The role depends on a fixed-term project (e.g. a project post). Unticked: not project-bound.",
    ),
    (
        "links.organisation_hint",
        "Name oder Kurzname; Vorschläge beim Tippen",
        "Name or short name; suggestions while typing",
    ),
    (
        "links.amount_hint",
        "Ein Betrag oder eine Spanne in Euro, z. B. 30.000 – 70.000",
        "One amount or a range in euros, e.g. 30.000 – 70.000",
    ),
    ("links.deleted", "Gelöschte Einträge", "Deleted entries"),
    (
        "links.existing_person",
        "Eine Person mit diesem Namen ist schon eingetragen. Die Rolle, wie sie hier steht, kann ihr gegeben werden, statt eine neue Person anzulegen.",
        "A person with this name is already registered. The role as typed here can be given to that person instead of adding a new one.",
    ),
    (
        "links.add_to_existing",
        "Rolle der vorhandenen Person hinzufügen",
        "Add this role to the existing person",
    ),
    (
        "form.duplicate_record",
        "Dieser Eintrag ist schon vorhanden:",
        "This entry already exists:",
    ),
    ("form.existing", "vorhandener Eintrag", "existing entry"),
    ("form.back", "Zurück", "Back"),
    ("persons.new", "Neue Person", "New person"),
];
