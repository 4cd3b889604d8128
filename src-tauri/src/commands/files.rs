//! Nhập / Xuất: a ward file in (checked first, then written all-or-nothing or the good rows only), the
//! accountants' CSV files out, the printable sheets of a list (and the duplicate check's recovery list),
//! and the native open/save/folder dialogs. Every file written goes through the core's safe writes
//! (`relief_ledger::files`: a temporary file renamed, never onto a ledger or its `-wal`/`-shm`). Each
//! command delegates to the core (`relief_ledger::import`, `relief_ledger::export`); a typed path becomes
//! a `PathBuf` in [`crate::forms`].

use std::path::{Path, PathBuf};

use relief_ledger::dedup::{find_duplicates, MatchClass, Reason, Record};
use relief_ledger::export::{self, ExportFormat, ExportKind, ExportSummary};
use relief_ledger::import::{self, ColumnChoice, ImportOptions, ImportProgress, ImportReport};
use relief_ledger::ledger::Actor;
use relief_ledger::{Ledger, LedgerError};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use super::{Job, Jobs, Res};
use crate::forms::{dest_path, expand_home, source_path};
use crate::{CommandError, LedgerState};

/// Checks (`dryRun`) or imports a ward file (CSV, or an Excel workbook at `sheet`, default its first) as the
/// signed-in operator on a background thread, reporting bytes and rows read through `on_progress`;
/// `cancel_import` stops it, and since an import is one transaction, a stopped import writes nothing.
/// `choices` read a column as a template field (`{column: "E", field: "from"}`, `field: null` leaves it
/// out); `confirmConditions` confirms for the whole file the required conditions its rows leave blank.
/// Rejected rows go to `<file>.bi-tu-choi.csv` (`.xlsx` for a workbook) beside it when `acceptValid`.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn import_file<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    dry_run: bool,
    accept_valid: bool,
    sheet: Option<String>,
    choices: Option<Vec<ColumnChoice>>,
    confirm_conditions: Option<bool>,
    on_progress: Channel<ImportProgress>,
) -> Res<ImportOutcome> {
    tauri::async_runtime::spawn_blocking(move || {
        let actor = app.state::<LedgerState>().session().actor()?;
        let path = source_path("path", &path, app.path().home_dir().ok().as_deref())?;
        // The officer's column choices are remembered beside the ledger for the next file with the
        // same headers (and used for it when none are sent).
        let options = ImportOptions {
            dry_run,
            accept_valid,
            sheet: sheet.filter(|s| !s.trim().is_empty()),
            choices: choices.unwrap_or_default(),
            remember_choices: true,
            confirm_conditions: confirm_conditions.unwrap_or(false),
            ..Default::default()
        };
        run_import(
            &app.state::<LedgerState>(),
            &app.state::<Jobs>(),
            &path,
            &options,
            &actor,
            |p| {
                let _ = on_progress.send(p);
            },
        )
    })
    .await
    .map_err(|e| CommandError::internal("unexpected", "Lỗi nội bộ", &e))?
}

/// Stops the running import at its next check (every 4,096 rows); nothing of it is written. False when
/// nothing is running.
#[tauri::command]
pub fn cancel_import(jobs: State<'_, Jobs>) -> bool {
    jobs.cancel()
}

/// The most rows likely already in the ledger that a check lists (the count says how many there are).
pub const LIKELY_SHOWN: usize = 200;

/// What `import_file` answers: the core's report, and for a check (`dryRun`) the file's rows likely
/// already in the ledger under another number or spelling.
#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    #[serde(flatten)]
    pub report: ImportReport,
    /// Only for a check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub likely_duplicates: Option<LikelyRows>,
}

impl std::ops::Deref for ImportOutcome {
    type Target = ImportReport;
    fn deref(&self) -> &ImportReport {
        &self.report
    }
}

/// The pairs classed certain or likely with at least one side a row of the file, file row first,
/// by line; at most [`LIKELY_SHOWN`] of `total`.
#[derive(Debug, Clone, Serialize)]
pub struct LikelyRows {
    pub total: usize,
    pub rows: Vec<LikelyRow>,
}

