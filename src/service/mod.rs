//! The service layer: validated commands that write a record, its citations, its audit
//! entry and the data version in one transaction, and reads that respect access rules.
pub mod access;
pub mod audit;
pub mod crud;
pub mod input;
pub mod reads;
pub mod resource;
pub mod tokens;
pub mod users;

pub use access::{Caller, UserInfo};
pub use resource::{ListQuery, Page, Resource};
