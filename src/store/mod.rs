//! SQLite storage: connection settings for a ledger that must survive a power cut, and the migrations.

mod migrations;

pub use migrations::{
    expected_schema, expected_triggers, migrate, migrate_to, schema_of, SCHEMA_VERSION,
};

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
    crate::files::register_ledger(path);
    configure(&conn)?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// Opens another office's ledger file to read it and nothing else: no file is created, nothing is written
/// (no migration, no WAL checkpoint), and a file this build cannot read is refused with the reason. Returns
/// the connection and the file's schema version.
pub fn open_read_only(path: &Path) -> std::result::Result<(Connection, i64), String> {
    open_read_only_as(path, false)
}

/// As `open_read_only`, for a ledger that may be in use right now (this office's own, checked by `verify`
/// while the app or another `relief` writes): a ledger kept in WAL mode is opened read-only with SQLite's
/// locks, so a write that lands mid-check is seen consistently instead of read as a damaged file. SQLite may
/// leave an empty `-wal`/`-shm` beside it; the ledger itself is never written. A file in rollback mode (a
/// backup) is still opened as immutable.
pub fn open_read_only_live(path: &Path) -> std::result::Result<(Connection, i64), String> {
    open_read_only_as(path, true)
}

/// True when the file's header says WAL mode (byte 18 = 2).
fn in_wal_mode(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 20];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok_and(|_| header[18] == 2)
}

fn open_read_only_as(path: &Path, live: bool) -> std::result::Result<(Connection, i64), String> {
    use rusqlite::OpenFlags;
    if !path.is_file() {
        return Err("không có tệp này".into());
    }
    // A file with no write-ahead log beside it holds all its data: opened as immutable, SQLite creates no
    // -wal or -shm file next to it and takes no lock. One with a log (the other office's app is open, or
    // was cut off) is opened read-only the usual way, so what the log holds is read too.
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = if Path::new(&wal).exists() || (live && in_wal_mode(path)) {
        Connection::open_with_flags(path, flags)
    } else {
        let absolute = path.canonicalize().map_err(|e| e.to_string())?;
        Connection::open_with_flags(format!("file:{}?immutable=1", uri_path(&absolute)), flags)
    }
    .map_err(|e| format!("không mở được để đọc: {e}"))?;
    conn.busy_timeout(Duration::from_secs(5))
        .map_err(|e| e.to_string())?;
    // Belt and braces: even a statement that tried to write would be refused.
    conn.pragma_update(None, "query_only", true)
        .map_err(|e| e.to_string())?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|_| "không phải tệp cơ sở dữ liệu SQLite (hoặc tệp bị hỏng)".to_string())?;
    if version > SCHEMA_VERSION {
        return Err(format!(
            "sổ này do phiên bản mới hơn ghi (lược đồ {version}, phần mềm này đọc đến {SCHEMA_VERSION}); hãy cập nhật phần mềm"
        ));
    }
    let is_ledger: bool = conn
        .query_row(
            "SELECT count(*) = 4 FROM sqlite_master WHERE type = 'table'
              AND name IN ('person', 'identity_doc', 'claim', 'payout')",
            [],
            |r| r.get(0),
        )
        .map_err(|e| format!("không đọc được: {e}"))?;
    if version < 1 || !is_ledger {
        return Err("không phải sổ chi trả của phần mềm này (không có bảng người thụ hưởng, giấy tờ, hồ sơ, chi trả)".into());
    }
    Ok((conn, version))
}

/// A path as a `file:` URI's path: every byte but the unreserved ones and `/` percent-encoded.
fn uri_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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
