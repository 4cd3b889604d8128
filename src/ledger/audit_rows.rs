//! What the auditor's duplicate check reads from a ledger file (its own or another ward's, opened read-only):
//! every person with their documents, and every claim with what was paid on it. Plain rows, streamed.

use super::{Dob, Sex};
use crate::error::Result;
use crate::identity::{IdKind, IdentityDoc};
use chrono::NaiveDate;
use rusqlite::Connection;

/// A registered person as the registry holds them.
#[derive(Debug, Clone)]
pub struct RegistryRow {
    pub id: String,
    pub full_name: String,
    pub dob: Option<Dob>,
    pub sex: Option<Sex>,
    pub address: Option<String>,
    pub residential_group: Option<String>,
    pub ward: Option<String>,
    pub phone: Option<String>,
    pub docs: Vec<IdentityDoc>,
}

/// A claim (not rejected) with the person it is for (the beneficiary, a household's head or a group's
/// owner) and where it stands: paid (live payout), approved, or only recorded or listed.
#[derive(Debug, Clone)]
pub struct ClaimPaidRow {
    pub person_id: String,
    pub claim_id: String,
    pub policy: String,
    /// The payout's amount when paid, else the amount the claim stands at.
    pub amount: i64,
    pub state: String,
    pub ward: Option<String>,
    pub list_name: Option<String>,
    pub decision: Option<String>,
    pub payout_id: Option<String>,
    pub paid_on: Option<NaiveDate>,
    /// The claim's stored facts (JSON), for the children it names.
    pub facts: String,
}

/// What a person about to be registered is looked up by: their numbers (and the numbers one edit away),
/// their folded name, their birth date with the given name, their phone.
#[derive(Debug, Clone, Default)]
pub struct LookAlike {
    pub numbers: Vec<String>,
    pub name_key: String,
    /// `yyyy-mm-dd`.
    pub dob: Option<String>,
    pub given: Option<String>,
    pub phone: Option<String>,
}

/// The registered people who share anything `like` names (at most `limit`), for the duplicate check at
/// entry time. One pass over the registry plus an index look-up of the numbers.
pub fn people_like(
    conn: &Connection,
    like: &LookAlike,
    limit: usize,
    each: &mut dyn FnMut(RegistryRow),
) -> Result<()> {
    let marks = vec!["?"; like.numbers.len().max(1)].join(",");
    let sql = format!(
        "{SELECT_PERSON} WHERE p.id IN (SELECT person_id FROM identity_doc WHERE number IN ({marks}))
            OR p.name_key = ?{n1}
            OR (p.dob = ?{n2} AND p.dob_precision = 'day' AND (p.name_key = ?{n3} OR p.name_key LIKE '% ' || ?{n3}))
            OR (p.phone IS NOT NULL AND p.phone = ?{n4})
          LIMIT {limit}",
        n1 = like.numbers.len().max(1) + 1,
        n2 = like.numbers.len().max(1) + 2,
        n3 = like.numbers.len().max(1) + 3,
        n4 = like.numbers.len().max(1) + 4,
    );
    let mut params: Vec<Option<&str>> = like.numbers.iter().map(|n| Some(n.as_str())).collect();
    if params.is_empty() {
        params.push(None);
    }
    params.push(Some(like.name_key.as_str()));
    params.push(like.dob.as_deref());
    params.push(like.given.as_deref());
    params.push(like.phone.as_deref());
    let office_ward: Option<String> = conn
        .query_row("SELECT ward FROM office WHERE id = 1", [], |r| r.get(0))
        .ok();
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    while let Some(r) = rows.next()? {
        each(registry_row(r, &office_ward)?);
    }
    Ok(())
}

const SELECT_PERSON: &str =
    "SELECT p.id, p.full_name, p.dob, p.dob_precision, p.sex, p.address, p.residential_group,
                p.ward, p.phone,
                (SELECT group_concat(d.kind || ':' || d.number, ',') FROM identity_doc d
                  WHERE d.person_id = p.id)
           FROM person p";

