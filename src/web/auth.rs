//! Sign-in with name and password, sign-out. Failed attempts are rate-limited per address.
use std::net::IpAddr;

use askama::Template;
use rocket::form::{Form, FromForm};
use rocket::http::{CookieJar, Status};
use rocket::response::Redirect;
use rocket::{get, post, routes, Route, State};

use super::session::{self, LoginLimiter, SessionSettings};
use super::{fail, render, Chrome, HtmlError, Page};
use crate::db::Db;
use crate::service::{sessions, tokens};

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    chrome: Chrome,
    name: String,
    message: Option<&'static str>,
}

#[derive(FromForm)]
struct SignInForm {
    #[field(default = String::new())]
    csrf: String,
    #[field(default = String::new())]
    name: String,
    #[field(default = String::new())]
    password: String,
}

#[get("/signin")]
fn signin_page(chrome: Chrome) -> Page {
    render(&SignInPage {
        chrome,
        name: String::new(),
        message: None,
    })
}

/// Refuses a form post whose CSRF token is missing or wrong.
pub fn check_csrf(chrome: &Chrome, submitted: &str) -> Result<(), HtmlError> {
    if !chrome.csrf.is_empty() && session::Csrf(chrome.csrf.clone()).matches(submitted) {
        Ok(())
    } else {
        Err(HtmlError {
            status: Status::Forbidden,
            html: "CSRF token missing or wrong. Reload the form and try again.".into(),
        })
    }
}

#[post("/signin", data = "<form>")]
async fn signin(
    chrome: Chrome,
    form: Form<SignInForm>,
    db: &State<Db>,
    limiter: &State<LoginLimiter>,
    settings: &State<SessionSettings>,
    cookies: &CookieJar<'_>,
    ip: Option<IpAddr>,
) -> Result<Redirect, HtmlError> {
    check_csrf(&chrome, &form.csrf)?;
    let page = |chrome: Chrome, name: String, message: &'static str, status: Status| -> HtmlError {
        match render(&SignInPage {
            chrome,
            name,
            message: Some(message),
        }) {
            Ok(html) => HtmlError {
                status,
                html: html.0,
            },
            Err(e) => e,
        }
    };
    if limiter.attempt(ip, &form.name).is_err() {
        let message = chrome.t("signin.too_many");
        return Err(page(
            chrome,
            form.name.clone(),
            message,
            Status::TooManyRequests,
        ));
    }
    let (name, password) = (form.name.clone(), form.password.clone());
    let started = db
        .run(
            move |c| match tokens::check_password(c, &name, &password)? {
                Some(user) => sessions::start(c, &user.id).map(Some),
                None => Ok(None),
            },
        )
        .await
        .map_err(|e| fail(&chrome, e))?;
    match started {
        Some(token) => {
            limiter.succeeded(ip, &form.name);
            session::sign_in(cookies, token, **settings);
            Ok(Redirect::to("/"))
        }
        None => {
            let message = chrome.t("signin.failed");
            Err(page(
                chrome,
                form.name.clone(),
                message,
                Status::Unauthorized,
            ))
        }
    }
}

#[derive(FromForm)]
struct SignOutForm {
    #[field(default = String::new())]
    csrf: String,
}

/// Ends the session on the server (its cookie, if kept or copied, no longer works) and
/// removes the cookies.
#[post("/signout", data = "<form>")]
async fn signout(
    chrome: Chrome,
    form: Form<SignOutForm>,
    db: &State<Db>,
    cookies: &CookieJar<'_>,
) -> Result<Redirect, HtmlError> {
    check_csrf(&chrome, &form.csrf)?;
    if let Some(token) = session::token(cookies) {
        db.run(move |c| sessions::end(c, &token))
            .await
            .map_err(|e| fail(&chrome, e))?;
    }
    session::sign_out(cookies);
    Ok(Redirect::to("/"))
}

pub fn routes() -> Vec<Route> {
    routes![signin_page, signin, signout]
}
