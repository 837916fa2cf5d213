//! Graph request parameters straight from the query string: every field by name, so a
//! route needs no list of its own and the API and the pages read the same names.
use std::convert::Infallible;

use rocket::request::{FromRequest, Outcome, Request};

use crate::graph::query::Params;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Params {
    type Error = Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(Params::new(
            req.query_fields()
                .map(|f| (f.name.source().as_str().to_string(), f.value.to_string())),
        ))
    }
}
