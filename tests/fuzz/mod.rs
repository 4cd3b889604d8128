//! Bad input everywhere: seeded generators of hostile text for every parser of outside input (dates, amounts,
//! identity numbers, ward-file cells and headers, file encodings, rule packs and whole ward files) and a runner
//! that catches each panic, writes the input that caused it under `target/fuzz-failures/` and counts.
//!
//! Shared by `tests/parsers_never_panic.rs` (a few thousand cases in `cargo test`) and
//! `benches/parsers_fuzz.rs` (a million or more, `FUZZ_CASES`). Every case is generated from its own seed,
//! so a failure is replayed alone with `FUZZ_REPLAY=<target>:<seed> cargo bench --bench parsers_fuzz`.
//!
//! Inputs are generated three ways: arbitrary bytes and arbitrary Unicode; values shaped like the real thing
//! (CCCD/CMND numbers, dd/mm/yyyy dates, Excel amounts, children and facts cells, ward files with title rows,
//! quoting, BOMs and every encoding) with targeted damage; and the shipped rule pack and import fixtures with
//! random byte, character and line mutations.

#![allow(dead_code)]

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use relief_ledger::dates;
use relief_ledger::identity::{province_name, validate_identity, IdKind};
use relief_ledger::import::{self, cells, columns, encoding, Field, ImportOptions, TEMPLATE};
use relief_ledger::ledger::{Actor, Dob, Office};
use relief_ledger::rules::{ChildFact, ClaimFacts, RulePack, DEFAULT_PACK_TOML};
use relief_ledger::{Ledger, Money};
use std::cell::RefCell;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;
use std::time::{Duration, Instant};
use unicode_normalization::UnicodeNormalization;

pub type Gen = ChaCha8Rng;

// ---------------------------------------------------------------------------------------------
// Targets and the runner
// ---------------------------------------------------------------------------------------------

/// One parser (or family of parsers) under fuzz: a case generates its input from the rng, records it in
/// the context (so a panic can be written out) and feeds it to the code under test.
#[derive(Clone, Copy)]
pub struct Target {
    pub name: &'static str,
    /// Share of the total case count, in parts per thousand.
    pub per_mille: u32,
    pub case: fn(&mut Gen, &mut Ctx),
}

pub const TARGETS: &[Target] = &[
    Target {
        name: "dates",
        per_mille: 220,
        case: date_case,
    },
    Target {
        name: "money",
        per_mille: 220,
        case: money_case,
    },
    Target {
        name: "identity",
        per_mille: 220,
        case: identity_case,
    },
    Target {
        name: "cells",
        per_mille: 200,
        case: cells_case,
    },
    Target {
        name: "encoding",
        per_mille: 100,
        case: encoding_case,
    },
    Target {
        name: "rule_pack",
        per_mille: 25,
        case: rule_pack_case,
    },
    Target {
        name: "importer",
        per_mille: 15,
        case: importer_case,
    },
];

pub fn target(name: &str) -> Target {
    *TARGETS
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no fuzz target '{name}'"))
}

/// What a case hands the code under test, kept so that a panic can be written out, plus the state a
/// target keeps between cases (the importer's ledger).
#[derive(Default)]
pub struct Ctx {
    /// Named parts of the current input (a text, a file's bytes, the parameters).
    pub parts: Vec<(&'static str, Vec<u8>)>,
    importer: Option<ImporterState>,
}

impl Ctx {
    fn record(&mut self, label: &'static str, bytes: impl Into<Vec<u8>>) {
        self.parts.push((label, bytes.into()));
    }
    fn record_text(&mut self, label: &'static str, text: &str) {
        self.record(label, text.as_bytes().to_vec());
    }
}

/// One panic: where it was written and what it said.
#[derive(Debug, Clone)]
pub struct Failure {
    pub target: &'static str,
    pub seed: u64,
    pub message: String,
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub target: &'static str,
    pub cases: u64,
    pub panics: u64,
    pub elapsed: Duration,
    pub failures: Vec<Failure>,
}

thread_local! {
    /// Set while a case runs: the panic hook records the message instead of printing it.
    static IN_CASE: RefCell<bool> = const { RefCell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that stays quiet inside a case and records the message and location.
pub fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_CASE.with(|c| *c.borrow()) {
                let payload = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".into());
                let at = info
                    .location()
                    .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
                    .unwrap_or_default();
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{payload} at {at}")));
            } else {
                default(info);
            }
        }));
    });
}

/// The seed of case `index` of target `name` in a run seeded with `base` (splitmix64 of the three).
pub fn case_seed(base: u64, name: &str, index: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut z = base ^ h.rotate_left(17) ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Where failing inputs go: `target/fuzz-failures/` (or under `CARGO_TARGET_DIR`).
pub fn failures_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("fuzz-failures")
}

/// Failing inputs written per target and run, at most (the count of panics is always exact).
const FAILURES_WRITTEN: usize = 20;

/// Runs `cases` cases of `target` on `threads` threads, catching every panic.
pub fn run(target: Target, base_seed: u64, cases: u64, threads: usize) -> Outcome {
    install_hook();
    let start = Instant::now();
    let threads = threads.max(1) as u64;
    let written = AtomicUsize::new(0);
    let results: Vec<(u64, Vec<Failure>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let written = &written;
                s.spawn(move || {
                    let mut ctx = Ctx::default();
                    let mut panics = 0;
                    let mut failures = Vec::new();
                    let mut i = t;
                    while i < cases {
                        let seed = case_seed(base_seed, target.name, i);
                        if let Err(message) = run_one(target, seed, &mut ctx) {
                            panics += 1;
                            // A panic may leave the importer's ledger mid-transaction: start afresh.
                            ctx.importer = None;
                            let files =
                                if written.fetch_add(1, Ordering::Relaxed) < FAILURES_WRITTEN {
                                    write_failure(target.name, seed, &message, &ctx.parts)
                                } else {
                                    Vec::new()
                                };
                            failures.push(Failure {
                                target: target.name,
                                seed,
                                message,
                                files,
                            });
                        }
                        i += threads;
                    }
                    (panics, failures)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("the runner itself does not panic"))
            .collect()
    });
    let mut outcome = Outcome {
        target: target.name,
        cases,
        panics: 0,
        elapsed: start.elapsed(),
        failures: Vec::new(),
    };
    for (panics, failures) in results {
        outcome.panics += panics;
        outcome.failures.extend(failures);
    }
    outcome.failures.sort_by_key(|f| f.seed);
    outcome
}

/// One case: generated from `seed`, run under `catch_unwind`. `Err` carries the panic's message.
pub fn run_one(target: Target, seed: u64, ctx: &mut Ctx) -> Result<(), String> {
    ctx.parts.clear();
    let mut rng = Gen::seed_from_u64(seed);
    IN_CASE.with(|c| *c.borrow_mut() = true);
    LAST_PANIC.with(|p| p.borrow_mut().take());
    let result = catch_unwind(AssertUnwindSafe(|| (target.case)(&mut rng, ctx)));
    IN_CASE.with(|c| *c.borrow_mut() = false);
    result.map_err(|_| {
        LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| "(panic message lost)".into())
    })
}

/// Replays one case without catching its panic (so it prints, with a backtrace when asked for).
pub fn replay(target: Target, seed: u64) {
    let mut ctx = Ctx::default();
    let mut rng = Gen::seed_from_u64(seed);
    (target.case)(&mut rng, &mut ctx);
    for (label, bytes) in &ctx.parts {
        println!("{label}: {:?}", String::from_utf8_lossy(bytes));
    }
}

