//! The record exports: organisations, persons, roles (affiliations), fundings, relations
//! and sources, one table each — for spreadsheets as a ZIP of CSV files (UTF-8 with BOM,
//! `;`, every cell quoted and guarded against formulas) or as one XLSX workbook with a
//! sheet per table, the columns (`tables`) the same in both; and for Aleph as
//! FollowTheMoney entities, one JSON object a line (`ftm`). One walk over the tables
//! (`write_tables`) selects the records and hands them to the format's writer
//! (`Records`). The selection is the network view's (`ViewRequest`: kinds, city,
//! umbrella, funder, time, focus + depth): its organisations, the roles at them, the
//! fundings and relations that touch them (in the time window), the persons holding
//! those roles and the sources the exported records cite; without filters, every live
//! record. Anonymous callers get public persons only. Rows are read from the store in
//! pages of `PAGE` in id order while the file is written, so memory does not grow with
//! the data set.
pub mod ftm;
mod select;
mod sinks;
pub mod tables;

use std::collections::HashSet;
use std::io::{self, Write};

use crate::db::Pool;
use crate::domain::{
    Affiliation, Citation, Funding, Organisation, Person, Record, Relation, Source, Visibility,
};
use crate::graph::Viewer;
use crate::store::{citations, Resource};

pub use select::Selection;
use sinks::{CsvZip, Rows, Xlsx};

/// Rows read from the store at a time.
pub const PAGE: i64 = 500;

/// The formats of the record exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordFormat {
    /// A ZIP with one CSV file per table.
    Csv,
    /// One workbook, one sheet per table.
    Xlsx,
    /// FollowTheMoney entities, one JSON object a line (Aleph, `ftm`).
    Ftm,
}

impl RecordFormat {
    pub const ALL: [RecordFormat; 3] = [RecordFormat::Csv, RecordFormat::Xlsx, RecordFormat::Ftm];

    pub fn parse(text: &str) -> Option<RecordFormat> {
        RecordFormat::ALL.into_iter().find(|f| f.name() == text)
    }

