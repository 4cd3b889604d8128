//! Excel workbooks imported directly (issue 10): the fixtures of tests/fixtures/workbooks (written by
//! make_workbooks.py as Excel saves them: merged title rows, serial dates, ID numbers typed as numbers, an
//! .xls, a list whose columns need mapping, one problem a row) imported into real ledger files and checked
//! against expected.json row by row; the dry run, all-or-nothing, --accept-valid with a rejects workbook,
//! re-import, a chosen sheet, a column mapped and remembered.

use relief_ledger::import::{import_file, ColumnChoice, Field, ImportOptions, ImportReport};
use relief_ledger::ledger::{Actor, Role};
use relief_ledger::Ledger;
use serde_json::Value;
use std::path::{Path, PathBuf};

mod common;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/workbooks")
        .join(name)
}

fn expected() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("expected.json")).unwrap()).unwrap()
}

fn ledger(dir: &Path) -> (Ledger, Actor) {
    let mut l = Ledger::open(&dir.join("ledger.sqlite")).unwrap();
    let admin = common::init(&mut l, &common::giang_bien_office(), "Chủ tịch");
    let lan = common::add(&mut l, &admin, "Cán bộ Lan", Role::Officer);
    (l, lan)
}

fn run(l: &mut Ledger, who: &Actor, path: &Path, options: &ImportOptions) -> ImportReport {
    import_file(l, path, options, who, &mut |_| true).unwrap()
}

fn options_for(want: &Value) -> ImportOptions {
    ImportOptions {
        sheet: want["sheet"].as_str().map(str::to_string),
        choices: want["map"]
            .as_str()
            .map(|m| vec![ColumnChoice::parse(m).unwrap()])
            .unwrap_or_default(),
        ..Default::default()
    }
}

