//! The import's reading half, on a thread of its own: each data row read into a person and a claim and
//! checked within the file (cells, the same person twice, a policy's conditions), handed to the writer in
//! batches.

use super::cells::{self, CellResult};
use super::columns::{ColumnMapping, Field};
use super::{Problem, Restored};
use crate::error::LedgerError;
use crate::identity::{fold, validate_identity, IdKind};
use crate::ledger::{Dob, Sex};
use crate::rules::{ClaimFacts, Policy, RulePack};
use std::collections::HashMap;

/// A row read from its cells, before the ledger is asked.
pub(super) struct Row {
    pub(super) name: String,
    pub(super) dob: Option<Dob>,
    pub(super) sex: Option<Sex>,
    pub(super) id: String,
    pub(super) social_insurance: Option<String>,
    pub(super) address: Option<String>,
    pub(super) residential_group: Option<String>,
    pub(super) ward: Option<String>,
    pub(super) phone: Option<String>,
    pub(super) policy: usize,
    pub(super) facts: ClaimFacts,
    pub(super) unit_name: Option<String>,
    pub(super) tax_code: Option<String>,
    pub(super) amount: Option<i64>,
}

/// The file's columns by field, and each field's header as the file writes it.
pub(super) struct Columns {
    pub(super) index: HashMap<Field, usize>,
    pub(super) header: HashMap<Field, String>,
    /// The header row's cells (what a cell outside them, or under a blank or repeated header, is checked against).
    pub(super) mapping: Vec<ColumnMapping>,
}

impl Columns {
    pub(super) fn new(mapping: &[ColumnMapping]) -> Self {
        let mut index = HashMap::new();
        let mut header = HashMap::new();
        for m in mapping {
            if let Some(f) = m.field {
                index.insert(f, m.column - 1);
                header.insert(f, m.header.clone());
            }
        }
        Columns {
            index,
            header,
            mapping: mapping.to_vec(),
        }
    }

    /// Cells that would otherwise be dropped without a word: past the header's last column, under a blank
    /// header, under a repeated header with another value, a control character, or a quote left open (the
    /// rest of the file read into one cell).
    pub(super) fn shape_problems(
        &self,
        record: &csv::StringRecord,
        delimiter: u8,
        p: &mut RowProblems,
    ) {
        let width = self.mapping.len();
        for (i, raw) in record.iter().enumerate() {
            // Most cells are plain text under a known header: nothing to look at.
            let odd = raw.bytes().any(|b| b < 0x20 && b != b'\t');
            let known = self
                .mapping
                .get(i)
                .is_some_and(|m| !m.header.is_empty() && m.duplicate_of.is_none());
            if (!odd && known) || raw.trim().is_empty() {
                continue;
            }
            let value = cells::clean(raw);
            let column = || format!("cột {}", i + 1);
            if raw
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            {
                p.add_at(
                    &column(),
                    &value.escape_debug().to_string(),
                    "ô có ký tự điều khiển (ký tự ẩn); xóa rồi nhập lại",
                );
            }
            if super::sniff::line_breaks(raw) >= 2 && raw.contains(char::from(delimiter)) {
                let shown: String = value.chars().take(40).collect();
                p.add_at(&column(), &shown, "có dấu ngoặc kép (\") mở mà không đóng: các dòng sau của tệp đã bị đọc vào ô này; thêm dấu đóng rồi nhập lại");
            }
            match self.mapping.get(i) {
                None => p.add_at(&column(), &value, format!("dòng có {} ô, dòng tiêu đề chỉ có {width} cột (một ô có dấu phẩy mà thiếu dấu ngoặc kép?)", record.len())),
                Some(m) if m.header.is_empty() => p.add_at(&column(), &value, "cột này không có tiêu đề nên không đọc được; đặt tiêu đề theo mẫu hoặc xóa cột"),
                Some(m) => {
                    if let Some(first) = m.duplicate_of {
                        let other = record.get(first - 1).map(cells::clean).unwrap_or_default();
                        if other != value {
                            p.add_at(&m.header, &value, format!("trùng tiêu đề với cột {first} nhưng khác giá trị «{other}»; chỉ giữ một cột"));
                        }
                    }
                }
            }
        }
    }
    /// Whether the workbook stored `f`'s cell of this row as a number (`numeric`: a bit per column).
    pub(super) fn numeric(&self, numeric: u128, f: Field) -> bool {
        self.index
            .get(&f)
            .is_some_and(|&i| i < 128 && (numeric >> i) & 1 == 1)
    }

