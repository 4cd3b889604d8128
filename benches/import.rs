//! Benchmark: import a generated 1,000,000-row ward file (`relief demo --ward-file`'s generator) into an
//! empty ledger with every check, index and trigger on, and in the same run import the same file with
//! `sqlite3 .import` into a bare table as the baseline; then export 1,000,000 payout rows to CSV.
//!
//! Then (issue 10) a 100,000-row ward list as an Excel workbook (.xlsx, the sheet streamed) beside the same
//! rows as CSV: time and peak memory of each import.
//!
//! Run: `cargo bench --bench import` (env BENCH_ROWS, BENCH_RUNS to change the size and the repeats;
//! BENCH_XLSX_ROWS the workbook's size; BENCH_ONLY=workbook for the workbook comparison alone).
//! Each import runs in a child process (this binary re-run with `--child`), so its wall time and its
//! peak memory (the child's max RSS, from wait4) are its own. Medians of the runs are printed.

use relief_ledger::demo::{write_ward_file, DemoSpec};
use relief_ledger::export::{export_to_file, ExportKind};
use relief_ledger::import::{import_file, ImportOptions};
use relief_ledger::ledger::{Actor, Office, Role};
use relief_ledger::Ledger;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn median<T: Ord + Copy>(mut v: Vec<T>) -> T {
    v.sort();
    v[v.len() / 2]
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// Every operator's password in this benchmark.
const PW: &str = "mat-khau-1";

/// A new ledger set up with its admin "chu-tich" and its officer "can-bo"; the officer signed in.
fn new_ledger(path: &Path) -> (Ledger, Actor) {
    let mut l = Ledger::open(path).expect("open");
    let chu_tich = l
        .init_office(
            &Office {
                ward: "Giang Biên".into(),
                district: "Long Biên".into(),
                city: "Hà Nội".into(),
            },
            "chu-tich",
            PW,
        )
        .expect("init");
    l.add_operator("can-bo", Role::Officer, PW, &chu_tich)
        .expect("officer");
    let can_bo = l.sign_in("can-bo", PW).expect("sign in");
    (l, can_bo)
}

/// Runs a command and returns its wall time and peak RSS (KiB), from wait4's resource usage.
fn measured(cmd: &mut Command) -> (Duration, i64) {
    let t = Instant::now();
    // Reaped by wait4 below (which also gives its resource usage), not by Child::wait.
    #[allow(clippy::zombie_processes)]
    let child = cmd.spawn().expect("spawn");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child by pid, with valid pointers to the status and usage above.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = t.elapsed();
    assert_eq!(pid, child.id() as libc::pid_t);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{cmd:?} failed"
    );
    (wall, usage.ru_maxrss)
}

