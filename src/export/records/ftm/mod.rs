//! The records as FollowTheMoney (FtM) entities, one JSON object a line, as Aleph and
//! the `ftm` tool read them (README, "FollowTheMoney"): organisations as `Organization`
//! or `PublicBody`, persons as `Person`, roles as `Directorship`, `Employment`,
//! `Membership` or `UnknownLink`, fundings as `Payment`, relations as `Membership`
//! (member of) or `UnknownLink`. Only properties the schemas define, values as FtM's
//! types want them (dates as ISO prefixes, countries as lower-case codes FtM knows).
//!
//! Every entity a link names is in the file: a link whose other end lies outside the
//! selection brings that organisation along as a reference entity holding only its name
//! (what the CSV export shows in its `…_name` column), and an organisation's parent
//! likewise; a link to something the snapshot does not know is left out. Persons come
//! only from the walk (the selection's, visible to the caller), never as references.
//! Sources have no place: FtM's `Document` describes a file; citations stay in the CSV
//! export. Only sets of ids are kept, never the records.
mod countries;
mod entity;
mod schemas;

use std::collections::{BTreeSet, HashSet};
use std::io::{self, Write};

use super::{Records, Selection};
use crate::domain::{
    Affiliation, FieldOfWork, Funding, Organisation, Person, Record, Relation, Source,
};
pub use countries::country;
pub use entity::{id, is_ftm_id, Entity};
pub use schemas::{organisation_schema, relation_schema, role_schema};

/// The longest value FtM's `identifier` type takes.
const IDENTIFIER_MAX: usize = 64;

/// Writes the walk's records as entities to `out`.
pub struct Entities<'a> {
    out: &'a mut dyn Write,
    selection: &'a Selection,
    /// Organisations written, in full or as a reference: each once.
    organisations: HashSet<String>,
    persons: HashSet<String>,
    /// Parents named by organisations written, written as references once the
    /// organisations are through if they were not among them.
    parents: BTreeSet<String>,
    line: Vec<u8>,
}

