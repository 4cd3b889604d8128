//! One import run inside one transaction: each data row read into a person and a claim, checked against
//! the file (the same person twice) and the ledger (already there, already paid, rule amount), and written
//! through the same inserts as a claim typed by hand.

use super::cells::{self, CellResult};
use super::columns::{ColumnMapping, Field};
use super::{ImportOptions, ImportReport, Problem, Restored, UnansweredConditions, PROBLEMS_KEPT};
use crate::error::LedgerError;
use crate::fields::InputField;
use crate::identity::{fold, validate_identity, IdKind, IdentityDoc};
use crate::ledger::{
    insert_group, insert_household, insert_person_in, insert_priced_claim, load_person,
    Beneficiary, Dob, Ledger, NewPerson, Person, Sex,
};
use crate::money::Money;
use crate::rules::{ClaimFacts, Policy, RulePack, Unit};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;
use std::path::PathBuf;

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

/// The rejected rows, written back with the file's own columns plus the reason, ready to fix and re-import:
/// a CSV file in the file's own delimiter, or for a workbook a workbook whose cells are all text (an ID
/// number keeps its leading zeros when it is opened again).
pub(super) struct Rejects {
    header: Vec<String>,
    /// `None` for a workbook.
    delimiter: Option<u8>,
    dest: PathBuf,
    /// The reason column of a rejects file being re-imported: replaced, not doubled.
    old_reason: Option<usize>,
    writer: Option<(PathBuf, RejectsWriter)>,
}

enum RejectsWriter {
    Csv(Box<csv::Writer<std::io::BufWriter<std::fs::File>>>),
    Xlsx {
        book: Box<rust_xlsxwriter::Workbook>,
        row: u32,
    },
}

impl Drop for Rejects {
    /// A run that failed leaves no partial rejects file behind.
    fn drop(&mut self) {
        if let Some((partial, _)) = self.writer.take() {
            let _ = std::fs::remove_file(partial);
        }
    }
}

/// The header of the reason column (not a template header, so a re-import ignores it).
pub const REASON_HEADER: &str = "Lý do bị từ chối";

impl Rejects {
    pub(super) fn new(header: &[String], delimiter: Option<u8>, dest: PathBuf) -> Self {
        let old_reason = header.iter().position(|h| h == REASON_HEADER);
        let mut header = header.to_vec();
        if let Some(i) = old_reason {
            header.remove(i);
        }
        Rejects {
            header,
            delimiter,
            dest,
            old_reason,
            writer: None,
        }
    }

    fn unwritable(&self, e: &std::io::Error) -> LedgerError {
        LedgerError::FileUnwritable {
            path: self.dest.display().to_string(),
            reason: crate::error::io_reason_vi(e),
        }
    }

