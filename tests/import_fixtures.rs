//! Ward files as offices really have them (tests/fixtures/import: every encoding, delimiter and quirk, with
//! the expected result of each row in expected.json), imported into a real ledger file and checked row by
//! row; then all-or-nothing, --accept-valid with its rejects file, re-import, and no panic on any input.

use proptest::prelude::*;
use relief_ledger::import::{import_file, ImportOptions, ImportReport};
use relief_ledger::ledger::{Actor, Role};
use relief_ledger::Ledger;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn expected() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("expected.json")).unwrap()).unwrap()
}

mod common;

/// The ward's ledger, set up by its chairman ("Chủ tịch", the admin), and the officer who imports
/// ("Cán bộ Lan") signed in.
struct Ward {
    ledger: Ledger,
    admin: Actor,
    lan: Actor,
}

impl std::ops::Deref for Ward {
    type Target = Ledger;
    fn deref(&self) -> &Ledger {
        &self.ledger
    }
}

impl std::ops::DerefMut for Ward {
    fn deref_mut(&mut self) -> &mut Ledger {
        &mut self.ledger
    }
}

fn ledger(dir: &Path) -> Ward {
    let mut l = Ledger::open(&dir.join("ledger.sqlite")).unwrap();
    let admin = common::init(&mut l, &common::giang_bien_office(), "Chủ tịch");
    let lan = common::add(&mut l, &admin, "Cán bộ Lan", Role::Officer);
    Ward {
        ledger: l,
        admin,
        lan,
    }
}

/// As `ledger`, but a copy of one set up once: the property test below opens hundreds of ledgers, and
/// setting each up would spend most of its time hashing passwords. The operators (and so the signed-in
/// actors) are the same in every copy.
fn ledger_copy(dir: &Path) -> Ward {
    static TEMPLATE: std::sync::OnceLock<(tempfile::TempDir, Actor, Actor)> =
        std::sync::OnceLock::new();
    let (template, admin, lan) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let Ward { ledger, admin, lan } = ledger(dir.path());
        ledger
            .conn()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
        drop(ledger);
        (dir, admin, lan)
    });
    let path = dir.join("ledger.sqlite");
    std::fs::copy(template.path().join("ledger.sqlite"), &path).unwrap();
    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(ledger.operators().unwrap().len(), 2, "the copy is whole");
    Ward {
        ledger,
        admin: admin.clone(),
        lan: lan.clone(),
    }
}

fn import(l: &mut Ward, name: &str, options: &ImportOptions) -> ImportReport {
    import_file(&mut l.ledger, &fixture(name), options, &l.lan, &mut |_| {
        true
    })
    .unwrap()
}

fn count(l: &Ledger, table: &str) -> i64 {
    l.conn()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

const DRY: ImportOptions = ImportOptions {
    dry_run: true,
    accept_valid: false,
    rejects_out: None,
    sheet: None,
    choices: Vec::new(),
    remember_choices: false,
    confirm_conditions: false,
};

/// A keyword the Vietnamese reason must carry for each kind of problem the fixtures hold.
fn reason_word(kind: &str) -> &'static str {
    match kind {
        "id_sex_mismatch" => "giới tính",
        "id_leading_zeros_dropped" => "bỏ số 0",
        "invalid_date" => "không có thật",
        "unknown_policy" => "không có trong bộ quy tắc",
        "amount_mismatch" => "khác mức",
        "duplicate_in_file" => "đã có ở dòng",
        "missing_required" => "thiếu",
        "not_eligible" => "15 ngày",
        "condition_not_confirmed" => "Cư trú hợp pháp",
        "excluded_policy" => "loại trừ",
        other => panic!("no keyword for {other}"),
    }
}

