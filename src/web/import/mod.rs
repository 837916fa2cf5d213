//! The upload page for editors (`/import`): a file of records is uploaded, checked by a
//! dry run (the whole import rolled back, so the preview is exact) and shown row by row
//! with every problem and near match; the upload waits in memory (`pending`) until the
//! editor confirms it (`POST /import/<token>`), which runs the real import with the same
//! choices. Bad uploads come back as the form with a message, never as a server error.
mod file;
mod labels;
mod pending;
mod view;

use std::sync::Arc;
use std::time::Duration;

use rocket::data::Limits;
use rocket::form::{Errors, Form, FromForm};
use rocket::http::Status;
use rocket::response::content::RawHtml;
use rocket::response::status::Custom;
use rocket::{get, post, routes, Build, Rocket, State};

use file::UploadedFile;
pub use labels::LABELS;
use pending::{Pending, Upload};
use view::{Choices, ImportView, Outcome, RecentImport, Stage};

use super::auth::check_csrf;
use super::links::editor;
use super::{fail, render, Chrome, HtmlError};
use crate::db::Db;
use crate::domain::{is_record_id, Source};
use crate::error::{Error, Result};
use crate::http::Shown;
use crate::import::{self, ImportFormat, ImportOptions, ImportReport, NearMatches, MAX_BYTES};
use crate::service::{audit, crud, Caller, ListQuery};

/// How many imports the page lists.
const RECENT: i64 = 20;
/// Source titles in the picker are cut to this many characters (the page fits a phone).
const TITLE_CHARS: usize = 28;

type Answer = std::result::Result<Shown<Custom<RawHtml<String>>>, HtmlError>;

#[derive(FromForm)]
struct UploadForm {
    #[field(default = String::new())]
    csrf: String,
    file: Option<UploadedFile>,
    #[field(default = String::new())]
    source: String,
    #[field(default = String::new())]
    near_matches: String,
}

#[derive(FromForm)]
struct ConfirmForm {
    #[field(default = String::new())]
    csrf: String,
    #[field(default = String::new())]
    near_matches: String,
    #[field(default = String::new())]
    only_valid: String,
}

/// What a page shows besides the form and the recent imports.
#[derive(Default)]
struct Shape {
    message: Option<String>,
    choices: Choices,
    outcome: Option<Outcome>,
}

impl Shape {
    fn message(message: impl Into<String>, choices: Choices) -> Shape {
        Shape {
            message: Some(message.into()),
            choices,
            outcome: None,
        }
    }
}

/// Renders the page with the sources to pick and the recent imports; a report's
/// existing persons go to the read log.
async fn show(chrome: Chrome, db: &Db, status: Status, shape: Shape) -> Answer {
    let caller = chrome.caller.clone();
    let loaded = db
        .run(move |c| {
            let sources = crud::list_all::<Source>(c, &caller, &ListQuery::default())?;
            let recent = audit::imports(c, &caller, RECENT, 0)?;
            Ok((sources, recent))
        })
        .await;
    let (sources, recent) = loaded.map_err(|e| fail(&chrome, e))?;
    let sources = sources
        .into_iter()
        .map(|s| (s.id, short(&s.data.title)))
        .collect();
    let persons = shape
        .outcome
        .as_ref()
        .map(|o| o.report.persons.clone())
        .unwrap_or_default();
    let html = render(&ImportView {
        chrome,
        message: shape.message,
        choices: shape.choices,
        sources,
        outcome: shape.outcome,
        recent: recent.items.into_iter().map(RecentImport::of).collect(),
    })?;
    Ok(Shown::new(Custom(status, html), persons))
}

fn short(title: &str) -> String {
    match title.char_indices().nth(TITLE_CHARS) {
        Some((at, _)) => format!("{}…", &title[..at]),
        None => title.to_string(),
    }
}

fn near_code(near: NearMatches) -> &'static str {
    match near {
        NearMatches::Ask => "ask",
        NearMatches::Match => "match",
        NearMatches::Create => "create",
    }
}

