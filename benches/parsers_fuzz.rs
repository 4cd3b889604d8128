//! Fuzzing every parser of outside input at volume: dates, amounts, identity numbers, ward-file cells and
//! headers, file encodings, rule packs, and the importer itself on a real ledger file (dry run). No input may
//! panic: each case runs under `catch_unwind`, a panic's input is written under `target/fuzz-failures/`, and
//! the run exits non-zero when there was any.
//!
//! Run: `FUZZ_CASES=1000000 cargo bench --bench parsers_fuzz`
//!   FUZZ_CASES    total cases over all targets (default 1,000,000), shared as each target's `per_mille`
//!   FUZZ_SEED     the run's seed (default fixed, so two runs are the same run; any u64, or 0x… hex)
//!   FUZZ_TARGETS  comma-separated names to run only some (dates,money,identity,cells,encoding,rule_pack,importer)
//!   FUZZ_THREADS  worker threads (default: the machine's cores)
//!   FUZZ_REPLAY   `<target>:<seed>` replays one failing case without catching its panic

#[path = "../tests/fuzz/mod.rs"]
mod fuzz;

use std::time::Instant;

fn parse_u64(text: &str) -> Option<u64> {
    let t = text.trim().replace('_', "");
    match t.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => t.parse().ok(),
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => parse_u64(&v).unwrap_or_else(|| panic!("{name}={v} is not a number")),
        Err(_) => default,
    }
}

fn main() {
    if let Ok(spec) = std::env::var("FUZZ_REPLAY") {
        let (name, seed) = spec.split_once(':').expect("FUZZ_REPLAY=<target>:<seed>");
        let seed = parse_u64(seed).expect("a seed");
        fuzz::replay(fuzz::target(name), seed);
        println!("{name}:{seed:#018x} ran without a panic");
        return;
    }
    let total = env_u64("FUZZ_CASES", 1_000_000);
    let seed = env_u64("FUZZ_SEED", 0x5eed_2021_0068_3642);
    let threads = env_u64(
        "FUZZ_THREADS",
        std::thread::available_parallelism().map_or(1, |n| n.get()) as u64,
    ) as usize;
    let only: Option<Vec<String>> = std::env::var("FUZZ_TARGETS")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    let targets: Vec<fuzz::Target> = fuzz::TARGETS
        .iter()
        .filter(|t| only.as_ref().is_none_or(|o| o.iter().any(|n| n == t.name)))
        .copied()
        .collect();
    assert!(!targets.is_empty(), "FUZZ_TARGETS names no target");
    let shares: u64 = targets.iter().map(|t| u64::from(t.per_mille)).sum();

    println!(
        "parsers_fuzz: {total} cases, seed {seed:#018x}, {threads} threads; failing inputs go to {}",
        fuzz::failures_dir().display()
    );
    println!(
        "{:<10} {:>10} {:>9} {:>12} {:>7}",
        "target", "cases", "time", "cases/s", "panics"
    );
    let start = Instant::now();
    let mut outcomes = Vec::new();
    let mut given = 0;
    for (i, t) in targets.iter().enumerate() {
        // The last target takes the rounding remainder, so the total is exact.
        let cases = if i + 1 == targets.len() {
            total - given
        } else {
            total * u64::from(t.per_mille) / shares
        };
        given += cases;
        let o = fuzz::run(*t, seed, cases, threads);
        println!(
            "{:<10} {:>10} {:>7.2} s {:>12.0} {:>7}",
            o.target,
            o.cases,
            o.elapsed.as_secs_f64(),
            o.cases as f64 / o.elapsed.as_secs_f64().max(1e-9),
            o.panics
        );
        outcomes.push(o);
    }
    let wall = start.elapsed();
    let cases: u64 = outcomes.iter().map(|o| o.cases).sum();
    let panics: u64 = outcomes.iter().map(|o| o.panics).sum();
    println!(
        "{:<10} {:>10} {:>7.2} s {:>12.0} {:>7}",
        "total",
        cases,
        wall.as_secs_f64(),
        cases as f64 / wall.as_secs_f64().max(1e-9),
        panics
    );
    if panics > 0 {
        println!("\nPANICS FOUND ({panics}); the first of each target:");
        for o in outcomes.iter().filter(|o| o.panics > 0) {
            let f = &o.failures[0];
            println!(
                "  {}: {} panics; seed {:#018x}: {}\n    replay: FUZZ_REPLAY={}:{:#018x} cargo bench --bench parsers_fuzz",
                o.target, o.panics, f.seed, f.message, o.target, f.seed
            );
            for file in &f.files {
                println!("    {}", file.display());
            }
        }
        std::process::exit(1);
    }
    println!("no panics");
}
