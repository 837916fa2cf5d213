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

/// The record id an FtM entity id stands for: the UUID behind `kp-`, else a UUID made
/// from the id (version 8, SHA-256 of a fixed namespace and the id, RFC 9562 B.2).
pub fn entity_record_id(ftm_id: &str) -> String {
    if let Some(uuid) = ftm_id
        .strip_prefix("kp-")
        .filter(|rest| is_record_id(rest))
        .and_then(|rest| uuid::Uuid::try_parse(rest).ok())
    {
        return uuid.hyphenated().to_string();
    }
    let mut hash = Sha256::new();
    hash.update(NAMESPACE.as_bytes());
    hash.update(ftm_id.as_bytes());
    let digest = hash.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// An FtM amount (a decimal number of the currency's units: `30000`, `30000.5`) in
/// cents, rounded half up beyond the cent.
pub fn cents(text: &str) -> std::result::Result<i64, String> {
    let bad = || format!("\"{text}\" is not an amount such as 30000 or 30000.5");
    let t = text.trim();
    let t = t.strip_prefix('+').unwrap_or(t);
    let (whole, fraction) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return Err(bad());
    }
    let units: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let mut f = fraction.bytes().map(|b| i64::from(b - b'0'));
    let (tenths, hundredths, rest) = (
        f.next().unwrap_or(0),
        f.next().unwrap_or(0),
        f.next().unwrap_or(0),
    );
    units
        .checked_mul(100)
        .and_then(|c| c.checked_add(tenths * 10 + hundredths + i64::from(rest >= 5)))
        .ok_or_else(bad)
}

/// The cell the import's euro columns read (`30000,50`).
fn euro_cell(cents: i64) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

/// The bounds a range says as the export writes it: `A bis B`, `mindestens A`,
/// `höchstens B`, `A` (exact).
fn bounds(text: &str) -> (Option<&str>, Option<&str>) {
    let text = text.trim();
    if let Some((a, b)) = text.split_once(" bis ") {
        (Some(a.trim()), Some(b.trim()))
    } else if let Some(a) = text.strip_prefix("mindestens ") {
        (Some(a.trim()), None)
    } else if let Some(b) = text.strip_prefix("höchstens ") {
        (None, Some(b.trim()))
    } else {
        (Some(text), Some(text))
    }
}

/// An amount range in cents and its currency: (minimum, maximum, currency).
type AmountRange = (Option<i64>, Option<i64>, Option<String>);

/// An amount range as the export writes it in a payment's description (`30000 bis 70000
/// EUR`).
fn amount_range(text: &str) -> std::result::Result<AmountRange, String> {
    let text = text.trim();
    let (rest, currency) = match text.rsplit_once(' ') {
        Some((rest, unit)) if unit.len() == 3 && unit.bytes().all(|b| b.is_ascii_alphabetic()) => {
            (rest, Some(unit.to_ascii_uppercase()))
        }
        _ => (text, None),
    };
    let (min, max) = bounds(rest);
    Ok((
        min.map(cents).transpose()?,
        max.map(cents).transpose()?,
        currency,
    ))
}

/// The date part of an FtM date or date-time (`2019-05-14T10:00:00` → `2019-05-14`).
fn date(value: &str) -> String {
    value
        .trim()
        .split(['T', ' '])
        .next()
        .unwrap_or_default()
        .to_string()
}

/// A city from an FtM address: the address itself (the export writes the city), or in a
/// postal address the place after the postcode (`Musterstr. 1, 47051 Duisburg`).
fn city_of(address: &str) -> String {
    let after_postcode = |part: &str| -> Option<String> {
        let part = part.trim();
        let part = ["D-", "DE-"]
            .iter()
            .find_map(|p| part.strip_prefix(p))
            .unwrap_or(part);
        let (code, place) = part.split_once(char::is_whitespace)?;
        let place = place.trim();
        ((4..=5).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_digit())
            && !place.is_empty())
        .then(|| place.to_string())
    };
    address
        .split([',', '\n'])
        .find_map(after_postcode)
        .unwrap_or_else(|| address.trim().to_string())
}

