//! Logs every read of person data by a signed-in user, for pages and API answers alike:
//! a response fairing looks for ids in what is sent (JSON, HTML) and in the address, names
//! the user the route's own guard found (`ServedTo`), and
//! takes the ids of downloads that carry names only (CSV) from `NamedPersons`. Admins read
//! the log of a person at `GET /api/v1/persons/{id}/reads`.
use std::collections::BTreeSet;
use std::io::Cursor;
use std::sync::Mutex;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{ContentType, Method, Status};
use rocket::request::Request;
use rocket::serde::json::Json;
use rocket::{get, routes, Response, Route, State};

use crate::api::resources::ListParams;
use crate::db::Db;
use crate::error::Error;
use crate::service::reads::{self, PersonRead};
use crate::service::Caller;

/// Persons a response names without their ids in the body (request-local).
#[derive(Default)]
pub struct NamedPersons(Mutex<BTreeSet<String>>);

impl NamedPersons {
    pub fn add(req: &Request<'_>, ids: BTreeSet<String>) {
        let named = req.local_cache(NamedPersons::default);
        if let Ok(mut set) = named.0.lock() {
            set.extend(ids);
        }
    }

    fn take(req: &Request<'_>) -> BTreeSet<String> {
        let named = req.local_cache(NamedPersons::default);
        named
            .0
            .lock()
            .map(|mut set| std::mem::take(&mut *set))
            .unwrap_or_default()
    }
}

/// The signed-in user an answer was made for, as the route's own guard found it (the
/// bearer token for the API, the session for pages), kept with the request so the read
/// log names that user and nobody else.
#[derive(Default)]
pub struct ServedTo(std::sync::OnceLock<Caller>);

impl ServedTo {
    pub fn remember(req: &Request<'_>, caller: &Caller) {
        let _ = req.local_cache(ServedTo::default).0.set(caller.clone());
    }

    pub fn of(req: &Request<'_>) -> Option<Caller> {
        req.local_cache(ServedTo::default).0.get().cloned()
    }
}

pub struct PersonReadLog;

/// Reading requests, and restores (they show a record the caller did not send). The
/// answers to creates and updates only echo what the caller sent.
fn reads_data(req: &Request<'_>) -> bool {
    match req.method() {
        Method::Get => true,
        Method::Post => req.uri().path().as_str().ends_with("/restore"),
        _ => false,
    }
}

fn shows_data(res: &Response<'_>) -> bool {
    res.content_type()
        .is_some_and(|ct| ct.is_json() || ct.is_html() || (ct.top() == "text" && ct.sub() == "csv"))
}

#[rocket::async_trait]
impl Fairing for PersonReadLog {
    fn info(&self) -> Info {
        Info {
            name: "person read log",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        if !res.status().class().is_success() || !shows_data(res) || !reads_data(req) {
            return;
        }
        let Some(caller) = ServedTo::of(req) else {
            return;
        };
        let body = match res.body_mut().to_string().await {
            Ok(body) => body,
            Err(_) => return withhold(res),
        };
        let mut ids = reads::uuids_in(&body);
        ids.extend(reads::uuids_in(req.uri().path().as_str()));
        ids.extend(NamedPersons::take(req));
        if ids.is_empty() {
            // No ids, no person: spare the database.
            res.set_sized_body(body.len(), Cursor::new(body));
            return;
        }
        let via = req.uri().to_string();
        let logged = match req.rocket().state::<Db>() {
            Some(db) => db
                .run(move |c| reads::record(c, &caller, &ids, &via))
                .await
                .is_ok(),
            None => false,
        };
        // Person data that could not be logged is not shown.
        if logged {
            res.set_sized_body(body.len(), Cursor::new(body));
        } else {
            withhold(res);
        }
    }
}

fn withhold(res: &mut Response<'_>) {
    let message = "the read log is unavailable; nothing is shown";
    res.set_status(Status::ServiceUnavailable);
    res.set_header(ContentType::Plain);
    res.remove_header("Content-Disposition");
    res.set_sized_body(message.len(), Cursor::new(message));
}

/// Newest first; `limit` as in lists (default 50, at most 500, bad numbers are 422).
#[get("/<id>/reads?<params..>")]
async fn person_reads(
    db: &State<Db>,
    caller: Caller,
    id: &str,
    params: ListParams,
) -> Result<Json<Vec<PersonRead>>, Error> {
    let limit = params.into_query()?.limit();
    let id = id.to_string();
    let found = db
        .run(move |c| reads::of_person(c, &caller, &id, limit))
        .await?;
    Ok(Json(found))
}

pub fn routes() -> Vec<Route> {
    routes![person_reads]
}
