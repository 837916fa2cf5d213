//! `GET /api/v1/changes?record_id=…`: the audit log, for signed-in users.
use rocket::serde::json::Json;
use rocket::{get, routes, Route, State};

use crate::db::Db;
use crate::domain::Disclosure;
use crate::error::Error;
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
    crate::api::respond::check_paging(limit, offset)?;
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