fn write_failure(
    target: &str,
    seed: u64,
    message: &str,
    parts: &[(&'static str, Vec<u8>)],
) -> Vec<PathBuf> {
    let dir = failures_dir();
    if std::fs::create_dir_all(&dir).is_err() {
        return Vec::new();
    }
    let base = format!("{target}-{seed:016x}");
    let mut files = Vec::new();
    let mut summary = format!(
        "target: {target}\nseed: {seed:#018x}\npanic: {message}\nreplay: FUZZ_REPLAY={target}:{seed:#018x} cargo bench --bench parsers_fuzz\n\n"
    );
    for (i, (label, bytes)) in parts.iter().enumerate() {
        let path = dir.join(format!("{base}.{i}.{label}"));
        if std::fs::write(&path, bytes).is_ok() {
            files.push(path);
        }
        let shown: String = String::from_utf8_lossy(bytes).chars().take(2000).collect();
        summary.push_str(&format!("{label} ({} bytes): {shown:?}\n", bytes.len()));
    }
    let path = dir.join(format!("{base}.txt"));
    if std::fs::write(&path, summary).is_ok() {
        files.insert(0, path);
    }
    files
}

// ---------------------------------------------------------------------------------------------
// Generators: bytes, Unicode, and damage
// ---------------------------------------------------------------------------------------------

const VIET: &str = "aàáạảãâầấậẩẫăằắặẳẵeèéẹẻẽêềếệểễiìíịỉĩoòóọỏõôồốộổỗơờớợởỡuùúụủũưừứựửữyỳýỵỷỹđAÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴEÈÉẸẺẼÊỀẾỆỂỄIÌÍỊỈĨOÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠUÙÚỤỦŨƯỪỨỰỬỮYỲÝỴỶỸĐ";

/// Bits of text that have broken parsers elsewhere: marks, invisible characters, look-alike digits,
/// case-changing letters, delimiters and quotes.
const SPICE: &[&str] = &[
    "\u{feff}",
    "\u{a0}",
    "\u{202f}",
    "\u{200b}",
    "\u{2007}",
    "\u{3000}",
    "\u{300}",
    "\u{301}",
    "\u{303}",
    "\u{309}",
    "\u{323}",
    "\u{302}",
    "\u{306}",
    "\u{31b}",
    "\0",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\u{b}",
    "\u{c}",
    "\u{85}",
    "\u{2028}",
    "\"",
    "\"\"",
    "'",
    ",",
    ";",
    "/",
    "-",
    ".",
    " ",
    "  ",
    "=",
    ":",
    "|",
    "(",
    ")",
    "–",
    "—",
    "đ",
    "Đ",
    "ễ",
    "ộ",
    "ư",
    "ơ",
    "₫",
    "０",
    "９",
    "٣",
    "۵",
    "𝟙",
    "²",
    "½",
    "Ⅻ",
    "E+11",
    "e-5",
    "+",
    "−",
    "%",
    "\u{202e}",
    "\u{fffd}",
    "🙂",
    "👨‍👩‍👧",
    "ǅ",
    "İ",
    "ı",
    "ß",
    "ẞ",
    "ﬃ",
    "Σ",
    "K",
    "Å",
    "\\",
    "\\n",
    "#",
    "[",
    "]",
    "{",
    "}",
    "@",
    "=SUM(A1)",
    "\u{10ffff}",
    "\u{e000}",
];

pub fn pick<'a, T>(rng: &mut Gen, items: &'a [T]) -> &'a T {
    items.choose(rng).expect("non-empty list")
}

