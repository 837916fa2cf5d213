//! Bulk import of the record tables the exports write (README, "Import"): a ZIP of CSV
//! files or single CSV files, or an XLSX workbook. Every row is checked with the rules
//! of the API and the forms, matched to existing records (by id, then by the duplicate
//! rule's identity) and written in one transaction with its change-log entry; rows that
//! only nearly match a record are listed for the user to decide. Nothing is written if
//! any row fails (unless only the valid rows are asked for), nor in a dry run: the dry
//! run is the same import rolled back, so its preview is what the import would do.
//! FollowTheMoney JSON lines (`ftm`) are read into the same tables.
mod columns;
mod ftm;
mod near;
mod read;
mod run;

use serde::Serialize;

pub use read::{read, ImportFormat, Table, MAX_BYTES};

use crate::db::DbConn;
use crate::domain::{Disclosure, UserRole};
use crate::error::Result;
use crate::service::Caller;

/// Reads the file and imports it: a file that cannot be read gives a report of its
/// problems (nothing written), like rows that fail.
pub fn import_file(
    conn: &mut DbConn,
    caller: &Caller,
    format: ImportFormat,
    options: &ImportOptions,
    bytes: &[u8],
    progress: &mut dyn FnMut(usize),
) -> Result<ImportReport> {
    caller.require(UserRole::Editor)?;
    match read(format, &options.file_name, bytes) {
        Ok(tables) => run(conn, caller, options, &tables, progress),
        Err(problems) => Ok(ImportReport {
            dry_run: options.dry_run,
            problems,
            ..ImportReport::default()
        }),
    }
}

/// Imports `tables` (as `read` returns them); `progress` is told of every row done. The
/// FtM reader's reference entities (organisations by name only) are first looked up in
/// the registry, so that they name records and never change one.
pub fn run(
    conn: &mut DbConn,
    caller: &Caller,
    options: &ImportOptions,
    tables: &[Table],
    progress: &mut dyn FnMut(usize),
) -> Result<ImportReport> {
    caller.require(UserRole::Editor)?;
    let resolved = ftm::resolve_references(conn, tables)?;
    run::run(
        conn,
        caller,
        options,
        resolved.as_deref().unwrap_or(tables),
        progress,
    )
}

impl ImportReport {
    /// Whether the report shows a refusal: nothing was written though it was asked for.
    pub fn refused(&self) -> bool {
        !self.dry_run && !self.written
    }
}

/// What to do with a row whose name nearly matches an existing record's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NearMatches {
    /// List them and write nothing until the user decides.
    #[default]
    Ask,
    /// Take the existing record.
    Match,
    /// Create a new record anyway.
    Create,
}

impl NearMatches {
    pub fn parse(text: &str) -> Option<NearMatches> {
        match text {
            "ask" => Some(NearMatches::Ask),
            "match" => Some(NearMatches::Match),
            "create" => Some(NearMatches::Create),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The uploaded file's name, cited by the import's source.
    pub file_name: String,
    pub dry_run: bool,
    /// Write the valid rows even if other rows fail.
    pub only_valid: bool,
    pub near_matches: NearMatches,
    /// The source rows without citations cite; `None`: a new source naming the file.
    pub source_id: Option<String>,
}

/// Where a problem is: file (or workbook), table (CSV file or sheet), line (1 = the
/// header; the spreadsheet's row number) and column.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ImportProblem {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    pub message: String,
}

impl ImportProblem {
    pub fn of_file(file: &str, message: impl Into<String>) -> ImportProblem {
        ImportProblem {
            file: file.to_string(),
            table: None,
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

/// What the import does with one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    /// A new record.
    Create,
    /// An existing record (same id or same identity) gets the row's values.
    Update,
    /// An existing record already holds the row's values.
    Unchanged,
    /// Nearly matches an existing record: waits for the user's decision.
    NearMatch,
    /// The row has problems (listed in `problems`).
    Invalid,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RowOutcome {
    pub file: String,
    pub table: String,
    pub line: usize,
    pub action: RowAction,
    /// The record's id in the registry (what it is or would be).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name or title the row gives.
    pub label: String,
}

/// A row whose record would be new but whose name nearly equals an existing one's.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct NearMatch {
    pub file: String,
    pub table: String,
    pub line: usize,
    pub label: String,
    pub existing_id: String,
    pub existing_label: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ImportCounts {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub near_matches: usize,
    pub invalid: usize,
}

/// The outcome of an import or a dry run, row by row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// The import's id in the change log; `None` when nothing was written.
    pub import_id: Option<String>,
    pub dry_run: bool,
    /// Whether the rows were written (false in a dry run and when a row failed).
    pub written: bool,
    /// The source that rows without citations cite (new ones: only if written).
    pub source_id: Option<String>,
    pub counts: ImportCounts,
    pub problems: Vec<ImportProblem>,
    pub near_matches: Vec<NearMatch>,
    pub rows: Vec<RowOutcome>,
    /// Existing persons the report names (for the read log).
    #[serde(skip)]
    pub persons: Disclosure,
}
