//! Users and API tokens. A token is shown once; only its SHA-256 hash is stored.
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::sessions::{self, Ended};
use super::{audit, Caller, UserInfo};
use crate::db::{self, DbConn};
use crate::domain::UserRole;
use crate::error::{Error, Result};
use crate::schema::{api_tokens, users};

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Adds a user (or changes the role of an existing one) and issues a new API token.
/// Returns the user and the token in clear text, which is never stored.
pub fn add_user_with_token(
    conn: &mut DbConn,
    name: &str,
    role: UserRole,
) -> Result<(UserInfo, String)> {
    let name = name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(Error::invalid("name", "must be 1 to 100 characters"));
    }
    conn.transaction(|conn| {
        db::bump_data_version(conn)?;
        let existing: Option<String> = users::table
            .filter(users::name.eq(name))
            .select(users::id)
            .first(conn)
            .optional()?;
        let action = if existing.is_some() {
            "update"
        } else {
            "create"
        };
        let id = match existing {
            Some(id) => {
                let changed =
                    diesel::update(users::table.find(&id).filter(users::role.ne(role.as_str())))
                        .set(users::role.eq(role.as_str()))
                        .execute(conn)?;
                if changed > 0 {
                    sessions::end_all(conn, &id, Ended::RoleChanged)?;
                }
                id
            }
            None => {
                let id = db::new_id();
                diesel::insert_into(users::table)
                    .values((
                        users::id.eq(&id),
                        users::name.eq(name),
                        users::role.eq(role.as_str()),
                        users::created_at.eq(db::now()),
                    ))
                    .execute(conn)?;
                id
            }
        };
        // The command line writes as the system; name and role only, never the token.
        let after = serde_json::json!({ "name": name, "role": role.as_str() });
        audit::record(
            conn,
            &Caller::System,
            "user",
            &id,
            action,
            None,
            Some(&after),
        )?;
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = format!("kp_{}", hex::encode(bytes));
        let token_id = db::new_id();
        audit::record::<serde_json::Value>(
            conn,
            &Caller::System,
            "api_token",
            &token_id,
            "create",
            None,
            None,
        )?;
        diesel::insert_into(api_tokens::table)
            .values((
                api_tokens::id.eq(&token_id),
                api_tokens::user_id.eq(&id),
                api_tokens::token_hash.eq(hash_token(&token)),
                api_tokens::created_at.eq(db::now()),
            ))
            .execute(conn)?;
        let user = UserInfo {
            id,
            name: name.to_string(),
            role,
        };
        Ok((user, token))
    })
}

/// The user a bearer token belongs to, if the token is known and not revoked and its
/// user not disabled.
pub fn user_for_token(conn: &mut DbConn, token: &str) -> Result<Option<UserInfo>> {
    let row: Option<(String, String, String)> = api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(hash_token(token)))
        .filter(api_tokens::revoked_at.is_null())
        .filter(users::disabled_at.is_null())
        .select((users::id, users::name, users::role))
        .first(conn)
        .optional()?;
    row.map(|(id, name, role)| {
        let role = role.parse().map_err(Error::Database)?;
        Ok(UserInfo { id, name, role })
    })
    .transpose()
}

pub fn validate_password(password: &str) -> Result<()> {
    if password.chars().count() < 10 {
        return Err(Error::invalid("password", "must be at least 10 characters"));
    }
    Ok(())
}

/// Sets a user's password (argon2 hash) and ends the user's sessions; the user must
/// exist.
pub fn set_password(conn: &mut DbConn, name: &str, password: &str) -> Result<()> {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    validate_password(password)?;
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| Error::Internal(e.to_string()))?
        .to_string();
    conn.transaction(|conn| {
        let id: Option<String> = users::table
            .filter(users::name.eq(name))
            .select(users::id)
            .first(conn)
            .optional()?;
        let Some(id) = id else {
            return Err(Error::invalid("name", format!("no user named {name}")));
        };
        diesel::update(users::table.find(&id))
            .set(users::password_hash.eq(hash))
            .execute(conn)?;
        sessions::end_all(conn, &id, Ended::PasswordChanged)?;
        Ok(())
    })
}

/// The user whose name and password match, if any.
pub fn check_password(conn: &mut DbConn, name: &str, password: &str) -> Result<Option<UserInfo>> {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    // No user name holds control characters: such a name is simply wrong.
    if crate::domain::has_control_chars(name) {
        return Ok(None);
    }
    let row: Option<(String, String, String, Option<String>)> = users::table
        .filter(users::name.eq(name.trim()))
        .filter(users::disabled_at.is_null())
        .select((users::id, users::name, users::role, users::password_hash))
        .first(conn)
        .optional()?;
    let Some((id, name, role, Some(hash))) = row else {
        return Ok(None);
    };
    let parsed = PasswordHash::new(&hash).map_err(|e| Error::Database(e.to_string()))?;
    if argon2::Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_err()
    {
        return Ok(None);
    }
    let role = role.parse().map_err(Error::Database)?;
    Ok(Some(UserInfo { id, name, role }))
}
