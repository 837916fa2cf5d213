//! Reads of live records for the graph snapshot, as plain rows: all of them (a full
//! build), or only what the changes since a snapshot's version touched (a delta).
use std::collections::{BTreeSet, HashSet};

use diesel::prelude::*;

use crate::db::{DbConn, MultiBackend};
use crate::error::Result;
use crate::schema::{
    affiliations, changes, funding_partners, fundings, organisations, persons, relations,
};

#[derive(Debug, Clone, PartialEq, Queryable)]
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

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct PersonRow {
    pub id: String,
    pub name: String,
    pub visibility: String,
}

#[derive(Debug, Clone, PartialEq, Queryable)]
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

#[derive(Debug, Clone, PartialEq, Queryable)]
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

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct RelationRow {
    pub id: String,
    pub source_id: String,
    pub target_id: String,
    pub kind: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub approx_size: Option<i32>,
}

/// Live records, read in one transaction so the parts agree with each other and with
/// the returned data version: all of them for a full build; for a delta, those the
/// changes touched and the links of records that come back.
#[derive(Debug, Default)]
pub struct Rows {
    pub version: i64,
    pub organisations: Vec<OrgRow>,
    pub persons: Vec<PersonRow>,
    pub affiliations: Vec<AffiliationRow>,
    pub fundings: Vec<FundingRow>,
    /// (funding, organisation, `carrier` or `co_applicant`) of the fundings above.
    pub partners: Vec<(String, String, String)>,
    pub relations: Vec<RelationRow>,
}

/// The record ids a batch of changes touched, by kind.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Touched {
    pub organisations: BTreeSet<String>,
    pub persons: BTreeSet<String>,
    pub affiliations: BTreeSet<String>,
    pub fundings: BTreeSet<String>,
    pub relations: BTreeSet<String>,
}

impl Touched {
    fn len(&self) -> usize {
        self.organisations.len()
            + self.persons.len()
            + self.affiliations.len()
            + self.fundings.len()
            + self.relations.len()
    }
}

/// What changed since a snapshot's version.
#[derive(Debug)]
pub enum Since {
    /// Nothing: the data version is the snapshot's.
    Unchanged,
    /// What to apply (see `Delta`).
    Delta(Box<Delta>),
    /// Too much, or something the log cannot tell (writes before the log kept versions,
    /// a change of a kind this reader does not know): build the snapshot anew.
    Rebuild,
}

/// The touched records as they are now (an id of `touched` without a row in `rows` is
/// gone), and what was reloaded with them: the live links of nodes new to the snapshot,
/// and the organisations whose parent is a touched organisation (`children`).
#[derive(Debug)]
pub struct Delta {
    pub touched: Touched,
    pub rows: Rows,
    pub children: Vec<OrgRow>,
}

/// Changes of these kinds do not touch the network.
const OUTSIDE_THE_NETWORK: [&str; 4] = ["source", "user", "api_token", "import"];

/// Ids per `IN (…)`: well under both backends' limits on bound parameters.
const CHUNK: usize = 500;

/// What changed after `since`, as rows to apply to a snapshot at that version, or
/// `Rebuild` when more than `max_records` records were touched. `in_snapshot` says
/// whether the snapshot holds a node with the given id (a node that comes back brings
/// its live links along).
pub fn changes_since(
    conn: &mut DbConn,
    since: i64,
    max_records: usize,
    in_snapshot: &dyn Fn(&str) -> bool,
) -> Result<Since> {
    in_one_snapshot(conn, |conn| {
        let version = crate::db::data_version(conn)?;
        if version == since {
            return Ok(Since::Unchanged);
        }
        if version < since || version - since > max_records as i64 {
            return Ok(Since::Rebuild);
        }
        let logged: Vec<(Option<i64>, String, String)> = changes::table
            .filter(changes::version.gt(since))
            .filter(changes::version.le(version))
            .select((changes::version, changes::record_kind, changes::record_id))
            .limit(max_records as i64 + 1)
            .load(conn)?;
        // Every version in between must have left its change; a writer that moved the
        // version without logging one leaves a gap, and only a full build is sure then.
        let versions: HashSet<i64> = logged.iter().filter_map(|(v, _, _)| *v).collect();
        if logged.len() > max_records || versions.len() as i64 != version - since {
            return Ok(Since::Rebuild);
        }
        let mut touched = Touched::default();
        for (_, kind, id) in logged {
            let set = match kind.as_str() {
                "organisation" => &mut touched.organisations,
                "person" => &mut touched.persons,
                "affiliation" => &mut touched.affiliations,
                "funding" => &mut touched.fundings,
                "relation" => &mut touched.relations,
                other if OUTSIDE_THE_NETWORK.contains(&other) => continue,
                _ => return Ok(Since::Rebuild),
            };
            set.insert(id);
        }
        if touched.len() > max_records {
            return Ok(Since::Rebuild);
        }
        let (rows, children) = touched_rows(conn, version, &touched, in_snapshot)?;
        Ok(Since::Delta(Box::new(Delta {
            touched,
            rows,
            children,
        })))
    })
}

