//! The network picture: `/api/v1/network`, `/network.svg` and the `/network` page on the
//! study's data (filters by time, city, kinds and focus; the same address gives the same
//! picture), and persons in pictures (folded for anonymous callers, nodes for signed-in
//! users who ask, and then logged) on both backends.
mod common;

use std::collections::BTreeSet;

use common::web::page;
use common::TestApp;
use diesel::prelude::*;
use knotenpunkt::domain::UserRole;
use knotenpunkt::schema::person_reads;
use rocket::http::Status;
use serde_json::{json, Value};

fn labels(v: &Value) -> BTreeSet<String> {
    v["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["label"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The height of the node whose label starts with `label`.
fn y_of(picture: &Value, label: &str) -> f64 {
    picture["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["label"].as_str().is_some_and(|l| l.starts_with(label)))
        .unwrap_or_else(|| panic!("{label} in {picture}"))["y"]
        .as_f64()
        .unwrap()
}

fn svg(app: &TestApp, path: &str) -> String {
    let res = app.client.get(path.to_string()).dispatch();
    assert_eq!(res.status(), Status::Ok, "{path}");
    assert_eq!(
        res.content_type().map(|c| c.to_string()).as_deref(),
        Some("image/svg+xml")
    );
    res.into_string().unwrap_or_default()
}

#[test]
fn views_of_the_study_data() {
    let app = TestApp::sqlite_seeded();
    let all = app.ok("/api/v1/network", None);
    let nodes = all["nodes"].as_array().unwrap();
    assert!(nodes.len() > 20, "{} nodes", nodes.len());
    let keys: BTreeSet<&str> = nodes.iter().map(|n| n["key"].as_str().unwrap()).collect();
    for n in nodes {
        let (x, y) = (n["x"].as_f64().unwrap(), n["y"].as_f64().unwrap());
        assert!(
            (0.0..=1200.0).contains(&x) && (0.0..=800.0).contains(&y),
            "{n}"
        );
        assert!(n["kind"].is_string(), "no person nodes by default: {n}");
    }
    for e in all["edges"].as_array().unwrap() {
        assert!(keys.contains(e["source"].as_str().unwrap()));
        assert!(keys.contains(e["target"].as_str().unwrap()));
    }
    // The same address gives the same picture, to the byte.
    assert_eq!(app.ok("/api/v1/network", None), all);
    let drawn = svg(&app, "/network.svg");
    assert_eq!(svg(&app, "/network.svg"), drawn);
    let doc = roxmltree::Document::parse(&drawn).expect("well-formed SVG");
    let count = |tag: &str, class: &str| {
        doc.descendants()
            .filter(|n| n.has_tag_name(tag) && n.attribute("class") == Some(class))
            .count()
    };
    assert_eq!(count("a", "node"), nodes.len());
    assert_eq!(
        count("line", "edge"),
        all["edges"].as_array().unwrap().len()
    );

    // The same picture as PNG, rendered on the server at twice the size.
    let res = app.client.get("/network.png").dispatch();
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(
        res.content_type().map(|c| c.to_string()).as_deref(),
        Some("image/png")
    );
    let png = res.into_bytes().unwrap_or_default();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let dimension = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    assert_eq!((dimension(16), dimension(20)), (2400, 1600));

    // Romano Drom (Hagen, 2019 – 2024) is in a picture of 2023 and gone from 2025's.
    let hagen_2023 = app.ok("/api/v1/network?city=Hagen&as_of=2023", None);
    assert!(labels(&hagen_2023).contains("Romano Drom e.V."));
    let hagen_2025 = app.ok("/api/v1/network?city=hagen&as_of=2025", None);
    assert!(!labels(&hagen_2025).contains("Romano Drom e.V."));
    for n in hagen_2023["nodes"].as_array().unwrap() {
        assert_eq!(n["city"], "Hagen", "{n}");
    }
    assert_eq!(
        hagen_2023["params"],
        json!({"city": "Hagen", "as_of": "2023"})
    );

    // Kinds of organisation and of link.
    let cities = app.ok("/api/v1/network?kind=municipality,municipal_unit", None);
    for n in cities["nodes"].as_array().unwrap() {
        assert!(
            n["kind"] == "municipality" || n["kind"] == "municipal_unit",
            "{n}"
        );
    }
    let funding = app.ok("/api/v1/network?kinds=funding", None);
    let funding_edges = funding["edges"].as_array().unwrap();
    assert!(!funding_edges.is_empty());
    assert!(funding_edges.iter().all(|e| e["kind"] == "funding"));

    // Around one organisation: its neighbours, then theirs.
    let near = app.ok("/api/v1/network?focus=Romano%20Drom&depth=1", None);
    let focus = near["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["label"] == "Romano Drom e.V.")
        .expect("the focus is in its own picture")["key"]
        .clone();
    for n in near["nodes"].as_array().unwrap() {
        let linked = near["edges"].as_array().unwrap().iter().any(|e| {
            (e["source"] == focus && e["target"] == n["key"])
                || (e["target"] == focus && e["source"] == n["key"])
        });
        assert!(n["key"] == focus || linked, "{n} is one step away");
    }
    let farther = app.ok("/api/v1/network?focus=Romano%20Drom&depth=2", None);
    assert!(labels(&farther).is_superset(&labels(&near)));
    assert!(labels(&farther).len() > labels(&near).len());

    // Highlights: the mutual dependency of Romano Than and the city of Dortmund (I4.31),
    // the path from Toflea to Hagen, and what Romano Drom loses if EVZ stops.
    let marked = |v: &Value| -> BTreeSet<String> {
        v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["highlight"] == true)
            .map(|n| n["label"].as_str().unwrap().to_string())
            .collect()
    };
    let cycles = app.ok("/api/v1/network?highlight=cycles", None);
    let in_cycles = marked(&cycles);
    assert!(in_cycles.contains("Romano Than e.V.") && in_cycles.contains("Stadt Dortmund"));
    assert!(!in_cycles.contains("Toflea"));
    let path = app.ok(
        "/api/v1/network?path_from=Toflea&path_to=Stadt%20Hagen",
        None,
    );
    assert_eq!(path["no_path"], false);
    assert!(marked(&path).is_superset(&BTreeSet::from([
        "Toflea".to_string(),
        "Stadt Hagen".to_string()
    ])));
    assert!(path["edges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["highlight"] == true));
    let apart = app.ok(
        "/api/v1/network?path_from=Toflea&path_to=Stadt%20Krefeld",
        None,
    );
    assert_eq!(apart["no_path"], true);
    let stops = app.ok("/api/v1/network?stops=Stiftung%20EVZ", None);
    let losses: Vec<(&str, f64)> = stops["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| Some((n["label"].as_str()?, n["loss"].as_f64()?)))
        .collect();
    assert_eq!(losses, [("Romano Drom e.V.", 1.0)]);
    let drawn = svg(&app, "/network.svg?highlight=cycles&stops=Stiftung%20EVZ");
    roxmltree::Document::parse(&drawn).expect("well-formed with marks");
    assert!(drawn.contains("class=\"node hl\"") && drawn.contains("stroke=\"#B3261E\""));

    // Sized by betweenness, the broker of its own neighbourhood is the largest.
    let brokers = app.ok(
        "/api/v1/network?focus=Romano%20Drom&depth=2&size=betweenness",
        None,
    );
    let largest = brokers["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .max_by(|a, b| {
            a["value"]
                .as_f64()
                .unwrap()
                .total_cmp(&b["value"].as_f64().unwrap())
        })
        .unwrap();
    assert_eq!(largest["label"], "Romano Drom e.V.", "{brokers}");

    // Layered: what an organisation depends on stands above it — its funder, its umbrella.
    let layered = app.ok(
        "/api/v1/network?layout=layered&kinds=funding,member_of,part_of&city=Hagen",
        None,
    );
    let y = |label: &str| y_of(&layered, label);
    assert!(
        y("Fachbereich Integration") > y("Stadt Hagen"),
        "the unit below its city"
    );
    let around = app.ok(
        "/api/v1/network?layout=layered&kinds=funding,member_of&focus=Romano%20Drom",
        None,
    );
    let y = |label: &str| y_of(&around, label);
    assert!(
        y("Romano Drom") > y("Stiftung"),
        "the funder above its recipient"
    );
    assert!(
        y("Romano Drom") > y("Landesrat der Roma"),
        "the umbrella above its member"
    );

    // Bad parameters: every field at once; an unknown organisation is 404.
    let (status, body) = app.get(
        "/api/v1/network?depth=4&kind=castle&size=beauty&highlight=glow&path_from=Toflea",
        None,
    );
    assert_eq!(status, Status::UnprocessableEntity);
    let mut fields = TestApp::error_fields(&body);
    fields.sort();
    assert_eq!(fields, ["depth", "highlight", "kind", "path_to", "size"]);
    let (status, _) = app.get("/api/v1/network?focus=Nirgendwo", None);
    assert_eq!(status, Status::NotFound);

    // The page: the picture inline, and a table row per node.
    let (status, html) = page(&app.client, "/network?city=Hagen&as_of=2023");
    assert_eq!(status, Status::Ok);
    assert!(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"network-svg\""));
    let table = &html[html.find("id=\"network-nodes\"").expect("node table")..];
    let table = &table[..table.find("</table>").unwrap()];
    let rows = table.matches("<tr>").count() - 1;
    assert_eq!(rows, hagen_2023["nodes"].as_array().unwrap().len());
    let link = html
        .split("id=\"download-svg\" href=\"")
        .nth(1)
        .unwrap_or_default();
    assert!(link.starts_with("/network.svg?city=Hagen&"), "{link}");
    let (status, html) = page(&app.client, "/network?depth=9");
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("id=\"error-depth\""));
}

/// A Verein whose restricted chair works for the city.
fn tandem(app: &TestApp) -> (String, String) {
    let tok = app.editor();
    let org = |name: &str, kind: &str| {
        app.create(
            "organisations",
            &tok,
            json!({"name": name, "kind": kind, "city": "Duisburg"}),
        )
    };
    let verein = org(
        "Bulgarischer Kulturverein Duisburg e.V.",
        "migrant_organisation",
    );
    let stadt = org("Stadt Duisburg", "municipality");
    let chair = app.create(
        "persons",
        &tok,
        json!({"display_name": "Xenia Vorsitzlova", "visibility": "restricted"}),
    );
    for (org, role) in [(&verein, "chair"), (&stadt, "employee")] {
        let body = json!({"person_id": chair, "organisation_id": org, "role": role,
                          "start": "2022-03", "paid": false, "project_bound": false});
        app.create("affiliations", &tok, body);
    }
    app.settle();
    (verein, chair)
}

fn reads_of(app: &TestApp, person: &str) -> i64 {
    let mut c = app.db().conn().unwrap();
    person_reads::table
        .filter(person_reads::person_id.eq(person))
        .count()
        .get_result(&mut *c)
        .unwrap()
}

fn persons_folded_or_shown(app: &TestApp) {
    let (verein, chair) = tandem(app);
    let path = format!("/api/v1/network?focus={verein}&depth=2&persons=true");
    // Anonymous: the person is a weighted staff link, never a node, even when asked.
    let anonymous = app.ok(&path, None);
    let text = anonymous.to_string();
    assert!(
        !text.contains("Vorsitzlova") && !text.contains(&chair),
        "{text}"
    );
    let edges = anonymous["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 1, "{anonymous}");
    assert_eq!(
        (&edges[0]["kind"], &edges[0]["weight"]),
        (&json!("staff"), &json!(1))
    );
    let svg = svg(app, &format!("/network.svg?focus={verein}&persons=true"));
    assert!(!svg.contains("Vorsitzlova") && !svg.contains(&chair));
    assert_eq!(reads_of(app, &chair), 0);

    // Signed in, folded by default: no person shown, no read logged.
    let viewer = app.token(UserRole::Viewer);
    let folded = app.ok(&format!("/api/v1/network?focus={verein}"), Some(&viewer));
    assert!(!folded.to_string().contains("Vorsitzlova"));
    assert_eq!(reads_of(app, &chair), 0);
    // Asked for persons: the chair is a node, linked by two roles, and the read is logged.
    let shown = app.ok(&path, Some(&viewer));
    let person = shown["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"].is_null())
        .expect("a person node");
    assert_eq!(
        (&person["label"], &person["id"]),
        (&json!("Xenia Vorsitzlova"), &json!(chair))
    );
    let roles = shown["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "affiliation")
        .count();
    assert_eq!(roles, 2);
    assert_eq!(reads_of(app, &chair), 1);

    // The Verein's profile: roles over time only for signed-in visitors, the chair's
    // role marked as one side of a tandem; anonymous visitors get no timeline of a
    // restricted person.
    let (status, html) = page(&app.client, &format!("/organisations/{verein}"));
    assert_eq!(status, Status::Ok);
    assert!(!html.contains("id=\"roles-timeline\""));
    assert!(!html.contains("Vorsitzlova"));
    common::web::sign_in(app, UserRole::Viewer);
    let (_, html) = page(&app.client, &format!("/organisations/{verein}"));
    let timeline = &html[html.find("id=\"roles-timeline\"").expect("roles timeline")..];
    let timeline = &timeline[..timeline.find("</svg>").unwrap()];
    assert!(
        timeline.contains("Xenia Vorsitzlova · Vorsitz · Tandem"),
        "{timeline}"
    );
    assert_eq!(timeline.matches("class=\"marked\"").count(), 1);
}

/// An association funded three times by one funder: the profile shows its ego network
/// and one bar per dated grant, project-bound ones striped.
fn profile_pictures(app: &TestApp) {
    let tok = app.editor();
    let org = |name: &str, kind: &str| {
        app.create(
            "organisations",
            &tok,
            json!({"name": name, "kind": kind, "city": "Essen"}),
        )
    };
    let verein = org("Romano Jekhipe e.V.", "roma_self_organisation");
    let stiftung = org("Stiftung Mercator", "funder");
    for (start, end, project) in [
        ("2018", "2019", true),
        ("2020-03", "2020-12", true),
        ("2022", "", false),
    ] {
        let mut body = json!({"funder_id": stiftung, "recipient_id": verein, "start": start,
                              "amount_min": 1_000_000, "amount_max": 2_000_000,
                              "project_bound": project, "status": "granted"});
        if !end.is_empty() {
            body["end"] = json!(end);
        }
        app.create("fundings", &tok, body);
    }
    app.settle();
    let (status, html) = page(&app.client, &format!("/organisations/{verein}"));
    assert_eq!(status, Status::Ok);
    let ego = &html[html.find("id=\"ego-network\"").expect("ego network")..];
    let ego = &ego[ego.find("<svg").unwrap()..ego.find("</svg>").unwrap() + 6];
    let doc = roxmltree::Document::parse(ego).expect("well-formed");
    let nodes = doc
        .descendants()
        .filter(|n| n.has_tag_name("a") && n.attribute("class") == Some("node"))
        .count();
    assert_eq!(nodes, 2, "the association and its funder");
    let timeline = &html[html.find("id=\"funding-timeline\"").expect("timeline")..];
    let timeline = &timeline[timeline.find("<svg").unwrap()..timeline.find("</svg>").unwrap() + 6];
    let doc = roxmltree::Document::parse(timeline).expect("well-formed");
    let bars: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("grant"))
        .collect();
    assert_eq!(bars.len(), 3);
    assert_eq!(timeline.matches("url(#project-bound)").count(), 2);
    assert!(timeline.contains("Stiftung Mercator · 10.000 – 20.000 EUR"));
}

/// The body of a GET as text, with its status and content type.
fn fetch(app: &TestApp, path: &str) -> (Status, String, String) {
    let res = app.client.get(path.to_string()).dispatch();
    let status = res.status();
    let kind = res
        .content_type()
        .map(|c| c.to_string())
        .unwrap_or_default();
    (status, kind, res.into_string().unwrap_or_default())
}

/// Above the SVG limit (set to 10 nodes, so that the study's 43 organisations are a large
/// view) a view is still laid out on the server: its JSON has the same positions as when
/// drawn as SVG and says `drawn_as: canvas`; the page holds a canvas, the JSON address and
/// the colours instead of an SVG, and the SVG and PNG downloads are refused.
fn canvas_views(app: &TestApp) {
    app.load_seed();
    let small = app.instance_with(&[("network_svg_max_nodes", 10)]);
    let as_svg = app.ok("/api/v1/network", None);
    let on_canvas = small.ok("/api/v1/network", None);
    let nodes = on_canvas["nodes"].as_array().unwrap();
    assert!(
        nodes.len() > 40,
        "the study's organisations: {}",
        nodes.len()
    );
    assert_eq!(as_svg["drawn_as"], "svg");
    assert_eq!(on_canvas["drawn_as"], "canvas");
    assert!(on_canvas["too_large"].is_null());
    // The same layout: positions, sizes and links as in the SVG of the same view.
    assert_eq!(on_canvas["nodes"], as_svg["nodes"]);
    assert_eq!(on_canvas["edges"], as_svg["edges"]);
    for n in nodes {
        let (x, y) = (n["x"].as_f64().unwrap(), n["y"].as_f64().unwrap());
        assert!(
            (0.0..=1200.0).contains(&x) && (0.0..=800.0).contains(&y),
            "{n}"
        );
    }
    // A view within the limit stays SVG under the same setting.
    let hagen = small.ok("/api/v1/network?city=Hagen&kinds=funding", None);
    let count = hagen["nodes"].as_array().unwrap().len();
    assert!(
        (1..=10).contains(&count),
        "{count} nodes in Hagen's funding"
    );
    assert_eq!(hagen["drawn_as"], "svg");

    // The page: a canvas fed by the JSON of the same view, no SVG picture, no SVG/PNG
    // download; without JavaScript a message; the table lists every node.
    let (status, html) = page(&small.client, "/network?as_of=2023&size=funding");
    assert_eq!(status, Status::Ok);
    assert!(html.contains("<canvas id=\"network-canvas\""), "{html}");
    assert!(!html.contains("id=\"network-svg\""));
    assert!(!html.contains("id=\"download-svg\"") && !html.contains("id=\"download-png\""));
    assert!(html.contains("src=\"/static/network-canvas.js\""));
    assert!(html.contains("id=\"canvas-noscript\""));
    let src = html
        .split("data-src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the JSON's address");
    assert_eq!(
        src.replace("&#38;", "&").replace("&amp;", "&"),
        "/network.json?as_of=2023&size=funding"
    );
    // Its download starts while the page is read.
    assert!(html.contains(&format!(
        "<link rel=\"preload\" href=\"{src}\" as=\"fetch\" crossorigin=\"anonymous\">"
    )));
    let palette = html
        .split("data-palette=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the colours")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#35;", "#");
    let palette: Value = serde_json::from_str(&palette).expect("colours as JSON");
    let (_, blue) =
        knotenpunkt::picture::style::node(Some(knotenpunkt::domain::OrgKind::MigrantOrganisation));
    assert_eq!(palette["node"]["migrant_organisation"], blue);
    let (orange, _) = knotenpunkt::picture::style::edge("funding");
    assert_eq!(palette["edge"]["funding"], orange);
    let view = small.ok("/api/v1/network?as_of=2023&size=funding", None);
    let table = &html[html.find("id=\"network-nodes\"").expect("node table")..];
    let table = &table[..table.find("</table>").unwrap()];
    assert_eq!(
        table.matches("<tr>").count() - 1,
        view["nodes"].as_array().unwrap().len()
    );
    let status_line = html.split("id=\"network-status\"").nth(1).unwrap_or("");
    assert!(
        status_line.starts_with(&format!(
            " role=\"status\">{} Knoten",
            view["nodes"].as_array().unwrap().len()
        )),
        "{status_line:.80}"
    );
    assert!(html.contains(&format!(
        "data-drawn=\"{} Knoten, auf einer Zeichenfläche (Canvas) gezeichnet\"",
        view["nodes"].as_array().unwrap().len()
    )));
    // The script's JSON is the API's answer for the page's visitor.
    let (status, kind, body) = fetch(&small, "/network.json?as_of=2023&size=funding");
    assert_eq!((status, kind.as_str()), (Status::Ok, "application/json"));
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), view);

    // SVG and PNG of a canvas view: a clear 422 page naming the limit, not a drawing.
    for (file, query) in [("network.svg", ""), ("network.png", "as_of=2023")] {
        let count = small.ok(&format!("/api/v1/network?{query}"), None)["nodes"]
            .as_array()
            .unwrap()
            .len();
        let path = format!("/{file}?{query}");
        let (status, kind, body) = fetch(&small, &path);
        assert_eq!(status, Status::UnprocessableEntity, "{path}");
        assert!(kind.starts_with("text/html"), "{path}: {kind}");
        let said = format!(
            "Diese Ansicht hat {count} Knoten; als SVG und PNG werden Ansichten bis 10 Knoten gezeichnet."
        );
        assert!(body.contains(&said), "{path}: {body}");
    }
    // Within the limit the downloads still work under the low setting.
    let (status, kind, _) = fetch(&small, "/network.svg?city=Hagen&kinds=funding");
    assert_eq!((status, kind.as_str()), (Status::Ok, "image/svg+xml"));
}

/// A canvas view's JSON and page, anonymous: no restricted person's name, id, title or
/// role, even when persons are asked for; signed in and asked, persons are nodes and
/// their reads are logged, as for SVG pictures.
fn canvas_views_keep_persons_private(app: &TestApp) {
    let fx = common::privacy::build(app);
    let small = app.instance_with(&[("network_svg_max_nodes", 2)]);
    let focus = format!("focus={}&depth=2", fx.verein);
    for path in [
        "/api/v1/network?persons=true".to_string(),
        format!("/api/v1/network?{focus}&persons=true"),
        "/network.json?persons=true".to_string(),
        format!("/network.json?{focus}&persons=true"),
        "/network?persons=true".to_string(),
        format!("/network?{focus}&persons=true"),
    ] {
        small.settle();
        let (status, _, body) = fetch(&small, &path);
        assert_eq!(status, Status::Ok, "{path}");
        if path.starts_with("/network?") {
            assert!(body.contains("id=\"network-canvas\""), "{path}");
        } else {
            let v: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(v["drawn_as"], "canvas", "{path}");
            assert!(
                v["nodes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|n| n["kind"].is_string()),
                "{path}: no person nodes"
            );
            assert!(
                v["edges"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|e| e["kind"] != "affiliation"),
                "{path}: no roles"
            );
        }
        for p in fx.restricted() {
            for needle in [p.id.as_str(), p.name]
                .into_iter()
                .chain(p.titles.iter().copied())
            {
                assert!(
                    !body.contains(needle),
                    "{path} shows {} ({needle})",
                    fx.name_of(&p.id)
                );
            }
        }
    }
    for p in fx.restricted() {
        assert_eq!(reads_of(app, &p.id), 0);
    }
    let viewer = small.token(UserRole::Viewer);
    let shown = small.ok(
        &format!("/api/v1/network?{focus}&persons=true"),
        Some(&viewer),
    );
    assert_eq!(shown["drawn_as"], "canvas");
    let person = shown["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == fx.chair.id.as_str())
        .expect("the chair as a node");
    assert_eq!(person["label"], fx.chair.name);
    assert_eq!(reads_of(app, &fx.chair.id), 1);
}

on_both_backends!(
    persons_folded_or_shown,
    profile_pictures,
    canvas_views,
    canvas_views_keep_persons_private
);
