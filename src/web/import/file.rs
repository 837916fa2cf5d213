//! The upload form's file field, read into memory (never to a temporary file: an upload
//! may name persons) up to the import's limit.
use rocket::data::ToByteUnit;
use rocket::form::{self, DataField, FromFormField, ValueField};

use crate::import::MAX_BYTES;

/// The file field: the name the browser sent (without folders) and the bytes, read into
/// memory up to the import's limit.
pub struct UploadedFile {
    pub name: String,
    pub bytes: Vec<u8>,
    /// False when the file was larger than the limit (and cut off).
    pub complete: bool,
}

#[rocket::async_trait]
impl<'v> FromFormField<'v> for UploadedFile {
    /// A text value where a file belongs: nothing was uploaded.
    fn from_value(_: ValueField<'v>) -> form::Result<'v, Self> {
        Ok(UploadedFile {
            name: String::new(),
            bytes: Vec::new(),
            complete: true,
        })
    }

    async fn from_data(field: DataField<'v, '_>) -> form::Result<'v, Self> {
        let name = field
            .file_name
            .map(|n| n.dangerous_unsafe_unsanitized_raw().as_str())
            .unwrap_or_default();
        let read = field.data.open(MAX_BYTES.bytes()).into_bytes().await?;
        Ok(UploadedFile {
            name: base_name(name),
            complete: read.is_complete(),
            bytes: read.into_inner(),
        })
    }
}

/// A file name as the import cites it: the last part of a path, without control
/// characters, at most 200 characters.
fn base_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    last.chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_folders_and_control_characters() {
        assert_eq!(base_name("C:\\Users\\a\\vereine.csv"), "vereine.csv");
        assert_eq!(base_name("../../etc/x.zip"), "x.zip");
        assert_eq!(base_name("a\u{7}b.csv"), "ab.csv");
        assert_eq!(base_name(&"x".repeat(500)).len(), 200);
    }
}
