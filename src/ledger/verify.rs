//! `verify`: what an auditor runs on a ledger file that may have been edited behind the application's back.
//! It walks the audit chain and re-checks every invariant from the data itself, so a file whose triggers
//! were dropped and whose rows were rewritten is still found out.

use super::Ledger;
use crate::error::Result;
use crate::rules::{ClaimFacts, RulePack};
use serde::Serialize;
use std::collections::HashMap;

/// What `verify` found. `problems` is empty for a sound ledger; each entry says what and where, in Vietnamese.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub audit_rows: i64,
    /// The chain's head now: keep it outside the file to check against later (`--head`).
    pub head: crate::audit::ChainHead,
    pub payouts: i64,
    pub mismatched_payouts: i64,
    pub problems: Vec<String>,
}

/// Each check: the Vietnamese description of a failure, and SQL returning one line per offending row.
const CHECKS: &[(&str, &str)] = &[
    (
        "Khoản chi khác số tiền của hồ sơ",
        "SELECT p.id || ' (hồ sơ ' || p.claim_id || '): ' || p.amount FROM payout p JOIN claim c ON c.id = p.claim_id
          WHERE NOT EXISTS (SELECT 1 FROM reversal r WHERE r.payout_id = p.id)
            AND p.amount <> coalesce((SELECT amount FROM amount_override o WHERE o.claim_id = c.id
                                       ORDER BY seq DESC LIMIT 1), c.rule_amount)",
    ),
    (
        "Hai khoản chi còn hiệu lực cho cùng đối tượng và chính sách",
        "SELECT beneficiary_key || ' ' || policy_code || ': ' || count(*) FROM payout p
          WHERE NOT EXISTS (SELECT 1 FROM reversal r WHERE r.payout_id = p.id)
          GROUP BY beneficiary_key, policy_code HAVING count(*) > 1",
    ),
    (
        "Khoản hỗ trợ một lần được chi hai lần",
        "SELECT po.once_group || ' ' || po.subject_key || ': ' || count(*) FROM payout_once po
          WHERE NOT EXISTS (SELECT 1 FROM reversal r WHERE r.payout_id = po.payout_id)
          GROUP BY po.once_group, po.subject_key HAVING count(*) > 1",
    ),
    (
        "Khoản chi thiếu khoản hỗ trợ một lần của hồ sơ",
        // The exact keys only: `named-id:` keys are for meeting a claim without an ID (migration 0002).
        "SELECT p.id FROM payout p JOIN claim_once co ON co.claim_id = p.claim_id
          WHERE co.subject_key NOT GLOB 'named-id:*'
            AND NOT EXISTS (SELECT 1 FROM payout_once po WHERE po.payout_id = p.id
                              AND po.once_group = co.once_group AND po.subject_key = co.subject_key)",
    ),
    (
        "Khoản chi cho hồ sơ chưa được phê duyệt",
        "SELECT p.id FROM payout p WHERE NOT EXISTS (SELECT 1 FROM list_item li JOIN approval a ON a.list_id = li.list_id
                                                      WHERE li.claim_id = p.claim_id AND li.list_id = p.list_id)",
    ),
    (
        "Số tiền của hồ sơ khác tổng các dòng diễn giải",
        "SELECT c.id || ': ' || c.rule_amount || ' ≠ ' || coalesce((SELECT sum(json_extract(l.value, '$.amount')) FROM json_each(c.breakdown) l), 0)
           FROM claim c
          WHERE c.rule_amount <> coalesce((SELECT sum(json_extract(l.value, '$.amount')) FROM json_each(c.breakdown) l), 0)",
    ),
    (
        "Phê duyệt bởi người không có vai trò phê duyệt hoặc chính người lập",
        "SELECT a.list_id || ' (' || a.approved_by || ')' FROM approval a JOIN claim_list l ON l.id = a.list_id
          WHERE a.approved_by = l.created_by
             OR NOT EXISTS (SELECT 1 FROM operator o WHERE o.name = a.approved_by AND o.role IN ('approver', 'admin'))",
    ),
];