#[test]
fn every_fixture_reads_as_expected_row_by_row() {
    let all = expected();
    let files = all.as_object().unwrap();
    assert!(files.len() >= 9, "the fixtures are all listed");
    for (name, want) in files {
        let dir = tempfile::tempdir().unwrap();
        let mut l = ledger(dir.path());
        let r = import(&mut l, name, &DRY);
        let enc = match want["encoding"].as_str().unwrap() {
            "UTF-8 with BOM" => "utf8-bom",
            "UTF-8 without BOM" => "utf8",
            "UTF-16 LE with BOM" => "utf16-le",
            "Windows-1258" => "windows1258",
            "TCVN3 (ABC)" => "tcvn3",
            other => panic!("{other}"),
        };
        assert_eq!(
            serde_json::to_value(r.encoding).unwrap(),
            enc,
            "{name}: encoding"
        );
        let delim = match want["delimiter"].as_str().unwrap() {
            "," => "dấu phẩy (,)",
            ";" => "dấu chấm phẩy (;)",
            "TAB" => "tab",
            other => panic!("{other}"),
        };
        assert_eq!(r.delimiter, delim, "{name}: delimiter");
        assert_eq!(
            r.header_line,
            want["header_line"].as_u64().unwrap(),
            "{name}: header line"
        );
        // Each header is reported with the canonical column it was read as (or none).
        for (i, c) in want["columns"].as_array().unwrap().iter().enumerate() {
            let got = &r.columns[i];
            assert_eq!(
                got.header,
                c["header"].as_str().unwrap(),
                "{name}: header {i}"
            );
            assert_eq!(
                got.read_as,
                c["read_as"].as_str(),
                "{name}: column {} read as",
                got.header
            );
        }
        let t = &want["totals"];
        assert_eq!(
            r.rows_read as u64,
            t["rows_read"].as_u64().unwrap(),
            "{name}: rows read"
        );
        assert_eq!(
            r.rows_added as u64,
            t["added"].as_u64().unwrap(),
            "{name}: rows added"
        );
        assert_eq!(
            r.rows_rejected as u64,
            t["rejected"].as_u64().unwrap(),
            "{name}: rows rejected"
        );
        assert_eq!(
            r.amount_added.to_dong().unwrap(),
            t["amount_added"].as_i64().unwrap(),
            "{name}: amount"
        );
        // Every problem row: its line, its column, and a reason that says why.
        let problems: Vec<&Value> = want["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|row| row["outcome"] == "problem")
            .collect();
        assert_eq!(
            r.problems.len(),
            problems.len(),
            "{name}: {:#?}",
            r.problems
        );
        for (got, row) in r.problems.iter().zip(&problems) {
            assert_eq!(got.line, row["line"].as_u64().unwrap(), "{name}: {got:?}");
            assert_eq!(
                got.column,
                row["column"].as_str().unwrap(),
                "{name}: {got:?}"
            );
            let kind = row["kind"].as_str().unwrap();
            assert!(
                got.reason.contains(reason_word(kind)),
                "{name} line {}: {kind}: {}",
                got.line,
                got.reason
            );
            if let Some(first) = row.get("first_line").and_then(Value::as_u64) {
                if kind == "duplicate_in_file" {
                    assert!(
                        got.reason.contains(&format!("dòng {first}")),
                        "{}",
                        got.reason
                    );
                }
            }
        }
        assert!(!r.committed, "{name}: a dry run writes nothing");
        assert_eq!(count(&l, "claim"), 0, "{name}: a dry run writes nothing");
        assert_eq!(count(&l, "person"), 0, "{name}: a dry run writes nothing");
    }
}

#[test]
fn names_come_out_in_nfc_whatever_the_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    for name in [
        "03_utf16le_tab.txt",
        "04_windows1258.csv",
        "05_tcvn3.csv",
        "06_official_form_title_rows.csv",
    ] {
        let r = import(&mut l, name, &ImportOptions::default());
        assert!(r.committed, "{name}");
    }
    let want = expected();
    let mut st = l.conn().prepare("SELECT full_name FROM person").unwrap();
    let stored: Vec<String> = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for name in [
        "03_utf16le_tab.txt",
        "04_windows1258.csv",
        "05_tcvn3.csv",
        "06_official_form_title_rows.csv",
    ] {
        for row in want[name]["rows"].as_array().unwrap() {
            use unicode_normalization::UnicodeNormalization;
            let n: String = row["name"].as_str().unwrap().nfc().collect();
            let n = n.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                stored.contains(&n),
                "{name}: {n} not stored as NFC (stored: {stored:?})"
            );
        }
    }
    for s in &stored {
        assert!(unicode_normalization::is_nfc(s), "{s:?} is not NFC");
    }
}

