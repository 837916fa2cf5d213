//! Reading an uploaded file into tables of text cells: CSV (UTF-8, `;`, `,` or tab, with
//! or without BOM; several in a ZIP as the CSV export writes them) and XLSX (one sheet
//! per table). Which table a file or sheet holds is told by its name (`organisations`,
//! …) or else by its header. Files that cannot be read as they are meant — another
//! encoding, formulas, merged cells, a bomb of a ZIP — are refused with a problem that
//! says where and what to do. FollowTheMoney JSON lines are read into the same tables
//! by `ftm`.
use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};

use super::ImportProblem;
use crate::export::csv::unguard;
use crate::export::records::TABLES;

/// The largest file an import takes (and the largest file inside a ZIP, unpacked).
pub const MAX_BYTES: usize = 100 * 1024 * 1024;
/// At most this much unpacked from one ZIP altogether.
const MAX_UNPACKED: u64 = 4 * MAX_BYTES as u64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// One CSV file, or a ZIP of them.
    Csv,
    Xlsx,
    /// FollowTheMoney entities, one JSON object a line (what the `ftm` export writes).
    Ftm,
}

impl ImportFormat {
    pub const ALL: [ImportFormat; 3] = [ImportFormat::Csv, ImportFormat::Xlsx, ImportFormat::Ftm];

    pub fn parse(text: &str) -> Option<ImportFormat> {
        ImportFormat::ALL.into_iter().find(|f| f.name() == text)
    }

    pub fn name(self) -> &'static str {
        match self {
            ImportFormat::Csv => "csv",
            ImportFormat::Xlsx => "xlsx",
            ImportFormat::Ftm => "ftm",
        }
    }

    /// The format a file name's extension says (`.zip` holds CSV files; `.ftm.json`,
    /// `.ftmjson`, `.jsonl`, `.ndjson` and `.json` are FtM JSON lines).
    pub fn of_file_name(name: &str) -> Option<ImportFormat> {
        let lower = name.to_lowercase();
        let ftm = [".ftmjson", ".jsonl", ".ndjson", ".json"];
        if ftm.iter().any(|e| lower.ends_with(e)) {
            Some(ImportFormat::Ftm)
        } else if lower.ends_with(".xlsx") {
            Some(ImportFormat::Xlsx)
        } else if lower.ends_with(".csv") || lower.ends_with(".zip") || lower.ends_with(".txt") {
            Some(ImportFormat::Csv)
        } else {
            None
        }
    }
}

/// One table of the file: a CSV file or a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The file (inside a ZIP: `upload.zip/organisations.csv`) or the workbook.
    pub file: String,
    /// One of the export's tables (`export::records::TABLES`), or `ftm::REFERENCES` until
    /// `ftm::resolve_references` has made those rows organisations.
    pub name: &'static str,
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The line (CSV) or row number (XLSX) as the user's editor shows it.
    pub line: usize,
    pub cells: Vec<String>,
}

/// Reads the file; every problem that makes it unreadable at once.
pub fn read(
    format: ImportFormat,
    file_name: &str,
    bytes: &[u8],
) -> Result<Vec<Table>, Vec<ImportProblem>> {
    if bytes.len() > MAX_BYTES {
        return Err(vec![ImportProblem::of_file(file_name, too_large())]);
    }
    if format == ImportFormat::Ftm {
        return super::ftm::read_ftm(file_name, bytes);
    }
    let mut problems = Vec::new();
    let mut tables = Vec::new();
    match format {
        ImportFormat::Csv if bytes.starts_with(b"PK\x03\x04") => {
            read_zip(file_name, bytes, &mut tables, &mut problems)
        }
        ImportFormat::Csv => {
            if let Some(t) = read_csv(file_name, file_name, bytes, &mut problems) {
                tables.push(t);
            }
        }
        ImportFormat::Xlsx => read_xlsx(file_name, bytes, &mut tables, &mut problems),
        ImportFormat::Ftm => {}
    }
    if tables.is_empty() && problems.is_empty() {
        problems.push(ImportProblem::of_file(
            file_name,
            format!("holds no table of records (known: {})", table_names()),
        ));
    }
    for (i, t) in tables.iter().enumerate() {
        if tables[..i].iter().any(|o| o.name == t.name) {
            problems.push(ImportProblem::of_file(
                &t.file,
                format!("a second table of {}: one file or sheet per table", t.name),
            ));
        }
    }
    if problems.is_empty() {
        Ok(tables)
    } else {
        Err(problems)
    }
}