/// One of some texts (what `pick` gives where inference would otherwise ask for `[str]`).
pub fn one_of(rng: &mut Gen, items: &[&'static str]) -> &'static str {
    items[rng.gen_range(0..items.len())]
}

/// A length skewed to small values, sometimes up to `max`.
pub fn len(rng: &mut Gen, max: usize) -> usize {
    match rng.gen_range(0..10) {
        0..=5 => rng.gen_range(0..=max.min(8)),
        6..=8 => rng.gen_range(0..=max.min(64)),
        _ => rng.gen_range(0..=max),
    }
}

pub fn junk_bytes(rng: &mut Gen, max: usize) -> Vec<u8> {
    let n = len(rng, max);
    match rng.gen_range(0..4) {
        // Bytes from a small alphabet repeat, which finds more edge cases than uniform noise.
        0 => {
            let alphabet: Vec<u8> = (0..rng.gen_range(1..6)).map(|_| rng.gen()).collect();
            (0..n).map(|_| *pick(rng, &alphabet)).collect()
        }
        1 => (0..n)
            .map(|_| {
                *pick(
                    rng,
                    b"0123456789/-.,; \t\r\n\"'\xEF\xBB\xBF\xFF\xFE\x00\xC3\xA0\xE1\xBA",
                )
            })
            .collect(),
        _ => (0..n).map(|_| rng.gen()).collect(),
    }
}

pub fn any_char(rng: &mut Gen) -> char {
    loop {
        if let Some(c) = char::from_u32(rng.gen_range(0..=0x10FFFF)) {
            return c;
        }
    }
}

/// One character or short piece of hostile text.
pub fn piece(rng: &mut Gen) -> String {
    match rng.gen_range(0..10) {
        0 | 1 => char::from(rng.gen_range(0x20u8..0x7f)).to_string(),
        2 => char::from(rng.gen_range(0u8..0x20)).to_string(),
        3 | 4 => VIET
            .chars()
            .nth(rng.gen_range(0..VIET.chars().count()))
            .unwrap()
            .to_string(),
        5 => char::from_u32(rng.gen_range(0x300..0x370))
            .unwrap()
            .to_string(),
        6 => any_char(rng).to_string(),
        7 => char::from(rng.gen_range(b'0'..=b'9')).to_string(),
        _ => pick(rng, SPICE).to_string(),
    }
}

pub fn junk_text(rng: &mut Gen, max: usize) -> String {
    let n = len(rng, max);
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(&piece(rng));
    }
    s
}

/// Damages text by characters: deletes, inserts, swaps, duplicates, truncates, recases, decomposes
/// (NFD), pads with invisible spaces, repeats into a very long value. Stays valid UTF-8.
pub fn mutate_text(rng: &mut Gen, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..rng.gen_range(1..=4) {
        let n = chars.len();
        match rng.gen_range(0..13) {
            0 if n > 0 => {
                let a = rng.gen_range(0..n);
                let b = rng.gen_range(a..=n.min(a + 4));
                chars.drain(a..b);
            }
            1 => {
                let at = rng.gen_range(0..=n);
                let p: Vec<char> = piece(rng).chars().collect();
                chars.splice(at..at, p);
            }
            2 if n > 1 => {
                let a = rng.gen_range(0..n - 1);
                chars.swap(a, a + 1);
            }
            3 if n > 0 => {
                let a = rng.gen_range(0..n);
                let b = rng.gen_range(a..=n.min(a + 6));
                let copy: Vec<char> = chars[a..b].to_vec();
                chars.splice(b..b, copy);
            }
            4 if n > 0 => {
                let at = rng.gen_range(0..n);
                chars[at] = piece(rng).chars().next().unwrap_or('x');
            }
            5 if n > 0 => chars.truncate(rng.gen_range(0..n)),
            6 => chars = chars.iter().collect::<String>().nfd().collect(),
            7 => {
                chars = chars
                    .iter()
                    .collect::<String>()
                    .to_uppercase()
                    .chars()
                    .collect()
            }
            8 => {
                let pad = pick(
                    rng,
                    &[" ", "\u{a0}", "\u{feff}", "\t", "'", "\u{3000}", "\"", "\n"],
                );
                if rng.gen_bool(0.5) {
                    chars.splice(0..0, pad.chars());
                } else {
                    chars.extend(pad.chars());
                }
            }
            9 if n > 0 && n < 4096 && rng.gen_bool(0.2) => {
                // Long, but not without bound (the repeats of several rounds multiply).
                let times = rng.gen_range(2..200).min(8192 / n + 2);
                let copy = chars.clone();
                for _ in 1..times {
                    chars.extend_from_slice(&copy);
                }
            }
            10 if n > 0 => {
                // A digit changed into another (or a look-alike).
                if let Some(at) = (0..n)
                    .filter(|&i| chars[i].is_ascii_digit())
                    .collect::<Vec<_>>()
                    .choose(rng)
                {
                    chars[*at] = *pick(rng, &['0', '1', '5', '9', '٠', '０', 'O', 'l', '²']);
                }
            }
            11 => {
                let d = *pick(rng, &['/', '-', '.', ',', ' ', ';', ':', '\u{a0}']);
                let at = rng.gen_range(0..=n);
                chars.insert(at, d);
            }
            _ => {
                let at = rng.gen_range(0..=n);
                let p: Vec<char> = junk_text(rng, 6).chars().collect();
                chars.splice(at..at, p);
            }
        }
    }
    chars.into_iter().collect()
}

/// Damages bytes: bit flips, random bytes, insertions (BOMs, NULs, broken UTF-8), deletions,
/// duplications, truncation.
pub fn mutate_bytes(rng: &mut Gen, mut bytes: Vec<u8>, rounds: usize) -> Vec<u8> {
    for _ in 0..rounds {
        let n = bytes.len();
        match rng.gen_range(0..8) {
            0 if n > 0 => {
                let at = rng.gen_range(0..n);
                bytes[at] ^= 1 << rng.gen_range(0..8);
            }
            1 if n > 0 => {
                let at = rng.gen_range(0..n);
                bytes[at] = rng.gen();
            }
            2 => {
                let at = rng.gen_range(0..=n);
                let insert: &[u8] = pick::<&[u8]>(
                    rng,
                    &[
                        b"\xEF\xBB\xBF" as &[u8],
                        b"\xFF\xFE",
                        b"\x00",
                        b"\xC3",
                        b"\xE1\xBB",
                        b"\xFF",
                        b"\r",
                        b"\n",
                        b"\"",
                        b",",
                        b";",
                        b"\t",
                        b"\x80",
                        b"\xF4\x90\x80\x80",
                        b"\xED\xA0\x80",
                    ],
                );
                bytes.splice(at..at, insert.iter().copied());
            }
            3 if n > 0 => {
                let a = rng.gen_range(0..n);
                let b = rng.gen_range(a..=n.min(a + 16));
                bytes.drain(a..b);
            }
            4 if n > 0 => {
                let a = rng.gen_range(0..n);
                let b = rng.gen_range(a..=n.min(a + 64));
                let copy = bytes[a..b].to_vec();
                bytes.splice(b..b, copy);
            }
            5 if n > 0 => bytes.truncate(rng.gen_range(0..n)),
            _ => {
                let at = rng.gen_range(0..=n);
                let junk = junk_bytes(rng, 8);
                bytes.splice(at..at, junk);
            }
        }
    }
    bytes
}

// ---------------------------------------------------------------------------------------------
// Generators: values shaped like the real thing
// ---------------------------------------------------------------------------------------------

fn number_text(rng: &mut Gen, pad: usize, n: u64) -> String {
    if rng.gen_bool(0.5) {
        format!("{n:0pad$}")
    } else {
        n.to_string()
    }
}

/// A date as offices write it (dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd, Excel's
/// midnight), with impossible days and months, extreme or short years, mixed separators and junk.
pub fn date_text(rng: &mut Gen) -> String {
    let year: u64 = match rng.gen_range(0..10) {
        0..=4 => rng.gen_range(2019..=2023),
        5 => rng.gen_range(1900..=2020),
        6 => *pick(
            rng,
            &[
                0,
                1,
                99,
                1899,
                1900,
                2000,
                2100,
                9999,
                10000,
                262_143,
                u64::from(u32::MAX) + 1,
            ],
        ),
        7 => rng.gen_range(0..100),
        _ => rng.gen_range(0..10_000),
    };
    let month: u64 = if rng.gen_bool(0.85) {
        rng.gen_range(1..=12)
    } else {
        *pick(rng, &[0, 13, 99, 4_294_967_296])
    };
    let day: u64 = if rng.gen_bool(0.85) {
        rng.gen_range(1..=31)
    } else {
        *pick(rng, &[0, 29, 30, 31, 32, 99, 18_446_744_073_709_551_615])
    };
    let y = number_text(rng, 4, year);
    let m = number_text(rng, 2, month);
    let d = number_text(rng, 2, day);
    let sep = *pick(rng, &['/', '/', '/', '-', '.', ' ', ',', '\\']);
    let sep2 = if rng.gen_bool(0.9) {
        sep
    } else {
        *pick(rng, &['/', '-', '.', ' '])
    };
    let body = match rng.gen_range(0..6) {
        0 => format!("{y}{sep}{m}{sep2}{d}"),
        1 => format!("{m}{sep}{d}{sep2}{y}"),
        2 => format!("{d}{sep}{m}"),
        3 => format!("{d}{sep}{m}{sep2}{y}{sep}{d}"),
        _ => format!("{d}{sep}{m}{sep2}{y}"),
    };
    let suffix = *pick(
        rng,
        &[
            "",
            "",
            "",
            " 00:00:00",
            " 0:00",
            " 00:00",
            " 12:30:00",
            "T00:00:00",
            " ",
            "\u{a0}",
            " 00:00:00 00:00:00",
        ],
    );
    let prefix = *pick(rng, &["", "", "", "'", " ", "\u{feff}", "+", "-"]);
    let text = format!("{prefix}{body}{suffix}");
    if rng.gen_bool(0.3) {
        mutate_text(rng, &text)
    } else {
        text
    }
}

/// A date that reads (for the importer's valid-looking rows): the year in range, maybe impossible.
pub fn plausible_date(rng: &mut Gen) -> String {
    let (y, m, d) = (
        rng.gen_range(1950..=2022),
        rng.gen_range(1..=12),
        rng.gen_range(1..=31),
    );
    match rng.gen_range(0..4) {
        0 => format!("{d}/{m}/{y}"),
        1 => format!("{y}-{m:02}-{d:02}"),
        2 => format!("{y}-{m:02}-{d:02} 00:00:00"),
        _ => format!("{d:02}/{m:02}/{y}"),
    }
}

const DATE_EDGES: &[&str] = &[
    "",
    "/",
    "//",
    "--",
    "..",
    "0/0/0",
    "-1/-1/-2021",
    "29/02/2000",
    "29/02/1900",
    "29/02/2100",
    "31/12/9999",
    "01/01/0000",
    "0000-01-01",
    "9999-12-31",
    "2021-07-24 00:00:00",
    "1/1/1 00:00",
    "٠٥/٠٧/٢٠٢١",
    "０５/０７/２０２１",
    "+2021-01-01",
    "4294967296/1/2021",
    "1/4294967296/2021",
    "1/1/4294967296",
    "1e3/1/2021",
    " 00:00",
    "00:00:00",
    "5/7/2021 00:00:00 ",
    "05/07/2021\u{a0}00:00",
    "2021-7-5",
    "5.7.2021.",
    "99999999999999999999/1/2021",
    "31/04/2021",
    "1/1/2021/1",
    "ngày 5 tháng 7 năm 2021",
];

const ID_PROVINCES: &[&str] = &[
    "001", "002", "031", "048", "079", "092", "096", "000", "003", "099", "999",
];

/// A 12-digit citizen number (valid province, century/sex digit and year, or not quite), a 9-digit CMND or
/// a 10-digit social-insurance number, damaged the ways lists damage them: a digit dropped, swapped or
/// added, separators, Excel's scientific notation and lost leading zeros, look-alike digits.
pub fn id_text(rng: &mut Gen) -> String {
    let digits = |rng: &mut Gen, n: usize| -> String {
        (0..n)
            .map(|_| char::from(b'0' + rng.gen_range(0..10)))
            .collect()
    };
    let mut s = match rng.gen_range(0..10) {
        0..=5 => {
            let province = *pick(rng, ID_PROVINCES);
            let century = rng.gen_range(0..10);
            format!(
                "{province}{century}{:02}{}",
                rng.gen_range(0..100),
                digits(rng, 6)
            )
        }
        6 | 7 => digits(rng, 9),
        8 => digits(rng, 10),
        _ => {
            let n = rng.gen_range(0..20);
            digits(rng, n)
        }
    };
    match rng.gen_range(0..14) {
        0 if !s.is_empty() => {
            let at = rng.gen_range(0..s.len());
            s.remove(at);
        }
        1 if s.len() > 1 => {
            let at = rng.gen_range(0..s.len() - 1);
            let mut b = s.into_bytes();
            b.swap(at, at + 1);
            s = String::from_utf8(b).unwrap();
        }
        2 => {
            let at = rng.gen_range(0..=s.len());
            s.insert(at, char::from(b'0' + rng.gen_range(0..10)));
        }
        3 => {
            // Grouped the way people type it.
            let sep = *pick(rng, &[" ", ".", "-", "\u{a0}", "  ", "/", ","]);
            let chunks: Vec<String> = s
                .as_bytes()
                .chunks(3)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            s = chunks.join(sep);
        }
        4 => {
            // Excel's number: leading zeros gone, maybe scientific or with a decimal tail.
            let trimmed = s.trim_start_matches('0').to_string();
            s = match rng.gen_range(0..3) {
                0 => trimmed,
                1 => format!(
                    "{}.{}E+{}",
                    &s[..1.min(s.len())],
                    &s[1.min(s.len())..6.min(s.len())],
                    s.len().saturating_sub(1)
                ),
                _ => format!("{trimmed}.0"),
            };
        }
        5 => s = format!("'{s}"),
        6 => s = mutate_text(rng, &s),
        7 => {
            // Full-width or Arabic-Indic digits.
            let base = *pick(rng, &[0xFF10u32, 0x660, 0x6F0, 0x1D7CE]);
            s = s
                .chars()
                .map(|c| {
                    c.to_digit(10)
                        .map_or(c, |d| char::from_u32(base + d).unwrap())
                })
                .collect();
        }
        _ => {}
    }
    s
}

/// An amount as Excel and officers write it: dot, comma, space or no-break-space thousands, ",00"
/// tails, đ/đồng/VND (also decomposed), signs, huge values, wrong group sizes.
pub fn amount_text(rng: &mut Gen) -> String {
    let digits: String = match rng.gen_range(0..10) {
        0..=3 => pick(
            rng,
            &[
                0u64,
                1,
                999,
                1000,
                80_000,
                1_000_000,
                1_855_000,
                3_710_000,
                184_500_000,
            ],
        )
        .to_string(),
        4 => pick(
            rng,
            &[
                i64::MAX as u64,
                i64::MAX as u64 + 1,
                u64::MAX,
                1_000_000_000_000_000_000,
                999_999_999_999_999_999,
                10_000_000_000_000_000_000,
            ],
        )
        .to_string(),
        5 => rng.gen::<u64>().to_string(),
        6 => (0..rng.gen_range(1..45))
            .map(|_| char::from(b'0' + rng.gen_range(0..10)))
            .collect(),
        _ => rng.gen_range(0..10_000_000_000u64).to_string(),
    };
    let group = rng.gen_range(0..10);
    let body = if group < 4 {
        digits.clone()
    } else {
        let sep = *pick(rng, &[".", ",", " ", "\u{a0}", "\u{202f}", "'", "_"]);
        let size = if rng.gen_bool(0.9) {
            3
        } else {
            rng.gen_range(1..5)
        };
        let lead = digits.len() % size;
        let mut parts: Vec<&str> = Vec::new();
        if lead > 0 {
            parts.push(&digits[..lead]);
        }
        let mut i = lead;
        while i < digits.len() {
            parts.push(&digits[i..i + size]);
            i += size;
        }
        parts.join(sep)
    };
    let tail = *pick(
        rng,
        &[
            "", "", "", ",00", ".00", ",5", ".000", ",0", ",000", ".", ",",
        ],
    );
    let unit = *pick(
        rng,
        &[
            "",
            "",
            "",
            "đ",
            " đ",
            "đồng",
            " đồng",
            "VND",
            " vnđ",
            "VNĐ",
            "d",
            "₫",
            " ₫",
            " đ\u{300}",
            " do\u{302}\u{300}ng",
            " dong",
            " Đ",
            " ĐỒNG",
            "đđ",
        ],
    );
    let sign = *pick(rng, &["", "", "", "", "-", "+", "(", "−", " "]);
    let close = if sign == "(" { ")" } else { "" };
    let text = format!("{sign}{body}{tail}{unit}{close}");
    if rng.gen_bool(0.3) {
        mutate_text(rng, &text)
    } else {
        text
    }
}

const NAMES: &[&str] = &[
    "Nguyễn Thị Lan",
    "Trần Văn Đức",
    "Lê Thị Thu Thủy",
    "Phạm Ngọc Ánh",
    "Hoàng Minh Tuấn",
    "Đỗ Thị Quỳnh",
    "Vũ Đình Khương",
    "Bùi Thị Huyền",
    "An",
    "Ngô Thị Nguyệt",
    "Nguyễn Văn A",
];

fn name(rng: &mut Gen) -> String {
    match rng.gen_range(0..6) {
        0 => {
            let n = one_of(rng, NAMES);
            mutate_text(rng, n)
        }
        1 => junk_text(rng, 24),
        2 => pick(rng, NAMES).nfd().collect(),
        _ => pick(rng, NAMES).to_string(),
    }
}

/// A "children under 6" cell: "Họ tên - dd/mm/yyyy - số định danh", several by ";" or line breaks.
pub fn children_text(rng: &mut Gen) -> String {
    let mut items = Vec::new();
    for _ in 0..rng.gen_range(0..4) {
        let sep = *pick(rng, &[" - ", "-", " – ", " | ", " (", ", ", " "]);
        let mut item = String::new();
        if rng.gen_bool(0.8) {
            item.push_str(&name(rng));
            item.push_str(sep);
        }
        item.push_str(&if rng.gen_bool(0.7) {
            plausible_date(rng)
        } else {
            date_text(rng)
        });
        if rng.gen_bool(0.5) {
            item.push_str(sep);
            item.push_str(&id_text(rng));
        }
        if sep == " (" {
            item.push(')');
        }
        items.push(item);
    }
    let joined = items.join(*pick(rng, &[";", "; ", "\n", "\r\n", ";;", " ; "]));
    if rng.gen_bool(0.25) {
        mutate_text(rng, &joined)
    } else {
        joined
    }
}

const YES_WORDS: &[&str] = &[
    "x",
    "X",
    "có",
    "Có",
    "co",
    "không",
    "khong",
    "1",
    "0",
    "yes",
    "no",
    "đúng",
    "v",
    "ok",
    "-",
    "",
    "n",
    "y",
    "√",
    "✓",
    "có\u{301}",
];

/// A facts cell: `social_insurance=có; receives_pension=không` with `:` and line breaks, unknown names.
pub fn facts_text(rng: &mut Gen, known: &[String]) -> String {
    let mut items = Vec::new();
    for _ in 0..rng.gen_range(0..4) {
        let key = if rng.gen_bool(0.7) && !known.is_empty() {
            pick(rng, known).clone()
        } else {
            junk_text(rng, 12)
        };
        let key = if rng.gen_bool(0.2) {
            key.to_uppercase()
        } else {
            key
        };
        let eq = *pick(rng, &["=", ":", " = ", "==", ""]);
        items.push(format!("{key}{eq}{}", pick(rng, YES_WORDS)));
    }
    let joined = items.join(*pick(rng, &[";", "; ", "\n", ","]));
    if rng.gen_bool(0.25) {
        mutate_text(rng, &joined)
    } else {
        joined
    }
}

/// Text for a parser of one kind: shaped (with damage), edge cases, arbitrary Unicode or decoded junk bytes.
fn shaped_or_junk(rng: &mut Gen, shaped: fn(&mut Gen) -> String, edges: &[&str]) -> String {
    match rng.gen_range(0..20) {
        0..=11 => shaped(rng),
        12 | 13 => pick(rng, edges).to_string(),
        14 => {
            let e = *pick(rng, edges);
            mutate_text(rng, e)
        }
        15 | 16 => junk_text(rng, 40),
        17 => String::from_utf8_lossy(&junk_bytes(rng, 40)).into_owned(),
        18 => {
            let a = shaped(rng);
            let b = shaped(rng);
            format!("{a}{}{b}", pick(rng, &[" ", "/", "", ";", "\n"]))
        }
        _ => {
            // Very long.
            let unit: String = shaped(rng).chars().take(2000).collect();
            let times = rng.gen_range(50..2000).min(40_000 / unit.len().max(1) + 1);
            unit.repeat(times).chars().take(20_000).collect()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------

/// `dates::parse_date`, the import's date and birth cells, `Dob::parse`, and the calendar arithmetic on
/// whatever they accept.
fn date_case(rng: &mut Gen, ctx: &mut Ctx) {
    let a = shaped_or_junk(rng, date_text, DATE_EDGES);
    let b = shaped_or_junk(rng, date_text, DATE_EDGES);
    ctx.record_text("a.txt", &a);
    ctx.record_text("b.txt", &b);
    let _ = cells::date(&a);
    let _ = cells::birth(&a);
    let _ = Dob::parse(&a);
    let parsed_a = dates::parse_date(&a);
    let parsed_b = dates::parse_date(&b);
    if let Ok(d) = &parsed_a {
        assert_eq!(
            dates::parse_date(&dates::format_vi(*d)).ok(),
            Some(*d),
            "a date read from '{a}' reads back from its dd/mm/yyyy"
        );
        let _ = dates::end_of_first_month(*d);
        let _ = dates::covers_a_month(*d, *d);
    }
    if let (Ok(x), Ok(y)) = (parsed_a, parsed_b) {
        let (from, to) = if x <= y { (x, y) } else { (y, x) };
        let _ = dates::days_inclusive(from, to);
        let _ = dates::covers_months(from, to);
        let _ = dates::covers_a_month(from, to);
        let _ = dates::age_on(x, y);
        let _ = dates::end_of_months(from, rng.gen_range(0..=1200));
    }
}

/// The import's amount cell, and Money's formatting (digits, words) and JSON on whatever it accepts.
fn money_case(rng: &mut Gen, ctx: &mut Ctx) {
    let text = shaped_or_junk(
        rng,
        amount_text,
        &[
            "",
            "đ",
            "0",
            "-0",
            ",00",
            ".00",
            "1.855",
            "1,85",
            "18.55.000",
            "1.855.000,00 đ",
            "1.855.000.000.000.000.000",
            "99999999999999999999",
        ],
    );
    ctx.record_text("amount.txt", &text);
    let parsed = cells::amount(&text);
    let _ = serde_json::from_str::<Money>(&text);
    if let Ok(n) = parsed {
        assert!(n >= 0, "'{text}' read as a negative amount {n}");
        for m in [Money::from_dong(n), Money::from_dong(-n)] {
            let shown = m.format_vi();
            assert_eq!(
                shown.replace(['.', '-'], ""),
                n.to_string(),
                "format_vi of {n}"
            );
            let _ = m.in_words_vi();
            let _ = m.to_string();
            let _ = m.to_dong();
            let json = serde_json::to_string(&m).expect("money serialises");
            assert_eq!(serde_json::from_str::<Money>(&json).ok(), Some(m));
            let _ = (m * 366).in_words_vi();
            let _ = (m + m).format_vi();
        }
    }
}

/// `validate_identity` for every kind with birth year and sex, the import's ID cell, the kind parser.
fn identity_case(rng: &mut Gen, ctx: &mut Ctx) {
    let text = shaped_or_junk(
        rng,
        id_text,
        &[
            "",
            "0",
            "000000000",
            "000000000000",
            "1.08501E+11",
            "'001190012345",
            "001 190 012 345",
            "001-190-012-345",
            "0011900123456789012345678901234567890",
        ],
    );
    let year = match rng.gen_range(0..6) {
        0 => None,
        1 => Some(*pick(
            rng,
            &[i32::MIN, i32::MAX, -1, 0, 1900, 2099, 2100, 10_000],
        )),
        _ => Some(rng.gen_range(1880..2130)),
    };
    let female = *pick(rng, &[None, Some(true), Some(false)]);
    ctx.record_text("id.txt", &text);
    ctx.record_text(
        "params.txt",
        &format!("birth_year={year:?} female={female:?}"),
    );
    for kind in [
        IdKind::Cmnd,
        IdKind::Cccd,
        IdKind::PersonalId,
        IdKind::SocialInsurance,
    ] {
        if let Ok(n) = validate_identity(kind, &text, year, female) {
            assert!(n.bytes().all(|b| b.is_ascii_digit()), "{n}");
            assert!(matches!(n.len(), 9 | 10 | 12), "{n}");
        }
    }
    if let Ok(d) = cells::id_digits(&text) {
        assert!(
            d.bytes().all(|b| b.is_ascii_digit()) && matches!(d.len(), 9 | 12),
            "{d}"
        );
        let _ = IdKind::guess(&d);
        let _ = province_name(&d[..3]);
    }
    let _ = IdKind::parse(&text);
    let _ = IdKind::guess(&text);
    let _ = province_name(&text);
}

fn known_facts() -> &'static [String] {
    static KNOWN: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    KNOWN.get_or_init(|| {
        let pack = relief_ledger::rules::default_pack();
        let mut v: Vec<String> = pack
            .policies
            .iter()
            .flat_map(|p| p.conditions.iter().map(|c| c.fact.clone()))
            .collect();
        v.sort();
        v.dedup();
        v
    })
}

fn header_text(rng: &mut Gen) -> String {
    let spec = pick(rng, TEMPLATE);
    let variants = columns::variants(spec.field);
    let base = if rng.gen_bool(0.5) || variants.is_empty() {
        spec.header.to_string()
    } else {
        pick(rng, variants).to_string()
    };
    match rng.gen_range(0..8) {
        0 => mutate_text(rng, &base),
        1 => base.nfd().collect(),
        2 => base.to_uppercase(),
        3 => format!("{base} ({})", rng.gen_range(0..30)),
        4 => format!(
            "{base}{}",
            pick(
                rng,
                &["*", ":", " (*)", " (1)", " ()", " (", "  ", "\u{a0}"]
            )
        ),
        _ => base,
    }
}

/// The import's other cells (clean, yes marks, days, children, facts) and the header matcher.
fn cells_case(rng: &mut Gen, ctx: &mut Ctx) {
    let text = match rng.gen_range(0..6) {
        0 => shaped_or_junk(
            rng,
            children_text,
            &["", ";", "\n", " - ", "An - 02/03/2019; an - 2/3/2019"],
        ),
        1 => {
            let known = known_facts();
            match rng.gen_range(0..3) {
                0 => junk_text(rng, 30),
                _ => facts_text(rng, known),
            }
        }
        2 => shaped_or_junk(rng, header_text, &["", "STT", "(1)", "Họ và tên (", " ("]),
        3 => {
            let w = pick(rng, YES_WORDS).to_string();
            if rng.gen_bool(0.5) {
                mutate_text(rng, &w)
            } else {
                w
            }
        }
        4 => match rng.gen_range(0..3) {
            0 => rng.gen::<i64>().to_string(),
            1 => rng.gen_range(0..400).to_string(),
            _ => {
                let n = rng.gen_range(0..400).to_string();
                mutate_text(rng, &n)
            }
        },
        _ => junk_text(rng, 60),
    };
    ctx.record_text("cell.txt", &text);
    let cleaned = cells::clean(&text);
    let _ = cells::yes(&text);
    let _ = cells::days(&text);
    let _ = cells::children(&text);
    let _ = cells::children(&cleaned);
    let known = known_facts();
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    let _ = cells::facts(&text, &known);
    let _ = cells::facts(&text, &[]);
    let _ = columns::field_of(&text);
    let row: Vec<String> = (0..rng.gen_range(0..8))
        .map(|_| {
            if rng.gen_bool(0.5) {
                header_text(rng)
            } else {
                text.clone()
            }
        })
        .collect();
    let mapped = columns::map_header(&row);
    assert_eq!(mapped.len(), row.len());
    let _ = columns::header_score(&row);
}

/// Some Vietnamese text, for encodings.
fn viet_text(rng: &mut Gen) -> String {
    let mut s = String::new();
    for _ in 0..rng.gen_range(0..30) {
        s.push_str(match rng.gen_range(0..4) {
            0 => one_of(rng, NAMES),
            1 => pick(rng, TEMPLATE).header,
            2 => one_of(
                rng,
                &[
                    ",",
                    ";",
                    "\t",
                    "\r\n",
                    "\n",
                    " ",
                    "\"",
                    "1.855.000",
                    "01/07/2021",
                ],
            ),
            _ => one_of(
                rng,
                &[
                    "phường Giang Biên",
                    "Tổ dân phố 7",
                    "Hộ cận nghèo",
                    "Số tiền hỗ trợ",
                    "ấp 3",
                    "khuỷu",
                    "Nguyễn",
                ],
            ),
        });
    }
    s
}

/// Text as Windows-1258 holds Vietnamese: the letter with its modifier precomposed (â ê ô ă ơ ư), the tone
/// as a combining mark after it, which is how Excel writes it.
fn windows_1258(text: &str) -> Vec<u8> {
    const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let mut split = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        let parts: String = c.to_string().nfd().collect();
        let tone = parts.chars().find(|m| TONES.contains(m));
        split.extend(
            parts
                .chars()
                .filter(|m| !TONES.contains(m))
                .collect::<String>()
                .nfc(),
        );
        split.extend(tone);
    }
    encoding_rs::WINDOWS_1258.encode(&split).0.into_owned()
}

fn encode_as(rng: &mut Gen, text: &str) -> (Vec<u8>, &'static str) {
    match rng.gen_range(0..40) {
        0..=13 => (text.as_bytes().to_vec(), "utf8"),
        14..=22 => (
            [b"\xEF\xBB\xBF" as &[u8], text.as_bytes()].concat(),
            "utf8-bom",
        ),
        23..=26 => {
            let mut v = vec![0xFF, 0xFE];
            v.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            (v, "utf16-le")
        }
        27 | 28 => {
            let mut v = vec![0xFE, 0xFF];
            v.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            (v, "utf16-be")
        }
        29 => (
            text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            "utf16-le-no-bom",
        ),
        30..=37 => (windows_1258(text), "windows-1258"),
        38 => {
            let nfd: String = text.nfd().collect();
            (
                encoding_rs::WINDOWS_1258.encode(&nfd).0.into_owned(),
                "windows-1258-nfd",
            )
        }
        _ => {
            let mut v = b"\xFF\xFE\x00\x00".to_vec();
            v.extend(text.chars().flat_map(|c| (c as u32).to_le_bytes()));
            (v, "utf32-le")
        }
    }
}

fn fixtures() -> &'static [(String, Vec<u8>)] {
    static FIXTURES: std::sync::OnceLock<Vec<(String, Vec<u8>)>> = std::sync::OnceLock::new();
    FIXTURES.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
        let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .expect("tests/fixtures/import")
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("csv" | "txt")))
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        v.sort();
        assert!(!v.is_empty(), "the import fixtures are there");
        v
    })
}

