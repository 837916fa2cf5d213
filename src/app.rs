//! Assembles the service: settings, database pool, migrations, first-start seed, routes.
use std::path::PathBuf;

use std::sync::Arc;

use rocket::fairing::AdHoc;
use rocket::figment::Figment;
use rocket::http::Method;
use rocket::{Build, Rocket};
use serde::Deserialize;

use crate::db::{self, Db};
use crate::error::{Error, Result};
use crate::graph::GraphState;

/// Knotenpunkt's own settings, read from Rocket.toml and the environment.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    #[serde(default = "default_database_url")]
    pub database_url: String,
    #[serde(default = "default_pool_size")]
    pub pool_size: u32,
    #[serde(default = "default_true")]
    pub seed_on_empty: bool,
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// The header a trusted reverse proxy puts the client's address in (e.g.
    /// `X-Real-IP`). Unset, the peer's own address counts, and no header a client sends
    /// can pose as another address (sign-in limits count per address).
    #[serde(default)]
    pub trusted_proxy_header: Option<String>,
    /// A web session ends after this many minutes without a request…
    #[serde(default = "default_session_idle_minutes")]
    pub session_idle_minutes: u32,
    /// …and this many hours after sign-in in any case.
    #[serde(default = "default_session_lifetime_hours")]
    pub session_lifetime_hours: u32,
    /// Session cookies only over HTTPS. Unset, on when Rocket serves TLS itself (`tls`);
    /// set it to true behind a proxy that terminates HTTPS.
    #[serde(default)]
    pub secure_cookies: Option<bool>,
    /// Network views up to this many nodes are drawn as SVG; larger ones (up to
    /// `picture::LAYOUT_MAX_NODES`) on a canvas by the page's script.
    #[serde(default = "default_svg_max_nodes")]
    pub network_svg_max_nodes: usize,
}

fn default_session_idle_minutes() -> u32 {
    30
}
fn default_session_lifetime_hours() -> u32 {
    12
}

fn default_database_url() -> String {
    "data/knotenpunkt.db".into()
}
fn default_pool_size() -> u32 {
    8
}
fn default_true() -> bool {
    true
}
fn default_data_dir() -> PathBuf {
    "data".into()
}
fn default_svg_max_nodes() -> usize {
    crate::picture::SVG_MAX_NODES
}

impl Settings {
    /// Rocket.toml and `ROCKET_*` as Rocket reads them, with `DATABASE_URL` on top.
    pub fn figment() -> Figment {
        let mut figment = rocket::Config::figment();
        if let Ok(url) = std::env::var("DATABASE_URL") {
            figment = figment.merge(("database_url", url));
        }
        figment
    }

    pub fn from_figment(figment: &Figment) -> Result<Settings> {
        figment
            .extract()
            .map_err(|e| Error::Internal(format!("configuration: {e}")))
    }
}

/// Connects, migrates, seeds an empty database if configured, and prepares the routes.
pub fn build(figment: Figment) -> Result<Rocket<Build>> {
    let settings = Settings::from_figment(&figment)?;
    let db = Db::connect(&settings.database_url, settings.pool_size)?;
    {
        let mut conn = db.conn()?;
        db::migrate(&mut conn)?;
        if settings.seed_on_empty && crate::seed::is_empty(&mut conn)? {
            let report = crate::seed::load_builtin(&mut conn)?;
            rocket::info!("seeded an empty database: {report}");
        }
    }
    let figment = crate::secret::ensure_secret_key(figment, &settings)?;
    // Rocket trusts `X-Real-IP` by default; only a configured proxy header is trusted.
    let figment = match &settings.trusted_proxy_header {
        Some(header) => figment.merge(("ip_header", header.as_str())),
        None => figment.merge(("ip_header", false)),
    };
    // The upload page takes files up to the import's limit even where no Rocket.toml
    // sets the form limit (Rocket's default is 2 MiB).
    let figment = if figment.contains("limits.data-form") {
        figment
    } else {
        figment.merge(("limits.data-form", "101 MiB"))
    };
    // The network page's opening views and the views asked before a change are laid
    // out ahead, off the request path.
    let prepare: crate::graph::Prepare = Box::new(crate::picture::prepare::prepare);
    let graph = GraphState::start_preparing(db.pool().clone(), Some(prepare))?;
    let sessions = crate::web::session::SessionSettings {
        lifetimes: crate::service::sessions::Lifetimes {
            idle: chrono::Duration::minutes(settings.session_idle_minutes.max(1).into()),
            lifetime: chrono::Duration::hours(settings.session_lifetime_hours.max(1).into()),
        },
        secure: settings
            .secure_cookies
            .unwrap_or_else(|| figment.contains("tls")),
    };
    let rocket = rocket::custom(figment)
        .manage(sessions)
        .manage(db)
        .manage(graph)
        .manage(crate::graph::centrality::job::ExactJobs::new(
            crate::graph::query::MAX_RANKED,
        ))
        .manage(crate::picture::Limits::new(settings.network_svg_max_nodes))
        .attach(crate::http::ReadLog)
        .attach(crate::http::SecurityHeaders)
        .attach(AdHoc::on_response("graph refresh", |req, _res| {
            Box::pin(async move {
                // A write is in the graph before it is answered (read-your-writes): the
                // snapshot takes the changes since its version, a few milliseconds.
                if req.method() != Method::Get {
                    if let Some(g) = req.rocket().state::<Arc<GraphState>>().cloned() {
                        let _ = rocket::tokio::task::spawn_blocking(move || g.catch_up()).await;
                    }
                }
            })
        }));
    Ok(crate::web::mount(crate::api::mount(rocket)))
}
