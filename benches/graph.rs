//! The graph engine against the naive alternative, the same question asked in SQL of the
//! same SQLite file: `KP_BENCH_SCALE=0.1 cargo bench --bench graph` (default scale 1.0).
//! The data set is generated once into `target/bench-data/scale-<S>.db`; benches/README.md.
mod common;
use std::time::{Duration, Instant};

use criterion::{black_box, criterion_group, criterion_main, Criterion, SamplingMode};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use petgraph::graph::NodeIndex;

use knotenpunkt::db::{self, DbConn, Pool};
use knotenpunkt::graph::network::{KindFilter, View};
use knotenpunkt::graph::{self, centrality, dependencies, funding, overlaps};
use knotenpunkt::graph::{Snapshot, TimeFilter, Viewer};
use knotenpunkt::store::snapshot::load_all;

const ALL: TimeFilter = TimeFilter::ALL;
const CITY: &str = "Stadt 000";
const EGO_NODES: usize = 5_000;

/// Two intervals of rows `a` and `b` meet (dates are compared as text: exact for years).
const MEET: &str = "(a.start_date IS NULL OR b.end_date IS NULL OR a.start_date <= b.end_date)
    AND (b.start_date IS NULL OR a.end_date IS NULL OR b.start_date <= a.end_date)";
const SELF_ORGS: &str = "('migrant_organisation', 'roma_self_organisation', \
    'state_association', 'federal_association', 'european_association')";
const EMPLOYERS: &str = "('municipality', 'municipal_unit', 'state_body', 'welfare_organisation')";
const JOBS: &str = "('employee', 'project_staff', 'mediator', 'language_mediator', 'adviser')";
const BOARD: &str = "('chair', 'co_chair', 'board_member', 'treasurer')";

fn staff_sql() -> String {
    "SELECT b.organisation_id AS org, o.name AS name, COUNT(DISTINCT a.person_id) AS n
     FROM affiliations a
     JOIN persons p ON p.id = a.person_id AND p.deleted_at IS NULL
     JOIN affiliations b ON b.person_id = a.person_id AND b.deleted_at IS NULL
     JOIN organisations o ON o.id = b.organisation_id AND o.deleted_at IS NULL
     WHERE a.organisation_id = ?1 AND a.deleted_at IS NULL AND b.organisation_id <> ?1
     GROUP BY b.organisation_id ORDER BY n DESC, o.name"
        .into()
}

fn tandem_sql() -> String {
    format!(
        "SELECT so.name AS a, eo.name AS b, p.display_name AS c, a.role AS d, b.role AS e,
                a.start_date AS f, b.end_date AS g
         FROM affiliations a
         JOIN organisations so ON so.id = a.organisation_id AND so.deleted_at IS NULL
         JOIN persons p ON p.id = a.person_id AND p.deleted_at IS NULL
         JOIN affiliations b ON b.person_id = a.person_id AND b.deleted_at IS NULL
              AND b.organisation_id <> a.organisation_id
         JOIN organisations eo ON eo.id = b.organisation_id AND eo.deleted_at IS NULL
         WHERE a.deleted_at IS NULL AND so.kind IN {SELF_ORGS} AND eo.kind IN {EMPLOYERS}
           AND b.role IN {JOBS} AND (so.city = ?1 OR eo.city = ?1) AND {MEET}
         ORDER BY so.name, eo.name"
    )
}

/// Funding overlap in SQL is three questions: shares per funder, co-funded
/// organisations, pairs of overlapping grants.
fn funding_sql() -> [String; 3] {
    [
        "SELECT f.funder_id AS org, COUNT(*) AS n,
                SUM(COALESCE(f.amount_min, f.amount_max, 0)) AS lo,
                SUM(COALESCE(f.amount_max, f.amount_min, 0)) AS hi
         FROM fundings f JOIN organisations o ON o.id = f.funder_id AND o.deleted_at IS NULL
         WHERE f.recipient_id = ?1 AND f.deleted_at IS NULL GROUP BY f.funder_id"
            .into(),
        "SELECT g.recipient_id AS org, o.name AS name, COUNT(DISTINCT g.funder_id) AS n
         FROM fundings f
         JOIN organisations fo ON fo.id = f.funder_id AND fo.deleted_at IS NULL
         JOIN fundings g ON g.funder_id = f.funder_id AND g.deleted_at IS NULL
              AND g.recipient_id <> ?1
         JOIN organisations o ON o.id = g.recipient_id AND o.deleted_at IS NULL
         WHERE f.recipient_id = ?1 AND f.deleted_at IS NULL
         GROUP BY g.recipient_id ORDER BY n DESC, o.name"
            .into(),
        format!(
            "SELECT a.id AS org, b.id AS name, 1 AS n
             FROM fundings a
             JOIN fundings b ON b.recipient_id = a.recipient_id AND b.id > a.id
                  AND b.deleted_at IS NULL
             JOIN organisations fa ON fa.id = a.funder_id AND fa.deleted_at IS NULL
             JOIN organisations fb ON fb.id = b.funder_id AND fb.deleted_at IS NULL
             WHERE a.recipient_id = ?1 AND a.deleted_at IS NULL AND {MEET}"
        ),
    ]
}

