//! The domain model: plain data, validation rules, no database and no HTTP.
pub mod caller;
pub mod disclosure;
pub mod enums;
pub mod links;
pub mod organisation;
pub mod partial_date;
pub mod person;
pub mod source;

pub use caller::{Caller, UserInfo};
pub use disclosure::{Disclosure, ShowsPerson};
pub use enums::*;
pub use links::{Affiliation, Funding, Relation};
pub use organisation::Organisation;
pub use partial_date::{Interval, PartialDate};
pub use person::Person;
pub use source::{Citation, Source};

use serde::Serialize;

/// A stored record: its id and timestamps around the data the user entered.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Record<T> {
    pub id: String,
    #[serde(flatten)]
    pub data: T,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

/// A web address that is safe to link to: `http` or `https` with a host. Anything else
/// (`javascript:`, `data:`, `file:` …) would run or open something in the reader's
/// browser when the link is followed, so it is refused.
pub fn web_url(text: &str) -> Result<(), validator::ValidationError> {
    let refuse = || {
        Err(validator::ValidationError::new("url")
            .with_message("must be a web address starting with http:// or https://".into()))
    };
    let lower = text.trim().to_ascii_lowercase();
    let rest = match lower.split_once("://") {
        Some(("http" | "https", rest)) => rest,
        _ => return refuse(),
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let valid = !host.is_empty()
        && text.chars().all(|c| !c.is_control() && !c.is_whitespace())
        && validator::ValidateUrl::validate_url(&text);
    if valid {
        Ok(())
    } else {
        refuse()
    }
}

/// Whether a text holds control characters other than tab and line breaks: NUL and the
/// like are refused everywhere (PostgreSQL cannot store NUL, SQLite can, and both
/// backends must answer alike).
pub fn has_control_chars(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Whether a text can be a record id (a UUID); anything else names no record.
/// `text` percent-encoded for a URL query (UTF-8 bytes; unreserved characters kept).
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn is_record_id(text: &str) -> bool {
    uuid::Uuid::try_parse(text).is_ok()
}

/// The JSON paths of the strings in `value` that hold control characters.
pub fn control_char_fields(value: &serde_json::Value) -> Vec<String> {
    fn walk(v: &serde_json::Value, path: String, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) if has_control_chars(s) => out.push(path),
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, format!("{path}[{i}]"), out);
                }
            }
            serde_json::Value::Object(map) => {
                for (k, item) in map {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    walk(item, p, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

/// Trims an optional text and turns an empty one into `None`.
pub fn clean(text: &mut Option<String>) {
    if let Some(t) = text {
        let trimmed = t.trim();
        if trimmed.is_empty() {
            *text = None;
        } else if trimmed.len() != t.len() {
            *text = Some(trimmed.to_string());
        }
    }
}

/// Removes repeated entries from a list field, keeping the first occurrence.
pub fn dedup<T: PartialEq + Clone>(items: &mut Vec<T>) {
    let mut seen: Vec<T> = Vec::with_capacity(items.len());
    items.retain(|i| {
        if seen.contains(i) {
            false
        } else {
            seen.push(i.clone());
            true
        }
    });
}

#[cfg(test)]
mod url_tests {
    #[test]
    fn only_http_and_https_addresses_are_links() {
        for good in [
            "https://example.org",
            "http://stadt-duisburg.de/integration?x=1#a",
        ] {
            assert!(super::web_url(good).is_ok(), "{good}");
        }
        for bad in [
            "javascript:alert(document.domain)",
            "JavaScript://%0Aalert(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "vbscript:msgbox",
            "https://",
            "https://exa mple.org",
            "//example.org",
            "example.org",
        ] {
            assert!(super::web_url(bad).is_err(), "{bad}");
        }
    }
}
