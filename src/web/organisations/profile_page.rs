//! The organisation profile: facts, typology, people, funding, relations, dependencies,
//! staff overlaps, sources and history.
use std::collections::HashMap;

use askama::Template;
use rocket::response::content::RawHtml;
use rocket::{get, State};

use super::{graph_facts, GraphHandle};
use crate::db::{Db, DbConn};
use crate::domain::*;
use crate::error::Result;
use crate::graph::{dependencies::Dependency, overlaps::StaffOverlap};
use crate::http::Shown;
use crate::service::{audit, crud, Caller, ListQuery};
use crate::web::i18n::Lang;
use crate::web::removal::Removable;
use crate::web::{amount, fail, period, render, Chrome, HtmlError};

pub struct PersonRow {
    /// The affiliation's id, for its edit form.
    pub id: String,
    /// The person's id and name, for signed-in visitors only.
    pub name: Option<(String, String)>,
    pub role: Role,
    pub period: String,
    pub paid: bool,
}

pub struct LinkRow {
    /// The funding's or relation's id, for its edit form.
    pub id: String,
    pub other_id: String,
    pub other_name: String,
    pub what: String,
    pub period: String,
    pub detail: String,
}

/// A deleted link of the organisation, offered to editors for restoring.
pub struct DeletedRow {
    /// `affiliations`, `fundings` or `relations`: where its restore route is.
    pub path: &'static str,
    pub id: String,
    pub description: String,
    /// The person a deleted role is about (id, name).
    pub person: Option<(String, String)>,
    /// A deleted record it hangs on (page, name), to be restored first.
    pub blocked_by: Option<(String, String)>,
}

pub struct SourceRow {
    pub title: String,
    pub locator: String,
}

pub struct Facts {
    pub record: Record<Organisation>,
    pub parent: Option<(String, String)>,
    pub people: Vec<PersonRow>,
    pub hidden_people: bool,
    pub funding: Vec<LinkRow>,
    pub relations: Vec<LinkRow>,
    pub sources: Vec<SourceRow>,
    pub history: Vec<audit::Change>,
    pub deleted: Vec<DeletedRow>,
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct ProfileView {
    chrome: Chrome,
    facts: Facts,
    dependencies: Vec<Dependency>,
    overlaps: Vec<StaffOverlap>,
    pictures: crate::web::network::ProfilePictures,
}

impl ProfileView {
    fn purposes(&self) -> String {
        self.chrome.words(&self.facts.record.data.purposes)
    }

    fn functions(&self) -> String {
        self.chrome.words(&self.facts.record.data.functions)
    }

    fn resource_modes(&self) -> String {
        self.chrome.words(&self.facts.record.data.resource_modes)
    }

    /// A dependency's reasons, each kind once: "Gründungsunterstützung, Vorstand dort
    /// angestellt", with the funding share where there is one.
    fn reasons(&self, d: &Dependency) -> String {
        let texts = d.reasons.iter().map(|r| {
            let kind = self.chrome.lang.reason(r.kind);
            match &r.share {
                Some(s) => format!("{kind} ({:.0} %)", s.mid * 100.0),
                None => kind.to_string(),
            }
        });
        let texts: Vec<String> = texts.collect();
        crate::web::words::distinct(texts.iter().map(String::as_str))
    }

    /// Edit links are for editors on a live organisation.
    fn editing(&self) -> bool {
        self.chrome.can_edit() && self.facts.record.deleted_at.is_none()
    }

    fn kind(&self) -> &'static str {
        self.chrome.word(self.facts.record.data.kind)
    }

    fn members(&self) -> String {
        match (
            self.facts.record.data.member_count_min,
            self.facts.record.data.member_count_max,
        ) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a} – {b}"),
            (Some(a), None) => format!("≥ {a}"),
            (None, Some(b)) => format!("≤ {b}"),
            (None, None) => String::new(),
        }
    }
}

/// Names of organisations by id, loaded once each.
struct Names<'a> {
    conn: &'a mut DbConn,
    cache: HashMap<String, String>,
}

impl Names<'_> {
    fn of(&mut self, id: &str) -> String {
        if let Some(n) = self.cache.get(id) {
            return n.clone();
        }
        let name = crud::get::<Organisation>(self.conn, &Caller::System, id)
            .map(|r| r.data.name)
            .unwrap_or_else(|_| id.to_string());
        self.cache.insert(id.to_string(), name.clone());
        name
    }
}

