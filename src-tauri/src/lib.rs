//! The desktop shell of Relief Ledger (Sổ chi trả hỗ trợ COVID-19).
//!
//! Everything the office does lives in the core library (`relief_ledger`); this crate only wires it to
//! the webview: the open ledger and who is signed in to it as managed state ([`LedgerState`],
//! [`session`]), the command table ([`commands`]), the forms' text-to-core conversion ([`forms`]) and
//! the error shape ([`CommandError`]).
//! The UI is the static `ui/` folder, embedded at compile time (`frontendDist` in tauri.conf.json).

pub mod commands;
pub mod error;
pub mod forms;
pub mod session;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use relief_ledger::about::{build_info, BuildInfo};
use relief_ledger::ledger::backups::RestoreDone;
use relief_ledger::ledger::{Actor, Office, OfficeNames, Operator};
use relief_ledger::rules::RulePack;
use relief_ledger::{Ledger, LedgerError};
use serde::Serialize;
use tauri::{Manager, Runtime};

pub use error::CommandError;
pub use session::{Session, SessionInfo};

/// The ledger's file name inside the app's data directory.
pub const LEDGER_FILE_NAME: &str = "ledger.sqlite";

/// The environment variable that points the app at another ledger file (tests use it with temp dirs).
pub const LEDGER_ENV: &str = "RELIEF_DB";

/// Where the ledger lives: `$RELIEF_DB` when set and not empty, else `<app data dir>/ledger.sqlite`.
pub fn ledger_location<E: std::fmt::Display>(
    env: Option<OsString>,
    data_dir: Result<PathBuf, E>,
) -> Result<PathBuf, CommandError> {
    match env.filter(|v| !v.is_empty()) {
        Some(path) => Ok(PathBuf::from(path)),
        None => data_dir
            .map(|dir| dir.join(LEDGER_FILE_NAME))
            .map_err(|e| CommandError::data_dir_unavailable(&e)),
    }
}

/// The office's ledger, opened once at startup and shared by the commands, with the operator signed
/// in to it. A failure to open is kept rather than aborting start-up, so the window can still say what
/// went wrong.
pub struct LedgerState {
    location: Result<PathBuf, CommandError>,
    /// `None` only if a restore could not reopen the file it had just written (see [`LedgerState::restore`]).
    ledger: Result<Mutex<Option<Ledger>>, CommandError>,
    session: Session,
}

impl LedgerState {
    /// Opens (creating if needed) the ledger at `path`; nobody is signed in, the idle time is
    /// `$RELIEF_IDLE_MINUTES` (15 minutes when unset).
    pub fn open_at(path: PathBuf) -> Self {
        let ledger = Ledger::open(&path)
            .map(|l| Mutex::new(Some(l)))
            .map_err(|e| CommandError::ledger_unavailable(&e));
        Self {
            location: Ok(path),
            ledger,
            session: Session::new(session::idle_from_env(std::env::var_os(session::IDLE_ENV))),
        }
    }

    /// The same ledger with another idle time (the unit tests use a short one).
    pub fn with_idle(mut self, idle: std::time::Duration) -> Self {
        self.session = Session::new(idle);
        self
    }

    /// `$RELIEF_DB`, or `<app data dir>/ledger.sqlite` (e.g. `~/.local/share/<identifier>/ledger.sqlite`).
    pub fn resolve<R: Runtime, M: Manager<R>>(manager: &M) -> Self {
        match ledger_location(std::env::var_os(LEDGER_ENV), manager.path().app_data_dir()) {
            Ok(path) => Self::open_at(path),
            Err(e) => Self::unavailable(e),
        }
    }

    pub fn unavailable(error: CommandError) -> Self {
        Self {
            location: Err(error.clone()),
            ledger: Err(error),
            session: Session::new(session::idle_from_env(None)),
        }
    }

    /// Who is signed in, and since when they last ran a command.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The error of a ledger that could not be opened, if it could not.
    pub fn available(&self) -> Result<(), CommandError> {
        self.ledger.as_ref().map(|_| ()).map_err(Clone::clone)
    }

    pub fn path(&self) -> Result<&Path, CommandError> {
        self.location.as_deref().map_err(Clone::clone)
    }