/// The checks that need no audit row: a payout by the one who reversed it, an approval by whoever set an
/// amount by hand on the list (the schema refuses both from schema 4 on; a file written past it is found here).
const CHECKS_SINCE_4: &[(&str, &str)] = &[
    (
        "Khoản chi bị chính người chi đảo",
        "SELECT r.payout_id || ' (' || r.officer || ')' FROM reversal r JOIN payout p ON p.id = r.payout_id
          WHERE r.officer = p.officer",
    ),
    (
        "Danh sách được phê duyệt bởi chính người đã điều chỉnh số tiền trong đó",
        "SELECT DISTINCT a.list_id || ' (' || a.approved_by || ')' FROM approval a
           JOIN list_item li ON li.list_id = a.list_id
           JOIN amount_override o ON o.claim_id = li.claim_id AND o.operator = a.approved_by",
    ),
    (
        "Khoản chi bởi người không có vai trò chi trả",
        "SELECT p.id || ' (' || p.officer || ')' FROM payout p
          WHERE NOT EXISTS (SELECT 1 FROM operator o WHERE o.name = p.officer
                              AND o.role IN ('officer', 'accountant', 'admin'))",
    ),
];

/// The days things happened on, in order (posting ≤ decision ≤ payout ≤ reversal, none after the day it was
/// recorded), and claims closed before they were listed (migration 0005 on).
const CHECKS_SINCE_5: &[(&str, &str)] = &[
    (
        "Ngày quyết định trước ngày niêm yết danh sách",
        "SELECT a.list_id || ' (' || a.decision_date || ' < ' || l.posted_on || ')' FROM approval a
           JOIN claim_list l ON l.id = a.list_id
          WHERE l.posted_on IS NOT NULL AND a.decision_date < l.posted_on",
    ),
    (
        "Ngày chi trước ngày quyết định phê duyệt",
        "SELECT p.id || ' (' || p.paid_on || ' < ' || a.decision_date || ')' FROM payout p
           JOIN approval a ON a.list_id = p.list_id WHERE p.paid_on < a.decision_date",
    ),
    (
        "Ngày thu hồi trước ngày chi",
        "SELECT r.payout_id || ' (' || r.reversed_on || ' < ' || p.paid_on || ')' FROM reversal r
           JOIN payout p ON p.id = r.payout_id WHERE r.reversed_on < p.paid_on",
    ),
    (
        "Ngày xảy ra sau ngày được ghi vào sổ",
        "SELECT 'niêm yết ' || id || ' (' || posted_on || ')' FROM claim_list
          WHERE posted_on IS NOT NULL AND posted_on > date(posted_at, '+7 hours')
         UNION ALL
         SELECT 'quyết định ' || list_id || ' (' || decision_date || ')' FROM approval
          WHERE decision_date > date(approved_at, '+7 hours')
         UNION ALL
         SELECT 'khoản chi ' || id || ' (' || paid_on || ')' FROM payout
          WHERE paid_on > date(recorded_at, '+7 hours')
         UNION ALL
         SELECT 'thu hồi ' || payout_id || ' (' || reversed_on || ')' FROM reversal
          WHERE reversed_on > date(recorded_at, '+7 hours')",
    ),
    (
        "Hồ sơ đã rút hoặc đã sửa nhưng vẫn mở, hoặc nằm trong danh sách",
        "SELECT w.claim_id FROM claim_withdrawal w JOIN claim c ON c.id = w.claim_id
          WHERE c.status <> 'rejected' OR EXISTS (SELECT 1 FROM list_item li WHERE li.claim_id = w.claim_id)",
    ),
    (
        "Hồ sơ sửa thay bằng hồ sơ của người hoặc chính sách khác",
        "SELECT w.claim_id || ' → ' || w.replaced_by FROM claim_withdrawal w
           JOIN claim c ON c.id = w.claim_id JOIN claim n ON n.id = w.replaced_by
          WHERE n.beneficiary_key <> c.beneficiary_key OR n.policy_code <> c.policy_code",
    ),
    (
        "Hồ sơ rút hoặc sửa không có trong nhật ký",
        "SELECT w.claim_id FROM claim_withdrawal w
          WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_id = w.claim_id
                              AND a.action = CASE w.kind WHEN 'corrected' THEN 'correct_claim' ELSE 'withdraw_claim' END)",
    ),
    (
        "Tên đơn vị khác lần ghi cuối cùng trong nhật ký (khởi tạo hoặc sửa tên)",
        "SELECT o.ward || ', ' || o.district || ', ' || o.city FROM office o
          WHERE NOT EXISTS (
              SELECT 1 FROM (SELECT json_extract(detail, '$.office.ward') AS ward,
                                    json_extract(detail, '$.office.district') AS district,
                                    json_extract(detail, '$.office.city') AS city
                               FROM audit_log WHERE action IN ('init', 'correct_office')
                              ORDER BY seq DESC LIMIT 1) a
               WHERE a.ward = o.ward AND a.district = o.district AND a.city = o.city)",
    ),
];

