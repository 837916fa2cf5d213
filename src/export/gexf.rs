//! GEXF 1.3 (gexf.net/1.3), as Gephi and Gephi Lite read it: a dynamic graph whose
//! organisations live from founding to dissolution and whose links carry the periods of
//! their records as spells (a year means the whole year; open ends stay open), with the
//! picture's positions, colours and sizes where the view was laid out.
use std::io::{self, Write};

use super::{colour, kind_label, ExportGraph};
use crate::domain::Interval;
use crate::picture::svg::escape;

const NODE_ATTRIBUTES: [(&str, &str, &str); 5] = [
    ("kind", "kind", "string"),
    ("kind_label", "kind_label", "string"),
    ("city", "city", "string"),
    ("short_name", "short_name", "string"),
    ("value", "value", "double"),
];

pub fn write(graph: &ExportGraph, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
          <gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" \
          xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
          xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n\
          <meta><creator>Knotenpunkt</creator>\
          <description>Network of migrant organisations: a view of the registry</description></meta>\n\
          <graph defaultedgetype=\"directed\" mode=\"dynamic\" timeformat=\"date\">\n\
          <attributes class=\"node\" mode=\"static\">\n",
    )?;
    for (id, title, kind) in NODE_ATTRIBUTES {
        writeln!(
            out,
            "<attribute id=\"{id}\" title=\"{title}\" type=\"{kind}\"/>"
        )?;
    }
    out.write_all(
        b"</attributes>\n<attributes class=\"edge\" mode=\"static\">\n\
          <attribute id=\"kind\" title=\"kind\" type=\"string\"/>\n</attributes>\n<nodes>\n",
    )?;
    for n in &graph.nodes {
        write!(
            out,
            "<node id=\"{}\" label=\"{}\"",
            escape(&n.id),
            escape(&n.label)
        )?;
        period_attributes(out, &n.active)?;
        out.write_all(b"><attvalues>")?;
        let kind = n.kind.map_or("person", |k| k.as_str());
        attvalue(out, "kind", kind)?;
        attvalue(out, "kind_label", kind_label(n.kind))?;
        if let Some(city) = &n.city {
            attvalue(out, "city", city)?;
        }
        if let Some(short) = &n.short_name {
            attvalue(out, "short_name", short)?;
        }
        attvalue(out, "value", &n.value.to_string())?;
        out.write_all(b"</attvalues>")?;
        let (r, g, b) = colour(n.kind);
        write!(out, "<viz:color r=\"{r}\" g=\"{g}\" b=\"{b}\"/>")?;
        if let Some((x, y, size)) = n.position {
            // Gephi's y axis points up, the picture's down.
            write!(
                out,
                "<viz:position x=\"{x}\" y=\"{}\" z=\"0.0\"/><viz:size value=\"{size}\"/>",
                -y
            )?;
        }
        out.write_all(b"</node>\n")?;
    }
    out.write_all(b"</nodes>\n<edges>\n")?;
    for (i, e) in graph.edges.iter().enumerate() {
        let (source, target) = (&graph.nodes[e.source].id, &graph.nodes[e.target].id);
        write!(
            out,
            "<edge id=\"e{i}\" source=\"{}\" target=\"{}\" label=\"{}\" weight=\"{}\"",
            escape(source),
            escape(target),
            e.kind,
            e.weight
        )?;
        // One period goes on the edge itself; several as spells; a link whose records
        // are all open on both ends is there all the time and has none.
        let always = e.spells.is_empty() || e.spells.iter().any(|s| *s == Interval::default());
        if !always && e.spells.len() == 1 {
            period_attributes(out, &e.spells[0])?;
        }
        out.write_all(b"><attvalues>")?;
        attvalue(out, "kind", e.kind)?;
        out.write_all(b"</attvalues>")?;
        if !always && e.spells.len() > 1 {
            out.write_all(b"<spells>")?;
            for spell in &e.spells {
                out.write_all(b"<spell")?;
                period_attributes(out, spell)?;
                out.write_all(b"/>")?;
            }
            out.write_all(b"</spells>")?;
        }
        out.write_all(b"</edge>\n")?;
    }
    out.write_all(b"</edges>\n</graph>\n</gexf>\n")
}

fn attvalue(out: &mut dyn Write, key: &str, value: &str) -> io::Result<()> {
    write!(out, "<attvalue for=\"{key}\" value=\"{}\"/>", escape(value))
}

/// ` start="…" end="…"` for the known ends of a period (ISO dates).
fn period_attributes(out: &mut dyn Write, period: &Interval) -> io::Result<()> {
    if let Some(start) = period.start {
        write!(out, " start=\"{start}\"")?;
    }
    if let Some(end) = period.end {
        write!(out, " end=\"{end}\"")?;
    }
    Ok(())
}
