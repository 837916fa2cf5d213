//! One operation of the document, built from the Rust types it reads and answers: who
//! may call it, its parameters, its body, its answer and the error answers it can give.
use utoipa::openapi::path::{OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{ContentBuilder, HttpMethod, Ref, RefOr, Required, ResponseBuilder};
use utoipa::{IntoParams, ToSchema};

use super::schemas::Schemas;

/// Who may call a route: anyone (a token shows more), a signed-in user, or a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Public,
    SignedIn,
    Editor,
    Admin,
}

/// An operation on its way into the document.
pub struct Op {
    pub method: HttpMethod,
    pub path: String,
    pub builder: OperationBuilder,
    /// Status codes with their answer; errors are added by `finish`.
    answers: Vec<(u16, Option<RefOr<Schema>>, String)>,
    /// Status codes with files in these media types (exports).
    files: Vec<(u16, Vec<&'static str>, String)>,
    errors: Vec<u16>,
    access: Access,
    /// The schemas this operation refers to, by name.
    pub schemas: Schemas,
}

impl Op {
    fn new(method: HttpMethod, path: &str, summary: &str) -> Op {
        let verb = match method {
            HttpMethod::Get => "get",
            HttpMethod::Post => "post",
            HttpMethod::Put => "put",
            HttpMethod::Delete => "delete",
            _ => "other",
        };
        let id = format!(
            "{verb}{}",
            path.trim_start_matches("/api/v1")
                .replace(['{', '}'], "")
                .replace(['/', '.'], "_")
        );
        Op {
            method,
            path: path.to_string(),
            builder: OperationBuilder::new()
                .operation_id(Some(id))
                .summary(Some(summary)),
            answers: Vec::new(),
            files: Vec::new(),
            // Any route: a token that is not valid (401) and the server's own trouble.
            errors: vec![401, 500, 503],
            access: Access::Public,
            schemas: Schemas::default(),
        }
    }

    pub fn get(path: &str, summary: &str) -> Op {
        Op::new(HttpMethod::Get, path, summary)
    }

    pub fn post(path: &str, summary: &str) -> Op {
        Op::new(HttpMethod::Post, path, summary)
    }

    pub fn put(path: &str, summary: &str) -> Op {
        Op::new(HttpMethod::Put, path, summary)
    }

    pub fn delete(path: &str, summary: &str) -> Op {
        Op::new(HttpMethod::Delete, path, summary)
    }

    pub fn tag(mut self, tag: &str) -> Op {
        self.builder = self.builder.tag(tag);
        self
    }

    pub fn describe(mut self, text: &str) -> Op {
        self.builder = self.builder.description(Some(text));
        self
    }

    /// Who may call it; a signed-in route answers 401 without a token, a role route
    /// also 403 with too weak a role.
    pub fn access(mut self, access: Access) -> Op {
        self.access = access;
        if access != Access::Public {
            self.errors.push(401);
        }
        if matches!(access, Access::Editor | Access::Admin) {
            self.errors.push(403);
        }
        self
    }

    /// More error statuses this operation can answer with.
    pub fn errors(mut self, codes: &[u16]) -> Op {
        self.errors.extend_from_slice(codes);
        self
    }

    /// A path segment (`{name}` in the path); an unknown one is 404.
    pub fn path_param(mut self, name: &str, description: &str) -> Op {
        self.builder = self.builder.parameter(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some(description))
                .schema(Some(string())),
        );
        self.errors.push(404);
        self
    }

    /// The record id in the path: not a UUID or no such record is 404.
    pub fn record_id(self) -> Op {
        self.path_param("id", "The record's id (a UUID)")
    }

    /// One query parameter; bad values are 422 with the parameter as the field.
    pub fn query(self, name: &str, schema: impl Into<RefOr<Schema>>, text: &str) -> Op {
        self.query_param(name, schema, text, false)
    }

