//! `verify`: what an auditor runs on a ledger file that may have been edited behind the application's back.
//! It walks the audit chain and re-checks every invariant from the data itself, so a file whose triggers
//! were dropped and whose rows were rewritten is still found out.

use super::Ledger;
use crate::error::Result;
use crate::rules::{ClaimFacts, RulePack};
use serde::Serialize;
use std::collections::HashMap;

/// What `verify` found. `problems` is empty for a sound ledger; each entry says what and where, in Vietnamese.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub audit_rows: i64,
    pub payouts: i64,
    pub mismatched_payouts: i64,
    pub problems: Vec<String>,
}

/// Each check: the Vietnamese description of a failure, and SQL returning one line per offending row.
const CHECKS: &[(&str, &str)] = &[
    (
        "Khoản chi khác số tiền của hồ sơ",
        "SELECT p.id || ' (hồ sơ ' || p.claim_id || '): ' || p.amount FROM payout p JOIN claim c ON c.id = p.claim_id
          WHERE NOT EXISTS (SELECT 1 FROM reversal r WHERE r.payout_id = p.id)
            AND p.amount <> coalesce((SELECT amount FROM amount_override o WHERE o.claim_id = c.id
                                       ORDER BY seq DESC LIMIT 1), c.rule_amount)",
    ),
    (
        "Hai khoản chi còn hiệu lực cho cùng đối tượng và chính sách",
        "SELECT beneficiary_key || ' ' || policy_code || ': ' || count(*) FROM payout p
          WHERE NOT EXISTS (SELECT 1 FROM reversal r WHERE r.payout_id = p.id)
          GROUP BY beneficiary_key, policy_code HAVING count(*) > 1",
    ),
    (
        "Khoản hỗ trợ một lần được chi hai lần",
        "SELECT po.once_group || ' ' || po.subject_key || ': ' || count(*) FROM payout_once po
          WHERE NOT EXISTS (SELECT 1 FROM reversal r WHERE r.payout_id = po.payout_id)
          GROUP BY po.once_group, po.subject_key HAVING count(*) > 1",
    ),
    (
        "Khoản chi thiếu khoản hỗ trợ một lần của hồ sơ",
        // The exact keys only: `named-id:` keys are for meeting a claim without an ID (migration 0002).
        "SELECT p.id FROM payout p JOIN claim_once co ON co.claim_id = p.claim_id
          WHERE co.subject_key NOT GLOB 'named-id:*'
            AND NOT EXISTS (SELECT 1 FROM payout_once po WHERE po.payout_id = p.id
                              AND po.once_group = co.once_group AND po.subject_key = co.subject_key)",
    ),
    (
        "Khoản chi cho hồ sơ chưa được phê duyệt",
        "SELECT p.id FROM payout p WHERE NOT EXISTS (SELECT 1 FROM list_item li JOIN approval a ON a.list_id = li.list_id
                                                      WHERE li.claim_id = p.claim_id AND li.list_id = p.list_id)",
    ),
    (
        "Số tiền của hồ sơ khác tổng các dòng diễn giải",
        "SELECT c.id || ': ' || c.rule_amount || ' ≠ ' || coalesce((SELECT sum(json_extract(l.value, '$.amount')) FROM json_each(c.breakdown) l), 0)
           FROM claim c
          WHERE c.rule_amount <> coalesce((SELECT sum(json_extract(l.value, '$.amount')) FROM json_each(c.breakdown) l), 0)",
    ),
    (
        "Phê duyệt bởi người không có vai trò phê duyệt hoặc chính người lập",
        "SELECT a.list_id || ' (' || a.approved_by || ')' FROM approval a JOIN claim_list l ON l.id = a.list_id
          WHERE a.approved_by = l.created_by
             OR NOT EXISTS (SELECT 1 FROM operator o WHERE o.name = a.approved_by AND o.role IN ('approver', 'admin'))",
    ),
];

impl Ledger {
    /// Walks the audit chain (a broken chain is an error naming the row), then re-checks the invariants
    /// and that every guard of the schema is still in place.
    pub fn verify(&self) -> Result<VerifyReport> {
        let audit_rows = crate::audit::verify_chain(&self.conn)?;
        let mut problems = Vec::new();
        let mut mismatched = 0;
        for (i, (what, sql)) in CHECKS.iter().enumerate() {
            let mut stmt = self.conn.prepare(sql)?;
            let rows: Vec<String> = stmt
                .query_map([], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?;
            if i == 0 {
                mismatched = rows.len() as i64;
            }
            problems.extend(
                rows.into_iter()
                    .take(20)
                    .map(|row| format!("{what}: {row}")),
            );
        }
        problems.extend(self.repriced_differently()?);
        // Every trigger the migrations create must still exist: a dropped guard is itself a finding.
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?1")?;
        for name in crate::store::expected_triggers() {
            if !stmt.exists([&name])? {
                problems.push(format!(
                    "Thiếu ràng buộc của sổ (trigger {name}): tệp đã bị sửa ngoài phần mềm"
                ));
            }
        }
        let payouts: i64 = self
            .conn
            .query_row("SELECT count(*) FROM payout", [], |r| r.get(0))?;
        Ok(VerifyReport {
            audit_rows,
            payouts,
            mismatched_payouts: mismatched,
            problems,
        })
    }
}

impl Ledger {
    /// Prices every claim again from its stored facts with the very pack version that priced it (kept verbatim
    /// in `rule_pack`), and lists the claims whose amount the rules do not give: the auditor's "every amount
    /// follows the rate rules", including claims written past the core.
    fn repriced_differently(&self) -> Result<Vec<String>> {
        let mut packs: HashMap<(String, String), Option<RulePack>> = HashMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT id, policy_code, facts, pack_id, pack_version, rule_amount FROM claim",
        )?;
        let mut rows = stmt.query([])?;
        let mut problems = Vec::new();
        while let Some(r) = rows.next()? {
            let (id, policy, facts, pack_id, version, amount): (
                String,
                String,
                String,
                String,
                String,
                i64,
            ) = (
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            );
            let key = (pack_id.clone(), version.clone());
            if !packs.contains_key(&key) {
                let body: Option<String> =
                    rusqlite::OptionalExtension::optional(self.conn.query_row(
                        "SELECT body FROM rule_pack WHERE id = ?1 AND version = ?2",
                        [&pack_id, &version],
                        |r| r.get(0),
                    ))?;
                packs.insert(
                    key.clone(),
                    body.and_then(|b| RulePack::parse(&b, &format!("{pack_id} {version}")).ok()),
                );
            }
            let found = match (&packs[&key], serde_json::from_str::<ClaimFacts>(&facts)) {
                (None, _) => Some(format!("bộ quy tắc {pack_id} {version} không có trong sổ")),
                (_, Err(_)) => Some("dữ kiện hồ sơ không đọc được".to_string()),
                (Some(pack), Ok(facts)) => match pack.policy(&policy) {
                    Err(_) => Some(format!("chính sách {policy} không có trong bộ quy tắc")),
                    Ok(p) => {
                        let e = p.entitlement(&facts);
                        let due = e.amount.to_dong().unwrap_or(-1);
                        (!e.eligible || due != amount)
                            .then(|| format!("sổ ghi {amount}, quy tắc cho {due}"))
                    }
                },
            };
            if let Some(why) = found {
                if problems.len() < 20 {
                    problems.push(format!("Số tiền hồ sơ {id} không theo bộ quy tắc: {why}"));
                }
            }
        }
        Ok(problems)
    }
}