/// Opens the ledger file at `path` read-only (never created, migrated or written) and verifies it; a missing
/// file or one that was never set up is refused rather than reported sound. `expected_head` is a head kept
/// outside the file (printed on a sheet, written beside a backup): the chain must still hold that row.
pub fn verify_file(
    path: &std::path::Path,
    expected_head: Option<&crate::audit::ChainHead>,
) -> Result<VerifyReport> {
    if !path.is_file() {
        return Err(crate::error::LedgerError::LedgerMissing {
            path: path.display().to_string(),
        });
    }
    let (conn, version) = crate::store::open_read_only_live(path).map_err(|reason| {
        crate::error::LedgerError::FileUnreadable {
            path: path.display().to_string(),
            reason,
        }
    })?;
    // One read transaction: every check reads the same snapshot, so a write landing in between (the
    // office's app is open) cannot make the tally and the tables disagree.
    let snapshot = conn.unchecked_transaction()?;
    verify_conn(&snapshot, version, expected_head)
}

impl Ledger {
    /// Verifies the open ledger (what the app's Nhật ký screen shows): the same checks as `verify_file`.
    pub fn verify(&self) -> Result<VerifyReport> {
        let snapshot = self.conn.unchecked_transaction()?;
        verify_conn(&snapshot, crate::store::SCHEMA_VERSION, None)
    }

    /// The head of the audit chain now (sequence number and hash).
    pub fn chain_head(&self) -> Result<crate::audit::ChainHead> {
        crate::audit::head(&self.conn)
    }
}