#[test]
fn a_file_with_problems_writes_nothing_unless_the_good_rows_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    let audit_before = count(&l, "audit_log");
    let r = import(&mut l, "07_problems.csv", &ImportOptions::default());
    assert!(!r.committed);
    assert_eq!(r.rows_rejected, 11);
    assert_eq!(
        (r.rows_added, r.rows_written),
        (3, 0),
        "valid rows, none written"
    );
    assert_eq!(
        (count(&l, "claim"), count(&l, "person")),
        (0, 0),
        "all or nothing"
    );
    assert_eq!(count(&l, "audit_log"), audit_before);

    let rejects = dir.path().join("07.rejected.csv");
    let options = ImportOptions {
        dry_run: false,
        accept_valid: true,
        rejects_out: Some(rejects.clone()),
        ..Default::default()
    };
    let r = import(&mut l, "07_problems.csv", &options);
    assert!(r.committed);
    assert_eq!((r.rows_added, r.rows_written, r.rows_rejected), (3, 3, 11));
    assert_eq!(
        (count(&l, "claim"), count(&l, "person")),
        (3, 3),
        "refused rows leave no person behind"
    );
    assert_eq!(r.rejects_file.as_deref(), Some(rejects.to_str().unwrap()));

    // The rejects file: Excel-ready, the original columns plus the reason, one line per refused row.
    let bytes = std::fs::read(&rejects).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut rd = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    let original = std::fs::read_to_string(fixture("07_problems.csv")).unwrap();
    let original_header = original
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap();
    assert_eq!(header[..header.len() - 1].join(","), original_header);
    assert_eq!(header.last().unwrap(), "Lý do bị từ chối");
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 11);
    assert!(rows[0].get(header.len() - 1).unwrap().contains("giới tính"));
    assert!(
        rows.iter().any(|r| r.iter().any(|c| c == "1085012345")),
        "original values kept to fix"
    );

    // Fixed or not, it can be re-imported: the reason column is ignored, the rows are read again.
    let again = import_file(&mut l.ledger, &rejects, &DRY, &l.lan, &mut |_| true).unwrap();
    assert_eq!(again.rows_read, 11);
    assert!(again.columns.last().unwrap().field.is_none());

    // Re-importing the original adds nothing twice.
    let r = import(&mut l, "07_problems.csv", &options);
    assert_eq!((r.rows_added, r.rows_already_present), (0, 3));
    assert_eq!(count(&l, "claim"), 3);
}

#[test]
fn an_overlapping_file_adds_only_the_new_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    let r = import(
        &mut l,
        "01_canonical_utf8_bom.csv",
        &ImportOptions::default(),
    );
    assert_eq!((r.rows_added, r.households_added), (8, 1));
    let r = import(&mut l, "08_overlap.csv", &ImportOptions::default());
    let want = &expected()["08_overlap.csv"]["totals_after_01"];
    assert_eq!(r.rows_added as u64, want["added"].as_u64().unwrap());
    assert_eq!(
        r.rows_already_present as u64,
        want["already_there"].as_u64().unwrap()
    );
    assert_eq!(r.rows_rejected, 0);
    assert!(r.committed);
    assert_eq!(count(&l, "claim"), 10);
    // The same file again: everything already there, nothing written (not even an audit line).
    let audit = count(&l, "audit_log");
    let r = import(
        &mut l,
        "01_canonical_utf8_bom.csv",
        &ImportOptions::default(),
    );
    assert_eq!(
        (r.rows_added, r.rows_already_present, r.committed),
        (0, 8, false)
    );
    assert_eq!(count(&l, "audit_log"), audit);
    assert_eq!(
        count(&l, "household"),
        1,
        "the household business is found again by its tax code"
    );
    assert!(l.verify().unwrap().problems.is_empty());
}

