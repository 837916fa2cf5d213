//! German labels by default, English on request; the choice is kept in a cookie.
use rocket::http::CookieJar;
use rocket::request::{FromRequest, Outcome, Request};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    De,
    En,
}

pub const LANG_COOKIE: &str = "kp_lang";

impl Lang {
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "de" => Some(Lang::De),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    pub fn of(cookies: &CookieJar<'_>) -> Lang {
        cookies
            .get(LANG_COOKIE)
            .and_then(|c| Lang::from_code(c.value()))
            .unwrap_or(Lang::De)
    }

    /// The label for `key`; "??" if it has no entry (a test checks templates use known keys).
    pub fn t(&self, key: &str) -> &'static str {
        match TABLES
            .iter()
            .flat_map(|t| t.iter())
            .find(|(k, _, _)| *k == key)
        {
            Some((_, de, en)) => match self {
                Lang::De => de,
                Lang::En => en,
            },
            None => "??",
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Lang {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(Lang::of(req.cookies()))
    }
}

/// One table of labels: (key, German, English). Page modules may keep their own.
pub type Labels = &'static [(&'static str, &'static str, &'static str)];

/// All label tables; a module with its own labels adds its table here.
pub const TABLES: &[Labels] = &[
    LABELS,
    super::admin::LABELS,
    super::persons::LABELS,
    super::records::LABELS,
    super::links::LABELS,
    super::overlaps::LABELS,
    super::network::LABELS,
    super::import::LABELS,
    super::words::LABELS,
    super::forms::LABELS,
];

