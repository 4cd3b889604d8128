//! Every ledger invariant, proved by writing raw SQL past the core on the real SQLite file: the database
//! itself refuses the bad write. A plain `rusqlite::Connection` with no settings of ours stands in for any
//! other program (a DB browser, a script) opening the file.

use chrono::NaiveDate;
use relief_ledger::identity::{IdKind, IdentityDoc};
use relief_ledger::ledger::{Actor, ClaimSubject, Dob, NewClaim, NewPerson, Role, Sex};
use relief_ledger::rules::{ChildFact, ClaimFacts};
use relief_ledger::{Ledger, Money};
use rusqlite::{params, Connection};
use std::path::PathBuf;

mod common;

fn day(s: &str) -> NaiveDate {
    relief_ledger::dates::parse_date(s).unwrap()
}

/// A ledger file with its office set up and one signed-in operator per role ("admin", "officer",
/// "approver", as the raw SQL below names them).
struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    ledger: Ledger,
    admin: Actor,
    officer: Actor,
    approver: Actor,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite");
        let mut ledger = Ledger::open(&path).unwrap();
        let admin = common::init(&mut ledger, &common::giang_bien_office(), "admin");
        let officer = common::add(&mut ledger, &admin, "officer", Role::Officer);
        let approver = common::add(&mut ledger, &admin, "approver", Role::Approver);
        Fixture {
            _dir: dir,
            path,
            ledger,
            admin,
            officer,
            approver,
        }
    }

    fn raw(&self) -> Connection {
        Connection::open(&self.path).unwrap()
    }

    fn person(&mut self, name: &str, cccd: &str, year: i32, female: bool) -> String {
        self.ledger
            .add_person(
                &NewPerson {
                    full_name: name.into(),
                    dob: Some(Dob::Day(NaiveDate::from_ymd_opt(year, 3, 1).unwrap())),
                    sex: Some(if female { Sex::Female } else { Sex::Male }),
                    ids: vec![IdentityDoc {
                        kind: IdKind::Cccd,
                        number: cccd.into(),
                    }],
                    ..Default::default()
                },
                &self.officer,
            )
            .unwrap()
            .id
    }

    fn suspension_claim(&mut self, person: &str, child: Option<ChildFact>) -> String {
        let facts = suspension_facts(child);
        self.ledger
            .add_claim(
                &NewClaim {
                    policy: "68-suspension".into(),
                    subject: ClaimSubject::Person(person.into()),
                    applicant: None,
                    facts,
                },
                &self.officer,
            )
            .unwrap()
            .id
    }

    /// Lists, approves (by the approver) and pays the given claims; returns the list id.
    fn approve_and_pay(&mut self, claims: &[String]) -> String {
        let list = self
            .ledger
            .create_list("Đợt thử", &[], claims, &self.officer)
            .unwrap()
            .id;
        self.ledger
            .post_list(&list, day("01/08/2021"), &self.officer)
            .unwrap();
        self.ledger
            .approve_list(&list, "12/QĐ-UBND", day("10/08/2021"), &self.approver)
            .unwrap();
        self.ledger
            .pay(&list, None, day("15/08/2021"), "cash", &self.officer)
            .unwrap();
        list
    }
}

fn suspension_facts(child: Option<ChildFact>) -> ClaimFacts {
    let mut facts = ClaimFacts {
        from: Some(day("01/07/2021")),
        to: Some(day("31/07/2021")),
        children: child.into_iter().collect(),
        ..Default::default()
    };
    facts.flags.insert("social_insurance".into(), true);
    facts.flags.insert("employer_suspended".into(), true);
    facts
}

fn assert_refused(result: rusqlite::Result<usize>, code: &str) {
    match result {
        Ok(n) => panic!("the database accepted the write ({n} rows); expected refusal '{code}'"),
        Err(e) => assert!(e.to_string().contains(code), "expected '{code}', got: {e}"),
    }
}

fn child() -> ChildFact {
    ChildFact {
        name: Some("Nguyễn Minh An".into()),
        dob: day("05/05/2019"),
        id_number: Some("001219000777".into()),
    }
}

/// Copies a payout row with a new id: what a second payout written past the core looks like.
const SECOND_PAYOUT: &str = "INSERT INTO payout (id, claim_id, list_id, beneficiary_key, policy_code, amount, pack_version, paid_on, method, officer, recorded_at)
     SELECT 'raw-second', claim_id, list_id, beneficiary_key, policy_code, amount, pack_version, paid_on, method, officer, recorded_at
       FROM payout LIMIT 1";

#[test]
fn a_second_live_payout_for_the_same_person_and_policy_is_refused() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let c = f.suspension_claim(&p, None);
    f.approve_and_pay(&[c]);
    assert_refused(f.raw().execute(SECOND_PAYOUT, []), "duplicate_payout");
}

#[test]
fn a_second_open_claim_for_the_same_beneficiary_and_policy_is_refused() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    f.suspension_claim(&p, None);
    let raw = f.raw();
    assert_refused(
        raw.execute(
            "INSERT INTO claim (id, policy_code, unit, person_id, beneficiary_key, facts, pack_id, pack_version, rule_amount, breakdown, recorded_by, recorded_at)
             SELECT 'raw-claim', policy_code, unit, person_id, beneficiary_key, facts, pack_id, pack_version, rule_amount, breakdown, 'x', 'now' FROM claim",
            [],
        ),
        "UNIQUE constraint failed: claim.beneficiary_key, claim.policy_code",
    );
}

#[test]
fn a_household_is_paid_once_per_policy_whoever_applies() {
    let mut f = Fixture::new();
    let a = f.person("Trần Văn Nam", "001085000002", 1985, false);
    let b = f.person("Trần Thị Lan", "001187000003", 1987, true);
    let h = f
        .ledger
        .add_household(
            "Hộ kinh doanh Trần Văn Nam",
            Some(&a),
            Some("0101234567"),
            None,
            &f.officer,
        )
        .unwrap()
        .id;
    let mut facts = ClaimFacts {
        from: Some(day("01/08/2021")),
        to: Some(day("31/08/2021")),
        ..Default::default()
    };
    facts
        .flags
        .insert("business_and_tax_registered".into(), true);
    facts.flags.insert("stopped_by_authority".into(), true);
    let c = f
        .ledger
        .add_claim(
            &NewClaim {
                policy: "68-household-business".into(),
                subject: ClaimSubject::Household(h.clone()),
                applicant: Some(a),
                facts: facts.clone(),
            },
            &f.officer,
        )
        .unwrap();
    assert_eq!(c.amount, Money::from_dong(3_000_000));
    // Through the core: the other member's claim for the same household is a duplicate.
    let err = f
        .ledger
        .add_claim(
            &NewClaim {
                policy: "68-household-business".into(),
                subject: ClaimSubject::Household(h),
                applicant: Some(b.clone()),
                facts,
            },
            &f.officer,
        )
        .unwrap_err();
    assert_eq!(err.code(), "duplicate_claim");
    f.approve_and_pay(&[c.id]);
    // Past the core: a rejected copy of the claim filed by the other member, listed, approved and paid.
    let raw = f.raw();
    raw.execute_batch(&format!(
        "INSERT INTO claim (id, policy_code, unit, person_id, household_id, beneficiary_key, facts, pack_id, pack_version, rule_amount, breakdown, status, rejected_reason, recorded_by, recorded_at)
         SELECT 'raw-claim', policy_code, unit, '{b}', household_id, beneficiary_key, facts, pack_id, pack_version, rule_amount, breakdown, 'rejected', 'tạm thời', 'x', 'now' FROM claim;
         UPDATE claim SET status = 'received', rejected_reason = NULL WHERE id = 'raw-claim';"
    ))
    .unwrap_err();
    // Even the "rejected" back door is closed; and a payout naming the household under another claim id is refused.
    assert_refused(
        raw.execute(
            "INSERT INTO payout (id, claim_id, list_id, beneficiary_key, policy_code, amount, pack_version, paid_on, method, officer, recorded_at)
             SELECT 'raw-2', claim_id, list_id, beneficiary_key, policy_code, amount, pack_version, paid_on, method, officer, recorded_at FROM payout",
            [],
        ),
        "duplicate_payout",
    );
}

