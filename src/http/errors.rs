//! What a client is told of a server-side error: never the database's or a library's
//! own text (it can name tables, values or other users' data). The full error goes to
//! the log under a short reference, and the answer names that reference.
use crate::error::Error;

/// The message for the client; server-side errors are logged under a new reference.
pub fn public_message(error: &Error, request: &str) -> String {
    // A full queue is the client's to retry, not a fault to look up in the log.
    if error.status() < 500 || matches!(error, Error::Busy) {
        return error.to_string();
    }
    let reference = &uuid::Uuid::now_v7().simple().to_string()[20..];
    rocket::error!("[{reference}] {request}: {error}");
    match error {
        Error::Unavailable(_) => {
            format!("the database is unavailable; try again shortly (reference {reference})")
        }
        _ => format!("internal error (reference {reference})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_errors_name_a_reference_not_their_cause() {
        let e = Error::Database("invalid byte sequence for encoding \"UTF8\": 0x00".into());
        let m = public_message(&e, "GET /x");
        assert!(
            m.starts_with("internal error (reference ") && !m.contains("UTF8"),
            "{m}"
        );
        let e = Error::Unavailable("connection refused to 10.0.0.1".into());
        assert!(!public_message(&e, "GET /x").contains("10.0.0.1"));
        let e = Error::invalid("name", "is required");
        assert_eq!(public_message(&e, "GET /x"), e.to_string());
    }
}
