//! What an officer sees of a day's work (issue 13): the claims register finds a claim by what the office
//! knows of it, and the audit log reads as sentences, never as the software's own codes.

use relief_ledger::identity::{IdKind, IdentityDoc};
use relief_ledger::import::{import_file, ImportOptions};
use relief_ledger::ledger::{ClaimFilter, ClaimSubject, Dob, NewClaim, NewPerson, Sex};
use relief_ledger::rules::ClaimFacts;
use relief_ledger::{Ledger, Money};
use std::path::Path;

mod common;

fn day(s: &str) -> chrono::NaiveDate {
    relief_ledger::dates::parse_date(s).unwrap()
}

fn f1_facts() -> ClaimFacts {
    let mut facts = ClaimFacts {
        from: Some(day("01/08/2021")),
        to: Some(day("21/08/2021")),
        ..Default::default()
    };
    facts.flags.insert("quarantine_decision".into(), true);
    facts
}

#[test]
fn the_register_finds_claims_and_the_log_reads_as_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
    let t = common::team(&mut l, &common::giang_bien_office());
    let mut claims = Vec::new();
    for (name, cccd, group) in [
        ("Nguyễn Thị Hương", "001185012345", "Tổ 3"),
        ("Đặng Văn Đức", "001080012346", "Tổ 10"),
        ("Lê Thị Mai", "001190012347", "Tổ 3"),
    ] {
        let p = l
            .add_person(
                &NewPerson {
                    full_name: name.into(),
                    dob: Some(Dob::Year(1900 + cccd[4..6].parse::<i32>().unwrap())),
                    sex: Some(if cccd.as_bytes()[3] == b'1' {
                        Sex::Female
                    } else {
                        Sex::Male
                    }),
                    ids: vec![IdentityDoc {
                        kind: IdKind::Cccd,
                        number: cccd.into(),
                    }],
                    residential_group: Some(group.into()),
                    ..Default::default()
                },
                &t.officer,
            )
            .unwrap();
        claims.push(
            l.add_claim(
                &NewClaim {
                    policy: "68-f1".into(),
                    subject: ClaimSubject::Person(p.id),
                    applicant: None,
                    facts: f1_facts(),
                },
                &t.officer,
            )
            .unwrap()
            .id,
        );
    }
    let list = l
        .create_list("Đợt 1", &[], &claims[..2], &t.officer)
        .unwrap();
    l.post_list(&list.id, day("01/09/2021"), &t.officer)
        .unwrap();
    l.approve_list(&list.id, "125/QĐ-UBND", day("05/09/2021"), &t.approver)
        .unwrap();
    l.pay(
        &list.id,
        Some(&claims[0]),
        day("10/09/2021"),
        "cash",
        &t.accountant,
    )
    .unwrap();
    let payout = l.live_payout_of(&claims[0]).unwrap().unwrap();
    l.reverse(
        &payout,
        "Chi nhầm người nhận",
        day("11/09/2021"),
        &t.approver,
    )
    .unwrap();
    l.withdraw_claim(&claims[2], "Người dân xin rút hồ sơ", &t.officer)
        .unwrap();

    let find = |f: ClaimFilter| {
        let page = l.claims_register(&f, 0, 100).unwrap();
        (
            page.total,
            page.rows.into_iter().map(|r| r.id).collect::<Vec<_>>(),
        )
    };
    assert_eq!(find(ClaimFilter::default()).0, 3);
    // By residential group, by name without tone marks, by the start of an ID number.
    let (n, rows) = find(ClaimFilter {
        residential_group: Some("Tổ 3".into()),
        ..Default::default()
    });
    assert_eq!(n, 2);
    assert!(rows.contains(&claims[0]) && rows.contains(&claims[2]));
    assert_eq!(
        find(ClaimFilter {
            person: Some("dang van duc".into()),
            ..Default::default()
        })
        .1,
        vec![claims[1].clone()]
    );
    assert_eq!(
        find(ClaimFilter {
            person: Some("001080".into()),
            ..Default::default()
        })
        .1,
        vec![claims[1].clone()]
    );
    // By state and by list (or none).
    assert_eq!(
        find(ClaimFilter {
            state: Some("withdrawn".into()),
            ..Default::default()
        })
        .1,
        vec![claims[2].clone()]
    );
    assert_eq!(
        find(ClaimFilter {
            state: Some("approved".into()),
            ..Default::default()
        })
        .0,
        2,
        "the reversed one is payable again"
    );
    assert_eq!(
        find(ClaimFilter {
            list: Some(list.id.clone()),
            ..Default::default()
        })
        .0,
        2
    );
    assert_eq!(
        find(ClaimFilter {
            list: Some("none".into()),
            ..Default::default()
        })
        .1,
        vec![claims[2].clone()]
    );
    assert_eq!(
        find(ClaimFilter {
            policy: Some("68-suspension".into()),
            ..Default::default()
        })
        .0,
        0
    );
    let page = l.claims_register(&ClaimFilter::default(), 0, 100).unwrap();
    let row = page.rows.iter().find(|r| r.id == claims[2]).unwrap();
    assert_eq!(row.state_label, "Đã rút");
    assert_eq!(row.residential_group.as_deref(), Some("Tổ 3"));
    assert_eq!(page.amount, Money::from_dong(3 * 1_680_000));
    assert_eq!(
        l.residential_groups().unwrap(),
        vec!["Tổ 3".to_string(), "Tổ 10".to_string()]
    );

    // A ward file imported: its row in the log reads as the office would write it.
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/01_canonical_utf8_bom.csv");
    let copy = dir.path().join("danh-sach.csv");
    std::fs::copy(&file, &copy).unwrap();
    let report = import_file(
        &mut l,
        &copy,
        &ImportOptions {
            accept_valid: true,
            ..Default::default()
        },
        &t.officer,
        &mut |_| true,
    )
    .unwrap();
    assert!(report.rows_added > 0);
    let log = l.recent_audit(200).unwrap();
    let import = &log[0];
    assert_eq!(
        import.text,
        format!(
            "Nhập tệp danh-sach.csv: {} dòng, thêm {} hồ sơ, {} đ{}",
            report.rows_read,
            report.rows_added,
            report.amount_added.format_vi(),
            if report.rows_rejected > 0 {
                format!("; {} dòng bị từ chối", report.rows_rejected)
            } else {
                String::new()
            }
        )
    );
    // No row shows an action code, a detail key or an id.
    let code = regex_free_code();
    for e in &log {
        assert!(!e.text.is_empty(), "{e:?}");
        assert!(!code(&e.text), "{}: {}", e.action, e.text);
        assert!(!e.text.contains(&e.action), "{}: {}", e.action, e.text);
    }
    let texts: Vec<&str> = log.iter().map(|e| e.text.as_str()).collect();
    for want in [
        "Khởi tạo sổ của Phường Giang Biên · Quận Long Biên · Hà Nội",
        "Thêm người dùng approver, vai trò Lãnh đạo phê duyệt",
        "Ghi hồ sơ ",
        "Lập danh sách “Đợt 1”: 2 hồ sơ",
        "Niêm yết công khai danh sách “Đợt 1” ngày 01/09/2021",
        "Phê duyệt danh sách “Đợt 1” theo Quyết định số 125/QĐ-UBND ngày 05/09/2021",
        "Thu hồi (đảo) khoản chi hồ sơ ",
        "Rút hồ sơ ",
    ] {
        assert!(
            texts.iter().any(|t| t.starts_with(want)),
            "{want}: {texts:#?}"
        );
    }
    let pay = texts.iter().find(|t| t.starts_with("Chi trả")).unwrap();
    assert!(
        pay.contains("Nguyễn Thị Hương")
            && pay.contains("1.680.000 đ")
            && pay.contains("ngày 10/09/2021"),
        "{pay}"
    );
}

/// True when `text` holds what looks like a code: a snake_case word or a UUID-like run of hex and dashes.
fn regex_free_code() -> impl Fn(&str) -> bool {
    |text: &str| {
        text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .any(|w| {
                (w.contains('_') && w.chars().any(|c| c.is_ascii_lowercase()))
                    || (w.len() >= 32 && w.chars().filter(|c| *c == '-').count() >= 4)
            })
    }
}
