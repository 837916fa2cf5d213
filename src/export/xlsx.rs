//! XLSX (Office Open XML SpreadsheetML) written as a stream: the package parts that
//! describe the workbook first, then one worksheet per table, row by row, into the
//! streaming ZIP (`super::zip`). Strings are inline strings (`t="inlineStr"`), so a cell
//! is never read as a formula; numbers are numbers; days are date serials shown in the
//! reader's short date format. The header row is bold and frozen.
use std::io::{self, Write};

use chrono::NaiveDate;

use super::zip::ZipStream;
use crate::picture::svg::escape;

/// Excel's last row; a longer table is refused.
pub const MAX_ROWS: u64 = 1_048_576;

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Style indices in `styles.xml`.
const DATE_STYLE: u8 = 1;
const HEADER_STYLE: u8 = 2;

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Empty,
    Text(std::borrow::Cow<'a, str>),
    Number(f64),
    Day(NaiveDate),
}

/// A workbook being written: `new` writes the package parts for the sheet names given,
/// then each `sheet` in that order.
pub struct Workbook<W: Write> {
    zip: ZipStream<W>,
    sheets: Vec<String>,
    next: usize,
    row: u64,
    open: bool,
    /// The column letters of the widest row so far (A, B, …).
    columns: Vec<String>,
    /// The row being written, reused.
    line: Vec<u8>,
}

impl<W: Write> Workbook<W> {
    pub fn new(zip: ZipStream<W>, sheets: &[&str]) -> io::Result<Workbook<W>> {
        let mut book = Workbook {
            zip,
            sheets: sheets.iter().map(|s| s.to_string()).collect(),
            next: 0,
            row: 0,
            open: false,
            columns: Vec::new(),
            line: Vec::with_capacity(4096),
        };
        book.parts()?;
        Ok(book)
    }

