//! The one read path for graph answers. A request type reads its parameters once
//! (`Parser`: all bad fields at once, each with its name), resolves organisations on the
//! snapshot by id or name, and runs on one snapshot for one viewer. Its answer carries
//! the persons it shows (`Answer::persons`), from which the read log is written — the
//! same for JSON, pages, CSV and every later format. API routes, pages and downloads all
//! ask through here.
mod disclose;
mod params;
mod requests;
#[cfg(test)]
mod tests;

pub use disclose::Discloses;
pub use params::{
    find_organisation, FieldProblem, Params, Parser, Problem, Problems, GRAPH_PARAMS, MAX_OFFSET,
};
pub use requests::*;

use super::{Snapshot, Viewer};
use crate::domain::Disclosure;

/// A graph request: how it is read from parameters and what it answers.
pub trait GraphQuery: Sized + Send + 'static {
    type Answer: Discloses + Send + 'static;

    /// The graph parameters (`GRAPH_PARAMS`) the request reads: any other one given is
    /// refused rather than silently ignored, and `depth` needs `focus`. `None`: the
    /// request checks its parameters itself.
    const READS: Option<&'static [&'static str]> = None;

    /// Reads the request's fields, recording a problem for each bad one; `None` when any
    /// field was bad (every field is read first, so all problems are found at once).
    fn parse(p: &mut Parser) -> Option<Self>;

    fn run(&self, s: &Snapshot, viewer: Viewer) -> Self::Answer;
}

/// What a graph request answered, with the persons it shows to its caller.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer<T> {
    pub body: T,
    pub persons: Disclosure,
}

impl<T: Discloses> Answer<T> {
    pub fn of(body: T) -> Answer<T> {
        let mut persons = Disclosure::none();
        body.disclose(&mut persons);
        Answer { body, persons }
    }
}

/// Reads a request of type `Q` from `params`.
pub fn parse<Q: GraphQuery>(s: &Snapshot, params: &Params, viewer: Viewer) -> Result<Q, Problems> {
    let mut parser = Parser::new(s, params, viewer);
    let request = Q::parse(&mut parser);
    if let Some(reads) = Q::READS {
        parser.refuse_unused(reads);
    }
    let problems = parser.into_problems();
    match request {
        Some(q) if problems.0.is_empty() => Ok(q),
        _ => Err(problems),
    }
}

/// Reads and runs a request: the answer and the persons it discloses.
pub fn ask<Q: GraphQuery>(
    s: &Snapshot,
    params: &Params,
    viewer: Viewer,
) -> Result<Answer<Q::Answer>, Problems> {
    let request = parse::<Q>(s, params, viewer)?;
    Ok(Answer::of(request.run(s, viewer)))
}
