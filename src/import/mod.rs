//! Ward files in: people and their claims from the CSV files offices keep in Excel, read streaming in
//! whatever encoding and delimiter Excel wrote, checked row by row against the rule pack and the ledger,
//! and written all-or-nothing (or the good rows only, with the rejected ones written back for fixing).

mod apply;
pub mod cells;
pub mod columns;
mod describe;
pub mod encoding;
mod rows;
mod sniff;

pub use columns::{template_csv, ColumnMapping, Field, TEMPLATE};
pub use encoding::SourceEncoding;
pub use rows::{file_sha256, read_ward_rows, WardFileRead, WardRow};

use crate::error::{LedgerError, Result};
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
    /// Where the rejected rows go (original columns plus a reason); default beside the file.
    pub rejects_out: Option<PathBuf>,
}

/// One problem with one row (or the file), saying where and why, in Vietnamese.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Problem {
    /// Line in the file (1-based, as a text editor counts; Excel's row for files without multi-line cells).
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
    pub header_line: u64,
    pub columns: Vec<ColumnMapping>,
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
    let opened = open_ward_file(path)?;
    let missing: Vec<&str> = TEMPLATE
        .iter()
        .filter(|c| c.required && !opened.columns.iter().any(|m| m.field == Some(c.field)))
        .map(|c| c.header)
        .collect();
    if !missing.is_empty() {
        return Err(LedgerError::FileUnreadable {
            path: path.display().to_string(),
            reason: format!(
                "thiếu cột bắt buộc: {} (dòng tiêu đề là dòng {})",
                missing.join(", "),
                opened.shape.header_line
            ),
        });
    }
    let OpenedFile {
        enc,
        shape,
        columns,
        sample,
        text,
        bytes_total,
        bytes_read,
        file_sha256,
    } = opened;
    let header = shape.header.clone();

    let mut report = ImportReport {
        file: path.display().to_string(),
        encoding: enc,
        encoding_label: enc.label_vi(),
        delimiter: sniff::delimiter_name(shape.delimiter),
        header_line: shape.header_line,
        columns,
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
    };

    let rejects_path = options
        .rejects_out
        .clone()
        .unwrap_or_else(|| rejects_beside(path));
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
    let mut rejects = apply::Rejects::new(&header, shape.delimiter, rejects_path);
    // Sized from the sample's lines: the in-file checks reserve their tables once.
    let lines_in_sample = sample.iter().filter(|&&b| b == b'\n').count().max(1);
    let rows_estimate =
        ((bytes_total as usize / sample.len().max(1)) * lines_in_sample).min(4_000_000);
    let source = apply::Source {
        sample,
        rest: text,
        delimiter: shape.delimiter,
        header_line: shape.header_line,
        rows_estimate,
    };
    let outcome = apply::run(
        ledger,
        &mut report,
        &mut rejects,
        source,
        &file_sha256,
        options,
        actor,
        &mut |rows| {
            progress(ImportProgress {
                bytes_read: bytes_read.load(Ordering::Relaxed),
                bytes_total,
                rows_read: rows,
            })
        },
    );
    outcome.map_err(|e| match e {
        apply::RunError::Ledger(e) => e,
        apply::RunError::Csv(e) => LedgerError::FileUnreadable {
            path: path.display().to_string(),
            reason: e,
        },
    })?;
    progress(ImportProgress {
        bytes_read: bytes_total,
        bytes_total,
        rows_read: report.rows_read,
    });
    Ok(report)
}

const SAMPLE: usize = 64 * 1024;

/// A ward file opened and understood: its encoding, delimiter, header row and columns, with the decoded
/// text positioned after the sample that told them. What the import and the duplicate check both read.
pub(crate) struct OpenedFile {
    pub enc: SourceEncoding,
    pub shape: sniff::Shape,
    pub columns: Vec<ColumnMapping>,
    /// The decoded first 64 KiB (the rows start in it).
    pub sample: Vec<u8>,
    pub text: BufReader<Box<dyn Read + Send>>,
    pub bytes_total: u64,
    pub bytes_read: Arc<AtomicU64>,
    /// Set once the whole file has been read through `text`.
    pub file_sha256: Arc<std::sync::OnceLock<String>>,
}

/// Opens a ward file: detects its encoding from the first 64 KiB, then the delimiter and the header row
/// (under the form's title rows). A file that is not a readable ward list is refused with the reason.
pub(crate) fn open_ward_file(path: &Path) -> Result<OpenedFile> {
    let unreadable = |reason: String| LedgerError::FileUnreadable {
        path: path.display().to_string(),
        reason,
    };
    let file = std::fs::File::open(path).map_err(|e| unreadable(crate::error::io_reason_vi(&e)))?;
    let bytes_total = file.metadata().map(|m| m.len()).unwrap_or(0);
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
    let shape = sniff::detect(&String::from_utf8_lossy(&sample)).ok_or_else(|| {
        unreadable(format!(
            "không tìm thấy dòng tiêu đề trong {} dòng đầu (cần ít nhất các cột {}, {} và {}); hãy dùng mẫu nhập của phần mềm",
            30,
            Field::FullName.header(),
            Field::IdNumber.header(),
            Field::Policy.header()
        ))
    })?;
    let columns = columns::map_header(&shape.header);
    Ok(OpenedFile {
        enc,
        shape,
        columns,
        sample,
        text,
        bytes_total,
        bytes_read,
        file_sha256,
    })
}

/// `dot-khac.csv` → `dot-khac.bi-tu-choi.csv`, beside the imported file.
fn rejects_beside(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tep".into());
    path.with_file_name(format!("{stem}.bi-tu-choi.csv"))
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
