//! SQLite storage: connection settings for a ledger that must survive a power cut, and the migrations.

mod migrations;

pub use migrations::{expected_triggers, migrate, SCHEMA_VERSION};

use crate::error::Result;
use rusqlite::Connection;
use std::path::Path;
use std::time::Duration;

/// Opens (creating if needed) a ledger file: WAL with `synchronous=FULL` so a committed payout survives a
/// power cut, foreign keys on, a busy timeout for the shared office PC, then brings the schema up to date.
pub fn open(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)?;
        }
    }
    let mut conn = Connection::open(path)?;
    configure(&conn)?;
    migrate(&mut conn)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    // Claim and person inserts use more distinct statements than the default cache (16) holds.
    conn.set_prepared_statement_cache_capacity(64);
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    // Bulk work (a day's list, an import, approving a district) runs in one transaction; a cache too small
    // for it spills dirty pages into the WAL again and again, which made large batches superlinear.
    conn.pragma_update(None, "cache_size", -131_072)?; // 128 MiB, in KiB
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}
