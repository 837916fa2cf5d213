//! The dated links: affiliations (person → organisation), fundings (funder → recipient)
//! and relations (organisation → organisation).
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::partial_date::check_interval;
use super::*;
use crate::error::FieldError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Affiliation {
    pub person_id: String,
    pub organisation_id: String,
    pub role: Role,
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    #[schema(max_length = 200)]
    pub title: Option<String>,
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
    pub paid: Option<bool>,
    #[serde(default)]
    pub project_bound: bool,
    #[serde(default)]
    pub fields_of_work: Vec<FieldOfWork>,
    pub funding_id: Option<String>,
    #[serde(default)]
    #[validate(nested)]
    pub citations: Vec<Citation>,
}

impl Affiliation {
    pub fn normalize(&mut self) {
        clean(&mut self.title);
        clean(&mut self.funding_id);
        dedup(&mut self.fields_of_work);
    }

    pub fn check(&self) -> Vec<FieldError> {
        check_interval(self.start, self.end)
            .map(|m| vec![FieldError::new("end", m)])
            .unwrap_or_default()
    }

    pub fn interval(&self) -> Interval {
        Interval::new(self.start, self.end)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    pub funder_id: String,
    pub recipient_id: String,
    #[validate(length(max = 300, message = "must be at most 300 characters"))]
    #[schema(max_length = 300)]
    pub programme: Option<String>,
    #[validate(length(max = 2000, message = "must be at most 2000 characters"))]
    #[schema(max_length = 2000)]
    pub purpose: Option<String>,
    /// Lower bound of the amount in cents; at most a trillion euros, so that sums of many
    /// grants stay far inside 64 bits.
    #[validate(range(
        min = 0,
        max = 100_000_000_000_000_i64,
        message = "must be from 0 to a trillion euros (in cents)"
    ))]
    #[schema(minimum = 0, maximum = 100_000_000_000_000_i64)]
    pub amount_min: Option<i64>,
    /// Upper bound of the amount in cents (equal to the lower bound when exact).
    #[validate(range(
        min = 0,
        max = 100_000_000_000_000_i64,
        message = "must be from 0 to a trillion euros (in cents)"
    ))]
    #[schema(minimum = 0, maximum = 100_000_000_000_000_i64)]
    pub amount_max: Option<i64>,
    #[serde(default = "euro")]
    #[validate(custom(function = "currency_code"))]
    #[schema(pattern = "^[A-Z]{3}$")]
    pub currency: String,
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
    #[serde(default)]
    pub project_bound: bool,
    pub status: FundingStatus,
    #[serde(default)]
    pub co_applicant_ids: Vec<String>,
    #[serde(default)]
    pub carrier_ids: Vec<String>,
    #[serde(default)]
    #[validate(nested)]
    pub citations: Vec<Citation>,
}

fn euro() -> String {
    "EUR".to_string()
}

fn currency_code(code: &str) -> Result<(), validator::ValidationError> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(validator::ValidationError::new("currency")
            .with_message("must be a three-letter currency code such as EUR".into()))
    }
}

impl Funding {
    pub fn normalize(&mut self) {
        clean(&mut self.programme);
        clean(&mut self.purpose);
        self.currency = self.currency.trim().to_ascii_uppercase();
        dedup(&mut self.co_applicant_ids);
        dedup(&mut self.carrier_ids);
    }

    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Some(m) = check_interval(self.start, self.end) {
            errors.push(FieldError::new("end", m));
        }
        if let (Some(min), Some(max)) = (self.amount_min, self.amount_max) {
            if min > max {
                errors.push(FieldError::new(
                    "amount_max",
                    "must not be smaller than amount_min",
                ));
            }
        }
        if self.funder_id == self.recipient_id {
            errors.push(FieldError::new(
                "recipient_id",
                "an organisation cannot fund itself",
            ));
        }
        errors
    }

    pub fn interval(&self) -> Interval {
        Interval::new(self.start, self.end)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    pub source_id: String,
    pub target_id: String,
    pub kind: RelationKind,
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
    /// For migration links: about how many people or families.
    #[validate(range(min = 0, message = "must not be negative"))]
    #[schema(minimum = 0)]
    pub approx_size: Option<i32>,
    #[validate(length(max = 2000, message = "must be at most 2000 characters"))]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    #[serde(default)]
    #[validate(nested)]
    pub citations: Vec<Citation>,
}

impl Relation {
    pub fn normalize(&mut self) {
        clean(&mut self.description);
    }

    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Some(m) = check_interval(self.start, self.end) {
            errors.push(FieldError::new("end", m));
        }
        if self.source_id == self.target_id {
            errors.push(FieldError::new(
                "target_id",
                "a relation cannot point to its own source",
            ));
        }
        errors
    }

    pub fn interval(&self) -> Interval {
        Interval::new(self.start, self.end)
    }
}
