//! The seven routes every resource has: list, create, get, update, delete, restore.
use rocket::form::FromForm;

use crate::error::{Error, FieldError};
use crate::service::ListQuery;

/// Query parameters of list routes, parsed by hand so that bad numbers get a field error
/// (the OpenAPI document shows the values that are accepted).
#[derive(Debug, Default, FromForm, utoipa::IntoParams)]
pub struct ListParams {
    /// Name, short name or title contains this (any case).
    pub q: Option<String>,
    /// Organisations: their kind; affiliations: the role; fundings: the status;
    /// relations: the relation kind.
    pub kind: Option<String>,
    /// Organisations in this city.
    pub city: Option<String>,
    /// Links of this organisation (id); persons with a role in it.
    pub organisation: Option<String>,
    /// Roles of this person (id).
    pub person: Option<String>,
    /// Organisations that are members of this umbrella association (id).
    pub umbrella: Option<String>,
    /// Organisations: `active` or `dissolved`.
    pub status: Option<String>,
    /// At most this many (default 50).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 500)]
    pub limit: Option<String>,
    /// Skip this many.
    #[param(value_type = Option<i64>, minimum = 0)]
    pub offset: Option<String>,
    /// `true` lists deleted records (to restore them) instead of live ones (editors).
    #[param(value_type = Option<bool>)]
    pub deleted: Option<String>,
}

impl ListParams {
    pub fn into_query(self) -> Result<ListQuery, Error> {
        let mut errors = Vec::new();
        let mut number = |field: &str, value: Option<String>, max: i64| {
            let text = value.filter(|v| !v.trim().is_empty())?;
            match text.trim().parse::<i64>() {
                Ok(n) if (0..=max).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new(
                        field,
                        format!("must be a whole number from 0 to {max}"),
                    ));
                    None
                }
            }
        };
        let limit = number("limit", self.limit, ListQuery::MAX_LIMIT);
        let offset = number("offset", self.offset, i64::MAX);
        let deleted = match self.deleted.as_deref().map(str::trim) {
            None | Some("") | Some("false") => false,
            Some("true") => true,
            Some(_) => {
                errors.push(FieldError::new("deleted", "must be true or false"));
                false
            }
        };
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        Ok(ListQuery {
            q: self.q,
            kind: self.kind,
            city: self.city,
            organisation: self.organisation,
            person: self.person,
            umbrella: self.umbrella,
            status: self.status,
            limit,
            offset,
            deleted,
        })
    }
}

/// Defines a module with the routes of one resource type, mounted at `/api/v1/<name>`.
macro_rules! resource_routes {
    ($module:ident, $name:literal, $ty:ty) => {
        pub mod $module {
            use rocket::response::status::{Created, NoContent};
            use rocket::serde::json::{Json, Value};
            use rocket::{delete, get, post, put, routes, Route, State};

            use crate::api::resources::ListParams;
            use crate::db::Db;
            use crate::domain::{Disclosure, Record, UserRole};
            use crate::error::Error;
            use crate::http::Shown;
            use crate::service::input::decode;
            use crate::service::{crud, Caller, Page};

            type Item = $ty;

            #[get("/?<params..>")]
            async fn list(
                db: &State<Db>,
                caller: Caller,
                params: ListParams,
            ) -> Result<Shown<Json<Page<Record<Item>>>>, Error> {
                let query = params.into_query()?;
                let page = db
                    .run(move |c| crud::list::<Item>(c, &caller, &query))
                    .await?;
                let persons = Disclosure::of_records(&page.items);
                Ok(Shown::new(Json(page), persons))
            }

            #[post("/", data = "<body>")]
            async fn create(
                db: &State<Db>,
                caller: Caller,
                body: Json<Value>,
            ) -> Result<Created<Json<Record<Item>>>, Error> {
                caller.require(UserRole::Editor)?;
                let input: Item = decode(body.into_inner())?;
                let record = db.run(move |c| crud::create(c, &caller, input)).await?;
                let location = format!("/api/v1/{}/{}", $name, record.id);
                Ok(Created::new(location).body(Json(record)))
            }

            #[get("/<id>")]
            async fn get(
                db: &State<Db>,
                caller: Caller,
                id: &str,
            ) -> Result<Shown<Json<Record<Item>>>, Error> {
                let id = id.to_string();
                let record = db.run(move |c| crud::get(c, &caller, &id)).await?;
                let persons = Disclosure::of_records([&record]);
                Ok(Shown::new(Json(record), persons))
            }

            #[put("/<id>", data = "<body>")]
            async fn update(
                db: &State<Db>,
                caller: Caller,
                id: &str,
                body: Json<Value>,
            ) -> Result<Json<Record<Item>>, Error> {
                caller.require(UserRole::Editor)?;
                let input: Item = decode(body.into_inner())?;
                let id = id.to_string();
                Ok(Json(
                    db.run(move |c| crud::update(c, &caller, &id, input))
                        .await?,
                ))
            }

            #[delete("/<id>")]
            async fn remove(db: &State<Db>, caller: Caller, id: &str) -> Result<NoContent, Error> {
                let id = id.to_string();
                db.run(move |c| crud::delete::<Item>(c, &caller, &id))
                    .await?;
                Ok(NoContent)
            }

            #[post("/<id>/restore")]
            async fn restore(
                db: &State<Db>,
                caller: Caller,
                id: &str,
            ) -> Result<Shown<Json<Record<Item>>>, Error> {
                let id = id.to_string();
                let record = db
                    .run(move |c| crud::restore::<Item>(c, &caller, &id))
                    .await?;
                // A restore shows a record the caller did not send.
                let persons = Disclosure::of_records([&record]);
                Ok(Shown::new(Json(record), persons))
            }

            pub fn routes() -> Vec<Route> {
                routes![list, create, get, update, remove, restore]
            }
        }
    };
}
pub(crate) use resource_routes;
