//! Operators and the office: set-up, adding operators, roles and passwords.

use super::Ctx;
use crate::render::out;
use crate::session::secret;
use crate::Outcome;
use relief_ledger::fields::InputField;
use relief_ledger::ledger::{Office, Role};
use relief_ledger::{Ledger, LedgerError};
use std::path::Path;

/// Sets up a new office ledger with its first operator, the admin, who sets a password.
pub fn init(
    json: bool,
    ledger: &mut Ledger,
    path: &Path,
    name: &str,
    ward: String,
    district: String,
    city: String,
) -> Result<Outcome, LedgerError> {
    let office = Office {
        ward,
        district,
        city,
    };
    ledger
        .office()
        .err()
        .ok_or_else(|| LedgerError::InvalidInput {
            field: InputField::Ledger,
            message: "sổ này đã được khởi tạo".into(),
        })?;
    let pw = secret(
        "RELIEF_PASSWORD",
        &format!("Đặt mật khẩu quản trị cho {name}: "),
        true,
    )?;
    ledger.init_office(&office, name, &pw)?;
    out(
        json,
        &serde_json::json!({ "db": path, "office": office }),
        || {
            format!(
                "Đã khởi tạo sổ {} – {} – {} tại {}",
                office.ward,
                office.district,
                office.city,
                path.display()
            )
        },
    );
    Ok(Outcome::Done)
}

/// An admin changes an operator's role.
pub fn set_role(c: &mut Ctx, name: String, role: String) -> Result<Outcome, LedgerError> {
    let json = c.json;
    let ledger = &mut *c.ledger;
    let actor = c.actor;
    let role = Role::parse(&role)?;
    ledger.set_operator(&name, role, actor)?;
    out(
        json,
        &serde_json::json!({ "name": name, "role": role }),
        || format!("Người dùng {name}: {}", role.label_vi()),
    );
    Ok(Outcome::Done)
}

/// An admin sets a new password for an operator (which also unlocks them).
pub fn reset_password(c: &mut Ctx, name: String) -> Result<Outcome, LedgerError> {
    let json = c.json;
    let ledger = &mut *c.ledger;
    let actor = c.actor;
    let pw = secret(
        "RELIEF_NEW_PASSWORD",
        &format!("Mật khẩu mới cho {name}: "),
        true,
    )?;
    ledger.reset_password(&name, &pw, actor)?;
    out(json, &serde_json::json!({ "name": name }), || {
        format!("Đã đặt lại mật khẩu cho {name}")
    });
    Ok(Outcome::Done)
}

/// The signed-in operator changes their own password.
pub fn change_password(c: &mut Ctx) -> Result<Outcome, LedgerError> {
    let json = c.json;
    let ledger = &mut *c.ledger;
    let actor = c.actor;
    let current = secret("RELIEF_PASSWORD", "Mật khẩu hiện tại: ", false)?;
    let pw = secret("RELIEF_NEW_PASSWORD", "Mật khẩu mới: ", true)?;
    ledger.change_password(actor, &current, &pw)?;
    out(json, &serde_json::json!({ "name": actor.name() }), || {
        "Đã đổi mật khẩu".to_string()
    });
    Ok(Outcome::Done)
}

/// An admin adds an operator with a first password.
pub fn add(c: &mut Ctx, name: String, role: String) -> Result<Outcome, LedgerError> {
    let json = c.json;
    let ledger = &mut *c.ledger;
    let actor = c.actor;
    let role = Role::parse(&role)?;
    let pw = secret(
        "RELIEF_NEW_PASSWORD",
        &format!("Mật khẩu đầu tiên cho {name}: "),
        true,
    )?;
    ledger.add_operator(&name, role, &pw, actor)?;
    out(
        json,
        &serde_json::json!({ "name": name, "role": role }),
        || format!("Đã thêm người dùng {name}: {}", role.label_vi()),
    );
    Ok(Outcome::Done)
}

/// The operators and their roles.
pub fn list(c: &mut Ctx) -> Result<Outcome, LedgerError> {
    let json = c.json;
    let ledger = &mut *c.ledger;
    let ops = ledger.operators()?;
    out(json, &ops, || {
        ops.iter()
            .map(|o| format!("{}\t{}", o.name, o.role.as_str()))
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(Outcome::Done)
}
