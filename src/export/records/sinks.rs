//! Where the tables go: CSV files in a ZIP, or the sheets of an XLSX workbook. `Rows`
//! turns the walk's records into the rows of `tables` for either.
use std::io::{self, Write};

use flate2::Compression;

use super::tables::{self, Names};
use super::Records;
use crate::domain::{Affiliation, Funding, Organisation, Person, Record, Relation, Source};
use crate::export::csv::write_cell;
use crate::export::xlsx::{Value, Workbook};
use crate::export::zip::ZipStream;

pub trait Sink {
    /// Starts a table (a file or a sheet) with its header row.
    fn table(&mut self, name: &str, header: &[&str]) -> io::Result<()>;
    fn row(&mut self, cells: &[Value]) -> io::Result<()>;
}

/// The records as rows of `tables`, into a sink.
pub struct Rows<'a> {
    sink: &'a mut dyn Sink,
    names: &'a dyn Names,
}

impl<'a> Rows<'a> {
    pub fn new(sink: &'a mut dyn Sink, names: &'a dyn Names) -> Rows<'a> {
        Rows { sink, names }
    }
}

impl Records for Rows<'_> {
    fn table(&mut self, name: &'static str, columns: &'static [&'static str]) -> io::Result<()> {
        self.sink.table(name, columns)
    }

    fn organisation(&mut self, r: &Record<Organisation>) -> io::Result<()> {
        self.sink.row(&tables::organisation(r))
    }

    fn person(&mut self, r: &Record<Person>) -> io::Result<()> {
        self.sink.row(&tables::person(r))
    }

    fn affiliation(&mut self, r: &Record<Affiliation>) -> io::Result<()> {
        self.sink.row(&tables::affiliation(r, self.names))
    }

    fn funding(&mut self, r: &Record<Funding>) -> io::Result<()> {
        self.sink.row(&tables::funding(r, self.names))
    }

    fn relation(&mut self, r: &Record<Relation>) -> io::Result<()> {
        self.sink.row(&tables::relation(r, self.names))
    }

    fn source(&mut self, r: &Record<Source>) -> io::Result<()> {
        self.sink.row(&tables::source(r))
    }
}

/// Fast compression: the exports are large and the time goes to the client anyway.
fn level() -> Compression {
    Compression::fast()
}

/// `NAME.csv` per table in one ZIP: UTF-8 with a byte order mark (so that Excel reads
/// the umlauts), `;` between cells, CRLF after each row, every cell quoted and guarded
/// against formulas; numbers with a decimal comma and no thousands separator, days as
/// ISO dates.
pub struct CsvZip<'w> {
    zip: ZipStream<&'w mut dyn Write>,
    line: Vec<u8>,
}

impl<'w> CsvZip<'w> {
    pub fn new(out: &'w mut dyn Write) -> CsvZip<'w> {
        CsvZip {
            zip: ZipStream::new(out, level()),
            line: Vec::with_capacity(4096),
        }
    }

    pub fn finish(self) -> io::Result<()> {
        self.zip.finish().map(|_| ())
    }
}

/// A number as German spreadsheets read it: `30000`, `30000,5`.
pub fn german_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        x.to_string().replace('.', ",")
    }
}

impl Sink for CsvZip<'_> {
    fn table(&mut self, name: &str, header: &[&str]) -> io::Result<()> {
        self.zip.start(&format!("{name}.csv"))?;
        self.zip.write_all("\u{feff}".as_bytes())?;
        let cells: Vec<Value> = header.iter().map(|h| Value::Text((*h).into())).collect();
        self.row(&cells)
    }

    fn row(&mut self, cells: &[Value]) -> io::Result<()> {
        let line = &mut self.line;
        line.clear();
        for (i, value) in cells.iter().enumerate() {
            if i > 0 {
                line.push(b';');
            }
            match value {
                Value::Empty => write_cell(line, "")?,
                Value::Text(t) => write_cell(line, t)?,
                Value::Number(x) => write_cell(line, &german_number(*x))?,
                Value::Day(d) => write_cell(line, &d.to_string())?,
            }
        }
        line.extend_from_slice(b"\r\n");
        self.zip.write_all(line)
    }
}

/// One workbook, a sheet per table.
pub struct Xlsx<'w> {
    book: Workbook<&'w mut dyn Write>,
}

impl<'w> Xlsx<'w> {
    pub fn new(out: &'w mut dyn Write, sheets: &[&str]) -> io::Result<Xlsx<'w>> {
        Ok(Xlsx {
            book: Workbook::new(ZipStream::new(out, level()), sheets)?,
        })
    }

    pub fn finish(self) -> io::Result<()> {
        self.book.finish().map(|_| ())
    }
}

impl Sink for Xlsx<'_> {
    fn table(&mut self, _name: &str, header: &[&str]) -> io::Result<()> {
        self.book.sheet(header)
    }

    fn row(&mut self, cells: &[Value]) -> io::Result<()> {
        self.book.row(cells)
    }
}

#[cfg(test)]
mod tests {
    use super::german_number;

    #[test]
    fn numbers_with_a_decimal_comma() {
        assert_eq!(german_number(30000.0), "30000");
        assert_eq!(german_number(30000.5), "30000,5");
        assert_eq!(german_number(0.25), "0,25");
        assert_eq!(german_number(-3.0), "-3");
    }
}
