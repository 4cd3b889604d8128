//! Backing up the open ledger and restoring one, as operations of the ledger: who did it is in the audit log.

use super::office::require_role;
use super::{Actor, Ledger, Role};
use crate::error::Result;
use crate::store::backup::{BackupDone, RestoreDone};
use std::path::Path;

/// Everyone signed in may take a backup (it only reads); restoring replaces the ledger, so only an admin.
const BACKUP_ROLES: &[Role] = &[
    Role::Officer,
    Role::Accountant,
    Role::Approver,
    Role::Auditor,
    Role::Admin,
];

impl Ledger {
    /// Writes a verified backup of this ledger into `dir` (e.g. a USB stick), with its chain head beside it,
    /// and records it in the audit log.
    pub fn backup_to(&mut self, dir: &Path, actor: &Actor) -> Result<BackupDone> {
        require_role(&self.conn, actor.name(), BACKUP_ROLES)?;
        let ward = self.office()?.ward;
        let done = crate::store::backup::backup_to(&self.conn, &ward, dir)?;
        self.write(|tx, _| {
            crate::audit::append(
                tx,
                actor.name(),
                "backup",
                "ledger",
                None,
                &serde_json::json!({ "file": done.file, "head": done.preview.head.to_string() }),
            )
        })?;
        Ok(done)
    }

    /// Restores `backup` over this ledger's file (an admin only). The ledger as it was is kept beside it; the
    /// restored ledger records who restored what. Consumes the open ledger and returns it reopened.
    pub fn restore_from(self, backup: &Path, actor: &Actor) -> Result<(Ledger, RestoreDone)> {
        require_role(&self.conn, actor.name(), &[Role::Admin])?;
        let path = self
            .conn
            .path()
            .map(std::path::PathBuf::from)
            .ok_or_else(|| crate::error::LedgerError::NotInitialised)?;
        let (pack, text) = (self.pack.clone(), self.pack_text.clone());
        drop(self);
        let done = crate::store::backup::restore(&path, backup)?;
        let mut ledger = Ledger::open_with_pack(&path, pack, text)?;
        ledger.write(|tx, _| {
            crate::audit::append(
                tx,
                actor.name(),
                "restore",
                "ledger",
                None,
                &serde_json::json!({
                    "from": done.restored_from,
                    "previous_kept_at": done.previous_kept_at,
                    "head_restored": done.head.to_string(),
                }),
            )
        })?;
        Ok((ledger, done))
    }
}
