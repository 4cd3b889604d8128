//! Every policy's boundaries, priced by the shipped rule pack: 14 vs 15 days, under vs over one calendar
//! month, the day caps, the window edges, the deadline, age limits, supplements and their effective dates.

use relief_ledger::dates::parse_date;
use relief_ledger::rules::{default_pack, ChildFact, ClaimFacts, Entitlement};

fn d(s: &str) -> chrono::NaiveDate {
    parse_date(s).unwrap()
}

fn period(from: &str, to: &str) -> ClaimFacts {
    ClaimFacts {
        from: Some(d(from)),
        to: Some(d(to)),
        ..Default::default()
    }
}

/// Prices the facts with every requirement the policy asks to be confirmed answered "yes", unless the
/// test states it; the case of an unanswered requirement has its own test below.
fn quote(policy: &str, facts: &ClaimFacts) -> Entitlement {
    let p = default_pack();
    let p = p.policy(policy).unwrap();
    let mut facts = facts.clone();
    for c in p.conditions.iter().filter(|c| c.must) {
        facts.flags.entry(c.fact.clone()).or_insert(true);
    }
    p.entitlement(&facts)
}

fn amount(policy: &str, facts: &ClaimFacts) -> i64 {
    let e = quote(policy, facts);
    assert!(e.eligible, "{policy} should be eligible: {:?}", e.reasons);
    assert_eq!(
        e.lines
            .iter()
            .map(|l| l.amount.to_dong().unwrap())
            .sum::<i64>(),
        e.amount.to_dong().unwrap(),
        "lines add up"
    );
    assert!(
        e.lines.iter().all(|l| !l.basis.is_empty()),
        "every line names its legal basis"
    );
    e.amount.to_dong().unwrap()
}

fn refused(policy: &str, facts: &ClaimFacts, reason_has: &str) {
    let e = quote(policy, facts);
    assert!(!e.eligible, "{policy} should be refused");
    assert_eq!(e.amount.to_dong(), Some(0));
    assert!(
        e.reasons.iter().any(|r| r.contains(reason_has)),
        "{policy}: no reason containing '{reason_has}' in {:?}",
        e.reasons
    );
}

#[test]
fn suspension_tiers_by_days_and_calendar_month() {
    refused(
        "68-suspension",
        &period("01/07/2021", "14/07/2021"),
        "chưa đủ 15 ngày",
    );
    assert_eq!(
        amount("68-suspension", &period("01/07/2021", "15/07/2021")),
        1_855_000
    );
    // 15/07 to 13/08 is one day short of a calendar month; 15/07 to 14/08 is a whole month.
    assert_eq!(
        amount("68-suspension", &period("15/07/2021", "13/08/2021")),
        1_855_000
    );
    assert_eq!(
        amount("68-suspension", &period("15/07/2021", "14/08/2021")),
        3_710_000
    );
    // 01/05 to 31/05 is a whole month; 01/06 to 29/06 is one day short (the month ends on 30/06).
    assert_eq!(
        amount("68-suspension", &period("01/05/2021", "31/05/2021")),
        3_710_000
    );
    assert_eq!(
        amount("68-suspension", &period("01/06/2021", "29/06/2021")),
        1_855_000
    );
}

#[test]
fn suspension_window_and_deadline() {
    refused(
        "68-suspension",
        &period("30/04/2021", "31/05/2021"),
        "ngoài khung",
    );
    assert_eq!(
        amount("68-suspension", &period("01/05/2021", "15/05/2021")),
        1_855_000
    );
    // It must start inside the window and last 15 days inside it (policy-rules §1, Art. 13).
    assert_eq!(
        amount("68-suspension", &period("17/12/2021", "20/01/2022")),
        1_855_000
    );
    refused(
        "68-suspension",
        &period("18/12/2021", "20/01/2022"),
        "chưa đủ 15 ngày",
    );
    refused(
        "68-suspension",
        &period("01/01/2022", "31/01/2022"),
        "ngoài khung",
    );
    let mut f = period("01/07/2021", "31/07/2021");
    f.applied = Some(d("31/01/2022"));
    assert_eq!(amount("68-suspension", &f), 3_710_000);
    f.applied = Some(d("01/02/2022"));
    refused("68-suspension", &f, "sau hạn chót 31/01/2022");
}