/// Hands out the bytes a few at a time (random sizes), so that readers meet every split.
struct Trickle {
    data: Vec<u8>,
    at: usize,
    rng: Gen,
}

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.data.len() - self.at;
        let n = left.min(buf.len()).min(self.rng.gen_range(1..=7));
        buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Encoding detection on the sample, and the streaming UTF-8 reader of the whole file (in random
/// chunks) for the encoding detected and for every other.
fn encoding_case(rng: &mut Gen, ctx: &mut Ctx) {
    let bytes = match rng.gen_range(0..24u32) {
        0 | 1 | 8..=13 => junk_bytes(rng, 300),
        2 | 3 | 14..=19 => {
            let t = viet_text(rng);
            encode_as(rng, &t).0
        }
        4 | 20 | 21 => {
            let t = viet_text(rng);
            let b = encode_as(rng, &t).0;
            mutate_bytes(rng, b, 3)
        }
        5 | 22 | 23 => {
            let (_, f) = pick(rng, fixtures());
            let rounds = rng.gen_range(1..6);
            mutate_bytes(rng, f.clone(), rounds)
        }
        6 => {
            let (_, f) = pick(rng, fixtures());
            let mut f = f.clone();
            let cut = rng.gen_range(0..=f.len());
            f.truncate(cut);
            f
        }
        _ => {
            // Around the 64 KiB sample edge (one case in 24): a character or a bad byte cut by it.
            let mut v = vec![b'a'; 64 * 1024 - rng.gen_range(0..4)];
            let t = viet_text(rng);
            v.extend(encode_as(rng, &t).0);
            mutate_bytes(rng, v, 1)
        }
    };
    ctx.record("file.bin", bytes.clone());
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let detected = encoding::detect(sample);
    let all = [
        encoding::SourceEncoding::Utf8,
        encoding::SourceEncoding::Utf8Bom,
        encoding::SourceEncoding::Utf16Le,
        encoding::SourceEncoding::Utf16Be,
        encoding::SourceEncoding::Windows1258,
        encoding::SourceEncoding::Tcvn3,
    ];
    let enc = match detected {
        Ok(e) => e,
        Err(_) => *pick(rng, &all),
    };
    let _ = enc.label_vi();
    let mut out = Vec::new();
    let read =
        encoding::utf8_reader(std::io::Cursor::new(bytes.clone()), enc).read_to_end(&mut out);
    if read.is_ok() {
        assert!(
            std::str::from_utf8(&out).is_ok(),
            "the reader hands out UTF-8 only"
        );
    }
    let trickle = Trickle {
        data: bytes.clone(),
        at: 0,
        rng: Gen::seed_from_u64(rng.gen()),
    };
    let mut reader = encoding::utf8_reader(trickle, enc);
    let mut trickled = Vec::new();
    let mut buf = [0u8; 13];
    loop {
        let want = rng.gen_range(1..=buf.len());
        match reader.read(&mut buf[..want]) {
            Ok(0) | Err(_) => break,
            Ok(n) => trickled.extend_from_slice(&buf[..n]),
        }
    }
    if read.is_ok() {
        assert_eq!(trickled, out, "the same text whatever the read sizes");
    }
}

/// Weird values for a rule pack's `key = value` lines.
const TOML_VALUES: &[&str] = &[
    "-1",
    "0",
    "1",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "99999999999999999999999",
    "1e400",
    "nan",
    "inf",
    "-inf",
    "0x10",
    "1_000",
    "true",
    "false",
    "\"\"",
    "\"x\"",
    "[]",
    "{}",
    "[1, 2]",
    "\"2021-02-30\"",
    "\"0000-01-01\"",
    "\"9999-12-31\"",
    "\"+262142-12-31\"",
    "\"-262143-01-01\"",
    "\"+262143-01-01\"",
    "2021-07-01",
    "1979-05-27T07:32:00Z",
    "\"hn-3642-freelance\"",
    "\"68-f0\"",
    "'''multi\nline'''",
    "\"\\u0000\"",
    "\"\\uD800\"",
    "4294967295",
    "4294967296",
    "2147483647",
    "-2147483649",
    "\"start\"",
    "\"whole\"",
    "\"fixed\"",
    "\"tiers\"",
    "\"per_day\"",
    "\"confirmed\"",
    "\"child_under_6\"",
    "\"person\"",
    "\"household\"",
    "[\"68-f0\", \"nope\"]",
    "\"  \"",
    "\"\u{301}\"",
];

const TOML_LINES: &[&str] = &[
    "[[policy]]",
    "[pack]",
    "[policy.amount]",
    "rule = \"tiers\"",
    "rule = \"per_day\"",
    "rule = \"fixed\"",
    "[[policy.amount.tiers]]",
    "amount = 0",
    "amount = 9223372036854775807",
    "min_days = 4294967295",
    "[policy.window]",
    "from = \"2021-07-01\"",
    "to = \"2021-06-30\"",
    "[[policy.supplements]]",
    "[[policy.conditions]]",
    "excludes = [\"68-f0\", \"68-f0\"]",
    "code = \"68-f0\"",
    "code = \"\"",
    "x = 1",
    "[[",
    "]]",
    "=",
    "\"",
    "'''",
    "#",
    "max_days = 0",
    "rate = -1",
    "min_age = -2147483648",
    "deadline = \"+262142-12-31\"",
    "effective_from = \"9999-12-31\"",
    "once_group = \"\"",
];

/// A value of the same TOML type as `value` (so the pack still parses and reaches validation and pricing):
/// extreme numbers, impossible or extreme dates, empty or repeated codes, flipped booleans.
fn same_type_value(rng: &mut Gen, key: &str, value: &str) -> Option<String> {
    let v = value.trim();
    if v == "true" || v == "false" {
        return Some(if v == "true" { "false" } else { "true" }.into());
    }
    if v.parse::<i64>().is_ok() {
        let n: i64 = *pick(
            rng,
            &[
                0,
                1,
                -1,
                2,
                7,
                14,
                15,
                31,
                365,
                366,
                1200,
                100_000,
                i64::from(u32::MAX),
                i64::from(i32::MAX),
                i64::from(i32::MIN),
                i64::MAX,
                i64::MIN,
                1_000_000_000_000_000_000,
            ],
        );
        return Some(n.to_string());
    }
    if v.len() == 12 && v.starts_with("\"") && v.as_bytes()[5] == b'-' {
        return Some(
            pick(
                rng,
                &[
                    "\"0000-01-01\"",
                    "\"9999-12-31\"",
                    "\"+262142-12-31\"",
                    "\"-262143-01-01\"",
                    "\"2021-02-29\"",
                    "\"2020-02-29\"",
                    "\"2021-12-31\"",
                    "\"2021-01-01\"",
                    "\"1900-01-01\"",
                ],
            )
            .to_string(),
        );
    }
    if v.starts_with('"') {
        let codes = policy_texts();
        let code = &codes[2 * rng.gen_range(0..codes.len() / 2)];
        let text = match rng.gen_range(0..5) {
            0 => String::new(),
            1 => " ".into(),
            2 => code.clone(),
            3 => junk_text(rng, 12).replace(['"', '\\'], ""),
            _ => mutate_text(rng, v.trim_matches('"')).replace(['"', '\\'], ""),
        };
        let text: String = text.chars().filter(|c| !c.is_control()).collect();
        return Some(format!("\"{text}\""));
    }
    if v.starts_with('[') && key == "excludes" {
        return Some(
            pick(
                rng,
                &[
                    "[]",
                    "[\"68-f0\"]",
                    "[\"nope\"]",
                    "[\"68-f0\", \"68-f0\"]",
                    "[\"\"]",
                ],
            )
            .to_string(),
        );
    }
    None
}

/// A rule pack text: the shipped one with line, value, character and byte damage.
fn pack_text(rng: &mut Gen) -> String {
    let mut lines: Vec<String> = DEFAULT_PACK_TOML.lines().map(str::to_string).collect();
    if rng.gen_bool(0.6) {
        // Damage that keeps the TOML and its types: what gets past the parser to validation and pricing.
        for _ in 0..rng.gen_range(1..=3) {
            let candidates: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].contains(" = "))
                .collect();
            let Some(&i) = candidates.choose(rng) else {
                break;
            };
            let (key, value) = lines[i].split_once(" = ").expect("chosen for it");
            let (key, value) = (key.to_string(), value.to_string());
            match rng.gen_range(0..6) {
                // An optional key dropped (a required one: refused by the parser, which is fine too).
                0 => {
                    lines.remove(i);
                }
                _ => {
                    if let Some(v) = same_type_value(rng, key.trim(), &value) {
                        lines[i] = format!("{key} = {v}");
                    }
                }
            }
        }
        return lines.join("\n");
    }
    for _ in 0..rng.gen_range(1..=5) {
        let n = lines.len();
        if n == 0 {
            lines.push(pick(rng, TOML_LINES).to_string());
            continue;
        }
        let at = rng.gen_range(0..n);
        match rng.gen_range(0..9) {
            0 => {
                lines.remove(at);
            }
            1 => {
                let l = lines[at].clone();
                lines.insert(at, l);
            }
            2 => {
                let b = rng.gen_range(0..n);
                lines.swap(at, b);
            }
            3 | 4 => {
                // A `key = value` line given a weird value (most of the damage goes here: it reaches validate).
                let candidates: Vec<usize> = (0..n).filter(|&i| lines[i].contains(" = ")).collect();
                if let Some(&i) = candidates.choose(rng) {
                    let key = lines[i].split(" = ").next().unwrap().to_string();
                    lines[i] = format!("{key} = {}", pick(rng, TOML_VALUES));
                }
            }
            5 => lines[at] = mutate_text(rng, &lines[at]),
            6 => lines.insert(at, pick(rng, TOML_LINES).to_string()),
            7 => lines.truncate(at),
            _ => {
                // A block of lines copied elsewhere (a policy twice, a tier in the wrong table).
                let len = rng.gen_range(1..=20).min(n - at);
                let block: Vec<String> = lines[at..at + len].to_vec();
                let to = rng.gen_range(0..=n);
                lines.splice(to..to, block);
            }
        }
    }
    let text = lines.join(*pick(rng, &["\n", "\r\n", "\n", "\n"]));
    if rng.gen_bool(0.1) {
        let rounds = rng.gen_range(1..4);
        let bytes = mutate_bytes(rng, text.into_bytes(), rounds);
        String::from_utf8_lossy(&bytes).into_owned()
    } else if rng.gen_bool(0.05) {
        format!("\u{feff}{text}")
    } else {
        text
    }
}

