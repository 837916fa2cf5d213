//! The HTTP face of `Error`: one JSON envelope `{"errors": [{field, message}]}`.
use rocket::http::{ContentType, Status};
use rocket::response::{self, Responder};
use rocket::serde::json::{json, Value};
use rocket::{Request, Response};

use crate::error::{Error, ErrorBody, FieldError};
pub use crate::service::input::decode;

impl Error {
    fn field_errors(&self) -> Vec<FieldError> {
        match self {
            Error::Validation(list) => list.clone(),
            Error::NotFound { .. } => vec![FieldError::new("id", self.to_string())],
            Error::Conflict { .. } => vec![FieldError::new("record", self.to_string())],
            Error::TooLarge(_) => vec![FieldError::new("body", self.to_string())],
            Error::Unauthorized | Error::Forbidden(_) => {
                vec![FieldError::new("authorization", self.to_string())]
            }
            Error::Busy => vec![FieldError::new("server", self.to_string())],
            Error::Unavailable(_) | Error::Database(_) | Error::Internal(_) => {
                vec![FieldError::new("server", "internal error")]
            }
        }
    }

    pub fn to_json(&self) -> Value {
        let existing_id = match self {
            Error::Conflict { existing_id, .. } => existing_id.clone(),
            _ => None,
        };
        json!(ErrorBody {
            errors: self.field_errors(),
            existing_id,
        })
    }
}

impl<'r> Responder<'r, 'static> for Error {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let body = if self.status() >= 500 {
            let request = format!("{} {}", req.method(), req.uri());
            let message = crate::http::errors::public_message(&self, &request);
            json!(ErrorBody {
                errors: vec![FieldError::new("server", message)],
                existing_id: None,
            })
            .to_string()
        } else {
            self.to_json().to_string()
        };
        let mut res = Response::build();
        res.status(Status::new(self.status()))
            .header(ContentType::JSON)
            .sized_body(body.len(), std::io::Cursor::new(body));
        if matches!(self, Error::Unauthorized) {
            res.raw_header("WWW-Authenticate", "Bearer");
        }
        if matches!(self, Error::Busy) {
            res.raw_header("Retry-After", "1");
        }
        res.ok()
    }
}

/// `limit` (0 to 500) and `offset` (from 0) of a paged list; both problems at once.
pub fn check_paging(limit: Option<i64>, offset: Option<i64>) -> Result<(), Error> {
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
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}
