//! The hash-chained audit log: every write the ledger makes leaves a row whose SHA-256 covers the previous
//! row's hash, so an edit behind the application's back breaks the chain and `verify` finds it.

use crate::error::{LedgerError, Result};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn row_hash(
    prev: &str,
    at: &str,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: Option<&str>,
    detail: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        at,
        actor,
        action,
        entity,
        entity_id.unwrap_or(""),
        detail,
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex::encode(h.finalize())
}

/// Appends one row inside the caller's transaction.
pub fn append(
    conn: &Connection,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: Option<&str>,
    detail: &serde_json::Value,
) -> Result<()> {
    let prev: String = conn
        .query_row(
            "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string());
    let at = crate::ledger::now();
    let detail = detail.to_string();
    let hash = row_hash(&prev, &at, actor, action, entity, entity_id, &detail);
    conn.prepare_cached(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        at, actor, action, entity, entity_id, detail, prev, hash
    ])?;
    Ok(())
}

/// One row of the log, as shown in the Nhật ký screen and exported for auditors.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub detail: serde_json::Value,
}

/// The most recent entries, newest first.
pub fn recent(conn: &Connection, limit: usize) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, entity, entity_id, detail FROM audit_log ORDER BY seq DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], |r| {
        let detail: String = r.get(6)?;
        Ok(AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Walks the whole chain; returns the number of rows checked or the first broken row.
pub fn verify_chain(conn: &Connection) -> Result<i64> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, entity, entity_id, detail, prev_hash, hash FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut count = 0;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let stored_prev: String = r.get(7)?;
        let stored: String = r.get(8)?;
        if stored_prev != prev {
            return Err(LedgerError::AuditBroken {
                seq,
                message: "liên kết với dòng trước bị đứt (dòng bị xóa hoặc chèn)".into(),
            });
        }
        let entity_id: Option<String> = r.get(5)?;
        let expect = row_hash(
            &prev,
            &r.get::<_, String>(1)?,
            &r.get::<_, String>(2)?,
            &r.get::<_, String>(3)?,
            &r.get::<_, String>(4)?,
            entity_id.as_deref(),
            &r.get::<_, String>(6)?,
        );
        if expect != stored {
            return Err(LedgerError::AuditBroken {
                seq,
                message: "nội dung dòng đã bị sửa".into(),
            });
        }
        prev = stored;
        count += 1;
    }
    Ok(count)
}
