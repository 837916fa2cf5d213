//! FollowTheMoney (FtM) JSON lines — what the `ftm` export writes, and what Aleph and the
//! `ftm` tools exchange — read into the record tables the rest of the import checks,
//! matches and writes (README, "Import"): the export's mapping
//! (`export::records::ftm`) in reverse.
//!
//! - `Organization`, `PublicBody`, `Company`, `LegalEntity` → organisations; `Person` →
//!   persons; `Directorship`, `Employment`, `Membership`, `UnknownLink` between a person
//!   and an organisation → roles (affiliations), between two organisations → relations;
//!   `Payment` → fundings. Any other schema refuses the file, naming the line.
//! - Ids: `kp-<uuid>` (this registry's, as the export writes them) is that record id; any
//!   other id becomes a name-based UUID (`entity_record_id`), the same for the entity
//!   and every reference to it, so links survive and a file imported twice names the
//!   same records.
//! - Every property is a list; the first value counts (dates: the date part). The
//!   export's `Label: value` lines in `notes`, `summary` and `description` are read
//!   back into their fields.
//! - An organisation entity with nothing but a name is a *reference* (the export writes
//!   organisations outside a selection so): it names a record and never changes one.
//!   Such rows go to a table of their own (`REFERENCES`) that `resolve_references`
//!   turns into organisation rows once the registry has been asked what it holds.
//! - A column (field) is in a table only if an entity of the file gives it a value, so
//!   fields the file never mentions keep their stored values when a row matches a record
//!   (as columns a CSV file leaves out); sources and citations are not in FtM, so the
//!   rows cite the import's source.
use std::collections::{BTreeMap, HashMap};

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::read::{Row, Table};
use super::ImportProblem;
use crate::db::DbConn;
use crate::domain::{
    is_record_id, FieldOfWork, FundingStatus, LegalForm, OrgKind, Organisation, Purpose,
    RelationKind, Role,
};
use crate::error::Result;
use crate::export::records::TABLES;
use crate::service::Resource;

/// The table of reference entities (organisations by name only) until
/// `resolve_references` has made them organisation rows.
pub const REFERENCES: &str = "organisation references";
/// Its columns.
const REFERENCE_COLUMNS: [&str; 4] = ["id", "name", "kind", "city"];

/// The namespace of the name-based ids of foreign entities (a fixed random UUID).
const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x5b3c1d9e_8f2a_4c71_9e0d_6a4b2f8c1e37);

const ORGANISATION_SCHEMAS: [&str; 4] = ["Organization", "PublicBody", "Company", "LegalEntity"];

/// The link schemas read and their two ends: (schema, the person's or member's end, the
/// organisation's end).
const LINK_SCHEMAS: [(&str, &str, &str); 4] = [
    ("Directorship", "director", "organization"),
    ("Employment", "employee", "employer"),
    ("Membership", "member", "organization"),
    ("UnknownLink", "subject", "object"),
];

fn schemas_read() -> String {
    let mut names: Vec<&str> = ORGANISATION_SCHEMAS.to_vec();
    names.push("Person");
    names.extend(LINK_SCHEMAS.iter().map(|(s, _, _)| *s));
    names.push("Payment");
    names.join(", ")
}

mod references;
mod rows;
mod values;

pub use references::resolve_references;
use rows::*;
use values::*;

/// One entity as read (fragments with the same id merged).
#[derive(Debug)]
struct Entity {
    line: usize,
    id: String,
    schema: String,
    properties: BTreeMap<String, Vec<String>>,
}

impl Entity {
    fn first(&self, property: &str) -> Option<&str> {
        self.properties
            .get(property)
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    fn all(&self, property: &str) -> &[String] {
        self.properties.get(property).map_or(&[], Vec::as_slice)
    }

    /// An organisation by name only, as the export writes those outside its selection.
    fn is_reference(&self) -> bool {
        self.properties.contains_key("name") && self.properties.keys().all(|k| k == "name")
    }
}

/// The entity on one line, or what is wrong with the line.
fn parse_line(line: usize, text: &str) -> std::result::Result<Entity, String> {
    let not_entity = "is not an FtM entity: one JSON object a line, {\"id\": …, \"schema\": …, \
                      \"properties\": {…}}";
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("{not_entity} (JSON: {e})"))?;
    let Value::Object(object) = value else {
        return Err(not_entity.to_string());
    };
    let word = |key: &str| {
        object
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let id = word("id").ok_or_else(|| "has no id".to_string())?;
    let schema = word("schema").ok_or_else(|| format!("has no schema (entity {id})"))?;
    let mut properties = BTreeMap::new();
    match object.get("properties") {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (name, values) in map {
                let list = match values {
                    Value::Array(items) => items.as_slice(),
                    single => std::slice::from_ref(single),
                };
                let mut texts = Vec::new();
                for v in list {
                    match v {
                        Value::Null => {}
                        Value::String(s) => texts.push(s.trim().to_string()),
                        Value::Number(n) => texts.push(n.to_string()),
                        Value::Bool(b) => texts.push(b.to_string()),
                        _ => {
                            return Err(format!(
                                "property {name} of {id} holds something other than text"
                            ))
                        }
                    }
                }
                texts.retain(|t| !t.is_empty());
                if !texts.is_empty() {
                    properties.insert(name.clone(), texts);
                }
            }
        }
        Some(_) => return Err(format!("the properties of {id} are not an object")),
    }
    Ok(Entity {
        line,
        id,
        schema,
        properties,
    })
}

