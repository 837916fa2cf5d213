//! Writes applied to the graph as deltas: the writing instance has its write in the graph
//! when it answers; a second instance follows by reading the change log, not by
//! reloading everything, and ends up with the snapshot a full build makes; and on random
//! graphs, applying the difference between two states equals building the second one.
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use common::TestApp;
use knotenpunkt::graph::{build_snapshot, Edge, GraphState, Node, Snapshot};
use knotenpunkt::store::snapshot::{
    AffiliationRow, FundingRow, OrgRow, PersonRow, RelationRow, Rows, Touched,
};
use petgraph::visit::EdgeRef;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rocket::http::Status;
use serde_json::{json, Value};

/// A snapshot as ids and values, free of node and edge indices (a delta and a full build
/// number them differently); and a check that its id and city indexes are right.
#[derive(Debug, PartialEq)]
struct Canon {
    version: i64,
    nodes: BTreeMap<String, String>,
    edges: BTreeMap<String, String>,
    cities: BTreeMap<String, BTreeSet<String>>,
}

fn canon(s: &Snapshot) -> Canon {
    let id = |n| match &s.graph[n] {
        Node::Organisation(o) => o.id.clone(),
        Node::Person(p) => p.id.clone(),
    };
    let ids = |v: &[petgraph::graph::NodeIndex]| {
        let mut ids: Vec<String> = v.iter().map(|&n| id(n)).collect();
        ids.sort();
        ids
    };
    let mut nodes = BTreeMap::new();
    for n in s.graph.node_indices() {
        assert_eq!(s.node(&id(n)), Some(n), "by_id finds {}", id(n));
        let text = match &s.graph[n] {
            Node::Organisation(o) => format!(
                "{} {:?} {:?} {:?} {:?} parent={:?}",
                o.name,
                o.short_name,
                o.kind,
                o.city,
                o.active,
                o.parent.map(id)
            ),
            Node::Person(p) => format!("{} restricted={}", p.name, p.restricted),
        };
        nodes.insert(id(n), text);
    }
    assert_eq!(s.by_id.len(), nodes.len(), "by_id holds no stale ids");
    let mut edges = BTreeMap::new();
    for e in s.graph.edge_references() {
        let w = e.weight();
        assert_eq!(
            s.edge_by_id.get(w.id()),
            Some(&e.id()),
            "edge_by_id finds {}",
            w.id()
        );
        let data = match w {
            Edge::Affiliation(a) => format!("{a:?}"),
            Edge::Relation(r) => format!("{r:?}"),
            Edge::Funding(f) => format!(
                "{:?} {:?} {:?} {:?} {:?} {:?} carriers={:?} co={:?}",
                f.programme,
                f.amount_min,
                f.amount_max,
                f.interval,
                f.project_bound,
                f.status,
                ids(&f.carriers),
                ids(&f.co_applicants)
            ),
        };
        edges.insert(
            w.id().to_string(),
            format!("{} -> {}: {data}", id(e.source()), id(e.target())),
        );
    }
    assert_eq!(
        s.edge_by_id.len(),
        edges.len(),
        "edge_by_id holds no stale ids"
    );
    let mut cities = BTreeMap::new();
    for (city, list) in &s.by_city {
        assert!(!list.is_empty(), "no empty city list for {city}");
        assert!(list.windows(2).all(|w| w[0] < w[1]), "{city} in node order");
        cities.insert(city.clone(), ids(list).into_iter().collect());
    }
    Canon {
        version: s.version,
        nodes,
        edges,
        cities,
    }
}

/// Equal snapshots, or a panic naming only what differs.
fn assert_same(got: &Canon, expected: &Canon, what: &str) {
    fn differ<V: PartialEq + std::fmt::Debug>(
        a: &BTreeMap<String, V>,
        b: &BTreeMap<String, V>,
    ) -> Vec<String> {
        a.keys()
            .chain(b.keys())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter(|k| a.get(*k) != b.get(*k))
            .map(|k| format!("{k}: {:?} != {:?}", a.get(k), b.get(k)))
            .collect()
    }
    let diffs = [
        differ(&got.nodes, &expected.nodes),
        differ(&got.edges, &expected.edges),
        differ(&got.cities, &expected.cities),
    ]
    .concat();
    assert!(
        got.version == expected.version && diffs.is_empty(),
        "{what}: version {} against {}; differences:\n{}",
        got.version,
        expected.version,
        diffs.join("\n")
    );
}