fn child(file: &Path, db: &Path) {
    let (mut l, can_bo) = new_ledger(db);
    let r = import_file(
        &mut l,
        file,
        &ImportOptions::default(),
        &can_bo,
        &mut |_| true,
    )
    .expect("import");
    assert!(r.committed && r.rows_rejected == 0, "{}", r.describe_vi());
    println!("{}", r.rows_added);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        return child(Path::new(&args[2]), Path::new(&args[3]));
    }
    let people: usize = std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(996_000);
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    if std::env::var("BENCH_ONLY").as_deref() == Ok("workbook") {
        return workbook_vs_csv(runs);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("phuong.csv");

    let t = Instant::now();
    let rows = write_ward_file(
        &DemoSpec {
            people,
            wards: 5,
            seed: 42,
        },
        std::io::BufWriter::new(std::fs::File::create(&file).unwrap()),
    )
    .expect("ward file");
    let size = std::fs::metadata(&file).unwrap().len();
    eprintln!(
        "ward file: {rows} rows, {:.0} MB, written in {}",
        size as f64 / 1e6,
        secs(t.elapsed())
    );

    let me = std::env::current_exe().expect("own path");
    let mut base = Vec::new();
    let mut ours = Vec::new();
    let mut ours_rss = Vec::new();
    let mut last_db = None;
    for run in 0..runs {
        // Baseline and ours alternate, so the machine's noise falls on both alike.
        let bare = dir.path().join(format!("bare-{run}.db"));
        let (wall, _) = measured(
            Command::new("sqlite3")
                .arg(&bare)
                .arg(".mode csv")
                .arg(format!(".import {} ward", file.display()))
                .stdout(std::process::Stdio::null()),
        );
        base.push(wall);
        std::fs::remove_file(&bare).ok();

        let db = dir.path().join(format!("ledger-{run}.sqlite"));
        let (wall, rss) = measured(
            Command::new(&me)
                .arg("--child")
                .arg(&file)
                .arg(&db)
                .stdout(std::process::Stdio::null()),
        );
        eprintln!(
            "run {}: sqlite3 .import {}, relief import {} (peak RSS {} MB)",
            run + 1,
            secs(base[run]),
            secs(wall),
            rss / 1024
        );
        ours.push(wall);
        ours_rss.push(rss);
        if let Some(old) = last_db.replace(db) {
            for ext in ["", "-wal", "-shm"] {
                std::fs::remove_file(format!("{}{ext}", Path::new(&old).display())).ok();
            }
        }
    }
    let (b, o) = (median(base), median(ours));
    println!(
        "import of {rows} rows ({:.0} MB), medians of {runs} runs:",
        size as f64 / 1e6
    );
    println!("  baseline sqlite3 .import into a bare table: {}", secs(b));
    println!("  relief import (validation, indexes, triggers, WAL+FULL): {}  = {:.1}× baseline (target ≤ 3×)", secs(o), o.as_secs_f64() / b.as_secs_f64());
    println!(
        "  peak memory of the import process: {} MB (target ≤ 300 MB)",
        median(ours_rss) / 1024
    );

    // The schema's own floor: the same rows copied set-based (INSERT … SELECT, no per-row work at all)
    // from the filled ledger into an empty one, every index and trigger on (foreign-key lookups off, so
    // it is a lower bound). How far the import is above this is the import's own cost.
    let db = last_db.expect("a run");
    let mut floors = Vec::new();
    for run in 0..runs {
        let empty = dir.path().join(format!("floor-{run}.sqlite"));
        drop(new_ledger(&empty));
        let conn = rusqlite::Connection::open(&empty).expect("open");
        conn.execute_batch(
            "PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-131072;",
        )
        .expect("pragmas");
        conn.execute("ATTACH ?1 AS src", [db.to_str().unwrap()])
            .expect("attach");
        let t = Instant::now();
        conn.execute_batch(
            "BEGIN;
             INSERT INTO person SELECT * FROM src.person ORDER BY rowid;
             INSERT INTO identity_doc (person_id, kind, number) SELECT person_id, kind, number FROM src.identity_doc ORDER BY rowid;
             INSERT INTO household SELECT * FROM src.household ORDER BY rowid;
             INSERT INTO unit_group SELECT * FROM src.unit_group ORDER BY rowid;
             INSERT INTO claim SELECT * FROM src.claim ORDER BY rowid;
             INSERT INTO claim_once SELECT * FROM src.claim_once;
             COMMIT;",
        )
        .expect("copy");
        floors.push(t.elapsed());
        drop(conn);
        for ext in ["", "-wal", "-shm"] {
            std::fs::remove_file(format!("{}{ext}", empty.display())).ok();
        }
    }
    let f = median(floors);
    println!(
        "  schema floor (the same rows copied set-based into an empty ledger, indexes and triggers on): {}  = {:.1}× baseline; the import is {:.1}× this floor",
        secs(f),
        f.as_secs_f64() / b.as_secs_f64(),
        o.as_secs_f64() / f.as_secs_f64()
    );

    // Export of a million payout rows: the last ledger, listed, approved and paid in full.
    let mut l = Ledger::open(&db).expect("open");
    let t = Instant::now();
    let chu_tich = l.sign_in("chu-tich", PW).expect("sign in");
    let can_bo = l.sign_in("can-bo", PW).expect("sign in");
    for (name, role) in [
        ("pho-chu-tich", Role::Approver),
        ("ke-toan", Role::Accountant),
    ] {
        l.add_operator(name, role, PW, &chu_tich).expect("operator");
    }
    let pho_chu_tich = l.sign_in("pho-chu-tich", PW).expect("sign in");
    let ke_toan = l.sign_in("ke-toan", PW).expect("sign in");
    let list = l.create_list("Đợt 1", &[], &[], &can_bo).expect("list");
    let today = relief_ledger::dates::today_vn();
    l.post_list(&list.id, today, &can_bo).expect("post");
    l.approve_list(&list.id, "01/QĐ-UBND", today, &pho_chu_tich)
        .expect("approve");
    let paid = l.pay(&list.id, None, today, "cash", &ke_toan).expect("pay");
    eprintln!("set-up: {} payouts in {}", paid.count, secs(t.elapsed()));
    let mut times = Vec::new();
    for run in 0..runs {
        let out = dir.path().join(format!("chi-tra-{run}.csv"));
        let t = Instant::now();
        let s =
            export_to_file(&l, &ExportKind::Payouts { list: None }, b',', &out).expect("export");
        times.push(t.elapsed());
        assert_eq!(s.rows as i64, paid.count);
        std::fs::remove_file(&out).ok();
    }
    println!(
        "export of {} payout rows to CSV, median of {runs}: {} (target ≤ 3 s)",
        paid.count,
        secs(median(times))
    );
    drop(l);
    workbook_vs_csv(runs);
}

