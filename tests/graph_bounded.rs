//! Heavy answers come in pages, and the OpenAPI document says what each graph route
//! reads. The tandem list (pairs for everyone, roles for signed-in callers) is paged by
//! `offset` and `limit`: the pages cover the whole list exactly once in one order, every
//! page carries the totals, a `limit` above the maximum is refused (422, as the record
//! lists do), and anonymous pages never name a restricted person, on the API and on the
//! page. Every graph route documents exactly the query parameters its request reads:
//! those and no others are accepted, any other graph parameter is refused.
mod common;

use std::collections::BTreeSet;

use common::graph::{list, Fx};
use common::TestApp;
use knotenpunkt::domain::UserRole;
use knotenpunkt::graph::overlaps::TANDEM_MAX_PAGE;
use knotenpunkt::graph::query::{self, GraphQuery, ViewRequest, GRAPH_PARAMS};
use rocket::http::Status;
use serde_json::Value;

struct Tandems {
    restricted: String,
    /// (person name, self-organisation id, employer id) of every role row.
    rows: Vec<(String, String, String)>,
    /// ((self-organisation id, employer id), persons) of every pair.
    pairs: Vec<((String, String), u64)>,
}

/// Twelve tandem roles in six pairs. Two self-organisations share a name (Essen and
/// Bochum), so pairs and rows tie on names and only ids order them; one person holds two
/// jobs at one employer (two rows for one person and pair); one person is restricted.
fn tandems(fx: &Fx) -> Tandems {
    let a = fx.org("Gleichname e.V.", "migrant_organisation", "Essen");
    let b = fx.org("Gleichname e.V.", "migrant_organisation", "Bochum");
    let c = fx.org("Roma Ruhr", "roma_self_organisation", "Essen");
    let m = fx.org("Amt für Integration", "municipal_unit", "Essen");
    let w = fx.org("Caritas Bochum", "welfare_organisation", "Bochum");
    let mut rows = Vec::new();
    let mut person = |name: &str, visibility: &str, own: &[(&str, &str)], jobs: &[(&str, &str)]| {
        let p = fx.person(name, visibility);
        for (org, role) in own.iter().chain(jobs) {
            fx.role(&p, org, role, Some("2019"), None);
        }
        for (mo, _) in own {
            for (emp, _) in jobs {
                rows.push((name.to_string(), mo.to_string(), emp.to_string()));
            }
        }
        p
    };
    person(
        "Eins",
        "public",
        &[(&a, "board_member")],
        &[(&m, "employee")],
    );
    person("Zwei", "public", &[(&a, "member")], &[(&m, "employee")]);
    person(
        "Drei",
        "public",
        &[(&b, "chair")],
        &[(&m, "employee"), (&w, "project_staff")],
    );
    person(
        "Vier",
        "public",
        &[(&a, "member"), (&b, "member")],
        &[(&w, "employee")],
    );
    person(
        "Fünf",
        "public",
        &[(&c, "member")],
        &[(&m, "mediator"), (&w, "adviser")],
    );
    let restricted = person(
        "Geheime Sechs",
        "restricted",
        &[(&c, "board_member")],
        &[(&m, "employee")],
    );
    person(
        "Sieben",
        "public",
        &[(&c, "member")],
        &[(&w, "employee"), (&w, "language_mediator")],
    );
    person("Acht", "public", &[(&a, "member")], &[(&w, "employee")]);
    let pair = |x: &str, y: &str, n| ((x.to_string(), y.to_string()), n);
    let pairs = vec![
        pair(&a, &m, 2),
        pair(&b, &m, 1),
        pair(&b, &w, 2),
        pair(&a, &w, 2),
        pair(&c, &m, 2),
        pair(&c, &w, 2),
    ];
    Tandems {
        restricted,
        rows,
        pairs,
    }
}