#[test]
fn suspension_supplements_pregnant_and_each_child_under_6() {
    let mut f = period("01/07/2021", "31/07/2021");
    f.pregnant = true;
    f.children = vec![
        ChildFact {
            name: Some("An".into()),
            dob: d("02/07/2015"),
            id_number: None,
        },
        ChildFact {
            name: Some("Bình".into()),
            dob: d("01/07/2015"),
            id_number: None,
        },
        ChildFact {
            name: Some("Chi".into()),
            dob: d("01/01/2020"),
            id_number: None,
        },
    ];
    // An is 5 on 01/07/2021 (6 the next day): counts. Bình turns 6 that very day: does not.
    let e = quote("68-suspension", &f);
    assert_eq!(
        e.amount.to_dong(),
        Some(3_710_000 + 1_000_000 + 2 * 1_000_000)
    );
    assert!(e.notes.iter().any(|n| n.contains("Bình")), "{:?}", e.notes);
    assert!(e.lines.iter().any(|l| l.label.contains("(An)")));
}

#[test]
fn suspension_conditions_refuse_with_their_reason() {
    let mut f = period("01/07/2021", "31/07/2021");
    f.flags.insert("social_insurance".into(), false);
    refused("68-suspension", &f, "BHXH");
    let mut f = period("01/07/2021", "31/07/2021");
    f.flags.insert("household_business_employer".into(), true);
    refused("68-suspension", &f, "hộ kinh doanh");
}

#[test]
fn stoppage_needs_14_days() {
    refused(
        "68-stoppage",
        &period("01/08/2021", "13/08/2021"),
        "chưa đủ 14 ngày",
    );
    assert_eq!(
        amount("68-stoppage", &period("01/08/2021", "14/08/2021")),
        1_000_000
    );
    // The source's worked example: pregnant with one child under 6 = 3.000.000.
    let mut f = period("01/08/2021", "14/08/2021");
    f.pregnant = true;
    f.children.push(ChildFact {
        name: Some("An".into()),
        dob: d("01/01/2019"),
        id_number: None,
    });
    assert_eq!(amount("68-stoppage", &f), 3_000_000);
    let mut late = period("01/08/2021", "14/08/2021");
    late.applied = Some(d("01/02/2022"));
    refused("68-stoppage", &late, "hạn chót");
}

#[test]
fn termination_window_and_exclusions() {
    let on = |date: &str| ClaimFacts {
        from: Some(d(date)),
        ..Default::default()
    };
    assert_eq!(amount("68-termination", &on("01/05/2021")), 3_710_000);
    refused("68-termination", &on("30/04/2021"), "ngoài khung");
    for (flag, value, reason) in [
        ("receives_pension", true, "lương hưu"),
        ("unemployment_benefit_eligible", true, "trợ cấp thất nghiệp"),
        ("unlawful_self_termination", true, "trái pháp luật"),
        ("social_insurance", false, "BHXH"),
    ] {
        let mut f = on("01/06/2021");
        f.flags.insert(flag.into(), value);
        refused("68-termination", &f, reason);
    }
}

#[test]
fn f0_meals_capped_at_45_days() {
    assert_eq!(
        amount(
            "68-f0",
            &ClaimFacts {
                from: Some(d("01/08/2021")),
                days: Some(45),
                ..Default::default()
            }
        ),
        3_600_000
    );
    let e = quote(
        "68-f0",
        &ClaimFacts {
            from: Some(d("01/08/2021")),
            days: Some(46),
            ..Default::default()
        },
    );
    assert_eq!(e.amount.to_dong(), Some(3_600_000));
    assert!(
        e.lines[0].label.contains("tối đa 45 ngày"),
        "{}",
        e.lines[0].label
    );
    assert_eq!(
        amount("68-f0", &period("01/08/2021", "10/08/2021")),
        800_000
    );
}

