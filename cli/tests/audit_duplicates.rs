//! The `relief audit` commands end to end: the fixed JSON keys, decisions by a pair's key, the recovery
//! list, and exit codes.

mod common;
use common::wards::*;
use std::path::Path;

/// Runs the real `relief` binary, signed in as `actor`.
fn relief(db: &Path, actor: &str, args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = common::relief_as(db, actor)
        .arg("--json")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_cli_gives_the_fixed_json_keys_decides_by_pair_key_and_exits_1_when_paid_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("gb.sqlite");
    drop(giang_bien(&db));
    let vh = dir.path().join("vh.sqlite");
    viet_hung(&vh, false);
    let list = fixture("viet-hung.csv");
    let vh_arg = vh.display().to_string();
    let list_arg = list.display().to_string();
    let csv = dir.path().join("cap.csv");
    let (code, json, err) = relief(
        &db,
        AUDITOR,
        &[
            "audit",
            "duplicates",
            &vh_arg,
            &list_arg,
            "--out",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "a pair paid twice exits 1: {err}");
    // 7 people and a child in the ledger, 1 in Việt Hưng's, 9 people and a child in the list.
    assert_eq!(json["records"], 19);
    let first = &json["pairs"][0];
    for key in ["a", "b", "score", "class", "reasons"] {
        assert!(!first[key].is_null(), "pairs[].{key}");
    }
    assert_eq!(
        first["class"], "certain",
        "CMND and CCCD, same name, birth date and phone"
    );
    assert_eq!(first["conflict"], "paid_twice");
    assert_eq!(
        first["a"]["source"],
        db.display().to_string(),
        "the --db ledger by its path"
    );
    assert_eq!(first["b"]["source"], vh_arg, "a source exactly as given");
    assert!(first["b"]["person"].is_string() && first["a"]["name"] == "Nguyễn Thị Hương");
    assert!(first["reasons"][0]["code"].is_string() && first["reasons"][0]["text"].is_string());
    let from_file = json["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["b"]["line"] == 5)
        .expect("a pair with the list's line 5");
    assert_eq!(from_file["b"]["source"], list_arg);
    assert_eq!(from_file["b"]["ids"][0]["number"], "001190012345");
    let csv_text = std::fs::read_to_string(&csv).unwrap();
    assert!(csv_text.starts_with('\u{feff}') && csv_text.contains("Đã chi trả hai lần"));

    // Deciding by a unique start of the key; an officer may not.
    let key = first["key"].as_str().unwrap();
    let (code, json, _) = relief(
        &db,
        OFFICER,
        &[
            "audit",
            "decide",
            "--pair",
            &key[..10],
            "--same",
            "--note",
            "Cùng một người",
            &vh_arg,
            &list_arg,
        ],
    );
    assert_eq!(
        (code, json["error"]["code"].as_str()),
        (1, Some("role_required"))
    );
    let (code, json, err) = relief(
        &db,
        AUDITOR,
        &[
            "audit",
            "decide",
            "--pair",
            &key[..10],
            "--same",
            "--note",
            "Đối chiếu hồ sơ gốc",
            &vh_arg,
            &list_arg,
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(json["recovery_lines"], 1);
    let html = dir.path().join("thu-hoi.html");
    let (code, json, _) = relief(
        &db,
        AUDITOR,
        &["audit", "recovery", "--html", html.to_str().unwrap()],
    );
    assert_eq!(code, 0);
    assert_eq!(json[0]["amount"], 3_710_000);
    assert!(std::fs::read_to_string(&html)
        .unwrap()
        .contains("Nguyen Thi Huong"));
    // The ledger itself is not a source of its own check.
    let (code, json, _) = relief(&db, AUDITOR, &["audit", "duplicates", db.to_str().unwrap()]);
    assert_eq!(
        (code, json["error"]["code"].as_str()),
        (2, Some("invalid_input"))
    );
}