fn state(app: &TestApp) -> Arc<GraphState> {
    app.client
        .rocket()
        .state::<Arc<GraphState>>()
        .expect("graph state")
        .clone()
}

fn full_build(app: &TestApp) -> Snapshot {
    let mut conn = app.db().conn().expect("conn");
    build_snapshot(knotenpunkt::store::snapshot::load_all(&mut conn).expect("rows")).expect("build")
}

// ---------------------------------------------------------------------------
// Read-your-writes
// ---------------------------------------------------------------------------

fn a_write_is_in_the_graph_when_it_is_answered(app: &TestApp) {
    let editor = app.editor();
    app.settle();
    let builds = state(app).full_builds();
    let mut previous: Option<String> = None;
    for i in 0..20 {
        let id = app.create(
            "organisations",
            &editor,
            json!({"name": format!("Verein {i}"), "kind": "migrant_organisation", "city": "Hagen"}),
        );
        // No waiting: the answer to the write came after the graph had it.
        let (status, graph) = app.get(&format!("/api/v1/graph?focus={id}"), None);
        assert_eq!(status, Status::Ok, "try {i}: {graph}");
        assert!(
            graph["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .any(|n| n["id"] == id.as_str()),
            "try {i}: the new organisation is in its own network: {graph}"
        );
        if let Some(before) = previous {
            let rel = app.create(
                "relations",
                &editor,
                json!({"source_id": id, "target_id": before, "kind": "cooperates_with"}),
            );
            let (status, path) =
                app.get(&format!("/api/v1/graph/path?from={id}&to={before}"), None);
            assert_eq!(status, Status::Ok, "try {i}: {path}");
            assert_eq!(path["edges"][0]["id"], rel.as_str());
        }
        previous = Some(id);
    }
    let (status, _) = app.delete(
        &format!("/api/v1/organisations/{}", previous.clone().expect("one")),
        Some(&editor),
    );
    assert_eq!(status, Status::NoContent);
    let (status, _) = app.get(
        &format!("/api/v1/graph?focus={}", previous.expect("one")),
        None,
    );
    assert_eq!(
        status,
        Status::NotFound,
        "a deleted organisation is gone at once"
    );
    assert_eq!(
        state(app).full_builds(),
        builds,
        "the writes were applied as deltas, not by rebuilding"
    );
}

// ---------------------------------------------------------------------------
// A second instance follows every kind of change
// ---------------------------------------------------------------------------

struct Follow<'a> {
    app: &'a TestApp,
    other: TestApp,
    editor: String,
    steps: usize,
}

impl Follow<'_> {
    /// The other instance reaches the data version, by deltas, and its snapshot (and the
    /// writer's) equal a full build's.
    fn check(&mut self, what: &str) {
        self.steps += 1;
        let version = {
            let mut conn = self.app.db().conn().expect("conn");
            knotenpunkt::db::data_version(&mut conn).expect("version")
        };
        let other = state(&self.other);
        assert!(
            other.wait_for(version, Duration::from_secs(5)),
            "{what}: the other instance did not reach version {version}"
        );
        // (Writes outside a request, such as the editor's token, reach the writer's own
        // snapshot through the refresher too.)
        assert!(state(self.app).wait_for(version, Duration::from_secs(5)));
        let expected = canon(&full_build(self.app));
        assert_eq!(expected.version, version, "{what}: no write in between");
        assert_same(
            &canon(&other.current()),
            &expected,
            &format!("{what}: the follower"),
        );
        let writer = format!("{what}: the writer");
        assert_same(&canon(&state(self.app).current()), &expected, &writer);
        assert_eq!(
            other.full_builds(),
            1,
            "{what}: the follower built only at start"
        );
    }

    fn create(&mut self, what: &str, resource: &str, body: Value) -> String {
        let id = self.app.create(resource, &self.editor, body);
        self.check(&format!("create {what}"));
        id
    }

    fn update(&mut self, what: &str, resource: &str, id: &str, body: Value) {
        let (status, v) = self.app.put(
            &format!("/api/v1/{resource}/{id}"),
            Some(&self.editor),
            &body,
        );
        assert_eq!(status, Status::Ok, "update {what}: {v}");
        self.check(&format!("update {what}"));
    }

    fn delete(&mut self, what: &str, resource: &str, id: &str) {
        let (status, v) = self
            .app
            .delete(&format!("/api/v1/{resource}/{id}"), Some(&self.editor));
        assert_eq!(status, Status::NoContent, "delete {what}: {v}");
        self.check(&format!("delete {what}"));
    }

    fn restore(&mut self, what: &str, resource: &str, id: &str) {
        let (status, v) = self.app.post(
            &format!("/api/v1/{resource}/{id}/restore"),
            Some(&self.editor),
            &json!({}),
        );
        assert_eq!(status, Status::Ok, "restore {what}: {v}");
        self.check(&format!("restore {what}"));
    }
}

