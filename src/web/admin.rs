//! The administration page: users with their roles and API tokens; add users, change
//! roles, set passwords, issue tokens (shown once) and revoke them. Admins only.
use askama::Template;
use rocket::form::{Form, FromForm};
use rocket::http::{Header, Status};
use rocket::response::content::RawHtml;
use rocket::response::Redirect;
use rocket::{get, post, routes, Responder, Route, State};

use super::auth::check_csrf;
use super::forms::FieldErrors;
use super::i18n::Labels;
use super::{fail, render, Chrome, HtmlError, Page};
use crate::db::Db;
use crate::domain::UserRole;
use crate::error::Error;
use crate::service::users::{self, UserEntry};

pub const LABELS: Labels = &[
    ("admin.title", "Verwaltung", "Administration"),
    ("admin.users", "Benutzer", "Users"),
    ("admin.add_user", "Benutzer anlegen", "Add a user"),
    ("admin.user_name", "Benutzername", "User name"),
    ("admin.role", "Rolle", "Role"),
    ("admin.password", "Passwort", "Password"),
    (
        "admin.password_hint",
        "optional, mindestens 10 Zeichen",
        "optional, at least 10 characters",
    ),
    ("admin.new_password", "Neues Passwort", "New password"),
    ("admin.set_password", "Passwort setzen", "Set password"),
    ("admin.has_password", "Passwort gesetzt", "Password set"),
    ("admin.no_password", "kein Passwort", "no password"),
    ("admin.change_role", "Rolle ändern", "Change role"),
    ("admin.created", "Angelegt", "Created"),
    ("admin.tokens", "API-Tokens", "API tokens"),
    ("admin.no_tokens", "keine", "none"),
    ("admin.create_token", "Neues Token", "New token"),
    ("admin.revoke", "Widerrufen", "Revoke"),
    ("admin.revoked", "widerrufen", "revoked"),
    ("admin.active", "gültig", "valid"),
    ("admin.token_title", "Neues API-Token", "New API token"),
    (
        "admin.token_once",
        "Dieses Token wird nur jetzt angezeigt. Bitte sicher aufbewahren; gespeichert wird nur sein Hash.",
        "This token is shown only now. Keep it safe; only its hash is stored.",
    ),
    ("admin.token_for", "Für", "For"),
    ("admin.back", "Zurück zur Verwaltung", "Back to administration"),
    ("admin.done.added", "Benutzer angelegt.", "User added."),
    ("admin.done.role", "Rolle geändert.", "Role changed."),
    ("admin.done.password", "Passwort gesetzt.", "Password set."),
    ("admin.done.revoked", "Token widerrufen.", "Token revoked."),
    (
        "admin.done.disabled",
        "Benutzer gesperrt; seine Sitzungen sind beendet.",
        "User disabled; their sessions have ended.",
    ),
    ("admin.done.enabled", "Benutzer entsperrt.", "User enabled."),
    ("admin.disable", "Sperren", "Disable"),
    ("admin.enable", "Entsperren", "Enable"),
    ("admin.disabled", "gesperrt seit", "disabled since"),
    (
        "admin.last_admin_disabled",
        "Der letzte Administrator kann nicht gesperrt werden.",
        "The last administrator cannot be disabled.",
    ),
    (
        "admin.last_admin",
        "Der letzte Administrator muss die Admin-Rolle behalten.",
        "The last administrator must keep the admin role.",
    ),
];

#[derive(Debug, Default, Clone, FromForm)]
pub struct AddUserForm {
    #[field(default = String::new())]
    pub csrf: String,
    #[field(default = String::new())]
    pub name: String,
    #[field(default = String::new())]
    pub role: String,
    #[field(default = String::new())]
    pub password: String,
}

#[derive(Debug, Default, Clone, FromForm)]
pub struct RoleForm {
    #[field(default = String::new())]
    pub csrf: String,
    #[field(default = String::new())]
    pub role: String,
}

#[derive(Debug, Default, Clone, FromForm)]
pub struct PasswordForm {
    #[field(default = String::new())]
    pub csrf: String,
    #[field(default = String::new())]
    pub password: String,
}

