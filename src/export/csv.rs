//! CSV cells for spreadsheets: every cell quoted (a spreadsheet splitting at `;`, as German
//! ones do, or at `,` cannot cut a cell in two and start a formula in the second half),
//! inner quotes doubled, and a `'` before any cell that a spreadsheet would read as a
//! formula. Shared by the overlap tables (`web::overlaps::csv`) and the record exports.
use std::borrow::Cow;
use std::io::{self, Write};

/// Characters that make a spreadsheet read a cell as a formula when it starts with them,
/// including their full-width forms (which some spreadsheets fold to the plain ones).
const FORMULA_STARTS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/// The text with a `'` in front if it would start a formula, even after leading spaces.
pub fn guard(text: &str) -> Cow<'_, str> {
    if text.trim_start().starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The text as it was before `guard`: the `'` in front of a would-be formula goes.
pub fn unguard(text: &str) -> Cow<'_, str> {
    match text.strip_prefix('\'') {
        Some(rest) if rest.trim_start().starts_with(FORMULA_STARTS) => Cow::Borrowed(rest),
        _ => Cow::Borrowed(text),
    }
}

/// One cell: guarded, quoted, inner quotes doubled.
pub fn cell(text: &str) -> String {
    format!("\"{}\"", guard(text).replace('"', "\"\""))
}

/// Writes one cell as `cell` does, without building a string for it.
pub fn write_cell(out: &mut dyn Write, text: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    let guarded = guard(text);
    let mut rest: &str = &guarded;
    while let Some(at) = rest.find('"') {
        out.write_all(&rest.as_bytes()[..=at])?;
        out.write_all(b"\"")?;
        rest = &rest[at + 1..];
    }
    out.write_all(rest.as_bytes())?;
    out.write_all(b"\"")
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
    fn unguard_undoes_guard() {
        for text in ["=1+1", "  =1", "-5", "'quoted", "plain", "'", "＝x"] {
            assert_eq!(unguard(&guard(text)), text);
        }
    }

    #[test]
    fn written_cells_equal_built_ones() {
        for text in ["plain", "say \"hi\"", "=1+1", "\"", "\"\"x\"", "", "a;b"] {
            let mut out = Vec::new();
            write_cell(&mut out, text).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), cell(text), "{text}");
        }
    }
}
