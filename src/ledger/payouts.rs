//! Payouts: append-only entries for approved claims; reversals that correct them; hand-set amounts.

use super::office::{require_role, DECIDERS, PAYERS};
use super::{new_id, now, resolve_id, Ledger};
use crate::dates::DatedEvent;
use crate::error::{LedgerError, Result};
use crate::fields::InputField;
use crate::ledger::Actor;
use crate::money::Money;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// How a payout is made: its key and how the office says it.
pub const PAYMENT_METHODS: [(&str, &str); 2] = [("cash", "Tiền mặt"), ("bank", "Chuyển khoản")];

#[derive(Debug, Clone, Serialize)]
pub struct PaySummary {
    pub list_id: String,
    pub count: i64,
    pub total: Money,
    /// The payout made, when a single claim was paid.
    pub payout_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PayoutRecord {
    pub id: String,
    pub claim_id: String,
    pub policy: String,
    pub amount: Money,
    pub paid_on: String,
    pub method: String,
    pub officer: String,
    pub reversed: bool,
    pub reversal_reason: Option<String>,
}

impl Ledger {
    /// Pays every approved, unpaid claim of a list (or just `only_claim`) in one transaction: every payout
    /// lands or none does. The database refuses a second live payout for the same beneficiary and policy,
    /// an amount that differs from the rule's without an override, and a list that was not approved.
    pub fn pay(
        &mut self,
        list: &str,
        only_claim: Option<&str>,
        paid_on: NaiveDate,
        method: &str,
        actor: &Actor,
    ) -> Result<PaySummary> {
        let actor = actor.name();
        if !PAYMENT_METHODS.iter().any(|(key, _)| *key == method) {
            return Err(LedgerError::InvalidInput {
                field: InputField::PaymentMethod,
                message: "dùng cash (tiền mặt) hoặc bank (chuyển khoản)".into(),
            });
        }
        self.write_bulk(|tx, pack| {
            require_role(tx, actor, PAYERS)?;
            let list_id = resolve_id(tx, "claim_list", InputField::List, list)?;
            let approved: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM approval WHERE list_id = ?1)", [&list_id], |r| r.get(0))?;
            if !approved {
                return Err(LedgerError::ListNotApproved);
            }
            // A payment is made after the decision that approved it, and not in the future.
            let decided: String = tx.query_row("SELECT decision_date FROM approval WHERE list_id = ?1", [&list_id], |r| r.get(0))?;
            let after = crate::dates::parse_stored(&decided).map(|d| (DatedEvent::Decision, d));
            crate::dates::check_order(DatedEvent::Payout, paid_on, after)?;
            let only = only_claim.map(|c| resolve_id(tx, "claim", InputField::Claim, c)).transpose()?;
            if let Some(c) = &only {
                let status: Option<String> = tx
                    .query_row("SELECT c.state FROM claim_state c WHERE c.list_id = ?1 AND c.id = ?2", params![list_id, c], |r| r.get(0))
                    .optional()?;
                match status.as_deref() {
                    None => return Err(LedgerError::NotFound { what: "hồ sơ trong danh sách".into(), id: c.clone() }),
                    Some("paid") => {
                        let policy: String = tx.query_row("SELECT policy_code FROM claim WHERE id = ?1", [c], |r| r.get(0))?;
                        return Err(LedgerError::DuplicatePayout { policy: pack.label(&policy) });
                    }
                    _ => {}
                }
            }
            let mut select = tx.prepare_cached(
                "SELECT c.id, c.beneficiary_key, c.policy_code, c.pack_version,
                        coalesce((SELECT amount FROM amount_override o WHERE o.claim_id = c.id ORDER BY seq DESC LIMIT 1), c.rule_amount)
                   FROM list_item li JOIN claim c ON c.id = li.claim_id
                  WHERE li.list_id = ?1 AND c.status <> 'rejected' AND (?2 IS NULL OR c.id = ?2)
                    AND NOT EXISTS (SELECT 1 FROM payout p WHERE p.claim_id = c.id
                                      AND NOT EXISTS (SELECT 1 FROM reversal r WHERE r.payout_id = p.id))
                  -- Claim order (the order claims sit in the file and their indexes), not posting order:
                  -- paying a district in name order made every read and index insert a random one.
                  ORDER BY li.claim_id",
            )?;
            let due: Vec<(String, String, String, String, i64)> = select
                .query_map(params![list_id, only], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
                .collect::<std::result::Result<_, _>>()?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO payout (id, claim_id, list_id, beneficiary_key, policy_code, amount, pack_version, paid_on, method, officer, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            let at = now();
            let day = paid_on.to_string();
            let mut total = Money::ZERO;
            let mut last = None;
            // Every payout of the batch, by id with its claim and amount, goes into the audit row.
            let mut paid = Vec::with_capacity(due.len());
            for (claim_id, key, policy, version, amount) in &due {
                let id = new_id();
                paid.push(serde_json::json!([id, claim_id, amount]));
                insert
                    .execute(params![id, claim_id, list_id, key, policy, amount, version, day, method, actor, at])
                    .map_err(|e| match LedgerError::from_db(e) {
                        LedgerError::DuplicatePayout { .. } => LedgerError::DuplicatePayout { policy: pack.label(policy) },
                        other => other,
                    })?;
                total += Money::from_dong(*amount);
                last = Some(id);
            }
            let count = due.len() as i64;
            crate::audit::append(
                tx,
                actor,
                "pay",
                "list",
                Some(&list_id),
                &serde_json::json!({ "count": count, "total": total, "paid_on": day, "method": method, "claim": only, "recorded_at": at, "payouts": paid }),
            )?;
            Ok(PaySummary { list_id, count, total, payout_id: if only.is_some() { last } else { None } })
        })
    }

    /// Reverses a payout with a reason. The payout stays in the ledger; the claim is payable again.
    /// An approver or admin signs a reversal, so one officer alone cannot pay, reverse and pay again.
    pub fn reverse(
        &mut self,
        payout: &str,
        reason: &str,
        reversed_on: NaiveDate,
        actor: &Actor,
    ) -> Result<String> {
        let actor = actor.name();
        self.write(|tx, _| {
            require_role(tx, actor, DECIDERS)?;
            let payout_id = resolve_id(tx, "payout", InputField::Payout, payout)?;
            let (paid_on, payer): (String, String) =
                tx.query_row("SELECT paid_on, officer FROM payout WHERE id = ?1", [&payout_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            // Whoever paid may not reverse it, and so pay again (the schema refuses it too).
            if payer == actor {
                return Err(LedgerError::ReverserIsPayer);
            }
            let after = crate::dates::parse_stored(&paid_on).map(|d| (DatedEvent::Payout, d));
            crate::dates::check_order(DatedEvent::Reversal, reversed_on, after)?;
            if reason.trim().chars().count() < 5 {
                return Err(LedgerError::InvalidInput { field: InputField::Reason, message: "cần ghi rõ lý do thu hồi (đảo) khoản chi".into() });
            }
            let id = new_id();
            tx.execute(
                "INSERT INTO reversal (id, payout_id, reason, officer, reversed_on, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, payout_id, reason.trim(), actor, reversed_on.to_string(), now()],
            )
            .map_err(LedgerError::from_db)?;
            crate::audit::append(tx, actor, "reverse", "payout", Some(&payout_id), &serde_json::json!({ "reversal": id, "reason": reason.trim(), "reversed_on": reversed_on }))?;
            Ok(id)
        })
    }

    /// Sets a claim's amount by hand. Needs an approver's or admin's role and a reason; lands in the audit log.
    pub fn override_amount(
        &mut self,
        claim: &str,
        amount: Money,
        reason: &str,
        actor: &Actor,
    ) -> Result<()> {
        let actor = actor.name();
        self.write(|tx, _| {
            let claim_id = resolve_id(tx, "claim", InputField::Claim, claim)?;
            let role = require_role(tx, actor, DECIDERS)?;
            if reason.trim().chars().count() < 5 {
                return Err(LedgerError::InvalidInput { field: InputField::Reason, message: "cần ghi rõ lý do điều chỉnh số tiền".into() });
            }
            let dong = amount.to_dong().filter(|d| *d > 0).ok_or_else(|| LedgerError::InvalidInput {
                field: InputField::Amount,
                message: "phải là số đồng nguyên dương".into(),
            })?;
            let rule: i64 = tx.query_row("SELECT rule_amount FROM claim WHERE id = ?1", [&claim_id], |r| r.get(0))?;
            tx.execute(
                "INSERT INTO amount_override (claim_id, amount, reason, operator, role, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![claim_id, dong, reason.trim(), actor, role.as_str(), now()],
            )?;
            crate::audit::append(
                tx,
                actor,
                "override_amount",
                "claim",
                Some(&claim_id),
                &serde_json::json!({ "rule_amount": rule, "amount": dong, "reason": reason.trim(), "role": role }),
            )
        })
    }

    /// The live (not reversed) payout of a claim, if any.
    pub fn live_payout_of(&self, claim: &str) -> Result<Option<String>> {
        let claim_id = resolve_id(&self.conn, "claim", InputField::Claim, claim)?;
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM payout p WHERE claim_id = ?1 AND NOT EXISTS (SELECT 1 FROM reversal r WHERE r.payout_id = p.id)",
                [&claim_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub(crate) fn payouts_of_person(&self, person_id: &str) -> Result<Vec<PayoutRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.claim_id, p.policy_code, p.amount, p.paid_on, p.method, p.officer, r.reason
               FROM payout p JOIN claim c ON c.id = p.claim_id LEFT JOIN reversal r ON r.payout_id = p.id
              WHERE c.person_id = ?1 ORDER BY p.recorded_at",
        )?;
        let rows = stmt.query_map([person_id], |r| {
            let reason: Option<String> = r.get(7)?;
            Ok(PayoutRecord {
                id: r.get(0)?,
                claim_id: r.get(1)?,
                policy: r.get(2)?,
                amount: Money::from_dong(r.get(3)?),
                paid_on: r.get(4)?,
                method: r.get(5)?,
                officer: r.get(6)?,
                reversed: reason.is_some(),
                reversal_reason: reason,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }
}
