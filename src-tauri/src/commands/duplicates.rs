//! Kiểm tra trùng: the auditor's duplicate check. A run reads the ledger together with the files the
//! auditor chose (other wards' ledgers, opened read-only, and ward lists) on a background thread with
//! progress and "Dừng", as an import does, and is recorded in the audit log. Its report stays in
//! [`Checks`] (a district's can hold a million records), so the screen asks for one page of pairs at a
//! time and decides on a pair by its key. Decisions, the recovery list and its files delegate to the
//! core (`relief_ledger::dedup`, `relief_ledger::export`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use relief_ledger::dedup::{
    self, CheckProgress, Conflict, DuplicatePair, DuplicateReport, MatchClass, Oversized,
};
use relief_ledger::export::{self, ExportSummary};
use relief_ledger::ledger::{Actor, RecoveryItem, ReviewOutcome};
use relief_ledger::{Ledger, LedgerError, Money};
use serde::Serialize;
use serde_json::Value;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};

use super::files::unwritable;
use super::{Job, Jobs, Res};
use crate::forms::{dest_path, source_path};
use crate::{CommandError, LedgerState};

/// Pairs per page of the screen.
pub const PAIRS_PAGE: usize = 50;

/// Lines with nothing to compare named per source (the count is always whole).
const NOTHING_LINES_SHOWN: usize = 20;

/// The last completed run, kept for the screen's pages and decisions until the next run starts.
#[derive(Default)]
pub struct Checks(Mutex<Option<LastCheck>>);

impl Checks {
    fn lock(&self) -> MutexGuard<'_, Option<LastCheck>> {
        // A panic while the report was held leaves it readable: nothing in it is half-written.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Forgets the last run (its pairs belong to a ledger that a restore has replaced).
    pub fn clear(&self) {
        *self.lock() = None;
    }
}

pub struct LastCheck {
    report: DuplicateReport,
    /// What the ledger's own records carry as their source ([`ledger_label`]), so the screen can say
    /// "Sổ này".
    ledger: String,
    /// The pairs decided since the run (key → same person): they leave the pages.
    decided: HashMap<String, bool>,
}

/// Which pairs a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    All,
    /// Both sides were paid under the same policy or policies that exclude each other.
    PaidTwice,
    /// Certain or likely to be one person.
    Strong,
}

impl Filter {
    fn parse(text: &str) -> Res<Filter> {
        match text {
            "" | "all" => Ok(Filter::All),
            "paid_twice" => Ok(Filter::PaidTwice),
            "strong" => Ok(Filter::Strong),
            other => Err(CommandError::new(
                "invalid_input",
                format!("'{other}': bộ lọc là all, paid_twice hoặc strong."),
            )
            .at(Some("filter"))),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::PaidTwice => "paid_twice",
            Filter::Strong => "strong",
        }
    }

    fn keeps(self, p: &DuplicatePair) -> bool {
        match self {
            Filter::All => true,
            Filter::PaidTwice => p.conflict == Conflict::PaidTwice,
            Filter::Strong => matches!(p.class, MatchClass::Certain | MatchClass::Likely),
        }
    }
}

/// A run at a glance: what was read, the counts per class, what was paid twice and is at stake.
#[derive(Debug, Clone, Serialize)]
pub struct CheckSummary {
    /// The source name of the ledger's own records ([`ledger_label`]).
    pub ledger: String,
    pub records: usize,
    /// Candidate pairs compared.
    pub comparisons: usize,
    pub pairs: usize,
    pub certain: usize,
    pub likely: usize,
    pub possible: usize,
    pub paid_twice: usize,
    pub claimed_twice: usize,
    /// The later payment of each pair paid twice: what a recovery would ask back.
    pub at_stake_total: Money,
    /// Pairs decided in earlier runs, left out while neither record changes.
    pub reviewed_hidden: usize,
    pub oversized_blocks: Vec<Oversized>,
    pub sources: Vec<SourceView>,
    pub seconds: f64,
    /// Pairs decided since this run, and those still open.
    pub decided: usize,
    pub open: usize,
}

/// One source of a run as the screen lists it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub source: String,
    /// `ledger` or `file`.
    pub kind: &'static str,
    pub encoding: Option<&'static str>,
    pub people: usize,
    pub children: usize,
    /// Rows with neither a name nor an identity number, and the first of their lines.
    pub nothing_to_compare: usize,
    pub nothing_lines: Vec<u64>,
}

/// How many open pairs each filter holds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct FilterCounts {
    pub all: usize,
    pub paid_twice: usize,
    pub strong: usize,
}