    pub(super) fn cell(&self, record: &csv::StringRecord, f: Field) -> String {
        self.index
            .get(&f)
            .and_then(|&i| record.get(i))
            .map(cells::clean)
            .unwrap_or_default()
    }
    pub(super) fn name(&self, f: Field) -> String {
        self.header
            .get(&f)
            .cloned()
            .unwrap_or_else(|| f.header().to_string())
    }
}

/// The policies by every way a file may name them: code, or title (folded).
pub(super) struct PolicyNames<'a> {
    pub(super) pack: &'a RulePack,
    pub(super) by_name: HashMap<String, usize>,
}

impl<'a> PolicyNames<'a> {
    pub(super) fn new(pack: &'a RulePack) -> Self {
        let mut by_name = HashMap::new();
        for (i, p) in pack.policies.iter().enumerate() {
            by_name.insert(fold(&p.code), i);
            by_name.insert(fold(&p.title), i);
        }
        PolicyNames { pack, by_name }
    }
    pub(super) fn find(&self, text: &str) -> CellResult<usize> {
        self.by_name.get(&fold(text)).copied().ok_or_else(|| {
            format!("chính sách '{text}' không có trong bộ quy tắc {} (ghi mã như hn-3642-freelance hoặc đúng tên chính sách trong bộ quy tắc)", self.pack.pack.version)
        })
    }
    pub(super) fn policy(&self, i: usize) -> &'a Policy {
        &self.pack.policies[i]
    }
}

/// Collects a row's problems, each naming its column.
pub(super) struct RowProblems<'c> {
    pub(super) line: u64,
    pub(super) columns: &'c Columns,
    pub(super) list: Vec<Problem>,
}

impl RowProblems<'_> {
    /// A problem in a column named by the caller (one the template does not know).
    pub(super) fn add_at(&mut self, column: &str, value: &str, reason: impl Into<String>) {
        self.list.push(Problem {
            line: self.line,
            column: column.to_string(),
            value: value.to_string(),
            reason: reason.into(),
        });
    }

    pub(super) fn add(&mut self, f: Field, value: &str, reason: impl Into<String>) {
        self.list.push(Problem {
            line: self.line,
            column: self.columns.name(f),
            value: value.to_string(),
            reason: reason.into(),
        });
    }
    pub(super) fn take<T>(&mut self, f: Field, value: &str, r: CellResult<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(reason) => {
                self.add(f, value, reason);
                None
            }
        }
    }
}

/// What reading a row found besides its problems: cells read otherwise than stored, and the policy whose
/// required conditions the row's own cells leave unanswered.
#[derive(Default)]
pub(super) struct RowNotes {
    pub(super) restored: Vec<Restored>,
    pub(super) unanswered: Option<usize>,
}

