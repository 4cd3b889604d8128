//! Reports out: the ward summary, exports and printable sheets, verify, the rule pack.

use super::Ctx;
use crate::args::*;
use crate::render::out;
use crate::Outcome;
use relief_ledger::fields::InputField;
use relief_ledger::ledger::state_label_vi;
use relief_ledger::rules::RulePack;
use relief_ledger::{Ledger, LedgerError};
use std::path::{Path, PathBuf};

/// The ward report: claims by policy and state, payouts by instrument.
pub fn summary(c: &mut Ctx) -> Result<Outcome, LedgerError> {
    let json = c.json;
    let ledger = &mut *c.ledger;
    let s = ledger.report_summary()?;
    out(json, &s, || {
        let mut t = format!(
            "{:<32} {:<14} {:>8} {:>16}\n",
            "Chính sách", "Trạng thái", "Số hồ sơ", "Số tiền (đ)"
        );
        for r in &s.rows {
            t += &format!(
                "{:<32} {:<14} {:>8} {:>16}\n",
                r.policy,
                state_label_vi(&r.status),
                r.count,
                r.total.format_vi()
            );
        }
        t += "\nĐã chi trả theo văn bản:\n";
        if s.by_instrument.is_empty() {
            t += "  (chưa có khoản chi nào)\n";
        }
        for i in &s.by_instrument {
            t += &format!(
                "  {}: {} hồ sơ, {}\n",
                i.instrument, i.paid_count, i.paid_total
            );
        }
        t + &format!(
            "Bút toán đảo: {} ({})\nMốc nhật ký sổ: {}",
            s.reversals, s.reversed_total, s.head
        )
    });
    Ok(Outcome::Done)
}

/// Writes a report or a printable sheet.
pub fn export(
    c: &mut Ctx,
    kind: String,
    list: Option<String>,
    out_path: Option<PathBuf>,
    semicolon: bool,
    format: Option<String>,
) -> Result<Outcome, LedgerError> {
    use relief_ledger::export::ExportFormat;
    let json = c.json;
    let ledger = &mut *c.ledger;
    let format = match (format, &out_path) {
        (Some(f), _) => ExportFormat::parse(&f, semicolon)?,
        (None, Some(p)) => ExportFormat::for_path(p, semicolon),
        (None, None) => ExportFormat::Csv {
            delimiter: if semicolon { b';' } else { b',' },
        },
    };
    let written = export_cmd(ledger, &kind, list, out_path.as_deref(), format)?;
    if let Some(summary) = written {
        out(json, &summary, || {
            format!(
                "Đã ghi {} dòng vào {}",
                summary.rows,
                summary.file.as_deref().unwrap_or("-")
            )
        });
    }
    Ok(Outcome::Done)
}

/// Checks a ledger file read-only: never created, migrated or written, and no sign-in (an auditor checks any office's file).
pub fn verify(json: bool, path: &Path, head: Option<&str>) -> Result<Outcome, LedgerError> {
    let head = head.map(str::parse).transpose()?;
    let v = relief_ledger::ledger::verify_file(path, head.as_ref())?;
    out(json, &v, || {
        let mut t = format!(
            "Sổ {}: nhật ký {} dòng, mốc {}. Khoản chi: {}.",
            path.display(),
            v.audit_rows,
            v.head,
            v.payouts
        );
        if v.problems.is_empty() {
            t += " Không phát hiện sai lệch.";
        }
        for p in &v.problems {
            t += &format!("\n  ✗ {p}");
        }
        t
    });
    Ok(if v.problems.is_empty() {
        Outcome::Done
    } else {
        Outcome::Refused
    })
}

/// Writes an export to `path` (reporting it) or to standard output (reporting nothing, so it pipes).
pub fn export_cmd(
    ledger: &Ledger,
    kind: &str,
    list: Option<String>,
    path: Option<&std::path::Path>,
    format: relief_ledger::export::ExportFormat,
) -> Result<Option<relief_ledger::export::ExportSummary>, LedgerError> {
    use relief_ledger::export;
    use std::io::Write;
    let html = match kind {
        "payout-sheet" | "posting-list" => {
            let list = list.as_deref().ok_or_else(|| LedgerError::InvalidInput {
                field: InputField::List,
                message: "cần mã danh sách".into(),
            })?;
            Some(if kind == "payout-sheet" {
                export::payout_sheet_html(ledger, list)?
            } else {
                export::posting_list_html(ledger, list)?
            })
        }
        _ => None,
    };
    match (html, path) {
        (Some(html), Some(p)) => {
            relief_ledger::files::write_bytes(p, html.as_bytes())?;
            println!(
                "Đã ghi bảng in vào {} (mở bằng trình duyệt để in hoặc lưu PDF)",
                p.display()
            );
            Ok(None)
        }
        (Some(html), None) => {
            let _ = std::io::stdout().write_all(html.as_bytes());
            Ok(None)
        }
        (None, Some(p)) => Ok(Some(export::export_file(
            ledger,
            &export::ExportKind::parse(kind, list)?,
            format,
            p,
        )?)),
        (None, None) => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            let kind = export::ExportKind::parse(kind, list)?;
            match format {
                export::ExportFormat::Csv { delimiter } => {
                    export::export_csv(ledger, &kind, delimiter, lock)?;
                }
                export::ExportFormat::Xlsx => {
                    export::export_xlsx(ledger, &kind, &mut lock)?;
                    lock.flush()?;
                }
            }
            Ok(None)
        }
    }
}

/// The `rules` subcommands: the policies of the pack, one policy in words.
pub fn rules(json: bool, pack: &RulePack, cmd: &RulesCmd) -> Result<Outcome, LedgerError> {
    rules_cmd(json, pack, cmd)?;
    Ok(Outcome::Done)
}

fn rules_cmd(json: bool, pack: &RulePack, cmd: &RulesCmd) -> Result<(), LedgerError> {
    match cmd {
        RulesCmd::List => out(json, &pack.policies, || {
            let mut s = format!(
                "Bộ quy tắc {} phiên bản {}\n",
                pack.pack.id, pack.pack.version
            );
            for p in &pack.policies {
                s += &format!(
                    "{:<32} {:<10} [{}] {}\n",
                    p.code,
                    p.unit.as_str(),
                    p.confidence.label_vi(),
                    p.title
                );
            }
            s.trim_end().to_string()
        }),
        RulesCmd::Show { code } => {
            let p = pack.policy(code)?;
            out(json, p, || p.describe_vi())
        }
    }
    Ok(())
}
