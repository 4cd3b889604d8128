//! Demo data: a realistic generated district (Vietnamese names by real surname frequencies, valid identity
//! numbers, households, preschool groups, eligible claims across the policies), for demos, the UI and benchmarks.

use crate::error::Result;
use crate::identity::{IdKind, IdentityDoc};
use crate::ledger::Actor;
use crate::ledger::{
    insert_claim, insert_group, insert_household, insert_person, ClaimSubject, Dob, Ledger,
    NewClaim, NewPerson, Office, Sex,
};
use crate::money::Money;
use crate::rules::{ChildFact, ClaimFacts};
use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

pub mod duplicates;
mod ward_styles;

pub use ward_styles::{write_ward_file_styled, WardFileStyle};

#[derive(Debug, Clone)]
pub struct DemoSpec {
    pub people: usize,
    pub wards: usize,
    pub seed: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DemoSummary {
    pub people: usize,
    pub claims: usize,
    pub wards: usize,
    pub households: usize,
    pub groups: usize,
}

/// Surnames with their approximate share (per mille) of the population.
const SURNAMES: &[(&str, u32)] = &[
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 71),
    ("Hoàng", 51),
    ("Phan", 45),
    ("Vũ", 39),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Đào", 8),
    ("Đinh", 7),
    ("Trịnh", 6),
    ("Lý", 5),
    ("Mai", 5),
    ("Lương", 5),
    ("Hà", 5),
    ("Cao", 4),
    ("Tạ", 3),
    ("Chu", 3),
    ("Lưu", 3),
    ("Tô", 3),
    ("Phùng", 3),
    ("Khuất", 2),
    ("Kiều", 2),
];
const MIDDLE_M: &[&str] = &[
    "Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Thanh", "Công", "Ngọc", "Tuấn", "Mạnh", "Trung",
];
const MIDDLE_F: &[&str] = &[
    "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Hồng", "Kim", "Thúy", "Bích",
];
const GIVEN_M: &[&str] = &[
    "Hùng", "Dũng", "Tuấn", "Hải", "Nam", "Long", "Minh", "Đức", "Thắng", "Hưng", "Cường", "Sơn",
    "Quân", "Trung", "Hiếu", "Phong", "Tùng", "Khánh", "Bình", "Huy", "Thành", "Vinh", "Toàn",
    "Lâm", "Tiến",
];
const GIVEN_F: &[&str] = &[
    "Hương", "Lan", "Hoa", "Hạnh", "Linh", "Trang", "Thảo", "Huyền", "Nga", "Hằng", "Mai",
    "Phương", "Thủy", "Yến", "Hà", "Ngọc", "Nhung", "Vân", "Loan", "Dung", "Giang", "Oanh", "Liên",
    "Thu", "Anh",
];
/// Wards of Long Biên district, Hanoi (Giang Biên is the ward of the reference report).
const WARDS: &[&str] = &[
    "Giang Biên",
    "Đức Giang",
    "Việt Hưng",
    "Thượng Thanh",
    "Ngọc Thụy",
    "Gia Thụy",
    "Ngọc Lâm",
    "Bồ Đề",
    "Long Biên",
    "Thạch Bàn",
    "Phúc Lợi",
    "Cự Khối",
    "Sài Đồng",
    "Phúc Đồng",
];

/// Policies the generator spreads claims over, with weights (per mille).
const MIX: &[(&str, u32)] = &[
    ("hn-3642-freelance", 280),
    ("mttq-topup", 190),
    ("hn-15-meritorious", 90),
    ("hn-15-social-protection", 90),
    ("hn-15-poor", 40),
    ("hn-15-near-poor", 50),
    ("68-f1", 80),
    ("68-f0", 40),
    ("68-suspension", 60),
    ("68-stoppage", 30),
    ("68-termination", 30),
    ("68-household-business", 20),
];

struct Gen {
    rng: ChaCha8Rng,
    serial: u64,
}

