//! Reports out: the accountants' files (payouts of a list, the summary per policy × ward × status, the
//! claims register, the audit log, the import template), each defined once as typed rows and rendered as an
//! Excel workbook (`xlsx.rs`, the default) or a CSV file for Excel (`excel_csv.rs`), and the printable payout
//! sheet and posting list. Every report streams row by row from SQLite, so a million rows never sit in memory
//! as a table.

use crate::fields::InputField;
mod duplicates;
mod excel_csv;
mod sheets;
mod xlsx;

pub use duplicates::{write_pairs_csv, write_pairs_xlsx, write_recovery_csv, write_recovery_xlsx};
pub use excel_csv::{neutralise, Cell, ExcelCsv, RowSink};
pub use sheets::{payout_sheet_html, posting_list_html, recovery_sheet_html};
pub use xlsx::XlsxSheet;

use crate::error::{LedgerError, Result};
use crate::ledger::{state_label_vi, Ledger};
use chrono::NaiveDate;
use serde::Serialize;
use std::io::Write;

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportKind {
    /// Payouts (of one list when given): who was paid what, when, by whom; reversed ones marked.
    Payouts { list: Option<String> },
    /// Count and total per policy × ward × status, as in a ward report.
    Summary,
    /// Every claim with its beneficiary, amount and state.
    Claims,
    /// The hash-chained audit log.
    Audit,
    /// The import template (headers and one worked row).
    Template,
}

impl ExportKind {
    /// Parses the CLI/app name of a kind.
    pub fn parse(name: &str, list: Option<String>) -> Result<ExportKind> {
        Ok(match name {
            "payouts" | "chi-tra" => ExportKind::Payouts { list },
            "summary" | "tong-hop" => ExportKind::Summary,
            "claims" | "ho-so" => ExportKind::Claims,
            "audit" | "nhat-ky" => ExportKind::Audit,
            "template" | "mau-nhap" => ExportKind::Template,
            other => {
                return Err(LedgerError::InvalidInput {
                    field: InputField::ReportKind,
                    message: format!(
                        "'{other}': chọn payouts, summary, claims, audit hoặc template"
                    ),
                })
            }
        })
    }

    /// The file's name without its extension, in the office's words.
    pub fn file_stem(&self) -> &'static str {
        match self {
            ExportKind::Payouts { .. } => "danh-sach-chi-tra",
            ExportKind::Summary => "tong-hop-theo-chinh-sach",
            ExportKind::Claims => "so-ho-so",
            ExportKind::Audit => "nhat-ky",
            ExportKind::Template => "mau-nhap-danh-sach",
        }
    }

    /// A CSV file name for the export.
    pub fn file_name(&self) -> String {
        self.file_name_for(ExportFormat::Csv { delimiter: b',' })
    }

    /// A file name for the export in `format`.
    pub fn file_name_for(&self, format: ExportFormat) -> String {
        format!("{}.{}", self.file_stem(), format.extension())
    }

    /// The sheet's name in a workbook.
    fn sheet_name(&self) -> &'static str {
        match self {
            ExportKind::Payouts { .. } => "Chi trả",
            ExportKind::Summary => "Tổng hợp",
            ExportKind::Claims => "Sổ hồ sơ",
            ExportKind::Audit => "Nhật ký",
            ExportKind::Template => "Danh sách",
        }
    }

    /// The report's columns, once for every format.
    fn header(&self) -> Vec<&'static str> {
        match self {
            ExportKind::Payouts { .. } => PAYOUT_HEADER.to_vec(),
            ExportKind::Summary => SUMMARY_HEADER.to_vec(),
            ExportKind::Claims => CLAIMS_HEADER.to_vec(),
            ExportKind::Audit => AUDIT_HEADER.to_vec(),
            ExportKind::Template => crate::import::TEMPLATE.iter().map(|c| c.header).collect(),
        }
    }
}

/// The format a report is written in: an Excel workbook (the default) or a CSV file for Excel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Xlsx,
    /// `,` (default) or `;` (Excel where `,` is the decimal mark) between cells.
    Csv {
        delimiter: u8,
    },
}

