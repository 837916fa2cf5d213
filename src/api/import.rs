//! `POST /api/v1/import`: a file of records (the body: CSV, a ZIP of CSV files, XLSX or
//! FollowTheMoney JSON lines, `format=csv|xlsx|ftm` or by `file_name`) checked row by row
//! and imported in one go, or previewed (`dry_run=true`); `GET /api/v1/imports`: the
//! imports done.
use rocket::data::{Data, ToByteUnit};
use rocket::http::Status;
use rocket::response::status::Custom;
use rocket::serde::json::Json;
use rocket::{get, post, routes, Route, State};

use crate::db::Db;
use crate::domain::UserRole;
use crate::error::{Error, FieldError, Result};
use crate::http::Shown;
use crate::import::{ImportFormat, ImportOptions, ImportReport, NearMatches};
use crate::service::audit::{self, Change};
use crate::service::{Caller, Page};

fn flag(name: &str, value: Option<&str>) -> Result<bool> {
    match value {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(Error::invalid(name, "must be true or false")),
    }
}

/// The import's options from the query; every problem at once.
pub fn options(
    format: Option<&str>,
    file_name: Option<&str>,
    dry_run: Option<&str>,
    only_valid: Option<&str>,
    near_matches: Option<&str>,
    source_id: Option<&str>,
) -> Result<(ImportFormat, ImportOptions)> {
    let mut errors = Vec::new();
    let mut note = |r: Result<bool>| match r {
        Ok(b) => b,
        Err(Error::Validation(e)) => {
            errors.extend(e);
            false
        }
        Err(_) => false,
    };
    let dry_run = note(flag("dry_run", dry_run));
    let only_valid = note(flag("only_valid", only_valid));
    let file_name = file_name.unwrap_or("upload").trim();
    let by_name = ImportFormat::of_file_name(file_name);
    let format = match format {
        Some(f) => ImportFormat::parse(f),
        None => by_name,
    };
    let known = || {
        let names: Vec<&str> = ImportFormat::ALL.iter().map(|f| f.name()).collect();
        format!("must be one of {}", names.join(", "))
    };
    if format.is_none() {
        errors.push(FieldError::new("format", known()));
    }
    let near = match near_matches {
        None => Some(NearMatches::Ask),
        Some(t) => NearMatches::parse(t),
    };
    if near.is_none() {
        errors.push(FieldError::new(
            "near_matches",
            "must be ask, match or create",
        ));
    }
    if file_name.chars().any(char::is_control) || file_name.chars().count() > 300 {
        errors.push(FieldError::new(
            "file_name",
            "must be at most 300 characters without control characters",
        ));
    }
    let source_id = source_id.map(str::trim).filter(|s| !s.is_empty());
    if source_id.is_some_and(|s| !crate::domain::is_record_id(s)) {
        errors.push(FieldError::new(
            "source_id",
            "must be the id of a source in the registry",
        ));
    }
    match (format, near) {
        (Some(format), Some(near_matches)) if errors.is_empty() => Ok((
            format,
            ImportOptions {
                file_name: if file_name.is_empty() {
                    "upload"
                } else {
                    file_name
                }
                .to_string(),
                dry_run,
                only_valid,
                near_matches,
                source_id: source_id.map(str::to_string),
            },
        )),
        _ => Err(Error::Validation(errors)),
    }
}

/// 200 with the report when written or previewed, 422 with it when refused.
type Answer = Shown<Custom<Json<ImportReport>>>;

#[allow(clippy::too_many_arguments)]
#[post(
    "/import?<format>&<file_name>&<dry_run>&<only_valid>&<near_matches>&<source_id>",
    data = "<body>"
)]
async fn import(
    db: &State<Db>,
    caller: Caller,
    format: Option<&str>,
    file_name: Option<&str>,
    dry_run: Option<&str>,
    only_valid: Option<&str>,
    near_matches: Option<&str>,
    source_id: Option<&str>,
    body: Data<'_>,
) -> Result<Answer> {
    caller.require(UserRole::Editor)?;
    let (format, options) = options(
        format,
        file_name,
        dry_run,
        only_valid,
        near_matches,
        source_id,
    )?;
    let bytes = body
        .open(crate::import::MAX_BYTES.bytes())
        .into_bytes()
        .await
        .map_err(|_| Error::invalid("body", "could not be read"))?;
    if !bytes.is_complete() {
        return Err(Error::TooLarge(format!(
            "the file is larger than the import limit of {} MB",
            crate::import::MAX_BYTES / (1024 * 1024)
        )));
    }
    let bytes = bytes.into_inner();
    let report = db
        .run(move |c| crate::import::import_file(c, &caller, format, &options, &bytes, &mut |_| {}))
        .await?;
    let status = if report.refused() {
        Status::UnprocessableEntity
    } else {
        Status::Ok
    };
    let persons = report.persons.clone();
    Ok(Shown::new(Custom(status, Json(report)), persons))
}

#[get("/imports?<limit>&<offset>")]
async fn imports(
    db: &State<Db>,
    caller: Caller,
    limit: Option<i64>,
    offset: Option<i64>,
) -> Result<Json<Page<Change>>> {
    crate::api::respond::check_paging(limit, offset)?;
    let page = db
        .run(move |c| audit::imports(c, &caller, limit.unwrap_or(100), offset.unwrap_or(0)))
        .await?;
    Ok(Json(page))
}

pub fn routes() -> Vec<Route> {
    routes![import, imports]
}
