//! Turning form text into domain values, collecting every message in one pass: the
//! form's own parse errors and the domain's rules for the fields that parsed.
use crate::domain::PartialDate;
use crate::error::FieldError;
use crate::web::i18n::Lang;

pub mod cite;
mod head;
mod labels;
mod messages;
mod nav;
pub use cite::CiteForm;
pub use head::FormHead;
pub use labels::LABELS;
pub use messages::{field_label, query_problem, say};
use messages::{AMOUNT, BOUNDS, DATE, NUMBER, REQUIRED};
pub(crate) use messages::{CHOICE, NO_ORGANISATION, SEARCH_FAILED, SEVERAL};
pub use nav::{notice, with_done, without_done, Done, ReturnTo};

/// Field errors shown beside the fields of a re-rendered form.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field || e.field.starts_with(&format!("{field}[")))
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// An optional text: trimmed, empty is `None`.
    pub fn text(value: &str) -> Option<String> {
        let t = value.trim();
        (!t.is_empty()).then(|| t.to_string())
    }

    /// A partial date in ISO form or as German `14.05.2019` / `05.2019`.
    pub fn date(&mut self, field: &str, value: &str) -> Option<PartialDate> {
        let text = value.trim();
        if text.is_empty() {
            return None;
        }
        let iso = german_to_iso(text).unwrap_or_else(|| text.to_string());
        iso.parse().map_err(|_| self.add(field, DATE)).ok()
    }

    /// An optional enum value from a select list.
    pub fn choice<T: std::str::FromStr<Err = String>>(
        &mut self,
        field: &str,
        value: &str,
    ) -> Option<T> {
        let text = value.trim();
        if text.is_empty() {
            return None;
        }
        text.parse()
            .map_err(|_: String| self.add(field, CHOICE))
            .ok()
    }

    /// All values of a multiple select list.
    pub fn choices<T: std::str::FromStr<Err = String>>(
        &mut self,
        field: &str,
        values: &[String],
    ) -> Vec<T> {
        values
            .iter()
            .filter_map(|v| self.choice(field, v))
            .collect()
    }

    pub fn number(&mut self, field: &str, value: &str) -> Option<i64> {
        let text = value.trim().replace(['.', ' '], "");
        if text.is_empty() {
            return None;
        }
        text.parse().map_err(|_| self.add(field, NUMBER)).ok()
    }
}

/// Why a form was not saved: messages beside fields, and for a duplicate the id of the
/// record that already exists, so the form can link to it.
#[derive(Debug, Default)]
pub struct Rejection {
    pub errors: FieldErrors,
    pub duplicate: Option<String>,
}

impl Rejection {
    pub fn status(&self) -> rocket::http::Status {
        match self.duplicate {
            Some(_) => rocket::http::Status::Conflict,
            None => rocket::http::Status::UnprocessableEntity,
        }
    }
}

impl From<FieldErrors> for Rejection {
    fn from(errors: FieldErrors) -> Self {
        Rejection {
            errors,
            duplicate: None,
        }
    }
}

/// A save as a form sees it: bad input stays on the form (a duplicate as `duplicate`
/// beside `field`, with the existing record's id), anything else becomes an error page.
pub fn form_outcome<T>(
    saved: crate::error::Result<crate::domain::Record<T>>,
    field: &str,
    duplicate: &str,
) -> crate::error::Result<Result<String, Rejection>> {
    use crate::error::Error;
    match saved {
        Ok(record) => Ok(Ok(record.id)),
        Err(Error::Validation(list)) => Ok(Err(FieldErrors(list).into())),
        Err(Error::Conflict { existing_id, .. }) => {
            let mut errors = FieldErrors::default();
            errors.add(field, duplicate);
            Ok(Err(Rejection {
                errors,
                duplicate: existing_id,
            }))
        }
        Err(other) => Err(other),
    }
}

