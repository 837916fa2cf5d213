//! The import itself: one transaction, row by row in the order links need (sources,
//! organisations with parents first, persons, fundings, roles, relations), each row
//! written through the same commands as the API (`service::crud`) in its own savepoint,
//! so a failing row is undone alone and reported, and at the end the whole transaction
//! is committed or — in a dry run, or when a row failed — rolled back.
use std::collections::HashMap;

use diesel::Connection;
use serde_json::{Map, Value};

use super::columns::{self, column_of_field, RowFields};
use super::near::{loose, NearIndex};
use super::read::{Row, Table};
use super::{
    ImportOptions, ImportProblem, ImportReport, NearMatch, NearMatches, RowAction, RowOutcome,
};
use crate::db::{self, DbConn};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::service::{audit, crud, input, Caller, Resource};
use crate::store::{refs, search};

/// The order tables are written in: what a row links to comes first.
const ORDER: [&str; 6] = [
    "sources",
    "organisations",
    "persons",
    "fundings",
    "affiliations",
    "relations",
];

/// What each record type adds to the generic commands for the import.
trait Importable: Resource {
    const TABLE: &'static str;
    /// The column that names a row, for the report.
    const LABEL: &'static str;
    /// Whether records of this type cite sources (sources themselves do not).
    const CITES: bool = true;
    /// Fields of the identity the stored record keeps when a row is matched to it by
    /// identity or as a near match (the file's spelling of the name may differ).
    const IDENTITY: &'static [&'static str] = &[];
    /// The key near matches are found by, if this type has them.
    fn near_key(&self) -> Option<String> {
        None
    }
    /// Fills fields a new record must have that the file may leave out.
    fn defaults(_object: &mut Map<String, Value>) {}
}

impl Importable for Source {
    const TABLE: &'static str = "sources";
    const LABEL: &'static str = "title";
    const CITES: bool = false;
    const IDENTITY: &'static [&'static str] = &["title"];
    fn near_key(&self) -> Option<String> {
        Some(loose(&self.title))
    }
}

impl Importable for Organisation {
    const TABLE: &'static str = "organisations";
    const LABEL: &'static str = "name";
    const IDENTITY: &'static [&'static str] = &["name", "kind", "city"];
    fn near_key(&self) -> Option<String> {
        let city = self.city.as_deref().unwrap_or_default().to_lowercase();
        Some(format!("{}\u{1f}{city}", loose(&self.name)))
    }
}

impl Importable for Person {
    const TABLE: &'static str = "persons";
    const LABEL: &'static str = "display_name";
    const IDENTITY: &'static [&'static str] = &["display_name"];
    fn near_key(&self) -> Option<String> {
        Some(loose(&self.display_name))
    }
    /// Persons are restricted unless the file says otherwise (privacy by default).
    fn defaults(object: &mut Map<String, Value>) {
        object
            .entry("visibility")
            .or_insert_with(|| Value::String(Visibility::Restricted.as_str().into()));
    }
}

impl Importable for Funding {
    const TABLE: &'static str = "fundings";
    const LABEL: &'static str = "programme";
}

impl Importable for Affiliation {
    const TABLE: &'static str = "affiliations";
    const LABEL: &'static str = "role";
}

impl Importable for Relation {
    const TABLE: &'static str = "relations";
    const LABEL: &'static str = "kind";
}

/// Why the transaction ends without a commit.
enum Stop {
    /// A dry run, or rows failed: undo everything, the report says why.
    Rollback,
    Failed(Error),
}

impl From<diesel::result::Error> for Stop {
    fn from(e: diesel::result::Error) -> Stop {
        Stop::Failed(e.into())
    }
}

impl From<Error> for Stop {
    fn from(e: Error) -> Stop {
        Stop::Failed(e)
    }
}