#[test]
fn the_child_under_6_supplement_goes_to_one_parent_only() {
    let mut f = Fixture::new();
    let mother = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let father = f.person("Lê Văn Hùng", "001088000004", 1988, false);
    let c = f.suspension_claim(&mother, Some(child()));
    f.approve_and_pay(std::slice::from_ref(&c));
    // Through the core: the father's claim naming the same child is priced without the child's supplement
    // (the supplement is once, the base is not: rule-audit.md finding 3), naming the mother's claim.
    let mothers = f.ledger.claim(&c).unwrap();
    let facts = suspension_facts(Some(child()));
    let fathers = f
        .ledger
        .add_claim(
            &NewClaim {
                policy: "68-suspension".into(),
                subject: ClaimSubject::Person(father.clone()),
                applicant: None,
                facts,
            },
            &f.officer,
        )
        .unwrap();
    assert_eq!(
        fathers.amount.to_dong(),
        mothers.amount.to_dong().map(|a| a - 1_000_000)
    );
    assert!(!fathers.lines.iter().any(|l| l.label.contains("con dưới 6")));
    assert!(
        fathers.notes.iter().any(|n| n.contains(&c[..8])),
        "{:?}",
        fathers.notes
    );
    // Past the core: a claim for the father copied from the mother's, with the child's once-row, a list and
    // an approval, then the payout.
    let raw = f.raw();
    raw.execute_batch(&format!(
        "INSERT INTO claim (id, policy_code, unit, person_id, beneficiary_key, facts, pack_id, pack_version, rule_amount, breakdown, recorded_by, recorded_at)
         SELECT 'raw-claim', 'mttq-topup', unit, '{father}', 'P:{father}', facts, pack_id, pack_version, rule_amount, breakdown, 'officer', 'now' FROM claim WHERE id = '{c}';
         INSERT INTO claim_once (claim_id, once_group, subject_key, amount) SELECT 'raw-claim', once_group, subject_key, amount FROM claim_once WHERE claim_id = '{c}';
         INSERT INTO claim_list (id, name, created_by, created_at, posted_by, posted_at, posted_on) VALUES ('raw-list', 'x', 'officer', 'now', 'officer', 'now', '2021-08-01');
         INSERT INTO list_item (list_id, claim_id, position) VALUES ('raw-list', 'raw-claim', 1);
         INSERT INTO approval (list_id, decision_no, decision_date, approved_by, approved_at) VALUES ('raw-list', '1', '2021-08-10', 'approver', 'now');"
    ))
    .unwrap();
    assert_refused(
        raw.execute(
            "INSERT INTO payout (id, claim_id, list_id, beneficiary_key, policy_code, amount, pack_version, paid_on, method, officer, recorded_at)
             SELECT 'raw-pay', id, 'raw-list', beneficiary_key, policy_code, rule_amount, pack_version, '2021-08-15', 'cash', 'officer', 'now' FROM claim WHERE id = 'raw-claim'",
            [],
        ),
        "duplicate_supplement",
    );
    let payouts: i64 = raw
        .query_row("SELECT count(*) FROM payout", [], |r| r.get(0))
        .unwrap();
    assert_eq!(payouts, 1, "the refused payout left nothing behind");
}

#[test]
fn an_amount_other_than_the_rules_needs_a_recorded_override() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let c = f.suspension_claim(&p, None);
    let list = f
        .ledger
        .create_list("Đợt thử", &[], std::slice::from_ref(&c), &f.officer)
        .unwrap()
        .id;
    f.ledger
        .post_list(&list, day("01/08/2021"), &f.officer)
        .unwrap();
    let raw = f.raw();
    // An override needs a reason and an approver's role that matches the operator's.
    assert_refused(
        raw.execute("INSERT INTO amount_override (claim_id, amount, reason, operator, role, recorded_at) VALUES (?1, 3000000, '', 'approver', 'approver', 'now')", [&c]),
        "CHECK constraint failed",
    );
    assert_refused(
        raw.execute("INSERT INTO amount_override (claim_id, amount, reason, operator, role, recorded_at) VALUES (?1, 3000000, 'Điều chỉnh theo biên bản', 'officer', 'approver', 'now')", [&c]),
        "role_mismatch",
    );
    // Through the core, an officer may not override; an approver may, before the list is approved, and
    // then may not approve that list: another approver (here the admin) does.
    let err = f
        .ledger
        .override_amount(
            &c,
            Money::from_dong(3_000_000),
            "Điều chỉnh theo biên bản số 3",
            &f.officer,
        )
        .unwrap_err();
    assert_eq!(err.code(), "role_required");
    f.ledger
        .override_amount(
            &c,
            Money::from_dong(3_000_000),
            "Điều chỉnh theo biên bản số 3",
            &f.approver,
        )
        .unwrap();
    assert_eq!(
        f.ledger
            .approve_list(&list, "12/QĐ-UBND", day("10/08/2021"), &f.approver)
            .unwrap_err()
            .code(),
        "approver_made_override"
    );
    assert_refused(
        raw.execute("INSERT INTO approval (list_id, decision_no, decision_date, approved_by, approved_at) VALUES (?1, '1/QĐ', '2021-08-10', 'approver', 'now')", [&list]),
        "approver_made_override",
    );
    f.ledger
        .approve_list(&list, "12/QĐ-UBND", day("10/08/2021"), &f.admin)
        .unwrap();
    // After approval the decided amount stands: no override, in the core or past it.
    let err = f
        .ledger
        .override_amount(
            &c,
            Money::from_dong(50_000_000),
            "Điều chỉnh sau phê duyệt",
            &f.approver,
        )
        .unwrap_err();
    assert_eq!(err.code(), "list_locked");
    assert_refused(
        raw.execute("INSERT INTO amount_override (claim_id, amount, reason, operator, role, recorded_at) VALUES (?1, 50000000, 'Điều chỉnh sau phê duyệt', 'approver', 'approver', 'now')", [&c]),
        "list_locked",
    );
    let pay = |amount: i64| {
        raw.execute(
            "INSERT INTO payout (id, claim_id, list_id, beneficiary_key, policy_code, amount, pack_version, paid_on, method, officer, recorded_at)
             SELECT ?1, id, ?2, beneficiary_key, policy_code, ?3, pack_version, '2021-08-15', 'cash', 'officer', 'now' FROM claim WHERE id = ?4",
            params![format!("raw-{amount}"), list, amount, c],
        )
    };
    assert_refused(pay(3_710_001), "amount_mismatch");
    assert_refused(pay(3_710_000), "amount_mismatch");
    pay(3_000_000).unwrap();
    let audit: i64 = raw
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'override_amount'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audit, 1);
}

