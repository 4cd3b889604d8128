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

/// The page cache for everyday work: enough for a district's screens, small enough that the desktop app stays
/// well under its memory budget. Negative values are KiB, as SQLite takes them.
const NORMAL_CACHE_KIB: i64 = -16_384;
/// The page cache while one transaction writes a whole district (approving and paying a list, a demo chunk):
/// a cache too small for it spills dirty pages into the WAL again and again, and the batch turns superlinear.
const BULK_CACHE_KIB: i64 = -131_072;

/// Switches the bulk page cache on for a large write, or off again afterwards (freeing what it held).
pub fn bulk_cache(conn: &Connection, on: bool) -> Result<()> {
    conn.pragma_update(
        None,
        "cache_size",
        if on { BULK_CACHE_KIB } else { NORMAL_CACHE_KIB },
    )?;
    if !on {
        // Lowering the setting does not free pages already held; this does.
        conn.execute_batch("PRAGMA shrink_memory")?;
    }
    Ok(())
}

/// Reads a whole report straight from the file's pages (memory-mapped) rather than copying each page
/// through the page cache: an export of a million lines touches pages all over the file. Off again after.
pub fn bulk_read(conn: &Connection, on: bool) -> Result<()> {
    conn.pragma_update(None, "mmap_size", if on { BULK_MMAP_BYTES } else { 0 })?;
    Ok(())
}

/// The most of the file a bulk read maps (SQLite maps no more than the file's size).
const BULK_MMAP_BYTES: i64 = 2_000_000_000;

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    // Claim and person inserts use more distinct statements than the default cache (16) holds.
    conn.set_prepared_statement_cache_capacity(64);
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    conn.pragma_update(None, "cache_size", NORMAL_CACHE_KIB)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}
