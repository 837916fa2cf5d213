//! `GET /api/v1/persons/{id}/reads`: who was shown a person, when, through which request
//! (admins only). The log itself is written by `http::ReadLog`.
use rocket::serde::json::Json;
use rocket::{get, routes, Route, State};

use crate::api::resources::ListParams;
use crate::db::Db;
use crate::error::Error;
use crate::http::Shown;
use crate::service::reads::{self, PersonRead};
use crate::service::Caller;

/// Newest first; `limit` as in lists (default 50, at most 500, bad numbers are 422).
#[get("/<id>/reads?<params..>")]
async fn person_reads(
    db: &State<Db>,
    caller: Caller,
    id: &str,
    params: ListParams,
) -> Result<Shown<Json<Vec<PersonRead>>>, Error> {
    let limit = params.into_query()?.limit();
    let id = id.to_string();
    let (found, shown) = db
        .run(move |c| {
            let found = reads::of_person(c, &caller, &id, limit)?;
            // The person asked about is the caller's own id (echoed); the request
            // addresses can name others.
            let shown = reads::persons_in_requests(c, &found, &id)?;
            Ok::<_, Error>((found, shown))
        })
        .await?;
    Ok(Shown::new(Json(found), shown))
}

pub fn routes() -> Vec<Route> {
    routes![person_reads]
}
