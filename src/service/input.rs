//! Typed input from JSON: the first problem is reported with the field it concerns.
use crate::error::{Error, FieldError};

/// Turns a JSON value into a typed input, naming the field of the first problem.
pub fn decode<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let message = e.inner().to_string();
        Error::Validation(vec![field_error(&path, &message)])
    })
}

fn field_error(path: &str, message: &str) -> FieldError {
    let quoted = || message.split('`').nth(1).unwrap_or("").to_string();
    let prefix = if path == "." {
        String::new()
    } else {
        format!("{path}.")
    };
    if message.starts_with("missing field") {
        FieldError::new(format!("{prefix}{}", quoted()), "is required")
    } else if message.starts_with("unknown field") {
        // The path already ends with the unknown field's name.
        let field = if path == "." {
            quoted()
        } else {
            path.to_string()
        };
        FieldError::new(field, "is not a field of this record")
    } else {
        let field = if path == "." { "body" } else { path };
        FieldError::new(field, message.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_missing_unknown_and_wrong_fields() {
        let e = field_error(".", "missing field `name`");
        assert_eq!(
            (e.field.as_str(), e.message.as_str()),
            ("name", "is required")
        );
        let e = field_error(
            "ethnicity",
            "unknown field `ethnicity`, expected one of `a`",
        );
        assert_eq!(e.field, "ethnicity");
        let e = field_error("kind", "unknown variant `x`, expected `y`");
        assert_eq!(e.field, "kind");
        let e = field_error("citations[0]", "missing field `locator`");
        assert_eq!(e.field, "citations[0].locator");
    }
}