/// Every check, in the order a person reads them: the file itself, its schema, the chain, the head kept
/// outside, the tally of the last audit row against the tables, then the invariants and the amounts.
pub(crate) fn verify_conn(
    conn: &rusqlite::Connection,
    version: i64,
    expected_head: Option<&crate::audit::ChainHead>,
) -> Result<VerifyReport> {
    super::office::require_office(conn)?;
    let mut problems = Vec::new();
    // The file as SQLite sees it: pages, indexes, and every reference.
    let integrity: Vec<String> = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    if integrity != ["ok"] {
        problems.extend(
            integrity
                .into_iter()
                .take(10)
                .map(|m| format!("Tệp sổ bị hỏng (integrity_check): {m}")),
        );
    }
    let mut fk = conn.prepare("PRAGMA foreign_key_check")?;
    let broken: Vec<String> = fk
        .query_map([], |r| {
            Ok(format!(
                "{} dòng {} tham chiếu {} không tồn tại",
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1).unwrap_or(0),
                r.get::<_, String>(2)?
            ))
        })?
        .collect::<std::result::Result<_, _>>()?;
    problems.extend(
        broken
            .into_iter()
            .take(10)
            .map(|m| format!("Tham chiếu bị đứt (foreign_key_check): {m}")),
    );
    // The schema, object by object, against what the migrations make: a guard dropped, emptied or altered.
    let expected = crate::store::expected_schema(version)?;
    let found = crate::store::schema_of(conn)?;
    let found_map: HashMap<(&str, &str), &str> = found
        .iter()
        .map(|(t, n, q)| ((t.as_str(), n.as_str()), q.as_str()))
        .collect();
    let expected_map: HashMap<(&str, &str), &str> = expected
        .iter()
        .map(|(t, n, q)| ((t.as_str(), n.as_str()), q.as_str()))
        .collect();
    for (t, n, q) in &expected {
        match found_map.get(&(t.as_str(), n.as_str())) {
            None => problems.push(format!(
                "Thiếu {} {n} của sổ (ràng buộc bị xóa): tệp đã bị sửa ngoài phần mềm",
                kind_vi(t)
            )),
            Some(sql) if sql != q => problems.push(format!(
                "{} {n} khác với phần mềm (ràng buộc bị thay): tệp đã bị sửa ngoài phần mềm",
                capitalise(kind_vi(t))
            )),
            _ => {}
        }
    }
    for (t, n, _) in &found {
        if !expected_map.contains_key(&(t.as_str(), n.as_str())) {
            problems.push(format!(
                "Có {} {n} lạ, không do phần mềm tạo: tệp đã bị sửa ngoài phần mềm",
                kind_vi(t)
            ));
        }
    }
    let audit_rows = match crate::audit::verify_chain(conn) {
        Ok(n) => n,
        Err(e) => {
            problems.push(e.to_string());
            0
        }
    };
    if audit_rows == 0 && problems.is_empty() {
        problems.push("Nhật ký kiểm toán trống dù sổ đã được khởi tạo: nhật ký đã bị xóa".into());
    }
    let head = crate::audit::head(conn)?;
    if let Some(want) = expected_head {
        let at: Option<String> = rusqlite::OptionalExtension::optional(conn.query_row(
            "SELECT hash FROM audit_log WHERE seq = ?1",
            [want.seq],
            |r| r.get(0),
        ))?;
        match at {
            None => problems.push(format!(
                "Nhật ký không còn dòng {} của mốc đã lưu ({}): nhật ký đã bị cắt bớt",
                want.seq, want
            )),
            Some(h) if h != want.hash => problems.push(format!(
                "Dòng {} của nhật ký khác mốc đã lưu ({} ≠ {}): chuỗi nhật ký đã bị viết lại",
                want.seq, h, want.hash
            )),
            _ => {}
        }
    }
    if version >= 4 {
        problems.extend(tally_problems(conn)?);
    }
    let mut mismatched = 0;
    let since_4: &[(&str, &str)] = if version >= 4 { CHECKS_SINCE_4 } else { &[] };
    let since_5: &[(&str, &str)] = if version >= 5 { CHECKS_SINCE_5 } else { &[] };
    for (i, (what, sql)) in CHECKS.iter().chain(since_4).chain(since_5).enumerate() {
        let mut stmt = conn.prepare(sql)?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        if i == 0 {
            mismatched = rows.len() as i64;
        }
        problems.extend(
            rows.into_iter()
                .take(20)
                .map(|row| format!("{what}: {row}")),
        );
    }
    problems.extend(packs_altered(conn)?);
    problems.extend(repriced_differently(conn)?);
    let payouts: i64 = conn.query_row("SELECT count(*) FROM payout", [], |r| r.get(0))?;
    Ok(VerifyReport {
        audit_rows,
        payouts,
        mismatched_payouts: mismatched,
        head,
        problems,
    })
}

