//! Runs graph requests and pictures off the async workers, on the bounded pool for heavy
//! work (`pool`): a ranking or a picture of the whole country takes long enough to
//! starve other requests if it ran on them or on tokio's unbounded blocking pool.
use std::sync::Arc;

use super::pool::heavy;
use crate::error::Result;
use crate::graph::query::{self, Answer, GraphQuery, Params, Problems, ViewRequest};
use crate::graph::{GraphState, Viewer};
use crate::picture::{Limits, Picture};

/// Reads and runs `Q` on the current snapshot; bad parameters come back as `Problems`
/// (for a page to show beside its fields).
pub async fn ask<Q: GraphQuery>(
    graph: &Arc<GraphState>,
    params: Params,
    viewer: Viewer,
) -> Result<Result<Answer<Q::Answer>, Problems>> {
    let s = graph.current();
    heavy(move || query::ask::<Q>(&s, &params, viewer)).await
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

/// Reads a picture's view, lays it out and names its nodes, off the async workers;
/// marked as drawn as SVG or on a canvas under `limits`.
pub async fn picture(
    graph: &Arc<GraphState>,
    params: Params,
    viewer: Viewer,
    limits: Limits,
) -> Result<Result<Answer<Picture>, Problems>> {
    let s = graph.current();
    heavy(move || {
        let request = query::parse::<ViewRequest>(&s, &params, viewer)?;
        let picture = crate::picture::picture_of(&s, &request, viewer).drawn_under(limits);
        Ok(Answer::of(picture))
    })
    .await
}

/// A picture's view laid out, as JSON: nodes with x, y and size, links, how the page
/// draws it (`drawn_as`: `svg` or, above the SVG limit, `canvas`), and the parameters it
/// was drawn from.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct NetworkAnswer {
    pub params: std::collections::BTreeMap<String, String>,
    #[serde(flatten)]
    pub picture: Picture,
}

/// The JSON of a picture (`/api/v1/network`, and `/network.json` for the page's canvas).
pub async fn network(
    graph: &Arc<GraphState>,
    params: Params,
    viewer: Viewer,
    limits: Limits,
) -> Result<Result<Answer<NetworkAnswer>, Problems>> {
    let mut echoed = params.to_map();
    echoed.retain(|k, _| ViewRequest::PARAMS.contains(&k.as_str()));
    Ok(picture(graph, params, viewer, limits)
        .await?
        .map(|a| Answer {
            body: NetworkAnswer {
                params: echoed,
                picture: a.body,
            },
            persons: a.persons,
        }))
}
