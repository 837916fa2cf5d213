//! The OpenAPI 3.1 document of `/api/v1`, served at `GET /api/v1/openapi.json`.
//!
//! Schemas come from the Rust types (`#[derive(utoipa::ToSchema)]` on the domain, graph
//! and service types the API reads and answers); each route is one `Op` in `routes.rs`,
//! built from those types (the graph answers in `graph.rs`, with the query parameters
//! their requests read). `tests/openapi.rs` compares the document with the routes
//! Rocket mounts, so a new route without an entry (or an entry without a route) fails.
//!
//! To add a route: write the handler, mount it, and add one entry to `routes::all`, e.g.
//! `Op::post("/api/v1/persons/{id}/erase", "Erase a person for good").tag("persons")
//! .access(Access::Admin).record_id().ok::<ErasureReport>("What was erased")` with
//! `ErasureReport` deriving `utoipa::ToSchema`.
mod graph;
mod op;
mod routes;
mod schemas;

use std::sync::OnceLock;

use rocket::http::ContentType;
use rocket::{get, routes, Route};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApi, OpenApiBuilder, Paths};

pub use op::{Access, Op};

use crate::error::ErrorBody;

/// The document, assembled from every operation and the schemas they refer to.
pub fn document() -> OpenApi {
    let mut paths = Paths::new();
    let mut schemas = schemas::Schemas::default();
    schemas.add::<ErrorBody>();
    for op in routes::all() {
        let (path, method, operation, used) = op.finish();
        paths.add_path_operation(&path, vec![method], operation);
        schemas.0.extend(used.0);
    }
    let mut components = ComponentsBuilder::new().security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("kp_…")
                .description(Some(
                    "An API token (`knotenpunkt user add NAME --role editor` prints one)",
                ))
                .build(),
        ),
    );
    let mut seen = std::collections::BTreeSet::new();
    for (name, schema) in schemas.0 {
        if seen.insert(name.clone()) {
            components = components.schema(name, schema);
        }
    }
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Knotenpunkt API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Registry of migrant organisations, the persons holding roles in them, \
                     their funding and relations. Errors are one envelope: \
                     `{\"errors\": [{\"field\", \"message\"}]}`.",
                ))
                .build(),
        )
        .paths(paths)
        .components(Some(components.build()))
        .build()
}

/// The document as JSON, built once.
pub fn json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        document()
            .to_json()
            .unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }).to_string())
    })
}

#[get("/openapi.json")]
fn openapi_json() -> (ContentType, &'static str) {
    (ContentType::JSON, json())
}

pub fn routes() -> Vec<Route> {
    routes![openapi_json]
}
