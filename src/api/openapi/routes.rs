//! Every `/api/v1` route as an operation of the document, beside the types it reads and
//! answers. A route mounted in `api::mount` without an entry here (or an entry without a
//! route) fails `tests/openapi.rs`.
use utoipa::ToSchema;

use super::op::{integer, string, words, Access, Op};
use super::schemas::page;
use crate::api::resources::ListParams;
use crate::domain::{Affiliation, Funding, Organisation, Person, Relation, Source};
use crate::service::audit::Change;
use crate::service::reads::PersonRead;

/// All operations of the document.
pub fn all() -> Vec<Op> {
    let mut ops = Vec::new();
    ops.extend(resource::<Organisation>(
        "organisations",
        "Organisations are public to read.",
    ));
    ops.extend(resource::<Person>(
        "persons",
        "Anonymous callers see public persons only; restricted ones need a token.",
    ));
    ops.extend(resource::<Affiliation>(
        "affiliations",
        "Roles of persons in organisations; anonymous callers see those of public persons only.",
    ));
    ops.extend(resource::<Funding>(
        "fundings",
        "Fundings are public to read.",
    ));
    ops.extend(resource::<Relation>(
        "relations",
        "Relations are public to read.",
    ));
    ops.extend(resource::<Source>("sources", "Sources are public to read."));
    ops.push(
        Op::get("/api/v1/changes", "The audit log, newest first")
            .tag("changes")
            .access(Access::SignedIn)
            .query("record_id", string(), "Only the changes of this record")
            .query("limit", integer(0, 500), "At most this many (default 100)")
            .query("offset", integer(0, i64::MAX), "Skip this many")
            .ok_page::<Change>("One page of changes"),
    );
    ops.push(
        Op::get(
            "/api/v1/persons/{id}/reads",
            "Who was shown this person, when, through which request (newest first)",
        )
        .tag("persons")
        .access(Access::Admin)
        .record_id()
        .params::<ListParams>()
        .ok_list::<PersonRead>("The reads of the person"),
    );
    ops.extend(data_subject());
    ops.extend(super::graph::all());
    ops.push(
        super::graph::view_params(
            Op::get(
                "/api/v1/export/{format}",
                "The network view as a file: GEXF 1.3 for Gephi, GraphML for networkx and \
                 igraph; or the view's records: for spreadsheets csv (a ZIP with one CSV \
                 file per record type) or xlsx (one sheet per record type), for Aleph ftm \
                 (FollowTheMoney entities, one JSON object a line)",
            )
            .tag("export")
            .path_param("format", "gexf, graphml, csv, xlsx or ftm")
            .errors(&[404, 422]),
        )
        .file(
            &[
                "application/gexf+xml",
                "application/graphml+xml",
                "application/zip",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "application/x-ndjson",
            ],
            "The file, streamed (graphs: persons as nodes for signed-in callers only; \
             records: anonymous callers get public persons only)",
        ),
    );
    ops.extend(import());
    ops.push(
        Op::get("/api/v1/openapi.json", "This document")
            .tag("meta")
            .answer(200, object(), "The OpenAPI 3.1 document of /api/v1"),
    );
    ops
}

/// The bulk import (`api::import`), for editors.
fn import() -> Vec<Op> {
    let mut import = Op::post(
        "/api/v1/import",
        "Import records from a file as the exports write them (CSV, a ZIP of CSV files, \
         XLSX, FollowTheMoney JSON lines): every row is checked and matched first; nothing \
         is written if a row fails or nearly matches an existing record (unless only_valid \
         or near_matches say so)",
    )
    .tag("import")
    .access(Access::Editor)
    .query(
        "format",
        words(&["csv", "xlsx", "ftm"]),
        "The file's format (default: by file_name)",
    )
    .query(
        "file_name",
        string(),
        "The file's name, cited by the import's source",
    )
    .query(
        "dry_run",
        words(&["true", "false"]),
        "Check and preview, write nothing",
    )
    .query(
        "only_valid",
        words(&["true", "false"]),
        "Write the valid rows even if others fail",
    )
    .query(
        "near_matches",
        words(&["ask", "match", "create"]),
        "Rows that nearly match an existing record: list them and write nothing (ask, the \
         default), take the existing record (match) or create a new one (create)",
    )
    .query(
        "source_id",
        string(),
        "The source rows without citations cite (default: a new one)",
    )
    .file_body(&[
        "text/csv",
        "application/zip",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/x-ndjson",
        "application/octet-stream",
    ]);
    let report = import.schemas.add::<crate::import::ImportReport>();
    let import = import
        .answer(
            200,
            report.clone(),
            "Imported, or the dry run's preview, row by row",
        )
        .answer(
            422,
            report,
            "Refused: the report lists every problem; nothing was written",
        );
    let list = Op::get("/api/v1/imports", "The imports done, newest first")
        .tag("import")
        .access(Access::Editor)
        .query("limit", integer(0, 500), "At most this many (default 100)")
        .query("offset", integer(0, i64::MAX), "Skip this many")
        .ok_page::<Change>("One page of import events");
    vec![import, list]
}