#[test]
fn a_person_already_paid_under_the_policy_is_refused_with_that_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    import(
        &mut l,
        "02_semicolon_variants_no_bom.csv",
        &ImportOptions::default(),
    );
    let vice_chair = common::add(&mut l.ledger, &l.admin, "Phó chủ tịch", Role::Approver);
    let accountant = common::add(&mut l.ledger, &l.admin, "Kế toán", Role::Accountant);
    let list = l.ledger.create_list("Đợt 1", &[], &[], &l.lan).unwrap();
    let today = relief_ledger::dates::today_vn();
    l.ledger.post_list(&list.id, today, &l.lan).unwrap();
    l.approve_list(&list.id, "123/QĐ-UBND", today, &vice_chair)
        .unwrap();
    l.pay(&list.id, None, today, "cash", &accountant).unwrap();
    // The same people with other facts (another start date): already paid, not a new claim.
    let text = std::fs::read_to_string(fixture("02_semicolon_variants_no_bom.csv")).unwrap();
    let changed = text
        .replace("15/7/2021", "16/7/2021")
        .replace("24/7/2021", "25/7/2021");
    assert_ne!(changed, text, "the fixture has a start date to change");
    let path = dir.path().join("changed.csv");
    std::fs::write(&path, changed).unwrap();
    let r = import_file(&mut l.ledger, &path, &DRY, &l.lan, &mut |_| true).unwrap();
    assert!(r.rows_rejected > 0);
    assert!(
        r.problems
            .iter()
            .any(|p| p.reason.contains("đã được chi trả")),
        "{:#?}",
        r.problems
    );
}

#[test]
fn the_template_the_app_saves_imports_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    for delimiter in [b',', b';'] {
        let path = dir.path().join("template.csv");
        std::fs::write(&path, relief_ledger::import::template_csv(delimiter)).unwrap();
        let r = import_file(&mut l.ledger, &path, &DRY, &l.lan, &mut |_| true).unwrap();
        // Every header is read as itself; the worked example is refused until it is deleted.
        assert!(r
            .columns
            .iter()
            .all(|c| c.read_as == Some(c.header.as_str())));
        assert_eq!((r.rows_read, r.rows_rejected), (1, 1));
        assert!(
            r.problems[0].reason.contains("dòng ví dụ"),
            "{:?}",
            r.problems
        );
        // Numbered instead, the same row is a valid claim.
        let text = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
        std::fs::write(&path, text.replace("Ví dụ", "1")).unwrap();
        let r = import_file(&mut l.ledger, &path, &DRY, &l.lan, &mut |_| true).unwrap();
        assert_eq!(
            (r.rows_read, r.rows_added, r.rows_rejected),
            (1, 1, 0),
            "{:?}",
            r.problems
        );
    }
}

#[test]
fn files_that_are_not_ward_lists_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    let cases: [(&str, &[u8], &str); 4] = [
        ("no-header.csv", b"a,b,c\n1,2,3\n", "dòng tiêu đề"),
        (
            "no-id.csv",
            "Họ và tên,Chính sách\nAn,hn-3642-freelance\n".as_bytes(),
            "Số CCCD/CMND",
        ),
        (
            "book.xlsx",
            b"PK\x03\x04\x14\x00\x06\x00rest-of-a-workbook",
            "Excel",
        ),
        ("empty.csv", b"", "dòng tiêu đề"),
    ];
    for (name, bytes, word) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let e = import_file(&mut l.ledger, &path, &DRY, &l.lan, &mut |_| true).unwrap_err();
        assert_eq!(e.code(), "file_unreadable", "{name}");
        assert!(e.to_string().contains(word), "{name}: {e}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    /// No input makes the importer panic: random bytes, and random cells under a real header.
    #[test]
    fn no_input_panics_the_importer(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        cells in proptest::collection::vec(proptest::collection::vec("[0-9a-zA-Zà-ỹ /.,;\"=+\\-\n]{0,14}", 0..8), 0..8),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut l = ledger_copy(dir.path());
        let raw = dir.path().join("raw.csv");
        std::fs::write(&raw, &bytes).unwrap();
        let _ = import_file(&mut l.ledger, &raw, &DRY, &l.lan, &mut |_| true);

        let mut text = String::from("STT,Họ và tên,Ngày sinh,Giới tính,Số CCCD/CMND,Chính sách,Từ ngày,Đến ngày,Số tiền,Con dưới 6 tuổi\n");
        for row in &cells {
            let quoted: Vec<String> = row.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
            text.push_str(&quoted.join(","));
            text.push('\n');
        }
        let shaped = dir.path().join("shaped.csv");
        std::fs::write(&shaped, text).unwrap();
        let r = import_file(&mut l.ledger, &shaped, &ImportOptions { dry_run: false, accept_valid: true, ..Default::default() }, &l.lan, &mut |_| true);
        if let Ok(r) = r {
            prop_assert_eq!(r.rows_added + r.rows_rejected + r.rows_already_present, r.rows_read);
        }
    }
}