    /// One query parameter, perhaps required (then missing is 422 too).
    pub fn query_param(
        mut self,
        name: &str,
        schema: impl Into<RefOr<Schema>>,
        text: &str,
        required: bool,
    ) -> Op {
        let required = if required {
            Required::True
        } else {
            Required::False
        };
        self.builder = self.builder.parameter(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Query)
                .required(required)
                .description(Some(text))
                .schema(Some(schema)),
        );
        self.errors.push(422);
        self
    }

    /// The query parameters of a type that reads them (`#[derive(IntoParams)]`).
    pub fn params<P: IntoParams>(mut self) -> Op {
        self.builder = self
            .builder
            .parameters(Some(P::into_params(|| Some(ParameterIn::Query))));
        self.errors.push(422);
        self
    }

    /// A JSON body of type `T`: not JSON is 400, too large 413, not a valid `T` 422.
    pub fn body<T: ToSchema>(mut self) -> Op {
        let schema = self.schemas.add::<T>();
        self.builder = self.builder.request_body(Some(
            RequestBodyBuilder::new()
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(schema)).build(),
                )
                .required(Some(Required::True))
                .build(),
        ));
        self.errors.extend([400, 413, 422]);
        self
    }

    /// A file as the body, in one of `media_types` (an import): over the size limit 413.
    pub fn file_body(mut self, media_types: &[&'static str]) -> Op {
        let mut body = RequestBodyBuilder::new().required(Some(Required::True));
        for media_type in media_types {
            body = body.content(
                *media_type,
                ContentBuilder::new().schema(Some(string())).build(),
            );
        }
        self.builder = self.builder.request_body(Some(body.build()));
        self.errors.push(413);
        self
    }

    /// The answer: `status` with a body of the given schema.
    pub fn answer(mut self, status: u16, schema: RefOr<Schema>, text: &str) -> Op {
        self.answers.push((status, Some(schema), text.to_string()));
        self
    }

    /// The answer: 200 with a `T`.
    pub fn ok<T: ToSchema>(mut self, text: &str) -> Op {
        let schema = self.schemas.add::<T>();
        self.answer(200, schema, text)
    }

    /// The answer: 200 with a list of `T`.
    pub fn ok_list<T: ToSchema>(mut self, text: &str) -> Op {
        let item = self.schemas.add::<T>();
        self.answer(200, ArrayBuilder::new().items(item).into(), text)
    }

    /// The answer: 200 with a file in one of `media_types` (not JSON), e.g. an export.
    pub fn file(mut self, media_types: &[&'static str], text: &str) -> Op {
        self.files
            .push((200, media_types.to_vec(), text.to_string()));
        self
    }

    /// The answer: a status without a body (204).
    pub fn empty(mut self, status: u16, text: &str) -> Op {
        self.answers.push((status, None, text.to_string()));
        self
    }

    /// The operation with its answers, error answers and security requirement.
    pub fn finish(
        mut self,
    ) -> (
        String,
        HttpMethod,
        utoipa::openapi::path::Operation,
        Schemas,
    ) {
        let mut builder = self.builder;
        let mut answered: Vec<(u16, RefOr<Schema>)> = Vec::new();
        for (status, schema, text) in self.answers {
            if self.errors.contains(&status) {
                if let Some(schema) = schema {
                    answered.push((status, schema));
                }
                continue;
            }
            let mut response = ResponseBuilder::new().description(text);
            if let Some(schema) = schema {
                response = response.content(
                    "application/json",
                    ContentBuilder::new().schema(Some(schema)).build(),
                );
            }
            builder = builder.response(status.to_string(), response.build());
        }
        for (status, media_types, text) in self.files {
            let mut response = ResponseBuilder::new().description(text);
            for media_type in media_types {
                response = response.content(
                    media_type,
                    ContentBuilder::new().schema(Some(string())).build(),
                );
            }
            builder = builder.response(status.to_string(), response.build());
        }
        self.errors.sort_unstable();
        self.errors.dedup();
        for status in self.errors {
            // A status that is also an answer (an import refused with its report, 422)
            // carries either body.
            let error_body: RefOr<Schema> = Ref::from_schema_name("ErrorBody").into();
            let schema: RefOr<Schema> = match answered.iter().find(|(s, _)| *s == status) {
                Some((_, answer)) => OneOfBuilder::new()
                    .item(answer.clone())
                    .item(error_body)
                    .into(),
                None => error_body,
            };
            let error = ResponseBuilder::new()
                .description(error_text(status))
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(schema)).build(),
                );
            builder = builder.response(status.to_string(), error.build());
        }
        let bearer = SecurityRequirement::new("bearer", Vec::<String>::new());
        builder = match self.access {
            // Anonymous callers are served too; a token shows more.
            Access::Public => builder.securities(Some([SecurityRequirement::default(), bearer])),
            _ => builder.securities(Some([bearer])),
        };
        (self.path, self.method, builder.build(), self.schemas)
    }
}

fn error_text(status: u16) -> &'static str {
    match status {
        400 => "The body is not valid JSON",
        401 => "No valid bearer token (sign-in required, or the token is unknown or disabled)",
        403 => "The caller's role is too weak",
        404 => "No such record (an id that is not a UUID names none), or no such organisation",
        409 => "A duplicate or a conflict; `existing_id` names the record it would duplicate",
        413 => "The body is too large",
        422 => "Invalid input: one entry per field (body field or query parameter)",
        500 => "Internal error: the answer carries only a reference to the server's log",
        503 => "The database is unavailable, or the read of a person could not be logged",
        _ => "Error",
    }
}

/// `{"type": "string"}`.
pub fn string() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .build()
        .into()
}

/// A whole number from `min` to `max`.
pub fn integer(min: i64, max: i64) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(min))
        .maximum(Some(max))
        .build()
        .into()
}

/// One of `words`.
pub fn words(words: &[&str]) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(words.iter().copied()))
        .build()
        .into()
}
