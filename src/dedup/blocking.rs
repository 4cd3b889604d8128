//! Blocking: which records are compared at all. Each record gives a few keys; records sharing a key are
//! candidate pairs. No key is weak enough to gather a city: never the surname alone (Nguyễn is ~38% of
//! people), never the given name with the birth year alone. A block larger than its cap is left out and
//! counted (a placeholder number such as 000000000 typed for hundreds of people).

use super::compare::Prepared;
use chrono::Datelike;

/// The blocking rules. The tag keeps their keys apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    /// The same identity number.
    IdNumber = 1,
    /// The same number once one digit is deleted from either: a digit dropped, added, changed, or two
    /// neighbours swapped all meet here.
    IdDeletion = 2,
    /// The same name words (any order) and birth date (day and month in either order).
    NameDob = 3,
    /// The same name words and birth year (a year-only birth date; a birth year read off a CCCD).
    NameYear = 4,
    /// Surname and given name (the middle name left out) with the birth date.
    OuterNamesDob = 5,
    /// The given name with the whole birth date (a surname mistyped).
    GivenDob = 6,
    /// The same phone number.
    Phone = 7,
}

pub(super) const RULES: [Rule; 7] = [
    Rule::IdNumber,
    Rule::IdDeletion,
    Rule::NameDob,
    Rule::NameYear,
    Rule::OuterNamesDob,
    Rule::GivenDob,
    Rule::Phone,
];

impl Rule {
    /// The largest block compared whole.
    pub fn cap(self) -> usize {
        match self {
            Rule::Phone => 12,
            Rule::IdNumber | Rule::IdDeletion => 24,
            _ => 200,
        }
    }
}