/// Reads a data row's cells into a `Row`, or its problems. `numeric` marks the cells a workbook stored as
/// numbers; `confirm` answers, for the whole file, a required condition the row's cells leave unanswered.
pub(super) fn read_row(
    record: &csv::StringRecord,
    numeric: u128,
    cols: &Columns,
    policies: &PolicyNames,
    confirm: bool,
    p: &mut RowProblems,
    notes: &mut RowNotes,
) -> Option<Row> {
    // A number whose leading zeros Excel dropped gets them back where only one reading is possible.
    let get = |f: Field| {
        let text = cols.cell(record, f);
        if numeric == 0 || !cols.numeric(numeric, f) {
            return Ok(text);
        }
        match cells::restore_zeros(f, &text) {
            Ok(Some((fixed, reason))) => Err(Ok((text, fixed, reason))),
            Ok(None) => Ok(text),
            Err(reason) => Err(Err((text, reason))),
        }
    };
    let mut refused_cells: Vec<(Field, String, String)> = Vec::new();
    let mut restored: Vec<Restored> = Vec::new();
    let mut read = |f: Field| match get(f) {
        Ok(text) => text,
        Err(Ok((stored, fixed, reason))) => {
            restored.push(Restored {
                line: p.line,
                column: cols.name(f),
                stored,
                read: fixed.clone(),
                reason,
            });
            fixed
        }
        Err(Err((stored, reason))) => {
            refused_cells.push((f, stored.clone(), reason));
            stored
        }
    };
    let id_text = read(Field::IdNumber);
    let phone = read(Field::Phone);
    let social = read(Field::SocialInsurance);
    let tax = read(Field::TaxCode);
    notes.restored = restored;
    let get = |f: Field| match f {
        Field::IdNumber => id_text.clone(),
        Field::Phone => phone.clone(),
        Field::SocialInsurance => social.clone(),
        Field::TaxCode => tax.clone(),
        _ => cols.cell(record, f),
    };
    let opt = |f: Field| Some(get(f)).filter(|s| !s.is_empty());

    if matches!(
        crate::identity::fold(&get(Field::RowNo)).as_str(),
        "vi du" | "vd" | "mau" | "dong mau"
    ) {
        p.add(
            Field::RowNo,
            &get(Field::RowNo),
            "dòng ví dụ của mẫu nhập, không phải người thật; xóa dòng này trước khi nhập",
        );
    }
    let name = get(Field::FullName);
    if name.is_empty() {
        p.add(Field::FullName, "", "thiếu họ và tên");
    } else if name.chars().any(|c| c.is_ascii_digit()) {
        p.add(Field::FullName, &name, "họ tên có chữ số; kiểm tra lại cột");
    }
    let dob = opt(Field::Dob).and_then(|t| p.take(Field::Dob, &t, cells::birth(&t)));
    let sex = opt(Field::Sex).and_then(|t| {
        let r = Sex::parse(&t).map_err(|_| format!("'{t}': ghi Nam hoặc Nữ"));
        p.take(Field::Sex, &t, r)
    });
    let id = if let Some((f, value, reason)) = refused_cells.pop() {
        p.add(f, &value, reason);
        None
    } else if id_text.is_empty() {
        p.add(
            Field::IdNumber,
            "",
            "thiếu số CCCD/CMND: không có số giấy tờ thì không kiểm tra được trùng lặp",
        );
        None
    } else {
        p.take(Field::IdNumber, &id_text, cells::id_digits(&id_text))
            .and_then(|digits| {
                let kind = if digits.len() == 9 {
                    IdKind::Cmnd
                } else {
                    IdKind::Cccd
                };
                let r = validate_identity(
                    kind,
                    &digits,
                    dob.map(|d| d.year()),
                    sex.map(|s| s == Sex::Female),
                )
                .map_err(|e| match e {
                    LedgerError::InvalidIdentity { reason, .. } => reason,
                    other => other.to_string(),
                });
                p.take(Field::IdNumber, &id_text, r)
            })
    };
    let social_insurance = opt(Field::SocialInsurance).and_then(|t| {
        let r = validate_identity(IdKind::SocialInsurance, &t, None, None).map_err(|e| match e {
            LedgerError::InvalidIdentity { reason, .. } => reason,
            other => other.to_string(),
        });
        p.take(Field::SocialInsurance, &t, r)
    });
    let policy_text = get(Field::Policy);
    let policy = if policy_text.is_empty() {
        p.add(Field::Policy, "", "thiếu chính sách");
        None
    } else {
        p.take(Field::Policy, &policy_text, policies.find(&policy_text))
    };

    let mut facts = ClaimFacts {
        dob: dob.and_then(|d| d.date()),
        ..Default::default()
    };
    let date = |f: Field, p: &mut RowProblems| opt(f).and_then(|t| p.take(f, &t, cells::date(&t)));
    facts.from = date(Field::From, p);
    facts.to = date(Field::To, p);
    facts.applied = date(Field::Applied, p);
    if let (Some(a), Some(b)) = (facts.from, facts.to) {
        if b < a {
            p.add(Field::To, &get(Field::To), "đến ngày trước từ ngày");
        }
    }
    facts.days = opt(Field::Days).and_then(|t| p.take(Field::Days, &t, cells::days(&t)));
    let flag = |f: Field, p: &mut RowProblems| {
        opt(f)
            .and_then(|t| p.take(f, &t, cells::yes(&t)))
            .unwrap_or(false)
    };
    facts.pregnant = flag(Field::Pregnant, p);
    facts.elderly = flag(Field::Elderly, p);
    facts.disabled = flag(Field::Disabled, p);
    if facts.pregnant && sex == Some(Sex::Male) {
        p.add(
            Field::Pregnant,
            &get(Field::Pregnant),
            "người này ghi giới tính Nam",
        );
    }
    facts.children = opt(Field::Children)
        .and_then(|t| p.take(Field::Children, &t, cells::children(&t)))
        .unwrap_or_default();
    if let Some(i) = policy {
        let pol = policies.policy(i);
        // The row's own mark: x confirms every requirement, an explicit "không" confirms none (and is not
        // overruled by a confirmation of the whole file); blank leaves them to the file.
        let mark = opt(Field::ConditionsMet);
        let own = mark
            .as_deref()
            .and_then(|t| p.take(Field::ConditionsMet, t, cells::yes(t)));
        if own == Some(true) {
            for c in pol.conditions.iter().filter(|c| c.must) {
                facts.flags.insert(c.fact.clone(), true);
            }
        }
        if let Some(t) = opt(Field::Facts) {
            let known: Vec<&str> = pol.conditions.iter().map(|c| c.fact.as_str()).collect();
            if let Some(f) = p.take(Field::Facts, &t, cells::facts(&t, &known)) {
                facts.flags.extend(f);
            }
        }
        let unanswered: Vec<&str> = pol
            .conditions
            .iter()
            .filter(|c| c.must && !facts.flags.contains_key(&c.fact))
            .map(|c| c.fact.as_str())
            .collect();
        if !unanswered.is_empty() && mark.is_none() {
            notes.unanswered = Some(i);
            if confirm {
                for fact in unanswered {
                    facts.flags.insert(fact.to_string(), true);
                }
            }
        }
    }
    let amount = opt(Field::Amount).and_then(|t| p.take(Field::Amount, &t, cells::amount(&t)));

    if !p.list.is_empty() {
        return None;
    }
    Some(Row {
        name,
        dob,
        sex,
        id: id?,
        social_insurance,
        address: opt(Field::Address),
        residential_group: opt(Field::ResidentialGroup),
        ward: opt(Field::Ward),
        phone: opt(Field::Phone),
        policy: policy?,
        facts,
        unit_name: opt(Field::UnitName),
        tax_code: opt(Field::TaxCode),
        amount,
    })
}

