//! The CLI's contract with scripts: `quote --json` output shape, exit codes (0 done, 1 refused, 2 bad usage),
//! Vietnamese messages carrying the English code, and a ledger killed mid-write that reopens consistent.

use serde_json::Value;
use std::process::Stdio;

mod common;

/// Runs `relief` with no operator or password in its environment: none of these commands signs in.
fn relief(args: &[&str]) -> (i32, String, String) {
    let out = common::relief_bare().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn quote_json_has_the_documented_shape() {
    let (code, out, _) = relief(&[
        "quote",
        "--policy",
        "68-suspension",
        "--from",
        "2021-07-01",
        "--to",
        "31/07/2021",
        "--pregnant",
        "--child-dob",
        "01/01/2019",
        "--applied",
        "15/08/2021",
        "--fact",
        "social_insurance=yes",
        "--fact",
        "employer_suspended=yes",
        "--json",
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["policy"], "68-suspension");
    assert_eq!(v["eligible"], true);
    assert!(
        v["amount"].is_i64(),
        "amount is a JSON integer of đồng: {}",
        v["amount"]
    );
    assert_eq!(v["amount"], 5_710_000);
    let lines = v["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 3);
    for l in lines {
        assert!(
            l["label"].is_string()
                && l["amount"].is_i64()
                && l["basis"].as_str().unwrap().contains("QĐ 23/2021/QĐ-TTg"),
            "{l}"
        );
    }
    assert_eq!(v["reasons"], serde_json::json!([]));
}

#[test]
fn a_refused_quote_exits_1_and_lists_every_reason() {
    let (code, out, _) = relief(&[
        "quote",
        "--policy",
        "68-stoppage",
        "--from",
        "01/04/2021",
        "--to",
        "10/04/2021",
        "--applied",
        "01/02/2022",
        "--fact",
        "social_insurance=yes",
        "--json",
    ]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["eligible"], false);
    assert_eq!(v["amount"], 0);
    assert_eq!(
        v["reasons"].as_array().unwrap().len(),
        3,
        "window, 14 days and deadline: {}",
        v["reasons"]
    );
}

#[test]
fn version_names_the_build_date_and_the_shipped_rule_pack() {
    let info = relief_ledger::about::build_info();
    // The pack's version as the shipped file states it (the first `version =` line, in [pack]), read here
    // apart from the core's parser.
    let shipped = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../rules/hanoi-2021.toml"
    ))
    .unwrap();
    let pack_version = shipped
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .unwrap();
    let expected = format!(
        "relief {} (dựng ngày {}; bộ quy tắc kèm theo hanoi-2021 phiên bản {pack_version})\n",
        env!("CARGO_PKG_VERSION"),
        relief_ledger::dates::format_vi(info.build_date)
    );
    for flag in ["--version", "-V"] {
        let (code, out, err) = relief(&[flag]);
        assert_eq!((code, err.as_str()), (0, ""), "{flag}");
        assert_eq!(out, expected, "{flag}");
    }
}

#[test]
fn bad_usage_exits_2_with_a_vietnamese_message() {
    let (code, _, err) = relief(&["quote", "--policy", "68-f1", "--from", "31/02/2021"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("[invalid_date]") && err.contains("không hợp lệ"),
        "{err}"
    );
    let (code, _, err) = relief(&["quote", "--policy", "68-nothing"]);
    assert_eq!(code, 2);
    assert!(err.contains("[unknown_policy]"), "{err}");
    let (code, _, _) = relief(&["quote", "--polcy", "x"]);
    assert_eq!(code, 2);
}

#[test]
fn a_refused_input_names_its_flag_and_its_json_field_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.sqlite");
    common::new_ledger_cli(&db, "admin", &[]);
    let out = common::relief_as(&db, "admin")
        .args(["person", "add", "--name", "  "])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.starts_with("lỗi [invalid_input] (--name): ") && err.contains("họ và tên"),
        "{err}"
    );
    let out = common::relief_as(&db, "admin")
        .args(["--json", "person", "add", "--name", "  "])
        .output()
        .unwrap();
    let v = common::json(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(v["error"]["field"], "full_name", "{v}");
}

#[test]
fn a_malformed_district_rule_pack_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("quan.toml");
    std::fs::write(&pack, "[pack]\nid = \"q\"\nversion = \"1\"\ntitle = \"t\"\nnote = \"n\"\n\n[[policy]]\ncode = \"x\"\nconfidence = \"sure\"\n").unwrap();
    let (code, _, err) = relief(&["--rules", pack.to_str().unwrap(), "rules", "list"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("quan.toml") && err.contains("dòng 9") && err.contains("sure"),
        "{err}"
    );
}

#[test]
fn a_ledger_killed_mid_write_reopens_consistent() {
    // SIGKILL ends the process, not the machine: this proves transactions are whole (each chunk lands or
    // not). Surviving a power cut rests on WAL with synchronous=FULL, asserted in store::migrations' tests.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.sqlite");
    let db_arg = db.to_str().unwrap();
    // A demo into a new ledger sets it up with the one signing in as its admin.
    let mut child = common::relief_as(&db, "can-bo")
        .args(["demo", "--people", "400000", "--seed", "3"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until at least one chunk has been committed, let it get into the next one, then pull the plug.
    let started = std::time::Instant::now();
    loop {
        std::thread::sleep(std::time::Duration::from_millis(200));
        let committed = rusqlite::Connection::open(&db)
            .and_then(|c| c.query_row("SELECT count(*) FROM person", [], |r| r.get::<_, i64>(0)))
            .unwrap_or(0);
        if committed > 0 {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 120,
            "no chunk committed in 2 minutes"
        );
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    // Verify signs nobody in: it reads the file as it is.
    let (code, out, err) = relief(&["--db", db_arg, "--json", "verify"]);
    assert_eq!(code, 0, "{out} {err}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let people: i64 = conn
        .query_row("SELECT count(*) FROM person", [], |r| r.get(0))
        .unwrap();
    let claims: i64 = conn
        .query_row("SELECT count(*) FROM claim", [], |r| r.get(0))
        .unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert!(
        people > 0 && people < 400_000,
        "the kill came mid-run: {people}"
    );
    assert_eq!(
        people % 5_000,
        0,
        "only whole chunks were committed: {people}"
    );
    assert_eq!(
        claims,
        people + people / 250,
        "every committed person has their claim"
    );
}
