//! The auditor's duplicate check: finds people who may be one person across identity documents, typos,
//! wards and ward files, scores each candidate pair with its reasons, and puts the pairs where money was
//! paid twice first, with the amount at stake.
//!
//! How: every source is read into `Record`s; blocking (`blocking.rs`) proposes candidate pairs from a few
//! keys per record; each pair is compared (`compare.rs`) into weighted reasons; the weights add up to a
//! score and a class.

use crate::fields::InputField;
mod blocking;
mod compare;
mod entry;
pub mod load;
mod reason;
mod record;
mod store;

pub use entry::{likely_duplicates, register_person, EntryMatch};
pub use load::{is_ledger_file, SourceSummary};
pub use reason::{Reason, ReasonCode};
pub use record::{IdNumber, Payment, PaymentState, Record, RecordKind};
pub use store::RecordStore;

use crate::error::{LedgerError, Result};
use crate::ledger::Actor;
use crate::ledger::Ledger;
use crate::money::Money;
use compare::compare;
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;
use std::path::Path;

/// How sure a pair is one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchClass {
    Certain,
    Likely,
    Possible,
}

impl MatchClass {
    pub fn label_vi(self) -> &'static str {
        match self {
            MatchClass::Certain => "chắc chắn trùng",
            MatchClass::Likely => "nhiều khả năng trùng",
            MatchClass::Possible => "có thể trùng",
        }
    }
    fn of(bits: f32) -> Option<MatchClass> {
        if bits >= CERTAIN_BITS {
            Some(MatchClass::Certain)
        } else if bits >= LIKELY_BITS {
            Some(MatchClass::Likely)
        } else if bits >= POSSIBLE_BITS {
            Some(MatchClass::Possible)
        } else {
            None
        }
    }
}

/// Evidence needed for each class, in bits (see `ReasonCode::weight`): the same number with the same name
/// (26) is certain; the same name and birth date with a CMND on one side and a CCCD on the other (24) is
/// likely; the same name and birth date with two different CCCDs (12) is only possible.
const CERTAIN_BITS: f32 = 28.0;
const LIKELY_BITS: f32 = 18.0;
const POSSIBLE_BITS: f32 = 8.0;

/// Whether money went out twice over a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Conflict {
    /// Both were paid under the same policy, or under policies that exclude each other.
    PaidTwice,
    /// The same, where at least one side is only claimed, listed or approved: it would be paid twice.
    ClaimedTwice,
    None,
}

/// One candidate pair: two records, the score, the class, the reasons, and what is at stake.
#[derive(Debug, Clone)]
pub struct DuplicatePair {
    pub a: usize,
    pub b: usize,
    pub score: f64,
    pub class: MatchClass,
    pub reasons: Vec<Reason>,
    pub conflict: Conflict,
    /// The later payment(s) of each conflicting pair of payments: what a recovery would ask back.
    pub at_stake: Money,
    /// Identifies the pair for review decisions: a changed record makes a new key.
    pub key: String,
}

/// Blocks too large to compare, by rule: left out and said so.
#[derive(Debug, Clone, Serialize)]
pub struct Oversized {
    pub rule: &'static str,
    pub blocks: usize,
    pub records: usize,
}

/// The result of a run.
#[derive(Debug, Clone)]
pub struct DuplicateReport {
    /// Every record read from the ledger and the sources.
    pub records_total: usize,
    /// The records of the reported pairs (a pair's `a` and `b` index this).
    pub records: Vec<Record>,
    pub pairs: Vec<DuplicatePair>,
    pub sources: Vec<SourceSummary>,
    /// Candidate pairs compared.
    pub comparisons: usize,
    pub oversized: Vec<Oversized>,
    /// Pairs an auditor already decided on (not shown again while neither record changes).
    pub reviewed_hidden: usize,
    pub seconds: f64,
    /// Where the time went: reading the sources, blocking, comparing the candidates, and writing the
    /// reasons of the pairs kept.
    pub stages: StageTimes,
}

/// Seconds per stage of a run.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct StageTimes {
    pub reading: f64,
    pub blocking: f64,
    pub comparing: f64,
    pub explaining: f64,
}

