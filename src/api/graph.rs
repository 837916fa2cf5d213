//! Graph answers under `/api/v1`: overlaps, tandem roles, funding dependency,
//! dependencies, network views and conflicts of interest. Each route names its request
//! type; parsing, running and the persons shown are the query layer's.
use std::sync::Arc;

use rocket::response::status::Accepted;
use rocket::serde::json::Json;
use rocket::{get, routes, Either, Route, State};

use crate::error::{Error, Result};
use crate::graph::centrality::job::{Exact, ExactJobs, JobProgress};
use crate::graph::centrality::Centrality;
use crate::graph::query::{self, GraphQuery, Params};
use crate::graph::{GraphState, Snapshot, Viewer};
use crate::http::graph::{answer, NetworkAnswer};
use crate::http::Shown;
use crate::picture::Limits;
use crate::service::Caller;

type Graph = State<Arc<GraphState>>;
type Reply<T> = Result<Shown<Json<T>>>;

/// Parse → run → respond, with the persons the answer shows.
async fn respond<Q: GraphQuery>(g: &Graph, caller: &Caller, p: Params) -> Reply<Q::Answer>
where
    Q::Answer: serde::Serialize,
{
    let a = answer::<Q>(g, p, Viewer::of(caller)).await?;
    Ok(Shown::new(Json(a.body), a.persons))
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
    let a = answer::<query::FundingOverlaps>(g, p, Viewer::of(&caller)).await?;
    let body = a
        .body
        .ok_or_else(|| Error::invalid("organisation", "is not an organisation"))?;
    Ok(Shown::new(Json(body), a.persons))
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
    let a = answer::<query::Path>(g, p, Viewer::of(&caller)).await?;
    let body = a.body.ok_or_else(|| Error::NotFound {
        kind: "path",
        id: String::new(),
    })?;
    Ok(Shown::new(Json(body), a.persons))
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
/// the background job's progress.
#[get("/graph/centrality")]
async fn centrality(
    g: &Graph,
    jobs: &State<Arc<ExactJobs>>,
    caller: Caller,
    p: Params,
) -> Result<Either<Shown<Json<Centrality>>, Accepted<Json<JobProgress>>>> {
    let (s, jobs, viewer) = (g.current(), jobs.inner().clone(), Viewer::of(&caller));
    let ranked = crate::http::pool::heavy(move || rank(&s, &jobs, &p, viewer)).await??;
    Ok(match ranked {
        Ranked::Now(a) => Either::Left(Shown::new(Json(a.body), a.persons)),
        Ranked::Later(progress) => Either::Right(Accepted(Json(progress))),
    })
}

enum Ranked {
    Now(query::Answer<Centrality>),
    Later(JobProgress),
}

/// Reads the request, then answers from the snapshot or, for exact values, from the
/// job (never waiting for it).
fn rank(s: &Arc<Snapshot>, jobs: &Arc<ExactJobs>, p: &Params, viewer: Viewer) -> Result<Ranked> {
    let request = query::parse::<query::CentralityRanking>(s, p, viewer)?;
    let Some(key) = request.exact_job() else {
        return Ok(Ranked::Now(query::Answer::of(request.run(s, viewer))));
    };
    Ok(match jobs.ask(key, s) {
        Exact::Ready(done, newer) => Ranked::Now(query::Answer::of(done.ranking(
            viewer,
            request.limit,
            newer,
        ))),
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
    Ok(Shown::new(Json(a.body), a.persons))
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
