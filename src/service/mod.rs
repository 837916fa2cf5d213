//! The service layer: validated commands that write a record, its citations, its audit
//! entry and the data version in one transaction, and reads that respect access rules.
pub mod audit;
pub mod crud;
pub mod data_subject;
pub mod input;
pub mod reads;
pub mod sessions;
pub mod tokens;
pub mod users;

// These types live below this layer (the store needs them); re-exported so that callers
// keep naming them as the service's vocabulary.
pub use crate::domain::{Caller, UserInfo};
pub use crate::store::{ListQuery, Page, Resource};
