//! A ward file read row by row as cells by field, without the ledger: what the duplicate check compares.
//! Same decoding, delimiter, header and line numbers as the import, and the same rows skipped as not data.

use super::columns::{ColumnMapping, Field};
use super::reader::not_data;
use super::{open_ward_file, SourceEncoding};
use crate::error::{LedgerError, Result};
use std::path::Path;

/// One data row: its physical line and its cells by field (cleaned as the import cleans them: NFC,
/// trimmed, single-spaced). The cells share one buffer: a row costs two allocations, not one per cell.
#[derive(Debug, Clone)]
pub struct WardRow {
    pub line: u64,
    text: String,
    cells: Vec<(Field, usize, usize)>,
}

impl WardRow {
    /// The cell of `field`, empty when the file has no such column or the cell is blank.
    pub fn get(&self, field: Field) -> &str {
        self.cells
            .iter()
            .find(|(f, _, _)| *f == field)
            .map_or("", |&(_, from, to)| &self.text[from..to])
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

/// The cells `not_data` looks at.
const NOT_DATA_FIELDS: [Field; 4] = [Field::RowNo, Field::IdNumber, Field::Policy, Field::Dob];

/// Reads every data row of a ward file, calling `each` with it; `each` returns false to stop (the read
/// then ends with `Cancelled`). Only a name column is required: another office's list may carry no policy.
/// `wanted` names the fields the caller reads (empty: all); the others are not cleaned or kept.
pub fn read_ward_rows(
    path: &Path,
    wanted: &[Field],
    each: &mut dyn FnMut(WardRow) -> bool,
) -> Result<WardFileRead> {
    let opened = open_ward_file(path, None, &[])?;
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
                opened.header_line
            ),
        });
    }
    let fields: Vec<(Field, usize)> = opened
        .columns
        .iter()
        .filter_map(|m| m.field.map(|f| (f, m.column - 1)))
        // What tells a data row from a signature line is always read.
        .filter(|(f, _)| wanted.is_empty() || wanted.contains(f) || NOT_DATA_FIELDS.contains(f))
        .collect();
    let mut read = WardFileRead {
        encoding: opened.enc,
        header_line: opened.header_line,
        columns: opened.columns.clone(),
        rows: 0,
        lines_skipped: Vec::new(),
        sha256: String::new(),
    };
    // Bytes, not text: the decoded stream is already checked UTF-8 (every encoding's reader guarantees
    // it), and the record splits only at ASCII bytes, so only the cells read are turned into text.
    let mut record = csv::ByteRecord::new();
    let mut scratch = csv::StringRecord::new();
    let mut records = opened.records;
    let unreadable = |reason: String| LedgerError::FileUnreadable {
        path: path.display().to_string(),
        reason,
    };
    loop {
        let line = match records.next_bytes(&mut record, &mut scratch) {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(e) => return Err(unreadable(e)),
        };
        if line <= read.header_line {
            continue;
        }
        let mut text = String::with_capacity(record.as_slice().len());
        let mut cells = Vec::with_capacity(fields.len());
        for &(f, i) in &fields {
            let from = text.len();
            if let Some(raw) = record.get(i) {
                let raw = std::str::from_utf8(raw).map_err(|e| unreadable(e.to_string()))?;
                super::cells::clean_into(raw, &mut text);
            }
            if text.len() > from {
                cells.push((f, from, text.len()));
            }
        }
        let row = WardRow { line, text, cells };
        // (A cell that were not UTF-8 could not be blank or a number: "?" stands for it.)
        let raw = record.iter().map(|c| std::str::from_utf8(c).unwrap_or("?"));
        match not_data(raw, |f| row.get(f), super::reader::names_a_policy) {
            Some(true) => {
                read.lines_skipped.push(line);
                continue;
            }
            Some(false) => continue,
            None => {}
        }
        read.rows += 1;
        if !each(row) {
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
