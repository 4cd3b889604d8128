//! Claims: a beneficiary × a policy with its facts, priced by the rule pack when recorded.

use super::office::{require_office, require_role, RECORDERS};
use super::people::load_person;
use super::{new_id, now, resolve_id, Ledger};
use crate::error::{LedgerError, Result};
use crate::fields::InputField;
use crate::identity::fold;
use crate::ledger::Actor;
use crate::money::Money;
use crate::rules::{BreakdownLine, ClaimFacts, Entitlement, RulePack, Unit};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// Who a claim is for: a person, a household or a group, by id (or a unique id prefix).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "unit", content = "id", rename_all = "snake_case")]
pub enum ClaimSubject {
    Person(String),
    Household(String),
    Group(String),
}

/// What the officer enters for a claim.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewClaim {
    pub policy: String,
    pub subject: ClaimSubject,
    /// The applicant, when the subject is a household or group (the owner who signs).
    #[serde(default)]
    pub applicant: Option<String>,
    #[serde(default)]
    pub facts: ClaimFacts,
}

/// A recorded claim with its price and status.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClaimRecord {
    pub id: String,
    pub policy: String,
    pub unit: String,
    pub beneficiary_key: String,
    pub beneficiary_name: String,
    pub person_id: Option<String>,
    pub amount: Money,
    pub lines: Vec<BreakdownLine>,
    pub status: String,
    pub pack_version: String,
    pub recorded_by: String,
    pub recorded_at: String,
    /// What the officer should know when the claim is recorded (a once-only supplement already held, a
    /// deadline not checked, an excluding claim to review); not stored, so empty when a claim is read back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Ledger {
    /// Prices facts under a policy without saving anything.
    pub fn quote(&self, policy: &str, facts: &ClaimFacts) -> Result<Entitlement> {
        Ok(self.pack.policy(policy)?.entitlement(facts))
    }

    /// Records a claim: refuses it with every reason when it is not eligible, when the beneficiary already
    /// has an open claim under the policy, when an excluding policy applies, or when a once-only
    /// supplement (a child's) is already claimed by someone else.
    pub fn add_claim(&mut self, new: &NewClaim, actor: &Actor) -> Result<ClaimRecord> {
        let actor = actor.name();
        let text = self.pack_text.clone();
        self.write(|tx, pack| {
            Ledger::register_pack(tx, pack, &text)?;
            let c = insert_claim(tx, pack, new, actor)?;
            crate::audit::append(
                tx,
                actor,
                "add_claim",
                "claim",
                Some(&c.id),
                &serde_json::json!({ "policy": c.policy, "beneficiary": c.beneficiary_key, "amount": c.amount }),
            )?;
            Ok(c)
        })
    }

    /// Rejects a claim with a reason (it stays in the ledger, visible).
    pub fn reject_claim(&mut self, claim: &str, reason: &str, actor: &Actor) -> Result<()> {
        let actor = actor.name();
        self.write(|tx, _| {
            super::office::require_role(tx, actor, super::office::REJECTERS)?;
            let id = resolve_id(tx, "claim", InputField::Claim, claim)?;
            if reason.trim().chars().count() < 5 {
                return Err(LedgerError::InvalidInput { field: InputField::Reason, message: "cần ghi rõ lý do từ chối".into() });
            }
            let n = tx.execute(
                "UPDATE claim SET status = 'rejected', rejected_reason = ?2 WHERE id = ?1 AND status <> 'rejected'",
                params![id, reason.trim()],
            )
            .map_err(LedgerError::from_db)?;
            if n == 0 {
                return Err(LedgerError::InvalidInput { field: InputField::Claim, message: "hồ sơ đã bị từ chối trước đó".into() });
            }
            crate::audit::append(tx, actor, "reject_claim", "claim", Some(&id), &serde_json::json!({ "reason": reason.trim() }))
        })
    }

    pub fn claim(&self, id: &str) -> Result<ClaimRecord> {
        let id = resolve_id(&self.conn, "claim", InputField::Claim, id)?;
        load_claims(&self.conn, "c.id = ?1", &id).and_then(|mut v| {
            v.pop().ok_or(LedgerError::NotFound {
                what: "hồ sơ".into(),
                id,
            })
        })
    }

    pub(crate) fn claims_of_person(&self, person_id: &str) -> Result<Vec<ClaimRecord>> {
        load_claims(&self.conn, "c.person_id = ?1", person_id)
    }
}

