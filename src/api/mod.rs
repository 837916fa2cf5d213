//! The JSON API under `/api/v1`.
mod caller;
mod changes;
mod export;
mod graph;
mod import;
pub mod openapi;
mod person_erasure;
mod person_reads;
pub mod resources;
pub mod respond;

use rocket::serde::json::Value;
use rocket::{catch, catchers, Build, Request, Rocket};

use crate::error::Error;
use resources::resource_routes;

resource_routes!(organisations, "organisations", crate::domain::Organisation);
resource_routes!(persons, "persons", crate::domain::Person);
resource_routes!(affiliations, "affiliations", crate::domain::Affiliation);
resource_routes!(fundings, "fundings", crate::domain::Funding);
resource_routes!(relations, "relations", crate::domain::Relation);
resource_routes!(sources, "sources", crate::domain::Source);

/// Mounts every API route and the JSON error catchers, with the rankings the graph
/// routes keep across snapshot versions.
pub fn mount(rocket: Rocket<Build>) -> Rocket<Build> {
    rocket
        .manage(crate::graph::centrality::carry::Rankings::new())
        .mount("/api/v1/organisations", organisations::routes())
        .mount("/api/v1/persons", persons::routes())
        .mount("/api/v1/persons", person_reads::routes())
        .mount("/api/v1/persons", person_erasure::routes())
        .mount("/api/v1/affiliations", affiliations::routes())
        .mount("/api/v1/fundings", fundings::routes())
        .mount("/api/v1/relations", relations::routes())
        .mount("/api/v1/sources", sources::routes())
        .mount("/api/v1/changes", changes::routes())
        .mount("/api/v1", graph::routes())
        .mount("/api/v1/export", export::routes())
        .mount("/api/v1", import::routes())
        .mount("/api/v1", openapi::routes())
        .register(
            "/api",
            catchers![
                bad_request,
                unauthorized,
                not_found,
                too_large,
                unprocessable,
                server_error
            ],
        )
}

fn envelope(field: &str, message: &str) -> Value {
    Error::Validation(vec![crate::error::FieldError::new(field, message)]).to_json()
}

#[catch(400)]
fn bad_request() -> Value {
    envelope("body", "the request body is not valid JSON")
}

#[catch(401)]
fn unauthorized() -> Value {
    envelope(
        "authorization",
        "sign-in required: send a valid bearer token",
    )
}

#[catch(404)]
fn not_found(req: &Request) -> Value {
    envelope("path", &format!("nothing at {}", req.uri()))
}

#[catch(413)]
fn too_large() -> Value {
    envelope("body", "the request body is too large")
}

#[catch(422)]
fn unprocessable() -> Value {
    envelope(
        "body",
        "the request body is not a JSON object of the expected shape",
    )
}

#[catch(500)]
fn server_error() -> Value {
    envelope("server", "internal error")
}