fn a_second_instance_follows_every_kind_of_change(app: &TestApp) {
    app.load_seed();
    app.settle();
    let mut f = Follow {
        app,
        other: app.second_instance(),
        editor: app.editor(),
        steps: 0,
    };
    f.check("start");
    let org =
        |name: &str, kind: &str, city: &str| json!({"name": name, "kind": kind, "city": city});
    let umbrella = f.create(
        "umbrella",
        "organisations",
        org("Dach", "state_association", "Köln"),
    );
    let mut member = org("Mitglied", "migrant_organisation", "Köln");
    member["parent_id"] = json!(umbrella);
    let member = f.create("member", "organisations", member);
    let funder = f.create("funder", "organisations", org("Stiftung", "funder", "Bonn"));
    let carrier = f.create(
        "carrier",
        "organisations",
        org("Träger", "welfare_organisation", "Bonn"),
    );
    f.update(
        "organisation (name, city)",
        "organisations",
        &member,
        json!({"name": "Mitglied e.V.", "kind": "migrant_organisation", "city": "Düsseldorf",
               "parent_id": umbrella, "founded": "2001"}),
    );

    let person = f.create(
        "person",
        "persons",
        json!({"display_name": "Erika Beispiel", "visibility": "restricted"}),
    );
    f.update(
        "person (visibility)",
        "persons",
        &person,
        json!({"display_name": "Erika Beispiel", "visibility": "public"}),
    );
    let role = f.create(
        "affiliation",
        "affiliations",
        json!({"person_id": person, "organisation_id": member, "role": "chair", "start": "2019"}),
    );
    f.update(
        "affiliation",
        "affiliations",
        &role,
        json!({"person_id": person, "organisation_id": member, "role": "co_chair",
               "start": "2019-05", "fields_of_work": ["youth"]}),
    );
    let grant = f.create(
        "funding",
        "fundings",
        json!({"funder_id": funder, "recipient_id": member, "status": "granted",
               "amount_min": 1000, "amount_max": 2000, "carrier_ids": [carrier],
               "co_applicant_ids": [umbrella]}),
    );
    f.update(
        "funding (partners)",
        "fundings",
        &grant,
        json!({"funder_id": funder, "recipient_id": member, "status": "ended",
               "amount_min": 1000, "amount_max": 2000, "co_applicant_ids": [carrier]}),
    );
    let relation = f.create(
        "relation",
        "relations",
        json!({"source_id": member, "target_id": umbrella, "kind": "member_of"}),
    );
    f.update(
        "relation",
        "relations",
        &relation,
        json!({"source_id": member, "target_id": umbrella, "kind": "member_of", "start": "2015"}),
    );

    // Links on their own.
    for (what, resource, id) in [
        ("affiliation", "affiliations", &role),
        ("funding", "fundings", &grant),
        ("relation", "relations", &relation),
    ] {
        f.delete(what, resource, id);
        f.restore(what, resource, id);
    }
    // Nodes, with the links that go and come back with them: the carrier named by a
    // funding, the parent of an organisation, a person with a role.
    f.delete("carrier", "organisations", &carrier);
    f.restore("carrier", "organisations", &carrier);
    f.delete("member (links cascade)", "organisations", &member);
    f.restore("member (links come back)", "organisations", &member);
    f.delete("person", "persons", &person);
    f.restore("person", "persons", &person);
    // Seeded organisations deleted in turn move the graph's last node into their place.
    let seeded: Vec<String> = app.ok("/api/v1/organisations?limit=5", None)["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|o| o["id"].as_str().expect("id").to_string())
        .collect();
    for id in &seeded {
        let (status, _) = app.delete(&format!("/api/v1/organisations/{id}"), Some(&f.editor));
        if status == Status::NoContent {
            f.check("delete a seeded organisation");
        }
    }
    assert!(f.steps > 25, "every step was checked");
}

on_both_backends!(
    a_write_is_in_the_graph_when_it_is_answered,
    a_second_instance_follows_every_kind_of_change
);

// ---------------------------------------------------------------------------
// Random graphs: applying the difference equals building anew
// ---------------------------------------------------------------------------

fn uuid(kind: u8, i: usize) -> String {
    format!("00000000-0000-7000-8{kind:03}-{i:012}")
}

/// A random registry; `salt` varies names, cities and dates between states.
fn random_rows(rng: &mut StdRng, version: i64) -> Rows {
    let cities = ["Köln", "köln", "Bonn", "Essen"];
    let maybe = |rng: &mut StdRng, s: &str| rng.gen_bool(0.5).then(|| s.to_string());
    let orgs = 30;
    let persons = 25;
    let mut rows = Rows {
        version,
        ..Default::default()
    };
    for i in 0..orgs {
        if rng.gen_bool(0.2) {
            continue; // deleted in this state
        }
        rows.organisations.push(OrgRow {
            id: uuid(1, i),
            name: format!("Org {i} {}", rng.gen_range(0..3)),
            short_name: maybe(rng, "KO"),
            kind: ["migrant_organisation", "funder", "municipality"][rng.gen_range(0..3)].into(),
            city: rng
                .gen_bool(0.8)
                .then(|| cities[rng.gen_range(0..cities.len())].to_string()),
            parent_id: rng.gen_bool(0.3).then(|| uuid(1, rng.gen_range(0..orgs))),
            founded: maybe(rng, "2001"),
            dissolved: None,
        });
    }
    for i in 0..persons {
        if rng.gen_bool(0.2) {
            continue;
        }
        rows.persons.push(PersonRow {
            id: uuid(2, i),
            name: format!("Person {i} {}", rng.gen_range(0..3)),
            visibility: ["public", "restricted"][rng.gen_range(0..2)].into(),
        });
    }
    for i in 0..40 {
        if rng.gen_bool(0.3) {
            continue;
        }
        rows.affiliations.push(AffiliationRow {
            id: uuid(3, i),
            person_id: uuid(2, rng.gen_range(0..persons)),
            organisation_id: uuid(1, rng.gen_range(0..orgs)),
            role: ["member", "chair"][rng.gen_range(0..2)].into(),
            start: maybe(rng, "2019"),
            end: None,
            paid: None,
            project_bound: rng.gen_bool(0.5),
            fields_of_work: String::new(),
        });
    }
    for i in 0..30 {
        if rng.gen_bool(0.3) {
            continue;
        }
        let id = uuid(4, i);
        for _ in 0..rng.gen_range(0..3) {
            let role = ["carrier", "co_applicant"][rng.gen_range(0..2)];
            let partner = uuid(1, rng.gen_range(0..orgs));
            if !rows
                .partners
                .iter()
                .any(|(f, o, _)| *f == id && *o == partner)
            {
                rows.partners.push((id.clone(), partner, role.into()));
            }
        }
        rows.fundings.push(FundingRow {
            id,
            funder_id: uuid(1, rng.gen_range(0..orgs)),
            recipient_id: uuid(1, rng.gen_range(0..orgs)),
            programme: maybe(rng, "KOMM-AN"),
            amount_min: Some(rng.gen_range(0..3)),
            amount_max: None,
            start: maybe(rng, "2020-01"),
            end: None,
            project_bound: false,
            status: ["granted", "applied"][rng.gen_range(0..2)].into(),
        });
    }
    for i in 0..40 {
        if rng.gen_bool(0.3) {
            continue;
        }
        rows.relations.push(RelationRow {
            id: uuid(5, i),
            source_id: uuid(1, rng.gen_range(0..orgs)),
            target_id: uuid(1, rng.gen_range(0..orgs)),
            kind: ["member_of", "cooperates_with"][rng.gen_range(0..2)].into(),
            start: maybe(rng, "2018"),
            end: None,
            approx_size: None,
        });
    }
    rows
}

/// What the store hands a snapshot at `old` to reach `new`: the records whose rows
/// differ, as they are in `new`; the live links of nodes new to the snapshot; the
/// partners of every funding handed over; and the children of touched organisations.
fn difference(old: &Rows, new: &Rows) -> (Touched, Rows, Vec<OrgRow>) {
    fn changed<T: PartialEq>(
        old: &[T],
        new: &[T],
        id: impl Fn(&T) -> &String,
        extra: impl Fn(&String) -> bool,
    ) -> BTreeSet<String> {
        fn find<'a, T>(rows: &'a [T], key: &str, id: &impl Fn(&T) -> &String) -> Option<&'a T> {
            rows.iter().find(|r| id(r) == key)
        }
        old.iter()
            .chain(new)
            .map(&id)
            .filter(|key| find(old, key, &id) != find(new, key, &id) || extra(key))
            .cloned()
            .collect()
    }
    fn partners_of<'a>(rows: &'a Rows, f: &str) -> Vec<&'a (String, String, String)> {
        let mut p: Vec<_> = rows.partners.iter().filter(|(id, _, _)| id == f).collect();
        p.sort();
        p
    }
    let touched = Touched {
        organisations: changed(&old.organisations, &new.organisations, |o| &o.id, |_| false),
        persons: changed(&old.persons, &new.persons, |p| &p.id, |_| false),
        affiliations: changed(&old.affiliations, &new.affiliations, |a| &a.id, |_| false),
        fundings: changed(
            &old.fundings,
            &new.fundings,
            |f| &f.id,
            |f| partners_of(old, f) != partners_of(new, f),
        ),
        relations: changed(&old.relations, &new.relations, |r| &r.id, |_| false),
    };
    let was_live = |id: &String| {
        old.organisations.iter().any(|o| &o.id == id) || old.persons.iter().any(|p| &p.id == id)
    };
    let new_node = |id: &String| {
        (touched.organisations.contains(id) || touched.persons.contains(id)) && !was_live(id)
    };
    let partnered_by_new: BTreeSet<&String> = new
        .partners
        .iter()
        .filter(|(_, o, _)| new_node(o))
        .map(|(f, _, _)| f)
        .collect();
    let rows = Rows {
        version: new.version,
        organisations: new
            .organisations
            .iter()
            .filter(|o| touched.organisations.contains(&o.id))
            .cloned()
            .collect(),
        persons: new
            .persons
            .iter()
            .filter(|p| touched.persons.contains(&p.id))
            .cloned()
            .collect(),
        affiliations: new
            .affiliations
            .iter()
            .filter(|a| {
                touched.affiliations.contains(&a.id)
                    || new_node(&a.person_id)
                    || new_node(&a.organisation_id)
            })
            .cloned()
            .collect(),
        fundings: new
            .fundings
            .iter()
            .filter(|f| {
                touched.fundings.contains(&f.id)
                    || new_node(&f.funder_id)
                    || new_node(&f.recipient_id)
                    || partnered_by_new.contains(&f.id)
            })
            .cloned()
            .collect(),
        partners: Vec::new(),
        relations: new
            .relations
            .iter()
            .filter(|r| {
                touched.relations.contains(&r.id)
                    || new_node(&r.source_id)
                    || new_node(&r.target_id)
            })
            .cloned()
            .collect(),
    };
    let handed: BTreeSet<&String> = rows.fundings.iter().map(|f| &f.id).collect();
    let partners = new
        .partners
        .iter()
        .filter(|(f, _, _)| handed.contains(f))
        .cloned()
        .collect();
    let children = new
        .organisations
        .iter()
        .filter(|o| {
            o.parent_id
                .as_ref()
                .is_some_and(|p| touched.organisations.contains(p))
        })
        .cloned()
        .collect();
    (touched, Rows { partners, ..rows }, children)
}