/// Imports `tables` (as `read` returns them); `progress` is told of every row done.
pub fn run(
    conn: &mut DbConn,
    caller: &Caller,
    options: &ImportOptions,
    tables: &[Table],
    progress: &mut dyn FnMut(usize),
) -> Result<ImportReport> {
    caller.require(UserRole::Editor)?;
    if let Some(id) = &options.source_id {
        crud::get::<Source>(conn, caller, id).map_err(|_| {
            Error::invalid("source_id", "must be the id of a source in the registry")
        })?;
    }
    let mut importer = Importer {
        caller,
        options,
        ids: HashMap::new(),
        near: NearIndex::default(),
        source_id: options.source_id.clone(),
        report: ImportReport {
            dry_run: options.dry_run,
            ..ImportReport::default()
        },
    };
    for t in tables {
        importer.report.problems.extend(columns::check_header(t));
    }
    if !importer.report.problems.is_empty() {
        importer.report.counts.rows = tables.iter().map(|t| t.rows.len()).sum();
        return Ok(importer.report);
    }
    let outcome = db::with_bulk_settings(conn, |conn| {
        conn.transaction::<_, Stop, _>(|conn| {
            if options.dry_run {
                search::suspend_for_rollback(conn)?;
            }
            for name in ORDER {
                for table in tables.iter().filter(|t| t.name == name) {
                    for row in in_order(table) {
                        importer.row(conn, table, row)?;
                        progress(1);
                    }
                }
            }
            let report = &importer.report;
            let undecided = report.counts.near_matches > 0;
            let failed = report.counts.invalid > 0;
            if options.dry_run || ((failed || undecided) && !options.only_valid) {
                return Err(Stop::Rollback);
            }
            let id = db::new_id();
            let summary = serde_json::json!({
                "file": options.file_name,
                "counts": report.counts,
                "source_id": importer.source_id,
                "only_valid": options.only_valid,
            });
            audit::record(conn, caller, "import", &id, "import", None, Some(&summary))?;
            importer.report.import_id = Some(id);
            Ok(())
        })
    })?;
    let mut report = importer.report;
    match outcome {
        Ok(()) => report.written = true,
        Err(Stop::Rollback) => {
            // A source made for this import was rolled back with it.
            report.source_id = options.source_id.clone();
        }
        Err(Stop::Failed(e)) => return Err(e),
    }
    Ok(report)
}

/// The table's rows, organisations after the parents the file also holds.
fn in_order(table: &Table) -> Vec<&Row> {
    let col = |name: &str| table.header.iter().position(|h| h == name);
    let (Some(id_col), Some(parent_col)) = (col("id"), col("parent_id")) else {
        return table.rows.iter().collect();
    };
    let cell = |row: &Row, c: usize| row.cells.get(c).map(|s| s.trim().to_lowercase());
    let by_id: HashMap<String, usize> = table
        .rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((cell(r, id_col).filter(|s| !s.is_empty())?, i)))
        .collect();
    let mut done = vec![false; table.rows.len()];
    let mut out = Vec::with_capacity(table.rows.len());
    for start in 0..table.rows.len() {
        // The chain of parents not yet written, then written from the top down.
        let mut chain = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at {
            if done[i] || chain.contains(&i) {
                break;
            }
            chain.push(i);
            at = cell(&table.rows[i], parent_col).and_then(|p| by_id.get(&p).copied());
        }
        for &i in chain.iter().rev() {
            done[i] = true;
            out.push(&table.rows[i]);
        }
    }
    out
}

struct Importer<'a> {
    caller: &'a Caller,
    options: &'a ImportOptions,
    /// The file's ids → the registry's ids of the same records.
    ids: HashMap<String, String>,
    near: NearIndex,
    source_id: Option<String>,
    report: ImportReport,
}

