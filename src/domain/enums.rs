//! The closed vocabularies of the domain model. Stored and sent as snake_case text; pages
//! show each value by its German or English label, never by its code.

/// A closed vocabulary's value with its code and its labels in both page languages.
pub trait Labelled {
    /// The code stored and sent by the API and the exports (`co_chair`).
    fn code(&self) -> &'static str;
    /// The German label shown in pages (`Co-Vorsitz`).
    fn german(&self) -> &'static str;
    /// The English label shown in pages (`co-chair`).
    fn english(&self) -> &'static str;
}

/// A reference labels as its value (`for k in Kind::ALL` in a template yields `&Kind`).
impl<T: Labelled> Labelled for &T {
    fn code(&self) -> &'static str {
        (**self).code()
    }
    fn german(&self) -> &'static str {
        (**self).german()
    }
    fn english(&self) -> &'static str {
        (**self).english()
    }
}

/// Defines a string enum with serde, `as_str`, `FromStr`, `ALL` and German and English
/// labels: `Variant => "code": "German" / "English"`.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal : $label:literal / $english:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The German label shown in pages.
            pub fn label_de(&self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The English label shown in pages.
            pub fn label_en(&self) -> &'static str {
                match self { $($name::$variant => $english),+ }
            }
        }

        impl Labelled for $name {
            fn code(&self) -> &'static str {
                self.as_str()
            }
            fn german(&self) -> &'static str {
                self.label_de()
            }
            fn english(&self) -> &'static str {
                self.label_en()
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(
                        "unknown value '{}', expected one of: {}",
                        other,
                        [$($text),+].join(", ")
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(OrgKind {
    MigrantOrganisation => "migrant_organisation": "Migrantenorganisation" / "migrant organisation",
    RomaSelfOrganisation => "roma_self_organisation": "Roma-Selbstorganisation" / "Roma self-organisation",
    StateAssociation => "state_association": "Landesverband" / "state association",
    FederalAssociation => "federal_association": "Bundesverband" / "federal association",
    EuropeanAssociation => "european_association": "Europäischer Verband" / "European association",
    Municipality => "municipality": "Kommune" / "municipality",
    MunicipalUnit => "municipal_unit": "Kommunale Stelle" / "municipal unit",
    StateBody => "state_body": "Landesbehörde" / "state body",
    Funder => "funder": "Förderer/Stiftung" / "funder/foundation",
    WelfareOrganisation => "welfare_organisation": "Wohlfahrtsorganisation" / "welfare organisation",
    ReligiousCommunity => "religious_community": "Religionsgemeinschaft" / "religious community",
    InformalNetwork => "informal_network": "Informelles Netzwerk" / "informal network",
    Project => "project": "Projekt" / "project",
    OriginMunicipality => "origin_municipality": "Herkunftskommune" / "municipality of origin",
    Other => "other": "Sonstige" / "other",
});

string_enum!(LegalForm {
    RegisteredAssociation => "registered_association": "eingetragener Verein (e.V.)" / "registered association (e.V.)",
    Informal => "informal": "informell" / "informal",
    PublicBody => "public_body": "Körperschaft des öffentlichen Rechts" / "public-law body",
    Foundation => "foundation": "Stiftung" / "foundation",
    Project => "project": "Projekt" / "project",
    Company => "company": "Gesellschaft" / "company",
    Other => "other": "Sonstige" / "other",
});

string_enum!(Orientation {
    Inward => "inward": "nach innen" / "inward",
    Outward => "outward": "nach außen" / "outward",
    Both => "both": "beides" / "both",
});

string_enum!(CountryFocus {
    Origin => "origin": "Herkunftsland" / "country of origin",
    Arrival => "arrival": "Ankunftsland" / "country of arrival",
    Transnational => "transnational": "transnational" / "transnational",
});

string_enum!(Purpose {
    InterestRepresentation => "interest_representation": "Interessenvertretung" / "representation of interests",
    Culture => "culture": "Kultur" / "culture",
    Education => "education": "Bildung" / "education",
    SelfHelp => "self_help": "Selbsthilfe" / "self-help",
    Youth => "youth": "Jugend" / "youth",
    Women => "women": "Frauen" / "women",
    Religion => "religion": "Religion" / "religion",
    Sport => "sport": "Sport" / "sport",
    ProfessionalInterests => "professional_interests": "Berufliche Interessen" / "professional interests",
    PoliticalRepresentation => "political_representation": "Politische Vertretung" / "political representation",
    ServiceProvider => "service_provider": "Dienstleister" / "service provider",
    AntiDiscrimination => "anti_discrimination": "Antidiskriminierung" / "anti-discrimination",
    SocialWork => "social_work": "Soziale Arbeit" / "social work",
});

string_enum!(Function {
    Service => "service": "Dienstleistung" / "services",
    Hinge => "hinge": "Scharnier" / "bridging (hinge)",
    Advocacy => "advocacy": "Anwaltschaft" / "advocacy",
    Homemaking => "homemaking": "Beheimatung" / "sense of home",
});

string_enum!(Composition {
    Mono => "mono": "monoethnisch" / "mono-ethnic",
    Multi => "multi": "multiethnisch" / "multi-ethnic",
});

string_enum!(ResourceMode {
    MembershipFees => "membership_fees": "Mitgliedsbeiträge" / "membership fees",
    Donations => "donations": "Spenden" / "donations",
    ProjectFunding => "project_funding": "Projektförderung" / "project funding",
});

string_enum!(Visibility {
    Public => "public": "öffentlich" / "public",
    Restricted => "restricted": "eingeschränkt" / "restricted",
});

string_enum!(Role {
    Chair => "chair": "Vorsitz" / "chair",
    CoChair => "co_chair": "Co-Vorsitz" / "co-chair",
    BoardMember => "board_member": "Vorstandsmitglied" / "board member",
    Treasurer => "treasurer": "Kassenwart" / "treasurer",
    Founder => "founder": "Gründungsmitglied" / "founding member",
    Member => "member": "Mitglied" / "member",
    Volunteer => "volunteer": "Ehrenamt" / "volunteer",
    Employee => "employee": "Beschäftigt" / "employee",
    ProjectStaff => "project_staff": "Projektpersonal" / "project staff",
    Mediator => "mediator": "Mediator/in" / "mediator",
    LanguageMediator => "language_mediator": "Sprachmittler/in" / "language mediator",
    Adviser => "adviser": "Berater/in" / "adviser",
    Contact => "contact": "Ansprechperson" / "contact person",
});

string_enum!(FieldOfWork {
    Education => "education": "Bildung" / "education",
    Youth => "youth": "Jugend" / "youth",
    SocialCounselling => "social_counselling": "Sozialberatung" / "social counselling",
    Mediation => "mediation": "Mediation" / "mediation",
    Housing => "housing": "Wohnen" / "housing",
    Health => "health": "Gesundheit" / "health",
    Labour => "labour": "Arbeit" / "labour",
    Culture => "culture": "Kultur" / "culture",
    AntiDiscrimination => "anti_discrimination": "Antidiskriminierung" / "anti-discrimination",
    Empowerment => "empowerment": "Empowerment" / "empowerment",
    FamilySupport => "family_support": "Familienhilfe" / "family support",
    SchoolIntegration => "school_integration": "Schulintegration" / "school integration",
    ConflictPrevention => "conflict_prevention": "Konfliktprävention" / "conflict prevention",
    PublicRelations => "public_relations": "Öffentlichkeitsarbeit" / "public relations",
    Other => "other": "Sonstiges" / "other",
});

string_enum!(FundingStatus {
    Applied => "applied": "beantragt" / "applied for",
    Granted => "granted": "bewilligt" / "granted",
    Ended => "ended": "beendet" / "ended",
});

string_enum!(RelationKind {
    MemberOf => "member_of": "Mitglied von" / "member of",
    PartOf => "part_of": "Teil von" / "part of",
    FoundedOnInitiativeOf => "founded_on_initiative_of": "gegründet auf Initiative von" / "founded on the initiative of",
    SupportedFoundingOf => "supported_founding_of": "unterstützte Gründung von" / "supported the founding of",
    CarrierOf => "carrier_of": "Träger von" / "carrier of",
    CooperatesWith => "cooperates_with": "kooperiert mit" / "cooperates with",
    RoundTable => "round_table": "Runder Tisch" / "round table",
    Partnership => "partnership": "Partnerschaft" / "partnership",
    ReliesOn => "relies_on": "ist angewiesen auf" / "relies on",
    MigrationLink => "migration_link": "Migrationsverbindung" / "migration link",
});

string_enum!(UserRole {
    Viewer => "viewer": "Lesen" / "read",
    Editor => "editor": "Bearbeiten" / "edit",
    Admin => "admin": "Verwalten" / "administer",
});

impl UserRole {
    /// Whether this role includes everything `needed` allows.
    pub fn allows(&self, needed: UserRole) -> bool {
        let rank = |r: UserRole| match r {
            UserRole::Viewer => 0,
            UserRole::Editor => 1,
            UserRole::Admin => 2,
        };
        rank(*self) >= rank(needed)
    }
}

/// Joins a list of enum values for a text column (`a,b,c`).
pub fn join_list<T: Copy>(items: &[T], as_str: fn(&T) -> &'static str) -> String {
    items.iter().map(as_str).collect::<Vec<_>>().join(",")
}

/// Parses a text column written by `join_list`.
pub fn split_list<T: std::str::FromStr<Err = String>>(text: &str) -> Result<Vec<T>, String> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect()
}