#[test]
fn a_stopped_import_writes_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    let e = import_file(
        &mut l.ledger,
        &fixture("01_canonical_utf8_bom.csv"),
        &ImportOptions::default(),
        &l.lan,
        &mut |_| false,
    )
    .unwrap_err();
    assert_eq!(e.code(), "cancelled");
    assert!(e.to_string().contains("Sổ không thay đổi"), "{e}");
    assert_eq!((count(&l, "claim"), count(&l, "person")), (0, 0));
}

#[test]
fn a_missing_file_and_an_unwritable_rejects_file_are_named_in_vietnamese() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    let e = import_file(
        &mut l.ledger,
        &dir.path().join("khong-co.csv"),
        &DRY,
        &l.lan,
        &mut |_| true,
    )
    .unwrap_err();
    assert_eq!(e.code(), "file_unreadable");
    assert!(e.to_string().contains("không có tệp"), "{e}");
    // Rejects into a folder that does not exist: refused, and the good rows are not committed without them.
    let options = ImportOptions {
        dry_run: false,
        accept_valid: true,
        rejects_out: Some(dir.path().join("khong-co/loi.csv")),
        ..Default::default()
    };
    let e = import_file(
        &mut l.ledger,
        &fixture("07_problems.csv"),
        &options,
        &l.lan,
        &mut |_| true,
    )
    .unwrap_err();
    assert_eq!(e.code(), "file_unwritable", "{e}");
    assert_eq!(count(&l, "claim"), 0);
}

#[test]
fn a_numbered_row_without_id_and_policy_is_refused_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    let path = dir.path().join("thieu.csv");
    std::fs::write(
        &path,
        "STT,Họ và tên,Ngày sinh,Số CCCD/CMND,Chính sách\r\n\
         1,Nguyễn Văn Hùng,12/03/1985,,\r\n\
         ,Trần Thị Lan,1/2/1988,,\r\n\
         ,Người lập biểu,,,\r\n",
    )
    .unwrap();
    let r = import_file(&mut l.ledger, &path, &DRY, &l.lan, &mut |_| true).unwrap();
    assert_eq!((r.rows_read, r.rows_rejected), (2, 2), "{:#?}", r.problems);
    assert_eq!(
        r.lines_skipped,
        vec![4],
        "only the signature line is skipped"
    );
    assert!(r
        .problems
        .iter()
        .any(|p| p.line == 2 && p.column == "Số CCCD/CMND"));
    assert!(r
        .problems
        .iter()
        .any(|p| p.line == 3 && p.column == "Chính sách"));
}

/// Writes `rows` under the header `HDR` (UTF-8 with BOM, CRLF unless the rows say otherwise) and dry-runs it.
fn dry(dir: &Path, l: &mut Ward, name: &str, body: &str) -> ImportReport {
    let path = dir.join(name);
    std::fs::write(&path, format!("\u{feff}{body}")).unwrap();
    import_file(&mut l.ledger, &path, &DRY, &l.lan, &mut |_| true).unwrap()
}

const HDR: &str = "STT,Họ và tên,Ngày sinh,Giới tính,Số CCCD/CMND,Chính sách,Từ ngày,Đến ngày,Con dưới 6 tuổi,Đủ điều kiện,Tên hộ kinh doanh/nhóm lớp,Mã số thuế,Ghi chú";

fn has(r: &ImportReport, line: u64, column: &str, word: &str) -> bool {
    r.problems
        .iter()
        .any(|p| p.line == line && p.column == column && p.reason.contains(word))
}

