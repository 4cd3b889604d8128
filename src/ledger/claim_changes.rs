//! A claim opened again before it is listed: read back with the facts it was recorded with, corrected (a new
//! claim priced again, the old one closed and pointing to it) or withdrawn with a reason. Both are audited;
//! the schema refuses either once the claim is on a list (migration 0005).

use super::claims::{insert_claim_as, load_claims, ClaimRecord, ClaimSubject, NewClaim};
use super::office::{require_role, RECORDERS, REJECTERS};
use super::{new_id, now, resolve_id, Ledger};
use crate::error::{LedgerError, Result};
use crate::fields::InputField;
use crate::ledger::Actor;
use crate::rules::ClaimFacts;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// A claim as the register opens it: the record, what it was recorded with, the list it is on, and how it
/// was closed if it was.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimDetail {
    pub claim: ClaimRecord,
    pub subject: ClaimSubject,
    /// The applicant who signs for a household or group (its head or owner unless another was named).
    pub applicant: Option<String>,
    pub facts: ClaimFacts,
    pub list: Option<ListRef>,
    pub closed: Option<Closure>,
    /// The claim this one corrected, if it is a correction.
    pub corrects: Option<String>,
    /// Open and on no list: its facts may be corrected, or it may be withdrawn.
    pub changeable: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListRef {
    pub id: String,
    pub name: String,
}

/// How a claim was closed: withdrawn, corrected (by `replaced_by`), or rejected at intake.
#[derive(Debug, Clone, Serialize)]
pub struct Closure {
    /// `withdrawn`, `corrected` or `rejected`.
    pub kind: String,
    pub reason: String,
    pub officer: Option<String>,
    pub recorded_at: Option<String>,
    pub replaced_by: Option<String>,
}

/// What a claim's row says of itself, for the changes below.
struct Stored {
    policy: String,
    subject: ClaimSubject,
    applicant: Option<String>,
    facts: ClaimFacts,
    facts_json: serde_json::Value,
    status: String,
    amount: i64,
    listed: bool,
}

fn stored(conn: &Connection, id: &str) -> Result<Stored> {
    Ok(conn.query_row(
        "SELECT c.policy_code, c.unit, c.person_id, c.household_id, c.group_id, c.facts, c.status,
                coalesce((SELECT o.amount FROM amount_override o WHERE o.claim_id = c.id ORDER BY o.seq DESC LIMIT 1),
                         c.rule_amount),
                EXISTS (SELECT 1 FROM list_item li WHERE li.claim_id = c.id)
           FROM claim c WHERE c.id = ?1",
        [id],
        |r| {
            let unit: String = r.get(1)?;
            let person: Option<String> = r.get(2)?;
            let (subject, applicant) = match unit.as_str() {
                "household" => (ClaimSubject::Household(r.get::<_, Option<String>>(3)?.unwrap_or_default()), person),
                "group" => (ClaimSubject::Group(r.get::<_, Option<String>>(4)?.unwrap_or_default()), person),
                _ => (ClaimSubject::Person(person.unwrap_or_default()), None),
            };
            let facts_json: serde_json::Value =
                serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or_default();
            Ok(Stored {
                policy: r.get(0)?,
                subject,
                applicant,
                facts: serde_json::from_value(facts_json.clone()).unwrap_or_default(),
                facts_json,
                status: r.get(6)?,
                amount: r.get(7)?,
                listed: r.get(8)?,
            })
        },
    )?)
}

/// Refused unless the claim is open and on no list (the schema says the same).
fn require_changeable(s: &Stored) -> Result<()> {
    if s.listed {
        return Err(LedgerError::ClaimListed);
    }
    if s.status == "rejected" {
        return Err(LedgerError::InvalidInput {
            field: InputField::Claim,
            message: "hồ sơ đã đóng (bị từ chối, đã rút hoặc đã sửa thành hồ sơ khác)".into(),
        });
    }
    Ok(())
}

fn require_reason(reason: &str, what: &str) -> Result<()> {
    if reason.trim().chars().count() < 5 {
        return Err(LedgerError::InvalidInput {
            field: InputField::Reason,
            message: format!("cần ghi rõ lý do {what} (ít nhất 5 ký tự)"),
        });
    }
    Ok(())
}

/// The facts (top-level keys of the stored JSON) that differ between two versions of a claim.
fn changed_facts(before: &serde_json::Value, after: &serde_json::Value) -> Vec<String> {
    let empty = serde_json::Map::new();
    let (a, b) = (
        before.as_object().unwrap_or(&empty),
        after.as_object().unwrap_or(&empty),
    );
    let mut keys: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| k.as_str() != "used_once")
        .filter(|k| a.get(*k).filter(|v| !v.is_null()) != b.get(*k).filter(|v| !v.is_null()))
        .cloned()
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