fn fact_date(rng: &mut Gen) -> Option<chrono::NaiveDate> {
    match rng.gen_range(0..8) {
        0 => None,
        1 => dates::parse_date(&date_text(rng)).ok(),
        // Only what the date parser can give: four-digit years.
        2 => chrono::NaiveDate::from_ymd_opt(
            *pick(rng, &[0, 1, 1900, 9999]),
            rng.gen_range(1..=12),
            rng.gen_range(1..=31),
        ),
        _ => chrono::NaiveDate::from_ymd_opt(
            rng.gen_range(2015..2024),
            rng.gen_range(1..=12),
            rng.gen_range(1..=28),
        ),
    }
}

/// Facts as the importer (or the app's form) can hand them to a policy.
fn claim_facts(rng: &mut Gen, pack: &RulePack) -> ClaimFacts {
    let mut flags = std::collections::BTreeMap::new();
    for p in &pack.policies {
        for c in &p.conditions {
            if rng.gen_bool(0.3) {
                flags.insert(c.fact.clone(), rng.gen());
            }
        }
    }
    ClaimFacts {
        from: fact_date(rng),
        to: fact_date(rng),
        days: if rng.gen_bool(0.5) {
            Some(rng.gen_range(1..=366))
        } else {
            None
        },
        pregnant: rng.gen(),
        children: (0..rng.gen_range(0..3))
            .filter_map(|_| {
                Some(ChildFact {
                    name: Some(name(rng)),
                    dob: fact_date(rng)?,
                    id_number: if rng.gen() { Some(id_text(rng)) } else { None },
                })
            })
            .collect(),
        dob: fact_date(rng),
        applied: fact_date(rng),
        elderly: rng.gen(),
        disabled: rng.gen(),
        flags,
        used_once: Vec::new(),
    }
}