    /// Runs one core call on the ledger; its error crosses as `{code, message}`.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Ledger) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        let ledger = self.ledger.as_ref().map_err(Clone::clone)?;
        // A panic in an earlier command cannot leave a half-written transaction (SQLite rolls it back),
        // so the ledger stays usable.
        let mut guard = ledger.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_mut() {
            Some(l) => f(l),
            None => Err(CommandError::ledger_unavailable(
                &LedgerError::NotInitialised,
            )),
        }
    }

    /// Replaces the ledger with the backup at `backup`, as `actor` (an admin: the core refuses anyone
    /// else). The core needs the only connection to the file, so the open ledger is handed over and the
    /// restored one kept in its place; when the restore is refused or fails, the file (unchanged, or as
    /// the core left it) is opened again, so the app goes on with the ledger it had.
    pub fn restore(&self, backup: &Path, actor: &Actor) -> Result<RestoreDone, CommandError> {
        let ledger = self.ledger.as_ref().map_err(Clone::clone)?;
        let path = self.path()?.to_path_buf();
        let mut guard = ledger.lock().unwrap_or_else(|p| p.into_inner());
        let open = guard
            .take()
            .ok_or_else(|| CommandError::ledger_unavailable(&LedgerError::NotInitialised))?;
        match open.restore_from(backup, actor) {
            Ok((restored, done)) => {
                *guard = Some(restored);
                Ok(done)
            }
            Err(e) => {
                match Ledger::open(&path) {
                    Ok(l) => *guard = Some(l),
                    Err(again) => eprintln!(
                        "relief-ledger-app: the ledger could not be reopened after a failed restore: {again}"
                    ),
                }
                Err(e.into())
            }
        }
    }

    /// Runs one core call as the signed-in operator: every write goes through here, so none can name
    /// an actor of its own. `sign_in_required` when nobody is signed in.
    pub fn act<T>(
        &self,
        f: impl FnOnce(&mut Ledger, &Actor) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        let actor = self.session.actor()?;
        self.with(|l| f(l, &actor))
    }

    /// Records that `actor` signed out (`why`: `on_demand`, `idle`, `new_sign_in`). A failure to write
    /// the row is logged; the operator is signed out in the app either way.
    pub fn record_sign_out(&self, actor: Actor, why: &str) {
        let name = actor.name().to_string();
        if let Err(e) = self.with(|l| Ok(l.sign_out(actor, why)?)) {
            eprintln!("relief-ledger-app: sign-out of {name} ({why}) not recorded: {e}");
        }
    }
}

/// What the app opens on and the header and settings screen show: the office (none before set-up),
/// whether its admin must first set a password (a ledger made before sign-in existed), who is signed
/// in, the operators (only once someone is signed in) and the rule pack the app prices claims with.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OfficeStatus {
    pub office: Option<Office>,
    /// How the office's names are shown and printed (`Office::names`).
    pub names: Option<OfficeNames>,
    /// True until the first list is approved: an admin may still correct the office's names.
    pub office_correctable: bool,
    pub needs_first_password: bool,
    pub session: Option<SessionInfo>,
    pub operators: Vec<Operator>,
    pub pack: PackInfo,
}

/// The rule pack's id, version and title.
#[derive(Debug, Clone, Serialize)]
pub struct PackInfo {
    pub id: String,
    pub version: String,
    pub title: String,
}

impl OfficeStatus {
    pub fn of(ledger: &Ledger, session: Option<SessionInfo>) -> Result<Self, LedgerError> {
        let office = match ledger.office() {
            Ok(o) => Some(o),
            Err(LedgerError::NotInitialised) => None,
            Err(e) => return Err(e),
        };
        Ok(Self {
            needs_first_password: office.is_some() && ledger.needs_first_password()?,
            names: office.as_ref().map(Office::names),
            office_correctable: office.is_some() && ledger.office_correctable()?,
            office,
            operators: if session.is_some() {
                ledger.operators()?
            } else {
                Vec::new()
            },
            session,
            pack: pack_header(ledger.pack()),
        })
    }
}

fn pack_header(pack: &RulePack) -> PackInfo {
    PackInfo {
        id: pack.pack.id.clone(),
        version: pack.pack.version.clone(),
        title: pack.pack.title.clone(),
    }
}

/// What the "about" line of the UI shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    pub ledger_path: String,
    /// The same path with the home directory written `~`, for the status line.
    pub ledger_path_short: String,
    /// The home directory, so the UI can write other paths (imports, exports) the same way.
    pub home: Option<String>,
    /// The core's version, build date and shipped rule pack (Cài đặt → Phần mềm), as `relief --version`.
    pub build: BuildInfo,
}

