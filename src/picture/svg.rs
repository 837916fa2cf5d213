//! Draws a picture as SVG: links, then nodes (each a link to its page, with a `<title>`
//! for hover and screen readers), then labels placed without overlaps, the most
//! important nodes first. Everything taken from data is escaped.
use std::fmt::Write;

use super::style::{self, Shape};
use super::{Picture, PictureNode};
use crate::domain::OrgKind;

/// The words a picture needs, in the reader's language.
pub struct Words<'a> {
    pub title: &'a str,
    /// "12 organisations, 30 links" and the like.
    pub description: String,
    pub kind: &'a dyn Fn(Option<OrgKind>) -> String,
    pub link: &'a dyn Fn(&str) -> String,
}

/// Text for XML content and attribute values.
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    // Most texts need nothing: no copy then (the exports escape millions of cells).
    let plain = |b: u8| {
        !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')
            && (b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r'))
    };
    if text.bytes().all(plain) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// At most `max` characters, with an ellipsis when cut.
fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

const LABEL_CHARS: usize = 32;
const FONT: f32 = 11.0;

/// A placed label: its node's key, the text's anchor point and its box (x, y, w, h).
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub key: String,
    pub text: String,
    pub x: f32,
    pub y: f32,
    pub bounds: (f32, f32, f32, f32),
}

fn overlaps(a: (f32, f32, f32, f32), b: (f32, f32, f32, f32)) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

/// Labels for as many nodes as fit without overlapping each other or leaving the
/// picture, largest nodes first; the others are named on hover.
pub fn place_labels(nodes: &[PictureNode], (width, height): (f32, f32)) -> Vec<Label> {
    let mut order: Vec<&PictureNode> = nodes.iter().collect();
    order.sort_by(|a, b| {
        b.value
            .total_cmp(&a.value)
            .then_with(|| a.label.cmp(&b.label))
            .then_with(|| a.key.cmp(&b.key))
    });
    let mut placed: Vec<Label> = Vec::new();
    for n in order {
        let text = cut(&n.label, LABEL_CHARS);
        let (w, h) = (text.chars().count() as f32 * FONT * 0.6, FONT + 2.0);
        let gap = n.size + 3.0;
        // Right, left, above, below: (box x, box y).
        let candidates = [
            (n.x + gap, n.y - h / 2.0),
            (n.x - gap - w, n.y - h / 2.0),
            (n.x - w / 2.0, n.y - gap - h),
            (n.x - w / 2.0, n.y + gap),
        ];
        let fits = |b: (f32, f32, f32, f32)| {
            b.0 >= 0.0
                && b.1 >= 0.0
                && b.0 + b.2 <= width
                && b.1 + b.3 <= height
                && !placed.iter().any(|l| overlaps(l.bounds, b))
        };
        if let Some(&(bx, by)) = candidates.iter().find(|&&(bx, by)| fits((bx, by, w, h))) {
            placed.push(Label {
                key: n.key.clone(),
                text,
                x: bx,
                y: by + FONT,
                bounds: (bx, by, w, h),
            });
        }
    }
    placed
}

