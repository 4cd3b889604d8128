//! Sao lưu và khôi phục: a backup of the open ledger into a chosen folder (a USB stick) now or every few
//! hours while the app runs, and an admin's restore of a backup after its preview. The backup itself, its
//! check and the restore are the core's (`Ledger::backup_to`, `ledger::backups::preview`,
//! `Ledger::restore_from`); this module keeps the schedule and what the last backup did in a small
//! settings file beside the ledger ([`settings_file`]), and runs the schedule's clock.
//!
//! A scheduled backup runs as the operator signed in when it falls due (and still within their idle
//! time). When nobody is, it waits, says so in the status, and runs as whoever signs in next.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use relief_ledger::ledger::backups::{self as backup, BackupDone, BackupPreview, RestoreDone};
use relief_ledger::ledger::{Actor, Role};
use relief_ledger::LedgerError;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};

use super::duplicates::Checks;
use super::{Job, Jobs, Res};
use crate::forms::{expand_home, source_path};
use crate::{CommandError, LedgerState};

/// The schedules the settings offer, in hours (0: off).
pub const EVERY_HOURS: [u32; 5] = [0, 1, 4, 8, 24];

/// How often the app looks whether a scheduled backup is due.
pub const CHECK_EVERY: Duration = Duration::from_secs(30);

/// The settings file of the ledger at `ledger`: `<ledger>.cai-dat.json` beside it
/// (e.g. `~/.local/share/vn.reliefledger.desktop/ledger.sqlite.cai-dat.json`).
pub fn settings_file(ledger: &Path) -> PathBuf {
    let mut name = ledger.as_os_str().to_os_string();
    name.push(".cai-dat.json");
    PathBuf::from(name)
}

/// The app's settings file. Only backups have settings so far.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct SettingsFile {
    backup: BackupSettings,
}

/// The backup schedule, and what the last backup did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BackupSettings {
    /// The folder the schedule backs up to (set by an admin with the schedule).
    pub folder: Option<String>,
    /// Hours between scheduled backups; 0 is off.
    pub every_hours: u32,
    /// When the next scheduled backup is due (UTC, RFC 3339).
    pub next_due: Option<String>,
    /// A scheduled backup fell due at this time while nobody was signed in: it runs at the next sign-in.
    pub waiting_since: Option<String>,
    pub last: Option<LastBackup>,
}

/// The last backup, made on demand or by the schedule, whether it worked or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LastBackup {
    /// When it ran (UTC, RFC 3339).
    pub at: String,
    pub ok: bool,
    pub scheduled: bool,
    /// The operator it ran as.
    pub by: String,
    pub folder: String,
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub head_file: Option<String>,
    /// The chain head it holds, `SEQ:HASH`.
    #[serde(default)]
    pub head: Option<String>,
    #[serde(default)]
    pub people: Option<i64>,
    #[serde(default)]
    pub claims: Option<i64>,
    #[serde(default)]
    pub payouts: Option<i64>,
    #[serde(default)]
    pub payouts_amount: Option<i64>,
    #[serde(default)]
    pub bytes: Option<u64>,
    /// Why it failed, in Vietnamese.
    #[serde(default)]
    pub error: Option<String>,
}

impl LastBackup {
    fn of(
        result: &Res<BackupDone>,
        folder: &Path,
        actor: &Actor,
        scheduled: bool,
        at: DateTime<Utc>,
    ) -> Self {
        let done = result.as_ref().ok();
        let preview = done.map(|d| &d.preview);
        LastBackup {
            at: stamp(at),
            ok: done.is_some(),
            scheduled,
            by: actor.name().to_string(),
            folder: folder.display().to_string(),
            file: done.map(|d| d.file.clone()),
            head_file: done.map(|d| d.head_file.clone()),
            head: preview.map(|p| p.head.to_string()),
            people: preview.map(|p| p.people),
            claims: preview.map(|p| p.claims),
            payouts: preview.map(|p| p.payouts),
            payouts_amount: preview.map(|p| p.payouts_amount),
            bytes: preview.map(|p| p.bytes),
            error: result.as_ref().err().map(|e| e.message.clone()),
        }
    }
}