/// Every value of every vocabulary as (code, German label, English label): for pages that
/// hold only a code and for the tests that keep every value translated.
pub fn every_label() -> Vec<(&'static str, &'static str, &'static str)> {
    fn of<T: Labelled>(
        values: &'static [T],
    ) -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
        values.iter().map(|v| (v.code(), v.german(), v.english()))
    }
    of(OrgKind::ALL)
        .chain(of(LegalForm::ALL))
        .chain(of(Orientation::ALL))
        .chain(of(CountryFocus::ALL))
        .chain(of(Purpose::ALL))
        .chain(of(Function::ALL))
        .chain(of(Composition::ALL))
        .chain(of(ResourceMode::ALL))
        .chain(of(Visibility::ALL))
        .chain(of(Role::ALL))
        .chain(of(FieldOfWork::ALL))
        .chain(of(FundingStatus::ALL))
        .chain(of(RelationKind::ALL))
        .chain(of(UserRole::ALL))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new value cannot ship untranslated: every value has a German and an English label,
    /// and a code with an underscore is never its own English label.
    #[test]
    fn every_value_has_a_german_and_an_english_label() {
        let all = every_label();
        assert!(all.len() > 90, "{} values", all.len());
        for (code, de, en) in all {
            assert!(!de.trim().is_empty(), "{code}: no German label");
            assert!(!en.trim().is_empty(), "{code}: no English label");
            assert!(
                !en.contains('_') && !de.contains('_'),
                "{code}: label with _"
            );
            if code.contains('_') {
                assert_ne!(en, code, "{code}: English label is the code");
            }
        }
    }

    #[test]
    fn labels_are_the_proper_words() {
        assert_eq!(Role::CoChair.label_en(), "co-chair");
        assert_eq!(
            OrgKind::RomaSelfOrganisation.label_en(),
            "Roma self-organisation"
        );
        assert_eq!(RelationKind::CooperatesWith.label_de(), "kooperiert mit");
        assert_eq!(Function::Hinge.english(), "bridging (hinge)");
    }
}
