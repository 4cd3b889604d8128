//! Planted duplicates for the duplicate check's tests and benchmark: for a chosen person, a second record of
//! the same person as audits found them in 2021 (the same number in another ward's list, a digit dropped or
//! changed, the old CMND instead of the CCCD, the name typed without tone marks or without the middle name,
//! day and month swapped, a year alone, a child claimed by both parents), and the true pairs written out.

use super::{Case, Gen};
use crate::identity::{IdKind, IdentityDoc};
use crate::ledger::{Dob, Sex};
use chrono::Datelike;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use unicode_normalization::UnicodeNormalization;

/// The kinds of planted duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Planted {
    /// The same identity number on another ward's list (the name perhaps in capitals or without marks).
    SameId,
    /// The number with a digit dropped, added, changed, or two neighbours swapped.
    IdTypo,
    /// The old 9-digit CMND on one record and the CCCD on the other, same name and birth date.
    CmndCccd,
    /// The name without tone marks, in capitals, decomposed (NFD), without the middle name, or reordered.
    NameVariant,
    /// Day and month of the birth date swapped.
    DobSwap,
    /// The birth year alone.
    DobYearOnly,
    /// A child under 6 named in the claims of both parents, at two addresses.
    ChildTwoParents,
}

pub const KINDS: [Planted; 7] = [
    Planted::SameId,
    Planted::IdTypo,
    Planted::CmndCccd,
    Planted::NameVariant,
    Planted::DobSwap,
    Planted::DobYearOnly,
    Planted::ChildTwoParents,
];

impl Planted {
    pub fn as_str(self) -> &'static str {
        match self {
            Planted::SameId => "same_id",
            Planted::IdTypo => "id_typo",
            Planted::CmndCccd => "cmnd_cccd",
            Planted::NameVariant => "name_variant",
            Planted::DobSwap => "dob_swap",
            Planted::DobYearOnly => "dob_year_only",
            Planted::ChildTwoParents => "child_two_parents",
        }
    }
}

/// A planted duplicate: its kind and the record (a case to write or insert).
pub(super) struct Dup {
    pub kind: Planted,
    pub case: Case,
}

/// One true pair: the kind, the two lines (of the ward file) and whether the pair is of the children
/// named on those lines rather than the people.
pub struct TruthRow {
    pub kind: &'static str,
    pub a: u64,
    pub b: u64,
    pub child: bool,
}

impl TruthRow {
    pub(super) fn new(kind: &'static str, a: u64, b: u64, child: bool) -> TruthRow {
        TruthRow { kind, a, b, child }
    }
}

/// The truth file's header: `kind,a_line,b_line,subject` (subject `person` or `child`).
pub const TRUTH_HEADER: &str = "kind,a_line,b_line,subject";

pub(super) fn write_truth(out: &mut dyn std::io::Write, rows: &[TruthRow]) -> std::io::Result<()> {
    writeln!(out, "{TRUTH_HEADER}")?;
    for r in rows {
        writeln!(
            out,
            "{},{},{},{}",
            r.kind,
            r.a,
            r.b,
            if r.child { "child" } else { "person" }
        )?;
    }
    Ok(())
}

/// Strips tone marks and đ, keeping case: "Nguyễn Thị Hương" → "Nguyen Thi Huong".
fn without_marks(name: &str) -> String {
    name.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .collect()
}

/// A spelling of the same name as lists type it.
fn name_variant(name: &str, rng: &mut ChaCha8Rng, structural: bool) -> String {
    let words: Vec<&str> = name.split(' ').collect();
    let choice = rng.gen_range(0..if structural { 6 } else { 3 });
    match choice {
        0 => without_marks(name),
        1 => name.to_uppercase(),
        2 => name.nfd().collect(),
        3 if words.len() >= 3 => format!("{} {}", words[0], words[words.len() - 1]),
        4 if words.len() >= 3 => {
            // The given name first, then surname and middle name, as some forms ask.
            let mut w = vec![words[words.len() - 1]];
            w.extend_from_slice(&words[..words.len() - 1]);
            w.join(" ")
        }
        _ => without_marks(&name.to_lowercase()),
    }
}

/// A number one edit away: a digit dropped (only where the list may hold it), changed, or two neighbours
/// swapped.
fn id_typo(number: &str, rng: &mut ChaCha8Rng, may_drop: bool) -> String {
    let mut d: Vec<u8> = number.bytes().collect();
    // Typos fall in the serial digits, where a clerk's eye slips (the first six say province and birth).
    let at = rng.gen_range(d.len().saturating_sub(6)..d.len() - 1);
    let pick = rng.gen_range(0..if may_drop { 3 } else { 2 });
    match pick {
        0 => {
            let old = d[at];
            let mut new = b'0' + rng.gen_range(0..10u8);
            if new == old {
                new = b'0' + (old - b'0' + 1) % 10;
            }
            d[at] = new;
        }
        1 if d[at] != d[at + 1] => d.swap(at, at + 1),
        1 => d[at] = b'0' + (d[at] - b'0' + 3) % 10,
        _ => {
            d.remove(at);
        }
    }
    String::from_utf8(d).expect("digits")
}