#[test]
fn payouts_reversals_and_the_audit_log_cannot_be_updated_or_deleted() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let c = f.suspension_claim(&p, Some(child()));
    f.approve_and_pay(std::slice::from_ref(&c));
    let payout = f.ledger.live_payout_of(&c).unwrap().unwrap();
    f.ledger
        .reverse(&payout, "Chi nhầm số tiền", day("16/08/2021"), &f.approver)
        .unwrap();
    let raw = f.raw();
    for sql in [
        "UPDATE payout SET amount = 1",
        "DELETE FROM payout",
        "UPDATE reversal SET reason = 'khác đi'",
        "DELETE FROM reversal",
        "UPDATE payout_once SET subject_key = 'x'",
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log",
        "UPDATE approval SET decision_no = '99'",
        "DELETE FROM approval",
        "UPDATE claim SET rule_amount = 99999999",
        "DELETE FROM claim",
        "DELETE FROM list_item",
    ] {
        let r = raw.execute(sql, []);
        let expected = if sql.contains("list_item") {
            "list_locked"
        } else {
            "ledger_immutable"
        };
        assert_refused(r, expected);
    }
    // A payout can be reversed only once.
    assert_refused(
        raw.execute("INSERT INTO reversal (id, payout_id, reason, officer, reversed_on, recorded_at) VALUES ('r2', ?1, 'lần nữa thôi', 'approver', '2021-08-17', 'now')", [&payout]),
        "UNIQUE constraint failed: reversal.payout_id",
    );
    let err = f
        .ledger
        .reverse(&payout, "Đảo lần thứ hai", day("17/08/2021"), &f.approver)
        .unwrap_err();
    assert_eq!(err.code(), "already_reversed");
}

#[test]
fn after_a_reversal_the_claim_can_be_paid_again_once() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let c = f.suspension_claim(&p, Some(child()));
    let list = f.approve_and_pay(std::slice::from_ref(&c));
    let first = f.ledger.live_payout_of(&c).unwrap().unwrap();
    f.ledger
        .reverse(
            &first,
            "Chi nhầm người nhận",
            day("16/08/2021"),
            &f.approver,
        )
        .unwrap();
    let again = f
        .ledger
        .pay(&list, Some(&c), day("17/08/2021"), "cash", &f.officer)
        .unwrap();
    assert_eq!(again.count, 1);
    assert_eq!(
        again.total,
        Money::from_dong(4_710_000),
        "base and the child supplement"
    );
    let err = f
        .ledger
        .pay(&list, Some(&c), day("18/08/2021"), "cash", &f.officer)
        .unwrap_err();
    assert_eq!(err.code(), "duplicate_payout");
    assert_refused(
        f.raw().execute(
            &SECOND_PAYOUT.replace("LIMIT 1", "ORDER BY recorded_at DESC LIMIT 1"),
            [],
        ),
        "duplicate_payout",
    );
}

#[test]
fn payment_needs_an_approval_by_someone_other_than_the_recorder() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let c = f.suspension_claim(&p, None);
    let list = f
        .ledger
        .create_list("Đợt thử", &[], std::slice::from_ref(&c), &f.officer)
        .unwrap()
        .id;
    // Not before it was posted publicly.
    assert_eq!(
        f.ledger
            .approve_list(&list, "12/QĐ-UBND", day("10/08/2021"), &f.approver)
            .unwrap_err()
            .code(),
        "list_not_posted"
    );
    assert_refused(
        f.raw().execute("INSERT INTO approval (list_id, decision_no, decision_date, approved_by, approved_at) VALUES (?1, '1/QĐ', '2021-08-10', 'approver', 'now')", [&list]),
        "list_not_posted",
    );
    f.ledger
        .post_list(&list, day("01/08/2021"), &f.officer)
        .unwrap();
    assert_eq!(
        f.ledger
            .pay(&list, None, day("15/08/2021"), "cash", &f.officer)
            .unwrap_err()
            .code(),
        "list_not_approved"
    );
    let raw = f.raw();
    assert_refused(
        raw.execute(
            "INSERT INTO payout (id, claim_id, list_id, beneficiary_key, policy_code, amount, pack_version, paid_on, method, officer, recorded_at)
             SELECT 'raw', id, ?1, beneficiary_key, policy_code, rule_amount, pack_version, '2021-08-15', 'cash', 'officer', 'now' FROM claim",
            [&list],
        ),
        "list_not_approved",
    );
    // An officer cannot approve at all, and neither can a name typed into --as that nobody registered: in
    // the core such a name cannot even sign in, so it never becomes an actor.
    assert_refused(
        raw.execute("INSERT INTO approval (list_id, decision_no, decision_date, approved_by, approved_at) VALUES (?1, '1/QĐ', '2021-08-10', 'ai-do', 'now')", [&list]),
        "role_required",
    );
    assert_eq!(
        f.ledger
            .approve_list(&list, "12/QĐ-UBND", day("10/08/2021"), &f.officer)
            .unwrap_err()
            .code(),
        "role_required"
    );
    assert_eq!(
        f.ledger.sign_in("ai-do", common::PW).unwrap_err().code(),
        "sign_in_failed"
    );
    // An approver does not build lists; an admin, who may both build and approve, cannot approve a list
    // they built themself.
    let r = f.person("Phạm Văn Nam", "001087000006", 1987, false);
    let c3 = f.suspension_claim(&r, None);
    assert_eq!(
        f.ledger
            .create_list(
                "Đợt của người duyệt",
                &[],
                std::slice::from_ref(&c3),
                &f.approver,
            )
            .unwrap_err()
            .code(),
        "role_required"
    );
    let own = f
        .ledger
        .create_list(
            "Đợt của người duyệt",
            &[],
            std::slice::from_ref(&c3),
            &f.admin,
        )
        .unwrap()
        .id;
    f.ledger
        .post_list(&own, day("01/08/2021"), &f.officer)
        .unwrap();
    assert_eq!(
        f.ledger
            .approve_list(&own, "13/QĐ-UBND", day("10/08/2021"), &f.admin)
            .unwrap_err()
            .code(),
        "approver_is_recorder"
    );
    assert_refused(
        raw.execute("INSERT INTO approval (list_id, decision_no, decision_date, approved_by, approved_at) VALUES (?1, '1/QĐ', '2021-08-10', 'admin', 'now')", [&own]),
        "approver_is_recorder",
    );
    f.ledger
        .approve_list(&list, "12/QĐ-UBND", day("10/08/2021"), &f.approver)
        .unwrap();
    // Once approved, the list is closed to new claims.
    let q = f.person("Lê Văn Hùng", "001088000004", 1988, false);
    let c2 = f.suspension_claim(&q, None);
    assert_refused(
        raw.execute(
            "INSERT INTO list_item (list_id, claim_id, position) VALUES (?1, ?2, 99)",
            [&list, &c2],
        ),
        "list_locked",
    );
}

