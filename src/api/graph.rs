//! Graph answers under `/api/v1`: overlaps, tandem roles, funding dependency,
//! dependencies, network views and conflicts of interest, all on the current snapshot.
use std::sync::Arc;

use petgraph::graph::NodeIndex;
use rocket::form::FromForm;
use rocket::serde::json::{json, Json, Value};
use rocket::{get, routes, Route, State};

use crate::error::{Error, Result};
use crate::graph::network::{KindFilter, View};
use crate::graph::*;
use crate::service::Caller;

/// All query parameters the graph routes take; each route reads the ones it needs.
#[derive(Debug, Default, FromForm)]
pub struct Params {
    organisation: Option<String>,
    funder: Option<String>,
    applicant: Option<String>,
    focus: Option<String>,
    city: Option<String>,
    concurrent: Option<bool>,
    limit: Option<String>,
    depth: Option<String>,
    within_days: Option<String>,
    kinds: Option<String>,
    measure: Option<String>,
    as_of: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

impl Params {
    fn time(&self) -> Result<TimeFilter> {
        TimeFilter::parse(
            self.as_of.as_deref(),
            self.from.as_deref(),
            self.to.as_deref(),
        )
    }

    fn number(value: &Option<String>, field: &str, default: usize, max: usize) -> Result<usize> {
        match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| {
                    Error::invalid(field, format!("must be a whole number from 0 to {max}"))
                }),
        }
    }
}

fn viewer(caller: &Caller) -> Viewer {
    if caller.sees_restricted() {
        Viewer::SignedIn
    } else {
        Viewer::Anonymous
    }
}

/// The node of a required id parameter; unknown, deleted or hidden ids are 404.
fn node(s: &Snapshot, field: &str, id: &Option<String>, v: Viewer) -> Result<NodeIndex> {
    let id = id
        .as_deref()
        .filter(|i| !i.is_empty())
        .ok_or_else(|| Error::invalid(field, "is required"))?;
    let found = s
        .node(id)
        .filter(|&n| s.org(n).is_some() || v == Viewer::SignedIn);
    found.ok_or_else(|| Error::NotFound {
        kind: "organisation",
        id: id.to_string(),
    })
}

/// Like `node`, but only organisations qualify.
fn org_node(s: &Snapshot, field: &str, id: &Option<String>) -> Result<NodeIndex> {
    node(s, field, id, Viewer::Anonymous)
}

/// Runs CPU-heavy graph work off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    rocket::tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Internal(format!("graph task failed: {e}")))?
}

#[get("/overlaps/staff?<p..>")]
fn staff(g: &State<Arc<GraphState>>, caller: Caller, p: Params) -> Result<Value> {
    let s = g.current();
    let org = org_node(&s, "organisation", &p.organisation)?;
    let overlaps = overlaps::staff_overlaps(
        &s,
        org,
        &p.time()?,
        p.concurrent.unwrap_or(false),
        viewer(&caller),
    );
    Ok(json!({ "organisation": OrgRef::of(s.org(org).expect("org node")), "overlaps": overlaps }))
}

