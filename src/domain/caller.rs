//! Who is asking: anonymous, a signed-in user with a role, or the system itself (seed, CLI).
use super::UserRole;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    pub id: String,
    pub name: String,
    pub role: UserRole,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    User(UserInfo),
    /// Seed loading and command-line work; recorded in the audit log without a user.
    System,
}

impl Caller {
    /// Fails with 401 for anonymous callers and 403 for too weak a role.
    pub fn require(&self, role: UserRole) -> Result<()> {
        match self {
            Caller::System => Ok(()),
            Caller::Anonymous => Err(Error::Unauthorized),
            Caller::User(u) if u.role.allows(role) => Ok(()),
            Caller::User(_) => Err(Error::Forbidden(role.as_str())),
        }
    }

    /// Signed-in users (any role) and the system may see restricted persons.
    pub fn sees_restricted(&self) -> bool {
        !matches!(self, Caller::Anonymous)
    }

    pub fn user_id(&self) -> Option<&str> {
        match self {
            Caller::User(u) => Some(&u.id),
            _ => None,
        }
    }
}