#[test]
fn identity_numbers_are_checked_by_the_schema_and_never_shared() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let raw = f.raw();
    for (kind, number) in [
        ("cccd", "00119000001"),
        ("cmnd", "12345678"),
        ("cccd", "00119000000a"),
        ("social_insurance", "123"),
    ] {
        assert_refused(
            raw.execute(
                "INSERT INTO identity_doc (person_id, kind, number) VALUES (?1, ?2, ?3)",
                params![p, kind, number],
            ),
            "CHECK constraint failed",
        );
    }
    // The same 12-digit number as a "personal ID" of someone else is the same number.
    let q = f.person("Lê Văn Hùng", "001088000004", 1988, false);
    assert_refused(
        raw.execute("INSERT INTO identity_doc (person_id, kind, number) VALUES (?1, 'personal_id', '001190000001')", [&q]),
        "UNIQUE constraint failed",
    );
    let err = f
        .ledger
        .add_identity(&q, IdKind::PersonalId, "001190000001", &f.officer)
        .unwrap_err();
    assert_eq!(err.code(), "identity_taken");
    assert!(
        err.to_string().contains("Nguyễn Thị Hương"),
        "names the holder: {err}"
    );
}

#[test]
fn verify_finds_an_audit_row_edited_behind_the_apps_back() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let c = f.suspension_claim(&p, None);
    f.approve_and_pay(&[c]);
    let clean = f.ledger.verify().unwrap();
    assert!(clean.audit_rows >= 6);
    assert!(clean.problems.is_empty(), "{:?}", clean.problems);
    let raw = f.raw();
    // Someone with a DB browser drops the guard and rewrites history: verify names both, the dropped guard
    // and the first row whose hash no longer holds.
    raw.execute_batch("DROP TRIGGER audit_immutable_update; UPDATE audit_log SET actor = 'người khác' WHERE seq = 3;").unwrap();
    let report = f.ledger.verify().unwrap();
    let text = report.problems.join("\n");
    assert!(
        text.contains("Nhật ký kiểm toán bị sai lệch tại dòng 3"),
        "{text}"
    );
    assert!(text.contains("audit_immutable_update"), "{text}");
}

#[test]
fn the_fatherland_front_top_up_excludes_people_under_resolution_68() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Văn Tự", "001085000005", 1985, false);
    let mut facts = ClaimFacts {
        from: Some(day("24/07/2021")),
        ..Default::default()
    };
    facts.flags.insert("resident_hanoi".into(), true);
    f.ledger
        .add_claim(
            &NewClaim {
                policy: "hn-3642-freelance".into(),
                subject: ClaimSubject::Person(p.clone()),
                applicant: None,
                facts,
            },
            &f.officer,
        )
        .unwrap();
    let err = f
        .ledger
        .add_claim(
            &NewClaim {
                policy: "mttq-topup".into(),
                subject: ClaimSubject::Person(p),
                applicant: None,
                facts: ClaimFacts::default(),
            },
            &f.officer,
        )
        .unwrap_err();
    assert_eq!(err.code(), "excluded_by_policy");
}

#[test]
fn what_a_claim_was_priced_on_cannot_be_rewritten() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let c = f.suspension_claim(&p, Some(child()));
    let raw = f.raw();
    for sql in [
        "UPDATE claim SET facts = '{}'",
        "UPDATE claim SET breakdown = '[]'",
        "UPDATE claim SET recorded_by = 'người khác'",
        "UPDATE claim_once SET subject_key = 'x'",
        "DELETE FROM claim_once",
    ] {
        assert_refused(raw.execute(sql, []), "ledger_immutable");
    }
    // A once-only subject cannot be slipped onto a claim after it was listed.
    f.ledger
        .create_list("Đợt thử", &[], std::slice::from_ref(&c), &f.officer)
        .unwrap();
    assert_refused(
        raw.execute("INSERT INTO claim_once (claim_id, once_group, subject_key, amount) VALUES (?1, 'g', 's', 1)", [&c]),
        "list_locked",
    );
}

#[test]
fn a_12_digit_cmnd_is_the_same_number_as_the_cccd() {
    let mut f = Fixture::new();
    f.person("Nguyễn Văn Tự", "001085000005", 1985, false);
    let err = f
        .ledger
        .add_person(
            &NewPerson {
                full_name: "Nguyen Van Tu".into(),
                ids: vec![IdentityDoc {
                    kind: IdKind::Cmnd,
                    number: "001085000005".into(),
                }],
                ..Default::default()
            },
            &f.officer,
        )
        .unwrap_err();
    assert_eq!(err.code(), "identity_taken");
    let q = f.person("Lê Văn Hùng", "001088000004", 1988, false);
    assert_refused(
        f.raw().execute("INSERT INTO identity_doc (person_id, kind, number) VALUES (?1, 'cmnd', '001085000005')", [&q]),
        "UNIQUE constraint failed",
    );
}

#[test]
fn nobody_promotes_themself_and_an_officer_cannot_reverse() {
    let mut f = Fixture::new();
    assert_eq!(
        f.ledger
            .set_operator("officer", Role::Admin, &f.officer)
            .unwrap_err()
            .code(),
        "role_required"
    );
    assert_eq!(
        f.ledger
            .set_operator("ban-than", Role::Approver, &f.officer)
            .unwrap_err()
            .code(),
        "role_required"
    );
    assert_eq!(
        f.ledger
            .set_operator("admin", Role::Officer, &f.admin)
            .unwrap_err()
            .code(),
        "invalid_input"
    );
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let c = f.suspension_claim(&p, None);
    f.approve_and_pay(std::slice::from_ref(&c));
    let payout = f.ledger.live_payout_of(&c).unwrap().unwrap();
    // Neither the officer who paid nor another officer reverses, in the core or past it.
    let other = common::add(&mut f.ledger, &f.admin, "officer-2", Role::Officer);
    for officer in [&f.officer, &other] {
        assert_eq!(
            f.ledger
                .reverse(&payout, "Chi nhầm người nhận", day("16/08/2021"), officer)
                .unwrap_err()
                .code(),
            "role_required"
        );
    }
    assert_refused(
        f.raw().execute("INSERT INTO reversal (id, payout_id, reason, officer, reversed_on, recorded_at) VALUES ('r', ?1, 'Chi nhầm người', 'officer-2', '2021-08-16', 'now')", [&payout]),
        "role_required",
    );
    // The payer is refused past the core too (as the one who paid, whatever their role).
    assert_refused(
        f.raw().execute("INSERT INTO reversal (id, payout_id, reason, officer, reversed_on, recorded_at) VALUES ('r', ?1, 'Chi nhầm người', 'officer', '2021-08-16', 'now')", [&payout]),
        "reverser_is_payer",
    );
}

#[test]
fn verify_finds_duplicate_payouts_written_after_dropping_the_guards() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let c = f.suspension_claim(&p, Some(child()));
    f.approve_and_pay(&[c]);
    let clean = f.ledger.verify().unwrap();
    assert!(clean.problems.is_empty(), "{:?}", clean.problems);
    let raw = f.raw();
    raw.execute_batch("DROP TRIGGER payout_guard; DROP TRIGGER payout_once_guard;")
        .unwrap();
    raw.execute(SECOND_PAYOUT, []).unwrap();
    let report = f.ledger.verify().unwrap();
    let text = report.problems.join("\n");
    assert!(text.contains("Hai khoản chi còn hiệu lực"), "{text}");
    assert!(
        text.contains("Khoản hỗ trợ một lần được chi hai lần"),
        "{text}"
    );
    assert!(text.contains("payout_guard"), "{text}");
}