fn stored_id(l: &Ledger, name: &str) -> String {
    l.conn()
        .query_row(
            "SELECT d.number FROM identity_doc d JOIN person p ON p.id = d.person_id WHERE p.full_name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn claims(l: &Ledger) -> i64 {
    l.conn()
        .query_row("SELECT count(*) FROM claim", [], |r| r.get(0))
        .unwrap()
}

/// Every fixture, dry run then --accept-valid: the counts, the total, the sheet row of every skipped line,
/// every restored cell and every problem; each added person stored with the whole ID number.
#[test]
fn every_workbook_reads_as_expected_row_by_row() {
    let all = expected();
    let files = all.as_object().unwrap();
    assert_eq!(files.len(), 4);
    for (name, want) in files {
        let dir = tempfile::tempdir().unwrap();
        let (mut l, lan) = ledger(dir.path());
        let path = fixture(name);
        let dry = ImportOptions {
            dry_run: true,
            ..options_for(want)
        };
        let r = run(&mut l, &lan, &path, &dry);
        assert_eq!(r.sheet.as_deref(), want["sheet"].as_str(), "{name}");
        assert_eq!(r.line_word, "hàng", "{name}: a sheet's rows");
        assert_eq!(
            r.header_line,
            want["header_line"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            r.rows_read as u64,
            want["rows_read"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            r.rows_added as u64,
            want["rows_added"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            r.rows_rejected as u64,
            want["rows_rejected"].as_u64().unwrap(),
            "{name}: {:#?}",
            r.problems
        );
        assert_eq!(
            r.amount_added.to_dong().unwrap(),
            want["amount_added"].as_i64().unwrap(),
            "{name}"
        );
        let skipped: Vec<u64> = want["lines_skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(r.lines_skipped, skipped, "{name}");
        let restored: Vec<(u64, String, String, String)> = want["restored"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["line"].as_u64().unwrap(),
                    v["column"].as_str().unwrap().to_string(),
                    v["stored"].as_str().unwrap().to_string(),
                    v["read"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let got: Vec<(u64, String, String, String)> = r
            .restored
            .iter()
            .map(|x| (x.line, x.column.clone(), x.stored.clone(), x.read.clone()))
            .collect();
        assert_eq!(got, restored, "{name}");
        assert!(r.restored.iter().all(|x| x.reason.contains("bỏ số 0")));
        let problems = want["problems"].as_array().unwrap();
        assert_eq!(
            r.problems.len(),
            problems.len(),
            "{name}: one problem a row: {:#?}",
            r.problems
        );
        for (p, w) in r.problems.iter().zip(problems) {
            assert_eq!(p.line, w["line"].as_u64().unwrap(), "{name}: {p:?}");
            assert_eq!(p.column, w["column"].as_str().unwrap(), "{name}: {p:?}");
            assert!(
                p.reason.contains(w["reason"].as_str().unwrap()),
                "{name}: {p:?}"
            );
        }
        assert_eq!(claims(&l), 0, "{name}: a dry run writes nothing");
        let text = r.describe_vi();
        assert!(text.contains("trang tính"), "{text}");

        let keep = ImportOptions {
            accept_valid: true,
            // Beside the ledger, never into the source tree.
            rejects_out: Some(dir.path().join("bi-tu-choi.xlsx")),
            ..options_for(want)
        };
        let r = run(&mut l, &lan, &path, &keep);
        assert_eq!(
            r.rows_written as u64,
            want["rows_added"].as_u64().unwrap(),
            "{name}"
        );
        for a in want["added"].as_array().unwrap() {
            assert_eq!(
                stored_id(&l, a["name"].as_str().unwrap()),
                a["id"].as_str().unwrap(),
                "{name}: the ID number whole, leading zeros and all"
            );
        }
        // Again: nothing added twice, every good row already there, the same rows refused.
        let again = run(
            &mut l,
            &lan,
            &path,
            &ImportOptions {
                dry_run: true,
                ..keep
            },
        );
        assert_eq!(again.rows_added, 0, "{name}");
        assert_eq!(
            again.rows_already_present as u64,
            want["rows_added"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            again.rows_rejected as u64,
            want["rows_rejected"].as_u64().unwrap(),
            "{name}"
        );
    }
}

/// The Excel vi-VN list: the import names what it restored, the title and signature rows are not data,
/// the freelance worker with a birth year alone is not refused for his age.
#[test]
fn the_excel_vi_vn_list_imports_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (mut l, lan) = ledger(dir.path());
    let r = run(
        &mut l,
        &lan,
        &fixture("01_excel_vi_vn.xlsx"),
        &ImportOptions::default(),
    );
    assert!(r.committed, "{}", r.describe_vi());
    assert_eq!(r.rows_written, 8);
    let c = r
        .columns
        .iter()
        .find(|c| c.header == "Ngày phát sinh")
        .unwrap();
    assert_eq!(
        (c.field, c.letter.as_str(), c.chosen),
        (Some(Field::From), "J", false)
    );
    let signed = r.columns.iter().find(|c| c.header == "Ký nhận").unwrap();
    assert_eq!(signed.field, None);
    let text = r.describe_vi();
    assert!(text.contains("cột  M (13) «Ký nhận» → bỏ qua"), "{text}");
    assert!(
        text.contains("hàng 8, cột «Số CMND/CCCD/ĐDCN»: 1085012345 → 001085012345"),
        "{text}"
    );
    let audit: String = l
        .conn()
        .query_row(
            "SELECT detail FROM audit_log WHERE action = 'import' ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let audit: Value = serde_json::from_str(&audit).unwrap();
    assert_eq!(audit["sheet"], "DS đề nghị");
    assert_eq!(audit["restored"], 8);
    assert_eq!(audit["sha256"].as_str().unwrap().len(), 64);
}

/// All or nothing: a workbook with a refused row writes nothing; --accept-valid keeps the good rows and
/// writes the refused ones to a workbook beside it, every cell text, with the reason; re-imported as it is,
/// it is refused again for the same reasons.
#[test]
fn all_or_nothing_and_a_rejects_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let (mut l, lan) = ledger(dir.path());
    let path = dir.path().join("so-lieu.xlsx");
    std::fs::copy(fixture("04_so_lieu_sai.xlsx"), &path).unwrap();
    let r = run(&mut l, &lan, &path, &ImportOptions::default());
    assert!(!r.committed);
    assert_eq!((r.rows_rejected, claims(&l)), (4, 0));
    let r = run(
        &mut l,
        &lan,
        &path,
        &ImportOptions {
            accept_valid: true,
            ..Default::default()
        },
    );
    assert_eq!((r.rows_written, claims(&l)), (2, 2));
    let rejects = dir.path().join("so-lieu.bi-tu-choi.xlsx");
    assert_eq!(r.rejects_file.as_deref(), Some(rejects.to_str().unwrap()));
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&rejects).unwrap();
    let range = wb.worksheet_range("Bị từ chối").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows.len(), 5, "the header and four refused rows");
    assert_eq!(rows[0].last().unwrap(), "Lý do bị từ chối");
    assert!(
        rows[1].last().unwrap().contains("không cho biết số đúng"),
        "{:?}",
        rows[1]
    );
    assert!(
        range.rows().skip(1).all(|r| r
            .iter()
            .all(|c| matches!(c, calamine::Data::String(_) | calamine::Data::Empty))),
        "every cell of the rejects workbook is text"
    );
    let again = run(
        &mut l,
        &lan,
        &rejects,
        &ImportOptions {
            dry_run: true,
            ..Default::default()
        },
    );
    assert_eq!(
        (again.rows_read, again.rows_rejected),
        (4, 4),
        "{:#?}",
        again.problems
    );
}

/// A list on its second sheet whose date column the vocabulary cannot read: read from the first sheet that
/// holds a list (a sheet it does not have is refused naming those it has); without a mapping the column is
/// listed as ignored and every row refused for want of the date; one --map imports it whole; kept for the
/// next file with the same headers.
#[test]
fn a_list_whose_column_needs_mapping_imports_after_one_map() {
    let dir = tempfile::tempdir().unwrap();
    let (mut l, lan) = ledger(dir.path());
    let path = fixture("02_can_chon_cot.xlsx");
    // No sheet named: the first sheet that holds a list (the first is the instructions).
    let first = run(
        &mut l,
        &lan,
        &path,
        &ImportOptions {
            dry_run: true,
            ..Default::default()
        },
    );
    assert_eq!(first.sheet.as_deref(), Some("Danh sách"));
    // A sheet named that the workbook does not have: refused, naming the sheets it has.
    let e = import_file(
        &mut l,
        &path,
        &ImportOptions {
            sheet: Some("Trang 3".into()),
            ..Default::default()
        },
        &lan,
        &mut |_| true,
    )
    .unwrap_err();
    assert_eq!(e.code(), "file_unreadable");
    assert!(e.to_string().contains("«Hướng dẫn», «Danh sách»"), "{e}");
    let sheet = ImportOptions {
        sheet: Some("danh sach".into()),
        dry_run: true,
        ..Default::default()
    };
    let r = run(&mut l, &lan, &path, &sheet);
    assert_eq!(r.sheets, vec!["Hướng dẫn", "Danh sách"]);
    assert_eq!((r.rows_read, r.rows_rejected), (5, 5));
    assert!(
        r.problems
            .iter()
            .all(|p| p.reason.contains("Cần ngày bắt đầu")),
        "{:#?}",
        r.problems
    );
    assert!(
        !r.problems
            .iter()
            .any(|p| p.reason.contains("tuổi vào ngày")),
        "no false age reason"
    );
    let text = r.describe_vi();
    assert!(
        text.contains("cột  F (6) «Ngày bị ảnh hưởng» → bỏ qua (không thuộc mẫu; nếu cột này là một cột của mẫu, chọn: --map \"Ngày bị ảnh hưởng=<cột của mẫu>\")"),
        "{text}"
    );
    let mapped = ImportOptions {
        dry_run: false,
        choices: vec![ColumnChoice::parse("Ngày bị ảnh hưởng=Từ ngày").unwrap()],
        remember_choices: true,
        ..sheet.clone()
    };
    let r = run(&mut l, &lan, &path, &mapped);
    assert!(r.committed, "{}", r.describe_vi());
    assert_eq!(r.rows_written, 5);
    assert!(r.columns[5].chosen);
    let memory = dir.path().join("ledger.sqlite.cot-nhap.json");
    assert!(memory.exists(), "the choice is kept beside the ledger");
    // The next file with the same headers is read the same way without saying it again.
    let next = run(
        &mut l,
        &lan,
        &path,
        &ImportOptions {
            dry_run: true,
            remember_choices: true,
            ..sheet
        },
    );
    assert!(next.choices_remembered);
    assert_eq!(next.columns[5].field, Some(Field::From));
    assert_eq!((next.rows_already_present, next.rows_rejected), (5, 0));
    // A choice naming no column is refused with the columns there are.
    let e = import_file(
        &mut l,
        &path,
        &ImportOptions {
            sheet: Some("Danh sách".into()),
            choices: vec![ColumnChoice::parse("Ngày nghỉ=Từ ngày").unwrap()],
            ..Default::default()
        },
        &lan,
        &mut |_| true,
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    assert!(e.to_string().contains("F «Ngày bị ảnh hưởng»"), "{e}");
}

/// A damaged workbook (cut short, or zip bytes that are no workbook) is refused with the reason, never a
/// panic, and nothing is written.
#[test]
fn a_damaged_workbook_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (mut l, lan) = ledger(dir.path());
    let whole = std::fs::read(fixture("01_excel_vi_vn.xlsx")).unwrap();
    for (name, bytes) in [
        ("cut.xlsx", whole[..whole.len() / 2].to_vec()),
        ("zip.xlsx", b"PK\x03\x04 not a workbook at all".to_vec()),
        (
            "ole.xls",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 nothing more".to_vec(),
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let e = import_file(&mut l, &path, &ImportOptions::default(), &lan, &mut |_| {
            true
        })
        .unwrap_err();
        assert_eq!(e.code(), "file_unreadable", "{name}: {e}");
        assert!(e.to_string().contains("bảng tính Excel"), "{name}: {e}");
    }
    assert_eq!(claims(&l), 0);
}
