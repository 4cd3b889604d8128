//! The import's writing half: one transaction in which each row read is checked against the ledger (already
//! there, already paid, the rule's amount) and written through the same inserts as a claim typed by hand.

use super::columns::Field;
use super::reader::*;
use super::rejects::Rejects;
use super::{ImportOptions, ImportReport, UnansweredConditions, PROBLEMS_KEPT};
use crate::error::LedgerError;
use crate::fields::InputField;
use crate::identity::{fold, IdKind, IdentityDoc};
use crate::ledger::{
    insert_group, insert_household, insert_person_in, insert_priced_claim, load_person,
    Beneficiary, Ledger, NewPerson, Person,
};
use crate::money::Money;
use crate::rules::{ClaimFacts, Policy, RulePack, Unit};
use rusqlite::{params, Connection, OptionalExtension};

pub(super) enum RunError {
    Ledger(LedgerError),
    Csv(String),
}

impl From<LedgerError> for RunError {
    fn from(e: LedgerError) -> Self {
        RunError::Ledger(e)
    }
}

impl From<rusqlite::Error> for RunError {
    fn from(e: rusqlite::Error) -> Self {
        RunError::Ledger(e.into())
    }
}

/// What one import run is given: the rows to read, the file's digest (filled in by the reader as it goes),
/// the officer's choices and who imports.
pub(super) struct Job<'a> {
    pub source: Source,
    pub file_sha256: &'a std::sync::OnceLock<String>,
    pub options: &'a ImportOptions,
    pub actor: &'a str,
}

/// What every row's write needs: the transaction, the rule pack, the office's ward, the policies by the
/// names a file gives them, and who imports.
#[derive(Clone, Copy)]
struct Writer<'a> {
    tx: &'a Connection,
    pack: &'a RulePack,
    office_ward: &'a str,
    policies: &'a PolicyNames<'a>,
    actor: &'a str,
}