/// Prices and inserts a claim inside the caller's transaction (shared by the CLI, UI, demo and import).
pub(crate) fn insert_claim(
    conn: &Connection,
    pack: &RulePack,
    new: &NewClaim,
    actor: &str,
) -> Result<ClaimRecord> {
    insert_claim_as(conn, pack, new, actor, new_id())
}

/// As `insert_claim`, under the id given (a correction names its new claim before recording it).
pub(super) fn insert_claim_as(
    conn: &Connection,
    pack: &RulePack,
    new: &NewClaim,
    actor: &str,
    id: String,
) -> Result<ClaimRecord> {
    let office = require_office(conn)?;
    require_role(conn, actor, RECORDERS)?;
    let policy = pack.policy(&new.policy)?;
    let mut facts = new.facts.clone();

    let (unit_ok, person_id, household_id, group_id, key, name, ward) =
        match (&new.subject, policy.unit) {
            (ClaimSubject::Person(p), Unit::Person) => {
                let person =
                    load_person(conn, &resolve_id(conn, "person", InputField::Person, p)?)?;
                // The registry's date of birth decides age tests; a claim may not say otherwise.
                if let Some(registered) = person.dob.and_then(|d| d.date()) {
                    if facts.dob.is_some_and(|d| d != registered) {
                        return Err(LedgerError::InvalidInput {
                            field: InputField::Dob,
                            message: format!(
                                "khác ngày sinh trong sổ ({}); sửa thông tin người trước",
                                crate::dates::format_vi(registered)
                            ),
                        });
                    }
                    facts.dob = Some(registered);
                }
                (
                    true,
                    Some(person.id.clone()),
                    None,
                    None,
                    format!("P:{}", person.id),
                    person.full_name,
                    person.ward,
                )
            }
            (ClaimSubject::Household(h), Unit::Household) => {
                let id = resolve_id(conn, "household", InputField::Household, h)?;
                let (name, head): (String, Option<String>) = conn.query_row(
                    "SELECT name, head_person_id FROM household WHERE id = ?1",
                    [&id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                let applicant = new
                    .applicant
                    .as_deref()
                    .map(|a| resolve_id(conn, "person", InputField::Person, a))
                    .transpose()?
                    .or(head);
                (
                    true,
                    applicant,
                    Some(id.clone()),
                    None,
                    format!("H:{id}"),
                    name,
                    None,
                )
            }
            (ClaimSubject::Group(g), Unit::Group) => {
                let id = resolve_id(conn, "unit_group", InputField::Group, g)?;
                let (name, owner): (String, Option<String>) = conn.query_row(
                    "SELECT name, owner_person_id FROM unit_group WHERE id = ?1",
                    [&id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                let applicant = new
                    .applicant
                    .as_deref()
                    .map(|a| resolve_id(conn, "person", InputField::Person, a))
                    .transpose()?
                    .or(owner);
                (
                    true,
                    applicant,
                    None,
                    Some(id.clone()),
                    format!("G:{id}"),
                    name,
                    None,
                )
            }
            _ => (false, None, None, None, String::new(), String::new(), None),
        };
    if !unit_ok {
        let want = match policy.unit {
            Unit::Person => "một người",
            Unit::Household => "một hộ",
            Unit::Group => "một nhóm/lớp",
        };
        return Err(LedgerError::InvalidInput {
            field: InputField::Person,
            message: format!("chính sách {} chi trả cho {want}", policy.code),
        });
    }

    insert_priced_claim_as(
        conn,
        pack,
        policy,
        Beneficiary {
            person_id,
            household_id,
            group_id,
            key,
            name,
            ward: ward.unwrap_or(office.ward),
        },
        facts,
        false,
        actor,
        id,
    )
}

/// Who a claim pays, resolved: the stored keys and the name shown on lists.
pub(crate) struct Beneficiary {
    pub person_id: Option<String>,
    pub household_id: Option<String>,
    pub group_id: Option<String>,
    pub key: String,
    pub name: String,
    pub ward: String,
}

/// Prices and inserts a claim for a resolved beneficiary. `fresh` says the beneficiary was created in
/// this same transaction and so can hold no claim yet: the open-claim and exclusion lookups are skipped
/// (the unique index still refuses a second open claim). The import of a district's file relies on it.
pub(crate) fn insert_priced_claim(
    conn: &Connection,
    pack: &RulePack,
    policy: &crate::rules::Policy,
    who: Beneficiary,
    facts: ClaimFacts,
    fresh: bool,
    actor: &str,
) -> Result<ClaimRecord> {
    insert_priced_claim_as(conn, pack, policy, who, facts, fresh, actor, new_id())
}

#[allow(clippy::too_many_arguments)]
fn insert_priced_claim_as(
    conn: &Connection,
    pack: &RulePack,
    policy: &crate::rules::Policy,
    who: Beneficiary,
    facts: ClaimFacts,
    fresh: bool,
    actor: &str,
    id: String,
) -> Result<ClaimRecord> {
    let Beneficiary {
        person_id,
        household_id,
        group_id,
        key,
        name,
        ward,
    } = who;
    let mut facts = facts;
    let mut ent = policy.entitlement(&facts);
    if !ent.eligible {
        return Err(LedgerError::NotEligible {
            policy: pack.label(&policy.code),
            reasons: ent.reasons,
        });
    }
    let open: Option<String> = if fresh {
        None
    } else {
        conn.prepare_cached("SELECT id FROM claim WHERE beneficiary_key = ?1 AND policy_code = ?2 AND status <> 'rejected'")?
            .query_row(params![key, policy.code], |r| r.get(0))
            .optional()?
    };
    if open.is_some() {
        return Err(LedgerError::DuplicateClaim {
            policy: pack.label(&policy.code),
        });
    }
    let mut review = Vec::new();
    if let Some(pid) = person_id.as_ref().filter(|_| !fresh) {
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM claim WHERE person_id = ?1 AND policy_code = ?2 AND status <> 'rejected' LIMIT 1",
        )?;
        for other in &policy.excludes {
            if stmt.exists(params![pid, other])? {
                return Err(LedgerError::ExcludedByPolicy {
                    policy: pack.label(&policy.code),
                    other: pack.label(other),
                });
            }
        }
        // The other way round the exclusion is one way: a claim under a policy that excludes this one (a
        // fund's top-up, then a Government resolution's claim) does not take this right away. This claim is
        // priced; the earlier one is named for review (the auditor's duplicate check lists the pair).
        for other in pack
            .policies
            .iter()
            .filter(|p| p.excludes.contains(&policy.code) && !policy.excludes.contains(&p.code))
        {
            let held: Option<String> = stmt
                .query_row(params![pid, other.code], |r| r.get(0))
                .optional()?;
            if let Some(held) = held {
                review.push(format!(
                    "Cần xem xét hồ sơ {} ({}): chính sách đó không áp dụng cho người được hưởng {} ({}); có thể phải thu hồi",
                    held.get(..8).unwrap_or(&held),
                    pack.label(&other.code),
                    pack.label(&policy.code),
                    other.excludes_basis.as_deref().unwrap_or(&other.basis)
                ));
            }
        }
    }

    // Once-only supplements: the child (or the beneficiary) is paid under the group only once. One already
    // held by an earlier claim is left out of this one (with a note naming that claim); the rest is priced.
    let mut held_elsewhere = Vec::new();
    for o in &ent.once {
        let (_, conflicts) = match o.child {
            Some(i) => child_keys(&facts.children[i])?,
            None => (vec![key.clone()], vec![key.clone()]),
        };
        for subject in &conflicts {
            let holder: Option<String> = conn
                .prepare_cached(
                    "SELECT co.claim_id FROM claim_once co JOIN claim c ON c.id = co.claim_id
                      WHERE co.once_group = ?1 AND co.subject_key = ?2 AND c.status <> 'rejected' LIMIT 1",
                )?
                .query_row(params![o.group, subject], |r| r.get(0))
                .optional()?;
            if let Some(claim) = holder {
                held_elsewhere.push(crate::rules::UsedOnce {
                    group: o.group.clone(),
                    child: o.child,
                    claim,
                });
                break;
            }
        }
    }
    if !held_elsewhere.is_empty() {
        facts.used_once.extend(held_elsewhere);
        ent = policy.entitlement(&facts);
    }
    ent.notes.extend(review);
    let mut once_rows = Vec::new();
    for o in &ent.once {
        let (stored, _) = match o.child {
            Some(i) => child_keys(&facts.children[i])?,
            None => (vec![key.clone()], vec![key.clone()]),
        };
        for subject in stored {
            // One child named twice in the same claim would be paid twice.
            if once_rows
                .iter()
                .any(|(g, s, _)| *g == o.group && *s == subject)
            {
                return Err(LedgerError::InvalidInput {
                    field: InputField::Children,
                    message: "cùng một trẻ được ghi hai lần trong hồ sơ".into(),
                });
            }
            once_rows.push((o.group.clone(), subject, o.amount));
        }
    }

    let amount = ent
        .amount
        .to_dong()
        .ok_or_else(|| LedgerError::InvalidInput {
            field: InputField::Amount,
            message: "quy tắc cho ra số lẻ đồng; kiểm tra bộ quy tắc".into(),
        })?;
    let at = now();
    let facts_json = serde_json::to_string(&facts).expect("facts serialise");
    let lines_json = serde_json::to_string(&ent.lines).expect("lines serialise");
    conn.prepare_cached(
        "INSERT INTO claim (id, policy_code, unit, person_id, household_id, group_id, beneficiary_key, facts, pack_id,
                            pack_version, rule_amount, breakdown, status, applied_on, ward, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'received', ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        id,
        policy.code,
        policy.unit.as_str(),
        person_id,
        household_id,
        group_id,
        key,
        facts_json,
        pack.pack.id,
        pack.pack.version,
        amount,
        lines_json,
        facts.applied.map(|d| d.to_string()),
        ward,
        actor,
        at
    ])
    .map_err(LedgerError::from_db)?;
    let mut stmt =
        conn.prepare_cached("INSERT INTO claim_once (claim_id, once_group, subject_key, amount) VALUES (?1, ?2, ?3, ?4)")?;
    for (group, subject, amount) in &once_rows {
        stmt.execute(params![id, group, subject, amount.to_dong()])?;
    }
    Ok(ClaimRecord {
        id,
        policy: policy.code.clone(),
        unit: policy.unit.as_str().to_string(),
        beneficiary_key: key,
        beneficiary_name: name,
        person_id,
        amount: ent.amount,
        lines: ent.lines,
        status: "received".into(),
        pack_version: pack.pack.version.clone(),
        recorded_by: actor.to_string(),
        recorded_at: at,
        notes: ent.notes,
    })
}

/// The keys a child's supplement is stored under, and the keys that an earlier claim must not hold.
fn child_keys(child: &crate::rules::ChildFact) -> Result<(Vec<String>, Vec<String>)> {
    let name = child.name.as_deref().map(fold).filter(|n| !n.is_empty()).ok_or_else(|| LedgerError::InvalidInput {
        field: InputField::Children,
        message: "cần họ tên và ngày sinh của con (dùng --child \"Tên;dd/mm/yyyy;mã định danh\") để bảo đảm chỉ hỗ trợ cho một người".into(),
    })?;
    let named = format!("{name}|{}", child.dob);
    // With an ID the child is that ID (two children may share a name and a birthday), and also meets a
    // claim that named the same child without an ID. Without an ID, name and birth date are all there is,
    // and they meet any claim of that name and birth date, with or without an ID. The schema enforces the
    // exact keys; the crossing between the two is this check's.
    match child.id_number.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(raw) => {
            let number = crate::identity::validate_identity(
                crate::identity::IdKind::PersonalId,
                raw,
                Some(chrono::Datelike::year(&child.dob)),
                None,
            )?;
            let id = format!("id:{number}");
            Ok((
                vec![id.clone(), format!("named-id:{named}")],
                vec![id, format!("name:{named}")],
            ))
        }
        None => Ok((
            vec![format!("name:{named}")],
            vec![format!("name:{named}"), format!("named-id:{named}")],
        )),
    }
}

pub(crate) fn load_claims(conn: &Connection, filter: &str, arg: &str) -> Result<Vec<ClaimRecord>> {
    // `filter` is a fixed condition written in this crate, never user input; `arg` is bound.
    let sql = format!(
        "SELECT c.id, c.policy_code, c.unit, c.beneficiary_key,
                coalesce(p.full_name, h.name, g.name), c.person_id, c.amount,
                c.breakdown, c.state, c.pack_version, c.recorded_by, c.recorded_at
           FROM claim_state c
           LEFT JOIN person p ON c.unit = 'person' AND p.id = c.person_id
           LEFT JOIN household h ON h.id = c.household_id
           LEFT JOIN unit_group g ON g.id = c.group_id
          WHERE {filter} ORDER BY c.recorded_at"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([arg], |r| {
        let breakdown: String = r.get(7)?;
        Ok(ClaimRecord {
            id: r.get(0)?,
            policy: r.get(1)?,
            unit: r.get(2)?,
            beneficiary_key: r.get(3)?,
            beneficiary_name: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
            person_id: r.get(5)?,
            amount: Money::from_dong(r.get(6)?),
            lines: serde_json::from_str(&breakdown).unwrap_or_default(),
            status: r.get(8)?,
            pack_version: r.get(9)?,
            recorded_by: r.get(10)?,
            recorded_at: r.get(11)?,
            notes: Vec::new(),
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}