/// One page of open pairs in the report's order (paid twice first), each as the core shows a pair
/// (`{a, b, score, class, class_label, reasons, conflict, at_stake, key}`) with `n`, its place in the
/// whole run.
#[derive(Debug, Clone, Serialize)]
pub struct PairPage {
    pub filter: &'static str,
    pub offset: usize,
    pub size: usize,
    /// Open pairs under the filter.
    pub total: usize,
    pub counts: FilterCounts,
    pub pairs: Vec<Value>,
}

/// What a decision did, and how many pairs are still open.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    #[serde(flatten)]
    pub outcome: ReviewOutcome,
    pub open: usize,
}

/// The recovery list with its total.
#[derive(Debug, Clone, Serialize)]
pub struct Recovery {
    pub items: Vec<RecoveryItem>,
    pub total: Money,
}

impl LastCheck {
    fn open_pairs(&self) -> impl Iterator<Item = (usize, &DuplicatePair)> {
        self.report
            .pairs
            .iter()
            .enumerate()
            .filter(|(_, p)| !self.decided.contains_key(&p.key))
    }

    fn counts(&self) -> FilterCounts {
        let mut c = FilterCounts::default();
        for (_, p) in self.open_pairs() {
            c.all += 1;
            c.paid_twice += usize::from(Filter::PaidTwice.keeps(p));
            c.strong += usize::from(Filter::Strong.keeps(p));
        }
        c
    }

    fn summary(&self) -> CheckSummary {
        let r = &self.report;
        let open = self.counts().all;
        CheckSummary {
            ledger: self.ledger.clone(),
            records: r.records_total,
            comparisons: r.comparisons,
            pairs: r.pairs.len(),
            certain: r.count(MatchClass::Certain),
            likely: r.count(MatchClass::Likely),
            possible: r.count(MatchClass::Possible),
            paid_twice: r.paid_twice(),
            claimed_twice: r
                .pairs
                .iter()
                .filter(|p| p.conflict == Conflict::ClaimedTwice)
                .count(),
            at_stake_total: r.at_stake_total(),
            reviewed_hidden: r.reviewed_hidden,
            oversized_blocks: r.oversized.clone(),
            sources: r
                .sources
                .iter()
                .map(|s| SourceView {
                    source: s.source.clone(),
                    kind: s.kind,
                    encoding: s.encoding,
                    people: s.people,
                    children: s.children,
                    nothing_to_compare: s.nothing_to_compare.len(),
                    nothing_lines: s
                        .nothing_to_compare
                        .iter()
                        .take(NOTHING_LINES_SHOWN)
                        .copied()
                        .collect(),
                })
                .collect(),
            seconds: (r.seconds * 1000.0).round() / 1000.0,
            decided: self.decided.len(),
            open,
        }
    }

    fn page(&self, filter: Filter, offset: usize) -> Res<PairPage> {
        let kept = || self.open_pairs().filter(|(_, p)| filter.keeps(p));
        let pairs = kept()
            .skip(offset)
            .take(PAIRS_PAGE)
            .map(|(i, p)| {
                let mut shown = serde_json::to_value(self.report.view(p))
                    .map_err(|e| CommandError::internal("unexpected", "Lỗi nội bộ", &e))?;
                shown["n"] = (i + 1).into();
                Ok(shown)
            })
            .collect::<Res<Vec<Value>>>()?;
        Ok(PairPage {
            filter: filter.name(),
            offset,
            size: PAIRS_PAGE,
            total: kept().count(),
            counts: self.counts(),
            pairs,
        })
    }
}

fn no_run() -> CommandError {
    CommandError::new(
        "no_check",
        "Chưa có kết quả kiểm tra trùng: bấm Kiểm tra trùng trước.",
    )
}

/// Checks the ledger together with `sources` (paths of other wards' ledgers or ward lists, `~/` for
/// the home folder) on a background thread, reporting each stage through `on_progress`;
/// `cancel_duplicates` stops it. A completed run is recorded in the audit log under the signed-in
/// operator and replaces the last one.
#[tauri::command]
pub async fn check_duplicates<R: Runtime>(
    app: AppHandle<R>,
    sources: Vec<String>,
    on_progress: Channel<CheckProgress>,
) -> Res<CheckSummary> {
    tauri::async_runtime::spawn_blocking(move || {
        let actor = app.state::<LedgerState>().session().actor()?;
        let home = app.path().home_dir().ok();
        let sources = sources
            .iter()
            .map(|s| source_path("sources", s, home.as_deref()))
            .collect::<Res<Vec<PathBuf>>>()?;
        run_check(
            &app.state::<LedgerState>(),
            &app.state::<Jobs>(),
            &app.state::<Checks>(),
            &sources,
            &actor,
            |p| {
                let _ = on_progress.send(p);
            },
        )
    })
    .await
    .map_err(|e| CommandError::internal("unexpected", "Lỗi nội bộ", &e))?
}

