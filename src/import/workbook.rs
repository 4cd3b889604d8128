//! Ward lists as Excel workbooks (`.xlsx`, `.xls`): a sheet (the first that holds a list, or one chosen by
//! name: `import::open_ward_file` decides) read row by row
//! on a thread of its own (an `.xlsx` sheet streamed cell by cell, never held whole) into the same cells a
//! CSV row gives, each row keeping its sheet row number as its line. What the cells hold is turned into text
//! the way the importer reads text: a date cell (an Excel serial under a date format) as dd/mm/yyyy, a
//! number as its digits; which cells were numbers travels with the row, since an ID number or a phone stored
//! as a number has lost its leading zeros (`cells::restore_zeros` says what can be restored).

use super::columns::Field;
use calamine::{Data, DataRef, ExcelDateTime, ExcelDateTimeType, Reader, SheetType, SheetVisible};
use chrono::NaiveDateTime;
use std::collections::VecDeque;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;

/// Which kind of workbook a file's first bytes announce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Xlsx,
    Xls,
}

/// `PK\x03\x04` (a zip: .xlsx) or the OLE2 signature (.xls); anything else is read as text.
pub(crate) fn kind_of(head: &[u8]) -> Option<Kind> {
    if head.starts_with(b"PK\x03\x04") {
        Some(Kind::Xlsx)
    } else if head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        Some(Kind::Xls)
    } else {
        None
    }
}

/// A cell as the workbook stores it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text(String),
    Number(f64),
    Date(NaiveDateTime),
    Bool(bool),
    Error(String),
    Empty,
}

/// One row of the sheet: its number (1-based, as Excel shows it) and its cells from column A.
#[derive(Debug, Clone)]
pub(crate) struct SheetRow {
    pub row: u64,
    pub cells: Vec<Value>,
}

enum Msg {
    Meta {
        sheets: Vec<String>,
        sheet: String,
        last_row: u64,
        is_1904: bool,
    },
    Row(SheetRow),
    Failed(String),
}

/// The rows of one sheet, as its reading thread sends them.
pub(crate) struct SheetRows {
    rx: Receiver<Msg>,
    buffered: VecDeque<SheetRow>,
    pub sheet: String,
    pub sheets: Vec<String>,
    pub last_row: u64,
    is_1904: bool,
    /// Each column's field once the header is known (a number in a date column is a date serial).
    fields: Vec<Option<Field>>,
    progress: Arc<AtomicU64>,
    bytes_total: u64,
}

/// Rows the thread may run ahead of the importer.
const AHEAD: usize = 1024;

/// Opens the workbook at `path` and starts reading `sheet` (by name, matched as written or without tone
/// marks and case) or the first visible worksheet. Refuses, with the reason in Vietnamese, a workbook that
/// cannot be read or has no such sheet (naming the sheets it has).
pub(crate) fn open(
    path: &Path,
    kind: Kind,
    sheet: Option<&str>,
    progress: Arc<AtomicU64>,
    bytes_total: u64,
) -> Result<SheetRows, String> {
    let (tx, rx) = sync_channel(AHEAD);
    let path = path.to_path_buf();
    let want = sheet.map(str::to_string);
    std::thread::Builder::new()
        .name("doc-bang-tinh".into())
        .spawn(move || {
            if let Err(reason) = read(&path, kind, want.as_deref(), &tx) {
                let _ = tx.send(Msg::Failed(reason));
            }
        })
        .map_err(|e| e.to_string())?;
    match rx.recv() {
        Ok(Msg::Meta {
            sheets,
            sheet,
            last_row,
            is_1904,
        }) => Ok(SheetRows {
            rx,
            buffered: VecDeque::new(),
            sheet,
            sheets,
            last_row,
            is_1904,
            fields: Vec::new(),
            progress,
            bytes_total,
        }),
        Ok(Msg::Failed(reason)) => Err(reason),
        _ => Err("không đọc được bảng tính".into()),
    }
}

fn unreadable(kind: Kind, e: impl std::fmt::Display) -> String {
    let what = match kind {
        Kind::Xlsx => "bảng tính Excel (.xlsx)",
        Kind::Xls => "bảng tính Excel đời cũ (.xls)",
    };
    format!("không đọc được {what}: {e}; hãy mở tệp trong Excel và lưu lại dạng .xlsx")
}

