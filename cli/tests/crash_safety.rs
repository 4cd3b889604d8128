//! Crash safety (issue 9, "Proof, as tests"): the `relief` CLI killed with SIGKILL at random points of an
//! import of a ward file, a payout batch of a whole list and a backup, each run on a fresh copy of a prepared
//! ledger. After every kill the ledger opens, `verify` finds nothing wrong (read-only on the file exactly as
//! the kill left it, write-ahead log and all, and again after the ledger was opened), and the batch is whole
//! or absent.
//!
//! The kill points are random delays (a seeded RNG) from 0 to 1.2 times a normal run of the same command,
//! measured first and again every few kills, so they cover the whole run: start-up, sign-in, the
//! transaction, the commit and what follows it. (On a busy machine the range shrinks a little while kills
//! keep coming after the end, so that most land mid-run.)
//!
//! `CRASH_POINTS` sets how many kills in all (default 200: 40% import, in two tests of 20% each, 40% payouts,
//! 20% backup), `CRASH_SEED` the seed. Each test prints how many kills landed mid-run and how many after the
//! command had already finished (run with `--nocapture` to see it).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use relief_ledger::audit::ChainHead;
use relief_ledger::ledger::verify_file;
use relief_ledger::Ledger;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const ADMIN: &str = "Quản trị Hà";
const OFFICER: &str = "Cán bộ Lan";
const APPROVER: &str = "Lãnh đạo Minh";

/// People in the ward file killed during its import, and in the list killed during its payout batch.
const IMPORT_PEOPLE: usize = 2000;
const LIST_PEOPLE: usize = 2000;

mod common;
use common::{json, ok, relief_as, ward_file};

/// A new ledger for Giang Biên with its admin, an officer and an approver.
fn new_ledger(db: &Path) {
    common::new_ledger_cli(db, ADMIN, &[(OFFICER, "officer"), (APPROVER, "approver")]);
}

/// What a ledger holds, as the batch checks count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    people: i64,
    claims: i64,
    payouts: i64,
    audit_rows: i64,
}