#[test]
fn a_child_listed_with_and_without_an_id_is_still_one_child() {
    let mut f = Fixture::new();
    let mother = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let father = f.person("Lê Văn Hùng", "001088000004", 1988, false);
    let first = f.suspension_claim(&mother, Some(child()));
    let without_id = ChildFact {
        id_number: None,
        ..child()
    };
    // The father names the child without an ID: still the same child, so his claim carries no supplement.
    let fathers = f
        .ledger
        .add_claim(
            &NewClaim {
                policy: "68-suspension".into(),
                subject: ClaimSubject::Person(father),
                applicant: None,
                facts: suspension_facts(Some(without_id)),
            },
            &f.officer,
        )
        .unwrap();
    assert!(!fathers.lines.iter().any(|l| l.label.contains("con dưới 6")));
    assert!(fathers.notes.iter().any(|n| n.contains(&first[..8])));
    // Two different children who share a name and a birthday, each with their own ID, are two children.
    let twin_name = ChildFact {
        id_number: Some("001319000888".into()),
        ..child()
    };
    let other_parent = f.person("Đỗ Thị Mai", "001192000009", 1992, true);
    let second = f.suspension_claim(&other_parent, Some(twin_name));
    // ... and both are paid: the name-and-birthday key is for meeting a claim without an ID, not a second
    // child with an ID of their own (a million-person district has such namesakes).
    let list = f.approve_and_pay(&[first, second]);
    let paid: i64 = f
        .raw()
        .query_row(
            "SELECT count(*) FROM payout WHERE list_id = ?1",
            [&list],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(paid, 2);
    // A child's ID number is validated like any other (here: born 2019, but the number says 2018).
    let bad = ChildFact {
        id_number: Some("001218000777".into()),
        ..child()
    };
    let q = f.person("Phạm Văn Nam", "001087000006", 1987, false);
    let err = f
        .ledger
        .add_claim(
            &NewClaim {
                policy: "68-suspension".into(),
                subject: ClaimSubject::Person(q),
                applicant: None,
                facts: suspension_facts(Some(bad)),
            },
            &f.officer,
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_identity");
}

#[test]
fn the_registry_birth_date_decides_age_tests() {
    let mut f = Fixture::new();
    let adult = f.person("Nguyễn Văn Tự", "001085000005", 1985, false);
    let mut facts = ClaimFacts {
        from: Some(day("01/08/2021")),
        to: Some(day("21/08/2021")),
        dob: Some(day("01/01/2010")),
        ..Default::default()
    };
    facts.flags.insert("quarantine_decision".into(), true);
    let err = f
        .ledger
        .add_claim(
            &NewClaim {
                policy: "68-f1".into(),
                subject: ClaimSubject::Person(adult.clone()),
                applicant: None,
                facts: facts.clone(),
            },
            &f.officer,
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    facts.dob = None;
    let c = f
        .ledger
        .add_claim(
            &NewClaim {
                policy: "68-f1".into(),
                subject: ClaimSubject::Person(adult),
                applicant: None,
                facts,
            },
            &f.officer,
        )
        .unwrap();
    assert_eq!(
        c.amount,
        Money::from_dong(21 * 80_000),
        "no child supplement for a man born in 1985"
    );
}

/// The MTTQ top-up excludes Resolution 68 support one way (pack 2021.11-r3, rule-audit.md finding 4): the
/// top-up is refused to someone with a Res. 68 claim; a Res. 68 claim after a top-up is priced, and the
/// top-up is named for review (a fund's top-up does not take away a right under a Government resolution).
#[test]
fn the_top_up_exclusion_runs_one_way() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Văn Tự", "001085000005", 1985, false);
    let topup = f
        .ledger
        .add_claim(
            &NewClaim {
                policy: "mttq-topup".into(),
                subject: ClaimSubject::Person(p.clone()),
                applicant: None,
                facts: ClaimFacts::default(),
            },
            &f.officer,
        )
        .unwrap();
    let mut facts = ClaimFacts {
        from: Some(day("01/08/2021")),
        to: Some(day("21/08/2021")),
        ..Default::default()
    };
    facts.flags.insert("quarantine_decision".into(), true);
    let f1 = f
        .ledger
        .add_claim(
            &NewClaim {
                policy: "68-f1".into(),
                subject: ClaimSubject::Person(p.clone()),
                applicant: None,
                facts,
            },
            &f.officer,
        )
        .unwrap();
    assert_eq!(f1.amount, Money::from_dong(1_680_000));
    assert!(
        f1.notes
            .iter()
            .any(|n| n.contains(&topup.id[..8]) && n.contains("thu hồi")),
        "{:?}",
        f1.notes
    );
    // The other order: a top-up for someone with Res. 68 support is refused.
    let q = f.person("Lê Thị Tâm", "001185000006", 1985, true);
    let mut facts = ClaimFacts {
        from: Some(day("01/08/2021")),
        to: Some(day("21/08/2021")),
        ..Default::default()
    };
    facts.flags.insert("quarantine_decision".into(), true);
    f.ledger
        .add_claim(
            &NewClaim {
                policy: "68-f1".into(),
                subject: ClaimSubject::Person(q.clone()),
                applicant: None,
                facts,
            },
            &f.officer,
        )
        .unwrap();
    let err = f
        .ledger
        .add_claim(
            &NewClaim {
                policy: "mttq-topup".into(),
                subject: ClaimSubject::Person(q),
                applicant: None,
                facts: ClaimFacts::default(),
            },
            &f.officer,
        )
        .unwrap_err();
    assert_eq!(err.code(), "excluded_by_policy");
}

#[test]
fn a_household_or_group_registered_twice_is_refused() {
    let mut f = Fixture::new();
    let owner = f.person("Trần Văn Nam", "001085000002", 1985, false);
    f.ledger
        .add_household("Hộ KD Bánh cuốn", Some(&owner), None, None, &f.officer)
        .unwrap();
    let err = f
        .ledger
        .add_household("Ho kd banh cuon", Some(&owner), None, None, &f.officer)
        .unwrap_err();
    assert!(
        err.to_string().contains("đã là chủ một hộ kinh doanh"),
        "one business household per head: {err}"
    );
    f.ledger
        .add_group(
            "Nhóm trẻ Hoa Sen",
            "preschool",
            Some(&owner),
            None,
            &f.officer,
        )
        .unwrap();
    let err = f
        .ledger
        .add_group(
            "Nhom tre hoa sen",
            "preschool",
            Some(&owner),
            None,
            &f.officer,
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("đã có trong sổ"), "{err}");
}

#[test]
fn verify_reprices_every_claim_with_the_pack_that_priced_it() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    f.suspension_claim(&p, None);
    assert!(f.ledger.verify().unwrap().problems.is_empty());
    // A claim written past the core, with a breakdown that adds up to an amount no rule gives.
    let q = f.person("Lê Văn Hùng", "001088000004", 1988, false);
    f.raw()
        .execute(
            &format!(
                "INSERT INTO claim (id, policy_code, unit, person_id, beneficiary_key, facts, pack_id, pack_version, rule_amount, breakdown, recorded_by, recorded_at)
                 SELECT 'raw-claim', policy_code, unit, '{q}', 'P:{q}', facts, pack_id, pack_version, 99000000,
                        json_array(json_object('label', 'x', 'amount', 99000000, 'basis', 'x', 'confidence', 'confirmed')), 'officer', 'now' FROM claim"
            ),
            [],
        )
        .unwrap();
    let text = f.ledger.verify().unwrap().problems.join("\n");
    assert!(
        text.contains("raw-claim") && text.contains("sổ ghi 99000000, quy tắc cho 3710000"),
        "{text}"
    );
}

/// Issue 14: the pack's version changed (2021.11-r3 reads "01 tháng" as 30 days). A claim priced under the
/// older version keeps its amount, and verify re-prices it with the version that priced it (kept in the
/// ledger), while a new claim with the same facts is priced by the new version.
#[test]
fn claims_priced_by_an_older_pack_keep_their_amounts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("so.sqlite");
    // The older reading: a calendar month (what 2021.11-r2 did), under a version of its own.
    let old_text = relief_ledger::rules::DEFAULT_PACK_TOML
        .replacen(
            "version = \"2021.11-r3\"",
            "version = \"2021.11-r2-test\"",
            1,
        )
        .replacen(
            "{ min_days = 30, amount = 3710000,",
            "{ min_days = 15, min_months = 1, amount = 3710000,",
            1,
        );
    assert_ne!(old_text, relief_ledger::rules::DEFAULT_PACK_TOML);
    let old_pack = relief_ledger::rules::RulePack::parse(&old_text, "old.toml").unwrap();
    let leave = || {
        let mut f = ClaimFacts {
            from: Some(day("01/07/2021")),
            to: Some(day("30/07/2021")),
            ..Default::default()
        };
        f.flags.insert("social_insurance".into(), true);
        f.flags.insert("employer_suspended".into(), true);
        f
    };
    let person = |l: &mut Ledger, officer: &Actor, name: &str, cccd: &str| {
        l.add_person(
            &NewPerson {
                full_name: name.into(),
                dob: Some(Dob::Day(day("01/01/1990"))),
                sex: Some(Sex::Female),
                ids: vec![IdentityDoc {
                    kind: IdKind::Cccd,
                    number: cccd.into(),
                }],
                ..Default::default()
            },
            officer,
        )
        .unwrap()
        .id
    };
    let old_claim = {
        let mut l = Ledger::open_with_pack(&path, old_pack, old_text.clone()).unwrap();
        let t = common::team(&mut l, &common::giang_bien_office());
        let p = person(&mut l, &t.officer, "Nguyễn Thị Hoa", "001190000011");
        l.add_claim(
            &NewClaim {
                policy: "68-suspension".into(),
                subject: ClaimSubject::Person(p),
                applicant: None,
                facts: leave(),
            },
            &t.officer,
        )
        .unwrap()
    };
    assert_eq!(old_claim.amount, Money::from_dong(1_855_000));
    let mut l = Ledger::open(&path).unwrap();
    let officer = l.sign_in("officer", common::PW).unwrap();
    let q = person(&mut l, &officer, "Trần Thị Lụa", "001190000012");
    let new_claim = l
        .add_claim(
            &NewClaim {
                policy: "68-suspension".into(),
                subject: ClaimSubject::Person(q),
                applicant: None,
                facts: leave(),
            },
            &officer,
        )
        .unwrap();
    assert_eq!(new_claim.amount, Money::from_dong(3_710_000));
    assert_eq!(new_claim.pack_version, "2021.11-r3");
    assert_eq!(
        l.claim(&old_claim.id).unwrap().amount,
        Money::from_dong(1_855_000)
    );
    let report = l.verify().unwrap();
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
}

