//! Who is acting: operators' passwords (Argon2id hashes), sign-in with a lock-out after repeated failures, and
//! the `Actor` that only a successful sign-in (or setting up the office) makes.
//!
//! Every write of the ledger takes an `&Actor`, so the core binds each write to a proven operator: neither the
//! app's webview nor a name on the command line can say who acted.

use super::office::{normalise_operator_name, upsert_operator, Role};
use super::{now, Ledger};
use crate::error::{LedgerError, Result};
use crate::fields::InputField;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rusqlite::{params, OptionalExtension};

/// Failed sign-ins in a row that lock an account.
pub const MAX_FAILED_SIGN_INS: i64 = 5;
/// How long a locked account stays locked, unless an admin resets its password first.
pub const LOCK_MINUTES: i64 = 15;
/// The shortest password or PIN accepted (a 6-digit PIN is the least an office PC should have).
pub const MIN_SECRET_CHARS: usize = 6;

/// A signed-in operator. Only `Ledger::sign_in`, `Ledger::init_office` and `Ledger::claim_legacy_admin` make
/// one: the fields are private, so code outside the core cannot name an actor it did not authenticate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    name: String,
    role: Role,
}

impl Actor {
    pub(crate) fn new(name: String, role: Role) -> Actor {
        Actor { name, role }
    }
    /// The operator's name as stored (NFC, trimmed).
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The role at sign-in; every operation checks the ledger's current role again.
    pub fn role(&self) -> Role {
        self.role
    }
}

/// Hashes a password or PIN with Argon2id and a fresh salt (a PHC string: algorithm, parameters, salt, hash).
pub(crate) fn hash_secret(secret: &str) -> Result<String> {
    check_secret(secret)?;
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| LedgerError::InvalidInput {
            field: InputField::Password,
            message: format!("không băm được mật khẩu: {e}"),
        })
}

/// A hash no password matches, made once per process, to check an unknown name's password against.
fn unknown_name_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        hash_secret(&crate::ledger::new_id()).unwrap_or_else(|_| {
            // Not reachable: a UUID is a valid secret. A malformed hash still costs a parse, not a verify.
            String::new()
        })
    })
}

