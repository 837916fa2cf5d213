//! `GET /api/v1/export/{format}`: the network view (the network page's parameters) as a
//! file for other tools — `gexf` (Gephi) or `graphml` (networkx, igraph) — streamed.
use std::sync::Arc;

use rocket::futures::stream::Stream;
use rocket::{get, routes, Route, State};

use crate::error::Result;
use crate::export::GraphFormat;
use crate::graph::query::Params;
use crate::graph::{GraphState, Viewer};
use crate::http::export::{graph_download, graph_export, Download};
use crate::http::Shown;
use crate::service::Caller;

#[get("/<format>")]
async fn export(
    g: &State<Arc<GraphState>>,
    caller: Caller,
    format: &str,
    p: Params,
) -> Result<Shown<Download<impl Stream<Item = Vec<u8>>>>> {
    let format = GraphFormat::named(format)?;
    let a = graph_export(g, p, Viewer::of(&caller)).await??;
    Ok(Shown::new(graph_download(format, a.body), a.persons))
}

pub fn routes() -> Vec<Route> {
    routes![export]
}
