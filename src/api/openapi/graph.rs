//! The graph answers (`api::graph`) in the document. A route's query parameters are the
//! ones its request reads (`GraphQuery::READS`) and no others: the request refuses any
//! other graph parameter with 422, so a document listing more would send generated
//! requests into that refusal. Each parameter is described once (`shared`) unless the
//! route reads it its own way (`own`), e.g. `from`/`to` as the ends of a path.
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::ToSchema;

use super::op::{integer, string, words, Op};
use crate::graph::overlaps::{TANDEM_MAX_PAGE, TANDEM_PAGE};
use crate::graph::query::{self, GraphQuery, ViewRequest, MAX_OFFSET};
use crate::graph::{centrality, dependencies, funding, network, overlaps};

/// How a route documents one parameter.
pub struct Param {
    schema: Schema,
    text: String,
    required: bool,
    /// An organisation or node named by it may not exist (404).
    names_a_record: bool,
}

impl Param {
    fn new(schema: Schema, text: &str) -> Param {
        Param {
            schema,
            text: text.to_string(),
            required: false,
            names_a_record: false,
        }
    }

    fn required(mut self) -> Param {
        self.required = true;
        self.text.push_str("; required");
        self
    }

    /// An organisation by id, full name, short name or a part of the name only one has;
    /// none is 404, several 422.
    fn organisation(text: &str) -> Param {
        Param {
            names_a_record: true,
            ..Param::new(string(), text)
        }
    }

    /// A node: an organisation, or a person by id for signed-in callers.
    fn node(text: &str) -> Param {
        Param::organisation(&format!(
            "{text}: an organisation (id or name), or a person's id for signed-in callers"
        ))
    }
}

/// A partial date (`2019`, `2019-05`, `2019-05-14`; `14.05.2019` works too).
fn date() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(
            "^([0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?\
             |(0[1-9]|[12][0-9]|3[01])\\.(0[1-9]|1[0-2])\\.[0-9]{4})$",
        ))
        .build()
        .into()
}

fn flag() -> Schema {
    words(&["true", "false"])
}

/// What a graph parameter means wherever a route reads it the usual way.
fn shared(name: &str) -> Option<Param> {
    Some(match name {
        "organisation" => Param::organisation("An organisation (id or name)"),
        "as_of" => Param::new(date(), "Only what holds on this date"),
        "from" => Param::new(date(), "Only what holds from this date"),
        "to" => Param::new(date(), "Only what holds until this date"),
        "kinds" => Param::new(
            string(),
            "Kinds of link, comma-separated (relation kinds, `funding`, `affiliation`)",
        ),
        "kind" => Param::new(string(), "Kinds of organisation, comma-separated"),
        "city" => Param::new(string(), "Only this city"),
        "umbrella" => Param::organisation("Members of this umbrella association (id or name)"),
        "funder" => Param::organisation("A funder (id or name)"),
        "applicant" => Param::organisation("An applicant (id or name)"),
        "concurrent" => Param::new(flag(), "Only roles held at the same time"),
        "offset" => Param::new(
            integer(0, MAX_OFFSET as i64),
            "Skip this many rows of each list",
        ),
        "within_days" => Param::new(
            integer(0, 36_500),
            "Ends within this many days (default 90)",
        ),
        "focus" => Param::node("The network around this node"),
        "persons" => Param::new(flag(), "Persons as nodes (signed-in callers only)"),
        "size" => Param::new(
            words(&["degree", "funding", "betweenness"]),
            "What the node size shows",
        ),
        "highlight" => Param::new(string(), "Marks, comma-separated: tandem, cycles"),
        "path_from" => Param::organisation("Mark the shortest path from this organisation"),
        "path_to" => Param::organisation("Mark the shortest path to this organisation"),
        "stops" => Param::organisation("The organisation whose funding stops (marked)"),
        "layout" => Param::new(
            words(&["force", "layered"]),
            "ForceAtlas2 or layers of dependencies",
        ),
        _ => return None,
    })
}

impl Op {
    /// The query parameters `Q` reads, in its order: `own` where this route describes
    /// one itself, else the shared description; `in_path` names those that come in the
    /// path instead. A name `Q` does not read in `own` is a mistake here (it panics as
    /// the document is built, which every test run does), as is one without any
    /// description.
    fn reads<Q: GraphQuery>(mut self, in_path: &[&str], own: Vec<(&str, Param)>) -> Op {
        let reads = Q::READS.unwrap_or(&[]);
        for (name, _) in &own {
            assert!(reads.contains(name), "{}: {name} is not read", self.path);
        }
        let mut own = own;
        for &name in reads.iter().filter(|n| !in_path.contains(n)) {
            let param = match own.iter().position(|(n, _)| *n == name) {
                Some(i) => own.swap_remove(i).1,
                None => shared(name)
                    .unwrap_or_else(|| panic!("{}: no description of {name}", self.path)),
            };
            if param.names_a_record {
                self = self.errors(&[404]);
            }
            self = self.query_param(name, param.schema, &param.text, param.required);
        }
        self
    }

    /// A graph answer: 200 with a `T`.
    fn graph<T: ToSchema>(self) -> Op {
        self.tag("graph").ok::<T>("The answer")
    }

    fn graph_list<T: ToSchema>(self) -> Op {
        self.tag("graph").ok_list::<T>("The answer")
    }

    /// 202 with a `T`: the answer is being computed in the background.
    fn accepted<T: ToSchema>(mut self, text: &str) -> Op {
        let schema = self.schemas.add::<T>();
        self.answer(202, schema, text)
    }
}