/// Makes a duplicate of `orig` in ward `other`. `in_file`: the duplicate goes into a ward file (where a
/// dropped digit or the same number may stand); else into a ledger, which refuses those.
pub(super) fn plant(
    g: &mut Gen,
    rng: &mut ChaCha8Rng,
    orig: &Case,
    other: &str,
    in_file: bool,
) -> Option<Dup> {
    let mut kinds: Vec<Planted> = KINDS.to_vec();
    if !in_file {
        kinds.retain(|k| !matches!(k, Planted::SameId | Planted::ChildTwoParents));
    }
    if orig.facts.children.is_empty() {
        kinds.retain(|k| *k != Planted::ChildTwoParents);
    }
    let dob = orig.person.dob?.date()?;
    if dob.day() > 12 || dob.day() == dob.month() {
        kinds.retain(|k| *k != Planted::DobSwap);
    }
    let kind = kinds[rng.gen_range(0..kinds.len())];
    let mut case = orig.clone();
    case.preschool = None;
    let p = &mut case.person;
    p.ward = Some(other.to_string());
    p.address = Some(format!(
        "Số {} ngõ {}, phường {other}",
        rng.gen_range(1..200),
        rng.gen_range(1..120)
    ));
    p.residential_group = Some(format!("Tổ dân phố {}", rng.gen_range(1..=25)));
    // People move and change phones; about half keep the number.
    if rng.gen_bool(0.5) {
        p.phone = Some(format!("09{:08}", rng.gen_range(0..100_000_000u32)));
    }
    let citizen = p.ids[0].clone();
    let female = p.sex == Some(Sex::Female);
    let old_card = |g: &mut Gen| {
        g.serial += 1;
        IdentityDoc {
            kind: IdKind::Cmnd,
            number: g.cmnd(),
        }
    };
    // What still links the records when the kind itself changes the name or the birth date: the same
    // number, a number one edit away, or (with the same name and birth date) the old card.
    let link = |g: &mut Gen, rng: &mut ChaCha8Rng| -> IdentityDoc {
        match rng.gen_range(0..if in_file { 3 } else { 2 }) {
            0 => old_card(g),
            1 => IdentityDoc {
                kind: citizen.kind,
                number: id_typo(&citizen.number, rng, false),
            },
            _ => citizen.clone(),
        }
    };
    match kind {
        Planted::SameId => {
            if rng.gen_bool(0.3) {
                p.full_name = name_variant(&p.full_name, rng, false);
            }
        }
        Planted::IdTypo => {
            p.ids = vec![IdentityDoc {
                kind: citizen.kind,
                number: id_typo(&citizen.number, rng, in_file),
            }];
            if rng.gen_bool(0.3) {
                p.full_name = name_variant(&p.full_name, rng, false);
            }
        }
        Planted::CmndCccd => {
            if dob.year() >= 2006 {
                return None; // children hold no CMND
            }
            p.ids = vec![old_card(g)];
            if rng.gen_bool(0.3) {
                p.full_name = name_variant(&p.full_name, rng, false);
            }
        }
        Planted::NameVariant => {
            let structural = rng.gen_bool(0.5);
            p.full_name = name_variant(&p.full_name, rng, structural);
            // A name changed in its structure needs a number to be told from a namesake.
            p.ids = vec![if structural {
                IdentityDoc {
                    kind: citizen.kind,
                    number: if in_file && rng.gen_bool(0.5) {
                        citizen.number.clone()
                    } else {
                        id_typo(&citizen.number, rng, false)
                    },
                }
            } else {
                link(g, rng)
            }];
        }
        Planted::DobSwap => {
            p.dob = Some(Dob::Day(chrono::NaiveDate::from_ymd_opt(
                dob.year(),
                dob.day(),
                dob.month(),
            )?));
            p.ids = vec![link(g, rng)];
        }
        Planted::DobYearOnly => {
            p.dob = Some(Dob::Year(dob.year()));
            p.ids = vec![IdentityDoc {
                kind: citizen.kind,
                number: if in_file && rng.gen_bool(0.5) {
                    citizen.number.clone()
                } else {
                    id_typo(&citizen.number, rng, false)
                },
            }];
        }
        Planted::ChildTwoParents => {
            // The other parent: another person entirely, claiming the same child.
            let other_parent = g.name(!female);
            let year = chrono::Datelike::year(&dob);
            p.full_name = other_parent;
            p.sex = Some(if female { Sex::Male } else { Sex::Female });
            p.ids = vec![IdentityDoc {
                kind: IdKind::Cccd,
                number: g.citizen_number(year, !female),
            }];
            case.facts.pregnant = false;
            for c in &mut case.facts.children {
                if rng.gen_bool(0.5) {
                    c.id_number = None;
                }
                if let Some(n) = &c.name {
                    if rng.gen_bool(0.4) {
                        c.name = Some(name_variant(n, rng, false));
                    }
                }
            }
        }
    }
    let _ = female;
    Some(Dup { kind, case })
}

