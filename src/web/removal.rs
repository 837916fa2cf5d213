//! Delete with confirmation and restore, the same for every kind of record: a page that
//! asks, a post that soft-deletes, a post that restores, each back to the record's page
//! (or to the page the deletion was started from) with a note of what happened.
use askama::Template;
use rocket::response::Redirect;

use super::auth::check_csrf;
use super::forms::{with_done, Done, ReturnTo};
use super::i18n::Lang;
use super::{fail, render_showing, Chrome, HtmlError, ShownPage};
use crate::db::Db;
use crate::db::DbConn;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::service::{crud, Caller, Resource};
use crate::store::refs;

/// A record that the web pages can delete and restore.
pub(crate) trait Removable: Resource {
    /// Where the record with this id is shown; delete and restore go back there.
    fn home(&self, id: &str) -> String;
    /// What the confirmation page names, e.g. "Stiftung EVZ → Romano Drom e.V.", with
    /// a role or relation kind in the page's language.
    fn describe(&self, conn: &mut DbConn, lang: Lang) -> String;
    /// The person it is about (id, name), shown as a link beside the description so the
    /// page carries the id the read log needs.
    fn person(&self, _conn: &mut DbConn) -> Option<(String, String)> {
        None
    }
    /// A deleted record this one hangs on (its page, its name): it must come back first.
    fn blocked_by(&self, _conn: &mut DbConn) -> Option<(String, String)> {
        None
    }
}

/// The first deleted organisation among `ids`, as (page, name).
fn deleted_organisation(conn: &mut DbConn, ids: &[&str]) -> Option<(String, String)> {
    ids.iter()
        .find_map(|id| match refs::organisation_live(conn, id) {
            Ok(false) => {
                let name = crud::load_full::<Organisation>(conn, id).ok()??.data.name;
                Some((format!("/organisations/{id}"), name))
            }
            _ => None,
        })
}

/// An organisation's name for descriptions (its id if it cannot be read).
pub(crate) fn organisation_name(conn: &mut DbConn, id: &str) -> String {
    crud::get::<Organisation>(conn, &Caller::System, id)
        .map(|r| r.data.name)
        .unwrap_or_else(|_| id.to_string())
}

impl Removable for Organisation {
    fn home(&self, id: &str) -> String {
        format!("/organisations/{id}")
    }
    fn describe(&self, _: &mut DbConn, _: Lang) -> String {
        self.name.clone()
    }
}

impl Removable for Person {
    fn home(&self, id: &str) -> String {
        format!("/persons/{id}")
    }
    fn describe(&self, _: &mut DbConn, _: Lang) -> String {
        self.display_name.clone()
    }
}

impl Removable for Affiliation {
    fn home(&self, _id: &str) -> String {
        format!("/organisations/{}", self.organisation_id)
    }
    fn describe(&self, conn: &mut DbConn, lang: Lang) -> String {
        let org = organisation_name(conn, &self.organisation_id);
        format!("{} – {org}", lang.word(self.role))
    }
    fn person(&self, conn: &mut DbConn) -> Option<(String, String)> {
        // Deleted persons too: their roles are restored with them.
        let person = crud::load_full::<Person>(conn, &self.person_id).ok()??;
        Some((person.id, person.data.display_name))
    }
    fn blocked_by(&self, conn: &mut DbConn) -> Option<(String, String)> {
        if let Ok(false) = refs::person_live(conn, &self.person_id) {
            let (id, name) = self.person(conn)?;
            return Some((format!("/persons/{id}"), name));
        }
        deleted_organisation(conn, &[&self.organisation_id])
    }
}

impl Removable for Funding {
    fn home(&self, _id: &str) -> String {
        format!("/organisations/{}", self.recipient_id)
    }
    fn describe(&self, conn: &mut DbConn, _: Lang) -> String {
        let funder = organisation_name(conn, &self.funder_id);
        let recipient = organisation_name(conn, &self.recipient_id);
        let amount = super::amount(self.amount_min, self.amount_max, &self.currency);
        let period = super::period(self.start, self.end);
        format!("{funder} → {recipient}: {amount}, {period}")
    }
    fn blocked_by(&self, conn: &mut DbConn) -> Option<(String, String)> {
        deleted_organisation(conn, &[&self.funder_id, &self.recipient_id])
    }
}

impl Removable for Relation {
    fn home(&self, _id: &str) -> String {
        format!("/organisations/{}", self.source_id)
    }
    fn describe(&self, conn: &mut DbConn, lang: Lang) -> String {
        let source = organisation_name(conn, &self.source_id);
        let target = organisation_name(conn, &self.target_id);
        format!("{source} – {} – {target}", lang.word(self.kind))
    }
    fn blocked_by(&self, conn: &mut DbConn) -> Option<(String, String)> {
        deleted_organisation(conn, &[&self.source_id, &self.target_id])
    }
}

impl Removable for Source {
    fn home(&self, _id: &str) -> String {
        "/sources".into()
    }
    fn describe(&self, _: &mut DbConn, _: Lang) -> String {
        self.title.clone()
    }
}

#[derive(Template)]
#[template(path = "confirm_delete.html")]
struct ConfirmView {
    chrome: Chrome,
    action: String,
    name: String,
    person: Option<(String, String)>,
    back: String,
}

