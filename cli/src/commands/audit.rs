//! `relief audit`: the auditor's duplicate check, review decisions and the recovery list.

use crate::render::out;
use crate::Outcome;
use clap::Subcommand;
use relief_ledger::dedup::{self, Conflict, DuplicateReport, MatchClass};
use relief_ledger::fields::InputField;
use relief_ledger::{Ledger, LedgerError};
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum AuditCmd {
    /// Find people who may have been paid twice: the ledger (--db) together with other wards' ledger files
    /// (opened read-only) and ward lists (CSV as the import reads them). Exit 1 when a pair paid twice is
    /// found.
    Duplicates {
        /// Other wards' ledgers (.sqlite) or ward list files (.csv), compared with the ledger and each other.
        sources: Vec<PathBuf>,
        /// Write every pair as a CSV for Excel.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Separate the CSV's cells with `;`.
        #[arg(long)]
        semicolon: bool,
        /// Pairs shown on screen (all are in --out and --json).
        #[arg(long, default_value_t = 20)]
        show: usize,
    },
    /// Record the decision on a pair (auditor or admin): --same puts the later payout(s) on the recovery
    /// list; --distinct hides the pair until either record changes. Give the same sources as the run.
    Decide {
        /// The pair's key (the "key" of `audit duplicates --json`, or a unique start of it).
        #[arg(long)]
        pair: String,
        #[arg(
            long,
            conflicts_with = "distinct",
            required_unless_present = "distinct"
        )]
        same: bool,
        #[arg(long)]
        distinct: bool,
        /// What the decision rests on (at least 5 characters).
        #[arg(long)]
        note: String,
        sources: Vec<PathBuf>,
    },
    /// The recovery list: on screen, as CSV (--out), or printable HTML (--html).
    Recovery {
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        html: Option<PathBuf>,
        #[arg(long)]
        semicolon: bool,
    },
}

fn sources_of(paths: &[PathBuf]) -> Vec<String> {
    paths.iter().map(|p| p.display().to_string()).collect()
}

fn run_check(
    ledger: &Ledger,
    db: &Path,
    sources: &[PathBuf],
) -> Result<DuplicateReport, LedgerError> {
    dedup::find_duplicates(
        ledger,
        &db.display().to_string(),
        &sources_of(sources),
        &mut |_| true,
    )
}

pub fn run(
    ledger: &mut Ledger,
    db: &Path,
    cmd: AuditCmd,
    json: bool,
    actor: &relief_ledger::ledger::Actor,
) -> Result<Outcome, LedgerError> {
    match cmd {
        AuditCmd::Duplicates {
            sources,
            out: csv,
            semicolon,
            show,
        } => {
            let report = run_check(ledger, db, &sources)?;
            ledger.record_duplicate_check(&report.audit_detail(), actor)?;
            if let Some(path) = &csv {
                relief_ledger::export::write_atomically(path, &mut |w| {
                    relief_ledger::export::write_pairs_csv(
                        &report,
                        if semicolon { b';' } else { b',' },
                        w,
                    )
                })?;
            }
            out(json, &report, || describe(&report, show, csv.as_deref()));
            if report.paid_twice() > 0 {
                return Ok(Outcome::Refused);
            }
        }
        AuditCmd::Decide {
            pair,
            same,
            distinct: _,
            note,
            sources,
        } => {
            let report = run_check(ledger, db, &sources)?;
            let wanted = pair.trim();
            let found: Vec<_> = report
                .pairs
                .iter()
                .filter(|p| wanted.len() >= 6 && p.key.starts_with(wanted))
                .collect();
            let p = match found.as_slice() {
                [one] => *one,
                [] => {
                    return Err(LedgerError::NotFound {
                        what: "cặp trùng (chạy lại với đúng các nguồn của lần kiểm tra; cặp đã quyết định thì không hiện nữa)".into(),
                        id: wanted.into(),
                    })
                }
                _ => {
                    return Err(LedgerError::InvalidInput {
                        field: InputField::Pair,
                        message: format!("'{wanted}' khớp nhiều cặp; nhập dài hơn"),
                    })
                }
            };
            let outcome = dedup::review(ledger, &report, p, same, &note, actor)?;
            out(json, &outcome, || {
                if outcome.same_person {
                    format!(
                        "Đã ghi: cùng một người. Thêm {} khoản vào danh sách thu hồi, tổng {}.",
                        outcome.recovery_lines,
                        outcome.recovery_amount.format_vi()
                    )
                } else {
                    "Đã ghi: không phải cùng một người. Cặp này không hiện lại trừ khi một trong hai hồ sơ thay đổi.".into()
                }
            });
        }
        AuditCmd::Recovery {
            out: csv,
            html,
            semicolon,
        } => {
            let items = ledger.recovery_list()?;
            if let Some(path) = &csv {
                relief_ledger::export::write_atomically(path, &mut |w| {
                    relief_ledger::export::write_recovery_csv(
                        &items,
                        if semicolon { b';' } else { b',' },
                        w,
                    )
                })?;
            }
            if let Some(path) = &html {
                let page = relief_ledger::export::recovery_sheet_html(ledger)?;
                relief_ledger::export::write_atomically(path, &mut |w| {
                    w.write_all(page.as_bytes())?;
                    Ok(items.len())
                })?;
            }
            out(json, &items, || {
                let total = items
                    .iter()
                    .fold(relief_ledger::Money::ZERO, |s, i| s + i.line.amount);
                let mut t = format!(
                    "Danh sách thu hồi: {} khoản, tổng {}",
                    items.len(),
                    total.format_vi()
                );
                for (n, i) in items.iter().enumerate() {
                    t += &format!(
                        "\n{:>4}. {} ({}) {} {} — {}",
                        n + 1,
                        i.line.person_name,
                        i.line.id_numbers,
                        i.line.policy,
                        i.line.amount.format_vi(),
                        i.line.basis
                    );
                }
                t
            });
        }
    }
    Ok(Outcome::Done)
}

