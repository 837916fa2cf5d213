//! Graph answers under `/api/v1`: overlaps, tandem roles, funding dependency,
//! dependencies, network views and conflicts of interest. Each route names its request
//! type; parsing, running and the persons shown are the query layer's.
use std::sync::Arc;

use rocket::response::content::RawJson;
use rocket::response::status::Accepted;
use rocket::serde::json::Json;
use rocket::{get, routes, Either, Route, State};

use crate::error::{Error, Result};
use crate::graph::centrality::carry::{Rankings, Served};
use crate::graph::centrality::job::{Exact, ExactJobs, JobProgress};
use crate::graph::query::{self, GraphQuery, Params};
use crate::graph::{GraphState, Snapshot, Viewer};
use crate::http::graph::{answer_json, JsonText, NetworkAnswer};
use crate::http::Shown;
use crate::picture::Limits;
use crate::service::Caller;

type Graph = State<Arc<GraphState>>;
/// An answer written as JSON on the heavy pool, with the persons it shows.
type Reply<T> = Result<Shown<JsonText<T>>>;

/// Parse → run → respond, with the persons the answer shows.
async fn respond<Q: GraphQuery>(g: &Graph, caller: &Caller, p: Params) -> Reply<Q::Answer>
where
    Q::Answer: serde::Serialize,
{
    let a = answer_json::<Q, Q::Answer>(g, p, Viewer::of(caller), Ok).await?;
    Ok(Shown::new(a.body, a.persons))
}

#[get("/overlaps/staff")]
async fn staff(g: &Graph, caller: Caller, p: Params) -> Reply<query::StaffAnswer> {
    respond::<query::StaffOverlaps>(g, &caller, p).await
}

#[get("/overlaps/staff/pairs")]
async fn staff_pairs(
    g: &Graph,
    caller: Caller,
    p: Params,
) -> Reply<Vec<crate::graph::overlaps::StaffPair>> {
    respond::<query::StaffPairs>(g, &caller, p).await
}

#[get("/tandem")]
async fn tandem(
    g: &Graph,
    caller: Caller,
    p: Params,
) -> Reply<crate::graph::overlaps::TandemAnswer> {
    respond::<query::Tandem>(g, &caller, p).await
}

#[get("/overlaps/funding")]
async fn funding_overlap(
    g: &Graph,
    caller: Caller,
    p: Params,
) -> Reply<crate::graph::funding::FundingOverlap> {
    let a = answer_json::<query::FundingOverlaps, _>(g, p, Viewer::of(&caller), |body| {
        body.ok_or_else(|| Error::invalid("organisation", "is not an organisation"))
    })
    .await?;
    Ok(Shown::new(a.body, a.persons))
}

#[get("/funding/ending")]
async fn funding_ending(
    g: &Graph,
    caller: Caller,
    p: Params,
) -> Reply<Vec<crate::graph::funding::EndingFunding>> {
    respond::<query::FundingEnding>(g, &caller, p).await
}

#[get("/funding/impact")]
async fn funding_impact(
    g: &Graph,
    caller: Caller,
    p: Params,
) -> Reply<Vec<crate::graph::funding::Loss>> {
    respond::<query::FundingImpact>(g, &caller, p).await
}

#[get("/dependencies/cycles")]
async fn cycles(
    g: &Graph,
    caller: Caller,
    p: Params,
) -> Reply<Vec<crate::graph::dependencies::Cycle>> {
    respond::<query::Cycles>(g, &caller, p).await
}

#[get("/dependencies/<id>")]
async fn depends_on(g: &Graph, caller: Caller, id: &str, p: Params) -> Reply<query::DependsOn> {
    respond::<query::DependsOnRequest>(g, &caller, p.with("organisation", id)).await
}

#[get("/dependents/<id>")]
async fn dependents(g: &Graph, caller: Caller, id: &str, p: Params) -> Reply<query::Dependents> {
    respond::<query::DependentsRequest>(g, &caller, p.with("organisation", id)).await
}

#[get("/graph")]
async fn graph(g: &Graph, caller: Caller, p: Params) -> Reply<crate::graph::network::GraphJson> {
    respond::<query::Network>(g, &caller, p).await
}

