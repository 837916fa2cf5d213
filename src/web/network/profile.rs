//! The pictures on an organisation's profile: its ego network and its funding over time.
use std::sync::Arc;

use super::draw;
use crate::domain::Disclosure;
use crate::graph::query::{self, GraphQuery, Params, ViewRequest};
use crate::graph::{GraphState, Viewer};
use crate::picture::timeline;
use crate::web::i18n::Lang;

/// The pictures on an organisation's profile: its ego network (one step, persons folded:
/// organisation-level for every visitor) and its funding over time.
pub struct ProfilePictures {
    pub network: Option<String>,
    pub funding: Option<String>,
    pub roles: Option<String>,
    /// The persons the roles timeline names (signed-in visitors only).
    pub persons: Disclosure,
}

pub async fn profile_pictures(
    g: &Arc<GraphState>,
    id: &str,
    lang: Lang,
    visitor: Viewer,
) -> ProfilePictures {
    let s = g.current();
    let id = id.to_string();
    // Laying out and drawing are CPU work: on the bounded pool, not tokio's blocking one.
    // When the pool is busy the page comes without its pictures rather than waiting.
    let drawn = crate::http::pool::heavy(move || {
        let params = Params::new([("focus", id.as_str()), ("depth", "1")]);
        let viewer = Viewer::Anonymous;
        let network = query::parse::<ViewRequest>(&s, &params, viewer)
            .ok()
            .and_then(|request| {
                let view = request.run(&s, viewer);
                // The profile draws SVG only: a hub's larger neighbourhood is not laid out
                // here (its "open in the network" link shows it on a canvas).
                (view.nodes.len() <= crate::picture::SVG_MAX_NODES).then(|| {
                    crate::picture::picture_sized(&s, &request, &view, viewer, (640.0, 380.0))
                })
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
                    marked: None,
                }
            })
            .collect();
        let today = chrono::Utc::now().date_naive();
        let funding = timeline::draw(&bars, today, lang.t("net.funding_timeline"));
        // Roles over time: names for signed-in visitors, public persons' roles unnamed
        // for anonymous ones.
        let (bars, persons) = match query::ask::<query::RolesAt>(&s, &params, visitor) {
            Ok(a) => (
                a.body.iter().map(|r| role_bar(lang, r)).collect::<Vec<_>>(),
                a.persons,
            ),
            Err(_) => (Vec::new(), Disclosure::none()),
        };
        let roles = timeline::draw(&bars, today, lang.t("net.roles_timeline"));
        // A timeline not drawn shows nobody.
        let persons = if roles.is_some() {
            persons
        } else {
            Disclosure::none()
        };
        ProfilePictures {
            network,
            funding,
            roles,
            persons,
        }
    })
    .await;
    drawn.unwrap_or(ProfilePictures {
        network: None,
        funding: None,
        roles: None,
        persons: Disclosure::none(),
    })
}

/// A role as a bar: "Name · Vorsitz", or the role alone for an unnamed person.
fn role_bar(lang: Lang, r: &query::RoleOverTime) -> timeline::Bar {
    let role = lang.word(r.role).to_string();
    let mut label = match &r.person {
        Some(p) => format!("{} · {role}", p.name),
        None => role,
    };
    if r.tandem.is_some() {
        label = format!("{label} · {}", lang.t("net.tandem"));
    }
    timeline::Bar {
        label,
        interval: r.interval,
        project_bound: false,
        marked: r.tandem,
    }
}
