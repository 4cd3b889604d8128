//! Files in and out of the ledger: import, backup, restore, the demo district.

use super::Ctx;
use crate::render::out;
use crate::Outcome;
use relief_ledger::ledger::Actor;
use relief_ledger::{Ledger, LedgerError, Money};
use std::path::{Path, PathBuf};

/// Writes a generated district as a ward file to import, with planted duplicates and their true pairs when asked.
#[allow(clippy::too_many_arguments)]
pub fn demo_ward_file(
    json: bool,
    path: &Path,
    people: usize,
    wards: usize,
    seed: u64,
    duplicates: f64,
    truth: Option<&Path>,
    style: Option<&str>,
) -> Result<Outcome, LedgerError> {
    relief_ledger::files::refuse_ledger_destination(path)?;
    if let Some(style) = style {
        let style = relief_ledger::demo::WardFileStyle::parse(style).ok_or_else(|| {
            LedgerError::InvalidInput {
                field: relief_ledger::fields::InputField::Source,
                message: format!(
                    "'{style}': chọn official-form, unicode-text, windows-1258, no-tone-marks hoặc template"
                ),
            }
        })?;
        let spec = relief_ledger::demo::DemoSpec {
            people,
            wards,
            seed,
        };
        let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
        let rows = relief_ledger::demo::write_ward_file_styled(&spec, style, &mut file)?;
        std::io::Write::flush(&mut file)?;
        out(
            json,
            &serde_json::json!({ "rows": rows, "file": path, "style": style.key() }),
            || {
                format!(
                    "Đã ghi {rows} dòng vào {} ({})",
                    path.display(),
                    style.key()
                )
            },
        );
        return Ok(Outcome::Done);
    }
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let spec = relief_ledger::demo::DemoSpec {
        people,
        wards,
        seed,
    };
    let mut truth_file = match truth {
        Some(t) => {
            relief_ledger::files::refuse_ledger_destination(t)?;
            Some(std::io::BufWriter::new(std::fs::File::create(t)?))
        }
        None => None,
    };
    let (rows, planted) = relief_ledger::demo::write_ward_file_planted(
        &spec,
        duplicates,
        file,
        truth_file.as_mut().map(|t| t as &mut dyn std::io::Write),
    )?;
    if let Some(mut t) = truth_file {
        std::io::Write::flush(&mut t)?;
    }
    out(
        json,
        &serde_json::json!({ "rows": rows, "file": path, "duplicates_planted": planted }),
        || {
            let mut t = format!("Đã ghi {rows} dòng vào {}", path.display());
            if planted > 0 {
                t += &format!(", trong đó {planted} bản ghi trùng được cài sẵn");
            }
            t
        },
    );
    Ok(Outcome::Done)
}

/// A verified backup into a folder.
pub fn backup(c: &mut Ctx, to: PathBuf) -> Result<Outcome, LedgerError> {
    let json = c.json;
    let ledger = &mut *c.ledger;
    let actor = c.actor;
    let done = ledger.backup_to(&to, actor)?;
    out(json, &done, || {
        format!(
                "Đã sao lưu vào {} ({} hồ sơ, {} khoản chi); đã kiểm tra bản sao. Mốc nhật ký: {} (ghi ở {})",
                done.file, done.preview.claims, done.preview.payouts, done.preview.head, done.head_file
            )
    });
    Ok(Outcome::Done)
}

/// Shows a backup, and restores it with --yes.
pub fn restore(
    json: bool,
    ledger: Ledger,
    actor: &Actor,
    file: PathBuf,
    yes: bool,
) -> Result<Outcome, LedgerError> {
    let shown = relief_ledger::ledger::backups::preview(&file)?;
    if !yes || !shown.problems.is_empty() {
        out(json, &shown, || {
            let mut t = format!(
                    "Bản sao lưu {}: sổ {} – {} – {}; {} người, {} hồ sơ, {} khoản chi ({} đồng); thay đổi cuối {}; mốc {}",
                    shown.path,
                    shown.office.ward,
                    shown.office.district,
                    shown.office.city,
                    shown.people,
                    shown.claims,
                    shown.payouts,
                    Money::from_dong(shown.payouts_amount).format_vi(),
                    shown.last_change.as_deref().unwrap_or("-"),
                    shown.head
                );
            for p in &shown.problems {
                t += &format!("\n  ✗ {p}");
            }
            if shown.problems.is_empty() {
                t += "\nChạy lại với --yes để khôi phục (sổ hiện tại được giữ một bản bên cạnh).";
            }
            t
        });
        return Ok(if shown.problems.is_empty() {
            Outcome::Done
        } else {
            Outcome::Refused
        });
    }
    let (_ledger, done) = ledger.restore_from(&file, actor)?;
    out(json, &done, || {
        format!(
            "Đã khôi phục từ {}. Sổ trước khi khôi phục được giữ tại {}. Mốc nhật ký: {}",
            done.restored_from, done.previous_kept_at, done.head
        )
    });
    Ok(Outcome::Done)
}