fn too_large() -> String {
    format!(
        "is larger than the import limit of {} MB; split it into several files",
        MAX_BYTES / (1024 * 1024)
    )
}

fn table_names() -> String {
    TABLES
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The table a file or sheet holds: by its name, else by the columns its header has.
fn which_table(name: &str, header: &[String]) -> Option<&'static str> {
    let stem = name.rsplit('/').next().unwrap_or(name);
    let stem = stem.split('.').next().unwrap_or(stem).trim().to_lowercase();
    if let Some((t, _)) = TABLES.iter().find(|(t, _)| *t == stem) {
        return Some(t);
    }
    let has = |c: &str| header.iter().any(|h| h == c);
    let by_header = if has("funder_id") {
        "fundings"
    } else if has("person_id") {
        "affiliations"
    } else if has("display_name") {
        "persons"
    } else if has("source_id") && has("target_id") {
        "relations"
    } else if has("name") && has("kind") {
        "organisations"
    } else if has("title") && !has("name") {
        "sources"
    } else {
        return None;
    };
    Some(by_header)
}

fn unknown_table(file: &str) -> ImportProblem {
    ImportProblem::of_file(
        file,
        format!(
            "is not one of the record tables: name the file or sheet {} or use the export's header",
            table_names()
        ),
    )
}

fn read_zip(
    file_name: &str,
    bytes: &[u8],
    tables: &mut Vec<Table>,
    problems: &mut Vec<ImportProblem>,
) {
    let mut zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => z,
        Err(_) => {
            problems.push(ImportProblem::of_file(
                file_name,
                "is not a readable ZIP file",
            ));
            return;
        }
    };
    let mut unpacked = 0u64;
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else {
            problems.push(ImportProblem::of_file(
                file_name,
                "is not a readable ZIP file",
            ));
            return;
        };
        if entry.is_dir() {
            continue;
        }
        let Ok(name) = entry.name().map(|n| n.into_owned()) else {
            problems.push(ImportProblem::of_file(
                file_name,
                "holds a file without a readable name",
            ));
            continue;
        };
        let inner = format!("{file_name}/{name}");
        if !name.to_lowercase().ends_with(".csv") {
            problems.push(ImportProblem::of_file(&inner, "is not a CSV file"));
            continue;
        }
        let mut content = Vec::new();
        let limit = (MAX_BYTES as u64 + 1).min(MAX_UNPACKED - unpacked + 1);
        if (&mut entry).take(limit).read_to_end(&mut content).is_err() {
            problems.push(ImportProblem::of_file(&inner, "cannot be unpacked"));
            continue;
        }
        unpacked += content.len() as u64;
        if content.len() as u64 >= limit {
            problems.push(ImportProblem::of_file(&inner, too_large()));
            return;
        }
        if let Some(t) = read_csv(&inner, &name, &content, problems) {
            tables.push(t);
        }
    }
}

/// The line (1-based) a byte offset is on.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}

