//! One FollowTheMoney entity as a line of JSON: `{"id", "schema", "properties"}`, every
//! property a list of strings. Ids are the registry's record ids behind `kp-` (a UUID
//! already matches FtM's id pattern); an id that does not is written as `kp.` and its
//! bytes in hex, so ids stay unique and never collide with the plain ones.
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::domain::PartialDate;

#[derive(Debug, Serialize)]
pub struct Entity<'v> {
    pub id: String,
    pub schema: &'static str,
    pub properties: BTreeMap<&'static str, Vec<Cow<'v, str>>>,
}

impl<'v> Entity<'v> {
    /// An entity of `schema` for the record `record_id`.
    pub fn new(schema: &'static str, record_id: &str) -> Entity<'v> {
        Entity {
            id: id(record_id),
            schema,
            properties: BTreeMap::new(),
        }
    }

    /// Adds a value; blank values are left out (FtM has no empty values).
    pub fn set(&mut self, property: &'static str, value: impl Into<Cow<'v, str>>) {
        let value = value.into();
        if !value.trim().is_empty() {
            self.properties.entry(property).or_default().push(value);
        }
    }

    pub fn opt(&mut self, property: &'static str, value: Option<&'v str>) {
        if let Some(v) = value {
            self.set(property, v);
        }
    }

    /// A partial date as stored (`2019`, `2019-05`, `2019-05-14`): FtM dates are ISO
    /// prefixes of the same precision.
    pub fn date(&mut self, property: &'static str, value: Option<PartialDate>) {
        if let Some(d) = value {
            self.set(property, d.to_string());
        }
    }

    /// A reference to another entity (written, or about to be, in the same file).
    pub fn link(&mut self, property: &'static str, record_id: &str) {
        self.set(property, id(record_id));
    }

    /// Writes the entity and a line feed; `line` is a reused buffer.
    pub fn write(&self, line: &mut Vec<u8>, out: &mut dyn Write) -> io::Result<()> {
        line.clear();
        serde_json::to_writer(&mut *line, self).map_err(io::Error::other)?;
        line.push(b'\n');
        out.write_all(line)
    }
}

/// Whether `id` matches FtM's id pattern `^[0-9a-zA-Z]([0-9a-zA-Z.-]*[0-9a-zA-Z])?$`.
pub fn is_ftm_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'-')
        }
        _ => false,
    }
}

/// The entity id of a record id.
pub fn id(record_id: &str) -> String {
    if is_ftm_id(record_id) {
        format!("kp-{record_id}")
    } else {
        let hex: String = record_id.bytes().map(|b| format!("{b:02x}")).collect();
        format!("kp.x{hex}")
    }
}

/// An amount in cents as a decimal number of the currency (`3000050` → `30000.5`).
pub fn amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let (units, rest) = (cents / 100, cents % 100);
    if rest == 0 {
        format!("{sign}{units}")
    } else if rest % 10 == 0 {
        format!("{sign}{units}.{}", rest / 10)
    } else {
        format!("{sign}{units}.{rest:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_the_pattern_and_stay_apart() {
        let uuid = "0190f3a2-7b1c-7d4e-8f00-1234567890ab";
        assert_eq!(id(uuid), format!("kp-{uuid}"));
        for odd in ["a_b", "", "-x", "x.", "ü"] {
            let made = id(odd);
            assert!(is_ftm_id(&made), "{made}");
            assert!(made.starts_with("kp.x"), "{made}");
        }
        assert_ne!(id("a_b"), id("a-b"));
        assert!(is_ftm_id(&id("")));
        assert!(!is_ftm_id("kp-"));
        assert!(!is_ftm_id("a b"));
    }

    #[test]
    fn amounts_in_units_of_the_currency() {
        assert_eq!(amount(3_000_000), "30000");
        assert_eq!(amount(3_000_050), "30000.5");
        assert_eq!(amount(3_000_005), "30000.05");
        assert_eq!(amount(5), "0.05");
        assert_eq!(amount(-150), "-1.5");
    }

    #[test]
    fn one_line_of_json_without_blank_values() {
        let mut e = Entity::new("Person", "p1");
        e.set("name", "Ana");
        e.set("notes", " ");
        e.date("startDate", "2019-05".parse().ok());
        let mut line = Vec::new();
        let mut out = Vec::new();
        e.write(&mut line, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"id\":\"kp-p1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ana\"],\"startDate\":[\"2019-05\"]}}\n"
        );
    }
}