/// A row of the file (`row.line`) and who it may be: a person in the ledger (`other.person`) or
/// another row of the same file (`other.line`).
#[derive(Debug, Clone, Serialize)]
pub struct LikelyRow {
    pub row: Record,
    pub other: Record,
    pub class: MatchClass,
    pub class_label: &'static str,
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// The import itself, for `import_file` and the unit tests. A check also runs the duplicate check of
/// the file against the ledger (as `relief import --dry-run` does), in the same job: the import itself
/// only sees exact numbers.
pub fn run_import(
    state: &LedgerState,
    jobs: &Jobs,
    path: &Path,
    options: &ImportOptions,
    actor: &Actor,
    mut report: impl FnMut(ImportProgress),
) -> Res<ImportOutcome> {
    let _running = jobs.begin(Job::Import)?;
    let label = state
        .path()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "sổ".into());
    state.with(|l| {
        let report = import::import_file(l, path, options, actor, &mut |p| {
            report(p);
            !jobs.cancelled()
        })?;
        // The duplicate check reads a workbook at the sheet it picks itself: with another sheet named, its
        // list would be of other rows, so it is left out.
        let likely_duplicates = if options.dry_run && options.sheet.is_none() {
            Some(likely_in_file(l, &label, path, jobs)?)
        } else {
            None
        };
        Ok(ImportOutcome {
            report,
            likely_duplicates,
        })
    })
}

/// The file's rows likely already in the ledger as someone else (a CMND for a CCCD, a digit dropped,
/// the name without tone marks), or twice in the file: `relief import --dry-run`'s list.
fn likely_in_file(l: &Ledger, label: &str, path: &Path, jobs: &Jobs) -> Res<LikelyRows> {
    let sources = [path.display().to_string()];
    let r = find_duplicates(l, label, &sources, &mut |_| !jobs.cancelled())?;
    let mut rows: Vec<LikelyRow> = r
        .likely_file_rows()
        .into_iter()
        .map(|m| LikelyRow {
            row: m.row.clone(),
            other: m.other.clone(),
            class: m.pair.class,
            class_label: m.pair.class.label_vi(),
            score: (m.pair.score * 1000.0).round() / 1000.0,
            reasons: m.pair.reasons.clone(),
        })
        .collect();
    let total = rows.len();
    rows.truncate(LIKELY_SHOWN);
    Ok(LikelyRows { total, rows })
}

/// Writes `kind` (payouts, optionally of one `list`; summary; claims; audit; template) to `path`: an Excel
/// workbook, or a CSV file when the name ends in `.csv` (with `;` between cells when `semicolon`).
/// A file already there is replaced only when `replace` says so: otherwise `file_exists`, and the screen asks
/// the officer first.
#[tauri::command]
pub async fn export_file<R: Runtime>(
    app: AppHandle<R>,
    s: State<'_, LedgerState>,
    kind: String,
    list: Option<String>,
    semicolon: bool,
    path: String,
    replace: Option<bool>,
) -> Res<ExportSummary> {
    let path = dest_path("path", &path, app.path().home_dir().ok().as_deref())?;
    let what = ExportKind::parse(&kind, list)?;
    // A ledger is refused before anything is asked: there is nothing to confirm.
    relief_ledger::files::refuse_ledger_destination(&path).map_err(|e| unwritable(&path, e))?;
    if path.exists() && !replace.unwrap_or(false) {
        return Err(CommandError::new(
            "file_exists",
            format!(
                "Đã có tệp {} ở đó. Ghi đè lên tệp ấy, hay đổi tên tệp?",
                path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned()
                )
            ),
        )
        .at(Some("path")));
    }
    let format = ExportFormat::for_path(&path, semicolon);
    s.with(|l| export::export_file(l, &what, format, &path).map_err(|e| unwritable(&path, e)))
}

