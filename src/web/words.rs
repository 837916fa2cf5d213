//! Words for pages: a vocabulary's value by its label in the page's language (never its
//! code), timestamps as dates people read, counts with their noun in the right number,
//! and the change log's actions. Codes stay codes in the API and the exports.
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime};

use super::i18n::{Labels, Lang};
use super::Chrome;
use crate::domain::Labelled;

pub const LABELS: Labels = &[
    // The change log's actions, as shown in history lists.
    ("act.create", "angelegt", "created"),
    ("act.update", "geändert", "updated"),
    ("act.delete", "gelöscht", "deleted"),
    ("act.restore", "wiederhergestellt", "restored"),
    ("act.import", "importiert", "imported"),
    (
        "act.erase",
        "gelöscht (DSGVO Art. 17)",
        "erased (GDPR Art. 17)",
    ),
    ("act.disable", "gesperrt", "disabled"),
    ("act.enable", "entsperrt", "enabled"),
    ("act.set_password", "Passwort gesetzt", "password set"),
    ("act.revoke", "widerrufen", "revoked"),
    ("act.other", "geändert", "changed"),
    // Nouns counted in pages: singular|plural.
    ("n.rows", "Zeile|Zeilen", "row|rows"),
    ("n.days", "Tag|Tage", "day|days"),
    ("n.persons", "Person|Personen", "person|people"),
    (
        "n.shared_persons",
        "gemeinsame Person|gemeinsame Personen",
        "shared person|shared people",
    ),
    ("n.grants", "Förderung|Förderungen", "grant|grants"),
    ("n.results", "Treffer|Treffer", "result|results"),
    (
        "n.organisations",
        "Organisation|Organisationen",
        "organisation|organisations",
    ),
    ("n.changes", "Änderung|Änderungen", "change|changes"),
    (
        "n.more_rows",
        "weitere Zeile|weitere Zeilen",
        "more row|more rows",
    ),
];

impl Lang {
    /// A vocabulary's value by its label: `Co-Vorsitz` / `co-chair`.
    pub fn word<T: Labelled>(&self, value: T) -> &'static str {
        match self {
            Lang::De => value.german(),
            Lang::En => value.english(),
        }
    }

    /// Several values by their labels, each once, in their order: `Bildung, Jugend`.
    pub fn words<T: Labelled>(&self, values: impl IntoIterator<Item = T>) -> String {
        distinct(values.into_iter().map(|v| self.word(v)))
    }

    /// A change-log action in words: `geändert` / `updated`.
    pub fn action(&self, action: &str) -> &'static str {
        match self.t(&format!("act.{action}")) {
            "??" => self.t("act.other"),
            text => text,
        }
    }

    /// Why one organisation depends on another (a graph reason's kind), in words:
    /// `founding_support` → `Gründungsunterstützung` (labels `ov.r.*`).
    pub fn reason(&self, kind: &str) -> &'static str {
        match self.t(&format!("ov.r.{kind}")) {
            "??" => self.t("ov.r.other"),
            text => text,
        }
    }

    /// A whole number with the page language's thousands separator: `1.234` / `1,234`.
    pub fn number(&self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let sep = match self {
            Lang::De => '.',
            Lang::En => ',',
        };
        let mut out = String::new();
        if n < 0 {
            out.push('-');
        }
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(ch);
        }
        out
    }

    /// A count with its noun in the right number: `1 Zeile`, `2 Zeilen`, `1 row`. `noun`
    /// is a label key whose text is `singular|plural` (`n.rows`).
    pub fn count(&self, n: impl Count, noun: &str) -> String {
        let n = n.count();
        format!("{} {}", self.number(n), self.noun(n, noun))
    }

    /// The noun alone, in the number `n` asks for: `Zeile` for 1, `Zeilen` otherwise.
    pub fn noun(&self, n: impl Count, noun: &str) -> &'static str {
        let text = self.t(noun);
        let (one, many) = text.split_once('|').unwrap_or((text, text));
        match n.count() {
            1 => one,
            _ => many,
        }
    }

    /// A stored timestamp (RFC 3339, UTC) as people read it, in German time (the
    /// registry's place): `01.12.2026, 06:12` / `1 Dec 2026, 06:12`. Text that is no
    /// timestamp is returned as it is.
    pub fn when(&self, at: &str) -> String {
        let Some(utc) = parse_utc(at) else {
            return at.to_string();
        };
        let local = german_time(utc);
        match self {
            Lang::De => local.format("%d.%m.%Y, %H:%M").to_string(),
            Lang::En => local.format("%-d %b %Y, %H:%M").to_string(),
        }
    }

    /// A day as people read it: `31.12.2026` / `31 Dec 2026`.
    pub fn day(&self, day: NaiveDate) -> String {
        match self {
            Lang::De => day.format("%d.%m.%Y").to_string(),
            Lang::En => day.format("%-d %b %Y").to_string(),
        }
    }
}

