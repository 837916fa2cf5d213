//! `knotenpunkt generate --scale S`: a deterministic synthetic national data set for
//! benchmarks and load tests, validated like every create and written in batches. Scale 1 is
//! about Germany: 14,000 migrant organisations, 400 municipalities with units, 1,500
//! funders, 3,000 welfare units, 80,000 persons, 160,000 affiliations, 50,000 fundings
//! and 30,000 relations.
use std::collections::HashSet;

use diesel::connection::TransactionManager;
use diesel::Connection;
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::db::{self, DbConn};
use crate::domain::*;
use crate::error::Result;
use crate::service::audit::{self, Change};
use crate::service::{crud, Caller, Resource};
use crate::store::search;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Counts {
    pub municipalities: usize,
    pub funders: usize,
    pub welfare: usize,
    pub organisations: usize,
    pub persons: usize,
    pub affiliations: usize,
    pub fundings: usize,
    pub relations: usize,
}

impl Counts {
    pub fn at(scale: f64) -> Counts {
        let n = |base: f64| ((base * scale).round() as usize).max(2);
        Counts {
            municipalities: n(400.0),
            funders: n(1_500.0),
            welfare: n(3_000.0),
            organisations: n(14_000.0),
            persons: n(80_000.0),
            affiliations: n(160_000.0),
            fundings: n(50_000.0),
            relations: n(30_000.0),
        }
    }
}

const UNITS: [&str; 3] = ["Jugendamt", "Kommunales Integrationszentrum", "Sozialamt"];
/// Records per transaction. Each batch is one write: one data version, its change-log
/// entries written together, the name search indexed once (see `Batch`).
const COMMIT_EVERY: usize = 5_000;

struct Generator<'a> {
    conn: &'a mut DbConn,
    rng: StdRng,
    bar: ProgressBar,
    batch: Option<Batch>,
}

/// The open transaction's writes: their change-log entries, not yet written, and the
/// paused name-search triggers (SQLite).
struct Batch {
    log: Vec<Change>,
    first_id: Option<String>,
    search: Option<search::Paused>,
}

