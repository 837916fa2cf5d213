//! A new user's first visit in headless Chromium through WebDriver (chromedriver):
//! sign in, register an organisation, add a person with a role and a funding, see a
//! validation error beside its field, switch to English, sign out. Screenshots go to
//! target/screenshots/. A second journey explores the network picture at desktop and at
//! phone width; another imports a spreadsheet through the upload page
//! (`browser/import_journey.rs`); another fills in a form badly and fixes every problem
//! shown at once (`browser/forms_journey.rs`). Skipped when Chromium is missing, unless
//! KNOTENPUNKT_REQUIRE_BROWSER is set (CI sets it).
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use knotenpunkt::db::Db;
use knotenpunkt::domain::UserRole;
use knotenpunkt::service::tokens;
use serde_json::{json, Value};

#[path = "browser/forms_journey.rs"]
mod forms_journey;
#[path = "browser/import_journey.rs"]
mod import_journey;

const USER: &str = "anna";
const ADMIN: &str = "greta";
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

/// Starts Knotenpunkt on a free loopback port with the seed data, one editor and
/// `settings` (e.g. a low `network_svg_max_nodes`).
fn start_app(dir: &tempfile::TempDir, settings: &[(&str, usize)]) -> u16 {
    let port = free_port();
    let figment = rocket::Config::figment()
        .merge((
            "database_url",
            dir.path().join("browser.db").display().to_string(),
        ))
        .merge(("port", port))
        .merge(("address", "127.0.0.1"))
        .merge(("log_level", "off"));
    let figment = settings
        .iter()
        .fold(figment, |f, (key, value)| f.merge((*key, *value)));
    let rocket = knotenpunkt::app::build(figment).expect("app");
    {
        let mut conn = rocket.state::<Db>().expect("db").conn().expect("conn");
        tokens::add_user_with_token(&mut conn, USER, UserRole::Editor).expect("user");
        tokens::set_password(&mut conn, USER, PASSWORD).expect("password");
        tokens::add_user_with_token(&mut conn, ADMIN, UserRole::Admin).expect("admin");
        tokens::set_password(&mut conn, ADMIN, PASSWORD).expect("password");
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
    text_with(c, "#error-founded", "Kein gültiges Datum").await;
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

/// An administrator erases a seeded person (GDPR Art. 17) from the person's page: the
/// confirmation page names the consequences and will not submit unticked; afterwards the
/// page says so, offers nothing to edit, and the organisation still counts the role. At
/// phone width the pages fit the screen.
async fn erasure_journey(c: &Client, base: &str) {
    const NAME: &str = "Co-Vorsitz Romano Drom (1)";
    c.goto(&format!("{base}/signin"))
        .await
        .expect("sign-in page");
    fill(c, "#name", ADMIN).await;
    fill(c, "#password", PASSWORD).await;
    click(c, "#signin-submit").await;
    text_with(c, ".who", ADMIN).await;

    c.goto(&format!("{base}/persons?q=Romano+Drom+%281%29"))
        .await
        .expect("person search");
    text_with(c, "#persons", NAME).await;
    click(c, "#persons a").await;
    text_with(c, "#person-name", NAME).await;
    let profile = c.current_url().await.expect("url").to_string();
    let organisation = find(c, "#roles a")
        .await
        .expect("a role")
        .attr("href")
        .await
        .expect("href")
        .expect("organisation link");
    text(c, "#export").await;
    click(c, "#erase").await;
    text_with(c, "h1", "endgültig löschen").await;
    text_with(c, "#erase-person", NAME).await;
    shot(c, "erase-confirm").await;

    // Unticked, the browser does not send the form.
    click(c, "#confirm-erase").await;
    rocket::tokio::time::sleep(Duration::from_millis(300)).await;
    let url = c.current_url().await.expect("url").to_string();
    assert!(
        url.ends_with("/erase"),
        "sent without the confirmation: {url}"
    );
    click(c, "#confirmed").await;
    click(c, "#confirm-erase").await;
    text_with(c, "#erased", "endgültig gelöscht").await;
    let heading = text(c, "#person-name").await;
    assert!(!heading.contains("Romano"), "{heading}");
    assert!(
        c.find(Locator::Css("#edit")).await.is_err()
            && c.find(Locator::Css("#erase")).await.is_err(),
        "an erased person offers nothing to edit"
    );
    shot(c, "erased").await;

    // The organisation keeps the role, held by the erased person.
    c.goto(&format!("{base}{organisation}"))
        .await
        .expect("organisation");
    let people = text_with(c, "#people", "gelöschte Person").await;
    assert!(!people.contains(NAME), "{people}");

    c.set_window_size(390, 844).await.expect("phone width");
    for page in [profile.clone(), format!("{base}/persons?q=Romano")] {
        c.goto(&page).await.expect("page");
        text(c, "h1").await;
        let w = widths(c).await;
        assert!(fits(&w), "{page} at phone width: {w}");
    }
    shot(c, "erased-phone").await;
}

/// Runs `script` in the page; a page that is still navigating answers `Null`.
async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap_or(Value::Null)
}

/// Waits until `script` returns `true`; on timeout the panic shows what the browser had.
async fn until(c: &Client, what: &str, script: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while js(c, script).await != Value::Bool(true) {
        if Instant::now() > deadline {
            let url = c.current_url().await.map(|u| u.to_string());
            shot(c, "failure").await;
            panic!("waited for {what}; the browser shows {url:?}");
        }
        rocket::tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Marks the current document, so that `next_page` can tell the next one from it.
async fn mark_page(c: &Client) {
    js(c, "window.knotenpunktOldPage = true; return true;").await;
}

/// Waits until a document without the mark has loaded.
async fn next_page(c: &Client, what: &str) {
    until(
        c,
        what,
        "return !window.knotenpunktOldPage && document.readyState === 'complete';",
    )
    .await;
}

/// Clicks `css`, which navigates, and waits until the next document has loaded.
async fn click_to_next_page(c: &Client, css: &str) {
    mark_page(c).await;
    click(c, css).await;
    next_page(c, &format!("the page after clicking {css}")).await;
}

/// A node of the picture as the browser has it.
#[derive(Debug, serde::Deserialize)]
struct Node {
    id: String,
    href: String,
    title: String,
    dim: bool,
}

async fn nodes(c: &Client) -> Vec<Node> {
    let found = js(
        c,
        "return Array.from(document.querySelectorAll('#network-svg a.node')).map(a => ({ \
           id: a.id, href: a.getAttribute('href'), \
           title: a.querySelector('title').textContent, dim: a.classList.contains('dim') }));",
    )
    .await;
    serde_json::from_value(found).expect("nodes")
}

/// The links of the picture as (source, target) node ids.
async fn edges(c: &Client) -> Vec<(String, String)> {
    let found = js(
        c,
        "return Array.from(document.querySelectorAll('#network-svg line.edge')) \
           .map(l => [l.getAttribute('data-s'), l.getAttribute('data-t')]);",
    )
    .await;
    serde_json::from_value(found).expect("edges")
}

/// The rows of the table of nodes (name, kind, city, value), read from the markup: the
/// table sits in a closed `<details>`, whose text WebDriver would not show.
async fn node_rows(c: &Client) -> Vec<Vec<String>> {
    let found = js(
        c,
        "return Array.from(document.querySelectorAll('#network-nodes tr')).slice(1) \
           .map(r => Array.from(r.cells).map(td => td.textContent.trim()));",
    )
    .await;
    serde_json::from_value(found).expect("table rows")
}

/// The svg's `viewBox` as x, y, width, height.
async fn view_box(c: &Client) -> [f64; 4] {
    let text = find(c, "#network-svg")
        .await
        .expect("svg")
        .attr("viewBox")
        .await
        .expect("viewBox")
        .expect("a viewBox");
    let numbers: Vec<f64> = text
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .map(|w| w.parse().expect("a number"))
        .collect();
    numbers.try_into().expect("four numbers")
}

async fn press(c: &Client, css: &str, key: &str) {
    find(c, css)
        .await
        .unwrap_or_else(|_| panic!("element {css}"))
        .send_keys(key)
        .await
        .expect("key");
}

/// Sets the filters, shows the picture, and returns the rows of its table.
async fn show_network(c: &Client, fields: &[(&str, &str)]) -> Vec<Vec<String>> {
    for (css, value) in fields {
        fill(c, css, value).await;
    }
    click_to_next_page(c, "#network-show").await;
    find(c, "#network-svg").await.expect("the picture");
    node_rows(c).await
}

/// A screenshot with the picture in view (it lies below the filters).
async fn shot_of_picture(c: &Client, name: &str) {
    js(
        c,
        "document.getElementById('network-frame').scrollIntoView({ block: 'center' }); \
         return true;",
    )
    .await;
    shot(c, name).await;
}

/// How wide the page is against the window, and the first elements reaching past it.
async fn widths(c: &Client) -> Value {
    js(
        c,
        "const w = document.documentElement.clientWidth; \
         return { scroll: document.documentElement.scrollWidth, client: w, \
           inner: window.innerWidth, \
           wide: Array.from(document.querySelectorAll('body *')) \
             .filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > w + 1) \
             .slice(0, 8).map(e => e.tagName + (e.id ? '#' + e.id : '') + ' ' + \
               Math.round(e.getBoundingClientRect().right)) };",
    )
    .await
}

/// No sideways scrolling: the page is no wider than the window (without its scrollbar).
fn fits(widths: &Value) -> bool {
    let number = |k: &str| {
        widths[k]
            .as_f64()
            .unwrap_or_else(|| panic!("{k}: {widths}"))
    };
    number("scroll") <= number("inner") + 1.0 && number("scroll") <= number("client") + 1.0
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

async fn network_journey(c: &Client, base: &str) {
    let started = Instant::now();
    c.goto(&format!("{base}/")).await.expect("start page");
    assert!(text(c, "h1").await.contains("Knotenpunkt"));
    click_to_next_page(c, "#nav-network").await;
    find(c, "#network-svg").await.expect("the picture");
    let url = c.current_url().await.expect("url");
    assert_eq!(url.path(), "/network");
    let everyone = nodes(c).await;
    assert!(
        everyone.len() > 1,
        "a picture of the registry: {everyone:?}"
    );
    assert_eq!(node_rows(c).await.len(), everyone.len(), "a row per node");
    shot_of_picture(c, "network").await;

    // Only Hagen.
    let rows = show_network(c, &[("#city", "Hagen")]).await;
    let url = c.current_url().await.expect("url");
    assert_eq!(url.path(), "/network");
    assert!(
        url.query().unwrap_or("").contains("city=Hagen"),
        "the filter is in the address: {url}"
    );
    let hagen = nodes(c).await;
    assert!(
        !hagen.is_empty() && hagen.len() < everyone.len(),
        "{} of {} nodes in Hagen",
        hagen.len(),
        everyone.len()
    );
    for n in &hagen {
        assert!(n.title.ends_with(", Hagen"), "a node outside Hagen: {n:?}");
    }
    assert_eq!(rows.len(), hagen.len(), "a row per node: {rows:?}");
    for row in &rows {
        assert_eq!(row[2], "Hagen", "a row outside Hagen: {row:?}");
    }
    shot_of_picture(c, "network-hagen").await;

    // Dissolved in 2024: gone in 2025, there in 2020.
    let named = |rows: &[Vec<String>]| rows.iter().any(|r| r[0] == "Romano Drom e.V.");
    let rows = show_network(c, &[("#as_of", "2025")]).await;
    assert!(
        rows.iter().all(|r| r[2] == "Hagen"),
        "still Hagen: {rows:?}"
    );
    assert!(!named(&rows), "dissolved in 2024, gone in 2025: {rows:?}");
    let rows = show_network(c, &[("#as_of", "2020")]).await;
    assert!(
        rows.iter().all(|r| r[2] == "Hagen"),
        "still Hagen: {rows:?}"
    );
    assert!(named(&rows), "there in 2020: {rows:?}");
    // The year slider shows that year's picture, as of that year.
    mark_page(c).await;
    js(
        c,
        "const y = document.getElementById('year'); y.value = '2025'; \
         y.dispatchEvent(new Event('change')); return true;",
    )
    .await;
    next_page(c, "the picture of the year on the slider").await;
    find(c, "#network-svg").await.expect("the picture");
    let url = c.current_url().await.expect("url");
    assert!(
        url.query().unwrap_or("").contains("as_of=2025"),
        "the slider sets the date: {url}"
    );
    let rows = node_rows(c).await;
    assert!(
        rows.iter().all(|r| r[2] == "Hagen"),
        "still Hagen: {rows:?}"
    );
    assert!(!named(&rows), "gone in 2025 on the slider too: {rows:?}");
    let rows = show_network(c, &[("#as_of", "2020")]).await;
    assert!(named(&rows), "there in 2020: {rows:?}");
    let in_2020 = nodes(c).await;
    let romano = in_2020
        .iter()
        .find(|n| n.title.starts_with("Romano Drom e.V. – "))
        .unwrap_or_else(|| panic!("Romano Drom e.V. in the picture: {in_2020:?}"));

    // The keyboard zooms and moves the view; 0 resets it.
    let home = view_box(c).await;
    press(c, "#network-frame", "+").await;
    let once = view_box(c).await;
    press(c, "#network-frame", "+").await;
    let twice = view_box(c).await;
    let focused = js(c, "return document.activeElement.id;").await;
    assert_eq!(focused, json!("network-frame"), "the frame has the focus");
    assert!(
        twice[2] < once[2] && once[2] < home[2],
        "+ zooms in: {home:?} → {once:?} → {twice:?}"
    );
    assert!(near(twice[2], home[2] * 0.64), "{home:?} → {twice:?}");
    assert!(near(twice[3] / twice[2], home[3] / home[2]), "same aspect");
    press(c, "#network-frame", &char::from(Key::Right).to_string()).await;
    let moved = view_box(c).await;
    assert!(
        near(moved[0], twice[0] + twice[2] / 10.0) && near(moved[2], twice[2]),
        "→ moves right: {twice:?} → {moved:?}"
    );
    press(c, "#network-frame", "-").await;
    assert!(view_box(c).await[2] > moved[2], "- zooms out");
    press(c, "#network-frame", "0").await;
    let reset = view_box(c).await;
    assert!(
        reset.iter().zip(home).all(|(a, b)| near(*a, b)),
        "0 resets: {home:?} → {reset:?}"
    );

    // Focusing a node fades exactly the nodes not linked to it.
    js(
        c,
        &format!(
            "document.getElementById('{}').focus(); return true;",
            romano.id
        ),
    )
    .await;
    let links = edges(c).await;
    let linked = |n: &Node| {
        n.id == romano.id
            || links
                .iter()
                .any(|(s, t)| (*s == romano.id && *t == n.id) || (*t == romano.id && *s == n.id))
    };
    for n in nodes(c).await {
        assert_eq!(n.dim, !linked(&n), "faded exactly when not linked: {n:?}");
    }
    js(c, "document.activeElement.blur(); return true;").await;
    assert!(
        nodes(c).await.iter().all(|n| !n.dim),
        "blur clears the fading"
    );

    // A node is a link to its organisation's profile.
    click_to_next_page(c, &format!("#network-svg a.node#{}", romano.id)).await;
    let url = c.current_url().await.expect("url");
    assert_eq!(
        url.path(),
        romano.href,
        "the click lands on the node's page"
    );
    assert!(romano.href.starts_with("/organisations/"), "{romano:?}");
    text_with(c, "#org-name", "Romano Drom e.V.").await;
    // Its profile shows its own network: it and its neighbours, it among them.
    let ego = js(
        c,
        "return Array.from(document.querySelectorAll('#ego-network a.node title'))\
         .map(t => t.textContent);",
    )
    .await;
    let ego: Vec<String> = serde_json::from_value(ego).expect("titles");
    assert!(ego.len() > 1, "the ego network: {ego:?}");
    assert!(ego.iter().any(|t| t.starts_with("Romano Drom e.V. – ")));
    c.execute(
        "document.getElementById('ego-network').scrollIntoView();",
        vec![],
    )
    .await
    .expect("scroll");
    shot(c, "profile-network").await;

    // MifriN's project funding since 2017 is a striped bar on its funding timeline.
    c.goto(&format!("{base}/organisations?q=MifriN"))
        .await
        .expect("list");
    click_to_next_page(c, "table a[href^='/organisations/']").await;
    text_with(c, "#org-name", "MifriN").await;
    let bars = js(
        c,
        "return Array.from(document.querySelectorAll('#funding-timeline g.grant title'))\
         .map(t => t.textContent);",
    )
    .await;
    let bars: Vec<String> = serde_json::from_value(bars).expect("bars");
    assert_eq!(bars.len(), 1, "one dated grant: {bars:?}");
    c.execute(
        "document.getElementById('funding-timeline').scrollIntoView();",
        vec![],
    )
    .await
    .expect("scroll");
    shot(c, "profile-funding").await;

    // At phone width the page fits the screen.
    let (width, height) = c.get_window_size().await.expect("window size");
    c.set_window_size(390, 844).await.expect("phone width");
    c.goto(&format!("{base}/network")).await.expect("network");
    find(c, "#network-svg").await.expect("the picture");
    let inner = js(c, "return window.innerWidth;").await;
    assert!(
        inner.as_u64().is_some_and(|w| w <= 420),
        "a phone-wide window: {inner}"
    );
    shot_of_picture(c, "network-phone").await;
    let closed = widths(c).await;
    // With the highlights, the kinds and the table open too.
    js(
        c,
        "document.querySelectorAll('details').forEach(d => d.open = true); return true;",
    )
    .await;
    let open = widths(c).await;
    c.set_window_size(width as u32, height as u32)
        .await
        .expect("restore the window");
    eprintln!("network page at phone width: {closed}; all details open: {open}");
    assert!(
        fits(&closed),
        "no sideways scrolling at phone width: {closed}"
    );
    assert!(fits(&open), "nor with every <details> open: {open}");
    eprintln!("network journey: {:.1} s", started.elapsed().as_secs_f64());
}

/// The canvas as the script has drawn it: its view of the picture (x, y, width, height
/// in picture units), the transform from picture units to CSS pixels of the canvas, and
/// where the canvas is in the window.
#[derive(Debug, serde::Deserialize)]
struct Canvas {
    view: [f64; 4],
    scale: f64,
    tx: f64,
    ty: f64,
    left: f64,
    top: f64,
    width: f64,
}

async fn canvas(c: &Client) -> Canvas {
    let found = js(
        c,
        "const k = document.getElementById('network-canvas'); \
         const r = k.getBoundingClientRect(); \
         return { view: k.dataset.view.split(' ').map(Number), scale: Number(k.dataset.scale), \
           tx: Number(k.dataset.tx), ty: Number(k.dataset.ty), left: r.left, top: r.top, \
           width: r.width };",
    )
    .await;
    serde_json::from_value(found).expect("the canvas and its transform")
}

/// Waits until the canvas shows another view than `before` and returns it.
async fn canvas_moved(c: &Client, before: &Canvas, what: &str) -> Canvas {
    let [x, y, w, h] = before.view;
    until(
        c,
        what,
        &format!(
            "return document.getElementById('network-canvas').dataset.view !== '{x} {y} {w} {h}';"
        ),
    )
    .await;
    canvas(c).await
}

/// Pixels of the canvas's bitmap: (not white, exactly `colour`, all).
async fn canvas_pixels(c: &Client, colour: &str) -> (u64, u64, u64) {
    let found = js(
        c,
        &format!(
            "const k = document.getElementById('network-canvas'); \
             const d = k.getContext('2d').getImageData(0, 0, k.width, k.height).data; \
             const hex = '{colour}'; \
             const [r, g, b] = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16)); \
             let painted = 0, exact = 0; \
             for (let i = 0; i < d.length; i += 4) {{ \
               if (d[i] !== 255 || d[i + 1] !== 255 || d[i + 2] !== 255) {{ painted++; }} \
               if (d[i] === r && d[i + 1] === g && d[i + 2] === b) {{ exact++; }} \
             }} \
             return [painted, exact, k.width * k.height];"
        ),
    )
    .await;
    serde_json::from_value(found).expect("pixel counts")
}

/// Waits until the canvas picture has been drawn from its JSON.
async fn canvas_drawn(c: &Client) {
    until(
        c,
        "the picture drawn on the canvas",
        "const k = document.getElementById('network-canvas'); \
         return !!k && k.dataset.drawn === 'true';",
    )
    .await;
}

/// The JSON of the view the page draws, fetched as its script does.
async fn picture_json(c: &Client, path: &str) -> Value {
    c.execute_async(
        &format!(
            "const done = arguments[arguments.length - 1]; \
             fetch('{path}').then(r => r.json()).then(done, e => done(String(e)));"
        ),
        vec![],
    )
    .await
    .expect("the picture's JSON")
}

/// A node that the pointer finds at its centre: no other node's circle (or the few
/// pixels around a small one) reaches nearer. The largest such node.
fn clickable(picture: &Value, scale: f64) -> Value {
    let nodes = picture["nodes"].as_array().expect("nodes");
    let at = |n: &Value| {
        (
            n["x"].as_f64().unwrap(),
            n["y"].as_f64().unwrap(),
            n["size"].as_f64().unwrap(),
        )
    };
    let slack = 4.0 / scale;
    let mut free: Vec<&Value> = nodes
        .iter()
        .filter(|n| n["kind"].is_string())
        .filter(|n| {
            let (x, y, r) = at(n);
            nodes.iter().filter(|o| o["key"] != n["key"]).all(|o| {
                let (ox, oy, or) = at(o);
                let d = ((ox - x).powi(2) + (oy - y).powi(2)).sqrt();
                d > or.max(slack) + 2.0 || d - or > -r + 2.0
            })
        })
        .collect();
    free.sort_by(|a, b| at(b).2.total_cmp(&at(a).2));
    (*free.first().expect("a node free to click")).clone()
}

/// Views above the SVG limit (set to 10 nodes, so the study's data is one) are drawn on
/// a canvas: it has drawn pixels in the kinds' colours, the keyboard zooms and moves it,
/// hovering a node names it, and clicking where the JSON and the canvas's transform put
/// a node opens its profile; at phone width it fits the screen.
async fn canvas_journey(c: &Client, base: &str) {
    let started = Instant::now();
    c.goto(&format!("{base}/network")).await.expect("network");
    canvas_drawn(c).await;
    let svg = js(c, "return document.getElementById('network-svg') === null;").await;
    assert_eq!(svg, json!(true), "no SVG picture above the limit");
    let status = text(c, "#network-status").await;
    assert!(
        status.ends_with("Knoten, auf einer Zeichenfläche (Canvas) gezeichnet"),
        "{status}"
    );
    let marks = js(
        c,
        "return performance.getEntriesByName('network-drawn').length;",
    )
    .await;
    assert_eq!(marks, json!(1), "the first full picture is marked once");
    // Romano Drom and Romano Than, the largest nodes, in their kind's colour.
    let (_, roma) =
        knotenpunkt::picture::style::node(Some(knotenpunkt::domain::OrgKind::RomaSelfOrganisation));
    shot_of_picture(c, "network-canvas-desktop").await;
    let (painted, in_colour, all) = canvas_pixels(c, roma).await;
    assert!(
        painted * 50 > all && in_colour > 500,
        "drawn: {painted} of {all} pixels painted, {in_colour} in the colour of Roma self-organisations"
    );

    // The keyboard zooms and moves the view; 0 resets it.
    let home = canvas(c).await;
    assert_eq!(home.view, [0.0, 0.0, 1200.0, 800.0]);
    press(c, "#network-frame", "+").await;
    let zoomed = canvas_moved(c, &home, "+ zooms in").await;
    assert!(
        near(zoomed.view[2], home.view[2] * 0.8) && zoomed.scale > home.scale * 1.2,
        "+ zooms in: {home:?} → {zoomed:?}"
    );
    press(c, "#network-frame", &char::from(Key::Right).to_string()).await;
    let moved = canvas_moved(c, &zoomed, "→ moves right").await;
    assert!(
        near(moved.view[0], zoomed.view[0] + zoomed.view[2] / 10.0),
        "→ moves right: {zoomed:?} → {moved:?}"
    );
    press(c, "#network-frame", "0").await;
    let reset = canvas_moved(c, &moved, "0 resets").await;
    assert_eq!(reset.view, home.view, "0 resets");
    let (painted_again, _, _) = canvas_pixels(c, roma).await;
    assert!(painted_again * 50 > all, "drawn again after the reset");

    // Hover and click where the JSON and the canvas's transform put a node.
    let picture = picture_json(c, "/network.json").await;
    assert_eq!(picture["drawn_as"], "canvas", "{picture}");
    let node = clickable(&picture, reset.scale);
    js(
        c,
        "document.getElementById('network-canvas').scrollIntoView({ block: 'center' }); \
         return true;",
    )
    .await;
    let at = canvas(c).await;
    let x = at.left + node["x"].as_f64().unwrap() * at.scale + at.tx;
    let y = at.top + node["y"].as_f64().unwrap() * at.scale + at.ty;
    let pointer = MouseActions::new("mouse".into()).then(PointerAction::MoveTo {
        duration: None,
        x: x.round(),
        y: y.round(),
    });
    c.perform_actions(pointer).await.expect("hover");
    let label = node["label"].as_str().unwrap();
    text_with(c, "#network-tip", label).await;
    shot(c, "network-canvas-hover").await;
    mark_page(c).await;
    let press_release = MouseActions::new("mouse".into())
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    c.perform_actions(press_release).await.expect("click");
    next_page(c, "the profile of the clicked node").await;
    let url = c.current_url().await.expect("url");
    assert_eq!(
        url.path(),
        format!("/organisations/{}", node["id"].as_str().unwrap()),
        "the click lands on {label}'s page"
    );
    text_with(c, "#org-name", label).await;

    // At phone width the canvas fits the screen and is drawn.
    let (width, height) = c.get_window_size().await.expect("window size");
    c.set_window_size(390, 844).await.expect("phone width");
    c.goto(&format!("{base}/network")).await.expect("network");
    canvas_drawn(c).await;
    let phone = canvas(c).await;
    assert!(phone.width <= 420.0, "a phone-wide canvas: {phone:?}");
    let (painted, _, all) = canvas_pixels(c, roma).await;
    assert!(
        painted * 50 > all,
        "drawn at phone width: {painted} of {all}"
    );
    shot_of_picture(c, "network-canvas-phone").await;
    let page = widths(c).await;
    c.set_window_size(width as u32, height as u32)
        .await
        .expect("restore the window");
    assert!(fits(&page), "no sideways scrolling at phone width: {page}");
    eprintln!("canvas journey: {:.1} s", started.elapsed().as_secs_f64());
}

/// Starts the app (seed data, one editor) and chromedriver, opens a headless Chromium
/// session and runs `journey` in it; skipped when Chromium is missing, unless
/// KNOTENPUNKT_REQUIRE_BROWSER is set.
fn in_browser<F, Fut>(journey: F)
where
    F: FnOnce(Client, String) -> Fut,
    Fut: std::future::Future<Output = Client>,
{
    in_browser_with(&[], journey)
}

/// `in_browser` with settings for the app.
fn in_browser_with<F, Fut>(settings: &[(&str, usize)], journey: F)
where
    F: FnOnce(Client, String) -> Fut,
    Fut: std::future::Future<Output = Client>,
{
    if !installed("/usr/bin/chromium") || !installed("/usr/bin/chromedriver") {
        assert!(
            std::env::var_os("KNOTENPUNKT_REQUIRE_BROWSER").is_none(),
            "chromium and chromedriver are required"
        );
        eprintln!("skipped: /usr/bin/chromium or /usr/bin/chromedriver missing");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let base = format!("http://127.0.0.1:{}", start_app(&dir, settings));
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
        let client = journey(client, base).await;
        client.close().await.expect("close");
    });
}

#[test]
fn a_new_user_registers_an_organisation_with_a_person_and_funding() {
    in_browser(|c, base| async move {
        journey(&c, &base).await;
        c
    });
}

#[test]
fn an_admin_erases_a_person_for_good() {
    in_browser(|c, base| async move {
        erasure_journey(&c, &base).await;
        c
    });
}

#[test]
fn an_editor_imports_a_spreadsheet_after_fixing_its_error() {
    in_browser(|c, base| async move {
        import_journey::import_journey(&c, &base).await;
        c
    });
}

#[test]
fn an_editor_sees_every_form_error_at_once_and_fixes_them() {
    in_browser(|c, base| async move {
        forms_journey::forms_journey(&c, &base).await;
        c
    });
}

#[test]
fn a_visitor_explores_the_network_picture() {
    in_browser(|c, base| async move {
        network_journey(&c, &base).await;
        c
    });
}

#[test]
fn a_visitor_explores_a_large_view_on_the_canvas() {
    in_browser_with(&[("network_svg_max_nodes", 10)], |c, base| async move {
        canvas_journey(&c, &base).await;
        c
    });
}