    /// Starts the file on the first rejected row (a partial name until the import ends).
    fn add(&mut self, record: &csv::StringRecord, reasons: &str) -> Result<(), LedgerError> {
        if self.writer.is_none() {
            crate::files::refuse_ledger_destination(&self.dest)?;
            let mut partial = self.dest.clone().into_os_string();
            partial.push(".tmp");
            let partial = PathBuf::from(partial);
            crate::files::refuse_ledger_destination(&partial)?;
            let mut head = self.header.clone();
            head.push(REASON_HEADER.into());
            let writer = match self.delimiter {
                Some(delimiter) => {
                    let file = std::fs::File::create(&partial).map_err(|e| self.unwritable(&e))?;
                    let mut file = std::io::BufWriter::new(file);
                    std::io::Write::write_all(&mut file, b"\xEF\xBB\xBF")
                        .map_err(|e| self.unwritable(&e))?;
                    let mut w = csv::WriterBuilder::new()
                        .delimiter(delimiter)
                        .flexible(true)
                        .terminator(csv::Terminator::CRLF)
                        .from_writer(file);
                    w.write_record(&head).map_err(csv_io)?;
                    RejectsWriter::Csv(Box::new(w))
                }
                None => {
                    let mut book = Box::new(rust_xlsxwriter::Workbook::new());
                    let sheet = book
                        .add_worksheet_with_constant_memory()
                        .map_err(xlsx_error)?;
                    sheet.set_name("Bị từ chối").map_err(xlsx_error)?;
                    let bold = rust_xlsxwriter::Format::new().set_bold();
                    for (i, h) in head.iter().enumerate() {
                        sheet
                            .write_string_with_format(0, i as u16, h, &bold)
                            .map_err(xlsx_error)?;
                    }
                    RejectsWriter::Xlsx { book, row: 1 }
                }
            };
            self.writer = Some((partial, writer));
        }
        let (_, w) = self.writer.as_mut().expect("just opened");
        let kept = record
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != self.old_reason)
            .map(|(_, c)| c);
        match w {
            RejectsWriter::Csv(w) => {
                // Cells go back as they came, except that one Excel would run as a formula.
                let mut cells: Vec<std::borrow::Cow<str>> =
                    kept.map(crate::excel::neutralise).collect();
                cells.resize(self.header.len().max(cells.len()), "".into());
                cells.push(reasons.into());
                w.write_record(cells.iter().map(|c| c.as_bytes()))
                    .map_err(csv_io)?;
            }
            RejectsWriter::Xlsx { book, row } => {
                let sheet = book.worksheet_from_index(0).map_err(xlsx_error)?;
                let mut width = 0;
                for (i, c) in kept.enumerate() {
                    if !c.is_empty() {
                        sheet.write_string(*row, i as u16, c).map_err(xlsx_error)?;
                    }
                    width = i + 1;
                }
                let at = width.max(self.header.len()) as u16;
                sheet.write_string(*row, at, reasons).map_err(xlsx_error)?;
                *row += 1;
            }
        }
        Ok(())
    }

    /// Finishes the file under its real name; returns that name when there was anything to write.
    fn finish(&mut self) -> Result<Option<String>, LedgerError> {
        match self.writer.take() {
            Some((partial, RejectsWriter::Csv(mut w))) => {
                w.flush().map_err(|e| self.unwritable(&e))?;
                let file = w.into_inner().map_err(|e| self.unwritable(e.error()))?;
                file.get_ref().sync_all().map_err(|e| self.unwritable(&e))?;
                drop(file);
                self.rename(&partial)
            }
            Some((partial, RejectsWriter::Xlsx { mut book, .. })) => {
                let saved = book.save(&partial).map_err(xlsx_error).and_then(|_| {
                    std::fs::File::open(&partial)
                        .and_then(|f| f.sync_all())
                        .map_err(|e| self.unwritable(&e))
                });
                if let Err(e) = saved {
                    let _ = std::fs::remove_file(&partial);
                    return Err(e);
                }
                self.rename(&partial)
            }
            None => Ok(None),
        }
    }

    fn rename(&self, partial: &std::path::Path) -> Result<Option<String>, LedgerError> {
        crate::files::refuse_ledger_destination(&self.dest)?;
        std::fs::rename(partial, &self.dest).map_err(|e| self.unwritable(&e))?;
        Ok(Some(self.dest.display().to_string()))
    }
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> LedgerError {
    LedgerError::Io(std::io::Error::other(e.to_string()))
}

fn csv_io(e: csv::Error) -> LedgerError {
    LedgerError::Io(std::io::Error::other(e.to_string()))
}

/// A row read from its cells, before the ledger is asked.
struct Row {
    name: String,
    dob: Option<Dob>,
    sex: Option<Sex>,
    id: String,
    social_insurance: Option<String>,
    address: Option<String>,
    residential_group: Option<String>,
    ward: Option<String>,
    phone: Option<String>,
    policy: usize,
    facts: ClaimFacts,
    unit_name: Option<String>,
    tax_code: Option<String>,
    amount: Option<i64>,
}

/// The file's columns by field, and each field's header as the file writes it.
pub(super) struct Columns {
    index: HashMap<Field, usize>,
    header: HashMap<Field, String>,
    /// The header row's cells (what a cell outside them, or under a blank or repeated header, is checked against).
    mapping: Vec<ColumnMapping>,
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
    fn shape_problems(&self, record: &csv::StringRecord, delimiter: u8, p: &mut RowProblems) {
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
    fn numeric(&self, numeric: u128, f: Field) -> bool {
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
    fn name(&self, f: Field) -> String {
        self.header
            .get(&f)
            .cloned()
            .unwrap_or_else(|| f.header().to_string())
    }
}

/// The policies by every way a file may name them: code, or title (folded).
struct PolicyNames<'a> {
    pack: &'a RulePack,
    by_name: HashMap<String, usize>,
}

impl<'a> PolicyNames<'a> {
    fn new(pack: &'a RulePack) -> Self {
        let mut by_name = HashMap::new();
        for (i, p) in pack.policies.iter().enumerate() {
            by_name.insert(fold(&p.code), i);
            by_name.insert(fold(&p.title), i);
        }
        PolicyNames { pack, by_name }
    }
    fn find(&self, text: &str) -> CellResult<usize> {
        self.by_name.get(&fold(text)).copied().ok_or_else(|| {
            format!("chính sách '{text}' không có trong bộ quy tắc {} (ghi mã như hn-3642-freelance hoặc đúng tên chính sách trong bộ quy tắc)", self.pack.pack.version)
        })
    }
    fn policy(&self, i: usize) -> &'a Policy {
        &self.pack.policies[i]
    }
}