fn read_csv(
    file: &str,
    name: &str,
    bytes: &[u8],
    problems: &mut Vec<ImportProblem>,
) -> Option<Table> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let at = e.valid_up_to();
        problems.push(ImportProblem {
            line: Some(line_of(bytes, at)),
            ..ImportProblem::of_file(
                file,
                format!(
                    "is not UTF-8 text (byte 0x{:02X} at this line; older Excel versions save \
                     CSV as Latin-1/Windows-1252): save it as \"CSV UTF-8\" and upload it again",
                    bytes[at]
                ),
            )
        });
        return None;
    }
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |c: u8| first_line.iter().filter(|&&b| b == c).count();
    let delimiter = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|&c| count(c))
        .unwrap_or(b';');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let before = problems.len();
    let (mut counted, mut lines_before) = (0usize, 0usize);
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                problems.push(ImportProblem {
                    line,
                    ..ImportProblem::of_file(
                        file,
                        "is not well-formed CSV here (a quote left open?)",
                    )
                });
                return None;
            }
        };
        // The line a record starts on, counted from its byte offset (the reader's own
        // line count lags behind after quoted line breaks and CRLF).
        // A record after CRLF "starts" at its LF.
        let mut start = record.position().map_or(0, |p| p.byte() as usize);
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        let start = start.max(counted);
        lines_before += bytes[counted..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted = start;
        let line = lines_before + 1;
        let cells: Vec<String> = record.iter().map(|c| unguard(c).into_owned()).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match &header {
            None => header = Some(cells.iter().map(|c| c.trim().to_string()).collect()),
            Some(h) => {
                for (i, c) in record.iter().enumerate() {
                    if c.trim_start().starts_with(['=', '＝']) {
                        problems.push(ImportProblem {
                            table: None,
                            line: Some(line),
                            column: h.get(i).cloned(),
                            ..ImportProblem::of_file(
                                file,
                                "starts with \"=\" like a formula; formulas are not imported \
                                 (write '= for text that starts with =)",
                            )
                        });
                    }
                }
                rows.push(Row { line, cells })
            }
        }
    }
    let header = header?;
    let Some(table) = which_table(name, &header) else {
        problems.push(unknown_table(file));
        return None;
    };
    if problems.len() > before {
        for p in &mut problems[before..] {
            p.table = Some(table.to_string());
        }
    }
    Some(Table {
        file: file.to_string(),
        name: table,
        header,
        rows,
    })
}

/// A cell's text as the CSV export writes it: whole numbers without a decimal point,
/// days as ISO dates.
fn cell_text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => unguard(s).into_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
        Data::Float(x) => x.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
            Some(t) => t.to_string(),
            None => d.as_f64().to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(format!("holds the error value {e}")),
    })
}

fn column_name(header: &[String], col: usize) -> String {
    header
        .get(col)
        .filter(|h| !h.is_empty())
        .cloned()
        .unwrap_or_else(|| column_letters(col))
}