impl DuplicateReport {
    pub fn count(&self, class: MatchClass) -> usize {
        self.pairs.iter().filter(|p| p.class == class).count()
    }
    pub fn paid_twice(&self) -> usize {
        self.pairs
            .iter()
            .filter(|p| p.conflict == Conflict::PaidTwice)
            .count()
    }
    pub fn at_stake_total(&self) -> Money {
        self.pairs
            .iter()
            .filter(|p| p.conflict == Conflict::PaidTwice)
            .fold(Money::ZERO, |s, p| s + p.at_stake)
    }
    /// The pairs classed certain or likely in which at least one record is a row of a file (an import's
    /// dry run shows these): each with the row (the earlier line when both are rows) and the other record,
    /// in line order, strongest first on a line.
    pub fn likely_file_rows(&self) -> Vec<FileRowMatch<'_>> {
        let mut out: Vec<FileRowMatch<'_>> = self
            .pairs
            .iter()
            .filter(|p| matches!(p.class, MatchClass::Certain | MatchClass::Likely))
            .filter_map(|p| {
                let (a, b) = (&self.records[p.a], &self.records[p.b]);
                let (row, other) = match (a.line, b.line) {
                    (Some(x), Some(y)) if y < x => (b, a),
                    (Some(_), _) => (a, b),
                    (None, Some(_)) => (b, a),
                    (None, None) => return None,
                };
                Some(FileRowMatch {
                    row,
                    other,
                    pair: p,
                })
            })
            .collect();
        out.sort_by(|x, y| {
            x.row
                .line
                .cmp(&y.row.line)
                .then(y.pair.score.total_cmp(&x.pair.score))
        });
        out
    }

    /// A pair as it is shown and serialised, with its two records.
    pub fn view<'r>(&'r self, p: &'r DuplicatePair) -> PairView<'r> {
        PairView {
            a: &self.records[p.a],
            b: &self.records[p.b],
            pair: p,
        }
    }
    /// What the audit log keeps of a run.
    pub fn audit_detail(&self) -> serde_json::Value {
        serde_json::json!({
            "records": self.records_total,
            "sources": self.sources.iter().map(|s| serde_json::json!({
                "source": s.source, "kind": s.kind, "sha256": s.sha256,
                "people": s.people, "children": s.children,
                "nothing_to_compare": s.nothing_to_compare.len(),
            })).collect::<Vec<_>>(),
            "pairs": self.pairs.len(),
            "certain": self.count(MatchClass::Certain),
            "likely": self.count(MatchClass::Likely),
            "possible": self.count(MatchClass::Possible),
            "paid_twice": self.paid_twice(),
            "at_stake": self.at_stake_total(),
        })
    }
}

/// A file's row likely the same person as another record (see `likely_file_rows`).
pub struct FileRowMatch<'r> {
    pub row: &'r Record,
    pub other: &'r Record,
    pub pair: &'r DuplicatePair,
}

/// A pair with its records, serialised as `{a, b, score, class, reasons, conflict, at_stake, key}`.
pub struct PairView<'r> {
    pub a: &'r Record,
    pub b: &'r Record,
    pub pair: &'r DuplicatePair,
}

impl Serialize for PairView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Pair", 9)?;
        st.serialize_field("a", self.a)?;
        st.serialize_field("b", self.b)?;
        st.serialize_field("score", &((self.pair.score * 1000.0).round() / 1000.0))?;
        st.serialize_field("class", &self.pair.class)?;
        st.serialize_field("class_label", self.pair.class.label_vi())?;
        st.serialize_field("reasons", &self.pair.reasons)?;
        st.serialize_field("conflict", &self.pair.conflict)?;
        st.serialize_field("at_stake", &self.pair.at_stake)?;
        st.serialize_field("key", &self.pair.key)?;
        st.end()
    }
}