/// What the settings screen shows: the schedule, the last backup, and the choices of schedule.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupStatus {
    #[serde(flatten)]
    pub settings: BackupSettings,
    pub choices: [u32; 5],
    /// Where the schedule is kept.
    pub settings_file: Option<String>,
}

/// The schedule and the last backup, kept in memory and in the settings file.
pub struct Backups {
    file: Option<PathBuf>,
    settings: Mutex<BackupSettings>,
}

impl Backups {
    /// The settings of the ledger `state` opened, read from the file beside it (none yet: the defaults,
    /// schedule off). A settings file that cannot be read is logged and replaced at the next change.
    pub fn beside(state: &LedgerState) -> Self {
        let file = state.path().ok().map(settings_file);
        let settings = file
            .as_deref()
            .and_then(|f| match std::fs::read(f) {
                Ok(bytes) => serde_json::from_slice::<SettingsFile>(&bytes)
                    .map_err(|e| {
                        eprintln!("relief-ledger-app: settings {} not read: {e}", f.display())
                    })
                    .ok(),
                Err(_) => None,
            })
            .map(|s| s.backup)
            .unwrap_or_default();
        Self {
            file,
            settings: Mutex::new(settings),
        }
    }

    fn lock(&self) -> MutexGuard<'_, BackupSettings> {
        self.settings.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes the settings file whole (through the core's safe write: never onto a ledger).
    fn save(&self, settings: &BackupSettings) -> Res<()> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let body = SettingsFile {
            backup: settings.clone(),
        };
        let json = serde_json::to_vec_pretty(&body)
            .map_err(|e| CommandError::internal("unexpected", "Lỗi nội bộ", &e))?;
        relief_ledger::files::write_bytes(file, &json).map_err(|e| {
            CommandError::internal(
                "file_unwritable",
                &format!(
                    "Không lưu được cài đặt sao lưu vào {}. Hãy kiểm tra quyền ghi và chỗ trống trên ổ đĩa.",
                    file.display()
                ),
                &e,
            )
        })
    }

    /// Changes the settings and saves them; a failure to save is logged (the change holds while the app
    /// runs).
    fn update(&self, change: impl FnOnce(&mut BackupSettings)) {
        let mut s = self.lock();
        change(&mut s);
        if let Err(e) = self.save(&s) {
            eprintln!("relief-ledger-app: {e}");
        }
    }

    pub fn status(&self) -> BackupStatus {
        BackupStatus {
            settings: self.lock().clone(),
            choices: EVERY_HOURS,
            settings_file: self.file.as_ref().map(|f| f.display().to_string()),
        }
    }

