//! Bad input everywhere: no text, file or rule pack may panic a parser. A few thousand seeded cases per run of
//! `cargo test` (the same generators as `benches/parsers_fuzz.rs`, which runs a million or more), proptest
//! properties that shrink a failure to its smallest input, and the regressions the fuzzing found.
//!
//! A failing case's input is written under `target/fuzz-failures/` and the message says how to replay it.
//! `FUZZ_SEED` changes the seed (default fixed, so CI runs the same cases every time).

mod fuzz;

use proptest::prelude::*;
use relief_ledger::dates::parse_date;
use relief_ledger::identity::{validate_identity, IdKind};
use relief_ledger::import::cells;
use relief_ledger::rules::{RulePack, DEFAULT_PACK_TOML};
use relief_ledger::Money;

fn seed() -> u64 {
    std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_7e57)
}

fn no_panics(name: &str, cases: u64) {
    let o = fuzz::run(fuzz::target(name), seed(), cases, 1);
    assert_eq!(o.cases, cases);
    if o.panics > 0 {
        let shown: Vec<String> = o
            .failures
            .iter()
            .take(5)
            .map(|f| {
                format!(
                    "seed {:#018x}: {}\n  replay: FUZZ_REPLAY={name}:{:#018x} cargo bench --bench parsers_fuzz\n  input: {:?}",
                    f.seed, f.message, f.seed, f.files
                )
            })
            .collect();
        panic!(
            "{} of {cases} {name} cases panicked:\n{}",
            o.panics,
            shown.join("\n")
        );
    }
}

#[test]
fn dates_never_panic() {
    no_panics("dates", 1500);
}

#[test]
fn amounts_never_panic() {
    no_panics("money", 2000);
}

#[test]
fn identity_numbers_never_panic() {
    no_panics("identity", 2000);
}

#[test]
fn cells_and_headers_never_panic() {
    no_panics("cells", 1000);
}

#[test]
fn encodings_never_panic() {
    no_panics("encoding", 250);
}

#[test]
fn rule_packs_never_panic() {
    no_panics("rule_pack", 120);
}

#[test]
fn the_importer_never_panics() {
    no_panics("importer", 80);
}