/// Reads a truth file written by `write_ward_file_planted`.
pub fn read_truth(text: &str) -> Vec<TruthRow> {
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let mut it = l.split(',');
            let kind = it.next()?;
            let kind = KINDS
                .iter()
                .map(|k| k.as_str())
                .chain(["two_claims", "child_of_duplicate"])
                .find(|k| *k == kind)?;
            Some(TruthRow {
                kind,
                a: it.next()?.parse().ok()?,
                b: it.next()?.parse().ok()?,
                child: it.next()? == "child",
            })
        })
        .collect()
}

/// Precision, recall and F1 of a run against the planted truth, counting the pairs classed certain or
/// likely, overall and (recall) per kind.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Accuracy {
    pub predicted: usize,
    pub true_positives: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// (kind, planted pairs, found, recall)
    pub per_kind: Vec<(String, usize, usize, f64)>,
    /// The pairs classed certain or likely that the truth does not hold (indices into the report's pairs).
    #[serde(skip)]
    pub false_positives: Vec<usize>,
}

/// A record of a planted ward file by its line and whether it is the child named there.
pub fn truth_key(line: u64, child: bool) -> u64 {
    line * 2 + u64::from(child)
}

/// Scores a report whose records came from one planted ward file (`source`) against its truth, counting
/// the pairs classed certain or likely.
pub fn evaluate(
    report: &crate::dedup::DuplicateReport,
    source: &str,
    truth: &[TruthRow],
) -> Accuracy {
    use crate::dedup::{MatchClass, RecordKind};
    let key_of = |i: usize| {
        let r = &report.records[i];
        (r.source == source)
            .then_some(r.line)
            .flatten()
            .map(|l| truth_key(l, r.kind == RecordKind::Child))
    };
    let predicted: Vec<(Option<u64>, Option<u64>)> = report
        .pairs
        .iter()
        .filter(|p| matches!(p.class, MatchClass::Certain | MatchClass::Likely))
        .map(|p| (key_of(p.a), key_of(p.b)))
        .collect();
    let mut acc = evaluate_keys(&predicted, truth);
    // Indices into the report's pairs, for a look at what went wrong.
    let positives: Vec<usize> = report
        .pairs
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(p.class, MatchClass::Certain | MatchClass::Likely))
        .map(|(k, _)| k)
        .collect();
    acc.false_positives = acc.false_positives.iter().map(|&k| positives[k]).collect();
    acc
}

/// Scores predicted pairs of records (by `truth_key`; None for a record not of the planted file) against
/// the truth. Records the truth puts in one cluster (a person on two rows and their duplicate) count as
/// true pairs together; a planted pair not predicted is a miss. `false_positives` holds indices into
/// `predicted`.
pub fn evaluate_keys(predicted: &[(Option<u64>, Option<u64>)], truth: &[TruthRow]) -> Accuracy {
    use std::collections::{HashMap, HashSet};
    let mut parent: HashMap<u64, u64> = HashMap::new();
    fn root(p: &HashMap<u64, u64>, x: u64) -> u64 {
        let mut r = x;
        while let Some(&up) = p.get(&r) {
            if up == r {
                break;
            }
            r = up;
        }
        r
    }
    let mut truth_pairs = Vec::new();
    for t in truth {
        let (a, b) = (truth_key(t.a, t.child), truth_key(t.b, t.child));
        parent.entry(a).or_insert(a);
        parent.entry(b).or_insert(b);
        let (ra, rb) = (root(&parent, a), root(&parent, b));
        if ra != rb {
            parent.insert(ra, rb);
        }
        truth_pairs.push((t.kind, a.min(b), a.max(b)));
    }
    let mut found: HashSet<(u64, u64)> = HashSet::new();
    let mut false_positives = Vec::new();
    for (k, pair) in predicted.iter().enumerate() {
        match *pair {
            (Some(a), Some(b))
                if parent.contains_key(&a)
                    && parent.contains_key(&b)
                    && root(&parent, a) == root(&parent, b) =>
            {
                found.insert((a.min(b), a.max(b)));
            }
            _ => false_positives.push(k),
        }
    }
    let mut kinds: Vec<&str> = truth_pairs.iter().map(|t| t.0).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let per_kind = kinds
        .iter()
        .map(|k| {
            let of: Vec<_> = truth_pairs.iter().filter(|t| t.0 == *k).collect();
            let hit = of.iter().filter(|t| found.contains(&(t.1, t.2))).count();
            (
                k.to_string(),
                of.len(),
                hit,
                hit as f64 / of.len().max(1) as f64,
            )
        })
        .collect();
    let hits = truth_pairs
        .iter()
        .filter(|t| found.contains(&(t.1, t.2)))
        .count();
    let tp = predicted.len() - false_positives.len();
    let precision = tp as f64 / predicted.len().max(1) as f64;
    let recall = hits as f64 / truth_pairs.len().max(1) as f64;
    Accuracy {
        predicted: predicted.len(),
        true_positives: tp,
        precision,
        recall,
        f1: if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        },
        per_kind,
        false_positives,
    }
}
