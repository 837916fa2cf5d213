//! A person's roles over time and the tandems among them.
use crate::domain::*;
use crate::graph::overlaps::{tandem_overlap, Side};
use crate::web::period;

/// One of the person's affiliations as shown in "roles over time".
#[derive(Debug, Clone)]
pub struct RoleRow {
    pub affiliation_id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub organisation_kind: OrgKind,
    pub role: Role,
    pub title: Option<String>,
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
    pub paid: Option<bool>,
    pub fields: Vec<FieldOfWork>,
    /// Whether this role is one side of a tandem.
    pub tandem: bool,
}

impl RoleRow {
    pub fn period(&self) -> String {
        period(self.start, self.end)
    }
}

/// A tandem: a role at a self-organisation while employed on the public side.
#[derive(Debug, Clone)]
pub struct TandemRow {
    /// Index of the self-organisation role in the role list.
    pub self_side: usize,
    /// Index of the employment in the role list.
    pub employment: usize,
    pub overlap_start: Option<PartialDate>,
    pub overlap_end: Option<PartialDate>,
    pub shared_fields: Vec<FieldOfWork>,
}

impl TandemRow {
    pub fn overlap(&self) -> String {
        period(self.overlap_start, self.overlap_end)
    }
}

/// The later of two starts (an unknown start is open towards the past).
fn later_start(a: Option<PartialDate>, b: Option<PartialDate>) -> Option<PartialDate> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.first_day() > x.first_day() { y } else { x }),
        (x, y) => x.or(y),
    }
}

/// The earlier of two ends (an open end means ongoing).
fn earlier_end(a: Option<PartialDate>, b: Option<PartialDate>) -> Option<PartialDate> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.last_day() < x.last_day() { y } else { x }),
        (x, y) => x.or(y),
    }
}

/// Every pair of roles where one is at a self-organisation and the other an employment
/// at a public employer, with intersecting intervals (`graph::overlaps::tandem_overlap`).
/// Marks the roles involved.
pub fn tandems(roles: &mut [RoleRow]) -> Vec<TandemRow> {
    let mut found = Vec::new();
    let side = |r: &RoleRow| Side {
        kind: r.organisation_kind,
        role: r.role,
        interval: Interval::new(r.start, r.end),
    };
    for (i, mo) in roles.iter().enumerate() {
        for (j, job) in roles.iter().enumerate() {
            let same = i == j || job.organisation_id == mo.organisation_id;
            if tandem_overlap(side(mo), side(job), same).is_none() {
                continue;
            }
            found.push(TandemRow {
                self_side: i,
                employment: j,
                overlap_start: later_start(mo.start, job.start),
                overlap_end: earlier_end(mo.end, job.end),
                shared_fields: mo
                    .fields
                    .iter()
                    .filter(|f| job.fields.contains(f))
                    .copied()
                    .collect(),
            });
        }
    }
    for t in &found {
        roles[t.self_side].tandem = true;
        roles[t.employment].tandem = true;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(org: &str, kind: OrgKind, role: Role, start: &str, end: &str) -> RoleRow {
        let date = |s: &str| (!s.is_empty()).then(|| s.parse().unwrap());
        RoleRow {
            affiliation_id: String::new(),
            organisation_id: org.into(),
            organisation_name: org.into(),
            organisation_kind: kind,
            role,
            title: None,
            start: date(start),
            end: date(end),
            paid: None,
            fields: vec![FieldOfWork::Mediation, FieldOfWork::Education],
            tandem: false,
        }
    }

    #[test]
    fn tandems_need_a_self_organisation_a_public_employment_and_a_common_time() {
        let mut roles = vec![
            role(
                "verein",
                OrgKind::RomaSelfOrganisation,
                Role::CoChair,
                "2019",
                "2024",
            ),
            role("stadt", OrgKind::MunicipalUnit, Role::Employee, "", ""),
            // Ended before the chair began: no tandem.
            role(
                "caritas",
                OrgKind::WelfareOrganisation,
                Role::Employee,
                "2010",
                "2018-12",
            ),
            // Not an employment.
            role("amt", OrgKind::Municipality, Role::Member, "2020", ""),
            // An employer that is not on the public side.
            role("stiftung", OrgKind::Funder, Role::Employee, "2020", ""),
        ];
        roles[1].fields = vec![FieldOfWork::Mediation, FieldOfWork::SocialCounselling];
        let found = tandems(&mut roles);
        assert_eq!(found.len(), 1);
        let t = &found[0];
        assert_eq!((t.self_side, t.employment), (0, 1));
        assert_eq!(t.overlap(), "2019 – 2024");
        assert_eq!(t.shared_fields, vec![FieldOfWork::Mediation]);
        let marked: Vec<bool> = roles.iter().map(|r| r.tandem).collect();
        assert_eq!(marked, vec![true, true, false, false, false]);
    }

    #[test]
    fn overlap_takes_the_later_start_and_the_earlier_end() {
        let d = |s: &str| Some(s.parse::<PartialDate>().unwrap());
        assert_eq!(later_start(d("2019"), d("2019-05")), d("2019-05"));
        assert_eq!(later_start(None, d("2019")), d("2019"));
        assert_eq!(earlier_end(d("2024"), d("2022-03-01")), d("2022-03-01"));
        assert_eq!(earlier_end(d("2024"), None), d("2024"));
        assert_eq!(earlier_end(None, None), None);
    }
}
