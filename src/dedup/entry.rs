//! The duplicate check at entry time: before a person is registered, the people already in the ledger who
//! are likely the same person, found by the same engine; registering anyway needs a reason, which is logged.

use super::record::{IdNumber, Record, RecordKind};
use super::{check_records, MatchClass, Reason, RecordStore};
use crate::error::{LedgerError, Result};
use crate::fields::InputField;
use crate::identity::fold;
use crate::ledger::audit_rows::{people_like, LookAlike};
use crate::ledger::Actor;
use crate::ledger::{Ledger, NewPerson, Person};
use serde::Serialize;

/// A registered person who may be the one being entered.
#[derive(Debug, Clone, Serialize)]
pub struct EntryMatch {
    /// The registered person (`person` holds their id).
    pub person: Record,
    pub class: MatchClass,
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// Every number one edit away from `n` (a digit changed, two neighbours swapped, one dropped or added),
/// and `n` itself: what the registry is asked for.
fn one_edit_numbers(n: &str, out: &mut Vec<String>) {
    let d: Vec<u8> = n.bytes().collect();
    out.push(n.to_string());
    if d.len() < 8 {
        return;
    }
    let s = |v: &[u8]| String::from_utf8(v.to_vec()).expect("digits");
    for i in 0..d.len() {
        let mut v = d.clone();
        for c in b'0'..=b'9' {
            if c != d[i] {
                v[i] = c;
                out.push(s(&v));
            }
        }
        let mut v = d.clone();
        v.remove(i);
        out.push(s(&v));
        if i + 1 < d.len() && d[i] != d[i + 1] {
            let mut v = d.clone();
            v.swap(i, i + 1);
            out.push(s(&v));
        }
    }
    for i in 0..=d.len() {
        for c in b'0'..=b'9' {
            let mut v = d.clone();
            v.insert(i, c);
            out.push(s(&v));
        }
    }
}

/// The registered people likely (or certainly) the same as `new`, strongest first. Possible matches (a
/// namesake with another CCCD) are not raised at the desk.
pub fn likely_duplicates(ledger: &Ledger, new: &NewPerson) -> Result<Vec<EntryMatch>> {
    let name = crate::identity::normalize_nfc(&new.full_name);
    let mut candidate = Record::new("mới", RecordKind::Person, name.clone());
    candidate.set_birth(new.dob);
    candidate.sex = new.sex;
    candidate.ids = new
        .ids
        .iter()
        .filter_map(|d| {
            IdNumber::from_typed(&d.number).map(|mut n| {
                n.kind = d.kind.as_str();
                n
            })
        })
        .collect();
    candidate.phone = new.phone.clone().filter(|p| !p.trim().is_empty());
    candidate.address = new.address.clone().filter(|a| !a.trim().is_empty());
    candidate.ward = new.ward.clone().filter(|w| !w.trim().is_empty());
    let folded = fold(&name);
    let mut like = LookAlike {
        name_key: folded.clone(),
        dob: new.dob.and_then(|d| d.date()).map(|d| d.to_string()),
        given: folded.rsplit(' ').next().map(str::to_string),
        phone: candidate.phone.clone(),
        ..Default::default()
    };
    for id in &candidate.ids {
        one_edit_numbers(&id.number, &mut like.numbers);
    }
    let mut store = RecordStore::default();
    store.add(&candidate);
    let label = "sổ";
    let mut found = 0;
    people_like(ledger.conn(), &like, 200, &mut |p| {
        let r = super::load::registered(label, p);
        store.add(&r);
        found += 1;
    })?;
    if found == 0 {
        return Ok(Vec::new());
    }
    let report = check_records(store, ledger.pack(), &Default::default(), &mut |_| true)?;
    let mut out: Vec<EntryMatch> = report
        .pairs
        .iter()
        .filter(|p| matches!(p.class, MatchClass::Certain | MatchClass::Likely))
        .filter_map(|p| {
            let (a, b) = (&report.records[p.a], &report.records[p.b]);
            let other = match (a.person.is_some(), b.person.is_some()) {
                (false, true) => b,
                (true, false) => a,
                _ => return None, // two registered people: not this desk's question
            };
            Some(EntryMatch {
                person: other.clone(),
                class: p.class,
                score: p.score,
                reasons: p.reasons.clone(),
            })
        })
        .collect();
    out.sort_by(|x, y| y.score.total_cmp(&x.score));
    Ok(out)
}

/// Registers a person unless the registry already holds someone likely the same: then refused with who
/// (`likely_duplicate`), unless `despite` gives the reason to go on, which the audit log keeps with the
/// people it was shown.
pub fn register_person(
    ledger: &mut Ledger,
    new: &NewPerson,
    despite: Option<&str>,
    actor: &Actor,
) -> Result<(Person, Vec<EntryMatch>)> {
    let matches = likely_duplicates(ledger, new)?;
    let reason = despite.map(str::trim).filter(|r| !r.is_empty());
    if !matches.is_empty() {
        match reason {
            None => {
                return Err(LedgerError::LikelyDuplicate {
                    matches: matches
                        .iter()
                        .take(5)
                        .map(|m| {
                            format!(
                                "{} ({}{}; {})",
                                m.person.name,
                                m.person.dob.as_deref().unwrap_or("?"),
                                m.person
                                    .ids
                                    .first()
                                    .map(|i| format!(", {}", i.number))
                                    .unwrap_or_default(),
                                m.class.label_vi()
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                })
            }
            Some(r) if r.chars().count() < 5 => {
                return Err(LedgerError::InvalidInput {
                    field: InputField::Reason,
                    message: "ghi rõ vì sao đây là người khác (ít nhất 5 ký tự)".into(),
                })
            }
            Some(_) => {}
        }
    }
    let note = (!matches.is_empty()).then(|| {
        serde_json::json!({
            "despite_likely_duplicates": matches.iter().map(|m| serde_json::json!({
                "person": m.person.person, "name": m.person.name, "class": m.class,
                "reasons": m.reasons.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "reason": reason,
        })
    });
    let person = ledger.add_person_noting(new, note, actor)?;
    Ok((person, matches))
}