#[test]
fn malformed_files_never_lose_rows_silently() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    let good = "2,Lê Thị Bình,01/01/1981,Nữ,001181000302,hn-3642-freelance,24/07/2021,,,x,,,";
    // A quote left open reads the rest of the file into one cell: refused, naming the line.
    let r = dry(dir.path(), &mut l, "quote.csv", &format!("{HDR}\r\n1,\"Lê Văn An,01/01/1980,Nam,001080000301,hn-3642-freelance,24/07/2021,,,x,,,\r\n{good}\r\n{good}\r\n"));
    assert!(
        r.rows_rejected >= 1 && has(&r, 2, "cột 2", "ngoặc kép"),
        "{:#?}",
        r.problems
    );
    // Old-Mac line ends (CR only) are lines.
    let r = dry(dir.path(), &mut l, "cr.csv", &format!("{HDR}\r{good}\r1,Lê Văn An,01/01/1980,Nam,001080000301,hn-3642-freelance,24/07/2021,,,x,,,\r"));
    assert_eq!((r.rows_read, r.rows_added), (2, 2), "{:#?}", r.problems);
    // A cell past the header's last column, and one under a blank header.
    let r = dry(dir.path(), &mut l, "wide.csv", &format!("{HDR},\r\n{good},01/01/1981\r\n3,Lê Văn Cư,01/01/1980,Nam,001080000303,hn-3642-freelance,24/07/2021,,,x,,,,,thừa\r\n"));
    assert!(
        has(&r, 2, "cột 14", "không có tiêu đề"),
        "{:#?}",
        r.problems
    );
    assert!(
        has(&r, 3, "cột 15", "dòng tiêu đề chỉ có"),
        "{:#?}",
        r.problems
    );
    // A control character inside a name.
    let r = dry(dir.path(), &mut l, "nul.csv", &format!("{HDR}\r\n1,Lê Văn\u{0}An,01/01/1980,Nam,001080000301,hn-3642-freelance,24/07/2021,,,x,,,\r\n"));
    assert!(has(&r, 2, "cột 2", "ký tự điều khiển"), "{:#?}", r.problems);
    // A repeated header with another value.
    let r = dry(
        dir.path(),
        &mut l,
        "dup.csv",
        &format!("{HDR},Họ và tên\r\n{good},Lê Thị Khác\r\n"),
    );
    assert!(
        has(&r, 2, "Họ và tên", "trùng tiêu đề với cột 2"),
        "{:#?}",
        r.problems
    );
}

#[test]
fn what_a_row_says_is_checked_against_the_row_the_file_and_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    // The same child twice in one claim: refused on its line, not a database error.
    let r = dry(dir.path(), &mut l, "kid.csv", &format!("{HDR}\r\n1,Đinh Văn Bố,01/01/1990,Nam,001090000824,68-suspension,15/07/2021,14/08/2021,Đinh Bé - 05/09/2019 - 001219008888; Đinh Bé - 05/09/2019 - 001219008888,x,,,\r\n"));
    assert!(
        has(&r, 2, "Con dưới 6 tuổi", "hai lần"),
        "{:#?}",
        r.problems
    );
    // Names that differ by a tone mark are two names; one typed without marks is the same name.
    let r = dry(dir.path(), &mut l, "names.csv", &format!("{HDR}\r\n1,Phạm Văn Bình,01/01/1980,Nam,001080000402,hn-3642-freelance,24/07/2021,,,x,,,\r\n2,Phạm Văn Bính,01/01/1980,Nam,001080000402,hn-15-poor,,,,x,,,\r\n3,Pham Van Binh,01/01/1980,Nam,001080000402,hn-15-meritorious,,,,x,,,\r\n"));
    assert!(
        has(&r, 3, "Số CCCD/CMND", "khác họ tên"),
        "{:#?}",
        r.problems
    );
    assert!(
        !r.problems
            .iter()
            .any(|p| p.line == 4 && p.reason.contains("khác họ tên")),
        "{:#?}",
        r.problems
    );
    // The same ID with another birth date further down the file.
    let r = dry(dir.path(), &mut l, "dob.csv", &format!("{HDR}\r\n1,Phạm Văn An,01/01/1980,Nam,001080000402,hn-3642-freelance,24/07/2021,,,x,,,\r\n2,Phạm Văn An,02/01/1980,Nam,001080000402,hn-15-poor,,,,x,,,\r\n"));
    assert!(has(&r, 3, "Ngày sinh", "dòng 2"), "{:#?}", r.problems);
    // A name that is a formula, and a household business with no tax code.
    let r = dry(dir.path(), &mut l, "odd.csv", &format!("{HDR}\r\n1,=HYPERLINK(\"x\"),01/01/1980,Nam,001080000402,hn-3642-freelance,24/07/2021,,,x,,,\r\n2,Đỗ Văn Khang,01/01/1980,Nam,001080000403,68-household-business,01/08/2021,31/08/2021,,x,,,\r\n"));
    assert!(
        has(&r, 2, "Họ và tên", "không phải chữ cái"),
        "{:#?}",
        r.problems
    );
    assert!(has(&r, 3, "Mã số thuế", "mã số thuế"), "{:#?}", r.problems);
    // Excel's date cells with a midnight time, and apostrophe-prefixed text.
    let r = dry(dir.path(), &mut l, "excel.csv", &format!("{HDR}\r\n1,Lê Văn Dũng,'01/01/1980,Nam,'001080000404,hn-3642-freelance,2021-07-24 00:00:00,,,x,,,\r\n"));
    assert_eq!((r.rows_added, r.rows_rejected), (1, 0), "{:#?}", r.problems);
}