/// All pages of `path` (which has no query yet) at `limit`, each checked for its totals.
fn pages(app: &TestApp, path: &str, limit: usize, token: Option<&str>) -> (Vec<Value>, Vec<Value>) {
    let (mut pairs, mut roles) = (Vec::new(), Vec::new());
    let mut offset = 0;
    loop {
        let page = app.ok(&format!("{path}?offset={offset}&limit={limit}"), token);
        assert_eq!(page["offset"], offset, "{page}");
        assert_eq!(page["limit"], limit, "{page}");
        let (p, r) = (list(&page["pairs"]), page.get("roles").map(list));
        assert!(
            p.len() <= limit && r.is_none_or(|r| r.len() <= limit),
            "{page}"
        );
        pairs.extend(p.iter().cloned());
        roles.extend(r.into_iter().flatten().cloned());
        let longest = page["pairs_total"]
            .as_u64()
            .max(page["roles_total"].as_u64())
            .expect("totals") as usize;
        offset += limit;
        if offset >= longest {
            return (pairs, roles);
        }
    }
}

fn ids(v: &Value, a: &str, b: &str) -> (String, String) {
    let id = |k: &str| v[k]["id"].as_str().expect("id").to_string();
    (id(a), id(b))
}

fn tandem_pages_cover_the_list_once(app: &TestApp) {
    let fx = Fx::new(app);
    let t = tandems(&fx);
    let viewer = app.token(UserRole::Viewer);
    let all = app.ok("/api/v1/tandem?limit=500", Some(&viewer));
    // The whole list is the fixture's: twelve rows, six pairs with their counts.
    assert_eq!(
        (all["roles_total"].as_u64(), all["pairs_total"].as_u64()),
        (Some(12), Some(6))
    );
    let mut got: Vec<(String, String, String)> = list(&all["roles"])
        .iter()
        .map(|r| {
            let (mo, emp) = ids(r, "self_organisation", "employer");
            (
                r["person"]["name"].as_str().expect("named").to_string(),
                mo,
                emp,
            )
        })
        .collect();
    let mut expected = t.rows.clone();
    got.sort();
    expected.sort();
    assert_eq!(got, expected);
    let mut got_pairs: Vec<((String, String), u64)> = list(&all["pairs"])
        .iter()
        .map(|p| {
            (
                ids(p, "self_organisation", "employer"),
                p["persons"].as_u64().expect("n"),
            )
        })
        .collect();
    // Most persons first.
    assert!(got_pairs.windows(2).all(|w| w[0].1 >= w[1].1), "{all}");
    let mut expected_pairs = t.pairs.clone();
    got_pairs.sort();
    expected_pairs.sort();
    assert_eq!(got_pairs, expected_pairs);
    // The rows are ordered by self-organisation and employer name.
    let names: Vec<(String, String)> = list(&all["roles"])
        .iter()
        .map(|r| {
            let name = |k: &str| r[k]["name"].as_str().expect("name").to_string();
            (name("self_organisation"), name("employer"))
        })
        .collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "{names:?}");

    // Any page size gives the same list in the same order, each row once.
    for limit in [1, 4, 5, 12] {
        let (pairs, roles) = pages(app, "/api/v1/tandem", limit, Some(&viewer));
        assert_eq!(&pairs, list(&all["pairs"]), "limit {limit}");
        assert_eq!(&roles, list(&all["roles"]), "limit {limit}");
    }
    // The default page, and a page past the end: empty, the totals still right.
    let first = app.ok("/api/v1/tandem", Some(&viewer));
    assert_eq!(
        (first["offset"].as_u64(), first["limit"].as_u64()),
        (Some(0), Some(50))
    );
    let past = app.ok("/api/v1/tandem?offset=40&limit=3", Some(&viewer));
    assert!(list(&past["pairs"]).is_empty() && list(&past["roles"]).is_empty());
    assert_eq!(
        (past["roles_total"].as_u64(), past["pairs_total"].as_u64()),
        (Some(12), Some(6))
    );

    // Refused rather than cut short, as in the record lists: a caller asking for more
    // than a page holds must not take a shortened list for the whole one.
    let too_many = format!("/api/v1/tandem?limit={}", TANDEM_MAX_PAGE + 1);
    for path in [
        too_many.as_str(),
        "/api/v1/tandem?offset=-1",
        "/api/v1/tandem?limit=x",
    ] {
        let (status, v) = app.get(path, Some(&viewer));
        assert_eq!(status, Status::UnprocessableEntity, "{path}: {v}");
        let field = if path.contains("offset") {
            "offset"
        } else {
            "limit"
        };
        assert_eq!(TestApp::error_fields(&v), [field], "{path}: {v}");
    }
    let max = app.ok(
        &format!("/api/v1/tandem?limit={TANDEM_MAX_PAGE}"),
        Some(&viewer),
    );
    assert_eq!(max["limit"].as_u64(), Some(TANDEM_MAX_PAGE as u64));

    // Anonymous pages: the same pairs, no roles, never the restricted person.
    let anonymous = app.ok("/api/v1/tandem?limit=500", None);
    assert_eq!(anonymous["pairs"], all["pairs"]);
    assert!(anonymous.get("roles").is_none() && anonymous.get("roles_total").is_none());
    for limit in [1, 4] {
        let (pairs, roles) = pages(app, "/api/v1/tandem", limit, None);
        assert_eq!(&pairs, list(&all["pairs"]));
        assert!(roles.is_empty());
        for offset in (0..6).step_by(limit) {
            let text = app
                .ok(
                    &format!("/api/v1/tandem?offset={offset}&limit={limit}"),
                    None,
                )
                .to_string();
            assert!(
                !text.contains(&t.restricted) && !text.contains("Geheime"),
                "{text}"
            );
        }
    }

    // The page: pairs two at a time, "Zeilen 3–4 von 6", links back and on; the pages
    // together show the pairs in the API's order.
    let mut shown = Vec::new();
    let mut next = Some("/overlaps/tandem?limit=2".to_string());
    let mut seen = 0;
    while let Some(path) = next.take() {
        let res = app.client.get(path.clone()).dispatch();
        assert_eq!(res.status(), Status::Ok, "{path}");
        let html = res.into_string().unwrap_or_default();
        assert!(
            !html.contains("Geheime") && !html.contains(&t.restricted),
            "{path}"
        );
        let table = html
            .split("<table id=\"pairs\">")
            .nth(1)
            .and_then(|t| t.split("</table>").next())
            .unwrap_or_else(|| panic!("{path}: no pairs table"));
        for row in table.split("<tr>").skip(2) {
            let orgs: Vec<&str> = row
                .split("href=\"/organisations/")
                .skip(1)
                .filter_map(|s| s.split('"').next())
                .collect();
            shown.push((orgs[0].to_string(), orgs[1].to_string()));
        }
        let rows = format!("Zeilen {}–{} von 6", seen + 1, seen + 2);
        assert!(html.contains(&rows), "{path}: {rows}");
        assert_eq!(html.contains("rel=\"prev\""), seen > 0, "{path}");
        seen += 2;
        next = html
            .split("rel=\"next\"")
            .next()
            .filter(|_| html.contains("rel=\"next\""))
            .and_then(|before| before.rsplit("href=\"").next())
            .map(|link| link.trim_end_matches(['"', ' ']).replace("&#38;", "&"));
    }
    let api: Vec<(String, String)> = list(&all["pairs"])
        .iter()
        .map(|p| ids(p, "self_organisation", "employer"))
        .collect();
    assert_eq!(shown, api);
}

