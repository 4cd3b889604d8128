//! The auditor's duplicate check end to end on real SQLite files and real ward files: every kind of
//! duplicate an audit meets found from a fixture list, sources never written, an older ledger read, a list
//! in a legacy encoding read, review decisions and the recovery list, and accuracy on generated districts.

use relief_ledger::dedup::{self, Conflict, DuplicateReport, MatchClass, ReasonCode};
use relief_ledger::identity::{IdKind, IdentityDoc};
use relief_ledger::ledger::{Dob, NewPerson, PersonEdit, Sex};
use relief_ledger::{Ledger, Money};
use std::path::Path;

mod common;
use common::wards::*;

#[test]
fn every_kind_of_duplicate_in_another_wards_list_is_found_with_its_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _t) = giang_bien(&dir.path().join("gb.sqlite"));
    let file = fixture("viet-hung.csv");
    let r = check(&l, &[&file]);
    use ReasonCode::*;
    let expect = [
        (
            "Nguyễn Thị Hương",
            5,
            vec![SameIdNumber, SameName, PaidSamePolicy],
        ),
        ("Trần Văn Nam", 6, vec![IdDigitDropped, SameName, SameDob]),
        (
            "Lê Minh Tuấn",
            7,
            vec![CmndAndCccd, CccdMatchesBirth, SameName, SameDob],
        ),
        ("Phạm Thị Lan", 8, vec![SameIdNumber, NameMiddleMissing]),
        (
            "Đỗ Văn Hùng",
            9,
            vec![DobDayMonthSwapped, IdDigitsSwapped, SameName],
        ),
        (
            "Nguyễn Minh An",
            11,
            vec![ChildInTwoClaims, SameName, SameDob],
        ),
        ("Lê Minh Tuấn", 13, vec![SameIdNumber, NameWordsReordered]),
        (
            "Vũ Thị Mai",
            14,
            vec![DobYearOnly, IdDigitChanged, SameName],
        ),
    ];
    for (name, line, want) in expect {
        let p =
            pair_at(&r, name, line).unwrap_or_else(|| panic!("{name} / line {line} not paired"));
        assert!(
            matches!(p.class, MatchClass::Certain | MatchClass::Likely),
            "{name} / line {line}: {:?} {:?}",
            p.class,
            codes(p)
        );
        for code in want {
            assert!(
                codes(p).contains(&code),
                "{name} / line {line}: {code:?} missing from {:?}",
                codes(p)
            );
        }
        assert!(
            p.reasons.iter().all(|r| !r.text.is_empty()),
            "every reason has its words"
        );
    }
    // A namesake with another CCCD is shown, but only as possible.
    let namesake = pair_at(&r, "Hoàng Văn Long", 10).expect("namesake shown");
    assert_eq!(namesake.class, MatchClass::Possible);
    assert!(codes(namesake).contains(&IdNumbersDiffer));
    // The paid person listed again in another ward is a claim made twice, and comes first.
    let first = &r.pairs[0];
    assert_eq!(first.conflict, Conflict::ClaimedTwice);
    assert_eq!(r.records[first.a].name, "Nguyễn Thị Hương");
    // The row with no name and no number is named, the form's other lines are not data.
    let src = r.sources.iter().find(|s| s.kind == "file").unwrap();
    assert_eq!(src.nothing_to_compare, vec![12]);
    assert_eq!(src.people, 9, "ten rows, one with nothing to compare");
    assert_eq!(src.children, 1);
    // Nothing else of the form's furniture became a record.
    assert!(r
        .records
        .iter()
        .all(|x| !x.name.contains("Người lập") && !x.name.contains("Tổng")));
}

