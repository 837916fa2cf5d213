//! The record exports for spreadsheets: organisations, persons, roles (affiliations),
//! fundings, relations and sources, one table each — as a ZIP of CSV files (UTF-8 with
//! BOM, `;`, every cell quoted and guarded against formulas) or as one XLSX workbook with
//! a sheet per table; the columns (`tables`) are the same in both. The selection is the
//! network view's (`ViewRequest`: kinds, city, umbrella, funder, time, focus + depth):
//! its organisations, the roles at them, the fundings and relations that touch them (in
//! the time window), the persons holding those roles and the sources the exported
//! records cite; without filters, every live record. Anonymous callers get public
//! persons only. Rows are read from the store in pages of `PAGE` in id order while the
//! file is written, so memory does not grow with the data set.
mod select;
mod sinks;
pub mod tables;

use std::collections::HashSet;
use std::io::{self, Write};

use crate::db::Pool;
use crate::domain::{Record, Visibility};
use crate::graph::Viewer;
use crate::store::{citations, Resource};

pub use select::Selection;
use sinks::{CsvZip, Sink, Xlsx};
use tables::Names;

/// Rows read from the store at a time.
pub const PAGE: i64 = 500;

/// The spreadsheet formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordFormat {
    /// A ZIP with one CSV file per table.
    Csv,
    /// One workbook, one sheet per table.
    Xlsx,
}

impl RecordFormat {
    pub const ALL: [RecordFormat; 2] = [RecordFormat::Csv, RecordFormat::Xlsx];

    pub fn parse(text: &str) -> Option<RecordFormat> {
        RecordFormat::ALL.into_iter().find(|f| f.name() == text)
    }

    /// The format's name in addresses.
    pub fn name(self) -> &'static str {
        match self {
            RecordFormat::Csv => "csv",
            RecordFormat::Xlsx => "xlsx",
        }
    }

    /// The file's name.
    pub fn filename(self) -> &'static str {
        match self {
            RecordFormat::Csv => "knotenpunkt-records.zip",
            RecordFormat::Xlsx => "knotenpunkt-records.xlsx",
        }
    }

    pub fn media_type(self) -> (&'static str, &'static str) {
        match self {
            RecordFormat::Csv => ("application", "zip"),
            RecordFormat::Xlsx => (
                "application",
                "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        }
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
            write_tables(selection, pool, &mut sink)?;
            sink.finish()
        }
        RecordFormat::Xlsx => {
            let names: Vec<&str> = TABLES.iter().map(|(name, _)| *name).collect();
            let mut sink = Xlsx::new(out, &names)?;
            write_tables(selection, pool, &mut sink)?;
            sink.finish()
        }
    }
}

fn write_tables(sel: &Selection, pool: &Pool, sink: &mut dyn Sink) -> io::Result<()> {
    let names: &dyn Names = sel.names();
    // Sources cited by what was written; persons written (their roles follow them).
    let mut cited: HashSet<String> = HashSet::new();
    let mut cite = |list: &[crate::domain::Citation]| {
        for c in list {
            if !cited.contains(&c.source_id) {
                cited.insert(c.source_id.clone());
            }
        }
    };
    let mut written: HashSet<String> = HashSet::new();

    sink.table(TABLES[0].0, TABLES[0].1)?;
    each(
        pool,
        |o: &Record<crate::domain::Organisation>| sel.has_organisation(&o.id),
        |o| {
            cite(&o.data.citations);
            sink.row(&tables::organisation(o))
        },
    )?;
    sink.table(TABLES[1].0, TABLES[1].1)?;
    each(
        pool,
        |p: &Record<crate::domain::Person>| {
            sel.has_person(&p.id)
                && (sel.viewer() == Viewer::SignedIn || p.data.visibility == Visibility::Public)
        },
        |p| {
            written.insert(p.id.clone());
            cite(&p.data.citations);
            sink.row(&tables::person(p))
        },
    )?;
    sink.table(TABLES[2].0, TABLES[2].1)?;
    each(
        pool,
        |a: &Record<crate::domain::Affiliation>| {
            written.contains(&a.data.person_id)
                && sel.has_link(
                    [&a.data.organisation_id, &a.data.organisation_id],
                    "affiliation",
                    &a.data.interval(),
                )
        },
        |a| {
            cite(&a.data.citations);
            sink.row(&tables::affiliation(a, names))
        },
    )?;
    sink.table(TABLES[3].0, TABLES[3].1)?;
    each(
        pool,
        |f: &Record<crate::domain::Funding>| {
            sel.has_link(
                [&f.data.funder_id, &f.data.recipient_id],
                "funding",
                &f.data.interval(),
            )
        },
        |f| {
            cite(&f.data.citations);
            sink.row(&tables::funding(f, names))
        },
    )?;
    sink.table(TABLES[4].0, TABLES[4].1)?;
    each(
        pool,
        |r: &Record<crate::domain::Relation>| {
            sel.has_link(
                [&r.data.source_id, &r.data.target_id],
                r.data.kind.as_str(),
                &r.data.interval(),
            )
        },
        |r| {
            cite(&r.data.citations);
            sink.row(&tables::relation(r, names))
        },
    )?;
    sink.table(TABLES[5].0, TABLES[5].1)?;
    each(
        pool,
        |s: &Record<crate::domain::Source>| sel.is_everything() || cited.contains(&s.id),
        |s| sink.row(&tables::source(s)),
    )
}

/// Every live record of a table that `keep` keeps, with its citations, handed to `emit`
/// in id order. A connection is held only while a page is read, not while it is written
/// (the client may be slow).
fn each<R: Resource>(
    pool: &Pool,
    mut keep: impl FnMut(&Record<R>) -> bool,
    mut emit: impl FnMut(&Record<R>) -> io::Result<()>,
) -> io::Result<()> {
    let mut after = String::new();
    loop {
        let (page, short) = {
            let mut conn = pool.get().map_err(io_error)?;
            let rows = R::live_after(&mut conn, &after, PAGE).map_err(io_error)?;
            let short = (rows.len() as i64) < PAGE;
            if let Some(last) = rows.last() {
                after = last.id.clone();
            }
            let mut kept: Vec<Record<R>> = rows.into_iter().filter(|r| keep(r)).collect();
            let ids: Vec<&str> = kept.iter().map(|r| r.id.as_str()).collect();
            let mut cites = citations::of_records(&mut conn, R::KIND, &ids).map_err(io_error)?;
            for r in &mut kept {
                r.data
                    .set_citations(cites.remove(&r.id).unwrap_or_default());
            }
            (kept, short)
        };
        for r in &page {
            emit(r)?;
        }
        if short {
            return Ok(());
        }
    }
}
