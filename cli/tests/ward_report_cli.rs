//! Rebuilds the Giang Biên ward report (reference seed 003, 28/09/2021) through the `relief` CLI, as an
//! office would: register people, record claims, build and approve a list, pay, and report. Then proves a
//! second payout is refused and a reversal (by the approver, never by the one who paid) followed by a
//! correct payout is accepted. Every command signs in: `--as` with the password in RELIEF_PASSWORD.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

mod common;

/// Sets the ledger up (and so is its admin), records the claims, builds, posts and pays the list.
const OFFICER: &str = "Trần Thị Lan";
const APPROVER: &str = "Phó Chủ tịch Đào Mạnh Trung";

fn relief(db: &Path, actor: &str, args: &[&str]) -> (i32, Value, String) {
    let mut cmd = common::relief_as(db, actor);
    cmd.arg("--json").args(args);
    run(cmd)
}

fn run(mut cmd: Command) -> (i32, Value, String) {
    let out = cmd.output().expect("relief runs");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(db: &Path, actor: &str, args: &[&str]) -> Value {
    let (code, json, err) = relief(db, actor, args);
    assert_eq!(code, 0, "relief {args:?} failed: {json} {err}");
    json
}

/// A valid CCCD for a Hà Nội resident born in `year`, unique per `n`.
fn cccd(n: usize, year: i32, female: bool) -> String {
    let digit = (year - 1900) / 100 * 2 + i32::from(female);
    format!("001{digit}{:02}{:06}", year % 100, 100_000 + n)
}

fn add_person(db: &Path, n: usize, name: &str, dob_year: i32, female: bool) -> String {
    let id = cccd(n, dob_year, female);
    let dob = format!("15/06/{dob_year}");
    ok(
        db,
        OFFICER,
        &[
            "person",
            "add",
            "--name",
            name,
            "--dob",
            &dob,
            "--sex",
            if female { "Nữ" } else { "Nam" },
            "--cccd",
            &id,
            "--residential-group",
            &format!("Tổ {}", n % 12 + 1),
        ],
    );
    id
}

fn by_policy(summary: &Value, status: &str, pred: impl Fn(&str) -> bool) -> (i64, i64) {
    summary["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == status && pred(r["policy"].as_str().unwrap()))
        .fold((0, 0), |(c, t), r| {
            (
                c + r["count"].as_i64().unwrap(),
                t + r["total"].as_i64().unwrap(),
            )
        })
}

#[test]
fn rebuilds_the_giang_bien_ward_report_and_refuses_a_second_payout() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("giang-bien.sqlite");
    ok(
        &db,
        OFFICER,
        &[
            "init",
            "--ward",
            "Giang Biên",
            "--district",
            "Long Biên",
            "--city",
            "Hà Nội",
        ],
    );
    // The approver's first password comes from RELIEF_NEW_PASSWORD.
    let mut add = common::relief_as(&db, OFFICER);
    add.env("RELIEF_NEW_PASSWORD", common::PW)
        .args(["--json", "operator", "add", APPROVER, "--role", "approver"]);
    let (code, json, err) = run(add);
    assert_eq!(code, 0, "operator add failed: {json} {err}");

    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };
    // 123 freelance workers (Hanoi Decision 3642, "theo nghị quyết 68"): 1.500.000 đ each.
    let mut freelance_ids = Vec::new();
    for _ in 0..123 {
        let k = next();
        let id = add_person(&db, k, &name_for(k), 1985, false);
        ok(
            &db,
            OFFICER,
            &[
                "claim",
                "add",
                "--policy",
                "hn-3642-freelance",
                "--id-number",
                &id,
                "--from",
                "24/07/2021",
                "--fact",
                "resident_hanoi=yes",
            ],
        );
        freelance_ids.push(id);
    }
    // 333 cases under Resolution 15, across its groups: 1.000.000 đ each.
    for (policy, count, year) in [
        ("hn-15-meritorious", 150, 1950),
        ("hn-15-social-protection", 120, 1970),
        ("hn-15-poor", 40, 1975),
        ("hn-15-near-poor", 23, 1980),
    ] {
        for _ in 0..count {
            let k = next();
            let id = add_person(&db, k, &name_for(k), year, true);
            ok(
                &db,
                OFFICER,
                &["claim", "add", "--policy", policy, "--id-number", &id],
            );
        }
    }
    // 5 independent preschool groups: 3.000.000 đ each.
    for i in 0..5 {
        let k = next();
        let owner_cccd = add_person(&db, k, &name_for(k), 1988, true);
        let owner = ok(&db, OFFICER, &["person", "find", &owner_cccd]);
        let owner_id = owner[0]["id"].as_str().unwrap().to_string();
        let group = ok(
            &db,
            OFFICER,
            &[
                "group",
                "add",
                "--name",
                &format!("Nhóm trẻ Hoa Sen {}", i + 1),
                "--owner",
                &owner_id,
            ],
        );
        ok(
            &db,
            OFFICER,
            &[
                "claim",
                "add",
                "--policy",
                "hn-15-preschool-group",
                "--group",
                group["id"].as_str().unwrap(),
                "--from",
                "24/07/2021",
                "--to",
                "15/09/2021",
            ],
        );
    }
    // 5 F1 at the 21-day cap, one of them a child under 16: 5 × 21 × 80.000 + 1.000.000 = 9.400.000 đ.
    for i in 0..5 {
        let k = next();
        let child = i == 4;
        let id = add_person(&db, k, &name_for(k), if child { 2012 } else { 1990 }, false);
        ok(
            &db,
            OFFICER,
            &[
                "claim",
                "add",
                "--policy",
                "68-f1",
                "--id-number",
                &id,
                "--from",
                "01/08/2021",
                "--to",
                "21/08/2021",
                "--fact",
                "quarantine_decision=yes",
            ],
        );
    }
    // 233 people outside Resolution 68, paid by the city Fatherland Front: 500.000 đ each.
    for _ in 0..233 {
        let k = next();
        let id = add_person(&db, k, &name_for(k), 1978, false);
        ok(
            &db,
            OFFICER,
            &["claim", "add", "--policy", "mttq-topup", "--id-number", &id],
        );
    }

    let list = ok(
        &db,
        OFFICER,
        &["list", "create", "--name", "Đợt 1 – tháng 9/2021"],
    );
    let list_id = list["id"].as_str().unwrap().to_string();
    assert_eq!(list["claims"], 699);
    ok(
        &db,
        OFFICER,
        &["list", "post", &list_id, "--date", "15/09/2021"],
    );

    // The recorder cannot approve their own list.
    let (code, json, _) = relief(
        &db,
        OFFICER,
        &[
            "approve",
            "--list",
            &list_id,
            "--decision",
            "125/QĐ-UBND",
            "--date",
            "20/09/2021",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(json["error"]["code"], "approver_is_recorder");
    assert!(json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Người phê duyệt phải khác"));

    ok(
        &db,
        APPROVER,
        &[
            "approve",
            "--list",
            &list_id,
            "--decision",
            "125/QĐ-UBND",
            "--date",
            "20/09/2021",
        ],
    );
    let paid = ok(
        &db,
        OFFICER,
        &["pay", "--list", &list_id, "--date", "25/09/2021"],
    );
    assert_eq!(paid["count"], 699);
    assert_eq!(
        paid["total"],
        184_500_000 + 333_000_000 + 15_000_000 + 9_400_000 + 116_500_000
    );

    let summary = ok(&db, OFFICER, &["report", "summary"]);
    assert_eq!(
        by_policy(&summary, "paid", |p| p == "hn-3642-freelance"),
        (123, 184_500_000)
    );
    assert_eq!(
        by_policy(&summary, "paid", |p| p.starts_with("hn-15-")
            && p != "hn-15-preschool-group"),
        (333, 333_000_000)
    );
    assert_eq!(
        by_policy(&summary, "paid", |p| p == "hn-15-preschool-group"),
        (5, 15_000_000)
    );
    assert_eq!(
        by_policy(&summary, "paid", |p| p == "68-f1"),
        (5, 9_400_000)
    );
    assert_eq!(
        by_policy(&summary, "paid", |p| p == "mttq-topup"),
        (233, 116_500_000)
    );

    // A second payout to someone already paid is refused, whichever way it is attempted.
    let person = ok(&db, OFFICER, &["person", "find", &freelance_ids[7]]);
    let detail = ok(
        &db,
        OFFICER,
        &["person", "show", person[0]["id"].as_str().unwrap()],
    );
    let claim_id = detail["claims"][0]["id"].as_str().unwrap().to_string();
    let (code, json, _) = relief(
        &db,
        OFFICER,
        &["pay", "--list", &list_id, "--claim", &claim_id],
    );
    assert_eq!(code, 1, "{json}");
    assert_eq!(json["error"]["code"], "duplicate_payout");
    let (code, json, _) = relief(
        &db,
        OFFICER,
        &[
            "claim",
            "add",
            "--policy",
            "hn-3642-freelance",
            "--id-number",
            &freelance_ids[7],
            "--from",
            "01/08/2021",
            "--fact",
            "resident_hanoi=yes",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(json["error"]["code"], "duplicate_claim");
    // The human message is Vietnamese and carries the code.
    let out = common::relief_as(&db, OFFICER)
        .args(["pay", "--list", &list_id, "--claim", &claim_id])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("[duplicate_payout]") && stderr.contains("không được chi trả lần thứ hai"),
        "{stderr}"
    );

    // A reversal with a reason, then a correct payout, is accepted; the totals come back to the report's.
    // The one who paid may not reverse (and so pay again), even as the admin: the approver reverses.
    let (code, json, _) = relief(
        &db,
        OFFICER,
        &[
            "reverse",
            "--claim",
            &claim_id,
            "--reason",
            "Chi nhầm người nhận, thu hồi và chi lại",
            "--date",
            "26/09/2021",
        ],
    );
    assert_eq!(code, 1, "{json}");
    assert_eq!(json["error"]["code"], "reverser_is_payer");
    let (code, json, _) = relief(
        &db,
        APPROVER,
        &["reverse", "--claim", &claim_id, "--reason", ""],
    );
    assert_eq!(code, 2, "an empty reason is bad input: {json}");
    ok(
        &db,
        APPROVER,
        &[
            "reverse",
            "--claim",
            &claim_id,
            "--reason",
            "Chi nhầm người nhận, thu hồi và chi lại",
            "--date",
            "26/09/2021",
        ],
    );
    let again = ok(
        &db,
        OFFICER,
        &[
            "pay",
            "--list",
            &list_id,
            "--claim",
            &claim_id,
            "--date",
            "27/09/2021",
        ],
    );
    assert_eq!(again["count"], 1);
    assert_eq!(again["total"], 1_500_000);
    let summary = ok(&db, OFFICER, &["report", "summary"]);
    assert_eq!(
        by_policy(&summary, "paid", |p| p == "hn-3642-freelance"),
        (123, 184_500_000)
    );
    assert_eq!(summary["reversals"], 1);
    assert_eq!(summary["reversed_total"], 1_500_000);

    let verify = ok(&db, OFFICER, &["verify"]);
    assert_eq!(verify["mismatched_payouts"], 0);
    assert_eq!(verify["payouts"], 700);
}

/// A distinct Vietnamese name for each person of the test (names carry no digits).
fn name_for(k: usize) -> String {
    const SURNAMES: [&str; 7] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng"];
    const MIDDLE: [&str; 5] = ["Văn", "Thị", "Đức", "Ngọc", "Minh"];
    const GIVEN: [&str; 20] = [
        "Hương", "Lan", "Hùng", "Dũng", "Tuấn", "Hải", "Nam", "Long", "Thảo", "Huyền", "Nga",
        "Hằng", "Mai", "Phương", "Thủy", "Yến", "Sơn", "Quân", "Trung", "Hiếu",
    ];
    format!(
        "{} {} {}",
        SURNAMES[k % 7],
        MIDDLE[(k / 7) % 5],
        GIVEN[(k / 35) % 20]
    )
}
