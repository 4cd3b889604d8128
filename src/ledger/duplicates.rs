//! The auditor's review of duplicate pairs: decisions ("not the same person", "the same person"), the
//! recovery list they build, and the record of each duplicate-check run in the audit log.

use super::office::require_role;
use super::{new_id, now, Ledger, Role};
use crate::error::{LedgerError, Result};
use crate::fields::InputField;
use crate::identity::normalize_nfc;
use crate::ledger::Actor;
use crate::money::Money;
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::HashSet;

/// A decision on one pair, as the duplicate check hands it over.
#[derive(Debug, Clone)]
pub struct NewReview {
    pub pair_key: String,
    pub same_person: bool,
    pub note: String,
    /// The two records as the auditor saw them (JSON).
    pub a_record: String,
    pub b_record: String,
    pub score: f64,
    pub class: &'static str,
    /// For "the same person": the later payout(s), to ask back.
    pub recover: Vec<NewRecovery>,
}

/// A payout to ask back.
#[derive(Debug, Clone, Serialize)]
pub struct NewRecovery {
    pub source: String,
    pub payout_id: Option<String>,
    /// The payout is this ledger's own (not another ward's).
    pub own: bool,
    pub claim_id: Option<String>,
    pub person_name: String,
    pub id_numbers: String,
    pub ward: Option<String>,
    pub policy: String,
    pub amount: Money,
    pub paid_on: Option<chrono::NaiveDate>,
    pub list_name: Option<String>,
    pub decision_no: Option<String>,
    /// Why: the pair's reasons and the earlier payout it duplicates, in words.
    pub basis: String,
}

/// A line of the recovery list as stored.
#[derive(Debug, Clone, Serialize)]
pub struct RecoveryItem {
    pub id: String,
    pub review_id: String,
    #[serde(flatten)]
    pub line: NewRecovery,
    pub decided_by: String,
    pub decided_at: String,
    pub note: String,
}

/// What a decision did.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewOutcome {
    pub review_id: String,
    pub same_person: bool,
    pub recovery_lines: usize,
    pub recovery_amount: Money,
}

/// The pair keys already decided in this ledger (what a run leaves out).
pub fn reviewed_pair_keys(conn: &Connection) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare("SELECT pair_key FROM duplicate_review")?;
    let keys = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<std::result::Result<_, _>>()?;
    Ok(keys)
}

impl Ledger {
    /// Records a run of the duplicate check in the audit log (its sources with their SHA-256, the counts).
    pub fn record_duplicate_check(
        &mut self,
        detail: &serde_json::Value,
        actor: &Actor,
    ) -> Result<()> {
        let actor = actor.name();
        self.write(|tx, _| {
            crate::audit::append(tx, actor.trim(), "duplicate_check", "ledger", None, detail)
        })
    }

