//! Logs every read of person data by a signed-in user, for pages and API answers alike:
//! a response fairing looks for ids in what is sent (JSON, HTML) and in the address, and
//! takes the ids of downloads that carry names only (CSV) from `NamedPersons`. Admins read
//! the log of a person at `GET /api/v1/persons/{id}/reads`.
use std::collections::BTreeSet;
use std::io::Cursor;
use std::sync::Mutex;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{ContentType, Method, Status};
use rocket::request::{Outcome, Request};
use rocket::serde::json::Json;
use rocket::{get, routes, Response, Route, State};

use crate::app::Db;
use crate::error::Error;
use crate::service::reads::{self, PersonRead};
use crate::service::Caller;
use crate::web::session::WebCaller;

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

pub struct PersonReadLog;

/// The signed-in user behind a request: an API token, else the page session.
async fn user_of(req: &Request<'_>) -> Option<Caller> {
    let caller = match req.guard::<Caller>().await {
        Outcome::Success(Caller::Anonymous) => match req.guard::<WebCaller>().await {
            Outcome::Success(WebCaller(c)) => c,
            _ => Caller::Anonymous,
        },
        Outcome::Success(c) => c,
        _ => Caller::Anonymous,
    };
    matches!(caller, Caller::User(_)).then_some(caller)
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
        if req.method() != Method::Get || res.status() != Status::Ok || !shows_data(res) {
            return;
        }
        let Some(caller) = user_of(req).await else {
            return;
        };
        let body = match res.body_mut().to_string().await {
            Ok(body) => body,
            Err(_) => return withhold(res),
        };
        let mut ids = reads::uuids_in(&body);
        ids.extend(reads::uuids_in(req.uri().path().as_str()));
        ids.extend(NamedPersons::take(req));
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
    res.set_sized_body(message.len(), Cursor::new(message));
}

#[get("/<id>/reads?<limit>")]
async fn person_reads(
    db: &State<Db>,
    caller: Caller,
    id: &str,
    limit: Option<i64>,
) -> Result<Json<Vec<PersonRead>>, Error> {
    let id = id.to_string();
    let found = db
        .run(move |c| reads::of_person(c, &caller, &id, limit.unwrap_or(100)))
        .await?;
    Ok(Json(found))
}

pub fn routes() -> Vec<Route> {
    routes![person_reads]
}