fn touched_rows(
    conn: &mut DbConn,
    version: i64,
    touched: &Touched,
    in_snapshot: &dyn Fn(&str) -> bool,
) -> Result<(Rows, Vec<OrgRow>)> {
    let list = |set: &BTreeSet<String>| set.iter().cloned().collect::<Vec<_>>();
    let organisations = chunked(&list(&touched.organisations), |ids| {
        org_rows(conn, |q| q.filter(organisations::id.eq_any(ids)))
    })?;
    let persons = chunked(&list(&touched.persons), |ids| {
        person_rows(conn, |q| q.filter(persons::id.eq_any(ids)))
    })?;
    let children = chunked(&list(&touched.organisations), |ids| {
        org_rows(conn, |q| q.filter(organisations::parent_id.eq_any(ids)))
    })?;
    // Nodes the snapshot lacks (created, restored): their links come with them.
    let back = |ids: Vec<&String>| -> Vec<String> {
        ids.into_iter()
            .filter(|id| !in_snapshot(id))
            .cloned()
            .collect()
    };
    let new_orgs = back(organisations.iter().map(|o| &o.id).collect());
    let new_persons = back(persons.iter().map(|p| &p.id).collect());

    let mut affiliations = chunked(&list(&touched.affiliations), |ids| {
        affiliation_rows(conn, |q| q.filter(affiliations::id.eq_any(ids)))
    })?;
    affiliations.extend(chunked(&new_persons, |ids| {
        affiliation_rows(conn, |q| q.filter(affiliations::person_id.eq_any(ids)))
    })?);
    affiliations.extend(chunked(&new_orgs, |ids| {
        affiliation_rows(conn, |q| {
            q.filter(affiliations::organisation_id.eq_any(ids))
        })
    })?);

    let mut fundings = chunked(&list(&touched.fundings), |ids| {
        funding_rows(conn, |q| q.filter(fundings::id.eq_any(ids)))
    })?;
    // Each end through its own index (an OR of the two would read the whole table on
    // some plans).
    fundings.extend(chunked(&new_orgs, |ids| {
        funding_rows(conn, |q| q.filter(fundings::funder_id.eq_any(ids)))
    })?);
    fundings.extend(chunked(&new_orgs, |ids| {
        funding_rows(conn, |q| q.filter(fundings::recipient_id.eq_any(ids)))
    })?);
    // A funding that names a returning organisation as carrier or co-applicant.
    let partnered: Vec<String> = chunked(&new_orgs, |ids| {
        Ok(funding_partners::table
            .filter(funding_partners::organisation_id.eq_any(ids))
            .select(funding_partners::funding_id)
            .load::<String>(conn)?)
    })?;
    fundings.extend(chunked(&partnered, |ids| {
        funding_rows(conn, |q| q.filter(fundings::id.eq_any(ids)))
    })?);
    dedup_by_id(&mut fundings, |f| &f.id);
    let funding_ids: Vec<String> = fundings.iter().map(|f| f.id.clone()).collect();
    let partners = chunked(&funding_ids, |ids| partner_rows(conn, Some(ids)))?;

    let mut relations = chunked(&list(&touched.relations), |ids| {
        relation_rows(conn, |q| q.filter(relations::id.eq_any(ids)))
    })?;
    relations.extend(chunked(&new_orgs, |ids| {
        relation_rows(conn, |q| q.filter(relations::source_id.eq_any(ids)))
    })?);
    relations.extend(chunked(&new_orgs, |ids| {
        relation_rows(conn, |q| q.filter(relations::target_id.eq_any(ids)))
    })?);
    dedup_by_id(&mut affiliations, |a| &a.id);
    dedup_by_id(&mut relations, |r| &r.id);
    Ok((
        Rows {
            version,
            organisations,
            persons,
            affiliations,
            fundings,
            partners,
            relations,
        },
        children,
    ))
}

