//! Issue 10 through the CLI: a workbook whose column needs mapping imports after one `--map`; an office's
//! list without "Đủ điều kiện" (made by `demo --ward-file --ward-style`) imports whole with
//! `--confirm-conditions`; `quote` with a birth date alone gives no false age reason; a report exported as a
//! workbook by its file name.

use std::path::Path;

mod common;

fn run(cmd: &mut std::process::Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn map_confirm_conditions_and_workbooks_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("so.sqlite");
    common::new_ledger_cli(&db, "Chủ tịch", &[("Cán bộ Lan", "officer")]);
    let book = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/workbooks/02_can_chon_cot.xlsx");
    let lan = || common::relief_as(&db, "Cán bộ Lan");

    // Without the mapping: refused (exit 1), every row for want of its date, the column named as not read.
    let (code, out, _) = run(lan().arg("import").arg(&book).arg("--dry-run"));
    assert_eq!(code, 1, "rows refused: {out}");
    assert!(out.contains("«Ngày bị ảnh hưởng» → bỏ qua"), "{out}");
    assert!(out.contains("Bị từ chối: 5 dòng"), "{out}");
    let (code, out, _) = run(lan().arg("import").arg(&book));
    assert_eq!(code, 1, "{out}");
    // One --map: imported whole.
    let out = common::ok(
        lan()
            .arg("import")
            .arg(&book)
            .args(["--map", "Ngày bị ảnh hưởng=Từ ngày"]),
    );
    assert!(out.contains("Đã ghi vào sổ."), "{out}");
    assert!(
        out.contains("«Ngày bị ảnh hưởng» → Từ ngày (đã chọn)"),
        "{out}"
    );
    // A mapping naming no column, or no template column: bad usage, with the reason.
    let (code, _, err) =
        run(lan()
            .arg("import")
            .arg(&book)
            .args(["--dry-run", "--map", "Ngày nghỉ=Từ ngày"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("không có cột «Ngày nghỉ»"), "{err}");

    // An official ward list without "Đủ điều kiện": whole only once its conditions are confirmed.
    let list = dir.path().join("danh-sach.csv");
    common::ok(
        common::relief_bare()
            .args([
                "demo",
                "--people",
                "80",
                "--seed",
                "5",
                "--ward-style",
                "official-form",
                "--ward-file",
            ])
            .arg(&list),
    );
    let (code, out, _) = run(lan().arg("import").arg(&list));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("--confirm-conditions"),
        "the report says how: {out}"
    );
    let out = common::ok(
        lan()
            .arg("--json")
            .arg("import")
            .arg(&list)
            .arg("--confirm-conditions"),
    );
    let r = common::json(&out);
    assert_eq!(r["rows_rejected"], 0, "{out}");
    assert_eq!(r["conditions_confirmed"], true);
    assert_eq!(r["rows_written"], r["rows_read"]);

    // No false age reason from a birth date alone.
    let (_, out, _) = run(common::relief_bare().args([
        "quote",
        "--policy",
        "hn-3642-freelance",
        "--dob",
        "09/04/1967",
    ]));
    assert!(!out.contains("Chưa đủ 15 tuổi"), "{out}");
    assert!(out.contains("chưa có ngày bắt đầu"), "{out}");

    // A report as a workbook, by its name.
    let xlsx = dir.path().join("so-ho-so.xlsx");
    common::ok(lan().args(["export", "claims", "--out"]).arg(&xlsx));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK\x03\x04"));
}
