use serde::{Deserialize, Serialize};
use validator::Validate;

use super::{clean, PartialDate};

/// A source that records cite: a study, a register extract, a web page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    #[validate(length(min = 1, max = 500, message = "must be 1 to 500 characters"))]
    #[schema(min_length = 1, max_length = 500)]
    pub title: String,
    #[validate(custom(function = "super::web_url"))]
    #[schema(pattern = r"^https?://[A-Za-z0-9.-]+(/[^\s]*)?$")]
    pub url: Option<String>,
    pub accessed_on: Option<PartialDate>,
}

impl Source {
    pub fn normalize(&mut self) {
        self.title = self.title.trim().to_string();
        clean(&mut self.url);
    }
}

/// A citation of a source by a record, e.g. `{source_id, locator: "4.3.2, I4.31"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    pub source_id: String,
    #[validate(length(min = 1, max = 300, message = "must be 1 to 300 characters"))]
    #[schema(min_length = 1, max_length = 300)]
    pub locator: String,
}
