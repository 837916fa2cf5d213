//! The closed vocabularies of the domain model. Stored and sent as snake_case text.

/// Defines a string enum with serde, `as_str`, `FromStr`, `ALL` and German labels.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal : $label:literal),+ $(,)? }) => {
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
    MigrantOrganisation => "migrant_organisation": "Migrantenorganisation",
    RomaSelfOrganisation => "roma_self_organisation": "Roma-Selbstorganisation",
    StateAssociation => "state_association": "Landesverband",
    FederalAssociation => "federal_association": "Bundesverband",
    EuropeanAssociation => "european_association": "Europäischer Verband",
    Municipality => "municipality": "Kommune",
    MunicipalUnit => "municipal_unit": "Kommunale Stelle",
    StateBody => "state_body": "Landesbehörde",
    Funder => "funder": "Förderer/Stiftung",
    WelfareOrganisation => "welfare_organisation": "Wohlfahrtsorganisation",
    ReligiousCommunity => "religious_community": "Religionsgemeinschaft",
    InformalNetwork => "informal_network": "Informelles Netzwerk",
    Project => "project": "Projekt",
    OriginMunicipality => "origin_municipality": "Herkunftskommune",
    Other => "other": "Sonstige",
});

string_enum!(LegalForm {
    RegisteredAssociation => "registered_association": "eingetragener Verein (e.V.)",
    Informal => "informal": "informell",
    PublicBody => "public_body": "Körperschaft des öffentlichen Rechts",
    Foundation => "foundation": "Stiftung",
    Project => "project": "Projekt",
    Company => "company": "Gesellschaft",
    Other => "other": "Sonstige",
});

string_enum!(Orientation {
    Inward => "inward": "nach innen",
    Outward => "outward": "nach außen",
    Both => "both": "beides",
});

string_enum!(CountryFocus {
    Origin => "origin": "Herkunftsland",
    Arrival => "arrival": "Ankunftsland",
    Transnational => "transnational": "transnational",
});

string_enum!(Purpose {
    InterestRepresentation => "interest_representation": "Interessenvertretung",
    Culture => "culture": "Kultur",
    Education => "education": "Bildung",
    SelfHelp => "self_help": "Selbsthilfe",
    Youth => "youth": "Jugend",
    Women => "women": "Frauen",
    Religion => "religion": "Religion",
    Sport => "sport": "Sport",
    ProfessionalInterests => "professional_interests": "Berufliche Interessen",
    PoliticalRepresentation => "political_representation": "Politische Vertretung",
    ServiceProvider => "service_provider": "Dienstleister",
    AntiDiscrimination => "anti_discrimination": "Antidiskriminierung",
    SocialWork => "social_work": "Soziale Arbeit",
});

string_enum!(Function {
    Service => "service": "Dienstleistung",
    Hinge => "hinge": "Scharnier",
    Advocacy => "advocacy": "Anwaltschaft",
    Homemaking => "homemaking": "Beheimatung",
});

string_enum!(Composition {
    Mono => "mono": "monoethnisch",
    Multi => "multi": "multiethnisch",
});

string_enum!(ResourceMode {
    MembershipFees => "membership_fees": "Mitgliedsbeiträge",
    Donations => "donations": "Spenden",
    ProjectFunding => "project_funding": "Projektförderung",
});

string_enum!(Visibility {
    Public => "public": "öffentlich",
    Restricted => "restricted": "eingeschränkt",
});

string_enum!(Role {
    Chair => "chair": "Vorsitz",
    CoChair => "co_chair": "Co-Vorsitz",
    BoardMember => "board_member": "Vorstandsmitglied",
    Treasurer => "treasurer": "Kassenwart",
    Founder => "founder": "Gründungsmitglied",
    Member => "member": "Mitglied",
    Volunteer => "volunteer": "Ehrenamt",
    Employee => "employee": "Beschäftigt",
    ProjectStaff => "project_staff": "Projektpersonal",
    Mediator => "mediator": "Mediator/in",
    LanguageMediator => "language_mediator": "Sprachmittler/in",
    Adviser => "adviser": "Berater/in",
    Contact => "contact": "Ansprechperson",
});

string_enum!(FieldOfWork {
    Education => "education": "Bildung",
    Youth => "youth": "Jugend",
    SocialCounselling => "social_counselling": "Sozialberatung",
    Mediation => "mediation": "Mediation",
    Housing => "housing": "Wohnen",
    Health => "health": "Gesundheit",
    Labour => "labour": "Arbeit",
    Culture => "culture": "Kultur",
    AntiDiscrimination => "anti_discrimination": "Antidiskriminierung",
    Empowerment => "empowerment": "Empowerment",
    FamilySupport => "family_support": "Familienhilfe",
    SchoolIntegration => "school_integration": "Schulintegration",
    ConflictPrevention => "conflict_prevention": "Konfliktprävention",
    PublicRelations => "public_relations": "Öffentlichkeitsarbeit",
    Other => "other": "Sonstiges",
});

string_enum!(FundingStatus {
    Applied => "applied": "beantragt",
    Granted => "granted": "bewilligt",
    Ended => "ended": "beendet",
});

string_enum!(RelationKind {
    MemberOf => "member_of": "Mitglied von",
    PartOf => "part_of": "Teil von",
    FoundedOnInitiativeOf => "founded_on_initiative_of": "gegründet auf Initiative von",
    SupportedFoundingOf => "supported_founding_of": "unterstützte Gründung von",
    CarrierOf => "carrier_of": "Träger von",
    CooperatesWith => "cooperates_with": "kooperiert mit",
    RoundTable => "round_table": "Runder Tisch",
    Partnership => "partnership": "Partnerschaft",
    ReliesOn => "relies_on": "ist angewiesen auf",
    MigrationLink => "migration_link": "Migrationsverbindung",
});

string_enum!(UserRole {
    Viewer => "viewer": "Lesen",
    Editor => "editor": "Bearbeiten",
    Admin => "admin": "Verwalten",
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
