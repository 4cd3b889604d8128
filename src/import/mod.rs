//! Ward files in: people and their claims from the files offices keep in Excel — CSV read streaming in
//! whatever encoding and delimiter Excel wrote, or the workbook itself (.xlsx, .xls) — with the columns the
//! officer mapped, checked row by row against the rule pack and the ledger, and written all-or-nothing (or
//! the good rows only, with the rejected ones written back for fixing).

pub mod cells;
pub mod columns;
mod describe;
pub mod encoding;
mod reader;
mod records;
mod rejects;
pub mod remembered;
mod rows;
mod sniff;
mod workbook;
mod writer;

pub use columns::{template_csv, ColumnChoice, ColumnMapping, Field, TEMPLATE};
pub use encoding::SourceEncoding;
pub use rows::{file_sha256, read_ward_rows, WardFileRead, WardRow};

use crate::error::{LedgerError, Result};
use crate::fields::InputField;
use crate::ledger::Actor;
use crate::ledger::Ledger;
use crate::money::Money;
use serde::Serialize;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// How an import runs.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// Keep the good rows when some are rejected (default: all-or-nothing).
    pub accept_valid: bool,
    /// Where the rejected rows go (original columns plus a reason); default beside the file (a CSV for a
    /// CSV file, a workbook for a workbook).
    pub rejects_out: Option<PathBuf>,
    /// The sheet of a workbook to read (by name); default the first.
    pub sheet: Option<String>,
    /// The officer's reading of columns the vocabulary does not know (or reads otherwise).
    pub choices: Vec<ColumnChoice>,
    /// Use (when `choices` is empty) and keep (when an import with choices is written) the choices for a
    /// file with the same headers, in `<ledger>.cot-nhap.json` beside the ledger.
    pub remember_choices: bool,
    /// The officer confirms, for the whole file, every required condition of the policy that a row's own
    /// cells leave unanswered (a ward's verified list is its confirmation); a row's own cell still wins.
    pub confirm_conditions: bool,
}

/// One problem with one row (or the file), saying where and why, in Vietnamese.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Problem {
    /// Line in the file (1-based, as a text editor counts; Excel's row for files without multi-line cells);
    /// for a workbook, the row of its sheet.
    pub line: u64,
    /// The column's header as written in the file, or the canonical one when the column is missing.
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub encoding: SourceEncoding,
    pub encoding_label: &'static str,
    pub delimiter: &'static str,
    /// The sheet read, for a workbook; and every sheet it has.
    pub sheet: Option<String>,
    pub sheets: Vec<String>,
    /// What a line is called in this file: "dòng" (a text file's line) or "hàng" (a sheet's row).
    pub line_word: &'static str,
    pub header_line: u64,
    pub columns: Vec<ColumnMapping>,
    /// The officer's choices the columns were read with (given, or remembered for these headers).
    pub choices: Vec<ColumnChoice>,
    /// Whether those choices were remembered from an earlier file with the same headers.
    pub choices_remembered: bool,
    pub dry_run: bool,
    pub accept_valid: bool,
    /// Whether anything was written to the ledger.
    pub committed: bool,
    /// Data rows seen (header, title, numbering, total and signature rows are not data).
    pub rows_read: usize,
    /// Rows that are new and valid: added when `committed`, else what would be (dry run) or could be.
    pub rows_added: usize,
    /// Rows actually written to the ledger by this run (`rows_added` when committed, else 0): what a script
    /// should read.
    pub rows_written: usize,
    /// Rows whose claim is already in the ledger with the same facts (a re-import): nothing added twice.
    pub rows_already_present: usize,
    pub rows_rejected: usize,
    pub people_added: usize,
    pub households_added: usize,
    pub groups_added: usize,
    /// Total of the claims added (or that would be).
    pub amount_added: Money,
    /// Lines skipped as not data (blank cells where the number and the policy go: totals, signatures).
    pub lines_skipped: Vec<u64>,
    /// Every problem, up to `PROBLEMS_KEPT`; `problems_total` counts them all.
    pub problems: Vec<Problem>,
    pub problems_total: usize,
    pub rejects_file: Option<String>,
    /// Cells a workbook stored as numbers whose leading zeros were restored (only where one reading is
    /// possible: a 10–11 digit ID number can only be a 12-digit CCCD), up to `PROBLEMS_KEPT`.
    pub restored: Vec<Restored>,
    pub restored_total: usize,
    /// Per policy, the rows whose own cells leave a required condition unanswered, with each condition and
    /// its legal basis: what the officer confirms for the whole file (`confirm_conditions`).
    pub conditions: Vec<UnansweredConditions>,
    /// Whether the officer confirmed them for the whole file in this run.
    pub conditions_confirmed: bool,
    /// The template's columns a column of the file may be read as (what the app's drop-downs offer).
    pub fields: Vec<TemplateField>,
}