    /// True when a scheduled backup is waiting for someone to sign in.
    pub fn waiting(&self) -> bool {
        self.lock().waiting_since.is_some()
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn parse(t: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn hours(n: u32) -> chrono::Duration {
    chrono::Duration::hours(i64::from(n))
}

/// The folder typed or chosen for backups: a full path to a folder that exists (a USB stick that is not
/// plugged in is said so, rather than a folder made where it would be mounted).
pub fn backup_folder(value: &str, home: Option<&Path>) -> Res<PathBuf> {
    let refuse =
        |code: &str, message: String| Err(CommandError::new(code, message).at(Some("folder")));
    let value = value.trim();
    if value.is_empty() {
        return refuse(
            "invalid_input",
            "Hãy chọn thư mục để lưu bản sao lưu (ví dụ ổ USB).".into(),
        );
    }
    let path = expand_home(value, home);
    if !path.is_absolute() {
        return refuse(
            "invalid_input",
            format!(
                "Hãy nhập đường dẫn đầy đủ của thư mục, bắt đầu bằng / (ví dụ /media/usb/{value})."
            ),
        );
    }
    if path.is_file() {
        return refuse(
            "invalid_input",
            format!("{} là một tệp; hãy chọn một thư mục.", path.display()),
        );
    }
    if !path.is_dir() {
        return refuse(
            "file_unwritable",
            format!(
                "Không có thư mục {}. Nếu đó là ổ USB, hãy cắm ổ vào rồi thử lại.",
                path.display()
            ),
        );
    }
    Ok(path)
}

/// A backup's failure as the officer reads it: the core's own message (which says where and why) for a
/// file it could not write or a destination it refused; a database or disk error is logged and said
/// plainly.
fn backup_error(dir: &Path, err: LedgerError) -> CommandError {
    match err {
        LedgerError::Database(_) | LedgerError::Io(_) => CommandError::internal(
            "file_unwritable",
            &format!(
                "Không ghi được bản sao lưu vào {}. Hãy kiểm tra ổ đĩa, quyền ghi và chỗ trống, rồi thử lại.",
                dir.display()
            ),
            &err,
        )
        .at(Some("folder")),
        LedgerError::FileUnwritable { .. } | LedgerError::UnsafeDestination { .. } => {
            CommandError::from(err).at(Some("folder"))
        }
        e => e.into(),
    }
}

/// Backs the ledger up into `dir` as `actor` and remembers how it went (`scheduled`: by the schedule).
/// A backup resets the schedule's clock when it went to the schedule's folder.
pub fn run_backup(
    state: &LedgerState,
    backups: &Backups,
    dir: &Path,
    actor: &Actor,
    scheduled: bool,
    now: DateTime<Utc>,
) -> Res<BackupDone> {
    let result = state.with(|l| l.backup_to(dir, actor).map_err(|e| backup_error(dir, e)));
    backups.update(|s| {
        s.last = Some(LastBackup::of(&result, dir, actor, scheduled, now));
        let to_schedule = s.folder.as_deref().map(Path::new) == Some(dir);
        if s.every_hours > 0 && (scheduled || to_schedule) {
            s.next_due = Some(stamp(now + hours(s.every_hours)));
            s.waiting_since = None;
        }
    });
    result
}

/// One look at the schedule at `now`: when a backup is due (or waiting since it fell due), it runs as the
/// signed-in operator; with nobody signed in it waits for the next sign-in, which the status says.
/// Returns what a backup that ran did.
pub fn tick(state: &LedgerState, backups: &Backups, now: DateTime<Utc>) -> Option<Res<BackupDone>> {
    let folder = {
        let s = backups.lock();
        if s.every_hours == 0 {
            return None;
        }
        let due = s.waiting_since.is_some()
            || s.next_due
                .as_deref()
                .and_then(parse)
                .is_none_or(|d| now >= d);
        if !due {
            return None;
        }
        PathBuf::from(s.folder.clone()?)
    };
    let Some(actor) = state.session().active_actor() else {
        backups.update(|s| {
            if s.waiting_since.is_none() {
                s.waiting_since = Some(s.next_due.clone().unwrap_or_else(|| stamp(now)));
            }
        });
        return None;
    };
    let result = match backup_folder(&folder.display().to_string(), None) {
        Ok(dir) => run_backup(state, backups, &dir, &actor, true, now),
        Err(e) => {
            let failed = Err(e);
            backups.update(|s| {
                s.last = Some(LastBackup::of(&failed, &folder, &actor, true, now));
                s.next_due = Some(stamp(now + hours(s.every_hours)));
                s.waiting_since = None;
            });
            failed
        }
    };
    Some(result)
}

/// Starts the schedule's clock: a thread that looks every [`CHECK_EVERY`] while the app runs.
pub fn start_schedule<R: Runtime>(app: AppHandle<R>) {
    let started = std::thread::Builder::new()
        .name("relief-backup-schedule".into())
        .spawn(move || loop {
            std::thread::sleep(CHECK_EVERY);
            let (Some(state), Some(backups)) =
                (app.try_state::<LedgerState>(), app.try_state::<Backups>())
            else {
                continue;
            };
            if let Some(Err(e)) = tick(&state, &backups, Utc::now()) {
                eprintln!("relief-ledger-app: scheduled backup failed: {e}");
            }
        });
    if let Err(e) = started {
        eprintln!("relief-ledger-app: the backup schedule could not start: {e}");
    }
}

/// Someone has just signed in: a scheduled backup that was waiting for them runs now, in the background.
pub fn after_sign_in<R: Runtime>(app: &AppHandle<R>) {
    if !app.try_state::<Backups>().is_some_and(|b| b.waiting()) {
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        if let Some(Err(e)) = tick(&app.state(), &app.state(), Utc::now()) {
            eprintln!("relief-ledger-app: scheduled backup failed: {e}");
        }
    });
}

/// Refused unless the signed-in operator is an admin (the core's own refusal, in its words).
fn require_admin(l: &relief_ledger::Ledger, actor: &Actor) -> Res<()> {
    l.require_role(actor, &[Role::Admin])?;
    Ok(())
}

fn internal(e: tauri::Error) -> CommandError {
    CommandError::internal("unexpected", "Lỗi nội bộ", &e)
}

/// The schedule, the last backup and the next one due.
#[tauri::command]
pub async fn backup_status(backups: State<'_, Backups>) -> Res<BackupStatus> {
    Ok(backups.status())
}

/// An admin sets the schedule: every `everyHours` hours (one of [`EVERY_HOURS`]; 0 is off) into
/// `folder`. The first scheduled backup is due `everyHours` from now.
#[tauri::command]
pub async fn set_backup_schedule<R: Runtime>(
    app: AppHandle<R>,
    s: State<'_, LedgerState>,
    backups: State<'_, Backups>,
    folder: String,
    every_hours: u32,
) -> Res<BackupStatus> {
    s.act(|l, actor| require_admin(l, actor))?;
    set_schedule(
        &backups,
        &folder,
        every_hours,
        app.path().home_dir().ok().as_deref(),
        Utc::now(),
    )
}

/// The schedule's change itself, for `set_backup_schedule` and the unit tests.
pub fn set_schedule(
    backups: &Backups,
    folder: &str,
    every_hours: u32,
    home: Option<&Path>,
    now: DateTime<Utc>,
) -> Res<BackupStatus> {
    if !EVERY_HOURS.contains(&every_hours) {
        return Err(CommandError::new(
            "invalid_input",
            "Lịch sao lưu là: tắt, mỗi 1, 4, 8 hoặc 24 giờ.",
        )
        .at(Some("everyHours")));
    }
    let folder = match (folder.trim(), every_hours) {
        ("", 0) => None,
        (typed, _) => Some(backup_folder(typed, home)?.display().to_string()),
    };
    let mut settings = backups.lock();
    let mut next = settings.clone();
    next.every_hours = every_hours;
    next.folder = folder.or(next.folder);
    next.next_due = (every_hours > 0).then(|| stamp(now + hours(every_hours)));
    next.waiting_since = None;
    backups.save(&next)?;
    *settings = next;
    drop(settings);
    Ok(backups.status())
}

/// What "Sao lưu ngay" answers: the backup written (file, head file, what it holds) and the status.
#[derive(Debug, Clone, Serialize)]
pub struct BackupOutcome {
    pub done: BackupDone,
    pub status: BackupStatus,
}

/// Backs the ledger up now into `folder` as the signed-in operator (any role), on a background thread;
/// the backup is verified after writing and its chain head written beside it. A failure is remembered as
/// the last backup too.
#[tauri::command]
pub async fn backup_now<R: Runtime>(app: AppHandle<R>, folder: String) -> Res<BackupOutcome> {
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<LedgerState>();
        let backups = app.state::<Backups>();
        let actor = state.session().actor()?;
        let dir = backup_folder(&folder, app.path().home_dir().ok().as_deref())?;
        let done = run_backup(&state, &backups, &dir, &actor, false, Utc::now())?;
        Ok(BackupOutcome {
            done,
            status: backups.status(),
        })
    })
    .await
    .map_err(internal)?
}