/// `RulePack::parse` on damaged packs; a pack that loads must then price claims without panicking.
fn rule_pack_case(rng: &mut Gen, ctx: &mut Ctx) {
    let text = match rng.gen_range(0..20) {
        0 => junk_text(rng, 200),
        1 => String::from_utf8_lossy(&junk_bytes(rng, 200)).into_owned(),
        _ => pack_text(rng),
    };
    ctx.record_text("pack.toml", &text);
    if let Ok(pack) = RulePack::parse(&text, "fuzz.toml") {
        for p in &pack.policies {
            let found = pack
                .policy(&p.code)
                .expect("a loaded policy is found by its code");
            let _ = pack.label(&p.code);
            for _ in 0..2 {
                let facts = claim_facts(rng, &pack);
                let e = found.entitlement(&facts);
                let _ = e.amount.format_vi();
                let _ = e.amount.in_words_vi();
            }
        }
        let _ = pack.label("không-có");
    }
}

// ---------------------------------------------------------------------------------------------
// The importer
// ---------------------------------------------------------------------------------------------

struct ImporterState {
    _dir: tempfile::TempDir,
    ledger: Ledger,
    actor: Actor,
    file: PathBuf,
    rejects: PathBuf,
}

/// The office's first operator, who runs the imports.
pub const OPERATOR: &str = "Chủ tịch";