/// Collects a row's problems, each naming its column.
struct RowProblems<'c> {
    line: u64,
    columns: &'c Columns,
    list: Vec<Problem>,
}

impl RowProblems<'_> {
    /// A problem in a column named by the caller (one the template does not know).
    fn add_at(&mut self, column: &str, value: &str, reason: impl Into<String>) {
        self.list.push(Problem {
            line: self.line,
            column: column.to_string(),
            value: value.to_string(),
            reason: reason.into(),
        });
    }

    fn add(&mut self, f: Field, value: &str, reason: impl Into<String>) {
        self.list.push(Problem {
            line: self.line,
            column: self.columns.name(f),
            value: value.to_string(),
            reason: reason.into(),
        });
    }
    fn take<T>(&mut self, f: Field, value: &str, r: CellResult<T>) -> Option<T> {
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
struct RowNotes {
    restored: Vec<Restored>,
    unanswered: Option<usize>,
}

/// Reads a data row's cells into a `Row`, or its problems. `numeric` marks the cells a workbook stored as
/// numbers; `confirm` answers, for the whole file, a required condition the row's cells leave unanswered.
fn read_row(
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
enum Item {
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
struct Seen {
    policies: u64,
    name: NameKeys,
    /// The first line (files of more than 4 billion lines are not ward lists).
    line: u32,
    /// The birth date as given (days from the common era, minus the year for a year alone; 0 when not given).
    dob: i32,
}

/// Reads, parses and checks every row against the rest of the file, sending batches to the writer. Runs
/// on its own thread: on two cores the reading and the ledger's writing overlap.
fn read_rows(
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

const BATCH: usize = 512;

/// One person's name written twice: the same letters and marks (any case), or the same but for tone marks
/// when one of the two was typed without any ("Nguyen Van An"). "Bình" and "Bính" are two names.
fn same_name(a: &str, b: &str) -> bool {
    let lower = |s: &str| crate::identity::normalize_nfc(s).to_lowercase();
    lower(a) == lower(b) || (fold(a) == fold(b) && (a.is_ascii() || b.is_ascii()))
}

/// Compact keys for the in-file checks, so a million-row file's bookkeeping stays small.
fn id_key(id: &str) -> u64 {
    (id.len() as u64) * 1_000_000_000_000 + id.parse::<u64>().unwrap_or(0)
}
/// A name, small: hashes of its exact (lower-case NFC) and folded spellings, and whether it was typed
/// without marks; compared as `same_name` compares two names.
/// Hashes of 32 bits: they are only ever compared between rows that share an ID number.
#[derive(Clone, Copy)]
struct NameKeys {
    exact: u32,
    folded: u32,
    ascii: bool,
}

impl NameKeys {
    fn of(name: &str) -> NameKeys {
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
    fn same(&self, other: &NameKeys) -> bool {
        self.exact == other.exact || (self.folded == other.folded && (self.ascii || other.ascii))
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn run(
    ledger: &mut Ledger,
    report: &mut ImportReport,
    rejects: &mut Rejects,
    source: Source,
    file_sha256: &std::sync::OnceLock<String>,
    options: &ImportOptions,
    actor: &str,
    progress: &mut dyn FnMut(usize) -> bool,
) -> Result<(), RunError> {
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
                    match apply_row(
                        tx,
                        pack,
                        &office_ward,
                        &policies,
                        &row,
                        &mut problems,
                        actor,
                    )? {
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
#[allow(clippy::too_many_arguments)]
fn apply_row(
    tx: &Connection,
    pack: &RulePack,
    office_ward: &str,
    policies: &PolicyNames,
    row: &Row,
    p: &mut RowProblems,
    actor: &str,
) -> Result<Applied, RunError> {
    let policy = policies.policy(row.policy);
    let mut created = Created::default();
    let out = apply_inner(tx, pack, office_ward, policy, row, p, actor, &mut created);
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
#[allow(clippy::too_many_arguments)]
fn apply_inner(
    tx: &Connection,
    pack: &RulePack,
    office_ward: &str,
    policy: &Policy,
    row: &Row,
    p: &mut RowProblems,
    actor: &str,
    created: &mut Created,
) -> Result<Option<(String, Money)>, LedgerError> {
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