impl Importer<'_> {
    fn row(&mut self, conn: &mut DbConn, table: &Table, row: &Row) -> Result<(), Stop> {
        match table.name {
            "sources" => self.row_of::<Source>(conn, table, row),
            "organisations" => self.row_of::<Organisation>(conn, table, row),
            "persons" => self.row_of::<Person>(conn, table, row),
            "fundings" => self.row_of::<Funding>(conn, table, row),
            "affiliations" => self.row_of::<Affiliation>(conn, table, row),
            _ => self.row_of::<Relation>(conn, table, row),
        }
    }

    fn row_of<R: Importable>(
        &mut self,
        conn: &mut DbConn,
        table: &Table,
        row: &Row,
    ) -> Result<(), Stop> {
        self.report.counts.rows += 1;
        let label_at = table.header.iter().position(|h| h == R::LABEL);
        let label = label_at
            .and_then(|i| row.cells.get(i))
            .map_or(String::new(), |c| c.trim().to_string());
        let outcome = |action: RowAction, id: Option<String>| RowOutcome {
            file: table.file.clone(),
            table: table.name.to_string(),
            line: row.line,
            action,
            id,
            label: label.clone(),
        };
        let mut fields = match columns::row_fields(table, row) {
            Ok(f) => f,
            Err(problems) => {
                self.invalid(outcome(RowAction::Invalid, None), problems);
                return Ok(());
            }
        };
        let at = |column: &str, message: String| ImportProblem {
            file: table.file.clone(),
            table: Some(table.name.to_string()),
            line: Some(row.line),
            column: (!column.is_empty()).then(|| column.to_string()),
            message,
        };
        let file_id = fields.id.clone();
        if file_id.as_ref().is_some_and(|id| self.ids.contains_key(id)) {
            let problem = at("id", "appears in an earlier row of the file".into());
            self.invalid(outcome(RowAction::Invalid, None), vec![problem]);
            return Ok(());
        }
        fields.remap(&self.ids);

        let mut existing: Option<Record<R>> = None;
        if let Some(id) = &file_id {
            match crud::load_full::<R>(conn, id)? {
                Some(r) if r.deleted_at.is_some() => {
                    let problem = at(
                        "id",
                        "is a deleted record: restore it before importing it".into(),
                    );
                    self.invalid(outcome(RowAction::Invalid, None), vec![problem]);
                    return Ok(());
                }
                found => existing = found,
            }
        }
        let decoded =
            |fields: &RowFields, existing: Option<&Record<R>>| -> Result<R, Vec<ImportProblem>> {
                decode::<R>(fields, existing).map_err(|errors| {
                    errors
                        .into_iter()
                        .map(|e| at(&column_of_field(&e.field), e.message))
                        .collect()
                })
            };
        let mut input = match decoded(&fields, existing.as_ref()) {
            Ok(i) => i,
            Err(problems) => {
                self.invalid(outcome(RowAction::Invalid, None), problems);
                return Ok(());
            }
        };
        let matched_by_id = existing.is_some();
        let near_key = input.near_key();
        if existing.is_none() {
            // Equal identities have equal near keys: without a near one there is no
            // duplicate to look up.
            let may_duplicate = match &near_key {
                Some(key) => {
                    self.load_near::<R>(conn)?;
                    self.near.get(R::TABLE, key).is_some()
                }
                None => true,
            };
            if may_duplicate {
                if let Some(same) = input.find_duplicate(conn, None)? {
                    existing = crud::load_full::<R>(conn, &same)?;
                }
            }
        }
        if existing.is_none() {
            if let Some(key) = &near_key {
                if let Some((near_id, near_label)) = self.near.get(R::TABLE, key).cloned() {
                    match self.options.near_matches {
                        NearMatches::Create => {}
                        NearMatches::Match => existing = crud::load_full::<R>(conn, &near_id)?,
                        NearMatches::Ask => {
                            self.shows::<R>(&near_id);
                            self.report.near_matches.push(NearMatch {
                                file: table.file.clone(),
                                table: table.name.to_string(),
                                line: row.line,
                                label: label.clone(),
                                existing_id: near_id.clone(),
                                existing_label: near_label,
                            });
                            self.report.counts.near_matches += 1;
                            self.report
                                .rows
                                .push(outcome(RowAction::NearMatch, Some(near_id)));
                            return Ok(());
                        }
                    }
                }
            }
        }
        if existing.is_some() && !matched_by_id {
            // Matched by its identity or nearly: the stored spelling stays.
            fields
                .fields
                .retain(|(f, _)| !R::IDENTITY.contains(&f.as_str()));
        }
        if let Some(e) = &existing {
            // The row's values over the stored record's.
            input = match decoded(&fields, Some(e)) {
                Ok(i) => i,
                Err(problems) => {
                    self.invalid(outcome(RowAction::Invalid, Some(e.id.clone())), problems);
                    return Ok(());
                }
            };
        }
        if R::CITES && input.citations().is_empty() {
            let source_id = self.import_source(conn)?;
            let file: String = table.file.chars().take(200).collect();
            input.set_citations(vec![Citation {
                source_id,
                locator: format!("{file}, line {}", row.line),
            }]);
        }
        let written = match &existing {
            Some(e) if same(&e.data, &input) => Ok((e.id.clone(), RowAction::Unchanged)),
            Some(e) => crud::update_with(conn, self.caller, &e.id, input.clone(), self.logged())
                .map(|r| (r.id, RowAction::Update)),
            None => {
                if let Some(id) = &file_id {
                    if let Some(kind) = refs::kind_of_id(conn, id)? {
                        let problem = at(
                            "id",
                            format!("is already the id of another record ({kind})"),
                        );
                        self.invalid(outcome(RowAction::Invalid, None), vec![problem]);
                        return Ok(());
                    }
                }
                let id = file_id.clone().unwrap_or_else(db::new_id);
                crud::create_with_id(conn, self.caller, id, input.clone(), self.logged())
                    .map(|r| (r.id, RowAction::Create))
            }
        };
        let (id, action) = match written {
            Ok(w) => w,
            Err(Error::Validation(errors)) => {
                let problems = errors
                    .into_iter()
                    .map(|e| at(&column_of_field(&e.field), e.message))
                    .collect();
                self.invalid(outcome(RowAction::Invalid, None), problems);
                return Ok(());
            }
            Err(e @ (Error::Conflict { .. } | Error::NotFound { .. })) => {
                // A conflict the database found carries its own text: not for clients.
                let message = match e {
                    Error::Conflict {
                        existing_id: None, ..
                    } => "duplicates a record in the registry".to_string(),
                    e => e.to_string(),
                };
                self.invalid(outcome(RowAction::Invalid, None), vec![at("", message)]);
                return Ok(());
            }
            Err(e) => return Err(Stop::Failed(e)),
        };
        if existing.is_some() {
            self.shows::<R>(&id);
        }
        if let Some(file_id) = file_id {
            self.ids.insert(file_id, id.clone());
        }
        if let (Some(key), true) = (input.near_key(), self.near.is_loaded(R::TABLE)) {
            self.near.add(R::TABLE, key, &id, &label);
        }
        match action {
            RowAction::Create => self.report.counts.created += 1,
            RowAction::Update => self.report.counts.updated += 1,
            _ => self.report.counts.unchanged += 1,
        }
        self.report.rows.push(outcome(action, Some(id)));
        Ok(())
    }

    /// A dry run is rolled back whole: its writes need no change log.
    fn logged(&self) -> crud::Logged {
        if self.options.dry_run {
            crud::Logged::RolledBackPreview
        } else {
            crud::Logged::Yes
        }
    }

    fn invalid(&mut self, outcome: RowOutcome, problems: Vec<ImportProblem>) {
        self.report.counts.invalid += 1;
        self.report.problems.extend(problems);
        self.report.rows.push(outcome);
    }

    /// An existing person named in the report is shown to the caller (read log).
    fn shows<R: Importable>(&mut self, id: &str) {
        if R::TABLE == "persons" {
            self.report.persons.add(id);
        }
    }

    /// Reads the near-match keys of every live record of the table, once.
    fn load_near<R: Importable>(&mut self, conn: &mut DbConn) -> Result<()> {
        if self.near.is_loaded(R::TABLE) {
            return Ok(());
        }
        self.near.mark_loaded(R::TABLE);
        let mut after = String::new();
        loop {
            let page = R::live_after(conn, &after, 1000)?;
            for r in &page {
                if let Some(key) = r.data.near_key() {
                    let label = serde_json::to_value(&r.data)
                        .ok()
                        .and_then(|v| v.get(R::LABEL)?.as_str().map(str::to_string))
                        .unwrap_or_default();
                    self.near.add(R::TABLE, key, &r.id, &label);
                }
            }
            match page.last() {
                Some(last) if page.len() == 1000 => after = last.id.clone(),
                _ => return Ok(()),
            }
        }
    }

    /// The source cited by rows that cite none: the one asked for, or a new one naming
    /// the file and the time.
    fn import_source(&mut self, conn: &mut DbConn) -> Result<String> {
        if let Some(id) = &self.source_id {
            return Ok(id.clone());
        }
        let now = chrono::Utc::now();
        let name: String = self.options.file_name.chars().take(300).collect();
        let source = Source {
            title: format!("Import {name} ({} UTC)", now.format("%Y-%m-%d %H:%M:%S")),
            url: None,
            accessed_on: Some(PartialDate::from_date(now.date_naive())),
        };
        let id = match crud::create(conn, self.caller, source.clone()) {
            Ok(r) => r.id,
            Err(Error::Conflict {
                existing_id: Some(id),
                ..
            }) => id,
            Err(e) => return Err(e),
        };
        self.source_id = Some(id.clone());
        self.report.source_id = Some(id.clone());
        Ok(id)
    }
}

