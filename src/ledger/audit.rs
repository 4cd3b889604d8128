//! The hash-chained audit log: every write the ledger makes leaves a row whose SHA-256 covers the previous
//! row's hash, so an edit behind the application's back breaks the chain and `verify` finds it.

use crate::error::{LedgerError, Result};
use crate::fields::InputField;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of a chain-2 row (schema 4 on): as chain 1, with the row's sequence number and the chain number
/// hashed first, so a row can neither be renumbered nor moved.
#[allow(clippy::too_many_arguments)]
fn row_hash_v2(
    seq: i64,
    prev: &str,
    at: &str,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: Option<&str>,
    detail: &str,
) -> String {
    let mut h = Sha256::new();
    h.update(b"relief-ledger audit chain 2\0");
    h.update(seq.to_string().as_bytes());
    h.update([0u8]);
    h.update(row_hash(prev, at, actor, action, entity, entity_id, detail).as_bytes());
    hex::encode(h.finalize())
}

/// The hash of a chain-1 row (written before schema 4).
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
    let head = head(conn)?;
    let seq = head.seq + 1;
    let at = crate::dates::now();
    let mut detail = detail.clone();
    if let serde_json::Value::Object(map) = &mut detail {
        map.insert(
            "tally".into(),
            serde_json::to_value(tally(conn)?).expect("serialises"),
        );
    }
    let detail = detail.to_string();
    let hash = row_hash_v2(
        seq, &head.hash, &at, actor, action, entity, entity_id, &detail,
    );
    conn.prepare_cached(
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, detail, prev_hash, hash, chain)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 2)",
    )?
    .execute(params![
        seq, at, actor, action, entity, entity_id, detail, head.hash, hash
    ])?;
    Ok(())
}

/// What the guarded tables hold after a write: counts, sums of money, and a digest of who holds which role.
/// Every chain-2 row carries the tally after its write, so `verify` compares the last row's tally with the
/// tables: a row deleted, added or re-valued behind the core's back (a claim deleted, a rejection undone, a
/// payout or an override slipped in, a document added, the last rows of the log cut off) no longer adds up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Tally {
    pub people: i64,
    pub documents: i64,
    /// The sum of every document number (a number edited changes it) and how many people hold documents (a
    /// person's only document moved to someone else changes it).
    pub documents_sum: i64,
    pub documents_holders: i64,
    pub households: i64,
    pub groups: i64,
    pub claims: i64,
    pub claims_amount: i64,
    pub rejected: i64,
    pub claim_once: i64,
    pub lists: i64,
    pub posted: i64,
    pub list_items: i64,
    pub approvals: i64,
    pub overrides: i64,
    pub overrides_amount: i64,
    pub payouts: i64,
    pub payouts_amount: i64,
    pub reversals: i64,
    /// Claims withdrawn or corrected before they were listed (schema 5 on; none in an older file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawals: Option<i64>,
    pub reviews: i64,
    pub recoveries: i64,
    /// SHA-256 over every operator's name and role, in name order.
    pub roles: String,
    /// SHA-256 over every stored rule pack's id, version and text digest.
    pub packs: String,
}

/// The tally of the guarded tables now (see `Tally`).
pub fn tally(conn: &Connection) -> Result<Tally> {
    let n =
        |sql: &str| -> Result<i64> { Ok(conn.prepare_cached(sql)?.query_row([], |r| r.get(0))?) };
    let digest = |sql: &str| -> Result<String> {
        let mut h = Sha256::new();
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            for i in 0..3 {
                h.update(r.get::<_, String>(i)?.as_bytes());
                h.update([0u8]);
            }
        }
        Ok(hex::encode(h.finalize()))
    };
    Ok(Tally {
        people: n("SELECT count(*) FROM person")?,
        documents: n("SELECT count(*) FROM identity_doc")?,
        documents_sum: n("SELECT coalesce(sum(CAST(number AS INTEGER)), 0) FROM identity_doc")?,
        // Read off the index by holder (a sum over every holder's id cost 0.27 s at 100,000 people).
        documents_holders: n("SELECT count(DISTINCT person_id) FROM identity_doc")?,
        households: n("SELECT count(*) FROM household")?,
        groups: n("SELECT count(*) FROM unit_group")?,
        claims: n("SELECT count(*) FROM claim")?,
        claims_amount: n("SELECT coalesce(sum(rule_amount), 0) FROM claim")?,
        rejected: n("SELECT count(*) FROM claim WHERE status = 'rejected'")?,
        claim_once: n("SELECT count(*) FROM claim_once")?,
        lists: n("SELECT count(*) FROM claim_list")?,
        posted: n("SELECT count(*) FROM claim_list WHERE posted_at IS NOT NULL")?,
        list_items: n("SELECT count(*) FROM list_item")?,
        approvals: n("SELECT count(*) FROM approval")?,
        overrides: n("SELECT count(*) FROM amount_override")?,
        overrides_amount: n("SELECT coalesce(sum(amount), 0) FROM amount_override")?,
        payouts: n("SELECT count(*) FROM payout")?,
        payouts_amount: n("SELECT coalesce(sum(amount), 0) FROM payout")?,
        reversals: n("SELECT count(*) FROM reversal")?,
        // A file older than schema 5 has no such table: nothing to count.
        withdrawals: n("SELECT count(*) FROM claim_withdrawal").ok(),
        reviews: n("SELECT count(*) FROM duplicate_review")?,
        recoveries: n("SELECT count(*) FROM recovery_item")?,
        roles: digest("SELECT name, role, '' FROM operator ORDER BY name")?,
        packs: digest("SELECT id, version, sha256 FROM rule_pack ORDER BY id, version")?,
    })
}

