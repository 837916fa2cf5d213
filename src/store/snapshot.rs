//! Bulk reads of all live records for the graph snapshot, as plain rows.
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::Result;
use crate::schema::{affiliations, funding_partners, fundings, organisations, persons, relations};

pub struct OrgRow {
    pub id: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub city: Option<String>,
    pub parent_id: Option<String>,
    pub founded: Option<String>,
    pub dissolved: Option<String>,
}

pub struct PersonRow {
    pub id: String,
    pub name: String,
    pub visibility: String,
}

pub struct AffiliationRow {
    pub id: String,
    pub person_id: String,
    pub organisation_id: String,
    pub role: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub paid: Option<bool>,
    pub project_bound: bool,
    pub fields_of_work: String,
}

pub struct FundingRow {
    pub id: String,
    pub funder_id: String,
    pub recipient_id: String,
    pub programme: Option<String>,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub project_bound: bool,
    pub status: String,
}

pub struct RelationRow {
    pub id: String,
    pub source_id: String,
    pub target_id: String,
    pub kind: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub approx_size: Option<i32>,
}

/// Everything live, read in one transaction so the parts agree with each other and
/// with the returned data version.
pub struct Rows {
    pub version: i64,
    pub organisations: Vec<OrgRow>,
    pub persons: Vec<PersonRow>,
    pub affiliations: Vec<AffiliationRow>,
    pub fundings: Vec<FundingRow>,
    pub partners: Vec<(String, String, String)>,
    pub relations: Vec<RelationRow>,
}

type OrgColumns = (
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub fn load_all(conn: &mut DbConn) -> Result<Rows> {
    conn.transaction(|conn| {
        if matches!(conn, DbConn::Postgres(_)) {
            // One snapshot for all the reads below, as SQLite's transaction gives anyway.
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(conn)?;
        }
        let version = crate::db::data_version(conn)?;
        let organisations = organisations::table
            .filter(organisations::deleted_at.is_null())
            .select((
                organisations::id,
                organisations::name,
                organisations::short_name,
                organisations::kind,
                organisations::city,
                organisations::parent_id,
                organisations::founded,
                organisations::dissolved,
            ))
            .load::<OrgColumns>(conn)?
            .into_iter()
            .map(
                |(id, name, short_name, kind, city, parent_id, founded, dissolved)| OrgRow {
                    id,
                    name,
                    short_name,
                    kind,
                    city,
                    parent_id,
                    founded,
                    dissolved,
                },
            )
            .collect();
        let persons = persons::table
            .filter(persons::deleted_at.is_null())
            .select((persons::id, persons::display_name, persons::visibility))
            .load::<(String, String, String)>(conn)?
            .into_iter()
            .map(|(id, name, visibility)| PersonRow {
                id,
                name,
                visibility,
            })
            .collect();
        let affiliations = affiliations::table
            .filter(affiliations::deleted_at.is_null())
            .select((
                affiliations::id,
                affiliations::person_id,
                affiliations::organisation_id,
                affiliations::role,
                affiliations::start_date,
                affiliations::end_date,
                affiliations::paid,
                affiliations::project_bound,
                affiliations::fields_of_work,
            ))
            .load::<(
                String,
                String,
                String,
                String,
                Option<String>,
                Option<String>,
                Option<bool>,
                bool,
                String,
            )>(conn)?
            .into_iter()
            .map(
                |(
                    id,
                    person_id,
                    organisation_id,
                    role,
                    start,
                    end,
                    paid,
                    project_bound,
                    fields_of_work,
                )| {
                    AffiliationRow {
                        id,
                        person_id,
                        organisation_id,
                        role,
                        start,
                        end,
                        paid,
                        project_bound,
                        fields_of_work,
                    }
                },
            )
            .collect();
        let fundings = fundings::table
            .filter(fundings::deleted_at.is_null())
            .select((
                fundings::id,
                fundings::funder_id,
                fundings::recipient_id,
                fundings::programme,
                fundings::amount_min,
                fundings::amount_max,
                fundings::start_date,
                fundings::end_date,
                fundings::project_bound,
                fundings::status,
            ))
            .load::<(
                String,
                String,
                String,
                Option<String>,
                Option<i64>,
                Option<i64>,
                Option<String>,
                Option<String>,
                bool,
                String,
            )>(conn)?
            .into_iter()
            .map(
                |(
                    id,
                    funder_id,
                    recipient_id,
                    programme,
                    amount_min,
                    amount_max,
                    start,
                    end,
                    project_bound,
                    status,
                )| {
                    FundingRow {
                        id,
                        funder_id,
                        recipient_id,
                        programme,
                        amount_min,
                        amount_max,
                        start,
                        end,
                        project_bound,
                        status,
                    }
                },
            )
            .collect();
        let partners = funding_partners::table
            .inner_join(fundings::table)
            .filter(fundings::deleted_at.is_null())
            .select((
                funding_partners::funding_id,
                funding_partners::organisation_id,
                funding_partners::role,
            ))
            .load(conn)?;
        let relations = relations::table
            .filter(relations::deleted_at.is_null())
            .select((
                relations::id,
                relations::source_id,
                relations::target_id,
                relations::kind,
                relations::start_date,
                relations::end_date,
                relations::approx_size,
            ))
            .load::<(
                String,
                String,
                String,
                String,
                Option<String>,
                Option<String>,
                Option<i32>,
            )>(conn)?
            .into_iter()
            .map(
                |(id, source_id, target_id, kind, start, end, approx_size)| RelationRow {
                    id,
                    source_id,
                    target_id,
                    kind,
                    start,
                    end,
                    approx_size,
                },
            )
            .collect();
        Ok(Rows {
            version,
            organisations,
            persons,
            affiliations,
            fundings,
            partners,
            relations,
        })
    })
}