/// Each graph route with the request type that reads it, and the parameters its path
/// supplies.
fn graph_routes() -> Vec<(
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
)> {
    fn reads<Q: GraphQuery>() -> &'static [&'static str] {
        Q::READS.expect("every graph request declares what it reads")
    }
    vec![
        (
            "/api/v1/overlaps/staff",
            reads::<query::StaffOverlaps>(),
            &[],
        ),
        (
            "/api/v1/overlaps/staff/pairs",
            reads::<query::StaffPairs>(),
            &[],
        ),
        ("/api/v1/tandem", reads::<query::Tandem>(), &[]),
        (
            "/api/v1/overlaps/funding",
            reads::<query::FundingOverlaps>(),
            &[],
        ),
        (
            "/api/v1/funding/ending",
            reads::<query::FundingEnding>(),
            &[],
        ),
        (
            "/api/v1/funding/impact",
            reads::<query::FundingImpact>(),
            &[],
        ),
        ("/api/v1/dependencies/cycles", reads::<query::Cycles>(), &[]),
        (
            "/api/v1/dependencies/{id}",
            reads::<query::DependsOnRequest>(),
            &["organisation"],
        ),
        (
            "/api/v1/dependents/{id}",
            reads::<query::DependentsRequest>(),
            &["organisation"],
        ),
        ("/api/v1/graph", reads::<query::Network>(), &[]),
        ("/api/v1/graph/path", reads::<query::Path>(), &[]),
        (
            "/api/v1/graph/components",
            reads::<query::Components>(),
            &[],
        ),
        (
            "/api/v1/graph/centrality",
            reads::<query::CentralityRanking>(),
            &[],
        ),
        ("/api/v1/network", reads::<ViewRequest>(), &[]),
        ("/api/v1/conflicts", reads::<query::ConflictCheck>(), &[]),
    ]
}

