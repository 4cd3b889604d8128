//! Approving lists, paying, reversing and overriding amounts.

use super::Ctx;
use crate::args::*;
use crate::render::out;
use crate::session::today;
use crate::Outcome;
use relief_ledger::dates::{format_vi, parse_date};
use relief_ledger::{LedgerError, Money};

/// Approves a posted list under a numbered decision.
pub fn approve(
    c: &mut Ctx,
    list: String,
    decision: String,
    date: String,
) -> Result<Outcome, LedgerError> {
    let json = c.json;
    let ledger = &mut *c.ledger;
    let actor = c.actor;
    let l = ledger.approve_list(&list, &decision, parse_date(&date)?, actor)?;
    out(json, &l, || {
        format!(
            "Đã phê duyệt danh sách {} theo QĐ {}: {} hồ sơ, {}",
            l.name, decision, l.claims, l.total
        )
    });
    Ok(Outcome::Done)
}

/// Pays the approved claims of a list, or one of them.
pub fn pay(
    c: &mut Ctx,
    list: String,
    claim: Option<String>,
    date: Option<String>,
    method: String,
) -> Result<Outcome, LedgerError> {
    let json = c.json;
    let ledger = &mut *c.ledger;
    let actor = c.actor;
    let day = opt_date(&date)?.unwrap_or_else(today);
    let s = ledger.pay(&list, claim.as_deref(), day, &method, actor)?;
    out(json, &s, || {
        format!(
            "Đã chi trả {} hồ sơ, tổng {} (ngày {})",
            s.count,
            s.total,
            format_vi(day)
        )
    });
    Ok(Outcome::Done)
}

/// Reverses a payout with a reason.
pub fn reverse(
    c: &mut Ctx,
    payout: Option<String>,
    claim: Option<String>,
    reason: String,
    date: Option<String>,
) -> Result<Outcome, LedgerError> {
    let json = c.json;
    let ledger = &mut *c.ledger;
    let actor = c.actor;
    let payout = match (payout, claim) {
        (Some(p), _) => p,
        (None, Some(c)) => ledger
            .live_payout_of(&c)?
            .ok_or_else(|| LedgerError::NotFound {
                what: "khoản chi còn hiệu lực của hồ sơ".into(),
                id: c.clone(),
            })?,
        (None, None) => unreachable!("clap requires one"),
    };
    let day = opt_date(&date)?.unwrap_or_else(today);
    let id = ledger.reverse(&payout, &reason, day, actor)?;
    out(
        json,
        &serde_json::json!({ "reversal": id, "payout": payout }),
        || format!("Đã đảo khoản chi {payout} (bút toán {id})"),
    );
    Ok(Outcome::Done)
}

/// Sets a claim's amount by hand, with a reason.
pub fn override_amount(
    c: &mut Ctx,
    claim: String,
    amount: i64,
    reason: String,
) -> Result<Outcome, LedgerError> {
    let json = c.json;
    let ledger = &mut *c.ledger;
    let actor = c.actor;
    ledger.override_amount(&claim, Money::from_dong(amount), &reason, actor)?;
    out(
        json,
        &serde_json::json!({ "claim": claim, "amount": amount }),
        || {
            format!(
                "Đã điều chỉnh số tiền hồ sơ {claim}: {}",
                Money::from_dong(amount)
            )
        },
    );
    Ok(Outcome::Done)
}
