//! A small RFC 4180 CSV writer with protection against formula injection, and the
//! download response (`text/csv; charset=utf-8`, as an attachment).
use std::io::Cursor;

use rocket::http::ContentType;
use rocket::request::Request;
use rocket::response::{self, Responder, Response};

/// Characters that make a spreadsheet read a cell as a formula when it starts with them,
/// including their full-width forms (which some spreadsheets fold to the plain ones).
const FORMULA_STARTS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/// One cell, always quoted (so that a spreadsheet splitting at `;`, as German ones do,
/// cannot cut a cell in two and start a formula in the second half), inner quotes
/// doubled; a cell that would start a formula, even after leading spaces, gets a `'`.
pub fn cell(text: &str) -> String {
    let starts_formula = text.trim_start().starts_with(FORMULA_STARTS);
    let guarded = if starts_formula {
        format!("'{text}")
    } else {
        text.to_string()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

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
    fn quoting_and_formula_guard() {
        assert_eq!(cell("plain"), "\"plain\"");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(
            cell("x;=1+1"),
            "\"x;=1+1\"",
            "one cell, whatever the separator"
        );
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("=1+1"), "\"'=1+1\"");
        assert_eq!(cell("+49"), "\"'+49\"");
        assert_eq!(cell("-5"), "\"'-5\"");
        assert_eq!(cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(cell("＝1+1"), "\"'＝1+1\"", "full-width equals");
        assert_eq!(cell("  =1+1"), "\"'  =1+1\"", "after leading spaces");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("–"), "\"–\"", "the en dash is not a minus");
        assert_eq!(cell(""), "\"\"");
    }

    #[test]
    fn header_and_rows_with_crlf() {
        let text = write(["a", "b"], vec![vec!["1", "x,y"], vec!["", "=2"]]);
        assert_eq!(text, "\"a\",\"b\"\r\n\"1\",\"x,y\"\r\n\"\",\"'=2\"\r\n");
    }
}
