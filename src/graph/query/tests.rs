//! The query layer on a small hand-built snapshot: each parameter's bad values are
//! reported with that field, all at once; organisations are found by id, name, short
//! name or a unique part of the name; anonymous answers disclose nobody.
use super::*;
use crate::error::Error;
use crate::graph::build_snapshot;
use crate::store::snapshot::{AffiliationRow, OrgRow, PersonRow, Rows};

fn org(id: &str, name: &str, short: Option<&str>, kind: &str) -> OrgRow {
    OrgRow {
        id: id.into(),
        name: name.into(),
        short_name: short.map(str::to_string),
        kind: kind.into(),
        city: Some("Duisburg".into()),
        parent_id: None,
        founded: None,
        dissolved: None,
    }
}

fn role(id: &str, person: &str, org: &str, role: &str, start: &str) -> AffiliationRow {
    AffiliationRow {
        id: id.into(),
        person_id: person.into(),
        organisation_id: org.into(),
        role: role.into(),
        start: Some(start.into()),
        end: None,
        paid: None,
        project_bound: false,
        fields_of_work: String::new(),
    }
}

/// A Verein whose chair works for the city, two Romano… organisations and a funder.
fn snapshot() -> Snapshot {
    build_snapshot(Rows {
        version: 1,
        organisations: vec![
            org(
                "verein",
                "Bulgarischer Kulturverein Duisburg e.V.",
                Some("BKV"),
                "migrant_organisation",
            ),
            org("stadt", "Stadt Duisburg", None, "municipality"),
            org("drom", "Romano Drom e.V.", None, "roma_self_organisation"),
            org("than", "Romano Than e.V.", None, "roma_self_organisation"),
            org("evz", "Stiftung EVZ", None, "funder"),
        ],
        persons: vec![PersonRow {
            id: "chair".into(),
            name: "Chair Person".into(),
            visibility: "restricted".into(),
        }],
        affiliations: vec![
            role("a1", "chair", "verein", "chair", "2022-03"),
            role("a2", "chair", "stadt", "employee", "2021-07"),
        ],
        fundings: Vec::new(),
        partners: Vec::new(),
        relations: Vec::new(),
    })
    .expect("snapshot")
}

fn params(pairs: &[(&str, &str)]) -> Params {
    Params::new(pairs.iter().copied())
}

fn problems<Q: GraphQuery>(s: &Snapshot, pairs: &[(&str, &str)]) -> Vec<(&'static str, Problem)> {
    match parse::<Q>(s, &params(pairs), Viewer::SignedIn) {
        Ok(_) => Vec::new(),
        Err(p) => p.0.into_iter().map(|f| (f.field, f.problem)).collect(),
    }
}

fn fields<Q: GraphQuery>(s: &Snapshot, pairs: &[(&str, &str)]) -> Vec<&'static str> {
    problems::<Q>(s, pairs)
        .into_iter()
        .map(|(f, _)| f)
        .collect()
}

#[test]
fn each_bad_parameter_is_reported_with_its_field() {
    let s = snapshot();
    let v = "verein";
    assert_eq!(fields::<Tandem>(&s, &[("as_of", "2019-13")]), ["as_of"]);
    assert_eq!(
        fields::<Tandem>(&s, &[("from", "2021"), ("to", "2020")]),
        ["to"]
    );
    assert_eq!(
        fields::<Tandem>(&s, &[("as_of", "2020"), ("from", "2019")]),
        ["as_of"]
    );
    assert_eq!(fields::<StaffPairs>(&s, &[("limit", "-1")]), ["limit"]);
    assert_eq!(fields::<StaffPairs>(&s, &[("limit", "10001")]), ["limit"]);
    assert_eq!(
        fields::<StaffPairs>(&s, &[("concurrent", "maybe")]),
        ["concurrent"]
    );
    assert_eq!(
        fields::<FundingEnding>(&s, &[("within_days", "viele")]),
        ["within_days"]
    );
    assert_eq!(fields::<Network>(&s, &[("depth", "3")]), ["depth"]);
    assert_eq!(fields::<Network>(&s, &[("kinds", "friendship")]), ["kinds"]);
    assert_eq!(
        fields::<CentralityRanking>(&s, &[("measure", "pagerank")]),
        ["measure"]
    );
    assert_eq!(fields::<StaffOverlaps>(&s, &[]), ["organisation"]);
    assert_eq!(fields::<FundingImpact>(&s, &[("funder", " ")]), ["funder"]);
    assert_eq!(fields::<Path>(&s, &[("from", v)]), ["to"]);
    assert_eq!(
        problems::<ConflictCheck>(&s, &[("funder", v), ("applicant", v)]),
        [("applicant", Problem::Same)]
    );
    // Good values pass.
    assert!(fields::<StaffPairs>(&s, &[("limit", "1.000"), ("concurrent", "on")]).is_empty());
    assert!(fields::<Tandem>(&s, &[("as_of", "14.05.2023"), ("city", "Duisburg")]).is_empty());
}