impl<'a> Entities<'a> {
    pub fn new(out: &'a mut dyn Write, selection: &'a Selection) -> Entities<'a> {
        Entities {
            out,
            selection,
            organisations: HashSet::new(),
            persons: HashSet::new(),
            parents: BTreeSet::new(),
            line: Vec::with_capacity(4096),
        }
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.write_parents()?;
        self.out.flush()
    }

    fn write(&mut self, entity: &Entity) -> io::Result<()> {
        entity.write(&mut self.line, self.out)
    }

    /// Whether the organisation is in the file, writing it as a reference (name only)
    /// if the snapshot knows it and it is not yet.
    fn ensure_organisation(&mut self, id: &str) -> io::Result<bool> {
        if self.organisations.contains(id) {
            return Ok(true);
        }
        let selection = self.selection;
        let Some(o) = selection.known_organisation(id) else {
            return Ok(false);
        };
        let mut e = Entity::new(organisation_schema(o.kind), id);
        e.set("name", o.name.as_str());
        self.write(&e)?;
        self.organisations.insert(id.to_string());
        Ok(true)
    }

    fn write_parents(&mut self) -> io::Result<()> {
        for parent in std::mem::take(&mut self.parents) {
            self.ensure_organisation(&parent)?;
        }
        Ok(())
    }

    /// Writes a link between two entities, if both ends are in the file (organisations
    /// are brought along; `person`, if given, must have been written) and differ (FtM
    /// has no links to oneself).
    fn link(
        &mut self,
        mut e: Entity,
        ends: [(&'static str, &str); 2],
        person: Option<&str>,
    ) -> io::Result<()> {
        if ends[0].1 == ends[1].1 {
            return Ok(());
        }
        let present = |id: &str| {
            if person == Some(id) {
                self.persons.contains(id)
            } else {
                self.organisations.contains(id) || self.selection.known_organisation(id).is_some()
            }
        };
        if !ends.iter().all(|(_, id)| present(id)) {
            return Ok(());
        }
        for (_, id) in ends {
            if person != Some(id) {
                self.ensure_organisation(id)?;
            }
        }
        for (property, id) in ends {
            e.link(property, id);
        }
        self.write(&e)
    }
}

/// `Label: value` lines of free text (FtM `notes`, `description`, `summary`).
fn lines(parts: &[Option<String>]) -> Option<String> {
    let text: Vec<&str> = parts.iter().flatten().map(String::as_str).collect();
    (!text.is_empty()).then(|| text.join("\n"))
}

fn range(label: &str, min: Option<String>, max: Option<String>, unit: &str) -> Option<String> {
    match (min, max) {
        (Some(a), Some(b)) if a == b => Some(format!("{label}: {a}{unit}")),
        (Some(a), Some(b)) => Some(format!("{label}: {a} bis {b}{unit}")),
        (Some(a), None) => Some(format!("{label}: mindestens {a}{unit}")),
        (None, Some(b)) => Some(format!("{label}: höchstens {b}{unit}")),
        (None, None) => None,
    }
}

impl Records for Entities<'_> {
    fn wants(&self, table: &str) -> bool {
        table != "sources"
    }

    fn table(&mut self, name: &'static str, _columns: &'static [&'static str]) -> io::Result<()> {
        if name != "organisations" {
            self.write_parents()?;
        }
        Ok(())
    }

    fn organisation(&mut self, r: &Record<Organisation>) -> io::Result<()> {
        let o = &r.data;
        let mut e = Entity::new(organisation_schema(o.kind), &r.id);
        e.set("name", o.name.as_str());
        e.opt("alias", o.short_name.as_deref());
        e.set("classification", o.kind.as_str());
        e.opt("legalForm", o.legal_form.map(|f| f.as_str()));
        e.opt("address", o.city.as_deref());
        if let Some(c) = o.country.as_deref().and_then(country) {
            e.set("country", c);
        }
        e.date("incorporationDate", o.founded);
        e.date("dissolutionDate", o.dissolved);
        let number = o.register_number.as_deref();
        let long_number = number.filter(|n| n.chars().count() > IDENTIFIER_MAX);
        if long_number.is_none() {
            e.opt("registrationNumber", number);
        }
        e.opt("website", o.website.as_deref());
        e.opt("description", o.description.as_deref());
        e.opt("summary", o.self_description.as_deref());
        for p in &o.purposes {
            e.set("sector", p.as_str());
        }
        let notes = lines(&[
            o.register_court
                .as_ref()
                .map(|c| format!("Registergericht: {c}")),
            long_number.map(|n| format!("Registernummer: {n}")),
            o.working_principle
                .as_ref()
                .map(|w| format!("Arbeitsprinzip: {w}")),
            range(
                "Mitglieder",
                o.member_count_min.map(|n| n.to_string()),
                o.member_count_max.map(|n| n.to_string()),
                "",
            ),
        ]);
        if let Some(n) = notes {
            e.set("notes", n);
        }
        if let Some(parent) = o.parent_id.as_deref().filter(|p| *p != r.id) {
            if self.organisations.contains(parent)
                || self.selection.known_organisation(parent).is_some()
            {
                e.link("parent", parent);
                self.parents.insert(parent.to_string());
            }
        }
        self.write(&e)?;
        self.organisations.insert(r.id.clone());
        Ok(())
    }

    fn person(&mut self, r: &Record<Person>) -> io::Result<()> {
        let p = &r.data;
        let mut e = Entity::new("Person", &r.id);
        e.set("name", p.display_name.as_str());
        if p.is_pseudonym {
            e.set("description", "Pseudonym");
        }
        e.opt("notes", p.notes.as_deref());
        self.write(&e)?;
        self.persons.insert(r.id.clone());
        Ok(())
    }

    fn affiliation(&mut self, r: &Record<Affiliation>) -> io::Result<()> {
        let a = &r.data;
        let (schema, person, organisation) = role_schema(a.role);
        let mut e = Entity::new(schema, &r.id);
        e.set("role", a.role.as_str());
        e.opt("description", a.title.as_deref());
        e.date("startDate", a.start);
        e.date("endDate", a.end);
        e.set("recordId", r.id.as_str());
        let fields: Vec<&str> = a.fields_of_work.iter().map(FieldOfWork::label_de).collect();
        let summary = lines(&[
            (!fields.is_empty()).then(|| format!("Arbeitsfelder: {}", fields.join(", "))),
            a.paid
                .map(|paid| (if paid { "bezahlt" } else { "unbezahlt" }).to_string()),
            a.project_bound.then(|| "projektgebunden".to_string()),
        ]);
        if let Some(s) = summary {
            e.set("summary", s);
        }
        self.link(
            e,
            [
                (person, a.person_id.as_str()),
                (organisation, a.organisation_id.as_str()),
            ],
            Some(a.person_id.as_str()),
        )
    }

    fn funding(&mut self, r: &Record<Funding>) -> io::Result<()> {
        let f = &r.data;
        let mut e = Entity::new("Payment", &r.id);
        let exact = match (f.amount_min, f.amount_max) {
            (Some(a), Some(b)) if a == b => Some(entity::amount(a)),
            _ => None,
        };
        if let Some(a) = &exact {
            e.set("amount", a.clone());
            if f.currency.eq_ignore_ascii_case("EUR") {
                e.set("amountEur", a.clone());
            }
        }
        e.set("currency", f.currency.as_str());
        e.opt("programme", f.programme.as_deref());
        e.opt("purpose", f.purpose.as_deref());
        e.date("startDate", f.start);
        e.date("endDate", f.end);
        e.set("recordId", r.id.as_str());
        let amount_range = if exact.is_some() {
            None
        } else {
            range(
                "Betrag",
                f.amount_min.map(entity::amount),
                f.amount_max.map(entity::amount),
                &format!(" {}", f.currency),
            )
        };
        let description = lines(&[
            amount_range,
            Some(format!("Status: {}", f.status.label_de())),
            f.project_bound.then(|| "projektgebunden".to_string()),
        ]);
        if let Some(d) = description {
            e.set("description", d);
        }
        self.link(
            e,
            [
                ("payer", f.funder_id.as_str()),
                ("beneficiary", f.recipient_id.as_str()),
            ],
            None,
        )
    }

    fn relation(&mut self, r: &Record<Relation>) -> io::Result<()> {
        let x = &r.data;
        let (schema, source, target) = relation_schema(x.kind);
        let mut e = Entity::new(schema, &r.id);
        e.set("role", x.kind.as_str());
        e.opt("description", x.description.as_deref());
        if let Some(n) = x.approx_size {
            e.set("summary", format!("Größe: etwa {n}"));
        }
        e.date("startDate", x.start);
        e.date("endDate", x.end);
        e.set("recordId", r.id.as_str());
        let ends = [
            (source, x.source_id.as_str()),
            (target, x.target_id.as_str()),
        ];
        self.link(e, ends, None)
    }

    fn source(&mut self, _r: &Record<Source>) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_as_ftm_knows_them() {
        assert_eq!(country("DE").as_deref(), Some("de"));
        assert_eq!(country("XK").as_deref(), Some("xk"));
        assert_eq!(country("QQ"), None);
        let mut sorted = countries::COUNTRIES.to_vec();
        sorted.sort();
        assert_eq!(sorted, countries::COUNTRIES);
    }

    #[test]
    fn ranges_say_what_is_known() {
        let s = |x: i32| Some(x.to_string());
        assert_eq!(
            range("Mitglieder", s(20), s(30), "").as_deref(),
            Some("Mitglieder: 20 bis 30")
        );
        assert_eq!(
            range("Betrag", s(5), s(5), " EUR").as_deref(),
            Some("Betrag: 5 EUR")
        );
        assert_eq!(
            range("Betrag", None, s(5), " EUR").as_deref(),
            Some("Betrag: höchstens 5 EUR")
        );
        assert_eq!(range("Betrag", None, None, ""), None);
    }
}
