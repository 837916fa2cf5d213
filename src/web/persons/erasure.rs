//! A person's GDPR rights on its page, for admins: "Auskunft" (Art. 15) downloads
//! everything stored about the person as JSON; "endgültig löschen" (Art. 17) asks for a
//! confirmation and then erases the person for good.
use askama::Template;
use rocket::form::{Form, FromForm};
use rocket::http::Header;
use rocket::response::Redirect;
use rocket::serde::json::Json;
use rocket::{get, post, Responder, State};

use crate::db::Db;
use crate::domain::{Disclosure, UserRole};
use crate::http::Shown;
use crate::service::crud;
use crate::service::data_subject::{self, SubjectExport};
use crate::web::auth::check_csrf;
use crate::web::{fail, fail_with, render_showing, Chrome, HtmlError, ShownPage};

#[derive(Template)]
#[template(path = "person_erase.html")]
struct ConfirmView {
    chrome: Chrome,
    id: String,
    name: String,
}

#[get("/<id>/erase")]
pub(super) async fn confirm_erase(chrome: Chrome, db: &State<Db>, id: &str) -> ShownPage {
    let (caller, key) = (chrome.caller.clone(), id.to_string());
    let record = db
        .run(move |c| {
            caller.require(UserRole::Admin)?;
            crud::load_full::<crate::domain::Person>(c, &key)?.ok_or(
                crate::error::Error::NotFound {
                    kind: "person",
                    id: key.clone(),
                },
            )
        })
        .await
        .map_err(|e| fail(&chrome, e))?;
    let shown = Disclosure::of([&record.id]);
    let view = ConfirmView {
        chrome,
        id: record.id,
        name: record.data.display_name,
    };
    render_showing(&view, shown)
}

#[derive(FromForm)]
pub(super) struct EraseForm {
    #[field(default = String::new())]
    csrf: String,
    /// The box "I understand this cannot be undone".
    #[field(default = false)]
    confirmed: bool,
}

#[post("/<id>/erase", data = "<form>")]
pub(super) async fn erase(
    chrome: Chrome,
    db: &State<Db>,
    id: &str,
    form: Form<EraseForm>,
) -> Result<Redirect, HtmlError> {
    check_csrf(&chrome, &form.csrf)?;
    if !form.confirmed {
        // Browsers do not send the form without the box (it is `required`).
        let message = chrome.t("erase.unconfirmed").to_string();
        return Err(fail_with(
            &chrome,
            rocket::http::Status::UnprocessableEntity,
            message,
        ));
    }
    let (caller, key) = (chrome.caller.clone(), id.to_string());
    db.run(move |c| data_subject::erase(c, &caller, &key))
        .await
        .map_err(|e| fail(&chrome, e))?;
    Ok(Redirect::to(format!("/persons/{id}")))
}

/// The Art. 15 document as a file to hand to the person.
#[derive(Responder)]
#[response(content_type = "json")]
pub(super) struct ExportFile {
    body: Json<SubjectExport>,
    disposition: Header<'static>,
}

#[get("/<id>/export")]
pub(super) async fn export(
    chrome: Chrome,
    db: &State<Db>,
    id: &str,
) -> Result<Shown<ExportFile>, HtmlError> {
    let (caller, key) = (chrome.caller.clone(), id.to_string());
    let document = db
        .run(move |c| data_subject::export(c, &caller, &key))
        .await
        .map_err(|e| fail(&chrome, e))?;
    let persons = document.shown.clone();
    // The id is a checked UUID here (the export found it), so it is safe in the header.
    let filename = format!(
        "attachment; filename=\"person-{}.json\"",
        document.person.id
    );
    let file = ExportFile {
        body: Json(document),
        disposition: Header::new("Content-Disposition", filename),
    };
    Ok(Shown::new(file, persons))
}
