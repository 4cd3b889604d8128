//! End-to-end: the real app in the real webview (WebKitGTK), driven as a user would through WebDriver.
//!
//! Each test starts its own Xvfb (on a display it picks with `-displayfd`), its own `tauri-driver`
//! (which starts Debian's `WebKitWebDriver`) on free ports, and the debug app binary that cargo
//! builds for this test. The app runs with HOME set to a fresh temporary directory (and no
//! XDG_*_HOME), so a run never touches the user's ledger, and what the screen shows does not
//! depend on who runs the test: the saved screenshots stay byte-identical from run to run.
//!
//! Missing tools are a failure, not a skip: run `scripts/setup-debian.sh`.

use std::io::{BufRead, BufReader, Read};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

const APP_TITLE: &str = "Sổ chi trả hỗ trợ COVID-19";
const SAMPLE: &str = "Nguyễn Thị Hương – Đặng Văn Đức";
const IDENTIFIER: &str = "vn.reliefledger.desktop";

/// The navigation, in order, as the officer reads it.
const SCREENS: [(&str, &str); 9] = [
    ("overview", "Tổng quan"),
    ("beneficiaries", "Người thụ hưởng"),
    ("claims", "Hồ sơ đề nghị"),
    ("lists", "Danh sách & phê duyệt"),
    ("payouts", "Chi trả"),
    ("import-export", "Nhập / Xuất"),
    ("duplicates", "Kiểm tra trùng"),
    ("audit", "Nhật ký"),
    ("settings", "Cài đặt"),
];

/// One WebKit session at a time: the machine has two cores, and parallel webviews only make
/// timings flaky.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const SETUP_HINT: &str = "run `sudo scripts/setup-debian.sh` (or as root) to install it";

fn find_tool(name: &str) -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(cargo_home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(cargo_home).join("bin"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
        .unwrap_or_else(|| {
            panic!("e2e: `{name}` was not found on PATH or in ~/.cargo/bin: {SETUP_HINT}")
        })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port()
}

fn read_log(path: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut f) = std::fs::File::open(path) {
        let _ = f.read_to_string(&mut text);
    }
    text
}

/// Xvfb + tauri-driver + a WebDriver session on the app. Dropping it stops everything.
struct App {
    client: Option<Client>,
    driver: Child,
    xvfb: Child,
    dir: tempfile::TempDir,
}

impl App {
    async fn start() -> Self {
        let xvfb_bin = find_tool("Xvfb");
        let driver_bin = find_tool("tauri-driver");
        find_tool("WebKitWebDriver");
        let dir = tempfile::tempdir().expect("a temporary directory");

        // Xvfb picks a free display itself and writes its number on stdout.
        let mut xvfb = Command::new(&xvfb_bin)
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
            .unwrap_or_else(|e| panic!("e2e: cannot start {}: {e}", xvfb_bin.display()));
        let stdout = xvfb.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let display = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(line) if !line.trim().is_empty() => format!(":{}", line.trim()),
            other => {
                let _ = xvfb.kill();
                panic!("e2e: Xvfb did not report a display: {other:?}");
            }
        };