/// The `--map "Header=Field"` choices, each read by the core.
pub fn choices(map: &[String]) -> Result<Vec<relief_ledger::import::ColumnChoice>, LedgerError> {
    map.iter()
        .map(|m| {
            relief_ledger::import::ColumnChoice::parse(m).map_err(|message| {
                LedgerError::InvalidInput {
                    field: relief_ledger::fields::InputField::ColumnMap,
                    message,
                }
            })
        })
        .collect()
}

/// Imports a ward file (all-or-nothing unless --accept-valid); a dry run also lists likely duplicates.
pub fn import(
    c: &mut Ctx,
    file: PathBuf,
    options: relief_ledger::import::ImportOptions,
) -> Result<Outcome, LedgerError> {
    let json = c.json;
    let ledger = &mut *c.ledger;
    let actor = c.actor;
    let path = c.path;
    let (dry_run, accept_valid) = (options.dry_run, options.accept_valid);
    let report = relief_ledger::import::import_file(ledger, &file, &options, actor, &mut |_| true)?;
    // A dry run also names the rows likely already in the ledger as someone else (a CMND for a
    // CCCD, a digit dropped, the name without marks): the import itself only sees exact numbers. (Left out
    // when a sheet is named: the duplicate check reads a workbook at the sheet it picks itself.)
    let likely = if dry_run && options.sheet.is_none() {
        let r = relief_ledger::dedup::find_duplicates(
            ledger,
            &path.display().to_string(),
            &[file.display().to_string()],
            &mut |_| true,
        )?;
        Some(r)
    } else {
        None
    };
    match &likely {
        Some(r) if json => {
            let mut v = serde_json::to_value(&report).expect("serialises");
            v["likely_duplicates"] = serde_json::Value::Array(
                r.likely_file_rows()
                    .into_iter()
                    .map(|m| serde_json::to_value(r.view(m.pair)).expect("serialises"))
                    .collect(),
            );
            out(true, &v, String::new);
        }
        Some(r) => out(false, &report, || {
            let mut t = report.describe_vi();
            let found = r.likely_file_rows();
            if !found.is_empty() {
                t += &format!(
                    "\nCó thể trùng với người khác (trong sổ hoặc trong tệp): {} cặp",
                    found.len()
                );
                for m in found.iter().take(20) {
                    let (p, a, b) = (m.pair, m.row, m.other);
                    t += &format!(
                        "\n  [{}] {} ({}) — {} ({}): {}",
                        p.class.label_vi(),
                        a.name,
                        a.place_vi(),
                        b.name,
                        b.place_vi(),
                        p.reasons
                            .iter()
                            .filter(|x| x.code.weight() > 0.0)
                            .map(|x| x.text.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    );
                }
                if found.len() > 20 {
                    t += "\n  … (relief audit duplicates FILE --out cap.csv để xem hết)";
                }
            }
            t
        }),
        None => out(json, &report, || report.describe_vi()),
    }
    // Rejected rows are a refusal (exit 1) unless the good ones were kept on purpose.
    if report.rows_rejected > 0 && (dry_run || !accept_valid) {
        return Ok(Outcome::Refused);
    }
    Ok(Outcome::Done)
}

/// Fills the ledger with a generated district.
pub fn demo(c: &mut Ctx, people: usize, wards: usize, seed: u64) -> Result<Outcome, LedgerError> {
    let json = c.json;
    let ledger = &mut *c.ledger;
    let actor = c.actor;
    let s = relief_ledger::demo::generate(
        ledger,
        &relief_ledger::demo::DemoSpec {
            people,
            wards,
            seed,
        },
        actor,
    )?;
    out(json, &s, || {
        format!(
            "Đã tạo {} người, {} hồ sơ ở {} phường",
            s.people, s.claims, s.wards
        )
    });
    Ok(Outcome::Done)
}