fn kind_vi(t: &str) -> &'static str {
    match t {
        "table" => "bảng",
        "index" => "chỉ mục",
        "trigger" => "trigger",
        "view" => "khung nhìn",
        _ => "đối tượng",
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The last chain-2 row's tally against the tables now, and each list's posting against its audit row.
fn tally_problems(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let last: Option<(i64, String)> = rusqlite::OptionalExtension::optional(conn.query_row(
        "SELECT seq, json_extract(detail, '$.tally') FROM audit_log
          WHERE chain = 2 AND json_extract(detail, '$.tally') IS NOT NULL ORDER BY seq DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    ))?;
    if let Some((seq, recorded)) = last {
        let recorded: serde_json::Value = serde_json::from_str(&recorded).unwrap_or_default();
        let now = serde_json::to_value(crate::audit::tally(conn)?).expect("serialises");
        for (key, label) in TALLY_LABELS {
            let (a, b) = (&recorded[*key], &now[*key]);
            // A count the row was written without (by an older version) was not kept then.
            if a.is_null() {
                continue;
            }
            if a != b {
                problems.push(format!(
                    "{label} không khớp nhật ký: dòng nhật ký cuối (số {seq}) ghi {}, sổ hiện có {} — có dòng bị thêm, xóa hay sửa ngoài phần mềm, hoặc các dòng nhật ký cuối đã bị xóa",
                    show(a),
                    show(b)
                ));
            }
        }
    }
    problems.extend(rows_against_the_log(conn)?);
    // Each posting (who, when) as the audit row recorded it.
    let mut stmt = conn.prepare(
        "SELECT l.id, l.posted_at, (SELECT json_extract(a.detail, '$.posted_at') FROM audit_log a
                                      WHERE a.action = 'post_list' AND a.entity_id = l.id ORDER BY a.seq DESC LIMIT 1),
                (SELECT count(*) FROM audit_log a WHERE a.action = 'post_list' AND a.entity_id = l.id),
                (SELECT json_extract(a.detail, '$.posted_on') FROM audit_log a
                  WHERE a.action = 'post_list' AND a.entity_id = l.id ORDER BY a.seq DESC LIMIT 1)
           FROM claim_list l",
    )?;
    let has_day: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info('claim_list') WHERE name = 'posted_on')",
        [],
        |r| r.get(0),
    )?;
    let mut days = Vec::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (id, posted, audited, rows_for): (String, Option<String>, Option<String>, i64) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let audited_day: Option<String> = r.get(4)?;
        if has_day {
            days.push((id.clone(), audited_day));
        }
        let wrong = match (&posted, &audited) {
            (Some(p), Some(a)) => p != a,
            (Some(_), None) => rows_for == 0,
            (None, _) => rows_for > 0,
        };
        if wrong && problems.len() < 40 {
            problems.push(format!(
                "Thời điểm niêm yết danh sách {id} khác nhật ký (sổ ghi {}, nhật ký ghi {})",
                posted
                    .as_deref()
                    .map(crate::dates::format_time_vi)
                    .unwrap_or_else(|| "chưa niêm yết".into()),
                audited
                    .as_deref()
                    .map(crate::dates::format_time_vi)
                    .unwrap_or_else(|| if rows_for > 0 {
                        "đã niêm yết".into()
                    } else {
                        "chưa niêm yết".into()
                    })
            ));
        }
    }
    drop(rows);
    // Each posting day (schema 5 on) as its audit row gave it.
    let mut stmt = conn.prepare_cached("SELECT posted_on FROM claim_list WHERE id = ?1")?;
    for (id, audited) in days {
        let stored: Option<String> = stmt.query_row([&id], |r| r.get(0))?;
        if stored != audited && problems.len() < 40 {
            problems.push(format!(
                "Ngày niêm yết danh sách {id} khác nhật ký (sổ ghi {}, nhật ký ghi {})",
                stored.as_deref().unwrap_or("không có"),
                audited.as_deref().unwrap_or("không có")
            ));
        }
    }
    Ok(problems)
}

