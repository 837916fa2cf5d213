//! Form messages in the reader's language: every message a form can show (the form's own
//! parse errors and the domain's validation messages, which are English sentences naming
//! record fields) is mapped to a label by its field and rule, and every field to the
//! words of its label, so no field code and no English reaches the German pages.
use crate::graph::query::Problem;
use crate::web::i18n::Lang;

/// A required field left empty.
pub const REQUIRED: &str = "is required";
/// A value that is not one of a select list's choices.
pub const CHOICE: &str = "must be one of the offered choices";
/// A date the form cannot read.
pub const DATE: &str = "must be a date such as 2019, 05.2019, 14.05.2019 or 2019-05-14";
/// A number the form cannot read.
pub const NUMBER: &str = "must be a whole number";
/// An amount the form cannot read.
pub const AMOUNT: &str = "must be an amount in euros, e.g. 30000, 30.000 – 70.000 or ≥ 30.000";
/// A range whose upper bound is below its lower bound.
pub const BOUNDS: &str = "the upper bound is smaller than the lower bound";
/// A search for an organisation that failed.
pub const SEARCH_FAILED: &str = "search failed";
/// Start of the message for a name that matches no organisation (the name follows).
pub const NO_ORGANISATION: &str = "no organisation named ";
/// Start of the message for a name that matches several (their names follow).
pub const SEVERAL: &str = "several organisations match: ";

/// Fields whose value is picked from a list: "please choose" rather than "please fill in".
const PICKED: &[&str] = &["kind", "role", "visibility", "status", "paid"];

/// The label key of a message about `field`, and the part of the message the label
/// repeats (a name, a number), if any.
fn classify(field: &str, message: &str) -> (&'static str, Option<String>) {
    let between = |prefix: &str, suffix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(suffix))
            .map(str::to_string)
    };
    if let Some(n) = between("must be 1 to ", " characters") {
        return ("msg.length", Some(n));
    }
    if let Some(n) = between("must be at most ", " characters") {
        return ("msg.at_most", Some(n));
    }
    if let Some(n) = between("must be at least ", " characters") {
        return ("msg.at_least", Some(n));
    }
    if let Some(name) = between(&format!("{NO_ORGANISATION}'"), "'") {
        return ("msg.no_organisation", Some(name));
    }
    if let Some(names) = message.strip_prefix(SEVERAL) {
        return ("msg.several", Some(names.to_string()));
    }
    if message.ends_with("is not a valid date: use YYYY, YYYY-MM or YYYY-MM-DD") {
        return ("msg.date", None);
    }
    if message.starts_with("unknown value '") {
        return ("msg.choice", None);
    }
    let key = match message {
        REQUIRED if PICKED.contains(&field) => "msg.choose",
        REQUIRED => "msg.required",
        CHOICE | "must be yes, no or not known" => "msg.choice",
        DATE => "msg.date",
        NUMBER => "msg.number",
        AMOUNT => "msg.amount",
        BOUNDS | "must not be smaller than amount_min" => "msg.amount_bounds",
        "must not be smaller than member_count_min" => "msg.members_bounds",
        "the end lies before the start" if field == "dissolved" => "msg.dissolved_early",
        "the end lies before the start" => "msg.end_early",
        "must not be negative" => "msg.negative",
        "must be a two-letter country code such as DE or RO" => "msg.country",
        "must be a web address starting with http:// or https://" => "msg.url",
        "must be from 0 to a trillion euros (in cents)" => "msg.amount_range",
        "must be a three-letter currency code such as EUR" => "msg.currency",
        "must not contain control characters" => "msg.control",
        "an organisation cannot fund itself" => "msg.fund_itself",
        "a relation cannot point to its own source" => "msg.relate_itself",
        "would make the organisation a part of itself" => "msg.part_of_itself",
        "this person was erased and can take no new role" => "msg.erased",
        "a person with this name is already registered" => "msg.dup_person",
        "this role is already registered" => "msg.dup_role",
        "this funding is already registered" => "msg.dup_funding",
        "this relation is already registered" => "msg.dup_relation",
        "a source with this title is already registered" => "msg.dup_source",
        "a user with this name exists" => "msg.dup_user",
        SEARCH_FAILED => "msg.search_failed",
        m if m.starts_with("no organisation with id") => "msg.gone_organisation",
        m if m.starts_with("no person with id") => "msg.gone_person",
        m if m.starts_with("no funding with id") => "msg.gone_funding",
        m if m.starts_with("no source with id") => "msg.gone_source",
        _ => "msg.other",
    };
    (key, None)
}

/// A message in the reader's language. Unknown English messages become a general
/// request to check the field in German, and stay as they are in English unless they
/// name a record field.
pub fn say(lang: Lang, field: &str, message: &str) -> String {
    match classify(field, message) {
        // A page that already put its message into the reader's words keeps it.
        ("msg.other", _) if is_label(lang, message) => message.to_string(),
        ("msg.other", _) if lang == Lang::En && !message.contains('_') => message.to_string(),
        (key, Some(part)) => lang.t(key).replace("{}", &part),
        (key, None) => lang.t(key).to_string(),
    }
}

