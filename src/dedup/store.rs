//! Records held compactly while a run compares them: every string in one arena, numbers and dates as
//! integers, policies, wards, lists and decisions interned. A million records fit in a few hundred MB; a
//! `Record` (owned strings, for showing and serialising) is made only for the records of reported pairs.

use super::record::{IdNumber, Payment, PaymentState, Record, RecordKind};
use crate::ledger::{Dob, Sex};
use crate::money::Money;
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, Default)]
struct Span {
    off: u32,
    len: u32,
}

const NONE: u32 = u32::MAX;

#[derive(Debug, Clone)]
struct Rec {
    source: u16,
    child: bool,
    /// 0 none, 1 male, 2 female.
    sex: u8,
    /// 0 when not a file's line.
    line: u32,
    person: Span,
    child_of: Span,
    name: Span,
    /// Days from the common era for a whole date; minus the year for a year alone; 0 unknown.
    dob: i32,
    ids_start: u32,
    ids_len: u8,
    phone: Span,
    address: Span,
    ward: u32,
    pays_start: u32,
    pays_len: u32,
}

#[derive(Debug, Clone)]
struct IdRec {
    kind: &'static str,
    digits: Span,
}

#[derive(Debug, Clone)]
struct PayRec {
    rec: u32,
    policy: u32,
    amount: i64,
    state: PaymentState,
    ward: u32,
    list: u32,
    decision: u32,
    paid_on: i32,
    claim: Span,
    payout: Span,
}

/// A fast hasher for the run's own tables (words, wards, policies): the keys are short and come from the
/// records themselves, not from anyone who could choose them to collide.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHash;

impl std::hash::BuildHasher for FastHash {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(0xcbf2_9ce4_8422_2325)
    }
}

/// FNV-1a over the bytes, mixed at the end.
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

/// Interned short strings (policy codes, wards, list names, decisions, sources).
#[derive(Debug, Default)]
struct Interner {
    all: Vec<Arc<str>>,
    index: HashMap<Arc<str>, u32, FastHash>,
    /// The last string asked for: a list gives the same source, ward and policy row after row.
    last: Option<u32>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(i) = self.last.filter(|&i| &*self.all[i as usize] == s) {
            return i;
        }
        if let Some(&i) = self.index.get(s) {
            self.last = Some(i);
            return i;
        }
        let a: Arc<str> = s.into();
        let i = self.all.len() as u32;
        self.all.push(a.clone());
        self.index.insert(a, i);
        self.last = Some(i);
        i
    }
    fn opt(&mut self, s: Option<&str>) -> u32 {
        s.map_or(NONE, |s| self.id(s))
    }
    fn get(&self, i: u32) -> Option<&str> {
        (i != NONE).then(|| &*self.all[i as usize])
    }
}

/// A record's parts, borrowed: what `RecordStore` copies in.
pub(super) struct RowRef<'a> {
    pub source: &'a str,
    pub line: Option<u64>,
    pub person: Option<&'a str>,
    pub child: bool,
    pub child_of: Option<&'a str>,
    pub name: &'a str,
    pub birth: Option<Dob>,
    pub sex: Option<Sex>,
    pub ids: &'a [(&'static str, &'a str)],
    pub phone: Option<&'a str>,
    pub address: Option<&'a str>,
    pub ward: Option<&'a str>,
    /// What a ward list lists the record for: the policy's code and the amount (0 when not given).
    pub listed: Option<(&'a str, i64)>,
}

/// Every record of a run.
#[derive(Debug, Default)]
pub struct RecordStore {
    text: String,
    recs: Vec<Rec>,
    ids: Vec<IdRec>,
    pays: Vec<PayRec>,
    /// Whether `pays` is in record order with each record's range set.
    pays_sorted: bool,
    names: Interner,
    /// Each record folded for comparison, made as it is added (while the next ones are still being read).
    prepared: Vec<super::compare::Prepared>,
    words: super::compare::Words,
}

fn dob_code(d: Option<Dob>) -> i32 {
    match d {
        Some(Dob::Day(d)) => d.num_days_from_ce(),
        Some(Dob::Year(y)) => -y,
        None => 0,
    }
}

