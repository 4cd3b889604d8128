//! Benchmark: approve and pay 100,000 claims in one batch with every invariant on (triggers, unique
//! indexes, WAL with synchronous=FULL, the audit chain), on a real SQLite file.
//!
//! Run: `cargo bench --bench approve_pay` (env BENCH_PEOPLE, BENCH_RUNS to change the size and repeats).
//! Prints the median of the runs, and in the same run a baseline (a bare 100,000-row insert into a table with
//! no constraints, same file settings) so the figure can be read against this machine's noise.

use relief_ledger::demo::{demo_office, generate, DemoSpec};
use relief_ledger::ledger::Role;
use relief_ledger::Ledger;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let people: usize = std::env::var("BENCH_PEOPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(99_602);
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let dir = tempfile::tempdir().expect("temp dir");
    let template = dir.path().join("template.sqlite");

    let t = Instant::now();
    // The operators sign in on the template; each run's copy holds the same operators.
    let (claims, list_id, can_bo, chu_tich) = {
        const PW: &str = "mat-khau-1";
        let spec = DemoSpec {
            people,
            wards: 5,
            seed: 42,
        };
        let mut ledger = Ledger::open(&template).expect("open");
        let can_bo = ledger
            .init_office(&demo_office(&spec), "can-bo", PW)
            .expect("office");
        let s = generate(&mut ledger, &spec, &can_bo).expect("demo");
        ledger
            .add_operator("chu-tich", Role::Approver, PW, &can_bo)
            .expect("operator");
        let chu_tich = ledger.sign_in("chu-tich", PW).expect("sign in");
        let list = ledger
            .create_list("Đợt chi trả benchmark", &[], &[], &can_bo)
            .expect("list");
        ledger
            .post_list(
                &list.id,
                chrono::NaiveDate::from_ymd_opt(2021, 9, 15).unwrap(),
                &can_bo,
            )
            .expect("post");
        assert_eq!(list.claims as usize, s.claims);
        (s.claims, list.id, can_bo, chu_tich)
    };
    eprintln!(
        "set-up: {people} people, {claims} claims generated and listed in {}",
        ms(t.elapsed())
    );

    let mut approve_pay = Vec::new();
    let mut baseline = Vec::new();
    for run in 0..runs {
        let path = dir.path().join(format!("run{run}.sqlite"));
        std::fs::copy(&template, &path).expect("copy");
        let mut ledger = Ledger::open(&path).expect("open");
        let t = Instant::now();
        ledger
            .approve_list(
                &list_id,
                "125/QĐ-UBND",
                chrono::NaiveDate::from_ymd_opt(2021, 9, 20).unwrap(),
                &chu_tich,
            )
            .expect("approve");
        let approved_in = t.elapsed();
        let paid = ledger
            .pay(
                &list_id,
                None,
                chrono::NaiveDate::from_ymd_opt(2021, 9, 25).unwrap(),
                "cash",
                &can_bo,
            )
            .expect("pay");
        let took = t.elapsed();
        assert_eq!(paid.count as usize, claims, "every claim paid");
        approve_pay.push(took);
        drop(ledger);

        // Baseline: the same number of rows into a bare table, same pragmas, one transaction.
        let bare = dir.path().join(format!("bare{run}.sqlite"));
        let mut conn = rusqlite::Connection::open(&bare).expect("open bare");
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.pragma_update(None, "synchronous", "FULL").unwrap();
        conn.execute_batch("CREATE TABLE t (id TEXT, claim_id TEXT, amount INTEGER, paid_on TEXT)")
            .unwrap();
        let t = Instant::now();
        let tx = conn.transaction().unwrap();
        {
            let mut st = tx
                .prepare("INSERT INTO t VALUES (?1, ?2, ?3, '2021-09-25')")
                .unwrap();
            for i in 0..claims {
                st.execute(rusqlite::params![
                    relief_ledger::ledger::new_id(),
                    format!("c{i}"),
                    1_500_000
                ])
                .unwrap();
            }
        }
        tx.commit().unwrap();
        baseline.push(t.elapsed());
        eprintln!(
            "run {}: approve+pay {} (approve {}) | bare insert {}",
            run + 1,
            ms(took),
            ms(approved_in),
            ms(*baseline.last().unwrap())
        );
        let _ = std::fs::remove_file(&path);
    }
    let m = median(approve_pay.clone());
    let b = median(baseline);
    println!(
        "approve_pay: {claims} claims, median {} over {runs} runs (min {}, max {}); baseline bare insert median {}; ratio {:.1}x; target <= 2000 ms",
        ms(m),
        ms(*approve_pay.iter().min().unwrap()),
        ms(*approve_pay.iter().max().unwrap()),
        ms(b),
        m.as_secs_f64() / b.as_secs_f64()
    );
}
