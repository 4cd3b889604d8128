//! Trust (issue 9): who acted is proven by a sign-in, maker-checker holds between honest people, and every way
//! of rewriting a ledger file behind the software's back that an audit met is found and named by `verify`,
//! which reads the file without changing it. Each tamper test edits a real ledger file the way someone with
//! an SQLite tool would (dropping a guard, editing, putting the guard back) and asserts what `verify` says.

use relief_ledger::audit::ChainHead;
use relief_ledger::demo::{demo_office, generate, DemoSpec};
use relief_ledger::ledger::{verify_file, Actor, Role};
use relief_ledger::{Ledger, Money};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

const PW: &str = "mat-khau-1";

struct Office {
    _dir: tempfile::TempDir,
    path: PathBuf,
    ledger: Ledger,
    admin: Actor,
    officer: Actor,
    approver: Actor,
    accountant: Actor,
    list: String,
}

fn today() -> chrono::NaiveDate {
    relief_ledger::dates::today_vn()
}

/// A ward ledger with 40 demo people: two lists of claims, the first posted, approved and paid, the second
/// posted only, one claim rejected.
fn office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("so.sqlite");
    let mut ledger = Ledger::open(&path).unwrap();
    let spec = DemoSpec {
        people: 40,
        wards: 1,
        seed: 9,
    };
    let admin = ledger
        .init_office(&demo_office(&spec), "Quản trị", PW)
        .unwrap();
    for (name, role) in [
        ("Cán bộ Lan", Role::Officer),
        ("Lãnh đạo Hùng", Role::Approver),
        ("Kế toán Mai", Role::Accountant),
        ("Kiểm toán Bình", Role::Auditor),
    ] {
        ledger.add_operator(name, role, PW, &admin).unwrap();
    }
    let officer = ledger.sign_in("Cán bộ Lan", PW).unwrap();
    let approver = ledger.sign_in("lanh dao hung", PW).unwrap();
    let accountant = ledger.sign_in("Kế toán Mai", PW).unwrap();
    generate(&mut ledger, &spec, &officer).unwrap();
    let claims: Vec<String> = {
        let mut stmt = ledger
            .conn()
            .prepare("SELECT id FROM claim ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    ledger
        .reject_claim(&claims[39], "Không cư trú tại phường", &officer)
        .unwrap();
    let first = ledger
        .create_list("Đợt 1", &[], &claims[..20], &officer)
        .unwrap();
    ledger.post_list(&first.id, today(), &officer).unwrap();
    ledger
        .approve_list(&first.id, "15/QĐ-UBND", today(), &approver)
        .unwrap();
    ledger
        .pay(&first.id, None, today(), "cash", &accountant)
        .unwrap();
    let second = ledger
        .create_list("Đợt 2", &[], &claims[20..30], &officer)
        .unwrap();
    ledger.post_list(&second.id, today(), &officer).unwrap();
    Office {
        _dir: dir,
        path,
        ledger,
        admin,
        officer,
        approver,
        accountant,
        list: first.id,
    }
}

/// Runs SQL on the file as an outsider would: a plain connection, no core, foreign keys off.
fn tamper(path: &Path, sql: &str) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(sql).unwrap();
}

/// The SQL that created a schema object, to put a dropped guard back exactly as it was.
fn sql_of(path: &Path, name: &str) -> String {
    Connection::open(path)
        .unwrap()
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
}

/// Drops the named guards, runs `edit`, and puts the guards back word for word.
fn behind_the_back(path: &Path, guards: &[&str], edit: &str) {
    let saved: Vec<String> = guards.iter().map(|g| sql_of(path, g)).collect();
    let mut sql = String::new();
    for g in guards {
        sql += &format!("DROP TRIGGER {g};\n");
    }
    sql += edit;
    sql += "\n";
    for s in &saved {
        sql += s;
        sql += ";\n";
    }
    tamper(path, &sql);
}

fn problems(path: &Path, head: Option<&ChainHead>) -> Vec<String> {
    verify_file(path, head).unwrap().problems
}