/// The message for a file over the limit: the import's, or the server's upload limit
/// (`data-form` in Rocket.toml) if that is lower.
fn too_large(chrome: &Chrome, limits: &Limits) -> String {
    let server = limits.get("data-form").map_or(u64::MAX, |l| l.as_u64());
    let mb = (MAX_BYTES as u64).min(server) / (1024 * 1024);
    format!(
        "{} {mb} MB. {}",
        chrome.t("import.too_large"),
        chrome.t("import.split")
    )
}

/// Runs the import of a pending upload with these choices.
async fn run(
    db: &Db,
    caller: Caller,
    upload: &Upload,
    dry_run: bool,
    near_matches: NearMatches,
    only_valid: bool,
) -> Result<ImportReport> {
    let options = ImportOptions {
        file_name: upload.file_name.clone(),
        dry_run,
        only_valid,
        near_matches,
        source_id: upload.source_id.clone(),
    };
    let (bytes, format) = (upload.bytes.clone(), upload.format);
    db.run(move |c| import::import_file(c, &caller, format, &options, &bytes, &mut |_| {}))
        .await
}

/// Whether a report leaves rows to write: all of them, or the valid ones alone.
fn writable(report: &ImportReport) -> bool {
    let c = &report.counts;
    report.problems.is_empty() || c.created + c.updated + c.unchanged + c.near_matches > 0
}

/// The uploaded file and its format, or why it cannot be previewed.
fn checked(
    chrome: &Chrome,
    limits: &Limits,
    file: Option<UploadedFile>,
    choices: &Choices,
) -> std::result::Result<(UploadedFile, ImportFormat), (Status, String)> {
    let refuse = |key: &str| (Status::UnprocessableEntity, chrome.t(key).to_string());
    let Some(file) = file.filter(|f| !(f.name.is_empty() && f.bytes.is_empty())) else {
        return Err(refuse("import.no_file"));
    };
    if !file.complete {
        return Err((Status::PayloadTooLarge, too_large(chrome, limits)));
    }
    let Some(format) = ImportFormat::of_file_name(&file.name) else {
        return Err(refuse("import.unknown_type"));
    };
    if !choices.source.is_empty() && !is_record_id(&choices.source) {
        return Err(refuse("import.bad_source"));
    }
    Ok((file, format))
}

#[get("/import")]
async fn upload_page(chrome: Chrome, db: &State<Db>) -> Answer {
    editor(&chrome)?;
    let shape = Shape::default();
    show(chrome, db, Status::Ok, shape).await
}

/// Checks the upload by a dry run and shows the preview; keeps the file for the
/// confirmation when there is something to write.
#[post("/import", data = "<form>")]
async fn upload(
    mut chrome: Chrome,
    db: &State<Db>,
    pending: &State<Pending>,
    limits: &Limits,
    form: std::result::Result<Form<UploadForm>, Errors<'_>>,
) -> Answer {
    chrome.path = "/import".into();
    editor(&chrome)?;
    let form = match form {
        Ok(form) => form.into_inner(),
        Err(errors) if errors.status() == Status::PayloadTooLarge => {
            let message = too_large(&chrome, limits);
            let shape = Shape::message(message, Choices::default());
            return show(chrome, db, Status::PayloadTooLarge, shape).await;
        }
        Err(_) => {
            let message = chrome.t("import.unreadable");
            let shape = Shape::message(message, Choices::default());
            return show(chrome, db, Status::BadRequest, shape).await;
        }
    };
    check_csrf(&chrome, &form.csrf)?;
    let choices = Choices {
        source: form.source.trim().to_string(),
        near_matches: form.near_matches.trim().to_string(),
    };
    let (file, format) = match checked(&chrome, limits, form.file, &choices) {
        Ok(checked) => checked,
        Err((status, message)) => {
            return show(chrome, db, status, Shape::message(message, choices)).await;
        }
    };
    let near_matches = NearMatches::parse(&choices.near_matches).unwrap_or_default();
    let upload = Upload {
        user_id: chrome.caller.user_id().unwrap_or_default().to_string(),
        format,
        file_name: file.name,
        bytes: Arc::new(file.bytes),
        source_id: (!choices.source.is_empty()).then(|| choices.source.clone()),
        near_matches,
    };
    let report = match run(
        db,
        chrome.caller.clone(),
        &upload,
        true,
        near_matches,
        false,
    )
    .await
    {
        Ok(report) => report,
        Err(Error::Validation(_)) => {
            let shape = Shape::message(chrome.t("import.bad_source"), choices);
            return show(chrome, db, Status::UnprocessableEntity, shape).await;
        }
        Err(e) => return Err(fail(&chrome, e)),
    };
    let status = match report.problems.is_empty() {
        true => Status::Ok,
        false => Status::UnprocessableEntity,
    };
    let file_name = upload.file_name.clone();
    let token = writable(&report).then(|| pending.put(upload));
    let outcome = Outcome {
        stage: Stage::Preview,
        token,
        file_name,
        report,
    };
    let shape = Shape {
        message: None,
        choices,
        outcome: Some(outcome),
    };
    show(chrome, db, status, shape).await
}