impl ExportFormat {
    /// `xlsx` or `csv` (with `;` when `semicolon`).
    pub fn parse(name: &str, semicolon: bool) -> Result<ExportFormat> {
        match name.trim().to_ascii_lowercase().as_str() {
            "xlsx" | "excel" => Ok(ExportFormat::Xlsx),
            "csv" => Ok(ExportFormat::Csv {
                delimiter: if semicolon { b';' } else { b',' },
            }),
            other => Err(LedgerError::InvalidInput {
                field: InputField::ExportFormat,
                message: format!("'{other}': chọn xlsx (bảng tính Excel) hoặc csv"),
            }),
        }
    }

    /// The format a file name asks for: `.csv` (or `.txt`) is CSV, anything else a workbook.
    pub fn for_path(path: &std::path::Path, semicolon: bool) -> ExportFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv" | "txt") => ExportFormat::Csv {
                delimiter: if semicolon { b';' } else { b',' },
            },
            _ => ExportFormat::Xlsx,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Csv { .. } => "csv",
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ExportSummary {
    pub rows: usize,
    pub file: Option<String>,
}

/// Writes the CSV of `kind` to `out`. `delimiter` is `,` (default) or `;` (Excel where `,` is the decimal mark).
pub fn export_csv<W: Write>(
    ledger: &Ledger,
    kind: &ExportKind,
    delimiter: u8,
    out: W,
) -> Result<usize> {
    crate::store::bulk_read(ledger.conn(), true)?;
    let written = write_kind(ledger, kind, delimiter, out);
    crate::store::bulk_read(ledger.conn(), false)?;
    written
}

fn write_kind<W: Write>(
    ledger: &Ledger,
    kind: &ExportKind,
    delimiter: u8,
    out: W,
) -> Result<usize> {
    match kind {
        ExportKind::Payouts { list } => payouts(ledger, list.as_deref(), delimiter, out),
        ExportKind::Template => {
            let mut out = out;
            let bytes = crate::import::template_csv(delimiter);
            out.write_all(&bytes)?;
            Ok(1)
        }
        _ => {
            let mut w = ExcelCsv::new(out, delimiter, &kind.header())?;
            rows(ledger, kind, &mut w)?;
            Ok(w.finish()?)
        }
    }
}

/// Writes `kind` as an Excel workbook to `out`: the same rows as its CSV, typed, under a bold frozen header,
/// with fitting column widths and a totals row.
pub fn export_xlsx(ledger: &Ledger, kind: &ExportKind, out: &mut dyn Write) -> Result<usize> {
    crate::store::bulk_read(ledger.conn(), true)?;
    let written = (|| {
        let mut sheet = XlsxSheet::new(kind.sheet_name(), &kind.header())?;
        if *kind == ExportKind::Template {
            let codes: Vec<usize> = crate::import::TEMPLATE
                .iter()
                .enumerate()
                .filter(|(_, c)| crate::import::columns::is_code(c.field))
                .map(|(i, _)| i)
                .collect();
            sheet = sheet.to_fill_in(&codes)?;
        }
        match kind {
            ExportKind::Template => template_rows(&mut sheet)?,
            _ => rows(ledger, kind, &mut sheet)?,
        }
        let (bytes, n) = sheet.finish()?;
        out.write_all(&bytes)?;
        Ok(n)
    })();
    crate::store::bulk_read(ledger.conn(), false)?;
    written
}

/// The rows of `kind` into a sink (a CSV file or a sheet): the one definition of each report.
fn rows(ledger: &Ledger, kind: &ExportKind, sink: &mut dyn RowSink) -> Result<()> {
    match kind {
        ExportKind::Payouts { list } => payouts_into(ledger, list.as_deref(), sink),
        ExportKind::Summary => summary(ledger, sink),
        ExportKind::Claims => claims(ledger, sink),
        ExportKind::Audit => audit(ledger, sink),
        ExportKind::Template => template_rows(sink),
    }
}

/// The template's worked row: the same cells the CSV template holds, codes as text.
fn template_rows(sink: &mut dyn RowSink) -> Result<()> {
    use crate::import::{columns, TEMPLATE};
    let cells: Vec<Cell> = TEMPLATE
        .iter()
        .map(|c| {
            let v = columns::template_example(c.field);
            if columns::is_code(c.field) {
                Cell::Code(v)
            } else {
                Cell::Text(v)
            }
        })
        .collect();
    Ok(sink.row(&cells)?)
}