    fn parts(&mut self) -> io::Result<()> {
        let n = self.sheets.len();
        let z = &mut self.zip;
        z.start("[Content_Types].xml")?;
        write!(
            z,
            "{XML_HEAD}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
             <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        )?;
        for i in 1..=n {
            write!(
                z,
                "<Override PartName=\"/xl/worksheets/sheet{i}.xml\" \
                 ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            )?;
        }
        z.write_all(b"</Types>")?;
        z.start("_rels/.rels")?;
        write!(
            z,
            "{XML_HEAD}<Relationships xmlns=\"{PKG_REL}\"><Relationship Id=\"rId1\" \
             Type=\"{REL}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
        )?;
        z.start("xl/workbook.xml")?;
        write!(
            z,
            "{XML_HEAD}<workbook xmlns=\"{MAIN}\" xmlns:r=\"{REL}\"><sheets>"
        )?;
        for (i, name) in self.sheets.iter().enumerate() {
            write!(
                z,
                "<sheet name=\"{}\" sheetId=\"{}\" r:id=\"rId{}\"/>",
                escape(name),
                i + 1,
                i + 1
            )?;
        }
        z.write_all(b"</sheets></workbook>")?;
        z.start("xl/_rels/workbook.xml.rels")?;
        write!(z, "{XML_HEAD}<Relationships xmlns=\"{PKG_REL}\">")?;
        for i in 1..=n {
            write!(
                z,
                "<Relationship Id=\"rId{i}\" Type=\"{REL}/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>"
            )?;
        }
        write!(
            z,
            "<Relationship Id=\"rId{}\" Type=\"{REL}/styles\" Target=\"styles.xml\"/></Relationships>",
            n + 1
        )?;
        z.start("xl/styles.xml")?;
        write!(
            z,
            "{XML_HEAD}<styleSheet xmlns=\"{MAIN}\">\
             <fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>\
             <font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>\
             <fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>\
             <fill><patternFill patternType=\"gray125\"/></fill></fills>\
             <borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
             <cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
             <cellXfs count=\"3\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>\
             <xf numFmtId=\"14\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
             <xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/></cellXfs>\
             <cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>\
             </styleSheet>"
        )
    }

    /// Starts the next sheet with its header row.
    pub fn sheet(&mut self, header: &[&str]) -> io::Result<()> {
        self.end_sheet()?;
        self.next += 1;
        if self.next > self.sheets.len() {
            return Err(io::Error::other("more sheets than the workbook names"));
        }
        let z = &mut self.zip;
        z.start(&format!("xl/worksheets/sheet{}.xml", self.next))?;
        write!(
            z,
            "{XML_HEAD}<worksheet xmlns=\"{MAIN}\" xmlns:r=\"{REL}\"><sheetViews>\
             <sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" \
             activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews><sheetData>"
        )?;
        self.open = true;
        self.row = 0;
        let cells: Vec<Value> = header.iter().map(|h| Value::Text((*h).into())).collect();
        self.write_row(&cells, Some(HEADER_STYLE))
    }

    /// Writes one row of the open sheet.
    pub fn row(&mut self, cells: &[Value]) -> io::Result<()> {
        self.write_row(cells, None)
    }

    // Written byte by byte rather than with `write!`: a scale-1 export has millions of
    // cells, and formatting machinery per cell was a third of the export's time.
    fn write_row(&mut self, cells: &[Value], style: Option<u8>) -> io::Result<()> {
        self.row += 1;
        if self.row > MAX_ROWS {
            return Err(io::Error::other(
                "a sheet would exceed Excel's 1,048,576 rows: narrow the export",
            ));
        }
        while self.columns.len() < cells.len() {
            self.columns.push(column(self.columns.len()));
        }
        let mut numbers = itoa::Buffer::new();
        let row = itoa::Buffer::new().format(self.row).to_owned();
        let line = &mut self.line;
        line.clear();
        line.extend_from_slice(b"<row r=\"");
        line.extend_from_slice(row.as_bytes());
        line.extend_from_slice(b"\">");
        for (value, at) in cells.iter().zip(&self.columns) {
            let mut start = |line: &mut Vec<u8>, style: Option<u8>| {
                line.extend_from_slice(b"<c r=\"");
                line.extend_from_slice(at.as_bytes());
                line.extend_from_slice(row.as_bytes());
                line.push(b'"');
                if let Some(s) = style {
                    line.extend_from_slice(b" s=\"");
                    line.extend_from_slice(numbers.format(s).as_bytes());
                    line.push(b'"');
                }
            };
            match value {
                Value::Empty => {}
                Value::Text(t) => {
                    start(line, style);
                    line.extend_from_slice(b" t=\"inlineStr\"><is><t");
                    if needs_preserve(t) {
                        line.extend_from_slice(b" xml:space=\"preserve\"");
                    }
                    line.push(b'>');
                    line.extend_from_slice(escape(t).as_bytes());
                    line.extend_from_slice(b"</t></is></c>");
                }
                Value::Number(x) => {
                    start(line, style);
                    line.extend_from_slice(b"><v>");
                    if x.fract() == 0.0 && x.abs() < 1e15 {
                        line.extend_from_slice(numbers.format(*x as i64).as_bytes());
                    } else {
                        write!(line, "{x}")?;
                    }
                    line.extend_from_slice(b"</v></c>");
                }
                Value::Day(d) => {
                    start(line, Some(DATE_STYLE));
                    line.extend_from_slice(b"><v>");
                    line.extend_from_slice(numbers.format(serial(*d)).as_bytes());
                    line.extend_from_slice(b"</v></c>");
                }
            }
        }
        line.extend_from_slice(b"</row>");
        self.zip.write_all(line)
    }

    fn end_sheet(&mut self) -> io::Result<()> {
        if self.open {
            self.zip.write_all(b"</sheetData></worksheet>")?;
            self.open = false;
        }
        Ok(())
    }

    /// Ends the last sheet and the archive.
    pub fn finish(mut self) -> io::Result<W> {
        self.end_sheet()?;
        if self.next != self.sheets.len() {
            return Err(io::Error::other("fewer sheets written than named"));
        }
        self.zip.finish()
    }
}

/// The column letters of a 0-based column index: A … Z, AA …
fn column(mut i: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Whether Excel would lose some of the text's white space unless told to keep it:
/// space at either end, runs of spaces, line breaks and tabs. Only then is
/// `xml:space="preserve"` written (it is a fifth of a short cell's bytes).
fn needs_preserve(text: &str) -> bool {
    let bytes = text.as_bytes();
    let edge = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_whitespace());
    edge(bytes.first())
        || edge(bytes.last())
        || bytes.windows(2).any(|w| w == b"  ")
        || bytes.iter().any(|&b| matches!(b, b'\n' | b'\t' | b'\r'))
}

/// Excel's serial number of a day (days since 1899-12-30, the 1900 date system).
pub fn serial(day: NaiveDate) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or(NaiveDate::MIN);
    (day - epoch).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_serials() {
        assert_eq!(column(0), "A");
        assert_eq!(column(25), "Z");
        assert_eq!(column(26), "AA");
        assert_eq!(column(27), "AB");
        assert_eq!(column(701), "ZZ");
        assert_eq!(column(702), "AAA");
        let day = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
        assert_eq!(serial(day), 43466);
    }

    #[test]
    fn white_space_is_kept_where_excel_would_drop_it() {
        assert!(!needs_preserve("Romano Drom e. V."));
        assert!(needs_preserve(" leading"));
        assert!(needs_preserve("trailing "));
        assert!(needs_preserve("two  spaces"));
        assert!(needs_preserve("line\nbreak"));
        assert!(!needs_preserve(""));
    }

    #[test]
    fn a_row_is_cells_with_references_styles_and_values() {
        let zip = ZipStream::new(Vec::new(), flate2::Compression::none());
        let mut book = Workbook::new(zip, &["t"]).unwrap();
        book.sheet(&["a", "b"]).unwrap();
        let day = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
        let cells = [
            Value::Text("x < y".into()),
            Value::Empty,
            Value::Number(30000.0),
            Value::Number(0.5),
            Value::Day(day),
        ];
        book.row(&cells).unwrap();
        assert_eq!(
            String::from_utf8(book.line.clone()).unwrap(),
            "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>x &lt; y</t></is></c>\
             <c r=\"C2\"><v>30000</v></c><c r=\"D2\"><v>0.5</v></c>\
             <c r=\"E2\" s=\"1\"><v>43466</v></c></row>"
        );
    }
}
