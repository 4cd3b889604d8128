//! The duplicate check's accuracy and speed against Splink on the same records.
//!
//! `cargo bench --bench duplicates` generates a district with planted duplicates of every kind (5% of the
//! people, `relief demo --duplicates`) for 100,000 and 1,000,000 people, runs the check on it (each run in
//! a child process: wall time and peak RSS), scores the pairs classed certain or likely against the true
//! pairs, then runs Splink 4 (DuckDB) on the same records (`benches/splink/`, installed into a venv when
//! missing) and scores it the same way. The baseline measured in the same run is the importer's bare
//! reading of the same file (decode, CSV, cells), which any check of the file pays.
//!
//! Environment: BENCH_SIZES (default `100000,1000000`), BENCH_RUNS (default 3), BENCH_SPLINK=0 to skip
//! Splink, BENCH_RATE (default 0.05).

use relief_ledger::dedup::{self, RecordKind, RecordStore};

use relief_ledger::demo::duplicates::{evaluate, evaluate_keys, read_truth, truth_key, Accuracy};
use relief_ledger::demo::{write_ward_file_planted, DemoSpec};
use relief_ledger::Ledger;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Runs a command and returns its wall time, peak RSS (KiB) and standard output.
fn measured(cmd: &mut Command) -> (Duration, i64, String) {
    let t = Instant::now();
    let out = cmd
        .stderr(std::process::Stdio::inherit())
        .output()
        .expect("spawn");
    let wall = t.elapsed();
    assert!(out.status.success(), "{cmd:?} failed");
    // SAFETY: an all-zero rusage is valid for getrusage to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_CHILDREN with a valid pointer: the largest RSS of any waited-for child so far.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    (
        wall,
        usage.ru_maxrss,
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The child: one run of the check on a new empty ledger plus the file; prints seconds, peak RSS and
/// the accuracy as JSON.
fn child_check(file: &Path, truth: &Path, db: &Path) {
    let ledger = Ledger::open(db).expect("ledger");
    let source = file.display().to_string();
    let t = Instant::now();
    let report =
        dedup::find_duplicates(&ledger, "bench", std::slice::from_ref(&source), &mut |_| {
            true
        })
        .expect("check");
    let seconds = t.elapsed().as_secs_f64();
    let truth = read_truth(&std::fs::read_to_string(truth).expect("truth"));
    let acc = evaluate(&report, &source, &truth);
    // SAFETY: an all-zero rusage is valid for getrusage to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_SELF with a valid pointer.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    println!(
        "{}",
        serde_json::json!({"seconds": seconds, "peak_kib": usage.ru_maxrss, "records": report.records_total,
                           "stages": report.stages,
                           "comparisons": report.comparisons, "pairs": report.pairs.len(), "accuracy": acc})
    );
}

/// The child: the importer's bare reading of the file (the baseline).
fn child_read(file: &Path) {
    let t = Instant::now();
    let mut rows = 0usize;
    relief_ledger::import::read_ward_rows(file, &[], &mut |_| {
        rows += 1;
        true
    })
    .expect("read");
    println!(
        "{}",
        serde_json::json!({"seconds": t.elapsed().as_secs_f64(), "rows": rows})
    );
}

