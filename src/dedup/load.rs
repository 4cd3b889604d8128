//! Reading the sources into records: a ledger file (the `--db` ledger, or another ward's opened read-only)
//! or a ward list file read with the importer's reader. Nothing is ever written to a source.

use super::record::{IdNumber, Payment, PaymentState, Record, RecordKind};
use super::store::RecordStore;
use crate::error::{LedgerError, Result};
use crate::identity::{fold, normalize_nfc};
use crate::import::{cells, Field};
use crate::ledger::audit_rows::{claim_paid_rows, registry_rows};
use crate::ledger::{Dob, Sex};
use crate::money::Money;
use crate::rules::{ClaimFacts, RulePack};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// What one source gave.
#[derive(Debug, Clone, Serialize)]
pub struct SourceSummary {
    /// As given on the command line.
    pub source: String,
    /// `ledger` or `file`.
    pub kind: &'static str,
    pub sha256: String,
    /// A ledger's schema version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<i64>,
    /// A file's encoding, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<&'static str>,
    pub people: usize,
    pub children: usize,
    /// File rows with neither a name nor an identity number: nothing to compare (their lines).
    pub nothing_to_compare: Vec<u64>,
}

/// Whether a path is a SQLite file (a ledger) rather than a ward list.
pub fn is_ledger_file(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == b"SQLite format 3\0"
}

/// Reads every person of a ledger with what was claimed and paid for them, and the children named in
/// their claims (one record per child per claimant).
pub fn ledger_records(
    conn: &Connection,
    pack: &RulePack,
    source: &str,
    out: &mut RecordStore,
) -> Result<(usize, usize)> {
    let first = out.len();
    let mut index: HashMap<String, usize> = HashMap::new();
    registry_rows(conn, &mut |p| {
        let id = p.id.clone();
        let r = registered(source, p);
        index.insert(id, out.add(&r));
    })?;
    let people = out.len() - first;
    // Children: one record per (claimant, folded name, birth date), holding each claim's supplement.
    let mut children: HashMap<(usize, String, String), usize> = HashMap::new();
    claim_paid_rows(conn, &mut |c| {
        let Some(&at) = index.get(&c.person_id) else {
            return;
        };
        let payment = Payment {
            policy: c.policy.clone(),
            amount: Money::from_dong(c.amount),
            state: PaymentState::parse(&c.state),
            ward: c.ward.clone().or_else(|| out.ward(at).map(str::to_string)),
            list: c.list_name.clone(),
            decision: c.decision.clone(),
            paid_on: c.paid_on,
            claim: Some(c.claim_id.clone()),
            payout: c.payout_id.clone(),
        };
        if c.facts.contains("\"children\":[{") {
            if let Ok(facts) = serde_json::from_str::<ClaimFacts>(&c.facts) {
                let priced = pack.policy(&c.policy).ok().map(|p| p.entitlement(&facts));
                for (i, child) in facts.children.iter().enumerate() {
                    let name = child.name.clone().unwrap_or_default();
                    let amount = priced
                        .as_ref()
                        .and_then(|e| e.once.iter().find(|o| o.child == Some(i)))
                        .map_or(Money::ZERO, |o| o.amount);
                    let key = (at, fold(&name), child.dob.to_string());
                    let slot = *children.entry(key).or_insert_with(|| {
                        let parent = out.record(at);
                        let mut r = Record::new(source, RecordKind::Child, name.clone());
                        r.set_birth(Some(Dob::Day(child.dob)));
                        r.ids = child
                            .id_number
                            .as_deref()
                            .and_then(IdNumber::from_typed)
                            .map(|mut n| {
                                if n.kind == "cccd" {
                                    n.kind = "personal_id";
                                }
                                n
                            })
                            .into_iter()
                            .collect();
                        r.person = parent.person;
                        r.child_of = Some(parent.name);
                        r.address = parent.address;
                        r.ward = parent.ward;
                        out.add(&r)
                    });
                    out.add_payment(
                        slot,
                        &Payment {
                            amount,
                            ..payment.clone()
                        },
                    );
                }
            }
        }
        out.add_payment(at, &payment);
    })?;
    Ok((people, out.len() - first - people))
}

/// A registered person as a record: all their documents, the address (or else the residential group).
pub(super) fn registered(source: &str, p: crate::ledger::audit_rows::RegistryRow) -> Record {
    let mut r = Record::new(source, RecordKind::Person, p.full_name);
    r.set_birth(p.dob);
    r.sex = p.sex;
    r.ids = p
        .docs
        .iter()
        .map(|d| IdNumber {
            kind: d.kind.as_str(),
            number: d.number.clone(),
        })
        .collect();
    r.phone = p.phone;
    r.address = p.address.or(p.residential_group);
    r.ward = p.ward;
    r.person = Some(p.id);
    r
}

/// Opens another ward's ledger read-only and reads it.
pub fn other_ledger(
    path: &Path,
    pack: &RulePack,
    source: &str,
    out: &mut RecordStore,
) -> Result<SourceSummary> {
    let sha256 = crate::import::file_sha256(path)?;
    let (conn, version) =
        crate::store::open_read_only(path).map_err(|reason| LedgerError::FileUnreadable {
            path: source.to_string(),
            reason,
        })?;
    let (people, children) = ledger_records(&conn, pack, source, out)?;
    Ok(SourceSummary {
        source: source.to_string(),
        kind: "ledger",
        sha256,
        schema_version: Some(version),
        encoding: None,
        people,
        children,
        nothing_to_compare: Vec::new(),
    })
}

