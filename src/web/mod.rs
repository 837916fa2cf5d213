//! The HTML pages: server-rendered askama templates, German by default, English on request.
mod admin;
mod assets;
mod auth;
mod exports;
pub mod forms;
pub mod i18n;
mod import;
mod links;
pub(crate) mod network;
mod organisations;
mod overlaps;
mod persons;
mod records;
mod removal;
pub mod session;
mod start;
pub mod words;

use askama::Template;
use rocket::http::{ContentType, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{self, content::RawHtml, Responder};
use rocket::{catch, catchers, Build, Response, Rocket};

use crate::error::Error;
use crate::service::{Caller, UserInfo};
use i18n::Lang;
use session::{Csrf, WebCaller};

/// What every page needs besides its own data: language, user, CSRF token, own path.
pub struct Chrome {
    pub lang: Lang,
    pub caller: Caller,
    pub csrf: String,
    pub path: String,
}

impl Chrome {
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    pub fn user(&self) -> Option<&UserInfo> {
        match &self.caller {
            Caller::User(u) => Some(u),
            _ => None,
        }
    }

    pub fn signed_in(&self) -> bool {
        self.caller.sees_restricted()
    }

    pub fn can_edit(&self) -> bool {
        self.caller.require(crate::domain::UserRole::Editor).is_ok()
    }

    pub fn is_admin(&self) -> bool {
        self.caller.require(crate::domain::UserRole::Admin).is_ok()
    }

    /// The other language, for the switch link.
    pub fn other_lang(&self) -> &'static str {
        match self.lang {
            Lang::De => "en",
            Lang::En => "de",
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Chrome {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let caller = match req.guard::<WebCaller>().await {
            Outcome::Success(WebCaller(c)) => c,
            _ => Caller::Anonymous,
        };
        let csrf = match req.guard::<Csrf>().await {
            Outcome::Success(Csrf(t)) => t,
            _ => String::new(),
        };
        Outcome::Success(Chrome {
            lang: Lang::of(req.cookies()),
            caller,
            csrf,
            path: req.uri().to_string(),
        })
    }
}

/// An error shown as a page with the right status.
pub struct HtmlError {
    pub status: Status,
    pub html: String,
}

impl<'r> Responder<'r, 'static> for HtmlError {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        Response::build()
            .status(self.status)
            .header(ContentType::HTML)
            .sized_body(self.html.len(), std::io::Cursor::new(self.html))
            .ok()
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: &'a Chrome,
    message: String,
}

pub type Page = Result<RawHtml<String>, HtmlError>;

/// A page that shows persons, with their ids for the read log.
pub type ShownPage = Result<crate::http::Shown<RawHtml<String>>, HtmlError>;

/// Renders a page that shows `persons`.
pub fn render_showing<T: Template>(page: &T, persons: crate::domain::Disclosure) -> ShownPage {
    Ok(crate::http::Shown::new(render(page)?, persons))
}

pub fn render<T: Template>(page: &T) -> Page {
    page.render().map(RawHtml).map_err(|e| HtmlError {
        status: Status::InternalServerError,
        html: format!("template error: {e}"),
    })
}

/// The error page for a service error.
pub fn fail(chrome: &Chrome, error: Error) -> HtmlError {
    let message = match &error {
        Error::NotFound { .. } => chrome.t("error.not_found").to_string(),
        Error::Forbidden(_) | Error::Unauthorized => chrome.t("error.forbidden").to_string(),
        other => crate::http::errors::public_message(other, &chrome.path),
    };
    fail_with(chrome, Status::new(error.status()), message)
}

/// The error page with a message of the page's own (in the reader's language).
pub fn fail_with(chrome: &Chrome, status: Status, message: String) -> HtmlError {
    let html = ErrorPage { chrome, message }
        .render()
        .unwrap_or_else(|e| format!("template error: {e}"));
    HtmlError { status, html }
}

pub fn mount(rocket: Rocket<Build>) -> Rocket<Build> {
    let rocket = removal::mounts()
        .into_iter()
        .fold(rocket, |r, (base, routes)| r.mount(base, routes));
    let rocket = import::mount(rocket);
    rocket
        .manage(session::LoginLimiter::default())
        .mount("/", start::routes())
        .mount("/", auth::routes())
        .mount("/", assets::routes())
        .mount("/organisations", organisations::routes())
        .mount("/", links::routes())
        .mount("/overlaps", overlaps::routes())
        .mount("/", network::routes())
        .mount("/", exports::routes())
        .mount("/admin", admin::routes())
        .mount("/persons", persons::routes())
        .mount("/sources", records::source_routes())
        .register("/", catchers![not_found, forbidden])
}

#[catch(404)]
fn not_found() -> RawHtml<&'static str> {
    RawHtml("<!doctype html><meta charset=utf-8><title>404</title><p>Nicht gefunden / Not found. <a href=\"/\">Knotenpunkt</a>")
}

#[catch(403)]
fn forbidden() -> RawHtml<&'static str> {
    RawHtml("<!doctype html><meta charset=utf-8><title>403</title><p>Abgelehnt / Refused. <a href=\"/\">Knotenpunkt</a>")
}

impl Chrome {
    /// An enum value's label from its German label and its code: the German label, or
    /// the value's English label. Prefer `chrome.word(value)` (words.rs).
    pub fn label(&self, german: &str, code: &str) -> String {
        match self.lang {
            Lang::De => german.to_string(),
            Lang::En => words::english_of(german, code),
        }
    }
}

/// "2019 – 2024", "2019 – …" (ongoing), "…" when nothing is known.
pub fn period(
    start: Option<crate::domain::PartialDate>,
    end: Option<crate::domain::PartialDate>,
) -> String {
    match (start, end) {
        (None, None) => "…".into(),
        (Some(s), None) => format!("{s} – …"),
        (None, Some(e)) => format!("… – {e}"),
        (Some(s), Some(e)) => format!("{s} – {e}"),
    }
}

/// Cents as euros with German thousands separators, and cents only where there are any:
/// `3000000` → `30.000`, `3000050` → `30.000,50`.
pub fn euros(cents: i64) -> String {
    let digits = (cents.abs() / 100).to_string();
    let mut out = String::new();
    if cents < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    match cents.abs() % 100 {
        0 => out,
        rest => format!("{out},{rest:02}"),
    }
}

/// An amount range as shown and as typed into the form: `30.000`, `30.000 – 70.000`,
/// `≥ 30.000` (only a lower bound known), `≤ 70.000`; empty when nothing is known.
/// `FieldErrors::amount_range` reads every one of these back unchanged.
pub fn amount_text(min: Option<i64>, max: Option<i64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) if a == b => euros(a),
        (Some(a), Some(b)) => format!("{} – {}", euros(a), euros(b)),
        (Some(a), None) => format!("≥ {}", euros(a)),
        (None, Some(b)) => format!("≤ {}", euros(b)),
        (None, None) => String::new(),
    }
}

/// An amount range with its currency, `?` when nothing is known.
pub fn amount(min: Option<i64>, max: Option<i64>, currency: &str) -> String {
    match amount_text(min, max) {
        text if text.is_empty() => "?".into(),
        text => format!("{text} {currency}"),
    }
}