        let port = free_port();
        let native_port = free_port();
        let log_path = dir.path().join("tauri-driver.log");
        let log = std::fs::File::create(&log_path).unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let driver = Command::new(&driver_bin)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .env("GDK_BACKEND", "x11")
            .env("HOME", &home)
            // Paint on one thread: with Skia's parallel CPU painting, glyph antialiasing varies
            // slightly from run to run and the saved screenshots would change on every run.
            .env("WEBKIT_SKIA_CPU_PAINTING_THREADS", "0")
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_CACHE_HOME")
            .env_remove("XDG_STATE_HOME")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("e2e: cannot start {}: {e}", driver_bin.display()));
        let mut app = App {
            client: None,
            driver,
            xvfb,
            dir,
        };

        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline || app.driver.try_wait().unwrap().is_some() {
                panic!(
                    "e2e: tauri-driver did not listen on port {port}:\n{}",
                    read_log(&log_path)
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        let binary = env!("CARGO_BIN_EXE_relief-ledger-app");
        let mut caps = serde_json::Map::new();
        caps.insert("tauri:options".into(), json!({ "application": binary }));
        let session = tokio::time::timeout(
            Duration::from_secs(60),
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps)
                .connect(&format!("http://127.0.0.1:{port}")),
        )
        .await;
        match session {
            Ok(Ok(client)) => app.client = Some(client),
            Ok(Err(e)) => panic!("e2e: no WebDriver session: {e}\n{}", read_log(&log_path)),
            Err(_) => panic!("e2e: WebDriver session timed out\n{}", read_log(&log_path)),
        }
        // The session can open before the page has loaded and its modules have run.
        app.until(
            20,
            "the UI to load",
            "return document.readyState === 'complete' && document.querySelector('#nav button');",
        )
        .await;
        app
    }

    fn c(&self) -> &Client {
        self.client.as_ref().unwrap()
    }

    /// Where the app keeps its data: `$HOME/.local/share`, HOME being the test's own.
    fn data_home(&self) -> PathBuf {
        self.dir.path().join("home/.local/share")
    }

    async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.c()
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("e2e: script failed: {e}\n{script}"))
    }

    /// Polls `script` until it returns something other than null/false, for at most `secs`.
    async fn until(&self, secs: u64, what: &str, script: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let value = self.js(script, vec![]).await;
            if !(value.is_null() || value == Value::Bool(false)) {
                return value;
            }
            if Instant::now() > deadline {
                panic!("e2e: timed out waiting for {what}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn text_of(&self, css: &str) -> String {
        self.js(
            "const el = document.querySelector(arguments[0]); return el ? el.textContent : null;",
            vec![json!(css)],
        )
        .await
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("e2e: no element {css}"))
    }

    /// A PNG of the page once its fonts are loaded and the current DOM has been painted.
    ///
    /// Without the wait, WebKit's snapshot can be of an earlier paint (the bare layout, no text).
    async fn screenshot(&self) -> Vec<u8> {
        self.c()
            .execute_async(
                "const done = arguments[0];
                 document.fonts.ready.then(() =>
                   requestAnimationFrame(() => requestAnimationFrame(() => done(true))));",
                vec![],
            )
            .await
            .expect("e2e: the page settles");
        let png = self.c().screenshot().await.expect("e2e: screenshot");
        assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");
        png
    }

    /// Ends the session (which closes the app) and stops the driver and the display.
    async fn stop(mut self) {
        if let Some(client) = self.client.take() {
            let _ = client.close().await;
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        // SIGTERM lets tauri-driver stop WebKitWebDriver too; SIGKILL would leave it running.
        unsafe {
            libc::kill(self.driver.id() as libc::pid_t, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.driver.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        // Losing the display also ends the app if it is somehow still running.
        let _ = self.xvfb.kill();
        let _ = self.xvfb.wait();
    }
}

/// The RGBA pixels of a PNG, with its size.
fn pixels(png_bytes: &[u8]) -> Option<(u32, u32, Vec<u8>)> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::ALPHA | png::Transformations::EXPAND);
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut buf).ok()?;
    buf.truncate(info.buffer_size());
    let rgba = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        _ => return None,
    };
    Some((info.width, info.height, rgba))
}

/// Saves `docs/screenshots/<name>.png` for the README, unless the saved one looks the same.
///
/// WebKit's antialiasing differs by a few pixels between runs; rewriting the file for those would
/// leave the work tree modified after every test run. A real change (layout, text, colour) touches
/// far more than 0.1% of the pixels and is saved.
fn save_screenshot(name: &str, png_bytes: &[u8]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshots");
    let path = dir.join(format!("{name}.png"));
    let (width, height, new) = pixels(png_bytes).expect("e2e: the screenshot decodes");
    if let Some((w, h, old)) = std::fs::read(&path).ok().and_then(|b| pixels(&b)) {
        if (w, h) == (width, height) {
            let changed = old
                .chunks_exact(4)
                .zip(new.chunks_exact(4))
                .filter(|(a, b)| a != b)
                .count();
            if changed * 1000 < (width * height) as usize {
                return;
            }
        }
    }
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(&path, png_bytes).unwrap();
}