/// Writes the data set and returns the counts written.
pub fn generate(conn: &mut DbConn, scale: f64, show_progress: bool) -> Result<Counts> {
    let counts = Counts::at(scale);
    let total = counts.municipalities * 4
        + counts.funders
        + counts.welfare
        + counts.organisations
        + counts.persons
        + counts.affiliations
        + counts.fundings
        + counts.relations;
    let bar = if show_progress {
        ProgressBar::new(total as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} records, {per_sec}, eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // SQLite with the import's settings: the indexes of a national data set outgrow the
    // default 2 MB page cache (every miss is a read from the file), and each create's
    // savepoint journal stays in memory.
    db::with_bulk_settings(conn, |conn| {
        let mut g = Generator {
            conn,
            rng: StdRng::seed_from_u64((scale * 1e6) as u64),
            bar,
            batch: None,
        };
        let result = g
            .begin()
            .and_then(|_| g.run(&counts))
            .and_then(|_| g.commit());
        if result.is_err() {
            // Rolls back the open batch, paused triggers included; earlier batches stay.
            let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(g.conn);
        }
        g.bar.finish();
        result
    })??;
    Ok(counts)
}

impl Generator<'_> {
    fn begin(&mut self) -> Result<()> {
        <DbConn as Connection>::TransactionManager::begin_transaction(self.conn)?;
        // First, as every write does: takes SQLite's write lock before anything is read.
        db::bump_data_version(self.conn)?;
        let search = search::pause_for_bulk_insert(self.conn)?;
        self.batch = Some(Batch {
            log: Vec::with_capacity(COMMIT_EVERY),
            first_id: None,
            search,
        });
        Ok(())
    }

    /// Ends the batch as one write: every record's create entry is written with the
    /// batch's data version, the new names are indexed, and the transaction commits.
    fn commit(&mut self) -> Result<()> {
        let Some(mut batch) = self.batch.take() else {
            return Ok(());
        };
        audit::record_all(self.conn, &mut batch.log)?;
        if let Some(paused) = batch.search {
            paused.resume(self.conn, batch.first_id.as_deref())?;
        }
        <DbConn as Connection>::TransactionManager::commit_transaction(self.conn)?;
        Ok(())
    }

    fn add<R: Resource>(&mut self, mut record: R) -> Result<String> {
        // The field rules of every create, then a plain insert: no savepoint per record
        // (the batch's transaction is all-or-nothing), and no look-ups of references and
        // identities (a generated record links only records written before it, and the
        // generator keeps identities apart itself; foreign keys and the unique identity
        // indexes still refuse anything else). Its change-log entry is written with the
        // batch's (`commit`), instead of one data version and one insert per record.
        crud::validate_input(&mut record)?;
        let now = db::now();
        let record = Record {
            id: db::new_id(),
            data: record,
            created_at: now.clone(),
            updated_at: now,
            deleted_at: None,
        };
        R::insert(self.conn, &record)?;
        let entry = audit::entry(
            &Caller::System,
            R::KIND,
            &record.id,
            "create",
            None,
            Some(&record),
        )?;
        let batch = self.batch.as_mut().expect("an open batch");
        if batch
            .first_id
            .as_ref()
            .is_none_or(|first| &record.id < first)
        {
            batch.first_id = Some(record.id.clone());
        }
        batch.log.push(entry);
        self.bar.inc(1);
        if batch.log.len() >= COMMIT_EVERY {
            self.commit()?;
            self.begin()?;
        }
        Ok(record.id)
    }

    fn year(&mut self, from: i32, to: i32) -> PartialDate {
        PartialDate::year(self.rng.gen_range(from..=to))
    }

    fn org(
        name: String,
        kind: OrgKind,
        city: Option<String>,
        parent: Option<String>,
    ) -> Organisation {
        Organisation {
            name,
            short_name: None,
            kind,
            legal_form: None,
            parent_id: parent,
            city,
            country: Some("DE".into()),
            founded: None,
            dissolved: None,
            register_court: None,
            register_number: None,
            website: None,
            description: None,
            self_description: None,
            working_principle: None,
            member_count_min: None,
            member_count_max: None,
            orientation: None,
            country_focus: None,
            purposes: Vec::new(),
            functions: Vec::new(),
            composition: None,
            resource_modes: Vec::new(),
            citations: Vec::new(),
        }
    }

    /// A city index skewed towards the first (large) cities.
    fn city(&mut self, cities: usize) -> usize {
        let x: f64 = self.rng.gen();
        ((x * x * x) * cities as f64) as usize % cities
    }

    fn run(&mut self, c: &Counts) -> Result<()> {
        let mut cities = Vec::new();
        let mut units = Vec::new(); // (id, city index)
        for i in 0..c.municipalities {
            let city = format!("Stadt {i:03}");
            let id = self.add(Self::org(
                format!("Stadt {i:03}"),
                OrgKind::Municipality,
                Some(city.clone()),
                None,
            ))?;
            for unit in UNITS {
                let u = Self::org(
                    format!("{unit} {city}"),
                    OrgKind::MunicipalUnit,
                    Some(city.clone()),
                    Some(id.clone()),
                );
                units.push((self.add(u)?, i));
            }
            cities.push((id, city));
        }
        let mut funders = Vec::new();
        for i in 0..c.funders {
            let kind = if i % 10 == 0 {
                OrgKind::StateBody
            } else {
                OrgKind::Funder
            };
            funders.push(self.add(Self::org(format!("Förderer {i:04}"), kind, None, None))?);
        }
        let mut welfare = Vec::new();
        for i in 0..c.welfare {
            let ci = self.city(cities.len());
            let o = Self::org(
                format!("Wohlfahrtsträger {i:04}"),
                OrgKind::WelfareOrganisation,
                Some(cities[ci].1.clone()),
                None,
            );
            welfare.push((self.add(o)?, ci));
        }
        let umbrellas = (c.organisations / 100).max(1);
        let mut orgs = Vec::new(); // (id, city index)
        for i in 0..c.organisations {
            let ci = self.city(cities.len());
            let kind = match i {
                i if i < umbrellas => OrgKind::StateAssociation,
                i if i % 7 == 0 => OrgKind::RomaSelfOrganisation,
                _ => OrgKind::MigrantOrganisation,
            };
            let mut o = Self::org(
                format!("Verein {i:05}"),
                kind,
                Some(cities[ci].1.clone()),
                None,
            );
            o.founded = Some(self.year(1970, 2023));
            orgs.push((self.add(o)?, ci));
        }
        self.persons_and_roles(c, &orgs, &units, &welfare)?;
        self.fundings(c, &funders, &orgs)?;
        self.relations(c, &orgs, umbrellas, &cities, &welfare)
    }

    fn persons_and_roles(
        &mut self,
        c: &Counts,
        orgs: &[(String, usize)],
        units: &[(String, usize)],
        welfare: &[(String, usize)],
    ) -> Result<()> {
        let mut persons = Vec::new();
        for i in 0..c.persons {
            let visibility = if i % 10 == 0 {
                Visibility::Public
            } else {
                Visibility::Restricted
            };
            let p = Person {
                display_name: format!("Person {i:06}"),
                is_pseudonym: true,
                visibility,
                notes: None,
                citations: Vec::new(),
            };
            persons.push(self.add(p)?);
        }
        let mut seen = HashSet::new();
        let roles = [
            Role::Chair,
            Role::BoardMember,
            Role::Member,
            Role::Volunteer,
            Role::Treasurer,
        ];
        let fields = FieldOfWork::ALL;
        let mut written = 0;
        while written < c.affiliations {
            let p = self.rng.gen_range(0..persons.len());
            let (org, role) = if self.rng.gen_bool(0.25) {
                // An employment on the public side, often in the city of one's association.
                let pool = if self.rng.gen_bool(0.5) {
                    units
                } else {
                    welfare
                };
                let (id, _) = &pool[self.rng.gen_range(0..pool.len())];
                (id.clone(), Role::Employee)
            } else {
                let (id, _) = &orgs[self.rng.gen_range(0..orgs.len())];
                (id.clone(), roles[self.rng.gen_range(0..roles.len())])
            };
            if !seen.insert((p, org.clone(), role)) {
                continue;
            }
            let start = self.rng.gen_range(2000..=2024);
            let end = self
                .rng
                .gen_bool(0.5)
                .then(|| PartialDate::year(start + self.rng.gen_range(0..6)));
            let a = Affiliation {
                person_id: persons[p].clone(),
                organisation_id: org,
                role,
                title: None,
                start: Some(PartialDate::year(start)),
                end,
                paid: Some(role == Role::Employee),
                project_bound: self.rng.gen_bool(0.3),
                fields_of_work: vec![
                    fields[self.rng.gen_range(0..fields.len())],
                    fields[self.rng.gen_range(0..4)],
                ],
                funding_id: None,
                citations: Vec::new(),
            };
            self.add(a)?;
            written += 1;
        }
        Ok(())
    }

    fn fundings(&mut self, c: &Counts, funders: &[String], orgs: &[(String, usize)]) -> Result<()> {
        let mut seen = HashSet::new();
        let mut written = 0;
        while written < c.fundings {
            let x: f64 = self.rng.gen();
            let f = ((x * x) * funders.len() as f64) as usize % funders.len();
            let r = self.rng.gen_range(0..orgs.len());
            let start = self.rng.gen_range(2005..=2026);
            if !seen.insert((f, r, start)) {
                continue;
            }
            let min = self.rng.gen_range(1_000..200_000) * 100;
            let funding = Funding {
                funder_id: funders[f].clone(),
                recipient_id: orgs[r].0.clone(),
                programme: None,
                purpose: None,
                amount_min: Some(min),
                amount_max: Some(min + self.rng.gen_range(0..50_000) * 100),
                currency: "EUR".into(),
                start: Some(PartialDate::year(start)),
                end: Some(PartialDate::year(start + self.rng.gen_range(0..4))),
                project_bound: self.rng.gen_bool(0.8),
                status: if start > 2025 {
                    FundingStatus::Granted
                } else {
                    FundingStatus::Ended
                },
                co_applicant_ids: Vec::new(),
                carrier_ids: Vec::new(),
                citations: Vec::new(),
            };
            self.add(funding)?;
            written += 1;
        }
        Ok(())
    }

    fn relations(
        &mut self,
        c: &Counts,
        orgs: &[(String, usize)],
        umbrellas: usize,
        cities: &[(String, String)],
        welfare: &[(String, usize)],
    ) -> Result<()> {
        let mut seen = HashSet::new();
        let mut written = 0;
        while written < c.relations {
            let a = self
                .rng
                .gen_range(umbrellas..orgs.len().max(umbrellas + 1))
                .min(orgs.len() - 1);
            let (kind, target) = match self.rng.gen_range(0..10) {
                0..=3 => (
                    RelationKind::MemberOf,
                    orgs[self.rng.gen_range(0..umbrellas)].0.clone(),
                ),
                4..=6 => (
                    RelationKind::CooperatesWith,
                    orgs[self.rng.gen_range(0..orgs.len())].0.clone(),
                ),
                7 => (
                    RelationKind::FoundedOnInitiativeOf,
                    cities[orgs[a].1].0.clone(),
                ),
                8 => (
                    RelationKind::CarrierOf,
                    welfare[self.rng.gen_range(0..welfare.len())].0.clone(),
                ),
                _ => (RelationKind::RoundTable, cities[orgs[a].1].0.clone()),
            };
            let (source, target) = if kind == RelationKind::CarrierOf {
                (target, orgs[a].0.clone())
            } else {
                (orgs[a].0.clone(), target)
            };
            if source == target || !seen.insert((source.clone(), target.clone(), kind)) {
                continue;
            }
            let r = Relation {
                source_id: source,
                target_id: target,
                kind,
                start: Some(self.year(2000, 2024)),
                end: None,
                approx_size: None,
                description: None,
                citations: Vec::new(),
            };
            self.add(r)?;
            written += 1;
        }
        Ok(())
    }
}