/// A problem with a field of the network or overlaps filters, in the reader's words
/// (the same words on both pages).
pub fn query_problem(lang: Lang, field: &str, problem: &Problem) -> String {
    match problem {
        Problem::Required => lang.t("ov.e.required").to_string(),
        Problem::Number { max } => format!("{} {max}", lang.t("ov.e.number")),
        Problem::Unknown(typed) => format!("{}: {typed}", lang.t("ov.e.unknown")),
        Problem::Ambiguous(names) => format!("{}: {}", lang.t("ov.e.ambiguous"), names.join("; ")),
        Problem::Same => lang.t("ov.e.same").to_string(),
        Problem::Flag => lang.t("ov.e.flag").to_string(),
        // Only a hand-made address gets here (the page offers a list): no codes shown.
        Problem::Choice(_) => lang.t("ov.e.choice").to_string(),
        Problem::Other(message) => say(lang, field, message),
    }
}

/// Whether `text` is one of the labels in `lang` (a message a page wrote itself).
fn is_label(lang: Lang, text: &str) -> bool {
    crate::web::i18n::TABLES
        .iter()
        .flat_map(|t| t.iter())
        .any(|(_, de, en)| match lang {
            Lang::De => *de == text,
            Lang::En => *en == text,
        })
}

/// The label key of a form field (or of the record field a message names), for the
/// list of errors above the form.
pub fn field_label(field: &str) -> &'static str {
    let base = match field {
        "cite.source" | "cite.locator" => field,
        _ => field.split(['[', '.']).next().unwrap_or(field),
    };
    match base {
        "cite.source" => "cite.source",
        "cite.locator" => "cite.locator",
        "name" => "field.name",
        "short_name" => "field.short_name",
        "kind" => "field.kind",
        "legal_form" => "field.legal_form",
        "parent" | "parent_id" => "field.parent",
        "city" => "field.city",
        "country" => "field.country",
        "founded" => "field.founded",
        "dissolved" => "field.dissolved",
        "website" => "field.website",
        "description" => "field.description",
        "working_principle" => "field.working_principle",
        "member_count_min" => "field.members_from",
        "member_count_max" => "field.members_to",
        "orientation" => "field.orientation",
        "country_focus" => "field.country_focus",
        "purposes" => "field.purposes",
        "functions" => "field.functions",
        "composition" => "field.composition",
        "resource_modes" => "field.resource_modes",
        "display_name" => "field.display_name",
        "visibility" => "field.visibility",
        "is_pseudonym" => "persons.pseudonym",
        "notes" => "persons.notes",
        "person_id" => "field.person",
        "organisation" | "organisation_id" | "target" | "target_id" => "field.organisation",
        "role" => "field.role",
        "password" => "admin.password",
        "title" => "records.title",
        "start" => "field.start",
        "end" => "field.end",
        "paid" => "links.paid",
        "project_bound" => "links.project_bound",
        "fields_of_work" => "field.fields_of_work",
        "funder" | "funder_id" | "recipient_id" => "field.funder",
        "amount" | "amount_min" | "amount_max" => "field.amount",
        "programme" => "field.programme",
        "purpose" => "links.purpose",
        "status" => "orgs.status",
        "approx_size" => "records.approx_size",
        "url" => "field.url",
        "accessed_on" => "records.accessed_on",
        "citations" => "profile.sources",
        _ => "field.other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_messages_become_words_without_field_codes() {
        let cases = [
            (
                "member_count_max",
                "must not be smaller than member_count_min",
            ),
            ("amount", "must not be smaller than amount_min"),
            ("dissolved", "the end lies before the start"),
            ("name", "must be 1 to 300 characters"),
            (
                "founded",
                "'2021-13' is not a valid date: use YYYY, YYYY-MM or YYYY-MM-DD",
            ),
            ("x", "something_unknown happened"),
        ];
        for (field, message) in cases {
            for lang in [Lang::De, Lang::En] {
                let said = say(lang, field, message);
                assert!(!said.contains('_'), "{said}");
                assert_ne!(said, message);
            }
        }
        assert_eq!(
            say(Lang::De, "name", "must be 1 to 300 characters"),
            "Bitte 1 bis 300 Zeichen."
        );
        assert_eq!(
            say(Lang::En, "parent", "no organisation named 'Nirgendwo'"),
            "No organisation named “Nirgendwo” found."
        );
        assert_eq!(say(Lang::De, "kind", REQUIRED), "Bitte auswählen.");
        assert!(say(Lang::De, "founded", DATE).contains("14.05.2019"));
        // A message a page already wrote in the reader's words stays as it is.
        let own = Lang::De.t("admin.last_admin");
        assert_eq!(say(Lang::De, "role", own), own);
    }

    #[test]
    fn every_form_field_has_a_label() {
        for field in [
            "member_count_min",
            "member_count_max",
            "citations[0].source_id",
        ] {
            assert_ne!(field_label(field), "field.other", "{field}");
        }
    }
}
