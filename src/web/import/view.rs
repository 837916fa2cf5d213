//! What the upload page shows: the form (with the choices as typed), a preview or the
//! result of an import, and the recent imports.
use askama::Template;

use crate::import::{ImportReport, NearMatch, RowAction, RowOutcome};
use crate::service::audit::Change;
use crate::web::Chrome;

/// At most this many rows of a report are listed; the counts cover all.
pub const ROWS_SHOWN: usize = 500;

/// The form's choices as the editor left them.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// A source's id, or empty for a new source naming the file.
    pub source: String,
    /// `ask`, `match` or `create`.
    pub near_matches: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// A dry run: what the import would do.
    Preview,
    /// The import was asked for and nothing was written.
    Refused,
    /// Written.
    Done,
}

/// A report and what can be done with it.
pub struct Outcome {
    pub stage: Stage,
    /// The pending upload's token, when it can be confirmed.
    pub token: Option<String>,
    pub file_name: String,
    pub report: ImportReport,
}

/// One import of the change log.
pub struct RecentImport {
    pub id: String,
    /// When, as stored (RFC 3339); the page shows it with `chrome.when`.
    pub at: String,
    pub file: String,
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl RecentImport {
    pub fn of(change: Change) -> RecentImport {
        let after: serde_json::Value = change
            .after_json
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default();
        let count = |k: &str| after["counts"][k].as_u64().unwrap_or(0);
        RecentImport {
            at: change.at,
            file: after["file"].as_str().unwrap_or_default().to_string(),
            rows: count("rows"),
            created: count("created"),
            updated: count("updated"),
            unchanged: count("unchanged"),
            id: change.record_id,
        }
    }
}

#[derive(Template)]
#[template(path = "import.html")]
pub struct ImportView {
    pub chrome: Chrome,
    /// Why an upload was not previewed, or that a token is unknown.
    pub message: Option<String>,
    pub choices: Choices,
    /// Sources to cite: (id, title).
    pub sources: Vec<(String, String)>,
    pub outcome: Option<Outcome>,
    pub recent: Vec<RecentImport>,
}

impl ImportView {
    fn report(&self) -> Option<&ImportReport> {
        self.outcome.as_ref().map(|o| &o.report)
    }

    /// The rows listed.
    pub fn rows_shown(&self) -> &[RowOutcome] {
        let rows = self.report().map_or(&[][..], |r| &r.rows[..]);
        &rows[..rows.len().min(ROWS_SHOWN)]
    }

    /// How many rows are not listed.
    pub fn more_rows(&self) -> usize {
        self.report()
            .map_or(0, |r| r.rows.len().saturating_sub(ROWS_SHOWN))
    }

    pub fn action(&self, action: &RowAction) -> &'static str {
        self.chrome.t(match action {
            RowAction::Create => "import.action.create",
            RowAction::Update => "import.action.update",
            RowAction::Unchanged => "import.action.unchanged",
            RowAction::NearMatch => "import.action.near_match",
            RowAction::Invalid => "import.action.invalid",
        })
    }

    fn stage(&self) -> Option<Stage> {
        self.outcome.as_ref().map(|o| o.stage)
    }

    /// A link to a row's record, where the record exists (a preview's new records do not).
    pub fn row_link(&self, row: &RowOutcome) -> Option<String> {
        let exists = match row.action {
            RowAction::Update | RowAction::Unchanged => true,
            RowAction::Create => self.stage() == Some(Stage::Done),
            RowAction::NearMatch | RowAction::Invalid => false,
        };
        link(&row.table, row.id.as_deref().filter(|_| exists)?)
    }

    pub fn near_link(&self, near: &NearMatch) -> Option<String> {
        link(&near.table, &near.existing_id)
    }

    /// Whether the report is clean, so the upload can be imported as it is.
    pub fn confirmable(&self) -> bool {
        matches!(&self.outcome, Some(o) if o.token.is_some() && o.report.problems.is_empty())
    }

    /// Whether the report has problems but also rows that could be written alone.
    pub fn only_valid_offered(&self) -> bool {
        match &self.outcome {
            Some(o) if o.token.is_some() && !o.report.problems.is_empty() => {
                let c = &o.report.counts;
                c.created + c.updated + c.unchanged + c.near_matches > 0
            }
            _ => false,
        }
    }

    /// Whether near matches wait for the editor's decision.
    pub fn needs_choice(&self) -> bool {
        self.report().is_some_and(|r| !r.near_matches.is_empty())
    }

    /// The near-match choice sent with a confirmation when none is asked for.
    pub fn near_choice(&self) -> &str {
        match self.choices.near_matches.as_str() {
            "match" | "create" => &self.choices.near_matches,
            _ => "ask",
        }
    }

    pub fn has_problems(&self) -> bool {
        self.report().is_some_and(|r| !r.problems.is_empty())
    }

    /// The upload form's heading: a first file, a corrected one, or another one.
    pub fn upload_heading(&self) -> &'static str {
        self.chrome.t(match self.stage() {
            None => "import.upload",
            Some(_) if self.has_problems() => "import.upload_fixed",
            Some(_) => "import.upload_other",
        })
    }

    pub fn is_done(&self) -> bool {
        self.stage() == Some(Stage::Done)
    }

    pub fn is_refused(&self) -> bool {
        self.stage() == Some(Stage::Refused)
    }
}

/// The page of a record of `table`, for the tables that have one.
fn link(table: &str, id: &str) -> Option<String> {
    match table {
        "organisations" => Some(format!("/organisations/{id}")),
        "persons" => Some(format!("/persons/{id}")),
        "sources" => Some(format!("/sources/{id}/edit")),
        _ => None,
    }
}

/// `text`, or a dash when there is nothing.
pub fn or_dash(text: Option<&str>) -> &str {
    text.filter(|t| !t.is_empty()).unwrap_or("–")
}
