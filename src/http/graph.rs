//! Runs graph requests and pictures off the async workers: a ranking or a path over the whole country
//! takes long enough to starve other requests if it ran on them.
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::graph::query::{self, Answer, GraphQuery, Params, Problems, ViewRequest};
use crate::graph::{GraphState, Viewer};
use crate::picture::Picture;

/// Reads and runs `Q` on the current snapshot; bad parameters come back as `Problems`
/// (for a page to show beside its fields).
pub async fn ask<Q: GraphQuery>(
    graph: &Arc<GraphState>,
    params: Params,
    viewer: Viewer,
) -> Result<Result<Answer<Q::Answer>, Problems>> {
    let s = graph.current();
    rocket::tokio::task::spawn_blocking(move || query::ask::<Q>(&s, &params, viewer))
        .await
        .map_err(|e| Error::Internal(format!("graph task failed: {e}")))
}

/// Like `ask`, with bad parameters as the API's error (422 per field, 404 for unknown
/// organisations).
pub async fn answer<Q: GraphQuery>(
    graph: &Arc<GraphState>,
    params: Params,
    viewer: Viewer,
) -> Result<Answer<Q::Answer>> {
    Ok(ask::<Q>(graph, params, viewer).await??)
}

/// Reads a picture's view, lays it out and names its nodes, off the async workers.
pub async fn picture(
    graph: &Arc<GraphState>,
    params: Params,
    viewer: Viewer,
) -> Result<Result<Answer<Picture>, Problems>> {
    let s = graph.current();
    rocket::tokio::task::spawn_blocking(move || {
        let request = query::parse::<ViewRequest>(&s, &params, viewer)?;
        Ok(Answer::of(crate::picture::picture_of(&s, &request, viewer)))
    })
    .await
    .map_err(|e| Error::Internal(format!("picture task failed: {e}")))
}
