//! The four kinds of ward list offices send (issue 10): an official form with title rows and a signature
//! block, Excel's "Unicode Text" (UTF-16, names in NFD), a Windows-1258 CSV, headers typed without tone marks
//! — each generated from a demo district (`demo::write_ward_file_styled`), with the headers real lists use
//! and no "Đủ điều kiện" column. Without a confirmation every row is refused for its unanswered requirement
//! (and for nothing else: no false age reason, no ignored date column); confirmed for the whole file they
//! import whole, and the audit line names the confirmation, the officer and the file's SHA-256. A row's own
//! cell still wins over the file's confirmation.

use relief_ledger::demo::{write_ward_file_styled, DemoSpec, WardFileStyle};
use relief_ledger::import::{file_sha256, import_file, Field, ImportOptions};
use relief_ledger::ledger::Role;
use relief_ledger::Ledger;
use serde_json::Value;

mod common;

#[test]
fn the_four_kinds_of_ward_list_import_whole_once_confirmed() {
    for style in WardFileStyle::OFFICE {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::open(&dir.path().join("ledger.sqlite")).unwrap();
        let admin = common::init(&mut l, &common::giang_bien_office(), "Chủ tịch");
        let lan = common::add(&mut l, &admin, "Cán bộ Lan", Role::Officer);
        let path = dir.path().join(format!("danh-sach-{}.csv", style.key()));
        let mut bytes = Vec::new();
        let rows = write_ward_file_styled(
            &DemoSpec {
                people: 500,
                wards: 1,
                seed: 10,
            },
            style,
            &mut bytes,
        )
        .unwrap();
        std::fs::write(&path, &bytes).unwrap();
        let name = style.key();

        let dry = ImportOptions {
            dry_run: true,
            ..Default::default()
        };
        let r = import_file(&mut l, &path, &dry, &lan, &mut |_| true).unwrap();
        assert_eq!(r.rows_read, rows, "{name}: every row read");
        let from = r.columns.iter().find(|c| c.field == Some(Field::From));
        assert!(
            from.is_some_and(|c| c.header.to_lowercase().contains("ph")),
            "{name}: Ngày phát sinh is read"
        );
        assert!(
            r.columns
                .iter()
                .all(|c| c.field.is_some() || c.header.is_empty()),
            "{name}: no column ignored: {:?}",
            r.columns
        );
        assert!(
            !r.problems
                .iter()
                .any(|p| p.reason.contains("tuổi vào ngày")),
            "{name}: no false age reason"
        );
        assert!(
            r.problems
                .iter()
                .all(|p| p.reason.contains("Chưa xác nhận")),
            "{name}: refused only for the unanswered requirements: {:#?}",
            r.problems
                .iter()
                .filter(|p| !p.reason.contains("Chưa xác nhận"))
                .take(3)
                .collect::<Vec<_>>()
        );
        assert!(r.rows_rejected > 0, "{name}");
        assert!(
            !r.conditions.is_empty(),
            "{name}: the conditions to confirm are named"
        );
        for c in &r.conditions {
            assert!(
                !c.conditions.is_empty()
                    && c.conditions
                        .iter()
                        .all(|x| !x.basis.is_empty() && !x.question.is_empty())
            );
        }
        assert_eq!(
            r.conditions.iter().map(|c| c.rows).sum::<usize>(),
            r.rows_rejected,
            "{name}: each refused row is one whose requirements the file leaves unanswered"
        );

        let confirmed = ImportOptions {
            confirm_conditions: true,
            ..Default::default()
        };
        let r = import_file(&mut l, &path, &confirmed, &lan, &mut |_| true).unwrap();
        assert_eq!(
            (r.rows_read, r.rows_rejected, r.rows_written),
            (rows, 0, rows),
            "{name}: {:#?}",
            r.problems.iter().take(5).collect::<Vec<_>>()
        );
        assert!(r.committed && r.conditions_confirmed, "{name}");
        let text = r.describe_vi();
        assert!(text.contains("đã xác nhận cho cả tệp"), "{name}: {text}");
        let detail: String = l
            .conn()
            .query_row(
                "SELECT detail FROM audit_log WHERE action = 'import' ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let detail: Value = serde_json::from_str(&detail).unwrap();
        let c = &detail["conditions_confirmed"];
        assert_eq!(c["by"], "Cán bộ Lan", "{name}");
        assert_eq!(c["sha256"], file_sha256(&path).unwrap(), "{name}");
        assert!(c["policies"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| !p["conditions"].as_array().unwrap().is_empty()));

        // Imported again: nothing twice.
        let again = import_file(
            &mut l,
            &path,
            &ImportOptions {
                dry_run: true,
                ..confirmed
            },
            &lan,
            &mut |_| true,
        )
        .unwrap();
        assert_eq!(
            (again.rows_already_present, again.rows_added),
            (rows, 0),
            "{name}"
        );
    }
}

/// The file's confirmation answers only what a row leaves blank: a row marked "không" in "Đủ điều kiện",
/// or stating a requirement as not met in "Điều kiện khác", is still refused for it.
#[test]
fn a_rows_own_cell_wins_over_the_files_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(&dir.path().join("ledger.sqlite")).unwrap();
    let admin = common::init(&mut l, &common::giang_bien_office(), "Chủ tịch");
    let lan = common::add(&mut l, &admin, "Cán bộ Lan", Role::Officer);
    let path = dir.path().join("ds.csv");
    std::fs::write(
        &path,
        "STT,Họ và tên,Ngày sinh,Giới tính,Số CCCD/CMND,Chính sách,Ngày phát sinh,Đủ điều kiện,Điều kiện khác\r\n\
         1,Nguyễn Văn An,01/01/1980,Nam,001080111111,hn-3642-freelance,24/07/2021,,\r\n\
         2,Trần Thị Bình,02/02/1981,Nữ,001181222222,hn-3642-freelance,24/07/2021,không,\r\n\
         3,Lê Văn Cường,03/03/1982,Nam,001082333333,hn-3642-freelance,24/07/2021,,resident_hanoi=không\r\n\
         4,Phạm Thị Dung,04/04/1983,Nữ,001183444444,hn-3642-freelance,24/07/2021,x,\r\n",
    )
    .unwrap();
    let r = import_file(
        &mut l,
        &path,
        &ImportOptions {
            dry_run: true,
            confirm_conditions: true,
            ..Default::default()
        },
        &lan,
        &mut |_| true,
    )
    .unwrap();
    assert_eq!((r.rows_added, r.rows_rejected), (2, 2), "{:#?}", r.problems);
    let lines: Vec<u64> = r.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, vec![3, 4]);
    assert_eq!(r.conditions.len(), 1);
    assert_eq!(
        (r.conditions[0].rows, r.conditions[0].lines.clone()),
        (1, vec![2]),
        "only row 1 left it blank"
    );
    assert_eq!(r.conditions[0].conditions[0].fact, "resident_hanoi");
    assert!(r.conditions[0].conditions[0].basis.contains("3642"));
}
