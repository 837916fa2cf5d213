//! Web sessions in a private cookie, CSRF tokens for every form, and the login limiter.
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::RngCore;
use rocket::http::{Cookie, CookieJar, SameSite};
use rocket::request::{FromRequest, Outcome, Request};

use crate::db::Db;
use crate::service::{tokens, Caller};

pub const SESSION_COOKIE: &str = "kp_session";
pub const CSRF_COOKIE: &str = "kp_csrf";

/// The caller of a page: the signed-in user of the session cookie, or anonymous.
pub struct WebCaller(pub Caller);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for WebCaller {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let Some(user_id) = req
            .cookies()
            .get_private(SESSION_COOKIE)
            .map(|c| c.value().to_string())
        else {
            return Outcome::Success(WebCaller(Caller::Anonymous));
        };
        let Some(db) = req.rocket().state::<Db>() else {
            return Outcome::Success(WebCaller(Caller::Anonymous));
        };
        match db.run(move |c| tokens::user_by_id(c, &user_id)).await {
            Ok(Some(user)) => {
                let caller = Caller::User(user);
                crate::http::ServedTo::remember(req, &caller);
                Outcome::Success(WebCaller(caller))
            }
            _ => Outcome::Success(WebCaller(Caller::Anonymous)),
        }
    }
}

pub fn sign_in(cookies: &CookieJar<'_>, user_id: &str) {
    let cookie = Cookie::build((SESSION_COOKIE, user_id.to_string()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/");
    cookies.add_private(cookie);
    // A fresh CSRF token for the new session.
    cookies.remove_private(Cookie::from(CSRF_COOKIE));
}

pub fn sign_out(cookies: &CookieJar<'_>) {
    cookies.remove_private(Cookie::build(SESSION_COOKIE).path("/"));
    cookies.remove_private(Cookie::build(CSRF_COOKIE).path("/"));
}

/// The session's CSRF token, created on first use; forms carry it in a hidden field.
pub struct Csrf(pub String);

impl Csrf {
    pub fn matches(&self, submitted: &str) -> bool {
        // Constant-time comparison: the token is a secret.
        let (a, b) = (self.0.as_bytes(), submitted.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Csrf {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let cookies = req.cookies();
        if let Some(c) = cookies.get_private(CSRF_COOKIE) {
            return Outcome::Success(Csrf(c.value().to_string()));
        }
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        let cookie = Cookie::build((CSRF_COOKIE, token.clone()))
            .http_only(true)
            .same_site(SameSite::Strict)
            .path("/");
        cookies.add_private(cookie);
        Outcome::Success(Csrf(token))
    }
}

/// At most `MAX_FAILURES` failed sign-ins per address per minute.
pub struct LoginLimiter {
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

const MAX_FAILURES: u32 = 5;
const WINDOW: Duration = Duration::from_secs(60);

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter {
            failures: Mutex::new(HashMap::new()),
        }
    }
}

impl LoginLimiter {
    pub fn blocked(&self, ip: Option<IpAddr>) -> bool {
        let (Some(ip), Ok(map)) = (ip, self.failures.lock()) else {
            return false;
        };
        map.get(&ip)
            .is_some_and(|(n, since)| *n >= MAX_FAILURES && since.elapsed() < WINDOW)
    }

    pub fn failed(&self, ip: Option<IpAddr>) {
        let (Some(ip), Ok(mut map)) = (ip, self.failures.lock()) else {
            return;
        };
        let entry = map.entry(ip).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    pub fn succeeded(&self, ip: Option<IpAddr>) {
        if let (Some(ip), Ok(mut map)) = (ip, self.failures.lock()) {
            map.remove(&ip);
        }
    }
}