/// A row that is not data: blank, the "(1) (2) (3)" numbering under the header, a total, a signature.
/// `raw` gives the row's cells as read, `cell` a field's cell cleaned.
pub(super) fn not_data<'r, C: AsRef<str>>(
    raw: impl Iterator<Item = &'r str> + Clone,
    cell: impl Fn(Field) -> C,
    known_policy: impl Fn(&str) -> bool,
) -> Option<bool> {
    if raw.clone().all(|c| c.trim().is_empty()) {
        return Some(false); // blank: skipped without mention
    }
    let numbering = raw.map(str::trim).filter(|c| !c.is_empty()).all(|c| {
        let c = c.trim_start_matches('(').trim_end_matches(')');
        !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit())
    });
    if numbering {
        return Some(true);
    }
    // A row numbered like the data (an STT) or with a birth date is a person whose number and policy were
    // left out: it is read, and refused with its reasons, never skipped as a signature line.
    let a_person = || {
        cell(Field::RowNo)
            .as_ref()
            .parse::<u32>()
            .is_ok_and(|n| n > 0)
            || super::cells::birth(cell(Field::Dob).as_ref()).is_ok()
    };
    if !cell(Field::IdNumber).as_ref().is_empty() {
        return None;
    }
    let policy = cell(Field::Policy);
    // A signature block merged over the last columns puts its lines ("TM. ỦY BAN NHÂN DÂN", the date, the
    // signer's name) in the policy's column: with no number, no STT and no birth date, a cell that names
    // no policy does not make the row a person.
    if !policy.as_ref().is_empty() && (known_policy(policy.as_ref()) || a_person()) {
        return None;
    }
    (!a_person()).then_some(true)
}

