//! Create, read, update, delete and restore for every resource, each write in one
//! transaction together with its citations, its audit entry and the data version.
use diesel::Connection;
use validator::{ValidationErrors, ValidationErrorsKind};

use super::{audit, Caller, ListQuery, Page, Resource};
use crate::db::{self, DbConn};
use crate::domain::{control_char_fields, has_control_chars, is_record_id, Record, UserRole};
use crate::error::{Error, FieldError, Result};
use crate::store::citations;

const CONTROL_CHARS: &str = "must not contain control characters";

/// Normalises and checks input without touching the database.
pub fn validate_input<R: Resource>(input: &mut R) -> Result<()> {
    input.normalize();
    let mut errors = Vec::new();
    // Control characters in any text (names, ids of linked records, citations) are
    // refused before anything reaches the database.
    if let Ok(value) = serde_json::to_value(&*input) {
        for field in control_char_fields(&value) {
            errors.push(FieldError::new(field, CONTROL_CHARS));
        }
    }
    if let Err(e) = input.validate() {
        flatten_validation("", &e, &mut errors);
    }
    errors.extend(input.check());
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

fn flatten_validation(prefix: &str, errors: &ValidationErrors, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => out.extend(list.iter().map(|e| {
                let message = e.message.as_deref().unwrap_or(&e.code).to_string();
                FieldError::new(path.clone(), message)
            })),
            ValidationErrorsKind::Struct(inner) => flatten_validation(&path, inner, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    flatten_validation(&format!("{path}[{i}]"), inner, out);
                }
            }
        }
    }
}

/// Reference and duplicate checks inside the write transaction.
fn check_against_store<R: Resource>(
    conn: &mut DbConn,
    input: &R,
    except_id: Option<&str>,
) -> Result<()> {
    let mut errors = input.check_references(conn, except_id)?;
    errors.extend(citations::check(conn, input.citations())?);
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    if let Some(existing) = input.find_duplicate(conn, except_id)? {
        return Err(duplicate::<R>(existing));
    }
    Ok(())
}

fn duplicate<R: Resource>(existing: String) -> Error {
    Error::Conflict {
        message: format!("a {} with the same identity exists: {existing}", R::KIND),
        existing_id: Some(existing),
    }
}

fn not_found<R: Resource>(id: &str) -> Error {
    Error::NotFound {
        kind: R::KIND,
        id: id.to_string(),
    }
}

/// Loads a record with its citations, deleted or not.
pub fn load_full<R: Resource>(conn: &mut DbConn, id: &str) -> Result<Option<Record<R>>> {
    if !is_record_id(id) {
        return Ok(None);
    }
    let Some(mut record) = R::load(conn, id)? else {
        return Ok(None);
    };
    record.data.set_citations(citations::of(conn, R::KIND, id)?);
    Ok(Some(record))
}

/// Whether a write leaves its change-log entry and moves the data version on: always,
/// except in an import's dry run, whose transaction is rolled back whole — its writes are
/// never seen, so logging them is only work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Logged {
    Yes,
    RolledBackPreview,
}

pub fn create<R: Resource>(conn: &mut DbConn, caller: &Caller, input: R) -> Result<Record<R>> {
    create_with_id(conn, caller, db::new_id(), input, Logged::Yes)
}

/// Creates a record under a given id (an import keeps the ids its file holds, so that
/// the file's links between its rows stay right).
pub fn create_with_id<R: Resource>(
    conn: &mut DbConn,
    caller: &Caller,
    id: String,
    mut input: R,
    logged: Logged,
) -> Result<Record<R>> {
    caller.require(UserRole::Editor)?;
    validate_input(&mut input)?;
    conn.transaction(|conn| {
        if logged == Logged::Yes {
            db::bump_data_version(conn)?;
        }
        check_against_store(conn, &input, None)?;
        let now = db::now();
        let record = Record {
            id,
            data: input,
            created_at: now.clone(),
            updated_at: now,
            deleted_at: None,
        };
        R::insert(conn, &record)?;
        citations::insert(conn, R::KIND, &record.id, record.data.citations())?;
        if logged == Logged::Yes {
            audit::record(
                conn,
                caller,
                R::KIND,
                &record.id,
                "create",
                None,
                Some(&record),
            )?;
        }
        Ok(record)
    })
}

/// A live record the caller may see; deleted and hidden records are "not found".
pub fn get<R: Resource>(conn: &mut DbConn, caller: &Caller, id: &str) -> Result<Record<R>> {
    match load_full::<R>(conn, id)? {
        Some(r) if r.deleted_at.is_none() && R::visible(&r, conn, caller)? => Ok(r),
        _ => Err(not_found::<R>(id)),
    }
}

