//! The words of the form messages, the citation fields and the fields that only the
//! list of problems names (German, English).
use crate::web::i18n::Labels;

pub const LABELS: Labels = &[
    ("msg.required", "Bitte ausfüllen.", "Please fill this in."),
    ("msg.choose", "Bitte auswählen.", "Please choose one."),
    (
        "msg.choice",
        "Bitte einen der angebotenen Werte wählen.",
        "Please pick one of the offered values.",
    ),
    (
        "msg.date",
        "Kein gültiges Datum. Möglich sind 2019, 05.2019, 14.05.2019 oder 2019-05-14.",
        "Not a valid date. Possible are 2019, 05.2019, 14.05.2019 or 2019-05-14.",
    ),
    (
        "msg.number",
        "Bitte eine ganze Zahl angeben, z. B. 25.",
        "Please enter a whole number, e.g. 25.",
    ),
    (
        "msg.amount",
        "Kein Betrag. Möglich sind z. B. 30000, 30.000 – 70.000 oder ≥ 30.000.",
        "Not an amount. Possible are e.g. 30000, 30.000 – 70.000 or ≥ 30.000.",
    ),
    (
        "msg.amount_bounds",
        "Der höhere Betrag ist kleiner als der niedrigere.",
        "The upper amount is smaller than the lower one.",
    ),
    (
        "msg.amount_range",
        "Der Betrag muss zwischen 0 und einer Billion Euro liegen.",
        "The amount must lie between 0 and a trillion euros.",
    ),
    (
        "msg.members_bounds",
        "„Mitglieder bis“ ist kleiner als „Mitglieder von“.",
        "“Members to” is smaller than “members from”.",
    ),
    (
        "msg.dissolved_early",
        "Die Auflösung liegt vor der Gründung.",
        "Dissolved before it was founded.",
    ),
    (
        "msg.end_early",
        "Das Ende liegt vor dem Beginn.",
        "The end lies before the start.",
    ),
    (
        "msg.negative",
        "Darf nicht negativ sein.",
        "Must not be negative.",
    ),
    (
        "msg.length",
        "Bitte 1 bis {} Zeichen.",
        "Please use 1 to {} characters.",
    ),
    (
        "msg.at_most",
        "Höchstens {} Zeichen.",
        "At most {} characters.",
    ),
    (
        "msg.at_least",
        "Mindestens {} Zeichen.",
        "At least {} characters.",
    ),
    (
        "msg.country",
        "Bitte den Ländercode aus zwei Buchstaben angeben, z. B. DE oder RO.",
        "Please enter the two-letter country code, e.g. DE or RO.",
    ),
    (
        "msg.url",
        "Bitte eine Webadresse angeben, die mit http:// oder https:// beginnt.",
        "Please enter a web address that starts with http:// or https://.",
    ),
    (
        "msg.currency",
        "Bitte den Währungscode aus drei Buchstaben angeben, z. B. EUR.",
        "Please enter the three-letter currency code, e.g. EUR.",
    ),
    (
        "msg.control",
        "Enthält unzulässige Steuerzeichen.",
        "Contains control characters that are not allowed.",
    ),
    (
        "msg.fund_itself",
        "Eine Organisation kann sich nicht selbst fördern.",
        "An organisation cannot fund itself.",
    ),
    (
        "msg.relate_itself",
        "Eine Organisation kann keine Beziehung zu sich selbst haben.",
        "An organisation cannot be related to itself.",
    ),
    (
        "msg.part_of_itself",
        "Die Organisation wäre damit Teil von sich selbst.",
        "That would make the organisation part of itself.",
    ),
    (
        "msg.erased",
        "Diese Person wurde endgültig gelöscht und kann keine neue Rolle bekommen.",
        "This person was erased and can take no new role.",
    ),
    (
        "msg.dup_person",
        "Eine Person mit diesem Namen ist schon eingetragen.",
        "A person with this name is already registered.",
    ),
    (
        "msg.dup_role",
        "Diese Rolle ist schon eingetragen.",
        "This role is already registered.",
    ),
    (
        "msg.dup_funding",
        "Diese Förderung ist schon eingetragen.",
        "This funding is already registered.",
    ),
    (
        "msg.dup_relation",
        "Diese Beziehung ist schon eingetragen.",
        "This relation is already registered.",
    ),
    (
        "msg.dup_source",
        "Eine Quelle mit diesem Titel ist schon eingetragen.",
        "A source with this title is already registered.",
    ),
    (
        "msg.dup_user",
        "Ein Benutzer mit diesem Namen ist schon eingetragen.",
        "A user with this name already exists.",
    ),
    (
        "msg.no_organisation",
        "Keine Organisation namens „{}“ gefunden.",
        "No organisation named “{}” found.",
    ),
    (
        "msg.several",
        "Mehrere Organisationen passen: {}. Bitte den vollen Namen angeben.",
        "Several organisations match: {}. Please type the full name.",
    ),
    (
        "msg.search_failed",
        "Die Suche nach der Organisation ist fehlgeschlagen.",
        "The search for the organisation failed.",
    ),
    (
        "msg.gone_organisation",
        "Diese Organisation gibt es nicht (mehr).",
        "This organisation does not exist (any more).",
    ),
    (
        "msg.gone_person",
        "Diese Person gibt es nicht (mehr).",
        "This person does not exist (any more).",
    ),
    (
        "msg.gone_funding",
        "Diese Förderung gibt es nicht (mehr).",
        "This funding does not exist (any more).",
    ),
    (
        "msg.gone_source",
        "Diese Quelle gibt es nicht (mehr).",
        "This source does not exist (any more).",
    ),
    (
        "msg.other",
        "Bitte diese Angabe prüfen.",
        "Please check this entry.",
    ),
    ("field.url", "Webadresse (URL)", "Web address (URL)"),
    ("cite.legend", "Quelle angeben", "Cite a source"),
    ("cite.source", "Quelle (Titel)", "Source (title)"),
    (
        "cite.source_hint",
        "Eine vorhandene Quelle wählen (Vorschläge beim Tippen) oder einen neuen Titel eingeben: dann wird die Quelle neu eingetragen.",
        "Pick an existing source (suggestions while typing) or type a new title: the source is then registered.",
    ),
    ("cite.locator", "Fundstelle", "Where in the source"),
    (
        "cite.locator_hint",
        "z. B. Kap. 4.3.2, Interview I4.31, S. 12",
        "e.g. ch. 4.3.2, interview I4.31, p. 12",
    ),
    ("field.other", "Weitere Angabe", "Other entry"),
];