/// The chain's head: the last row's sequence number and hash (`0:000…` for an empty log). Printed on every
/// posting list, payout sheet and report and written beside each backup, so a chain rewritten afterwards no
/// longer matches a head kept outside the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainHead {
    pub seq: i64,
    pub hash: String,
}

impl std::fmt::Display for ChainHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

impl std::str::FromStr for ChainHead {
    type Err = LedgerError;
    /// `SEQ:HASH`, as printed (the hash in full, 64 hexadecimal digits).
    fn from_str(text: &str) -> Result<ChainHead> {
        let bad = || LedgerError::InvalidInput {
            field: InputField::ChainHead,
            message: format!(
                "'{}' không phải SỐ:MÃ_BĂM (ví dụ 42:9f3a…, mã băm đủ 64 ký tự)",
                text.trim()
            ),
        };
        let (seq, hash) = text.trim().split_once(':').ok_or_else(bad)?;
        let seq: i64 = seq.trim().parse().map_err(|_| bad())?;
        let hash = hash.trim().to_ascii_lowercase();
        if seq < 0 || hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        Ok(ChainHead { seq, hash })
    }
}

/// The current head of the chain.
pub fn head(conn: &Connection) -> Result<ChainHead> {
    Ok(conn
        .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| {
            Ok(ChainHead {
                seq: r.get(0)?,
                hash: r.get(1)?,
            })
        })
        .optional()?
        .unwrap_or_else(|| ChainHead {
            seq: 0,
            hash: GENESIS.to_string(),
        }))
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
    /// The row in one Vietnamese sentence, for people (`Ledger::recent_audit` writes it; empty here).
    pub text: String,
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
            text: String::new(),
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Walks the whole chain; returns the number of rows checked or the first broken row. Rows of chain 1 (before
/// schema 4) may only come before rows of chain 2; numbers run 1, 2, 3… with no gap.
pub fn verify_chain(conn: &Connection) -> Result<i64> {
    let has_chain: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info('audit_log') WHERE name = 'chain')",
        [],
        |r| r.get(0),
    )?;
    let sql = if has_chain {
        "SELECT seq, at, actor, action, entity, entity_id, detail, prev_hash, hash, chain FROM audit_log ORDER BY seq"
    } else {
        "SELECT seq, at, actor, action, entity, entity_id, detail, prev_hash, hash, 1 FROM audit_log ORDER BY seq"
    };
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut count = 0;
    let mut chain_seen = 1;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let stored_prev: String = r.get(7)?;
        let stored: String = r.get(8)?;
        let chain: i64 = r.get(9)?;
        if seq != count + 1 {
            return Err(LedgerError::AuditBroken {
                seq,
                message: format!("thiếu dòng số {} (dòng nhật ký bị xóa)", count + 1),
            });
        }
        if stored_prev != prev {
            return Err(LedgerError::AuditBroken {
                seq,
                message: "liên kết với dòng trước bị đứt (dòng bị xóa hoặc chèn)".into(),
            });
        }
        if chain < chain_seen {
            return Err(LedgerError::AuditBroken {
                seq,
                message: "dòng kiểu cũ xuất hiện sau dòng kiểu mới (dòng bị chèn)".into(),
            });
        }
        chain_seen = chain;
        let entity_id: Option<String> = r.get(5)?;
        let (at, actor, action, entity, detail): (String, String, String, String, String) =
            (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(6)?);
        let expect = if chain == 2 {
            row_hash_v2(
                seq,
                &prev,
                &at,
                &actor,
                &action,
                &entity,
                entity_id.as_deref(),
                &detail,
            )
        } else {
            row_hash(
                &prev,
                &at,
                &actor,
                &action,
                &entity,
                entity_id.as_deref(),
                &detail,
            )
        };
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
