//! Lists (đợt): create, post, show.

use super::Ctx;
use crate::args::*;
use crate::render::out;
use crate::session::today;
use crate::Outcome;
use relief_ledger::ledger::{state_label_vi, Actor};
use relief_ledger::{Ledger, LedgerError};

/// The `list` subcommands.
pub fn run(c: &mut Ctx, cmd: ListCmd) -> Result<Outcome, LedgerError> {
    list_cmd(c.json, c.ledger, cmd, c.actor)?;
    Ok(Outcome::Done)
}

fn list_cmd(
    json: bool,
    ledger: &mut Ledger,
    cmd: ListCmd,
    actor: &Actor,
) -> Result<(), LedgerError> {
    match cmd {
        ListCmd::Create {
            name,
            policy,
            claim,
        } => {
            let l = ledger.create_list(&name, &policy, &claim, actor)?;
            out(json, &l, || {
                format!(
                    "Đã lập danh sách {} ({}): {} hồ sơ, {}",
                    l.name, l.id, l.claims, l.total
                )
            });
        }
        ListCmd::Post { id, date } => {
            ledger.post_list(&id, opt_date(&date)?.unwrap_or_else(today), actor)?;
            out(
                json,
                &serde_json::json!({ "id": id, "posted": true }),
                || format!("Đã ghi nhận niêm yết danh sách {id}"),
            );
        }
        ListCmd::Show { id } => {
            let l = ledger.list(&id)?;
            let items = ledger.list_items(&id)?;
            out(
                json,
                &serde_json::json!({ "list": l, "items": items }),
                || {
                    let mut s =
                        format!("{} ({}) – {} hồ sơ, {}\n", l.name, l.id, l.claims, l.total);
                    for (i, it) in items.iter().enumerate() {
                        s += &format!(
                            "{:>4}. {:<28} {:<13} {:>12} {}\n",
                            i + 1,
                            it.name,
                            it.id_number.clone().unwrap_or_default(),
                            it.amount.format_vi(),
                            state_label_vi(&it.status)
                        );
                    }
                    s + &format!(
                        "Tổng cộng: {} – Bằng chữ: {}",
                        l.total,
                        l.total.in_words_vi()
                    )
                },
            );
        }
        ListCmd::All => {
            let lists = ledger.lists()?;
            out(json, &lists, || {
                lists
                    .iter()
                    .map(|l| {
                        format!(
                            "{}  {}  {} hồ sơ  {}  {}",
                            l.id,
                            l.name,
                            l.claims,
                            l.total,
                            l.decision_no.clone().unwrap_or_else(|| "chưa duyệt".into())
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
