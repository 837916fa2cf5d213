//! The import's rows from the file's entities, table by table.
use super::*;

/// A row being made: the JSON line and its cells by column.
pub(super) type Cells = (usize, BTreeMap<&'static str, String>);

/// Which end of a link an id is, as far as the file says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum End {
    Person,
    Organisation,
    Unknown,
}

pub(super) struct Builder<'a> {
    pub(super) file: &'a str,
    /// What each entity of the file is, by FtM id.
    pub(super) classes: HashMap<&'a str, Class>,
    /// Rows by table.
    pub(super) rows: BTreeMap<&'static str, Vec<Cells>>,
    pub(super) problems: Vec<ImportProblem>,
}

/// Sets a cell if there is a value.
pub(super) fn put(
    cells: &mut BTreeMap<&'static str, String>,
    column: &'static str,
    value: Option<String>,
) {
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

    pub(super) fn organisation(&mut self, e: &Entity) {
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

    pub(super) fn person(&mut self, e: &Entity) {
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

    pub(super) fn link(&mut self, e: &Entity) {
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

    pub(super) fn payment(&mut self, e: &Entity) {
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
    pub(super) fn tables(self) -> Vec<Table> {
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
pub(super) fn free_role(e: &Entity) -> Option<&str> {
    e.all("role")
        .iter()
        .find(|r| r.parse::<Role>().is_err() && r.parse::<RelationKind>().is_err())
        .map(String::as_str)
}
