//! The OpenAPI document at `/api/v1/openapi.json` is in step with the routes: every
//! route Rocket mounts under `/api/v1` is in it with its method, and nothing in it is
//! unmounted. Also the shape every operation shares: the error envelope, the bearer
//! scheme, 404 for ids, 422 for bodies and parameters.
mod common;

use std::collections::BTreeSet;

use common::TestApp;
use rocket::http::Status;
use serde_json::Value;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

/// `/api/v1/persons/<id>/reads` → `/api/v1/persons/{id}/reads`.
fn openapi_path(rocket_path: &str) -> String {
    let path = rocket_path
        .split('/')
        .map(|segment| match segment.strip_prefix('<') {
            Some(name) => format!("{{{}}}", name.trim_end_matches('>').trim_end_matches("..")),
            None => segment.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/");
    match path.strip_suffix('/') {
        Some(trimmed) if !trimmed.is_empty() => trimmed.to_string(),
        _ => path,
    }
}

fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                out.push((method.to_string(), path.clone(), op));
            }
        }
    }
    out
}

fn document_matches_the_mounted_routes(app: &TestApp) {
    let (status, doc) = app.get("/api/v1/openapi.json", None);
    assert_eq!(status, Status::Ok, "{doc}");
    assert_eq!(doc["openapi"], "3.1.0");

    let mounted: BTreeSet<(String, String)> = app
        .client
        .rocket()
        .routes()
        .filter(|r| r.uri.path().starts_with("/api/v1"))
        .map(|r| (r.method.as_str().to_lowercase(), openapi_path(r.uri.path())))
        .collect();
    let documented: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .map(|(m, p, _)| (m, p))
        .collect();
    let missing: Vec<_> = mounted.difference(&documented).collect();
    let unmounted: Vec<_> = documented.difference(&mounted).collect();
    assert!(
        missing.is_empty(),
        "mounted but not in the OpenAPI document (add them to src/api/openapi/routes.rs): {missing:?}"
    );
    assert!(
        unmounted.is_empty(),
        "in the OpenAPI document but not mounted: {unmounted:?}"
    );
    assert!(mounted.len() >= 50, "only {} API routes", mounted.len());
}

fn every_operation_names_its_errors_and_security(app: &TestApp) {
    let (_, doc) = app.get("/api/v1/openapi.json", None);
    let schemes = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(schemes["type"], "http");
    assert_eq!(schemes["scheme"], "bearer");
    let envelope = &doc["components"]["schemas"]["ErrorBody"];
    assert!(envelope["properties"]["errors"].is_object(), "{envelope}");
    assert!(
        envelope["properties"]["existing_id"].is_object(),
        "{envelope}"
    );
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");

    let mut ids = BTreeSet::new();
    for (method, path, op) in operations(&doc) {
        let at = format!("{method} {path}");
        assert!(
            ids.insert(op["operationId"].to_string()),
            "{at}: operationId twice"
        );
        let responses = op["responses"].as_object().expect("responses");
        // One success answer; work done in the background may also answer 202 first.
        let success = responses
            .keys()
            .filter(|k| k.starts_with('2') && *k != "202")
            .count();
        assert_eq!(success, 1, "{at}: one success answer");
        assert!(op["security"].is_array(), "{at}: security");
        if path == "/api/v1/openapi.json" {
            continue;
        }
        for code in ["401", "500"] {
            assert!(responses.contains_key(code), "{at}: {code}");
        }
        for (code, response) in responses.iter().filter(|(k, _)| !k.starts_with('2')) {
            // The error envelope, or (an import refused with its report) one of it and
            // the answer's own body.
            let schema = &response["content"]["application/json"]["schema"];
            let error_body = serde_json::json!({"$ref": "#/components/schemas/ErrorBody"});
            let either = schema["oneOf"]
                .as_array()
                .is_some_and(|a| a.len() == 2 && a.contains(&error_body));
            assert!(
                *schema == error_body || either,
                "{at}: {code} answers the error envelope"
            );
        }
        if path.contains('{') {
            assert!(responses.contains_key("404"), "{at}: an unknown id is 404");
        }
        let json_body = op["requestBody"]["content"]
            .get("application/json")
            .is_some();
        if json_body {
            for code in ["400", "409", "422"] {
                assert!(responses.contains_key(code), "{at}: {code}");
            }
        }
        if method != "get" {
            assert!(responses.contains_key("403"), "{at}: writes need a role");
            assert_eq!(
                op["security"],
                serde_json::json!([{ "bearer": [] }]),
                "{at}"
            );
        }
    }
    // Every reference resolves.
    let text = doc.to_string();
    for part in text.split("\"#/components/schemas/").skip(1) {
        let name = part.split('"').next().unwrap_or_default();
        assert!(schemas.contains_key(name), "unresolved schema {name}");
    }
    // A record answers with its id and timestamps beside the data it was given.
    let record = &schemas["OrganisationRecord"];
    for field in [
        "id",
        "name",
        "kind",
        "created_at",
        "deleted_at",
        "citations",
    ] {
        assert!(record["properties"][field].is_object(), "{field}: {record}");
    }
}

on_both_backends!(
    document_matches_the_mounted_routes,
    every_operation_names_its_errors_and_security
);