impl Serialize for DuplicateReport {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("DuplicateReport", 13)?;
        st.serialize_field("records", &self.records_total)?;
        st.serialize_field(
            "pairs",
            &self.pairs.iter().map(|p| self.view(p)).collect::<Vec<_>>(),
        )?;
        st.serialize_field("sources", &self.sources)?;
        st.serialize_field("comparisons", &self.comparisons)?;
        st.serialize_field("certain", &self.count(MatchClass::Certain))?;
        st.serialize_field("likely", &self.count(MatchClass::Likely))?;
        st.serialize_field("possible", &self.count(MatchClass::Possible))?;
        st.serialize_field("paid_twice", &self.paid_twice())?;
        st.serialize_field("at_stake_total", &self.at_stake_total())?;
        st.serialize_field("oversized_blocks", &self.oversized)?;
        st.serialize_field("reviewed_hidden", &self.reviewed_hidden)?;
        st.serialize_field("seconds", &((self.seconds * 1000.0).round() / 1000.0))?;
        st.serialize_field("stages", &self.stages)?;
        st.end()
    }
}

/// Where a run is, for a progress bar.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Reading,
    Blocking,
    Comparing,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct CheckProgress {
    pub stage: Stage,
    /// Reading: sources read of `total`; blocking: `total` is the records grouped; comparing: candidate
    /// pairs compared of `total`.
    pub done: usize,
    pub total: usize,
    /// Reading: records read so far from the source being read.
    pub rows: usize,
}