/// `A`, `B`, …, `Z`, `AA`, … for a 0-based column.
fn column_letters(mut col: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

fn read_xlsx(file: &str, bytes: &[u8], tables: &mut Vec<Table>, problems: &mut Vec<ImportProblem>) {
    let mut book = match Xlsx::new(Cursor::new(bytes)) {
        Ok(b) => b,
        Err(_) => {
            problems.push(ImportProblem::of_file(
                file,
                "is not a readable XLSX workbook (save it from Excel or LibreOffice as .xlsx)",
            ));
            return;
        }
    };
    for sheet in book.sheet_names() {
        let at = |line: Option<usize>, column: Option<String>, message: String| ImportProblem {
            file: file.to_string(),
            table: Some(sheet.clone()),
            line,
            column,
            message,
        };
        let Ok(range) = book.worksheet_range(&sheet) else {
            problems.push(at(None, None, "cannot be read".into()));
            continue;
        };
        let Some((top, left)) = range.start() else {
            continue;
        };
        let (top, left) = (top as usize, left as usize);
        let mut lines = range.rows().enumerate();
        let Some((_, first)) = lines.next() else {
            continue;
        };
        let header: Vec<String> = first
            .iter()
            .map(|c| cell_text(c).unwrap_or_default().trim().to_string())
            .collect();
        let Some(table) = which_table(&sheet, &header) else {
            problems.push(at(None, None, unknown_table(file).message));
            continue;
        };
        let before = problems.len();
        if let Ok(regions) = book.merge_cells_by_sheet_name(&sheet) {
            for region in regions {
                let (row, col) = region.start;
                problems.push(at(
                    Some(row as usize + 1),
                    Some(column_name(&header, (col as usize).saturating_sub(left))),
                    "is part of merged cells; unmerge them so that every row holds its own values"
                        .into(),
                ));
            }
        }
        if let Ok(formulas) = book.worksheet_formula(&sheet) {
            for (row, col, f) in formulas.used_cells() {
                if !f.is_empty() {
                    let (row, col) = (formulas.start().map_or(0, |s| s.0 as usize) + row, {
                        formulas.start().map_or(0, |s| s.1 as usize) + col
                    });
                    problems.push(at(
                        Some(row + 1),
                        Some(column_name(&header, col.saturating_sub(left))),
                        format!("holds the formula ={f}; formulas are not imported — paste the values instead"),
                    ));
                }
            }
        }
        let mut rows = Vec::new();
        for (i, cells) in lines {
            let line = top + i + 1;
            let mut texts = Vec::with_capacity(cells.len());
            for (col, cell) in cells.iter().enumerate() {
                match cell_text(cell) {
                    Ok(t) => texts.push(t),
                    Err(message) => {
                        problems.push(at(Some(line), Some(column_name(&header, col)), message));
                        texts.push(String::new());
                    }
                }
            }
            if texts.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            rows.push(Row { line, cells: texts });
        }
        for p in &mut problems[before..] {
            p.table = Some(table.to_string());
        }
        tables.push(Table {
            file: format!("{file}/{sheet}"),
            name: table,
            header,
            rows,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_bom_semicolons_and_guarded_cells() {
        let file = "\u{feff}\"name\";\"kind\";\"city\"\r\n\"A; B\";\"migrant_organisation\";\"'-Köln\"\r\n\r\n";
        let tables = read(ImportFormat::Csv, "x.csv", file.as_bytes()).unwrap();
        assert_eq!(tables[0].name, "organisations");
        assert_eq!(tables[0].header, ["name", "kind", "city"]);
        assert_eq!(tables[0].rows.len(), 1);
        assert_eq!(tables[0].rows[0].line, 2);
        assert_eq!(
            tables[0].rows[0].cells,
            ["A; B", "migrant_organisation", "-Köln"]
        );
    }

    #[test]
    fn latin1_is_refused_with_its_line() {
        let mut file = b"name,kind\nA,migrant_organisation\n".to_vec();
        file.extend(b"K\xf6ln e.V.,migrant_organisation\n");
        let problems = read(ImportFormat::Csv, "alt.csv", &file).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, Some(3));
        assert!(
            problems[0].message.contains("UTF-8"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn formulas_in_csv_are_refused() {
        let file = "name,kind\n=HYPERLINK(\"x\"),migrant_organisation\n'=1,migrant_organisation\n";
        let problems = read(ImportFormat::Csv, "organisations.csv", file.as_bytes()).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(2));
        assert_eq!(problems[0].column.as_deref(), Some("name"));
    }

    #[test]
    fn unknown_tables_and_garbage() {
        let p = read(ImportFormat::Csv, "list.csv", b"foo;bar\n1;2\n").unwrap_err();
        assert!(p[0].message.contains("organisations"), "{p:?}");
        let p = read(ImportFormat::Xlsx, "x.xlsx", b"not a workbook").unwrap_err();
        assert!(p[0].message.contains("XLSX"), "{p:?}");
        let p = read(ImportFormat::Csv, "x.zip", b"PK\x03\x04garbage").unwrap_err();
        assert!(p[0].message.contains("ZIP"), "{p:?}");
    }

    #[test]
    fn column_letters_like_spreadsheets() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
    }
}