/// Stops the running check (the core looks between batches of rows read and of pairs compared, and
/// between the halves of grouping); nothing is kept or recorded. False when nothing is running.
#[tauri::command]
pub fn cancel_duplicates(jobs: State<'_, Jobs>) -> bool {
    jobs.cancel()
}

/// The check itself, for `check_duplicates` and the unit tests.
pub fn run_check(
    state: &LedgerState,
    jobs: &Jobs,
    checks: &Checks,
    sources: &[PathBuf],
    actor: &Actor,
    mut report: impl FnMut(CheckProgress),
) -> Res<CheckSummary> {
    let _running = jobs.begin(Job::Duplicates)?;
    let ledger_path = state.path()?.to_path_buf();
    // The ledger's own records are named by the ward, not by the file's path: the name is kept with every
    // recovery line and printed in its basis.
    let label = state.with(|l| Ok(ledger_label(&l.office()?.ward)))?;
    let sources = distinct_sources(&ledger_path, sources)?;
    // The last report goes before the next is built: two of a district's would not fit in memory.
    *checks.lock() = None;
    // A connection of its own: the check only reads, so the other screens keep working meanwhile.
    let reader = Ledger::open(&ledger_path).map_err(|e| CommandError::ledger_unavailable(&e))?;
    let outcome = dedup::find_duplicates(&reader, &label, &sources, &mut |p| {
        report(p);
        !jobs.cancelled()
    });
    drop(reader);
    let found = match outcome {
        // Stopped during the last stage, which the core does not interrupt: still a stop.
        Ok(_) | Err(LedgerError::CheckCancelled) if jobs.cancelled() => return Err(stopped()),
        Err(LedgerError::CheckCancelled) => return Err(stopped()),
        Ok(found) => found,
        Err(e) => return Err(e.into()),
    };
    state.with(|l| Ok(l.record_duplicate_check(&found.audit_detail(), actor)?))?;
    let last = LastCheck {
        report: found,
        ledger: label,
        decided: HashMap::new(),
    };
    let summary = last.summary();
    *checks.lock() = Some(last);
    Ok(summary)
}

/// What the ledger's own records carry as their source: "Sổ phường Giang Biên".
pub fn ledger_label(ward: &str) -> String {
    format!("Sổ phường {ward}")
}

fn stopped() -> CommandError {
    CommandError::new(
        "cancelled",
        "Đã dừng kiểm tra trùng theo yêu cầu. Sổ không thay đổi; không có kết quả nào được giữ.",
    )
}

/// The sources as the core takes them: each file once, and never the open ledger itself (its records
/// are always in the run).
fn distinct_sources(ledger: &Path, sources: &[PathBuf]) -> Res<Vec<String>> {
    let ledger = ledger
        .canonicalize()
        .unwrap_or_else(|_| ledger.to_path_buf());
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for path in sources {
        let real = path.canonicalize().unwrap_or_else(|_| path.clone());
        if real == ledger {
            return Err(CommandError::new(
                "invalid_input",
                format!(
                    "{} là sổ đang mở: sổ này luôn được kiểm tra, không cần thêm.",
                    path.display()
                ),
            )
            .at(Some("sources")));
        }
        if !seen.contains(&real) {
            seen.push(real);
            out.push(path.display().to_string());
        }
    }
    Ok(out)
}

/// The last run's summary, or null when there has been none since the app started. (Async, as every
/// command here: a decision holds the report while it writes, and the window's thread must not wait.)
#[tauri::command]
pub async fn duplicate_summary(checks: State<'_, Checks>) -> Res<Option<CheckSummary>> {
    Ok(checks.lock().as_ref().map(LastCheck::summary))
}

/// One page ([`PAIRS_PAGE`]) of the last run's open pairs from `offset`: `filter` is `all`,
/// `paid_twice` or `strong` (certain or likely).
#[tauri::command]
pub async fn duplicate_pairs(
    checks: State<'_, Checks>,
    filter: String,
    offset: usize,
) -> Res<PairPage> {
    pairs_page(&checks, &filter, offset)
}