pub(super) fn dob_of(code: i32) -> Option<Dob> {
    match code {
        0 => None,
        c if c < 0 => Some(Dob::Year(-c)),
        c => NaiveDate::from_num_days_from_ce_opt(c).map(Dob::Day),
    }
}

impl RecordStore {
    pub fn len(&self) -> usize {
        self.recs.len()
    }
    pub fn is_empty(&self) -> bool {
        self.recs.is_empty()
    }

    fn span(&mut self, s: &str) -> Span {
        let off = self.text.len() as u32;
        self.text.push_str(s);
        Span {
            off,
            len: s.len() as u32,
        }
    }
    fn opt_span(&mut self, s: Option<&str>) -> Span {
        s.map_or(Span::default(), |s| self.span(s))
    }
    fn str(&self, s: Span) -> &str {
        &self.text[s.off as usize..(s.off + s.len) as usize]
    }
    fn opt_str(&self, s: Span) -> Option<&str> {
        (s.len > 0).then(|| self.str(s))
    }

    /// Adds a record (its payments too); returns its index.
    pub fn add(&mut self, r: &Record) -> usize {
        let ids: Vec<(&'static str, &str)> =
            r.ids.iter().map(|i| (i.kind, i.number.as_str())).collect();
        let at = self.add_row(&RowRef {
            source: &r.source,
            line: r.line,
            person: r.person.as_deref(),
            child: r.kind == RecordKind::Child,
            child_of: r.child_of.as_deref(),
            name: &r.name,
            birth: r.birth,
            sex: r.sex,
            ids: &ids,
            phone: r.phone.as_deref(),
            address: r.address.as_deref(),
            ward: r.ward.as_deref(),
            listed: None,
        });
        for p in &r.payments {
            self.add_payment(at, p);
        }
        self.fold_last();
        at
    }

    /// Adds a record from borrowed parts (a ward list's row, without making a `Record` of it), with
    /// what the row lists it for (policy, amount); folds it for comparison.
    pub(super) fn add_listed(&mut self, r: &RowRef) -> usize {
        let at = self.add_row(r);
        self.fold_last();
        at
    }

    fn add_row(&mut self, r: &RowRef) -> usize {
        let at = self.recs.len();
        let ids_start = self.ids.len() as u32;
        for (kind, number) in r.ids.iter().take(255) {
            let digits = self.span(number);
            self.ids.push(IdRec { kind, digits });
        }
        let rec = Rec {
            source: self.names.id(r.source) as u16,
            child: r.child,
            sex: match r.sex {
                None => 0,
                Some(Sex::Male) => 1,
                Some(Sex::Female) => 2,
            },
            line: r.line.map_or(0, |l| l.min(u64::from(u32::MAX)) as u32),
            person: self.opt_span(r.person),
            child_of: self.opt_span(r.child_of),
            name: self.span(r.name),
            dob: dob_code(r.birth),
            ids_start,
            ids_len: r.ids.len().min(255) as u8,
            phone: self.opt_span(r.phone),
            address: self.opt_span(r.address),
            ward: self.names.opt(r.ward),
            pays_start: 0,
            pays_len: 0,
        };
        self.recs.push(rec);
        if let Some((policy, amount)) = r.listed {
            let pay = PayRec {
                rec: at as u32,
                policy: self.names.id(policy),
                amount,
                state: PaymentState::Listed,
                ward: self.names.opt(r.ward),
                list: NONE,
                decision: NONE,
                paid_on: 0,
                claim: Span::default(),
                payout: Span::default(),
            };
            self.pays.push(pay);
            self.pays_sorted = false;
        }
        at
    }

    /// Folds the record added last for comparison.
    fn fold_last(&mut self) {
        let at = self.recs.len() - 1;
        let mut words = std::mem::take(&mut self.words);
        let prepared = super::compare::Prepared::of(self, at, &mut words);
        self.words = words;
        self.prepared.push(prepared);
    }

    /// The records folded for comparison, and the words their names are numbered by.
    pub(super) fn take_prepared(
        &mut self,
    ) -> (Vec<super::compare::Prepared>, super::compare::Words) {
        (
            std::mem::take(&mut self.prepared),
            std::mem::take(&mut self.words),
        )
    }

    /// Adds a payment to a record already added (claims are read after people).
    pub fn add_payment(&mut self, rec: usize, p: &Payment) {
        let claim = self.opt_span(p.claim.as_deref());
        let payout = self.opt_span(p.payout.as_deref());
        let pay = PayRec {
            rec: rec as u32,
            policy: self.names.id(&p.policy),
            amount: p.amount.to_dong().unwrap_or(0),
            state: p.state,
            ward: self.names.opt(p.ward.as_deref()),
            list: self.names.opt(p.list.as_deref()),
            decision: self.names.opt(p.decision.as_deref()),
            paid_on: p.paid_on.map_or(0, |d| d.num_days_from_ce()),
            claim,
            payout,
        };
        self.pays.push(pay);
        self.pays_sorted = false;
    }

    /// Puts payments in record order and sets each record's range (once, after loading).
    pub fn seal(&mut self) {
        if self.pays_sorted {
            return;
        }
        self.pays.sort_by_key(|p| p.rec);
        for r in &mut self.recs {
            r.pays_len = 0;
        }
        for (i, p) in self.pays.iter().enumerate() {
            let r = &mut self.recs[p.rec as usize];
            if r.pays_len == 0 {
                r.pays_start = i as u32;
            }
            r.pays_len += 1;
        }
        self.pays_sorted = true;
    }

    pub fn name(&self, i: usize) -> &str {
        self.str(self.recs[i].name)
    }
    pub fn is_child(&self, i: usize) -> bool {
        self.recs[i].child
    }
    pub fn dob(&self, i: usize) -> Option<Dob> {
        dob_of(self.recs[i].dob)
    }
    pub fn sex(&self, i: usize) -> Option<Sex> {
        match self.recs[i].sex {
            1 => Some(Sex::Male),
            2 => Some(Sex::Female),
            _ => None,
        }
    }
    pub fn ids(&self, i: usize) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        let r = &self.recs[i];
        self.ids[r.ids_start as usize..r.ids_start as usize + r.ids_len as usize]
            .iter()
            .map(|d| (d.kind, self.str(d.digits)))
    }
    pub fn phone(&self, i: usize) -> Option<&str> {
        self.opt_str(self.recs[i].phone)
    }
    pub fn address(&self, i: usize) -> Option<&str> {
        self.opt_str(self.recs[i].address)
    }
    /// The ward's number in this run (`u32::MAX` when none): equal numbers, equal wards.
    pub fn ward_id(&self, i: usize) -> u32 {
        self.recs[i].ward
    }
    pub fn ward(&self, i: usize) -> Option<&str> {
        self.names.get(self.recs[i].ward)
    }

