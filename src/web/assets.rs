//! The stylesheet and the network page's script, built into the binary: pages need no
//! external host.
use rocket::http::ContentType;
use rocket::{get, routes, Route};

const STYLE: &str = include_str!("../../static/style.css");
const NETWORK_SCRIPT: &str = include_str!("../../static/network.js");
const NETWORK_CANVAS_SCRIPT: &str = include_str!("../../static/network-canvas.js");

#[get("/static/style.css")]
fn style() -> (ContentType, &'static str) {
    (ContentType::CSS, STYLE)
}

/// The network page's pan, zoom and highlight (our own; no third-party script).
#[get("/static/network.js")]
fn network_script() -> (ContentType, &'static str) {
    (ContentType::JavaScript, NETWORK_SCRIPT)
}

/// The network page's canvas for views above the SVG limit (our own as well).
#[get("/static/network-canvas.js")]
fn network_canvas_script() -> (ContentType, &'static str) {
    (ContentType::JavaScript, NETWORK_CANVAS_SCRIPT)
}

pub fn routes() -> Vec<Route> {
    routes![style, network_script, network_canvas_script]
}
