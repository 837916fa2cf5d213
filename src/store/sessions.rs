//! Rows of `sessions`: web sign-ins kept on the server (service::sessions decides when
//! one ends).
use diesel::prelude::*;

use crate::db::DbConn;
use crate::domain::UserInfo;
use crate::error::{Error, Result};
use crate::schema::{sessions, users};

/// A session that has not ended, with its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSession {
    pub id: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub user: UserInfo,
    /// The user was disabled after the session began.
    pub user_disabled: bool,
}

pub fn insert(
    conn: &mut DbConn,
    id: &str,
    token_hash: &str,
    user_id: &str,
    now: &str,
) -> Result<()> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(id),
            sessions::token_hash.eq(token_hash),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The session with this token hash, if it has not ended.
pub fn live_by_hash(conn: &mut DbConn, token_hash: &str) -> Result<Option<LiveSession>> {
    type Row = (
        String,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
    );
    let row: Option<Row> = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::ended_at.is_null())
        .select((
            sessions::id,
            sessions::created_at,
            sessions::last_seen_at,
            users::id,
            users::name,
            users::role,
            users::disabled_at,
        ))
        .first(conn)
        .optional()?;
    row.map(
        |(id, created_at, last_seen_at, user_id, name, role, disabled)| {
            Ok(LiveSession {
                id,
                created_at,
                last_seen_at,
                user: UserInfo {
                    id: user_id,
                    name,
                    role: role.parse().map_err(Error::Database)?,
                },
                user_disabled: disabled.is_some(),
            })
        },
    )
    .transpose()
}

pub fn touch(conn: &mut DbConn, id: &str, now: &str) -> Result<()> {
    diesel::update(sessions::table.find(id))
        .set(sessions::last_seen_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Ends one session (if not ended yet).
pub fn end(conn: &mut DbConn, id: &str, now: &str, why: &str) -> Result<()> {
    diesel::update(
        sessions::table
            .find(id)
            .filter(sessions::ended_at.is_null()),
    )
    .set((sessions::ended_at.eq(now), sessions::ended_why.eq(why)))
    .execute(conn)?;
    Ok(())
}

/// Ends every session of a user; returns how many were live.
pub fn end_all_of(conn: &mut DbConn, user_id: &str, now: &str, why: &str) -> Result<usize> {
    Ok(diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::ended_at.is_null()),
    )
    .set((sessions::ended_at.eq(now), sessions::ended_why.eq(why)))
    .execute(conn)?)
}
