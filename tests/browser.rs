//! A new user's first visit in headless Chromium through WebDriver (chromedriver):
//! sign in, register an organisation, add a person with a role and a funding, see a
//! validation error beside its field, switch to English, sign out. Screenshots go to
//! target/screenshots/. Skipped when Chromium is missing, unless
//! KNOTENPUNKT_REQUIRE_BROWSER is set (CI sets it).
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use knotenpunkt::app::Db;
use knotenpunkt::domain::UserRole;
use knotenpunkt::service::tokens;
use serde_json::json;

const USER: &str = "anna";
const PASSWORD: &str = "ein langes Passwort";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn installed(path: &str) -> bool {
    std::path::Path::new(path).exists()
}

/// Starts Knotenpunkt on a free loopback port with the seed data and one editor.
fn start_app(dir: &tempfile::TempDir) -> u16 {
    let port = free_port();
    let figment = rocket::Config::figment()
        .merge((
            "database_url",
            dir.path().join("browser.db").display().to_string(),
        ))
        .merge(("port", port))
        .merge(("address", "127.0.0.1"))
        .merge(("log_level", "off"));
    let rocket = knotenpunkt::app::build(figment).expect("app");
    {
        let mut conn = rocket.state::<Db>().expect("db").conn().expect("conn");
        tokens::add_user_with_token(&mut conn, USER, UserRole::Editor).expect("user");
        tokens::set_password(&mut conn, USER, PASSWORD).expect("password");
    }
    std::thread::spawn(move || {
        // Runs until the test process ends.
        let _ = rocket::execute(rocket.launch());
    });
    wait_for_port(port);
    port
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn session(driver_port: u16, profile: &std::path::Path) -> Client {
    let args = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1200,900",
    ];
    let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let caps = json!({ "goog:chromeOptions": { "binary": "/usr/bin/chromium", "args": args } });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
    ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("WebDriver session")
}

fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(screenshot_dir().join(format!("{name}.png")), png).expect("write screenshot");
}

async fn fill(c: &Client, css: &str, text: &str) {
    let field = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("field {css}"));
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

async fn choose(c: &Client, css: &str, value: &str) {
    let select = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("select {css}"));
    select.select_by_value(value).await.expect("choose");
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("element {css}"))
        .click()
        .await
        .expect("click");
}

async fn text(c: &Client, css: &str) -> String {
    c.wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("element {css}"))
        .text()
        .await
        .expect("text")
}

async fn journey(c: &Client, base: &str) {
    c.goto(&format!("{base}/")).await.expect("start page");
    assert!(text(c, "h1").await.contains("Knotenpunkt"));
    shot(c, "start").await;

    click(c, "#signin-link").await;
    fill(c, "#name", USER).await;
    fill(c, "#password", PASSWORD).await;
    click(c, "#signin-submit").await;
    assert!(text(c, ".who").await.contains(USER), "signed in");

    c.goto(&format!("{base}/organisations/new"))
        .await
        .expect("form");
    fill(c, "#name", "Roma Kulturverein Bochum e.V.").await;
    choose(c, "#kind", "roma_self_organisation").await;
    fill(c, "#city", "Bochum").await;
    fill(c, "#founded", "2021").await;
    shot(c, "form").await;
    click(c, "#save").await;
    assert_eq!(text(c, "#org-name").await, "Roma Kulturverein Bochum e.V.");
    assert!(text(c, "#org-city").await.contains("Bochum"));
    assert_eq!(text(c, "#org-founded").await, "2021");
    let profile = c.current_url().await.expect("url").to_string();

    click(c, "#add-person").await;
    fill(c, "#display_name", "Vorsitz Kulturverein Bochum").await;
    choose(c, "#role", "chair").await;
    fill(c, "#start", "2021").await;
    click(c, "#save").await;
    assert!(
        text(c, "#people")
            .await
            .contains("Vorsitz Kulturverein Bochum"),
        "person on the profile"
    );

    click(c, "#add-funding").await;
    fill(c, "#funder", "Stiftung EVZ").await;
    fill(c, "#amount", "10.000 – 20.000").await;
    fill(c, "#start", "2022").await;
    click(c, "#save").await;
    let funding = text(c, "#funding").await;
    assert!(
        funding.contains("Erinnerung, Verantwortung und Zukunft")
            && funding.contains("10.000 – 20.000 EUR"),
        "{funding}"
    );
    shot(c, "profile").await;

    c.goto(&format!("{base}/organisations/new"))
        .await
        .expect("form");
    fill(c, "#name", "Verein mit falschem Datum").await;
    choose(c, "#kind", "migrant_organisation").await;
    fill(c, "#founded", "2024-13").await;
    click(c, "#save").await;
    assert!(text(c, "#error-founded").await.contains("not a valid date"));
    let kept = c
        .find(Locator::Css("#founded"))
        .await
        .expect("field")
        .prop("value")
        .await
        .expect("value");
    assert_eq!(kept.as_deref(), Some("2024-13"), "typed value kept");

    fill(c, "#name", "<script>document.title='pwned'</script>").await;
    fill(c, "#founded", "2020").await;
    click(c, "#save").await;
    assert_eq!(
        text(c, "#org-name").await,
        "<script>document.title='pwned'</script>"
    );
    // Had the script run, the title would be exactly "pwned"; as text it is part of it.
    let title = c.title().await.expect("title");
    assert!(
        title.ends_with("· Knotenpunkt"),
        "stored markup is not run: {title}"
    );

    click(c, "#lang-switch").await;
    assert!(
        text(c, "nav").await.contains("Organisations"),
        "English after the switch"
    );
    c.goto(&format!("{base}/organisations"))
        .await
        .expect("list");
    assert_eq!(
        text(c, "h1").await,
        "Organisations",
        "the choice is remembered"
    );

    click(c, "#signout").await;
    c.goto(&profile).await.expect("profile");
    assert!(
        !text(c, "#people")
            .await
            .contains("Vorsitz Kulturverein Bochum"),
        "names gone after sign-out"
    );
}

#[test]
fn a_new_user_registers_an_organisation_with_a_person_and_funding() {
    if !installed("/usr/bin/chromium") || !installed("/usr/bin/chromedriver") {
        assert!(
            std::env::var_os("KNOTENPUNKT_REQUIRE_BROWSER").is_none(),
            "chromium and chromedriver are required"
        );
        eprintln!("skipped: /usr/bin/chromium or /usr/bin/chromedriver missing");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let base = format!("http://127.0.0.1:{}", start_app(&dir));
    let driver_port = free_port();
    let _driver = Driver(
        Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver"),
    );
    wait_for_port(driver_port);
    let runtime = rocket::tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let client = session(driver_port, &dir.path().join("chrome-profile")).await;
        journey(&client, &base).await;
        client.close().await.expect("close");
    });
}