/// `depth` from 0 to `max` with its default.
fn depth(max: i64, default: u8) -> Param {
    Param::new(
        integer(0, max),
        &format!("Steps from the focus (default {default}; only with focus)"),
    )
}

fn limit(max: usize, default: usize) -> Param {
    Param::new(
        integer(0, max as i64),
        &format!("At most this many (default {default})"),
    )
}

/// The parameters of a picture's view (`ViewRequest`), for the network and the export.
pub fn view_params(op: Op) -> Op {
    op.reads::<ViewRequest>(&[], vec![("depth", depth(3, 1))])
}

/// The graph answers, each with exactly the parameters its request reads.
pub fn all() -> Vec<Op> {
    let g = |path: &str, summary: &str| Op::get(&format!("/api/v1{path}"), summary);
    let required_organisation = || Param::organisation("An organisation (id or name)").required();
    vec![
        g("/overlaps/staff", "Organisations sharing persons with one")
            .reads::<query::StaffOverlaps>(&[], vec![("organisation", required_organisation())])
            .graph::<query::StaffAnswer>(),
        g(
            "/overlaps/staff/pairs",
            "All organisation pairs by shared persons",
        )
        .reads::<query::StaffPairs>(&[], vec![("limit", limit(10_000, 20))])
        .graph_list::<overlaps::StaffPair>(),
        g(
            "/tandem",
            "Persons in a self-organisation while employed by the city, state or welfare: \
             one page of the pairs and (signed-in) of the roles, each list with its total",
        )
        .reads::<query::Tandem>(
            &[],
            vec![(
                "limit",
                Param::new(
                    integer(0, TANDEM_MAX_PAGE as i64),
                    &format!(
                        "At most this many rows of each list (default {TANDEM_PAGE}; more \
                         than {TANDEM_MAX_PAGE} is refused)"
                    ),
                ),
            )],
        )
        .graph::<overlaps::TandemAnswer>(),
        g(
            "/overlaps/funding",
            "One organisation's funders, shares and co-funded organisations",
        )
        .reads::<query::FundingOverlaps>(&[], vec![("organisation", required_organisation())])
        .graph::<funding::FundingOverlap>(),
        g("/funding/ending", "Project funding that ends soon")
            .reads::<query::FundingEnding>(&[], vec![])
            .graph_list::<funding::EndingFunding>(),
        g(
            "/funding/impact",
            "What each recipient loses if a funder stops",
        )
        .reads::<query::FundingImpact>(
            &[],
            vec![(
                "funder",
                Param::organisation("The funder (id or name)").required(),
            )],
        )
        .graph_list::<funding::Loss>(),
        g("/dependencies/cycles", "Mutual dependencies")
            .reads::<query::Cycles>(&[], vec![])
            .graph_list::<dependencies::Cycle>(),
        g("/dependencies/{id}", "What an organisation depends on")
            .path_param("id", "An organisation (id or name)")
            .reads::<query::DependsOnRequest>(&["organisation"], vec![])
            .errors(&[422])
            .graph::<query::DependsOn>(),
        g("/dependents/{id}", "Who depends on an organisation")
            .path_param("id", "An organisation (id or name)")
            .reads::<query::DependentsRequest>(&["organisation"], vec![])
            .errors(&[422])
            .graph::<query::Dependents>(),
        g("/graph", "The network, or the network around a focus")
            .reads::<query::Network>(&[], vec![("depth", depth(2, 1))])
            .graph::<network::GraphJson>(),
        g("/graph/path", "A shortest path between two nodes")
            .reads::<query::Path>(
                &[],
                vec![
                    ("from", Param::node("Where the path starts").required()),
                    ("to", Param::node("Where the path ends").required()),
                    (
                        "as_of",
                        Param::new(date(), "Only links that hold on this date"),
                    ),
                ],
            )
            .graph::<network::GraphJson>(),
        g(
            "/graph/components",
            "Connected parts of the network, largest first",
        )
        .reads::<query::Components>(&[], vec![("limit", limit(100_000, 100))])
        .graph_list::<network::Component>(),
        g(
            "/graph/centrality",
            "Degree or betweenness ranking (organisations only for anonymous callers)",
        )
        .reads::<query::CentralityRanking>(
            &[],
            vec![
                (
                    "measure",
                    Param::new(words(&["degree", "betweenness"]), "What to rank by"),
                ),
                ("focus", Param::node("Rank around this node")),
                ("depth", depth(3, 2)),
                (
                    "city",
                    Param::new(
                        string(),
                        "Rank the city's subgraph: its organisations and the persons with \
                         roles there",
                    ),
                ),
                (
                    "exact",
                    Param::new(
                        flag(),
                        "Exact betweenness of the whole graph or city, computed in the \
                         background: 202 with the job's progress until the first values \
                         are ready, then the latest finished version's values (`version`, \
                         and `newer` while a newer one is computed)",
                    ),
                ),
                ("limit", limit(query::MAX_RANKED, 20)),
            ],
        )
        .graph::<centrality::Centrality>()
        .accepted::<centrality::job::JobProgress>(
            "The exact job's progress: no exact values are ready yet; ask again",
        ),
        view_params(g(
            "/network",
            "A picture's view laid out: nodes with x, y and size, links, how it is drawn",
        ))
        .graph::<crate::http::graph::NetworkAnswer>(),
        g(
            "/conflicts",
            "Persons active at a funder and an applicant at the same time",
        )
        .reads::<query::ConflictCheck>(
            &[],
            vec![
                (
                    "funder",
                    Param::organisation("The funder (id or name)").required(),
                ),
                (
                    "applicant",
                    Param::organisation("The applicant (id or name)").required(),
                ),
            ],
        )
        .graph::<funding::Conflicts>(),
    ]
}
