//! Benchmark of what the desktop app's screens ask the core for, on a 100,000-person demo district:
//! a search keystroke (diacritic-insensitive), opening a 10,000-line list (first page and all lines),
//! the registry's first page, the claims register (unfiltered, by name, by state) and the dashboard summary; the tally every write's audit row carries, the
//! read-only verify of the whole file, and a verified backup.
//!
//! Run: `cargo bench --bench screens` (env BENCH_PEOPLE, BENCH_RUNS). Prints medians; the baseline, measured
//! in the same run, is one bare full scan of the person table (what any unindexed query costs here).

use relief_ledger::demo::{demo_office, generate, DemoSpec};
use relief_ledger::Ledger;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let people: usize = std::env::var("BENCH_PEOPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(9);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("district.sqlite");
    let t = Instant::now();
    let list_id = {
        let spec = DemoSpec {
            people,
            wards: 5,
            seed: 42,
        };
        let mut ledger = Ledger::open(&path).expect("open");
        let can_bo = ledger
            .init_office(&demo_office(&spec), "can-bo", "mat-khau-1")
            .expect("office");
        generate(&mut ledger, &spec, &can_bo).expect("demo");
        // A 10,000-line list: the freelance workers' claims in recording order.
        let ids: Vec<String> = {
            let mut st = ledger
                .conn()
                .prepare("SELECT id FROM claim WHERE policy_code = 'hn-3642-freelance' ORDER BY recorded_at LIMIT 10000")
                .unwrap();
            st.query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        ledger
            .create_list("Đợt lao động tự do", &[], &ids, &can_bo)
            .expect("list")
            .id
    };
    eprintln!("set-up: {people} people in {}", ms(t.elapsed()));

    // Reopened as the app would be at start.
    let t = Instant::now();
    let ledger = Ledger::open(&path).expect("open");
    let summary = ledger.report_summary().expect("summary");
    let open_and_summary = t.elapsed();
    assert!(!summary.rows.is_empty());

    let baseline = time(runs, || {
        ledger
            .conn()
            .query_row(
                "SELECT count(*) FROM person WHERE phone LIKE '%999%'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
    });
    // What a person types, keystroke by keystroke; each keystroke is one search of the first 50 matches.
    let keystrokes = [
        "n",
        "ng",
        "ngu",
        "nguy",
        "nguyen",
        "nguyen t",
        "nguyen thi",
        "nguyen thi h",
        "nguyen thi huong",
    ];
    let mut per_key = Vec::new();
    for q in keystrokes {
        let d = time(runs, || ledger.search_people(q, 50).unwrap());
        per_key.push(d);
    }
    let worst_key = *per_key.iter().max().unwrap();
    let id_search = time(runs, || ledger.search_people("0011", 50).unwrap());
    let found = ledger.search_people("nguyen thi huong", 50).unwrap();
    assert!(found
        .iter()
        .all(|p| relief_ledger::identity::fold(&p.full_name).contains("nguyen thi huong")));

    let list_first_page = time(runs, || ledger.list_page(&list_id, 0, 100).unwrap());
    let all_lists = time(runs, || ledger.lists().unwrap());
    let waiting = time(runs, || ledger.unlisted_claims().unwrap());
    let list_all = time(runs, || ledger.list_items(&list_id).unwrap());
    assert_eq!(ledger.list_items(&list_id).unwrap().len(), 10_000);
    let people_page = time(runs, || ledger.people_page(0, 100).unwrap());
    // The claims register (issue 13): its first page unfiltered, by a name typed without tone marks, and by
    // a state (which derives every claim's state).
    use relief_ledger::ledger::ClaimFilter;
    let register_all = time(runs, || {
        ledger
            .claims_register(&ClaimFilter::default(), 0, 100)
            .unwrap()
    });
    let by_name = ClaimFilter {
        person: Some("nguyen thi huong".into()),
        ..Default::default()
    };
    let register_name = time(runs, || ledger.claims_register(&by_name, 0, 100).unwrap());
    let by_state = ClaimFilter {
        state: Some("received".into()),
        ..Default::default()
    };
    let register_state = time(runs, || ledger.claims_register(&by_state, 0, 100).unwrap());
    let summary = time(runs, || ledger.report_summary().unwrap());
    // What every write now adds: the tally its audit row carries (counts, sums and digests of the guarded
    // tables), and the auditor's whole read-only verify of the file.
    let tally = time(runs, || relief_ledger::audit::tally(ledger.conn()).unwrap());
    let verify = time(runs.min(5), || {
        let report = relief_ledger::ledger::verify_file(&path, None).unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        report
    });
    let backup_dir = dir.path().join("sao-luu");
    let mut writer = Ledger::open(&path).expect("open");
    let admin = writer.sign_in("can-bo", "mat-khau-1").expect("sign in");
    let backup = time(runs.min(3), || {
        writer.backup_to(&backup_dir, &admin).unwrap()
    });

    println!(
        "screens ({people} people, medians of {runs} runs; baseline bare person scan {}):",
        ms(baseline)
    );
    println!(
        "  open ledger + dashboard summary (cold, once): {}",
        ms(open_and_summary)
    );
    println!(
        "  search keystroke (name, folded): median over keystrokes {}, worst keystroke {} (target <= 50 ms)",
        ms(median(per_key.clone())),
        ms(worst_key)
    );
    println!("  search by ID-number prefix: {}", ms(id_search));
    println!(
        "  open a 10,000-line list: first page of 100 {}, all 10,000 lines {} (target <= 200 ms)",
        ms(list_first_page),
        ms(list_all)
    );
    println!(
        "  the lists screen on each visit: lists overview {}, claims waiting for a list {}",
        ms(all_lists),
        ms(waiting)
    );
    println!("  registry first page of 100: {}", ms(people_page));
    println!(
        "  claims register, first page of 100 with its count and total: all {}, by name {}, by state {}",
        ms(register_all),
        ms(register_name),
        ms(register_state)
    );
    println!("  dashboard summary: {}", ms(summary));
    println!(
        "  audit tally added to every write: {} (target <= 100 ms: a save still feels immediate)",
        ms(tally)
    );
    println!(
        "  verify the whole ledger read-only (schema, chain, tally, invariants, every claim re-priced): {}",
        ms(verify)
    );
    println!("  backup, verified after writing: {}", ms(backup));
}