impl Gen {
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.rng.gen_range(0..items.len())]
    }
    fn weighted<'a>(&mut self, items: &'a [(&'a str, u32)]) -> &'a str {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut x = self.rng.gen_range(0..total);
        for (v, w) in items {
            if x < *w {
                return v;
            }
            x -= w;
        }
        items[0].0
    }
    fn date(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        from + Duration::days(self.rng.gen_range(0..=(to - from).num_days()))
    }
    /// A unique, valid 12-digit citizen number: the serial goes through a bijection on six digits, so
    /// numbers do not look sequential; each further million takes the next province's code (Hà Nội first).
    fn citizen_number(&mut self, year: i32, female: bool) -> String {
        const PROVINCES: [&str; 8] = ["001", "002", "004", "006", "008", "010", "011", "012"];
        self.serial += 1;
        let century = (year - 1900) / 100;
        let digit = century * 2 + i32::from(female);
        let tail = (self.serial * 104_729 + 7) % 1_000_000;
        let province = PROVINCES[(self.serial / 1_000_000) as usize % PROVINCES.len()];
        format!("{province}{digit}{:02}{tail:06}", year % 100)
    }
    fn cmnd(&mut self) -> String {
        format!("01{:07}", (self.serial * 7_919 + 3) % 10_000_000)
    }
    fn name(&mut self, female: bool) -> String {
        let s = self.weighted(SURNAMES);
        let (m, g) = if female {
            (self.pick(MIDDLE_F), self.pick(GIVEN_F))
        } else {
            (self.pick(MIDDLE_M), self.pick(GIVEN_M))
        };
        format!("{s} {m} {g}")
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

/// The wards a demo district spreads over: the first is the office's own.
fn demo_wards(spec: &DemoSpec) -> Vec<&'static str> {
    WARDS
        .iter()
        .copied()
        .cycle()
        .take(spec.wards.max(1))
        .collect()
}

/// The office a demo ledger is set up for (`Ledger::init_office` with it, then `generate`).
pub fn demo_office(spec: &DemoSpec) -> Office {
    Office {
        ward: demo_wards(spec)[0].into(),
        district: "Long Biên".into(),
        city: "Hà Nội".into(),
    }
}

/// Fills the ledger in one transaction; the office must be set up (see `demo_office`).
pub fn generate(ledger: &mut Ledger, spec: &DemoSpec, actor: &Actor) -> Result<DemoSummary> {
    generate_with_progress(ledger, spec, actor, &mut |_, _| true)
}

/// As `generate`, calling `progress(done, total)` after each committed chunk of `DEMO_CHUNK` people; when
/// it returns false the run stops with `Cancelled`, keeping the chunks already committed (each one whole).
pub fn generate_with_progress(
    ledger: &mut Ledger,
    spec: &DemoSpec,
    actor: &Actor,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<DemoSummary> {
    let actor = actor.name();
    let wards = demo_wards(spec);
    ledger.office()?;
    // Numbers continue after the people already in the ledger (a person and a child use at most two
    // serials), so a second demo load into the same ledger issues no number twice.
    let existing = ledger.people_count()?;
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(spec.seed),
        serial: existing as u64 * 2,
    };
    let mut summary = DemoSummary {
        people: 0,
        claims: 0,
        wards: wards.len(),
        households: 0,
        groups: 0,
    };
    let pack_text = ledger.pack_text().to_string();
    // Committed in chunks: one transaction over a whole district outgrows the page cache, and SQLite then
    // rewrites spilled pages into the WAL again and again (superlinear). Each chunk is all-or-nothing.
    for start in (0..spec.people).step_by(DEMO_CHUNK) {
        if !progress(start, spec.people) {
            return Err(crate::error::LedgerError::Cancelled { done: start });
        }
        let end = (start + DEMO_CHUNK).min(spec.people);
        ledger.write_bulk(|tx, pack| {
            Ledger::register_pack(tx, pack, &pack_text)?;
            // What this chunk (one transaction, one audit row) added: `verify` sums the rows against the tables.
            let (mut chunk_claims, mut chunk_amount, mut chunk_people) =
                (0usize, Money::ZERO, 0usize);
            for i in start..end {
                let case = g.case(i, &wards);
                let person = insert_person(tx, &case.person, actor)?;
                summary.people += 1;
                chunk_people += 1;
                let subject = match &case.household {
                    Some((name, tax)) => {
                        let hid =
                            insert_household(tx, name, Some(&person.id), Some(tax), None, actor)?
                                .id;
                        summary.households += 1;
                        ClaimSubject::Household(hid)
                    }
                    None => ClaimSubject::Person(person.id.clone()),
                };
                let claim = insert_claim(
                    tx,
                    pack,
                    &NewClaim {
                        policy: case.policy.into(),
                        subject,
                        applicant: None,
                        facts: case.facts,
                    },
                    actor,
                )?;
                summary.claims += 1;
                chunk_claims += 1;
                chunk_amount += claim.amount;
                if let Some((name, facts)) = case.preschool {
                    let gid = insert_group(tx, &name, "preschool", Some(&person.id), None, actor)?;
                    let claim = insert_claim(
                        tx,
                        pack,
                        &NewClaim {
                            policy: "hn-15-preschool-group".into(),
                            subject: ClaimSubject::Group(gid),
                            applicant: None,
                            facts,
                        },
                        actor,
                    )?;
                    summary.groups += 1;
                    summary.claims += 1;
                    chunk_claims += 1;
                    chunk_amount += claim.amount;
                }
            }
            crate::audit::append(
                tx,
                actor,
                "demo",
                "ledger",
                None,
                &serde_json::json!({
                    "people_added": chunk_people,
                    "claims_added": chunk_claims,
                    "amount_added": chunk_amount,
                    "wards": summary.wards,
                }),
            )?;
            Ok(())
        })?;
    }
    progress(spec.people, spec.people);
    Ok(summary)
}

/// One generated person with their claim (and, for one person in 250, the preschool group they run).
#[derive(Clone)]
struct Case {
    person: NewPerson,
    policy: &'static str,
    facts: ClaimFacts,
    /// A household business the claim is for: its name and tax code.
    household: Option<(String, String)>,
    /// A preschool group this person owns, with the group claim's facts.
    preschool: Option<(String, ClaimFacts)>,
}

impl Gen {
    fn case(&mut self, i: usize, wards: &[&str]) -> Case {
        let g = self;
        let policy = g.weighted(MIX);
        let female = match policy {
            "68-suspension" | "68-stoppage" | "68-termination" => g.rng.gen_bool(0.6),
            _ => g.rng.gen_bool(0.52),
        };
        let dob = match policy {
            "68-f1" | "68-f0" if g.rng.gen_bool(0.15) => g.date(d(2006, 1, 1), d(2019, 12, 31)),
            "hn-15-meritorious" => g.date(d(1935, 1, 1), d(1965, 12, 31)),
            _ => g.date(d(1960, 1, 1), d(2003, 12, 31)),
        };
        let year = chrono::Datelike::year(&dob);
        let mut ids = vec![IdentityDoc {
            kind: if year >= 2006 {
                IdKind::PersonalId
            } else {
                IdKind::Cccd
            },
            number: g.citizen_number(year, female),
        }];
        if year < 2000 && g.rng.gen_bool(0.3) {
            ids.push(IdentityDoc {
                kind: IdKind::Cmnd,
                number: g.cmnd(),
            });
        }
        let ward = wards[i % wards.len()];
        let name = g.name(female);
        let person = NewPerson {
            full_name: name.clone(),
            dob: Some(Dob::Day(dob)),
            sex: Some(if female { Sex::Female } else { Sex::Male }),
            ids,
            address: Some(format!(
                "Số {} ngõ {}, phường {ward}",
                g.rng.gen_range(1..200),
                g.rng.gen_range(1..120)
            )),
            residential_group: Some(format!("Tổ dân phố {}", g.rng.gen_range(1..=25))),
            ward: Some(ward.to_string()),
            phone: Some(format!("09{:08}", g.rng.gen_range(0..100_000_000u32))),
            household_id: None,
        };

        let mut facts = ClaimFacts {
            applied: Some(g.date(d(2021, 8, 1), d(2021, 12, 31))),
            ..Default::default()
        };
        let mut household = None;
        match policy {
            "hn-3642-freelance" => {
                facts.from = Some(g.date(d(2021, 5, 1), d(2021, 9, 30)));
                facts.flags.insert("resident_hanoi".into(), true);
            }
            "68-f1" | "68-f0" => {
                let from = g.date(d(2021, 5, 1), d(2021, 11, 30));
                let days = if policy == "68-f1" {
                    g.rng.gen_range(7..=28)
                } else {
                    g.rng.gen_range(10..=50)
                };
                facts.from = Some(from);
                facts.to = Some(from + Duration::days(days - 1));
                if policy == "68-f1" {
                    facts.flags.insert("quarantine_decision".into(), true);
                }
            }
            "68-suspension" | "68-stoppage" => {
                let from = g.date(d(2021, 5, 1), d(2021, 10, 31));
                let days = g.rng.gen_range(15..=75);
                facts.from = Some(from);
                facts.to = Some(from + Duration::days(days - 1));
                facts.flags.insert("social_insurance".into(), true);
                if policy == "68-suspension" {
                    facts.flags.insert("employer_suspended".into(), true);
                }
                facts.pregnant = female && g.rng.gen_bool(0.08);
                if g.rng.gen_bool(0.25) {
                    let cdob = g.date(from - Duration::days(365 * 5), from - Duration::days(30));
                    let cyear = chrono::Datelike::year(&cdob);
                    let child_female = g.rng.gen_bool(0.5);
                    let surname = name.split(' ').next().unwrap_or("Nguyễn").to_string();
                    let given = g.name(child_female);
                    let given = given.split_once(' ').map(|x| x.1).unwrap_or("An");
                    facts.children.push(ChildFact {
                        name: Some(format!("{surname} {given}")),
                        dob: cdob,
                        id_number: Some(g.citizen_number(cyear, child_female)),
                    });
                }
            }
            "68-termination" => {
                facts.from = Some(g.date(d(2021, 5, 1), d(2021, 11, 30)));
                facts.flags.insert("social_insurance".into(), true);
                facts.flags.insert("termination_reason".into(), true);
                facts
                    .flags
                    .insert("unemployment_benefit_eligible".into(), false);
            }
            "68-household-business" => {
                let tax = format!("01{:08}", (g.serial * 31 + 11) % 100_000_000);
                household = Some((format!("Hộ kinh doanh {name}"), tax));
                let from = g.date(d(2021, 5, 1), d(2021, 10, 31));
                facts.from = Some(from);
                facts.to = Some(from + Duration::days(g.rng.gen_range(15..=60) - 1));
                facts
                    .flags
                    .insert("business_and_tax_registered".into(), true);
                facts.flags.insert("stopped_by_authority".into(), true);
            }
            _ => {}
        }
        // One independent preschool group per ~250 people, owned by this person.
        let preschool = (i % 250 == 249).then(|| {
            let from = g.date(d(2021, 5, 1), d(2021, 10, 31));
            (
                format!("Nhóm trẻ Hoa Mai {}", i / 250 + 1),
                ClaimFacts {
                    from: Some(from),
                    to: Some(from + Duration::days(g.rng.gen_range(15..=90) - 1)),
                    ..Default::default()
                },
            )
        });
        Case {
            person,
            policy,
            facts,
            household,
            preschool,
        }
    }
}

/// Writes a generated district as a ward file in the import template (one row per claim, UTF-8 with BOM,
/// as Excel saves "CSV UTF-8"), streaming: what `relief import` reads, for demos and the import benchmark.
/// Numbers start at serial `first_serial` so several files can go into one ledger.
pub fn write_ward_file(spec: &DemoSpec, out: impl std::io::Write) -> std::io::Result<usize> {
    write_ward_file_planted(spec, 0.0, out, None).map(|(rows, _)| rows)
}

/// As `write_ward_file`, planting a duplicate of about `rate` of the people (every kind an audit meets, in
/// another ward, written after the originals) and writing the true pairs to `truth` (see
/// `duplicates::TRUTH_HEADER`). Returns the rows written and the pairs planted.
pub fn write_ward_file_planted(
    spec: &DemoSpec,
    rate: f64,
    out: impl std::io::Write,
    truth: Option<&mut dyn std::io::Write>,
) -> std::io::Result<(usize, usize)> {
    use crate::import::TEMPLATE;
    let wards: Vec<&str> = WARDS
        .iter()
        .copied()
        .cycle()
        .take(spec.wards.max(1))
        .collect();
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(spec.seed),
        serial: 0,
    };
    let mut w = crate::export::ExcelCsv::new(
        out,
        b',',
        &TEMPLATE.iter().map(|c| c.header).collect::<Vec<_>>(),
    )?;
    let mut rows = 0usize;
    let mut truth_rows = Vec::new();
    let mut planted = Vec::new();
    // A second generator picks who is duplicated and how, so the district itself is the same with or
    // without duplicates (the same seed gives the same people).
    let mut pick = ChaCha8Rng::seed_from_u64(spec.seed ^ 0x5eed_d0b1);
    for i in 0..spec.people {
        let case = g.case(i, &wards);
        let line = rows as u64 + 2;
        write_case_rows(&mut w, &mut rows, &case)?;
        if case.preschool.is_some() {
            // The same person on two rows (their own claim and their preschool group's): one person.
            truth_rows.push(duplicates::TruthRow::new(
                "two_claims",
                line,
                line + 1,
                false,
            ));
        }
        if rate > 0.0 && pick.gen_bool(rate.min(1.0)) {
            let other = wards[(i + 1 + pick.gen_range(0..wards.len().max(2) - 1)) % wards.len()];
            if let Some(dup) = duplicates::plant(&mut g, &mut pick, &case, other, true) {
                planted.push((line, dup));
            }
        }
    }
    let count = planted.len();
    for (line, dup) in planted {
        let at = rows as u64 + 2;
        write_case_rows(&mut w, &mut rows, &dup.case)?;
        truth_rows.push(duplicates::TruthRow::new(
            dup.kind.as_str(),
            line,
            at,
            dup.kind == duplicates::Planted::ChildTwoParents,
        ));
        if dup.kind != duplicates::Planted::ChildTwoParents && !dup.case.facts.children.is_empty() {
            // The person's duplicate names the same child again: that child is one child too.
            truth_rows.push(duplicates::TruthRow::new(
                "child_of_duplicate",
                line,
                at,
                true,
            ));
        }
    }
    w.finish()?;
    if let Some(t) = truth {
        duplicates::write_truth(t, &truth_rows)?;
    }
    Ok((rows, count))
}

/// Writes a case's rows (its claim, and its preschool group's when it runs one) in the import template.
fn write_case_rows<W: std::io::Write>(
    w: &mut crate::export::ExcelCsv<W>,
    rows: &mut usize,
    case: &Case,
) -> std::io::Result<()> {
    use crate::import::{Field, TEMPLATE};
    let fmt = |d: Option<NaiveDate>| d.map(crate::dates::format_vi).unwrap_or_default();
    let p = &case.person;
    let id = p.ids.first().map(|d| d.number.clone()).unwrap_or_default();
    let dob = p.dob.map(Dob::display).unwrap_or_default();
    let sex = p.sex.map_or("", Sex::label_vi);
    let mut claim_row = |policy: &str, facts: &ClaimFacts, unit: Option<(&str, Option<&str>)>| {
        *rows += 1;
        let children = children_cell(&facts.children);
        let cells: Vec<String> = TEMPLATE
            .iter()
            .map(|c| match c.field {
                Field::RowNo => rows.to_string(),
                Field::FullName => p.full_name.clone(),
                Field::Dob => dob.clone(),
                Field::Sex => sex.to_string(),
                Field::IdNumber => id.clone(),
                Field::Address => p.address.clone().unwrap_or_default(),
                Field::ResidentialGroup => p.residential_group.clone().unwrap_or_default(),
                Field::Ward => p.ward.clone().unwrap_or_default(),
                Field::Phone => p.phone.clone().unwrap_or_default(),
                Field::Policy => policy.to_string(),
                Field::From => fmt(facts.from),
                Field::To => fmt(facts.to),
                Field::Pregnant => {
                    if facts.pregnant {
                        "x".into()
                    } else {
                        String::new()
                    }
                }
                Field::Children => children.clone(),
                Field::ConditionsMet => "x".into(),
                Field::Facts => facts
                    .flags
                    .iter()
                    .filter(|(_, v)| !**v)
                    .map(|(k, _)| format!("{k}=không"))
                    .collect::<Vec<_>>()
                    .join("; "),
                Field::UnitName => unit.map(|u| u.0.to_string()).unwrap_or_default(),
                Field::TaxCode => unit.and_then(|u| u.1).unwrap_or_default().to_string(),
                Field::Applied => fmt(facts.applied),
                _ => String::new(),
            })
            .collect();
        w.row(
            &cells
                .iter()
                .map(|c| crate::export::Cell::Text(c))
                .collect::<Vec<_>>(),
        )
    };
    claim_row(
        case.policy,
        &case.facts,
        case.household
            .as_ref()
            .map(|(n, t)| (n.as_str(), Some(t.as_str()))),
    )?;
    if let Some((name, facts)) = &case.preschool {
        claim_row("hn-15-preschool-group", facts, Some((name.as_str(), None)))?;
    }
    Ok(())
}

/// People per demo transaction (and per progress report).
pub const DEMO_CHUNK: usize = 5_000;

/// The "Con dưới 6 tuổi" cell as a ward list writes it: "Tên - dd/mm/yyyy - mã định danh; …" (what the
/// importer's `cells::children` reads back).
pub(crate) fn children_cell(children: &[crate::rules::ChildFact]) -> String {
    children
        .iter()
        .map(|c| {
            format!(
                "{} - {} - {}",
                c.name.as_deref().unwrap_or(""),
                crate::dates::format_vi(c.dob),
                c.id_number.as_deref().unwrap_or("")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new ledger set up for the demo district, and its admin ("demo") signed in.
    fn demo_ledger(path: &std::path::Path, spec: &DemoSpec) -> (Ledger, Actor) {
        let mut l = Ledger::open(path).unwrap();
        let admin = l
            .init_office(&demo_office(spec), "demo", "mat-khau-1")
            .unwrap();
        (l, admin)
    }

    #[test]
    fn generates_valid_eligible_claims_deterministically() {
        let dir = tempfile::tempdir().unwrap();
        let spec = DemoSpec {
            people: 600,
            wards: 3,
            seed: 7,
        };
        let (mut a, demo) = demo_ledger(&dir.path().join("a.sqlite"), &spec);
        let s = generate(&mut a, &spec, &demo).unwrap();
        assert_eq!(s.people, 600);
        assert_eq!(s.claims, 602);
        let nguyen: i64 = a
            .conn()
            .query_row(
                "SELECT count(*) FROM person WHERE full_name LIKE 'Nguyễn %'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            (150..=320).contains(&nguyen),
            "Nguyễn is about 38% of names, got {nguyen}/600"
        );
        let (mut b, demo_b) = demo_ledger(&dir.path().join("b.sqlite"), &spec);
        generate(&mut b, &spec, &demo_b).unwrap();
        let names = |l: &Ledger| -> Vec<String> {
            let mut st = l
                .conn()
                .prepare("SELECT full_name FROM person ORDER BY rowid")
                .unwrap();
            st.query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        assert_eq!(names(&a), names(&b), "same seed, same district");
        // A second load into the same ledger adds people without reusing an identity number.
        let again = generate(
            &mut a,
            &DemoSpec {
                people: 600,
                wards: 3,
                seed: 8,
            },
            &demo,
        )
        .unwrap();
        assert_eq!(again.people, 600);
        let people: i64 = a
            .conn()
            .query_row("SELECT count(*) FROM person", [], |r| r.get(0))
            .unwrap();
        assert_eq!(people, 1200);
        // The generator no longer sets an office up: a ledger that was never set up is refused.
        let mut fresh = Ledger::open(&dir.path().join("c.sqlite")).unwrap();
        assert_eq!(
            generate(&mut fresh, &spec, &demo).unwrap_err().code(),
            "not_initialised"
        );
    }
}