impl Chrome {
    /// A vocabulary's value by its label in the page's language.
    pub fn word<T: Labelled>(&self, value: T) -> &'static str {
        self.lang.word(value)
    }

    /// An optional value by its label, `–` when there is none.
    pub fn word_or_dash<T: Labelled>(&self, value: &Option<T>) -> &'static str {
        value.as_ref().map_or("–", |v| self.lang.word(v))
    }

    /// Several values by their labels, each once: `Bildung, Jugend`.
    pub fn words<T: Labelled>(&self, values: impl IntoIterator<Item = T>) -> String {
        self.lang.words(values)
    }

    /// A change-log action in words.
    pub fn action(&self, action: &str) -> &'static str {
        self.lang.action(action)
    }

    /// A count with its noun: `1 Zeile`, `2 Zeilen`.
    pub fn count(&self, n: impl Count, noun: &str) -> String {
        self.lang.count(n, noun)
    }

    /// The noun alone, in the number `n` asks for.
    pub fn noun(&self, n: impl Count, noun: &str) -> &'static str {
        self.lang.noun(n, noun)
    }

    /// A stored timestamp as people read it: `01.12.2026, 06:12`.
    pub fn when(&self, at: &str) -> String {
        self.lang.when(at)
    }
}

/// A number of things, whatever integer type (or reference to one) holds it.
pub trait Count {
    fn count(&self) -> i64;
}

macro_rules! count {
    ($($t:ty),+) => {$(
        impl Count for $t {
            fn count(&self) -> i64 {
                i64::try_from(*self).unwrap_or(i64::MAX)
            }
        }
    )+};
}
count!(i32, u32, u64, usize);

impl Count for i64 {
    fn count(&self) -> i64 {
        *self
    }
}

impl<T: Count> Count for &T {
    fn count(&self) -> i64 {
        (**self).count()
    }
}

/// Labels joined by ", ", each once, in the order they come.
pub fn distinct<'a>(labels: impl IntoIterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for label in labels {
        if !seen.contains(&label) {
            seen.push(label);
        }
    }
    seen.join(", ")
}

/// An English label for a (German label, code) pair of any vocabulary; the code in words
/// only for a value no vocabulary has.
pub fn english_of(german: &str, code: &str) -> String {
    crate::domain::enums::every_label()
        .into_iter()
        .find(|(c, de, _)| *c == code && *de == german)
        .or_else(|| {
            crate::domain::enums::every_label()
                .into_iter()
                .find(|(c, _, _)| *c == code)
        })
        .map_or_else(|| code.replace('_', " "), |(_, _, en)| en.to_string())
}

/// A stored timestamp: RFC 3339 (`2026-12-01T05:12:38.287663Z`), or without a zone (UTC).
fn parse_utc(at: &str) -> Option<NaiveDateTime> {
    let at = at.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(at) {
        return Some(t.naive_utc());
    }
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(at.trim_end_matches('Z'), f).ok())
}