/// What an entity is to the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Organisation,
    Person,
    Link,
    Payment,
}

fn class_of(schema: &str) -> Option<Class> {
    if ORGANISATION_SCHEMAS.contains(&schema) {
        Some(Class::Organisation)
    } else if schema == "Person" {
        Some(Class::Person)
    } else if LINK_SCHEMAS.iter().any(|(s, _, _)| *s == schema) {
        Some(Class::Link)
    } else if schema == "Payment" {
        Some(Class::Payment)
    } else {
        None
    }
}

fn problem(file: &str, line: usize, column: Option<&str>, message: String) -> ImportProblem {
    ImportProblem {
        line: Some(line),
        column: column.map(str::to_string),
        ..ImportProblem::of_file(file, message)
    }
}

/// Reads FtM JSON lines into tables; every problem of the file at once.
pub fn read_ftm(file: &str, bytes: &[u8]) -> std::result::Result<Vec<Table>, Vec<ImportProblem>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let message = format!(
                "is not UTF-8 text (byte 0x{:02X} on this line): FtM files are UTF-8",
                bytes[at]
            );
            return Err(vec![problem(file, line, None, message)]);
        }
    };
    let mut problems = Vec::new();
    let mut entities: Vec<Entity> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, line) in text.split('\n').enumerate() {
        let (n, line) = (i + 1, line.trim());
        if line.is_empty() {
            continue;
        }
        let entity = match parse_line(n, line) {
            Ok(e) => e,
            Err(message) => {
                problems.push(problem(file, n, None, message));
                continue;
            }
        };
        if class_of(&entity.schema).is_none() {
            let message = format!(
                "is a {} ({}), which this registry does not hold; it reads {}",
                entity.schema,
                entity.id,
                schemas_read()
            );
            problems.push(problem(file, n, None, message));
            continue;
        }
        // Fragments of one entity (as FtM streams may have them) are merged.
        match index.get(&entity.id) {
            Some(&k) if entities[k].schema != entity.schema => {
                let first = &entities[k];
                let message = format!(
                    "has the id {} of the {} on line {}, as a {}: one id, one entity",
                    entity.id, first.schema, first.line, entity.schema
                );
                problems.push(problem(file, n, None, message));
            }
            Some(&k) => {
                for (name, values) in entity.properties {
                    let list = entities[k].properties.entry(name).or_default();
                    for v in values {
                        if !list.contains(&v) {
                            list.push(v);
                        }
                    }
                }
            }
            None => {
                index.insert(entity.id.clone(), entities.len());
                entities.push(entity);
            }
        }
    }
    if entities.is_empty() && problems.is_empty() {
        problems.push(ImportProblem::of_file(file, "holds no FtM entities"));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut builder = Builder {
        file,
        classes: entities
            .iter()
            .filter_map(|e| Some((e.id.as_str(), class_of(&e.schema)?)))
            .collect(),
        rows: BTreeMap::new(),
        problems: Vec::new(),
    };
    for e in &entities {
        match class_of(&e.schema) {
            Some(Class::Organisation) => builder.organisation(e),
            Some(Class::Person) => builder.person(e),
            Some(Class::Link) => builder.link(e),
            Some(Class::Payment) => builder.payment(e),
            None => {}
        }
    }
    if builder.problems.is_empty() {
        Ok(builder.tables())
    } else {
        Err(builder.problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_of_this_registry_and_foreign_ones() {
        let uuid = "0190f3a2-7b1c-7d4e-8f00-1234567890ab";
        assert_eq!(entity_record_id(&format!("kp-{uuid}")), uuid);
        assert_eq!(
            entity_record_id("kp-0190F3A2-7B1C-7D4E-8F00-1234567890AB"),
            uuid
        );
        // Foreign ids (and `kp-` ids that are no UUID): name-based, stable, distinct.
        let foreign = entity_record_id("acme-gmbh");
        assert!(is_record_id(&foreign));
        assert_eq!(foreign, entity_record_id("acme-gmbh"));
        assert_ne!(foreign, entity_record_id("acme-gmbh2"));
        assert_ne!(entity_record_id(uuid), uuid, "a bare UUID is a foreign id");
        assert_eq!(
            uuid::Uuid::parse_str(&foreign).unwrap().get_version_num(),
            8
        );
        assert!(is_record_id(&entity_record_id("kp-nope")));
        assert!(is_record_id(&entity_record_id("kp.x615f62")));
    }

    #[test]
    fn amounts_in_units_of_the_currency() {
        assert_eq!(cents("30000"), Ok(3_000_000));
        assert_eq!(cents("30000.5"), Ok(3_000_050));
        assert_eq!(cents("30000.05"), Ok(3_000_005));
        assert_eq!(cents("0.005"), Ok(1));
        assert_eq!(cents("0.0049"), Ok(0));
        assert_eq!(cents("+12"), Ok(1200));
        assert_eq!(cents(".5"), Ok(50));
        for bad in ["", "-5", "30.000,50", "1e6", "viel", "."] {
            assert!(cents(bad).is_err(), "{bad}");
        }
        assert_eq!(euro_cell(3_000_005), "30000,05");
        // What the export writes when an amount is not exact.
        assert_eq!(
            amount_range(" 30000 bis 70000.5 EUR"),
            Ok((Some(3_000_000), Some(7_000_050), Some("EUR".into())))
        );
        assert_eq!(
            amount_range("mindestens 5 USD"),
            Ok((Some(500), None, Some("USD".into())))
        );
        assert_eq!(amount_range("höchstens 5"), Ok((None, Some(500), None)));
        assert!(amount_range("viel EUR").is_err());
    }

    #[test]
    fn addresses_dates_and_legal_forms() {
        assert_eq!(city_of("Köln"), "Köln");
        assert_eq!(city_of("Köln, Ehrenfeld"), "Köln, Ehrenfeld");
        assert_eq!(city_of("Musterstr. 1, 47051 Duisburg"), "Duisburg");
        assert_eq!(city_of("D-50667 Köln"), "Köln");
        assert_eq!(date("2019-05-14T10:00:00"), "2019-05-14");
        assert_eq!(date("2019"), "2019");
        assert_eq!(legal_form("e. V."), Some(LegalForm::RegisteredAssociation));
        assert_eq!(legal_form("gGmbH"), Some(LegalForm::Company));
        assert_eq!(legal_form("foundation"), Some(LegalForm::Foundation));
        assert_eq!(legal_form("Genossenschaft"), None);
    }

    fn cell<'t>(t: &'t Table, row: usize, column: &str) -> &'t str {
        let i = t.header.iter().position(|h| h == column);
        i.map_or("", |i| t.rows[row].cells[i].as_str())
    }

    #[test]
    fn entities_become_rows() {
        let file = concat!(
            "{\"id\":\"org-1\",\"schema\":\"Organization\",\"properties\":{\"name\":[\"Verein A\"],",
            "\"classification\":[\"migrant_organisation\"],\"address\":[\"Köln\"],\"country\":[\"de\"],",
            "\"notes\":[\"Registergericht: AG Köln\\nArbeitsprinzip: offen\\nfür alle\\nMitglieder: 20 bis 30\"]}}\n",
            "\n",
            "{\"id\":\"ref\",\"schema\":\"PublicBody\",\"properties\":{\"name\":[\"Stadt Köln\"]}}\n",
            "{\"id\":\"p\",\"schema\":\"Person\",\"properties\":{\"firstName\":[\"Ana\"],\"lastName\":[\"B\"],",
            "\"description\":[\"Pseudonym\"]}}\n",
            "{\"id\":\"d\",\"schema\":\"Directorship\",\"properties\":{\"director\":[\"p\"],",
            "\"organization\":[\"org-1\"],\"role\":[\"Vorsitzende\"],\"startDate\":[\"2020-01-02T00:00:00\"],",
            "\"summary\":[\"Arbeitsfelder: Bildung, youth\\nunbezahlt\"]}}\n",
            "{\"id\":\"m\",\"schema\":\"Membership\",\"properties\":{\"member\":[\"org-1\"],\"organization\":[\"ref\"]}}\n",
            "{\"id\":\"pay\",\"schema\":\"Payment\",\"properties\":{\"payer\":[\"ref\"],\"beneficiary\":[\"org-1\"],",
            "\"description\":[\"Betrag: 1000 bis 2000.5 EUR\\nStatus: beantragt\\nFür Miete\"]}}\n",
        );
        let tables = read_ftm("x.ftm.json", file.as_bytes()).unwrap();
        let names: Vec<&str> = tables.iter().map(|t| t.name).collect();
        assert_eq!(
            names,
            [
                REFERENCES,
                "organisations",
                "persons",
                "fundings",
                "affiliations",
                "relations"
            ]
        );
        let (refs, orgs, persons, fundings, roles, relations) = (
            &tables[0], &tables[1], &tables[2], &tables[3], &tables[4], &tables[5],
        );
        assert_eq!(refs.rows[0].line, 3);
        assert_eq!(refs.rows[0].cells[1..], ["Stadt Köln", "state_body", ""]);
        let org = entity_record_id("org-1");
        assert_eq!(cell(orgs, 0, "id"), org);
        assert_eq!(cell(orgs, 0, "kind"), "migrant_organisation");
        assert_eq!(cell(orgs, 0, "country"), "DE");
        assert_eq!(cell(orgs, 0, "register_court"), "AG Köln");
        assert_eq!(cell(orgs, 0, "working_principle"), "offen\nfür alle");
        assert_eq!(cell(orgs, 0, "member_count_max"), "30");
        assert!(
            !orgs.header.contains(&"website".to_string()),
            "no entity has one"
        );
        assert_eq!(cell(persons, 0, "display_name"), "Ana B");
        assert_eq!(cell(persons, 0, "is_pseudonym"), "true");
        assert_eq!(cell(roles, 0, "person_id"), entity_record_id("p"));
        assert_eq!(cell(roles, 0, "organisation_id"), org);
        assert_eq!(cell(roles, 0, "role"), "board_member");
        assert_eq!(cell(roles, 0, "title"), "Vorsitzende");
        assert_eq!(cell(roles, 0, "start"), "2020-01-02");
        assert_eq!(cell(roles, 0, "fields_of_work"), "education,youth");
        assert_eq!(cell(roles, 0, "paid"), "false");
        assert_eq!(cell(relations, 0, "kind"), "member_of");
        assert_eq!(cell(relations, 0, "target_id"), entity_record_id("ref"));
        assert_eq!(cell(fundings, 0, "amount_min_eur"), "1000,00");
        assert_eq!(cell(fundings, 0, "amount_max_eur"), "2000,50");
        assert_eq!(cell(fundings, 0, "status"), "applied");
        assert_eq!(cell(fundings, 0, "purpose"), "Für Miete");
        assert_eq!(cell(fundings, 0, "currency"), "EUR");
    }

    #[test]
    fn bad_lines_are_named() {
        let file = "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n\
                    not json\n\
                    {\"id\":\"v\",\"schema\":\"Vessel\",\"properties\":{}}\n\
                    {\"schema\":\"Person\"}\n\
                    {\"id\":\"a\",\"schema\":\"Company\"}\n";
        let problems = read_ftm("x.jsonl", file.as_bytes()).unwrap_err();
        let lines: Vec<_> = problems.iter().map(|p| p.line.unwrap()).collect();
        assert_eq!(lines, [2, 3, 4, 5], "{problems:?}");
        assert!(problems[1].message.contains("Vessel"), "{problems:?}");
        assert!(problems[2].message.contains("no id"), "{problems:?}");
        let p = read_ftm("x.jsonl", b"\n\n").unwrap_err();
        assert!(p[0].message.contains("no FtM entities"), "{p:?}");
        let p = read_ftm("x.jsonl", b"{\"id\":\"a\",\"schema\":\"Person\"}\n\xff\n").unwrap_err();
        assert_eq!(p[0].line, Some(2));
    }

    #[test]
    fn fragments_merge_and_links_need_known_ends() {
        let file = "{\"id\":\"a\",\"schema\":\"Organization\",\"properties\":{\"name\":[\"A\"]}}\n\
                    {\"id\":\"a\",\"schema\":\"Organization\",\"properties\":{\"website\":[\"https://a.example\"]}}\n\
                    {\"id\":\"l\",\"schema\":\"UnknownLink\",\"properties\":{\"subject\":[\"x\"],\"object\":[\"a\"]}}\n";
        let problems = read_ftm("x.jsonl", file.as_bytes()).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(3));
        // With a role code the other end is a person.
        let file = file.replace("\"object\"", "\"role\":[\"adviser\"],\"object\"");
        let tables = read_ftm("x.jsonl", file.as_bytes()).unwrap();
        assert_eq!(tables[0].name, "organisations", "merged: not a reference");
        assert_eq!(cell(&tables[0], 0, "website"), "https://a.example");
        assert_eq!(tables[1].name, "affiliations");
        assert_eq!(cell(&tables[1], 0, "role"), "adviser");
    }
}