fn documented_query_params(doc: &Value, path: &str) -> BTreeSet<String> {
    let op = &doc["paths"][path]["get"];
    assert!(op.is_object(), "{path} is not documented");
    list(&op["parameters"])
        .iter()
        .filter(|p| p["in"] == "query")
        .map(|p| p["name"].as_str().expect("name").to_string())
        .collect()
}

fn documented_parameters_are_the_read_ones(app: &TestApp) {
    let (status, doc) = app.get("/api/v1/openapi.json", None);
    assert_eq!(status, Status::Ok);
    let routes = graph_routes();
    // Every graph operation of the document is in the table above.
    let tagged: BTreeSet<&str> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .filter(|(_, item)| {
            let tags = item["get"]["tags"].as_array();
            tags.is_some_and(|tags| tags.iter().any(|t| t == "graph"))
        })
        .map(|(path, _)| path.as_str())
        .collect();
    let known: BTreeSet<&str> = routes.iter().map(|r| r.0).collect();
    assert_eq!(tagged, known);

    let fx = Fx::new(app);
    let org = fx.org("Irgendein Verein", "migrant_organisation", "Herne");
    app.settle();
    for (path, reads, in_path) in routes {
        let documented = documented_query_params(&doc, path);
        let read: BTreeSet<String> = reads
            .iter()
            .filter(|n| !in_path.contains(n))
            .map(|n| n.to_string())
            .collect();
        assert_eq!(documented, read, "{path}");
        // And the route behaves as documented: a documented parameter is read (its
        // value may be wrong, but it is never "not used"); any other is refused.
        let url = path.replace("{id}", &org);
        for &name in GRAPH_PARAMS.iter().filter(|n| !in_path.contains(n)) {
            let (status, v) = app.get(&format!("{url}?{name}=x"), None);
            let errors = v["errors"].as_array().cloned().unwrap_or_default();
            let unused = errors
                .iter()
                .any(|e| e["field"] == name && e["message"] == "is not used by this request");
            if documented.contains(name) {
                assert!(!unused, "{path}?{name}: {v}");
            } else {
                assert_eq!(status, Status::UnprocessableEntity, "{path}?{name}: {v}");
                assert!(unused, "{path}?{name}: {v}");
            }
        }
    }
    // The required ones are marked required (the routes refuse a request without them).
    let required = |path: &str| -> BTreeSet<String> {
        list(&doc["paths"][path]["get"]["parameters"])
            .iter()
            .filter(|p| p["in"] == "query" && p["required"] == true)
            .map(|p| p["name"].as_str().expect("name").to_string())
            .collect()
    };
    assert_eq!(
        required("/api/v1/graph/path"),
        ["from", "to"].map(String::from).into()
    );
    assert_eq!(
        required("/api/v1/conflicts"),
        ["applicant", "funder"].map(String::from).into()
    );
    assert!(required("/api/v1/tandem").is_empty());
    for path in [
        "/api/v1/graph/path",
        "/api/v1/conflicts",
        "/api/v1/overlaps/staff",
    ] {
        let (status, v) = app.get(path, None);
        assert_eq!(status, Status::UnprocessableEntity, "{path}: {v}");
    }
}

on_both_backends!(
    tandem_pages_cover_the_list_once,
    documented_parameters_are_the_read_ones
);
