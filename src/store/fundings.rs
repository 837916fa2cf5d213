//! Fundings from a funder to a recipient, with co-applicants and carriers.
use diesel::prelude::*;

use super::{date, parse, refs, ListQuery, Page, Resource};
use crate::db::{DbConn, MultiBackend};
use crate::domain::*;
use crate::error::{Error, FieldError, Result};
use crate::schema::{funding_partners, fundings};

const CO_APPLICANT: &str = "co_applicant";
const CARRIER: &str = "carrier";

#[derive(Queryable, Insertable, AsChangeset)]
#[diesel(table_name = fundings, treat_none_as_null = true)]
struct Row {
    id: String,
    funder_id: String,
    recipient_id: String,
    programme: Option<String>,
    purpose: Option<String>,
    amount_min: Option<i64>,
    amount_max: Option<i64>,
    currency: String,
    start_date: Option<String>,
    end_date: Option<String>,
    project_bound: bool,
    status: String,
    created_at: String,
    updated_at: String,
    deleted_at: Option<String>,
}

impl Row {
    fn from_record(r: &Record<Funding>) -> Row {
        let f = &r.data;
        Row {
            id: r.id.clone(),
            funder_id: f.funder_id.clone(),
            recipient_id: f.recipient_id.clone(),
            programme: f.programme.clone(),
            purpose: f.purpose.clone(),
            amount_min: f.amount_min,
            amount_max: f.amount_max,
            currency: f.currency.clone(),
            start_date: f.start.map(|d| d.to_string()),
            end_date: f.end.map(|d| d.to_string()),
            project_bound: f.project_bound,
            status: f.status.as_str().into(),
            created_at: r.created_at.clone(),
            updated_at: r.updated_at.clone(),
            deleted_at: r.deleted_at.clone(),
        }
    }

    /// The record with its partners read from `funding_partners`.
    fn into_record(self, conn: &mut DbConn) -> Result<Record<Funding>> {
        let partners: Vec<(String, String)> = funding_partners::table
            .filter(funding_partners::funding_id.eq(&self.id))
            .order(funding_partners::organisation_id)
            .select((funding_partners::organisation_id, funding_partners::role))
            .load(conn)?;
        self.with_partners(&partners)
    }

    /// The record with its partners given as (organisation id, role).
    fn with_partners(self, partners: &[(String, String)]) -> Result<Record<Funding>> {
        let with_role = |role: &str| {
            partners
                .iter()
                .filter(|(_, r)| r == role)
                .map(|(o, _)| o.clone())
                .collect()
        };
        Ok(Record {
            data: Funding {
                funder_id: self.funder_id,
                recipient_id: self.recipient_id,
                programme: self.programme,
                purpose: self.purpose,
                amount_min: self.amount_min,
                amount_max: self.amount_max,
                currency: self.currency,
                start: date(self.start_date)?,
                end: date(self.end_date)?,
                project_bound: self.project_bound,
                status: parse(&self.status)?,
                co_applicant_ids: with_role(CO_APPLICANT),
                carrier_ids: with_role(CARRIER),
                citations: Vec::new(),
            },
            id: self.id,
            created_at: self.created_at,
            updated_at: self.updated_at,
            deleted_at: self.deleted_at,
        })
    }
}