pub fn pairs_page(checks: &Checks, filter: &str, offset: usize) -> Res<PairPage> {
    let filter = Filter::parse(filter)?;
    checks
        .lock()
        .as_ref()
        .ok_or_else(no_run)?
        .page(filter, offset)
}

/// Records the auditor's decision on the pair `key` of the last run: `samePerson` puts the later
/// payout of each pair of payments made twice on the recovery list; otherwise the pair stays hidden
/// in later runs until a record changes. Auditor or admin only (the core refuses anyone else); `note`
/// is what the decision rests on (at least 5 characters).
#[tauri::command]
pub async fn decide_duplicate(
    s: State<'_, LedgerState>,
    checks: State<'_, Checks>,
    key: String,
    same_person: bool,
    note: String,
) -> Res<Decision> {
    decide(&s, &checks, &key, same_person, &note, &s.session().actor()?)
}

pub fn decide(
    state: &LedgerState,
    checks: &Checks,
    key: &str,
    same_person: bool,
    note: &str,
    actor: &Actor,
) -> Res<Decision> {
    let mut guard = checks.lock();
    let last = guard.as_mut().ok_or_else(no_run)?;
    if last.decided.contains_key(key) {
        return Err(CommandError::new(
            "already_decided",
            "Cặp này vừa được ghi quyết định; không ghi lần hai.",
        ));
    }
    let pair = last
        .report
        .pairs
        .iter()
        .find(|p| p.key == key)
        .ok_or_else(|| {
            CommandError::new(
                "not_found",
                "Không thấy cặp này trong lần kiểm tra gần nhất; hãy kiểm tra lại.",
            )
        })?;
    let outcome = state.with(|l| {
        dedup::review(l, &last.report, pair, same_person, note, actor).map_err(locate_note)
    })?;
    last.decided.insert(key.to_string(), same_person);
    Ok(Decision {
        outcome,
        open: last.counts().all,
    })
}

/// The core's refusal of a note too short names the note, so the screen shows it under the note.
fn locate_note(err: LedgerError) -> CommandError {
    let note = matches!(
        &err,
        LedgerError::InvalidInput {
            field: relief_ledger::InputField::Note,
            ..
        }
    );
    let err = CommandError::from(err);
    if note {
        err.at(Some("note"))
    } else {
        err
    }
}

/// The recovery list (danh sách thu hồi) the decisions built, in the order they were made.
#[tauri::command]
pub async fn recovery_list(s: State<'_, LedgerState>) -> Res<Recovery> {
    s.with(|l| {
        let items = l.recovery_list()?;
        let total = items.iter().fold(Money::ZERO, |t, i| t + i.line.amount);
        Ok(Recovery { items, total })
    })
}

/// Writes the last run's pairs (`kind = "duplicate-pairs"`) or the recovery list (`"recovery"`) to
/// `path` as CSV for Excel, with `;` between cells when `semicolon`.
#[tauri::command]
pub async fn export_duplicates<R: Runtime>(
    app: AppHandle<R>,
    s: State<'_, LedgerState>,
    checks: State<'_, Checks>,
    kind: String,
    semicolon: bool,
    path: String,
) -> Res<ExportSummary> {
    let path = dest_path("path", &path, app.path().home_dir().ok().as_deref())?;
    save_csv(
        &s,
        &checks,
        &kind,
        if semicolon { b';' } else { b',' },
        &path,
    )
}

pub fn save_csv(
    state: &LedgerState,
    checks: &Checks,
    kind: &str,
    delimiter: u8,
    path: &Path,
) -> Res<ExportSummary> {
    // A workbook unless the name ends in .csv.
    let xlsx = export::ExportFormat::for_path(path, false) == export::ExportFormat::Xlsx;
    let written = match kind {
        "duplicate-pairs" => {
            let guard = checks.lock();
            let last = guard.as_ref().ok_or_else(no_run)?;
            export::write_atomically(path, &mut |w| match xlsx {
                true => export::write_pairs_xlsx(&last.report, w),
                false => export::write_pairs_csv(&last.report, delimiter, w),
            })
        }
        "recovery" => {
            let items = state.with(|l| Ok(l.recovery_list()?))?;
            export::write_atomically(path, &mut |w| match xlsx {
                true => export::write_recovery_xlsx(&items, w),
                false => export::write_recovery_csv(&items, delimiter, w),
            })
        }
        _ => {
            return Err(CommandError::new(
                "invalid_input",
                format!("'{kind}': tệp là duplicate-pairs hoặc recovery."),
            )
            .at(Some("kind")))
        }
    };
    written.map_err(|e| unwritable(path, e))
}