/// Whether a cell names a policy of the shipped pack (by code or title, folded): what tells a signature
/// line in the policy's column from a person's row (`not_data`).
pub(super) fn names_a_policy(text: &str) -> bool {
    static NAMES: std::sync::OnceLock<std::collections::HashSet<String>> =
        std::sync::OnceLock::new();
    NAMES
        .get_or_init(|| {
            crate::rules::default_pack()
                .policies
                .iter()
                .flat_map(|p| [fold(&p.code), fold(&p.title)])
                .collect()
        })
        .contains(&fold(text))
}

/// What the reading thread hands the writing one: a data row (read, with its in-file problems), or a line
/// that is not data.
pub(super) enum Item {
    Skipped(u64),
    Row {
        line: u64,
        record: csv::StringRecord,
        row: Option<Box<Row>>,
        problems: Vec<Problem>,
        restored: Vec<Restored>,
        unanswered: Option<usize>,
    },
}

/// The file's records from its start: where the reading thread starts.
pub(super) struct Source {
    pub records: super::records::Records,
    /// The delimiter of a CSV file (`,` for a workbook: only a cell's shape problems name it).
    pub delimiter: u8,
    pub header_line: u64,
    /// For sizing the in-file bookkeeping up front (a resize of a million-entry map doubles it).
    pub rows_estimate: usize,
}

/// What the reading thread knows of a person: folded-name hash, first line, and the policies (by index
/// in the pack) of their rows so far.
/// (32 bytes: a million people's bookkeeping stays well inside the import's memory budget.)
pub(super) struct Seen {
    pub(super) policies: u64,
    pub(super) name: NameKeys,
    /// The first line (files of more than 4 billion lines are not ward lists).
    pub(super) line: u32,
    /// The birth date as given (days from the common era, minus the year for a year alone; 0 when not given).
    pub(super) dob: i32,
}

