//! Claims: pricing (quote), recording, showing, rejecting; the register; correcting and withdrawing.

use super::Ctx;
use crate::args::*;
use crate::render::out;
use crate::Outcome;
use relief_ledger::fields::InputField;
use relief_ledger::ledger::{state_label_vi, ClaimFilter, ClaimSubject, NewClaim};
use relief_ledger::rules::RulePack;
use relief_ledger::LedgerError;

/// Prices a claim without saving anything; a refused quote exits 1 after saying why.
pub fn quote(
    json: bool,
    pack: &RulePack,
    policy: &str,
    facts: &FactArgs,
) -> Result<Outcome, LedgerError> {
    let ent = pack.policy(policy)?.entitlement(&facts.to_facts()?);
    out(json, &ent, || {
        let mut s = format!(
            "{}: {}\n",
            ent.policy,
            if ent.eligible {
                "ĐỦ điều kiện"
            } else {
                "KHÔNG đủ điều kiện"
            }
        );
        for l in &ent.lines {
            s += &format!("  {}\n", l.text_vi());
        }
        for r in &ent.reasons {
            s += &format!("  ✗ {r}\n");
        }
        for n in &ent.notes {
            s += &format!("  · {n}\n");
        }
        s + &format!("  Tổng: {}", ent.amount)
    });
    // A refused quote was reported in full above; it still exits 1 like any rule refusal.
    Ok(if ent.eligible {
        Outcome::Done
    } else {
        Outcome::Refused
    })
}

/// Records a claim, priced by the rule pack.
pub fn add(
    c: &mut Ctx,
    policy: String,
    person: Option<String>,
    id_number: Option<String>,
    household: Option<String>,
    group: Option<String>,
    facts: FactArgs,
) -> Result<Outcome, LedgerError> {
    let json = c.json;
    let ledger = &mut *c.ledger;
    let actor = c.actor;
    let subject = match (person, id_number, household, group) {
        (Some(p), _, _, _) => ClaimSubject::Person(p),
        (_, Some(n), _, _) => ClaimSubject::Person(ledger.person_by_id_number(&n)?.id),
        (_, _, Some(h), _) => ClaimSubject::Household(h),
        (_, _, _, Some(g)) => ClaimSubject::Group(g),
        _ => {
            return Err(LedgerError::InvalidInput {
                field: InputField::Person,
                message: "cần --person, --id-number, --household hoặc --group".into(),
            })
        }
    };
    let c = ledger.add_claim(
        &NewClaim {
            policy,
            subject,
            applicant: None,
            facts: facts.to_facts()?,
        },
        actor,
    )?;
    out(json, &c, || {
        let mut s = format!(
            "Đã ghi hồ sơ {} – {} – {}: {}\n",
            c.id, c.policy, c.beneficiary_name, c.amount
        );
        for l in &c.lines {
            s += &format!("  {}\n", l.text_vi());
        }
        for n in &c.notes {
            s += &format!("  · {n}\n");
        }
        s.trim_end().to_string()
    });
    Ok(Outcome::Done)
}

/// One claim.
pub fn show(c: &mut Ctx, id: String) -> Result<Outcome, LedgerError> {
    let json = c.json;
    let ledger = &mut *c.ledger;
    let c = ledger.claim(&id)?;
    out(json, &c, || {
        format!(
            "{} {} {} {} {}",
            c.id,
            c.policy,
            c.beneficiary_name,
            c.amount,
            state_label_vi(&c.status)
        )
    });
    Ok(Outcome::Done)
}

/// Rejects a claim with a reason.
pub fn reject(c: &mut Ctx, id: String, reason: String) -> Result<Outcome, LedgerError> {
    let json = c.json;
    let ledger = &mut *c.ledger;
    let actor = c.actor;
    ledger.reject_claim(&id, &reason, actor)?;
    out(
        json,
        &serde_json::json!({ "id": id, "status": "rejected" }),
        || format!("Đã từ chối hồ sơ {id}"),
    );
    Ok(Outcome::Done)
}

/// The claims register, a page of it, filtered.
pub fn register(c: &mut Ctx, filter: ClaimFilter, offset: i64) -> Result<Outcome, LedgerError> {
    let page = c.ledger.claims_register(&filter, offset, 100)?;
    out(c.json, &page, || {
        let mut s = format!("{} hồ sơ, tổng {}\n", page.total, page.amount);
        for r in &page.rows {
            s += &format!(
                "{} {} {} {} {} {} {}\n",
                r.id,
                r.name,
                r.id_number.as_deref().unwrap_or("—"),
                r.residential_group.as_deref().unwrap_or("—"),
                r.policy,
                r.amount,
                r.state_label
            );
        }
        s.trim_end().to_string()
    });
    Ok(Outcome::Done)
}

/// Corrects a claim on no list yet with the facts given; prints the new claim.
pub fn correct(
    c: &mut Ctx,
    id: String,
    reason: String,
    facts: FactArgs,
) -> Result<Outcome, LedgerError> {
    let before = c.ledger.claim(&id)?.amount;
    let new = c
        .ledger
        .correct_claim(&id, &facts.to_facts()?, &reason, c.actor)?;
    out(c.json, &new, || {
        format!(
            "Đã sửa hồ sơ {id}: hồ sơ mới {}, số tiền {before} → {}",
            new.id, new.amount
        )
    });
    Ok(Outcome::Done)
}

/// Withdraws a claim on no list yet, with a reason.
pub fn withdraw(c: &mut Ctx, id: String, reason: String) -> Result<Outcome, LedgerError> {
    c.ledger.withdraw_claim(&id, &reason, c.actor)?;
    out(
        c.json,
        &serde_json::json!({ "id": id, "status": "withdrawn" }),
        || format!("Đã rút hồ sơ {id}"),
    );
    Ok(Outcome::Done)
}
