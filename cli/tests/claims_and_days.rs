//! Issue 13 through the `relief` binary: each step's day (`--on`, or `--date`) in order, the claims register
//! (`claim list`), and a claim corrected and withdrawn before it is listed.

mod common;
use common::*;

/// Runs `relief --json` as `operator`; the exit code and the JSON it printed (on stdout or stderr).
fn run(db: &std::path::Path, operator: &str, args: &[&str]) -> (i32, serde_json::Value) {
    let out = relief_as(db, operator)
        .arg("--json")
        .args(args)
        .output()
        .unwrap();
    let text = if out.stdout.is_empty() {
        out.stderr
    } else {
        out.stdout
    };
    (
        out.status.code().unwrap(),
        json(&String::from_utf8_lossy(&text)),
    )
}

#[test]
fn days_in_order_the_register_a_correction_and_a_withdrawal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("so.sqlite");
    new_ledger_cli(
        &db,
        "Trần Thị Lan",
        &[("Phạm Văn Hải", "officer"), ("Đào Mạnh Trung", "approver")],
    );
    const HAI: &str = "Phạm Văn Hải";
    for (name, cccd, group) in [
        ("Nguyễn Thị Hương", "001190012345", "Tổ 5"),
        ("Đặng Văn Đức", "001080012346", "Tổ 10"),
    ] {
        ok(relief_as(&db, HAI).args([
            "person",
            "add",
            "--name",
            name,
            "--cccd",
            cccd,
            "--residential-group",
            group,
        ]));
    }
    let claim = |cccd: &str, to: &str| {
        let (code, v) = run(
            &db,
            HAI,
            &[
                "claim",
                "add",
                "--policy",
                "68-f1",
                "--id-number",
                cccd,
                "--from",
                "01/08/2021",
                "--to",
                to,
                "--fact",
                "quarantine_decision=yes",
            ],
        );
        assert_eq!(code, 0, "{v}");
        v["id"].as_str().unwrap().to_string()
    };
    let huong = claim("001190012345", "21/08/2021");
    let duc = claim("001080012346", "21/08/2021");

    // The register: by a name without tone marks, by residential group.
    let (_, page) = run(&db, HAI, &["claim", "list", "--person", "nguyen thi huong"]);
    assert_eq!(page["total"], 1);
    assert_eq!(page["rows"][0]["id"], huong.as_str());
    let (_, page) = run(&db, HAI, &["claim", "list", "--group", "Tổ 10"]);
    assert_eq!(page["rows"][0]["id"], duc.as_str());

    // Hương's quarantine ended on the 14th: corrected, priced again; the old claim is kept as corrected.
    let (code, new) = run(
        &db,
        HAI,
        &[
            "claim",
            "correct",
            &huong,
            "--reason",
            "Quyết định hoàn thành cách ly ngày 14/08/2021",
            "--from",
            "01/08/2021",
            "--to",
            "14/08/2021",
            "--fact",
            "quarantine_decision=yes",
        ],
    );
    assert_eq!(code, 0, "{new}");
    assert_eq!(new["amount"], 1_120_000);
    let (_, page) = run(&db, HAI, &["claim", "list", "--state", "corrected"]);
    assert_eq!(page["rows"][0]["id"], huong.as_str());
    // Đức withdrew his.
    let (code, _) = run(
        &db,
        HAI,
        &[
            "claim",
            "withdraw",
            &duc,
            "--reason",
            "Người dân xin rút hồ sơ",
        ],
    );
    assert_eq!(code, 0);
    let (_, page) = run(&db, HAI, &["claim", "list", "--state", "withdrawn"]);
    assert_eq!(page["total"], 1);

    // A list posted on the 1st of September; a decision dated the day before is refused, exit 1.
    let (_, list) = run(&db, HAI, &["list", "create", "--name", "Đợt 1"]);
    let list = list["id"].as_str().unwrap().to_string();
    let (code, err) = run(&db, HAI, &["list", "post", &list, "--on", "01/01/2999"]);
    assert_eq!(
        (code, err["error"]["code"].as_str()),
        (1, Some("date_out_of_order")),
        "{err}"
    );
    ok(relief_as(&db, HAI).args(["list", "post", &list, "--on", "01/09/2021"]));
    let (code, err) = run(
        &db,
        "Đào Mạnh Trung",
        &[
            "approve",
            "--list",
            &list,
            "--decision",
            "125/QĐ-UBND",
            "--on",
            "31/08/2021",
        ],
    );
    assert_eq!(
        (code, err["error"]["code"].as_str()),
        (1, Some("date_out_of_order")),
        "{err}"
    );
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("ngày niêm yết (01/09/2021)"),
        "{err}"
    );
    let (code, _) = run(
        &db,
        "Đào Mạnh Trung",
        &[
            "approve",
            "--list",
            &list,
            "--decision",
            "125/QĐ-UBND",
            "--on",
            "05/09/2021",
        ],
    );
    assert_eq!(code, 0);
    // The withdrawn and corrected claims were not listed: only the corrected one's replacement.
    let (_, page) = run(&db, HAI, &["claim", "list", "--list", &list]);
    assert_eq!(page["total"], 1);
    assert_eq!(page["rows"][0]["id"], new["id"]);
    // Refused once listed.
    let (code, err) = run(
        &db,
        HAI,
        &[
            "claim",
            "withdraw",
            new["id"].as_str().unwrap(),
            "--reason",
            "Người dân xin rút",
        ],
    );
    assert_eq!(
        (code, err["error"]["code"].as_str()),
        (1, Some("claim_listed")),
        "{err}"
    );
}
