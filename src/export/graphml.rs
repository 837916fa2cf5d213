//! GraphML (graphml.graphdrawing.org), as networkx and igraph read it, with typed
//! attributes: numbers as numbers (`int`, `double`), dates as ISO 8601 text. A link's
//! records' periods are kept as `periods` (ISO intervals, `..` for an open end, `;`
//! between them) with the earliest `start` and latest `end`.
use std::io::{self, Write};

use super::{kind_label, ExportGraph, ExportNode};
use crate::domain::Interval;
use crate::picture::svg::escape;

/// (key id, for, attr.name, attr.type).
const KEYS: [(&str, &str, &str, &str); 15] = [
    ("n_label", "node", "label", "string"),
    ("n_kind", "node", "kind", "string"),
    ("n_kind_label", "node", "kind_label", "string"),
    ("n_city", "node", "city", "string"),
    ("n_short_name", "node", "short_name", "string"),
    ("n_founded", "node", "founded", "string"),
    ("n_dissolved", "node", "dissolved", "string"),
    ("n_value", "node", "value", "double"),
    ("n_x", "node", "x", "double"),
    ("n_y", "node", "y", "double"),
    ("e_kind", "edge", "kind", "string"),
    ("e_weight", "edge", "weight", "int"),
    ("e_start", "edge", "start", "string"),
    ("e_end", "edge", "end", "string"),
    ("e_periods", "edge", "periods", "string"),
];

pub fn write(graph: &ExportGraph, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
          <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
          xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
          xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
          http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    )?;
    for (id, target, name, kind) in KEYS {
        writeln!(
            out,
            "<key id=\"{id}\" for=\"{target}\" attr.name=\"{name}\" attr.type=\"{kind}\"/>"
        )?;
    }
    out.write_all(b"<graph id=\"knotenpunkt\" edgedefault=\"directed\">\n")?;
    for n in &graph.nodes {
        node(out, n)?;
    }
    for (i, e) in graph.edges.iter().enumerate() {
        write!(
            out,
            "<edge id=\"e{i}\" source=\"{}\" target=\"{}\">",
            escape(&graph.nodes[e.source].id),
            escape(&graph.nodes[e.target].id)
        )?;
        data(out, "e_kind", e.kind)?;
        data(out, "e_weight", &e.weight.to_string())?;
        if !e.spells.is_empty() {
            let starts: Vec<_> = e.spells.iter().map(|s| s.start).collect();
            // The earliest start, unless one record's start is unknown (open).
            if let Some(start) = starts.iter().copied().collect::<Option<Vec<_>>>() {
                if let Some(first) = start.into_iter().min() {
                    data(out, "e_start", &first.to_string())?;
                }
            }
            let ends: Option<Vec<_>> = e.spells.iter().map(|s| s.end).collect();
            if let Some(last) = ends.and_then(|ends| ends.into_iter().max()) {
                data(out, "e_end", &last.to_string())?;
            }
            let periods: Vec<String> = e.spells.iter().map(iso_interval).collect();
            data(out, "e_periods", &periods.join(";"))?;
        }
        out.write_all(b"</edge>\n")?;
    }
    out.write_all(b"</graph>\n</graphml>\n")
}

fn node(out: &mut dyn Write, n: &ExportNode) -> io::Result<()> {
    write!(out, "<node id=\"{}\">", escape(&n.id))?;
    data(out, "n_label", &n.label)?;
    data(out, "n_kind", n.kind.map_or("person", |k| k.as_str()))?;
    data(out, "n_kind_label", kind_label(n.kind))?;
    if let Some(city) = &n.city {
        data(out, "n_city", city)?;
    }
    if let Some(short) = &n.short_name {
        data(out, "n_short_name", short)?;
    }
    if let Some(start) = n.active.start {
        data(out, "n_founded", &start.to_string())?;
    }
    if let Some(end) = n.active.end {
        data(out, "n_dissolved", &end.to_string())?;
    }
    data(out, "n_value", &n.value.to_string())?;
    if let Some((x, y, _)) = n.position {
        data(out, "n_x", &x.to_string())?;
        data(out, "n_y", &y.to_string())?;
    }
    out.write_all(b"</node>\n")
}

fn data(out: &mut dyn Write, key: &str, value: &str) -> io::Result<()> {
    write!(out, "<data key=\"{key}\">{}</data>", escape(value))
}

/// An ISO 8601 interval, `..` for an open end (as in EDTF).
fn iso_interval(i: &Interval) -> String {
    let end = |d: Option<chrono::NaiveDate>| d.map_or("..".to_string(), |d| d.to_string());
    format!("{}/{}", end(i.start), end(i.end))
}
