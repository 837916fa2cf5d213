//! User management for administrators: list users with their API tokens, add users,
//! change roles, set passwords, issue and revoke tokens. Every write is audited (kinds
//! `user` and `api_token`) without password hashes or tokens in the snapshots.
use diesel::prelude::*;
use rand::RngCore;
use serde_json::{json, Value};

use super::sessions::{self, Ended};
use super::{audit, tokens, Caller, UserInfo};
use crate::db::{self, DbConn};
use crate::domain::UserRole;
use crate::error::{Error, Result};
use crate::schema::{api_tokens, users};

/// One API token as administrators see it: never the token, only its dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: String,
    pub user_id: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

impl TokenInfo {
    pub fn is_revoked(&self) -> bool {
        self.revoked_at.is_some()
    }

    fn snapshot(&self) -> Value {
        json!({
            "id": self.id,
            "user_id": self.user_id,
            "created_at": self.created_at,
            "revoked_at": self.revoked_at,
        })
    }
}

/// A user with role, whether a password is set, and all their tokens (newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserEntry {
    pub id: String,
    pub name: String,
    pub role: UserRole,
    pub has_password: bool,
    pub created_at: String,
    /// Disabled users can neither sign in nor use their API tokens.
    pub disabled_at: Option<String>,
    pub tokens: Vec<TokenInfo>,
}

impl UserEntry {
    pub fn info(&self) -> UserInfo {
        UserInfo {
            id: self.id.clone(),
            name: self.name.clone(),
            role: self.role,
        }
    }

    /// What the audit log keeps of a user: no password hash, only whether one is set.
    fn snapshot(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "role": self.role.as_str(),
            "has_password": self.has_password,
            "created_at": self.created_at,
            "disabled_at": self.disabled_at,
        })
    }
}

/// The message for the `role` field when the last admin would lose the admin role.
pub const LAST_ADMIN: &str = "the last administrator must keep the admin role";
/// The message for the `disabled` field when the last admin would be disabled.
pub const LAST_ADMIN_DISABLED: &str = "the last administrator cannot be disabled";

type UserRow = (
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
);

fn entry_of(row: UserRow, tokens: Vec<TokenInfo>) -> Result<UserEntry> {
    let (id, name, role, hash, created_at, disabled_at) = row;
    Ok(UserEntry {
        id,
        name,
        role: role.parse().map_err(Error::Database)?,
        has_password: hash.is_some(),
        created_at,
        disabled_at,
        tokens,
    })
}

fn user_columns() -> (
    users::id,
    users::name,
    users::role,
    users::password_hash,
    users::created_at,
    users::disabled_at,
) {
    (
        users::id,
        users::name,
        users::role,
        users::password_hash,
        users::created_at,
        users::disabled_at,
    )
}

fn tokens_of(conn: &mut DbConn, user_id: Option<&str>) -> Result<Vec<TokenInfo>> {
    let mut query = api_tokens::table.into_boxed();
    if let Some(id) = user_id {
        query = query.filter(api_tokens::user_id.eq(id.to_string()));
    }
    let rows: Vec<(String, String, String, Option<String>)> = query
        .order((api_tokens::created_at.desc(), api_tokens::id.desc()))
        .select((
            api_tokens::id,
            api_tokens::user_id,
            api_tokens::created_at,
            api_tokens::revoked_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, user_id, created_at, revoked_at)| TokenInfo {
            id,
            user_id,
            created_at,
            revoked_at,
        })
        .collect())
}

/// All users by name, each with their tokens. Admins only.
pub fn list(conn: &mut DbConn, caller: &Caller) -> Result<Vec<UserEntry>> {
    caller.require(UserRole::Admin)?;
    let rows: Vec<UserRow> = users::table
        .order((users::name, users::id))
        .select(user_columns())
        .load(conn)?;
    let mut all_tokens = tokens_of(conn, None)?;
    rows.into_iter()
        .map(|row| {
            let mine = all_tokens
                .iter()
                .filter(|t| t.user_id == row.0)
                .cloned()
                .collect();
            all_tokens.retain(|t| t.user_id != row.0);
            entry_of(row, mine)
        })
        .collect()
}

