//! Backups of a live ledger with SQLite's online backup API (the app keeps working while it runs), each
//! verified after writing with its chain head written beside it; restoring one, after a preview, never over
//! the live ledger without first keeping a copy of it; and both as operations of the ledger, whose audit log
//! says who did them.

use super::office::require_role;
use super::{Actor, Ledger, Role};
use crate::audit::ChainHead;
use crate::error::{LedgerError, Result};
use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a backup file holds, read without changing it: shown before a restore, and after each backup.
#[derive(Debug, Clone, Serialize)]
pub struct BackupPreview {
    pub path: String,
    pub bytes: u64,
    pub schema_version: i64,
    pub office: super::Office,
    /// The office as the screens name it ("Phường Giang Biên · Quận Long Biên · Hà Nội").
    pub office_line: String,
    pub people: i64,
    pub claims: i64,
    pub payouts: i64,
    pub payouts_amount: i64,
    /// When the last change recorded in its audit log was made (Vietnam time, as shown).
    pub last_change: Option<String>,
    pub head: ChainHead,
    /// What `verify` found wrong in it (empty for a sound backup).
    pub problems: Vec<String>,
}

/// A backup just written: where, and what it holds.
#[derive(Debug, Clone, Serialize)]
pub struct BackupDone {
    pub file: String,
    pub head_file: String,
    pub preview: BackupPreview,
}

/// Pages copied per step of the online backup: small steps let the app's own writes go on in between.
const PAGES_PER_STEP: i32 = 1024;

/// Copies the open ledger `conn` into a new file in `dir` (`so-chi-tra-<ward>-<YYYYMMDD-HHMMSS>.sqlite`):
/// through a temporary file, synced and renamed, then opened read-only and verified; the chain head is written
/// beside it (`….head.txt`). A backup that does not verify is removed and reported, never left to be trusted.
pub fn backup_to(conn: &Connection, ward: &str, dir: &Path) -> Result<BackupDone> {
    let unwritable = |e: std::io::Error| LedgerError::FileUnwritable {
        path: dir.display().to_string(),
        reason: crate::error::io_reason_vi(&e),
    };
    std::fs::create_dir_all(dir).map_err(unwritable)?;
    let stamp = (chrono::Utc::now() + chrono::Duration::hours(7)).format("%Y%m%d-%H%M%S");
    let slug: String = crate::identity::fold(ward)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-");
    let mut file = dir.join(format!("so-chi-tra-{slug}-{stamp}.sqlite"));
    let mut n = 1;
    while file.exists() {
        n += 1;
        file = dir.join(format!("so-chi-tra-{slug}-{stamp}-{n}.sqlite"));
    }
    crate::files::refuse_ledger_destination(&file)?;
    let temp = tempfile::Builder::new()
        .prefix(".relief-backup-")
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(unwritable)?;
    {
        let mut dest = Connection::open(temp.path())?;
        {
            let backup = Backup::new(conn, &mut dest)?;
            backup.run_to_completion(PAGES_PER_STEP, Duration::from_millis(0), None)?;
        }
        // A backup is one self-contained file: no write-ahead log beside it on a USB stick.
        dest.pragma_update(None, "journal_mode", "DELETE")?;
        dest.close().map_err(|(_, e)| LedgerError::from(e))?;
    }
    temp.as_file().sync_all().map_err(unwritable)?;
    temp.persist(&file).map_err(|e| unwritable(e.error))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    let preview = match preview(&file) {
        Ok(p) if p.problems.is_empty() => p,
        Ok(p) => {
            let _ = std::fs::remove_file(&file);
            return Err(LedgerError::FileUnwritable {
                path: file.display().to_string(),
                reason: format!(
                    "bản sao lưu vừa ghi không qua kiểm tra: {}",
                    p.problems.join("; ")
                ),
            });
        }
        Err(e) => {
            let _ = std::fs::remove_file(&file);
            return Err(e);
        }
    };
    let head_file = PathBuf::from(format!("{}.head.txt", file.display()));
    crate::files::write_bytes(
        &head_file,
        format!(
            "{}\r\nSổ {} – {} – {}; {} hồ sơ, {} khoản chi; sao lưu lúc {}\r\nKiểm tra: relief verify --db \"{}\" --head {}\r\n",
            preview.head,
            preview.office.ward,
            preview.office.district,
            preview.office.city,
            preview.claims,
            preview.payouts,
            stamp,
            file.display(),
            preview.head,
        )
        .as_bytes(),
    )?;
    Ok(BackupDone {
        file: file.display().to_string(),
        head_file: head_file.display().to_string(),
        preview,
    })
}