fn dependencies_sql() -> String {
    let live = |column| format!("JOIN organisations x ON x.id = {column} AND x.deleted_at IS NULL");
    format!(
        "SELECT d.org AS org, o.name AS name, d.kind AS kind FROM (
           SELECT c.parent_id AS org, 'parent' AS kind FROM organisations c {}
             WHERE c.id = ?1
           UNION ALL SELECT f.funder_id, 'funding' FROM fundings f {}
             WHERE f.recipient_id = ?1 AND f.deleted_at IS NULL
           UNION ALL SELECT r.source_id, r.kind FROM relations r {}
             WHERE r.target_id = ?1 AND r.deleted_at IS NULL
               AND r.kind IN ('carrier_of', 'supported_founding_of')
           UNION ALL SELECT r.target_id, r.kind FROM relations r {}
             WHERE r.source_id = ?1 AND r.deleted_at IS NULL
               AND r.kind IN ('part_of', 'member_of', 'founded_on_initiative_of', 'relies_on')
           UNION ALL SELECT b.organisation_id, 'staffing' FROM affiliations a
             JOIN persons p ON p.id = a.person_id AND p.deleted_at IS NULL
             JOIN affiliations b ON b.person_id = a.person_id AND b.deleted_at IS NULL
                  AND b.organisation_id <> ?1
             {} WHERE a.organisation_id = ?1 AND a.deleted_at IS NULL
               AND a.role IN {BOARD} AND b.role IN {JOBS} AND {MEET}
         ) d JOIN organisations o ON o.id = d.org ORDER BY o.name",
        live("c.parent_id"),
        live("f.funder_id"),
        live("r.source_id"),
        live("r.target_id"),
        live("b.organisation_id"),
    )
}

fn pairs_sql(concurrent: bool) -> String {
    format!(
        "SELECT a.organisation_id AS org, b.organisation_id AS name,
                COUNT(DISTINCT a.person_id) AS n
         FROM affiliations a
         JOIN persons p ON p.id = a.person_id AND p.deleted_at IS NULL
         JOIN affiliations b ON b.person_id = a.person_id AND b.deleted_at IS NULL
              AND b.organisation_id > a.organisation_id
         JOIN organisations oa ON oa.id = a.organisation_id AND oa.deleted_at IS NULL
         JOIN organisations ob ON ob.id = b.organisation_id AND ob.deleted_at IS NULL
         WHERE a.deleted_at IS NULL AND {}
         GROUP BY a.organisation_id, b.organisation_id ORDER BY n DESC LIMIT 20",
        if concurrent { MEET } else { "1" }
    )
}

/// A row struct for `sql_query`: fields are read as an answer would read them.
macro_rules! row {
    ($name:ident { $($field:ident: $sql:ty => $rust:ty),* }) => {
        #[derive(QueryableByName)]
        #[allow(dead_code)]
        struct $name { $(#[diesel(sql_type = $sql)] $field: $rust),* }
    };
}
row!(Counted { org: Text => String, name: Text => String, n: BigInt => i64 });
row!(Shares { org: Text => String, n: BigInt => i64, lo: BigInt => i64, hi: BigInt => i64 });
row!(Reason { org: Text => String, name: Text => String, kind: Text => String });
row!(Tandem { a: Text => String, b: Text => String, c: Text => String, d: Text => String,
    e: Text => String, f: Nullable<Text> => Option<String>, g: Nullable<Text> => Option<String> });

fn rows<T: QueryableByName<diesel::sqlite::Sqlite> + 'static>(
    conn: &mut SqliteConnection,
    query: &str,
    param: &str,
) -> Vec<T> {
    let q = diesel::sql_query(query).bind::<Text, _>(param);
    q.load(conn).expect("SQL query")
}

/// Resident memory in KiB after returning freed heap to the system.
fn rss_kib() -> u64 {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: glibc's malloc_trim only releases free heap pages.
        unsafe { malloc_trim(0) };
    }
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let resident = statm.split(' ').nth(1);
    let pages: u64 = resident.and_then(|p| p.parse().ok()).unwrap_or(0);
    pages * 4 // 4 KiB pages (x86-64)
}