/// The records as the check reads them, for Splink: `rid` is the record's index; `keys.csv` maps it to
/// the truth's (line, child).
fn write_splink_records(file: &Path, out: &Path, keys: &Path) {
    let pack = relief_ledger::rules::default_pack();
    let mut store = RecordStore::default();
    dedup::load::ward_file(file, &pack, "f", &mut store, &mut |_| true).expect("read");
    let mut w = csv::Writer::from_path(out).expect("records.csv");
    let mut k = csv::Writer::from_path(keys).expect("keys.csv");
    w.write_record([
        "rid",
        "name_folded",
        "given",
        "surname",
        "dob",
        "dob_year",
        "id_number",
        "phone",
        "address",
    ])
    .unwrap();
    k.write_record(["rid", "key"]).unwrap();
    for i in 0..store.len() {
        let r = store.record(i);
        let folded = relief_ledger::identity::fold(&r.name);
        let words: Vec<&str> = folded.split(' ').collect();
        let (dob, year) = match r.birth {
            Some(relief_ledger::ledger::Dob::Day(d)) => {
                (d.to_string(), chrono::Datelike::year(&d).to_string())
            }
            Some(relief_ledger::ledger::Dob::Year(y)) => (String::new(), y.to_string()),
            None => (String::new(), String::new()),
        };
        let id = r.ids.first().map(|i| i.number.clone()).unwrap_or_default();
        let phone: String = r
            .phone
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let address = relief_ledger::identity::fold(r.address.as_deref().unwrap_or(""));
        w.write_record([
            i.to_string(),
            folded.clone(),
            words.last().unwrap_or(&"").to_string(),
            words.first().unwrap_or(&"").to_string(),
            dob,
            year,
            id,
            phone,
            address,
        ])
        .unwrap();
        let key = truth_key(r.line.unwrap_or(0), r.kind == RecordKind::Child);
        k.write_record([i.to_string(), key.to_string()]).unwrap();
    }
    w.flush().unwrap();
    k.flush().unwrap();
}

fn splink_accuracy(pairs: &Path, keys: &Path, truth: &Path) -> Accuracy {
    let mut key_of = std::collections::HashMap::new();
    for row in csv::Reader::from_path(keys).unwrap().records() {
        let row = row.unwrap();
        key_of.insert(
            row[0].parse::<u64>().unwrap(),
            row[1].parse::<u64>().unwrap(),
        );
    }
    let predicted: Vec<(Option<u64>, Option<u64>)> = csv::Reader::from_path(pairs)
        .unwrap()
        .records()
        .map(|row| {
            let row = row.unwrap();
            let a: u64 = row[0].parse().unwrap();
            let b: u64 = row[1].parse().unwrap();
            (key_of.get(&a).copied(), key_of.get(&b).copied())
        })
        .collect();
    let truth = read_truth(&std::fs::read_to_string(truth).unwrap());
    evaluate_keys(&predicted, &truth)
}