/// A column of the import template, as a choice for a column of a file.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateField {
    pub key: &'static str,
    pub header: &'static str,
    pub required: bool,
}

/// Every column of the template, in its order.
pub fn template_fields() -> Vec<TemplateField> {
    TEMPLATE
        .iter()
        .map(|c| TemplateField {
            key: c.field.key(),
            header: c.header,
            required: c.required,
        })
        .collect()
}

/// A cell read otherwise than it was stored, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Restored {
    pub line: u64,
    pub column: String,
    pub stored: String,
    pub read: String,
    pub reason: String,
}

/// The rows of one policy whose own cells do not answer its required conditions.
#[derive(Debug, Clone, Serialize)]
pub struct UnansweredConditions {
    pub policy: String,
    pub title: String,
    pub rows: usize,
    /// The first lines (up to 20).
    pub lines: Vec<u64>,
    pub conditions: Vec<crate::rules::RequiredCondition>,
}

/// Problems kept in the report; the rejects file holds every rejected row whatever the count.
pub const PROBLEMS_KEPT: usize = 10_000;

/// Where an import is, for a progress bar: bytes of the file read so far, of the whole.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ImportProgress {
    pub bytes_read: u64,
    pub bytes_total: u64,
    pub rows_read: usize,
}

/// Imports a ward file. A refusal of the whole file (unreadable, unknown encoding, no header, a required
/// column missing) is an error; problems with rows are in the report, and the ledger is left untouched
/// unless the import committed.
pub fn import_file(
    ledger: &mut Ledger,
    path: &Path,
    options: &ImportOptions,
    actor: &Actor,
    progress: &mut dyn FnMut(ImportProgress) -> bool,
) -> Result<ImportReport> {
    let actor = actor.name();
    let mut opened = open_ward_file(path, options.sheet.as_deref(), &options.choices)?;
    let mut choices = options.choices.clone();
    let mut choices_remembered = false;
    let memory = options
        .remember_choices
        .then(|| ledger.conn().path().map(remembered::beside))
        .flatten();
    if let (Some(memory), true) = (&memory, choices.is_empty()) {
        let kept = remembered::recall(memory, &opened.header)?;
        if !kept.is_empty() {
            opened.columns = columns::map_header_with(&opened.header, &kept).map_err(|reason| {
                LedgerError::InvalidInput {
                    field: InputField::ColumnMap,
                    message: reason,
                }
            })?;
            opened.set_fields();
            choices = kept;
            choices_remembered = true;
        }
    }
    let missing: Vec<&str> = TEMPLATE
        .iter()
        .filter(|c| c.required && !opened.columns.iter().any(|m| m.field == Some(c.field)))
        .map(|c| c.header)
        .collect();
    if !missing.is_empty() {
        return Err(LedgerError::FileUnreadable {
            path: path.display().to_string(),
            reason: format!(
                "thiếu cột bắt buộc: {} ({} tiêu đề là {} {}; chọn cột của tệp cho từng cột thiếu, ví dụ --map \"Tiêu đề trong tệp=Chính sách\")",
                missing.join(", "),
                opened.line_word(),
                opened.line_word(),
                opened.header_line
            ),
        });
    }
    let line_word = opened.line_word();
    let OpenedFile {
        enc,
        delimiter,
        sheet,
        sheets,
        header_line,
        header,
        columns,
        records,
        bytes_total,
        bytes_read,
        file_sha256,
        rows_estimate,
    } = opened;

    let mut report = ImportReport {
        file: path.display().to_string(),
        encoding: enc,
        encoding_label: enc.label_vi(),
        delimiter: delimiter.map_or("", sniff::delimiter_name),
        sheet,
        sheets,
        line_word,
        header_line,
        columns,
        choices,
        choices_remembered,
        dry_run: options.dry_run,
        accept_valid: options.accept_valid,
        committed: false,
        rows_read: 0,
        rows_added: 0,
        rows_written: 0,
        rows_already_present: 0,
        rows_rejected: 0,
        people_added: 0,
        households_added: 0,
        groups_added: 0,
        amount_added: Money::ZERO,
        lines_skipped: Vec::new(),
        problems: Vec::new(),
        problems_total: 0,
        rejects_file: None,
        restored: Vec::new(),
        restored_total: 0,
        conditions: Vec::new(),
        conditions_confirmed: false,
        fields: template_fields(),
    };

    let rejects_path = options
        .rejects_out
        .clone()
        .unwrap_or_else(|| rejects_beside(path, delimiter.is_none()));
    // The officer's own file is never overwritten by its rejected rows.
    let same_file = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if options.accept_valid && same_file(path, &rejects_path) {
        return Err(LedgerError::FileUnwritable {
            path: rejects_path.display().to_string(),
            reason: "đây chính là tệp đang nhập; chọn tệp khác cho các dòng bị từ chối".into(),
        });
    }
    let mut rejects = rejects::Rejects::new(&header, delimiter, rejects_path);
    let source = reader::Source {
        records,
        delimiter: delimiter.unwrap_or(b','),
        header_line,
        rows_estimate,
    };
    let job = writer::Job {
        source,
        file_sha256: &file_sha256,
        options,
        actor,
    };
    let outcome = writer::run(ledger, job, &mut report, &mut rejects, &mut |rows| {
        progress(ImportProgress {
            bytes_read: bytes_read.load(Ordering::Relaxed),
            bytes_total,
            rows_read: rows,
        })
    });
    outcome.map_err(|e| match e {
        writer::RunError::Ledger(e) => e,
        writer::RunError::Csv(e) => LedgerError::FileUnreadable {
            path: path.display().to_string(),
            reason: e,
        },
    })?;
    if let (Some(memory), true, false) = (&memory, report.committed, report.choices.is_empty()) {
        remembered::keep(memory, &header, &report.choices, actor)?;
    }
    progress(ImportProgress {
        bytes_read: bytes_total,
        bytes_total,
        rows_read: report.rows_read,
    });
    Ok(report)
}