    /// Records an auditor's decision on a pair; "the same person" adds the later payout(s) to the recovery
    /// list. Only an auditor or admin decides (the schema refuses anyone else too).
    pub fn record_review(&mut self, review: &NewReview, actor: &Actor) -> Result<ReviewOutcome> {
        let actor = actor.name();
        let actor = normalize_nfc(actor);
        let note = normalize_nfc(&review.note);
        if note.chars().count() < 5 {
            return Err(LedgerError::InvalidInput {
                field: InputField::Note,
                message: "ghi rõ căn cứ của quyết định (ít nhất 5 ký tự)".into(),
            });
        }
        self.write(|tx, _| {
            require_role(tx, &actor, &[Role::Auditor, Role::Admin])?;
            let already: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM duplicate_review WHERE pair_key = ?1)",
                [&review.pair_key],
                |r| r.get(0),
            )?;
            if already {
                return Err(LedgerError::InvalidInput {
                    field: InputField::Pair,
                    message: "cặp này đã có quyết định".into(),
                });
            }
            let id = new_id();
            let at = now();
            tx.execute(
                "INSERT INTO duplicate_review (id, pair_key, decision, note, a_record, b_record, score, class,
                                               decided_by, decided_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    id,
                    review.pair_key,
                    if review.same_person { "same" } else { "distinct" },
                    note,
                    review.a_record,
                    review.b_record,
                    review.score.clamp(0.0, 1.0),
                    review.class,
                    actor,
                    at
                ],
            )?;
            let mut amount = Money::ZERO;
            let mut lines = 0;
            if review.same_person {
                for r in &review.recover {
                    let dong = r.amount.to_dong().filter(|&d| d > 0).ok_or_else(|| {
                        LedgerError::InvalidInput {
                            field: InputField::RecoveryAmount,
                            message: "khoản chi không ghi số tiền".into(),
                        }
                    })?;
                    let own = r.own.then_some(r.payout_id.as_deref()).flatten();
                    let taken: bool = tx.query_row(
                        "SELECT EXISTS (SELECT 1 FROM recovery_item
                                         WHERE (source = ?1 AND payout_id = ?2) OR own_payout_id = ?3)",
                        params![r.source, r.payout_id, own],
                        |row| row.get(0),
                    )?;
                    if taken {
                        continue; // already on the recovery list through another pair
                    }
                    tx.execute(
                        "INSERT INTO recovery_item (id, review_id, source, payout_id, claim_id, person_name,
                                                    id_numbers, ward, policy_code, amount, paid_on, list_name,
                                                    decision_no, basis, created_at, own_payout_id)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                        params![
                            new_id(),
                            id,
                            r.source,
                            r.payout_id,
                            r.claim_id,
                            r.person_name,
                            r.id_numbers,
                            r.ward,
                            r.policy,
                            dong,
                            r.paid_on.map(|d| d.to_string()),
                            r.list_name,
                            r.decision_no,
                            r.basis,
                            at,
                            own
                        ],
                    )?;
                    amount += r.amount;
                    lines += 1;
                }
            }
            crate::audit::append(
                tx,
                &actor,
                if review.same_person {
                    "duplicate_same_person"
                } else {
                    "duplicate_not_same_person"
                },
                "duplicate_review",
                Some(&id),
                &serde_json::json!({
                    "pair": review.pair_key,
                    "note": note,
                    "recovery_lines": lines,
                    "recovery_amount": amount,
                }),
            )?;
            Ok(ReviewOutcome {
                review_id: id,
                same_person: review.same_person,
                recovery_lines: lines,
                recovery_amount: amount,
            })
        })
    }

    /// The recovery list, in the order decisions were made.
    pub fn recovery_list(&self) -> Result<Vec<RecoveryItem>> {
        let mut stmt = self.conn().prepare(
            "SELECT i.id, i.review_id, i.source, i.payout_id, i.claim_id, i.person_name, i.id_numbers, i.ward,
                    i.policy_code, i.amount, i.paid_on, i.list_name, i.decision_no, i.basis,
                    r.decided_by, r.decided_at, r.note, i.own_payout_id IS NOT NULL
               FROM recovery_item i JOIN duplicate_review r ON r.id = i.review_id
              ORDER BY i.rowid",
        )?;
        let rows = stmt
            .query_map([], |r| {
                let paid_on: Option<String> = r.get(10)?;
                Ok(RecoveryItem {
                    id: r.get(0)?,
                    review_id: r.get(1)?,
                    line: NewRecovery {
                        source: r.get(2)?,
                        payout_id: r.get(3)?,
                        own: r.get(17)?,
                        claim_id: r.get(4)?,
                        person_name: r.get(5)?,
                        id_numbers: r.get(6)?,
                        ward: r.get(7)?,
                        policy: r.get(8)?,
                        amount: Money::from_dong(r.get(9)?),
                        paid_on: paid_on.and_then(|d| d.parse().ok()),
                        list_name: r.get(11)?,
                        decision_no: r.get(12)?,
                        basis: r.get(13)?,
                    },
                    decided_by: r.get(14)?,
                    decided_at: r.get(15)?,
                    note: r.get(16)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }
}
