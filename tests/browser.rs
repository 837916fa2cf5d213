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
use knotenpunkt::db::Db;
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

/// Finds an element, giving a page that is still loading a moment to show it.
async fn find(
    c: &Client,
    css: &str,
) -> Result<fantoccini::elements::Element, fantoccini::error::CmdError> {
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
}

async fn fill(c: &Client, css: &str, text: &str) {
    let field = find(c, css).await.unwrap_or_else(|_| panic!("field {css}"));
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

async fn choose(c: &Client, css: &str, value: &str) {
    let select = find(c, css)
        .await
        .unwrap_or_else(|_| panic!("select {css}"));
    select.select_by_value(value).await.expect("choose");
}

async fn click(c: &Client, css: &str) {
    find(c, css)
        .await
        .unwrap_or_else(|_| panic!("element {css}"))
        .click()
        .await
        .expect("click");
}

/// Waits until the element `css` exists and its text satisfies `expected`, and returns that
/// text. Form posts navigate asynchronously after a click, so every step waits for the page
/// it expects instead of reading whatever page is showing; on timeout the panic shows what
/// the browser had instead.
async fn text_when(c: &Client, css: &str, what: &str, expected: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(element) = c.find(Locator::Css(css)).await {
            if let Ok(text) = element.text().await {
                if expected(&text) {
                    return text;
                }
            }
        }
        if Instant::now() > deadline {
            let url = c.current_url().await.map(|u| u.to_string());
            let body = match c.find(Locator::Css("body")).await {
                Ok(body) => body.text().await.unwrap_or_default(),
                Err(e) => format!("(no body: {e})"),
            };
            shot(c, "failure").await;
            panic!("waited for {css} ({what}); the browser shows {url:?}:\n{body}");
        }
        rocket::tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn text(c: &Client, css: &str) -> String {
    text_when(c, css, "present", |_| true).await
}

async fn text_with(c: &Client, css: &str, part: &str) -> String {
    text_when(c, css, part, |t| t.contains(part)).await
}

async fn journey(c: &Client, base: &str) {
    c.goto(&format!("{base}/")).await.expect("start page");
    assert!(text(c, "h1").await.contains("Knotenpunkt"));
    shot(c, "start").await;

    click(c, "#signin-link").await;
    fill(c, "#name", USER).await;
    fill(c, "#password", PASSWORD).await;
    click(c, "#signin-submit").await;
    text_with(c, ".who", USER).await;

    c.goto(&format!("{base}/organisations/new"))
        .await
        .expect("form");
    fill(c, "#name", "Roma Kulturverein Bochum e.V.").await;
    choose(c, "#kind", "roma_self_organisation").await;
    fill(c, "#city", "Bochum").await;
    fill(c, "#founded", "2021").await;
    shot(c, "form").await;
    click(c, "#save").await;
    text_with(c, "#org-name", "Roma Kulturverein Bochum e.V.").await;
    assert!(text(c, "#org-city").await.contains("Bochum"));
    assert_eq!(text(c, "#org-founded").await, "2021");
    let profile = c.current_url().await.expect("url").to_string();

    click(c, "#add-person").await;
    fill(c, "#display_name", "Vorsitz Kulturverein Bochum").await;
    choose(c, "#role", "chair").await;
    fill(c, "#start", "2021").await;
    click(c, "#save").await;
    text_with(c, "#people", "Vorsitz Kulturverein Bochum").await;

    click(c, "#add-funding").await;
    fill(c, "#funder", "Stiftung EVZ").await;
    fill(c, "#amount", "10.000 – 20.000").await;
    fill(c, "#start", "2022").await;
    click(c, "#save").await;
    let funding = text_with(c, "#funding", "10.000 – 20.000 EUR").await;
    assert!(
        funding.contains("Erinnerung, Verantwortung und Zukunft"),
        "{funding}"
    );
    shot(c, "profile").await;

    // Correct the amount on the funding's edit form.
    click(c, "#funding a.edit-link").await;
    text_with(c, "h1", "Förderung bearbeiten").await;
    fill(c, "#amount", "25.000").await;
    click(c, "#save").await;
    text_with(c, "#funding", "25.000 EUR").await;

    c.goto(&format!("{base}/organisations/new"))
        .await
        .expect("form");
    fill(c, "#name", "Verein mit falschem Datum").await;
    choose(c, "#kind", "migrant_organisation").await;
    fill(c, "#founded", "2024-13").await;
    click(c, "#save").await;
    text_with(c, "#error-founded", "not a valid date").await;
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
    text_when(c, "#org-name", "the stored markup as text", |t| {
        t == "<script>document.title='pwned'</script>"
    })
    .await;
    // Had the script run, the title would be exactly "pwned"; as text it is part of it.
    let title = c.title().await.expect("title");
    assert!(
        title.ends_with("· Knotenpunkt"),
        "stored markup is not run: {title}"
    );

    click(c, "#lang-switch").await;
    text_with(c, "nav", "Organisations").await;
    c.goto(&format!("{base}/organisations"))
        .await
        .expect("list");
    // The choice is remembered on the next page.
    text_when(c, "h1", "English heading", |t| t == "Organisations").await;

    click(c, "#signout").await;
    // The sign-out post redirects to the start page, which offers to sign in again.
    text(c, "#signin-link").await;
    c.goto(&profile).await.expect("profile");
    text_with(c, "#org-name", "Roma Kulturverein Bochum e.V.").await;
    let people = text(c, "#people").await;
    assert!(
        !people.contains("Vorsitz Kulturverein Bochum"),
        "names gone after sign-out: {people}"
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