/// Checks the ledger together with each source (another ward's ledger file, or a ward list), as named on
/// the command line. `progress` returning false stops the run (`Cancelled`); nothing is written anywhere.
pub fn find_duplicates(
    ledger: &Ledger,
    db_label: &str,
    sources: &[String],
    progress: &mut dyn FnMut(CheckProgress) -> bool,
) -> Result<DuplicateReport> {
    let started = std::time::Instant::now();
    let pack = ledger.pack();
    let mut records = RecordStore::default();
    let mut summaries = Vec::new();
    let (people, children) = load::ledger_records(ledger.conn(), pack, db_label, &mut records)?;
    summaries.push(SourceSummary {
        source: db_label.to_string(),
        kind: "ledger",
        sha256: String::new(),
        schema_version: Some(crate::store::SCHEMA_VERSION),
        encoding: None,
        people,
        children,
        nothing_to_compare: Vec::new(),
    });
    for (i, source) in sources.iter().enumerate() {
        if !progress(CheckProgress {
            stage: Stage::Reading,
            done: i,
            total: sources.len(),
            rows: 0,
        }) {
            return Err(LedgerError::CheckCancelled);
        }
        let path = Path::new(source);
        if !path.exists() {
            return Err(LedgerError::FileUnreadable {
                path: source.clone(),
                reason: "không có tệp này".into(),
            });
        }
        // The ledger itself, or a file named twice, would pair every record with itself.
        let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if ledger
            .conn()
            .path()
            .is_some_and(|own| same(Path::new(own), path))
        {
            return Err(LedgerError::InvalidInput {
                field: InputField::Source,
                message: format!("{source} chính là sổ đang mở; sổ này luôn được so, chỉ thêm sổ hoặc danh sách của nơi khác"),
            });
        }
        if sources[..i]
            .iter()
            .any(|earlier| same(Path::new(earlier), path))
        {
            return Err(LedgerError::InvalidInput {
                field: InputField::Source,
                message: format!("{source} được chọn hai lần"),
            });
        }
        let summary = if is_ledger_file(path) {
            load::other_ledger(path, pack, source, &mut records)?
        } else {
            load::ward_file(path, pack, source, &mut records, &mut |rows| {
                progress(CheckProgress {
                    stage: Stage::Reading,
                    done: i,
                    total: sources.len(),
                    rows,
                })
            })?
        };
        summaries.push(summary);
    }
    let reading = started.elapsed().as_secs_f64();
    let reviewed = crate::ledger::reviewed_pair_keys(ledger.conn())?;
    let mut report = check_records(records, pack, &reviewed, progress)?;
    report.sources = summaries;
    report.stages.reading = reading;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// The engine over records already read: blocking, comparison, classes, conflicts, order. Pairs whose key
/// is in `reviewed` are left out and counted.
pub fn check_records(
    mut records: RecordStore,
    pack: &crate::rules::RulePack,
    reviewed: &std::collections::HashSet<String>,
    progress: &mut dyn FnMut(CheckProgress) -> bool,
) -> Result<DuplicateReport> {
    let started = std::time::Instant::now();
    records.seal();
    let total_records = records.len();
    if !progress(CheckProgress {
        stage: Stage::Blocking,
        done: 0,
        total: total_records,
        rows: 0,
    }) {
        return Err(LedgerError::CheckCancelled);
    }
    let (prepared, words) = records.take_prepared();
    let (candidates, oversized) = blocking::candidate_pairs(&prepared, &mut |_| {
        progress(CheckProgress {
            stage: Stage::Blocking,
            done: 0,
            total: total_records,
            rows: 0,
        })
    })
    .ok_or(LedgerError::CheckCancelled)?;
    let total = candidates.len();
    let mut stages = StageTimes {
        blocking: started.elapsed().as_secs_f64(),
        ..Default::default()
    };
    if !progress(CheckProgress {
        stage: Stage::Comparing,
        done: 0,
        total,
        rows: 0,
    }) {
        return Err(LedgerError::CheckCancelled);
    }
    // Two threads (the machine a ward office has), each over its half of the candidates: only the bits
    // are added up here; the pairs kept get their words below. This thread reports progress meanwhile
    // and stops them when asked.
    let chunk = candidates.len().div_ceil(2).max(1);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let kept: Option<Vec<(u64, f32, bool)>> = std::thread::scope(|s| {
        let handles: Vec<_> = candidates
            .chunks(chunk)
            .map(|part| {
                let (prepared, words, done, stop) = (&prepared, &words, &done, &stop);
                s.spawn(move || {
                    let mut kept = Vec::new();
                    for block in part.chunks(4096) {
                        if stop.load(std::sync::atomic::Ordering::Relaxed) {
                            break;
                        }
                        for &pair in block {
                            let (i, j) = ((pair >> 32) as usize, (pair & 0xffff_ffff) as usize);
                            let e = compare(&prepared[i], &prepared[j], words, None);
                            if e.bits >= POSSIBLE_BITS || e.same_id {
                                kept.push((pair, e.bits, e.same_id));
                            }
                        }
                        done.fetch_add(block.len(), std::sync::atomic::Ordering::Relaxed);
                    }
                    kept
                })
            })
            .collect();
        while !handles.iter().all(|h| h.is_finished()) {
            std::thread::sleep(std::time::Duration::from_millis(20));
            let going = progress(CheckProgress {
                stage: Stage::Comparing,
                done: done.load(std::sync::atomic::Ordering::Relaxed),
                total,
                rows: 0,
            });
            if !going {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
        let kept: Vec<_> = handles
            .into_iter()
            .flat_map(|h| h.join().expect("no panic"))
            .collect();
        (!stop.load(std::sync::atomic::Ordering::Relaxed)).then_some(kept)
    });
    let kept = kept.ok_or(LedgerError::CheckCancelled)?;
    stages.comparing = started.elapsed().as_secs_f64() - stages.blocking;
    drop(candidates);
    // The records of the kept pairs, whole, each once.
    let mut involved: Vec<usize> = kept
        .iter()
        .flat_map(|&(pair, _, _)| [(pair >> 32) as usize, (pair & 0xffff_ffff) as usize])
        .collect();
    involved.sort_unstable();
    involved.dedup();
    let at = |i: usize| involved.binary_search(&i).expect("involved");
    let whole: Vec<Record> = involved.iter().map(|&i| records.record(i)).collect();
    let fingerprints: Vec<String> = whole.iter().map(Record::fingerprint).collect();
    let mut pairs = Vec::new();
    let mut reviewed_hidden = 0;
    for (pair, _, _) in kept {
        let (i, j) = ((pair >> 32) as usize, (pair & 0xffff_ffff) as usize);
        let (a, b) = (at(i), at(j));
        let key = pair_key(&fingerprints[a], &fingerprints[b]);
        if reviewed.contains(&key) {
            reviewed_hidden += 1;
            continue;
        }
        let mut e = compare(
            &prepared[i],
            &prepared[j],
            &words,
            Some((&whole[a], &whole[b])),
        );
        let class = MatchClass::of(e.bits).unwrap_or(MatchClass::Possible);
        let (conflict, at_stake) = conflict(&whole[a], &whole[b], pack, &mut e.reasons);
        pairs.push(DuplicatePair {
            a,
            b,
            score: 1.0 / (1.0 + f64::from(2f32.powf(-(e.bits - 13.0) / 2.5))),
            class,
            reasons: e.reasons,
            conflict,
            at_stake,
            key,
        });
    }
    drop(prepared);
    drop(records);
    pairs.sort_by(|x, y| {
        (x.conflict, x.class)
            .cmp(&(y.conflict, y.class))
            .then(y.at_stake.cmp(&x.at_stake))
            .then(y.score.total_cmp(&x.score))
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    Ok(DuplicateReport {
        records_total: total_records,
        records: whole,
        pairs,
        sources: Vec::new(),
        comparisons: total,
        oversized: oversized
            .into_iter()
            .map(|(rule, blocks, records)| Oversized {
                rule: rule_name(rule),
                blocks,
                records,
            })
            .collect(),
        reviewed_hidden,
        seconds: started.elapsed().as_secs_f64(),
        stages: StageTimes {
            explaining: started.elapsed().as_secs_f64() - stages.blocking - stages.comparing,
            ..stages
        },
    })
}

fn rule_name(rule: blocking::Rule) -> &'static str {
    use blocking::Rule::*;
    match rule {
        IdNumber => "id_number",
        IdDeletion => "id_one_edit",
        NameDob => "name_dob",
        NameYear => "name_birth_year",
        OuterNamesDob => "surname_given_dob",
        GivenDob => "given_dob",
        Phone => "phone",
    }
}

/// The key a review decision is stored under: a digest of the two records' fingerprints, in order (32 hex
/// digits; any unique start of it names the pair on the command line).
pub fn pair_key(a: &str, b: &str) -> String {
    use sha2::{Digest, Sha256};
    let (x, y) = if a <= b { (a, b) } else { (b, a) };
    let mut h = Sha256::new();
    h.update(x.as_bytes());
    h.update(b":");
    h.update(y.as_bytes());
    hex::encode(&h.finalize()[..16])
}

/// One pair of payments (one from each record) under the same policy or policies excluding each other.
struct PaymentClash {
    ia: usize,
    ib: usize,
    same_policy: bool,
    both_paid: bool,
    /// The later of the two is b's (the one a recovery asks back).
    b_later: bool,
}

fn clashes(a: &Record, b: &Record, pack: &crate::rules::RulePack) -> Vec<PaymentClash> {
    let excludes = |x: &str, y: &str| {
        pack.policy(x)
            .is_ok_and(|p| p.excludes.iter().any(|e| e == y))
            || pack
                .policy(y)
                .is_ok_and(|p| p.excludes.iter().any(|e| e == x))
    };
    let mut out = Vec::new();
    for (ia, pa) in a.payments.iter().enumerate() {
        for (ib, pb) in b.payments.iter().enumerate() {
            let same_policy = pa.policy == pb.policy;
            if !same_policy && !excludes(&pa.policy, &pb.policy) {
                continue;
            }
            // The later payment is the one to recover; without both dates, the smaller amount.
            let b_later = match (pa.paid_on, pb.paid_on) {
                (Some(x), Some(y)) => y >= x,
                _ => pb.amount <= pa.amount,
            };
            out.push(PaymentClash {
                ia,
                ib,
                same_policy,
                both_paid: pa.state == PaymentState::Paid && pb.state == PaymentState::Paid,
                b_later,
            });
        }
    }
    out
}

/// The later payment of each clash where both were paid, once each: (record is b, payment index).
fn later_payments(clashes: &[PaymentClash]) -> Vec<(bool, usize)> {
    let mut later: Vec<(bool, usize)> = Vec::new();
    for c in clashes.iter().filter(|c| c.both_paid) {
        let slot = if c.b_later {
            (true, c.ib)
        } else {
            (false, c.ia)
        };
        if !later.contains(&slot) {
            later.push(slot);
        }
    }
    later
}

fn payment_shown(p: &Payment) -> String {
    let mut t = format!(
        "{} {} ({})",
        p.policy,
        p.amount.format_vi(),
        p.state.label_vi()
    );
    if let Some(l) = &p.list {
        t.push_str(&format!(", đợt «{l}»"));
    }
    if let Some(d) = &p.decision {
        t.push_str(&format!(", QĐ {d}"));
    }
    t
}

/// Whether the two records were paid (or are listed) under the same policy or under policies that exclude
/// each other, and the amount of the later payment of each such pair.
fn conflict(
    a: &Record,
    b: &Record,
    pack: &crate::rules::RulePack,
    reasons: &mut Vec<Reason>,
) -> (Conflict, Money) {
    let found = clashes(a, b, pack);
    let mut worst = Conflict::None;
    for c in &found {
        worst = worst.min(if c.both_paid {
            Conflict::PaidTwice
        } else {
            Conflict::ClaimedTwice
        });
        let (pa, pb) = (&a.payments[c.ia], &b.payments[c.ib]);
        reasons.push(Reason {
            code: if c.same_policy {
                ReasonCode::PaidSamePolicy
            } else {
                ReasonCode::PaidExcludedPolicies
            },
            text: if c.same_policy {
                format!(
                    "Cả hai cùng hưởng một chính sách: {} / {}",
                    payment_shown(pa),
                    payment_shown(pb)
                )
            } else {
                format!(
                    "Hai chính sách loại trừ nhau: {} / {}",
                    payment_shown(pa),
                    payment_shown(pb)
                )
            },
        });
    }
    let at_stake = later_payments(&found)
        .into_iter()
        .map(|(is_b, i)| {
            if is_b {
                b.payments[i].amount
            } else {
                a.payments[i].amount
            }
        })
        .fold(Money::ZERO, |s, m| s + m);
    (worst, at_stake)
}

/// Records an auditor's decision on a pair of a run. "The same person" puts the later payout of each
/// pair of payments made twice on the recovery list, with the pair's reasons as its basis.
pub fn review(
    ledger: &mut Ledger,
    report: &DuplicateReport,
    pair: &DuplicatePair,
    same_person: bool,
    note: &str,
    actor: &Actor,
) -> Result<crate::ledger::ReviewOutcome> {
    let (a, b) = (&report.records[pair.a], &report.records[pair.b]);
    let mut recover = Vec::new();
    if same_person {
        let found = clashes(a, b, ledger.pack());
        for (is_b, i) in later_payments(&found) {
            let (who, other) = if is_b { (b, a) } else { (a, b) };
            let p = &who.payments[i];
            let earlier = found
                .iter()
                .find(|c| (if is_b { c.ib } else { c.ia }) == i)
                .map(|c| &other.payments[if is_b { c.ia } else { c.ib }]);
            let reasons: Vec<&str> = pair
                .reasons
                .iter()
                .filter(|r| r.code.weight() > 0.0)
                .map(|r| r.text.as_str())
                .collect();
            recover.push(crate::ledger::NewRecovery {
                source: who.source.clone(),
                payout_id: p.payout.clone(),
                own: report
                    .sources
                    .first()
                    .is_some_and(|s| s.source == who.source),
                claim_id: p.claim.clone(),
                person_name: who.name.clone(),
                id_numbers: who
                    .ids
                    .iter()
                    .map(|i| i.number.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                ward: p.ward.clone().or_else(|| who.ward.clone()),
                policy: p.policy.clone(),
                amount: p.amount,
                paid_on: p.paid_on,
                list_name: p.list.clone(),
                decision_no: p.decision.clone(),
                basis: format!(
                    "Cùng một người với {} ({}), đã nhận {}. Căn cứ: {}",
                    other.name,
                    other.place_vi(),
                    earlier.map(payment_shown).unwrap_or_default(),
                    reasons.join("; ")
                ),
            });
        }
    }
    let outcome = ledger.record_review(
        &crate::ledger::NewReview {
            pair_key: pair.key.clone(),
            same_person,
            note: note.to_string(),
            a_record: serde_json::to_string(a).expect("serialises"),
            b_record: serde_json::to_string(b).expect("serialises"),
            score: pair.score,
            class: match pair.class {
                MatchClass::Certain => "certain",
                MatchClass::Likely => "likely",
                MatchClass::Possible => "possible",
            },
            recover,
        },
        actor,
    )?;
    Ok(outcome)
}
