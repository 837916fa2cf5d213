//! The graph as the centrality routes see it (undirected, no loops, no parallel links),
//! as a plain edge list for other tools, and the exact algorithm timed on such a list:
//! `knotenpunkt betweenness edges|compute`, used by `benches/betweenness.sh` to compare
//! with igraph and rustworkx on the same graph. Format: the node count on the first
//! line, then one `a b` line per link (local indices 0..n, a < b).
use std::io::{BufRead, Write};
use std::time::Instant;

use super::exact::{exact_betweenness, Progress};
use super::{city_subset, Csr};
use crate::error::{Error, Result};
use crate::graph::network::{KindFilter, View};
use crate::graph::{Snapshot, TimeFilter};

/// Writes the whole graph (or a city's subgraph) of `s`, every link and time; returns
/// the node and link counts.
pub fn write_edges(
    s: &Snapshot,
    city: Option<&str>,
    out: &mut dyn Write,
) -> Result<(usize, usize)> {
    let view = View {
        s,
        time: TimeFilter::ALL,
        kinds: KindFilter::default(),
    };
    let subset = city.map(|c| city_subset(&view, &c.to_lowercase()));
    let csr = Csr::build(&view, subset.as_deref());
    let io = |e: std::io::Error| Error::Internal(format!("writing the edge list: {e}"));
    writeln!(out, "{}", csr.len()).map_err(io)?;
    let mut links = 0;
    for (a, b) in csr.links() {
        writeln!(out, "{a} {b}").map_err(io)?;
        links += 1;
    }
    out.flush().map_err(io)?;
    Ok((csr.len(), links))
}

/// Reads an edge list as `write_edges` writes it.
pub fn read_edges(input: impl BufRead) -> Result<Csr> {
    let bad = |line: usize, what: &str| Error::invalid("edges", format!("line {line}: {what}"));
    let mut lines = input.lines().enumerate();
    let n: usize = match lines.next() {
        Some((_, Ok(first))) => first
            .trim()
            .parse()
            .map_err(|_| bad(1, "not a node count"))?,
        _ => return Err(bad(1, "missing the node count")),
    };
    let mut links = Vec::new();
    for (i, line) in lines {
        let line = line.map_err(|e| bad(i + 1, &e.to_string()))?;
        let mut ends = line.split_whitespace().map(str::parse::<usize>);
        match (ends.next(), ends.next()) {
            (Some(Ok(a)), Some(Ok(b))) if a < n && b < n => links.push((a, b)),
            (None, _) => continue,
            _ => return Err(bad(i + 1, "not two node indices below the count")),
        }
    }
    Ok(Csr::from_links(n, &links))
}

/// Exact betweenness of an edge list on `threads` threads: the scores (one per line, in
/// node order) to `out`, and a line with the time taken.
pub fn compute(input: impl BufRead, out: &mut dyn Write, threads: usize) -> Result<String> {
    let csr = read_edges(input)?;
    let links = csr.targets.len() / 2;
    let started = Instant::now();
    let scores = exact_betweenness(&csr, threads, &Progress::default());
    let seconds = started.elapsed().as_secs_f64();
    let io = |e: std::io::Error| Error::Internal(format!("writing the scores: {e}"));
    for x in &scores {
        writeln!(out, "{x}").map_err(io)?;
    }
    out.flush().map_err(io)?;
    Ok(format!(
        "exact betweenness of {} nodes, {links} links: {seconds:.2} s on {threads} threads",
        csr.len()
    ))
}
