//! Query parameters as a caller typed them, and the parser that turns them into typed
//! requests: every bad field is found in one pass and reported with its name.
use std::collections::BTreeMap;

use petgraph::graph::NodeIndex;

use crate::error::{Error, FieldError};
use crate::graph::network::KindFilter;
use crate::graph::{Snapshot, TimeFilter, Viewer};

/// Every parameter some graph request reads. A request that declares what it reads
/// (`GraphQuery::READS`) refuses the others; names outside this list (a page's `lang`
/// or `format`) are not the graph's and pass.
pub const GRAPH_PARAMS: &[&str] = &[
    "organisation",
    "focus",
    "depth",
    "as_of",
    "from",
    "to",
    "kinds",
    "kind",
    "city",
    "umbrella",
    "funder",
    "applicant",
    "concurrent",
    "limit",
    "offset",
    "within_days",
    "measure",
    "exact",
    "size",
    "persons",
    "highlight",
    "path_from",
    "path_to",
    "stops",
    "layout",
];

/// The largest `offset` a paged graph answer reads.
pub const MAX_OFFSET: usize = 1_000_000_000;

/// The raw parameters of one request (from a query string or a page's form), by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params(BTreeMap<String, String>);

impl Params {
    /// A name given more than once (a form's checkboxes) holds its values joined by
    /// commas, as lists are written.
    pub fn new<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        let mut map: BTreeMap<String, String> = BTreeMap::new();
        for (k, v) in pairs {
            let v: String = v.into();
            map.entry(k.into())
                .and_modify(|old| {
                    old.push(',');
                    old.push_str(&v);
                })
                .or_insert_with(|| v.clone());
        }
        Params(map)
    }

    /// The parameters given (not empty), trimmed, by name.
    pub fn to_map(&self) -> BTreeMap<String, String> {
        self.0
            .keys()
            .filter_map(|k| Some((k.clone(), self.get(k)?.to_string())))
            .collect()
    }

    /// The same parameters with `name` set (a path segment read as a field).
    pub fn with(mut self, name: &str, value: &str) -> Params {
        self.0.insert(name.to_string(), value.to_string());
        self
    }

    /// A parameter's value, trimmed; empty counts as not given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
    }

    /// Whether the parameter was sent at all, even empty (a sent form).
    pub fn sent(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// The value as typed (untrimmed), for showing it again in a form.
    pub fn typed(&self, name: &str) -> &str {
        self.0.get(name).map(String::as_str).unwrap_or("")
    }
}

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Required,
    /// No organisation has this id, name or short name.
    Unknown(String),
    /// Several organisations match what was typed (up to five names).
    Ambiguous(Vec<String>),
    /// Not a whole number from 0 to `max`.
    Number {
        max: usize,
    },
    /// Not `true` or `false`.
    Flag,
    /// Not one of the listed words.
    Choice(&'static [&'static str]),
    /// The applicant is the funder.
    Same,
    /// A message from a shared parser (dates, edge kinds).
    Other(String),
}

impl Problem {
    pub fn english(&self) -> String {
        match self {
            Problem::Required => "is required".into(),
            Problem::Unknown(text) => format!("no organisation has the id or name '{text}'"),
            Problem::Ambiguous(names) => {
                format!("several organisations match: {}", names.join("; "))
            }
            Problem::Number { max } => format!("must be a whole number from 0 to {max}"),
            Problem::Flag => "must be true or false".into(),
            Problem::Choice(words) => format!("must be {}", words.join(" or ")),
            Problem::Same => "must differ from the funder".into(),
            Problem::Other(message) => message.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldProblem {
    pub field: &'static str,
    pub problem: Problem,
}

/// Everything wrong with one request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Problems(pub Vec<FieldProblem>);

impl From<Problems> for Error {
    /// Unknown organisations alone are 404 (as an unknown id in a path); anything else
    /// is 422 with every field's message.
    fn from(p: Problems) -> Error {
        let unknown = |f: &FieldProblem| matches!(f.problem, Problem::Unknown(_));
        if let Some(first) = p.0.first().filter(|_| p.0.iter().all(unknown)) {
            if let Problem::Unknown(text) = &first.problem {
                return Error::NotFound {
                    kind: "organisation",
                    id: text.clone(),
                };
            }
        }
        Error::Validation(
            p.0.iter()
                .map(|f| FieldError::new(f.field, f.problem.english()))
                .collect(),
        )
    }
}

/// Reads typed values out of `Params`, collecting a problem per bad field.
pub struct Parser<'a> {
    pub s: &'a Snapshot,
    pub viewer: Viewer,
    params: &'a Params,
    problems: Vec<FieldProblem>,
}

impl<'a> Parser<'a> {
    pub fn new(s: &'a Snapshot, params: &'a Params, viewer: Viewer) -> Parser<'a> {
        Parser {
            s,
            viewer,
            params,
            problems: Vec::new(),
        }
    }

    pub fn problem(&mut self, field: &'static str, problem: Problem) {
        self.problems.push(FieldProblem { field, problem });
    }

    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }

    /// A problem for each graph parameter given that the request does not read, and for
    /// `depth` without `focus`: a parameter that changes nothing is refused, so that a
    /// caller never takes an answer for one it did not ask.
    pub fn refuse_unused(&mut self, reads: &[&str]) {
        for &name in GRAPH_PARAMS {
            // One message per field: a bad value is told first.
            let told = self.problems.iter().any(|f| f.field == name);
            if self.params.get(name).is_none() || told {
                continue;
            }
            if !reads.contains(&name) {
                self.problem(name, Problem::Other("is not used by this request".into()));
            } else if name == "depth" && self.params.get("focus").is_none() {
                self.problem(name, Problem::Other("applies only with focus".into()));
            }
        }
    }