#[test]
fn a_list_saved_in_utf16_with_semicolons_and_decomposed_names_gives_the_same_pairs() {
    use unicode_normalization::UnicodeNormalization;
    let dir = tempfile::tempdir().unwrap();
    let (l, _t) = giang_bien(&dir.path().join("gb.sqlite"));
    let text = std::fs::read_to_string(fixture("viet-hung.csv")).unwrap();
    let text = text
        .trim_start_matches('\u{feff}')
        .replace(',', ";")
        .nfd()
        .collect::<String>();
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let odd = dir.path().join("viet hung (unicode).txt");
    std::fs::write(&odd, bytes).unwrap();
    let plain = check(&l, &[&fixture("viet-hung.csv")]);
    let quirky = check(&l, &[&odd]);
    let summary = |r: &DuplicateReport| -> Vec<(String, Option<u64>, MatchClass)> {
        let mut v: Vec<_> = r
            .pairs
            .iter()
            .map(|p| (r.records[p.a].name.clone(), r.records[p.b].line, p.class))
            .collect();
        v.sort_by(|x, y| (&x.0, x.1).cmp(&(&y.0, y.1)));
        v
    };
    assert!(!plain.pairs.is_empty());
    assert_eq!(summary(&plain), summary(&quirky));
    // Names read from the decomposed file are stored composed.
    assert!(quirky.records.iter().any(|r| r.name == "NGUYỄN THỊ HƯƠNG"));
}

#[test]
fn sources_are_never_written_and_the_run_is_in_the_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    let (mut l, t) = giang_bien(&dir.path().join("gb.sqlite"));
    let other_path = dir.path().join("others").join("viet-hung.sqlite");
    std::fs::create_dir_all(other_path.parent().unwrap()).unwrap();
    {
        let (mut o, ot) = ward(&other_path, "Việt Hưng");
        person(
            (&mut o, &ot),
            "Nguyễn Thị Hương",
            "12/03/1990",
            true,
            &[(IdKind::Cmnd, "012345679")],
        );
    }
    let list = dir.path().join("list.csv");
    std::fs::copy(fixture("viet-hung.csv"), &list).unwrap();
    let listing = |p: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let before = (
        sha(&other_path),
        sha(&list),
        listing(other_path.parent().unwrap()),
    );
    let r = check(&l, &[&other_path, &list]);
    let after = (
        sha(&other_path),
        sha(&list),
        listing(other_path.parent().unwrap()),
    );
    assert_eq!(before, after, "a source's bytes and folder are unchanged");
    assert!(pair_at(&r, "Nguyễn Thị Hương", 5).is_some());
    let other = r
        .sources
        .iter()
        .find(|s| s.source.ends_with("viet-hung.sqlite"))
        .unwrap();
    assert_eq!(other.sha256, before.0);
    assert_eq!(other.people, 1);
    l.record_duplicate_check(&r.audit_detail(), &t.auditor)
        .unwrap();
    let log = l.recent_audit(1).unwrap();
    assert_eq!(log[0].action, "duplicate_check");
    let detail = log[0].detail.to_string();
    assert!(
        detail.contains(&before.0) && detail.contains(&before.1),
        "{detail}"
    );
    assert!(l.verify().unwrap().problems.is_empty());
}

