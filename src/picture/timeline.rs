//! An organisation's funding and its people's roles over time as SVG. Funding: one bar per grant over its period, the
//! amount range as its label, project-bound grants striped, so that a run of short
//! project grants ("Projektitis") shows at a glance. Grants without dates are listed
//! beside the picture by the page, not drawn.
use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use super::svg::escape;
use crate::domain::Interval;

/// One grant or role as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub interval: Interval,
    /// Striped: a project-bound grant.
    pub project_bound: bool,
    /// A span marked on the bar (a role's time as one side of a tandem).
    pub marked: Option<Interval>,
}

const WIDTH: f32 = 1000.0;
const ROW: f32 = 26.0;
const TOP: f32 = 24.0;
const LEFT: f32 = 10.0;

/// The timeline of `bars` (grants or roles) with an open end drawn up to `today`; `None` when no bar has
/// a date to place it by.
pub fn draw(bars: &[Bar], today: NaiveDate, title: &str) -> Option<String> {
    let dated: Vec<&Bar> = bars
        .iter()
        .filter(|b| b.interval.start.is_some() || b.interval.end.is_some())
        .collect();
    if dated.is_empty() {
        return None;
    }
    let day = |d: Option<NaiveDate>, open: NaiveDate| d.unwrap_or(open);
    let first = dated
        .iter()
        .filter_map(|b| b.interval.start.or(b.interval.end))
        .min()?;
    let last = dated
        .iter()
        .map(|b| day(b.interval.end, today.max(first)))
        .max()?;
    let (y0, y1) = (first.year(), last.year() + 1);
    let span = (y1 - y0).max(1) as f32;
    let x = |d: NaiveDate| {
        let year = d.year() as f32 + d.ordinal0() as f32 / 366.0;
        LEFT + (year - y0 as f32) / span * (WIDTH - 2.0 * LEFT)
    };
    let height = TOP + ROW * dated.len() as f32 + 6.0;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" viewBox=\"0 0 {WIDTH} {height}\" \
         role=\"img\" aria-label=\"{}\" font-family=\"sans-serif\" font-size=\"11\">\
         <defs><pattern id=\"project-bound\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#E69F00\"/>\
         <rect width=\"3\" height=\"6\" fill=\"#F6CF80\"/></pattern></defs>",
        escape(title)
    );
    for year in y0..=y1 {
        let gx = x(NaiveDate::from_ymd_opt(year, 1, 1)?);
        // The last grid line closes the axis; its year would not fit.
        if gx + 30.0 > WIDTH {
            let _ = write!(
                out,
                "<line x1=\"{gx:.1}\" y1=\"14\" x2=\"{gx:.1}\" y2=\"{height}\" stroke=\"#d8dde5\"/>"
            );
            continue;
        }
        let _ = write!(
            out,
            "<line x1=\"{gx:.1}\" y1=\"14\" x2=\"{gx:.1}\" y2=\"{height}\" stroke=\"#d8dde5\"/>\
             <text x=\"{:.1}\" y=\"11\" fill=\"#5b6575\">{year}</text>",
            gx + 2.0
        );
    }
    for (i, b) in dated.iter().enumerate() {
        let start = b.interval.start.unwrap_or(first);
        let end = day(b.interval.end, today.max(start));
        let (bx, bw) = (x(start), (x(end) - x(start)).max(3.0));
        let y = TOP + ROW * i as f32;
        let fill = if b.project_bound {
            "url(#project-bound)"
        } else {
            "#0072B2"
        };
        let open = if b.interval.end.is_none() { " …" } else { "" };
        let mark = match b.marked {
            Some(m) => {
                let (ms, me) = (
                    m.start.unwrap_or(start).max(start),
                    day(m.end, end).min(end),
                );
                format!(
                    "<rect class=\"marked\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" \
                     fill=\"none\" stroke=\"#B3261E\" stroke-width=\"2.5\" rx=\"2\"/>",
                    x(ms),
                    y - 1.0,
                    (x(me) - x(ms)).max(3.0),
                    ROW - 6.0
                )
            }
            None => String::new(),
        };
        let _ = write!(
            out,
            "<g class=\"grant\"><rect x=\"{bx:.1}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" \
             fill=\"{fill}\" rx=\"2\"/>{mark}<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#1d2430\" stroke=\"#fff\" \
             stroke-width=\"3\" paint-order=\"stroke\">{}{open}</text><title>{}</title></g>",
            ROW - 8.0,
            (bx + 4.0).min(WIDTH - 200.0),
            y + ROW - 13.0,
            escape(&b.label),
            escape(&b.label)
        );
    }
    out.push_str("</svg>");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, start: Option<&str>, end: Option<&str>, project: bool) -> Bar {
        let d = |t: Option<&str>| t.map(|t| t.parse().unwrap());
        Bar {
            label: label.into(),
            interval: Interval::new(d(start), d(end)),
            project_bound: project,
            marked: None,
        }
    }

    #[test]
    fn one_bar_per_dated_grant_with_years_and_stripes() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let bars = [
            bar(
                "EVZ · 30.000 – 70.000 EUR <Projekt>",
                Some("2019"),
                Some("2021"),
                true,
            ),
            bar("Stadt · laufend", Some("2022-03"), None, false),
            bar("undatiert", None, None, false),
        ];
        let svg = draw(&bars, today, "Förderung").expect("dated grants");
        let doc = roxmltree::Document::parse(&svg).expect("well-formed");
        let grants = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("grant"))
            .count();
        assert_eq!(grants, 2, "the undated grant is not drawn");
        assert!(svg.contains(">2019<") && svg.contains(">2026<"));
        assert!(
            svg.contains("url(#project-bound)"),
            "project-bound grants are striped"
        );
        assert!(svg.contains("&lt;Projekt&gt;") && svg.contains("laufend …"));
        assert!(draw(&bars[2..], today, "x").is_none());
    }
}