/// The runner itself: a panic is caught, counted, and its input written where the message says.
#[test]
fn a_panic_is_caught_and_its_input_written() {
    fn boom(_: &mut fuzz::Gen, ctx: &mut fuzz::Ctx) {
        ctx.parts.push(("input.txt", b"31/02/2021".to_vec()));
        panic!("boom");
    }
    let t = fuzz::Target {
        name: "self_test",
        per_mille: 0,
        case: boom,
    };
    let o = fuzz::run(t, 1, 3, 1);
    assert_eq!((o.cases, o.panics), (3, 3));
    let f = &o.failures[0];
    assert!(f.message.starts_with("boom at "), "{}", f.message);
    let input = f
        .files
        .iter()
        .find(|p| p.to_string_lossy().ends_with("input.txt"))
        .unwrap();
    assert_eq!(std::fs::read(input).unwrap(), b"31/02/2021");
    for file in o.failures.iter().flat_map(|f| &f.files) {
        let _ = std::fs::remove_file(file);
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions found by the fuzzing
// ---------------------------------------------------------------------------------------------

/// Amounts of a quintillion đồng and more (an amount cell reads up to i64::MAX) ran past the scale words
/// and panicked on an index out of bounds.
#[test]
fn huge_amounts_are_written_in_words() {
    let read = cells::amount("1.000.000.000.000.000.000").unwrap();
    assert_eq!(Money::from_dong(read).in_words_vi(), "Một tỷ tỷ đồng");
    let max = Money::from_dong(i64::MAX).in_words_vi();
    assert!(
        max.starts_with("Chín tỷ tỷ hai trăm hai mươi ba triệu tỷ"),
        "{max}"
    );
    assert!(Money::from_dong(i64::MIN + 1)
        .in_words_vi()
        .starts_with("Âm chín tỷ tỷ"));
    // Beyond u64 (a sum of huge amounts): words, not "Không đồng".
    let beyond = Money::from_dong(i64::MAX) * 366;
    assert!(
        beyond.in_words_vi().starts_with("Ba nghìn tỷ tỷ"),
        "{}",
        beyond.in_words_vi()
    );
}

/// A UTF-16 file whose last character is cut (an odd last byte), read a byte or two at a time, came out as
/// the first bytes of U+FFFD only: not UTF-8 (encoding_rs_io's small-buffer path at the end of the file).
#[test]
fn a_cut_last_character_decodes_to_utf8_in_small_reads() {
    use relief_ledger::import::encoding::{utf8_reader, SourceEncoding};
    use std::io::Read;
    for (bytes, enc) in [
        (&b"\xFF\xFEa\x00b"[..], SourceEncoding::Utf16Le),
        (&b"\xFE\xFF\x00a\xD8\x00"[..], SourceEncoding::Utf16Be),
    ] {
        for size in 1..=4 {
            let mut reader = utf8_reader(std::io::Cursor::new(bytes.to_vec()), enc);
            let (mut out, mut buf) = (Vec::new(), vec![0u8; size]);
            loop {
                match reader.read(&mut buf).unwrap() {
                    0 => break,
                    n => out.extend_from_slice(&buf[..n]),
                }
            }
            assert_eq!(
                String::from_utf8(out).unwrap(),
                "a\u{fffd}",
                "{enc:?} by {size}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Properties (proptest shrinks a failure to its smallest input)
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn date_shaped_text_never_panics(
        s in "[ '+-]?[0-9\u{660}-\u{669}]{0,6}[/.\\- ]{1,2}[0-9]{0,4}[/.\\- ]{0,2}[0-9]{0,7}( 0?0:00(:00)?)?",
    ) {
        if let Ok(d) = parse_date(&s) {
            prop_assert_eq!(parse_date(&relief_ledger::dates::format_vi(d)).ok(), Some(d));
        }
        let _ = cells::date(&s);
        let _ = cells::birth(&s);
    }

    #[test]
    fn amount_shaped_text_never_panics(
        s in "[-+(]?[0-9]{0,22}([., \u{a0}][0-9]{1,4}){0,7}(,00|\\.00)?( ?(đ|đồng|VND|vnđ|d|₫))?",
    ) {
        if let Ok(n) = cells::amount(&s) {
            prop_assert!(n >= 0);
            let m = Money::from_dong(n);
            let _ = (m.format_vi(), m.in_words_vi(), Money::from_dong(-n).in_words_vi());
        }
    }

    #[test]
    fn any_text_never_panics_a_cell_parser(s in "\\PC{0,40}", raw in any::<String>()) {
        for t in [&s, &raw] {
            let _ = parse_date(t);
            let _ = cells::amount(t);
            let _ = cells::clean(t);
            let _ = cells::children(t);
            let _ = cells::facts(t, &["resident_hanoi"]);
            let _ = cells::id_digits(t);
            let _ = relief_ledger::import::columns::field_of(t);
            let _ = RulePack::parse(t, "p.toml");
        }
    }

    #[test]
    fn id_shaped_text_never_panics(
        s in "'?[0-9]{0,3}[ .\\-\u{a0}]?[0-9]{0,3}[ .\\-]?[0-9]{0,7}(E\\+[0-9]{1,2})?",
        year in any::<Option<i32>>(),
        female in any::<Option<bool>>(),
    ) {
        for kind in [IdKind::Cmnd, IdKind::Cccd, IdKind::PersonalId, IdKind::SocialInsurance] {
            let _ = validate_identity(kind, &s, year, female);
        }
        let _ = cells::id_digits(&s);
    }

    #[test]
    fn the_shipped_pack_with_a_line_changed_never_panics(
        line in 0usize..420,
        value in "[-0-9a-z\"\\[\\]{}.:+ ]{0,24}",
    ) {
        let mut lines: Vec<String> = DEFAULT_PACK_TOML.lines().map(str::to_string).collect();
        if let Some(l) = lines.get_mut(line) {
            *l = match l.split_once(" = ") {
                Some((k, _)) => format!("{k} = {value}"),
                None => value.clone(),
            };
        }
        let _ = RulePack::parse(&lines.join("\n"), "p.toml");
    }
}