/// Issue 14, "confidence where money is approved": a line whose amount rests on an unconfirmed reading (the
/// 30-day month) or on a check not done (no filing date) is marked on the list the approver reads, on the
/// posting list and the payout sheet (with a footnote naming each part), and in the claims register.
#[test]
fn unconfirmed_parts_show_where_money_is_approved_and_signed() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let c = f.suspension_claim(&p, None);
    let list = f
        .ledger
        .create_list("Đợt thử", &[], std::slice::from_ref(&c), &f.officer)
        .unwrap()
        .id;
    let items = f.ledger.list_items(&list).unwrap();
    assert!(
        items[0]
            .unconfirmed
            .iter()
            .any(|u| u.contains("30 ngày") && u.contains("CHƯA XÁC NHẬN")),
        "{:?}",
        items[0].unconfirmed
    );
    assert!(items[0]
        .unconfirmed
        .iter()
        .any(|u| u.contains("Chưa kiểm tra: hạn nộp")));
    f.ledger
        .post_list(&list, day("01/08/2021"), &f.officer)
        .unwrap();
    for html in [
        relief_ledger::export::posting_list_html(&f.ledger, &list).unwrap(),
        relief_ledger::export::payout_sheet_html(&f.ledger, &list).unwrap(),
    ] {
        assert!(html.contains("3.710.000 (*)"), "the amount is marked");
        assert!(
            html.contains("chưa được văn bản xác nhận"),
            "with its footnote"
        );
        assert!(html.contains("Từ 01 tháng (30 ngày) trở lên: CHƯA XÁC NHẬN — 1 dòng"));
    }
    let mut csv = Vec::new();
    relief_ledger::export::export_csv(
        &f.ledger,
        &relief_ledger::export::ExportKind::Claims,
        b',',
        &mut csv,
    )
    .unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.contains("Phần chưa xác nhận"));
    assert!(csv.contains("Từ 01 tháng (30 ngày) trở lên: CHƯA XÁC NHẬN"));
}

/// The payouts export marks a payout whose claim has an unconfirmed part (the parts are in the claims register).
#[test]
fn the_payouts_export_marks_amounts_with_unconfirmed_parts() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let c = f.suspension_claim(&p, None);
    f.approve_and_pay(&[c]);
    let mut csv = Vec::new();
    relief_ledger::export::export_csv(
        &f.ledger,
        &relief_ledger::export::ExportKind::Payouts { list: None },
        b',',
        &mut csv,
    )
    .unwrap();
    let mut reader = csv::Reader::from_reader(&csv[3..]);
    let header = reader.headers().unwrap().clone();
    let at = header
        .iter()
        .position(|h| h == "Phần chưa xác nhận")
        .unwrap();
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[at], "có (xem sổ hồ sơ)");
}

/// The raw write that approves `list` on `decision_date`, as another program would.
fn raw_approval(list: &str, decision_date: &str) -> String {
    format!(
        "INSERT INTO approval (list_id, decision_no, decision_date, approved_by, approved_at)
         VALUES ('{list}', '9/QĐ', '{decision_date}', 'approver', 'now')"
    )
}

