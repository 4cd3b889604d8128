//! Demo data: a realistic generated district (Vietnamese names by real surname frequencies, valid identity
//! numbers, households, preschool groups, eligible claims across the policies), for demos, the UI and benchmarks.

use crate::error::Result;
use crate::identity::{IdKind, IdentityDoc};
use crate::ledger::{
    insert_claim, insert_group, insert_household, insert_person, ClaimSubject, Dob, Ledger,
    NewClaim, NewPerson, Office, Sex,
};
use crate::rules::{ChildFact, ClaimFacts};
use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

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
    /// A unique, valid 12-digit citizen number for Hà Nội (001): the serial goes through a bijection on
    /// six digits, so numbers never repeat below a million and do not look sequential.
    fn citizen_number(&mut self, year: i32, female: bool) -> String {
        self.serial += 1;
        let century = (year - 1900) / 100;
        let digit = century * 2 + i32::from(female);
        let tail = (self.serial * 104_729 + 7) % 1_000_000;
        format!("001{digit}{:02}{tail:06}", year % 100)
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

/// Fills the ledger in one transaction. Sets up the office (first ward) when the ledger is new.
pub fn generate(ledger: &mut Ledger, spec: &DemoSpec, actor: &str) -> Result<DemoSummary> {
    generate_with_progress(ledger, spec, actor, &mut |_, _| true)
}

/// As `generate`, calling `progress(done, total)` after each committed chunk of `DEMO_CHUNK` people; when
/// it returns false the run stops with `Cancelled`, keeping the chunks already committed (each one whole).
pub fn generate_with_progress(
    ledger: &mut Ledger,
    spec: &DemoSpec,
    actor: &str,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<DemoSummary> {
    let wards: Vec<&str> = WARDS
        .iter()
        .copied()
        .cycle()
        .take(spec.wards.max(1))
        .collect();
    if ledger.office().is_err() {
        ledger.init_office(
            &Office {
                ward: wards[0].into(),
                district: "Long Biên".into(),
                city: "Hà Nội".into(),
            },
            actor,
        )?;
    }
    // Numbers continue after the people already in the ledger (a person and a child use at most two
    // serials), so a second demo load into the same ledger issues no number twice.
    let existing: i64 = ledger
        .conn()
        .query_row("SELECT count(*) FROM person", [], |r| r.get(0))?;
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
            for i in start..end {
                let policy = g.weighted(MIX);
                let female = match policy {
                    "68-suspension" | "68-stoppage" | "68-termination" => g.rng.gen_bool(0.6),
                    _ => g.rng.gen_bool(0.52),
                };
                let dob = match policy {
                    "68-f1" | "68-f0" if g.rng.gen_bool(0.15) => {
                        g.date(d(2006, 1, 1), d(2019, 12, 31))
                    }
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
                let person = insert_person(
                    tx,
                    &NewPerson {
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
                    },
                    actor,
                )?;
                summary.people += 1;

                let mut facts = ClaimFacts {
                    applied: Some(g.date(d(2021, 8, 1), d(2021, 12, 31))),
                    ..Default::default()
                };
                let mut subject = ClaimSubject::Person(person.id.clone());
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
                        facts.flags.insert("quarantine_decision".into(), true);
                        facts
                            .flags
                            .retain(|k, _| policy == "68-f1" || k != "quarantine_decision");
                    }
                    "68-suspension" | "68-stoppage" => {
                        let from = g.date(d(2021, 5, 1), d(2021, 10, 31));
                        let days = g.rng.gen_range(15..=75);
                        facts.from = Some(from);
                        facts.to = Some(from + Duration::days(days - 1));
                        facts.flags.insert("social_insurance".into(), true);
                        facts.pregnant = female && g.rng.gen_bool(0.08);
                        if g.rng.gen_bool(0.25) {
                            let cdob =
                                g.date(from - Duration::days(365 * 5), from - Duration::days(30));
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
                        facts
                            .flags
                            .insert("unemployment_benefit_eligible".into(), false);
                    }
                    "68-household-business" => {
                        let tax = format!("01{:08}", (g.serial * 31 + 11) % 100_000_000);
                        let hid = insert_household(
                            tx,
                            &format!("Hộ kinh doanh {name}"),
                            Some(&person.id),
                            Some(&tax),
                            None,
                            actor,
                        )?
                        .id;
                        summary.households += 1;
                        let from = g.date(d(2021, 5, 1), d(2021, 10, 31));
                        facts.from = Some(from);
                        facts.to = Some(from + Duration::days(g.rng.gen_range(15..=60) - 1));
                        subject = ClaimSubject::Household(hid);
                    }
                    _ => {}
                }
                insert_claim(
                    tx,
                    pack,
                    &NewClaim {
                        policy: policy.into(),
                        subject,
                        applicant: None,
                        facts,
                    },
                    actor,
                )?;
                summary.claims += 1;

                // One independent preschool group per ~250 people, owned by this person.
                if i % 250 == 249 {
                    let gid = insert_group(
                        tx,
                        &format!("Nhóm trẻ Hoa Mai {}", i / 250 + 1),
                        "preschool",
                        Some(&person.id),
                        None,
                        actor,
                    )?;
                    let from = g.date(d(2021, 5, 1), d(2021, 10, 31));
                    let facts = ClaimFacts {
                        from: Some(from),
                        to: Some(from + Duration::days(g.rng.gen_range(15..=90) - 1)),
                        ..Default::default()
                    };
                    insert_claim(
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
                }
            }
            crate::audit::append(
                tx,
                actor,
                "demo",
                "ledger",
                None,
                &serde_json::to_value(&summary).expect("serialises"),
            )?;
            Ok(())
        })?;
    }
    progress(spec.people, spec.people);
    Ok(summary)
}

/// People per demo transaction (and per progress report).
pub const DEMO_CHUNK: usize = 5_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_valid_eligible_claims_deterministically() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = Ledger::open(&dir.path().join("a.sqlite")).unwrap();
        let s = generate(
            &mut a,
            &DemoSpec {
                people: 600,
                wards: 3,
                seed: 7,
            },
            "demo",
        )
        .unwrap();
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
        let mut b = Ledger::open(&dir.path().join("b.sqlite")).unwrap();
        generate(
            &mut b,
            &DemoSpec {
                people: 600,
                wards: 3,
                seed: 7,
            },
            "demo",
        )
        .unwrap();
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
            "demo",
        )
        .unwrap();
        assert_eq!(again.people, 600);
        let people: i64 = a
            .conn()
            .query_row("SELECT count(*) FROM person", [], |r| r.get(0))
            .unwrap();
        assert_eq!(people, 1200);
    }
}