/// Invokes a command from inside the page, as the UI does, and returns its answer.
async fn invoke_in_page(app: &App, command: &str, args: Value) -> Value {
    app.c()
        .execute_async(
            "const [command, args, done] = arguments;
             window.__TAURI__.core.invoke(command, args).then(
               (ok) => done({ ok }),
               (err) => done({ err }));",
            vec![json!(command), args],
        )
        .await
        .expect("e2e: invoke from the page")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vietnamese_text_survives_the_ipc_boundary_in_the_real_webview() {
    let _one = ONE_AT_A_TIME.lock().await;
    let app = App::start().await;

    assert_eq!(app.c().title().await.unwrap(), APP_TITLE);

    // The overview's IPC check runs at start: wait for its verdict.
    let state = app
        .until(
            20,
            "the IPC check to finish",
            "const s = document.getElementById('ipc-status')?.dataset.state;
             return s && s !== 'running' ? s : null;",
        )
        .await;
    let status = app.text_of("#ipc-status").await;
    assert_eq!(state, "ok", "IPC check says: {status}");
    assert_eq!(app.text_of("#ipc-sent").await, SAMPLE);
    assert_eq!(app.text_of("#ipc-received").await, SAMPLE);
    // What WebKit renders (not just what the DOM holds) is the same text.
    let shown = app
        .c()
        .find(Locator::Css("#ipc-received"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(shown, SAMPLE);

    // Straight through `invoke`: NFC and NFD come back byte for byte, neither normalised.
    let nfd = "Nguye\u{302}\u{303}n Thi\u{323} Hu\u{31b}o\u{31b}ng";
    for text in [SAMPLE, nfd, "ă â đ ê ô ơ ư Ă Â Đ Ê Ô Ơ Ư ỹ Ỵ", ""] {
        let answer = invoke_in_page(&app, "echo_text", json!({ "text": text })).await;
        assert_eq!(answer, json!({ "ok": text }), "echo of {text:?}");
    }

    // app_info reaches the page, with the ledger under the (test's) user data directory.
    let info = invoke_in_page(&app, "app_info", json!({})).await;
    let expected_ledger = app.data_home().join(IDENTIFIER).join("ledger.sqlite");
    assert_eq!(info["ok"]["name"], "Relief Ledger", "{info}");
    assert_eq!(
        info["ok"]["ledgerPath"],
        expected_ledger.display().to_string()
    );
    app.until(
        10,
        "the status line",
        "return document.getElementById('ledger-path')",
    )
    .await;
    assert_eq!(
        app.text_of("#ledger-path").await,
        format!("Sổ dữ liệu: ~/.local/share/{IDENTIFIER}/ledger.sqlite")
    );

    // A command outside the capability is refused with an error, not answered.
    let refused = invoke_in_page(
        &app,
        "plugin:fs|read_text_file",
        json!({ "path": "/etc/passwd" }),
    )
    .await;
    assert!(refused.get("err").is_some(), "{refused}");

    save_screenshot("overview", &app.screenshot().await);

    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_navigation_entry_opens_its_screen() {
    let _one = ONE_AT_A_TIME.lock().await;
    let app = App::start().await;

    let labels = app
        .js(
            "return [...document.querySelectorAll('#nav button .label')].map((e) => e.textContent);",
            vec![],
        )
        .await;
    let expected: Vec<&str> = SCREENS.iter().map(|(_, title)| *title).collect();
    assert_eq!(labels, json!(expected));

    // Start from the last entry so the first click is a real switch, and end on the overview.
    for (id, title) in SCREENS.iter().skip(1).chain(SCREENS.iter().take(1)) {
        app.c()
            .find(Locator::Id(&format!("nav-{id}")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        app.until(
            5,
            &format!("screen {id}"),
            &format!("return document.getElementById('screen-{id}')"),
        )
        .await;
        assert_eq!(app.text_of("#screen-title").await, *title);
        let current = app
            .js(
                "return [...document.querySelectorAll('#nav [aria-current=page]')].map((e) => e.id);",
                vec![],
            )
            .await;
        assert_eq!(current, json!([format!("nav-{id}")]));
        // Every screen says what is coming; none has a button that does nothing.
        assert_eq!(app.text_of("#screen .coming .badge").await, "Đang xây dựng");
        let items = app
            .js(
                "return document.querySelectorAll('#screen .coming li').length;",
                vec![],
            )
            .await;
        assert!(items.as_u64().unwrap() >= 2, "{id}: {items}");
        let buttons = app
            .js(
                "return [...document.querySelectorAll('#screen button')].map((b) => b.id);",
                vec![],
            )
            .await;
        let expected_buttons: Vec<&str> = if *id == "overview" {
            vec!["ipc-run"]
        } else {
            vec![]
        };
        assert_eq!(buttons, json!(expected_buttons), "{id}");
    }

    // The overview's one button runs the check again.
    app.until(
        10,
        "the first IPC check",
        "return document.getElementById('ipc-status')?.dataset.state === 'ok'",
    )
    .await;
    app.js(
        "document.getElementById('ipc-received').textContent = '';",
        vec![],
    )
    .await;
    app.c()
        .find(Locator::Id("ipc-run"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    app.until(
        10,
        "the repeated IPC check",
        "return document.getElementById('ipc-received').textContent",
    )
    .await;
    assert_eq!(app.text_of("#ipc-received").await, SAMPLE);

    // Alt + number opens the screen with that number.
    app.c()
        .find(Locator::Id("screen"))
        .await
        .unwrap()
        .send_keys("\u{E00A}3")
        .await
        .unwrap();
    app.until(
        5,
        "Alt+3",
        "return document.getElementById('screen-claims')",
    )
    .await;
    assert_eq!(app.text_of("#screen-title").await, "Hồ sơ đề nghị");

    app.stop().await;
}
