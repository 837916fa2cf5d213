//! `GET /api/v1/changes?record_id=…`: the audit log, for signed-in users.
use rocket::serde::json::Json;
use rocket::{get, routes, Route, State};

use crate::db::Db;
use crate::domain::Disclosure;
use crate::error::{Error, FieldError};
use crate::http::Shown;
use crate::service::audit::{self, Change};
use crate::service::{Caller, Page};

#[get("/?<record_id>&<limit>&<offset>")]
async fn list(
    db: &State<Db>,
    caller: Caller,
    record_id: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
) -> Result<Shown<Json<Page<Change>>>, Error> {
    let bad = |n: Option<i64>, max: i64| n.is_some_and(|n| !(0..=max).contains(&n));
    let mut errors = Vec::new();
    if bad(limit, 500) {
        errors.push(FieldError::new(
            "limit",
            "must be a whole number from 0 to 500",
        ));
    }
    if bad(offset, i64::MAX) {
        errors.push(FieldError::new("offset", "must be a whole number from 0"));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let page = db
        .run(move |c| {
            audit::list(
                c,
                &caller,
                record_id.as_deref(),
                limit.unwrap_or(100),
                offset.unwrap_or(0),
            )
        })
        .await?;
    let persons: Disclosure = page.items.iter().filter_map(Change::person_shown).collect();
    Ok(Shown::new(Json(page), persons))
}

pub fn routes() -> Vec<Route> {
    routes![list]
}
