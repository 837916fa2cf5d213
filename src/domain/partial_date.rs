//! Partial ISO 8601 dates (`2019`, `2019-05`, `2019-05-14`) and the intervals built from
//! them. A partial date stands for the whole year or month it names.
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
}

impl PartialDate {
    pub fn year(year: i32) -> Self {
        Self {
            year,
            month: None,
            day: None,
        }
    }

    pub fn from_date(d: NaiveDate) -> Self {
        Self {
            year: d.year(),
            month: Some(d.month()),
            day: Some(d.day()),
        }
    }

    /// The first day the partial date covers.
    pub fn first_day(&self) -> NaiveDate {
        let m = self.month.unwrap_or(1);
        let d = self.day.unwrap_or(1);
        NaiveDate::from_ymd_opt(self.year, m, d).unwrap_or(NaiveDate::MIN)
    }

    /// The last day the partial date covers.
    pub fn last_day(&self) -> NaiveDate {
        match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m, d),
            (Some(m), None) => last_day_of_month(self.year, m),
            _ => NaiveDate::from_ymd_opt(self.year, 12, 31),
        }
        .unwrap_or(NaiveDate::MAX)
    }
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a valid date: use YYYY, YYYY-MM or YYYY-MM-DD")]
pub struct DateError(pub String);

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DateError(s.to_string());
        let parts: Vec<&str> = s.trim().split('-').collect();
        let number = |p: &str, len: usize| -> Result<u32, DateError> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            p.parse().map_err(|_| err())
        };
        let year = number(parts[0], 4)? as i32;
        // Four digits, no year zero: the registry's dates are the last few centuries.
        if year < 1000 {
            return Err(err());
        }
        let date = match parts.len() {
            1 => PartialDate::year(year),
            2 => {
                let month = number(parts[1], 2)?;
                if !(1..=12).contains(&month) {
                    return Err(err());
                }
                PartialDate {
                    year,
                    month: Some(month),
                    day: None,
                }
            }
            3 => {
                let (month, day) = (number(parts[1], 2)?, number(parts[2], 2)?);
                NaiveDate::from_ymd_opt(year, month, day).ok_or_else(err)?;
                PartialDate {
                    year,
                    month: Some(month),
                    day: Some(day),
                }
            }
            _ => return Err(err()),
        };
        Ok(date)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// In the API's OpenAPI document: a text of the form `Serialize` writes.
impl utoipa::PartialSchema for PartialDate {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"))
            .description(Some(
                "A partial ISO 8601 date standing for the whole year, month or day it names",
            ))
            .examples(["2019", "2019-05", "2019-05-14"])
            .into()
    }
}

impl utoipa::ToSchema for PartialDate {}

/// `14.05.2019` → `2019-05-14`, `05.2019` → `2019-05`; anything else is left alone.
pub fn german_to_iso(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split('.').collect();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [d, m, y] if digits(d) && digits(m) && y.len() == 4 && digits(y) => {
            Some(format!("{y}-{:0>2}-{:0>2}", m, d))
        }
        [m, y] if digits(m) && y.len() == 4 && digits(y) => Some(format!("{y}-{:0>2}", m)),
        _ => None,
    }
}

/// A closed interval of days; `None` ends are open (unknown start, ongoing end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, utoipa::ToSchema)]
pub struct Interval {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

impl Interval {
    /// The interval from the first day of `start` to the last day of `end`.
    pub fn new(start: Option<PartialDate>, end: Option<PartialDate>) -> Self {
        Self {
            start: start.map(|d| d.first_day()),
            end: end.map(|d| d.last_day()),
        }
    }

    /// Whether an end lies before the start (the only invalid shape).
    pub fn is_reversed(&self) -> bool {
        matches!((self.start, self.end), (Some(s), Some(e)) if e < s)
    }

    pub fn is_ongoing(&self) -> bool {
        self.end.is_none()
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start.is_none_or(|s| s <= day) && self.end.is_none_or(|e| day <= e)
    }

    /// The common part of two intervals, if they meet.
    pub fn intersect(&self, other: &Interval) -> Option<Interval> {
        let start = self.start.max(other.start);
        let end = match (self.end, other.end) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let i = Interval { start, end };
        (!i.is_reversed()).then_some(i)
    }
}

/// Checks an optional start/end pair; returns the message for the end field if reversed.
pub fn check_interval(start: Option<PartialDate>, end: Option<PartialDate>) -> Option<String> {
    Interval::new(start, end)
        .is_reversed()
        .then(|| "the end lies before the start".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        s.parse().unwrap()
    }
    fn day(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn parses_and_prints_all_three_precisions() {
        for s in ["2019", "2019-05", "1975-03-08"] {
            assert_eq!(d(s).to_string(), s);
        }
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        for s in [
            "2024-02-30",
            "2024-13",
            "2023-02-29",
            "2024-00",
            "19",
            "2019-5",
            "2019-05-14-01",
            "abcd",
            "",
            "14.05.2019",
        ] {
            assert!(s.parse::<PartialDate>().is_err(), "{s} should be rejected");
        }
        assert!("2024-02-29".parse::<PartialDate>().is_ok(), "leap day");
    }

    #[test]
    fn partial_dates_cover_whole_year_or_month() {
        assert_eq!(d("2019").first_day(), day(2019, 1, 1));
        assert_eq!(d("2019").last_day(), day(2019, 12, 31));
        assert_eq!(d("2024-02").last_day(), day(2024, 2, 29));
        assert_eq!(d("2023-12").last_day(), day(2023, 12, 31));
        assert_eq!(d("1975-03-08").last_day(), day(1975, 3, 8));
    }

    #[test]
    fn end_before_start_is_reversed_but_same_year_is_not() {
        assert!(check_interval(Some(d("2020")), Some(d("2019"))).is_some());
        assert!(check_interval(Some(d("2019-05")), Some(d("2019"))).is_none());
        assert!(check_interval(Some(d("2019-05-14")), Some(d("2019-05-13"))).is_some());
        assert!(check_interval(None, Some(d("2019"))).is_none());
    }

    #[test]
    fn open_end_is_ongoing_and_intersections_respect_years() {
        let a = Interval::new(Some(d("2019")), None);
        assert!(a.is_ongoing());
        assert!(a.contains(day(2030, 1, 1)));
        assert!(!a.contains(day(2018, 12, 31)));
        let b = Interval::new(Some(d("2015")), Some(d("2019")));
        let i = a.intersect(&b).unwrap();
        assert_eq!(
            (i.start, i.end),
            (Some(day(2019, 1, 1)), Some(day(2019, 12, 31)))
        );
        let c = Interval::new(Some(d("2010")), Some(d("2018-12")));
        assert!(a.intersect(&c).is_none());
    }
}