#[test]
fn a_rejected_dossier_is_not_brought_back_by_importing_the_file_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    import(
        &mut l,
        "01_canonical_utf8_bom.csv",
        &ImportOptions::default(),
    );
    let claim: String = l
        .conn()
        .query_row("SELECT id FROM claim ORDER BY rowid LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    l.ledger
        .reject_claim(&claim, "Xác minh: đang hưởng lương hưu", &l.admin)
        .unwrap();
    let r = import(
        &mut l,
        "01_canonical_utf8_bom.csv",
        &ImportOptions::default(),
    );
    assert_eq!(
        (r.rows_added, r.rows_already_present, r.rows_rejected),
        (0, 7, 1)
    );
    assert!(
        r.problems[0].reason.contains("đã bị từ chối"),
        "{:#?}",
        r.problems
    );
    assert!(r.problems[0].reason.contains("lương hưu"));
}

#[test]
fn the_rejects_file_never_overwrites_the_file_being_imported() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    let own = dir.path().join("07.csv");
    std::fs::copy(fixture("07_problems.csv"), &own).unwrap();
    let before = std::fs::read(&own).unwrap();
    let options = ImportOptions {
        dry_run: false,
        accept_valid: true,
        rejects_out: Some(own.clone()),
        ..Default::default()
    };
    let e = import_file(&mut l.ledger, &own, &options, &l.lan, &mut |_| true).unwrap_err();
    assert_eq!(e.code(), "file_unwritable");
    assert_eq!(std::fs::read(&own).unwrap(), before);
    assert_eq!(count(&l, "claim"), 0);
    // A dry run writes no rejects file either.
    let dry_options = ImportOptions {
        dry_run: true,
        accept_valid: true,
        rejects_out: None,
        ..Default::default()
    };
    let r = import_file(&mut l.ledger, &own, &dry_options, &l.lan, &mut |_| true).unwrap();
    assert_eq!(r.rejects_file, None);
    assert!(!dir.path().join("07.bi-tu-choi.csv").exists());
}

#[test]
fn the_audit_log_names_the_file_by_its_hash_and_the_claims_it_added() {
    use sha2::Digest;
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    import(
        &mut l,
        "01_canonical_utf8_bom.csv",
        &ImportOptions::default(),
    );
    let detail: String = l
        .conn()
        .query_row(
            "SELECT detail FROM audit_log WHERE action = 'import'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let d: Value = serde_json::from_str(&detail).unwrap();
    let bytes = std::fs::read(fixture("01_canonical_utf8_bom.csv")).unwrap();
    assert_eq!(d["sha256"], hex::encode(sha2::Sha256::digest(&bytes)));
    assert!(
        d["file"].as_str().unwrap().starts_with('/'),
        "an absolute path: {d}"
    );
    let between: i64 = l
        .conn()
        .query_row(
            "SELECT count(*) FROM claim WHERE id BETWEEN ?1 AND ?2",
            [
                d["first_claim"].as_str().unwrap(),
                d["last_claim"].as_str().unwrap(),
            ],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        between, 8,
        "the first and last claim ids bound exactly the claims the import added"
    );
    assert!(l.verify().unwrap().problems.is_empty());
}

#[test]
fn a_child_who_brings_no_supplement_is_named_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    // Born 2010: eleven in 2021, no child-under-6 supplement.
    let r = dry(dir.path(), &mut l, "old-kid.csv", &format!("{HDR}\r\n1,Lê Văn Bố,01/01/1985,Nam,001085000901,68-suspension,15/07/2021,14/08/2021,Lê Bé - 05/09/2010,x,,,\r\n"));
    assert!(
        has(&r, 2, "Con dưới 6 tuổi", "không được tính"),
        "{:#?}",
        r.problems
    );
}
