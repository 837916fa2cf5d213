//! The overlaps pages: staff overlaps, the tandem list, funding overlaps and dependency,
//! funding that ends soon, what a funder's exit would cost, conflicts of interest. Each
//! table can also be downloaded as CSV: the same address with `&format=csv` (and
//! `&table=…` on pages with several tables).
use askama::Template;
use rocket::http::Status;
use rocket::response::content::RawHtml;
use rocket::{get, routes, Responder, Route};

use super::forms::FieldErrors;
use super::organisations::organisation_names;
use super::{fail, render, Chrome, HtmlError, Page};
use crate::db::Db;
use crate::domain::Disclosure;
use crate::error::Error;
use crate::graph::query::Params;
use crate::graph::OrgRef;
use crate::http::Shown;

mod csv;
mod dates;
mod funding;
mod inputs;
mod labels;
mod staff;
mod table;

use inputs::{Field, Inputs};
pub use labels::LABELS;
use table::Table;

/// What a page found, if it could ask.
#[derive(Default)]
pub struct Found {
    /// The organisation the page is about, named above the tables.
    subject: Option<OrgRef>,
    /// Key facts as (label, value).
    facts: Vec<(String, String)>,
    tables: Vec<Table>,
    /// Whether persons were left out (counted only) for an anonymous visitor.
    hidden_names: bool,
    /// The persons the tables show.
    persons: Disclosure,
    /// Links to the pages before and after, for lists shown one page at a time.
    pager: Option<Pager>,
}

/// Where the tables are one page of longer lists: `limit` rows after `offset`, with
/// `more` when a list goes on. The links are made when the page is rendered.
#[derive(Default)]
pub struct Pager {
    offset: usize,
    limit: usize,
    more: bool,
    previous: Option<String>,
    next: Option<String>,
}

impl Pager {
    pub fn new(offset: usize, limit: usize, more: bool) -> Pager {
        Pager {
            offset,
            limit,
            more,
            ..Pager::default()
        }
    }
}

#[derive(Template)]
#[template(path = "overlaps_view.html")]
struct View {
    chrome: Chrome,
    title: &'static str,
    intro: &'static str,
    action: &'static str,
    fields: Vec<Field>,
    errors: FieldErrors,
    names: Vec<String>,
    found: Option<Found>,
}

impl View {
    fn has_organisation_field(&self) -> bool {
        self.fields.iter().any(Field::is_organisation)
    }
}

#[derive(Responder)]
pub enum Reply {
    Html(RawHtml<String>),
    Csv(csv::CsvFile),
}

pub type Answer = Result<Shown<Reply>, HtmlError>;

/// Answers a page: the CSV file of one table when asked for and possible, else the page
/// (422 with the messages beside the fields when the input was bad). Either way with the
/// persons it shows, for the read log.
async fn finish(
    chrome: Chrome,
    db: &Db,
    view: &'static str,
    action: &'static str,
    p: &Params,
    input: Inputs,
    found: Option<Found>,
) -> Answer {
    let ok = input.ok();
    if ok && p.get("format") == Some("csv") {
        if let Some(found) = found {
            let wanted = p.get("table");
            let table = match wanted {
                None => found.tables.first(),
                Some(w) => found.tables.iter().find(|t| t.id == w),
            };
            let Some(table) = table else {
                let what = format!("{}: {}", chrome.t("ov.e.table"), wanted.unwrap_or(""));
                return Err(fail(&chrome, Error::invalid("table", what)));
            };
            // "/overlaps/staff/pairs" → "staff-pairs.csv"; with several tables, which one.
            let base = action.trim_start_matches("/overlaps/").replace('/', "-");
            let filename = if found.tables.len() > 1 {
                format!("{base}-{}.csv", table.id)
            } else {
                format!("{base}.csv")
            };
            // The file shows the persons of its own table only.
            let persons = table.persons.clone();
            let file = csv::CsvFile {
                filename,
                body: table.csv(),
            };
            return Ok(Shown::new(Reply::Csv(file), persons));
        }
    }
    let mut found = if ok { found } else { None };
    let query: String = input
        .fields
        .iter()
        .filter(|f| !f.value.is_empty())
        .map(|f| format!("{}={}&", f.name, crate::domain::percent_encode(&f.value)))
        .collect();
    let mut persons = Disclosure::none();
    if let Some(found) = &mut found {
        // A paged list's CSV file is the page shown; the pager steps by its size.
        let mut paging = String::new();
        if let Some(pager) = &mut found.pager {
            let (offset, limit) = (pager.offset, pager.limit);
            paging = format!("offset={offset}&limit={limit}&");
            let at = |offset: usize| format!("{action}?{query}offset={offset}&limit={limit}");
            pager.previous = (offset > 0).then(|| at(offset.saturating_sub(limit)));
            pager.next = (pager.more && limit > 0).then(|| at(offset + limit));
        }
        for t in &mut found.tables {
            t.csv_link = format!("{action}?{query}{paging}format=csv&table={}", t.id);
            persons.extend(t.persons.clone());
        }
        // The tables show every person of the answer: none left out, none added.
        debug_assert_eq!(persons, found.persons);
    }
    let mut page = View {
        title: chrome.t(&format!("ov.{view}.title")),
        intro: chrome.t(&format!("ov.{view}.intro")),
        chrome,
        action,
        fields: input.fields,
        errors: input.errors,
        names: Vec::new(),
        found,
    };
    if page.has_organisation_field() {
        page.names = organisation_names(db).await;
    }
    let html = render(&page)?;
    if ok {
        Ok(Shown::new(Reply::Html(html), persons))
    } else {
        Err(HtmlError {
            status: Status::UnprocessableEntity,
            html: html.0,
        })
    }
}

#[derive(Template)]
#[template(path = "overlaps.html")]
struct Index {
    chrome: Chrome,
    views: Vec<(&'static str, &'static str, &'static str)>,
}

/// The views as (path, label key stem: `ov.{stem}.title` / `.intro`).
const VIEWS: [(&str, &str); 8] = [
    ("/overlaps/staff", "staff"),
    ("/overlaps/staff/pairs", "pairs"),
    ("/overlaps/tandem", "tandem"),
    ("/overlaps/funding", "funding"),
    ("/overlaps/dependencies", "deps"),
    ("/overlaps/ending", "ending"),
    ("/overlaps/impact", "impact"),
    ("/overlaps/conflicts", "conflicts"),
];

#[get("/")]
fn index(chrome: Chrome) -> Page {
    let views = VIEWS
        .iter()
        .map(|(path, v)| {
            (
                *path,
                chrome.t(&format!("ov.{v}.title")),
                chrome.t(&format!("ov.{v}.intro")),
            )
        })
        .collect();
    render(&Index { chrome, views })
}

pub fn routes() -> Vec<Route> {
    routes![
        index,
        staff::staff,
        staff::pairs,
        staff::tandem,
        funding::funding,
        funding::dependencies,
        funding::ending,
        funding::impact,
        funding::conflicts
    ]
}