#[test]
fn a_ledger_of_an_older_schema_is_read_and_a_newer_or_foreign_file_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _t) = giang_bien(&dir.path().join("gb.sqlite"));
    // A ward's ledger still at schema version 1 (written before the review tables existed).
    let old = dir.path().join("old.sqlite");
    {
        let mut c = rusqlite::Connection::open(&old).unwrap();
        relief_ledger::store::migrate_to(&mut c, 1).unwrap();
        c.execute_batch(
            "INSERT INTO office VALUES (1, 'Thạch Bàn', 'Long Biên', 'Hà Nội', '2021-08-01T00:00:00Z');
             INSERT INTO person (id, full_name, name_key, dob, dob_precision, sex, created_by, created_at)
                  VALUES ('p-old', 'Tran Van Nam', 'tran van nam', '1985-11-05', 'day', 'M', 'x', '2021-08-01');
             INSERT INTO identity_doc (person_id, kind, number) VALUES ('p-old', 'cmnd', '013456789');",
        )
        .unwrap();
    }
    let hash = sha(&old);
    let r = check(&l, &[&old]);
    assert_eq!(sha(&old), hash);
    let src = r
        .sources
        .iter()
        .find(|s| s.source.ends_with("old.sqlite"))
        .unwrap();
    assert_eq!(src.schema_version, Some(1));
    let p = pair_at(&r, "Trần Văn Nam", 0).or_else(|| {
        r.pairs
            .iter()
            .find(|p| r.records[p.b].person.as_deref() == Some("p-old"))
    });
    let p = p.expect("the older ledger's record is compared");
    assert!(codes(p).contains(&ReasonCode::CmndAndCccd));
    assert_eq!(r.records[p.b].ward.as_deref(), Some("Thạch Bàn"));

    // From a newer build: refused with the reason, not read wrong.
    let newer = dir.path().join("newer.sqlite");
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99; CREATE TABLE t(x);")
        .unwrap();
    let err = dedup::find_duplicates(&l, "gb", &[newer.display().to_string()], &mut |_| true)
        .unwrap_err();
    assert_eq!(err.code(), "file_unreadable");
    assert!(err.to_string().contains("phiên bản mới hơn"), "{err}");
    // Some other SQLite file: not a ledger.
    let foreign = dir.path().join("foreign.sqlite");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("PRAGMA user_version = 1; CREATE TABLE t(x);")
        .unwrap();
    let err = dedup::find_duplicates(&l, "gb", &[foreign.display().to_string()], &mut |_| true)
        .unwrap_err();
    assert!(err.to_string().contains("không phải sổ chi trả"), "{err}");
    // A file that is missing is named.
    let err =
        dedup::find_duplicates(&l, "gb", &["khong-co.csv".into()], &mut |_| true).unwrap_err();
    assert!(err.to_string().contains("khong-co.csv"), "{err}");
}