/// A legal form: the code, or a few common German and English names of it.
fn legal_form(text: &str) -> Option<LegalForm> {
    if let Ok(f) = text.trim().parse() {
        return Some(f);
    }
    let key: String = text
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    Some(match key.as_str() {
        "ev" | "eingetragenerverein" | "registeredassociation" | "verein" => {
            LegalForm::RegisteredAssociation
        }
        "stiftung" | "foundation" => LegalForm::Foundation,
        "gmbh" | "ggmbh" | "ag" | "ug" | "ughaftungsbeschränkt" | "company" | "gesellschaft" => {
            LegalForm::Company
        }
        "kdör" | "körperschaftdesöffentlichenrechts" | "publicbody" => LegalForm::PublicBody,
        _ => return None,
    })
}

/// A code or the German label of one (`Bildung` → education).
fn code_or_label<T: Copy + std::str::FromStr>(
    text: &str,
    all: &[T],
    label: fn(&T) -> &'static str,
) -> Option<T> {
    let text = text.trim();
    text.parse()
        .ok()
        .or_else(|| all.iter().find(|v| label(v) == text).copied())
}

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

/// A row being made: the JSON line and its cells by column.
type Cells = (usize, BTreeMap<&'static str, String>);

/// Which end of a link an id is, as far as the file says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Person,
    Organisation,
    Unknown,
}

struct Builder<'a> {
    file: &'a str,
    /// What each entity of the file is, by FtM id.
    classes: HashMap<&'a str, Class>,
    /// Rows by table.
    rows: BTreeMap<&'static str, Vec<Cells>>,
    problems: Vec<ImportProblem>,
}

/// Sets a cell if there is a value.
fn put(cells: &mut BTreeMap<&'static str, String>, column: &'static str, value: Option<String>) {
    if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
        cells.insert(column, v);
    }
}