/// The checks after a kill, on the ledger file exactly as the killed process left it: `verify` (read-only,
/// as an auditor would run it first) finds nothing wrong; the ledger opens (recovering from the log); and
/// `verify` after it was opened and closed again finds nothing wrong either. Returns what it holds.
fn sound_after_crash(db: &Path, what: &str) -> Counts {
    let raw = verify_file(db, None)
        .unwrap_or_else(|e| panic!("{what}: verify of the file as the kill left it failed: {e}"));
    assert!(
        raw.problems.is_empty(),
        "{what}: verify (read-only, as left) found problems: {:?}",
        raw.problems
    );
    let ledger =
        Ledger::open(db).unwrap_or_else(|e| panic!("{what}: the ledger does not open: {e}"));
    let n = |sql: &str| -> i64 { ledger.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    let counts = Counts {
        people: n("SELECT count(*) FROM person"),
        claims: n("SELECT count(*) FROM claim"),
        payouts: n("SELECT count(*) FROM payout"),
        audit_rows: n("SELECT count(*) FROM audit_log"),
    };
    drop(ledger);
    let reopened = verify_file(db, None).unwrap();
    assert!(
        reopened.problems.is_empty(),
        "{what}: verify after the ledger was opened and closed found problems: {:?}",
        reopened.problems
    );
    assert_eq!(raw.head, reopened.head, "{what}: opening changed the chain");
    assert_eq!(
        counts.audit_rows, reopened.audit_rows,
        "{what}: audit rows counted twice differ"
    );
    counts
}

fn counts_of(db: &Path) -> Counts {
    sound_after_crash(db, "prepared ledger")
}

/// Copies a prepared ledger to `dest`, with its write-ahead log if it has one (none is expected: every
/// process that wrote it has ended and the last one out checkpoints and removes it).
fn fresh_copy(prepared: &Path, dest: &Path) {
    std::fs::copy(prepared, dest).unwrap();
    let wal = sidecar(prepared, "-wal");
    if wal.exists() {
        std::fs::copy(&wal, sidecar(dest, "-wal")).unwrap();
    }
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn crash_points() -> usize {
    std::env::var("CRASH_POINTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

/// The share of all kill points each scenario takes (percent): import 40, payouts 40, backup 20.
fn points_for(percent: usize) -> usize {
    (crash_points() * percent).div_ceil(100).max(1)
}

fn rng_for(scenario: u64) -> ChaCha8Rng {
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5EED_0009_u64);
    ChaCha8Rng::seed_from_u64(seed ^ scenario.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// How one killed run ended.
enum Landed {
    /// Killed while it ran.
    MidRun,
    /// It had already finished (exit 0) when the kill came.
    After,
}

/// Starts `cmd`, kills it with SIGKILL after `delay`, and says whether it was still running.
fn kill_after(cmd: &mut Command, delay: Duration) -> Landed {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("relief starts");
    std::thread::sleep(delay);
    // Killing a child that has exited but not been waited for is harmless; its status tells which it was.
    let _ = child.kill();
    let status = child.wait().unwrap();
    match status.signal() {
        Some(libc::SIGKILL) => Landed::MidRun,
        Some(other) => panic!("{cmd:?} ended by signal {other}"),
        None => {
            assert!(
                status.success(),
                "{cmd:?} finished before the kill but failed: {status}"
            );
            Landed::After
        }
    }
}

/// One normal run on a fresh copy, approved by `check`: how long it took.
fn measure_once(
    prepared: &Path,
    run: &Path,
    command: &dyn Fn(&Path, &Path) -> Command,
    check: &dyn Fn(&Path, &Path),
) -> Duration {
    std::fs::create_dir_all(run).unwrap();
    let db = run.join("so.sqlite");
    fresh_copy(prepared, &db);
    let started = Instant::now();
    ok(&mut command(&db, run));
    let took = started.elapsed();
    check(&db, run);
    std::fs::remove_dir_all(run).unwrap();
    took
}

/// What a scenario's kills came to.
struct Tally {
    mid_run: usize,
    after: usize,
    /// Killed mid-run with the batch found whole (committed before the kill) or absent.
    mid_whole: usize,
    mid_absent: usize,
    /// Time spent checking the ledger after the kills.
    checking: Duration,
    /// The range the normal run's measured duration moved in.
    shortest_normal: Option<Duration>,
    longest_normal: Duration,
    /// The least share of the measured run the delays reached.
    least_reach: f64,
}

impl Default for Tally {
    fn default() -> Self {
        Tally {
            mid_run: 0,
            after: 0,
            mid_whole: 0,
            mid_absent: 0,
            checking: Duration::ZERO,
            shortest_normal: None,
            longest_normal: Duration::ZERO,
            least_reach: 1.0,
        }
    }
}

impl Tally {
    fn report(&self, name: &str, started: Instant) {
        eprintln!(
            "{name}: {} kills, {} mid-run ({} whole, {} absent), {} after the command had finished; \
             normal run {:.2}-{:.2}s, delays up to 1.2 × ({:.2}-1) × that, checks after the kills {:.1}s, \
             scenario {:.1}s",
            self.mid_run + self.after,
            self.mid_run,
            self.mid_whole,
            self.mid_absent,
            self.after,
            self.shortest_normal.unwrap_or_default().as_secs_f64(),
            self.longest_normal.as_secs_f64(),
            self.least_reach,
            self.checking.as_secs_f64(),
            started.elapsed().as_secs_f64()
        );
        assert!(
            self.mid_run * 2 > self.mid_run + self.after,
            "{name}: most kills should land mid-run ({} of {})",
            self.mid_run,
            self.mid_run + self.after
        );
    }
}

/// Runs `points` kills of `command`, each on a fresh copy of `prepared`, at random delays up to 1.2 times
/// `normal`; `whole` checks the ledger (and the run's folder) after each and says whether the batch landed.
fn kill_many(
    name: &str,
    prepared: &Path,
    work: &Path,
    points: usize,
    scenario: u64,
    command: &dyn Fn(&Path, &Path) -> Command,
    whole: &dyn Fn(&Path, &Path, &str) -> bool,
) -> Tally {
    let check = |db: &Path, run: &Path| {
        assert!(
            whole(db, run, "normal run"),
            "{name}: a normal run left the batch absent"
        );
    };
    // A normal run's duration: the longer of the last two measured. The machine's load changes while the
    // kills go on, so a run is measured again every `REMEASURE` kills.
    const REMEASURE: usize = 10;
    let mut measured = [
        measure_once(prepared, &work.join("measure-a"), command, &check),
        measure_once(prepared, &work.join("measure-b"), command, &check),
    ];
    let mut normal = measured[0].max(measured[1]);
    // The share of the measured run the delays reach (times 1.2): a busy machine runs the measured command
    // slower than the killed ones now and then, so it shrinks a little whenever a kill comes after the end
    // and grows back (to 1) with each one that lands mid-run. About one kill in six still comes after the
    // end, so the end of the run (commit, output, exit) stays covered.
    let mut reach = 1.0_f64;
    let mut rng = rng_for(scenario);
    let mut tally = Tally::default();
    for i in 0..points {
        if i > 0 && i % REMEASURE == 0 {
            measured[(i / REMEASURE) % 2] =
                measure_once(prepared, &work.join("measure"), command, &check);
            normal = measured[0].max(measured[1]);
        }
        tally.longest_normal = tally.longest_normal.max(normal);
        tally.shortest_normal = Some(tally.shortest_normal.map_or(normal, |d| d.min(normal)));
        let run = work.join(format!("kill-{i}"));
        std::fs::create_dir_all(&run).unwrap();
        let db = run.join("so.sqlite");
        fresh_copy(prepared, &db);
        let delay = normal.mul_f64(rng.gen_range(0.0..1.2 * reach));
        let landed = kill_after(&mut command(&db, &run), delay);
        let what = format!("{name}, kill {i} after {:.3}s", delay.as_secs_f64());
        // The files exactly as the kill left them, kept aside in case a check fails.
        let as_left = run.join("as-left");
        std::fs::create_dir_all(&as_left).unwrap();
        for suffix in ["", "-wal", "-shm"] {
            let from = sidecar(&db, suffix);
            if from.exists() {
                std::fs::copy(&from, sidecar(&as_left.join("so.sqlite"), suffix)).unwrap();
            }
        }
        let checking = Instant::now();
        let landed_whole = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            whole(&db, &run, &what)
        })) {
            Ok(w) => w,
            Err(panic) => {
                // Keep the run (its `as-left` folder holds the ledger as the kill left it) for a look.
                let kept = std::env::temp_dir()
                    .join(format!("relief-crash-{name}-{}-{i}", std::process::id()));
                let _ = std::fs::rename(&run, &kept);
                eprintln!("{what}: the ledger is kept in {}", kept.display());
                std::panic::resume_unwind(panic);
            }
        };
        tally.checking += checking.elapsed();
        reach = match landed {
            Landed::MidRun => (reach * 1.01).min(1.0),
            Landed::After => reach * 0.95,
        };
        tally.least_reach = tally.least_reach.min(reach);
        match landed {
            Landed::MidRun => {
                tally.mid_run += 1;
                if landed_whole {
                    tally.mid_whole += 1;
                } else {
                    tally.mid_absent += 1;
                }
            }
            Landed::After => {
                assert!(
                    landed_whole,
                    "{what}: the run finished but its batch is absent"
                );
                tally.after += 1;
            }
        }
        std::fs::remove_dir_all(&run).unwrap();
    }
    tally
}

/// An approved list of every claim of a ward file of `LIST_PEOPLE` people, not yet paid; its id and size.
fn approved_list(db: &Path, work: &Path) -> (String, i64) {
    new_ledger(db);
    let file = work.join("dot-1.csv");
    let rows = ward_file(&file, LIST_PEOPLE, 1);
    ok(relief_as(db, OFFICER).arg("import").arg(&file));
    let list = json(&ok(
        relief_as(db, OFFICER).args(["--json", "list", "create", "--name", "Đợt 1"])
    ));
    let id = list["id"].as_str().unwrap().to_string();
    assert_eq!(list["claims"].as_i64(), Some(rows));
    ok(relief_as(db, OFFICER).args(["list", "post", &id]));
    let today = relief_ledger::dates::today_vn()
        .format("%d/%m/%Y")
        .to_string();
    ok(relief_as(db, APPROVER).args([
        "approve",
        "--list",
        &id,
        "--decision",
        "1/QĐ-UBND",
        "--date",
        &today,
    ]));
    (id, rows)
}

fn no_wal_left(db: &Path) {
    assert!(
        !sidecar(db, "-wal").exists() || std::fs::metadata(sidecar(db, "-wal")).unwrap().len() == 0,
        "the prepared ledger still has a write-ahead log (copied with it all the same)"
    );
}

// The import's points are split over two tests (their own seeds) so that the test harness runs them on both
// cores beside the payout and backup tests: an import's run is the longest of the three.
#[test]
fn sigkill_during_import_leaves_it_whole_or_absent_part_1() {
    import_scenario(1);
}

#[test]
fn sigkill_during_import_leaves_it_whole_or_absent_part_2() {
    import_scenario(2);
}

/// Half of the import's kill points (20% of all), on a ledger that already holds some claims.
fn import_scenario(part: u64) {
    let started = Instant::now();
    let work = tempfile::tempdir().unwrap();
    let prepared = work.path().join("prepared.sqlite");
    new_ledger(&prepared);
    // Some claims there already, so "absent" means the count before, not an empty ledger.
    let small = work.path().join("small.csv");
    ward_file(&small, 60, 5);
    ok(relief_as(&prepared, OFFICER).arg("import").arg(&small));
    let file = work.path().join("phuong.csv");
    let rows = ward_file(&file, IMPORT_PEOPLE, 1);
    assert!(rows >= IMPORT_PEOPLE as i64);
    no_wal_left(&prepared);
    let before = counts_of(&prepared);

    let command = |db: &Path, _run: &Path| {
        let mut c = relief_as(db, OFFICER);
        c.arg("import").arg(&file);
        c
    };
    let whole = |db: &Path, _run: &Path, what: &str| {
        let now = sound_after_crash(db, what);
        assert_eq!(now.payouts, before.payouts, "{what}");
        if now.claims == before.claims {
            assert_eq!(
                now.people, before.people,
                "{what}: people without their claims"
            );
            false
        } else {
            assert_eq!(
                now.claims,
                before.claims + rows,
                "{what}: part of the import is in the ledger"
            );
            assert_eq!(
                now.people,
                before.people + IMPORT_PEOPLE as i64,
                "{what}: the claims landed without all their people"
            );
            true
        }
    };
    let tally = kill_many(
        "import",
        &prepared,
        work.path(),
        points_for(20),
        10 + part,
        &command,
        &whole,
    );
    tally.report(&format!("import of {rows} rows (part {part})"), started);
}

#[test]
fn sigkill_during_payout_batch_pays_all_or_nothing() {
    let started = Instant::now();
    let work = tempfile::tempdir().unwrap();
    let prepared = work.path().join("prepared.sqlite");
    let (list, claims) = approved_list(&prepared, work.path());
    no_wal_left(&prepared);
    let before = counts_of(&prepared);
    assert_eq!(before.payouts, 0);

    let command = |db: &Path, _run: &Path| {
        let mut c = relief_as(db, OFFICER);
        c.args(["pay", "--list", &list]);
        c
    };
    let whole = |db: &Path, _run: &Path, what: &str| {
        let now = sound_after_crash(db, what);
        assert_eq!(now.claims, before.claims, "{what}");
        assert!(
            now.payouts == 0 || now.payouts == claims,
            "{what}: {} of the list's {claims} claims paid",
            now.payouts
        );
        now.payouts == claims
    };
    let tally = kill_many(
        "payouts",
        &prepared,
        work.path(),
        points_for(40),
        2,
        &command,
        &whole,
    );
    tally.report(&format!("payout batch of {claims} claims"), started);
}

/// Temporary files the backup kills left in the backup folder.
static LEFT_TEMPORARY: AtomicUsize = AtomicUsize::new(0);

#[test]
fn sigkill_during_backup_leaves_the_ledger_sound_and_no_unfinished_backup() {
    let started = Instant::now();
    let work = tempfile::tempdir().unwrap();
    let prepared = work.path().join("prepared.sqlite");
    let (list, _) = approved_list(&prepared, work.path());
    ok(relief_as(&prepared, OFFICER).args(["pay", "--list", &list]));
    no_wal_left(&prepared);
    let before = counts_of(&prepared);

    let command = |db: &Path, run: &Path| {
        let mut c = relief_as(db, OFFICER);
        c.arg("backup").arg("--to").arg(run.join("usb"));
        c
    };
    // Whole: a backup file with its final name exists (then it must verify, hold the ledger as it was and
    // match the head written beside it, if that was written yet).
    let whole = |db: &Path, run: &Path, what: &str| {
        let now = sound_after_crash(db, what);
        assert_eq!(
            (now.people, now.claims, now.payouts),
            (before.people, before.claims, before.payouts),
            "{what}: a backup changed the ledger's records"
        );
        // The sign-in and the backup itself are recorded; nothing else is.
        assert!(
            (before.audit_rows..=before.audit_rows + 2).contains(&now.audit_rows),
            "{what}: {} audit rows, {} before",
            now.audit_rows,
            before.audit_rows
        );
        let usb = run.join("usb");
        let Ok(entries) = std::fs::read_dir(&usb) else {
            return false;
        };
        let mut finished = Vec::new();
        let mut heads = Vec::new();
        for entry in entries {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            // A temporary file cut off (the backup's `.relief-backup-*.part`, with its journal, or the head
            // file's `.relief-*.part`): never named like a finished backup.
            if name.starts_with(".relief-") && name.contains(".part") {
                LEFT_TEMPORARY.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            assert!(
                name.starts_with("so-chi-tra-giang-bien-"),
                "{what}: unexpected file {name} in the backup folder"
            );
            if name.ends_with(".sqlite") {
                finished.push(usb.join(name));
            } else if name.ends_with(".sqlite.head.txt") {
                heads.push(usb.join(name));
            } else {
                panic!("{what}: unexpected file {name} in the backup folder");
            }
        }
        assert!(finished.len() <= 1, "{what}: {finished:?}");
        for head_file in &heads {
            let backup = PathBuf::from(
                head_file
                    .to_str()
                    .unwrap()
                    .strip_suffix(".head.txt")
                    .unwrap(),
            );
            assert!(
                finished.contains(&backup),
                "{what}: a head file without its backup"
            );
        }
        let Some(backup) = finished.first() else {
            return false;
        };
        assert!(
            !sidecar(backup, "-journal").exists() && !sidecar(backup, "-wal").exists(),
            "{what}: a finished backup with a journal beside it"
        );
        // The head written beside it (once it is there) must be the backup's own.
        let head: Option<ChainHead> = heads.first().map(|head_file| {
            let text = std::fs::read_to_string(head_file).unwrap();
            text.lines().next().unwrap().trim().parse().unwrap()
        });
        let checked = verify_file(backup, head.as_ref())
            .unwrap_or_else(|e| panic!("{what}: the finished backup does not open: {e}"));
        assert!(
            checked.problems.is_empty(),
            "{what}: the finished backup does not verify: {:?}",
            checked.problems
        );
        let copy = rusqlite::Connection::open_with_flags(
            backup,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        let n = |sql: &str| -> i64 { copy.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(
            (
                n("SELECT count(*) FROM person"),
                n("SELECT count(*) FROM claim"),
                n("SELECT count(*) FROM payout")
            ),
            (before.people, before.claims, before.payouts),
            "{what}: the backup does not hold the ledger"
        );
        true
    };
    let tally = kill_many(
        "backup",
        &prepared,
        work.path(),
        points_for(20),
        3,
        &command,
        &whole,
    );
    eprintln!(
        "backup: {} temporary files left behind by kills (never named like a finished backup)",
        LEFT_TEMPORARY.load(Ordering::Relaxed)
    );
    tally.report(&format!("backup of {} claims", before.claims), started);
}