fn kinds_line(a: &Accuracy) -> String {
    a.per_kind
        .iter()
        .map(|(k, n, _, r)| format!("{k} {r:.3} ({n})"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("--child-check") => {
            return child_check(
                Path::new(&args[2]),
                Path::new(&args[3]),
                Path::new(&args[4]),
            )
        }
        Some("--child-read") => return child_read(Path::new(&args[2])),
        _ => {}
    }
    let sizes: Vec<usize> = env("BENCH_SIZES", "100000,1000000".to_string())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let runs: usize = env("BENCH_RUNS", 3);
    let rate: f64 = env("BENCH_RATE", 0.05);
    let splink = env("BENCH_SPLINK", 1) != 0;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = root.join("target/bench-duplicates");
    std::fs::create_dir_all(&work).unwrap();
    let me = std::env::current_exe().unwrap();
    let python = splink.then(|| {
        let out = Command::new("bash")
            .arg(root.join("benches/splink/setup.sh"))
            .stderr(std::process::Stdio::inherit())
            .output()
            .expect("benches/splink/setup.sh");
        assert!(out.status.success(), "Splink set-up failed");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .unwrap_or("python3")
            .to_string()
    });
    let mut table = Vec::new();
    for &people in &sizes {
        let dir = work.join(format!("{people}-{rate}"));
        std::fs::create_dir_all(&dir).unwrap();
        let (file, truth) = (dir.join("ward.csv"), dir.join("truth.csv"));
        if !truth.exists() {
            let mut t = Vec::new();
            write_ward_file_planted(
                &DemoSpec {
                    people,
                    wards: 10,
                    seed: 2021,
                },
                rate,
                std::io::BufWriter::new(std::fs::File::create(&file).unwrap()),
                Some(&mut t),
            )
            .unwrap();
            std::fs::write(&truth, t).unwrap();
        }
        let mut base = Vec::new();
        let mut ours = Vec::new();
        let mut peak = 0;
        let mut last = serde_json::Value::Null;
        for run in 0..runs {
            let (_, _, out) =
                measured(Command::new(&me).args(["--child-read".as_ref(), file.as_os_str()]));
            let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
            base.push(v["seconds"].as_f64().unwrap());
            let db = dir.join(format!("run{run}.sqlite"));
            let _ = std::fs::remove_file(&db);
            let (_, _, out) = measured(Command::new(&me).args([
                "--child-check".as_ref(),
                file.as_os_str(),
                truth.as_os_str(),
                db.as_os_str(),
            ]));
            let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
            ours.push(v["seconds"].as_f64().unwrap());
            peak = peak.max(v["peak_kib"].as_i64().unwrap());
            last = v;
        }
        let acc: Accuracy = {
            let a = &last["accuracy"];
            Accuracy {
                predicted: a["predicted"].as_u64().unwrap() as usize,
                true_positives: a["true_positives"].as_u64().unwrap() as usize,
                precision: a["precision"].as_f64().unwrap(),
                recall: a["recall"].as_f64().unwrap(),
                f1: a["f1"].as_f64().unwrap(),
                per_kind: serde_json::from_value(a["per_kind"].clone()).unwrap(),
                false_positives: Vec::new(),
            }
        };
        println!(
            "{people} people ({} records, {} comparisons): check median {:.2} s of {runs} (reading the file alone: {:.2} s), peak {} MB",
            last["records"], last["comparisons"], median(ours.clone()), median(base.clone()), peak / 1024
        );
        println!("  relief stages of the last run (s): {}", last["stages"]);
        println!(
            "  relief: precision {:.4} recall {:.4} F1 {:.4}; recall by kind: {}",
            acc.precision,
            acc.recall,
            acc.f1,
            kinds_line(&acc)
        );
        let mut splink_row = None;
        if let Some(py) = &python {
            let (records, keys, pairs) = (
                dir.join("records.csv"),
                dir.join("keys.csv"),
                dir.join("splink-pairs.csv"),
            );
            if !keys.exists() {
                write_splink_records(&file, &records, &keys);
            }
            let (wall, peak_kib, out) = measured(Command::new(py).args([
                root.join("benches/splink/dedup_splink.py").as_os_str(),
                "--records".as_ref(),
                records.as_os_str(),
                "--out".as_ref(),
                pairs.as_os_str(),
            ]));
            let v: serde_json::Value =
                serde_json::from_str(out.lines().last().unwrap_or("{}")).unwrap();
            let sacc = splink_accuracy(&pairs, &keys, &truth);
            let s = v["seconds_total"].as_f64().unwrap_or(wall.as_secs_f64());
            println!(
                "  splink {}: {:.1} s (wall {:.1} s, peak {} MB); precision {:.4} recall {:.4} F1 {:.4}; recall by kind: {}",
                v["splink_version"], s, wall.as_secs_f64(), peak_kib / 1024, sacc.precision, sacc.recall, sacc.f1, kinds_line(&sacc)
            );
            println!(
                "  relief is {:.1}× faster than Splink",
                s / median(ours.clone())
            );
            splink_row = Some((s, sacc));
        }
        table.push((people, median(ours), median(base), peak, acc, splink_row));
    }
    println!("\n| people | relief (median) | reading alone | peak RSS | P / R / F1 | Splink | Splink P / R / F1 | speed-up |");
    println!("|---|---|---|---|---|---|---|---|");
    for (people, t, b, peak, a, s) in table {
        let (st, sp) = match s {
            Some((st, sa)) => (
                format!("{st:.1} s"),
                format!("{:.3} / {:.3} / {:.3}", sa.precision, sa.recall, sa.f1),
            ),
            None => ("—".into(), "—".into()),
        };
        println!(
            "| {people} | {t:.2} s | {b:.2} s | {} MB | {:.3} / {:.3} / {:.3} | {st} | {sp} | {} |",
            peak / 1024,
            a.precision,
            a.recall,
            a.f1,
            match st.trim_end_matches(" s").parse::<f64>() {
                Ok(x) => format!("{:.1}×", x / t),
                Err(_) => "—".into(),
            }
        );
    }
}
