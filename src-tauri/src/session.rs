//! Who is at the keyboard: the [`Actor`] the core made when the operator signed in (or set the office
//! up), kept beside the ledger, and when they last ran a command.
//!
//! The webview never names an actor: every write takes the one held here. A command run while nobody is
//! signed in, or after the idle time without a command, is refused with `sign_in_required` before it
//! runs ([`crate::commands::handler`] checks every command but the few in
//! [`crate::commands::OPEN`]). Signing out, on demand or for idleness, is recorded in the audit log by
//! the core's `Ledger::sign_out`.

use std::ffi::OsString;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use relief_ledger::ledger::{Actor, Role};
use serde::Serialize;

use crate::CommandError;

/// The environment variable that sets the idle time, in minutes (fractions allowed: the end-to-end
/// tests use a few seconds).
pub const IDLE_ENV: &str = "RELIEF_IDLE_MINUTES";

/// Minutes without a command after which the operator is signed out.
pub const DEFAULT_IDLE_MINUTES: u64 = 15;

/// `$RELIEF_IDLE_MINUTES` when it is a positive number, else 15 minutes.
pub fn idle_from_env(value: Option<OsString>) -> Duration {
    value
        .and_then(|v| v.to_str().and_then(|s| s.trim().parse::<f64>().ok()))
        .filter(|m| m.is_finite() && *m > 0.0 && *m <= 24.0 * 60.0)
        .map(|m| Duration::from_secs_f64(m * 60.0))
        .unwrap_or(Duration::from_secs(DEFAULT_IDLE_MINUTES * 60))
}

/// The idle time as the office reads it: "15 phút", or "3 giây" for a short test setting.
pub fn idle_words(idle: Duration) -> String {
    let secs = idle.as_secs_f64().round() as u64;
    if secs < 60 {
        format!("{} giây", secs.max(1))
    } else if secs.is_multiple_of(60) {
        format!("{} phút", secs / 60)
    } else {
        format!("{:.1} phút", secs as f64 / 60.0).replace('.', ",")
    }
}

/// What the UI shows of the signed-in operator (the header, which buttons it offers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub name: String,
    pub role: Role,
    /// Seconds without a command before the app signs out (the UI checks back about then).
    pub idle_seconds: u64,
}

struct Slot {
    actor: Actor,
    last: Instant,
}

/// The one signed-in operator of this window, and the idle time.
pub struct Session {
    slot: Mutex<Option<Slot>>,
    idle: Duration,
}

/// Why a command found nobody signed in.
#[derive(Debug)]
pub enum SignedOut {
    /// Nobody was signed in.
    Nobody,
    /// The operator was idle too long and is now signed out; the caller records it (`sign_out`).
    Idle(Actor),
}

impl SignedOut {
    /// The `{code: "sign_in_required", message}` the UI answers by showing the sign-in screen.
    pub fn error(&self, idle: Duration) -> CommandError {
        match self {
            SignedOut::Nobody => CommandError::new(
                "sign_in_required",
                "Cần đăng nhập: hãy đăng nhập bằng tên và mật khẩu của mình để tiếp tục.",
            ),
            SignedOut::Idle(actor) => CommandError::new(
                "sign_in_required",
                format!(
                    "Đã tự đăng xuất {} vì không thao tác trong {}; hãy đăng nhập lại.",
                    actor.name(),
                    idle_words(idle)
                ),
            ),
        }
    }
}

impl Session {
    pub fn new(idle: Duration) -> Self {
        Self {
            slot: Mutex::new(None),
            idle,
        }
    }

    pub fn idle(&self) -> Duration {
        self.idle
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Slot>> {
        self.slot.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `actor` is now signed in; returns whoever was before (to be recorded as signed out).
    pub fn start(&self, actor: Actor) -> Option<Actor> {
        self.lock()
            .replace(Slot {
                actor,
                last: Instant::now(),
            })
            .map(|s| s.actor)
    }

    /// Nobody is signed in any more; returns who was.
    pub fn end(&self) -> Option<Actor> {
        self.lock().take().map(|s| s.actor)
    }

    /// A command is starting: the signed-in operator, with their activity refreshed. After the idle
    /// time without a command they are signed out instead, unless `busy` (a long job they started is
    /// still running, which counts as activity).
    pub fn begin_command(&self, busy: bool) -> Result<(), SignedOut> {
        let mut slot = self.lock();
        match slot.as_mut() {
            None => Err(SignedOut::Nobody),
            Some(s) if !busy && s.last.elapsed() >= self.idle => {
                Err(SignedOut::Idle(slot.take().unwrap().actor))
            }
            Some(s) => {
                s.last = Instant::now();
                Ok(())
            }
        }
    }

    /// Who is signed in, without counting as activity (the UI's periodic look); signs out an operator
    /// idle too long, as [`Session::begin_command`] does.
    pub fn current(&self, busy: bool) -> Result<Option<SessionInfo>, SignedOut> {
        let mut slot = self.lock();
        match slot.as_mut() {
            None => Ok(None),
            Some(s) if busy => {
                s.last = Instant::now();
                Ok(Some(self.info(&s.actor)))
            }
            Some(s) if s.last.elapsed() >= self.idle => {
                Err(SignedOut::Idle(slot.take().unwrap().actor))
            }
            Some(s) => Ok(Some(self.info(&s.actor))),
        }
    }

    /// The signed-in operator, for a command's write (the command handler has already checked and
    /// refreshed the session).
    pub fn actor(&self) -> Result<Actor, CommandError> {
        self.lock()
            .as_ref()
            .map(|s| s.actor.clone())
            .ok_or_else(|| SignedOut::Nobody.error(self.idle))
    }

    /// The signed-in operator when they are still within the idle time, without counting as their
    /// activity and without signing anyone out: whom a scheduled backup runs as. None when nobody is
    /// signed in or the operator has been idle too long (their next command will sign them out).
    pub fn active_actor(&self) -> Option<Actor> {
        self.lock()
            .as_ref()
            .filter(|s| s.last.elapsed() < self.idle)
            .map(|s| s.actor.clone())
    }

    pub fn info(&self, actor: &Actor) -> SessionInfo {
        SessionInfo {
            name: actor.name().to_string(),
            role: actor.role(),
            idle_seconds: self.idle.as_secs().max(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_idle_time_comes_from_the_environment_or_is_fifteen_minutes() {
        let fifteen = Duration::from_secs(15 * 60);
        assert_eq!(idle_from_env(None), fifteen);
        for bad in ["", "x", "0", "-3", "NaN", "inf", "100000"] {
            assert_eq!(idle_from_env(Some(bad.into())), fifteen, "{bad:?}");
        }
        assert_eq!(idle_from_env(Some(" 5 ".into())), Duration::from_secs(300));
        assert_eq!(idle_from_env(Some("0.05".into())), Duration::from_secs(3));
        assert_eq!(idle_words(Duration::from_secs(900)), "15 phút");
        assert_eq!(idle_words(Duration::from_secs(3)), "3 giây");
        assert_eq!(idle_words(Duration::from_secs(90)), "1,5 phút");
    }
}