/// Reads what a backup (or any ledger file) holds, read-only, and verifies it.
pub fn preview(path: &Path) -> Result<BackupPreview> {
    let report = super::verify_file(path, None)?;
    let (conn, version) =
        crate::store::open_read_only(path).map_err(|reason| LedgerError::FileUnreadable {
            path: path.display().to_string(),
            reason,
        })?;
    let office = super::require_office(&conn)?;
    let n = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    let last: Option<String> = conn.query_row("SELECT max(at) FROM audit_log", [], |r| r.get(0))?;
    Ok(BackupPreview {
        path: path.display().to_string(),
        bytes: std::fs::metadata(path)?.len(),
        schema_version: version,
        office_line: office.names().line,
        office,
        people: n("SELECT count(*) FROM person")?,
        claims: n("SELECT count(*) FROM claim")?,
        payouts: n("SELECT count(*) FROM payout")?,
        payouts_amount: n("SELECT coalesce(sum(amount), 0) FROM payout")?,
        last_change: last.map(|t| crate::dates::format_time_vi(&t)),
        head: report.head,
        problems: report.problems,
    })
}

/// What a restore did: the live ledger now holds the backup, and the ledger as it was is kept here.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreDone {
    pub restored_from: String,
    pub previous_kept_at: String,
    pub head: ChainHead,
}

/// Restores `backup` into the ledger file `live` (which no other connection of this process may hold open):
/// the backup must verify; the live ledger is first copied whole beside itself
/// (`<ledger>.truoc-khoi-phuc-<YYYYMMDD-HHMMSS>.sqlite`), then replaced page by page inside SQLite's own
/// locking, so a crash leaves either the old or the restored ledger, never a mixture.
pub fn restore(live: &Path, backup: &Path) -> Result<RestoreDone> {
    let shown = preview(backup)?;
    if !shown.problems.is_empty() {
        return Err(LedgerError::FileUnreadable {
            path: backup.display().to_string(),
            reason: format!(
                "bản sao lưu không qua kiểm tra: {}",
                shown.problems.join("; ")
            ),
        });
    }
    if backup.canonicalize().ok() == live.canonicalize().ok() {
        return Err(LedgerError::UnsafeDestination {
            path: live.display().to_string(),
        });
    }
    let mut live_conn = Connection::open(live)?;
    live_conn.busy_timeout(Duration::from_secs(5))?;
    let stamp = (chrono::Utc::now() + chrono::Duration::hours(7)).format("%Y%m%d-%H%M%S");
    let kept = PathBuf::from(format!("{}.truoc-khoi-phuc-{stamp}.sqlite", live.display()));
    {
        let mut copy = Connection::open(&kept)?;
        Backup::new(&live_conn, &mut copy)?.run_to_completion(
            PAGES_PER_STEP,
            Duration::from_millis(0),
            None,
        )?;
        copy.pragma_update(None, "journal_mode", "DELETE")?;
    }
    let source = Connection::open_with_flags(backup, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    Backup::new(&source, &mut live_conn)?.run_to_completion(
        PAGES_PER_STEP,
        Duration::from_millis(0),
        None,
    )?;
    // The live ledger keeps the write-ahead log it always runs with.
    live_conn.pragma_update(None, "journal_mode", "WAL")?;
    let head = crate::audit::head(&live_conn)?;
    Ok(RestoreDone {
        restored_from: backup.display().to_string(),
        previous_kept_at: kept.display().to_string(),
        head,
    })
}

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
        let done = backup_to(&self.conn, &ward, dir)?;
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
        let done = restore(&path, backup)?;
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