/// UTC as German (Central European) time: UTC+2 from the last Sunday in March, 01:00 UTC,
/// to the last Sunday in October, 01:00 UTC; UTC+1 otherwise.
fn german_time(utc: NaiveDateTime) -> NaiveDateTime {
    let last_sunday_at_one = |month: u32| {
        let last = NaiveDate::from_ymd_opt(utc.year(), month, 31)?;
        let back = last.weekday().num_days_from_sunday();
        (last - Duration::days(back.into())).and_hms_opt(1, 0, 0)
    };
    let summer = match (last_sunday_at_one(3), last_sunday_at_one(10)) {
        (Some(from), Some(to)) => from <= utc && utc < to,
        _ => false,
    };
    utc + Duration::hours(if summer { 2 } else { 1 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{FieldOfWork, RelationKind, Role};

    #[test]
    fn values_read_as_words_in_both_languages() {
        assert_eq!(Lang::De.word(Role::CoChair), "Co-Vorsitz");
        assert_eq!(Lang::En.word(Role::CoChair), "co-chair");
        assert_eq!(
            Lang::En.word(RelationKind::CooperatesWith),
            "cooperates with"
        );
        let fields = [
            FieldOfWork::Youth,
            FieldOfWork::Education,
            FieldOfWork::Youth,
        ];
        assert_eq!(Lang::De.words(fields), "Jugend, Bildung");
        assert_eq!(english_of("Co-Vorsitz", "co_chair"), "co-chair");
        assert_eq!(english_of("?", "no_such_code"), "no such code");
    }

    #[test]
    fn timestamps_read_as_dates_in_german_time() {
        // Winter: UTC+1.
        let winter = "2026-12-01T05:12:38.287663Z";
        assert_eq!(Lang::De.when(winter), "01.12.2026, 06:12");
        assert_eq!(Lang::En.when(winter), "1 Dec 2026, 06:12");
        // Summer: UTC+2, from the last Sunday in March (29 March 2026) 01:00 UTC.
        assert_eq!(Lang::De.when("2026-07-01T22:30:00Z"), "02.07.2026, 00:30");
        assert_eq!(Lang::De.when("2026-03-29T00:59:00Z"), "29.03.2026, 01:59");
        assert_eq!(Lang::De.when("2026-03-29T01:00:00Z"), "29.03.2026, 03:00");
        assert_eq!(Lang::De.when("2026-10-25T00:59:00Z"), "25.10.2026, 02:59");
        assert_eq!(Lang::De.when("2026-10-25T01:00:00Z"), "25.10.2026, 02:00");
        assert_eq!(
            Lang::En.when("2024-05-14T10:00:00+00:00"),
            "14 May 2024, 12:00"
        );
        assert_eq!(Lang::De.when("2024-05-14 10:00:00"), "14.05.2024, 12:00");
        assert_eq!(Lang::De.when("gestern"), "gestern");
        assert_eq!(
            Lang::En.day(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
            "31 Dec 2026"
        );
        assert_eq!(
            Lang::De.day(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()),
            "05.01.2026"
        );
    }

    #[test]
    fn counts_take_their_nouns_plural() {
        assert_eq!(Lang::De.count(1, "n.rows"), "1 Zeile");
        assert_eq!(Lang::De.count(2, "n.rows"), "2 Zeilen");
        assert_eq!(Lang::De.count(0, "n.rows"), "0 Zeilen");
        assert_eq!(Lang::En.count(1usize, "n.rows"), "1 row");
        assert_eq!(Lang::En.count(1234, "n.rows"), "1,234 rows");
        assert_eq!(Lang::De.count(1234, "n.rows"), "1.234 Zeilen");
        assert_eq!(Lang::De.count(30, "n.days"), "30 Tage");
        assert_eq!(Lang::En.count(1, "n.persons"), "1 person");
        assert_eq!(Lang::En.count(-3, "n.days"), "-3 days");
    }

    /// A period shows its dates as entered: months stay months.
    #[test]
    fn periods_keep_their_precision() {
        let d = |s: &str| Some(s.parse::<crate::domain::PartialDate>().unwrap());
        let period = crate::web::period;
        assert_eq!(period(d("2022-01"), d("2024-12")), "2022-01 – 2024-12");
        assert_eq!(period(d("2019"), None), "2019 – …");
        assert_eq!(period(None, d("2020-03-08")), "… – 2020-03-08");
        assert_eq!(period(None, None), "…");
    }

    #[test]
    fn actions_read_as_words() {
        assert_eq!(Lang::De.action("update"), "geändert");
        assert_eq!(Lang::En.action("restore"), "restored");
        assert_eq!(Lang::En.action("import"), "imported");
        assert_eq!(Lang::En.action("something_new"), "changed");
    }
}
