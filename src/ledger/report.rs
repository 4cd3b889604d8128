//! The ward report: count and total per policy and status, and per instrument, as offices report upward.

use super::Ledger;
use crate::error::Result;
use crate::money::Money;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct SummaryRow {
    pub policy: String,
    pub title: String,
    pub instrument: String,
    pub status: String,
    pub count: i64,
    pub total: Money,
}

/// Paid figures per instrument (the lines of a ward report).
#[derive(Debug, Clone, Serialize)]
pub struct InstrumentRow {
    pub instrument: String,
    pub paid_count: i64,
    pub paid_total: Money,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub rows: Vec<SummaryRow>,
    pub by_instrument: Vec<InstrumentRow>,
    pub reversals: i64,
    pub reversed_total: Money,
    /// The audit chain's head when the report was made (kept with the printed report).
    pub head: crate::audit::ChainHead,
}

/// Every state a claim can be in, as stored.
pub const CLAIM_STATES: [&str; 8] = [
    "received",
    "verified",
    "posted",
    "approved",
    "paid",
    "rejected",
    "withdrawn",
    "corrected",
];

/// The Vietnamese name of a claim state, as printed in reports and shown in the app.
pub fn state_label_vi(state: &str) -> &'static str {
    match state {
        "received" => "Đã tiếp nhận",
        "verified" => "Đã thẩm định",
        "posted" => "Đã niêm yết",
        "approved" => "Đã phê duyệt",
        "paid" => "Đã chi trả",
        "rejected" => "Từ chối",
        "withdrawn" => "Đã rút",
        "corrected" => "Đã sửa (thay bằng hồ sơ mới)",
        _ => "Không rõ",
    }
}

impl Ledger {
    /// Count and total of claims per policy and status. A paid claim counts at the amount actually paid.
    pub fn report_summary(&self) -> Result<Summary> {
        let mut stmt = self.conn.prepare(
            "SELECT policy_code, state, count(*), sum(amount) FROM claim_state
              GROUP BY policy_code, state ORDER BY policy_code, state",
        )?;
        let raw: Vec<(String, String, i64, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<std::result::Result<_, _>>()?;
        let mut rows = Vec::new();
        let mut by_instrument: BTreeMap<String, (i64, Money)> = BTreeMap::new();
        for (policy, status, count, total) in raw {
            let (title, instrument) = match self.pack.policy(&policy) {
                Ok(p) => (p.title.clone(), p.instrument.clone()),
                Err(_) => (policy.clone(), "?".into()),
            };
            if status == "paid" {
                let e = by_instrument
                    .entry(instrument.clone())
                    .or_insert((0, Money::ZERO));
                e.0 += count;
                e.1 += Money::from_dong(total);
            }
            rows.push(SummaryRow {
                policy,
                title,
                instrument,
                status,
                count,
                total: Money::from_dong(total),
            });
        }
        let (reversals, reversed_total): (i64, i64) = self.conn.query_row(
            "SELECT count(*), coalesce(sum(p.amount), 0) FROM reversal r JOIN payout p ON p.id = r.payout_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(Summary {
            rows,
            by_instrument: by_instrument
                .into_iter()
                .map(|(instrument, (paid_count, paid_total))| InstrumentRow {
                    instrument,
                    paid_count,
                    paid_total,
                })
                .collect(),
            reversals,
            reversed_total: Money::from_dong(reversed_total),
            head: crate::audit::head(&self.conn)?,
        })
    }
}
