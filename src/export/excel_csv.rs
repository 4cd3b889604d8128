//! CSV that opens correctly in Excel in a Vietnamese locale: UTF-8 with a BOM (else Excel reads the bytes
//! as Windows-1258 and the names come out garbled), CRLF, `,` or `;`, amounts as plain integers, dates
//! dd/mm/yyyy, ID and phone numbers as `="001190012345"` (Excel would read bare digits as a number and drop
//! the leading zeros, or show 1,19E+11), and text that could run as a formula neutralised.

use chrono::NaiveDate;
use std::io::Write;

/// One cell of a report, typed: what it holds decides how each format writes it (only text is ever
/// neutralised, so a number stays a number).
pub enum Cell<'a> {
    Text(&'a str),
    Owned(String),
    /// Digits that are a code, not a quantity (an ID number, a phone, a tax code): text in every format,
    /// never a number whose leading zeros Excel would drop.
    Code(&'a str),
    CodeOwned(String),
    /// A plain whole number (a line number, a sequence).
    Int(i64),
    /// A count that the totals row adds up.
    Count(i64),
    /// Whole đồng: a number (`#,##0` in a workbook), added up in the totals row.
    Money(i64),
    Date(Option<NaiveDate>),
    DateTime(Option<chrono::NaiveDateTime>),
    Empty,
}

/// Where a report's rows go: a CSV file or a workbook's sheet.
pub trait RowSink {
    fn row(&mut self, cells: &[Cell]) -> std::io::Result<()>;
}

/// `="001190012345"`: how a CSV cell of digits stays text when Excel opens it (a leading apostrophe would
/// show; a bare number loses its zeros). Anything but digits is written as text, neutralised.
fn code_cell(code: &str) -> std::borrow::Cow<'_, str> {
    if !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) {
        format!("=\"{code}\"").into()
    } else {
        neutralise(code)
    }
}

pub use crate::excel::neutralise;

pub struct ExcelCsv<W: Write> {
    w: csv::Writer<W>,
    delimiter: u8,
    buf: String,
    pub rows: usize,
}

impl<W: Write> ExcelCsv<W> {
    /// Starts the file: BOM, then the header row.
    pub fn new(mut out: W, delimiter: u8, header: &[&str]) -> std::io::Result<Self> {
        out.write_all(b"\xEF\xBB\xBF")?;
        let mut w = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        w.write_record(header).map_err(to_io)?;
        Ok(ExcelCsv {
            w,
            delimiter,
            buf: String::new(),
            rows: 0,
        })
    }

    /// More rows of a file already started elsewhere: no BOM, no header.
    pub fn continuation(out: W, delimiter: u8) -> Self {
        ExcelCsv {
            w: csv::WriterBuilder::new()
                .delimiter(delimiter)
                .terminator(csv::Terminator::CRLF)
                .from_writer(out),
            delimiter,
            buf: String::new(),
            rows: 0,
        }
    }

    /// Appends `rows` rows already written as CSV by a continuation writer.
    pub fn append_raw(self, from: &mut impl std::io::Read, rows: usize) -> std::io::Result<Self> {
        let mut out = self
            .w
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        std::io::copy(from, &mut out)?;
        let mut next = ExcelCsv::continuation(out, self.delimiter);
        next.rows = self.rows + rows;
        Ok(next)
    }

    pub fn row(&mut self, cells: &[Cell]) -> std::io::Result<()> {
        use chrono::Datelike;
        use std::fmt::Write as _;
        for c in cells {
            match c {
                Cell::Text(t) => self.w.write_field(neutralise(t).as_bytes()),
                Cell::Owned(t) => self.w.write_field(neutralise(t).as_bytes()),
                Cell::Code(t) => self.w.write_field(code_cell(t).as_bytes()),
                Cell::CodeOwned(t) => self.w.write_field(code_cell(t).as_bytes()),
                Cell::DateTime(Some(t)) => {
                    self.buf.clear();
                    let _ = write!(self.buf, "{}", t.format("%d/%m/%Y %H:%M:%S"));
                    self.w.write_field(self.buf.as_bytes())
                }
                Cell::DateTime(None) => self.w.write_field(b""),
                Cell::Int(n) | Cell::Count(n) | Cell::Money(n) => {
                    self.buf.clear();
                    let _ = write!(self.buf, "{n}");
                    self.w.write_field(self.buf.as_bytes())
                }
                Cell::Date(Some(d)) => {
                    self.buf.clear();
                    let _ = write!(self.buf, "{:02}/{:02}/{:04}", d.day(), d.month(), d.year());
                    self.w.write_field(self.buf.as_bytes())
                }
                Cell::Date(None) | Cell::Empty => self.w.write_field(b""),
            }
            .map_err(to_io)?;
        }
        self.w.write_record(None::<&[u8]>).map_err(to_io)?;
        self.rows += 1;
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<usize> {
        self.w.flush()?;
        Ok(self.rows)
    }
}

impl<W: Write> RowSink for ExcelCsv<W> {
    fn row(&mut self, cells: &[Cell]) -> std::io::Result<()> {
        ExcelCsv::row(self, cells)
    }
}

fn to_io(e: csv::Error) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_crlf_semicolon_and_neutralised_formulas() {
        let mut out = Vec::new();
        let mut w = ExcelCsv::new(&mut out, b';', &["Họ và tên", "Số tiền", "Ngày"]).unwrap();
        w.row(&[
            Cell::Text("=HYPERLINK(\"http://x\")"),
            Cell::Int(1_855_000),
            Cell::Date(NaiveDate::from_ymd_opt(2021, 9, 1)),
        ])
        .unwrap();
        w.row(&[Cell::Text("@SUM(A1)"), Cell::Int(-1_855_000), Cell::Empty])
            .unwrap();
        w.row(&[Cell::Text("\tx"), Cell::Text("+84 912"), Cell::Text("-")])
            .unwrap();
        w.row(&[
            Cell::Code("001190012345"),
            Cell::Money(1_855_000),
            Cell::Code("=1+1"),
        ])
        .unwrap();
        w.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], "Họ và tên;Số tiền;Ngày");
        assert_eq!(
            lines[1],
            "\"'=HYPERLINK(\"\"http://x\"\")\";1855000;01/09/2021"
        );
        assert_eq!(
            lines[2], "'@SUM(A1);-1855000;",
            "a number is never neutralised"
        );
        assert_eq!(lines[3], "'\tx;'+84 912;'-");
        assert_eq!(
            lines[4], "\"=\"\"001190012345\"\"\";1855000;'=1+1",
            "an ID stays text in Excel; a code that is not digits is neutralised like any text"
        );
    }
}
