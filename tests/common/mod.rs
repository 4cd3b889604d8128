//! Shared set-up for the integration tests: an office ledger whose operators are signed in, one per role,
//! since every write of the core is bound to a signed-in `Actor`. (The CLI's tests, in `cli/tests/`, add
//! the `relief` binary run as a signed-in operator on top of this.)
//!
//! Each test file uses part of this, so what one file leaves unused is not dead code.
#![allow(dead_code)]

pub mod wards;

use relief_ledger::ledger::{Actor, Office, Role};
use relief_ledger::Ledger;

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

/// The repository's `tests/fixtures` (found from the package's own directory, so the CLI's tests in
/// `cli/` read the same files).
pub fn fixtures_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|d| d.join("tests/fixtures"))
        .find(|d| d.is_dir())
        .expect("tests/fixtures in the package or above it")
}
