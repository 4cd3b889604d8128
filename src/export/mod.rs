//! Reports out: the accountants' CSV files (payouts of a list, the summary per policy × ward × status, the
//! claims register, the audit log, the import template) and the printable payout sheet and posting list.
//! Every CSV streams row by row from SQLite to the file, so a million rows never sit in memory.

mod excel_csv;
mod sheets;

pub use excel_csv::{neutralise, Cell, ExcelCsv};
pub use sheets::{payout_sheet_html, posting_list_html};

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
                    field: "loại báo cáo".into(),
                    message: format!(
                        "'{other}': chọn payouts, summary, claims, audit hoặc template"
                    ),
                })
            }
        })
    }

    /// A file name for the export, in the office's words.
    pub fn file_name(&self) -> &'static str {
        match self {
            ExportKind::Payouts { .. } => "danh-sach-chi-tra.csv",
            ExportKind::Summary => "tong-hop-theo-chinh-sach.csv",
            ExportKind::Claims => "so-ho-so.csv",
            ExportKind::Audit => "nhat-ky.csv",
            ExportKind::Template => "mau-nhap-danh-sach.csv",
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
    match kind {
        ExportKind::Payouts { list } => payouts(ledger, list.as_deref(), delimiter, out),
        ExportKind::Summary => summary(ledger, delimiter, out),
        ExportKind::Claims => claims(ledger, delimiter, out),
        ExportKind::Audit => audit(ledger, delimiter, out),
        ExportKind::Template => {
            let mut out = out;
            let bytes = crate::import::template_csv(delimiter);
            out.write_all(&bytes)?;
            Ok(1)
        }
    }
}

/// Writes the export to a file, all or nothing: a partial file never takes the real name.
pub fn export_to_file(
    ledger: &Ledger,
    kind: &ExportKind,
    delimiter: u8,
    path: &std::path::Path,
) -> Result<ExportSummary> {
    let partial = path.with_extension("tmp");
    let file = std::fs::File::create(&partial).map_err(|e| LedgerError::FileUnreadable {
        path: partial.display().to_string(),
        reason: e.to_string(),
    })?;
    let mut buf = std::io::BufWriter::with_capacity(1 << 16, file);
    let rows = export_csv(ledger, kind, delimiter, &mut buf).inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })?;
    buf.flush()?;
    buf.get_ref().sync_all()?;
    drop(buf);
    std::fs::rename(&partial, path)?;
    Ok(ExportSummary {
        rows,
        file: Some(path.display().to_string()),
    })
}

fn iso(d: Option<String>) -> Option<NaiveDate> {
    d.and_then(|s| NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok())
}

/// A stored UTC time as Hà Nội reads it: dd/mm/yyyy HH:MM:SS (UTC+7).
fn local_time(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| {
            (t.with_timezone(&chrono::Utc) + chrono::Duration::hours(7))
                .format("%d/%m/%Y %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_string())
}

fn payouts<W: Write>(ledger: &Ledger, list: Option<&str>, delimiter: u8, out: W) -> Result<usize> {
    let list_id = list.map(|l| ledger.list(l).map(|s| s.id)).transpose()?;
    let mut w = ExcelCsv::new(
        out,
        delimiter,
        &[
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
            "Ký nhận",
        ],
    )?;
    let mut stmt = ledger.conn().prepare(
        "SELECT CASE c.unit WHEN 'household' THEN h.name WHEN 'group' THEN g.name ELSE p.full_name END,
                (SELECT number FROM identity_doc d WHERE d.person_id = c.person_id ORDER BY (kind = 'cccd') DESC, kind LIMIT 1),
                p.residential_group, c.ward, py.policy_code, py.amount, py.paid_on, py.method, py.officer,
                l.name, a.decision_no, r.reversed_on, py.id
           FROM payout py
           JOIN claim c ON c.id = py.claim_id
           JOIN claim_list l ON l.id = py.list_id
           LEFT JOIN approval a ON a.list_id = py.list_id
           LEFT JOIN person p ON p.id = c.person_id
           LEFT JOIN household h ON h.id = c.household_id
           LEFT JOIN unit_group g ON g.id = c.group_id
           LEFT JOIN reversal r ON r.payout_id = py.id
          WHERE ?1 IS NULL OR py.list_id = ?1
          ORDER BY py.list_id, (SELECT position FROM list_item li WHERE li.claim_id = py.claim_id), py.recorded_at",
    )?;
    let mut rows = stmt.query([&list_id])?;
    let pack = ledger.pack();
    let mut n = 0i64;
    while let Some(r) = rows.next()? {
        n += 1;
        let policy: String = r.get(4)?;
        let title = pack.policy(&policy).map(|p| p.title.as_str()).unwrap_or("");
        let method: String = r.get(7)?;
        let reversed: Option<String> = r.get(11)?;
        let state = match &reversed {
            Some(on) => format!(
                "Đã đảo ngày {}",
                iso(Some(on.clone()))
                    .map(crate::dates::format_vi)
                    .unwrap_or_default()
            ),
            None => "Đã chi".to_string(),
        };
        w.row(&[
            Cell::Int(n),
            Cell::Owned(r.get::<_, Option<String>>(0)?.unwrap_or_default()),
            Cell::Owned(r.get::<_, Option<String>>(1)?.unwrap_or_default()),
            Cell::Owned(r.get::<_, Option<String>>(2)?.unwrap_or_default()),
            Cell::Owned(r.get::<_, Option<String>>(3)?.unwrap_or_default()),
            Cell::Text(&policy),
            Cell::Text(title),
            Cell::Int(r.get(5)?),
            Cell::Date(iso(r.get(6)?)),
            Cell::Text(if method == "bank" {
                "Chuyển khoản"
            } else {
                "Tiền mặt"
            }),
            Cell::Owned(r.get(8)?),
            Cell::Owned(r.get(9)?),
            Cell::Owned(r.get::<_, Option<String>>(10)?.unwrap_or_default()),
            Cell::Owned(state),
            Cell::Owned(r.get(12)?),
            Cell::Empty,
        ])?;
    }
    Ok(w.finish()?)
}

fn summary<W: Write>(ledger: &Ledger, delimiter: u8, out: W) -> Result<usize> {
    let mut w = ExcelCsv::new(
        out,
        delimiter,
        &[
            "Chính sách",
            "Tên chính sách",
            "Văn bản",
            "Phường",
            "Trạng thái",
            "Số hồ sơ",
            "Tổng tiền",
        ],
    )?;
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
            Cell::Int(r.get(3)?),
            Cell::Int(r.get(4)?),
        ])?;
    }
    Ok(w.finish()?)
}

