//! The organisation form as typed, its conversion to the domain record, and the search
//! fields that pick an organisation by name without JavaScript.
use rocket::form::FromForm;

use crate::db::{Db, DbConn};
use crate::domain::*;
use crate::service::{crud, ListQuery};
use crate::web::forms::cite::Pending;
use crate::web::forms::{CiteForm, FieldErrors};

/// The organisation form as typed: every field kept as text so a re-render shows it.
#[derive(Debug, Default, Clone, FromForm)]
pub struct OrgForm {
    #[field(default = String::new())]
    pub csrf: String,
    #[field(default = String::new())]
    pub name: String,
    #[field(default = String::new())]
    pub short_name: String,
    #[field(default = String::new())]
    pub kind: String,
    #[field(default = String::new())]
    pub legal_form: String,
    #[field(default = String::new())]
    pub parent: String,
    #[field(default = String::new())]
    pub city: String,
    #[field(default = String::new())]
    pub country: String,
    #[field(default = String::new())]
    pub founded: String,
    #[field(default = String::new())]
    pub dissolved: String,
    #[field(default = String::new())]
    pub website: String,
    #[field(default = String::new())]
    pub description: String,
    #[field(default = String::new())]
    pub working_principle: String,
    #[field(default = String::new())]
    pub member_count_min: String,
    #[field(default = String::new())]
    pub member_count_max: String,
    #[field(default = String::new())]
    pub orientation: String,
    #[field(default = String::new())]
    pub country_focus: String,
    pub purposes: Vec<String>,
    pub functions: Vec<String>,
    #[field(default = String::new())]
    pub composition: String,
    pub resource_modes: Vec<String>,
    /// A source to cite for what the form says.
    pub cite: CiteForm,
}

impl OrgForm {
    pub(crate) fn from_record(r: &Record<Organisation>, parent_name: Option<String>) -> OrgForm {
        let o = &r.data;
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let e = |v: Option<&'static str>| v.unwrap_or("").to_string();
        OrgForm {
            csrf: String::new(),
            name: o.name.clone(),
            short_name: s(&o.short_name),
            kind: o.kind.as_str().into(),
            legal_form: e(o.legal_form.as_ref().map(LegalForm::as_str)),
            parent: parent_name.unwrap_or_default(),
            city: s(&o.city),
            country: s(&o.country),
            founded: o.founded.map(|d| d.to_string()).unwrap_or_default(),
            dissolved: o.dissolved.map(|d| d.to_string()).unwrap_or_default(),
            website: s(&o.website),
            description: s(&o.description),
            working_principle: s(&o.working_principle),
            member_count_min: o
                .member_count_min
                .map(|n| n.to_string())
                .unwrap_or_default(),
            member_count_max: o
                .member_count_max
                .map(|n| n.to_string())
                .unwrap_or_default(),
            orientation: e(o.orientation.as_ref().map(Orientation::as_str)),
            country_focus: e(o.country_focus.as_ref().map(CountryFocus::as_str)),
            purposes: o.purposes.iter().map(|p| p.as_str().to_string()).collect(),
            functions: o.functions.iter().map(|p| p.as_str().to_string()).collect(),
            composition: e(o.composition.as_ref().map(Composition::as_str)),
            resource_modes: o
                .resource_modes
                .iter()
                .map(|p| p.as_str().to_string())
                .collect(),
            cite: <CiteForm as Default>::default(),
        }
    }