/// Every payout and every hand-set amount recorded since the chain hashes its rows (chain 2) against the
/// audit row that made it: a payout's id, claim and amount as the `pay` row lists them, an override's claim and
/// amount as its `override_amount` row says. Names what is missing, added or changed.
fn rows_against_the_log(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let since: Option<String> =
        conn.query_row("SELECT min(at) FROM audit_log WHERE chain = 2", [], |r| {
            r.get(0)
        })?;
    let Some(since) = since else {
        return Ok(problems);
    };
    let mut logged: HashMap<String, (String, i64)> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT json_extract(detail, '$.payouts') FROM audit_log
          WHERE chain = 2 AND action = 'pay' AND json_extract(detail, '$.payouts') IS NOT NULL",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let list: Vec<(String, String, i64)> =
            serde_json::from_str(&r.get::<_, String>(0)?).unwrap_or_default();
        for (id, claim, amount) in list {
            logged.insert(id, (claim, amount));
        }
    }
    let mut stmt =
        conn.prepare("SELECT id, claim_id, amount FROM payout WHERE recorded_at >= ?1")?;
    let mut rows = stmt.query([&since])?;
    while let Some(r) = rows.next()? {
        let (id, claim, amount): (String, String, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let found = match logged.remove(&id) {
            None => Some("không có trong nhật ký chi trả (được thêm ngoài phần mềm)".to_string()),
            Some((c, a)) if c != claim || a != amount => Some(format!(
                "nhật ký ghi hồ sơ {c}, {a} đồng; sổ ghi hồ sơ {claim}, {amount} đồng"
            )),
            _ => None,
        };
        if let Some(why) = found.filter(|_| problems.len() < 20) {
            problems.push(format!("Khoản chi {id} {why}"));
        }
    }
    for (id, (claim, amount)) in logged.into_iter().take(20) {
        problems.push(format!(
            "Khoản chi {id} (hồ sơ {claim}, {amount} đồng) có trong nhật ký nhưng không còn trong sổ"
        ));
    }
    // Hand-set amounts: each (claim, amount) as many times as the log recorded it, before and after chain 2.
    let mut counts: HashMap<(String, i64), i64> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT entity_id, json_extract(detail, '$.amount') FROM audit_log WHERE action = 'override_amount'",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        *counts.entry((r.get(0)?, r.get(1)?)).or_default() += 1;
    }
    // Every override ever made has its row in the log (chain 1 too), whatever time it claims.
    let mut stmt = conn.prepare("SELECT claim_id, amount FROM amount_override")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        *counts.entry((r.get(0)?, r.get(1)?)).or_default() -= 1;
    }
    for ((claim, amount), n) in counts.into_iter().filter(|(_, n)| *n != 0).take(20) {
        problems.push(if n < 0 {
            format!("Điều chỉnh số tiền hồ sơ {claim} thành {amount} đồng không có trong nhật ký (được thêm ngoài phần mềm)")
        } else {
            format!("Điều chỉnh số tiền hồ sơ {claim} thành {amount} đồng có trong nhật ký nhưng không còn trong sổ")
        });
    }
    Ok(problems)
}

fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) if s.len() == 64 => format!("mã {}", &s[..12]),
        other => other.to_string(),
    }
}

const TALLY_LABELS: &[(&str, &str)] = &[
    ("people", "Số người"),
    ("documents", "Số giấy tờ tùy thân"),
    ("documents_sum", "Tổng kiểm các số giấy tờ"),
    ("documents_holders", "Số người có giấy tờ"),
    ("households", "Số hộ"),
    ("groups", "Số nhóm/lớp"),
    ("claims", "Số hồ sơ"),
    ("claims_amount", "Tổng số tiền các hồ sơ"),
    ("rejected", "Số hồ sơ bị từ chối"),
    ("claim_once", "Số khoản hỗ trợ một lần của hồ sơ"),
    ("lists", "Số danh sách"),
    ("posted", "Số danh sách đã niêm yết"),
    ("list_items", "Số dòng trong các danh sách"),
    ("approvals", "Số quyết định phê duyệt"),
    ("overrides", "Số lần điều chỉnh số tiền"),
    ("overrides_amount", "Tổng số tiền điều chỉnh"),
    ("payouts", "Số khoản chi"),
    ("payouts_amount", "Tổng số tiền đã chi"),
    ("reversals", "Số bút toán đảo"),
    ("withdrawals", "Số hồ sơ đã rút hoặc đã sửa"),
    ("reviews", "Số quyết định rà soát trùng"),
    ("recoveries", "Số khoản cần thu hồi"),
    ("roles", "Người dùng và vai trò"),
    ("packs", "Bộ quy tắc đã lưu"),
];