fn claims<W: Write>(ledger: &Ledger, delimiter: u8, out: W) -> Result<usize> {
    let mut w = ExcelCsv::new(
        out,
        delimiter,
        &[
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
        ],
    )?;
    let mut stmt = ledger.conn().prepare(
        "SELECT c.id, c.policy_code, c.unit, CASE c.unit WHEN 'household' THEN h.name WHEN 'group' THEN g.name ELSE p.full_name END,
                (SELECT number FROM identity_doc d WHERE d.person_id = c.person_id ORDER BY (kind = 'cccd') DESC, kind LIMIT 1),
                p.dob, p.dob_precision, p.residential_group, c.ward, c.rule_amount, c.amount, c.state, c.rejected_reason,
                k.applied_on, c.recorded_by, c.recorded_at, c.pack_version
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
        let dob_text = match (dob, precision.as_str()) {
            (Some(d), "year") => d.get(..4).unwrap_or("").to_string(),
            (d, _) => iso(d).map(crate::dates::format_vi).unwrap_or_default(),
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
            Cell::Owned(r.get::<_, Option<String>>(4)?.unwrap_or_default()),
            Cell::Owned(dob_text),
            Cell::Owned(r.get::<_, Option<String>>(7)?.unwrap_or_default()),
            Cell::Owned(r.get::<_, Option<String>>(8)?.unwrap_or_default()),
            Cell::Int(r.get(9)?),
            Cell::Int(r.get(10)?),
            Cell::Text(state_label_vi(&state)),
            Cell::Owned(r.get::<_, Option<String>>(12)?.unwrap_or_default()),
            Cell::Date(iso(r.get(13)?)),
            Cell::Owned(r.get(14)?),
            Cell::Owned(local_time(&recorded_at)),
            Cell::Owned(r.get(16)?),
        ])?;
    }
    Ok(w.finish()?)
}

fn audit<W: Write>(ledger: &Ledger, delimiter: u8, out: W) -> Result<usize> {
    let mut w = ExcelCsv::new(
        out,
        delimiter,
        &[
            "STT",
            "Thời điểm",
            "Người thao tác",
            "Thao tác",
            "Đối tượng",
            "Mã đối tượng",
            "Chi tiết",
            "Mã băm",
        ],
    )?;
    let mut stmt = ledger
        .conn()
        .prepare("SELECT seq, at, actor, action, entity, entity_id, detail, hash FROM audit_log ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let at: String = r.get(1)?;
        w.row(&[
            Cell::Int(r.get(0)?),
            Cell::Owned(local_time(&at)),
            Cell::Owned(r.get(2)?),
            Cell::Owned(r.get(3)?),
            Cell::Owned(r.get(4)?),
            Cell::Owned(r.get::<_, Option<String>>(5)?.unwrap_or_default()),
            Cell::Owned(r.get(6)?),
            Cell::Owned(r.get(7)?),
        ])?;
    }
    Ok(w.finish()?)
}
