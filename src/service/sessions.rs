//! Web sessions on the server: a random token in the cookie, its hash in `sessions`.
//! A session ends on sign-out, when its user's password or role changes or the user is
//! disabled, after `idle` without a request, and `lifetime` after sign-in, whatever
//! happens in between. An ended session never comes back.
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;

use super::tokens::hash_token;
use super::UserInfo;
use crate::db::{self, DbConn};
use crate::error::Result;
use crate::store::sessions as rows;

/// Why a session ended (kept in `sessions.ended_why`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    SignedOut,
    PasswordChanged,
    RoleChanged,
    Disabled,
    Idle,
    Expired,
}

impl Ended {
    pub fn as_str(self) -> &'static str {
        match self {
            Ended::SignedOut => "signed_out",
            Ended::PasswordChanged => "password_changed",
            Ended::RoleChanged => "role_changed",
            Ended::Disabled => "disabled",
            Ended::Idle => "idle",
            Ended::Expired => "expired",
        }
    }
}

/// How long sessions last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetimes {
    /// Ends after this long without a request.
    pub idle: Duration,
    /// Ends this long after sign-in.
    pub lifetime: Duration,
}

impl Default for Lifetimes {
    fn default() -> Self {
        Lifetimes {
            idle: Duration::minutes(30),
            lifetime: Duration::hours(12),
        }
    }
}

/// `last_seen_at` is written at most this often (not on every request).
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// Starts a session for a user; returns the token for the cookie (never stored).
pub fn start(conn: &mut DbConn, user_id: &str) -> Result<String> {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    rows::insert(
        conn,
        &db::new_id(),
        &hash_token(&token),
        user_id,
        &db::now(),
    )?;
    Ok(token)
}

fn parse(at: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(at)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The user of a live session, or `None` (unknown, ended, idle, expired, or its user
/// disabled — the session is then ended, with the reason).
pub fn resume(conn: &mut DbConn, token: &str, limits: Lifetimes) -> Result<Option<UserInfo>> {
    let Some(session) = rows::live_by_hash(conn, &hash_token(token))? else {
        return Ok(None);
    };
    let now = Utc::now();
    let (created, seen) = (parse(&session.created_at), parse(&session.last_seen_at));
    let ended = if session.user_disabled {
        Some(Ended::Disabled)
    } else if created.is_none_or(|t| now - t >= limits.lifetime) {
        Some(Ended::Expired)
    } else if seen.is_none_or(|t| now - t >= limits.idle) {
        Some(Ended::Idle)
    } else {
        None
    };
    if let Some(why) = ended {
        rows::end(conn, &session.id, &db::now(), why.as_str())?;
        return Ok(None);
    }
    if seen.is_some_and(|t| now - t >= TOUCH_EVERY) {
        rows::touch(conn, &session.id, &db::now())?;
    }
    Ok(Some(session.user))
}

/// Ends the session of this token (sign-out).
pub fn end(conn: &mut DbConn, token: &str) -> Result<()> {
    if let Some(session) = rows::live_by_hash(conn, &hash_token(token))? {
        rows::end(conn, &session.id, &db::now(), Ended::SignedOut.as_str())?;
    }
    Ok(())
}

/// Ends every session of a user (inside the transaction of the change that calls it).
pub fn end_all(conn: &mut DbConn, user_id: &str, why: Ended) -> Result<usize> {
    rows::end_all_of(conn, user_id, &db::now(), why.as_str())
}
