//! Files the ledger writes besides itself (exports, printable sheets, rejects files, backups): each written
//! whole through a temporary file beside it and a rename, and never onto a ledger file or its `-wal`, `-shm`
//! or `-journal` companion, so a save to the wrong name cannot destroy the ledger.

use crate::error::{LedgerError, Result};
use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The ledger files this process has open (canonical paths): a destination may be none of them nor their
/// companions, even before the file shows SQLite's header (a new ledger not yet written).
static OPEN_LEDGERS: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

/// Remembers that `path` is a ledger this process opened (called by `store::open`).
pub(crate) fn register_ledger(path: &Path) {
    if let Ok(canonical) = path.canonicalize() {
        let mut guard = OPEN_LEDGERS.lock().unwrap_or_else(|e| e.into_inner());
        guard.get_or_insert_with(HashSet::new).insert(canonical);
    }
}

/// Where `path` would be, resolved through its folder (the file itself may not exist yet).
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(dir.canonicalize().ok()?.join(name))
}

/// True when the file at `path` starts with SQLite's header or a WAL's magic number.
fn looks_like_sqlite(path: &Path) -> bool {
    let mut head = [0u8; 16];
    match std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)) {
        Ok(()) => {
            &head[..] == b"SQLite format 3\0"
                || head[..4] == [0x37, 0x7f, 0x06, 0x82]
                || head[..4] == [0x37, 0x7f, 0x06, 0x83]
        }
        Err(_) => false,
    }
}

/// Refuses a destination that is a ledger, a ledger's `-wal`/`-shm`/`-journal`, or any SQLite database.
pub fn refuse_ledger_destination(path: &Path) -> Result<()> {
    let refuse = || {
        Err(LedgerError::UnsafeDestination {
            path: path.display().to_string(),
        })
    };
    let Some(target) = resolved(path) else {
        return Ok(());
    };
    let text = target.as_os_str().to_string_lossy().into_owned();
    let base = ["-wal", "-shm", "-journal"]
        .iter()
        .find_map(|s| text.strip_suffix(s))
        .map(PathBuf::from);
    let open = OPEN_LEDGERS.lock().unwrap_or_else(|e| e.into_inner());
    let open = open.as_ref();
    for candidate in std::iter::once(&target).chain(base.as_ref()) {
        if open.is_some_and(|set| set.contains(candidate)) || looks_like_sqlite(candidate) {
            return refuse();
        }
    }
    Ok(())
}

/// Writes `path` whole: `write` fills a temporary file in the same folder, which is synced and renamed over
/// `path` only when it succeeded. Returns what `write` returned (e.g. the rows written). A failed write leaves
/// `path` as it was and no temporary file behind.
pub fn write_whole<T>(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    refuse_ledger_destination(path)?;
    let unwritable = |e: std::io::Error| LedgerError::FileUnwritable {
        path: path.display().to_string(),
        reason: crate::error::io_reason_vi(&e),
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".relief-")
        .suffix(".part")
        .tempfile_in(&dir)
        .map_err(unwritable)?;
    let (file, temp_path) = temp.into_parts();
    let mut buf = std::io::BufWriter::with_capacity(1 << 16, file);
    let value = write(&mut buf).and_then(|v| {
        buf.flush().map_err(unwritable)?;
        buf.get_ref().sync_all().map_err(unwritable)?;
        Ok(v)
    });
    drop(buf);
    let value = value.map_err(|e| match e {
        LedgerError::Io(io) => unwritable(io),
        other => other,
    })?;
    temp_path.persist(path).map_err(|e| unwritable(e.error))?;
    // The rename itself is durable once the folder is synced (a power cut right after keeps the new file).
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(value)
}

/// Writes `bytes` to `path` whole (see `write_whole`).
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    write_whole(path, &mut |w| Ok(w.write_all(bytes)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_ledger_and_its_companions() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("so.sqlite");
        let _conn = crate::store::open(&ledger).unwrap();
        let before = std::fs::read(&ledger).unwrap();
        for target in [
            "so.sqlite",
            "so.sqlite-wal",
            "so.sqlite-shm",
            "so.sqlite-journal",
        ] {
            let err = write_bytes(&dir.path().join(target), b"<html>").unwrap_err();
            assert_eq!(err.code(), "unsafe_destination", "{target}");
        }
        assert_eq!(std::fs::read(&ledger).unwrap(), before);
        // Through another spelling of the same path, too.
        let sub = dir.path().join("x");
        std::fs::create_dir(&sub).unwrap();
        let err = write_bytes(&sub.join("../so.sqlite"), b"x").unwrap_err();
        assert_eq!(err.code(), "unsafe_destination");
    }

    #[test]
    fn refuses_any_sqlite_file_and_writes_others_whole() {
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("khac.db");
        rusqlite::Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        assert_eq!(
            write_bytes(&other, b"x").unwrap_err().code(),
            "unsafe_destination"
        );
        let out = dir.path().join("bao-cao.csv");
        write_bytes(&out, b"a;b\r\n").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"a;b\r\n");
        // A failing writer leaves the old file and no temporary file.
        let err = write_whole::<()>(&out, &mut |w| {
            w.write_all(b"half")?;
            Err(LedgerError::InvalidInput {
                field: crate::fields::InputField::Note,
                message: "dừng".into(),
            })
        })
        .unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        assert_eq!(std::fs::read(&out).unwrap(), b"a;b\r\n");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }
}
