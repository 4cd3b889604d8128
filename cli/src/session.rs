//! Who acts and with which rules: the operator's sign-in (a password asked at the terminal or read from
//! the environment), the rule pack, today's date.

use relief_ledger::fields::InputField;
use relief_ledger::ledger::Actor;
use relief_ledger::rules::RulePack;
use relief_ledger::{Ledger, LedgerError};
use std::path::PathBuf;

/// Today as the office means it (Hà Nội time), whatever the machine's clock zone.
pub fn today() -> chrono::NaiveDate {
    relief_ledger::dates::today_vn()
}

pub fn load_pack(path: &Option<PathBuf>) -> Result<Option<(RulePack, String)>, LedgerError> {
    match path {
        None => Ok(None),
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| LedgerError::FileUnreadable {
                path: p.display().to_string(),
                reason: e.to_string(),
            })?;
            Ok(Some((
                RulePack::parse(&text, &p.display().to_string())?,
                text,
            )))
        }
    }
}

/// A password or PIN: from `env_var` (scripts), else asked at the terminal without echo (twice when `confirm`).
pub fn secret(env_var: &str, prompt: &str, confirm: bool) -> Result<String, LedgerError> {
    if let Ok(s) = std::env::var(env_var) {
        return Ok(s);
    }
    let ask = |p: &str| {
        rpassword::prompt_password(p).map_err(|_| LedgerError::InvalidInput {
            field: InputField::Password,
            message: format!(
                "không hỏi được mật khẩu ở cửa sổ lệnh; đặt biến môi trường {env_var}"
            ),
        })
    };
    let first = ask(prompt)?;
    if confirm && ask("Nhập lại: ")? != first {
        return Err(LedgerError::InvalidInput {
            field: InputField::Password,
            message: "hai lần nhập không giống nhau".into(),
        });
    }
    Ok(first)
}

/// Who `--as` names, or the reason there is nobody to sign in.
pub fn who(cli_operator: &Option<String>) -> Result<String, LedgerError> {
    cli_operator
        .clone()
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| LedgerError::InvalidInput {
            field: InputField::Operator,
            message: "cần tên người dùng để đăng nhập (--as TÊN hoặc RELIEF_OPERATOR)".into(),
        })
}

/// Signs the operator in with their password. On a ledger made before sign-in (no password anywhere yet),
/// its admin sets the first password this way.
pub fn sign_in(ledger: &mut Ledger, name: &str) -> Result<Actor, LedgerError> {
    if ledger.needs_first_password()? {
        let pw = secret(
            "RELIEF_PASSWORD",
            &format!("Sổ chưa có mật khẩu nào. Đặt mật khẩu quản trị cho {name}: "),
            true,
        )?;
        return ledger.claim_legacy_admin(name, &pw);
    }
    let pw = secret("RELIEF_PASSWORD", &format!("Mật khẩu của {name}: "), false)?;
    ledger.sign_in(name, &pw)
}