    /// The format's name in addresses.
    pub fn name(self) -> &'static str {
        match self {
            RecordFormat::Csv => "csv",
            RecordFormat::Xlsx => "xlsx",
            RecordFormat::Ftm => "ftm",
        }
    }

    /// The file's name.
    pub fn filename(self) -> &'static str {
        match self {
            RecordFormat::Csv => "knotenpunkt-records.zip",
            RecordFormat::Xlsx => "knotenpunkt-records.xlsx",
            RecordFormat::Ftm => "knotenpunkt.ftm.json",
        }
    }

    /// The media type; JSON lines (`x-ndjson`) are UTF-8 text (`is_text`).
    pub fn media_type(self) -> (&'static str, &'static str) {
        match self {
            RecordFormat::Csv => ("application", "zip"),
            RecordFormat::Ftm => ("application", "x-ndjson"),
            RecordFormat::Xlsx => (
                "application",
                "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        }
    }

    /// Whether the file is text (its media type then names the charset).
    pub fn is_text(self) -> bool {
        self == RecordFormat::Ftm
    }
}

/// The tables in the order they are written: (file or sheet name, columns).
pub const TABLES: [(&str, &[&str]); 6] = [
    ("organisations", tables::ORGANISATIONS),
    ("persons", tables::PERSONS),
    ("affiliations", tables::AFFILIATIONS),
    ("fundings", tables::FUNDINGS),
    ("relations", tables::RELATIONS),
    ("sources", tables::SOURCES),
];

fn io_error(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// Writes the selection's records in `format`, reading pages from `pool`.
pub fn write(
    format: RecordFormat,
    selection: &Selection,
    pool: &Pool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        RecordFormat::Csv => {
            let mut sink = CsvZip::new(out);
            write_tables(
                selection,
                pool,
                &mut Rows::new(&mut sink, selection.names()),
            )?;
            sink.finish()
        }
        RecordFormat::Xlsx => {
            let names: Vec<&str> = TABLES.iter().map(|(name, _)| *name).collect();
            let mut sink = Xlsx::new(out, &names)?;
            write_tables(
                selection,
                pool,
                &mut Rows::new(&mut sink, selection.names()),
            )?;
            sink.finish()
        }
        RecordFormat::Ftm => {
            let mut entities = ftm::Entities::new(out, selection);
            write_tables(selection, pool, &mut entities)?;
            entities.finish()
        }
    }
}

/// What the walk over the tables hands each selected record to, table by table in the
/// order of `TABLES`: the spreadsheet sinks make rows of them (`sinks::Rows`), the
/// FollowTheMoney writer entities (`ftm`). The walk decides what is selected (and which
/// persons may be shown); a receiver only decides how a record is written.
pub trait Records {
    /// Whether the walk should read this table at all (a format may have no place for
    /// it).
    fn wants(&self, _table: &str) -> bool {
        true
    }
    /// The walk begins the table `name` with these columns.
    fn table(&mut self, name: &'static str, columns: &'static [&'static str]) -> io::Result<()>;
    fn organisation(&mut self, r: &Record<Organisation>) -> io::Result<()>;
    fn person(&mut self, r: &Record<Person>) -> io::Result<()>;
    /// A role whose person was handed over before.
    fn affiliation(&mut self, r: &Record<Affiliation>) -> io::Result<()>;
    fn funding(&mut self, r: &Record<Funding>) -> io::Result<()>;
    fn relation(&mut self, r: &Record<Relation>) -> io::Result<()>;
    /// A source cited by a record handed over before (or every source, without filters).
    fn source(&mut self, r: &Record<Source>) -> io::Result<()>;
}

/// Walks the tables and hands the selection's records to `out`, a page at a time.
fn write_tables(sel: &Selection, pool: &Pool, out: &mut dyn Records) -> io::Result<()> {
    // Sources cited by what was written; persons written (their roles follow them).
    let mut cited: HashSet<String> = HashSet::new();
    let mut cite = |list: &[Citation]| {
        for c in list {
            if !cited.contains(&c.source_id) {
                cited.insert(c.source_id.clone());
            }
        }
    };
    let mut written: HashSet<String> = HashSet::new();
    let [organisations, persons, affiliations, fundings, relations, sources] = TABLES;

    out.table(organisations.0, organisations.1)?;
    each(
        pool,
        |o: &Record<Organisation>| sel.has_organisation(&o.id),
        |o| {
            cite(&o.data.citations);
            out.organisation(o)
        },
    )?;
    out.table(persons.0, persons.1)?;
    each(
        pool,
        |p: &Record<Person>| {
            sel.has_person(&p.id)
                && (sel.viewer() == Viewer::SignedIn || p.data.visibility == Visibility::Public)
        },
        |p| {
            written.insert(p.id.clone());
            cite(&p.data.citations);
            out.person(p)
        },
    )?;
    out.table(affiliations.0, affiliations.1)?;
    each(
        pool,
        |a: &Record<Affiliation>| {
            written.contains(&a.data.person_id)
                && sel.has_link(
                    [&a.data.organisation_id, &a.data.organisation_id],
                    "affiliation",
                    &a.data.interval(),
                )
        },
        |a| {
            cite(&a.data.citations);
            out.affiliation(a)
        },
    )?;
    out.table(fundings.0, fundings.1)?;
    each(
        pool,
        |f: &Record<Funding>| {
            sel.has_link(
                [&f.data.funder_id, &f.data.recipient_id],
                "funding",
                &f.data.interval(),
            )
        },
        |f| {
            cite(&f.data.citations);
            out.funding(f)
        },
    )?;
    out.table(relations.0, relations.1)?;
    each(
        pool,
        |r: &Record<Relation>| {
            sel.has_link(
                [&r.data.source_id, &r.data.target_id],
                r.data.kind.as_str(),
                &r.data.interval(),
            )
        },
        |r| {
            cite(&r.data.citations);
            out.relation(r)
        },
    )?;
    if !out.wants(sources.0) {
        return Ok(());
    }
    out.table(sources.0, sources.1)?;
    each(
        pool,
        |s: &Record<Source>| sel.is_everything() || cited.contains(&s.id),
        |s| out.source(s),
    )
}

/// Every live record of a table that `keep` keeps, with its citations, handed to `emit`
/// in id order. The pages are read on a second thread while the previous one is being
/// written (reading and formatting take about as long each); at most two pages wait. A
/// connection is held only while a page is read, not while it is written (the client
/// may be slow); when the writer stops, the reader stops at its next page.
fn each<R: Resource>(
    pool: &Pool,
    keep: impl Fn(&Record<R>) -> bool + Sync,
    mut emit: impl FnMut(&Record<R>) -> io::Result<()>,
) -> io::Result<()> {
    std::thread::scope(|scope| {
        let (pages, received) = std::sync::mpsc::sync_channel::<io::Result<Vec<Record<R>>>>(2);
        let keep = &keep;
        scope.spawn(move || {
            let mut after = String::new();
            loop {
                let page = read_page(pool, &mut after, keep);
                let last = !matches!(&page, Ok((_, false)));
                if pages.send(page.map(|(rows, _)| rows)).is_err() || last {
                    return;
                }
            }
        });
        for page in received {
            for r in &page? {
                emit(r)?;
            }
        }
        Ok(())
    })
}

/// The next page after `after` (moved on to its last id): the kept rows with their
/// citations, and whether it was the last.
fn read_page<R: Resource>(
    pool: &Pool,
    after: &mut String,
    keep: &(impl Fn(&Record<R>) -> bool + Sync),
) -> io::Result<(Vec<Record<R>>, bool)> {
    let mut conn = pool.get().map_err(io_error)?;
    let rows = R::live_after(&mut conn, after, PAGE).map_err(io_error)?;
    let short = (rows.len() as i64) < PAGE;
    if let Some(last) = rows.last() {
        *after = last.id.clone();
    }
    let mut kept: Vec<Record<R>> = rows.into_iter().filter(|r| keep(r)).collect();
    let ids: Vec<&str> = kept.iter().map(|r| r.id.as_str()).collect();
    let mut cites = citations::of_records(&mut conn, R::KIND, &ids).map_err(io_error)?;
    for r in &mut kept {
        r.data
            .set_citations(cites.remove(&r.id).unwrap_or_default());
    }
    Ok((kept, short))
}
