use serde::{Deserialize, Serialize};
use validator::Validate;

use super::{clean, Citation, Visibility};

/// A person. Deliberately without ethnicity, religion, nationality, gender, birth date
/// or address: unknown fields are rejected, so such data cannot be stored by mistake.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[schema(min_length = 1, max_length = 200)]
    pub display_name: String,
    #[serde(default)]
    pub is_pseudonym: bool,
    pub visibility: Visibility,
    #[validate(length(max = 2000, message = "must be at most 2000 characters"))]
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
    #[serde(default)]
    #[validate(nested)]
    pub citations: Vec<Citation>,
}

impl Person {
    pub fn normalize(&mut self) {
        self.display_name = self.display_name.trim().to_string();
        clean(&mut self.notes);
    }
}