fn assert_found(problems: &[String], needle: &str) {
    assert!(
        problems.iter().any(|p| p.contains(needle)),
        "expected a problem mentioning '{needle}', got {problems:#?}"
    );
}

fn file_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn an_honest_ledger_verifies_read_only_and_unchanged() {
    let o = office();
    let head = o.ledger.chain_head().unwrap();
    drop(o.ledger);
    let before = file_bytes(&o.path);
    let report = verify_file(&o.path, Some(&head)).unwrap();
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!(report.head, head);
    assert_eq!(report.payouts, 20);
    assert_eq!(
        file_bytes(&o.path),
        before,
        "verify must not write the file"
    );
}

#[test]
fn verify_refuses_a_missing_or_uninitialised_ledger_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("khong-co.sqlite");
    assert_eq!(
        verify_file(&missing, None).unwrap_err().code(),
        "ledger_missing"
    );
    assert!(!missing.exists());
    let empty = dir.path().join("rong.sqlite");
    drop(Ledger::open(&empty).unwrap());
    assert_eq!(
        verify_file(&empty, None).unwrap_err().code(),
        "not_initialised"
    );
}

#[test]
fn deleting_the_last_audit_rows_is_found() {
    let o = office();
    let head = o.ledger.chain_head().unwrap();
    drop(o.ledger);
    // The last rows record the second list's posting: cut them off, keeping the chain a valid prefix.
    behind_the_back(
        &o.path,
        &["audit_immutable_delete"],
        &format!("DELETE FROM audit_log WHERE seq > {};", head.seq - 2),
    );
    let found = problems(&o.path, None);
    assert_found(&found, "không khớp nhật ký");
    // With the head kept outside the file, the cut is named as such.
    assert_found(&problems(&o.path, Some(&head)), "nhật ký đã bị cắt bớt");
}

#[test]
fn emptying_the_audit_log_is_found() {
    let o = office();
    drop(o.ledger);
    behind_the_back(
        &o.path,
        &["audit_immutable_delete"],
        "DELETE FROM audit_log;",
    );
    assert_found(&problems(&o.path, None), "Nhật ký kiểm toán trống");
}