impl AppInfo {
    pub fn collect<R: Runtime>(
        app: &tauri::AppHandle<R>,
        ledger: &LedgerState,
    ) -> Result<Self, CommandError> {
        let package = app.package_info();
        let path = ledger.path()?;
        let home = app.path().home_dir().ok();
        Ok(Self {
            name: package.name.clone(),
            version: package.version.to_string(),
            ledger_path: path.display().to_string(),
            ledger_path_short: shorten_home(path, home.as_deref()),
            home: home.map(|h| h.display().to_string()),
            build: build_info(),
        })
    }
}

/// `/home/an/.local/share/x` → `~/.local/share/x`; other paths unchanged.
pub fn shorten_home(path: &Path, home: Option<&Path>) -> String {
    match home.and_then(|home| path.strip_prefix(home).ok()) {
        Some(rest) if !rest.as_os_str().is_empty() => format!("~/{}", rest.display()),
        _ => path.display().to_string(),
    }
}

/// Builds the app: command table and managed state. Shared by [`run`] and the `tauri::test` unit
/// tests, which pass the mock runtime's builder and context and a ledger file of their own
/// (`ledger = None` resolves it as the real app does).
///
/// State is managed here rather than in a `setup` hook because `setup` only runs once the event
/// loop starts, and the tests call commands on a built app that never runs.
pub fn build<R: Runtime>(
    builder: tauri::Builder<R>,
    context: tauri::Context<R>,
    ledger: Option<PathBuf>,
) -> tauri::Result<tauri::App<R>> {
    build_with(builder, context, |app| match ledger {
        Some(path) => LedgerState::open_at(path),
        None => LedgerState::resolve(app),
    })
}

/// The same with the ledger's state made by `state` (the tests use it for a short idle time).
pub fn build_with<R: Runtime>(
    builder: tauri::Builder<R>,
    context: tauri::Context<R>,
    state: impl FnOnce(&tauri::App<R>) -> LedgerState,
) -> tauri::Result<tauri::App<R>> {
    let app = builder
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(commands::handler())
        .build(context)?;
    let ledger = state(&app);
    app.manage(ledger);
    app.manage(commands::Jobs::default());
    app.manage(commands::duplicates::Checks::default());
    app.manage(commands::backups::Backups::beside(
        &app.state::<LedgerState>(),
    ));
    app.manage(commands::drafts::Drafts::beside(
        &app.state::<LedgerState>(),
    ));
    Ok(app)
}

/// Starts the desktop app; returns when its last window closes.
pub fn run() {
    let app = build(tauri::Builder::default(), tauri::generate_context!(), None)
        .expect("relief-ledger-app: the app could not be built");
    // Scheduled backups while the app runs (the unit tests drive the schedule's clock themselves).
    commands::backups::start_schedule(app.handle().clone());
    app.run(|_app, _event| {});
}

#[cfg(test)]
mod tests {
    use super::{ledger_location, shorten_home};
    use std::path::{Path, PathBuf};

    #[test]
    fn shorten_home_writes_the_home_directory_as_a_tilde() {
        let home = Some(Path::new("/home/huong"));
        let ledger = Path::new("/home/huong/.local/share/app/ledger.sqlite");
        assert_eq!(
            shorten_home(ledger, home),
            "~/.local/share/app/ledger.sqlite"
        );
        assert_eq!(
            shorten_home(Path::new("/data/ledger.sqlite"), home),
            "/data/ledger.sqlite"
        );
        assert_eq!(
            shorten_home(Path::new("/home/huongx/l"), home),
            "/home/huongx/l"
        );
        assert_eq!(shorten_home(ledger, None), ledger.display().to_string());
    }

    #[test]
    fn relief_db_overrides_the_data_directory() {
        let data: Result<PathBuf, String> = Ok(PathBuf::from("/d"));
        assert_eq!(
            ledger_location(None, data.clone()).unwrap(),
            PathBuf::from("/d/ledger.sqlite")
        );
        assert_eq!(
            ledger_location(Some("".into()), data.clone()).unwrap(),
            PathBuf::from("/d/ledger.sqlite")
        );
        assert_eq!(
            ledger_location(Some("/t/x.sqlite".into()), data).unwrap(),
            PathBuf::from("/t/x.sqlite")
        );
        let none: Result<PathBuf, String> = Err("no HOME".into());
        assert_eq!(
            ledger_location(None, none).unwrap_err().code,
            "data_dir_unavailable"
        );
        assert!(ledger_location(Some("/t/x".into()), Err::<PathBuf, _>("x")).is_ok());
    }
}