    /// The domain record and the citation to add, or the field errors (parent resolved
    /// by name or id).
    pub(crate) fn to_domain(
        &self,
        conn: &mut DbConn,
        keep: Option<&Organisation>,
    ) -> Result<(Organisation, Option<Pending>), FieldErrors> {
        let mut e = FieldErrors::default();
        e.required("name", &self.name);
        e.required("kind", &self.kind);
        let kind = e.choice::<OrgKind>("kind", &self.kind);
        let count = |e: &mut FieldErrors, f: &str, v: &str| {
            e.number(f, v)
                .map(|n| n.clamp(i32::MIN as i64, i32::MAX as i64) as i32)
        };
        let org = Organisation {
            name: self.name.trim().to_string(),
            short_name: FieldErrors::text(&self.short_name),
            kind: kind.unwrap_or(OrgKind::Other),
            legal_form: e.choice("legal_form", &self.legal_form),
            parent_id: resolve_organisation(conn, "parent", &self.parent, &mut e),
            city: FieldErrors::text(&self.city),
            country: FieldErrors::text(&self.country),
            founded: e.date("founded", &self.founded),
            dissolved: e.date("dissolved", &self.dissolved),
            register_court: keep.and_then(|k| k.register_court.clone()),
            register_number: keep.and_then(|k| k.register_number.clone()),
            website: FieldErrors::text(&self.website),
            description: FieldErrors::text(&self.description),
            self_description: keep.and_then(|k| k.self_description.clone()),
            working_principle: FieldErrors::text(&self.working_principle),
            member_count_min: count(&mut e, "member_count_min", &self.member_count_min),
            member_count_max: count(&mut e, "member_count_max", &self.member_count_max),
            orientation: e.choice("orientation", &self.orientation),
            country_focus: e.choice("country_focus", &self.country_focus),
            purposes: e.choices("purposes", &self.purposes),
            functions: e.choices("functions", &self.functions),
            composition: e.choice("composition", &self.composition),
            resource_modes: e.choices("resource_modes", &self.resource_modes),
            citations: keep.map(|k| k.citations.clone()).unwrap_or_default(),
        };
        // The domain's rules for what parsed (end before start, min ≤ max, lengths).
        e.check_record(&org, &[("parent_id", "parent")]);
        let cite = self.cite.parse(&mut e);
        if e.is_empty() {
            Ok((org, cite))
        } else {
            Err(e)
        }
    }
}

/// Like `resolve_organisation`, but the stored organisation's own name, left as it was
/// on an edit form, keeps it, even when other organisations share that name.
pub(crate) fn resolve_or_keep(
    conn: &mut DbConn,
    field: &str,
    text: &str,
    stored: Option<&str>,
    e: &mut FieldErrors,
) -> Option<String> {
    if let Some(id) = stored {
        if crate::web::removal::organisation_name(conn, id) == text.trim() {
            return Some(id.to_string());
        }
    }
    resolve_organisation(conn, field, text, e)
}

/// Finds an organisation typed into a search field by id or by (unique) name; errors
/// say what went wrong, so the field works without JavaScript.
pub(crate) fn resolve_organisation(
    conn: &mut DbConn,
    field: &str,
    text: &str,
    e: &mut FieldErrors,
) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let query = ListQuery {
        q: Some(text.to_string()),
        limit: Some(20),
        ..ListQuery::default()
    };
    let Ok(found) = crud::list::<Organisation>(conn, &crate::service::Caller::System, &query)
    else {
        e.add(field, crate::web::forms::SEARCH_FAILED);
        return None;
    };
    // A pasted id, or a name or short name typed in full, settles the choice.
    if let Ok(r) = crud::get::<Organisation>(conn, &crate::service::Caller::System, text) {
        return Some(r.id);
    }
    let lower = text.to_lowercase();
    let exact: Vec<&Record<Organisation>> = found
        .items
        .iter()
        .filter(|r| {
            r.data.name.to_lowercase() == lower
                || r.data
                    .short_name
                    .as_deref()
                    .is_some_and(|s| s.to_lowercase() == lower)
        })
        .collect();
    match (exact.as_slice(), found.items.as_slice()) {
        ([one], _) => Some(one.id.clone()),
        ([], [one]) => Some(one.id.clone()),
        ([], []) => {
            e.add(
                field,
                format!("{}'{text}'", crate::web::forms::NO_ORGANISATION),
            );
            None
        }
        _ => {
            let names: Vec<&str> = found
                .items
                .iter()
                .take(5)
                .map(|r| r.data.name.as_str())
                .collect();
            e.add(
                field,
                format!("{}{}", crate::web::forms::SEVERAL, names.join("; ")),
            );
            None
        }
    }
}

/// Names of organisations for the search fields' suggestion lists.
/// How many names the search fields suggest.
const SUGGESTIONS: i64 = 500;

/// Suggestions only: the fields take any name, short name or part of one, so a national
/// registry sends the first names rather than a list of tens of thousands with every page.
pub(crate) async fn organisation_names(db: &Db) -> Vec<String> {
    db.run(|c| {
        let q = ListQuery {
            limit: Some(SUGGESTIONS),
            ..ListQuery::default()
        };
        Ok(
            crud::list::<Organisation>(c, &crate::service::Caller::System, &q)?
                .items
                .into_iter()
                .map(|r| r.data.name)
                .collect(),
        )
    })
    .await
    .unwrap_or_default()
}