fn write_partners(conn: &mut DbConn, record: &Record<Funding>) -> Result<()> {
    diesel::delete(funding_partners::table.filter(funding_partners::funding_id.eq(&record.id)))
        .execute(conn)?;
    let f = &record.data;
    let partners = f.co_applicant_ids.iter().map(|o| (o, CO_APPLICANT));
    for (org, role) in partners.chain(f.carrier_ids.iter().map(|o| (o, CARRIER))) {
        diesel::insert_into(funding_partners::table)
            .values((
                funding_partners::funding_id.eq(&record.id),
                funding_partners::organisation_id.eq(org),
                funding_partners::role.eq(role),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn filtered(q: &ListQuery) -> Result<fundings::BoxedQuery<'static, MultiBackend>> {
    let mut query = match q.deleted {
        true => fundings::table
            .filter(fundings::deleted_at.is_not_null())
            .into_boxed(),
        false => fundings::table
            .filter(fundings::deleted_at.is_null())
            .into_boxed(),
    };
    if let Some(org) = q.organisation.clone().filter(|o| !o.is_empty()) {
        query = query.filter(
            fundings::funder_id
                .eq(org.clone())
                .or(fundings::recipient_id.eq(org)),
        );
    }
    if let Some(kind) = q.kind.as_deref().filter(|k| !k.is_empty()) {
        let status: FundingStatus = kind.parse().map_err(|m| Error::invalid("kind", m))?;
        query = query.filter(fundings::status.eq(status.as_str()));
    }
    Ok(query)
}

impl Resource for Funding {
    const KIND: &'static str = "funding";

    fn normalize(&mut self) {
        Funding::normalize(self)
    }

    fn check(&self) -> Vec<FieldError> {
        Funding::check(self)
    }

    fn check_references(
        &self,
        conn: &mut DbConn,
        _own_id: Option<&str>,
    ) -> Result<Vec<FieldError>> {
        let mut errors = Vec::new();
        refs::require_organisation(conn, "funder_id", &self.funder_id, &mut errors)?;
        refs::require_organisation(conn, "recipient_id", &self.recipient_id, &mut errors)?;
        for (i, org) in self.co_applicant_ids.iter().enumerate() {
            refs::require_organisation(conn, &format!("co_applicant_ids[{i}]"), org, &mut errors)?;
        }
        for (i, org) in self.carrier_ids.iter().enumerate() {
            refs::require_organisation(conn, &format!("carrier_ids[{i}]"), org, &mut errors)?;
        }
        Ok(errors)
    }

    fn find_duplicate(&self, conn: &mut DbConn, except_id: Option<&str>) -> Result<Option<String>> {
        let rows: Vec<(String, Option<String>, Option<String>)> = fundings::table
            .filter(fundings::deleted_at.is_null())
            .filter(fundings::funder_id.eq(&self.funder_id))
            .filter(fundings::recipient_id.eq(&self.recipient_id))
            .select((fundings::id, fundings::programme, fundings::start_date))
            .load(conn)?;
        let start = self.start.map(|d| d.to_string());
        Ok(rows
            .into_iter()
            .find(|(id, p, s)| {
                Some(id.as_str()) != except_id && *p == self.programme && *s == start
            })
            .map(|(id, _, _)| id))
    }

    super::cites_field!();

    fn load(conn: &mut DbConn, id: &str) -> Result<Option<Record<Self>>> {
        let row = fundings::table.find(id).first::<Row>(conn).optional()?;
        row.map(|r| r.into_record(conn)).transpose()
    }

    fn insert(conn: &mut DbConn, record: &Record<Self>) -> Result<()> {
        diesel::insert_into(fundings::table)
            .values(Row::from_record(record))
            .execute(conn)?;
        write_partners(conn, record)
    }

    fn update(conn: &mut DbConn, record: &Record<Self>) -> Result<()> {
        diesel::update(fundings::table.find(&record.id))
            .set(Row::from_record(record))
            .execute(conn)?;
        write_partners(conn, record)
    }

    fn set_deleted(conn: &mut DbConn, id: &str, deleted_at: Option<&str>) -> Result<()> {
        diesel::update(fundings::table.find(id))
            .set(fundings::deleted_at.eq(deleted_at))
            .execute(conn)?;
        Ok(())
    }

    fn live_after(conn: &mut DbConn, after: &str, limit: i64) -> Result<Vec<Record<Self>>> {
        let rows: Vec<Row> = fundings::table
            .filter(fundings::deleted_at.is_null())
            .filter(fundings::id.gt(after))
            .order(fundings::id)
            .limit(limit)
            .load(conn)?;
        // The partners of the whole page in one query.
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        let partners: Vec<(String, String, String)> = funding_partners::table
            .filter(funding_partners::funding_id.eq_any(&ids))
            .order((
                funding_partners::funding_id,
                funding_partners::organisation_id,
            ))
            .select((
                funding_partners::funding_id,
                funding_partners::organisation_id,
                funding_partners::role,
            ))
            .load(conn)?;
        let mut by_funding: std::collections::HashMap<String, Vec<(String, String)>> =
            std::collections::HashMap::new();
        for (funding, org, role) in partners {
            by_funding.entry(funding).or_default().push((org, role));
        }
        rows.into_iter()
            .map(|r| {
                let partners = by_funding.remove(&r.id).unwrap_or_default();
                r.with_partners(&partners)
            })
            .collect()
    }

    fn list(conn: &mut DbConn, _caller: &Caller, q: &ListQuery) -> Result<Page<Record<Self>>> {
        let total = filtered(q)?.count().get_result(conn)?;
        let rows: Vec<Row> = filtered(q)?
            .order((fundings::start_date, fundings::id))
            .limit(q.limit())
            .offset(q.offset())
            .load(conn)?;
        let items = rows
            .into_iter()
            .map(|r| r.into_record(conn))
            .collect::<Result<_>>()?;
        Ok(Page { items, total })
    }
}