fn secret_matches(secret: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(secret.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A password or PIN an office can live with: at least six characters, not all one character.
pub fn check_secret(secret: &str) -> Result<()> {
    let chars: Vec<char> = secret.chars().collect();
    let weak = |message: &str| LedgerError::InvalidInput {
        field: InputField::Password,
        message: message.into(),
    };
    if chars.len() < MIN_SECRET_CHARS {
        return Err(weak("cần ít nhất 6 ký tự (mã PIN 6 chữ số trở lên)"));
    }
    if chars.iter().all(|c| *c == chars[0]) {
        return Err(weak("không được là một ký tự lặp lại"));
    }
    Ok(())
}

/// An operator as a sign-in reads them: name, role, password hash, failures in a row, locked until.
type OperatorRow = (String, String, Option<String>, i64, Option<String>);

/// What a sign-in attempt ended in, before it is committed (a failure is recorded, then reported).
enum Attempt {
    Ok(Actor),
    Failed(LedgerError),
}

impl Ledger {
    /// Signs an operator in by name (matched as typed, with or without tone marks) and password or PIN. Five
    /// failures in a row lock the account for 15 minutes; every attempt is in the audit log.
    pub fn sign_in(&mut self, name: &str, secret: &str) -> Result<Actor> {
        let key = crate::identity::fold(name);
        let attempt = self.write(|tx, _| {
            let row: Option<OperatorRow> = tx
                .query_row(
                    "SELECT name, role, secret, failed_attempts, locked_until FROM operator WHERE name_key = ?1",
                    [&key],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()?;
            let Some((stored_name, role, stored_secret, failed, locked_until)) = row else {
                // Not recorded against anyone: there is no operator to name. The password is still checked
                // against a hash, so an unknown name takes as long to refuse as a wrong password (no telling
                // which names exist by the time a refusal takes).
                secret_matches(secret, unknown_name_hash());
                return Ok(Attempt::Failed(LedgerError::SignInFailed));
            };
            let now_at = now();
            if let Some(until) = locked_until.filter(|u| u.as_str() > now_at.as_str()) {
                return Ok(Attempt::Failed(LedgerError::AccountLocked {
                    name: stored_name,
                    until: crate::dates::format_time_vi(&until),
                }));
            }
            let Some(stored_secret) = stored_secret else {
                return Ok(Attempt::Failed(LedgerError::PasswordNotSet { name: stored_name }));
            };
            if secret_matches(secret, &stored_secret) {
                tx.execute(
                    "UPDATE operator SET failed_attempts = 0, locked_until = NULL WHERE name = ?1",
                    [&stored_name],
                )?;
                crate::audit::append(tx, &stored_name, "sign_in", "operator", Some(&stored_name), &serde_json::json!({}))?;
                return Ok(Attempt::Ok(Actor::new(stored_name, Role::parse(&role)?)));
            }
            let failed = failed + 1;
            let locked = (failed >= MAX_FAILED_SIGN_INS).then(|| {
                (chrono::Utc::now() + chrono::Duration::minutes(LOCK_MINUTES))
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
            });
            tx.execute(
                "UPDATE operator SET failed_attempts = ?2, locked_until = ?3 WHERE name = ?1",
                params![stored_name, if locked.is_some() { 0 } else { failed }, locked],
            )?;
            crate::audit::append(
                tx,
                &stored_name,
                if locked.is_some() { "locked" } else { "sign_in_failed" },
                "operator",
                Some(&stored_name),
                &serde_json::json!({ "failed_attempts": failed, "locked_until": locked }),
            )?;
            Ok(Attempt::Failed(match locked {
                Some(until) => LedgerError::AccountLocked {
                    name: stored_name,
                    until: crate::dates::format_time_vi(&until),
                },
                None => LedgerError::SignInFailed,
            }))
        })?;
        match attempt {
            Attempt::Ok(actor) => Ok(actor),
            Attempt::Failed(e) => Err(e),
        }
    }

    /// Records that the operator signed out (on demand, or after the app's idle time).
    pub fn sign_out(&mut self, actor: Actor, why: &str) -> Result<()> {
        self.write(|tx, _| {
            crate::audit::append(
                tx,
                actor.name(),
                "sign_out",
                "operator",
                Some(actor.name()),
                &serde_json::json!({ "why": why }),
            )
        })
    }

    /// True when the ledger has operators but none has a password yet: a ledger made before sign-in existed.
    /// False for a new ledger (no operator: it is set up instead) and once any password exists.
    pub fn needs_first_password(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM operator)
                AND NOT EXISTS (SELECT 1 FROM operator WHERE secret IS NOT NULL)",
            [],
            |r| r.get::<_, bool>(0),
        )?)
    }

    /// The signed-in operator's role as the ledger holds it now (an admin may have changed it since sign-in).
    pub fn current_role(&self, actor: &Actor) -> Result<Role> {
        super::office::role_of(&self.conn, actor.name())
    }

    /// The signed-in operator's role, refused with `role_required` (in the core's words) unless it is one
    /// of `allowed`: for an edge that guards an operation of its own (the app's restore).
    pub fn require_role(&self, actor: &Actor, allowed: &[Role]) -> Result<Role> {
        super::office::require_role(&self.conn, actor.name(), allowed)
    }

    /// For a ledger made before sign-in existed (no operator has a password): an admin of it sets the first
    /// password and is signed in. Once any password exists this is refused, so it cannot take over an account.
    pub fn claim_legacy_admin(&mut self, name: &str, secret: &str) -> Result<Actor> {
        let key = crate::identity::fold(name);
        let hash = hash_secret(secret)?;
        self.write(|tx, _| {
            let open: bool = tx.query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM operator WHERE secret IS NOT NULL)",
                [],
                |r| r.get(0),
            )?;
            let admin: Option<String> = tx
                .query_row(
                    "SELECT name FROM operator WHERE name_key = ?1 AND role = 'admin'",
                    [&key],
                    |r| r.get(0),
                )
                .optional()?;
            let (true, Some(admin)) = (open, admin) else {
                return Err(LedgerError::FirstPasswordClosed {
                    name: name.trim().to_string(),
                });
            };
            tx.execute(
                "UPDATE operator SET secret = ?2 WHERE name = ?1",
                params![admin, hash],
            )?;
            crate::audit::append(
                tx,
                &admin,
                "set_first_password",
                "operator",
                Some(&admin),
                &serde_json::json!({}),
            )?;
            Ok(Actor::new(admin, Role::Admin))
        })
    }

    /// An admin adds an operator with their first password or PIN (to be changed by them).
    pub fn add_operator(
        &mut self,
        name: &str,
        role: Role,
        secret: &str,
        actor: &Actor,
    ) -> Result<()> {
        let name = normalise_operator_name(name)?;
        let hash = hash_secret(secret)?;
        self.write(|tx, _| {
            super::office::require_role(tx, actor.name(), &[Role::Admin])?;
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM operator WHERE name_key = ?1)",
                [crate::identity::fold(&name)],
                |r| r.get(0),
            )?;
            if exists {
                return Err(LedgerError::InvalidInput {
                    field: InputField::Operator,
                    message: format!("đã có người dùng '{name}' (hoặc tên gần giống); đổi vai trò hay đặt lại mật khẩu thay vì thêm mới"),
                });
            }
            upsert_operator(tx, &name, role)?;
            tx.execute("UPDATE operator SET secret = ?2 WHERE name = ?1", params![name, hash])?;
            crate::audit::append(tx, actor.name(), "add_operator", "operator", Some(&name), &serde_json::json!({ "role": role }))
        })
    }

    /// An admin sets a new password for another operator (forgotten, or locked out) and unlocks the account.
    pub fn reset_password(&mut self, name: &str, secret: &str, actor: &Actor) -> Result<()> {
        let hash = hash_secret(secret)?;
        self.write(|tx, _| {
            super::office::require_role(tx, actor.name(), &[Role::Admin])?;
            let target = super::office::operator_named(tx, name)?;
            if target == actor.name() {
                return Err(LedgerError::InvalidInput {
                    field: InputField::Operator,
                    message: "đổi mật khẩu của chính mình bằng chức năng Đổi mật khẩu".into(),
                });
            }
            tx.execute(
                "UPDATE operator SET secret = ?2, failed_attempts = 0, locked_until = NULL WHERE name = ?1",
                params![target, hash],
            )?;
            crate::audit::append(tx, actor.name(), "reset_password", "operator", Some(&target), &serde_json::json!({}))
        })
    }

    /// The signed-in operator changes their own password, giving the current one.
    pub fn change_password(&mut self, actor: &Actor, current: &str, new: &str) -> Result<()> {
        let hash = hash_secret(new)?;
        self.write(|tx, _| {
            let stored: Option<String> = tx.query_row(
                "SELECT secret FROM operator WHERE name = ?1",
                [actor.name()],
                |r| r.get(0),
            )?;
            if !stored.is_some_and(|s| secret_matches(current, &s)) {
                return Err(LedgerError::CurrentPasswordWrong);
            }
            tx.execute(
                "UPDATE operator SET secret = ?2 WHERE name = ?1",
                params![actor.name(), hash],
            )?;
            crate::audit::append(
                tx,
                actor.name(),
                "change_password",
                "operator",
                Some(actor.name()),
                &serde_json::json!({}),
            )
        })
    }
}