pub fn list<R: Resource>(
    conn: &mut DbConn,
    caller: &Caller,
    query: &ListQuery,
) -> Result<Page<Record<R>>> {
    if query.deleted {
        // Deleted records are there to be restored, which is an editor's task.
        caller.require(UserRole::Editor)?;
    }
    let errors: Vec<FieldError> = query
        .texts()
        .filter(|(_, text)| has_control_chars(text))
        .map(|(field, _)| FieldError::new(field, CONTROL_CHARS))
        .collect();
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let mut page = R::list(conn, caller, query)?;
    for record in &mut page.items {
        record
            .data
            .set_citations(citations::of(conn, R::KIND, &record.id)?);
    }
    Ok(page)
}

/// Every record matching the query, however many. One list page stops at
/// `ListQuery::MAX_LIMIT`, so this pages through `list` in the store's stable order (each
/// table orders by a key and then the id) until a short page; the query's own limit and
/// offset are ignored. One transaction, so SQLite reads all pages from one snapshot.
pub fn list_all<R: Resource>(
    conn: &mut DbConn,
    caller: &Caller,
    query: &ListQuery,
) -> Result<Vec<Record<R>>> {
    conn.transaction(|conn| {
        let mut all = Vec::new();
        loop {
            let page_query = ListQuery {
                limit: Some(ListQuery::MAX_LIMIT),
                offset: Some(all.len() as i64),
                ..query.clone()
            };
            let page = list::<R>(conn, caller, &page_query)?;
            let short = (page.items.len() as i64) < ListQuery::MAX_LIMIT;
            all.extend(page.items);
            if short {
                return Ok(all);
            }
        }
    })
}

pub fn update<R: Resource>(
    conn: &mut DbConn,
    caller: &Caller,
    id: &str,
    input: R,
) -> Result<Record<R>> {
    update_with(conn, caller, id, input, Logged::Yes)
}

pub fn update_with<R: Resource>(
    conn: &mut DbConn,
    caller: &Caller,
    id: &str,
    mut input: R,
    logged: Logged,
) -> Result<Record<R>> {
    caller.require(UserRole::Editor)?;
    validate_input(&mut input)?;
    conn.transaction(|conn| {
        if logged == Logged::Yes {
            db::bump_data_version(conn)?;
        }
        let before = get::<R>(conn, caller, id)?;
        R::check_writable(conn, id)?;
        check_against_store(conn, &input, Some(id))?;
        let after = Record {
            data: input,
            updated_at: db::now(),
            ..before.clone()
        };
        R::update(conn, &after)?;
        citations::replace(conn, R::KIND, id, after.data.citations())?;
        if logged == Logged::Yes {
            audit::record(
                conn,
                caller,
                R::KIND,
                id,
                "update",
                Some(&before),
                Some(&after),
            )?;
        }
        Ok(after)
    })
}

/// Soft-deletes a record and the links that hang on it, all with one time stamp.
pub fn delete<R: Resource>(conn: &mut DbConn, caller: &Caller, id: &str) -> Result<()> {
    caller.require(UserRole::Editor)?;
    conn.transaction(|conn| {
        db::bump_data_version(conn)?;
        let before = get::<R>(conn, caller, id)?;
        R::check_writable(conn, id)?;
        R::check_delete(conn, id)?;
        let stamp = db::now();
        R::set_deleted(conn, id, Some(&stamp))?;
        let after = Record {
            deleted_at: Some(stamp.clone()),
            ..before.clone()
        };
        audit::record(
            conn,
            caller,
            R::KIND,
            id,
            "delete",
            Some(&before),
            Some(&after),
        )?;
        for (kind, link_id) in R::cascade_delete(conn, id, &stamp)? {
            audit::record_plain(conn, caller, kind, &link_id, "delete", Some(id))?;
        }
        Ok(())
    })
}

/// Brings a deleted record back, with the links that were deleted together with it.
pub fn restore<R: Resource>(conn: &mut DbConn, caller: &Caller, id: &str) -> Result<Record<R>> {
    caller.require(UserRole::Editor)?;
    conn.transaction(|conn| {
        db::bump_data_version(conn)?;
        let before = match load_full::<R>(conn, id)? {
            Some(r) if R::visible(&r, conn, caller)? => r,
            _ => return Err(not_found::<R>(id)),
        };
        R::check_writable(conn, id)?;
        let Some(stamp) = before.deleted_at.clone() else {
            return Err(Error::Conflict {
                message: format!("{} {id} is not deleted", R::KIND),
                existing_id: Some(id.to_string()),
            });
        };
        check_against_store(conn, &before.data, Some(id))?;
        R::set_deleted(conn, id, None)?;
        let after = Record {
            deleted_at: None,
            ..before.clone()
        };
        audit::record(
            conn,
            caller,
            R::KIND,
            id,
            "restore",
            Some(&before),
            Some(&after),
        )?;
        for (kind, link_id) in R::cascade_restore(conn, id, &stamp)? {
            audit::record_plain(conn, caller, kind, &link_id, "restore", Some(id))?;
        }
        Ok(after)
    })
}