#[get("/graph/path")]
async fn path(g: &Graph, caller: Caller, p: Params) -> Reply<crate::graph::network::GraphJson> {
    let a = answer_json::<query::Path, _>(g, p, Viewer::of(&caller), |body| {
        body.ok_or_else(|| Error::NotFound {
            kind: "path",
            id: String::new(),
        })
    })
    .await?;
    Ok(Shown::new(a.body, a.persons))
}

#[get("/graph/components")]
async fn components(
    g: &Graph,
    caller: Caller,
    p: Params,
) -> Reply<Vec<crate::graph::network::Component>> {
    respond::<query::Components>(g, &caller, p).await
}

/// The ranking, or — for `exact=true` until the first exact values are ready — 202 with
/// the background job's progress. A ranking kept for the request (of the current version
/// or, marked, of an older one) is served at once on the async worker: reading the
/// request and sending kept JSON takes microseconds. Computing one runs on the pool.
#[get("/graph/centrality")]
async fn centrality(
    g: &Graph,
    jobs: &State<Arc<ExactJobs>>,
    kept: &State<Arc<Rankings>>,
    caller: Caller,
    p: Params,
) -> Result<Either<Shown<RawJson<Arc<str>>>, Accepted<Json<JobProgress>>>> {
    let (s, viewer) = (g.current(), Viewer::of(&caller));
    let (jobs, kept) = (jobs.inner().clone(), kept.inner().clone());
    // A focus may be named by name, a search of every organisation: read on the pool.
    let request = match p.get("focus") {
        None => Some(query::parse::<query::CentralityRanking>(&s, &p, viewer)?),
        Some(_) => None,
    };
    // Long cuts take a millisecond or more to write out: on the pool as well.
    let ready = request
        .as_ref()
        .filter(|r| r.limit <= SERVED_HERE)
        .and_then(|r| rank(r, &s, &jobs, &kept, viewer));
    let ranked = match ready {
        Some(ranked) => ranked,
        None => {
            crate::http::pool::heavy(move || -> Result<Ranked> {
                let request = match request {
                    Some(r) => r,
                    None => query::parse::<query::CentralityRanking>(&s, &p, viewer)?,
                };
                Ok(rank(&request, &s, &jobs, &kept, viewer)
                    .unwrap_or_else(|| Ranked::Now(request.computed(&s, &kept, viewer))))
            })
            .await??
        }
    };
    Ok(match ranked {
        Ranked::Now(a) => Either::Left(Shown::new(RawJson(a.json), a.persons)),
        Ranked::Later(progress) => Either::Right(Accepted(Json(progress))),
    })
}

/// The longest ranking served on the async worker.
const SERVED_HERE: usize = 100;

enum Ranked {
    Now(Served),
    Later(JobProgress),
}

/// The answer that needs no computing: exact values from the job (never waiting for
/// it), or a kept ranking. `None`: the ranking must be computed.
fn rank(
    request: &query::CentralityRanking,
    s: &Arc<Snapshot>,
    jobs: &Arc<ExactJobs>,
    kept: &Arc<Rankings>,
    viewer: Viewer,
) -> Option<Ranked> {
    let Some(key) = request.exact_job() else {
        return request.kept(s, kept, viewer).map(Ranked::Now);
    };
    Some(match jobs.ask(key, s) {
        Exact::Ready(done, newer) => {
            Ranked::Now(Served::of(&done.ranking(viewer, request.limit, newer)))
        }
        Exact::Pending(progress) => Ranked::Later(progress),
    })
}

#[get("/network")]
async fn network(
    g: &Graph,
    limits: &State<Limits>,
    caller: Caller,
    p: Params,
) -> Reply<NetworkAnswer> {
    let a = crate::http::graph::network(g, p, Viewer::of(&caller), **limits).await??;
    Ok(Shown::new(a.body, a.persons))
}

#[get("/conflicts")]
async fn conflicts(
    g: &Graph,
    caller: Caller,
    p: Params,
) -> Reply<crate::graph::funding::Conflicts> {
    respond::<query::ConflictCheck>(g, &caller, p).await
}

pub fn routes() -> Vec<Route> {
    routes![
        staff,
        staff_pairs,
        tandem,
        funding_overlap,
        funding_ending,
        funding_impact,
        cycles,
        depends_on,
        dependents,
        graph,
        path,
        components,
        centrality,
        network,
        conflicts
    ]
}
