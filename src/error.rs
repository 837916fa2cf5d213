//! The one error type of Knotenpunkt. Models and services return it; the API maps it to
//! HTTP in `api::respond` (422 validation, 404, 409, 401, 403, 503, 500).
use serde::Serialize;

/// One problem with one input field, shown to the user beside that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The one error body of the API: `{"errors": [{field, message}]}`, and on a 409 for a
/// duplicate the id of the record it would duplicate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub errors: Vec<FieldError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid input: {}", describe(.0))]
    Validation(Vec<FieldError>),
    #[error("{kind} {id} not found")]
    NotFound { kind: &'static str, id: String },
    #[error("{message}")]
    Conflict {
        message: String,
        existing_id: Option<String>,
    },
    #[error("sign-in required")]
    Unauthorized,
    #[error("this needs the {0} role")]
    Forbidden(&'static str),
    /// An upload over a stated limit (the message names it).
    #[error("{0}")]
    TooLarge(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The pool for heavy graph work is full; the client should try again shortly.
    #[error("busy with other graph requests; try again in a moment")]
    Busy,
    #[error("database error: {0}")]
    Database(String),
    #[error("{0}")]
    Internal(String),
}

fn describe(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Validation(vec![FieldError::new(field, message)])
    }

    /// The HTTP status this error maps to.
    pub fn status(&self) -> u16 {
        match self {
            Error::Validation(_) => 422,
            Error::NotFound { .. } => 404,
            Error::Conflict { .. } => 409,
            Error::Unauthorized => 401,
            Error::Forbidden(_) => 403,
            Error::TooLarge(_) => 413,
            Error::Unavailable(_) | Error::Busy => 503,
            Error::Database(_) | Error::Internal(_) => 500,
        }
    }
}

impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error as D};
        match e {
            D::NotFound => Error::NotFound {
                kind: "record",
                id: String::new(),
            },
            // The database's own text names tables, columns and values: never for clients.
            D::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => Error::Conflict {
                message: "duplicates a record written at the same time; reload and try again"
                    .into(),
                existing_id: None,
            },
            D::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => Error::invalid(
                "reference",
                "refers to a record that does not exist (any more)",
            ),
            other => Error::Database(other.to_string()),
        }
    }
}

impl From<diesel::r2d2::PoolError> for Error {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        Error::Unavailable(e.to_string())
    }
}

impl From<diesel::ConnectionError> for Error {
    fn from(e: diesel::ConnectionError) -> Self {
        Error::Unavailable(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::result::{DatabaseErrorKind, Error as D};

    #[test]
    fn constraint_violations_do_not_carry_the_database_text() {
        let text = "UNIQUE constraint failed: organisations.identity_key";
        for kind in [
            DatabaseErrorKind::UniqueViolation,
            DatabaseErrorKind::ForeignKeyViolation,
        ] {
            let e: Error = D::DatabaseError(kind, Box::new(text.to_string())).into();
            assert!(e.status() < 500);
            assert!(!e.to_string().contains("organisations"), "{e}");
        }
    }
}