fn registry_row(
    r: &rusqlite::Row<'_>,
    office_ward: &Option<String>,
) -> rusqlite::Result<RegistryRow> {
    let dob: Option<String> = r.get(2)?;
    let precision: String = r.get(3)?;
    let dob = dob
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .and_then(|d| match precision.as_str() {
            "day" => Some(Dob::Day(d)),
            "year" => Some(Dob::Year(chrono::Datelike::year(&d))),
            _ => None,
        });
    let sex: Option<String> = r.get(4)?;
    let docs: Option<String> = r.get(9)?;
    let docs = docs
        .unwrap_or_default()
        .split(',')
        .filter_map(|d| d.split_once(':'))
        .filter_map(|(k, n)| {
            IdKind::parse(k).ok().map(|kind| IdentityDoc {
                kind,
                number: n.to_string(),
            })
        })
        .collect();
    let ward: Option<String> = r.get(7)?;
    Ok(RegistryRow {
        id: r.get(0)?,
        full_name: r.get(1)?,
        dob,
        sex: match sex.as_deref() {
            Some("M") => Some(Sex::Male),
            Some("F") => Some(Sex::Female),
            _ => None,
        },
        address: r.get(5)?,
        residential_group: r.get(6)?,
        ward: ward.or_else(|| office_ward.clone()),
        phone: r.get(8)?,
        docs,
    })
}

/// Every person, in the order they were registered. `office_ward` stands in for a person without one.
pub fn registry_rows(conn: &Connection, each: &mut dyn FnMut(RegistryRow)) -> Result<()> {
    let office_ward: Option<String> = conn
        .query_row("SELECT ward FROM office WHERE id = 1", [], |r| r.get(0))
        .ok();
    let mut stmt = conn.prepare(&format!("{SELECT_PERSON} ORDER BY p.rowid"))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        each(registry_row(r, &office_ward)?);
    }
    Ok(())
}

/// Every claim that is not rejected, with its payout when paid (a reversed payout does not count).
pub fn claim_paid_rows(conn: &Connection, each: &mut dyn FnMut(ClaimPaidRow)) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT coalesce(c.person_id, h.head_person_id, g.owner_person_id), c.id, c.policy_code,
                coalesce(po.amount, c.rule_amount),
                CASE WHEN po.id IS NOT NULL THEN 'paid' WHEN a.list_id IS NOT NULL THEN 'approved'
                     WHEN li.list_id IS NOT NULL THEN 'listed' ELSE 'claimed' END,
                c.ward, l.name, a.decision_no, po.id, po.paid_on, c.facts
           FROM claim c
           LEFT JOIN household h ON h.id = c.household_id
           LEFT JOIN unit_group g ON g.id = c.group_id
           LEFT JOIN list_item li ON li.claim_id = c.id
           LEFT JOIN claim_list l ON l.id = li.list_id
           LEFT JOIN approval a ON a.list_id = li.list_id
           LEFT JOIN payout po ON po.claim_id = c.id
                AND NOT EXISTS (SELECT 1 FROM reversal r WHERE r.payout_id = po.id)
          WHERE c.status <> 'rejected'",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let person_id: Option<String> = r.get(0)?;
        let Some(person_id) = person_id else {
            continue; // a household or group with no person behind it: nobody to compare
        };
        let paid_on: Option<String> = r.get(9)?;
        each(ClaimPaidRow {
            person_id,
            claim_id: r.get(1)?,
            policy: r.get(2)?,
            amount: r.get(3)?,
            state: r.get(4)?,
            ward: r.get(5)?,
            list_name: r.get(6)?,
            decision: r.get(7)?,
            payout_id: r.get(8)?,
            paid_on: paid_on.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            facts: r.get(10)?,
        });
    }
    Ok(())
}
