//! Knotenpunkt: a registry and relationship database for migrant organisations.
pub mod api;
pub mod app;
pub mod db;
pub mod domain;
pub mod error;
pub mod export;
pub mod generate;
pub mod graph;
pub mod http;
pub mod import;
pub mod picture;
pub mod schema;
pub mod secret;
pub mod seed;
pub mod service;
pub mod store;
pub mod web;
