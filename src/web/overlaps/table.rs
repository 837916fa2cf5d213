//! The tables of the overlaps pages (shown as HTML and written as CSV from the same
//! cells) and how graph answers read in them.
use chrono::{Datelike, Duration, NaiveDate};

use super::csv;
use super::dates::Dates;
use crate::domain::{Disclosure, FieldOfWork, Interval, PartialDate, Role};
use crate::graph::funding::{Amount, Share};
use crate::graph::overlaps::RoleSpan;
use crate::graph::{OrgRef, PersonRef};
use crate::web::i18n::Lang;

pub struct Cell {
    pub text: String,
    /// What the CSV file holds instead of `text` (a bare number for "30 Tage").
    pub csv: Option<String>,
    pub link: Option<String>,
    /// Shown in grey (a hidden name, nothing known).
    pub muted: bool,
    /// The person this cell names, if any.
    pub person: Option<String>,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            csv: None,
            link: None,
            muted: false,
            person: None,
        }
    }

    /// A count with its noun on the page ("30 Tage"), the bare number in the CSV file.
    pub fn count(lang: Lang, n: i64, noun: &str) -> Cell {
        Cell {
            csv: Some(n.to_string()),
            ..Cell::text(lang.count(n, noun))
        }
    }

    /// An organisation, linked to its profile.
    pub fn org(o: &OrgRef) -> Cell {
        Cell {
            text: o.name.clone(),
            csv: None,
            link: Some(format!("/organisations/{}", o.id)),
            muted: false,
            person: None,
        }
    }

    /// A person's name linked to the person's page, or "–" when the visitor may not see it.
    pub fn person(p: &Option<PersonRef>) -> Cell {
        match p {
            Some(p) => Cell {
                text: p.name.clone(),
                csv: None,
                link: Some(format!("/persons/{}", p.id)),
                muted: false,
                person: Some(p.id.clone()),
            },
            None => Cell {
                text: "–".into(),
                csv: None,
                link: None,
                muted: true,
                person: None,
            },
        }
    }
}

pub struct Table {
    /// The HTML id and the `table=` value of its CSV download.
    pub id: &'static str,
    pub title: Option<&'static str>,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    /// Filled in when the page is rendered.
    pub csv_link: String,
    /// The persons its cells name (a CSV download of this table shows these).
    pub persons: Disclosure,
    /// For one page of a longer list: the rows before this page and the list's length.
    pub paged: Option<(usize, usize)>,
}

impl Table {
    /// A table with translated headers (label keys) and an optional title key.
    pub fn new(lang: Lang, id: &'static str, title: Option<&str>, headers: &[&str]) -> Table {
        Table {
            id,
            title: title.map(|t| lang.t(t)),
            headers: headers.iter().map(|h| lang.t(h)).collect(),
            rows: Vec::new(),
            csv_link: String::new(),
            persons: Disclosure::none(),
            paged: None,
        }
    }

    /// How many rows it shows: "12 Zeilen", or for one page "Zeilen 51–100 von 7.176".
    pub fn rows_text(&self, lang: &Lang) -> String {
        let shown = self.rows.len();
        match self.paged {
            Some((before, total)) if shown > 0 => format!(
                "{} {}–{} {} {}",
                lang.noun(2i64, "n.rows"),
                lang.number(before as i64 + 1),
                lang.number((before + shown) as i64),
                lang.t("ov.of"),
                lang.number(total as i64),
            ),
            Some((_, total)) => lang.count(total, "n.rows"),
            None => lang.count(shown, "n.rows"),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.headers.len());
        for id in row.iter().filter_map(|c| c.person.as_ref()) {
            self.persons.add(id.clone());
        }
        self.rows.push(row);
    }

    pub fn csv(&self) -> String {
        csv::write(
            self.headers.iter().copied(),
            self.rows.iter().map(|r| {
                r.iter()
                    .map(|c| c.csv.as_deref().unwrap_or(&c.text))
                    .collect()
            }),
        )
    }
}

/// A day as precise as it was probably entered: a whole year or month shows as `2019`
/// or `2019-05` (the graph stores the first or last day of it).
fn day(d: NaiveDate, is_end: bool) -> String {
    let last_of_month = (d + Duration::days(1)).day() == 1;
    match is_end {
        false if d.month() == 1 && d.day() == 1 => d.year().to_string(),
        false if d.day() == 1 => d.format("%Y-%m").to_string(),
        true if d.month() == 12 && d.day() == 31 => d.year().to_string(),
        true if last_of_month => d.format("%Y-%m").to_string(),
        _ => d.to_string(),
    }
}

/// A start or end day as entered: the most precise of the `entered` dates that begins
/// (or ends) on that day, else as precise as the day suggests.
fn bound(d: NaiveDate, is_end: bool, entered: &[PartialDate]) -> String {
    entered
        .iter()
        .filter(|p| match is_end {
            false => p.first_day() == d,
            true => p.last_day() == d,
        })
        .map(PartialDate::to_string)
        .max_by_key(String::len)
        .unwrap_or_else(|| day(d, is_end))
}

/// "2019 – 2024", "2022-01 – 2024-12" (as entered), "2016 – …" (ongoing), "… – 2020",
/// or "undated". `entered` are the partial dates the interval was built from, if known.
pub fn span(lang: Lang, iv: &Interval, entered: &[PartialDate]) -> String {
    let b = |d, is_end| bound(d, is_end, entered);
    match (iv.start, iv.end) {
        (None, None) => lang.t("ov.undated").to_string(),
        (Some(s), None) => format!("{} – …", b(s, false)),
        (None, Some(e)) => format!("… – {}", b(e, true)),
        (Some(s), Some(e)) => format!("{} – {}", b(s, false), b(e, true)),
    }
}

