//! Runs graph requests and pictures off the async workers, on the bounded pool for heavy
//! work (`pool`): a ranking or a picture of the whole country takes long enough to
//! starve other requests if it ran on them or on tokio's unbounded blocking pool. The
//! API's answers are also written as JSON there (`JsonText`): a long answer takes about
//! as long to serialise as to compute.
use std::marker::PhantomData;
use std::sync::Arc;

use rocket::request::Request;
use rocket::response::content::RawJson;
use rocket::response::{self, Responder};
use serde::Serialize;

use super::pool::heavy;
use crate::error::{Error, Result};
use crate::graph::query::{self, Answer, GraphQuery, Params, Problems, ViewRequest};
use crate::graph::{GraphState, Snapshot, Viewer};
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

/// A `T` already written as JSON (on the pool); sent as `application/json`.
pub struct JsonText<T> {
    text: String,
    of: PhantomData<fn() -> T>,
}

impl<T: Serialize> JsonText<T> {
    pub fn of(body: &T) -> Result<JsonText<T>> {
        let text = serde_json::to_string(body)
            .map_err(|e| Error::Internal(format!("answer not serialisable: {e}")))?;
        Ok(JsonText {
            text,
            of: PhantomData,
        })
    }
}

impl<'r, T> Responder<'r, 'static> for JsonText<T> {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        RawJson(self.text).respond_to(req)
    }
}

/// Like `answer`, then `finish` (e.g. an absent answer as 404) and the answer written
/// as JSON, all in one job on the pool: the async worker only sends the text.
pub async fn answer_json<Q: GraphQuery, T: Serialize + 'static>(
    graph: &Arc<GraphState>,
    params: Params,
    viewer: Viewer,
    finish: fn(Q::Answer) -> Result<T>,
) -> Result<Answer<JsonText<T>>> {
    let s = graph.current();
    heavy(move || {
        let a = query::ask::<Q>(&s, &params, viewer)?;
        let body = finish(a.body)?;
        Ok(Answer {
            body: JsonText::of(&body)?,
            persons: a.persons,
        })
    })
    .await?
}

/// A picture's view read, laid out and its nodes named, on the calling thread.
fn picture_now(
    s: &Snapshot,
    params: &Params,
    viewer: Viewer,
    limits: Limits,
) -> Result<Answer<Picture>, Problems> {
    let request = query::parse::<ViewRequest>(s, params, viewer)?;
    let picture = crate::picture::picture_of(s, &request, viewer).drawn_under(limits);
    Ok(Answer::of(picture))
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
    heavy(move || picture_now(&s, &params, viewer, limits)).await
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

/// The JSON of a picture (`/api/v1/network`, and `/network.json` for the page's canvas),
/// laid out and written on the pool.
pub async fn network(
    graph: &Arc<GraphState>,
    params: Params,
    viewer: Viewer,
    limits: Limits,
) -> Result<Result<Answer<JsonText<NetworkAnswer>>, Problems>> {
    let mut echoed = params.to_map();
    echoed.retain(|k, _| ViewRequest::PARAMS.contains(&k.as_str()));
    let s = graph.current();
    heavy(move || {
        let a = match picture_now(&s, &params, viewer, limits) {
            Ok(a) => a,
            Err(problems) => return Ok(Err(problems)),
        };
        let body = NetworkAnswer {
            params: echoed,
            picture: a.body,
        };
        Ok(Ok(Answer {
            body: JsonText::of(&body)?,
            persons: a.persons,
        }))
    })
    .await?
}
