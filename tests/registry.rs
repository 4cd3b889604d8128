//! The registry as an officer uses it: registering people with several documents, finding them again
//! without tone marks, correcting details, and the checks that keep one person one record.

use chrono::NaiveDate;
use relief_ledger::identity::{IdKind, IdentityDoc};
use relief_ledger::ledger::{Actor, ClaimSubject, Dob, NewClaim, NewPerson, PersonEdit, Role, Sex};
use relief_ledger::rules::ClaimFacts;
use relief_ledger::Ledger;

mod common;

/// The ledger, and its officer "can-bo" signed in.
fn ledger() -> (tempfile::TempDir, Ledger, Actor) {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
    let admin = common::init(&mut l, &common::giang_bien_office(), "admin");
    let officer = common::add(&mut l, &admin, "can-bo", Role::Officer);
    (dir, l, officer)
}

fn huong() -> NewPerson {
    NewPerson {
        full_name: "Nguyễn Thị Hương".into(),
        dob: Some(Dob::Day(NaiveDate::from_ymd_opt(1990, 3, 12).unwrap())),
        sex: Some(Sex::Female),
        ids: vec![
            IdentityDoc {
                kind: IdKind::Cccd,
                number: "001 190 012 345".into(),
            },
            IdentityDoc {
                kind: IdKind::Cmnd,
                number: "012345678".into(),
            },
        ],
        residential_group: Some("Tổ 5".into()),
        ..Default::default()
    }
}

#[test]
fn search_finds_people_without_tone_marks_and_by_any_of_their_numbers() {
    let (_d, mut l, can_bo) = ledger();
    let p = l.add_person(&huong(), &can_bo).unwrap();
    assert_eq!(
        p.ward.as_deref(),
        Some("Giang Biên"),
        "the office's ward by default"
    );
    assert_eq!(p.ids.len(), 2);
    for q in [
        "nguyen thi huong",
        "NGUYEN THI HUONG",
        "thi huong",
        "Nguyễn Thị Hương",
        "0011900",
        "012345678",
    ] {
        let found = l.search_people(q, 10).unwrap();
        assert_eq!(found.len(), 1, "'{q}' finds her");
        assert_eq!(found[0].id, p.id);
    }
    assert!(l.search_people("nguyen van", 10).unwrap().is_empty());
    assert_eq!(l.person_by_id_number("012345678").unwrap().id, p.id);
}

#[test]
fn identity_numbers_must_agree_with_birth_year_and_sex() {
    let (_d, mut l, can_bo) = ledger();
    let mut wrong_year = huong();
    wrong_year.dob = Some(Dob::Year(1991));
    let err = l.add_person(&wrong_year, &can_bo).unwrap_err();
    assert_eq!(err.code(), "invalid_identity");
    assert!(err.to_string().contains("1990"), "{err}");
    let mut wrong_sex = huong();
    wrong_sex.sex = Some(Sex::Male);
    assert_eq!(
        l.add_person(&wrong_sex, &can_bo).unwrap_err().code(),
        "invalid_identity"
    );
    // A year alone is accepted and kept as a year.
    let mut year_only = huong();
    year_only.dob = Some(Dob::Year(1990));
    let p = l.add_person(&year_only, &can_bo).unwrap();
    assert_eq!(l.person(&p.id).unwrap().dob, Some(Dob::Year(1990)));
}

#[test]
fn details_can_be_corrected_but_not_a_birth_date_already_priced() {
    let (_d, mut l, can_bo) = ledger();
    let p = l.add_person(&huong(), &can_bo).unwrap();
    let edit = PersonEdit {
        full_name: "Nguyễn Thị Thu Hương".into(),
        dob: p.dob,
        sex: p.sex,
        phone: Some("0912 345 678".into()),
        residential_group: Some("Tổ 7".into()),
        ..Default::default()
    };
    let after = l.update_person(&p.id, &edit, &can_bo).unwrap();
    assert_eq!(after.full_name, "Nguyễn Thị Thu Hương");
    assert_eq!(after.residential_group.as_deref(), Some("Tổ 7"));
    assert_eq!(
        l.search_people("thu huong", 5).unwrap().len(),
        1,
        "the search key follows the new name"
    );
    let audit = l.recent_audit(1).unwrap();
    assert_eq!(audit[0].action, "update_person");
    assert_eq!(audit[0].detail["before"]["full_name"], "Nguyễn Thị Hương");

    let mut facts = ClaimFacts {
        from: Some(NaiveDate::from_ymd_opt(2021, 7, 24).unwrap()),
        ..Default::default()
    };
    facts.flags.insert("resident_hanoi".into(), true);
    l.add_claim(
        &NewClaim {
            policy: "hn-3642-freelance".into(),
            subject: ClaimSubject::Person(p.id.clone()),
            applicant: None,
            facts,
        },
        &can_bo,
    )
    .unwrap();
    let older = PersonEdit {
        dob: Some(Dob::Day(NaiveDate::from_ymd_opt(1990, 1, 1).unwrap())),
        ..edit
    };
    let err = l.update_person(&p.id, &older, &can_bo).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("ngày sinh"), "{err}");
}

/// One owner for the phone and tax-code checks (issue 11): the ledger's own writes take a phone and a tax
/// code as offices write them, store one form, and refuse what is neither, naming the field.
#[test]
fn phones_and_tax_codes_are_checked_once_and_stored_in_one_form() {
    let (_dir, mut l, officer) = ledger();
    let p = l
        .add_person(
            &NewPerson {
                phone: Some("+84 912.345.678".into()),
                ..huong()
            },
            &officer,
        )
        .unwrap();
    assert_eq!(p.phone.as_deref(), Some("0912345678"));
    let err = l
        .add_person(
            &NewPerson {
                full_name: "Lê Văn Tám".into(),
                ids: vec![],
                phone: Some("12345".into()),
                ..huong()
            },
            &officer,
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("số điện thoại"), "{err}");
    let h = l
        .add_household(
            "Hộ KD Bún chả",
            Some(&p.id),
            Some("0101234567001"),
            None,
            &officer,
        )
        .unwrap();
    assert_eq!(h.tax_code.as_deref(), Some("0101234567-001"));
    let err = l
        .add_household("Hộ KD khác", None, Some("01012345"), None, &officer)
        .unwrap_err();
    assert!(err.to_string().contains("mã số thuế"), "{err}");
}