/// The row over the stored record (or alone), typed and checked as the API would.
fn decode<R: Importable>(
    fields: &RowFields,
    existing: Option<&Record<R>>,
) -> Result<R, Vec<crate::error::FieldError>> {
    let mut object = match existing.map(|e| serde_json::to_value(&e.data)) {
        Some(Ok(Value::Object(o))) => o,
        _ => Map::new(),
    };
    fields.apply(&mut object);
    R::defaults(&mut object);
    let as_list = |e: Error| match e {
        Error::Validation(list) => list,
        other => vec![crate::error::FieldError::new("", other.to_string())],
    };
    // Decoding stops at the first bad field: drop it and decode again, so that a row's
    // every bad cell is reported at once.
    let mut errors: Vec<crate::error::FieldError> = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    let input: R = loop {
        match input::decode(Value::Object(object.clone())) {
            Ok(input) if errors.is_empty() => break input,
            Ok(_) => return Err(errors),
            Err(e) => {
                let mut progress = false;
                for error in as_list(e) {
                    let head = error
                        .field
                        .split(['.', '['])
                        .next()
                        .unwrap_or("")
                        .to_string();
                    if dropped.contains(&head) {
                        continue;
                    }
                    if object.remove(&head).is_some() {
                        dropped.push(head);
                        progress = true;
                    }
                    errors.push(error);
                }
                if !progress {
                    return Err(errors);
                }
            }
        }
    };
    // Normalised only: the write checks it (`crud`), once.
    let mut input = input;
    input.normalize();
    Ok(input)
}

fn same<R: Resource>(a: &R, b: &R) -> bool {
    serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
}