/// A stored rule pack whose text no longer hashes to its recorded digest, or a shipped pack version whose text
/// differs from the one this build ships: re-pricing would trust an edited pack.
fn packs_altered(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    use sha2::{Digest, Sha256};
    let shipped = crate::rules::default_pack();
    let shipped_sha = hex::encode(Sha256::digest(crate::rules::DEFAULT_PACK_TOML.as_bytes()));
    let mut stmt = conn.prepare("SELECT id, version, sha256, body FROM rule_pack")?;
    let mut rows = stmt.query([])?;
    let mut problems = Vec::new();
    while let Some(r) = rows.next()? {
        let (id, version, sha, body): (String, String, String, String) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let actual = hex::encode(Sha256::digest(body.as_bytes()));
        if actual != sha {
            problems.push(format!(
                "Nội dung bộ quy tắc {id} {version} đã bị sửa (mã băm không khớp)"
            ));
        } else if id == shipped.pack.id && version == shipped.pack.version && sha != shipped_sha {
            problems.push(format!(
                "Bộ quy tắc {id} {version} khác bản phần mềm phát hành cùng phiên bản"
            ));
        }
    }
    Ok(problems)
}

/// Prices every claim again from its stored facts with the very pack version that priced it (kept verbatim
/// in `rule_pack`), and lists the claims whose amount the rules do not give: the auditor's "every amount
/// follows the rate rules", including claims written past the core.
fn repriced_differently(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    let mut packs: HashMap<(String, String), Option<RulePack>> = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT id, policy_code, facts, pack_id, pack_version, rule_amount FROM claim")?;
    let mut rows = stmt.query([])?;
    let mut problems = Vec::new();
    while let Some(r) = rows.next()? {
        let (id, policy, facts, pack_id, version, amount): (
            String,
            String,
            String,
            String,
            String,
            i64,
        ) = (
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        );
        let key = (pack_id.clone(), version.clone());
        if !packs.contains_key(&key) {
            let body: Option<String> = rusqlite::OptionalExtension::optional(conn.query_row(
                "SELECT body FROM rule_pack WHERE id = ?1 AND version = ?2",
                [&pack_id, &version],
                |r| r.get(0),
            ))?;
            packs.insert(
                key.clone(),
                body.and_then(|b| RulePack::parse(&b, &format!("{pack_id} {version}")).ok()),
            );
        }
        let found = match (&packs[&key], serde_json::from_str::<ClaimFacts>(&facts)) {
            (None, _) => Some(format!("bộ quy tắc {pack_id} {version} không có trong sổ")),
            (_, Err(_)) => Some("dữ kiện hồ sơ không đọc được".to_string()),
            (Some(pack), Ok(facts)) => match pack.policy(&policy) {
                Err(_) => Some(format!("chính sách {policy} không có trong bộ quy tắc")),
                Ok(p) => {
                    let e = p.entitlement(&facts);
                    let due = e.amount.to_dong().unwrap_or(-1);
                    (!e.eligible || due != amount)
                        .then(|| format!("sổ ghi {amount}, quy tắc cho {due}"))
                }
            },
        };
        if let Some(why) = found {
            if problems.len() < 20 {
                problems.push(format!("Số tiền hồ sơ {id} không theo bộ quy tắc: {why}"));
            }
        }
    }
    Ok(problems)
}