#[derive(FromForm)]
pub struct CsrfOnly {
    #[field(default = String::new())]
    csrf: String,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminView {
    chrome: Chrome,
    users: Vec<UserEntry>,
    /// The add-user form as typed (without the password).
    add: AddUserForm,
    add_errors: FieldErrors,
    /// The user whose row form was refused, with its messages.
    row_user: Option<String>,
    row_errors: FieldErrors,
    notice: Option<&'static str>,
}

impl AdminView {
    /// A message for a field of one user's row forms.
    fn row_error(&self, user_id: &str, field: &str) -> Option<&str> {
        match &self.row_user {
            Some(u) if u == user_id => self.row_errors.get(field),
            _ => None,
        }
    }
}

#[derive(Template)]
#[template(path = "admin_token.html")]
struct TokenView {
    chrome: Chrome,
    user_name: String,
    token: String,
}

/// The one page that shows a token: not to be kept by any cache.
#[derive(Responder)]
pub struct NoStore {
    inner: RawHtml<String>,
    cache: Header<'static>,
}

fn require_admin(chrome: &Chrome) -> Result<(), HtmlError> {
    chrome
        .caller
        .require(UserRole::Admin)
        .map_err(|e| fail(chrome, e))
}

async fn admin_page(
    chrome: Chrome,
    db: &Db,
    add: AddUserForm,
    add_errors: FieldErrors,
    row: Option<(String, FieldErrors)>,
    notice: Option<&'static str>,
) -> Page {
    let caller = chrome.caller.clone();
    let users = db
        .run(move |c| users::list(c, &caller))
        .await
        .map_err(|e| fail(&chrome, e))?;
    let (row_user, row_errors) = match row {
        Some((u, e)) => (Some(u), e),
        None => (None, FieldErrors::default()),
    };
    render(&AdminView {
        chrome,
        users,
        add: AddUserForm {
            csrf: String::new(),
            password: String::new(),
            ..add
        },
        add_errors,
        row_user,
        row_errors,
        notice,
    })
}

/// The page again with the messages, as a 422 (or the failure page).
async fn refused(
    chrome: Chrome,
    db: &Db,
    add: AddUserForm,
    add_errors: FieldErrors,
    row: Option<(String, FieldErrors)>,
) -> HtmlError {
    match admin_page(chrome, db, add, add_errors, row, None).await {
        Ok(html) => HtmlError {
            status: Status::UnprocessableEntity,
            html: html.0,
        },
        Err(e) => e,
    }
}

/// An empty add-user form with the weakest role chosen.
fn fresh_form() -> AddUserForm {
    AddUserForm {
        role: UserRole::Viewer.as_str().into(),
        ..<AddUserForm as Default>::default()
    }
}

fn notice_of(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "added" => Some("admin.done.added"),
        "role" => Some("admin.done.role"),
        "password" => Some("admin.done.password"),
        "revoked" => Some("admin.done.revoked"),
        "disabled" => Some("admin.done.disabled"),
        "enabled" => Some("admin.done.enabled"),
        _ => None,
    }
}

#[get("/?<done>")]
async fn index(chrome: Chrome, db: &State<Db>, done: Option<&str>) -> Page {
    require_admin(&chrome)?;
    let notice = notice_of(done);
    admin_page(
        chrome,
        db,
        fresh_form(),
        FieldErrors::default(),
        None,
        notice,
    )
    .await
}

/// A role typed into a form, or the message for the `role` field.
fn parse_role(errors: &mut FieldErrors, text: &str) -> Option<UserRole> {
    if text.trim().is_empty() {
        errors.add("role", "is required");
        return None;
    }
    errors.choice::<UserRole>("role", text)
}

#[post("/users", data = "<form>")]
async fn add_user(
    chrome: Chrome,
    db: &State<Db>,
    form: Form<AddUserForm>,
) -> Result<Redirect, HtmlError> {
    check_csrf(&chrome, &form.csrf)?;
    require_admin(&chrome)?;
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let role = parse_role(&mut errors, &form.role);
    if form.name.trim().is_empty() {
        errors.add("name", "is required");
    }
    // The password's rules in the same pass, so every problem shows at once.
    if !form.password.is_empty() {
        if let Err(Error::Validation(list)) =
            crate::service::tokens::validate_password(&form.password)
        {
            errors.0.extend(list);
        }
    }
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        return Err(refused(chrome, db, form, errors, None).await);
    };
    let (caller, f) = (chrome.caller.clone(), form.clone());
    let outcome = db
        .run(move |c| {
            let password = Some(f.password.as_str()).filter(|p| !p.is_empty());
            Ok(users::add(c, &caller, &f.name, role, password))
        })
        .await
        .map_err(|e| fail(&chrome, e))?;
    match outcome {
        Ok(_) => Ok(Redirect::to("/admin?done=added")),
        Err(Error::Validation(list)) => {
            Err(refused(chrome, db, form, FieldErrors(list), None).await)
        }
        Err(other) => Err(fail(&chrome, other)),
    }
}

#[post("/users/<id>/role", data = "<form>")]
async fn change_role(
    chrome: Chrome,
    db: &State<Db>,
    id: &str,
    form: Form<RoleForm>,
) -> Result<Redirect, HtmlError> {
    check_csrf(&chrome, &form.csrf)?;
    require_admin(&chrome)?;
    let mut errors = FieldErrors::default();
    let Some(role) = parse_role(&mut errors, &form.role) else {
        let row = Some((id.to_string(), errors));
        return Err(refused(chrome, db, fresh_form(), FieldErrors::default(), row).await);
    };
    let (caller, key) = (chrome.caller.clone(), id.to_string());
    let outcome = db
        .run(move |c| Ok(users::set_role(c, &caller, &key, role)))
        .await
        .map_err(|e| fail(&chrome, e))?;
    match outcome {
        Ok(_) => Ok(Redirect::to("/admin?done=role")),
        Err(Error::Validation(list)) => {
            let mut errors = FieldErrors::default();
            for e in list {
                // The last-admin rule gets its message in the page's language.
                let message = if e.field == "role" && e.message == users::LAST_ADMIN {
                    chrome.t("admin.last_admin").to_string()
                } else {
                    e.message
                };
                errors.add(&e.field, message);
            }
            let row = Some((id.to_string(), errors));
            Err(refused(chrome, db, fresh_form(), FieldErrors::default(), row).await)
        }
        Err(other) => Err(fail(&chrome, other)),
    }
}