/// The run: the reader on its thread, the writer in one transaction; `report` and `rejects` filled as it
/// goes.
pub(super) fn run(
    ledger: &mut Ledger,
    job: Job,
    report: &mut ImportReport,
    rejects: &mut Rejects,
    progress: &mut dyn FnMut(usize) -> bool,
) -> Result<(), RunError> {
    let Job {
        source,
        file_sha256,
        options,
        actor,
    } = job;
    let cols = Columns::new(&report.columns);
    let pack_text = ledger.pack_text().to_string();
    let pack = ledger.pack().clone();
    let mapping = report.columns.clone();
    let (send, receive) = std::sync::mpsc::sync_channel(8);
    let confirm = options.confirm_conditions;
    let reader = std::thread::spawn(move || read_rows(source, pack, mapping, confirm, send));
    // Rows whose cells leave a policy's requirements unanswered: (count, first lines) by policy.
    let mut unanswered: std::collections::BTreeMap<usize, (usize, Vec<u64>)> = Default::default();

    let written = ledger.write_bulk_decide(|tx, pack| {
        Ledger::register_pack(tx, pack, &pack_text).map_err(RunError::Ledger)?;
        let policies = PolicyNames::new(pack);
        let office_ward = crate::ledger::require_office(tx)?.ward;
        crate::ledger::require_role(tx, actor, crate::ledger::RECORDERS)?;
        let mut added: Option<String> = None;
        let mut last_added: Option<String> = None;
        for batch in receive.iter() {
            let batch = batch.map_err(RunError::Csv)?;
            if !progress(report.rows_read) {
                return Err(RunError::Ledger(LedgerError::ImportCancelled {
                    rows: report.rows_read,
                }));
            }
            for item in batch {
                let (line, record, row, list, restored, open) = match item {
                    Item::Skipped(line) => {
                        if report.lines_skipped.len() < PROBLEMS_KEPT {
                            report.lines_skipped.push(line);
                        }
                        continue;
                    }
                    Item::Row {
                        line,
                        record,
                        row,
                        problems,
                        restored,
                        unanswered,
                    } => (line, record, row, problems, restored, unanswered),
                };
                report.rows_read += 1;
                report.restored_total += restored.len();
                let room = PROBLEMS_KEPT.saturating_sub(report.restored.len());
                report.restored.extend(restored.into_iter().take(room));
                if let Some(policy) = open {
                    let (n, lines) = unanswered.entry(policy).or_default();
                    *n += 1;
                    if lines.len() < 20 {
                        lines.push(line);
                    }
                }
                let mut problems = RowProblems {
                    line,
                    columns: &cols,
                    list,
                };
                if let Some(row) = row.filter(|_| problems.list.is_empty()) {
                    let writer = Writer {
                        tx,
                        pack,
                        office_ward: &office_ward,
                        policies: &policies,
                        actor,
                    };
                    match apply_row(writer, &row, &mut problems)? {
                        Applied::Added {
                            claim,
                            amount,
                            person,
                            household,
                            group,
                        } => {
                            // Claim ids are time-ordered and the import holds the ledger alone: the
                            // first and the last bound exactly the claims it added (for the audit log).
                            added.get_or_insert_with(|| claim.clone());
                            last_added = Some(claim);
                            report.rows_added += 1;
                            report.amount_added += amount;
                            report.people_added += usize::from(person);
                            report.households_added += usize::from(household);
                            report.groups_added += usize::from(group);
                        }
                        Applied::AlreadyThere => report.rows_already_present += 1,
                        Applied::Refused => {}
                    }
                }
                if !problems.list.is_empty() {
                    report.rows_rejected += 1;
                    report.problems_total += problems.list.len();
                    let reasons = problems
                        .list
                        .iter()
                        .map(|p| format!("{}: {}", p.column, p.reason))
                        .collect::<Vec<_>>()
                        .join("; ");
                    if options.accept_valid && !options.dry_run {
                        rejects.add(&record, &reasons)?;
                    }
                    let room = PROBLEMS_KEPT.saturating_sub(report.problems.len());
                    report.problems.extend(problems.list.into_iter().take(room));
                }
            }
        }
        // The rejected rows are in their file before the good ones are committed: a file that cannot be
        // written fails the import, rather than leaving rows in the ledger with nowhere to fix the rest.
        report.rejects_file = rejects.finish()?;
        report.conditions = unanswered
            .iter()
            .map(|(&i, (rows, lines))| {
                let p = policies.policy(i);
                UnansweredConditions {
                    policy: p.code.clone(),
                    title: p.title.clone(),
                    rows: *rows,
                    lines: lines.clone(),
                    conditions: p.required_conditions(),
                }
            })
            .collect();
        report.conditions_confirmed = options.confirm_conditions && !report.conditions.is_empty();
        let commit = !options.dry_run
            && (report.rows_rejected == 0 || options.accept_valid)
            && report.rows_added > 0;
        if commit {
            // The exact file the officer confirmed, by its digest (read again if the reader stopped short).
            let sha256 = file_sha256
                .get()
                .cloned()
                .or_else(|| super::rows::file_sha256(std::path::Path::new(&report.file)).ok());
            let confirmed = report.conditions_confirmed.then(|| {
                serde_json::json!({
                    "by": actor,
                    "sha256": sha256,
                    "policies": report.conditions.iter().map(|c| serde_json::json!({
                        "policy": c.policy,
                        "rows": c.rows,
                        "conditions": c.conditions.iter().map(|r| serde_json::json!({
                            "fact": r.fact,
                            "question": r.question,
                            "basis": r.basis,
                        })).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })
            });
            crate::audit::append(
                tx,
                actor,
                "import",
                "ledger",
                None,
                &serde_json::json!({
                    "file": std::fs::canonicalize(&report.file).map(|p| p.display().to_string()).unwrap_or_else(|_| report.file.clone()),
                    "sha256": sha256,
                    "sheet": report.sheet,
                    "choices": report.choices,
                    "conditions_confirmed": confirmed,
                    "restored": report.restored_total,
                    "first_claim": added,
                    "last_claim": last_added,
                    "encoding": report.encoding_label,
                    "rows_read": report.rows_read,
                    "rows_added": report.rows_added,
                    "rows_already_present": report.rows_already_present,
                    "rows_rejected": report.rows_rejected,
                    "people_added": report.people_added,
                    "amount_added": report.amount_added,
                }),
            )?;
        }
        report.committed = commit;
        report.rows_written = if commit { report.rows_added } else { 0 };
        Ok(((), commit))
    });
    // A writer that stopped early drops its end, so the reader's next send fails and it ends too.
    drop(receive);
    let _ = reader.join();
    written
}

/// Who the claim pays, with the household's or group's name (shown on lists).
enum ClaimSubject {
    Person(String),
    Household((String, String)),
    Group((String, String)),
}

enum Applied {
    Added {
        claim: String,
        amount: Money,
        person: bool,
        household: bool,
        group: bool,
    },
    AlreadyThere,
    Refused,
}

/// Writes one row: finds or adds the person (by ID number), the household or group the policy pays, and
/// the claim. A refused row leaves nothing behind: what it added (a new person, household or group, never a
/// claim, which is checked before it is written) is taken out again.
fn apply_row(w: Writer, row: &Row, p: &mut RowProblems) -> Result<Applied, RunError> {
    let tx = w.tx;
    let policy = w.policies.policy(row.policy);
    let mut created = Created::default();
    let out = apply_inner(w, policy, row, p, &mut created);
    match out {
        Ok(Some((claim, amount))) => Ok(Applied::Added {
            claim,
            amount,
            person: created.person.is_some(),
            household: created.household.is_some(),
            group: created.group.is_some(),
        }),
        Ok(None) if p.list.is_empty() => {
            created.undo(tx)?;
            Ok(Applied::AlreadyThere)
        }
        Ok(None) => {
            created.undo(tx)?;
            Ok(Applied::Refused)
        }
        Err(e) => {
            let (field, reason) = match row_error(e)? {
                Some(x) => x,
                None => return Ok(Applied::Refused),
            };
            let value = match field {
                Field::Policy => policy.code.clone(),
                Field::IdNumber => row.id.clone(),
                Field::FullName => row.name.clone(),
                Field::Dob => row.dob.map(|d| d.display()).unwrap_or_default(),
                _ => String::new(),
            };
            p.add(field, &value, reason);
            created.undo(tx)?;
            Ok(Applied::Refused)
        }
    }
}

/// What a row added before its claim, to take out if the claim is refused.
#[derive(Default)]
struct Created {
    person: Option<String>,
    household: Option<String>,
    group: Option<String>,
}

impl Created {
    fn undo(&self, tx: &Connection) -> Result<(), RunError> {
        if let Some(g) = &self.group {
            tx.prepare_cached("DELETE FROM unit_group WHERE id = ?1")?
                .execute([g])?;
        }
        if let Some(h) = &self.household {
            // The row's person may have been made a member of the household it created.
            tx.prepare_cached("UPDATE person SET household_id = NULL WHERE household_id = ?1")?
                .execute([h])?;
            tx.prepare_cached("DELETE FROM household WHERE id = ?1")?
                .execute([h])?;
        }
        if let Some(person) = &self.person {
            tx.prepare_cached("DELETE FROM identity_doc WHERE person_id = ?1")?
                .execute([person])?;
            tx.prepare_cached("DELETE FROM person WHERE id = ?1")?
                .execute([person])?;
        }
        Ok(())
    }
}

/// A refusal of the row by a rule, with the column it concerns; a database failure stops the import.
fn row_error(e: LedgerError) -> Result<Option<(Field, String)>, RunError> {
    use LedgerError::*;
    let by_field = |field: &InputField| match field {
        InputField::Dob => Field::Dob,
        InputField::FullName => Field::FullName,
        InputField::Children | InputField::Child => Field::Children,
        InputField::Amount => Field::Amount,
        InputField::Sex => Field::Sex,
        InputField::Phone => Field::Phone,
        InputField::TaxCode => Field::TaxCode,
        _ => Field::Policy,
    };
    Ok(Some(match e {
        NotEligible { reasons, .. } => (
            Field::Policy,
            format!("không đủ điều kiện: {}", reasons.join("; ")),
        ),
        ExcludedByPolicy { .. } | DuplicateClaim { .. } | DuplicatePayout { .. } => {
            (Field::Policy, e.to_string())
        }
        DuplicateSupplement => (Field::Children, e.to_string()),
        IdentityTaken { .. } => (Field::SocialInsurance, e.to_string()),
        InvalidIdentity {
            field: InputField::SocialInsurance,
            ..
        } => (Field::SocialInsurance, e.to_string()),
        InvalidIdentity { .. } => (Field::Children, e.to_string()),
        InvalidInput {
            ref field,
            ref message,
        } => (by_field(field), message.clone()),
        InvalidDate(_) => (Field::Policy, e.to_string()),
        UnknownPolicy(_) => (Field::Policy, e.to_string()),
        NotFound { .. } => (Field::Policy, e.to_string()),
        other => return Err(RunError::Ledger(other)),
    }))
}

/// `Ok(Some(amount))` when the claim was added, `Ok(None)` when it was already there (problems empty) or
/// refused by a check of this function (a problem added).
fn apply_inner(
    w: Writer,
    policy: &Policy,
    row: &Row,
    p: &mut RowProblems,
    created: &mut Created,
) -> Result<Option<(String, Money)>, LedgerError> {
    let Writer {
        tx,
        pack,
        office_ward,
        actor,
        ..
    } = w;
    let person = match existing_person(tx, &row.id)? {
        Some(person) => {
            if !same_name(&person.full_name, &row.name) {
                p.add(
                    Field::IdNumber,
                    &row.id,
                    format!(
                        "số này đã ghi trong sổ cho '{}', khác họ tên trong tệp '{}'; kiểm tra lại số hoặc tên",
                        person.full_name, row.name
                    ),
                );
                return Ok(None);
            }
            person
        }
        None => {
            let mut ids = vec![IdentityDoc {
                kind: if row.id.len() == 9 {
                    IdKind::Cmnd
                } else {
                    IdKind::Cccd
                },
                number: row.id.clone(),
            }];
            if let Some(si) = &row.social_insurance {
                ids.push(IdentityDoc {
                    kind: IdKind::SocialInsurance,
                    number: si.clone(),
                });
            }
            // The office and the actor were checked once for the run; the row's number was just looked up.
            let person = insert_person_in(
                tx,
                &NewPerson {
                    full_name: row.name.clone(),
                    dob: row.dob,
                    sex: row.sex,
                    ids,
                    address: row.address.clone(),
                    residential_group: row.residential_group.clone(),
                    ward: row.ward.clone(),
                    phone: row.phone.clone(),
                    household_id: None,
                },
                actor,
                office_ward,
                1,
            )?;
            created.person = Some(person.id.clone());
            person
        }
    };
    let mut facts = row.facts.clone();
    if let Some(registered) = person.dob.and_then(|d| d.date()) {
        if facts.dob.is_some_and(|d| d != registered) {
            p.add(
                Field::Dob,
                &row.dob.map(|d| d.display()).unwrap_or_default(),
                format!(
                    "khác ngày sinh trong sổ ({}) của người có số {}",
                    crate::dates::format_vi(registered),
                    row.id
                ),
            );
            return Ok(None);
        }
        facts.dob = Some(registered);
    }

    let subject = match policy.unit {
        Unit::Person => ClaimSubject::Person(person.id.clone()),
        Unit::Household => match household_for(tx, row, &person, p, actor, created)? {
            Some(h) => ClaimSubject::Household(h),
            None => return Ok(None),
        },
        Unit::Group => match group_for(tx, row, &person, p, actor, created)? {
            Some(g) => ClaimSubject::Group(g),
            None => return Ok(None),
        },
    };
    let key = match &subject {
        ClaimSubject::Person(id) => format!("P:{id}"),
        ClaimSubject::Household((id, _)) => format!("H:{id}"),
        ClaimSubject::Group((id, _)) => format!("G:{id}"),
    };
    // Already in the ledger: the same facts are a re-import (nothing added twice); other facts are a
    // second claim for someone who already has one, or was already paid.
    let subject_is_new = match policy.unit {
        Unit::Person => created.person.is_some(),
        Unit::Household => created.household.is_some(),
        Unit::Group => created.group.is_some(),
    };
    if !subject_is_new {
        let existing: Option<(String, String)> = tx
            .prepare_cached(
                "SELECT c.facts, s.state FROM claim c JOIN claim_state s ON s.id = c.id
                  WHERE c.beneficiary_key = ?1 AND c.policy_code = ?2 AND c.status <> 'rejected'",
            )?
            .query_row(params![key, policy.code], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((stored, state)) = existing {
            let same = serde_json::from_str::<ClaimFacts>(&stored).is_ok_and(|s| s == facts);
            if same {
                return Ok(None);
            }
            let said = if state == "paid" {
                "đã được chi trả"
            } else {
                "đã có hồ sơ"
            };
            p.add(
                Field::Policy,
                &policy.code,
                format!(
                    "{said} theo chính sách này ({}) với thông tin khác; không ghi trùng",
                    crate::ledger::state_label_vi(&state)
                ),
            );
            return Ok(None);
        }
        // The same dossier rejected before (the same facts) is not brought back by importing the file again.
        let rejected: Option<String> = tx
            .prepare_cached(
                "SELECT rejected_reason FROM claim
                  WHERE beneficiary_key = ?1 AND policy_code = ?2 AND status = 'rejected' AND facts = ?3",
            )?
            .query_row(
                params![key, policy.code, serde_json::to_string(&facts).expect("facts serialise")],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(reason) = rejected {
            p.add(
                Field::Policy,
                &policy.code,
                format!(
                    "hồ sơ này (cùng thông tin) đã bị từ chối trước đây: {reason}; không nhập lại. Nếu đã bổ sung, ghi thông tin mới của hồ sơ"
                ),
            );
            return Ok(None);
        }
    }
    // Two checks on the price before the claim is written (a claim once written stays), priced once:
    // - a child listed who brings no supplement (6 or older at the time, or a policy without one) would be
    //   dropped without a word: say so instead (children are matched to their supplement through its
    //   once-only subjects; a pack whose child supplement has no once-group is not checked here);
    // - the amount a file states must be the rule pack's.
    let child_supplement = policy
        .supplements
        .iter()
        .find(|s| s.fact == crate::rules::SupplementFact::ChildUnder6);
    let check_children =
        !facts.children.is_empty() && child_supplement.is_none_or(|s| s.once_group.is_some());
    if check_children || row.amount.is_some() {
        let ent = policy.entitlement(&facts);
        if ent.eligible && check_children {
            for (i, c) in facts.children.iter().enumerate() {
                if !ent.once.iter().any(|o| o.child == Some(i)) {
                    p.add(
                        Field::Children,
                        &format!("{} - {}", c.name.as_deref().unwrap_or(""), crate::dates::format_vi(c.dob)),
                        "con này không được tính hỗ trợ thêm theo chính sách (không dưới 6 tuổi vào thời điểm đó, hoặc chính sách không có khoản cho con); bỏ con này khỏi dòng hoặc kiểm tra ngày sinh",
                    );
                }
            }
            if !p.list.is_empty() {
                return Ok(None);
            }
        }
        if let Some(stated) = row.amount.filter(|_| ent.eligible) {
            if ent.amount.to_dong() != Some(stated) {
                p.add(
                    Field::Amount,
                    &Money::from_dong(stated).format_vi(),
                    format!(
                        "khác mức theo bộ quy tắc: {} đồng ({})",
                        ent.amount.format_vi(),
                        ent.lines
                            .iter()
                            .map(|l| format!("{} {}", l.label, l.amount.format_vi()))
                            .collect::<Vec<_>>()
                            .join(" + ")
                    ),
                );
                return Ok(None);
            }
        }
    }
    let (household_id, group_id, name) = match subject {
        ClaimSubject::Person(_) => (None, None, person.full_name.clone()),
        ClaimSubject::Household(h) => (Some(h.0), None, h.1),
        ClaimSubject::Group(g) => (None, Some(g.0), g.1),
    };
    let ward = match policy.unit {
        Unit::Person => person
            .ward
            .clone()
            .unwrap_or_else(|| office_ward.to_string()),
        _ => office_ward.to_string(),
    };
    let record = insert_priced_claim(
        tx,
        pack,
        policy,
        Beneficiary {
            person_id: Some(person.id.clone()),
            household_id,
            group_id,
            key,
            name,
            ward,
        },
        facts,
        subject_is_new,
        actor,
    )?;
    Ok(Some((record.id, record.amount)))
}

fn existing_person(tx: &Connection, id: &str) -> Result<Option<Person>, LedgerError> {
    // The schema's number spaces: 12 digits are a citizen number (CCCD, personal ID, 12-digit CMND).
    let space = if id.len() == 12 { "citizen" } else { "cmnd" };
    let found: Option<String> = tx
        .prepare_cached("SELECT person_id FROM identity_doc WHERE space = ?1 AND number = ?2")?
        .query_row([space, id], |r| r.get(0))
        .optional()?;
    found.map(|pid| load_person(tx, &pid)).transpose()
}

/// The household a household policy pays: by tax code, else the one this person heads, else a new one.
fn household_for(
    tx: &Connection,
    row: &Row,
    person: &Person,
    p: &mut RowProblems,
    actor: &str,
    created: &mut Created,
) -> Result<Option<(String, String)>, LedgerError> {
    // The policy pays registered household businesses: the tax code is what finds the household again.
    let Some(tax) = &row.tax_code else {
        p.add(
            Field::TaxCode,
            "",
            "chính sách này trả cho hộ kinh doanh có đăng ký thuế: cần mã số thuế",
        );
        return Ok(None);
    };
    // Found again by the code as the core stores it (`checks::tax_code`), however the file writes it.
    let code = match crate::checks::tax_code(tax) {
        Ok(code) => code,
        Err(why) => {
            p.add(Field::TaxCode, tax, why);
            return Ok(None);
        }
    };
    let by_tax: Option<(String, Option<String>, String)> = tx
        .prepare_cached("SELECT id, head_person_id, name FROM household WHERE tax_code = ?1")?
        .query_row([&code], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    if let Some((id, head, name)) = by_tax {
        if head.as_deref().is_some_and(|h| h != person.id) {
            p.add(
                Field::TaxCode,
                row.tax_code.as_deref().unwrap_or(""),
                "mã số thuế này đã ghi cho hộ kinh doanh của người khác (trong sổ hoặc ở dòng trước của tệp)",
            );
            return Ok(None);
        }
        return Ok(Some((id, name)));
    }
    let headed: Option<(String, String)> = tx
        .prepare_cached("SELECT id, name FROM household WHERE head_person_id = ?1")?
        .query_row([&person.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some(found) = headed {
        return Ok(Some(found));
    }
    let name = row
        .unit_name
        .clone()
        .unwrap_or_else(|| format!("Hộ kinh doanh {}", person.full_name));
    let h = insert_household(
        tx,
        &name,
        Some(&person.id),
        row.tax_code.as_deref(),
        row.address.as_deref(),
        actor,
    )?;
    created.household = Some(h.id.clone());
    Ok(Some((h.id, h.name)))
}

/// The preschool group a group policy pays: the one of that name this person owns, else a new one.
fn group_for(
    tx: &Connection,
    row: &Row,
    person: &Person,
    p: &mut RowProblems,
    actor: &str,
    created: &mut Created,
) -> Result<Option<(String, String)>, LedgerError> {
    let Some(name) = &row.unit_name else {
        p.add(
            Field::UnitName,
            "",
            "chính sách này trả cho nhóm/lớp: cần tên nhóm/lớp",
        );
        return Ok(None);
    };
    let found: Option<(String, String)> = tx
        .prepare_cached("SELECT id, name FROM unit_group WHERE kind = 'preschool' AND name_key = ?1 AND owner_person_id = ?2")?
        .query_row(params![fold(name), person.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some(found) = found {
        return Ok(Some(found));
    }
    let id = insert_group(
        tx,
        name,
        "preschool",
        Some(&person.id),
        row.address.as_deref(),
        actor,
    )?;
    created.group = Some(id.clone());
    Ok(Some((id, crate::identity::normalize_nfc(name))))
}