/// The sheet to read: the one named (exactly, else folded), or the first visible worksheet.
fn pick(meta: &[calamine::Sheet], want: Option<&str>) -> Result<String, String> {
    let names = || {
        meta.iter()
            .map(|s| format!("«{}»", s.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match want {
        Some(w) => meta
            .iter()
            .find(|s| s.name == w)
            .or_else(|| {
                let key = crate::identity::fold(w);
                meta.iter().find(|s| crate::identity::fold(&s.name) == key)
            })
            .map(|s| s.name.clone())
            .ok_or_else(|| {
                format!(
                    "không có trang tính «{w}» trong tệp (các trang: {})",
                    names()
                )
            }),
        None => meta
            .iter()
            .find(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
            .or_else(|| meta.iter().find(|s| s.typ == SheetType::WorkSheet))
            .map(|s| s.name.clone())
            .ok_or_else(|| "bảng tính không có trang tính dữ liệu nào".into()),
    }
}

fn read(path: &Path, kind: Kind, want: Option<&str>, tx: &SyncSender<Msg>) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| crate::error::io_reason_vi(&e))?;
    let reader = std::io::BufReader::with_capacity(1 << 16, file);
    match kind {
        Kind::Xlsx => {
            let mut wb: calamine::Xlsx<_> =
                calamine::Xlsx::new(reader).map_err(|e| unreadable(kind, e))?;
            let sheet = pick(wb.sheets_metadata(), want)?;
            let sheets = wb.sheet_names();
            let is_1904 = wb.has_1904_epoch();
            let mut cells = wb
                .worksheet_cells_reader(&sheet)
                .map_err(|e| unreadable(kind, e))?;
            let last_row = u64::from(cells.dimensions().end.0) + 1;
            let meta = Msg::Meta {
                sheets,
                sheet,
                last_row,
                is_1904,
            };
            if tx.send(meta).is_err() {
                return Ok(());
            }
            // Cells come in row order; a row is sent when the next one starts.
            let mut row: Option<SheetRow> = None;
            while let Some(cell) = cells.next_cell().map_err(|e| unreadable(kind, e))? {
                let (r, c) = cell.get_position();
                let value = value_of_ref(cell.get_value());
                if row.as_ref().is_some_and(|x| x.row != u64::from(r) + 1)
                    && tx.send(Msg::Row(row.take().expect("present"))).is_err()
                {
                    return Ok(()); // the importer stopped
                }
                if value == Value::Empty {
                    continue;
                }
                let current = row.get_or_insert_with(|| SheetRow {
                    row: u64::from(r) + 1,
                    cells: Vec::new(),
                });
                let c = c as usize;
                if current.cells.len() <= c {
                    current.cells.resize(c + 1, Value::Empty);
                }
                current.cells[c] = value;
            }
            if let Some(last) = row {
                let _ = tx.send(Msg::Row(last));
            }
        }
        Kind::Xls => {
            let mut wb: calamine::Xls<_> =
                calamine::Xls::new(reader).map_err(|e| unreadable(kind, e))?;
            let sheet = pick(wb.sheets_metadata(), want)?;
            let sheets = wb.sheet_names();
            let is_1904 = wb.has_1904_epoch();
            let range = wb
                .worksheet_range(&sheet)
                .map_err(|e| unreadable(kind, e))?;
            let (first_row, first_col) = range.start().unwrap_or((0, 0));
            let last_row = range.end().map_or(0, |(r, _)| u64::from(r) + 1);
            let meta = Msg::Meta {
                sheets,
                sheet,
                last_row,
                is_1904,
            };
            if tx.send(meta).is_err() {
                return Ok(());
            }
            for (i, cells) in range.rows().enumerate() {
                let mut values: Vec<Value> = vec![Value::Empty; first_col as usize];
                values.extend(cells.iter().map(value_of));
                while values.last() == Some(&Value::Empty) {
                    values.pop();
                }
                if values.is_empty() {
                    continue;
                }
                let row = SheetRow {
                    row: u64::from(first_row) + i as u64 + 1,
                    cells: values,
                };
                if tx.send(Msg::Row(row)).is_err() {
                    return Ok(());
                }
            }
        }
    }
    Ok(())
}

fn date_of(dt: &ExcelDateTime) -> Value {
    match dt.as_datetime() {
        Some(d) if dt.is_datetime() => Value::Date(d),
        _ => Value::Number(dt.as_f64()),
    }
}

fn value_of_ref(v: &DataRef) -> Value {
    match v {
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::String(s) => Value::Text(s.clone()),
        DataRef::SharedString(s) => Value::Text((*s).to_string()),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(d) => date_of(d),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Text(s.clone()),
        DataRef::Error(e) => Value::Error(e.to_string()),
        DataRef::Empty => Value::Empty,
    }
}

fn value_of(v: &Data) -> Value {
    match v {
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::String(s) => Value::Text(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) => date_of(d),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Error(e.to_string()),
        Data::Empty => Value::Empty,
    }
}

/// dd/mm/yyyy, with the time when it is not midnight.
fn date_text(d: NaiveDateTime) -> String {
    if d.time() == chrono::NaiveTime::MIN {
        d.format("%d/%m/%Y").to_string()
    } else {
        d.format("%d/%m/%Y %H:%M:%S").to_string()
    }
}

/// A number as a person reads it: an integer as its digits (no ".0", no exponent), else its shortest form.
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// A cell's text for the column's field: a number under a date column is a date serial (a birth year
/// alone, 1900–2100, stays a year), a date cell is dd/mm/yyyy, TRUE is a yes mark.
pub(crate) fn cell_text(value: &Value, field: Option<Field>, is_1904: bool) -> String {
    match value {
        Value::Text(s) => s.clone(),
        Value::Number(f) => match field {
            Some(Field::Dob) if f.fract() == 0.0 && (1900.0..=2100.0).contains(f) => {
                number_text(*f)
            }
            // Serials of 1901–2099 only: a small number under a date column is a column number (the
            // "(1) (2) (3)" row under the header), not a day of 1900.
            Some(f_) if f_.is_date() && (367.0..=73_050.0).contains(f) => {
                ExcelDateTime::new(*f, ExcelDateTimeType::DateTime, is_1904)
                    .as_datetime()
                    .map(date_text)
                    .unwrap_or_else(|| number_text(*f))
            }
            _ => number_text(*f),
        },
        Value::Date(d) => date_text(*d),
        Value::Bool(true) => "x".into(),
        Value::Bool(false) => String::new(),
        Value::Error(e) => e.clone(),
        Value::Empty => String::new(),
    }
}

impl SheetRows {
    /// The next row as it was stored (for finding the header); `None` at the end of the sheet.
    pub(crate) fn next_raw(&mut self) -> Result<Option<SheetRow>, String> {
        if let Some(r) = self.buffered.pop_front() {
            return Ok(Some(r));
        }
        match self.rx.recv() {
            Ok(Msg::Row(r)) => {
                let done = self
                    .bytes_total
                    .saturating_mul(r.row.min(self.last_row))
                    .checked_div(self.last_row);
                if let Some(done) = done {
                    self.progress.store(done, Ordering::Relaxed);
                }
                Ok(Some(r))
            }
            Ok(Msg::Failed(reason)) => Err(reason),
            Ok(Msg::Meta { .. }) | Err(_) => Ok(None),
        }
    }

    /// The first rows as text (for finding the header row), kept to be read again.
    pub(crate) fn peek_text(&mut self, rows: usize) -> Result<Vec<(u64, Vec<String>)>, String> {
        while self.buffered.len() < rows {
            let before = self.buffered.len();
            match self.rx.recv() {
                Ok(Msg::Row(r)) => self.buffered.push_back(r),
                Ok(Msg::Failed(reason)) => return Err(reason),
                _ => {}
            }
            if self.buffered.len() == before {
                break;
            }
        }
        Ok(self
            .buffered
            .iter()
            .map(|r| {
                (
                    r.row,
                    r.cells
                        .iter()
                        .map(|v| super::cells::clean(&cell_text(v, None, self.is_1904)))
                        .collect(),
                )
            })
            .collect())
    }

    /// Sets each column's field (from the header's mapping).
    pub(crate) fn set_fields(&mut self, fields: Vec<Option<Field>>) {
        self.fields = fields;
    }

    /// The next row as a record of texts, with its sheet row and a bit per column (below 128) whose cell was
    /// a number. `None` at the end of the sheet.
    pub(crate) fn next_record(
        &mut self,
        record: &mut csv::StringRecord,
    ) -> Result<Option<(u64, u128)>, String> {
        let Some(row) = self.next_raw()? else {
            return Ok(None);
        };
        record.clear();
        let mut numeric = 0u128;
        for (i, v) in row.cells.iter().enumerate() {
            if matches!(v, Value::Number(_)) && i < 128 {
                numeric |= 1 << i;
            }
            let field = self.fields.get(i).copied().flatten();
            record.push_field(&cell_text(v, field, self.is_1904));
        }
        Ok(Some((row.row, numeric)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_text_for_their_column() {
        assert_eq!(
            cell_text(&Value::Number(1190012345.0), Some(Field::IdNumber), false),
            "1190012345"
        );
        assert_eq!(
            cell_text(&Value::Number(1855000.0), Some(Field::Amount), false),
            "1855000"
        );
        assert_eq!(cell_text(&Value::Number(0.5), None, false), "0.5");
        // 44401 = 24/07/2021 in the 1900 system; a year alone stays a year.
        assert_eq!(
            cell_text(&Value::Number(44401.0), Some(Field::From), false),
            "24/07/2021"
        );
        assert_eq!(
            cell_text(&Value::Number(1967.0), Some(Field::Dob), false),
            "1967"
        );
        assert_eq!(
            cell_text(&Value::Number(24716.0), Some(Field::Dob), false),
            "01/09/1967"
        );
        assert_eq!(
            cell_text(&Value::Number(44401.0), Some(Field::Note), false),
            "44401"
        );
        let d = chrono::NaiveDate::from_ymd_opt(2021, 7, 24)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        assert_eq!(cell_text(&Value::Date(d), None, false), "24/07/2021");
        assert_eq!(
            cell_text(&Value::Bool(true), Some(Field::ConditionsMet), false),
            "x"
        );
        assert_eq!(kind_of(b"PK\x03\x04rest"), Some(Kind::Xlsx));
        assert_eq!(
            kind_of(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
            Some(Kind::Xls)
        );
        assert_eq!(kind_of(b"STT,Ho ten"), None);
    }
}