pub fn role(lang: Lang, r: Role) -> &'static str {
    lang.word(r)
}

/// "Co-Vorsitz (2019 – 2024)"; several joined by "; ". The roles are `person`'s, whose
/// entered dates `dates` may know.
pub fn roles(lang: Lang, spans: &[RoleSpan], dates: &Dates, person: Option<&PersonRef>) -> String {
    spans
        .iter()
        .map(|r| {
            let entered = dates.role(person, r);
            format!(
                "{} ({})",
                role(lang, r.role),
                span(lang, &r.interval, entered)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The period two roles were held at once, read with the dates both were entered with.
pub fn overlap(
    lang: Lang,
    iv: &Interval,
    dates: &Dates,
    person: Option<&PersonRef>,
    a: &RoleSpan,
    b: &RoleSpan,
) -> String {
    let entered: Vec<PartialDate> = [dates.role(person, a), dates.role(person, b)].concat();
    span(lang, iv, &entered)
}

/// Fields of work by their labels, each once.
pub fn fields(lang: Lang, list: &[FieldOfWork]) -> String {
    lang.words(list)
}

/// "30.000 – 70.000 EUR", with "+ 1 without amount" for grants of unknown size.
pub fn money(lang: Lang, a: &Amount) -> String {
    let known = if a.min == 0 && a.max == 0 && a.unknown > 0 {
        String::new()
    } else {
        crate::web::amount(Some(a.min), Some(a.max), "EUR")
    };
    match (known.is_empty(), a.unknown) {
        (_, 0) => known,
        (true, n) => format!("{n} {}", lang.t("ov.no_amount")),
        (false, n) => format!("{known} + {n} {}", lang.t("ov.no_amount")),
    }
}

/// A fraction as whole percent: "100 %".
pub fn percent(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

/// The lowest and highest possible share: "43 – 70 %".
pub fn share_range(s: &Share) -> String {
    format!("{:.0} – {:.0} %", s.min * 100.0, s.max * 100.0)
}

/// Whether any amount is known; grants without one count as 0 in the graph's shares,
/// so their share is shown as "?" rather than "0 %".
pub fn known(a: &Amount) -> bool {
    !(a.min == 0 && a.max == 0 && a.unknown > 0)
}

pub fn percent_of(a: &Amount, mid: f64) -> String {
    if known(a) {
        percent(mid)
    } else {
        "?".into()
    }
}

pub fn range_of(a: &Amount, s: &Share) -> String {
    if known(a) {
        share_range(s)
    } else {
        "?".into()
    }
}

/// "100 %", or "50 % (33 – 67 %)" when the amounts leave room.
pub fn share(s: &Share) -> String {
    if format!("{:.0}", s.min * 100.0) == format!("{:.0}", s.max * 100.0) {
        percent(s.mid)
    } else {
        format!("{} ({})", percent(s.mid), share_range(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(s: Option<&str>, e: Option<&str>) -> Interval {
        Interval::new(s.map(|x| x.parse().unwrap()), e.map(|x| x.parse().unwrap()))
    }

    #[test]
    fn spans_read_as_entered() {
        let l = Lang::En;
        assert_eq!(span(l, &iv(Some("2019"), Some("2024")), &[]), "2019 – 2024");
        assert_eq!(
            span(l, &iv(Some("2019-05"), Some("2020-02")), &[]),
            "2019-05 – 2020-02"
        );
        assert_eq!(
            span(l, &iv(Some("2019-05-14"), Some("2020-02-03")), &[]),
            "2019-05-14 – 2020-02-03"
        );
        assert_eq!(span(l, &iv(Some("2016"), None), &[]), "2016 – …");
        assert_eq!(span(l, &iv(None, None), &[]), "undated");
    }

    /// Whole years' days keep the month they were entered with (the tandem list).
    #[test]
    fn spans_keep_the_month_they_were_entered_with() {
        let d = |s: &str| s.parse::<PartialDate>().unwrap();
        let months = iv(Some("2022-01"), Some("2024-12"));
        assert_eq!(span(Lang::De, &months, &[]), "2022 – 2024", "days alone");
        let entered = [d("2022-01"), d("2024-12")];
        assert_eq!(span(Lang::De, &months, &entered), "2022-01 – 2024-12");
        // Of two dates that fit, the more precise one; a year stays a year.
        let both = [d("2022"), d("2022-01"), d("2024")];
        assert_eq!(
            span(Lang::De, &iv(Some("2022"), Some("2024")), &both),
            "2022-01 – 2024"
        );
        assert_eq!(
            span(
                Lang::De,
                &iv(Some("2022"), Some("2024")),
                &[d("2022"), d("2024")]
            ),
            "2022 – 2024"
        );
    }

    #[test]
    fn amounts_and_shares() {
        let a = Amount {
            min: 3_000_000,
            max: 7_000_000,
            unknown: 0,
        };
        assert_eq!(money(Lang::De, &a), "30.000 – 70.000 EUR");
        let b = Amount {
            min: 0,
            max: 0,
            unknown: 2,
        };
        assert_eq!(money(Lang::De, &b), "2 ohne Betrag");
        let s = Share::of(a, a);
        assert_eq!(share(&s), "100 %");
        let half = Share {
            mid: 0.5,
            min: 1.0 / 3.0,
            max: 2.0 / 3.0,
        };
        assert_eq!(share(&half), "50 % (33 – 67 %)");
    }
}