/// A 64-bit hash of a key's parts (FNV-1a, then a mixer): fast, stable across runs and platforms.
pub(super) fn key_hash(tag: u8, parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(tag);
    for p in parts {
        for &b in *p {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

/// The bit of a key that marks a probe: under `NameYear` only records without a whole birth date probe
/// (a year alone, none, or one read off a CCCD) and every record of the block answers, so the common names
/// of a city are not compared all with all by year.
const PROBE: u64 = 1;

/// The keys one record gives under one rule (the lowest bit set on a probe's key).
pub(super) fn keys(rule: Rule, p: &Prepared, out: &mut Vec<u64>) {
    let tag = rule as u8;
    let dob_day = match p.dob {
        Some(crate::ledger::Dob::Day(d)) => Some(d),
        _ => None,
    };
    // Day and month in either order meet: 03/12 and 12/03 give the same key.
    let dob_bytes = |d: chrono::NaiveDate| {
        let (lo, hi) = if d.day() <= d.month() {
            (d.day(), d.month())
        } else {
            (d.month(), d.day())
        };
        [
            lo as u8,
            hi as u8,
            (d.year() & 0xff) as u8,
            (d.year() >> 8) as u8,
        ]
    };
    let word_bytes = |w: &[u32]| -> Vec<u8> { w.iter().flat_map(|x| x.to_le_bytes()).collect() };
    match rule {
        Rule::IdNumber => {
            for id in p.ids() {
                out.push(key_hash(tag, &[&id.num.to_le_bytes(), &[id.len]]) | PROBE);
            }
        }
        Rule::IdDeletion => {
            let mut buf = Vec::with_capacity(20);
            for id in p.ids() {
                if id.len < 8 || id.len > 19 {
                    continue;
                }
                // The digits on the stack (leading zeros kept by the length): no allocation per number.
                let mut stack = [0u8; 19];
                let d = id.digits_into(&mut stack);
                for skip in 0..d.len() {
                    // Deleting either of two equal neighbours gives the same string: one key is enough.
                    if skip > 0 && d[skip] == d[skip - 1] {
                        continue;
                    }
                    buf.clear();
                    buf.extend_from_slice(&d[..skip]);
                    buf.extend_from_slice(&d[skip + 1..]);
                    out.push(key_hash(tag, &[&buf]) | PROBE);
                }
                // The whole number too: one with a digit dropped meets it by deleting nothing here.
                out.push(key_hash(tag, &[d]) | PROBE);
            }
        }
        Rule::NameDob | Rule::NameYear => {
            if p.words().len() < 2 {
                return;
            }
            let mut words = p.words().to_vec();
            words.sort_unstable();
            let joined = word_bytes(&words);
            if rule == Rule::NameDob {
                if let Some(d) = dob_day {
                    out.push(key_hash(tag, &[&joined, &dob_bytes(d)]) | PROBE);
                }
            } else if let Some(y) = p.birth_year() {
                let probe = if dob_day.is_none() { PROBE } else { 0 };
                out.push(key_hash(tag, &[&joined, &y.to_le_bytes()]) & !PROBE | probe);
            }
        }
        Rule::OuterNamesDob => {
            if let (Some(d), [first, .., last]) = (dob_day, p.words()) {
                out.push(key_hash(tag, &[&word_bytes(&[*first, *last]), &dob_bytes(d)]) | PROBE);
            }
        }
        Rule::GivenDob => {
            if let (Some(d), Some(last)) = (dob_day, p.words().last()) {
                let exact = [d.day() as u8, d.month() as u8, (d.year() & 0xff) as u8];
                out.push(key_hash(tag, &[&last.to_le_bytes(), &exact]) | PROBE);
            }
        }
        Rule::Phone => {
            if p.phone != 0 {
                out.push(key_hash(tag, &[&p.phone.to_le_bytes()]) | PROBE);
            }
        }
    }
}

/// Blocks left out as too large: the rule, how many blocks, how many records they held.
pub(super) type Skipped = Vec<(Rule, usize, usize)>;

/// Candidate pairs `(i, j)` with `i < j`, packed as `i << 32 | j`, sorted and without repeats; and the
/// blocks left out as too large. The rules run on two threads (the one-deletion rule, by far the largest,
/// on one; the others on the other). `keep_going` is asked before and after; None when it said stop.
pub(super) fn candidate_pairs(
    prepared: &[Prepared],
    keep_going: &mut dyn FnMut(usize) -> bool,
) -> Option<(Vec<u64>, Skipped)> {
    assert!(
        prepared.len() < (1 << 24),
        "at most 16 million records per run"
    );
    if !keep_going(0) {
        return None;
    }
    let (big, rest): (Vec<Rule>, Vec<Rule>) =
        RULES.into_iter().partition(|r| *r == Rule::IdDeletion);
    let ((mut pairs, mut oversized), (more, skipped)) = std::thread::scope(|s| {
        let other = s.spawn(|| pairs_of(prepared, &rest));
        let mine = pairs_of(prepared, &big);
        (mine, other.join().expect("no panic"))
    });
    if !keep_going(RULES.len() - 1) {
        return None;
    }
    pairs.extend(more);
    pairs.sort_unstable();
    pairs.dedup();
    oversized.extend(skipped);
    Some((pairs, oversized))
}

/// The candidate pairs of some rules, sorted and without repeats.
fn pairs_of(prepared: &[Prepared], rules: &[Rule]) -> (Vec<u64>, Skipped) {
    let mut pairs: Vec<u64> = Vec::new();
    let mut oversized = Vec::new();
    let mut buf = Vec::new();
    for &rule in rules {
        // Key in the high 39 bits, then the probe bit, then the record in the low 24: one sort of plain
        // integers, and within a block the answering records come before the probes.
        let mut entries: Vec<u64> = Vec::with_capacity(prepared.len());
        for (i, p) in prepared.iter().enumerate() {
            buf.clear();
            keys(rule, p, &mut buf);
            buf.sort_unstable();
            buf.dedup();
            for k in &buf {
                entries.push((k & !0x1ff_ffff) | ((k & PROBE) << 24) | i as u64);
            }
        }
        entries.sort_unstable();
        let (mut blocks_skipped, mut records_skipped) = (0, 0);
        let mut start = 0;
        while start < entries.len() {
            let key = entries[start] >> 25;
            let mut end = start + 1;
            while end < entries.len() && entries[end] >> 25 == key {
                end += 1;
            }
            let n = end - start;
            // The first probe of the block: every pair with at least one probe is a candidate.
            let probes_from = (start..end)
                .find(|&x| entries[x] & (1 << 24) != 0)
                .unwrap_or(end);
            if probes_from == end {
                // No probe: nothing to compare.
            } else if n > rule.cap() {
                blocks_skipped += 1;
                records_skipped += n;
            } else {
                for x in start..end {
                    let i = entries[x] & 0xff_ffff;
                    for &ey in &entries[(x + 1).max(probes_from)..end] {
                        let j = ey & 0xff_ffff;
                        if i != j {
                            pairs.push((i.min(j) << 32) | i.max(j));
                        }
                    }
                }
            }
            start = end;
        }
        if blocks_skipped > 0 {
            oversized.push((rule, blocks_skipped, records_skipped));
        }
        drop(entries);
        pairs.sort_unstable();
        pairs.dedup();
    }
    (pairs, oversized)
}