const SAMPLE: usize = 64 * 1024;

/// A ward file opened and understood: a CSV file's encoding, delimiter, header row and columns, or a
/// workbook's sheet, header row and columns, with its records positioned at the start (the header and the
/// rows above it are read again and skipped). What the import and the duplicate check both read.
pub(crate) struct OpenedFile {
    pub enc: SourceEncoding,
    /// The delimiter of a CSV file; `None` for a workbook.
    pub delimiter: Option<u8>,
    pub sheet: Option<String>,
    pub sheets: Vec<String>,
    pub header_line: u64,
    pub header: Vec<String>,
    pub columns: Vec<ColumnMapping>,
    pub records: records::Records,
    pub bytes_total: u64,
    pub bytes_read: Arc<AtomicU64>,
    /// Set once the whole file has been read (a CSV file), or at once (a workbook).
    pub file_sha256: Arc<std::sync::OnceLock<String>>,
    /// For sizing the in-file bookkeeping up front.
    pub rows_estimate: usize,
}

impl OpenedFile {
    /// "dòng" for a text file's lines, "hàng" for a sheet's rows.
    pub fn line_word(&self) -> &'static str {
        if self.delimiter.is_some() {
            "dòng"
        } else {
            "hàng"
        }
    }

    /// Tells a workbook's reader each column's field (a number under a date column is a date).
    pub fn set_fields(&mut self) {
        if let records::Records::Sheet(rows) = &mut self.records {
            let width = self.columns.len().max(self.header.len());
            let mut fields = vec![None; width];
            for m in &self.columns {
                fields[m.column - 1] = m.field;
            }
            rows.set_fields(fields);
        }
    }
}