/// Writes the export to a file as CSV, all or nothing: a partial file never takes the real name.
pub fn export_to_file(
    ledger: &Ledger,
    kind: &ExportKind,
    delimiter: u8,
    path: &std::path::Path,
) -> Result<ExportSummary> {
    export_file(ledger, kind, ExportFormat::Csv { delimiter }, path)
}

/// Writes the export to a file in `format`, all or nothing.
pub fn export_file(
    ledger: &Ledger,
    kind: &ExportKind,
    format: ExportFormat,
    path: &std::path::Path,
) -> Result<ExportSummary> {
    write_atomically(path, &mut |w| match format {
        ExportFormat::Csv { delimiter } => export_csv(ledger, kind, delimiter, w),
        ExportFormat::Xlsx => export_xlsx(ledger, kind, w),
    })
}

/// Writes a file all or nothing: into a partial file beside it, synced, then renamed over the real name;
/// on failure the partial file goes and nothing else changes.
pub fn write_atomically(
    path: &std::path::Path,
    write: &mut dyn FnMut(&mut dyn Write) -> Result<usize>,
) -> Result<ExportSummary> {
    let rows = crate::files::write_whole(path, write)?;
    Ok(ExportSummary {
        rows,
        file: Some(path.display().to_string()),
    })
}

fn iso(d: Option<String>) -> Option<NaiveDate> {
    d.and_then(|s| NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok())
}

/// A stored UTC time as Hà Nội reads it (UTC+7); `None` for text that is not a stored time.
fn local_time(at: &str) -> Option<chrono::NaiveDateTime> {
    chrono::DateTime::parse_from_rfc3339(at)
        .ok()
        .map(|t| (t.with_timezone(&chrono::Utc) + chrono::Duration::hours(7)).naive_utc())
}

/// A stored time as a cell: a real date and time, or the text as stored.
fn time_cell(at: String) -> Cell<'static> {
    match local_time(&at) {
        Some(t) => Cell::DateTime(Some(t)),
        None => Cell::Owned(at),
    }
}

/// A text column borrowed from the row (no copy); NULL reads as empty.
fn text(v: rusqlite::types::ValueRef<'_>) -> std::result::Result<&str, rusqlite::Error> {
    match v {
        rusqlite::types::ValueRef::Null => Ok(""),
        other => other.as_str().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        }),
    }
}

/// A stored date (`yyyy-mm-dd`) as a date cell, read by slicing (a million of them are read per export);
/// anything else as text.
fn date_cell(iso: &str) -> Cell<'_> {
    let n = |r: std::ops::Range<usize>| iso.get(r).and_then(|t| t.parse::<u32>().ok());
    match (n(0..4), n(5..7), n(8..10)) {
        (Some(y), Some(m), Some(d)) if iso.as_bytes().get(4) == Some(&b'-') => {
            match NaiveDate::from_ymd_opt(y as i32, m, d) {
                Some(date) => Cell::Date(Some(date)),
                None => Cell::Text(iso),
            }
        }
        _ => Cell::Text(iso),
    }
}

/// `yyyy-mm-dd…` → `dd/mm/yyyy` by slicing (a stored date is always ISO); anything else as it is.
fn vi_date(iso: &str) -> std::borrow::Cow<'_, str> {
    match (iso.get(0..4), iso.get(5..7), iso.get(8..10)) {
        (Some(y), Some(m), Some(d)) if iso.as_bytes().get(4) == Some(&b'-') => {
            format!("{d}/{m}/{y}").into()
        }
        _ => iso.into(),
    }
}

const PAYOUT_HEADER: &[&str] = &[
    "STT",
    "Họ và tên",
    "Số CCCD/CMND",
    "Tổ dân phố",
    "Phường",
    "Chính sách",
    "Tên chính sách",
    "Số tiền",
    "Ngày chi",
    "Hình thức",
    "Người chi",
    "Danh sách",
    "Số quyết định",
    "Trạng thái",
    "Mã khoản chi",
    "Phần chưa xác nhận",
    "Ký nhận",
];