/// Imports a pending upload; an unknown or expired token, or an import refused because
/// something changed since the preview, is shown with the form.
#[post("/import/<token>", data = "<form>")]
async fn confirm(
    mut chrome: Chrome,
    db: &State<Db>,
    pending: &State<Pending>,
    token: &str,
    form: Form<ConfirmForm>,
) -> Answer {
    chrome.path = "/import".into();
    editor(&chrome)?;
    check_csrf(&chrome, &form.csrf)?;
    let user = chrome.caller.user_id().unwrap_or_default().to_string();
    let Some(upload) = pending.take(token, &user) else {
        let shape = Shape::message(chrome.t("import.expired"), Choices::default());
        return show(chrome, db, Status::NotFound, shape).await;
    };
    let near_matches = NearMatches::parse(form.near_matches.trim()).unwrap_or(upload.near_matches);
    let only_valid = form.only_valid == "true";
    let choices = Choices {
        source: upload.source_id.clone().unwrap_or_default(),
        near_matches: near_code(upload.near_matches).into(),
    };
    let caller = chrome.caller.clone();
    let report = match run(db, caller, &upload, false, near_matches, only_valid).await {
        Ok(report) => report,
        Err(Error::Validation(_)) => {
            let shape = Shape::message(chrome.t("import.bad_source"), choices);
            return show(chrome, db, Status::UnprocessableEntity, shape).await;
        }
        Err(e) => {
            pending.put_back(token.to_string(), upload);
            return Err(fail(&chrome, e));
        }
    };
    let (status, stage, token) = if report.written {
        (Status::Ok, Stage::Done, None)
    } else {
        // Kept under the same token, to be confirmed again (e.g. with a decision).
        let kept = writable(&report).then(|| {
            pending.put_back(token.to_string(), upload.clone());
            token.to_string()
        });
        (Status::UnprocessableEntity, Stage::Refused, kept)
    };
    let outcome = Outcome {
        stage,
        token,
        file_name: upload.file_name.clone(),
        report,
    };
    let shape = Shape {
        message: None,
        choices,
        outcome: Some(outcome),
    };
    show(chrome, db, status, shape).await
}

/// Mounts the page and keeps the pending uploads for `import_pending_minutes` (30).
pub fn mount(rocket: Rocket<Build>) -> Rocket<Build> {
    let minutes = rocket
        .figment()
        .extract_inner::<u64>("import_pending_minutes")
        .unwrap_or(pending::DEFAULT_MINUTES);
    rocket
        .manage(Pending::new(Duration::from_secs(
            minutes.saturating_mul(60),
        )))
        .mount("/", routes![upload_page, upload, confirm])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_are_cut() {
        assert_eq!(short("kurz"), "kurz");
        assert_eq!(short(&"ä".repeat(50)), format!("{}…", "ä".repeat(28)));
    }
}