fn clone_rows(r: &Rows) -> Rows {
    Rows {
        version: r.version,
        organisations: r.organisations.clone(),
        persons: r.persons.clone(),
        affiliations: r.affiliations.clone(),
        fundings: r.fundings.clone(),
        partners: r.partners.clone(),
        relations: r.relations.clone(),
    }
}

#[test]
fn applying_the_difference_equals_a_full_build_on_random_graphs() {
    let mut rng = StdRng::seed_from_u64(12);
    for case in 0..300 {
        let old = random_rows(&mut rng, 1);
        let mut snapshot = build_snapshot(clone_rows(&old)).expect("old");
        let mut at = old;
        // A few steps in a row, so that deltas build on deltas.
        for step in 0..4 {
            let new = random_rows(&mut rng, at.version + 1);
            let (touched, rows, children) = difference(&at, &new);
            let before = canon(&snapshot);
            let mut next = snapshot.copy_for_changes();
            next.apply(&touched, &rows, &children).expect("apply");
            let expected = build_snapshot(clone_rows(&new)).expect("new");
            assert_same(
                &canon(&next),
                &canon(&expected),
                &format!("case {case}, step {step}"),
            );
            // The snapshot it came from, sharing its data, is untouched.
            assert_same(
                &canon(&snapshot),
                &before,
                &format!("case {case}, step {step}"),
            );
            snapshot = next;
            at = new;
        }
    }
}