/// Payouts: of one list in posting order; of the whole ledger in the order they were recorded (read straight
/// through the file). STT is the line's number on the posted list, so the sheet and the file agree.
const PAYOUT_ROWS: &str = "SELECT li.position, coalesce(p.full_name, h.name, g.name),
        (SELECT number FROM identity_doc d WHERE d.person_id = coalesce(p.id, h.head_person_id, g.owner_person_id)
          ORDER BY (kind = 'cccd') DESC, kind LIMIT 1),
        p.residential_group, coalesce(p.ward, ?2), py.policy_code, py.amount, py.paid_on, py.method, py.officer,
        py.list_id, r.reversed_on, py.id,
        -- A claim whose breakdown has a line not confirmed by a legal text (its parts: the claims register).
        (SELECT c.breakdown GLOB '*\"confidence\":\"[isu]*' FROM claim c WHERE c.id = py.claim_id)
   FROM payout py
   JOIN list_item li ON li.list_id = py.list_id AND li.claim_id = py.claim_id
   LEFT JOIN person p ON py.beneficiary_key GLOB 'P:*' AND p.id = substr(py.beneficiary_key, 3)
   LEFT JOIN household h ON py.beneficiary_key GLOB 'H:*' AND h.id = substr(py.beneficiary_key, 3)
   LEFT JOIN unit_group g ON py.beneficiary_key GLOB 'G:*' AND g.id = substr(py.beneficiary_key, 3)
   LEFT JOIN reversal r ON r.payout_id = py.id
  WHERE (?1 IS NULL OR py.list_id = ?1) AND py.rowid BETWEEN ?3 AND ?4";

/// What every payout line looks up by name: lists (name, decision), policy titles, the office's ward.
struct PayoutNames {
    lists: std::collections::HashMap<String, (String, String)>,
    titles: std::collections::HashMap<String, String>,
    ward: String,
}

/// Below this many payouts one reader is enough; above it the two halves of the ledger's payouts are read
/// on two connections at once (the second half staged in a file beside the output, then appended).
const PARALLEL_FROM: i64 = 50_000;

fn payouts<W: Write>(ledger: &Ledger, list: Option<&str>, delimiter: u8, out: W) -> Result<usize> {
    payouts_split(ledger, list, delimiter, out, PARALLEL_FROM)
}

/// The list asked for, the names every line looks up, and the payouts' rowid range and count.
type PayoutSetup = (Option<String>, PayoutNames, Option<(i64, i64)>, i64);