pub use crate::domain::partial_date::german_to_iso;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_dates_become_iso() {
        assert_eq!(german_to_iso("14.05.2019").as_deref(), Some("2019-05-14"));
        assert_eq!(german_to_iso("8.3.1975").as_deref(), Some("1975-03-08"));
        assert_eq!(german_to_iso("05.2019").as_deref(), Some("2019-05"));
        assert_eq!(german_to_iso("2019"), None);
        let mut e = FieldErrors::default();
        assert_eq!(e.date("founded", "31.02.2020"), None);
        assert_eq!(e.get("founded"), Some(DATE));
        assert_eq!(
            e.date("founded", "2019-05")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2019-05")
        );
    }
}

impl FieldErrors {
    /// An amount in euros as a single value, a range, or one bound (`30000`, `30.000,50`,
    /// `30.000 – 70.000`, `30000-70000 €`, `30.000 bis 70.000`, `≥ 30.000` or `ab 30.000`,
    /// `≤ 70.000` or `bis 70.000`), returned as cents (min, max).
    pub fn amount_range(&mut self, field: &str, value: &str) -> (Option<i64>, Option<i64>) {
        let text = value.trim().to_lowercase();
        if text.is_empty() {
            return (None, None);
        }
        let at_least = ["≥", ">=", "ab ", "mindestens "]
            .iter()
            .find_map(|p| text.strip_prefix(p));
        let at_most = ["≤", "<=", "bis ", "höchstens "]
            .iter()
            .find_map(|p| text.strip_prefix(p));
        let parsed = match (at_least, at_most) {
            (Some(rest), _) => cents(rest).map(|a| (Some(a), None)),
            (None, Some(rest)) => cents(rest).map(|b| (None, Some(b))),
            (None, None) => {
                let normalised = text.replace(" bis ", "-").replace(['–', '—'], "-");
                match normalised.split('-').map(str::trim).collect::<Vec<_>>()[..] {
                    [one] => cents(one).map(|c| (Some(c), Some(c))),
                    [a, b] => match (cents(a), cents(b)) {
                        (Some(x), Some(y)) if x <= y => Some((Some(x), Some(y))),
                        (Some(_), Some(_)) => {
                            self.add(field, BOUNDS);
                            return (None, None);
                        }
                        _ => None,
                    },
                    _ => None,
                }
            }
        };
        parsed.unwrap_or_else(|| {
            self.add(field, AMOUNT);
            (None, None)
        })
    }
}

/// Euros as typed (`30.000`, `30.000,50`, `30000 €`, `30.000 EUR`) in cents.
fn cents(text: &str) -> Option<i64> {
    let bare: String = text
        .trim()
        .trim_end_matches("eur")
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '€' | '\u{a0}'))
        .collect();
    let (whole, fraction) = match bare.split_once(',') {
        Some((w, f)) => (w, f),
        None => (bare.as_str(), ""),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !(fraction.is_empty() || (digits(fraction) && fraction.len() <= 2)) {
        return None;
    }
    let rest: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().ok()? * 10,
        _ => fraction.parse().ok()?,
    };
    whole
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(rest)
}

#[cfg(test)]
mod amount_tests {
    use super::*;

    #[test]
    fn amounts_as_single_values_and_ranges() {
        let mut e = FieldErrors::default();
        assert_eq!(
            e.amount_range("a", "30000"),
            (Some(3_000_000), Some(3_000_000))
        );
        assert_eq!(
            e.amount_range("a", "30.000 – 70.000"),
            (Some(3_000_000), Some(7_000_000))
        );
        assert_eq!(
            e.amount_range("a", "30000-70000 €"),
            (Some(3_000_000), Some(7_000_000))
        );
        assert_eq!(
            e.amount_range("a", "30.000 bis 70.000"),
            (Some(3_000_000), Some(7_000_000))
        );
        assert!(e.is_empty());
        assert_eq!(e.amount_range("a", "70000-30000"), (None, None));
        assert_eq!(e.amount_range("b", "viel"), (None, None));
        assert!(e.get("a").is_some() && e.get("b").is_some());
    }

