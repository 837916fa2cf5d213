//! The schemas an operation refers to, collected by name from the types'
//! `utoipa::ToSchema`, and the generic wrappers that have no type of their own in the
//! document: a stored record (`Record<T>`) and a page of a list (`Page<T>`).
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::ToSchema;

/// Schemas by name, in the order met (the document keeps each name once).
#[derive(Default)]
pub struct Schemas(pub Vec<(String, RefOr<Schema>)>);

impl Schemas {
    /// A reference to `T`, with `T` and every schema it refers to.
    pub fn add<T: ToSchema>(&mut self) -> RefOr<Schema> {
        let name = T::name().to_string();
        self.0.push((name.clone(), T::schema()));
        T::schemas(&mut self.0);
        Ref::from_schema_name(name).into()
    }

    /// A reference to `<T>Record`: `T`'s fields with the record's id and timestamps, as
    /// `domain::Record<T>` serialises (the data flattened beside them).
    pub fn record<T: ToSchema>(&mut self) -> RefOr<Schema> {
        let name = format!("{}Record", T::name());
        let mut schema = T::schema();
        if let RefOr::T(Schema::Object(object)) = &mut schema {
            let stamp = |text: &str, nullable: bool| {
                let types = if nullable {
                    vec![Type::String, Type::Null]
                } else {
                    vec![Type::String]
                };
                ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::SchemaType::from_iter(types))
                    .description(Some(text))
                    .build()
            };
            for (field, text, nullable) in [
                ("id", "The record's id (a UUID)", false),
                ("created_at", "When it was created (RFC 3339)", false),
                ("updated_at", "When it was last changed (RFC 3339)", false),
                ("deleted_at", "When it was deleted; null while live", true),
            ] {
                object
                    .properties
                    .insert(field.to_string(), stamp(text, nullable).into());
                object.required.push(field.to_string());
            }
        }
        T::schemas(&mut self.0);
        self.0.push((name.clone(), schema));
        Ref::from_schema_name(name).into()
    }
}

/// `{"items": [item, …], "total": N}`: one page of a list and how many there are in all.
pub fn page(item: RefOr<Schema>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("items", ArrayBuilder::new().items(item))
        .property(
            "total",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .description(Some("How many match in all, on every page")),
        )
        .required("items")
        .required("total")
        .into()
}
