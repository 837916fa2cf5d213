//! Which FollowTheMoney schema each record becomes (README, "FollowTheMoney"): public
//! bodies among the organisations, the three kinds of `Interest` FtM has for a person's
//! role at an organisation (board roles direct, staff roles are employed, the rest are
//! members; advisers and contacts are links of no stated kind), and memberships among
//! the relations.
use crate::domain::{OrgKind, RelationKind, Role};

/// The schema of an organisation of `kind`.
pub fn organisation_schema(kind: OrgKind) -> &'static str {
    match kind {
        OrgKind::Municipality
        | OrgKind::MunicipalUnit
        | OrgKind::StateBody
        | OrgKind::OriginMunicipality => "PublicBody",
        _ => "Organization",
    }
}

/// The schema of a role and its two properties: (schema, the person's, the
/// organisation's).
pub fn role_schema(role: Role) -> (&'static str, &'static str, &'static str) {
    match role {
        Role::Chair | Role::CoChair | Role::BoardMember | Role::Treasurer => {
            ("Directorship", "director", "organization")
        }
        Role::Employee | Role::ProjectStaff | Role::Mediator | Role::LanguageMediator => {
            ("Employment", "employee", "employer")
        }
        Role::Founder | Role::Member | Role::Volunteer => ("Membership", "member", "organization"),
        Role::Adviser | Role::Contact => ("UnknownLink", "subject", "object"),
    }
}

/// The schema of a relation and its two properties: (schema, the source's, the target's).
pub fn relation_schema(kind: RelationKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        RelationKind::MemberOf => ("Membership", "member", "organization"),
        _ => ("UnknownLink", "subject", "object"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_and_kind_has_a_schema() {
        for role in Role::ALL {
            let (schema, person, _) = role_schema(*role);
            assert!(!schema.is_empty());
            assert!(matches!(
                person,
                "director" | "employee" | "member" | "subject"
            ));
        }
        assert_eq!(role_schema(Role::Chair).0, "Directorship");
        assert_eq!(role_schema(Role::ProjectStaff).0, "Employment");
        assert_eq!(role_schema(Role::Volunteer).0, "Membership");
        assert_eq!(relation_schema(RelationKind::MemberOf).0, "Membership");
        assert_eq!(relation_schema(RelationKind::PartOf).0, "UnknownLink");
        assert_eq!(organisation_schema(OrgKind::MunicipalUnit), "PublicBody");
        assert_eq!(
            organisation_schema(OrgKind::RomaSelfOrganisation),
            "Organization"
        );
    }
}
