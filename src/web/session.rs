//! Web sessions (a random token in a private cookie, the session itself on the server:
//! service::sessions), CSRF tokens for every form, and the login limiter.
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::RngCore;
use rocket::http::{Cookie, CookieJar, SameSite};
use rocket::request::{FromRequest, Outcome, Request};

use crate::db::Db;
use crate::service::sessions::{self, Lifetimes};
use crate::service::Caller;

pub const SESSION_COOKIE: &str = "kp_session";
pub const CSRF_COOKIE: &str = "kp_csrf";

/// How sessions last, and whether their cookies are sent over HTTPS only.
#[derive(Debug, Clone, Copy, Default)]
pub struct SessionSettings {
    pub lifetimes: Lifetimes,
    /// `Secure` cookies: set when the service is reached over HTTPS (its own TLS or a
    /// proxy in front).
    pub secure: bool,
}

/// The caller of a page: the signed-in user of a live session, or anonymous.
pub struct WebCaller(pub Caller);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for WebCaller {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let Some(token) = req
            .cookies()
            .get_private(SESSION_COOKIE)
            .map(|c| c.value().to_string())
        else {
            return Outcome::Success(WebCaller(Caller::Anonymous));
        };
        let Some(db) = req.rocket().state::<Db>() else {
            return Outcome::Success(WebCaller(Caller::Anonymous));
        };
        let settings = req
            .rocket()
            .state::<SessionSettings>()
            .copied()
            .unwrap_or_default();
        match db
            .run(move |c| sessions::resume(c, &token, settings.lifetimes))
            .await
        {
            Ok(Some(user)) => {
                let caller = Caller::User(user);
                crate::http::ServedTo::remember(req, &caller);
                Outcome::Success(WebCaller(caller))
            }
            _ => Outcome::Success(WebCaller(Caller::Anonymous)),
        }
    }
}

/// Puts a new session's token in the cookie.
pub fn sign_in(cookies: &CookieJar<'_>, token: String, settings: SessionSettings) {
    let cookie = Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .secure(settings.secure)
        .same_site(SameSite::Lax)
        .path("/");
    cookies.add_private(cookie);
    // A fresh CSRF token for the new session.
    cookies.remove_private(Cookie::from(CSRF_COOKIE));
}

/// The session token of the cookie, if any.
pub fn token(cookies: &CookieJar<'_>) -> Option<String> {
    cookies
        .get_private(SESSION_COOKIE)
        .map(|c| c.value().to_string())
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
        let secure = req
            .rocket()
            .state::<SessionSettings>()
            .is_some_and(|s| s.secure);
        let cookie = Cookie::build((CSRF_COOKIE, token.clone()))
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Strict)
            .path("/");
        cookies.add_private(cookie);
        Outcome::Success(Csrf(token))
    }
}

/// At most `MAX_FAILURES` sign-in attempts that did not succeed per address and per
/// account name per minute. An attempt counts before its password is checked, so many at
/// once cannot all get through; a success clears both counts.
pub struct LoginLimiter {
    failures: Mutex<HashMap<Key, (u32, Instant)>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Address(IpAddr),
    Account(String),
}

fn keys(ip: Option<IpAddr>, name: &str) -> Vec<Key> {
    let mut keys = vec![Key::Account(name.trim().to_lowercase())];
    keys.extend(ip.map(Key::Address));
    keys
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

/// Too many attempts: wait before trying again.
#[derive(Debug, PartialEq, Eq)]
pub struct TooMany;

impl LoginLimiter {
    /// Counts an attempt for this address and account, or refuses it when either has
    /// had too many in the last minute.
    pub fn attempt(&self, ip: Option<IpAddr>, name: &str) -> Result<(), TooMany> {
        let mut map = match self.failures.lock() {
            Ok(map) => map,
            Err(poisoned) => poisoned.into_inner(),
        };
        let keys = keys(ip, name);
        let blocked = keys.iter().any(|k| {
            map.get(k)
                .is_some_and(|(n, since)| *n >= MAX_FAILURES && since.elapsed() < WINDOW)
        });
        if blocked {
            return Err(TooMany);
        }
        for k in keys {
            let entry = map.entry(k).or_insert((0, Instant::now()));
            if entry.1.elapsed() >= WINDOW {
                *entry = (0, Instant::now());
            }
            entry.0 += 1;
        }
        Ok(())
    }

    /// A successful sign-in clears the counts of its address and account.
    pub fn succeeded(&self, ip: Option<IpAddr>, name: &str) {
        let mut map = match self.failures.lock() {
            Ok(map) => map,
            Err(poisoned) => poisoned.into_inner(),
        };
        for k in keys(ip, name) {
            map.remove(&k);
        }
    }
}