fn first_build(pool: &Pool) -> Snapshot {
    let mut conn = pool.get().expect("connection");
    let before = rss_kib();
    let started = Instant::now();
    let rows = load_all(&mut conn).expect("load_all");
    let (loaded, with_rows) = (started.elapsed(), rss_kib());
    let snap = graph::build_snapshot(rows).expect("build_snapshot");
    let (built, after) = (started.elapsed(), rss_kib());
    eprintln!(
        "snapshot: {} nodes, {} edges; first load_all {loaded:.2?}, with build {built:.2?}; \
         RSS +{} MiB with the rows loaded, +{} MiB for the snapshot (rows dropped)",
        snap.graph.node_count(),
        snap.graph.edge_count(),
        with_rows.saturating_sub(before) / 1024,
        after.saturating_sub(before) / 1024,
    );
    snap
}

/// The organisation with the highest `score` (the first of equals).
fn most(s: &Snapshot, score: impl Fn(NodeIndex) -> usize) -> (NodeIndex, String) {
    let (n, o) = s
        .organisations()
        .max_by_key(|(n, _)| (score(*n), std::cmp::Reverse(*n)))
        .expect("organisations");
    eprintln!("  picked {} ({}) with score {}", o.name, o.id, score(n));
    (n, o.id.clone())
}

/// One group with the graph answer and the SQL answer to the same question.
fn pair<A, B>(
    c: &mut Criterion,
    name: &str,
    slow: bool,
    mut on_graph: impl FnMut() -> A,
    mut on_sql: impl FnMut() -> B,
) {
    let mut g = c.benchmark_group(name);
    if slow {
        g.sample_size(10).sampling_mode(SamplingMode::Flat);
        g.warm_up_time(Duration::from_secs(1));
    }
    g.bench_function("graph", |b| b.iter(|| black_box(on_graph())));
    g.bench_function("sql", |b| b.iter(|| black_box(on_sql())));
    g.finish();
}