#[test]
fn all_problems_are_found_at_once() {
    let s = snapshot();
    let found = fields::<StaffOverlaps>(&s, &[("as_of", "gestern"), ("concurrent", "vielleicht")]);
    assert_eq!(found, ["organisation", "as_of", "concurrent"]);
    let e = match parse::<StaffOverlaps>(&s, &params(&[]), Viewer::Anonymous) {
        Err(p) => Error::from(p),
        Ok(_) => panic!("no organisation given"),
    };
    assert_eq!(e.status(), 422);
}

#[test]
fn organisations_by_id_name_short_name_or_unique_part() {
    let s = snapshot();
    let id = |typed: &str| find_organisation(&s, typed).map(|n| s.org(n).unwrap().id.clone());
    assert_eq!(id("verein").as_deref(), Ok("verein"));
    assert_eq!(id("stadt duisburg").as_deref(), Ok("stadt"));
    assert_eq!(id("bkv").as_deref(), Ok("verein"));
    assert_eq!(id("Kulturverein").as_deref(), Ok("verein"));
    assert_eq!(
        id("Romano"),
        Err(Problem::Ambiguous(vec![
            "Romano Drom e.V.".into(),
            "Romano Than e.V.".into()
        ]))
    );
    assert_eq!(id("Nirgendwo"), Err(Problem::Unknown("Nirgendwo".into())));
    // A person's id is no organisation, and never found by name.
    assert!(id("chair").is_err());
    assert!(id("Chair Person").is_err());
}

#[test]
fn unknown_organisations_alone_are_404_else_422_with_every_field() {
    let s = snapshot();
    let e = |pairs: &[(&str, &str)]| match parse::<ConflictCheck>(
        &s,
        &params(pairs),
        Viewer::Anonymous,
    ) {
        Err(p) => Error::from(p),
        Ok(_) => panic!("bad parameters accepted: {pairs:?}"),
    };
    assert_eq!(e(&[("funder", "x"), ("applicant", "y")]).status(), 404);
    match e(&[("funder", "x"), ("as_of", "2019-13")]) {
        Error::Validation(list) => {
            let named: Vec<&str> = list.iter().map(|f| f.field.as_str()).collect();
            assert_eq!(named, ["funder", "applicant", "as_of"]);
        }
        other => panic!("expected 422, got {other}"),
    }
}

#[test]
fn answers_carry_the_persons_they_show_and_anonymous_ones_none() {
    let s = snapshot();
    let p = params(&[("city", "Duisburg")]);
    let named = ask::<Tandem>(&s, &p, Viewer::SignedIn).unwrap();
    assert_eq!(named.persons, Disclosure::of(["chair"]));
    assert_eq!(named.body.roles.as_ref().map(Vec::len), Some(1));
    let anonymous = ask::<Tandem>(&s, &p, Viewer::Anonymous).unwrap();
    assert!(anonymous.persons.is_empty());
    assert!(anonymous.body.roles.is_none());
    assert_eq!(anonymous.body.pairs.len(), 1);
    assert_eq!(anonymous.body.pairs[0].persons, 1);
    // An unnamed person's key says nothing about who it is: the first unnamed person of
    // every answer is `p1`, so keys cannot link answers to each other.
    let ego = |focus: &str| {
        let p = params(&[("focus", focus)]);
        let a = ask::<Network>(&s, &p, Viewer::Anonymous).unwrap();
        assert!(a.persons.is_empty());
        let person = a
            .body
            .nodes
            .iter()
            .find(|n| n.node_type == "person")
            .cloned();
        person.map(|n| n.key)
    };
    assert_eq!(ego("verein").as_deref(), Some("p1"));
    assert_eq!(ego("stadt").as_deref(), Some("p1"));
}