impl Builder<'_> {
    fn problem(&mut self, e: &Entity, property: Option<&str>, message: String) {
        self.problems
            .push(problem(self.file, e.line, property, message));
    }

    fn push(&mut self, table: &'static str, line: usize, cells: BTreeMap<&'static str, String>) {
        self.rows.entry(table).or_default().push((line, cells));
    }

    fn end(&self, ftm_id: &str) -> End {
        match self.classes.get(ftm_id) {
            Some(Class::Person) => End::Person,
            Some(Class::Organisation) => End::Organisation,
            _ => End::Unknown,
        }
    }

    /// The record id a reference property names; a problem if it has none.
    fn reference<'e>(&mut self, e: &'e Entity, property: &str) -> Option<&'e str> {
        let id = e.first(property);
        if id.is_none() {
            self.problem(
                e,
                Some(property),
                format!("{} {} has no {property}", e.schema, e.id),
            );
        }
        id
    }

    fn organisation(&mut self, e: &Entity) {
        let kind = e
            .all("classification")
            .iter()
            .find_map(|k| k.parse::<OrgKind>().ok())
            .unwrap_or(match e.schema.as_str() {
                "PublicBody" => OrgKind::StateBody,
                _ => OrgKind::Other,
            });
        let mut c = BTreeMap::new();
        c.insert("id", entity_record_id(&e.id));
        c.insert("kind", kind.as_str().to_string());
        put(&mut c, "name", e.first("name").map(str::to_string));
        if e.is_reference() {
            self.push(REFERENCES, e.line, c);
            return;
        }
        put(&mut c, "short_name", e.first("alias").map(str::to_string));
        let form = e
            .all("legalForm")
            .iter()
            .find_map(|f| legal_form(f))
            .or((e.schema == "Company").then_some(LegalForm::Company));
        put(&mut c, "legal_form", form.map(|f| f.as_str().to_string()));
        put(&mut c, "parent_id", e.first("parent").map(entity_record_id));
        put(&mut c, "city", e.first("address").map(city_of));
        let country = e.all("country").iter().find(|c| c.len() == 2);
        put(&mut c, "country", country.map(|c| c.to_ascii_uppercase()));
        put(&mut c, "founded", e.first("incorporationDate").map(date));
        put(&mut c, "dissolved", e.first("dissolutionDate").map(date));
        put(
            &mut c,
            "register_number",
            e.first("registrationNumber").map(str::to_string),
        );
        put(&mut c, "website", e.first("website").map(str::to_string));
        put(
            &mut c,
            "self_description",
            e.first("summary").map(str::to_string),
        );
        let purposes: Vec<&str> = e
            .all("sector")
            .iter()
            .filter_map(|s| code_or_label(s, Purpose::ALL, Purpose::label_de))
            .map(|p| p.as_str())
            .collect();
        put(&mut c, "purposes", Some(purposes.join(",")));
        // The export's notes: `Registergericht: …`, `Registernummer: …` (longer than FtM
        // takes), `Arbeitsprinzip: …`, `Mitglieder: 20 bis 30`; a line without a label
        // continues the text before it; other text goes to the description.
        let mut extra: Vec<&str> = Vec::new();
        let mut open: Option<&'static str> = None;
        for note in e.all("notes") {
            for line in note.lines() {
                let labelled = [
                    ("Registergericht:", "register_court"),
                    ("Registernummer:", "register_number"),
                    ("Arbeitsprinzip:", "working_principle"),
                ]
                .into_iter()
                .find_map(|(label, column)| Some((column, line.strip_prefix(label)?)));
                if let Some((column, value)) = labelled {
                    c.insert(column, value.trim().to_string());
                    open = Some(column);
                } else if let Some(range) = line.strip_prefix("Mitglieder:") {
                    let (min, max) = bounds(range);
                    put(&mut c, "member_count_min", min.map(str::to_string));
                    put(&mut c, "member_count_max", max.map(str::to_string));
                    open = None;
                } else if let Some(column) = open {
                    let text = c.entry(column).or_default();
                    text.push('\n');
                    text.push_str(line);
                } else {
                    extra.push(line);
                }
            }
        }
        let extra = extra.join("\n");
        let description = [e.first("description"), Some(extra.trim())]
            .into_iter()
            .flatten()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        put(&mut c, "description", Some(description));
        self.push("organisations", e.line, c);
    }

    fn person(&mut self, e: &Entity) {
        let mut c = BTreeMap::new();
        c.insert("id", entity_record_id(&e.id));
        let parts: Vec<&str> = ["firstName", "middleName", "lastName"]
            .iter()
            .filter_map(|p| e.first(p))
            .collect();
        let name = e
            .first("name")
            .map(str::to_string)
            .or((!parts.is_empty()).then(|| parts.join(" ")));
        put(&mut c, "display_name", name);
        // The export says `Pseudonym` in the description; other description text is
        // kept in the notes.
        let mut notes: Vec<&str> = e.all("notes").iter().map(String::as_str).collect();
        for d in e.all("description") {
            if d == "Pseudonym" {
                c.insert("is_pseudonym", "true".into());
            } else {
                notes.push(d);
            }
        }
        put(&mut c, "notes", Some(notes.join("\n\n")));
        self.push("persons", e.line, c);
    }

    fn link(&mut self, e: &Entity) {
        let Some(&(schema, from, to)) = LINK_SCHEMAS.iter().find(|(s, _, _)| *s == e.schema) else {
            return;
        };
        let (Some(a), Some(b)) = (self.reference(e, from), self.reference(e, to)) else {
            return;
        };
        let role = e.all("role").iter().find_map(|r| r.parse::<Role>().ok());
        let kind = e
            .all("role")
            .iter()
            .find_map(|r| r.parse::<RelationKind>().ok());
        // What each end is: the file's entity, else what the schema's ranges or a code
        // say (a role code links a person and an organisation, a relation kind two
        // organisations; a person is linked to organisations only).
        let (mut x, mut y) = (self.end(a), self.end(b));
        if schema != "UnknownLink" && y == End::Unknown {
            y = End::Organisation;
        }
        if schema == "Employment" && x == End::Unknown {
            x = End::Person;
        }
        let other = |e: End| match e {
            End::Person => End::Organisation,
            End::Organisation => End::Person,
            End::Unknown => End::Unknown,
        };
        if role.is_some() {
            if x == End::Unknown && y == End::Unknown {
                (x, y) = (End::Person, End::Organisation);
            }
            if x == End::Unknown {
                x = other(y);
            }
            if y == End::Unknown {
                y = other(x);
            }
        } else if kind.is_some() {
            if x == End::Unknown {
                x = End::Organisation;
            }
            if y == End::Unknown {
                y = End::Organisation;
            }
        } else if x == End::Person && y == End::Unknown {
            y = End::Organisation;
        } else if y == End::Person && x == End::Unknown {
            x = End::Organisation;
        }
        let ends = (x, y);
        let (person, organisation) = match ends {
            (End::Person, End::Organisation) => (a, b),
            (End::Organisation, End::Person) => (b, a),
            (End::Organisation, End::Organisation) => return self.relation(e, a, b, kind),
            (End::Person, End::Person) => {
                let message = format!(
                    "{} {} links two persons; the registry links persons to organisations only",
                    e.schema, e.id
                );
                return self.problem(e, None, message);
            }
            _ => {
                let missing = if ends.0 == End::Unknown { a } else { b };
                let message = format!(
                    "{} {} names {missing}, which is not in the file: it cannot be told \
                     whether that is a person or an organisation (add the entity, or a role \
                     code)",
                    e.schema, e.id
                );
                return self.problem(e, None, message);
            }
        };
        let role = role.unwrap_or(match schema {
            "Directorship" => Role::BoardMember,
            "Employment" => Role::Employee,
            "Membership" => Role::Member,
            _ => Role::Contact,
        });
        let mut c = BTreeMap::new();
        c.insert("id", entity_record_id(&e.id));
        c.insert("person_id", entity_record_id(person));
        c.insert("organisation_id", entity_record_id(organisation));
        c.insert("role", role.as_str().to_string());
        put(
            &mut c,
            "title",
            e.first("description")
                .or_else(|| free_role(e))
                .map(str::to_string),
        );
        put(&mut c, "start", e.first("startDate").map(date));
        put(&mut c, "end", e.first("endDate").map(date));
        // The export's summary: `Arbeitsfelder: Bildung, Jugend`, `bezahlt` or
        // `unbezahlt`, `projektgebunden`.
        for line in e.all("summary").iter().flat_map(|s| s.lines()) {
            let line = line.trim();
            if let Some(list) = line.strip_prefix("Arbeitsfelder:") {
                let fields: Vec<&str> = list
                    .split(',')
                    .filter_map(|f| code_or_label(f, FieldOfWork::ALL, FieldOfWork::label_de))
                    .map(|f| f.as_str())
                    .collect();
                put(&mut c, "fields_of_work", Some(fields.join(",")));
            } else if line == "bezahlt" || line == "unbezahlt" {
                c.insert("paid", (line == "bezahlt").to_string());
            } else if line == "projektgebunden" {
                c.insert("project_bound", "true".into());
            }
        }
        self.push("affiliations", e.line, c);
    }

    fn relation(&mut self, e: &Entity, source: &str, target: &str, kind: Option<RelationKind>) {
        let kind = kind.unwrap_or(match e.schema.as_str() {
            "Membership" => RelationKind::MemberOf,
            "Directorship" => RelationKind::CarrierOf,
            _ => RelationKind::CooperatesWith,
        });
        let mut c = BTreeMap::new();
        c.insert("id", entity_record_id(&e.id));
        c.insert("source_id", entity_record_id(source));
        c.insert("target_id", entity_record_id(target));
        c.insert("kind", kind.as_str().to_string());
        put(&mut c, "start", e.first("startDate").map(date));
        put(&mut c, "end", e.first("endDate").map(date));
        put(
            &mut c,
            "description",
            e.first("description")
                .or_else(|| free_role(e))
                .map(str::to_string),
        );
        for line in e.all("summary").iter().flat_map(|s| s.lines()) {
            if let Some(n) = line.trim().strip_prefix("Größe: etwa ") {
                c.insert("approx_size", n.trim().to_string());
            }
        }
        self.push("relations", e.line, c);
    }

    fn payment(&mut self, e: &Entity) {
        let (Some(payer), Some(beneficiary)) =
            (self.reference(e, "payer"), self.reference(e, "beneficiary"))
        else {
            return;
        };
        for (property, id) in [("payer", payer), ("beneficiary", beneficiary)] {
            if self.end(id) == End::Person {
                let message = format!(
                    "the {property} of Payment {} is a person; fundings in this registry go \
                     from one organisation to another",
                    e.id
                );
                self.problem(e, Some(property), message);
            }
        }
        let mut c = BTreeMap::new();
        c.insert("id", entity_record_id(&e.id));
        c.insert("funder_id", entity_record_id(payer));
        c.insert("recipient_id", entity_record_id(beneficiary));
        put(
            &mut c,
            "programme",
            e.first("programme").map(str::to_string),
        );
        put(&mut c, "start", e.first("startDate").map(date));
        put(&mut c, "end", e.first("endDate").map(date));
        let mut currency = e.first("currency").map(str::to_ascii_uppercase);
        // The amount: `amount` (in the currency), else `amountEur`, else the range the
        // export writes in the description.
        let exact = match (e.first("amount"), e.first("amountEur")) {
            (Some(a), _) => Some(("amount", a)),
            (None, Some(a)) => {
                currency.get_or_insert_with(|| "EUR".into());
                Some(("amountEur", a))
            }
            _ => None,
        };
        let (mut min, mut max) = (None, None);
        if let Some((property, text)) = exact {
            match cents(text) {
                Ok(c) => (min, max) = (Some(c), Some(c)),
                Err(m) => self.problem(e, Some(property), m),
            }
        }
        // The export's description: `Betrag: 30000 bis 70000 EUR`, `Status: bewilligt`,
        // `projektgebunden`; other text is the purpose if the payment has none.
        let mut status = None;
        let mut free: Vec<&str> = Vec::new();
        for line in e.all("description").iter().flat_map(|d| d.lines()) {
            let line = line.trim();
            if let Some(range) = line.strip_prefix("Betrag:") {
                match amount_range(range) {
                    Ok((a, b, unit)) if exact.is_none() => {
                        (min, max) = (a, b);
                        if currency.is_none() {
                            currency = unit;
                        }
                    }
                    Ok(_) => {}
                    Err(m) => self.problem(e, Some("description"), m),
                }
            } else if let Some(s) = line.strip_prefix("Status:") {
                status = code_or_label(s, FundingStatus::ALL, FundingStatus::label_de);
                if status.is_none() {
                    free.push(line);
                }
            } else if line == "projektgebunden" {
                c.insert("project_bound", "true".into());
            } else if !line.is_empty() {
                free.push(line);
            }
        }
        let purpose = e
            .first("purpose")
            .map(str::to_string)
            .or((!free.is_empty()).then(|| free.join("\n")));
        put(&mut c, "purpose", purpose);
        put(&mut c, "amount_min_eur", min.map(euro_cell));
        put(&mut c, "amount_max_eur", max.map(euro_cell));
        put(&mut c, "currency", currency);
        c.insert(
            "status",
            status
                .unwrap_or(FundingStatus::Granted)
                .as_str()
                .to_string(),
        );
        self.push("fundings", e.line, c);
    }

    /// The tables: references first (their organisations come before the rows that
    /// link to them), each with the columns its rows give values for.
    fn tables(self) -> Vec<Table> {
        let order = [
            REFERENCES,
            "organisations",
            "persons",
            "fundings",
            "affiliations",
            "relations",
        ];
        let mut out = Vec::new();
        for name in order {
            let Some(rows) = self.rows.get(name) else {
                continue;
            };
            let header: Vec<&str> = if name == REFERENCES {
                REFERENCE_COLUMNS.to_vec()
            } else {
                let columns = TABLES
                    .iter()
                    .find(|(t, _)| *t == name)
                    .map_or(&[][..], |(_, c)| *c);
                columns
                    .iter()
                    .copied()
                    .filter(|col| *col == "id" || rows.iter().any(|(_, c)| c.contains_key(col)))
                    .collect()
            };
            let table_name = TABLES
                .iter()
                .map(|(t, _)| *t)
                .find(|t| *t == name)
                .unwrap_or(REFERENCES);
            out.push(Table {
                file: self.file.to_string(),
                name: table_name,
                header: header.iter().map(|h| h.to_string()).collect(),
                rows: rows
                    .iter()
                    .map(|(line, cells)| Row {
                        line: *line,
                        cells: header
                            .iter()
                            .map(|h| cells.get(h).cloned().unwrap_or_default())
                            .collect(),
                    })
                    .collect(),
            });
        }
        out
    }
}