/// Opens a ward file: a workbook (by its first bytes) at its sheet, else a text file whose encoding the
/// first 64 KiB tell, then the delimiter and the header row (under the form's title rows), with the
/// officer's `choices` for columns. A file that is not a readable ward list is refused with the reason.
pub(crate) fn open_ward_file(
    path: &Path,
    sheet: Option<&str>,
    choices: &[ColumnChoice],
) -> Result<OpenedFile> {
    let unreadable = |reason: String| LedgerError::FileUnreadable {
        path: path.display().to_string(),
        reason,
    };
    let bad_choice = |reason: String| LedgerError::InvalidInput {
        field: InputField::ColumnMap,
        message: reason,
    };
    let no_header = || {
        format!(
            "không tìm thấy dòng tiêu đề trong {} dòng đầu (cần ít nhất các cột {}, {} và {}); hãy dùng mẫu nhập của phần mềm, hoặc chọn cột của tệp cho từng cột của mẫu (--map)",
            30,
            Field::FullName.header(),
            Field::IdNumber.header(),
            Field::Policy.header()
        )
    };
    let file = std::fs::File::open(path).map_err(|e| unreadable(crate::error::io_reason_vi(&e)))?;
    let bytes_total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut magic = [0u8; 8];
    let got = (&file).read(&mut magic).unwrap_or(0);
    if let Some(kind) = workbook::kind_of(&magic[..got]) {
        drop(file);
        let bytes_read = Arc::new(AtomicU64::new(0));
        let file_sha256 = Arc::new(std::sync::OnceLock::new());
        let _ = file_sha256.set(file_sha256_of(path)?);
        let mut rows = workbook::open(path, kind, sheet, bytes_read.clone(), bytes_total)
            .map_err(&unreadable)?;
        let mut found = sniff::best_header(
            rows.peek_text(40).map_err(&unreadable)?.into_iter(),
            choices,
        );
        // No sheet named: the first sheet that holds a list (a workbook often opens on its instructions or
        // a cover page); the report names the sheet read.
        if found.is_none() && sheet.is_none() {
            for name in rows.sheets.clone().iter().filter(|n| **n != rows.sheet) {
                let mut other =
                    workbook::open(path, kind, Some(name), bytes_read.clone(), bytes_total)
                        .map_err(&unreadable)?;
                let header = sniff::best_header(
                    other.peek_text(40).map_err(&unreadable)?.into_iter(),
                    choices,
                );
                if header.is_some() {
                    (rows, found) = (other, header);
                    break;
                }
            }
        }
        let (header_line, header, _) = found.ok_or_else(|| {
            unreadable(format!(
                "trang tính «{}»: {}{}",
                rows.sheet,
                no_header(),
                if rows.sheets.len() > 1 {
                    format!(
                        "; tệp có các trang: {} (chọn trang bằng tên)",
                        rows.sheets
                            .iter()
                            .map(|s| format!("«{s}»"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                } else {
                    String::new()
                }
            ))
        })?;
        let columns = columns::map_header_with(&header, choices).map_err(bad_choice)?;
        let rows_estimate = (rows.last_row as usize).min(4_000_000);
        let mut opened = OpenedFile {
            enc: match kind {
                workbook::Kind::Xlsx => SourceEncoding::Xlsx,
                workbook::Kind::Xls => SourceEncoding::Xls,
            },
            delimiter: None,
            sheet: Some(rows.sheet.clone()),
            sheets: rows.sheets.clone(),
            header_line,
            header,
            columns,
            records: records::Records::Sheet(Box::new(rows)),
            bytes_total,
            bytes_read,
            file_sha256,
            rows_estimate,
        };
        opened.set_fields();
        return Ok(opened);
    }
    let mut file = file;
    std::io::Seek::rewind(&mut file).map_err(|e| unreadable(crate::error::io_reason_vi(&e)))?;
    let counter = ByteCounter::new(file);
    let bytes_read = counter.handle();
    let file_sha256 = counter.sha256();
    let mut raw = BufReader::with_capacity(1 << 16, counter);

    // Name the encoding from the first 64 KiB (fill_buf may return less: read until we have it or EOF).
    let mut head = Vec::with_capacity(SAMPLE);
    (&mut raw)
        .take(SAMPLE as u64)
        .read_to_end(&mut head)
        .map_err(|e| unreadable(crate::error::io_reason_vi(&e)))?;
    let enc = encoding::detect(&head).map_err(|e| unreadable(e.0))?;
    let decoded = encoding::utf8_reader(std::io::Cursor::new(head).chain(raw), enc);
    let mut text = BufReader::with_capacity(1 << 16, decoded);

    // The decoded sample finds the delimiter and the header row.
    let mut sample = Vec::with_capacity(SAMPLE);
    while sample.len() < SAMPLE {
        let got = text
            .fill_buf()
            .map_err(|e| unreadable(crate::error::io_reason_vi(&e)))?;
        if got.is_empty() {
            break;
        }
        let n = got.len();
        sample.extend_from_slice(got);
        text.consume(n);
    }
    let shape = sniff::detect(&String::from_utf8_lossy(&sample), choices)
        .ok_or_else(|| unreadable(no_header()))?;
    let columns = columns::map_header_with(&shape.header, choices).map_err(bad_choice)?;
    // Sized from the sample's lines: the in-file checks reserve their tables once.
    let lines_in_sample = sample.iter().filter(|&&b| b == b'\n').count().max(1);
    let rows_estimate =
        ((bytes_total as usize / sample.len().max(1)) * lines_in_sample).min(4_000_000);
    Ok(OpenedFile {
        enc,
        delimiter: Some(shape.delimiter),
        sheet: None,
        sheets: Vec::new(),
        header_line: shape.header_line,
        header: shape.header,
        columns,
        records: records::Records::csv(sample, text, shape.delimiter),
        bytes_total,
        bytes_read,
        file_sha256,
        rows_estimate,
    })
}

/// `dot-khac.csv` → `dot-khac.bi-tu-choi.csv` beside the imported file (`.xlsx` for a workbook, so the
/// rows go back as text cells: an ID number keeps its leading zeros).
fn rejects_beside(path: &Path, workbook: bool) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tep".into());
    let ext = if workbook { "xlsx" } else { "csv" };
    path.with_file_name(format!("{stem}.bi-tu-choi.{ext}"))
}

fn file_sha256_of(path: &Path) -> Result<String> {
    rows::file_sha256(path)
}

/// Counts the bytes read through it, for progress (shared with the progress callback), and hashes them:
/// the audit log names the exact file an import came from.
struct ByteCounter<R> {
    inner: R,
    count: Arc<AtomicU64>,
    hasher: Option<sha2::Sha256>,
    sha256: Arc<std::sync::OnceLock<String>>,
}

impl<R> ByteCounter<R> {
    fn new(inner: R) -> Self {
        ByteCounter {
            inner,
            count: Default::default(),
            hasher: Some(sha2::Digest::new()),
            sha256: Default::default(),
        }
    }
    fn handle(&self) -> Arc<AtomicU64> {
        self.count.clone()
    }
    fn sha256(&self) -> Arc<std::sync::OnceLock<String>> {
        self.sha256.clone()
    }
}

impl<R: Read> Read for ByteCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        match (n, self.hasher.as_mut()) {
            (0, Some(_)) if !buf.is_empty() => {
                let done = self.hasher.take().expect("present");
                let _ = self.sha256.set(hex::encode(sha2::Digest::finalize(done)));
            }
            (_, Some(h)) => sha2::Digest::update(h, &buf[..n]),
            _ => {}
        }
        Ok(n)
    }
}