#[test]
fn paid_twice_in_two_wards_goes_on_the_recovery_list_once_an_auditor_decides() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, t) = giang_bien(&dir.path().join("gb.sqlite"));
    // Việt Hưng paid the same woman under her old CMND a month later, and a namesake it paid rightly.
    let vh = dir.path().join("vh.sqlite");
    viet_hung(&vh, true);
    let r = check(&a, &[&vh]);
    let first = &r.pairs[0];
    assert_eq!(
        first.conflict,
        Conflict::PaidTwice,
        "paid twice comes first"
    );
    assert_eq!(r.records[first.a].name, "Nguyễn Thị Hương");
    assert_eq!(
        first.at_stake,
        Money::from_dong(3_710_000),
        "the later payout is at stake"
    );
    assert!(codes(first).contains(&ReasonCode::PaidSamePolicy));
    assert_eq!(r.paid_twice(), 1);

    // Only an auditor or admin decides.
    let err = dedup::review(
        &mut a,
        &r,
        first,
        true,
        "Cùng ngày sinh, CMND cũ",
        &t.officer,
    )
    .unwrap_err();
    assert_eq!(err.code(), "role_required");
    let err = dedup::review(&mut a, &r, first, true, "ok", &t.auditor).unwrap_err();
    assert_eq!(err.code(), "invalid_input", "a decision states its basis");
    let done = dedup::review(
        &mut a,
        &r,
        first,
        true,
        "Đối chiếu hồ sơ gốc: cùng một người",
        &t.auditor,
    )
    .unwrap();
    assert_eq!(done.recovery_lines, 1);
    assert_eq!(done.recovery_amount, Money::from_dong(3_710_000));
    let list = a.recovery_list().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].line.source, vh.display().to_string());
    assert_eq!(list[0].line.decision_no.as_deref(), Some("77/QĐ-UBND"));
    assert_eq!(list[0].line.paid_on, Some(day("20/09/2021")));
    assert!(
        list[0].line.basis.contains("125/QĐ-UBND"),
        "{}",
        list[0].line.basis
    );

    // The namesake, decided not the same person, is not shown again...
    let r2 = check(&a, &[&vh]);
    assert_eq!(r2.reviewed_hidden, 1, "the decided pair is hidden");
    let long = r2
        .pairs
        .iter()
        .find(|p| r2.records[p.a].name == "Hoàng Văn Long")
        .expect("the namesake pair");
    dedup::review(
        &mut a,
        &r2,
        long,
        false,
        "Hai người khác nhau: khác quê, khác CMND",
        &t.auditor,
    )
    .unwrap();
    let r3 = check(&a, &[&vh]);
    assert_eq!(r3.reviewed_hidden, 2);
    assert!(r3
        .pairs
        .iter()
        .all(|p| r3.records[p.a].name != "Hoàng Văn Long"));
    // ...until one of the two records changes.
    let long_id = a.person_by_id_number("001088003333").unwrap().id;
    let p = a.person(&long_id).unwrap();
    a.update_person(
        &long_id,
        &PersonEdit {
            full_name: p.full_name,
            dob: p.dob,
            sex: p.sex,
            address: p.address,
            residential_group: p.residential_group,
            ward: p.ward,
            phone: Some("0987000111".into()),
        },
        &t.officer,
    )
    .unwrap();
    let r4 = check(&a, &[&vh]);
    assert!(r4
        .pairs
        .iter()
        .any(|p| r4.records[p.a].name == "Hoàng Văn Long"));

    // The recovery list prints with the amount in words and exports for Excel.
    let html = relief_ledger::export::recovery_sheet_html(&a).unwrap();
    assert!(html.contains("DANH SÁCH THU HỒI") && html.contains("3.710.000"));
    assert!(html.contains(&Money::from_dong(3_710_000).in_words_vi()));
    let mut csv = Vec::new();
    relief_ledger::export::write_recovery_csv(&list, b',', &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.starts_with('\u{feff}') && csv.contains("Nguyen Thi Huong") && csv.contains("3710000")
    );

    // Decisions are in the audit log, the chain holds, and the schema refuses what the core would.
    let actions: Vec<String> = a
        .recent_audit(10)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.contains(&"duplicate_same_person".to_string()));
    assert!(actions.contains(&"duplicate_not_same_person".to_string()));
    assert!(a.verify().unwrap().problems.is_empty());
    let raw = rusqlite::Connection::open(dir.path().join("gb.sqlite")).unwrap();
    let e = raw
        .execute("UPDATE recovery_item SET amount = 1", [])
        .unwrap_err();
    assert!(e.to_string().contains("ledger_immutable"));
    let e = raw
        .execute(
            "INSERT INTO duplicate_review (id, pair_key, decision, note, a_record, b_record, score, class, decided_by, decided_at)
             VALUES ('x', '0123456789abcdef0123456789abcdef', 'distinct', 'khác người', '{}', '{}', 0.5, 'possible', 'officer', 'now')",
            [],
        )
        .unwrap_err();
    assert!(e.to_string().contains("role_required"));
    let e = raw.execute("DELETE FROM duplicate_review", []).unwrap_err();
    assert!(e.to_string().contains("ledger_immutable"));
}

#[test]
fn generated_districts_find_every_planted_kind_with_few_false_alarms() {
    // Several seeds and sizes: the engine is tuned on none of them.
    for (people, seed) in [(2_000, 11), (6_000, 12), (12_000, 13)] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("planted.csv");
        let mut truth = Vec::new();
        let spec = relief_ledger::demo::DemoSpec {
            people,
            wards: 4,
            seed,
        };
        let (_, planted) = relief_ledger::demo::write_ward_file_planted(
            &spec,
            0.08,
            std::fs::File::create(&file).unwrap(),
            Some(&mut truth),
        )
        .unwrap();
        assert!(planted > people / 20);
        let l = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
        let src = file.display().to_string();
        let r = dedup::find_duplicates(&l, "l", std::slice::from_ref(&src), &mut |_| true).unwrap();
        let truth = relief_ledger::demo::duplicates::read_truth(&String::from_utf8(truth).unwrap());
        let acc = relief_ledger::demo::duplicates::evaluate(&r, &src, &truth);
        for (kind, n, found, recall) in &acc.per_kind {
            assert!(
                *recall >= 0.97,
                "{people}/{seed}: {kind} recall {recall} ({found}/{n})"
            );
        }
        assert!(
            acc.precision >= 0.97,
            "{people}/{seed}: precision {}",
            acc.precision
        );
    }
}