/// Disables a user: no sign-in, no API token, and every session ends at once.
#[post("/users/<id>/disable", data = "<form>")]
async fn disable(
    chrome: Chrome,
    db: &State<Db>,
    id: &str,
    form: Form<CsrfOnly>,
) -> Result<Redirect, HtmlError> {
    set_disabled(chrome, db, id, &form.csrf, true).await
}

#[post("/users/<id>/enable", data = "<form>")]
async fn enable(
    chrome: Chrome,
    db: &State<Db>,
    id: &str,
    form: Form<CsrfOnly>,
) -> Result<Redirect, HtmlError> {
    set_disabled(chrome, db, id, &form.csrf, false).await
}

async fn set_disabled(
    chrome: Chrome,
    db: &State<Db>,
    id: &str,
    csrf: &str,
    disabled: bool,
) -> Result<Redirect, HtmlError> {
    check_csrf(&chrome, csrf)?;
    require_admin(&chrome)?;
    let (caller, key) = (chrome.caller.clone(), id.to_string());
    let outcome = db
        .run(move |c| Ok(users::set_disabled(c, &caller, &key, disabled)))
        .await
        .map_err(|e| fail(&chrome, e))?;
    match outcome {
        Ok(_) if disabled => Ok(Redirect::to("/admin?done=disabled")),
        Ok(_) => Ok(Redirect::to("/admin?done=enabled")),
        Err(Error::Validation(_)) => {
            let mut errors = FieldErrors::default();
            errors.add(
                "disabled",
                chrome.t("admin.last_admin_disabled").to_string(),
            );
            let row = Some((id.to_string(), errors));
            Err(refused(chrome, db, fresh_form(), FieldErrors::default(), row).await)
        }
        Err(other) => Err(fail(&chrome, other)),
    }
}

#[post("/users/<id>/password", data = "<form>")]
async fn set_password(
    chrome: Chrome,
    db: &State<Db>,
    id: &str,
    form: Form<PasswordForm>,
) -> Result<Redirect, HtmlError> {
    check_csrf(&chrome, &form.csrf)?;
    require_admin(&chrome)?;
    let (caller, key, password) = (chrome.caller.clone(), id.to_string(), form.password.clone());
    let outcome = db
        .run(move |c| Ok(users::set_password(c, &caller, &key, &password)))
        .await
        .map_err(|e| fail(&chrome, e))?;
    match outcome {
        Ok(()) => Ok(Redirect::to("/admin?done=password")),
        Err(Error::Validation(list)) => {
            let row = Some((id.to_string(), FieldErrors(list)));
            Err(refused(chrome, db, fresh_form(), FieldErrors::default(), row).await)
        }
        Err(other) => Err(fail(&chrome, other)),
    }
}

/// Issues a token and shows it once, on this answer only.
#[post("/users/<id>/tokens", data = "<form>")]
async fn create_token(
    chrome: Chrome,
    db: &State<Db>,
    id: &str,
    form: Form<CsrfOnly>,
) -> Result<NoStore, HtmlError> {
    check_csrf(&chrome, &form.csrf)?;
    require_admin(&chrome)?;
    let (caller, key) = (chrome.caller.clone(), id.to_string());
    let (user, _, token) = db
        .run(move |c| users::create_token(c, &caller, &key))
        .await
        .map_err(|e| fail(&chrome, e))?;
    let html = render(&TokenView {
        chrome,
        user_name: user.name,
        token,
    })?;
    Ok(NoStore {
        inner: html,
        cache: Header::new("Cache-Control", "no-store"),
    })
}

#[post("/tokens/<id>/revoke", data = "<form>")]
async fn revoke_token(
    chrome: Chrome,
    db: &State<Db>,
    id: &str,
    form: Form<CsrfOnly>,
) -> Result<Redirect, HtmlError> {
    check_csrf(&chrome, &form.csrf)?;
    require_admin(&chrome)?;
    let (caller, key) = (chrome.caller.clone(), id.to_string());
    db.run(move |c| users::revoke_token(c, &caller, &key))
        .await
        .map_err(|e| fail(&chrome, e))?;
    Ok(Redirect::to("/admin?done=revoked"))
}

pub fn routes() -> Vec<Route> {
    routes![
        index,
        add_user,
        change_role,
        set_password,
        disable,
        enable,
        create_token,
        revoke_token
    ]
}
