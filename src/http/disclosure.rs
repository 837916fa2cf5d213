//! The one disclosure path: an answer that shows persons is sent as `Shown`, which notes
//! them with the request; the `ReadLog` fairing writes one read-log row per person for a
//! signed-in caller (one statement per answer) before the answer leaves. The body is never
//! read, so every format (JSON, HTML, CSV, pictures, exports) is covered alike; an answer
//! whose reads cannot be logged is withheld (503).
use std::io::Cursor;
use std::sync::{Mutex, OnceLock};

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{ContentType, Status};
use rocket::request::Request;
use rocket::response::{self, Responder};
use rocket::Response;

use crate::db::Db;
use crate::domain::Disclosure;
use crate::service::{reads, Caller};

/// An answer and the persons it shows its caller.
pub struct Shown<R> {
    pub body: R,
    pub persons: Disclosure,
}

impl<R> Shown<R> {
    pub fn new(body: R, persons: Disclosure) -> Shown<R> {
        Shown { body, persons }
    }
}

/// The persons noted for this request (request-local).
#[derive(Default)]
struct Noted(Mutex<Disclosure>);

fn note(req: &Request<'_>, persons: Disclosure) {
    if persons.is_empty() {
        return;
    }
    let noted = req.local_cache(Noted::default);
    let mut set = match noted.0.lock() {
        Ok(set) => set,
        Err(poisoned) => poisoned.into_inner(),
    };
    set.extend(persons);
}

fn take(req: &Request<'_>) -> Disclosure {
    let noted = req.local_cache(Noted::default);
    let mut set = match noted.0.lock() {
        Ok(set) => set,
        Err(poisoned) => poisoned.into_inner(),
    };
    std::mem::take(&mut *set)
}

impl<'r, 'o: 'r, R: Responder<'r, 'o>> Responder<'r, 'o> for Shown<R> {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'o> {
        note(req, self.persons);
        self.body.respond_to(req)
    }
}

/// The signed-in user an answer was made for, as the route's own guard found it (the
/// bearer token for the API, the session for pages), so the read log names that user.
#[derive(Default)]
pub struct ServedTo(OnceLock<Caller>);

impl ServedTo {
    pub fn remember(req: &Request<'_>, caller: &Caller) {
        let _ = req.local_cache(ServedTo::default).0.set(caller.clone());
    }

    pub fn of(req: &Request<'_>) -> Option<Caller> {
        req.local_cache(ServedTo::default).0.get().cloned()
    }
}

/// Writes the read log of every answer sent as `Shown`.
pub struct ReadLog;

#[rocket::async_trait]
impl Fairing for ReadLog {
    fn info(&self) -> Info {
        Info {
            name: "person read log",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        let persons = take(req);
        // Answers that show persons, and everything a signed-in user is shown, stay out
        // of shared and browser caches.
        if !persons.is_empty() || ServedTo::of(req).is_some() {
            res.set_raw_header("Cache-Control", "no-store");
        }
        if persons.is_empty() || !res.status().class().is_success() {
            return;
        }
        let Some(caller @ Caller::User(_)) = ServedTo::of(req) else {
            return;
        };
        let via = req.uri().to_string();
        let logged = match req.rocket().state::<Db>() {
            Some(db) => db
                .run(move |c| reads::record(c, &caller, &persons, &via))
                .await
                .is_ok(),
            None => false,
        };
        // Person data that could not be logged is not shown.
        if !logged {
            let message = "the read log is unavailable; nothing is shown";
            res.set_status(Status::ServiceUnavailable);
            res.set_header(ContentType::Plain);
            res.remove_header("Content-Disposition");
            res.set_sized_body(message.len(), Cursor::new(message));
        }
    }
}