/// The chain rewritten from a row on with every hash recomputed (the hashing is public: anyone can do it);
/// only a head kept outside the file shows it.
#[test]
fn a_chain_rewritten_with_recomputed_hashes_is_found_against_a_kept_head() {
    use sha2::{Digest, Sha256};
    let o = office();
    let head = o.ledger.chain_head().unwrap();
    drop(o.ledger);
    let conn = Connection::open(&o.path).unwrap();
    conn.execute_batch("DROP TRIGGER audit_immutable_update;")
        .unwrap();
    type Row = (i64, String, String, String, String, Option<String>, String);
    let rows: Vec<Row> = conn
        .prepare(
            "SELECT seq, at, actor, action, entity, entity_id, detail FROM audit_log ORDER BY seq",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut prev = relief_ledger::audit::GENESIS.to_string();
    for (seq, at, actor, action, entity, entity_id, detail) in rows {
        // The forger changes who approved: the approval row names someone else.
        let actor = if action == "approve_list" {
            "Người khác".to_string()
        } else {
            actor
        };
        let mut h = Sha256::new();
        for part in [
            &prev,
            &at,
            &actor,
            &action,
            &entity,
            &entity_id.clone().unwrap_or_default(),
            &detail,
        ] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        let inner = hex::encode(h.finalize());
        let mut h = Sha256::new();
        h.update(b"relief-ledger audit chain 2\0");
        h.update(seq.to_string().as_bytes());
        h.update([0u8]);
        h.update(inner.as_bytes());
        let hash = hex::encode(h.finalize());
        conn.execute(
            "UPDATE audit_log SET actor = ?2, prev_hash = ?3, hash = ?4 WHERE seq = ?1",
            rusqlite::params![seq, actor, prev, hash],
        )
        .unwrap();
        prev = hash;
    }
    conn.execute_batch(&format!(
        "{};",
        sql_of(&o.path, "audit_immutable_delete")
            .replace("audit_immutable_delete", "audit_immutable_update")
            .replace("BEFORE DELETE", "BEFORE UPDATE")
    ))
    .unwrap();
    drop(conn);
    // The chain itself is consistent again…
    assert!(
        !problems(&o.path, None)
            .iter()
            .any(|p| p.contains("sai lệch tại dòng")),
        "the forger recomputed every hash"
    );
    // …but the head printed on the payout sheet no longer matches.
    assert_found(
        &problems(&o.path, Some(&head)),
        "chuỗi nhật ký đã bị viết lại",
    );
}

#[test]
fn a_payout_edited_with_a_forged_override_is_found() {
    let o = office();
    drop(o.ledger);
    behind_the_back(
        &o.path,
        &[
            "payout_immutable_update",
            "amount_override_before_approval",
        ],
        &format!(
            "UPDATE payout SET amount = amount + 500000 WHERE id = (SELECT min(id) FROM payout);
             INSERT INTO amount_override (claim_id, amount, reason, operator, role, recorded_at)
               SELECT claim_id, amount, 'Điều chỉnh theo hồ sơ', 'Lãnh đạo Hùng', 'approver', '2021-09-01T00:00:00Z'
                 FROM payout WHERE id = (SELECT min(id) FROM payout) AND list_id = '{}';",
            o.list
        ),
    );
    let found = problems(&o.path, None);
    assert_found(&found, "Số lần điều chỉnh số tiền không khớp nhật ký");
    assert_found(&found, "Tổng số tiền đã chi không khớp nhật ký");
}

#[test]
fn a_deleted_claim_is_found() {
    let o = office();
    drop(o.ledger);
    behind_the_back(
        &o.path,
        &["claim_not_deleted"],
        "PRAGMA foreign_keys = OFF;
         DELETE FROM claim WHERE id = (SELECT max(c.id) FROM claim c
                                        WHERE NOT EXISTS (SELECT 1 FROM list_item li WHERE li.claim_id = c.id)
                                          AND NOT EXISTS (SELECT 1 FROM claim_once o WHERE o.claim_id = c.id)
                                          AND c.status <> 'rejected');",
    );
    assert_found(&problems(&o.path, None), "Số hồ sơ không khớp nhật ký");
}

#[test]
fn a_trigger_replaced_by_an_empty_one_of_the_same_name_is_found() {
    let o = office();
    drop(o.ledger);
    tamper(
        &o.path,
        "DROP TRIGGER payout_guard;
         CREATE TRIGGER payout_guard BEFORE INSERT ON payout BEGIN SELECT 1; END;",
    );
    assert_found(&problems(&o.path, None), "payout_guard khác với phần mềm");
    // And an extra object nobody's software made.
    tamper(
        &o.path,
        "CREATE TRIGGER lap_lai AFTER INSERT ON person BEGIN SELECT 1; END;",
    );
    assert_found(&problems(&o.path, None), "trigger lap_lai lạ");
}

#[test]
fn the_stored_rule_pack_edited_is_found() {
    let o = office();
    drop(o.ledger);
    // Edited text with its digest recomputed, so the pack looks consistent on its own.
    let conn = Connection::open(&o.path).unwrap();
    let body: String = conn
        .query_row("SELECT body FROM rule_pack", [], |r| r.get(0))
        .unwrap();
    drop(conn);
    let forged = body.replacen("1500000", "1800000", 1);
    assert_ne!(forged, body, "the pack has an amount to forge");
    use sha2::Digest;
    let sha = hex::encode(sha2::Sha256::digest(forged.as_bytes()));
    behind_the_back(
        &o.path,
        &["rule_pack_immutable_update"],
        &format!(
            "UPDATE rule_pack SET body = '{}', sha256 = '{sha}';",
            forged.replace('\'', "''")
        ),
    );
    let found = problems(&o.path, None);
    assert_found(&found, "Bộ quy tắc đã lưu không khớp nhật ký");
    assert_found(&found, "khác bản phần mềm phát hành");
}

#[test]
fn an_operators_role_edited_is_found() {
    let o = office();
    drop(o.ledger);
    tamper(
        &o.path,
        "UPDATE operator SET role = 'approver' WHERE name = 'Cán bộ Lan';",
    );
    assert_found(
        &problems(&o.path, None),
        "Người dùng và vai trò không khớp nhật ký",
    );
}

#[test]
fn a_rejected_claim_un_rejected_is_found() {
    let o = office();
    drop(o.ledger);
    behind_the_back(
        &o.path,
        &["claim_rejection_final"],
        "UPDATE claim SET status = 'received', rejected_reason = NULL WHERE status = 'rejected';",
    );
    assert_found(
        &problems(&o.path, None),
        "Số hồ sơ bị từ chối không khớp nhật ký",
    );
}

#[test]
fn a_lists_posting_time_moved_is_found() {
    let o = office();
    drop(o.ledger);
    behind_the_back(
        &o.path,
        &["list_posting_fixed"],
        &format!(
            "UPDATE claim_list SET posted_at = '2021-08-01T01:00:00.000Z' WHERE id = '{}';",
            o.list
        ),
    );
    assert_found(&problems(&o.path, None), "Thời điểm niêm yết danh sách");
}

#[test]
fn a_persons_documents_edited_are_found() {
    let o = office();
    drop(o.ledger);
    // A number changed (one digit) under its guard…
    behind_the_back(
        &o.path,
        &["identity_doc_immutable_update"],
        "UPDATE identity_doc SET number = substr(number, 1, 11) || CASE substr(number, 12) WHEN '9' THEN '0' ELSE '9' END
          WHERE rowid = (SELECT min(rowid) FROM identity_doc WHERE kind = 'cccd');",
    );
    assert_found(
        &problems(&o.path, None),
        "Tổng kiểm các số giấy tờ không khớp nhật ký",
    );
}

#[test]
fn a_document_added_behind_the_back_is_found() {
    let o = office();
    drop(o.ledger);
    tamper(
        &o.path,
        "INSERT INTO identity_doc (person_id, kind, number) SELECT min(id), 'social_insurance', '0123456789' FROM person;",
    );
    assert_found(
        &problems(&o.path, None),
        "Số giấy tờ tùy thân không khớp nhật ký",
    );
}

#[test]
fn broken_references_and_a_damaged_file_are_found() {
    let o = office();
    drop(o.ledger);
    behind_the_back(
        &o.path,
        &["list_item_locked_insert"],
        "PRAGMA foreign_keys = OFF;
         INSERT INTO list_item (list_id, claim_id, position) VALUES ('khong-co-danh-sach', 'khong-co-ho-so', 999);",
    );
    assert_found(&problems(&o.path, None), "foreign_key_check");
}

#[test]
fn maker_checker_holds_between_honest_people() {
    let mut o = office();
    let l = &mut o.ledger;
    // Whoever paid may not reverse their own payout, even as an admin.
    let payout: String = l
        .conn()
        .query_row("SELECT min(id) FROM payout", [], |r| r.get(0))
        .unwrap();
    let admin_payer = o.admin.clone();
    let err = l
        .reverse(&payout, "Chi nhầm người nhận", today(), &o.accountant)
        .unwrap_err();
    assert_eq!(
        err.code(),
        "role_required",
        "an accountant does not reverse"
    );
    l.reverse(&payout, "Chi nhầm người nhận", today(), &o.approver)
        .unwrap();
    // Now the admin pays it again, and tries to reverse that payout themself.
    l.pay(&o.list, None, today(), "cash", &admin_payer).unwrap();
    let again: String = l
        .conn()
        .query_row(
            "SELECT id FROM payout WHERE officer = 'Quản trị'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let err = l
        .reverse(&again, "Chi nhầm lần hai", today(), &admin_payer)
        .unwrap_err();
    assert_eq!(err.code(), "reverser_is_payer");
    // Paying needs the role: an approver or auditor does not hand out money.
    let auditor = l.sign_in("Kiểm toán Bình", PW).unwrap();
    let second: String = l
        .conn()
        .query_row(
            "SELECT id FROM claim_list WHERE name = 'Đợt 2'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // Whoever set an amount by hand on a list may not approve it.
    let claim_on_second: String = l
        .conn()
        .query_row(
            "SELECT min(claim_id) FROM list_item WHERE list_id = ?1",
            [&second],
            |r| r.get(0),
        )
        .unwrap();
    l.override_amount(
        &claim_on_second,
        Money::from_dong(1_000_000),
        "Theo biên bản xác minh số ngày nghỉ",
        &o.approver,
    )
    .unwrap();
    let err = l
        .approve_list(&second, "16/QĐ-UBND", today(), &o.approver)
        .unwrap_err();
    assert_eq!(err.code(), "approver_made_override");
    l.approve_list(&second, "16/QĐ-UBND", today(), &o.admin)
        .unwrap();
    for who in [&o.approver, &auditor] {
        let err = l.pay(&second, None, today(), "cash", who).unwrap_err();
        assert_eq!(err.code(), "role_required", "{}", who.name());
    }
    // Posting and rejecting need a role too: an accountant does neither.
    let err = l.create_list("Đợt 3", &[], &[], &o.accountant).unwrap_err();
    assert_eq!(err.code(), "role_required");
    let open_claim: String = l
        .conn()
        .query_row(
            "SELECT min(id) FROM claim c WHERE status <> 'rejected' AND NOT EXISTS (SELECT 1 FROM list_item li WHERE li.claim_id = c.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let err = l
        .reject_claim(&open_claim, "Không đủ điều kiện", &o.accountant)
        .unwrap_err();
    assert_eq!(err.code(), "role_required");
    l.reject_claim(&open_claim, "Không đủ điều kiện", &o.officer)
        .unwrap();
    let head = l.chain_head().unwrap();
    drop(o.ledger);
    assert!(problems(&o.path, Some(&head)).is_empty());
}

#[test]
fn sign_in_locks_after_repeated_failures_and_an_admin_unlocks() {
    let mut o = office();
    let l = &mut o.ledger;
    for _ in 0..4 {
        assert_eq!(
            l.sign_in("Cán bộ Lan", "sai-mat-khau").unwrap_err().code(),
            "sign_in_failed"
        );
    }
    assert_eq!(
        l.sign_in("Cán bộ Lan", "sai-mat-khau").unwrap_err().code(),
        "account_locked"
    );
    // Locked: even the right password is refused until an admin resets it.
    assert_eq!(
        l.sign_in("Cán bộ Lan", PW).unwrap_err().code(),
        "account_locked"
    );
    assert_eq!(
        l.reset_password("Cán bộ Lan", "mat-khau-moi", &o.officer)
            .unwrap_err()
            .code(),
        "role_required",
        "only an admin resets a password"
    );
    l.reset_password("Cán bộ Lan", "mat-khau-moi", &o.admin)
        .unwrap();
    let back = l.sign_in("can bo lan", "mat-khau-moi").unwrap();
    assert_eq!(back.name(), "Cán bộ Lan");
    assert_eq!(back.role(), Role::Officer);
    // An unknown name gives the same answer as a wrong password, and registers nobody.
    assert_eq!(
        l.sign_in("Người lạ", PW).unwrap_err().code(),
        "sign_in_failed"
    );
    let actions: Vec<String> = l
        .conn()
        .prepare("SELECT action FROM audit_log WHERE entity = 'operator' AND entity_id = 'Cán bộ Lan' ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for expected in ["sign_in_failed", "locked", "reset_password", "sign_in"] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} in {actions:?}"
        );
    }
    let operators = l.operators().unwrap();
    assert!(!operators.iter().any(|op| op.name == "Người lạ"));
}

#[test]
fn operator_names_are_stored_nfc_and_trimmed() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(&dir.path().join("so.sqlite")).unwrap();
    // "Trần Thị Lan" typed with combining marks and stray spaces.
    let nfd = "  Tra\u{0302}\u{0300}n   Thi\u{0323} Lan ";
    let admin = l
        .init_office(
            &demo_office(&DemoSpec {
                people: 1,
                wards: 1,
                seed: 1,
            }),
            nfd,
            PW,
        )
        .unwrap();
    assert_eq!(admin.name(), "Trần Thị Lan");
    let stored: String = l
        .conn()
        .query_row("SELECT name FROM operator", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, "Trần Thị Lan");
    // A look-alike of an existing name cannot be added as a second person.
    let err = l
        .add_operator("tran thi lan", Role::Approver, PW, &admin)
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    // A weak password is refused with the reason.
    let err = l
        .add_operator("Nguyễn Văn B", Role::Officer, "11111111", &admin)
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
}

#[test]
fn a_backup_verifies_and_a_restore_keeps_the_ledger_it_replaces() {
    let mut o = office();
    let usb = o._dir.path().join("usb");
    let done = o.ledger.backup_to(&usb, &o.accountant).unwrap();
    assert!(done.preview.problems.is_empty());
    assert_eq!(done.preview.payouts, 20);
    let head_text = std::fs::read_to_string(&done.head_file).unwrap();
    assert!(head_text.starts_with(&done.preview.head.to_string()));
    // Work goes on after the backup; then the office restores it.
    o.ledger
        .pay(&o.list, None, today(), "cash", &o.accountant)
        .unwrap();
    let claims_before: i64 = o
        .ledger
        .conn()
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    // Anyone signed in may take a backup; only an admin restores one.
    o.ledger.backup_to(&usb, &o.officer).unwrap();
    let officer_restore = Ledger::open(&o.path)
        .unwrap()
        .restore_from(Path::new(&done.file), &o.officer);
    assert_eq!(officer_restore.err().unwrap().code(), "role_required");
    let (restored, outcome) = o
        .ledger
        .restore_from(Path::new(&done.file), &o.admin)
        .unwrap();
    let kept = PathBuf::from(&outcome.previous_kept_at);
    assert!(kept.is_file());
    let kept_rows: i64 = Connection::open(&kept)
        .unwrap()
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        kept_rows,
        claims_before + 1,
        "the copy holds the ledger as it was"
    );
    assert_eq!(outcome.head, done.preview.head);
    let head = restored.chain_head().unwrap();
    drop(restored);
    assert!(problems(&o.path, Some(&head)).is_empty());
    // A backup cannot be written over the ledger, nor an export.
    let err = relief_ledger::files::write_bytes(&o.path, b"<html>").unwrap_err();
    assert_eq!(err.code(), "unsafe_destination");
}

/// Two payouts of the same amount swapped between their claims: every count and sum still adds up, and each
/// payout still matches its claim's amount; only the payout ids the `pay` row lists show it.
#[test]
fn payouts_swapped_between_claims_are_found_against_the_pay_row() {
    let o = office();
    drop(o.ledger);
    let conn = Connection::open(&o.path).unwrap();
    let pair: (String, String, String, String) = conn
        .query_row(
            "SELECT a.id, a.claim_id, b.id, b.claim_id FROM payout a JOIN payout b
               ON a.amount = b.amount AND a.policy_code = b.policy_code AND a.id < b.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    drop(conn);
    behind_the_back(
        &o.path,
        &["payout_immutable_update"],
        &format!(
            "PRAGMA foreign_keys = OFF;
             UPDATE payout SET claim_id = 'tam' WHERE id = '{a}';
             UPDATE payout SET claim_id = '{ca}' WHERE id = '{b}';
             UPDATE payout SET claim_id = '{cb}' WHERE id = '{a}';",
            a = pair.0,
            ca = pair.1,
            b = pair.2,
            cb = pair.3
        ),
    );
    let found = problems(&o.path, None);
    assert_found(&found, &format!("Khoản chi {}", pair.0));
    assert!(
        !found.iter().any(|p| p.contains("không khớp nhật ký")),
        "the tally alone cannot see a swap: {found:#?}"
    );
}