#[test]
fn the_days_run_in_order_posting_decision_payout_reversal_today() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let c = f.suspension_claim(&p, None);
    let list = f
        .ledger
        .create_list("Đợt thử", &[], std::slice::from_ref(&c), &f.officer)
        .unwrap()
        .id;
    let tomorrow = relief_ledger::dates::today_vn().succ_opt().unwrap();
    // A posting is not dated in the future; the core says which day and why.
    let err = f.ledger.post_list(&list, tomorrow, &f.officer).unwrap_err();
    assert_eq!(err.code(), "date_out_of_order");
    assert!(err.to_string().starts_with("Ngày niêm yết"), "{err}");
    // Past the core: a posting without its day, or with a day still to come.
    let raw = f.raw();
    assert_refused(
        raw.execute(
            "UPDATE claim_list SET posted_by = 'officer', posted_at = 'now' WHERE id = ?1",
            [&list],
        ),
        "date_out_of_order:posting",
    );
    assert_refused(
        raw.execute(
            "UPDATE claim_list SET posted_by = 'officer', posted_at = 'now', posted_on = ?2 WHERE id = ?1",
            params![list, tomorrow.to_string()],
        ),
        "date_out_of_order:posting",
    );
    assert_refused(
        raw.execute(
            "INSERT INTO claim_list (id, name, created_by, created_at, posted_by, posted_at)
             VALUES ('raw-list', 'x', 'officer', 'now', 'officer', 'now')",
            [],
        ),
        "date_out_of_order:posting",
    );
    f.ledger
        .post_list(&list, day("05/08/2021"), &f.officer)
        .unwrap();
    assert_eq!(
        f.ledger.list(&list).unwrap().posted_on.as_deref(),
        Some("2021-08-05")
    );
    // The posting day is set once.
    assert_refused(
        raw.execute(
            "UPDATE claim_list SET posted_on = '2021-08-01' WHERE id = ?1",
            [&list],
        ),
        "ledger_immutable",
    );

    // A decision dated before its own posting (the officer's 20/09 for a list posted later) is refused by
    // the core with both days, and by the schema.
    let err = f
        .ledger
        .approve_list(&list, "12/QĐ-UBND", day("04/08/2021"), &f.approver)
        .unwrap_err();
    assert_eq!(err.code(), "date_out_of_order");
    assert!(
        err.to_string()
            .contains("04/08/2021 không hợp lệ: phải từ ngày niêm yết (05/08/2021)"),
        "{err}"
    );
    assert_refused(
        raw.execute(&raw_approval(&list, "2021-08-04"), []),
        "date_out_of_order:decision",
    );
    assert_refused(
        raw.execute(&raw_approval(&list, &tomorrow.to_string()), []),
        "date_out_of_order:decision",
    );
    f.ledger
        .approve_list(&list, "12/QĐ-UBND", day("05/08/2021"), &f.approver)
        .unwrap();

    // Paid before the decision, or in the future: refused.
    for bad in [day("04/08/2021"), tomorrow] {
        let err = f
            .ledger
            .pay(&list, None, bad, "cash", &f.officer)
            .unwrap_err();
        assert_eq!(err.code(), "date_out_of_order", "{bad}");
    }
    let payout_row = |paid_on: &str| {
        format!(
            "INSERT INTO payout (id, claim_id, list_id, beneficiary_key, policy_code, amount, pack_version, paid_on, method, officer, recorded_at)
             SELECT 'raw-pay', id, '{list}', beneficiary_key, policy_code, rule_amount, pack_version, '{paid_on}', 'cash', 'officer', 'now'
               FROM claim WHERE id = '{c}'"
        )
    };
    assert_refused(
        raw.execute(&payout_row("2021-08-04"), []),
        "date_out_of_order:payout",
    );
    assert_refused(
        raw.execute(&payout_row(&tomorrow.to_string()), []),
        "date_out_of_order:payout",
    );
    f.ledger
        .pay(&list, None, day("10/08/2021"), "cash", &f.officer)
        .unwrap();
    let payout = f.ledger.live_payout_of(&c).unwrap().unwrap();

    // Reversed before it was paid, or in the future: refused.
    for bad in [day("09/08/2021"), tomorrow] {
        let err = f
            .ledger
            .reverse(&payout, "Chi nhầm người nhận", bad, &f.approver)
            .unwrap_err();
        assert_eq!(err.code(), "date_out_of_order", "{bad}");
    }
    let reversal_row = |on: &str| {
        format!(
            "INSERT INTO reversal (id, payout_id, reason, officer, reversed_on, recorded_at)
             VALUES ('raw-rev', '{payout}', 'Chi nhầm người nhận', 'approver', '{on}', 'now')"
        )
    };
    assert_refused(
        raw.execute(&reversal_row("2021-08-09"), []),
        "date_out_of_order:reversal",
    );
    assert_refused(
        raw.execute(&reversal_row(&tomorrow.to_string()), []),
        "date_out_of_order:reversal",
    );
    f.ledger
        .reverse(
            &payout,
            "Chi nhầm người nhận",
            day("10/08/2021"),
            &f.approver,
        )
        .unwrap();
    assert!(f.ledger.verify().unwrap().problems.is_empty());
}

#[test]
fn verify_finds_days_out_of_order_written_after_dropping_the_guards() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let c = f.suspension_claim(&p, None);
    let list = f.approve_and_pay(std::slice::from_ref(&c));
    assert!(f.ledger.verify().unwrap().problems.is_empty());
    // Someone drops the guards and moves the decision before the posting and the payout before the decision.
    f.raw()
        .execute_batch(&format!(
            "DROP TRIGGER approval_immutable_update; DROP TRIGGER payout_immutable_update;
             UPDATE approval SET decision_date = '2021-07-20' WHERE list_id = '{list}';
             UPDATE payout SET paid_on = '2021-07-19';"
        ))
        .unwrap();
    let problems = f.ledger.verify().unwrap().problems;
    for want in [
        "Ngày quyết định trước ngày niêm yết danh sách",
        "Ngày chi trước ngày quyết định phê duyệt",
    ] {
        assert!(
            problems.iter().any(|p| p.starts_with(want)),
            "{want}: {problems:?}"
        );
    }
}

#[test]
fn a_listed_claim_is_neither_withdrawn_nor_corrected() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let c = f.suspension_claim(&p, None);
    f.ledger
        .create_list("Đợt thử", &[], std::slice::from_ref(&c), &f.officer)
        .unwrap();
    let err = f
        .ledger
        .withdraw_claim(&c, "Người dân xin rút", &f.officer)
        .unwrap_err();
    assert_eq!(err.code(), "claim_listed");
    let err = f
        .ledger
        .correct_claim(
            &c,
            &suspension_facts(Some(child())),
            "Bổ sung con",
            &f.officer,
        )
        .unwrap_err();
    assert_eq!(err.code(), "claim_listed");
    assert_refused(
        f.raw().execute(
            "INSERT INTO claim_withdrawal (claim_id, kind, reason, officer, recorded_at)
             VALUES (?1, 'withdrawn', 'Người dân xin rút', 'officer', 'now')",
            [&c],
        ),
        "claim_listed",
    );
    assert!(!f.ledger.claim_detail(&c).unwrap().changeable);
}

