//! The desktop app's performance figures (issue 3), measured on the real release app in the real
//! webview: a 100,000-person demo ledger, and in the same run a 10-person ledger as the baseline.
//!
//! Run: `cargo bench -p relief-ledger-app --bench app_perf` (env APP_PERF_RUNS, default 5 launches per
//! ledger; APP_PERF_PEOPLE, default 100000). Needs what the e2e tests need (Xvfb, tauri-driver,
//! WebKitWebDriver). Each launch gets its own Xvfb and tauri-driver, with RELIEF_DB pointing at the
//! ledger. Prints the medians, one summary line per figure, against the targets:
//!
//! - start: the app process's start time (/proc/<pid>/stat) to the UI's ready marker
//!   (`window.__readyAt`, set once the first screen, the sign-in screen, is drawn; each launch then
//!   signs in before the other figures);
//! - keystroke: a key typed into the people search (WebDriver) to the result list replaced and the
//!   next frame painted, timed inside the page from the keydown event;
//! - list: Enter on a 10,000-line list's row in the lists screen to its first page of lines painted;
//! - memory: VmRSS of the app process once the list is open (WebKit's helper processes shown apart).

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use relief_ledger::demo::{generate, DemoSpec};
use relief_ledger::ledger::Office;
use relief_ledger::Ledger;
use serde_json::{json, Value};

const ACTOR: &str = "Nguyễn Văn An";
/// The operator's password: each launch signs in on the sign-in screen before it measures.
const SECRET: &str = "Giang-Bien-2021";
const APP: &str = env!("CARGO_BIN_EXE_relief-ledger-app");
/// What an officer types into the search box, one measured keystroke per character.
const TYPED: &str = "nguyen thi huong";
const LIST_OPENS: usize = 3;

fn find_tool(name: &str) -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("app_perf: `{name}` not found; run scripts/setup-debian.sh"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port()
}

/// A ledger of `people` demo people with a list of (up to) 10,000 of their claims.
fn build_ledger(path: &Path, people: usize) -> (usize, String) {
    let mut l = Ledger::open(path).expect("open ledger");
    let actor = l
        .init_office(
            &Office {
                ward: "Giang Biên".into(),
                district: "Long Biên".into(),
                city: "Hà Nội".into(),
            },
            ACTOR,
            SECRET,
        )
        .unwrap();
    generate(
        &mut l,
        &DemoSpec {
            people,
            wards: 1,
            seed: 2021,
        },
        &actor,
    )
    .expect("demo data");
    let ids: Vec<String> = {
        let mut st = l
            .conn()
            .prepare("SELECT id FROM claim ORDER BY recorded_at, id LIMIT 10000")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    let list = l
        .create_list("Đợt đo tốc độ", &[], &ids, &actor)
        .expect("list");
    (ids.len(), list.id)
}

/// One launch: Xvfb, tauri-driver, a WebDriver session on the release app.
struct Launch {
    client: Option<Client>,
    driver: Child,
    xvfb: Child,
    _home: tempfile::TempDir,
}

impl Launch {
    async fn start(ledger: &Path) -> Self {
        let mut xvfb = Command::new(find_tool("Xvfb"))
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb");
        let mut line = String::new();
        BufReader::new(xvfb.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let display = format!(":{}", line.trim());
        let home = tempfile::tempdir().unwrap();
        let port = free_port();
        let log_path = home.path().join("tauri-driver.log");
        let log = std::fs::File::create(&log_path).unwrap();
        let driver = Command::new(find_tool("tauri-driver"))
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &free_port().to_string(),
            ])
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .env("GDK_BACKEND", "x11")
            .env("HOME", home.path())
            .env("RELIEF_DB", ledger)
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_CACHE_HOME")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("tauri-driver");
        let mut launch = Launch {
            client: None,
            driver,
            xvfb,
            _home: home,
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not start");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let mut caps = serde_json::Map::new();
        caps.insert("tauri:options".into(), json!({ "application": APP }));
        // The driver can accept a connection before WebKitWebDriver answers: try again a few times.
        let mut attempt = 0;
        let client = loop {
            attempt += 1;
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(e) if attempt >= 3 => {
                    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                    panic!("app_perf: no WebDriver session: {e}\n{log}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
            }
        };
        launch.client = Some(client);
        launch
    }

    fn c(&self) -> &Client {
        self.client.as_ref().unwrap()
    }

    async fn js(&self, script: &str) -> Value {
        self.c().execute(script, vec![]).await.expect("script")
    }

    async fn until(&self, secs: u64, what: &str, script: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let v = self.js(script).await;
            if !(v.is_null() || v == Value::Bool(false)) {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "app_perf: timed out waiting for {what}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    async fn stop(mut self) {
        if let Some(c) = self.client.take() {
            let _ = c.close().await;
        }
    }
}

impl Drop for Launch {
    fn drop(&mut self) {
        unsafe {
            libc::kill(self.driver.id() as libc::pid_t, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.driver.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = self.xvfb.kill();
        let _ = self.xvfb.wait();
    }
}

/// The pid of the running app (one launch at a time).
fn app_pid() -> u32 {
    let want = std::fs::canonicalize(APP).unwrap();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Ok(exe) = std::fs::read_link(format!("/proc/{pid}/exe")) {
            if exe == want {
                return pid;
            }
        }
    }
    panic!("app_perf: the app process was not found");
}

/// Field `n` (1-based, as in proc(5)) of /proc/<pid>/stat.
fn stat_field(pid: u32, n: usize) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    rest.split(' ').nth(n - 3)?.parse().ok()
}

/// When the process started, in ms since the epoch (10 ms resolution).
fn started_ms(pid: u32) -> f64 {
    let btime: u64 = std::fs::read_to_string("/proc/stat")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("btime ").map(|v| v.trim().parse().unwrap()))
        .unwrap();
    let ticks = stat_field(pid, 22).unwrap() as f64;
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    (btime as f64 + ticks / hz) * 1000.0
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("VmRSS:")
                    .map(|v| v.trim().trim_end_matches(" kB").trim().parse().unwrap())
            })
        })
        .unwrap_or(0)
}