pub const LABELS: Labels = &[
    (
        "app.tagline",
        "Register und Beziehungsdatenbank für Migrantenorganisationen",
        "Registry and relationship database for migrant organisations",
    ),
    ("nav.start", "Start", "Home"),
    ("nav.organisations", "Organisationen", "Organisations"),
    ("nav.persons", "Personen", "Persons"),
    ("nav.overlaps", "Überschneidungen", "Overlaps"),
    ("nav.signin", "Anmelden", "Sign in"),
    ("nav.signout", "Abmelden", "Sign out"),
    ("nav.admin", "Verwaltung", "Administration"),
    ("nav.language", "English", "Deutsch"),
    ("start.holds", "Knotenpunkt enthält", "Knotenpunkt holds"),
    (
        "start.ending",
        "Förderung, die bald endet",
        "Funding that ends soon",
    ),
    ("start.ending_all", "Alle zeigen", "Show all"),
    ("start.changes", "Letzte Änderungen", "Recent changes"),
    ("start.none", "Keine", "None"),
    (
        "search.placeholder",
        "Name oder Kurzname",
        "Name or short name",
    ),
    ("search.button", "Suchen", "Search"),
    ("orgs.title", "Organisationen", "Organisations"),
    (
        "orgs.new",
        "Organisation eintragen",
        "Register an organisation",
    ),
    ("orgs.edit", "Bearbeiten", "Edit"),
    ("orgs.delete", "Löschen", "Delete"),
    ("orgs.count", "Treffer", "results"),
    (
        "orgs.download",
        "Datensätze dieser Auswahl (Art, Stadt, Dachverband) herunterladen",
        "Download the records of this selection (kind, city, umbrella)",
    ),
    ("export.zip", "CSV-Dateien (ZIP)", "CSV files (ZIP)"),
    ("export.xlsx", "Excel (XLSX)", "Excel (XLSX)"),
    (
        "export.ftm",
        "FollowTheMoney (Aleph)",
        "FollowTheMoney (Aleph)",
    ),
    ("orgs.all_kinds", "Alle Arten", "All kinds"),
    ("orgs.status", "Status", "Status"),
    ("orgs.active", "aktiv", "active"),
    ("orgs.dissolved", "aufgelöst", "dissolved"),
    ("orgs.any", "alle", "any"),
    ("orgs.umbrella", "Dachverband", "Umbrella"),
    ("orgs.previous", "Zurück", "Previous"),
    ("orgs.next", "Weiter", "Next"),
    ("field.name", "Name", "Name"),
    ("field.short_name", "Kurzname", "Short name"),
    ("field.kind", "Art", "Kind"),
    ("field.legal_form", "Rechtsform", "Legal form"),
    ("field.city", "Ort", "City"),
    ("field.country", "Land", "Country"),
    ("field.founded", "Gegründet", "Founded"),
    ("field.dissolved", "Aufgelöst", "Dissolved"),
    ("field.website", "Website", "Website"),
    ("field.description", "Beschreibung", "Description"),
    ("field.parent", "Übergeordnet", "Parent"),
    (
        "field.working_principle",
        "Arbeitsprinzip",
        "Working principle",
    ),
    ("field.members", "Mitglieder", "Members"),
    ("field.members_from", "Mitglieder von", "Members from"),
    ("field.members_to", "Mitglieder bis", "Members to"),
    (
        "field.members_hint",
        "Ungefähre Zahl; eine Spanne, wenn nur sie bekannt ist",
        "Approximate number; a range when only that is known",
    ),
    ("field.typology", "Typologie (4.3)", "Typology (4.3)"),
    ("field.orientation", "Orientierung", "Orientation"),
    ("field.country_focus", "Länderbezug", "Country focus"),
    ("field.purposes", "Zwecke", "Purposes"),
    ("field.functions", "Funktionen", "Functions"),
    ("field.composition", "Zusammensetzung", "Composition"),
    ("field.resource_modes", "Ressourcen", "Resources"),
    ("field.role", "Rolle", "Role"),
    ("field.period", "Zeitraum", "Period"),
    ("field.person", "Person", "Person"),
    ("field.display_name", "Anzeigename", "Display name"),
    ("field.visibility", "Sichtbarkeit", "Visibility"),
    ("field.funder", "Förderer", "Funder"),
    ("field.recipient", "Empfänger", "Recipient"),
    ("field.amount", "Betrag (EUR)", "Amount (EUR)"),
    ("field.programme", "Programm", "Programme"),
    ("field.start", "Beginn", "Start"),
    ("field.end", "Ende", "End"),
    ("field.organisation", "Organisation", "Organisation"),
    ("field.fields_of_work", "Arbeitsfelder", "Fields of work"),
    (
        "field.date_hint",
        "z. B. 2019, 05.2019, 14.05.2019 oder 2019-05-14",
        "e.g. 2019, 05.2019, 14.05.2019 or 2019-05-14",
    ),
    ("profile.people", "Personen und Rollen", "People and roles"),
    (
        "profile.people_hidden",
        "Namen nur für angemeldete Nutzer",
        "Names for signed-in users only",
    ),
    ("profile.funding", "Förderung", "Funding"),
    ("profile.relations", "Beziehungen", "Relations"),
    ("profile.dependencies", "Abhängigkeiten", "Dependencies"),
    (
        "profile.overlaps",
        "Personelle Überschneidungen",
        "Staff overlaps",
    ),
    ("profile.sources", "Quellen", "Sources"),
    ("profile.history", "Änderungen", "History"),
    (
        "profile.add_person",
        "Person mit Rolle hinzufügen",
        "Add a person with a role",
    ),
    ("profile.add_funding", "Förderung hinzufügen", "Add funding"),
    ("form.save", "Speichern", "Save"),
    ("form.cancel", "Abbrechen", "Cancel"),
    (
        "form.errors",
        "Nicht gespeichert. Bitte diese Angaben prüfen:",
        "Not saved. Please check these entries:",
    ),
    (
        "form.required_note",
        "Mit * markierte Felder müssen ausgefüllt werden.",
        "Fields marked with * must be filled in.",
    ),
    ("form.required", "Pflichtfeld", "required"),
    ("form.done_saved", "Gespeichert.", "Saved."),
    ("form.done_deleted", "Gelöscht.", "Deleted."),
    ("form.done_restored", "Wiederhergestellt.", "Restored."),
    (
        "orgs.edit_title",
        "Organisation bearbeiten",
        "Edit organisation",
    ),
    (
        "field.country_hint",
        "Ländercode aus zwei Buchstaben, z. B. DE oder RO",
        "Two-letter country code, e.g. DE or RO",
    ),
    (
        "field.website_hint",
        "Mit http:// oder https://",
        "Starting with http:// or https://",
    ),
    (
        "form.duplicate",
        "Diese Organisation ist schon eingetragen:",
        "This organisation is already registered:",
    ),
    ("form.choose", "– bitte wählen –", "– please choose –"),
    ("form.confirm_delete", "Wirklich löschen?", "Really delete?"),
    ("form.restore", "Wiederherstellen", "Restore"),
    ("form.deleted", "Gelöscht", "Deleted"),
    ("signin.title", "Anmelden", "Sign in"),
    ("signin.user", "Benutzername", "User name"),
    ("signin.password", "Passwort", "Password"),
    (
        "signin.failed",
        "Benutzername oder Passwort falsch.",
        "Wrong user name or password.",
    ),
    (
        "signin.too_many",
        "Zu viele Versuche. Bitte eine Minute warten.",
        "Too many attempts. Please wait a minute.",
    ),
    ("signin.as", "Angemeldet als", "Signed in as"),
    ("error.title", "Fehler", "Error"),
    ("error.not_found", "Nicht gefunden.", "Not found."),
    ("error.forbidden", "Keine Berechtigung.", "Not allowed."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_has_both_languages_and_unique_keys() {
        let mut keys = std::collections::HashSet::new();
        for (k, de, en) in TABLES.iter().flat_map(|t| t.iter()) {
            assert!(keys.insert(k), "duplicate key {k}");
            assert!(!de.is_empty() && !en.is_empty(), "{k}");
        }
        assert_eq!(Lang::En.t("nav.signin"), "Sign in");
        assert_eq!(Lang::De.t("nav.signin"), "Anmelden");
    }

    /// Every `t("key")` in a template names a label that exists.
    #[test]
    fn templates_use_only_known_keys() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, _) in text.match_indices("t(\"") {
                let rest = &text[i + 3..];
                let key = &rest[..rest.find('"').unwrap()];
                if key.contains('.') {
                    assert_ne!(
                        Lang::De.t(key),
                        "??",
                        "{}: unknown key {key}",
                        path.display()
                    );
                }
            }
        }
    }
}