/// Loads a record for an editor, deleted or not.
fn load_for_editor<R: Removable>(conn: &mut DbConn, caller: &Caller, id: &str) -> Result<R> {
    caller.require(UserRole::Editor)?;
    match crud::load_full::<R>(conn, id)? {
        Some(r) => Ok(r.data),
        None => Err(Error::NotFound {
            kind: R::KIND,
            id: id.into(),
        }),
    }
}

/// "Really delete?" with the record named and a way back (to `back` when the deletion
/// was started from another page).
pub(crate) async fn confirm<R: Removable>(
    chrome: Chrome,
    db: &Db,
    prefix: &str,
    id: &str,
    back: ReturnTo,
) -> ShownPage
where
    Record<R>: ShowsPerson,
{
    let (caller, lang, key) = (chrome.caller.clone(), chrome.lang, id.to_string());
    let (name, person, home, shown) = {
        db.run(move |c| {
            caller.require(UserRole::Editor)?;
            let record = crud::get::<R>(c, &caller, &key)?;
            let home = record.data.home(&key);
            let shown = Disclosure::of_records([&record]);
            Ok((
                record.data.describe(c, lang),
                record.data.person(c),
                home,
                shown,
            ))
        })
        .await
        .map_err(|e| fail(&chrome, e))?
    };
    let page = ConfirmView {
        chrome,
        action: back.carried(&format!("{prefix}/{id}/delete")),
        name,
        person,
        back: back.0.unwrap_or(home),
    };
    render_showing(&page, shown)
}

/// Soft-deletes (or restores) a record from a form post with a valid CSRF token, then
/// goes back to the record's page, or to `back`, saying what happened.
pub(crate) async fn delete_or_restore<R: Removable>(
    chrome: Chrome,
    db: &Db,
    id: &str,
    csrf: &str,
    restore: bool,
    back: ReturnTo,
) -> Result<Redirect, HtmlError> {
    check_csrf(&chrome, csrf)?;
    let (caller, key) = (chrome.caller.clone(), id.to_string());
    let home = db
        .run(move |c| {
            let record = load_for_editor::<R>(c, &caller, &key)?;
            match restore {
                true => crud::restore::<R>(c, &caller, &key).map(|_| ())?,
                false => crud::delete::<R>(c, &caller, &key)?,
            }
            Ok(record.home(&key))
        })
        .await
        .map_err(|e| fail(&chrome, e))?;
    let done = match restore {
        true => Done::Restored,
        false => Done::Deleted,
    };
    Ok(Redirect::to(with_done(&back.0.unwrap_or(home), done)))
}

/// The three removal routes of one kind of record, mounted under `$prefix`.
macro_rules! removal_routes {
    ($module:ident, $prefix:literal, $ty:ty) => {
        pub(crate) mod $module {
            use rocket::form::Form;
            use rocket::response::Redirect;
            use rocket::{get, post, routes, Route, State};

            use crate::db::Db;
            use crate::web::forms::ReturnTo;
            use crate::web::organisations::CsrfOnly;
            use crate::web::removal::{confirm, delete_or_restore};
            use crate::web::{Chrome, HtmlError, ShownPage};

            #[get("/<id>/delete")]
            async fn confirm_delete(
                chrome: Chrome,
                db: &State<Db>,
                id: &str,
                back: ReturnTo,
            ) -> ShownPage {
                confirm::<$ty>(chrome, db, $prefix, id, back).await
            }

            #[post("/<id>/delete", data = "<form>")]
            async fn delete(
                chrome: Chrome,
                db: &State<Db>,
                id: &str,
                back: ReturnTo,
                form: Form<CsrfOnly>,
            ) -> Result<Redirect, HtmlError> {
                delete_or_restore::<$ty>(chrome, db, id, &form.csrf, false, back).await
            }

            #[post("/<id>/restore", data = "<form>")]
            async fn restore(
                chrome: Chrome,
                db: &State<Db>,
                id: &str,
                back: ReturnTo,
                form: Form<CsrfOnly>,
            ) -> Result<Redirect, HtmlError> {
                delete_or_restore::<$ty>(chrome, db, id, &form.csrf, true, back).await
            }

            pub fn routes() -> Vec<Route> {
                routes![confirm_delete, delete, restore]
            }
        }
    };
}

removal_routes!(
    organisation_removal,
    "/organisations",
    crate::domain::Organisation
);
removal_routes!(person_removal, "/persons", crate::domain::Person);
removal_routes!(
    affiliation_removal,
    "/affiliations",
    crate::domain::Affiliation
);
removal_routes!(funding_removal, "/fundings", crate::domain::Funding);
removal_routes!(relation_removal, "/relations", crate::domain::Relation);
removal_routes!(source_removal, "/sources", crate::domain::Source);

/// Every removal route, each with the prefix it must be mounted at.
pub(crate) fn mounts() -> Vec<(&'static str, Vec<rocket::Route>)> {
    vec![
        ("/organisations", organisation_removal::routes()),
        ("/persons", person_removal::routes()),
        ("/affiliations", affiliation_removal::routes()),
        ("/fundings", funding_removal::routes()),
        ("/relations", relation_removal::routes()),
        ("/sources", source_removal::routes()),
    ]
}