/// RSS of the app's child processes (WebKit's web and network processes), in kB.
fn children_rss_kb(pid: u32) -> u64 {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_string_lossy().parse::<u32>().ok())
        .filter(|&p| stat_field(p, 4) == Some(pid as u64))
        .map(rss_kb)
        .sum()
}

#[derive(Default)]
struct Figures {
    start_ms: Vec<f64>,
    key_ms: Vec<f64>,
    list_ms: Vec<f64>,
    rss_mb: Vec<f64>,
    helpers_mb: Vec<f64>,
}

async fn measure(ledger: &Path, list_id: &str, runs: usize) -> Figures {
    let mut f = Figures::default();
    for run in 0..runs {
        let app = Launch::start(ledger).await;
        let ready = app
            .until(30, "the ready marker", "return window.__readyAt ?? null;")
            .await
            .as_f64()
            .unwrap();
        let pid = app_pid();
        f.start_ms.push(ready - started_ms(pid));

        // The app opens on the sign-in screen: sign in, and wait for the first screen.
        app.c()
            .find(Locator::Css("#sign-in-name"))
            .await
            .unwrap()
            .send_keys(ACTOR)
            .await
            .unwrap();
        app.c()
            .find(Locator::Css("#sign-in-secret"))
            .await
            .unwrap()
            .send_keys(&format!("{SECRET}\u{E007}"))
            .await
            .unwrap();
        app.until(
            30,
            "the first screen after signing in",
            "return document.querySelector('#screen article[data-screen]') !== null;",
        )
        .await;

        // The people screen, then one key at a time into its search box.
        app.c()
            .find(Locator::Css("#nav-beneficiaries"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        app.until(
            30,
            "the registry",
            "return document.querySelector('#people-count')?.textContent || null;",
        )
        .await;
        app.js(
            "window.__kd = null; window.__k = null;
             document.addEventListener('keydown', (e) => { if (e.target.id === 'people-search') window.__kd = performance.now(); }, true);
             new MutationObserver(() => {
               if (window.__kd === null || window.__k !== null || window.__pending) return;
               window.__pending = true;
               requestAnimationFrame(() => setTimeout(() => { window.__k = performance.now() - window.__kd; window.__pending = false; }, 0));
             }).observe(document.getElementById('people-list'), { childList: true, subtree: true });",
        )
        .await;
        let search = app.c().find(Locator::Css("#people-search")).await.unwrap();
        for ch in TYPED.chars() {
            app.js("window.__kd = null; window.__k = null;").await;
            search.send_keys(&ch.to_string()).await.unwrap();
            let ms = app
                .until(10, "search results", "return window.__k;")
                .await
                .as_f64()
                .unwrap();
            f.key_ms.push(ms);
        }

        // The lists screen: open the 10,000-line list (then leave it, and open it again).
        for _ in 0..LIST_OPENS {
            app.c()
                .find(Locator::Css("#nav-lists"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            let row = format!("#lists tr[data-id='{list_id}']");
            app.until(
                30,
                "the lists",
                &format!("return document.querySelector({row:?}) !== null;"),
            )
            .await;
            app.js(
                "window.__lc = null; window.__l = null;
                 document.addEventListener('keydown', () => { if (window.__lc === null) window.__lc = performance.now(); }, { capture: true, once: true });
                 const obs = new MutationObserver(() => {
                   if (window.__lc === null || !document.querySelector('#list-items tbody tr')) return;
                   obs.disconnect();
                   requestAnimationFrame(() => setTimeout(() => { window.__l = performance.now() - window.__lc; }, 0));
                 });
                 obs.observe(document.getElementById('screen'), { childList: true, subtree: true });",
            )
            .await;
            // Enter on the focused row opens it, as an officer would from the keyboard.
            app.c()
                .find(Locator::Css(&row))
                .await
                .unwrap()
                .send_keys("\u{E007}")
                .await
                .unwrap();
            let ms = app
                .until(30, "the list's lines", "return window.__l;")
                .await
                .as_f64()
                .unwrap();
            f.list_ms.push(ms);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        f.rss_mb.push(rss_kb(pid) as f64 / 1024.0);
        f.helpers_mb.push(children_rss_kb(pid) as f64 / 1024.0);
        eprintln!(
            "  run {}: start {:.0} ms, keystroke median {:.1} ms, list {:.1} ms, RSS {:.0} MB",
            run + 1,
            f.start_ms[run],
            median(&f.key_ms[run * TYPED.len()..]),
            median(&f.list_ms[run * LIST_OPENS..]),
            f.rss_mb[run]
        );
        app.stop().await;
    }
    f
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "ok"
    } else {
        "OVER TARGET"
    }
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let runs: usize = std::env::var("APP_PERF_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let people: usize = std::env::var("APP_PERF_PEOPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");

    let t = Instant::now();
    let big = dir.path().join("district.sqlite");
    let (lines, big_list) = build_ledger(&big, people);
    eprintln!(
        "app_perf: {people}-person ledger with a {lines}-line list built in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let small = dir.path().join("baseline.sqlite");
    let (small_lines, small_list) = build_ledger(&small, 10);

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    eprintln!("app_perf: baseline, a 10-person ledger ({small_lines}-line list), {runs} launches");
    let base = rt.block_on(measure(&small, &small_list, runs));
    eprintln!("app_perf: {people}-person ledger, {runs} launches");
    let full = rt.block_on(measure(&big, &big_list, runs));

    println!(
        "app_perf: release app, {people}-person demo ledger vs a 10-person baseline; medians of {runs} launches \
         ({} keystrokes, {} list opens)",
        full.key_ms.len(),
        full.list_ms.len()
    );
    let start = median(&full.start_ms);
    println!(
        "  start → interactive window:   {start:7.0} ms  (baseline {:6.0} ms)  target ≤ 1500 ms  {}",
        median(&base.start_ms),
        verdict(start <= 1500.0)
    );
    let key = median(&full.key_ms);
    println!(
        "  search keystroke → results:   {key:7.1} ms  (baseline {:6.1} ms; p90 {:.1} ms, worst {:.1} ms)  target ≤ 50 ms  {}",
        median(&base.key_ms),
        percentile(&full.key_ms, 0.9),
        percentile(&full.key_ms, 1.0),
        verdict(key <= 50.0)
    );
    let list = median(&full.list_ms);
    println!(
        "  open a {lines}-row list:        {list:7.1} ms  (baseline {small_lines}-row {:6.1} ms)  target ≤ 200 ms  {}",
        median(&base.list_ms),
        verdict(list <= 200.0)
    );
    let rss = median(&full.rss_mb);
    println!(
        "  app resident memory (VmRSS):  {rss:7.0} MB  (baseline {:6.0} MB; WebKit helper processes {:.0} MB more)  target ≤ 250 MB  {}",
        median(&base.rss_mb),
        median(&full.helpers_mb),
        verdict(rss <= 250.0)
    );
}