fn payout_setup(ledger: &Ledger, list: Option<&str>) -> Result<PayoutSetup> {
    let list_id = list.map(|l| ledger.list(l).map(|s| s.id)).transpose()?;
    let names = PayoutNames {
        lists: ledger
            .lists()?
            .into_iter()
            .map(|l| (l.id, (l.name, l.decision_no.unwrap_or_default())))
            .collect(),
        titles: ledger
            .pack()
            .policies
            .iter()
            .map(|p| (p.code.clone(), p.title.clone()))
            .collect(),
        ward: ledger.office()?.ward,
    };
    let (first, last, count): (Option<i64>, Option<i64>, i64) = ledger.conn().query_row(
        "SELECT min(rowid), max(rowid), count(*) FROM payout WHERE ?1 IS NULL OR list_id = ?1",
        [&list_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok((list_id, names, first.zip(last), count))
}

/// The payouts into any sink, read by one reader (a workbook is written in one sheet, in order).
fn payouts_into(ledger: &Ledger, list: Option<&str>, sink: &mut dyn RowSink) -> Result<()> {
    let (list_id, names, range, _) = payout_setup(ledger, list)?;
    match range {
        Some(range) => payout_rows(ledger.conn(), &list_id, &names, range, sink),
        None => Ok(()),
    }
}

fn payouts_split<W: Write>(
    ledger: &Ledger,
    list: Option<&str>,
    delimiter: u8,
    out: W,
    parallel_from: i64,
) -> Result<usize> {
    let (list_id, names, range, count) = payout_setup(ledger, list)?;
    let (first, last) = (range.map(|r| r.0), range.map(|r| r.1));
    let mut w = ExcelCsv::new(out, delimiter, PAYOUT_HEADER)?;
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(w.finish()?);
    };
    let path = ledger.conn().path().map(std::path::PathBuf::from);
    // One list's payouts come in posting order (STT 1, 2, 3 … as on its sheet), read by one reader; the
    // whole ledger's come in the order they were recorded, in two halves at once when there are many.
    let parallel = list_id.is_none() && count >= parallel_from;
    match path.filter(|p| parallel && !p.as_os_str().is_empty()) {
        None => payout_rows(ledger.conn(), &list_id, &names, (first, last), &mut w)?,
        Some(path) => {
            let middle = first + (last - first) / 2;
            let staged = tempfile::tempfile()?;
            let second = std::thread::scope(|scope| {
                let reader = scope.spawn(|| -> Result<usize> {
                    let conn = rusqlite::Connection::open_with_flags(
                        &path,
                        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                            | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    )?;
                    crate::store::bulk_read(&conn, true)?;
                    let mut part =
                        ExcelCsv::continuation(std::io::BufWriter::new(&staged), delimiter);
                    payout_rows(&conn, &list_id, &names, (middle + 1, last), &mut part)?;
                    Ok(part.finish()?)
                });
                let mine = payout_rows(ledger.conn(), &list_id, &names, (first, middle), &mut w);
                let theirs = reader.join().expect("export reader thread");
                mine.and(theirs)
            })?;
            let mut staged = staged;
            std::io::Seek::rewind(&mut staged)?;
            w = w.append_raw(&mut staged, second)?;
        }
    }
    Ok(w.finish()?)
}

fn payout_rows(
    conn: &rusqlite::Connection,
    list_id: &Option<String>,
    names: &PayoutNames,
    (from, to): (i64, i64),
    w: &mut dyn RowSink,
) -> Result<()> {
    // Two plans, not a CASE in ORDER BY, which would make SQLite sort a million rows it can read in order.
    let order = if list_id.is_some() {
        " ORDER BY li.position, py.rowid"
    } else {
        " ORDER BY py.rowid"
    };
    let mut stmt = conn.prepare(&format!("{PAYOUT_ROWS}{order}"))?;
    let mut rows = stmt.query(rusqlite::params![list_id, names.ward, from, to])?;
    while let Some(r) = rows.next()? {
        let policy = text(r.get_ref(5)?)?;
        let reversed = text(r.get_ref(11)?)?;
        let state: std::borrow::Cow<str> = if reversed.is_empty() {
            "Đã chi".into()
        } else {
            format!("Đã đảo ngày {}", vi_date(reversed)).into()
        };
        let (list_name, decision) = names
            .lists
            .get(text(r.get_ref(10)?)?)
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .unwrap_or(("", ""));
        w.row(&[
            Cell::Int(r.get(0)?),
            Cell::Text(text(r.get_ref(1)?)?),
            Cell::Code(text(r.get_ref(2)?)?),
            Cell::Text(text(r.get_ref(3)?)?),
            Cell::Text(text(r.get_ref(4)?)?),
            Cell::Text(policy),
            Cell::Text(names.titles.get(policy).map(String::as_str).unwrap_or("")),
            Cell::Money(r.get(6)?),
            date_cell(text(r.get_ref(7)?)?),
            Cell::Text(if text(r.get_ref(8)?)? == "bank" {
                "Chuyển khoản"
            } else {
                "Tiền mặt"
            }),
            Cell::Text(text(r.get_ref(9)?)?),
            Cell::Text(list_name),
            Cell::Text(decision),
            Cell::Text(&state),
            Cell::Text(text(r.get_ref(12)?)?),
            Cell::Text(if r.get::<_, Option<bool>>(13)?.unwrap_or(false) {
                "có (xem sổ hồ sơ)"
            } else {
                ""
            }),
            Cell::Empty,
        ])?;
    }
    Ok(())
}

const SUMMARY_HEADER: &[&str] = &[
    "Chính sách",
    "Tên chính sách",
    "Văn bản",
    "Phường",
    "Trạng thái",
    "Số hồ sơ",
    "Tổng tiền",
];

fn summary(ledger: &Ledger, w: &mut dyn RowSink) -> Result<()> {
    let mut stmt = ledger.conn().prepare(
        "SELECT policy_code, coalesce(ward, ''), state, count(*), sum(amount) FROM claim_state
          GROUP BY policy_code, ward, state ORDER BY policy_code, ward, state",
    )?;
    let mut rows = stmt.query([])?;
    let pack = ledger.pack();
    while let Some(r) = rows.next()? {
        let policy: String = r.get(0)?;
        let (title, instrument) = pack
            .policy(&policy)
            .map(|p| (p.title.as_str(), p.instrument.as_str()))
            .unwrap_or(("", ""));
        let state: String = r.get(2)?;
        w.row(&[
            Cell::Text(&policy),
            Cell::Text(title),
            Cell::Text(instrument),
            Cell::Owned(r.get(1)?),
            Cell::Text(state_label_vi(&state)),
            Cell::Count(r.get(3)?),
            Cell::Money(r.get(4)?),
        ])?;
    }
    Ok(())
}

const CLAIMS_HEADER: &[&str] = &[
    "Mã hồ sơ",
    "Chính sách",
    "Tên chính sách",
    "Đối tượng",
    "Họ và tên",
    "Số CCCD/CMND",
    "Ngày sinh",
    "Tổ dân phố",
    "Phường",
    "Số tiền theo quy tắc",
    "Số tiền",
    "Trạng thái",
    "Lý do từ chối",
    "Ngày nộp",
    "Người ghi",
    "Thời điểm ghi",
    "Phiên bản quy tắc",
    "Phần chưa xác nhận",
];

fn claims(ledger: &Ledger, w: &mut dyn RowSink) -> Result<()> {
    let mut stmt = ledger.conn().prepare(
        "SELECT c.id, c.policy_code, c.unit, CASE c.unit WHEN 'household' THEN h.name WHEN 'group' THEN g.name ELSE p.full_name END,
                (SELECT number FROM identity_doc d WHERE d.person_id = c.person_id ORDER BY (kind = 'cccd') DESC, kind LIMIT 1),
                p.dob, p.dob_precision, p.residential_group, c.ward, c.rule_amount, c.amount, c.state, c.rejected_reason,
                k.applied_on, c.recorded_by, c.recorded_at, c.pack_version, c.breakdown
           FROM claim_state c
           JOIN claim k ON k.id = c.id
           LEFT JOIN person p ON p.id = c.person_id
           LEFT JOIN household h ON h.id = c.household_id
           LEFT JOIN unit_group g ON g.id = c.group_id
          ORDER BY c.recorded_at, c.id",
    )?;
    let mut rows = stmt.query([])?;
    let pack = ledger.pack();
    while let Some(r) = rows.next()? {
        let policy: String = r.get(1)?;
        let title = pack.policy(&policy).map(|p| p.title.as_str()).unwrap_or("");
        let unit: String = r.get(2)?;
        let dob: Option<String> = r.get(5)?;
        let precision: String = r.get(6)?;
        let dob_cell = match (dob, precision.as_str()) {
            (Some(d), "year") => Cell::Owned(d.get(..4).unwrap_or("").to_string()),
            (d, _) => Cell::Date(iso(d)),
        };
        let state: String = r.get(11)?;
        let recorded_at: String = r.get(15)?;
        w.row(&[
            Cell::Owned(r.get(0)?),
            Cell::Text(&policy),
            Cell::Text(title),
            Cell::Text(match unit.as_str() {
                "household" => "Hộ",
                "group" => "Nhóm/lớp",
                _ => "Người",
            }),
            Cell::Owned(r.get::<_, Option<String>>(3)?.unwrap_or_default()),
            Cell::CodeOwned(r.get::<_, Option<String>>(4)?.unwrap_or_default()),
            dob_cell,
            Cell::Owned(r.get::<_, Option<String>>(7)?.unwrap_or_default()),
            Cell::Owned(r.get::<_, Option<String>>(8)?.unwrap_or_default()),
            Cell::Money(r.get(9)?),
            Cell::Money(r.get(10)?),
            Cell::Text(state_label_vi(&state)),
            Cell::Owned(r.get::<_, Option<String>>(12)?.unwrap_or_default()),
            Cell::Date(iso(r.get(13)?)),
            Cell::Owned(r.get(14)?),
            time_cell(recorded_at),
            Cell::Owned(r.get(16)?),
            Cell::Owned(crate::ledger::unconfirmed_parts(&r.get::<_, String>(17)?).join("; ")),
        ])?;
    }
    Ok(())
}

const AUDIT_HEADER: &[&str] = &[
    "STT",
    "Thời điểm",
    "Người thao tác",
    "Thao tác",
    "Đối tượng",
    "Mã đối tượng",
    "Chi tiết",
    "Mã băm",
];

fn audit(ledger: &Ledger, w: &mut dyn RowSink) -> Result<()> {
    let mut stmt = ledger
        .conn()
        .prepare("SELECT seq, at, actor, action, entity, entity_id, detail, hash FROM audit_log ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let at: String = r.get(1)?;
        w.row(&[
            Cell::Int(r.get(0)?),
            time_cell(at),
            Cell::Owned(r.get(2)?),
            Cell::Owned(r.get(3)?),
            Cell::Owned(r.get(4)?),
            Cell::Owned(r.get::<_, Option<String>>(5)?.unwrap_or_default()),
            Cell::Owned(r.get(6)?),
            Cell::Owned(r.get(7)?),
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Role;

    /// A demo ward of `people`, listed, posted, approved under "01/QĐ" and paid: (dir, ledger, list, paid).
    fn paid_ward(people: usize) -> (tempfile::TempDir, Ledger, String, i64) {
        const PW: &str = "mat-khau-1";
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
        let spec = crate::demo::DemoSpec {
            people,
            wards: 2,
            seed: 3,
        };
        let can_bo = l
            .init_office(&crate::demo::demo_office(&spec), "can-bo", PW)
            .unwrap();
        crate::demo::generate(&mut l, &spec, &can_bo).unwrap();
        l.add_operator("pho", Role::Approver, PW, &can_bo).unwrap();
        l.add_operator("ke-toan", Role::Accountant, PW, &can_bo)
            .unwrap();
        let pho = l.sign_in("pho", PW).unwrap();
        let ke_toan = l.sign_in("ke-toan", PW).unwrap();
        let list = l.create_list("Đợt 1", &[], &[], &can_bo).unwrap();
        let today = crate::dates::today_vn();
        l.post_list(&list.id, today, &can_bo).unwrap();
        l.approve_list(&list.id, "01/QĐ", today, &pho).unwrap();
        let paid = l.pay(&list.id, None, today, "cash", &ke_toan).unwrap();
        (dir, l, list.id, paid.count)
    }

    #[test]
    fn the_sheets_carry_the_decision_every_line_the_total_and_the_total_in_words() {
        let (_dir, l, list, paid) = paid_ward(40);
        let sheet = payout_sheet_html(&l, &list).unwrap();
        let total = l.list(&list).unwrap().total;
        assert!(sheet.contains("Quyết định số 01/QĐ"));
        assert!(sheet.contains("UBND PHƯỜNG GIANG BIÊN"));
        let signed = sheet.matches("<tr class=\"sign\">").count() as i64;
        assert_eq!(signed, paid, "a signature line per payout");
        assert!(sheet.contains(&total.format_vi()));
        assert!(sheet.contains(&format!("Bằng chữ: {}", total.in_words_vi())));
        let posting = posting_list_html(&l, &list).unwrap();
        assert!(posting.contains("NIÊM YẾT CÔNG KHAI"));
        assert!(
            !posting.contains("Ký nhận"),
            "no signature column on the board"
        );
        let first_id = l.list_items(&list).unwrap()[0].id_number.clone().unwrap();
        assert!(
            sheet.contains(&first_id),
            "the sheet signed at the counter shows the whole number"
        );
        assert!(
            !posting.contains(&first_id),
            "the public board shows only its last digits"
        );
        assert!(posting.contains(&format!("********{}", &first_id[8..])));
    }

    #[test]
    fn a_lists_payouts_come_in_posting_order() {
        let (_dir, l, list, paid) = paid_ward(60);
        let mut out = Vec::new();
        payouts(&l, Some(&list), b',', &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let stt: Vec<i64> = text
            .lines()
            .skip(1)
            .map(|line| line.split(',').next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(
            stt,
            (1..=paid).collect::<Vec<_>>(),
            "STT 1, 2, 3 … as on the sheet"
        );
    }

    #[test]
    fn payouts_read_in_two_halves_are_the_same_file_as_read_in_one() {
        let (_dir, l, _list, paid) = paid_ward(300);
        let mut one = Vec::new();
        let mut two = Vec::new();
        let a = payouts_split(&l, None, b',', &mut one, i64::MAX).unwrap();
        let b = payouts_split(&l, None, b',', &mut two, 1).unwrap();
        assert_eq!((a as i64, b as i64), (paid, paid));
        assert_eq!(
            String::from_utf8(one).unwrap(),
            String::from_utf8(two).unwrap()
        );
    }
}
