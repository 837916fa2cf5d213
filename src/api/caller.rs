//! The request guard that turns a bearer token into a `Caller`.
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};

use crate::db::Db;
use crate::http::ServedTo;
use crate::service::{tokens, Caller};

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Caller {
    type Error = crate::error::Error;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let Some(header) = req.headers().get_one("Authorization") else {
            return Outcome::Success(Caller::Anonymous);
        };
        let Some(token) = header.strip_prefix("Bearer ").map(str::trim) else {
            return Outcome::Error((Status::Unauthorized, crate::error::Error::Unauthorized));
        };
        let Some(db) = req.rocket().state::<Db>() else {
            return Outcome::Error((
                Status::InternalServerError,
                crate::error::Error::Internal("no database".into()),
            ));
        };
        let token = token.to_string();
        match db
            .run(move |conn| tokens::user_for_token(conn, &token))
            .await
        {
            Ok(Some(user)) => {
                let caller = Caller::User(user);
                ServedTo::remember(req, &caller);
                Outcome::Success(caller)
            }
            Ok(None) => Outcome::Error((Status::Unauthorized, crate::error::Error::Unauthorized)),
            Err(e) => Outcome::Error((Status::new(e.status()), e)),
        }
    }
}