/// Reads, parses and checks every row against the rest of the file, sending batches to the writer. Runs
/// on its own thread: on two cores the reading and the ledger's writing overlap.
pub(super) fn read_rows(
    source: Source,
    pack: RulePack,
    mapping: Vec<ColumnMapping>,
    confirm: bool,
    out: std::sync::mpsc::SyncSender<Result<Vec<Item>, String>>,
) {
    let cols = Columns::new(&mapping);
    let policies = PolicyNames::new(&pack);
    let mut records = source.records;
    let mut seen: HashMap<u64, Seen> = HashMap::with_capacity(source.rows_estimate);
    // (person, policy) → first line, only for people with rows under several policies (rare).
    let mut seen_more: HashMap<(u64, usize), u64> = HashMap::new();
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        let mut record = csv::StringRecord::new();
        let (line, numeric) = match records.next(&mut record) {
            Ok(Some(next)) => next,
            Ok(None) => break,
            Err(e) => {
                let _ = out.send(Err(e));
                return;
            }
        };
        if line <= source.header_line {
            continue;
        }
        match not_data(
            record.iter(),
            |f| cols.cell(&record, f),
            |t| policies.find(t).is_ok(),
        ) {
            Some(true) => {
                batch.push(Item::Skipped(line));
                continue;
            }
            Some(false) => continue,
            None => {}
        }
        let mut problems = RowProblems {
            line,
            columns: &cols,
            list: Vec::new(),
        };
        cols.shape_problems(&record, source.delimiter, &mut problems);
        let mut notes = RowNotes::default();
        let row = read_row(
            &record,
            numeric,
            &cols,
            &policies,
            confirm,
            &mut problems,
            &mut notes,
        )
        .map(Box::new);
        if let Some(row) = &row {
            let key = id_key(&row.id);
            let name = NameKeys::of(&row.name);
            let bit = 1u64 << (row.policy % 64);
            let dob = row.dob.map_or(0, |d| match d {
                crate::ledger::Dob::Day(day) => chrono::Datelike::num_days_from_ce(&day),
                crate::ledger::Dob::Year(y) => -y,
            });
            match seen.get_mut(&key) {
                None => {
                    seen.insert(
                        key,
                        Seen {
                            policies: bit,
                            name,
                            line: line.min(u64::from(u32::MAX)) as u32,
                            dob,
                        },
                    );
                }
                Some(s) => {
                    if s.dob != 0 && dob != 0 && s.dob != dob {
                        problems.add(
                            Field::Dob,
                            &row.dob.map(|d| d.display()).unwrap_or_default(),
                            format!("cùng số giấy tờ với dòng {} nhưng khác ngày sinh", s.line),
                        );
                    }
                    if !s.name.same(&name) {
                        problems.add(
                            Field::IdNumber,
                            &row.id,
                            format!("cùng số giấy tờ với dòng {} nhưng khác họ tên", s.line),
                        );
                    }
                    if s.policies & bit != 0 {
                        let at = seen_more
                            .get(&(key, row.policy))
                            .copied()
                            .unwrap_or(u64::from(s.line));
                        problems.add(
                            Field::IdNumber,
                            &row.id,
                            format!(
                                "người này đã có ở dòng {at} của tệp với cùng chính sách {}; mỗi người chỉ được hưởng một lần",
                                policies.policy(row.policy).code
                            ),
                        );
                    } else {
                        s.policies |= bit;
                        seen_more.insert((key, row.policy), line);
                    }
                }
            }
        }
        batch.push(Item::Row {
            line,
            record,
            row,
            problems: problems.list,
            restored: notes.restored,
            unanswered: notes.unanswered,
        });
        if batch.len() == BATCH
            && out
                .send(Ok(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))))
                .is_err()
        {
            return; // the writer stopped (cancelled or failed)
        }
    }
    let _ = out.send(Ok(batch));
}

pub(super) const BATCH: usize = 512;

/// One person's name written twice: the same letters and marks (any case), or the same but for tone marks
/// when one of the two was typed without any ("Nguyen Van An"). "Bình" and "Bính" are two names.
pub(super) fn same_name(a: &str, b: &str) -> bool {
    let lower = |s: &str| crate::identity::normalize_nfc(s).to_lowercase();
    lower(a) == lower(b) || (fold(a) == fold(b) && (a.is_ascii() || b.is_ascii()))
}

/// Compact keys for the in-file checks, so a million-row file's bookkeeping stays small.
pub(super) fn id_key(id: &str) -> u64 {
    (id.len() as u64) * 1_000_000_000_000 + id.parse::<u64>().unwrap_or(0)
}
/// A name, small: hashes of its exact (lower-case NFC) and folded spellings, and whether it was typed
/// without marks; compared as `same_name` compares two names.
/// Hashes of 32 bits: they are only ever compared between rows that share an ID number.
#[derive(Clone, Copy)]
pub(super) struct NameKeys {
    pub(super) exact: u32,
    pub(super) folded: u32,
    pub(super) ascii: bool,
}

impl NameKeys {
    pub(super) fn of(name: &str) -> NameKeys {
        use std::hash::{Hash, Hasher};
        let hash = |s: String| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            s.hash(&mut h);
            h.finish() as u32
        };
        NameKeys {
            exact: hash(crate::identity::normalize_nfc(name).to_lowercase()),
            folded: hash(fold(name)),
            ascii: name.is_ascii(),
        }
    }
    pub(super) fn same(&self, other: &NameKeys) -> bool {
        self.exact == other.exact || (self.folded == other.folded && (self.ascii || other.ascii))
    }
}