/// The run in words: what was read, the counts, the pairs paid twice first.
fn describe(r: &DuplicateReport, show: usize, csv: Option<&Path>) -> String {
    let mut t = String::new();
    for s in &r.sources {
        t += &format!(
            "Nguồn {}: {} người, {} trẻ em được kê trong hồ sơ",
            s.source, s.people, s.children
        );
        if let Some(e) = s.encoding {
            t += &format!(" (mã hóa {e})");
        }
        if !s.nothing_to_compare.is_empty() {
            let lines: Vec<String> = s
                .nothing_to_compare
                .iter()
                .take(20)
                .map(u64::to_string)
                .collect();
            t += &format!(
                "; {} dòng không có họ tên lẫn số giấy tờ nên không so được (dòng {}{})",
                s.nothing_to_compare.len(),
                lines.join(", "),
                if s.nothing_to_compare.len() > 20 {
                    ", …"
                } else {
                    ""
                }
            );
        }
        t += "\n";
    }
    t += &format!(
        "So {} bản ghi, {} cặp ứng viên: {} chắc chắn trùng, {} nhiều khả năng, {} có thể trùng. Đã chi trả trùng: {} cặp, {} có thể phải thu hồi.",
        r.records_total,
        r.comparisons,
        r.count(MatchClass::Certain),
        r.count(MatchClass::Likely),
        r.count(MatchClass::Possible),
        r.paid_twice(),
        r.at_stake_total().format_vi()
    );
    if r.reviewed_hidden > 0 {
        t += &format!(
            " {} cặp đã có quyết định nên không hiện.",
            r.reviewed_hidden
        );
    }
    for o in &r.oversized {
        t += &format!(
            "\nLưu ý: {} nhóm ({} bản ghi) dùng chung một khóa '{}' quá nhiều nên không so theo khóa này (số giấy tờ giả như 000000000?).",
            o.blocks, o.records, o.rule
        );
    }
    for (n, p) in r.pairs.iter().take(show).enumerate() {
        let (a, b) = (&r.records[p.a], &r.records[p.b]);
        t += &format!(
            "\n\n{}. [{}] {:.2}{}  cặp {}\n   A: {} {} {} — {}\n   B: {} {} {} — {}",
            n + 1,
            p.class.label_vi(),
            p.score,
            match p.conflict {
                Conflict::PaidTwice => format!(" — ĐÃ CHI TRẢ HAI LẦN, {}", p.at_stake.format_vi()),
                Conflict::ClaimedTwice => " — đề nghị hưởng hai lần".into(),
                Conflict::None => String::new(),
            },
            &p.key[..p.key.len().min(16)],
            a.name,
            a.dob.as_deref().unwrap_or("?"),
            a.ids
                .iter()
                .map(|i| i.number.as_str())
                .collect::<Vec<_>>()
                .join(","),
            a.place_vi(),
            b.name,
            b.dob.as_deref().unwrap_or("?"),
            b.ids
                .iter()
                .map(|i| i.number.as_str())
                .collect::<Vec<_>>()
                .join(","),
            b.place_vi(),
        );
        for reason in &p.reasons {
            t += &format!("\n   · {}", reason.text);
        }
    }
    if r.pairs.len() > show {
        t += &format!("\n\n… và {} cặp nữa", r.pairs.len() - show);
        if csv.is_none() {
            t += " (--out FILE.csv để xem hết)";
        }
    }
    if let Some(p) = csv {
        t += &format!("\nĐã ghi {} cặp vào {}", r.pairs.len(), p.display());
    }
    t
}