fn benches(c: &mut Criterion) {
    let scale = std::env::var("KP_BENCH_SCALE").map_or(1.0, |s| s.parse().expect("a number"));
    let path = common::database(scale);
    let (pool, _) = db::connect_pool(path.to_str().expect("utf-8 path"), 2).expect("open");
    // Built on another thread, as in the server (queries run on Rocket's workers): the
    // rows' garbage stays out of the malloc arena the queries allocate from.
    let s = std::thread::scope(|t| t.spawn(|| first_build(&pool)).join().expect("build"));
    let mut sql_conn = pool.get().expect("connection");
    let DbConn::Sqlite(sql) = &mut *sql_conn else {
        unreachable!("the bench database is SQLite")
    };

    eprintln!("staff overlaps: the organisation with the most staff");
    let (org, id) = most(&s, |n| s.staff_of(n).count());
    let q = staff_sql();
    let staff = || overlaps::staff_overlaps(&s, org, &ALL, false, Viewer::SignedIn);
    let mut by_sql = || rows::<Counted>(sql, &q, &id);
    assert_eq!(staff().len(), by_sql().len());
    pair(c, "staff_overlaps", false, staff, by_sql);

    let q = tandem_sql();
    let tandem = || {
        overlaps::tandem(
            &s,
            &ALL,
            Some(CITY),
            None,
            Viewer::SignedIn,
            overlaps::Paging::ALL,
        )
    };
    let mut by_sql = || rows::<Tandem>(sql, &q, CITY);
    let roles = || tandem().roles.map_or(0, |r| r.len());
    eprintln!("tandem in {CITY}: {} roles", roles());
    assert_eq!(roles(), by_sql().len());
    pair(c, "tandem_city", true, tandem, by_sql);

    eprintln!("funding overlap: the organisation with the most grants");
    let (org, id) = most(&s, |n| s.grants_to(n).count());
    let [q1, q2, q3] = funding_sql();
    let fo = funding::funding_overlap(&s, org, &ALL).expect("an organisation");
    assert_eq!(fo.funders.len(), rows::<Shares>(sql, &q1, &id).len());
    assert_eq!(fo.co_funded.len(), rows::<Counted>(sql, &q2, &id).len());
    assert_eq!(
        fo.overlapping_grants.len(),
        rows::<Counted>(sql, &q3, &id).len()
    );
    let by_sql = |sql: &mut SqliteConnection| {
        let shares = rows::<Shares>(sql, &q1, &id);
        (
            shares,
            rows::<Counted>(sql, &q2, &id),
            rows::<Counted>(sql, &q3, &id),
        )
    };
    let by_graph = || funding::funding_overlap(&s, org, &ALL);
    pair(c, "funding_overlap", false, by_graph, || by_sql(sql));

    eprintln!("dependencies: the organisation with the most reasons to depend on others");
    let deps = |n| dependencies::dependencies(&s, n, &ALL, Viewer::SignedIn);
    let reasons = |n| deps(n).iter().map(|d| d.reasons.len()).sum::<usize>();
    let (org, id) = most(&s, reasons);
    let q = dependencies_sql();
    assert_eq!(reasons(org), rows::<Reason>(sql, &q, &id).len());
    pair(
        c,
        "dependencies",
        false,
        || deps(org),
        || rows::<Reason>(sql, &q, &id),
    );

    for (concurrent, name) in [
        (false, "staff_pairs_top20"),
        (true, "staff_pairs_top20_concurrent"),
    ] {
        let q = pairs_sql(concurrent);
        let by_sql = |sql: &mut SqliteConnection| -> Vec<Counted> {
            diesel::sql_query(&q).load(sql).expect("SQL query")
        };
        let by_graph = || overlaps::staff_pairs(&s, &ALL, concurrent, 20);
        let counts: Vec<i64> = by_graph().iter().map(|p| p.shared_persons.into()).collect();
        assert_eq!(counts, by_sql(sql).iter().map(|r| r.n).collect::<Vec<_>>());
        // The top counts tie easily: compare all pairs (how many, persons summed) too, on
        // another thread so that its garbage stays out of this thread's malloc arena.
        let all = || overlaps::staff_pairs(&s, &ALL, concurrent, usize::MAX);
        let all = || {
            all()
                .iter()
                .fold((0, 0), |(n, x), p| (n + 1, x + p.shared_persons))
        };
        let (len, sum) = std::thread::scope(|t| t.spawn(all).join().expect("pairs"));
        let q_all = format!(
            "SELECT '' AS org, SUM(n) || '' AS name, COUNT(*) AS n FROM ({})",
            q.replace("LIMIT 20", "")
        );
        let totals = diesel::sql_query(q_all)
            .get_result::<Counted>(sql)
            .expect("SQL");
        eprintln!("staff pairs (concurrent {concurrent}): {len} pairs, top {counts:?}");
        assert_eq!((len, sum.to_string()), (totals.n, totals.name));
        pair(c, name, true, by_graph, || by_sql(sql));
    }

    let kinds = KindFilter::default();
    let view = View {
        s: &s,
        time: ALL,
        kinds,
    };
    let hub = s
        .graph
        .node_indices()
        .max_by_key(|&n| view.neighbours(n).count());
    let hub = hub.expect("nodes");
    let mut ego = view.ego(hub, 2);
    if ego.len() < EGO_NODES {
        ego = view.ego(hub, 3);
    }
    ego.truncate(EGO_NODES);
    let whole = centrality::Csr::build(&view, None);
    eprintln!(
        "betweenness: {} nodes around {:?} ({} neighbours); the whole graph has {} nodes",
        ego.len(),
        s.org(hub).map(|o| o.name.as_str()),
        view.neighbours(hub).count(),
        whole.len(),
    );
    let mut g = c.benchmark_group("betweenness");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    g.bench_function("exact_ego_5000", |b| {
        b.iter(|| {
            let csr = centrality::Csr::build(&view, Some(&ego));
            centrality::betweenness_scores(&csr, usize::MAX, 0, 7)
        })
    });
    g.bench_function("csr_whole_graph", |b| {
        b.iter(|| centrality::Csr::build(&view, None))
    });
    g.bench_function("sampled_500_whole_graph", |b| {
        b.iter(|| centrality::betweenness_scores(&whole, 0, 500, 7))
    });
    g.finish();

    // Last, because it churns this thread's heap.
    let mut g = c.benchmark_group("rebuild");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    let mut conn = pool.get().expect("connection");
    let mut load = || load_all(&mut conn).expect("load_all");
    g.bench_function("load_all", |b| b.iter(&mut load));
    g.bench_function("load_all+build_snapshot", |b| {
        b.iter(|| graph::build_snapshot(load()).expect("build"))
    });
    g.finish();
}

criterion_group!(graph_benches, benches);
criterion_main!(graph_benches);