/// One user by id with their tokens. Admins only.
pub fn get(conn: &mut DbConn, caller: &Caller, id: &str) -> Result<UserEntry> {
    caller.require(UserRole::Admin)?;
    load(conn, id)
}

fn load(conn: &mut DbConn, id: &str) -> Result<UserEntry> {
    if !crate::domain::is_record_id(id) {
        return Err(Error::NotFound {
            kind: "user",
            id: id.to_string(),
        });
    }
    let row: Option<UserRow> = users::table
        .find(id)
        .select(user_columns())
        .first(conn)
        .optional()?;
    let Some(row) = row else {
        return Err(Error::NotFound {
            kind: "user",
            id: id.to_string(),
        });
    };
    let tokens = tokens_of(conn, Some(id))?;
    entry_of(row, tokens)
}

/// Administrators who can still sign in.
fn admin_count(conn: &mut DbConn) -> Result<i64> {
    Ok(users::table
        .filter(users::role.eq(UserRole::Admin.as_str()))
        .filter(users::disabled_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Checks a new user's name: 1 to 100 characters, no control characters.
fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::invalid("name", "must be 1 to 100 characters"));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid(
            "name",
            "must not contain control characters",
        ));
    }
    Ok(name.to_string())
}

/// Adds a user with a role and, if given, a password (at least 10 characters).
pub fn add(
    conn: &mut DbConn,
    caller: &Caller,
    name: &str,
    role: UserRole,
    password: Option<&str>,
) -> Result<UserEntry> {
    caller.require(UserRole::Admin)?;
    let name = check_name(name)?;
    let mut errors = Vec::new();
    if let Some(p) = password {
        if let Err(Error::Validation(list)) = tokens::validate_password(p) {
            errors.extend(list);
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    conn.transaction(|conn| {
        db::bump_data_version(conn)?;
        let taken: i64 = users::table
            .filter(users::name.eq(&name))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(Error::invalid("name", "a user with this name exists"));
        }
        let id = db::new_id();
        diesel::insert_into(users::table)
            .values((
                users::id.eq(&id),
                users::name.eq(&name),
                users::role.eq(role.as_str()),
                users::created_at.eq(db::now()),
            ))
            .execute(conn)?;
        if let Some(p) = password {
            tokens::set_password(conn, &name, p)?;
        }
        let after = load(conn, &id)?;
        audit::record(
            conn,
            caller,
            "user",
            &id,
            "create",
            None,
            Some(&after.snapshot()),
        )?;
        Ok(after)
    })
}

/// Changes a user's role; the last admin keeps the admin role.
pub fn set_role(conn: &mut DbConn, caller: &Caller, id: &str, role: UserRole) -> Result<UserEntry> {
    caller.require(UserRole::Admin)?;
    conn.transaction(|conn| {
        db::bump_data_version(conn)?;
        let before = load(conn, id)?;
        if before.role == role {
            return Ok(before);
        }
        if before.role == UserRole::Admin && before.disabled_at.is_none() && admin_count(conn)? <= 1
        {
            return Err(Error::invalid("role", LAST_ADMIN));
        }
        diesel::update(users::table.find(id))
            .set(users::role.eq(role.as_str()))
            .execute(conn)?;
        // A session signed in under the old role must not keep its rights.
        sessions::end_all(conn, id, Ended::RoleChanged)?;
        let after = load(conn, id)?;
        record_change(conn, caller, "update", &before, &after)?;
        Ok(after)
    })
}

/// Logs a change of an existing user, with what it was before and after.
fn record_change(
    conn: &mut DbConn,
    caller: &Caller,
    action: &str,
    before: &UserEntry,
    after: &UserEntry,
) -> Result<()> {
    audit::record(
        conn,
        caller,
        "user",
        &after.id,
        action,
        Some(&before.snapshot()),
        Some(&after.snapshot()),
    )
}

/// Disables a user (no sign-in, no API token, every session ended) or enables them
/// again. The last administrator who can sign in cannot be disabled.
pub fn set_disabled(
    conn: &mut DbConn,
    caller: &Caller,
    id: &str,
    disabled: bool,
) -> Result<UserEntry> {
    caller.require(UserRole::Admin)?;
    conn.transaction(|conn| {
        db::bump_data_version(conn)?;
        let before = load(conn, id)?;
        if before.disabled_at.is_some() == disabled {
            return Ok(before);
        }
        if disabled && before.role == UserRole::Admin && admin_count(conn)? <= 1 {
            return Err(Error::invalid("disabled", LAST_ADMIN_DISABLED));
        }
        diesel::update(users::table.find(id))
            .set(users::disabled_at.eq(disabled.then(db::now)))
            .execute(conn)?;
        if disabled {
            sessions::end_all(conn, id, Ended::Disabled)?;
        }
        let after = load(conn, id)?;
        record_change(
            conn,
            caller,
            if disabled { "disable" } else { "enable" },
            &before,
            &after,
        )?;
        Ok(after)
    })
}

/// Sets a new password (at least 10 characters); the log only says that one was set.
pub fn set_password(conn: &mut DbConn, caller: &Caller, id: &str, password: &str) -> Result<()> {
    caller.require(UserRole::Admin)?;
    tokens::validate_password(password)?;
    conn.transaction(|conn| {
        db::bump_data_version(conn)?;
        let before = load(conn, id)?;
        tokens::set_password(conn, &before.name, password)?;
        let after = load(conn, id)?;
        record_change(conn, caller, "set_password", &before, &after)?;
        Ok(())
    })
}

/// Issues a new API token for a user. Returns it in clear text once; only its SHA-256
/// hash is stored.
pub fn create_token(
    conn: &mut DbConn,
    caller: &Caller,
    user_id: &str,
) -> Result<(UserEntry, TokenInfo, String)> {
    caller.require(UserRole::Admin)?;
    conn.transaction(|conn| {
        db::bump_data_version(conn)?;
        let user = load(conn, user_id)?;
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = format!("kp_{}", hex::encode(bytes));
        let info = TokenInfo {
            id: db::new_id(),
            user_id: user.id.clone(),
            created_at: db::now(),
            revoked_at: None,
        };
        diesel::insert_into(api_tokens::table)
            .values((
                api_tokens::id.eq(&info.id),
                api_tokens::user_id.eq(&info.user_id),
                api_tokens::token_hash.eq(tokens::hash_token(&token)),
                api_tokens::created_at.eq(&info.created_at),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            caller,
            "api_token",
            &info.id,
            "create",
            None,
            Some(&info.snapshot()),
        )?;
        Ok((user, info, token))
    })
}

/// Revokes a token: it stops working at once. Revoking twice is a conflict.
pub fn revoke_token(conn: &mut DbConn, caller: &Caller, token_id: &str) -> Result<TokenInfo> {
    caller.require(UserRole::Admin)?;
    if !crate::domain::is_record_id(token_id) {
        return Err(Error::NotFound {
            kind: "api_token",
            id: token_id.to_string(),
        });
    }
    conn.transaction(|conn| {
        db::bump_data_version(conn)?;
        let row: Option<(String, String, String, Option<String>)> = api_tokens::table
            .find(token_id)
            .select((
                api_tokens::id,
                api_tokens::user_id,
                api_tokens::created_at,
                api_tokens::revoked_at,
            ))
            .first(conn)
            .optional()?;
        let Some((id, user_id, created_at, revoked_at)) = row else {
            return Err(Error::NotFound {
                kind: "api_token",
                id: token_id.to_string(),
            });
        };
        let before = TokenInfo {
            id,
            user_id,
            created_at,
            revoked_at,
        };
        if before.is_revoked() {
            return Err(Error::Conflict {
                message: "this token is already revoked".into(),
                existing_id: Some(before.id),
            });
        }
        let after = TokenInfo {
            revoked_at: Some(db::now()),
            ..before.clone()
        };
        diesel::update(api_tokens::table.find(token_id))
            .set(api_tokens::revoked_at.eq(&after.revoked_at))
            .execute(conn)?;
        audit::record(
            conn,
            caller,
            "api_token",
            token_id,
            "revoke",
            Some(&before.snapshot()),
            Some(&after.snapshot()),
        )?;
        Ok(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory() -> DbConn {
        let mut conn = DbConn::Sqlite(
            diesel::SqliteConnection::establish(":memory:").expect("in-memory SQLite"),
        );
        db::migrate(&mut conn).expect("migrate");
        conn
    }

    fn admin(conn: &mut DbConn) -> Caller {
        let (user, _) = tokens::add_user_with_token(conn, "root", UserRole::Admin).unwrap();
        Caller::User(user)
    }

    #[test]
    fn users_tokens_and_the_last_admin() {
        let mut conn = memory();
        let root = admin(&mut conn);
        let alice = add(&mut conn, &root, " alice ", UserRole::Viewer, None).unwrap();
        assert_eq!(alice.name, "alice");
        assert!(!alice.has_password);
        assert!(matches!(
            add(&mut conn, &root, "alice", UserRole::Editor, None),
            Err(Error::Validation(_))
        ));
        assert!(matches!(
            add(&mut conn, &root, "bob", UserRole::Editor, Some("short")),
            Err(Error::Validation(_))
        ));
        let viewer = Caller::User(alice.info());
        assert!(matches!(list(&mut conn, &viewer), Err(Error::Forbidden(_))));
        assert!(matches!(
            list(&mut conn, &Caller::Anonymous),
            Err(Error::Unauthorized)
        ));

        let root_id = root.user_id().unwrap().to_string();
        assert!(set_role(&mut conn, &root, &root_id, UserRole::Editor).is_err());
        set_role(&mut conn, &root, &alice.id, UserRole::Admin).unwrap();
        set_role(&mut conn, &root, &root_id, UserRole::Editor).unwrap();

        let (_, info, token) = create_token(&mut conn, &root, &alice.id).unwrap();
        assert!(token.starts_with("kp_"));
        assert_eq!(
            tokens::user_for_token(&mut conn, &token)
                .unwrap()
                .map(|u| u.id),
            Some(alice.id.clone())
        );
        revoke_token(&mut conn, &root, &info.id).unwrap();
        assert_eq!(tokens::user_for_token(&mut conn, &token).unwrap(), None);
        assert!(matches!(
            revoke_token(&mut conn, &root, &info.id),
            Err(Error::Conflict { .. })
        ));

        set_password(&mut conn, &root, &alice.id, "a long enough secret").unwrap();
        assert!(
            tokens::check_password(&mut conn, "alice", "a long enough secret")
                .unwrap()
                .is_some()
        );
        let users = list(&mut conn, &root).unwrap();
        assert_eq!(users.len(), 2);
        assert_eq!(users[0].name, "alice");
        assert_eq!(users[0].tokens.len(), 1);
        assert!(users[0].tokens[0].is_revoked());
        assert!(users[0].has_password);

        let log = audit::list(&mut conn, &root, None, 100, 0).unwrap().items;
        assert!(log.iter().any(|c| c.record_kind == "api_token"));
        for c in &log {
            let text = format!("{:?}{:?}", c.before_json, c.after_json);
            assert!(!text.contains("argon2") && !text.contains(&token), "{text}");
        }
    }
}