/// The two ends of a link, in a fixed order.
fn pair(e: &super::PictureEdge) -> (&str, &str) {
    let (a, b) = (e.source.as_str(), e.target.as_str());
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// The SVG document of a picture.
pub fn draw(p: &Picture, words: &Words) -> String {
    let mut out = String::new();
    let (width, height) = (p.width, p.height);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"network-svg\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"network-title network-desc\" \
         font-family=\"sans-serif\" font-size=\"{FONT}\">\
         <title id=\"network-title\">{}</title><desc id=\"network-desc\">{}</desc>\
         <rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>",
        escape(words.title),
        escape(&words.description)
    );
    let at: std::collections::HashMap<&str, &PictureNode> =
        p.nodes.iter().map(|n| (n.key.as_str(), n)).collect();
    // With marks, everything unmarked steps back.
    let marked = p.edges.iter().any(|e| e.highlight)
        || p.nodes.iter().any(|n| n.highlight || n.loss.is_some());
    let faded = |on: bool| {
        if marked && !on {
            " opacity=\"0.3\""
        } else {
            ""
        }
    };
    // Links of several kinds between the same two nodes lie side by side, not on top.
    let mut parallel: std::collections::HashMap<(&str, &str), (usize, usize)> =
        std::collections::HashMap::new();
    for e in &p.edges {
        parallel.entry(pair(e)).or_default().1 += 1;
    }
    out.push_str("<g id=\"edges\" stroke-linecap=\"round\">");
    for e in &p.edges {
        let (Some(a), Some(b)) = (at.get(e.source.as_str()), at.get(e.target.as_str())) else {
            continue;
        };
        let (dx, dy) = match parallel.get_mut(&pair(e)) {
            Some((seen, count)) if *count > 1 => {
                let shift = (*seen as f32 - (*count - 1) as f32 / 2.0) * 4.0;
                *seen += 1;
                let (vx, vy) = (b.x - a.x, b.y - a.y);
                let length = (vx * vx + vy * vy).sqrt().max(1e-3);
                (-vy / length * shift, vx / length * shift)
            }
            _ => (0.0, 0.0),
        };
        let (colour, dash) = style::edge(e.kind);
        let (colour, extra, class) = match e.highlight {
            true => (style::MARK, 2.5, "edge hl"),
            false => (colour, 0.0, "edge"),
        };
        let width = 1.0 + (e.weight as f32).log2().max(0.0) + extra;
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        let _ = write!(
            out,
            "<line class=\"{class}\" data-s=\"{}\" data-t=\"{}\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" \
             stroke=\"{colour}\" stroke-width=\"{width:.1}\"{dash}{}><title>{} ({})</title></line>",
            a.key,
            b.key,
            a.x + dx,
            a.y + dy,
            b.x + dx,
            b.y + dy,
            faded(e.highlight),
            escape(&(words.link)(e.kind)),
            e.weight
        );
    }
    out.push_str("</g><g id=\"nodes\">");
    for n in &p.nodes {
        let (shape, fill) = style::node(n.kind);
        let page = match n.kind {
            Some(_) => "organisations",
            None => "persons",
        };
        let size = if n.kind.is_none() {
            n.size.min(6.0)
        } else {
            n.size
        };
        let mut title = format!("{} – {}", cut(&n.label, 500), (words.kind)(n.kind));
        if let Some(c) = &n.city {
            let _ = write!(title, ", {c}");
        }
        // A ring marks a highlighted node; a red ring as wide as the share shows a loss.
        let mut ring = String::new();
        if let Some(loss) = n.loss {
            let _ = write!(title, " – {:.0} %", loss * 100.0);
            let _ = write!(
                ring,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{:.1}\" fill=\"none\" stroke=\"{}\" \
                 stroke-width=\"{:.1}\"/>",
                n.x,
                n.y,
                size + 4.0,
                style::LOSS,
                1.5 + 6.0 * loss as f32
            );
        } else if n.highlight {
            let _ = write!(
                ring,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{:.1}\" fill=\"none\" stroke=\"{}\" \
                 stroke-width=\"2.5\"/>",
                n.x,
                n.y,
                size + 4.0,
                style::MARK
            );
        }
        let stroke = if shape == Shape::Triangle {
            "#555555"
        } else {
            "#ffffff"
        };
        let on = n.highlight || n.loss.is_some();
        let class = if on { "node hl" } else { "node" };
        let _ = write!(
            out,
            "<a href=\"/{page}/{}\" class=\"{class}\" id=\"{}\"><g{}>{ring}{} fill=\"{fill}\" \
             stroke=\"{stroke}\" stroke-width=\"1.5\"/><title>{}</title></g></a>",
            escape(&n.id),
            n.key,
            faded(on),
            style::shape(shape, n.x, n.y, size),
            escape(&title)
        );
    }
    out.push_str("</g><g id=\"labels\" pointer-events=\"none\" fill=\"#222222\">");
    for l in place_labels(&p.nodes, (width, height)) {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" data-for=\"{}\" stroke=\"#ffffff\" stroke-width=\"3\" \
             paint-order=\"stroke\">{}</text>",
            l.x,
            l.y,
            l.key,
            escape(&l.text)
        );
    }
    out.push_str("</g></svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::picture::PictureEdge;

    fn node(i: usize, label: &str, x: f32, y: f32) -> PictureNode {
        PictureNode {
            key: format!("n{i}"),
            id: format!("id-{i}"),
            label: label.to_string(),
            kind: Some(OrgKind::MigrantOrganisation),
            city: Some("Duisburg".into()),
            x,
            y,
            size: 8.0,
            value: i as f64,
            highlight: false,
            loss: None,
        }
    }

    fn picture(nodes: Vec<PictureNode>, edges: Vec<PictureEdge>) -> Picture {
        Picture {
            nodes,
            edges,
            too_large: None,
            drawn_as: Some(crate::picture::DrawnAs::Svg),
            width: 1200.0,
            height: 800.0,
            no_path: false,
            layout_iterations: 0,
            persons: Default::default(),
        }
    }

    fn draw_plain(p: &Picture) -> String {
        let kind = |_: Option<OrgKind>| "Migrantenorganisation".to_string();
        let link = |k: &str| k.to_string();
        let words = Words {
            title: "Netzwerk <&>",
            description: "2 Knoten".into(),
            kind: &kind,
            link: &link,
        };
        draw(p, &words)
    }

    #[test]
    fn well_formed_with_hostile_names_escaped() {
        let huge = "Ä".repeat(1 << 20);
        let p = picture(
            vec![
                node(
                    0,
                    "<script>alert(1)</script> & \"quoted\" 'single'",
                    100.0,
                    100.0,
                ),
                node(1, &huge, 300.0, 200.0),
                node(2, "control\u{1}char", 500.0, 300.0),
            ],
            vec![PictureEdge {
                source: "n0".into(),
                target: "n1".into(),
                kind: "staff",
                weight: 3,
                highlight: false,
            }],
        );
        let svg = draw_plain(&p);
        let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
        assert!(!svg.contains("<script>"), "the name is text, not markup");
        let count = |tag: &str, class: &str| {
            doc.descendants()
                .filter(|n| n.has_tag_name(tag) && n.attribute("class") == Some(class))
                .count()
        };
        assert_eq!(count("a", "node"), 3);
        assert_eq!(count("line", "edge"), 1);
        // The huge name is cut in its label and its title.
        assert!(svg.len() < 10_000, "{} bytes", svg.len());
        let texts: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        assert!(texts.iter().any(|t| t.starts_with("<script>")));
    }

    #[test]
    fn links_between_the_same_two_nodes_lie_side_by_side() {
        let edge = |kind: &'static str| PictureEdge {
            source: "n0".into(),
            target: "n1".into(),
            kind,
            weight: 1,
            highlight: false,
        };
        let p = picture(
            vec![node(0, "A", 100.0, 100.0), node(1, "B", 300.0, 100.0)],
            vec![edge("staff"), edge("funding")],
        );
        let svg = draw_plain(&p);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let ys: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("line"))
            .filter_map(|n| n.attribute("y1"))
            .collect();
        assert_eq!(ys, ["98.0", "102.0"]);
    }

    #[test]
    fn labels_never_overlap_and_the_largest_come_first() {
        // A crowd of nodes on a small grid: not every label fits.
        let nodes: Vec<PictureNode> = (0..400)
            .map(|i| {
                let (x, y) = ((i % 20) as f32 * 55.0 + 30.0, (i / 20) as f32 * 38.0 + 20.0);
                node(i, &format!("Organisation Nummer {i}"), x, y)
            })
            .collect();
        let labels = place_labels(&nodes, (1200.0, 800.0));
        assert!(!labels.is_empty() && labels.len() < nodes.len());
        for (i, a) in labels.iter().enumerate() {
            let (x, y, w, h) = a.bounds;
            assert!(x >= 0.0 && y >= 0.0 && x + w <= 1200.0 && y + h <= 800.0);
            for b in &labels[i + 1..] {
                assert!(!overlaps(a.bounds, b.bounds), "{} and {}", a.key, b.key);
            }
        }
        // The node with the largest value is labelled.
        assert!(labels.iter().any(|l| l.key == "n399"));
    }
}
