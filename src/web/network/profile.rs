//! The pictures on an organisation's profile: its ego network and its funding over time.
use std::sync::Arc;

use super::draw;
use crate::graph::query::{self, GraphQuery, Params, ViewRequest};
use crate::graph::{GraphState, Viewer};
use crate::picture::timeline;
use crate::web::i18n::Lang;

/// The pictures on an organisation's profile: its ego network (one step, persons folded:
/// organisation-level for every visitor) and its funding over time.
pub struct ProfilePictures {
    pub network: Option<String>,
    pub funding: Option<String>,
}

pub async fn profile_pictures(g: &Arc<GraphState>, id: &str, lang: Lang) -> ProfilePictures {
    let s = g.current();
    let id = id.to_string();
    let drawn = rocket::tokio::task::spawn_blocking(move || {
        let params = Params::new([("focus", id.as_str()), ("depth", "1")]);
        let viewer = Viewer::Anonymous;
        let network = query::parse::<ViewRequest>(&s, &params, viewer)
            .ok()
            .map(|request| {
                let view = request.run(&s, viewer);
                crate::picture::picture_sized(&s, &request, &view, viewer, (640.0, 380.0))
            })
            .filter(|p| p.nodes.len() > 1)
            .map(|p| draw(lang, &p));
        let params = Params::new([("organisation", id.as_str())]);
        let grants = query::ask::<query::GrantsReceived>(&s, &params, viewer)
            .map(|a| a.body)
            .unwrap_or_default();
        let bars: Vec<timeline::Bar> = grants
            .iter()
            .map(|g| {
                let mut label = g.funder.name.clone();
                if let Some(p) = &g.programme {
                    label = format!("{label} · {p}");
                }
                let amount = crate::web::amount_text(g.amount_min, g.amount_max);
                if !amount.is_empty() {
                    label = format!("{label} · {amount} EUR");
                }
                timeline::Bar {
                    label,
                    interval: g.interval,
                    project_bound: g.project_bound,
                }
            })
            .collect();
        let today = chrono::Utc::now().date_naive();
        let funding = timeline::funding(&bars, today, lang.t("net.funding_timeline"));
        ProfilePictures { network, funding }
    })
    .await;
    drawn.unwrap_or(ProfilePictures {
        network: None,
        funding: None,
    })
}