/// Where the file of `kind` goes unless the officer says otherwise (see [`export_dir`]).
#[tauri::command]
pub fn default_export_path<R: Runtime>(
    app: AppHandle<R>,
    s: State<'_, LedgerState>,
    kind: String,
) -> Res<String> {
    Ok(export_dir(&app, &s)?
        .join(file_name(&kind)?)
        .display()
        .to_string())
}

/// The printable sheet of a list as the core writes it (`payout-sheet`: with the signature column;
/// `posting-list`: for the public board, ID numbers masked), or the recovery list of the duplicate check
/// (`recovery-sheet`; `list` is not used), for the print view.
#[tauri::command]
pub async fn sheet_html(s: State<'_, LedgerState>, kind: String, list: String) -> Res<String> {
    s.with(|l| sheet(l, &kind, &list))
}

/// Saves the same sheet as a standalone HTML file (it prints, or saves as PDF, from any browser).
#[tauri::command]
pub async fn save_sheet<R: Runtime>(
    app: AppHandle<R>,
    s: State<'_, LedgerState>,
    kind: String,
    list: String,
    path: String,
) -> Res<ExportSummary> {
    let path = dest_path("path", &path, app.path().home_dir().ok().as_deref())?;
    let html = s.with(|l| sheet(l, &kind, &list))?;
    // Whole or not at all, and never onto the ledger or its -wal/-shm (`unsafe_destination`).
    relief_ledger::files::write_bytes(&path, html.as_bytes()).map_err(|e| unwritable(&path, e))?;
    Ok(ExportSummary {
        rows: 1,
        file: Some(path.display().to_string()),
    })
}

/// The native "open" dialog, starting at `start` (a file or folder; may be empty), offering files with
/// the given extensions under `filter_name`. None when closed without a choice.
#[tauri::command]
pub async fn pick_open_path<R: Runtime>(
    app: AppHandle<R>,
    window: tauri::Window<R>,
    title: String,
    filter_name: String,
    extensions: Vec<String>,
    start: String,
) -> Res<Option<String>> {
    let dialog = open_dialog(&app, &window, title, filter_name, &extensions, &start);
    picked(tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_file()).await)
}

/// The native "open" dialog over the window, filtered to `extensions`, starting at `start` when it exists.
fn open_dialog<R: Runtime>(
    app: &AppHandle<R>,
    window: &tauri::Window<R>,
    title: String,
    filter_name: String,
    extensions: &[String],
    start: &str,
) -> tauri_plugin_dialog::FileDialogBuilder<R> {
    let extensions: Vec<&str> = extensions.iter().map(String::as_str).collect();
    let dialog = app
        .dialog()
        .file()
        .set_parent(window)
        .set_title(title)
        .add_filter(filter_name, &extensions);
    match start_dir(app, start) {
        Some(dir) => dialog.set_directory(dir),
        None => dialog,
    }
}

/// The same "open" dialog choosing several files at once (the duplicate check's sources). Empty when
/// closed without a choice.
#[tauri::command]
pub async fn pick_open_paths<R: Runtime>(
    app: AppHandle<R>,
    window: tauri::Window<R>,
    title: String,
    filter_name: String,
    extensions: Vec<String>,
    start: String,
) -> Res<Vec<String>> {
    let dialog = open_dialog(&app, &window, title, filter_name, &extensions, &start);
    let files = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_files())
        .await
        .map_err(|e| CommandError::internal("unexpected", "Lỗi nội bộ", &e))?;
    Ok(files
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f| f.into_path().ok())
        .map(|p| p.display().to_string())
        .collect())
}

/// The native folder dialog (where backups go), starting at `start` when it is a folder or its parent
/// is. None when closed without a choice.
#[tauri::command]
pub async fn pick_folder<R: Runtime>(
    app: AppHandle<R>,
    window: tauri::Window<R>,
    title: String,
    start: String,
) -> Res<Option<String>> {
    let mut dialog = app.dialog().file().set_parent(&window).set_title(title);
    if let Some(dir) = start_dir(&app, &start) {
        dialog = dialog.set_directory(dir);
    }
    picked(tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_folder()).await)
}

