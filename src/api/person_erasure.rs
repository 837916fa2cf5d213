//! The rights of a named person (GDPR), admins only:
//! `POST /api/v1/persons/{id}/erase` erases the person for good (Art. 17);
//! `GET /api/v1/persons/{id}/export` returns everything stored about it (Art. 15).
use rocket::serde::json::Json;
use rocket::{get, post, routes, Route, State};

use crate::db::Db;
use crate::error::Error;
use crate::http::Shown;
use crate::service::data_subject::{self, Erasure, SubjectExport};
use crate::service::Caller;

#[post("/<id>/erase")]
async fn erase(db: &State<Db>, caller: Caller, id: &str) -> Result<Json<Erasure>, Error> {
    let id = id.to_string();
    let done = db
        .run(move |c| data_subject::erase(c, &caller, &id))
        .await?;
    Ok(Json(done))
}

#[get("/<id>/export")]
async fn export(
    db: &State<Db>,
    caller: Caller,
    id: &str,
) -> Result<Shown<Json<SubjectExport>>, Error> {
    let id = id.to_string();
    let document = db
        .run(move |c| data_subject::export(c, &caller, &id))
        .await?;
    let persons = document.shown.clone();
    Ok(Shown::new(Json(document), persons))
}

pub fn routes() -> Vec<Route> {
    routes![erase, export]
}