/// A fresh ledger file with its office set up (the least the importer needs).
pub fn new_ledger(path: &Path) -> (Ledger, Actor) {
    let mut l = Ledger::open(path).expect("open a new ledger");
    let actor = l
        .init_office(
            &Office {
                ward: "Giang Biên".into(),
                district: "Long Biên".into(),
                city: "Hà Nội".into(),
            },
            OPERATOR,
            "mat-khau-2021",
        )
        .expect("set up the office");
    (l, actor)
}

fn importer_state() -> ImporterState {
    let dir = tempfile::tempdir().expect("temp dir");
    let (ledger, actor) = new_ledger(&dir.path().join("so.sqlite"));
    ImporterState {
        actor,
        file: dir.path().join("phuong.csv"),
        rejects: dir.path().join("phuong.bi-tu-choi.csv"),
        ledger,
        _dir: dir,
    }
}

fn policy_texts() -> &'static [String] {
    static CODES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    CODES.get_or_init(|| {
        let pack = relief_ledger::rules::default_pack();
        pack.policies
            .iter()
            .flat_map(|p| [p.code.clone(), p.title.clone()])
            .collect()
    })
}

/// One person of a clean row: birth date, sex and a CCCD that agree, a known policy, a period in 2021.
struct Person {
    name: String,
    dob: (u32, u32, i32),
    female: bool,
    id: String,
    policy: String,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
}

fn person(rng: &mut Gen) -> Person {
    let year = rng.gen_range(1950..=2010);
    let female = rng.gen_bool(0.5);
    let century = if year >= 2000 { 2 } else { 0 } + u32::from(female);
    let id = format!(
        "001{century}{:02}{:06}",
        year % 100,
        rng.gen_range(0..1_000_000)
    );
    let from = chrono::NaiveDate::from_ymd_opt(2021, rng.gen_range(5..=10), rng.gen_range(1..=28))
        .expect("a real day");
    let to = from + chrono::Duration::days(rng.gen_range(0..120));
    let codes = policy_texts();
    Person {
        name: pick(rng, NAMES).to_string(),
        dob: (rng.gen_range(1..=28), rng.gen_range(1..=12), year),
        female,
        id,
        // Codes only (the titles are the odd entries).
        policy: codes[2 * rng.gen_range(0..codes.len() / 2)].clone(),
        from,
        to,
    }
}

/// A cell of a clean row: what an office that fills the template in properly writes.
fn clean_cell(rng: &mut Gen, field: Field, row: usize, p: &Person) -> String {
    let (d, m, y) = p.dob;
    match field {
        Field::RowNo => row.to_string(),
        Field::FullName => p.name.clone(),
        Field::Dob => format!("{d:02}/{m:02}/{y}"),
        Field::Sex => if p.female { "Nữ" } else { "Nam" }.into(),
        Field::IdNumber => p.id.clone(),
        Field::Policy => p.policy.clone(),
        Field::From => dates::format_vi(p.from),
        Field::To => dates::format_vi(p.to),
        Field::Applied => dates::format_vi(p.to + chrono::Duration::days(rng.gen_range(0..30))),
        Field::Days => {
            if rng.gen_bool(0.7) {
                String::new()
            } else {
                dates::days_inclusive(p.from, p.to).to_string()
            }
        }
        Field::ConditionsMet => "x".into(),
        Field::Pregnant => if p.female && rng.gen_bool(0.2) {
            "x"
        } else {
            ""
        }
        .into(),
        Field::Children if rng.gen_bool(0.3) => {
            let (cd, cm, cy) = (
                rng.gen_range(1..=28),
                rng.gen_range(1..=12),
                rng.gen_range(2015..=2021),
            );
            format!("Nguyễn Bé - {cd:02}/{cm:02}/{cy}")
        }
        Field::Amount if rng.gen_bool(0.3) => {
            pick(rng, &["1.855.000", "3.710.000", "1.000.000", "80.000"]).to_string()
        }
        Field::Address => "Số 12 ngõ 34 Ngô Gia Tự".into(),
        Field::ResidentialGroup => format!("Tổ dân phố {}", rng.gen_range(1..30)),
        Field::Ward => "Giang Biên".into(),
        _ => String::new(),
    }
}

fn cell_for(rng: &mut Gen, field: Field, row: usize) -> String {
    if rng.gen_bool(0.08) {
        return String::new();
    }
    if rng.gen_bool(0.05) {
        return junk_text(rng, 30);
    }
    match field {
        Field::RowNo => match rng.gen_range(0..6) {
            0 => "Ví dụ".into(),
            1 => format!("({row})"),
            _ => row.to_string(),
        },
        Field::FullName => match rng.gen_range(0..10) {
            0 => pick(
                rng,
                &[
                    "=HYPERLINK(\"x\")",
                    "@SUM(1)",
                    "+1",
                    "-1",
                    "'=1",
                    "Tổng cộng",
                    "Cộng",
                ],
            )
            .to_string(),
            _ => name(rng),
        },
        Field::Dob => match rng.gen_range(0..5) {
            0 => rng.gen_range(1890..2030).to_string(),
            1 => date_text(rng),
            _ => plausible_date(rng),
        },
        Field::Sex => pick(
            rng,
            &[
                "Nam",
                "Nữ",
                "nam",
                "NỮ",
                "nu",
                "Nu\u{303}",
                "F",
                "M",
                "x",
                "khác",
            ],
        )
        .to_string(),
        Field::IdNumber | Field::SocialInsurance | Field::TaxCode | Field::Phone => id_text(rng),
        Field::Policy => {
            let p = pick(rng, policy_texts()).clone();
            if rng.gen_bool(0.15) {
                mutate_text(rng, &p)
            } else {
                p
            }
        }
        Field::From | Field::To | Field::Applied => {
            if rng.gen_bool(0.7) {
                let (y, m, d) = (2021, rng.gen_range(5..=12), rng.gen_range(1..=31));
                format!("{d:02}/{m:02}/{y}")
            } else {
                date_text(rng)
            }
        }
        Field::Days => match rng.gen_range(0..4) {
            0 => {
                let n = rng.gen_range(0..400).to_string();
                mutate_text(rng, &n)
            }
            1 => pick(
                rng,
                &["-1", "0", "367", "1e3", "4294967296", "14,5", "14 ngày"],
            )
            .to_string(),
            _ => rng.gen_range(1..40).to_string(),
        },
        Field::Pregnant | Field::Elderly | Field::Disabled | Field::ConditionsMet => {
            pick(rng, YES_WORDS).to_string()
        }
        Field::Children => children_text(rng),
        Field::Facts => facts_text(rng, known_facts()),
        Field::Amount => amount_text(rng),
        _ => match rng.gen_range(0..3) {
            0 => junk_text(rng, 20),
            _ => viet_text(rng).chars().take(40).collect(),
        },
    }
}

/// A cell written for `delim`: quoted when it must be (or at random), sometimes quoted wrongly.
fn write_cell(rng: &mut Gen, out: &mut String, cell: &str, delim: char, clean: bool) {
    let must = cell.contains([delim, '"', '\r', '\n']);
    match rng.gen_range(if clean { 3 } else { 0 }..50) {
        0 => {
            // An opening quote that never closes.
            out.push('"');
            out.push_str(cell);
        }
        1 => out.push_str(cell), // unescaped, whatever it holds
        2 => {
            out.push('"');
            out.push_str(cell);
            out.push_str("\"x");
        }
        _ if must || rng.gen_bool(0.15) => {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        }
        _ => out.push_str(cell),
    }
}