/// The same generated ward list as CSV and as an .xlsx workbook (every cell as Excel keeps a typed list:
/// text, the STT a number, dates real date cells), each imported into an empty ledger in a child process.
fn workbook_vs_csv(runs: usize) {
    let people: usize = std::env::var("BENCH_XLSX_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(99_600);
    let dir = tempfile::tempdir().expect("temp dir");
    let csv_path = dir.path().join("phuong.csv");
    let xlsx_path = dir.path().join("phuong.xlsx");
    let rows = write_ward_file(
        &DemoSpec {
            people,
            wards: 5,
            seed: 42,
        },
        std::io::BufWriter::new(std::fs::File::create(&csv_path).unwrap()),
    )
    .expect("ward file");
    let t = Instant::now();
    csv_to_xlsx(&csv_path, &xlsx_path);
    let sizes = [&csv_path, &xlsx_path].map(|p| std::fs::metadata(p).unwrap().len() as f64 / 1e6);
    eprintln!(
        "ward list: {rows} rows, CSV {:.1} MB, workbook {:.1} MB (written in {})",
        sizes[0],
        sizes[1],
        secs(t.elapsed())
    );
    let me = std::env::current_exe().expect("own path");
    let mut times = [Vec::new(), Vec::new()];
    let mut rss = [Vec::new(), Vec::new()];
    for run in 0..runs {
        for (i, file) in [&csv_path, &xlsx_path].into_iter().enumerate() {
            let db = dir.path().join(format!("so-{run}-{i}.sqlite"));
            let (wall, peak) = measured(
                Command::new(&me)
                    .arg("--child")
                    .arg(file)
                    .arg(&db)
                    .stdout(std::process::Stdio::null()),
            );
            eprintln!(
                "run {}: {} {} (peak RSS {} MB)",
                run + 1,
                if i == 0 { "CSV" } else { "workbook" },
                secs(wall),
                peak / 1024
            );
            times[i].push(wall);
            rss[i].push(peak);
            for ext in ["", "-wal", "-shm"] {
                std::fs::remove_file(format!("{}{ext}", db.display())).ok();
            }
        }
    }
    let [tc, tx] = times.map(median);
    let [rc, rx] = rss.map(median);
    println!("import of a {rows}-row ward list, medians of {runs} runs (each an empty ledger, every check on):");
    println!(
        "  CSV (UTF-8, {:.1} MB):        {}  peak memory {} MB",
        sizes[0],
        secs(tc),
        rc / 1024
    );
    println!(
        "  workbook (.xlsx, {:.1} MB):   {}  peak memory {} MB  = {:.2}× the CSV's time",
        sizes[1],
        secs(tx),
        rx / 1024,
        tx.as_secs_f64() / tc.as_secs_f64()
    );
}

/// Writes the CSV's rows as a workbook, streamed (rust_xlsxwriter's constant-memory mode): every cell text
/// as typed, the STT a number, the date columns real dates under dd/mm/yyyy.
fn csv_to_xlsx(csv_path: &Path, xlsx_path: &Path) {
    use relief_ledger::import::{Field, TEMPLATE};
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet_with_constant_memory().expect("sheet");
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let fields: Vec<Field> = TEMPLATE.iter().map(|c| c.field).collect();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(csv_path)
        .expect("csv");
    for (r, record) in reader.records().enumerate() {
        let record = record.expect("record");
        for (c, cell) in record.iter().enumerate() {
            let cell = cell.trim_start_matches('\u{feff}');
            if cell.is_empty() {
                continue;
            }
            let (row, col) = (r as u32, c as u16);
            let day = relief_ledger::dates::parse_date(cell).ok();
            match (fields.get(c), day) {
                (Some(f), Some(d)) if r > 0 && f.is_date() => {
                    use chrono::Datelike;
                    let x = rust_xlsxwriter::ExcelDateTime::from_ymd(
                        d.year() as u16,
                        d.month() as u8,
                        d.day() as u8,
                    )
                    .expect("date");
                    ws.write_datetime_with_format(row, col, x, &date)
                        .expect("cell");
                }
                (Some(Field::RowNo), _) if r > 0 => {
                    ws.write_number(row, col, cell.parse::<f64>().unwrap_or(0.0))
                        .expect("cell");
                }
                _ => {
                    ws.write_string(row, col, cell).expect("cell");
                }
            }
        }
    }
    book.save(xlsx_path).expect("save");
}
