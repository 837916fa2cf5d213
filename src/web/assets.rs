//! The stylesheet, built into the binary: pages need no external host.
use rocket::http::ContentType;
use rocket::{get, routes, Route};

const STYLE: &str = include_str!("../../static/style.css");

#[get("/static/style.css")]
fn style() -> (ContentType, &'static str) {
    (ContentType::CSS, STYLE)
}

pub fn routes() -> Vec<Route> {
    routes![style]
}
