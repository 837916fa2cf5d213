//! `GET /api/v1/export/{format}`: the network view (the network page's parameters) as a
//! file for other tools — `gexf` (Gephi) or `graphml` (networkx, igraph) — or the records
//! of that view — for spreadsheets `csv` (a ZIP of CSV files) or `xlsx`, for Aleph `ftm`
//! (FollowTheMoney JSON lines) — streamed.
use std::sync::Arc;

use rocket::{get, routes, Route, State};

use crate::db::Db;
use crate::error::Result;
use crate::export::ExportFormat;
use crate::graph::query::Params;
use crate::graph::{GraphState, Viewer};
use crate::http::export::{
    graph_download, graph_export, records_download, records_export, Download,
};
use crate::http::Shown;
use crate::service::Caller;

#[get("/<format>")]
async fn export(
    g: &State<Arc<GraphState>>,
    db: &State<Db>,
    caller: Caller,
    format: &str,
    p: Params,
) -> Result<Shown<Download>> {
    let viewer = Viewer::of(&caller);
    match ExportFormat::named(format)? {
        ExportFormat::Graph(format) => {
            let a = graph_export(g, p, viewer).await??;
            Ok(Shown::new(graph_download(format, a.body), a.persons))
        }
        ExportFormat::Records(format) => {
            let a = records_export(g, p, viewer).await??;
            Ok(Shown::new(records_download(format, a.body, db), a.persons))
        }
    }
}

pub fn routes() -> Vec<Route> {
    routes![export]
}
