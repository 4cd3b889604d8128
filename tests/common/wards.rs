//! Two wards' ledgers and lists with planted duplicates (Giang Biên, Việt Hưng): the world the duplicate
//! check's tests, the core's and the CLI's, run on.

use super::Team;
use chrono::NaiveDate;
use relief_ledger::dedup::{self, DuplicateReport, ReasonCode};
use relief_ledger::identity::{IdKind, IdentityDoc};
use relief_ledger::ledger::{ClaimSubject, Dob, NewClaim, NewPerson, Sex};
use relief_ledger::rules::{ChildFact, ClaimFacts};
use relief_ledger::Ledger;
use std::path::{Path, PathBuf};

pub const OFFICER: &str = "officer";
pub const AUDITOR: &str = "auditor";

pub fn day(s: &str) -> NaiveDate {
    relief_ledger::dates::parse_date(s).unwrap()
}

pub fn fixture(name: &str) -> PathBuf {
    super::fixtures_dir().join("duplicates").join(name)
}

pub fn sha(path: &Path) -> String {
    relief_ledger::import::file_sha256(path).unwrap()
}

/// A ward's ledger with its team ("admin", "officer", "approver", "accountant", "auditor") signed in.
pub fn ward(path: &Path, name: &str) -> (Ledger, Team) {
    let mut l = Ledger::open(path).unwrap();
    let t = super::team(&mut l, &super::office(name));
    (l, t)
}

pub fn person(
    (l, t): (&mut Ledger, &Team),
    name: &str,
    dob: &str,
    female: bool,
    ids: &[(IdKind, &str)],
) -> String {
    l.add_person(
        &NewPerson {
            full_name: name.into(),
            dob: Some(Dob::Day(day(dob))),
            sex: Some(if female { Sex::Female } else { Sex::Male }),
            ids: ids
                .iter()
                .map(|(kind, number)| IdentityDoc {
                    kind: *kind,
                    number: number.to_string(),
                })
                .collect(),
            phone: Some("0912345678".into()),
            ..Default::default()
        },
        &t.officer,
    )
    .unwrap()
    .id
}

pub fn suspension((l, t): (&mut Ledger, &Team), person: &str, child: Option<ChildFact>) -> String {
    let mut facts = ClaimFacts {
        from: Some(day("01/07/2021")),
        to: Some(day("31/07/2021")),
        children: child.into_iter().collect(),
        ..Default::default()
    };
    facts.flags.insert("social_insurance".into(), true);
    facts.flags.insert("employer_suspended".into(), true);
    l.add_claim(
        &NewClaim {
            policy: "68-suspension".into(),
            subject: ClaimSubject::Person(person.into()),
            applicant: None,
            facts,
        },
        &t.officer,
    )
    .unwrap()
    .id
}

pub fn approve_and_pay(
    (l, t): (&mut Ledger, &Team),
    claims: &[String],
    decision: &str,
    paid: &str,
) {
    let list = l.create_list("Đợt 1", &[], claims, &t.officer).unwrap().id;
    l.post_list(&list, day("01/08/2021"), &t.officer).unwrap();
    l.approve_list(&list, decision, day("10/08/2021"), &t.approver)
        .unwrap();
    l.pay(&list, None, day(paid), "cash", &t.officer).unwrap();
}

/// The Giang Biên ledger the fixture list is compared with (see tests/fixtures/duplicates/README.md).
pub fn giang_bien(path: &Path) -> (Ledger, Team) {
    let (mut l, t) = ward(path, "Giang Biên");
    let huong = person(
        (&mut l, &t),
        "Nguyễn Thị Hương",
        "12/03/1990",
        true,
        &[(IdKind::Cccd, "001190012345")],
    );
    let c = suspension((&mut l, &t), &huong, None);
    approve_and_pay((&mut l, &t), &[c], "125/QĐ-UBND", "15/08/2021");
    person(
        (&mut l, &t),
        "Trần Văn Nam",
        "05/11/1985",
        false,
        &[(IdKind::Cccd, "001085004321")],
    );
    person(
        (&mut l, &t),
        "Lê Minh Tuấn",
        "20/07/1978",
        false,
        &[(IdKind::Cccd, "001078000777")],
    );
    person(
        (&mut l, &t),
        "Phạm Thị Lan",
        "03/04/1992",
        true,
        &[(IdKind::Cccd, "001192005555")],
    );
    person(
        (&mut l, &t),
        "Đỗ Văn Hùng",
        "10/02/1980",
        false,
        &[(IdKind::Cccd, "001080001234")],
    );
    person(
        (&mut l, &t),
        "Hoàng Văn Long",
        "09/09/1988",
        false,
        &[(IdKind::Cccd, "001088003333")],
    );
    let mai = person(
        (&mut l, &t),
        "Vũ Thị Mai",
        "15/06/1975",
        true,
        &[(IdKind::Cccd, "001175002468")],
    );
    suspension(
        (&mut l, &t),
        &mai,
        Some(ChildFact {
            name: Some("Nguyễn Minh An".into()),
            dob: day("05/05/2019"),
            id_number: Some("001219000777".into()),
        }),
    );
    (l, t)
}

/// Việt Hưng's ledger: it paid Nguyễn Thị Hương again under her old CMND a month after Giang Biên did
/// (and, `with_namesake`, a namesake of Giang Biên's Hoàng Văn Long, rightly).
pub fn viet_hung(path: &Path, with_namesake: bool) {
    let (mut b, t) = ward(path, "Việt Hưng");
    let huong = person(
        (&mut b, &t),
        "Nguyen Thi Huong",
        "12/03/1990",
        true,
        &[(IdKind::Cmnd, "012345679")],
    );
    let c = suspension((&mut b, &t), &huong, None);
    approve_and_pay((&mut b, &t), &[c], "77/QĐ-UBND", "20/09/2021");
    if with_namesake {
        let long = person(
            (&mut b, &t),
            "Hoàng Văn Long",
            "09/09/1988",
            false,
            &[(IdKind::Cmnd, "013999888")],
        );
        let c = suspension((&mut b, &t), &long, None);
        approve_and_pay((&mut b, &t), &[c], "78/QĐ-UBND", "21/09/2021");
    }
}

/// The pair of the ledger's record named `ledger_name` and the file's record on `line`.
pub fn pair_at<'r>(
    r: &'r DuplicateReport,
    ledger_name: &str,
    line: u64,
) -> Option<&'r dedup::DuplicatePair> {
    r.pairs.iter().find(|p| {
        let (a, b) = (&r.records[p.a], &r.records[p.b]);
        [(a, b), (b, a)]
            .iter()
            .any(|(x, y)| x.line.is_none() && x.name == ledger_name && y.line == Some(line))
    })
}

pub fn codes(p: &dedup::DuplicatePair) -> Vec<ReasonCode> {
    p.reasons.iter().map(|r| r.code).collect()
}

pub fn check(l: &Ledger, sources: &[&Path]) -> DuplicateReport {
    let sources: Vec<String> = sources.iter().map(|p| p.display().to_string()).collect();
    dedup::find_duplicates(l, "giang-bien.sqlite", &sources, &mut |_| true).unwrap()
}