#[test]
fn f1_meals_capped_at_21_days_and_window_from_27_april() {
    assert_eq!(
        amount("68-f1", &period("01/08/2021", "21/08/2021")),
        1_680_000
    );
    assert_eq!(
        amount("68-f1", &period("01/08/2021", "22/08/2021")),
        1_680_000
    );
    assert_eq!(
        amount("68-f1", &period("01/08/2021", "20/08/2021")),
        1_600_000
    );
    assert_eq!(
        amount("68-f1", &period("27/04/2021", "30/04/2021")),
        320_000
    );
    refused("68-f1", &period("26/04/2021", "30/04/2021"), "ngoài khung");
    refused("68-f1", &period("01/01/2022", "05/01/2022"), "ngoài khung");
    let mut f = period("01/08/2021", "05/08/2021");
    f.flags.insert("quarantine_decision".into(), false);
    refused("68-f1", &f, "quyết định cách ly");
}

#[test]
fn f0_f1_child_under_16_at_the_start_and_the_resolution_126_additions() {
    // 16th birthday on 02/08: still 15 on 01/08, the first day of quarantine.
    let mut f = period("01/08/2021", "21/08/2021");
    f.dob = Some(d("02/08/2005"));
    assert_eq!(amount("68-f1", &f), 2_680_000);
    f.dob = Some(d("01/08/2005"));
    assert_eq!(amount("68-f1", &f), 1_680_000);
    // Elderly (60+) and disabled supplements apply from 08/10/2021 (Resolution 126).
    let mut old = period("01/09/2021", "07/10/2021");
    old.dob = Some(d("01/01/1950"));
    let e = quote("68-f0", &old);
    assert_eq!(e.amount.to_dong(), Some(80_000 * 37));
    assert!(e.notes.iter().any(|n| n.contains("08/10/2021")));
    let mut old = period("01/10/2021", "08/10/2021");
    old.dob = Some(d("01/01/1950"));
    assert_eq!(amount("68-f0", &old), 80_000 * 8 + 1_000_000);
    let mut disabled = period("10/10/2021", "12/10/2021");
    disabled.disabled = true;
    assert_eq!(amount("68-f1", &disabled), 240_000 + 1_000_000);
}

#[test]
fn household_business_needs_15_consecutive_days() {
    refused(
        "68-household-business",
        &period("01/08/2021", "14/08/2021"),
        "chưa đủ 15 ngày",
    );
    assert_eq!(
        amount("68-household-business", &period("01/08/2021", "15/08/2021")),
        3_000_000
    );
    refused(
        "68-household-business",
        &period("30/04/2021", "30/05/2021"),
        "ngoài khung",
    );
}

#[test]
fn artists_and_tour_guides() {
    refused(
        "68-artist",
        &period("01/08/2021", "14/08/2021"),
        "chưa đủ 15 ngày",
    );
    assert_eq!(
        amount("68-artist", &period("01/08/2021", "15/08/2021")),
        3_710_000
    );
    let mut f = period("01/08/2021", "15/08/2021");
    f.flags.insert("grade_iv".into(), false);
    refused("68-artist", &f, "hạng IV");
    assert_eq!(amount("68-tour-guide", &ClaimFacts::default()), 3_710_000);
    let mut g = ClaimFacts::default();
    g.flags.insert("guide_card".into(), false);
    refused("68-tour-guide", &g, "thẻ hướng dẫn viên");
}

#[test]
fn freelance_workers_15_or_over_who_lost_work_in_the_window() {
    let mut f = ClaimFacts {
        from: Some(d("24/07/2021")),
        dob: Some(d("24/07/2006")),
        ..Default::default()
    };
    assert_eq!(amount("hn-3642-freelance", &f), 1_500_000);
    f.dob = Some(d("25/07/2006"));
    refused("hn-3642-freelance", &f, "Chưa đủ 15 tuổi");
    refused(
        "hn-3642-freelance",
        &ClaimFacts {
            from: Some(d("30/04/2021")),
            ..Default::default()
        },
        "ngoài khung",
    );
    let mut f = ClaimFacts {
        from: Some(d("24/07/2021")),
        ..Default::default()
    };
    f.flags.insert("resident_hanoi".into(), false);
    refused("hn-3642-freelance", &f, "Hà Nội");
}

