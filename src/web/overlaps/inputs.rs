//! A page's form: the fields it shows (again, with what was typed) and the query layer's
//! problems with them, in the visitor's language. The page reads nothing itself: the
//! graph request types read the same parameters for the API and the pages.
use std::sync::Arc;

use crate::error::Error;
use crate::graph::query::{Answer, GraphQuery, Params, Problem, Problems};
use crate::graph::{GraphState, Viewer};
use crate::web::forms::{query_problem, FieldErrors};
use crate::web::i18n::Lang;
use crate::web::{fail, Chrome, HtmlError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Organisation,
    Date,
    /// A whole number with the default shown when nothing was typed.
    Number(usize),
    Flag,
}

/// One field of a page's form: its parameter name, label key and kind.
pub type FieldSpec = (&'static str, &'static str, Kind);

pub const AS_OF: FieldSpec = ("as_of", "ov.f.as_of", Kind::Date);
pub const FROM: FieldSpec = ("from", "ov.f.from", Kind::Date);
pub const TO: FieldSpec = ("to", "ov.f.to", Kind::Date);
pub const ORGANISATION: FieldSpec = ("organisation", "field.organisation", Kind::Organisation);
pub const FUNDER: FieldSpec = ("funder", "field.funder", Kind::Organisation);
pub const CONCURRENT: FieldSpec = ("concurrent", "ov.f.concurrent", Kind::Flag);

/// One field of a page's form, shown again with what was typed.
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    pub kind: Kind,
}

impl Field {
    pub fn is_flag(&self) -> bool {
        self.kind == Kind::Flag
    }
    pub fn is_organisation(&self) -> bool {
        self.kind == Kind::Organisation
    }
    pub fn is_date(&self) -> bool {
        self.kind == Kind::Date
    }
    pub fn is_number(&self) -> bool {
        matches!(self.kind, Kind::Number(_))
    }
}

/// The form as shown: its fields and the messages beside them.
pub struct Inputs {
    pub(super) fields: Vec<Field>,
    pub(super) errors: FieldErrors,
}

/// What asking gave a page.
pub enum Asked<T> {
    /// The page was opened without its required fields: show the form and wait.
    Waiting,
    /// Some fields were bad: show them with their messages.
    Refused,
    Found(Answer<T>),
}

impl Inputs {
    pub(super) fn new(lang: Lang, p: &Params, specs: &[FieldSpec]) -> Inputs {
        let fields = specs
            .iter()
            .map(|&(name, label, kind)| {
                let typed = p.typed(name).trim();
                let value = match kind {
                    Kind::Number(default) if typed.is_empty() => default.to_string(),
                    Kind::Flag if p.get(name).is_some_and(|v| v != "false") => "on".into(),
                    Kind::Flag => String::new(),
                    _ => typed.to_string(),
                };
                Field {
                    name,
                    label: lang.t(label),
                    value,
                    kind,
                }
            })
            .collect();
        Inputs {
            fields,
            errors: FieldErrors::default(),
        }
    }

    pub(super) fn ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// Reads and runs `Q` for a page. A required field that was not sent at all is not
    /// an error until the form is sent (or a CSV file is asked for): the page waits.
    pub(super) async fn ask<Q: GraphQuery>(
        &mut self,
        chrome: &Chrome,
        graph: &Arc<GraphState>,
        p: &Params,
    ) -> Result<Asked<Q::Answer>, HtmlError> {
        let viewer = Viewer::of(&chrome.caller);
        let asked = crate::http::graph::ask::<Q>(graph, p.clone(), viewer)
            .await
            .map_err(|e: Error| fail(chrome, e))?;
        let problems = match asked {
            Ok(answer) => return Ok(Asked::Found(answer)),
            Err(Problems(problems)) => problems,
        };
        let csv = p.get("format") == Some("csv");
        let waiting = |f: &&crate::graph::query::FieldProblem| {
            f.problem == Problem::Required && !p.sent(f.field) && !csv
        };
        let shown: Vec<_> = problems.iter().filter(|f| !waiting(f)).collect();
        if shown.is_empty() && !problems.is_empty() {
            return Ok(Asked::Waiting);
        }
        for f in shown {
            self.errors
                .add(f.field, query_problem(chrome.lang, f.field, &f.problem));
        }
        Ok(Asked::Refused)
    }
}
