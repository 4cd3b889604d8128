//! Embedded, versioned migrations applied all-or-nothing; a ledger written by a newer version is refused.

use crate::error::{LedgerError, Result};
use rusqlite::{Connection, TransactionBehavior};

/// The SQL of each schema version, in order. Version N is `MIGRATIONS[N-1]`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_ledger.sql"),
    include_str!("migrations/0002_child_keys_at_payout.sql"),
    include_str!("migrations/0003_duplicate_review.sql"),
    include_str!("migrations/0004_sign_in.sql"),
    include_str!("migrations/0005_dates_and_corrections.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The names of every trigger the migrations create (what `verify` expects to find).
pub fn expected_triggers() -> Vec<String> {
    MIGRATIONS
        .iter()
        .flat_map(|sql| sql.lines())
        .filter_map(|line| line.trim().strip_prefix("CREATE TRIGGER "))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// Every schema object (type, name, SQL) the migrations up to `version` create, exactly as SQLite stores it:
/// what `verify` compares a file's own schema with, so a trigger replaced by an empty one of the same name,
/// or an index or view changed, is found out.
pub fn expected_schema(version: i64) -> Result<Vec<(String, String, String)>> {
    let mut conn = Connection::open_in_memory()?;
    migrate_to(&mut conn, version)?;
    schema_of(&conn)
}

/// A file's schema objects (type, name, SQL), SQLite's own tables left out, in type and name order.
pub fn schema_of(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_master
          WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Brings a file to exactly `version` (at most `SCHEMA_VERSION`): for tests that need a ledger written by an
/// older build, as offices still have them.
pub fn migrate_to(conn: &mut Connection, version: i64) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
    for sql in &MIGRATIONS[found as usize..version.min(SCHEMA_VERSION) as usize] {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", version.max(found))?;
    tx.commit()?;
    Ok(())
}

/// Applies every pending migration in one transaction: either the file reaches `SCHEMA_VERSION` or it is
/// left exactly as it was.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(LedgerError::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
    // Another process may have migrated the file between the read above and taking the lock.
    let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found >= SCHEMA_VERSION {
        return Ok(());
    }
    for sql in &MIGRATIONS[found as usize..] {
        tx.execute_batch(sql)?;
    }
    // user_version lives in the file header and is written inside the transaction.
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_schema_from_zero() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::store::open(&dir.path().join("l.sqlite")).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "synchronous=FULL");
        let fk: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        let strict: i64 = conn
            .query_row(
                "SELECT count(*) FROM pragma_table_list WHERE name = 'payout' AND strict = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(strict, 1);
    }

    #[test]
    fn refuses_a_ledger_from_the_future_without_touching_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("future.sqlite");
        {
            let c = Connection::open(&path).unwrap();
            c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let err = crate::store::open(&path).unwrap_err();
        assert_eq!(err.code(), "schema_too_new");
        assert!(err.to_string().contains("phiên bản mới hơn"));
        let c = Connection::open(&path).unwrap();
        let tables: i64 = c
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tables, 0);
    }

    #[test]
    fn a_failing_migration_leaves_the_file_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.sqlite");
        let mut c = Connection::open(&path).unwrap();
        // A table the first migration also creates makes it fail half-way.
        c.execute_batch("CREATE TABLE audit_log (x INTEGER)")
            .unwrap();
        assert!(migrate(&mut c).is_err());
        let v: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 0);
        let office: i64 = c
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'office'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            office, 0,
            "the tables created before the failure were rolled back"
        );
    }
}