impl Ledger {
    /// A claim with the facts it was recorded with, its list and how it was closed.
    pub fn claim_detail(&self, claim: &str) -> Result<ClaimDetail> {
        let id = resolve_id(&self.conn, "claim", InputField::Claim, claim)?;
        let record = load_claims(&self.conn, "c.id = ?1", &id)?
            .pop()
            .ok_or_else(|| LedgerError::NotFound {
                what: "hồ sơ".into(),
                id: id.clone(),
            })?;
        let s = stored(&self.conn, &id)?;
        let list = self
            .conn
            .query_row(
                "SELECT l.id, l.name FROM list_item li JOIN claim_list l ON l.id = li.list_id WHERE li.claim_id = ?1",
                [&id],
                |r| Ok(ListRef { id: r.get(0)?, name: r.get(1)? }),
            )
            .optional()?;
        let closed = if s.status == "rejected" {
            let w = self
                .conn
                .query_row(
                    "SELECT kind, reason, officer, recorded_at, replaced_by FROM claim_withdrawal WHERE claim_id = ?1",
                    [&id],
                    |r| {
                        Ok(Closure {
                            kind: r.get(0)?,
                            reason: r.get(1)?,
                            officer: r.get(2)?,
                            recorded_at: r.get(3)?,
                            replaced_by: r.get(4)?,
                        })
                    },
                )
                .optional()?;
            match w {
                Some(w) => Some(w),
                None => Some(Closure {
                    kind: "rejected".into(),
                    reason: self.conn.query_row(
                        "SELECT coalesce(rejected_reason, '') FROM claim WHERE id = ?1",
                        [&id],
                        |r| r.get(0),
                    )?,
                    officer: None,
                    recorded_at: None,
                    replaced_by: None,
                }),
            }
        } else {
            None
        };
        let corrects = self
            .conn
            .query_row(
                "SELECT claim_id FROM claim_withdrawal WHERE replaced_by = ?1",
                [&id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(ClaimDetail {
            changeable: !s.listed && s.status != "rejected",
            claim: record,
            subject: s.subject,
            applicant: s.applicant,
            facts: s.facts,
            list,
            closed,
            corrects,
        })
    }

    /// Withdraws a claim that is on no list yet (the applicant withdrew it, or it was recorded by mistake),
    /// with a reason. It stays in the ledger, closed; its beneficiary may claim the policy again.
    pub fn withdraw_claim(&mut self, claim: &str, reason: &str, actor: &Actor) -> Result<()> {
        let actor = actor.name();
        self.write(|tx, pack| {
            require_role(tx, actor, REJECTERS)?;
            let id = resolve_id(tx, "claim", InputField::Claim, claim)?;
            let s = stored(tx, &id)?;
            require_changeable(&s)?;
            require_reason(reason, "rút hồ sơ")?;
            tx.execute(
                "INSERT INTO claim_withdrawal (claim_id, kind, reason, officer, recorded_at) VALUES (?1, 'withdrawn', ?2, ?3, ?4)",
                params![id, reason.trim(), actor, now()],
            )?;
            crate::audit::append(
                tx,
                actor,
                "withdraw_claim",
                "claim",
                Some(&id),
                &serde_json::json!({ "policy": s.policy, "amount": s.amount, "reason": reason.trim(), "policy_title": pack.label(&s.policy) }),
            )
        })
    }

    /// Corrects the facts of a claim that is on no list yet: the claim is recorded again with `facts` under
    /// the same beneficiary and policy, priced by the rule pack in force, and the old one is closed pointing
    /// to it (what a claim was priced on never changes). Refused, with every reason, when the corrected
    /// facts are not eligible; then nothing changes. Returns the new claim.
    pub fn correct_claim(
        &mut self,
        claim: &str,
        facts: &ClaimFacts,
        reason: &str,
        actor: &Actor,
    ) -> Result<ClaimRecord> {
        let actor = actor.name();
        let text = self.pack_text.clone();
        self.write(|tx, pack| {
            require_role(tx, actor, RECORDERS)?;
            let id = resolve_id(tx, "claim", InputField::Claim, claim)?;
            let s = stored(tx, &id)?;
            require_changeable(&s)?;
            require_reason(reason, "sửa hồ sơ")?;
            // The registry's birth date stands in the claim whatever the form sends (as when it was recorded).
            let mut facts = facts.clone();
            if facts.dob.is_none() {
                facts.dob = s.facts.dob;
            }
            let facts = &facts;
            let new_facts = serde_json::to_value(facts).expect("facts serialise");
            let changed = changed_facts(&s.facts_json, &new_facts);
            if changed.is_empty() {
                return Err(LedgerError::InvalidInput {
                    field: InputField::Claim,
                    message: "không có thông tin nào khác với hồ sơ đang có".into(),
                });
            }
            let replacement = new_id();
            // The old claim is closed first (freeing its beneficiary and policy); the new one, named in the
            // row, is checked at commit.
            tx.execute(
                "INSERT INTO claim_withdrawal (claim_id, kind, replaced_by, reason, officer, recorded_at)
                 VALUES (?1, 'corrected', ?2, ?3, ?4, ?5)",
                params![id, replacement, reason.trim(), actor, now()],
            )?;
            Ledger::register_pack(tx, pack, &text)?;
            let new = NewClaim {
                policy: s.policy.clone(),
                subject: s.subject.clone(),
                applicant: s.applicant.clone(),
                facts: facts.clone(),
            };
            let record = insert_claim_as(tx, pack, &new, actor, replacement)?;
            let after = record.amount.to_dong().unwrap_or_default();
            crate::audit::append(
                tx,
                actor,
                "correct_claim",
                "claim",
                Some(&id),
                &serde_json::json!({
                    "replaced_by": record.id,
                    "policy": s.policy,
                    "policy_title": pack.label(&s.policy),
                    "amount_before": s.amount,
                    "amount": after,
                    "changed": changed,
                    "reason": reason.trim(),
                }),
            )?;
            Ok(record)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::changed_facts;

    #[test]
    fn names_the_facts_that_changed() {
        let a = serde_json::json!({ "from": "2021-07-01", "to": "2021-07-31", "flags": { "x": true }, "used_once": [1] });
        let b = serde_json::json!({ "from": "2021-07-05", "to": "2021-07-31", "flags": { "x": true }, "pregnant": null });
        assert_eq!(changed_facts(&a, &b), vec!["from".to_string()]);
        assert!(changed_facts(&a, &a).is_empty());
    }
}