    /// The record, whole.
    pub fn record(&self, i: usize) -> Record {
        let r = &self.recs[i];
        let mut out = Record::new(
            self.names.get(u32::from(r.source)).unwrap_or(""),
            if r.child {
                RecordKind::Child
            } else {
                RecordKind::Person
            },
            self.str(r.name).to_string(),
        );
        out.line = (r.line > 0).then_some(u64::from(r.line));
        out.person = self.opt_str(r.person).map(str::to_string);
        out.child_of = self.opt_str(r.child_of).map(str::to_string);
        out.set_birth(dob_of(r.dob));
        out.sex = self.sex(i);
        out.ids = self
            .ids(i)
            .map(|(kind, number)| IdNumber {
                kind,
                number: number.to_string(),
            })
            .collect();
        out.phone = self.phone(i).map(str::to_string);
        out.address = self.address(i).map(str::to_string);
        out.ward = self.ward(i).map(str::to_string);
        out.payments = self.pays[r.pays_start as usize..(r.pays_start + r.pays_len) as usize]
            .iter()
            .map(|p| Payment {
                policy: self.names.get(p.policy).unwrap_or("").to_string(),
                amount: Money::from_dong(p.amount),
                state: p.state,
                ward: self.names.get(p.ward).map(str::to_string),
                list: self.names.get(p.list).map(str::to_string),
                decision: self.names.get(p.decision).map(str::to_string),
                paid_on: (p.paid_on != 0)
                    .then(|| NaiveDate::from_num_days_from_ce_opt(p.paid_on))
                    .flatten(),
                claim: self.opt_str(p.claim).map(str::to_string),
                payout: self.opt_str(p.payout).map(str::to_string),
            })
            .collect();
        out
    }
}
