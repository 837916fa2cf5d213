//! Time filters: `as_of=DATE` or `from=DATE&to=DATE` keep the edges whose intervals meet.
use chrono::NaiveDate;

use crate::domain::{Interval, PartialDate};
use crate::error::{Error, FieldError, Result};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TimeFilter {
    window: Option<Interval>,
    as_of: Option<NaiveDate>,
}

impl TimeFilter {
    pub const ALL: TimeFilter = TimeFilter {
        window: None,
        as_of: None,
    };

    /// Parses the optional `as_of`, `from` and `to` parameters.
    pub fn parse(as_of: Option<&str>, from: Option<&str>, to: Option<&str>) -> Result<TimeFilter> {
        let mut errors = Vec::new();
        let mut date = |field: &str, text: Option<&str>| -> Option<PartialDate> {
            let text = text.map(str::trim).filter(|t| !t.is_empty())?;
            // Pages and the API read dates alike: `14.05.2019` as well as `2019-05-14`.
            let iso = crate::domain::partial_date::german_to_iso(text);
            iso.as_deref()
                .unwrap_or(text)
                .parse()
                .map_err(|e: crate::domain::partial_date::DateError| {
                    errors.push(FieldError::new(field, e.to_string()))
                })
                .ok()
        };
        let (as_of, from, to) = (date("as_of", as_of), date("from", from), date("to", to));
        if as_of.is_some() && (from.is_some() || to.is_some()) {
            errors.push(FieldError::new(
                "as_of",
                "use either as_of or from/to, not both",
            ));
        }
        let window = match as_of {
            Some(d) => Some(Interval::new(Some(d), Some(d))),
            None if from.is_some() || to.is_some() => Some(Interval::new(from, to)),
            None => None,
        };
        if window.is_some_and(|w| w.is_reversed()) {
            errors.push(FieldError::new("to", "the end lies before the start"));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        Ok(TimeFilter {
            window,
            as_of: as_of.map(|d| d.first_day()),
        })
    }

    pub fn as_of(day: NaiveDate) -> TimeFilter {
        TimeFilter {
            window: Some(Interval {
                start: Some(day),
                end: Some(day),
            }),
            as_of: Some(day),
        }
    }

    /// Whether an edge with this interval is inside the filter.
    pub fn admits(&self, interval: &Interval) -> bool {
        self.window.is_none_or(|w| w.intersect(interval).is_some())
    }

    /// The window edges must meet, if any (for walks that compare day numbers).
    pub fn window(&self) -> Option<Interval> {
        self.window
    }

    /// The day that "today" means for this query: `as_of` if given, else the real today.
    pub fn reference_day(&self) -> NaiveDate {
        self.as_of
            .unwrap_or_else(|| chrono::Utc::now().date_naive())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(s: Option<&str>, e: Option<&str>) -> Interval {
        Interval::new(s.map(|x| x.parse().unwrap()), e.map(|x| x.parse().unwrap()))
    }

    #[test]
    fn as_of_a_year_meets_intervals_touching_that_year() {
        let f = TimeFilter::parse(Some("2019"), None, None).unwrap();
        assert!(f.admits(&iv(Some("2019-12-31"), None)));
        assert!(f.admits(&iv(None, Some("2019-01-01"))));
        assert!(!f.admits(&iv(Some("2020"), None)));
        assert!(!f.admits(&iv(Some("2015"), Some("2018-12"))));
        assert!(f.admits(&iv(None, None)));
    }

    #[test]
    fn bad_windows_are_field_errors() {
        assert!(TimeFilter::parse(Some("2019-13"), None, None).is_err());
        assert!(TimeFilter::parse(None, Some("2020"), Some("2019")).is_err());
        assert!(TimeFilter::parse(Some("2019"), Some("2018"), None).is_err());
        let f = TimeFilter::parse(None, Some("2020"), None).unwrap();
        assert!(f.admits(&iv(Some("2030"), None)));
        assert!(!f.admits(&iv(None, Some("2019"))));
    }
}
