//! Page rendering on the study's seed data through Rocket's local client.
//! Run: cargo bench --bench pages
use criterion::{criterion_group, criterion_main, Criterion};
use knotenpunkt::domain::UserRole;
use knotenpunkt::service::tokens;
use rocket::http::{ContentType, Status};
use rocket::local::blocking::Client;

fn seeded_client(dir: &tempfile::TempDir) -> Client {
    let figment = rocket::Config::figment()
        .merge((
            "database_url",
            dir.path().join("pages.db").display().to_string(),
        ))
        .merge(("log_level", "off"));
    let rocket = knotenpunkt::app::build(figment).expect("app");
    let client = Client::tracked(rocket).expect("client");
    let mut conn = client
        .rocket()
        .state::<knotenpunkt::db::Db>()
        .expect("db")
        .conn()
        .expect("conn");
    tokens::add_user_with_token(&mut conn, "bench", UserRole::Editor).expect("user");
    tokens::set_password(&mut conn, "bench", "bench-password").expect("password");
    client
}

fn first_link(html: &str, prefix: &str) -> String {
    let start = html.find(prefix).expect("a link") + "href=\"".len();
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

fn pages(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let client = seeded_client(&dir);
    let list = client
        .get("/organisations?q=Romano%20Drom")
        .dispatch()
        .into_string()
        .unwrap_or_default();
    let profile = first_link(&list, "href=\"/organisations/0");
    let mut group = c.benchmark_group("pages");
    for (name, path) in [
        ("start", "/"),
        ("organisations", "/organisations"),
        ("profile", profile.as_str()),
    ] {
        group.bench_function(format!("{name} (anonymous)"), |b| {
            b.iter(|| assert_eq!(client.get(path.to_string()).dispatch().status(), Status::Ok))
        });
    }
    let signin = client
        .get("/signin")
        .dispatch()
        .into_string()
        .unwrap_or_default();
    let csrf = signin
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_default()
        .to_string();
    let res = client
        .post("/signin")
        .header(ContentType::Form)
        .body(format!("csrf={csrf}&name=bench&password=bench-password"))
        .dispatch();
    assert_eq!(res.status(), Status::SeeOther);
    let with_names = client
        .get(profile.clone())
        .dispatch()
        .into_string()
        .unwrap_or_default();
    let person = first_link(&with_names, "href=\"/persons/0");
    // Signed-in pages that name persons also write the person read log.
    for (name, path) in [
        ("profile", profile.as_str()),
        ("person", person.as_str()),
        ("organisation form", "/organisations/new"),
    ] {
        group.bench_function(format!("{name} (signed in)"), |b| {
            b.iter(|| assert_eq!(client.get(path.to_string()).dispatch().status(), Status::Ok))
        });
    }
    group.finish();
}

criterion_group!(benches, pages);
criterion_main!(benches);