/// A role in words that is not a code (`Chairman`): the title or description it gives.
fn free_role(e: &Entity) -> Option<&str> {
    e.all("role")
        .iter()
        .find(|r| r.parse::<Role>().is_err() && r.parse::<RelationKind>().is_err())
        .map(String::as_str)
}

/// Makes the reference entities' rows (`REFERENCES`) organisation rows that name a record
/// and never change one: an organisation the registry has under the entity's id keeps
/// its name, kind and city (the row is then unchanged); else one live organisation of
/// that name (case ignored) lends its kind and city, so that the row matches it by
/// identity; else the row makes a new organisation (kind `other`, or `state_body` for a
/// `PublicBody`). `None` when there are no references (the tables as they are).
pub fn resolve_references(conn: &mut DbConn, tables: &[Table]) -> Result<Option<Vec<Table>>> {
    if !tables.iter().any(|t| t.name == REFERENCES) {
        return Ok(None);
    }
    // (name, kind, city) by id and the ids by lower-case name, of every live organisation.
    let mut by_id: HashMap<String, (String, &'static str, String)> = HashMap::new();
    let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
    let mut after = String::new();
    loop {
        let page = Organisation::live_after(conn, &after, 1000)?;
        for r in &page {
            by_name
                .entry(r.data.name.trim().to_lowercase())
                .or_default()
                .push(r.id.clone());
            let city = r.data.city.clone().unwrap_or_default();
            by_id.insert(
                r.id.clone(),
                (r.data.name.clone(), r.data.kind.as_str(), city),
            );
        }
        match page.last() {
            Some(last) if page.len() == 1000 => after = last.id.clone(),
            _ => break,
        }
    }
    let resolved = tables
        .iter()
        .map(|t| {
            if t.name != REFERENCES {
                return t.clone();
            }
            let rows = t
                .rows
                .iter()
                .map(|row| {
                    let mut cells = row.cells.clone();
                    cells.resize(REFERENCE_COLUMNS.len(), String::new());
                    let same_name = by_name
                        .get(&cells[1].trim().to_lowercase())
                        .filter(|ids| ids.len() == 1)
                        .and_then(|ids| by_id.get(&ids[0]));
                    if let Some((name, kind, city)) = by_id.get(&cells[0]) {
                        cells[1] = name.clone();
                        cells[2] = kind.to_string();
                        cells[3] = city.clone();
                    } else if let Some((_, kind, city)) = same_name {
                        cells[2] = kind.to_string();
                        cells[3] = city.clone();
                    }
                    Row {
                        line: row.line,
                        cells,
                    }
                })
                .collect();
            Table {
                file: t.file.clone(),
                name: "organisations",
                header: t.header.clone(),
                rows,
            }
        })
        .collect();
    Ok(Some(resolved))
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