/// Reads a ward list. A row the import would refuse (no number, a date it cannot read) is still a record
/// when it has a name or a number; a row with neither is counted by its line.
pub fn ward_file(
    path: &Path,
    pack: &RulePack,
    source: &str,
    out: &mut RecordStore,
    keep_going: &mut dyn FnMut(usize) -> bool,
) -> Result<SourceSummary> {
    let mut summary = SourceSummary {
        source: source.to_string(),
        kind: "file",
        sha256: String::new(),
        schema_version: None,
        encoding: None,
        people: 0,
        children: 0,
        nothing_to_compare: Vec::new(),
    };
    let mut codes: HashMap<String, String> = HashMap::new();
    for p in &pack.policies {
        codes.insert(fold(&p.code), p.code.clone());
        codes.insert(fold(&p.title), p.code.clone());
    }
    // A reading thread parses the file (decoding, CSV, cells) while this one makes, stores and folds the
    // records: on two cores the halves overlap.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<crate::import::WardRow>>(16);
    let owned = path.to_path_buf();
    let reader = std::thread::spawn(move || {
        let mut batch = Vec::with_capacity(1024);
        let read = crate::import::read_ward_rows(&owned, WANTED, &mut |row| {
            batch.push(row);
            if batch.len() == 1024 {
                return tx
                    .send(std::mem::replace(&mut batch, Vec::with_capacity(1024)))
                    .is_ok();
            }
            true
        });
        let _ = tx.send(batch);
        read
    });
    // A list names one policy on thousands of rows: each wording is folded once.
    let mut seen: HashMap<String, String> = HashMap::new();
    for rows in rx.iter() {
        if !keep_going(summary.people + summary.children) {
            drop(rx); // the reader stops at its next send
            let _ = reader.join();
            return Err(crate::error::LedgerError::CheckCancelled);
        }
        for row in &rows {
            let policy = row.get(Field::Policy);
            if !policy.is_empty() && !seen.contains_key(policy) {
                let code = codes
                    .get(&fold(policy))
                    .cloned()
                    .unwrap_or_else(|| policy.to_string());
                seen.insert(policy.to_string(), code);
            }
            let code = seen.get(policy).map(String::as_str);
            row_records(row, source, code, out, &mut summary);
        }
    }
    let read = reader.join().expect("the reading thread does not panic")?;
    summary.sha256 = read.sha256;
    summary.encoding = Some(read.encoding.label_vi());
    Ok(summary)
}

/// The records of one row: the person, and each child the row names, stored without an owned copy.
fn row_records(
    row: &crate::import::WardRow,
    source: &str,
    policy: Option<&str>,
    out: &mut RecordStore,
    summary: &mut SourceSummary,
) {
    use super::store::RowRef;
    // A row's cells are already clean (NFC, trimmed, single-spaced): borrowed as they are.
    let name = row.get(Field::FullName);
    let id = IdNumber::from_typed(row.get(Field::IdNumber));
    let si = IdNumber::from_typed(row.get(Field::SocialInsurance));
    let mut ids: Vec<(&'static str, &str)> = Vec::with_capacity(2);
    if let Some(n) = &id {
        ids.push((n.kind, &n.number));
    }
    if let Some(n) = &si {
        ids.push(("social_insurance", &n.number));
    }
    if name.is_empty() && ids.is_empty() {
        summary.nothing_to_compare.push(row.line);
        return;
    }
    let text = |f: Field| Some(row.get(f)).filter(|s| !s.is_empty());
    let address = text(Field::Address).or_else(|| text(Field::ResidentialGroup));
    let ward = text(Field::Ward);
    let sex = row.get(Field::Sex);
    let amount = match row.get(Field::Amount) {
        "" => 0,
        a => cells::amount(a).unwrap_or(0),
    };
    let children = row.get(Field::Children);
    if let Some(Ok(children)) = (!children.is_empty()).then(|| cells::children(children)) {
        for child in children {
            let cid = child.id_number.as_deref().and_then(IdNumber::from_typed);
            let cids: Vec<(&'static str, &str)> =
                cid.iter().map(|n| (n.kind, n.number.as_str())).collect();
            let cname = child.name.as_deref().map(normalize_nfc).unwrap_or_default();
            out.add_listed(&RowRef {
                source,
                line: Some(row.line),
                person: None,
                child: true,
                child_of: Some(name),
                name: &cname,
                birth: Some(Dob::Day(child.dob)),
                sex: None,
                ids: &cids,
                phone: None,
                address,
                ward,
                // The supplement for one child is not on the row: listed under the policy, no amount.
                listed: policy.map(|p| (p, 0)),
            });
            summary.children += 1;
        }
    }
    out.add_listed(&RowRef {
        source,
        line: Some(row.line),
        person: None,
        child: false,
        child_of: None,
        name,
        // The date's words are written only for records that are shown (see `RecordStore::record`).
        birth: birth(row.get(Field::Dob)),
        sex: (!sex.is_empty()).then(|| Sex::parse(sex).ok()).flatten(),
        ids: &ids,
        phone: Some(row.get(Field::Phone)).filter(|s| !s.is_empty()),
        address,
        ward,
        listed: policy.map(|p| (p, amount)),
    });
    summary.people += 1;
}

/// The cells the check reads (and `not_data` looks at): the rest of a row is never cleaned.
const WANTED: &[Field] = &[
    Field::RowNo,
    Field::FullName,
    Field::Dob,
    Field::Sex,
    Field::IdNumber,
    Field::SocialInsurance,
    Field::Address,
    Field::ResidentialGroup,
    Field::Ward,
    Field::Phone,
    Field::Policy,
    Field::Children,
    Field::Amount,
];

/// A birth date as lists write it, or as read when the import would refuse it: a day and month that
/// cannot be a date either way round is dropped (compared as unknown), never guessed.
fn birth(text: &str) -> Option<Dob> {
    if text.is_empty() {
        return None;
    }
    cells::birth(text).ok()
}