/// A file that is not a sound ledger, as the officer reads it.
fn unreadable(path: &Path, err: LedgerError) -> CommandError {
    match err {
        LedgerError::FileUnreadable { .. } | LedgerError::LedgerMissing { .. } => {
            CommandError::from(err).at(Some("path"))
        }
        LedgerError::NotInitialised => CommandError::new(
            "file_unreadable",
            format!(
                "{} không phải một sổ chi trả đã khởi tạo (không có thông tin đơn vị).",
                path.display()
            ),
        )
        .at(Some("path")),
        e => CommandError::internal(
            "file_unreadable",
            &format!(
                "Không đọc được {} như một sổ chi trả. Hãy chọn tệp sao lưu so-chi-tra-….sqlite.",
                path.display()
            ),
            &e,
        )
        .at(Some("path")),
    }
}

/// What a backup file holds, read-only: office, counts, the amount paid, the last change, its chain
/// head, and anything `verify` finds wrong in it. Any signed-in operator may look (restoring is an
/// admin's).
#[tauri::command]
pub async fn backup_preview<R: Runtime>(app: AppHandle<R>, path: String) -> Res<BackupPreview> {
    tauri::async_runtime::spawn_blocking(move || {
        let path = source_path("path", &path, app.path().home_dir().ok().as_deref())?;
        backup::preview(&path).map_err(|e| unreadable(&path, e))
    })
    .await
    .map_err(internal)?
}