#[test]
fn withdrawn_claims_stay_closed_and_their_rows_are_append_only() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let c = f.suspension_claim(&p, None);
    let err = f.ledger.withdraw_claim(&c, "rút", &f.officer).unwrap_err();
    assert_eq!(
        err.code(),
        "invalid_input",
        "a reason of at least 5 characters"
    );
    f.ledger
        .withdraw_claim(&c, "Người dân xin rút hồ sơ", &f.officer)
        .unwrap();
    let d = f.ledger.claim_detail(&c).unwrap();
    assert_eq!(d.claim.status, "withdrawn");
    assert_eq!(d.closed.as_ref().unwrap().kind, "withdrawn");
    assert!(!d.changeable);
    // Never listed, never paid; the beneficiary may claim again.
    assert_eq!(
        f.ledger
            .create_list("Đợt thử", &[], &[], &f.officer)
            .unwrap_err()
            .code(),
        "invalid_input"
    );
    let again = f.suspension_claim(&p, None);
    assert_ne!(again, c);
    let raw = f.raw();
    for sql in [
        "UPDATE claim_withdrawal SET reason = 'lý do khác đi'",
        "DELETE FROM claim_withdrawal",
    ] {
        assert_refused(raw.execute(sql, []), "ledger_immutable");
    }
    // An accountant may not withdraw a claim; nor may anyone past the core.
    assert_refused(
        raw.execute(
            "INSERT INTO claim_withdrawal (claim_id, kind, reason, officer, recorded_at)
             VALUES (?1, 'withdrawn', 'Người dân xin rút', 'nobody', 'now')",
            [&again],
        ),
        "role_required",
    );
    // A closed claim is not withdrawn twice.
    assert_refused(
        raw.execute(
            "INSERT INTO claim_withdrawal (claim_id, kind, reason, officer, recorded_at)
             VALUES (?1, 'withdrawn', 'Lần thứ hai', 'officer', 'now')",
            [&c],
        ),
        "ledger_immutable",
    );
    let audit = f.ledger.recent_audit(5).unwrap();
    assert!(audit.iter().any(|e| e.action == "withdraw_claim"
        && e.text.contains("Rút hồ sơ")
        && e.text.contains("Nguyễn Thị Hương")
        && e.text.contains("Người dân xin rút hồ sơ")));
    assert!(f.ledger.verify().unwrap().problems.is_empty());
}

#[test]
fn a_correction_is_the_claim_recorded_again_and_priced_again() {
    let mut f = Fixture::new();
    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let c = f.suspension_claim(&p, None);
    let before = f.ledger.claim(&c).unwrap().amount;
    // Nothing changed: nothing to correct.
    let err = f
        .ledger
        .correct_claim(&c, &suspension_facts(None), "Sửa cho đúng", &f.officer)
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    // Facts that are not eligible: refused with every reason, and nothing changes.
    let mut short = suspension_facts(None);
    short.to = Some(day("05/07/2021"));
    let err = f
        .ledger
        .correct_claim(&c, &short, "Sửa ngày kết thúc", &f.officer)
        .unwrap_err();
    assert_eq!(err.code(), "not_eligible");
    assert_eq!(f.ledger.claim(&c).unwrap().status, "received");
    // The child forgotten at intake: the claim is recorded again with her, priced again.
    let new = f
        .ledger
        .correct_claim(
            &c,
            &suspension_facts(Some(child())),
            "Bổ sung con dưới 6 tuổi",
            &f.officer,
        )
        .unwrap();
    assert_ne!(new.id, c);
    assert_eq!(new.amount, before + Money::from_dong(1_000_000));
    let old = f.ledger.claim_detail(&c).unwrap();
    assert_eq!(old.claim.status, "corrected");
    assert_eq!(
        old.closed.unwrap().replaced_by.as_deref(),
        Some(new.id.as_str())
    );
    let fresh = f.ledger.claim_detail(&new.id).unwrap();
    assert_eq!(fresh.corrects.as_deref(), Some(c.as_str()));
    assert!(fresh.changeable);
    // What the old claim was priced on is still there, unchanged.
    let (amount, facts): (i64, String) = f
        .raw()
        .query_row(
            "SELECT rule_amount, facts FROM claim WHERE id = ?1",
            [&c],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(Money::from_dong(amount), before);
    assert!(!facts.contains("Nguyễn Minh An"));
    // Past the core, a correction pointing to another person's claim is refused by nobody but verify finds it.
    let audit = f.ledger.recent_audit(1).unwrap();
    assert_eq!(audit[0].action, "correct_claim");
    assert!(
        audit[0].text.contains("con dưới 6 tuổi"),
        "{}",
        audit[0].text
    );
    assert!(audit[0].text.contains("→"), "{}", audit[0].text);
    // Only the new claim is listed and paid.
    let list = f.approve_and_pay(std::slice::from_ref(&new.id));
    assert_eq!(f.ledger.list(&list).unwrap().claims, 1);
    assert!(f.ledger.verify().unwrap().problems.is_empty());
}

#[test]
fn the_office_names_are_correctable_until_the_first_decision() {
    let mut f = Fixture::new();
    use relief_ledger::ledger::Office;
    // Typed with its "Phường", the ward prints once.
    let typed = Office {
        ward: "Phường  Giang Biên".into(),
        district: "Quận Long Biên".into(),
        city: "Hà Nội".into(),
    };
    let names = typed.names();
    assert_eq!(names.office.ward, "Giang Biên");
    assert_eq!(names.heading[1], "UBND PHƯỜNG GIANG BIÊN");
    assert_eq!(names.heading[0], "UBND QUẬN LONG BIÊN");
    assert_eq!(names.line, "Phường Giang Biên · Quận Long Biên · Hà Nội");
    let commune = Office {
        ward: "Xã Đông Dư".into(),
        district: "Huyện Gia Lâm".into(),
        city: "Hà Nội".into(),
    };
    assert_eq!(commune.names().heading[1], "UBND XÃ ĐÔNG DƯ");
    assert_eq!(commune.names().heading[0], "UBND HUYỆN GIA LÂM");
    assert_eq!(
        Office {
            ward: "P.Giang Biên".into(),
            ..typed.clone()
        }
        .normalised()
        .ward,
        "Giang Biên"
    );

    // Only an admin corrects them.
    let err = f.ledger.correct_office(&typed, &f.officer).unwrap_err();
    assert_eq!(err.code(), "role_required");
    let stored = f.ledger.correct_office(&typed, &f.admin).unwrap();
    assert_eq!(stored.ward, "Giang Biên");
    assert!(f.ledger.office_correctable().unwrap());
    let text = &f.ledger.recent_audit(1).unwrap()[0].text;
    assert!(text.starts_with("Sửa tên đơn vị"), "{text}");

    let p = f.person("Nguyễn Thị Hương", "001190000001", 1990, true);
    let c = f.suspension_claim(&p, None);
    f.approve_and_pay(std::slice::from_ref(&c));
    assert!(!f.ledger.office_correctable().unwrap());
    let err = f.ledger.correct_office(&commune, &f.admin).unwrap_err();
    assert_eq!(err.code(), "office_locked");
    let raw = f.raw();
    assert_refused(
        raw.execute("UPDATE office SET ward = 'Việt Hưng'", []),
        "office_locked",
    );
    assert_refused(raw.execute("DELETE FROM office", []), "ledger_immutable");
    // The names as the log last recorded them, else verify says so.
    assert!(f.ledger.verify().unwrap().problems.is_empty());
    raw.execute_batch(
        "DROP TRIGGER office_names_until_a_decision; UPDATE office SET ward = 'Việt Hưng';",
    )
    .unwrap();
    let problems = f.ledger.verify().unwrap().problems;
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("Tên đơn vị khác lần ghi cuối")),
        "{problems:?}"
    );
}
