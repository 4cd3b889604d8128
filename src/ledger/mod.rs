//! The ledger: one open SQLite file plus the rule pack that prices its claims, and every operation on them.

use crate::fields::InputField;
pub mod audit;
pub mod audit_rows;
mod audit_text;
pub mod backups;
mod claim_changes;
mod claims;
mod duplicates;
pub mod labels;
mod lists;
mod office;
mod payouts;
mod people;
mod register;
mod report;
mod sign_in;
mod ui_queries;
mod verify;

pub use claim_changes::{ClaimDetail, Closure, ListRef};
pub use claims::{ClaimRecord, ClaimSubject, NewClaim};
pub use duplicates::{reviewed_pair_keys, NewRecovery, NewReview, RecoveryItem, ReviewOutcome};
pub use lists::{ListItem, ListSummary};
pub use office::{Office, OfficeNames, Operator, Role};
pub use payouts::{PaySummary, PayoutRecord};
pub use people::{Dob, Household, NewPerson, Person, PersonDetail, PersonEdit, Sex};
pub use register::{ClaimFilter, RegisterPage, RegisterRow};
pub use report::{state_label_vi, InstrumentRow, Summary, SummaryRow};
pub use sign_in::{check_secret, Actor, LOCK_MINUTES, MAX_FAILED_SIGN_INS};
pub use ui_queries::{ClaimRow, ListPage, PeoplePage, UnitRow, UnlistedRow};
pub use verify::{verify_file, VerifyReport};

use crate::error::{LedgerError, Result};
use crate::rules::RulePack;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// An open ledger file with the rule pack that prices new claims.
pub struct Ledger {
    conn: Connection,
    pack: RulePack,
    pack_text: String,
}

impl Ledger {
    /// Opens a ledger file with the shipped Hanoi 2021 rule pack.
    pub fn open(path: &Path) -> Result<Ledger> {
        Ledger::open_with_pack(
            path,
            crate::rules::default_pack(),
            crate::rules::DEFAULT_PACK_TOML.to_string(),
        )
    }

    /// Opens a ledger file with a district's own pack (`text` is kept verbatim in the ledger).
    pub fn open_with_pack(path: &Path, pack: RulePack, text: String) -> Result<Ledger> {
        let conn = crate::store::open(path)?;
        Ok(Ledger {
            conn,
            pack,
            pack_text: text,
        })
    }

    pub fn pack(&self) -> &RulePack {
        &self.pack
    }

    /// The raw connection, for read-only queries by reports and for tests that bypass the core.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one immediate transaction: all of it lands, or none of it.
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>, &RulePack) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx, &self.pack)?;
        tx.commit()?;
        Ok(out)
    }

    /// As `write`, for one transaction over a whole list or district: the page cache is raised for it and
    /// given back after, so everyday use stays small in memory.
    pub(crate) fn write_bulk<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>, &RulePack) -> Result<T>,
    ) -> Result<T> {
        crate::store::bulk_cache(&self.conn, true)?;
        let out = self.write(f);
        crate::store::bulk_cache(&self.conn, false)?;
        out
    }

    /// As `write_bulk`, where `f` decides whether its work lands: `(value, true)` commits, `(value, false)`
    /// rolls everything back (a dry run, or an all-or-nothing import with refused rows).
    pub(crate) fn write_bulk_decide<T, E: From<LedgerError>>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>, &RulePack) -> std::result::Result<(T, bool), E>,
    ) -> std::result::Result<T, E> {
        crate::store::bulk_cache(&self.conn, true).map_err(E::from)?;
        let out = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|e| E::from(e.into()))?;
            let (value, commit) = f(&tx, &self.pack)?;
            if commit {
                tx.commit().map_err(|e| E::from(e.into()))?;
            }
            Ok(value)
        })();
        crate::store::bulk_cache(&self.conn, false).map_err(E::from)?;
        out
    }

    /// Records the pack (id, version, text) once; a version reused with different text is refused, since
    /// payouts name the version that priced them.
    pub(crate) fn register_pack(conn: &Connection, pack: &RulePack, text: &str) -> Result<()> {
        let sha = hex::encode(Sha256::digest(text.as_bytes()));
        let stored: Option<String> = conn
            .query_row(
                "SELECT sha256 FROM rule_pack WHERE id = ?1 AND version = ?2",
                [&pack.pack.id, &pack.pack.version],
                |r| r.get(0),
            )
            .optional()?;
        match stored {
            Some(s) if s == sha => Ok(()),
            Some(_) => Err(LedgerError::InvalidInput {
                field: InputField::RulePack,
                message: format!(
                    "phiên bản {} đã được dùng với nội dung khác; hãy tăng số phiên bản khi sửa mức",
                    pack.pack.version
                ),
            }),
            None => {
                conn.execute(
                    "INSERT INTO rule_pack (id, version, sha256, body, loaded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    rusqlite::params![pack.pack.id, pack.pack.version, sha, text, now()],
                )?;
                Ok(())
            }
        }
    }
}

/// The desktop app's identifier (`tauri.conf.json`): its data directory is named after it.
pub const APP_IDENTIFIER: &str = "vn.reliefledger.desktop";

/// The one default ledger of the app and the CLI: the app's data directory (as Tauri resolves it) +
/// `ledger.sqlite`, i.e. `$XDG_DATA_HOME/vn.reliefledger.desktop/ledger.sqlite` (`~/.local/share/...` when
/// unset) on Linux, `%APPDATA%\vn.reliefledger.desktop\ledger.sqlite` on Windows.
pub fn default_db_path() -> PathBuf {
    let base = if cfg!(windows) {
        std::env::var_os("APPDATA").map(PathBuf::from)
    } else if cfg!(target_os = "macos") {
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join("Library/Application Support"))
    } else {
        std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
    };
    base.unwrap_or_else(|| PathBuf::from("."))
        .join(APP_IDENTIFIER)
        .join("ledger.sqlite")
}

pub use crate::dates::now;

/// A new time-ordered id (UUID v7), made where the record is created so ward ledgers merge cleanly.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Resolves a full id or a unique prefix of at least 6 characters (what a person types from a listing).
pub(crate) fn resolve_id(
    conn: &Connection,
    table: &str,
    what: InputField,
    id: &str,
) -> Result<String> {
    let id = id.trim();
    let not_found = || LedgerError::NotFound {
        what: what.label_vi().to_string(),
        id: id.to_string(),
    };
    if id.len() < 6 {
        return Err(not_found());
    }
    // `table` is one of our own table names, never user input.
    let sql = format!("SELECT id FROM {table} WHERE id >= ?1 AND id < ?1 || 'g' LIMIT 2");
    let mut stmt = conn.prepare_cached(&sql)?;
    let found: Vec<String> = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(not_found()),
        _ => Err(LedgerError::InvalidInput {
            field: what,
            message: format!("'{id}' khớp nhiều bản ghi; nhập dài hơn"),
        }),
    }
}

// Bulk entry points used by the demo generator (and later the importer): the same validated inserts the
// public operations use, inside one caller-held transaction, with one audit row for the whole batch.
pub(crate) use claims::{insert_claim, insert_priced_claim, Beneficiary};
pub(crate) use lists::unconfirmed_parts;
pub(crate) use office::{require_office, require_role, RECORDERS};
pub(crate) use people::{
    insert_group, insert_household, insert_person, insert_person_in, load_person,
};

impl Ledger {
    pub(crate) fn pack_text(&self) -> &str {
        &self.pack_text
    }
}