    pub fn into_problems(self) -> Problems {
        Problems(self.problems)
    }

    fn shared(&mut self, e: Error) {
        match e {
            Error::Validation(list) => {
                for f in list {
                    let field = match f.field.as_str() {
                        "as_of" => "as_of",
                        "from" => "from",
                        "to" => "to",
                        _ => "kinds",
                    };
                    self.problem(field, Problem::Other(f.message));
                }
            }
            other => self.problem("as_of", Problem::Other(other.to_string())),
        }
    }

    /// `as_of`, or the window `from`–`to`.
    pub fn time(&mut self) -> TimeFilter {
        let p = self.params;
        TimeFilter::parse(p.get("as_of"), p.get("from"), p.get("to")).unwrap_or_else(|e| {
            self.shared(e);
            TimeFilter::ALL
        })
    }

    /// `as_of` only (where `from` and `to` name something else).
    pub fn as_of(&mut self) -> TimeFilter {
        TimeFilter::parse(self.params.get("as_of"), None, None).unwrap_or_else(|e| {
            self.shared(e);
            TimeFilter::ALL
        })
    }

    pub fn kinds(&mut self) -> KindFilter {
        KindFilter::parse(self.params.get("kinds")).unwrap_or_else(|e| {
            self.shared(e);
            KindFilter::default()
        })
    }

    pub fn text(&self, field: &str) -> Option<String> {
        self.params.get(field).map(str::to_string)
    }

    /// A whole number from 0 to `max`; not given means `default`. Thousands separators
    /// (`1.000`) are read as people type them.
    pub fn number(&mut self, field: &'static str, default: usize, max: usize) -> usize {
        let Some(text) = self.params.get(field) else {
            return default;
        };
        match text.replace(['.', ' '], "").parse::<usize>() {
            Ok(n) if n <= max => n,
            _ => {
                self.problem(field, Problem::Number { max });
                default
            }
        }
    }

    /// A yes/no value: `true`, `on`, `yes`, `1` or `false`, `off`, `no`, `0`.
    pub fn flag(&mut self, field: &'static str) -> bool {
        match self.params.get(field) {
            None => false,
            Some("true" | "on" | "yes" | "1") => true,
            Some("false" | "off" | "no" | "0") => false,
            Some(_) => {
                self.problem(field, Problem::Flag);
                false
            }
        }
    }

    /// One of `words`; not given means the first.
    pub fn choice(&mut self, field: &'static str, words: &'static [&'static str]) -> &'static str {
        match self.params.get(field) {
            None => words[0],
            Some(typed) => match words.iter().find(|w| **w == typed) {
                Some(w) => w,
                None => {
                    self.problem(field, Problem::Choice(words));
                    words[0]
                }
            },
        }
    }

    /// A required organisation, by id, name or short name.
    pub fn organisation(&mut self, field: &'static str) -> Option<NodeIndex> {
        if self.params.get(field).is_none() {
            self.problem(field, Problem::Required);
            return None;
        }
        self.optional_organisation(field)
    }

    /// An organisation if one was named.
    pub fn optional_organisation(&mut self, field: &'static str) -> Option<NodeIndex> {
        let typed = self.params.get(field)?;
        match find_organisation(self.s, typed) {
            Ok(n) => Some(n),
            Err(problem) => {
                self.problem(field, problem);
                None
            }
        }
    }

    /// A required node: an organisation, or a person by id for signed-in callers.
    pub fn node(&mut self, field: &'static str) -> Option<NodeIndex> {
        let typed = self.params.get(field);
        let person = typed
            .and_then(|id| self.s.node(id))
            .filter(|&n| self.s.person(n).is_some() && self.viewer == Viewer::SignedIn);
        person.or_else(|| self.organisation(field))
    }

    /// A node if one was named.
    pub fn optional_node(&mut self, field: &'static str) -> Option<NodeIndex> {
        self.params.get(field)?;
        self.node(field)
    }
}

/// An organisation by id, else by its full name or short name (any case), else by a
/// part of its name when only one has it.
pub fn find_organisation(s: &Snapshot, typed: &str) -> Result<NodeIndex, Problem> {
    if let Some(n) = s.node(typed).filter(|&n| s.org(n).is_some()) {
        return Ok(n);
    }
    let lower = typed.to_lowercase();
    let mut exact = Vec::new();
    let mut partial = Vec::new();
    for (n, o) in s.organisations() {
        let name = o.name.to_lowercase();
        let short = o.short_name.as_deref().map(str::to_lowercase);
        if name == lower || short.as_deref() == Some(lower.as_str()) {
            exact.push(n);
        } else if name.contains(&lower) || short.is_some_and(|s| s.contains(&lower)) {
            partial.push(n);
        }
    }
    let found = if exact.is_empty() { partial } else { exact };
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(Problem::Unknown(typed.to_string())),
        many => {
            let mut names: Vec<&str> = many
                .iter()
                .filter_map(|&n| s.org(n).map(|o| o.name.as_str()))
                .collect();
            names.sort_unstable();
            Err(Problem::Ambiguous(
                names.into_iter().take(5).map(str::to_string).collect(),
            ))
        }
    }
}