#[test]
fn resolution_15_groups_and_the_fatherland_front_top_up() {
    for p in [
        "hn-15-poor",
        "hn-15-near-poor",
        "hn-15-social-protection",
        "hn-15-social-protection-centre",
        "hn-15-meritorious",
    ] {
        assert_eq!(amount(p, &ClaimFacts::default()), 1_000_000, "{p}");
    }
    assert_eq!(amount("mttq-topup", &ClaimFacts::default()), 500_000);
    refused(
        "hn-15-preschool-group",
        &period("01/08/2021", "14/08/2021"),
        "chưa đủ 15 ngày",
    );
    assert_eq!(
        amount("hn-15-preschool-group", &period("01/08/2021", "15/08/2021")),
        3_000_000
    );
    assert_eq!(
        amount("hn-15-hkd-suspension", &period("01/08/2021", "31/08/2021")),
        3_710_000
    );
}

#[test]
fn unconfirmed_rates_are_labelled_as_such() {
    let pack = default_pack();
    for code in [
        "hn-15-hkd-suspension",
        "hn-15-hkd-termination",
        "hn-15-pregnant-employee",
    ] {
        assert_eq!(
            pack.policy(code).unwrap().confidence,
            relief_ledger::rules::Confidence::Unconfirmed,
            "{code}"
        );
    }
    let e = quote(
        "hn-15-hkd-termination",
        &ClaimFacts {
            from: Some(d("01/08/2021")),
            ..Default::default()
        },
    );
    assert_eq!(
        e.lines[0].confidence,
        relief_ledger::rules::Confidence::Unconfirmed
    );
}

#[test]
fn an_unconfirmed_requirement_is_a_reason() {
    let pack = default_pack();
    let e = pack
        .policy("68-f1")
        .unwrap()
        .entitlement(&period("01/08/2021", "21/08/2021"));
    assert!(!e.eligible);
    assert!(
        e.reasons
            .iter()
            .any(|r| r.contains("Chưa xác nhận") && r.contains("quyết định cách ly")),
        "{:?}",
        e.reasons
    );
    // An exclusion nobody declared is taken as not applying.
    let mut f = ClaimFacts {
        from: Some(d("01/06/2021")),
        ..Default::default()
    };
    f.flags.insert("social_insurance".into(), true);
    assert!(
        pack.policy("68-termination")
            .unwrap()
            .entitlement(&f)
            .eligible
    );
}

#[test]
fn only_days_inside_the_window_count() {
    // A leave from 25/12/2021 to 31/01/2022 has 7 days inside the window: under 15.
    refused(
        "68-suspension",
        &period("25/12/2021", "31/01/2022"),
        "chưa đủ 15 ngày",
    );
    // Treatment from 20/12/2021 for 20 days: 12 days inside the window are paid.
    assert_eq!(
        amount(
            "68-f0",
            &ClaimFacts {
                from: Some(d("20/12/2021")),
                days: Some(20),
                ..Default::default()
            }
        ),
        12 * 80_000
    );
    assert_eq!(
        amount("68-f0", &period("20/12/2021", "08/01/2022")),
        12 * 80_000
    );
    // Days claimed beyond the dates given are refused, not paid.
    let mut f = period("01/07/2021", "03/07/2021");
    f.days = Some(40);
    refused("68-f0", &f, "lớn hơn số ngày");
}

#[test]
fn the_resolution_126_date_test_is_the_same_with_days_or_an_end_date() {
    let mut by_days = ClaimFacts {
        from: Some(d("01/10/2021")),
        days: Some(21),
        dob: Some(d("01/01/1950")),
        ..Default::default()
    };
    let mut by_dates = period("01/10/2021", "21/10/2021");
    by_dates.dob = by_days.dob;
    assert_eq!(amount("68-f0", &by_days), amount("68-f0", &by_dates));
    assert_eq!(amount("68-f0", &by_dates), 21 * 80_000 + 1_000_000);
    by_days.days = Some(7);
    assert_eq!(
        amount("68-f0", &by_days),
        7 * 80_000,
        "ends 07/10, before Resolution 126"
    );
}

#[test]
fn missing_dates_are_a_reason_not_a_guess() {
    refused("68-suspension", &ClaimFacts::default(), "Cần");
    refused(
        "68-f1",
        &ClaimFacts {
            from: Some(d("01/08/2021")),
            ..Default::default()
        },
        "Cần số ngày",
    );
    refused(
        "68-suspension",
        &period("20/07/2021", "10/07/2021"),
        "trước ngày bắt đầu",
    );
}