/// A named person's GDPR rights (`api::person_erasure`), for admins.
fn data_subject() -> Vec<Op> {
    let erase = Op::post(
        "/api/v1/persons/{id}/erase",
        "Erase a person for good (GDPR Art. 17; cannot be undone)",
    )
    .access(Access::Admin)
    .record_id()
    .errors(&[409])
    .ok::<crate::service::data_subject::Erasure>("What the erasure did");
    let mut export = Op::get(
        "/api/v1/persons/{id}/export",
        "Everything stored about one person, as one document (GDPR Art. 15)",
    )
    .access(Access::Admin)
    .record_id();
    let person = export.schemas.record::<Person>();
    let change = export.schemas.add::<Change>();
    let read = export.schemas.add::<PersonRead>();
    let array = |item| utoipa::openapi::ArrayBuilder::new().items(item).build();
    let document = utoipa::openapi::ObjectBuilder::new()
        .property("exported_at", string())
        .property("person", person)
        .property(
            "erased_at",
            utoipa::openapi::ObjectBuilder::new().schema_type(
                utoipa::openapi::schema::SchemaType::from_iter([
                    utoipa::openapi::schema::Type::String,
                    utoipa::openapi::schema::Type::Null,
                ]),
            ),
        )
        .property("roles", array(object()))
        .property("changes", array(change))
        .property("reads", array(read))
        .required("exported_at")
        .required("person")
        .required("roles")
        .required("changes")
        .required("reads");
    let export = export.answer(
        200,
        document.into(),
        "The person's record, roles, changes and reads",
    );
    vec![erase.tag("persons"), export.tag("persons")]
}

/// The six routes of a resource (`api::resources::resource_routes!`).
fn resource<T: ToSchema>(name: &str, reads: &str) -> Vec<Op> {
    let list = format!("/api/v1/{name}");
    let one = format!("{list}/{{id}}");
    let restore = format!("{one}/restore");
    let mut get = Op::get(&one, "One record").record_id();
    let record = get.schemas.record::<T>();
    let get = get.answer(200, record.clone(), "The record");
    let ops = vec![
        Op::get(&list, "List live records (or deleted ones, for editors)")
            .describe(reads)
            .params::<ListParams>()
            .errors(&[403])
            .answer(200, page(record.clone()), "One page of records"),
        Op::post(&list, "Create a record")
            .access(Access::Editor)
            .body::<T>()
            .errors(&[409])
            .answer(201, record.clone(), "The record as stored"),
        get.describe(reads),
        Op::put(&one, "Replace a record")
            .access(Access::Editor)
            .record_id()
            .body::<T>()
            .errors(&[409])
            .answer(200, record.clone(), "The record as stored"),
        Op::delete(
            &one,
            "Delete a record (soft; links of an organisation or person go with it)",
        )
        .access(Access::Editor)
        .record_id()
        .errors(&[409, 422])
        .empty(204, "Deleted"),
        Op::post(
            &restore,
            "Restore a deleted record with the links deleted with it",
        )
        .access(Access::Editor)
        .record_id()
        .errors(&[409, 422])
        .answer(200, record, "The record, live again"),
    ];
    ops.into_iter().map(|op| op.tag(name)).collect()
}

impl Op {
    /// The answer: 200 with one page of `T`.
    fn ok_page<T: ToSchema>(mut self, text: &str) -> Op {
        let item = self.schemas.add::<T>();
        self.answer(200, page(item), text)
    }
}

/// Any JSON object.
fn object() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::Object)
        .into()
}
