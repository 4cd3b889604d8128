//! The CLI tests' harness: the core's shared set-up (`tests/common` of the core, the same file) and the
//! `relief` binary run as a signed-in operator (`--as` with the password in RELIEF_PASSWORD).
//!
//! Each test file uses part of this, so what one file leaves unused is not dead code.
#![allow(dead_code)]

#[path = "../../../tests/common/mod.rs"]
mod core_setup;
pub use core_setup::*;

use std::path::Path;
use std::process::{Command, Stdio};

/// The `relief` binary with `--db DB`, signing in as `operator` with `PW` (the environment's own operator
/// and passwords left out, so nothing of the machine's leaks in).
pub fn relief_as(db: &Path, operator: &str) -> Command {
    let mut c = relief_bare();
    c.arg("--db").arg(db).args(["--as", operator]);
    c.env("RELIEF_PASSWORD", PW);
    c
}

/// The `relief` binary with no operator and no password in its environment.
pub fn relief_bare() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_relief"));
    for var in [
        "RELIEF_OPERATOR",
        "RELIEF_DB",
        "RELIEF_PASSWORD",
        "RELIEF_NEW_PASSWORD",
        "RELIEF_RULES",
    ] {
        c.env_remove(var);
    }
    // Never waits on a terminal: a password it would ask for is a failure, not a hang.
    c.stdin(Stdio::null());
    c
}

/// Runs a set-up command that must succeed; its standard output.
pub fn ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("relief runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    stdout
}

/// Parses the CLI's `--json` output.
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A new ledger for Giang Biên through the CLI: `admin` sets it up, and adds each of `operators` (name, role)
/// with the password `PW`.
pub fn new_ledger_cli(db: &Path, admin: &str, operators: &[(&str, &str)]) {
    ok(relief_as(db, admin).args(["init", "--ward", "Giang Biên", "--district", "Long Biên"]));
    for (name, role) in operators {
        ok(relief_as(db, admin)
            .env("RELIEF_NEW_PASSWORD", PW)
            .args(["operator", "add", name, "--role", role]));
    }
}

/// Writes a demo ward file of `people` people through the CLI; the number of its data rows.
pub fn ward_file(path: &Path, people: usize, seed: u64) -> i64 {
    let out = ok(relief_bare().args([
        "--json",
        "demo",
        "--people",
        &people.to_string(),
        "--seed",
        &seed.to_string(),
        "--ward-file",
        path.to_str().unwrap(),
    ]));
    json(&out)["rows"].as_i64().expect("rows written")
}
