//! Reading a page's form: the fields to show again and one message per bad field.
use petgraph::graph::NodeIndex;

use super::Params;
use crate::db::Db;
use crate::error::Error;
use crate::graph::{Snapshot, TimeFilter};
use crate::web::forms::{german_to_iso, FieldErrors};
use crate::web::i18n::Lang;
use crate::web::organisations::resolve_organisation;
use crate::web::Chrome;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Organisation,
    Date,
    Number,
    Flag,
}

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
        self.kind == Kind::Number
    }
}

/// Reads a page's form: keeps the fields to show again and one message per bad field.
pub struct Inputs {
    lang: Lang,
    csv: bool,
    pub(super) fields: Vec<Field>,
    pub(super) errors: FieldErrors,
}

impl Inputs {
    pub(super) fn new(chrome: &Chrome, p: &Params) -> Inputs {
        Inputs {
            lang: chrome.lang,
            csv: p.csv(),
            fields: Vec::new(),
            errors: FieldErrors::default(),
        }
    }

    pub(super) fn ok(&self) -> bool {
        self.errors.is_empty()
    }

    pub(super) fn field(
        &mut self,
        name: &'static str,
        label: &str,
        kind: Kind,
        value: &str,
    ) -> String {
        let value = value.trim().to_string();
        self.fields.push(Field {
            name,
            label: self.lang.t(label),
            value: value.clone(),
            kind,
        });
        value
    }

    pub(super) fn text(
        &mut self,
        name: &'static str,
        label: &str,
        value: &Option<String>,
    ) -> String {
        self.field(name, label, Kind::Text, value.as_deref().unwrap_or(""))
    }

    /// A checkbox: `on`, `true`, `yes` or `1` tick it.
    pub(super) fn flag(&mut self, name: &'static str, label: &str, value: &Option<String>) -> bool {
        let on = matches!(
            value.as_deref().map(str::trim),
            Some("on" | "true" | "yes" | "1")
        );
        self.field(name, label, Kind::Flag, if on { "on" } else { "" });
        on
    }

    /// A whole number from 0 to `max`; empty means `default`.
    pub(super) fn number(
        &mut self,
        name: &'static str,
        label: &str,
        value: &Option<String>,
        default: usize,
        max: usize,
    ) -> Option<usize> {
        let typed = value.as_deref().unwrap_or("").trim();
        let shown = if typed.is_empty() {
            default.to_string()
        } else {
            typed.to_string()
        };
        let text = self.field(name, label, Kind::Number, &shown);
        match text.replace(['.', ' '], "").parse::<usize>() {
            Ok(n) if n <= max => Some(n),
            _ => {
                self.errors
                    .add(name, format!("{} {max}", self.lang.t("ov.e.number")));
                None
            }
        }
    }

    /// `as_of`, and with `window` also `from` and `to`; German dates are accepted too.
    pub(super) fn time(&mut self, p: &Params, window: bool) -> Option<TimeFilter> {
        let date = |me: &mut Inputs, name: &'static str, label: &str, v: &Option<String>| {
            let text = me.field(name, label, Kind::Date, v.as_deref().unwrap_or(""));
            german_to_iso(&text).unwrap_or(text)
        };
        let as_of = date(self, "as_of", "ov.f.as_of", &p.as_of);
        let (from, to) = if window {
            (
                date(self, "from", "ov.f.from", &p.from),
                date(self, "to", "ov.f.to", &p.to),
            )
        } else {
            Default::default()
        };
        match TimeFilter::parse(Some(&as_of), Some(&from), Some(&to)) {
            Ok(t) => Some(t),
            Err(Error::Validation(list)) => {
                for e in list {
                    self.errors.add(&e.field, e.message);
                }
                None
            }
            Err(other) => {
                self.errors.add("as_of", other.to_string());
                None
            }
        }
    }

    /// An organisation typed by name, short name or id. Empty is an error only once the
    /// form was sent (or a CSV file is asked for); before that the page just waits.
    pub(super) async fn organisation(
        &mut self,
        db: &Db,
        s: &Snapshot,
        name: &'static str,
        label: &str,
        value: &Option<String>,
    ) -> Option<NodeIndex> {
        let text = self.field(
            name,
            label,
            Kind::Organisation,
            value.as_deref().unwrap_or(""),
        );
        if text.is_empty() {
            if value.is_some() || self.csv {
                self.errors.add(name, self.lang.t("ov.e.required"));
            }
            return None;
        }
        // Links carry ids; the shared name search does not look at ids.
        if let Some(n) = s.node(&text).filter(|&n| s.org(n).is_some()) {
            return Some(n);
        }
        let typed = text.clone();
        let found = db
            .run(move |c| {
                let mut e = FieldErrors::default();
                let id = resolve_organisation(c, "organisation", &typed, &mut e);
                Ok((id, e))
            })
            .await;
        match found {
            Ok((Some(id), _)) => {
                let node = s.node(&id).filter(|&n| s.org(n).is_some());
                if node.is_none() {
                    self.errors.add(name, self.lang.t("ov.e.not_in_graph"));
                }
                node
            }
            // Every message belongs to this field, whatever field name the search used.
            Ok((None, e)) => {
                for m in e.0 {
                    self.errors.add(name, m.message);
                }
                None
            }
            Err(e) => {
                self.errors.add(name, e.to_string());
                None
            }
        }
    }
}