#[get("/overlaps/staff/pairs?<p..>")]
async fn staff_pairs(
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Result<Json<Vec<overlaps::StaffPair>>> {
    let s = g.current();
    let (time, limit) = (p.time()?, Params::number(&p.limit, "limit", 20, 10_000)?);
    let concurrent = p.concurrent.unwrap_or(false);
    Ok(Json(
        blocking(move || Ok(overlaps::staff_pairs(&s, &time, concurrent, limit))).await?,
    ))
}

#[get("/tandem?<p..>")]
fn tandem(
    g: &State<Arc<GraphState>>,
    caller: Caller,
    p: Params,
) -> Result<Json<Vec<overlaps::TandemRole>>> {
    let s = g.current();
    let org = match p.organisation.as_deref() {
        Some(id) if !id.is_empty() => Some(org_node(&s, "organisation", &p.organisation)?),
        _ => None,
    };
    let city = p.city.as_deref().filter(|c| !c.trim().is_empty());
    Ok(Json(overlaps::tandem(
        &s,
        &p.time()?,
        city,
        org,
        viewer(&caller),
    )))
}

#[get("/overlaps/funding?<p..>")]
fn funding_overlap(g: &State<Arc<GraphState>>, p: Params) -> Result<Json<funding::FundingOverlap>> {
    let s = g.current();
    let org = org_node(&s, "organisation", &p.organisation)?;
    funding::funding_overlap(&s, org, &p.time()?)
        .map(Json)
        .ok_or_else(|| Error::invalid("organisation", "is not an organisation"))
}

#[get("/funding/ending?<p..>")]
fn funding_ending(
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Result<Json<Vec<funding::EndingFunding>>> {
    let days = Params::number(&p.within_days, "within_days", 90, 36_500)?;
    Ok(Json(funding::ending_within(
        &g.current(),
        days as i64,
        &p.time()?,
    )))
}

#[get("/funding/impact?<p..>")]
fn funding_impact(g: &State<Arc<GraphState>>, p: Params) -> Result<Json<Vec<funding::Loss>>> {
    let s = g.current();
    let funder = org_node(&s, "funder", &p.funder)?;
    Ok(Json(funding::impact(&s, funder, &p.time()?)))
}

#[get("/dependencies/cycles?<p..>")]
async fn cycles(g: &State<Arc<GraphState>>, p: Params) -> Result<Json<Vec<dependencies::Cycle>>> {
    let (s, time) = (g.current(), p.time()?);
    Ok(Json(
        blocking(move || Ok(dependencies::cycles(&s, &time))).await?,
    ))
}

#[get("/dependencies/<id>?<p..>")]
fn depends_on(g: &State<Arc<GraphState>>, caller: Caller, id: &str, p: Params) -> Result<Value> {
    let s = g.current();
    let org = org_node(&s, "id", &Some(id.to_string()))?;
    let deps = dependencies::dependencies(&s, org, &p.time()?, viewer(&caller));
    Ok(json!({ "organisation": OrgRef::of(s.org(org).expect("org node")), "depends_on": deps }))
}

#[get("/dependents/<id>?<p..>")]
fn dependents(g: &State<Arc<GraphState>>, caller: Caller, id: &str, p: Params) -> Result<Value> {
    let s = g.current();
    let org = org_node(&s, "id", &Some(id.to_string()))?;
    let deps = dependencies::dependents(&s, org, &p.time()?, viewer(&caller));
    Ok(json!({ "organisation": OrgRef::of(s.org(org).expect("org node")), "dependents": deps }))
}

#[get("/graph?<p..>")]
async fn graph(
    g: &State<Arc<GraphState>>,
    caller: Caller,
    p: Params,
) -> Result<Json<network::GraphJson>> {
    let s = g.current();
    let v = viewer(&caller);
    let view_time = p.time()?;
    let kinds = KindFilter::parse(p.kinds.as_deref())?;
    let depth = Params::number(&p.depth, "depth", 1, 2)?;
    let focus = match &p.focus {
        Some(f) if !f.is_empty() => Some(node(&s, "focus", &p.focus, v)?),
        _ => None,
    };
    blocking(move || {
        let view = View {
            s: &s,
            time: view_time,
            kinds,
        };
        let nodes: Vec<NodeIndex> = match focus {
            Some(f) => view.ego(f, depth),
            None => s
                .graph
                .node_indices()
                .filter(|&n| view.neighbours(n).next().is_some())
                .collect(),
        };
        Ok(Json(network::subgraph_json(&view, &nodes, v, 5_000)))
    })
    .await
}

#[get("/graph/path?<p..>")]
fn path(g: &State<Arc<GraphState>>, caller: Caller, p: Params) -> Result<Json<network::GraphJson>> {
    let s = g.current();
    let v = viewer(&caller);
    // Here `from` and `to` name the two ends; only `as_of` restricts the time.
    let from = node(&s, "from", &p.from, v)?;
    let to = node(&s, "to", &p.to, v)?;
    let time = TimeFilter::parse(p.as_of.as_deref(), None, None)?;
    let view = View {
        s: &s,
        time,
        kinds: KindFilter::parse(p.kinds.as_deref())?,
    };
    network::shortest_path(&view, from, to, v)
        .map(Json)
        .ok_or_else(|| Error::NotFound {
            kind: "path",
            id: String::new(),
        })
}

#[get("/graph/components?<p..>")]
async fn components(
    g: &State<Arc<GraphState>>,
    p: Params,
) -> Result<Json<Vec<network::Component>>> {
    let (s, time, kinds) = (
        g.current(),
        p.time()?,
        KindFilter::parse(p.kinds.as_deref())?,
    );
    let limit = Params::number(&p.limit, "limit", 100, 100_000)?;
    blocking(move || {
        let view = View { s: &s, time, kinds };
        Ok(Json(
            network::components(&view).into_iter().take(limit).collect(),
        ))
    })
    .await
}

/// The longest ranking a centrality answer gives.
const MAX_RANKED: usize = 10_000;

#[get("/graph/centrality?<p..>")]
async fn centrality_route(
    g: &State<Arc<GraphState>>,
    caller: Caller,
    p: Params,
) -> Result<Json<crate::graph::centrality::Centrality>> {
    let s = g.current();
    let v = viewer(&caller);
    let (time, kinds) = (p.time()?, KindFilter::parse(p.kinds.as_deref())?);
    let limit = Params::number(&p.limit, "limit", 20, MAX_RANKED)?;
    let depth = Params::number(&p.depth, "depth", 2, 3)?;
    let betweenness = match p.measure.as_deref().unwrap_or("degree") {
        "degree" => false,
        "betweenness" => true,
        _ => return Err(Error::invalid("measure", "must be degree or betweenness")),
    };
    let focus = match &p.focus {
        Some(f) if !f.is_empty() => Some(node(&s, "focus", &p.focus, v)?),
        _ => None,
    };
    // Kept whole (the ranking is the same for every limit) and cut per request.
    let key = format!(
        "centrality|{betweenness}|{time:?}|{}|{focus:?}|{depth}|{v:?}",
        kinds.key()
    );
    blocking(move || {
        let ranking = s.memo.get_or(key, || {
            let view = View { s: &s, time, kinds };
            let subset = focus.map(|f| view.ego(f, depth));
            let all = MAX_RANKED;
            if betweenness {
                crate::graph::centrality::betweenness(&view, subset.as_deref(), all, v)
            } else {
                crate::graph::centrality::degree(&view, subset.as_deref(), all, v)
            }
        });
        let mut answer = ranking.as_ref().clone();
        answer.items.truncate(limit);
        Ok(Json(answer))
    })
    .await
}

#[get("/conflicts?<p..>")]
fn conflicts(
    g: &State<Arc<GraphState>>,
    caller: Caller,
    p: Params,
) -> Result<Json<Vec<funding::Conflict>>> {
    let s = g.current();
    let funder = org_node(&s, "funder", &p.funder)?;
    let applicant = org_node(&s, "applicant", &p.applicant)?;
    if funder == applicant {
        return Err(Error::invalid("applicant", "must differ from the funder"));
    }
    Ok(Json(funding::conflicts(
        &s,
        funder,
        applicant,
        &p.time()?,
        viewer(&caller),
    )))
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
        centrality_route,
        conflicts
    ]
}
