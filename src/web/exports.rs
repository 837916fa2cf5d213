//! The record exports as downloads for the pages' own visitors: `/records.zip` (CSV
//! files), `/records.xlsx` and `/records.ftm.json` (FollowTheMoney, for Aleph), with the
//! network view's parameters (the network page and
//! the organisation list link to them with their filters). A signed-in visitor's file
//! holds every person of the selection and is logged; an anonymous one's public persons
//! only.
use std::sync::Arc;

use rocket::{get, routes, Route, State};

use super::{fail, Chrome, HtmlError};
use crate::db::Db;
use crate::export::records::RecordFormat;
use crate::graph::query::Params;
use crate::graph::{GraphState, Viewer};
use crate::http::export::{records_download, records_export, Download};
use crate::http::Shown;

async fn records_file(
    chrome: &Chrome,
    g: &State<Arc<GraphState>>,
    db: &State<Db>,
    p: Params,
    format: RecordFormat,
) -> Result<Shown<Download>, HtmlError> {
    let a = records_export(g, p, Viewer::of(&chrome.caller))
        .await
        .map_err(|e| fail(chrome, e))?
        .map_err(|problems| fail(chrome, problems.into()))?;
    Ok(Shown::new(records_download(format, a.body, db), a.persons))
}

#[get("/records.zip")]
async fn zip_file(
    chrome: Chrome,
    g: &State<Arc<GraphState>>,
    db: &State<Db>,
    p: Params,
) -> Result<Shown<Download>, HtmlError> {
    records_file(&chrome, g, db, p, RecordFormat::Csv).await
}

#[get("/records.xlsx")]
async fn xlsx_file(
    chrome: Chrome,
    g: &State<Arc<GraphState>>,
    db: &State<Db>,
    p: Params,
) -> Result<Shown<Download>, HtmlError> {
    records_file(&chrome, g, db, p, RecordFormat::Xlsx).await
}

#[get("/records.ftm.json")]
async fn ftm_file(
    chrome: Chrome,
    g: &State<Arc<GraphState>>,
    db: &State<Db>,
    p: Params,
) -> Result<Shown<Download>, HtmlError> {
    records_file(&chrome, g, db, p, RecordFormat::Ftm).await
}

pub fn routes() -> Vec<Route> {
    routes![zip_file, xlsx_file, ftm_file]
}
