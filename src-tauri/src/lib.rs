//! The desktop shell of Relief Ledger (Sổ chi trả hỗ trợ COVID-19).
//!
//! Everything the office does lives in the core library (`relief_ledger`); this crate only wires it to
//! the webview: managed state, the command table ([`commands`]) and the error shape ([`CommandError`]).
//! The UI is the static `ui/` folder, embedded at compile time (`frontendDist` in tauri.conf.json).

pub mod commands;
pub mod error;

use std::path::{Path, PathBuf};

use serde::Serialize;
use tauri::{Manager, Runtime};

pub use error::CommandError;

/// The ledger's file name inside the app's data directory.
pub const LEDGER_FILE_NAME: &str = "ledger.sqlite";

/// Where the office's ledger lives, resolved once at startup.
///
/// Phase 1 only resolves the path; opening (and creating) the ledger there comes with the core's
/// ledger API. A failure is kept rather than aborting start-up, so the window can still say what
/// went wrong.
pub struct LedgerState {
    location: Result<PathBuf, CommandError>,
}

impl LedgerState {
    /// `<app data dir>/ledger.sqlite`, e.g. `~/.local/share/<identifier>/ledger.sqlite` on Linux.
    pub fn resolve<R: Runtime, M: Manager<R>>(manager: &M) -> Self {
        let location = manager
            .path()
            .app_data_dir()
            .map(|dir| dir.join(LEDGER_FILE_NAME))
            .map_err(|e| CommandError::data_dir_unavailable(&e));
        Self { location }
    }

    pub fn unavailable(error: CommandError) -> Self {
        Self {
            location: Err(error),
        }
    }

    pub fn path(&self) -> Result<&Path, CommandError> {
        self.location.as_deref().map_err(Clone::clone)
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
/// tests, which pass the mock runtime's builder and context.
///
/// State is managed here rather than in a `setup` hook because `setup` only runs once the event
/// loop starts, and the tests call commands on a built app that never runs.
pub fn build<R: Runtime>(
    builder: tauri::Builder<R>,
    context: tauri::Context<R>,
) -> tauri::Result<tauri::App<R>> {
    let app = builder
        .invoke_handler(tauri::generate_handler![
            commands::echo_text,
            commands::app_info
        ])
        .build(context)?;
    app.manage(LedgerState::resolve(&app));
    Ok(app)
}

/// Starts the desktop app; returns when its last window closes.
pub fn run() {
    build(tauri::Builder::default(), tauri::generate_context!())
        .expect("relief-ledger-app: the app could not be built")
        .run(|_app, _event| {});
}

#[cfg(test)]
mod tests {
    use super::shorten_home;
    use std::path::Path;

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
}
