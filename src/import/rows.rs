//! A ward file read row by row as cells by field, without the ledger: what the duplicate check compares.
//! Same decoding, delimiter, header and line numbers as the import, and the same rows skipped as not data.

use super::apply::{not_data, Columns};
use super::columns::{ColumnMapping, Field};
use super::{open_ward_file, SourceEncoding};
use crate::error::{LedgerError, Result};
use std::path::Path;

/// One data row: its physical line and its cells by field (cleaned as the import cleans them).
#[derive(Debug, Clone)]
pub struct WardRow {
    pub line: u64,
    cells: Vec<(Field, String)>,
}

impl WardRow {
    /// The cell of `field`, empty when the file has no such column or the cell is blank.
    pub fn get(&self, field: Field) -> &str {
        self.cells
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// What was read: the file's shape and its SHA-256.
#[derive(Debug, Clone)]
pub struct WardFileRead {
    pub encoding: SourceEncoding,
    pub header_line: u64,
    pub columns: Vec<ColumnMapping>,
    pub rows: usize,
    pub lines_skipped: Vec<u64>,
    pub sha256: String,
}

/// Reads every data row of a ward file, calling `each` with it; `each` returns false to stop (the read
/// then ends with `Cancelled`). Only a name column is required: another office's list may carry no policy.
/// `wanted` names the fields the caller reads (empty: all); the others are not cleaned or kept.
pub fn read_ward_rows(
    path: &Path,
    wanted: &[Field],
    each: &mut dyn FnMut(WardRow) -> bool,
) -> Result<WardFileRead> {
    let opened = open_ward_file(path)?;
    if !opened
        .columns
        .iter()
        .any(|m| m.field == Some(Field::FullName))
    {
        return Err(LedgerError::FileUnreadable {
            path: path.display().to_string(),
            reason: format!(
                "không có cột {} (dòng tiêu đề là dòng {})",
                Field::FullName.header(),
                opened.shape.header_line
            ),
        });
    }
    let cols = Columns::new(&opened.columns);
    let fields: Vec<(Field, usize)> = opened
        .columns
        .iter()
        .filter_map(|m| m.field.map(|f| (f, m.column - 1)))
        .filter(|(f, _)| wanted.is_empty() || wanted.contains(f))
        .collect();
    let (feed, tally) = super::sniff::LineFeed::new(std::io::BufReader::new(std::io::Read::chain(
        std::io::Cursor::new(opened.sample),
        opened.text,
    )));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(opened.shape.delimiter)
        .from_reader(feed);
    let mut read = WardFileRead {
        encoding: opened.enc,
        header_line: opened.shape.header_line,
        columns: opened.columns.clone(),
        rows: 0,
        lines_skipped: Vec::new(),
        sha256: String::new(),
    };
    let mut record = csv::StringRecord::new();
    let mut previous_end = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(LedgerError::FileUnreadable {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })
            }
        }
        let line = tally.record_line(&record).max(previous_end + 1);
        previous_end = tally.end_line();
        if line <= read.header_line {
            continue;
        }
        match not_data(&record, &cols) {
            Some(true) => {
                read.lines_skipped.push(line);
                continue;
            }
            Some(false) => continue,
            None => {}
        }
        read.rows += 1;
        let cells = fields
            .iter()
            .filter_map(|&(f, i)| {
                let v = record.get(i).map(super::cells::clean).unwrap_or_default();
                (!v.is_empty()).then_some((f, v))
            })
            .collect();
        if !each(WardRow { line, cells }) {
            return Err(LedgerError::Cancelled { done: read.rows });
        }
    }
    read.sha256 = opened.file_sha256.get().cloned().unwrap_or_default();
    if read.sha256.is_empty() {
        // The reader stops at the last record; the hash is finished by reading to the end of the file.
        read.sha256 = file_sha256(path)?;
    }
    Ok(read)
}

/// The SHA-256 of a file's bytes, as the audit log names a source.
pub fn file_sha256(path: &Path) -> Result<String> {
    use sha2::Digest;
    let mut f = std::fs::File::open(path).map_err(|e| LedgerError::FileUnreadable {
        path: path.display().to_string(),
        reason: crate::error::io_reason_vi(&e),
    })?;
    let mut h = sha2::Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(hex::encode(h.finalize()))
}
