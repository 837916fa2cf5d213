//! Where a form goes after it saved: back to the page it was started from (a checked
//! local `return` path in the address), with a note for that page ("Gespeichert") as a
//! `done` flag that the page layout shows.
use rocket::request::{FromRequest, Outcome, Request};

/// The page a form was started from, when the address names one (`?return=/persons/…`).
/// Only the pages of a person or an organisation are taken: no other path, no host, so a
/// link cannot send the editor elsewhere after the save.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReturnTo(pub Option<String>);

impl ReturnTo {
    /// `path` if it is the page of a person or an organisation.
    pub fn checked(path: &str) -> ReturnTo {
        let ok = ["/persons/", "/organisations/"].iter().any(|prefix| {
            path.strip_prefix(prefix).is_some_and(|id| {
                !id.is_empty()
                    && id.len() <= 64
                    && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
        });
        ReturnTo(ok.then(|| path.to_string()))
    }

    /// `path` with this return carried along (`?return=…`), for form actions and links.
    pub fn carried(&self, path: &str) -> String {
        match &self.0 {
            Some(back) => format!("{path}{}return={back}", joiner(path)),
            None => path.to_string(),
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ReturnTo {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let back = req
            .query_value::<&str>("return")
            .and_then(Result::ok)
            .map(ReturnTo::checked)
            .unwrap_or_default();
        Outcome::Success(back)
    }
}

fn joiner(path: &str) -> char {
    if path.contains('?') {
        '&'
    } else {
        '?'
    }
}

/// What just happened, for the note on the next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Saved,
    Deleted,
    Restored,
}

impl Done {
    fn code(self) -> &'static str {
        match self {
            Done::Saved => "saved",
            Done::Deleted => "deleted",
            Done::Restored => "restored",
        }
    }
}

/// `path` with the note that `done` happened.
pub fn with_done(path: &str, done: Done) -> String {
    format!("{path}{}done={}", joiner(path), done.code())
}

/// The address without its `done=` note: the same page again (in another language, say)
/// must not claim a second time that something was saved.
pub fn without_done(path: &str) -> String {
    let Some((page, query)) = path.split_once('?') else {
        return path.to_string();
    };
    let rest: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.starts_with("done="))
        .collect();
    if rest.is_empty() {
        page.to_string()
    } else {
        format!("{page}?{}", rest.join("&"))
    }
}

/// The label key of the note a page shows for its address (`…?done=saved`), if any.
pub fn notice(path: &str) -> Option<&'static str> {
    let (_, query) = path.split_once('?')?;
    query.split('&').find_map(|pair| match pair {
        "done=saved" => Some("form.done_saved"),
        "done=deleted" => Some("form.done_deleted"),
        "done=restored" => Some("form.done_restored"),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_done_note_is_dropped_from_an_address() {
        assert_eq!(without_done("/sources?done=saved"), "/sources");
        assert_eq!(
            without_done("/persons/x?return=/a&done=deleted&b=1"),
            "/persons/x?return=/a&b=1"
        );
        assert_eq!(without_done("/organisations"), "/organisations");
    }

    use super::*;

    #[test]
    fn only_local_record_pages_are_returned_to() {
        let id = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
        let person = format!("/persons/{id}");
        assert_eq!(ReturnTo::checked(&person).0, Some(person.clone()));
        for bad in [
            "https://evil.example/persons/x",
            "//evil.example",
            "/persons/",
            "/persons/x/../../admin",
            "/persons/x?y=1",
            "/admin",
            "/persons/a b",
            "/\\evil.example",
        ] {
            assert_eq!(ReturnTo::checked(bad), ReturnTo(None), "{bad}");
        }
        let back = ReturnTo::checked(&person);
        assert_eq!(
            back.carried("/affiliations/a/edit"),
            format!("/affiliations/a/edit?return={person}")
        );
    }

    #[test]
    fn the_note_follows_the_address() {
        assert_eq!(
            with_done("/organisations/x", Done::Saved),
            "/organisations/x?done=saved"
        );
        assert_eq!(
            with_done("/admin?a=1", Done::Deleted),
            "/admin?a=1&done=deleted"
        );
        assert_eq!(
            notice("/organisations/x?done=saved"),
            Some("form.done_saved")
        );
        assert_eq!(
            notice("/sources?x=1&done=restored"),
            Some("form.done_restored")
        );
        assert_eq!(notice("/organisations?q=done%3Dsaved"), None);
        assert_eq!(notice("/admin?done=added"), None);
    }
}