/// A ward file's text: title rows, a header of known columns (canonical, variant, damaged, decomposed,
/// duplicated, shuffled), a numbering row, data rows of shaped cells, totals and signatures, mixed line ends.
pub fn ward_csv(rng: &mut Gen) -> String {
    // Half the files are filled in properly (their rows get through to the rules and the ledger checks),
    // half are damaged everywhere.
    let clean = rng.gen_bool(0.5);
    let damage = if clean { 0.1 } else { 1.0 };
    let mut people: Vec<Person> = Vec::new();
    let delim = if clean {
        *pick(rng, &[',', ';', '\t'])
    } else {
        *pick(rng, &[',', ',', ';', '\t', '|'])
    };
    let eols = ["\n", "\r\n", "\r"];
    let eol_mode = rng.gen_range(0..4);
    let eol = |rng: &mut Gen| -> &'static str {
        if eol_mode < 3 {
            eols[eol_mode]
        } else {
            one_of(rng, &eols)
        }
    };
    let mut out = String::new();
    for _ in 0..rng.gen_range(0..4usize).saturating_sub(1) {
        out.push_str(one_of(
            rng,
            &[
                "ỦY BAN NHÂN DÂN PHƯỜNG GIANG BIÊN",
                "DANH SÁCH ĐỀ NGHỊ HỖ TRỢ",
                "",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Họ và tên,Số CCCD",
                ",,,",
            ],
        ));
        out.push_str(eol(rng));
    }
    let mut fields: Vec<Field> = TEMPLATE
        .iter()
        .filter(|c| {
            let keep = match (c.required, clean) {
                (true, _) => 1.0 - 0.07 * damage,
                (false, true) => 0.7,
                (false, false) => 0.45,
            };
            rng.gen_bool(keep)
        })
        .map(|c| c.field)
        .collect();
    if rng.gen_bool(0.25) {
        fields.shuffle(rng);
    }
    if rng.gen_bool(0.05) && !fields.is_empty() {
        let f = *pick(rng, &fields);
        fields.push(f);
    }
    let mut header: Vec<String> = fields
        .iter()
        .map(|f| {
            let spec = f.spec();
            match rng.gen_range(0..12) {
                0 if !columns::variants(spec.field).is_empty() => {
                    pick(rng, columns::variants(spec.field)).to_string()
                }
                1 => spec.header.nfd().collect(),
                2 => spec.header.to_uppercase(),
                3 => format!("{} ({})", spec.header, rng.gen_range(1..30)),
                4 if rng.gen_bool(0.3 * damage) => mutate_text(rng, spec.header),
                _ => spec.header.to_string(),
            }
        })
        .collect();
    if rng.gen_bool(0.1) {
        header.insert(rng.gen_range(0..=header.len()), "Cột lạ".into());
    }
    for (i, h) in header.iter().enumerate() {
        if i > 0 {
            out.push(delim);
        }
        write_cell(rng, &mut out, h, delim, clean);
    }
    out.push_str(eol(rng));
    if rng.gen_bool(0.2) {
        let numbering: Vec<String> = (1..=header.len()).map(|i| format!("({i})")).collect();
        out.push_str(&numbering.join(&delim.to_string()));
        out.push_str(eol(rng));
    }
    let rows = match rng.gen_range(0..10) {
        0 => 0,
        1 => rng.gen_range(20..60),
        _ => rng.gen_range(1..8),
    };
    for r in 1..=rows {
        let mut cells: Vec<String> = if clean && rng.gen_bool(0.9) {
            // Now and then the same person twice (a duplicate within the file).
            if people.is_empty() || rng.gen_bool(0.9) {
                people.push(person(rng));
            }
            let p = people.last().expect("pushed above");
            fields.iter().map(|&f| clean_cell(rng, f, r, p)).collect()
        } else {
            fields.iter().map(|&f| cell_for(rng, f, r)).collect()
        };
        if rng.gen_bool(0.03) {
            cells = vec!["Tổng cộng".into(), String::new(), amount_text(rng)];
        }
        if rng.gen_bool(0.08 * damage) {
            let keep = rng.gen_range(0..=cells.len());
            cells.truncate(keep);
        }
        if rng.gen_bool(0.05 * damage) {
            cells.push(junk_text(rng, 10));
        }
        if rng.gen_bool(0.01) && !cells.is_empty() {
            // A cell longer than the 64 KiB sample.
            let at = rng.gen_range(0..cells.len());
            cells[at] = "Nguyễn Thị Lan ".repeat(rng.gen_range(3000..5000));
        }
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                out.push(delim);
            }
            write_cell(rng, &mut out, c, delim, clean);
        }
        out.push_str(eol(rng));
    }
    if rng.gen_bool(0.2) {
        for line in [
            "",
            "Người lập biểu,,Chủ tịch UBND",
            "(Ký, ghi rõ họ tên)",
            "Bằng chữ: Một triệu đồng",
        ] {
            out.push_str(line);
            out.push_str(eol(rng));
        }
    }
    out
}

/// A ward file's bytes: a generated one in any encoding (sometimes damaged), a damaged fixture, or junk.
pub fn ward_file(rng: &mut Gen) -> (Vec<u8>, String) {
    match rng.gen_range(0..20) {
        0 => (junk_bytes(rng, 600), "junk".into()),
        1 | 2 => {
            let (name, f) = pick(rng, fixtures());
            let rounds = rng.gen_range(1..4);
            (
                mutate_bytes(rng, f.clone(), rounds),
                format!("{name} with {rounds} byte mutations"),
            )
        }
        3..=5 => {
            // A fixture's lines damaged as text (it stays readable), in any encoding.
            let (name, f) = pick(rng, fixtures());
            let text = match std::str::from_utf8(f.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(f)) {
                Ok(t) => t.to_string(),
                Err(_) => String::from_utf8_lossy(f).into_owned(),
            };
            let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
            for _ in 0..rng.gen_range(1..4) {
                if lines.is_empty() {
                    break;
                }
                let at = rng.gen_range(0..lines.len());
                match rng.gen_range(0..4) {
                    0 => {
                        lines.remove(at);
                    }
                    1 => {
                        let l = lines[at].clone();
                        lines.insert(rng.gen_range(0..=lines.len()), l);
                    }
                    _ => lines[at] = mutate_text(rng, &lines[at]),
                }
            }
            let (bytes, enc) = encode_as(rng, &lines.concat());
            (bytes, format!("{name} with damaged lines, {enc}"))
        }
        _ => {
            let text = ward_csv(rng);
            let (bytes, enc) = encode_as(rng, &text);
            if rng.gen_bool(0.1) {
                let rounds = rng.gen_range(1..4);
                (
                    mutate_bytes(rng, bytes, rounds),
                    format!("generated, {enc}, {rounds} byte mutations"),
                )
            } else {
                (bytes, format!("generated, {enc}"))
            }
        }
    }
}

/// The import (dry run, on a real ledger file) and the duplicate check's row reader, on a ward file.
fn importer_case(rng: &mut Gen, ctx: &mut Ctx) {
    let (bytes, how) = ward_file(rng);
    let accept_valid = rng.gen_bool(0.5);
    let stop_after = if rng.gen_bool(0.1) {
        Some(rng.gen_range(0..3))
    } else {
        None
    };
    ctx.record("ward.csv", bytes.clone());
    ctx.record_text(
        "how.txt",
        &format!("{how}; accept_valid={accept_valid} stop_after={stop_after:?}"),
    );
    if ctx.importer.is_none() {
        ctx.importer = Some(importer_state());
    }
    let st = ctx.importer.as_mut().expect("set above");
    std::fs::write(&st.file, &bytes).expect("write the ward file");
    let options = ImportOptions {
        dry_run: true,
        accept_valid,
        rejects_out: Some(st.rejects.clone()),
        ..Default::default()
    };
    let mut calls = 0;
    let result = import::import_file(&mut st.ledger, &st.file, &options, &st.actor, &mut |_| {
        calls += 1;
        stop_after.is_none_or(|n| calls <= n)
    });
    if let Ok(r) = result {
        assert!(!r.committed, "a dry run writes nothing");
        assert_eq!(
            r.rows_added + r.rows_rejected + r.rows_already_present,
            r.rows_read
        );
        assert_eq!(r.rows_written, 0);
        let _ = serde_json::to_string(&r).expect("the report serialises");
    }
    let wanted: Vec<Field> = TEMPLATE
        .iter()
        .map(|c| c.field)
        .filter(|_| rng.gen_bool(0.3))
        .collect();
    let stop_at = rng.gen_range(1..50);
    let mut seen = 0;
    let _ = import::read_ward_rows(&st.file, &wanted, &mut |row| {
        seen += 1;
        for f in &wanted {
            let _ = row.get(*f);
        }
        seen < stop_at
    });
}