/// The native "save as" dialog, proposing `start` (a full path). None when closed without a choice.
#[tauri::command]
pub async fn pick_save_path<R: Runtime>(
    app: AppHandle<R>,
    window: tauri::Window<R>,
    title: String,
    start: String,
) -> Res<Option<String>> {
    let mut dialog = app.dialog().file().set_parent(&window).set_title(title);
    if let Some(dir) = start_dir(&app, &start) {
        dialog = dialog.set_directory(dir);
    }
    if let Some(name) = Path::new(start.trim()).file_name() {
        dialog = dialog.set_file_name(name.to_string_lossy());
    }
    picked(tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file()).await)
}

fn picked(
    answer: Result<Option<tauri_plugin_dialog::FilePath>, tauri::Error>,
) -> Res<Option<String>> {
    let file = answer.map_err(|e| CommandError::internal("unexpected", "Lỗi nội bộ", &e))?;
    Ok(file
        .and_then(|f| f.into_path().ok())
        .map(|p| p.display().to_string()))
}

/// The folder a dialog opens in: `start` itself when it is a folder, else its parent when that exists,
/// else the export folder.
fn start_dir<R: Runtime>(app: &AppHandle<R>, start: &str) -> Option<PathBuf> {
    let start = expand_home(start, app.path().home_dir().ok().as_deref());
    if start.is_dir() {
        return Some(start);
    }
    match start.parent() {
        Some(dir) if dir.is_dir() && start.is_absolute() => Some(dir.to_path_buf()),
        _ => export_dir(app, &app.state::<LedgerState>()).ok(),
    }
}

/// Where exports go by default: the documents folder (`~/Documents` or its XDG name), else the home
/// folder, else the folder of the ledger file.
pub fn export_dir<R: Runtime>(app: &AppHandle<R>, ledger: &LedgerState) -> Res<PathBuf> {
    let paths = app.path();
    let found = [paths.document_dir().ok(), paths.home_dir().ok()]
        .into_iter()
        .flatten()
        .find(|dir| dir.is_dir());
    match found {
        Some(dir) => Ok(dir),
        None => Ok(ledger
            .path()?
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("/"))),
    }
}

/// A file name for each kind: the core's for reports (an Excel workbook by default), one for each printable
/// sheet, and the duplicate check's files.
fn file_name(kind: &str) -> Res<String> {
    Ok(match kind {
        "payout-sheet" => "danh-sach-chi-tra-ky-nhan.html".into(),
        "posting-list" => "danh-sach-niem-yet.html".into(),
        "recovery-sheet" => "danh-sach-thu-hoi.html".into(),
        "recovery" => "danh-sach-thu-hoi.xlsx".into(),
        "duplicate-pairs" => "cac-cap-nghi-trung.xlsx".into(),
        _ => ExportKind::parse(kind, None)?.file_name_for(ExportFormat::Xlsx),
    })
}

fn sheet(l: &Ledger, kind: &str, list: &str) -> Res<String> {
    match kind {
        "payout-sheet" => Ok(export::payout_sheet_html(l, list)?),
        "posting-list" => Ok(export::posting_list_html(l, list)?),
        "recovery-sheet" => Ok(export::recovery_sheet_html(l)?),
        _ => Err(CommandError::new(
            "invalid_input",
            format!("'{kind}': bản in là payout-sheet, posting-list hoặc recovery-sheet."),
        )
        .at(Some("kind"))),
    }
}

/// A file that could not be written: the officer sees where, the OS's wording goes to the log.
pub(super) fn unwritable(path: &Path, err: LedgerError) -> CommandError {
    match err {
        LedgerError::FileUnreadable { .. }
        | LedgerError::FileUnwritable { .. }
        | LedgerError::Io(_) => CommandError::internal(
            "file_unwritable",
            &format!(
                "Không ghi được tệp {}. Hãy kiểm tra thư mục, quyền ghi và chỗ trống trên ổ đĩa, hoặc chọn nơi lưu khác.",
                path.display()
            ),
            &err,
        )
        .at(Some("path")),
        e => e.into(),
    }
}
