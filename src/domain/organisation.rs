use serde::{Deserialize, Serialize};
use validator::Validate;

use super::partial_date::check_interval;
use super::*;
use crate::error::FieldError;

/// An organisation of any kind, with the migrant-organisation typology of study 4.3.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    #[validate(length(min = 1, max = 300, message = "must be 1 to 300 characters"))]
    #[schema(min_length = 1, max_length = 300)]
    pub name: String,
    #[validate(length(max = 100, message = "must be at most 100 characters"))]
    #[schema(max_length = 100)]
    pub short_name: Option<String>,
    pub kind: OrgKind,
    pub legal_form: Option<LegalForm>,
    pub parent_id: Option<String>,
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    #[schema(max_length = 200)]
    pub city: Option<String>,
    #[validate(custom(function = "country_code"))]
    #[schema(pattern = "^[A-Z]{2}$")]
    pub country: Option<String>,
    pub founded: Option<PartialDate>,
    pub dissolved: Option<PartialDate>,
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    #[schema(max_length = 200)]
    pub register_court: Option<String>,
    #[validate(length(max = 100, message = "must be at most 100 characters"))]
    #[schema(max_length = 100)]
    pub register_number: Option<String>,
    #[validate(custom(function = "super::web_url"))]
    #[schema(pattern = r"^https?://[A-Za-z0-9.-]+(/[^\s]*)?$")]
    pub website: Option<String>,
    #[validate(length(max = 5000, message = "must be at most 5000 characters"))]
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    #[validate(length(max = 5000, message = "must be at most 5000 characters"))]
    #[schema(max_length = 5000)]
    pub self_description: Option<String>,
    #[validate(length(max = 300, message = "must be at most 300 characters"))]
    #[schema(max_length = 300)]
    pub working_principle: Option<String>,
    #[validate(range(min = 0, message = "must not be negative"))]
    #[schema(minimum = 0)]
    pub member_count_min: Option<i32>,
    #[validate(range(min = 0, message = "must not be negative"))]
    #[schema(minimum = 0)]
    pub member_count_max: Option<i32>,
    pub orientation: Option<Orientation>,
    pub country_focus: Option<CountryFocus>,
    #[serde(default)]
    pub purposes: Vec<Purpose>,
    #[serde(default)]
    pub functions: Vec<Function>,
    pub composition: Option<Composition>,
    #[serde(default)]
    pub resource_modes: Vec<ResourceMode>,
    #[serde(default)]
    #[validate(nested)]
    pub citations: Vec<Citation>,
}

fn country_code(code: &str) -> Result<(), validator::ValidationError> {
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(validator::ValidationError::new("country")
            .with_message("must be a two-letter country code such as DE or RO".into()))
    }
}

impl Organisation {
    pub fn normalize(&mut self) {
        self.name = self.name.trim().to_string();
        for field in [
            &mut self.short_name,
            &mut self.parent_id,
            &mut self.city,
            &mut self.country,
            &mut self.register_court,
            &mut self.register_number,
            &mut self.website,
            &mut self.description,
            &mut self.self_description,
            &mut self.working_principle,
        ] {
            clean(field);
        }
        if let Some(c) = &mut self.country {
            *c = c.to_ascii_uppercase();
        }
        dedup(&mut self.purposes);
        dedup(&mut self.functions);
        dedup(&mut self.resource_modes);
    }

    /// Checks that need no database: date order and ranges.
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Some(m) = check_interval(self.founded, self.dissolved) {
            errors.push(FieldError::new("dissolved", m));
        }
        if let (Some(min), Some(max)) = (self.member_count_min, self.member_count_max) {
            if min > max {
                errors.push(FieldError::new(
                    "member_count_max",
                    "must not be smaller than member_count_min",
                ));
            }
        }
        errors
    }
}