    #[test]
    fn open_ranges_and_cents_round_trip_through_the_form() {
        let mut e = FieldErrors::default();
        assert_eq!(e.amount_range("a", "ab 30.000"), (Some(3_000_000), None));
        assert_eq!(e.amount_range("a", "bis 70.000 €"), (None, Some(7_000_000)));
        assert_eq!(
            e.amount_range("a", "30.000,5"),
            (Some(3_000_050), Some(3_000_050))
        );
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(
            e.amount_range("c", "30.000,505"),
            (None, None),
            "no third decimal"
        );
        assert!(e.get("c").is_some());
        let mut e = FieldErrors::default();
        for (min, max) in [
            (Some(3_000_000), Some(7_000_050)),
            (Some(3_000_050), Some(3_000_050)),
            (Some(123_456_789), None),
            (None, Some(5)),
            (None, None),
        ] {
            let shown = crate::web::amount_text(min, max);
            assert_eq!(e.amount_range("a", &shown), (min, max), "{shown}");
        }
        assert!(e.is_empty(), "{e:?}");
    }
}

impl FieldErrors {
    /// Moves messages about a record field (`target_id`) to the form field (`target`).
    pub fn rename(&mut self, record_field: &str, form_field: &str) {
        for e in &mut self.0 {
            if e.field == record_field {
                e.field = form_field.into();
            }
        }
    }

    /// A field that must not be left empty.
    pub fn required(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.add(field, REQUIRED);
        }
    }

    /// The domain's rules (`Resource::validate` and `check`, as the service applies them)
    /// for `record`, built from the fields that parsed: their messages are added for every
    /// field that has none yet, so the form shows all problems at once. `renames` moves
    /// messages about record fields (`amount_max`) to the form field (`amount`).
    pub fn check_record<R: crate::service::Resource>(
        &mut self,
        record: &R,
        renames: &[(&str, &str)],
    ) {
        let mut copy = record.clone();
        let Err(crate::error::Error::Validation(list)) =
            crate::service::crud::validate_input(&mut copy)
        else {
            return;
        };
        let mut found = FieldErrors(list);
        for (record_field, form_field) in renames {
            found.rename(record_field, form_field);
        }
        for e in found.0 {
            if self.get(&e.field).is_none() {
                self.0.push(e);
            }
        }
    }

    /// The message beside `field` in the reader's language (see `messages::say`); the
    /// messages stay as the form and the service wrote them until a page shows them.
    pub fn message(&self, lang: &Lang, field: &str) -> Option<String> {
        self.get(field).map(|m| say(*lang, field, m))
    }

    /// The list above a refused form: for each problem, once, the id of the element it
    /// links to (the field, or the sources for a citation), the label key of the field
    /// and the message in the reader's language.
    pub fn summary(&self, lang: &Lang) -> Vec<(String, &'static str, String)> {
        let mut seen = std::collections::HashSet::new();
        self.0
            .iter()
            .filter(|e| seen.insert((e.field.as_str(), e.message.as_str())))
            .map(|e| {
                let anchor = e.field.split('[').next().unwrap_or(&e.field);
                let message = say(*lang, &e.field, &e.message);
                (anchor.to_string(), field_label(&e.field), message)
            })
            .collect()
    }

    /// The attributes that tie a field to its hint and, when refused, mark it invalid and
    /// tie it to its message: ` aria-invalid="true" aria-describedby="hint-x error-x"`.
    /// Built from field names only, so a template may write it unescaped.
    pub fn aria(&self, field: &str, hint: bool) -> String {
        let mut ids = Vec::new();
        if hint {
            ids.push(format!("hint-{field}"));
        }
        let invalid = self.get(field).is_some();
        if invalid {
            ids.push(format!("error-{field}"));
        }
        let mut out = String::new();
        if invalid {
            out.push_str(" aria-invalid=\"true\"");
        }
        if !ids.is_empty() {
            out.push_str(&format!(" aria-describedby=\"{}\"", ids.join(" ")));
        }
        out
    }
}