fn load(conn: &mut DbConn, caller: &Caller, lang: Lang, id: &str) -> Result<Facts> {
    let record = match crud::load_full::<Organisation>(conn, id)? {
        Some(r) if r.deleted_at.is_none() || caller.require(UserRole::Editor).is_ok() => r,
        _ => {
            return Err(crate::error::Error::NotFound {
                kind: "organisation",
                id: id.into(),
            })
        }
    };
    let all = |organisation: &str| ListQuery {
        organisation: Some(organisation.to_string()),
        ..ListQuery::default()
    };
    let signed_in = caller.sees_restricted();
    let mut people = Vec::new();
    for a in crud::list_all::<Affiliation>(conn, caller, &all(id))? {
        let name = if signed_in {
            crud::get::<Person>(conn, caller, &a.data.person_id)
                .ok()
                .map(|p| (p.id, p.data.display_name))
        } else {
            None
        };
        people.push(PersonRow {
            id: a.id.clone(),
            name,
            role: a.data.role,
            period: period(a.data.start, a.data.end),
            paid: a.data.paid == Some(true),
        });
    }
    let fundings = crud::list_all::<Funding>(conn, caller, &all(id))?;
    let relations = crud::list_all::<Relation>(conn, caller, &all(id))?;
    let mut sources = Vec::new();
    for c in &record.data.citations {
        let title = crud::get::<Source>(conn, caller, &c.source_id)
            .map(|s| s.data.title)
            .unwrap_or_default();
        sources.push(SourceRow {
            title,
            locator: c.locator.clone(),
        });
    }
    let history = if signed_in {
        audit::list(conn, caller, Some(id), 50, 0)?.items
    } else {
        Vec::new()
    };
    let mut names = Names {
        conn,
        cache: HashMap::new(),
    };
    let parent = record.data.parent_id.clone().map(|p| {
        let n = names.of(&p);
        (p, n)
    });
    let funding = fundings
        .into_iter()
        .map(|f| {
            let incoming = f.data.recipient_id == id;
            let other = if incoming {
                f.data.funder_id.clone()
            } else {
                f.data.recipient_id.clone()
            };
            LinkRow {
                id: f.id.clone(),
                other_name: names.of(&other),
                other_id: other,
                what: if incoming { "←".into() } else { "→".into() },
                period: period(f.data.start, f.data.end),
                detail: format!(
                    "{} · {}{}",
                    amount(f.data.amount_min, f.data.amount_max, &f.data.currency),
                    lang.word(f.data.status),
                    f.data
                        .programme
                        .map(|p| format!(" · {p}"))
                        .unwrap_or_default()
                ),
            }
        })
        .collect();
    let relations = relations
        .into_iter()
        .map(|r| {
            let outgoing = r.data.source_id == id;
            let other = if outgoing {
                r.data.target_id.clone()
            } else {
                r.data.source_id.clone()
            };
            LinkRow {
                id: r.id.clone(),
                other_name: names.of(&other),
                other_id: other,
                what: format!(
                    "{} {}",
                    if outgoing { "→" } else { "←" },
                    lang.word(r.data.kind)
                ),
                period: period(r.data.start, r.data.end),
                detail: r
                    .data
                    .approx_size
                    .map(|n| format!("~{n}"))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let deleted = match caller.require(UserRole::Editor) {
        Ok(()) => deleted_links(conn, caller, lang, id)?,
        Err(_) => Vec::new(),
    };
    Ok(Facts {
        deleted,
        record,
        parent,
        hidden_people: !signed_in,
        people,
        funding,
        relations,
        sources,
        history,
    })
}

/// The organisation's deleted roles, fundings and relations, newest first.
fn deleted_links(
    conn: &mut DbConn,
    caller: &Caller,
    lang: Lang,
    id: &str,
) -> Result<Vec<DeletedRow>> {
    fn rows<R: Removable>(
        conn: &mut DbConn,
        caller: &Caller,
        lang: Lang,
        query: &ListQuery,
        path: &'static str,
    ) -> Result<Vec<(String, DeletedRow)>> {
        let found = crud::list_all::<R>(conn, caller, query)?;
        Ok(found
            .into_iter()
            .map(|r| {
                let row = DeletedRow {
                    path,
                    description: r.data.describe(conn, lang),
                    person: r.data.person(conn),
                    blocked_by: r.data.blocked_by(conn),
                    id: r.id,
                };
                (r.deleted_at.unwrap_or_default(), row)
            })
            .collect())
    }
    let query = ListQuery {
        organisation: Some(id.to_string()),
        deleted: true,
        ..ListQuery::default()
    };
    let mut all = rows::<Affiliation>(conn, caller, lang, &query, "affiliations")?;
    all.extend(rows::<Funding>(conn, caller, lang, &query, "fundings")?);
    all.extend(rows::<Relation>(conn, caller, lang, &query, "relations")?);
    all.sort_by(|a, b| b.0.cmp(&a.0));
    Ok(all.into_iter().map(|(_, row)| row).collect())
}

impl Facts {
    /// The persons the profile names: its people and deleted roles.
    fn persons(&self) -> Disclosure {
        let people = self.people.iter().filter_map(|p| p.name.as_ref());
        let deleted = self.deleted.iter().filter_map(|d| d.person.as_ref());
        Disclosure::of(people.chain(deleted).map(|(id, _)| id))
    }
}

#[get("/<id>", rank = 2)]
pub async fn profile(
    chrome: Chrome,
    db: &State<Db>,
    graph: &State<GraphHandle>,
    id: &str,
) -> Result<Shown<RawHtml<String>>, HtmlError> {
    let (caller, lang, key) = (chrome.caller.clone(), chrome.lang, id.to_string());
    let facts = db
        .run(move |c| load(c, &caller, lang, &key))
        .await
        .map_err(|e| fail(&chrome, e))?;
    // The profile lists dependency kinds and overlap counts only: organisation-level
    // answers, the same for every visitor.
    let (dependencies, overlaps) = graph_facts(graph, id);
    let visitor = crate::graph::Viewer::of(&chrome.caller);
    let pictures = crate::web::network::profile_pictures(graph, id, chrome.lang, visitor).await;
    let mut persons = facts.persons();
    persons.extend(pictures.persons.clone());
    let html = render(&ProfileView {
        chrome,
        facts,
        dependencies,
        overlaps,
        pictures,
    })?;
    Ok(Shown::new(html, persons))
}
