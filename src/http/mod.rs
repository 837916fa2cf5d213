//! What the two HTTP faces (JSON API and pages) share: the read log of shown persons,
//! security headers, query parameters for graph requests, and running graph requests
//! off the async workers.
pub mod disclosure;
pub mod errors;
pub mod export;
pub mod graph;
pub mod params;
pub mod pool;
pub mod security;

pub use disclosure::{ReadLog, ServedTo, Shown};
pub use security::SecurityHeaders;
