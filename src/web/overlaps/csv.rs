//! A small RFC 4180 CSV writer with protection against formula injection (the cells of
//! `export::csv`, shared with the record exports), and the download response
//! (`text/csv; charset=utf-8`, as an attachment).
use std::io::Cursor;

use rocket::http::ContentType;
use rocket::request::Request;
use rocket::response::{self, Responder, Response};

use crate::export::csv::cell;

/// A header row and the rows, each line ended by CRLF.
pub fn write<'a>(
    header: impl IntoIterator<Item = &'a str>,
    rows: impl IntoIterator<Item = Vec<&'a str>>,
) -> String {
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let joined: Vec<String> = cells.into_iter().map(cell).collect();
        out.push_str(&joined.join(","));
        out.push_str("\r\n");
    };
    line(header.into_iter().collect());
    for row in rows {
        line(row);
    }
    out
}

/// A CSV download.
pub struct CsvFile {
    /// Plain ASCII, without quotes (made from fixed view and table names).
    pub filename: String,
    pub body: String,
}

impl<'r> Responder<'r, 'static> for CsvFile {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        Response::build()
            .header(ContentType::new("text", "csv").with_params(("charset", "utf-8")))
            .raw_header(
                "Content-Disposition",
                format!("attachment; filename=\"{}\"", self.filename),
            )
            .sized_body(self.body.len(), Cursor::new(self.body))
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_rows_with_crlf() {
        let text = write(["a", "b"], vec![vec!["1", "x,y"], vec!["", "=2"]]);
        assert_eq!(text, "\"a\",\"b\"\r\n\"1\",\"x,y\"\r\n\"\",\"'=2\"\r\n");
    }
}