fn dedup_by_id<T>(rows: &mut Vec<T>, id: impl Fn(&T) -> &String) {
    let mut seen = HashSet::new();
    rows.retain(|r| seen.insert(id(r).clone()));
}

/// Runs `read` once per chunk of `ids` and gathers the rows.
fn chunked<T>(
    ids: &[String],
    mut read: impl FnMut(Vec<String>) -> Result<Vec<T>>,
) -> Result<Vec<T>> {
    let mut all = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        all.extend(read(chunk.to_vec())?);
    }
    Ok(all)
}

/// One transaction with one view of the data on both backends (PostgreSQL's default
/// isolation would let each statement see newer commits).
fn in_one_snapshot<T>(conn: &mut DbConn, read: impl FnOnce(&mut DbConn) -> Result<T>) -> Result<T> {
    conn.transaction(|conn| {
        if matches!(conn, DbConn::Postgres(_)) {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(conn)?;
        }
        read(conn)
    })
}

pub fn load_all(conn: &mut DbConn) -> Result<Rows> {
    in_one_snapshot(conn, |conn| {
        Ok(Rows {
            version: crate::db::data_version(conn)?,
            organisations: org_rows(conn, |q| q)?,
            persons: person_rows(conn, |q| q)?,
            affiliations: affiliation_rows(conn, |q| q)?,
            fundings: funding_rows(conn, |q| q)?,
            partners: partner_rows(conn, None)?,
            relations: relation_rows(conn, |q| q)?,
        })
    })
}

fn org_rows(
    conn: &mut DbConn,
    narrow: impl FnOnce(
        organisations::BoxedQuery<'static, MultiBackend>,
    ) -> organisations::BoxedQuery<'static, MultiBackend>,
) -> Result<Vec<OrgRow>> {
    let live = organisations::table
        .filter(organisations::deleted_at.is_null())
        .into_boxed();
    Ok(narrow(live)
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
        .load(conn)?)
}

fn person_rows(
    conn: &mut DbConn,
    narrow: impl FnOnce(
        persons::BoxedQuery<'static, MultiBackend>,
    ) -> persons::BoxedQuery<'static, MultiBackend>,
) -> Result<Vec<PersonRow>> {
    let live = persons::table
        .filter(persons::deleted_at.is_null())
        .into_boxed();
    Ok(narrow(live)
        .select((persons::id, persons::display_name, persons::visibility))
        .load(conn)?)
}

fn affiliation_rows(
    conn: &mut DbConn,
    narrow: impl FnOnce(
        affiliations::BoxedQuery<'static, MultiBackend>,
    ) -> affiliations::BoxedQuery<'static, MultiBackend>,
) -> Result<Vec<AffiliationRow>> {
    let live = affiliations::table
        .filter(affiliations::deleted_at.is_null())
        .into_boxed();
    Ok(narrow(live)
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
        .load(conn)?)
}

fn funding_rows(
    conn: &mut DbConn,
    narrow: impl FnOnce(
        fundings::BoxedQuery<'static, MultiBackend>,
    ) -> fundings::BoxedQuery<'static, MultiBackend>,
) -> Result<Vec<FundingRow>> {
    let live = fundings::table
        .filter(fundings::deleted_at.is_null())
        .into_boxed();
    Ok(narrow(live)
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
        .load(conn)?)
}

/// Partners of live fundings: all, or of the given fundings.
fn partner_rows(
    conn: &mut DbConn,
    of: Option<Vec<String>>,
) -> Result<Vec<(String, String, String)>> {
    let mut query = funding_partners::table
        .inner_join(fundings::table)
        .filter(fundings::deleted_at.is_null())
        .select((
            funding_partners::funding_id,
            funding_partners::organisation_id,
            funding_partners::role,
        ))
        .into_boxed();
    if let Some(ids) = of {
        query = query.filter(funding_partners::funding_id.eq_any(ids));
    }
    Ok(query.load(conn)?)
}

fn relation_rows(
    conn: &mut DbConn,
    narrow: impl FnOnce(
        relations::BoxedQuery<'static, MultiBackend>,
    ) -> relations::BoxedQuery<'static, MultiBackend>,
) -> Result<Vec<RelationRow>> {
    let live = relations::table
        .filter(relations::deleted_at.is_null())
        .into_boxed();
    Ok(narrow(live)
        .select((
            relations::id,
            relations::source_id,
            relations::target_id,
            relations::kind,
            relations::start_date,
            relations::end_date,
            relations::approx_size,
        ))
        .load(conn)?)
}