/// What a restore answers: what the core did (where the ledger as it was is kept) and what the ledger
/// now holds.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreOutcome {
    pub done: RestoreDone,
    pub preview: BackupPreview,
}

/// An admin restores the backup at `path`, previewed with chain head `head` (`SEQ:HASH`): refused when
/// the file fails its check or is no longer the one previewed. The ledger as it was is kept beside it.
/// The operator is then signed out (recorded with why): the restored ledger has its own operators and
/// roles, so whoever continues signs in to it.
#[tauri::command]
pub async fn restore_backup<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    head: String,
) -> Res<RestoreOutcome> {
    tauri::async_runtime::spawn_blocking(move || {
        let home = app.path().home_dir().ok();
        let path = source_path("path", &path, home.as_deref())?;
        run_restore(
            &app.state::<LedgerState>(),
            &app.state::<Jobs>(),
            &app.state::<Checks>(),
            &path,
            &head,
        )
    })
    .await
    .map_err(internal)?
}

/// The restore itself, for `restore_backup` and the unit tests.
pub fn run_restore(
    state: &LedgerState,
    jobs: &Jobs,
    checks: &Checks,
    path: &Path,
    head: &str,
) -> Res<RestoreOutcome> {
    let actor = state.session().actor()?;
    state.with(|l| require_admin(l, &actor))?;
    let shown = backup::preview(path).map_err(|e| unreadable(path, e))?;
    if !shown.problems.is_empty() {
        return Err(CommandError::new(
            "backup_unsound",
            format!(
                "Bản sao lưu {} không qua kiểm tra nên không được khôi phục: {}",
                path.display(),
                shown.problems.join("; ")
            ),
        )
        .at(Some("path")));
    }
    if shown.head.to_string() != head.trim() {
        return Err(CommandError::new(
            "backup_changed",
            "Tệp sao lưu đã khác với lúc xem trước (mốc nhật ký không khớp). Hãy bấm Xem trước lại rồi mới khôi phục.",
        )
        .at(Some("path")));
    }
    let _running = jobs.begin(Job::Restore)?;
    let done = state.restore(path, &actor)?;
    checks.clear();
    if let Some(was) = state.session().end() {
        state.record_sign_out(was, "restore");
    }
    let preview = state.with(|l| {
        let report = l.verify()?;
        Ok(BackupPreview {
            head: report.head,
            problems: report.problems,
            ..shown
        })
    })?;
    Ok(RestoreOutcome { done, preview })
}
