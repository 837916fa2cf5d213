//! The study's seed data set (`seed/*.toml`, see `seed/FORMAT.md`), loaded through the
//! normal validated commands. Each record's key is remembered, so loading twice adds
//! nothing; a record that already exists under the same identity is adopted, not copied.
use std::collections::HashMap;
use std::fmt;

use diesel::prelude::*;
use serde_json::{Map, Value};

use crate::db::DbConn;
use crate::domain::{Affiliation, Funding, Organisation, Person, Relation, Source};
use crate::error::{Error, Result};
use crate::schema::{organisations, seed_records};
use crate::service::{crud, input::decode, Caller, Resource};

/// The study's data set, built into the binary so it works from any directory.
pub const BUILTIN: &[(&str, &str)] = &[("study.toml", include_str!("../../seed/study.toml"))];

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SeedReport {
    pub added: usize,
    pub skipped: usize,
}

impl fmt::Display for SeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} records added, {} already present",
            self.added, self.skipped
        )
    }
}

/// True if the database holds no organisation and no seed record yet.
pub fn is_empty(conn: &mut DbConn) -> Result<bool> {
    let orgs: i64 = organisations::table.count().get_result(conn)?;
    let seeds: i64 = seed_records::table.count().get_result(conn)?;
    Ok(orgs == 0 && seeds == 0)
}

pub fn load_builtin(conn: &mut DbConn) -> Result<SeedReport> {
    let files: Vec<(String, String)> = BUILTIN
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    load_files(conn, &files)
}

/// Loads (name, TOML text) pairs in one transaction: all of it lands or nothing.
pub fn load_files(conn: &mut DbConn, files: &[(String, String)]) -> Result<SeedReport> {
    conn.transaction(|conn| {
        let mut loader = Loader::new(conn)?;
        for (name, text) in files {
            let doc: toml::Table =
                toml::from_str(text).map_err(|e| Error::invalid(name.clone(), e.to_string()))?;
            loader.load_doc(conn, &doc)?;
        }
        Ok(loader.report)
    })
}

/// A field holding a key (or list of keys) that becomes an id field.
struct KeyRef {
    from: &'static str,
    to: &'static str,
    list: bool,
}

const fn one(from: &'static str, to: &'static str) -> KeyRef {
    KeyRef {
        from,
        to,
        list: false,
    }
}
const fn many(from: &'static str, to: &'static str) -> KeyRef {
    KeyRef {
        from,
        to,
        list: true,
    }
}

struct Loader {
    ids: HashMap<String, String>,
    report: SeedReport,
}

impl Loader {
    fn new(conn: &mut DbConn) -> Result<Loader> {
        let known: Vec<(String, String)> = seed_records::table
            .select((seed_records::seed_key, seed_records::record_id))
            .load(conn)?;
        Ok(Loader {
            ids: known.into_iter().collect(),
            report: SeedReport::default(),
        })
    }

    fn load_doc(&mut self, conn: &mut DbConn, doc: &toml::Table) -> Result<()> {
        self.section::<Source>(conn, doc, "sources", &[])?;
        self.section::<Organisation>(conn, doc, "organisations", &[one("parent", "parent_id")])?;
        self.section::<Person>(conn, doc, "persons", &[])?;
        let funding_refs = [
            one("funder", "funder_id"),
            one("recipient", "recipient_id"),
            many("co_applicants", "co_applicant_ids"),
            many("carriers", "carrier_ids"),
        ];
        self.section::<Funding>(conn, doc, "fundings", &funding_refs)?;
        let affiliation_refs = [
            one("person", "person_id"),
            one("organisation", "organisation_id"),
            one("funding", "funding_id"),
        ];
        self.section::<Affiliation>(conn, doc, "affiliations", &affiliation_refs)?;
        let relation_refs = [one("source", "source_id"), one("target", "target_id")];
        self.section::<Relation>(conn, doc, "relations", &relation_refs)
    }

    fn section<R: Resource>(
        &mut self,
        conn: &mut DbConn,
        doc: &toml::Table,
        name: &str,
        refs: &[KeyRef],
    ) -> Result<()> {
        let Some(entries) = doc.get(name) else {
            return Ok(());
        };
        let entries = entries
            .as_array()
            .ok_or_else(|| Error::invalid(name, "must be an array of tables"))?;
        for entry in entries {
            let mut fields = serde_json::to_value(entry)
                .ok()
                .and_then(|v| v.as_object().cloned())
                .ok_or_else(|| Error::invalid(name, "each entry must be a table"))?;
            let key = match fields.remove("key") {
                Some(Value::String(k)) => k,
                _ => return Err(Error::invalid(name, "an entry has no key")),
            };
            if self.ids.contains_key(&key) {
                self.report.skipped += 1;
                continue;
            }
            self.translate(&key, &mut fields, refs)?;
            let input: R = decode(Value::Object(fields)).map_err(|e| in_record(&key, e))?;
            let id = match crud::create(conn, &Caller::System, input) {
                Ok(record) => record.id,
                Err(Error::Conflict {
                    existing_id: Some(existing),
                    ..
                }) => existing,
                Err(e) => return Err(in_record(&key, e)),
            };
            diesel::insert_into(seed_records::table)
                .values((
                    seed_records::seed_key.eq(&key),
                    seed_records::record_kind.eq(R::KIND),
                    seed_records::record_id.eq(&id),
                ))
                .execute(conn)?;
            self.ids.insert(key, id);
            self.report.added += 1;
        }
        Ok(())
    }

    /// Replaces keys by ids and `cite` by `citations`.
    fn translate(&self, key: &str, fields: &mut Map<String, Value>, refs: &[KeyRef]) -> Result<()> {
        let id_of = |k: &Value| -> Result<Value> {
            let k = k.as_str().unwrap_or_default();
            self.ids
                .get(k)
                .map(|id| Value::String(id.clone()))
                .ok_or_else(|| Error::invalid(key, format!("refers to unknown key '{k}'")))
        };
        for r in refs {
            let Some(value) = fields.remove(r.from) else {
                continue;
            };
            let translated = if r.list {
                let list = value.as_array().cloned().unwrap_or_default();
                Value::Array(list.iter().map(id_of).collect::<Result<_>>()?)
            } else {
                id_of(&value)?
            };
            fields.insert(r.to.to_string(), translated);
        }
        if let Some(Value::Array(cites)) = fields.remove("cite") {
            let mut citations = Vec::new();
            for c in cites {
                let source = id_of(c.get("source").unwrap_or(&Value::Null))?;
                let locator = c.get("locator").cloned().unwrap_or(Value::Null);
                citations.push(serde_json::json!({ "source_id": source, "locator": locator }));
            }
            fields.insert("citations".into(), Value::Array(citations));
        }
        Ok(())
    }
}

fn in_record(key: &str, e: Error) -> Error {
    match e {
        Error::Validation(list) => Error::Validation(
            list.into_iter()
                .map(|f| crate::error::FieldError::new(format!("{key}.{}", f.field), f.message))
                .collect(),
        ),
        other => other,
    }
}
