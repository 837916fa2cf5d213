//! Security headers on every answer: a Content-Security-Policy that allows only the
//! service's own scripts, styles and images (no inline script, no foreign origin, no
//! framing), no referrer to other sites, and no content-type guessing.
use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Request, Response};

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

pub struct SecurityHeaders;

#[rocket::async_trait]
impl Fairing for SecurityHeaders {
    fn info(&self) -> Info {
        Info {
            name: "security headers",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, _req: &'r Request<'_>, res: &mut Response<'r>) {
        res.set_raw_header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        res.set_raw_header("Referrer-Policy", "no-referrer");
        res.set_raw_header("X-Content-Type-Options", "nosniff");
        res.set_raw_header("X-Frame-Options", "DENY");
    }
}