#[test]
fn registering_someone_likely_already_in_the_ledger_needs_a_reason_that_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    let (mut l, t) = giang_bien(&dir.path().join("gb.sqlite"));
    let new = |name: &str, dob: &str, ids: &[(IdKind, &str)]| NewPerson {
        full_name: name.into(),
        dob: Some(Dob::Day(day(dob))),
        sex: Some(Sex::Female),
        ids: ids
            .iter()
            .map(|(kind, number)| IdentityDoc {
                kind: *kind,
                number: number.to_string(),
            })
            .collect(),
        ..Default::default()
    };
    // Her old CMND, the name typed without marks: the desk is told who she may be.
    let again = new(
        "Nguyen Thi Huong",
        "12/03/1990",
        &[(IdKind::Cmnd, "012345679")],
    );
    let shown = dedup::likely_duplicates(&l, &again).unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].person.name, "Nguyễn Thị Hương");
    assert!(shown[0]
        .reasons
        .iter()
        .any(|r| r.code == ReasonCode::CmndAndCccd));
    let err = dedup::register_person(&mut l, &again, None, &t.officer).unwrap_err();
    assert_eq!(err.code(), "likely_duplicate");
    assert!(err.to_string().contains("Nguyễn Thị Hương"), "{err}");
    let err = dedup::register_person(&mut l, &again, Some("  "), &t.officer).unwrap_err();
    assert_eq!(
        err.code(),
        "likely_duplicate",
        "a blank reason is no reason"
    );
    let (p, _) =
        dedup::register_person(&mut l, &again, Some("Người khác: quê Nam Định"), &t.officer)
            .unwrap();
    let log = l.recent_audit(1).unwrap();
    assert_eq!(log[0].entity_id.as_deref(), Some(p.id.as_str()));
    let detail = log[0].detail.to_string();
    assert!(
        detail.contains("quê Nam Định") && detail.contains("cmnd_and_cccd"),
        "{detail}"
    );
    // A CCCD typed with one digit changed is found by its neighbours in the registry.
    let typo = new(
        "Phạm Thị Lan",
        "03/04/1992",
        &[(IdKind::Cccd, "001192005585")],
    );
    let shown = dedup::likely_duplicates(&l, &typo).unwrap();
    assert!(shown.iter().any(|m| m
        .reasons
        .iter()
        .any(|r| r.code == ReasonCode::IdDigitChanged)));
    // Twins: one birth date, neighbouring numbers, names one letter apart once folded ("Hùng", "Hương").
    let mut twin = new(
        "Trần Văn Hùng",
        "15/06/1985",
        &[(IdKind::Cccd, "001085100071")],
    );
    twin.sex = Some(Sex::Male);
    dedup::register_person(&mut l, &twin, None, &t.officer).unwrap();
    let mut other = new(
        "Trần Văn Hương",
        "15/06/1985",
        &[(IdKind::Cccd, "001085100072")],
    );
    other.sex = Some(Sex::Male);
    assert!(dedup::likely_duplicates(&l, &other).unwrap().is_empty());
    // The same name typed without marks and a letter dropped is one person.
    let mut typed = new(
        "Tran Van Hng",
        "15/06/1985",
        &[(IdKind::Cccd, "001085100071")],
    );
    typed.sex = Some(Sex::Male);
    assert_eq!(dedup::likely_duplicates(&l, &typed).unwrap().len(), 1);
    // Someone new is registered without a word.
    let fresh = new(
        "Kiều Thị Ngân",
        "01/01/1999",
        &[(IdKind::Cccd, "001199123456")],
    );
    assert!(dedup::likely_duplicates(&l, &fresh).unwrap().is_empty());
    dedup::register_person(&mut l, &fresh, None, &t.officer).unwrap();
}
