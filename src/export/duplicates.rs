//! The duplicate check's outputs for Excel: every candidate pair side by side with its reasons and what is
//! at stake, and the recovery list (danh sách thu hồi).

use super::excel_csv::{Cell, ExcelCsv, RowSink};
use super::xlsx::XlsxSheet;
use crate::dedup::{Conflict, DuplicateReport, Record};
use crate::error::Result;
use crate::ledger::RecoveryItem;
use std::io::Write;

const PAIR_HEADER: &[&str] = &[
    "STT",
    "Mức",
    "Điểm",
    "Chi trả trùng",
    "Số tiền có thể phải thu hồi",
    "A: Nguồn",
    "A: Dòng / mã người",
    "A: Họ và tên",
    "A: Ngày sinh",
    "A: Số giấy tờ",
    "A: Phường",
    "A: Đã hưởng",
    "B: Nguồn",
    "B: Dòng / mã người",
    "B: Họ và tên",
    "B: Ngày sinh",
    "B: Số giấy tờ",
    "B: Phường",
    "B: Đã hưởng",
    "Lý do",
    "Mã lý do",
    "Mã cặp",
];

fn conflict_vi(c: Conflict) -> &'static str {
    match c {
        Conflict::PaidTwice => "Đã chi trả hai lần",
        Conflict::ClaimedTwice => "Đề nghị hai lần",
        Conflict::None => "",
    }
}

fn record_cells(r: &Record) -> [String; 7] {
    [
        r.source.clone(),
        match (r.line, &r.person) {
            (Some(l), _) => l.to_string(),
            (None, Some(p)) => p.clone(),
            _ => String::new(),
        },
        match &r.child_of {
            Some(parent) => format!("{} (con của {parent})", r.name),
            None => r.name.clone(),
        },
        r.dob.clone().unwrap_or_default(),
        r.ids
            .iter()
            .map(|i| i.number.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        r.ward.clone().unwrap_or_default(),
        r.payments
            .iter()
            .map(|p| {
                format!(
                    "{} {} ({})",
                    p.policy,
                    p.amount.format_vi(),
                    p.state.label_vi()
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
    ]
}

/// Every pair of a run, paid-twice first (the report's order). Identity numbers stay text in Excel.
pub fn write_pairs_csv(
    report: &DuplicateReport,
    delimiter: u8,
    out: &mut dyn Write,
) -> Result<usize> {
    let mut w = ExcelCsv::new(out, delimiter, PAIR_HEADER)?;
    pair_rows(report, &mut w)?;
    Ok(w.finish()?)
}

/// The same pairs as a workbook.
pub fn write_pairs_xlsx(report: &DuplicateReport, out: &mut dyn Write) -> Result<usize> {
    let mut sheet = XlsxSheet::new("Cặp trùng", PAIR_HEADER)?;
    pair_rows(report, &mut sheet)?;
    let (bytes, n) = sheet.finish()?;
    out.write_all(&bytes)?;
    Ok(n)
}

fn pair_rows(report: &DuplicateReport, w: &mut dyn RowSink) -> Result<()> {
    for (n, p) in report.pairs.iter().enumerate() {
        let a = record_cells(&report.records[p.a]);
        let b = record_cells(&report.records[p.b]);
        let mut cells = vec![
            Cell::Int(n as i64 + 1),
            Cell::Text(p.class.label_vi()),
            Cell::Owned(format!("{:.3}", p.score)),
            Cell::Text(conflict_vi(p.conflict)),
            Cell::Money(p.at_stake.to_dong().unwrap_or(0)),
        ];
        // The ID numbers (the fifth of a record's cells) stay text.
        for side in [&a, &b] {
            cells.extend(side.iter().enumerate().map(|(i, c)| {
                if i == 4 {
                    Cell::Code(c)
                } else {
                    Cell::Text(c)
                }
            }));
        }
        let reasons = p
            .reasons
            .iter()
            .map(|r| r.text.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        let codes = p
            .reasons
            .iter()
            .map(|r| r.code.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        cells.push(Cell::Owned(reasons));
        cells.push(Cell::Owned(codes));
        cells.push(Cell::Text(&p.key));
        w.row(&cells)?;
    }
    Ok(())
}

const RECOVERY_HEADER: &[&str] = &[
    "STT",
    "Họ và tên",
    "Số giấy tờ",
    "Phường",
    "Chính sách",
    "Số tiền thu hồi (đồng)",
    "Ngày chi",
    "Đợt chi trả",
    "Quyết định",
    "Nguồn",
    "Mã khoản chi",
    "Căn cứ thu hồi",
    "Người quyết định",
    "Ghi chú",
];

/// The recovery list for Excel.
pub fn write_recovery_csv(
    items: &[RecoveryItem],
    delimiter: u8,
    out: &mut dyn Write,
) -> Result<usize> {
    let mut w = ExcelCsv::new(out, delimiter, RECOVERY_HEADER)?;
    recovery_rows(items, &mut w)?;
    Ok(w.finish()?)
}

/// The recovery list as a workbook.
pub fn write_recovery_xlsx(items: &[RecoveryItem], out: &mut dyn Write) -> Result<usize> {
    let mut sheet = XlsxSheet::new("Thu hồi", RECOVERY_HEADER)?;
    recovery_rows(items, &mut sheet)?;
    let (bytes, n) = sheet.finish()?;
    out.write_all(&bytes)?;
    Ok(n)
}

fn recovery_rows(items: &[RecoveryItem], w: &mut dyn RowSink) -> Result<()> {
    for (n, it) in items.iter().enumerate() {
        let l = &it.line;
        w.row(&[
            Cell::Int(n as i64 + 1),
            Cell::Text(&l.person_name),
            Cell::Code(&l.id_numbers),
            Cell::Text(l.ward.as_deref().unwrap_or("")),
            Cell::Text(&l.policy),
            Cell::Money(l.amount.to_dong().unwrap_or(0)),
            Cell::Date(l.paid_on),
            Cell::Text(l.list_name.as_deref().unwrap_or("")),
            Cell::Text(l.decision_no.as_deref().unwrap_or("")),
            Cell::Text(&l.source),
            Cell::Text(l.payout_id.as_deref().unwrap_or("")),
            Cell::Text(&l.basis),
            Cell::Text(&it.decided_by),
            Cell::Text(&it.note),
        ])?;
    }
    Ok(())
}
