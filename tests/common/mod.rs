//! Shared set-up for the integration tests: an office ledger whose operators are signed in, one per role,
//! since every write of the core is bound to a signed-in `Actor`; and the `relief` binary run as a signed-in
//! operator (`--as` with the password in RELIEF_PASSWORD).
//!
//! Each test file uses part of this, so what one file leaves unused is not dead code.
#![allow(dead_code)]

use relief_ledger::ledger::{Actor, Office, Role};
use relief_ledger::Ledger;
use std::path::Path;
use std::process::{Command, Stdio};

/// Every test operator's password (at least six characters, not one repeated).
pub const PW: &str = "mat-khau-1";

/// The office most tests keep: Giang Biên, Long Biên, Hà Nội.
pub fn giang_bien_office() -> Office {
    office("Giang Biên")
}

/// A ward of Long Biên district, Hà Nội.
pub fn office(ward: &str) -> Office {
    Office {
        ward: ward.into(),
        district: "Long Biên".into(),
        city: "Hà Nội".into(),
    }
}

/// Sets the office up with `admin` as its first operator (the admin, password `PW`), signed in.
pub fn init(l: &mut Ledger, office: &Office, admin: &str) -> Actor {
    l.init_office(office, admin, PW).unwrap()
}

/// The admin adds `name` with `role` and password `PW`; returns them signed in.
pub fn add(l: &mut Ledger, admin: &Actor, name: &str, role: Role) -> Actor {
    l.add_operator(name, role, PW, admin).unwrap();
    l.sign_in(name, PW).unwrap()
}

/// One signed-in operator per role, named after it ("admin", "officer", "approver", "accountant",
/// "auditor"), as raw SQL in the tests names them.
pub struct Team {
    pub admin: Actor,
    pub officer: Actor,
    pub approver: Actor,
    pub accountant: Actor,
    pub auditor: Actor,
}

/// Sets the office up with the whole `Team`.
pub fn team(l: &mut Ledger, office: &Office) -> Team {
    let admin = init(l, office, "admin");
    Team {
        officer: add(l, &admin, "officer", Role::Officer),
        approver: add(l, &admin, "approver", Role::Approver),
        accountant: add(l, &admin, "accountant", Role::Accountant),
        auditor: add(l, &admin, "auditor", Role::Auditor),
        admin,
    }
}

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
