//! The commands through `tauri::test`: the real app (its config, capability and command table) on the
//! mock runtime, each test with a ledger file of its own in a temp dir. Nothing is written but by the
//! operator signed in: `TestApp::init` sets the office up with Nguyễn Văn An, its admin, signed in;
//! `TestApp::as_user` signs someone else in.

use std::time::Duration;

use relief_ledger::ledger::{Actor, Office};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow};

use crate::{CommandError, LedgerState};

struct TestApp {
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    dir: tempfile::TempDir,
}

/// The real app on the mock runtime with a fresh ledger.
fn real_app() -> TestApp {
    app_with_idle(None)
}

/// The same, signing an operator out after `idle` without a command (else the default 15 minutes).
fn app_with_idle(idle: Option<Duration>) -> TestApp {
    app_on(tempfile::tempdir().unwrap(), idle)
}

/// The real app on `dir/ledger.sqlite` (made already, or not).
fn app_on(dir: tempfile::TempDir, idle: Option<Duration>) -> TestApp {
    let path = dir.path().join("ledger.sqlite");
    let app = crate::build_with(mock_builder(), tauri::generate_context!(), |_| {
        let state = LedgerState::open_at(path);
        match idle {
            Some(idle) => state.with_idle(idle),
            None => state,
        }
    })
    .expect("the app builds on the mock runtime");
    // The mock runtime creates the configured windows only in `run`; build the main one here.
    let config = app.config().app.windows.first().cloned();
    let config = config.expect("tauri.conf.json declares the main window");
    assert_eq!(config.label, "main");
    let window = tauri::WebviewWindowBuilder::from_config(&app, &config)
        .unwrap()
        .build()
        .unwrap();
    TestApp {
        _app: app,
        window,
        dir,
    }
}

/// On Linux (and macOS) the webview's own origin is `tauri://localhost`;
/// `http://tauri.localhost` is Windows' and is refused here.
const APP_URL: &str = "tauri://localhost";

fn invoke_from(
    window: &WebviewWindow<MockRuntime>,
    url: &str,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: url.parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: tauri::test::INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

impl TestApp {
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        invoke_from(&self.window, APP_URL, cmd, args)
    }
    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }
    fn err(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .err()
            .unwrap_or_else(|| panic!("{cmd} should fail"))
    }
    /// Sets the office up; Nguyễn Văn An, its admin, is signed in.
    fn init(&self, demo: bool) -> Value {
        self.ok(
            "init_office",
            json!({ "office": giang_bien(), "operator": AN, "secret": SECRET, "demo": demo }),
        )
    }
    /// The admin (signed in) adds an operator with the common test password.
    fn add_user(&self, name: &str, role: &str) -> Value {
        self.ok(
            "add_operator",
            json!({ "name": name, "role": role, "secret": SECRET }),
        )
    }
    /// Signs whoever is signed in out, and `name` in (nothing to do when `name` is signed in).
    fn as_user(&self, name: &str) {
        if self.ok("session_status", json!({}))["name"] == name {
            return;
        }
        self.ok("sign_out", json!({}));
        self.ok("sign_in", json!({ "name": name, "secret": SECRET }));
    }
}

const AN: &str = "Nguyễn Văn An";
const BINH: &str = "Trần Thị Bình";
const CUONG: &str = "Lê Văn Cường";
/// Every test operator's password.
const SECRET: &str = "Giang-Bien-2021";

fn giang_bien() -> Value {
    json!({ "ward": "Giang Biên", "district": "Long Biên", "city": "Hà Nội" })
}

/// A ledger set up by An (its admin) for the tests that call the commands' functions directly, and An
/// as the core's signed-in actor.
fn office_state(dir: &std::path::Path) -> (LedgerState, Actor) {
    let state = LedgerState::open_at(dir.join("ledger.sqlite"));
    let actor = state
        .with(|l| {
            Ok(l.init_office(
                &Office {
                    ward: "Giang Biên".into(),
                    district: "Long Biên".into(),
                    city: "Hà Nội".into(),
                },
                "An",
                SECRET,
            )?)
        })
        .unwrap();
    (state, actor)
}

fn person_form(name: &str, cccd: &str) -> Value {
    json!({ "fullName": name, "dob": "12/03/1985", "sex": "F", "cccd": cccd, "cmnd": "", "bhxh": "",
            "address": "Số 5 ngõ 12 Giang Biên", "residentialGroup": "Tổ 3", "phone": "0912345678" })
}

#[test]
fn echo_text_returns_vietnamese_text_unchanged() {
    let app = real_app();
    let nfc = "Nguyễn Thị Hương – Đặng Văn Đức";
    // The same name typed with combining marks (NFD), as some keyboards and old files produce.
    let nfd = "Nguye\u{302}\u{303}n Thi\u{323} Hu\u{31b}o\u{31b}ng";
    for text in [nfc, nfd, "", "ă â đ ê ô ơ ư Ă Â Đ Ê Ô Ơ Ư ạ ả ã á à"] {
        assert_eq!(
            app.call("echo_text", json!({ "text": text })),
            Ok(json!(text))
        );
    }
    assert!(app.call("echo_text", json!({})).is_err());
}

#[test]
fn app_info_names_the_app_and_its_ledger_file() {
    let app = real_app();
    let info = app.ok("app_info", json!({}));
    assert_eq!(info["name"], "Relief Ledger");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    let expected = app.dir.path().join("ledger.sqlite");
    assert_eq!(info["ledgerPath"], expected.display().to_string());
    assert!(
        expected.is_file(),
        "the ledger is opened (created) at start"
    );
    // Version, build date and shipped pack are the core's, as `relief --version` prints them; the
    // package's version (tauri.conf.json names none) is the same workspace number.
    let build = relief_ledger::about::build_info();
    assert_eq!(info["build"], serde_json::to_value(&build).unwrap());
    assert_eq!(info["version"], build.version);
    assert_eq!(
        info["build"]["pack_version"],
        relief_ledger::rules::default_pack().pack.version
    );
    assert!(
        info["build"]["build_date"].as_str().unwrap().len() == 10,
        "{info}"
    );
}

/// The app and `relief` open the same ledger when neither is told another: the app's data directory (as
/// Tauri resolves it from tauri.conf.json's identifier) + ledger.sqlite is the core's default_db_path.
#[test]
fn the_app_and_the_cli_share_one_default_ledger() {
    use tauri::Manager;
    let app = real_app();
    let data_dir = app._app.path().app_data_dir();
    let app_default = crate::ledger_location(None, data_dir).unwrap();
    assert_eq!(app_default, relief_ledger::ledger::default_db_path());
    assert_eq!(
        app._app.config().identifier,
        relief_ledger::ledger::APP_IDENTIFIER
    );
}

#[test]
fn an_unavailable_data_dir_crosses_as_code_and_vietnamese_message() {
    let app = mock_builder()
        .invoke_handler(super::handler())
        .build(mock_context(noop_assets()))
        .unwrap();
    use tauri::Manager;
    app.manage(LedgerState::unavailable(
        CommandError::data_dir_unavailable(&"HOME is not set"),
    ));
    app.manage(super::Jobs::default());
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    for cmd in ["app_info", "office_status", "lists"] {
        let err = invoke_from(&window, APP_URL, cmd, json!({})).unwrap_err();
        assert_eq!(err["code"], "data_dir_unavailable");
        let message = err["message"].as_str().unwrap();
        assert!(
            message.starts_with("Không xác định được thư mục"),
            "{message}"
        );
        assert!(
            !message.contains("HOME"),
            "internal details stay in the log: {message}"
        );
        assert_eq!(
            err.as_object().unwrap().len(),
            2,
            "only code and message: {err}"
        );
    }
}

#[test]
fn a_remote_origin_cannot_invoke_the_commands() {
    let app = real_app();
    for cmd in super::NAMES {
        let refused = invoke_from(
            &app.window,
            "https://example.com",
            cmd,
            json!({ "text": "x" }),
        );
        assert!(
            refused.is_err(),
            "{cmd} answered a remote page: {refused:?}"
        );
    }
    assert!(app.call("delete_everything", json!({})).is_err());
}

#[test]
fn the_capability_grants_exactly_the_declared_commands() {
    let manifest = env!("CARGO_MANIFEST_DIR");
    let cap: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{manifest}/capabilities/default.json")).unwrap(),
    )
    .unwrap();
    let granted: Vec<String> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    let wanted: Vec<String> = super::NAMES
        .iter()
        .map(|n| format!("allow-{}", n.replace('_', "-")))
        .collect();
    assert_eq!(granted, wanted);
    // One source: every command of commands.list is a name, in its order, and nothing else is.
    let list = std::fs::read_to_string(format!("{manifest}/commands.list")).unwrap();
    let listed: Vec<&str> = list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.rsplit("::").next().unwrap())
        .collect();
    assert_eq!(listed, super::NAMES);
    assert!(super::NAMES.contains(&"import_file") && super::NAMES.len() > 60);
}

#[test]
fn first_start_sets_up_the_office_with_its_admin_signed_in() {
    let app = real_app();
    let status = app.ok("office_status", json!({}));
    assert_eq!(status["office"], Value::Null);
    assert_eq!(status["session"], Value::Null);
    assert_eq!(status["needsFirstPassword"], false);
    assert_eq!(status["operators"], json!([]));
    assert_eq!(status["pack"]["id"], "hanoi-2021");
    // Nothing can be written (or read) before set-up and sign-in.
    let err = app.err(
        "add_person",
        json!({ "form": person_form("Lê Văn Tám", "") }),
    );
    assert_eq!(err["code"], "sign_in_required");
    assert_eq!(
        app.err("sign_in", json!({ "name": AN, "secret": SECRET }))["code"],
        "sign_in_failed"
    );

    // A weak password is refused at its field; nothing is set up.
    let weak = app.err(
        "init_office",
        json!({ "office": giang_bien(), "operator": AN, "secret": "12345", "demo": false }),
    );
    assert_eq!(
        (weak["code"].as_str(), weak["field"].as_str()),
        (Some("invalid_input"), Some("secret")),
        "{weak}"
    );
    let blank = app.err(
        "init_office",
        json!({ "office": { "ward": " ", "district": "Long Biên", "city": "Hà Nội" }, "operator": AN, "secret": SECRET, "demo": false }),
    );
    assert_eq!(blank["field"], "ward", "{blank}");
    assert_eq!(app.ok("office_status", json!({}))["office"], Value::Null);

    let status = app.init(false);
    assert_eq!(status["office"]["ward"], "Giang Biên");
    assert_eq!(
        status["session"],
        json!({ "name": AN, "role": "admin", "idleSeconds": 900 })
    );
    assert_eq!(
        status["operators"],
        json!([{ "name": AN, "role": "admin", "has_password": true, "locked_until": null }])
    );
    let again = app.call(
        "init_office",
        json!({ "office": { "ward": "X", "district": "Y", "city": "Z" }, "operator": "B", "secret": SECRET, "demo": false }),
    );
    assert_eq!(again.unwrap_err()["code"], "invalid_input");

    let ops = app.add_user(BINH, "approver");
    assert_eq!(ops.as_array().unwrap().len(), 2);
    let bad = app.err(
        "add_operator",
        json!({ "name": "C", "role": "boss", "secret": SECRET }),
    );
    assert_eq!(
        (bad["code"].as_str(), bad["field"].as_str()),
        (Some("invalid_input"), Some("role")),
        "an unknown role is refused: {bad}"
    );
    // Signed out, the office's name is still there for the sign-in screen; its operators are not.
    app.ok("sign_out", json!({}));
    let status = app.ok("office_status", json!({}));
    assert_eq!(status["office"]["ward"], "Giang Biên");
    assert_eq!(
        (&status["session"], &status["operators"]),
        (&Value::Null, &json!([]))
    );
}

#[test]
fn every_command_but_the_open_ones_needs_a_signed_in_operator() {
    let app = real_app();
    app.init(false);
    app.ok("sign_out", json!({}));
    for cmd in super::NAMES {
        if super::OPEN.contains(cmd) {
            continue;
        }
        // Refused before its arguments are even read: the arguments here are not what it takes.
        let err = app.err(cmd, json!({}));
        assert_eq!(err["code"], "sign_in_required", "{cmd}: {err}");
        assert!(
            err["message"]
                .as_str()
                .unwrap()
                .starts_with("Cần đăng nhập"),
            "{err}"
        );
    }
    for cmd in [
        "echo_text",
        "app_info",
        "office_status",
        "session_status",
        "sign_out",
    ] {
        assert!(super::OPEN.contains(&cmd));
        let answer = app.call(cmd, json!({ "text": "x" }));
        assert!(answer.is_ok(), "{cmd}: {answer:?}");
    }
    assert_eq!(app.ok("session_status", json!({})), Value::Null);
}

#[test]
fn a_write_is_the_signed_in_operators_whatever_the_page_sends() {
    let app = real_app();
    app.init(false);
    app.add_user(BINH, "officer");
    // Signed in by her name without tone marks; the app acts as the operator the core found.
    app.ok("sign_out", json!({}));
    let wrong = app.err(
        "sign_in",
        json!({ "name": "tran thi binh", "secret": "sai-mat-khau" }),
    );
    assert_eq!(wrong["code"], "sign_in_failed");
    assert_eq!(wrong["message"], "Tên đăng nhập hoặc mật khẩu không đúng");
    let status = app.ok(
        "sign_in",
        json!({ "name": "tran thi binh", "secret": SECRET }),
    );
    assert_eq!(status["session"]["name"], BINH);
    assert_eq!(status["session"]["role"], "officer");
    assert_eq!(app.ok("session_status", json!({}))["name"], BINH);
    // An actor named by the page is not an argument any more: it is ignored, Bình is recorded.
    let p = app.ok(
        "add_person",
        json!({ "form": person_form("Nguyễn Thị Hương", "001185012345"), "actor": AN, "operator": AN }),
    );
    let log = app.ok("recent_audit", json!({}));
    assert_eq!(
        (&log[0]["action"], &log[0]["entity_id"]),
        (&json!("add_person"), &p["id"])
    );
    assert_eq!(log[0]["actor"], BINH);
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.starts_with(&["add_person", "sign_in", "sign_in_failed", "sign_out"]),
        "{actions:?}"
    );
    // An officer does not manage operators.
    let refused = app.err(
        "add_operator",
        json!({ "name": "Phạm Văn Lạ", "role": "admin", "secret": SECRET }),
    );
    assert_eq!(refused["code"], "role_required", "{refused}");

    // Signed out on demand, recorded; then nothing is written.
    app.ok("sign_out", json!({}));
    assert_eq!(app.ok("session_status", json!({})), Value::Null);
    let refused = app.err(
        "add_person",
        json!({ "form": person_form("Lê Văn Tám", "") }),
    );
    assert_eq!(refused["code"], "sign_in_required");
    app.as_user(AN);
    let log = app.ok("recent_audit", json!({}));
    assert_eq!(log[1]["action"], "sign_out");
    assert_eq!(log[1]["actor"], BINH);
    assert_eq!(log[1]["detail"]["why"], "on_demand");
    // Signing in over someone signs them out first, recorded too.
    app.ok("sign_in", json!({ "name": BINH, "secret": SECRET }));
    let log = app.ok("recent_audit", json!({}));
    assert_eq!(
        (&log[0]["action"], &log[0]["actor"]),
        (&json!("sign_out"), &json!(AN))
    );
    assert_eq!(log[0]["detail"]["why"], "new_sign_in");
    assert_eq!(app.ok("session_status", json!({}))["name"], BINH);
}

#[test]
fn an_idle_operator_is_signed_out_and_that_is_recorded() {
    let idle = Duration::from_millis(300);
    let app = app_with_idle(Some(idle));
    let status = app.init(false);
    assert_eq!(
        status["session"]["idleSeconds"], 1,
        "never 0, so the page's timer still runs"
    );
    // Commands keep the session alive.
    for _ in 0..3 {
        std::thread::sleep(idle / 2);
        app.ok("lists", json!({}));
    }
    // Looking does not: the periodic look finds the operator idle, signs them out and says why.
    std::thread::sleep(idle / 2);
    assert_eq!(app.ok("session_status", json!({}))["name"], AN);
    std::thread::sleep(idle);
    let out = app.err("session_status", json!({}));
    assert_eq!(out["code"], "sign_in_required");
    let message = out["message"].as_str().unwrap();
    assert!(
        message.contains(AN) && message.contains("không thao tác"),
        "{message}"
    );
    assert_eq!(app.ok("session_status", json!({})), Value::Null);
    app.as_user(AN);
    let log = app.ok("recent_audit", json!({}));
    assert_eq!(
        (&log[1]["action"], &log[1]["detail"]["why"]),
        (&json!("sign_out"), &json!("idle")),
        "{log}"
    );
    assert_eq!(log[1]["actor"], AN);

    // A command after the idle time is refused the same way; the sign-out row is written beside it.
    std::thread::sleep(idle + idle / 2);
    let out = app.err("report_summary", json!({}));
    assert_eq!(out["code"], "sign_in_required");
    assert!(
        out["message"].as_str().unwrap().contains("không thao tác"),
        "{out}"
    );
    app.ok("sign_in", json!({ "name": AN, "secret": SECRET }));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let log = app.ok("recent_audit", json!({}));
        let idle_outs = log
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "sign_out" && e["detail"]["why"] == "idle")
            .count();
        if idle_outs == 2 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{log}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_running_job_keeps_its_operator_signed_in() {
    use crate::session::{Session, SignedOut};
    let dir = tempfile::tempdir().unwrap();
    let (_state, an) = office_state(dir.path());
    let session = Session::new(Duration::from_millis(50));
    assert!(matches!(
        session.begin_command(false),
        Err(SignedOut::Nobody)
    ));
    session.start(an.clone());
    std::thread::sleep(Duration::from_millis(80));
    assert!(session.begin_command(true).is_ok(), "busy: not idle");
    assert_eq!(session.current(true).unwrap().unwrap().name, "An");
    std::thread::sleep(Duration::from_millis(80));
    match session.begin_command(false) {
        Err(SignedOut::Idle(actor)) => assert_eq!(actor, an),
        other => panic!("{other:?}"),
    }
    assert!(session.actor().is_err());
}

#[test]
fn the_admin_manages_operators_and_everyone_changes_their_own_password() {
    let app = real_app();
    app.init(false);
    // A first password too short or all one character is refused at its field.
    for weak in ["12345", "111111"] {
        let err = app.err(
            "add_operator",
            json!({ "name": BINH, "role": "officer", "secret": weak }),
        );
        assert_eq!(
            (err["code"].as_str(), err["field"].as_str()),
            (Some("invalid_input"), Some("secret")),
            "{err}"
        );
    }
    app.add_user(BINH, "officer");
    // The same name again (even without tone marks) is refused at the name.
    let twice = app.err(
        "add_operator",
        json!({ "name": "Tran Thi Binh", "role": "approver", "secret": SECRET }),
    );
    assert_eq!(twice["field"], "name", "{twice}");
    let ops = app.ok(
        "set_operator",
        json!({ "name": "tran thi binh", "role": "approver" }),
    );
    let binh = ops
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == BINH)
        .unwrap();
    assert_eq!(
        (&binh["role"], &binh["has_password"]),
        (&json!("approver"), &json!(true))
    );
    // Nobody changes their own role, and an unknown operator is named as such.
    let own = app.err("set_operator", json!({ "name": AN, "role": "officer" }));
    assert_eq!(own["code"], "invalid_input");
    let nobody = app.err(
        "reset_password",
        json!({ "name": "Phạm Văn Lạ", "secret": SECRET }),
    );
    assert_eq!(
        (nobody["code"].as_str(), nobody["field"].as_str()),
        (Some("not_found"), Some("name"))
    );

    // Five wrong passwords lock Bình out, and say until when.
    app.ok("sign_out", json!({}));
    for _ in 0..4 {
        assert_eq!(
            app.err("sign_in", json!({ "name": BINH, "secret": "sai-mat-khau" }))["code"],
            "sign_in_failed"
        );
    }
    let locked = app.err("sign_in", json!({ "name": BINH, "secret": "sai-mat-khau" }));
    assert_eq!(locked["code"], "account_locked", "{locked}");
    assert!(
        locked["message"].as_str().unwrap().contains("bị khóa đến"),
        "{locked}"
    );
    assert_eq!(
        app.err("sign_in", json!({ "name": BINH, "secret": SECRET }))["code"],
        "account_locked"
    );
    // The admin sees it, resets the password, which unlocks.
    app.ok("sign_in", json!({ "name": AN, "secret": SECRET }));
    let ops = app.ok("office_status", json!({}))["operators"].clone();
    let binh = ops
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == BINH)
        .unwrap();
    assert!(binh["locked_until"].is_string(), "{binh}");
    let ops = app.ok(
        "reset_password",
        json!({ "name": BINH, "secret": "Mat-khau-moi-1" }),
    );
    let binh = ops
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == BINH)
        .unwrap();
    assert_eq!(binh["locked_until"], Value::Null);
    assert_eq!(
        app.ok("recent_audit", json!({}))[0]["action"],
        "reset_password"
    );

    // Bình signs in with it and changes it; a wrong current password is refused at its field.
    app.ok("sign_out", json!({}));
    app.ok(
        "sign_in",
        json!({ "name": BINH, "secret": "Mat-khau-moi-1" }),
    );
    let wrong = app.err(
        "change_password",
        json!({ "current": "khong-phai", "new": SECRET }),
    );
    assert_eq!(
        (wrong["code"].as_str(), wrong["field"].as_str()),
        (Some("current_password_wrong"), Some("current"))
    );
    let weak = app.err(
        "change_password",
        json!({ "current": "Mat-khau-moi-1", "new": "123" }),
    );
    assert_eq!(weak["field"], "new", "{weak}");
    app.ok(
        "change_password",
        json!({ "current": "Mat-khau-moi-1", "new": SECRET }),
    );
    // Not an admin: Bình resets nobody's password.
    let refused = app.err(
        "reset_password",
        json!({ "name": AN, "secret": "Mat-khau-moi-2" }),
    );
    assert_eq!(refused["code"], "role_required");
    app.as_user(BINH);
}

#[test]
fn an_old_ledgers_admin_sets_the_first_password() {
    let dir = tempfile::tempdir().unwrap();
    let (state, _) = office_state(dir.path());
    // A ledger made before sign-in: operators without passwords.
    state
        .with(|l| {
            l.conn()
                .execute("UPDATE operator SET secret = NULL", [])
                .unwrap();
            Ok(())
        })
        .unwrap();
    drop(state);
    let app = app_on(dir, None);
    let call = |cmd: &str, args: Value| app.call(cmd, args);
    assert_eq!(
        call("office_status", json!({})).unwrap()["needsFirstPassword"],
        true
    );
    assert_eq!(
        call("sign_in", json!({ "name": "An", "secret": SECRET })).unwrap_err()["code"],
        "password_not_set"
    );
    let weak = call(
        "set_first_password",
        json!({ "name": "An", "secret": "abc" }),
    )
    .unwrap_err();
    assert_eq!(weak["field"], "secret", "{weak}");
    let stranger = call(
        "set_first_password",
        json!({ "name": "Phạm Văn Lạ", "secret": SECRET }),
    )
    .unwrap_err();
    assert_eq!(
        (stranger["code"].as_str(), stranger["field"].as_str()),
        (Some("first_password_closed"), Some("name"))
    );
    let status = call(
        "set_first_password",
        json!({ "name": "an", "secret": SECRET }),
    )
    .unwrap();
    assert_eq!(status["session"]["name"], "An");
    assert_eq!(status["needsFirstPassword"], false);
    // Once a password exists, nobody can claim the ledger that way again.
    call("sign_out", json!({})).unwrap();
    assert_eq!(
        call(
            "set_first_password",
            json!({ "name": "An", "secret": "Mat-khau-khac-1" })
        )
        .unwrap_err()["code"],
        "first_password_closed"
    );
    assert!(call("sign_in", json!({ "name": "An", "secret": SECRET })).is_ok());
}

#[test]
fn person_form_errors_name_their_field_and_search_ignores_tone_marks() {
    let app = real_app();
    app.init(false);
    // A CCCD whose century/sex digit says male, for a woman born 1985.
    let bad = person_form("Nguyễn Thị Hương", "001085012345");
    let errors = app.ok("check_person", json!({ "form": bad }));
    assert_eq!(errors[0]["field"], "cccd", "{errors}");
    assert_eq!(errors[0]["code"], "invalid_identity");
    let err = app.err("add_person", json!({ "form": bad }));
    assert_eq!(err["field"], "cccd");
    assert!(err["message"].as_str().unwrap().contains("CCCD"), "{err}");

    let mut dob = person_form("Nguyễn Thị Hương", "");
    dob["dob"] = json!("31/02/1985");
    let err = app.err("add_person", json!({ "form": dob }));
    assert_eq!(
        (err["field"].as_str(), err["code"].as_str()),
        (Some("dob"), Some("invalid_date"))
    );
    let mut name = person_form("", "");
    name["fullName"] = json!("  ");
    let err = app.err("add_person", json!({ "form": name }));
    assert_eq!(err["field"], "fullName");

    // The phone is checked by the core's one validator (a landline with its area code is a phone; five
    // digits are not), both while typing and on saving, at its field.
    let mut phone = person_form("Nguyễn Thị Hương", "");
    phone["phone"] = json!("12345");
    let errors = app.ok("check_person", json!({ "form": phone.clone() }));
    assert_eq!(errors[0]["field"], "phone", "{errors}");
    let err = app.err("add_person", json!({ "form": phone }));
    assert_eq!(err["field"], "phone", "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("số điện thoại"),
        "{err}"
    );
    let mut landline = person_form("Nguyễn Thị Hương", "");
    landline["phone"] = json!("(024) 3826 1234");
    assert_eq!(
        app.ok("check_person", json!({ "form": landline })),
        json!([])
    );

    let good = person_form("Nguyễn Thị Hương", "001185012345");
    let p = app.ok("add_person", json!({ "form": good }));
    assert_eq!(p["full_name"], "Nguyễn Thị Hương");
    // The same number again belongs to someone else now.
    let taken = app.ok(
        "check_person",
        json!({ "form": person_form("Lê Thị Hoa", "001185012345") }),
    );
    assert_eq!(taken[0]["code"], "identity_taken");
    assert_eq!(taken[0]["field"], "cccd");

    let found = app.ok("search_people", json!({ "query": "nguyen thi huong" }));
    assert_eq!(found[0]["id"], p["id"]);
    let twins = app.ok(
        "same_name",
        json!({ "name": "NGUYEN THI HUONG", "except": null }),
    );
    assert_eq!(twins.as_array().unwrap().len(), 1);
    let none = app.ok(
        "same_name",
        json!({ "name": "Nguyễn Thị Hương", "except": p["id"] }),
    );
    assert_eq!(none, json!([]));
    let page = app.ok("people_page", json!({ "offset": 0 }));
    assert_eq!(page["total"], 1);
    let detail = app.ok("person_detail", json!({ "id": p["id"] }));
    assert_eq!(detail["person"]["ids"][0]["number"], "001185012345");
}

#[test]
fn claim_to_payout_and_reversal_through_the_commands() {
    let app = real_app();
    app.init(false);
    let p = app.ok(
        "add_person",
        json!({ "form": person_form("Nguyễn Thị Hương", "001185012345") }),
    );
    let form = json!({ "policy": "68-f1", "personId": p["id"], "from": "01/08/2021", "to": "21/08/2021",
                       "flags": { "quarantine_decision": true } });
    let q = app.ok("quote", json!({ "form": form }));
    assert_eq!(q["eligible"], true, "{q}");
    assert_eq!(q["amount"], 80_000 * 21);
    assert!(
        q["lines"][0]["basis"].as_str().unwrap().contains("QĐ"),
        "{q}"
    );
    let mut refused = form.clone();
    refused["flags"] = json!({ "quarantine_decision": false });
    let r = app.ok("quote", json!({ "form": refused }));
    assert_eq!(r["eligible"], false);
    assert!(!r["reasons"].as_array().unwrap().is_empty());
    let mut bad = form.clone();
    bad["from"] = json!("32/08/2021");
    assert_eq!(app.err("quote", json!({ "form": bad }))["field"], "from");

    let claim = app.ok("add_claim", json!({ "form": form }));
    assert_eq!(claim["amount"], q["amount"]);
    let dup = app.err("add_claim", json!({ "form": form }));
    assert_eq!(dup["code"], "duplicate_claim");
    assert_eq!(app.ok("recent_claims", json!({}))[0]["id"], claim["id"]);
    assert_eq!(app.ok("unlisted_claims", json!({}))[0]["policy"], "68-f1");

    let list = app.ok(
        "create_list",
        json!({ "name": "Đợt 1", "policies": ["68-f1"] }),
    );
    assert_eq!(list["claims"], 1);
    let id = list["id"].clone();
    // The posting's day is the one it went up on the board, never a day still to come.
    let future = app.err("post_list", json!({ "list": id, "postedOn": "01/01/2999" }));
    assert_eq!(future["code"], "date_out_of_order", "{future}");
    assert_eq!(future["field"], "postedOn");
    let posted = app.ok("post_list", json!({ "list": id, "postedOn": "01/09/2021" }));
    assert!(posted["posted_at"].is_string());
    assert_eq!(posted["posted_on"], "2021-09-01");
    let refused = app.err(
        "approve_list",
        json!({ "list": id, "decisionNo": "123/QĐ-UBND", "decisionDate": "05/09/2021" }),
    );
    assert_eq!(refused["code"], "approver_is_recorder");
    assert!(refused["message"]
        .as_str()
        .unwrap()
        .starts_with("Người phê duyệt"));
    // Only an approver (or admin) approves: Cường, an officer, is refused; Bình, an approver, may.
    app.add_user(CUONG, "officer");
    app.add_user(BINH, "approver");
    app.as_user(CUONG);
    let officer = app.err(
        "approve_list",
        json!({ "list": id, "decisionNo": "123/QĐ-UBND", "decisionDate": "05/09/2021" }),
    );
    assert_eq!(officer["code"], "role_required");
    app.as_user(BINH);
    let bad_date = app.err(
        "approve_list",
        json!({ "list": id, "decisionNo": "123/QĐ-UBND", "decisionDate": "hôm qua" }),
    );
    assert_eq!(bad_date["field"], "decisionDate");
    // A decision is taken after the list was posted (issue 13): refused at its date, nothing recorded.
    let before_posting = app.err(
        "approve_list",
        json!({ "list": id, "decisionNo": "123/QĐ-UBND", "decisionDate": "31/08/2021" }),
    );
    assert_eq!(
        before_posting["code"], "date_out_of_order",
        "{before_posting}"
    );
    assert_eq!(before_posting["field"], "decisionDate");
    assert!(before_posting["message"]
        .as_str()
        .unwrap()
        .contains("ngày niêm yết (01/09/2021)"));
    let approved = app.ok(
        "approve_list",
        json!({ "list": id, "decisionNo": "123/QĐ-UBND", "decisionDate": "05/09/2021" }),
    );
    assert_eq!(approved["decision_date"], "2021-09-05");
    let page = app.ok("list_page", json!({ "list": id, "offset": 0 }));
    assert_eq!(page["items"][0]["status"], "approved");

    // Whoever decides does not hand out the money.
    let pay = json!({ "list": id, "claim": claim["id"], "paidOn": "10/09/2021", "method": "cash" });
    assert_eq!(app.err("pay", pay.clone())["code"], "role_required");
    app.as_user(AN);
    let paid = app.ok("pay", pay.clone());
    assert_eq!(paid["count"], 1);
    let second = app.err("pay", pay.clone());
    assert_eq!(second["code"], "duplicate_payout");
    assert!(second["message"]
        .as_str()
        .unwrap()
        .contains("không được chi trả lần thứ hai"));

    let payout = app.ok("live_payout_of", json!({ "claim": claim["id"] }));
    assert_eq!(payout, paid["payout_id"]);
    // An paid it, so An (an admin, who may reverse) may not reverse it.
    let own = app.err(
        "reverse",
        json!({ "payout": payout, "reason": "Chi nhầm người", "reversedOn": "11/09/2021" }),
    );
    assert_eq!(own["code"], "reverser_is_payer", "{own}");
    app.as_user(BINH);
    let short = app.err(
        "reverse",
        json!({ "payout": payout, "reason": "sai", "reversedOn": "11/09/2021" }),
    );
    assert_eq!(short["code"], "invalid_input");
    app.ok(
        "reverse",
        json!({ "payout": payout, "reason": "Chi nhầm người", "reversedOn": "11/09/2021" }),
    );
    assert_eq!(
        app.ok("live_payout_of", json!({ "claim": claim["id"] })),
        Value::Null
    );
    assert_eq!(
        app.ok("list_items", json!({ "list": id }))[0]["status"],
        "approved"
    );
    let summary = app.ok("report_summary", json!({}));
    assert_eq!(summary["reversals"], 1);
    let audit = app.ok("recent_audit", json!({}));
    assert_eq!(audit[0]["action"], "reverse");
    let v = app.ok("verify", json!({}));
    assert_eq!(v["mismatched_payouts"], 0);
    assert_eq!(app.ok("lists", json!({}))[0]["paid"], 0);
    assert!(app.ok("policies", json!({})).as_array().unwrap().len() >= 10);
}

#[test]
fn demo_data_fills_a_new_office() {
    let app = real_app();
    let t = std::time::Instant::now();
    let status = app.init(true);
    eprintln!(
        "demo data ({} people): {:?}",
        super::DEMO_PEOPLE,
        t.elapsed()
    );
    assert_eq!(status["office"]["ward"], "Giang Biên");
    let page = app.ok("people_page", json!({ "offset": 100 }));
    assert_eq!(page["total"], super::DEMO_PEOPLE);
    assert_eq!(page["people"].as_array().unwrap().len(), 100);
    let summary = app.ok("report_summary", json!({}));
    assert!(summary["rows"].as_array().unwrap().len() >= 5, "{summary}");
}

#[test]
fn a_demo_load_reports_progress_and_keeps_whole_chunks_when_stopped() {
    use super::{run_demo, Jobs, Progress};
    let dir = tempfile::tempdir().unwrap();
    let (state, an) = office_state(dir.path());
    let jobs = Jobs::default();
    assert!(!jobs.cancel(), "nothing is running");
    let bad = run_demo(&state, &jobs, 0, &an, |_| {}).unwrap_err();
    assert_eq!(bad.field.as_deref(), Some("people"));

    // Stop as soon as the first chunk of 5,000 is written: that chunk is kept whole.
    let mut seen = Vec::new();
    let outcome = run_demo(&state, &jobs, 12_000, &an, |p| {
        seen.push(p);
        if p.done > 0 {
            assert!(jobs.cancel(), "the load is running");
        }
    })
    .unwrap();
    assert_eq!(
        seen,
        [
            Progress {
                done: 0,
                total: 12_000
            },
            Progress {
                done: 5_000,
                total: 12_000
            }
        ]
    );
    assert!(outcome.cancelled);
    assert_eq!((outcome.written, outcome.people), (5_000, 5_000));
    assert!(outcome.claims >= 5_000, "{outcome:?}");
    // The ledger is not empty any more, so a second load is refused rather than mixed in.
    let again = run_demo(&state, &jobs, 10, &an, |_| {}).unwrap_err();
    assert_eq!(again.code, "not_empty");
    assert!(!jobs.cancel(), "the switch is released after a load");
}

#[test]
fn load_demo_through_ipc_runs_in_the_background_and_says_what_it_wrote() {
    let app = real_app();
    app.init(false);
    let out = app.ok(
        "load_demo",
        json!({ "people": 300, "onProgress": "__CHANNEL__:7" }),
    );
    assert_eq!(out["cancelled"], false);
    assert_eq!(out["written"], 300);
    assert_eq!(out["people"], 300);
    assert_eq!(app.ok("people_page", json!({ "offset": 0 }))["total"], 300);
    assert_eq!(app.ok("cancel_demo", json!({})), json!(false));
    let again = app.err(
        "load_demo",
        json!({ "people": 10, "onProgress": "__CHANNEL__:8" }),
    );
    assert_eq!(again["code"], "not_empty");
    assert!(again["message"].as_str().unwrap().contains("sổ chưa có ai"));
}

#[test]
fn household_and_group_claims_through_the_commands() {
    let app = real_app();
    app.init(false);
    let head = app.ok(
        "add_person",
        json!({ "form": person_form("Nguyễn Thị Hương", "001185012345") }),
    );
    // A bad tax code and a missing name are refused next to their fields; the head must exist.
    let bad = app.err(
        "add_household",
        json!({ "form": { "name": "Hộ kinh doanh Hương", "headId": head["id"], "taxCode": "12ab" } }),
    );
    assert_eq!(bad["field"], "taxCode", "{bad}");
    let bad = app.err(
        "add_household",
        json!({ "form": { "name": " ", "headId": head["id"] } }),
    );
    assert_eq!(bad["field"], "name", "{bad}");
    let bad = app.err(
        "add_household",
        json!({ "form": { "name": "Hộ X", "headId": "khong-co" } }),
    );
    assert_eq!(bad["field"], "owner", "{bad}");
    let hh = app.ok(
        "add_household",
        json!({ "form": { "name": "Hộ kinh doanh bún chả Hương", "headId": head["id"],
                          "taxCode": "0101234567", "address": "Số 5 ngõ 12 Giang Biên" } }),
    );
    assert_eq!(hh["head_person_id"], head["id"]);
    let twice = app.err(
        "add_household",
        json!({ "form": { "name": "Hộ thứ hai", "headId": head["id"] } }),
    );
    assert_eq!(twice["field"], "owner", "{twice}");
    let found = app.ok(
        "find_units",
        json!({ "unit": "household", "query": "bun cha" }),
    );
    assert_eq!(found[0]["id"], hh["id"]);
    assert_eq!(found[0]["owner_name"], "Nguyễn Thị Hương");
    assert_eq!(
        app.ok(
            "find_units",
            json!({ "unit": "household", "query": "0101" })
        )[0]["id"],
        hh["id"]
    );
    assert_eq!(
        app.ok("find_units", json!({ "unit": "household", "query": "pho" })),
        json!([])
    );

    // A household-business claim: priced per household, no person needed.
    let form = json!({ "policy": "68-household-business", "subjectId": hh["id"],
                       "from": "01/08/2021", "to": "20/08/2021",
                       "flags": { "business_and_tax_registered": true, "stopped_by_authority": true } });
    let q = app.ok("quote", json!({ "form": form }));
    assert_eq!(
        (q["eligible"].clone(), q["amount"].clone()),
        (json!(true), json!(3_000_000)),
        "{q}"
    );
    let claim = app.ok("add_claim", json!({ "form": form }));
    assert_eq!(claim["unit"], "household");
    assert_eq!(claim["beneficiary_name"], "Hộ kinh doanh bún chả Hương");
    let missing = app.err(
        "add_claim",
        json!({ "form": { "policy": "68-household-business", "from": "01/08/2021", "to": "20/08/2021" } }),
    );
    assert_eq!(missing["field"], "person", "{missing}");
    assert!(missing["message"]
        .as_str()
        .unwrap()
        .contains("hộ kinh doanh"));

    // A preschool group, paid per group.
    let group = app.ok(
        "add_group",
        json!({ "form": { "name": "Nhóm trẻ Hoa Sen", "ownerId": head["id"], "address": "Tổ 3" } }),
    );
    let groups = app.ok("find_units", json!({ "unit": "group", "query": "hoa sen" }));
    assert_eq!(groups[0]["id"], group);
    let claim = app.ok(
        "add_claim",
        json!({ "form": { "policy": "hn-15-preschool-group", "subjectId": group, "from": "01/08/2021", "to": "31/08/2021" } }),
    );
    assert_eq!(
        (claim["unit"].clone(), claim["amount"].clone()),
        (json!("group"), json!(3_000_000))
    );
    let unknown = app.err("find_units", json!({ "unit": "city", "query": "" }));
    assert_eq!(unknown["code"], "invalid_input");
}

#[test]
fn editing_a_person_keeps_their_documents_and_names_the_field_of_a_refusal() {
    let app = real_app();
    app.init(false);
    let p = app.ok(
        "add_person",
        json!({ "form": person_form("Nguyen Thi Huong", "001185012345") }),
    );
    let mut edit = person_form("Nguyễn Thị Hương", "");
    edit["address"] = json!("Số 7 ngõ 12 Giang Biên");
    let after = app.ok("update_person", json!({ "id": p["id"], "form": edit }));
    assert_eq!(after["full_name"], "Nguyễn Thị Hương");
    assert_eq!(after["address"], "Số 7 ngõ 12 Giang Biên");
    assert_eq!(after["ids"][0]["number"], "001185012345");
    // A date of birth her CCCD contradicts (born 1985 per the number) is refused at the date field.
    let mut wrong = edit.clone();
    wrong["dob"] = json!("12/03/1990");
    let err = app.err("update_person", json!({ "id": p["id"], "form": wrong }));
    assert_eq!(err["field"], "dob", "{err}");
    let mut unparsable = edit.clone();
    unparsable["dob"] = json!("30/02/1985");
    let err = app.err(
        "update_person",
        json!({ "id": p["id"], "form": unparsable }),
    );
    assert_eq!(
        (err["field"].clone(), err["code"].clone()),
        (json!("dob"), json!("invalid_date"))
    );
    let mut nameless = edit.clone();
    nameless["fullName"] = json!("");
    let err = app.err("update_person", json!({ "id": p["id"], "form": nameless }));
    assert_eq!(err["field"], "fullName", "{err}");
    assert_eq!(
        app.ok("search_people", json!({ "query": "huong" }))[0]["address"],
        "Số 7 ngõ 12 Giang Biên"
    );
    assert_eq!(
        app.ok("recent_audit", json!({}))[0]["action"],
        "update_person"
    );
}

#[test]
fn conditions_carry_their_question_and_required_ones_must_be_answered() {
    let app = real_app();
    app.init(false);
    let policies = app.ok("policies", json!({}));
    let freelance = policies
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "hn-3642-freelance")
        .unwrap();
    let cond = &freelance["conditions"][0];
    assert_eq!(cond["fact"], "resident_hanoi");
    assert_eq!(cond["must"], true);
    assert!(cond["question"].as_str().unwrap().contains("Hà Nội"));
    let p = app.ok(
        "add_person",
        json!({ "form": person_form("Nguyễn Thị Hương", "001185012345") }),
    );
    let form = json!({ "policy": "hn-3642-freelance", "personId": p["id"], "from": "01/08/2021" });
    let q = app.ok("quote", json!({ "form": form }));
    assert_eq!(q["eligible"], false);
    let reasons = q["reasons"].to_string();
    assert!(reasons.contains("Chưa xác nhận"), "{reasons}");
    let mut yes = form.clone();
    yes["flags"] = json!({ "resident_hanoi": true });
    assert_eq!(app.ok("quote", json!({ "form": yes }))["eligible"], true);
}

/// Issue 14, "confidence where money is approved": a Res. 68 suspension of 30 days pays the one-month tier,
/// whose reading of "01 tháng (30 ngày)" no legal text has confirmed yet. Saving says what was not checked
/// (no filing date: the 31/01/2022 deadline); the list's page and lines carry the unconfirmed parts, its
/// summary counts them for the approver, and the posting list marks the amount; a confirmed line carries none.
#[test]
fn a_list_line_resting_on_an_unconfirmed_rate_says_so_before_approval() {
    let app = real_app();
    app.init(false);
    let p = app.ok(
        "add_person",
        json!({ "form": person_form("Nguyễn Thị Hương", "001185012345") }),
    );
    let suspension = json!({ "policy": "68-suspension", "personId": p["id"], "from": "01/07/2021", "to": "30/07/2021",
                             "flags": { "social_insurance": true, "employer_suspended": true } });
    let q = app.ok("quote", json!({ "form": suspension }));
    assert_eq!(q["eligible"], true, "{q}");
    assert_eq!(q["amount"], 3_710_000);
    let claim = app.ok("add_claim", json!({ "form": suspension }));
    assert_eq!(claim["amount"], 3_710_000);
    assert!(
        claim["lines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["confidence"] == "unconfirmed"),
        "{claim}"
    );
    // The record's notes reach the claim form, which shows them after saving.
    let notes = claim["notes"].to_string();
    assert!(notes.contains("31/01/2022"), "{notes}");
    app.add_user(BINH, "approver");
    let tam = app.ok(
        "add_person",
        json!({ "form": person_form("Lê Thị Tám", "001185009999") }),
    );
    let f1 = json!({ "policy": "68-f1", "personId": tam["id"], "from": "01/08/2021", "to": "21/08/2021",
                     "flags": { "quarantine_decision": true } });
    let confirmed = app.ok("add_claim", json!({ "form": f1 }));
    assert!(confirmed.get("notes").is_none(), "{confirmed}");

    let list = app.ok("create_list", json!({ "name": "Đợt 1", "policies": [] }));
    assert_eq!(list["claims"], 2);
    let id = list["id"].clone();
    let page = app.ok("list_page", json!({ "list": id, "offset": 0 }));
    let line = |items: &Value, claim: &Value| -> Value {
        items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["claim_id"] == claim["id"])
            .cloned()
            .unwrap()
    };
    let marked = line(&page["items"], &claim);
    let parts: Vec<&str> = marked["unconfirmed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(
        parts.contains(&"Từ 01 tháng (30 ngày) trở lên: CHƯA XÁC NHẬN"),
        "{parts:?}"
    );
    assert!(
        parts
            .iter()
            .any(|p| p.starts_with("Chưa kiểm tra: hạn nộp hồ sơ 31/01/2022")),
        "{parts:?}"
    );
    // A line whose amount every text confirms carries no `unconfirmed` at all.
    assert!(line(&page["items"], &confirmed)
        .get("unconfirmed")
        .is_none());
    let items = app.ok("list_items", json!({ "list": id }));
    assert_eq!(line(&items, &claim)["unconfirmed"], marked["unconfirmed"]);

    // The summary above the approve form: the whole list's lines, each part once with its count.
    let summary = app.ok("list_unconfirmed", json!({ "list": id }));
    assert_eq!(summary["lines"], 1, "{summary}");
    assert_eq!(summary["amount"], 3_710_000);
    let listed = summary["parts"].as_array().unwrap();
    assert_eq!(listed.len(), parts.len(), "{summary}");
    for (got, part) in listed.iter().zip(&parts) {
        assert_eq!(got["policy"], "68-suspension");
        assert_eq!(got["part"], *part);
        assert_eq!(got["lines"], 1);
    }
    assert_eq!(
        app.err("list_unconfirmed", json!({ "list": "khong-co-ds" }))["code"],
        "not_found"
    );

    // The posting list the lists screen prints is the core's, its amount marked (*) with the footnote.
    let posting = app.ok("sheet_html", json!({ "kind": "posting-list", "list": id }));
    let posting = posting.as_str().unwrap();
    assert!(posting.contains("3.710.000 (*)"), "{posting}");
    assert!(posting.contains("Từ 01 tháng (30 ngày) trở lên: CHƯA XÁC NHẬN — 1 dòng"));
    // Still marked once approved: the payer sees it too.
    app.ok("post_list", json!({ "list": id, "postedOn": "01/09/2021" }));
    app.as_user(BINH);
    app.ok(
        "approve_list",
        json!({ "list": id, "decisionNo": "123/QĐ-UBND", "decisionDate": "05/09/2021" }),
    );
    let page = app.ok("list_page", json!({ "list": id, "offset": 0 }));
    assert_eq!(
        line(&page["items"], &claim)["unconfirmed"],
        marked["unconfirmed"]
    );
    assert_eq!(app.ok("list_unconfirmed", json!({ "list": id })), summary);
}

/// The summary counts lines, not parts: a part shared by two policies is listed under each, the most
/// frequent first, ties in posting order; lines with nothing unconfirmed count nowhere.
#[test]
fn the_unconfirmed_summary_counts_each_part_per_policy() {
    use crate::commands::UnconfirmedSummary;
    use relief_ledger::ledger::ListItem;
    use relief_ledger::Money;
    let line = |policy: &str, amount: i64, parts: &[&str]| ListItem {
        claim_id: format!("{policy}-{amount}"),
        policy: policy.into(),
        name: "Nguyễn Thị Hương".into(),
        id_number: None,
        residential_group: None,
        amount: Money::from_dong(amount),
        status: "listed".into(),
        payout_id: None,
        unconfirmed: parts.iter().map(|p| p.to_string()).collect(),
    };
    let once = "Hỗ trợ một lần: CHƯA XÁC NHẬN";
    let month = "Từ 01 tháng (30 ngày) trở lên: CHƯA XÁC NHẬN";
    let deadline = "Chưa kiểm tra: hạn nộp hồ sơ 31/01/2022 (chưa có ngày nộp): CHƯA XÁC NHẬN";
    let summary = UnconfirmedSummary::of(&[
        line("hn-15-poor", 1_500_000, &[once]),
        line("68-suspension", 3_710_000, &[month, deadline]),
        line("68-f1", 1_680_000, &[]),
        line("mttq-topup", 500_000, &[once]),
        line("68-suspension", 3_720_000, &[month]),
    ]);
    assert_eq!(summary.lines, 4);
    assert_eq!(summary.amount, Money::from_dong(9_430_000));
    let parts: Vec<(&str, &str, usize)> = summary
        .parts
        .iter()
        .map(|p| (p.policy.as_str(), p.part.as_str(), p.lines))
        .collect();
    assert_eq!(
        parts,
        [
            ("68-suspension", month, 2),
            ("hn-15-poor", once, 1),
            ("68-suspension", deadline, 1),
            ("mttq-topup", once, 1),
        ]
    );
    assert_eq!(UnconfirmedSummary::of(&[]).lines, 0);
}

/// A ward-file fixture of the core's tests, copied into `dir` (the rejects file is written beside it).
fn fixture(dir: &std::path::Path, name: &str) -> String {
    let from = format!(
        "{}/../tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let to = dir.join(name);
    std::fs::copy(from, &to).unwrap();
    to.display().to_string()
}

fn import_args(path: &str, dry_run: bool, accept_valid: bool) -> Value {
    json!({ "path": path, "dryRun": dry_run, "acceptValid": accept_valid, "onProgress": "__CHANNEL__:9" })
}

#[test]
fn a_clean_ward_file_is_checked_then_imported_once() {
    let app = real_app();
    app.init(false);
    let file = fixture(app.dir.path(), "01_canonical_utf8_bom.csv");

    let check = app.ok("import_file", import_args(&file, true, false));
    assert_eq!(check["encoding_label"], "UTF-8 (có BOM)");
    assert_eq!(check["delimiter"], "dấu phẩy (,)");
    assert_eq!(check["header_line"], 1);
    let columns = check["columns"].as_array().unwrap();
    assert_eq!(columns.len(), 25);
    assert!(
        columns.iter().all(|c| c["read_as"] == c["header"]),
        "{check}"
    );
    assert_eq!(
        (
            &check["rows_read"],
            &check["rows_added"],
            &check["rows_rejected"]
        ),
        (&json!(8), &json!(8), &json!(0))
    );
    assert_eq!(check["amount_added"], 17_185_000);
    assert_eq!(check["committed"], false);
    assert_eq!(
        app.ok("people_page", json!({ "offset": 0 }))["total"],
        0,
        "a check writes nothing"
    );

    let done = app.ok("import_file", import_args(&file, false, false));
    assert_eq!(done["committed"], true);
    assert_eq!(done["rows_added"], 8);
    assert_eq!(done["amount_added"], 17_185_000);
    assert_eq!(done["rejects_file"], Value::Null);
    assert_eq!(app.ok("people_page", json!({ "offset": 0 }))["total"], 8);
    assert_eq!(app.ok("recent_audit", json!({}))[0]["action"], "import");
    // The same file again: every row is already there, nothing is added twice.
    let again = app.ok("import_file", import_args(&file, false, false));
    assert_eq!(
        (&again["rows_already_present"], &again["rows_added"]),
        (&json!(8), &json!(0))
    );
    assert_eq!(again["committed"], false);
    assert_eq!(app.ok("people_page", json!({ "offset": 0 }))["total"], 8);
}

#[test]
fn a_file_with_problems_is_all_or_nothing_unless_the_good_rows_are_kept() {
    let app = real_app();
    app.init(false);
    let file = fixture(app.dir.path(), "07_problems.csv");
    let rejects = app.dir.path().join("07_problems.bi-tu-choi.csv");

    let check = app.ok("import_file", import_args(&file, true, false));
    assert_eq!(
        (
            &check["rows_read"],
            &check["rows_added"],
            &check["rows_rejected"]
        ),
        (&json!(14), &json!(3), &json!(11))
    );
    let problems = check["problems"].as_array().unwrap();
    assert_eq!(check["problems_total"], problems.len());
    // Line 4: the CCCD Excel stored as a number, its leading zeros dropped.
    let line4 = problems.iter().find(|p| p["line"] == 4).unwrap();
    assert_eq!(line4["column"], "Số CCCD/CMND");
    assert_eq!(line4["value"], "1085012345");
    assert!(!rejects.exists(), "a check writes no rejects file");

    // All-or-nothing: nothing is written while a row is rejected.
    let refused = app.ok("import_file", import_args(&file, false, false));
    assert_eq!(refused["committed"], false);
    assert_eq!(refused["rows_rejected"], 11);
    assert_eq!(app.ok("people_page", json!({ "offset": 0 }))["total"], 0);
    assert!(!rejects.exists());

    // The good rows only: three added, the eleven others written back with their reasons.
    let kept = app.ok("import_file", import_args(&file, false, true));
    assert_eq!(kept["committed"], true);
    assert_eq!(kept["rows_added"], 3);
    assert_eq!(kept["amount_added"], 4_500_000);
    assert_eq!(kept["rejects_file"], rejects.display().to_string());
    let text = std::fs::read(&rejects).unwrap();
    assert!(text.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(text).unwrap();
    assert_eq!(text.lines().count(), 12, "{text}");
    assert!(text.lines().next().unwrap().ends_with("Lý do bị từ chối"));
    assert_eq!(app.ok("people_page", json!({ "offset": 0 }))["total"], 3);
}

#[test]
fn an_import_path_is_checked_before_the_file_is_read() {
    let app = real_app();
    app.init(false);
    let missing = app.dir.path().join("khong-co.csv").display().to_string();
    let dir = app.dir.path().display().to_string();
    for (path, code) in [
        ("  ", "invalid_input"),
        ("danh-sach.csv", "invalid_input"),
        (missing.as_str(), "file_unreadable"),
        (dir.as_str(), "file_unreadable"),
    ] {
        let err = app.err("import_file", import_args(path, true, false));
        assert_eq!(
            (err["code"].as_str(), err["field"].as_str()),
            (Some(code), Some("path")),
            "{path}: {err}"
        );
    }
    // A file the core refuses as a whole (no header row it can read) says why, in Vietnamese.
    let notes = app.dir.path().join("ghi-chu.csv");
    std::fs::write(&notes, "Ghi chú cuộc họp\nkhông phải danh sách\n").unwrap();
    let err = app.err(
        "import_file",
        import_args(&notes.display().to_string(), true, false),
    );
    assert_eq!(err["code"], "file_unreadable");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("không tìm thấy dòng tiêu đề"),
        "{err}"
    );
}

#[test]
fn a_stopped_import_writes_nothing_and_one_long_job_runs_at_a_time() {
    use super::{files::run_import, Job, Jobs};
    use relief_ledger::import::ImportOptions;
    let dir = tempfile::tempdir().unwrap();
    let (state, an) = office_state(dir.path());
    let file = std::path::PathBuf::from(fixture(dir.path(), "01_canonical_utf8_bom.csv"));
    let options = ImportOptions::default();
    let jobs = Jobs::default();
    // Stopped at its first progress report: the one transaction is not committed.
    let mut reports = 0;
    let stopped = run_import(&state, &jobs, &file, &options, &an, |_| {
        reports += 1;
        assert!(jobs.cancel(), "the import is running");
    })
    .unwrap_err();
    assert_eq!(stopped.code, "cancelled");
    assert!(stopped.message.contains("Sổ không thay đổi"), "{stopped}");
    assert_eq!(reports, 1);
    let people = state.with(|l| Ok(l.people_page(0, 1)?.total)).unwrap();
    assert_eq!(people, 0);
    assert!(!jobs.cancel(), "the switch is released after a stop");

    // While a demo load runs, an import waits its turn, and is told why.
    {
        let _demo = jobs.begin(Job::Demo).unwrap();
        let busy = run_import(&state, &jobs, &file, &options, &an, |_| {}).unwrap_err();
        assert_eq!(busy.code, "busy");
        assert!(busy.message.contains("dữ liệu mẫu"), "{busy}");
    }
    let done = run_import(&state, &jobs, &file, &options, &an, |_| {}).unwrap();
    assert!(done.committed);
    assert_eq!(done.rows_added, 8);
}

#[test]
fn exports_are_excel_ready_csv_files_where_the_officer_says() {
    let app = real_app();
    app.init(false);
    let file = fixture(app.dir.path(), "01_canonical_utf8_bom.csv");
    app.ok("import_file", import_args(&file, false, false));

    let out = app.dir.path().join("so-ho-so.csv");
    let path = out.display().to_string();
    let written = app.ok(
        "export_file",
        json!({ "kind": "claims", "list": null, "semicolon": false, "path": path }),
    );
    assert_eq!(written["rows"], 8);
    assert_eq!(written["file"], path);
    let bytes = std::fs::read(&out).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "Excel reads UTF-8 by its BOM"
    );
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(text.lines().count(), 9, "header + 8 claims");
    assert!(text.contains("Trần Thị Thu Trang"));

    // A name ending in .xlsx (the default the app offers) is an Excel workbook of the same rows.
    let book = app.dir.path().join("so-ho-so.xlsx");
    let written = app.ok(
        "export_file",
        json!({ "kind": "claims", "list": null, "semicolon": false, "path": book.display().to_string() }),
    );
    assert_eq!(written["rows"], 8);
    assert!(
        std::fs::read(&book).unwrap().starts_with(b"PK\x03\x04"),
        "a workbook"
    );

    // `;` for an Excel whose decimal mark is the comma; the template the same way.
    let semi = app.dir.path().join("tong-hop.csv");
    app.ok(
        "export_file",
        json!({ "kind": "summary", "list": null, "semicolon": true, "path": semi.display().to_string() }),
    );
    let header = std::fs::read_to_string(&semi).unwrap();
    assert!(header.lines().next().unwrap().contains(';'), "{header}");
    let template = app.dir.path().join("mau.csv");
    app.ok(
        "export_file",
        json!({ "kind": "template", "list": null, "semicolon": false, "path": template.display().to_string() }),
    );
    assert!(std::fs::read(&template)
        .unwrap()
        .starts_with(b"\xEF\xBB\xBF"));
    // A file already there is not replaced unless the officer says so (issue 13).
    std::fs::write(&semi, "giữ nguyên").unwrap();
    let exists = app.err(
        "export_file",
        json!({ "kind": "summary", "list": null, "semicolon": true, "path": semi.display().to_string() }),
    );
    assert_eq!(exists["code"], "file_exists", "{exists}");
    assert_eq!(exists["field"], "path");
    assert!(exists["message"].as_str().unwrap().contains("tong-hop.csv"));
    assert_eq!(std::fs::read_to_string(&semi).unwrap(), "giữ nguyên");
    app.ok(
        "export_file",
        json!({ "kind": "summary", "list": null, "semicolon": true, "path": semi.display().to_string(), "replace": true }),
    );
    assert!(std::fs::read_to_string(&semi).unwrap().contains(';'));

    // Refusals: a folder that does not exist, a folder for a file, an unknown kind or list.
    let nowhere = app.dir.path().join("khong-co/x.csv").display().to_string();
    let here = app.dir.path().display().to_string();
    for path in [nowhere, here, String::new()] {
        let err = app.err(
            "export_file",
            json!({ "kind": "claims", "list": null, "semicolon": false, "path": path }),
        );
        assert_eq!(err["field"], "path", "{path}: {err}");
    }
    let err = app.err(
        "export_file",
        json!({ "kind": "bang-luong", "list": null, "semicolon": false, "path": path }),
    );
    assert_eq!(err["code"], "invalid_input");
    let err = app.err(
        "export_file",
        json!({ "kind": "payouts", "list": "khong-co-ds", "semicolon": false, "path": path, "replace": true }),
    );
    assert_eq!(err["code"], "not_found");

    // The default destination: the documents (or home) folder with the kind's file name.
    let default = app.ok("default_export_path", json!({ "kind": "claims" }));
    assert!(
        default.as_str().unwrap().ends_with("/so-ho-so.xlsx"),
        "{default}"
    );
    let sheet = app.ok("default_export_path", json!({ "kind": "posting-list" }));
    assert!(
        sheet
            .as_str()
            .unwrap()
            .ends_with("/danh-sach-niem-yet.html"),
        "{sheet}"
    );
    assert_eq!(
        app.err("default_export_path", json!({ "kind": "x" }))["code"],
        "invalid_input"
    );
}

#[test]
fn the_printable_sheets_of_a_list_come_from_the_core() {
    let app = real_app();
    app.init(false);
    let file = fixture(app.dir.path(), "01_canonical_utf8_bom.csv");
    app.ok("import_file", import_args(&file, false, false));
    let list = app.ok("create_list", json!({ "name": "Đợt 1", "policies": [] }));
    assert_eq!(list["claims"], 8);
    let posting = app.ok(
        "sheet_html",
        json!({ "kind": "posting-list", "list": list["id"] }),
    );
    let posting = posting.as_str().unwrap();
    assert!(posting.contains("DANH SÁCH NIÊM YẾT CÔNG KHAI"));
    assert!(posting.contains("UBND PHƯỜNG GIANG BIÊN"));
    let sheet = app.ok(
        "sheet_html",
        json!({ "kind": "payout-sheet", "list": list["id"] }),
    );
    assert!(sheet.as_str().unwrap().contains("Ký nhận"));
    let out = app.dir.path().join("niem-yet.html");
    let saved = app.ok(
        "save_sheet",
        json!({ "kind": "posting-list", "list": list["id"], "path": out.display().to_string() }),
    );
    assert_eq!(saved["file"], out.display().to_string());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), posting);
    let bad = app.err("sheet_html", json!({ "kind": "x", "list": list["id"] }));
    assert_eq!(bad["field"], "kind");
    let none = app.err(
        "sheet_html",
        json!({ "kind": "payout-sheet", "list": "khong-co-ds" }),
    );
    assert_eq!(none["code"], "not_found");
}

/// A ward office where Nguyễn Thị Hương was registered twice (once with her CCCD, once with her old
/// CMND) and paid the F1 support on both records through the whole flow (claim, list, posting,
/// approval by Bình, payout); Cường is the auditor. Returns the amount paid on each record.
fn paid_twice(app: &TestApp) -> i64 {
    app.init(false);
    let mut cmnd = person_form("Nguyễn Thị Hương", "");
    cmnd["cmnd"] = json!("012345678");
    for form in [person_form("Nguyễn Thị Hương", "001185012345"), cmnd] {
        // The desk was warned about the second one and went on (the mistake the audit later finds).
        let despite = "Chưa đối chiếu hồ sơ cũ";
        let p = app.ok("add_person", json!({ "form": form, "despite": despite }));
        let claim = json!({ "policy": "68-f1", "personId": p["id"], "from": "01/08/2021",
                            "to": "21/08/2021", "flags": { "quarantine_decision": true } });
        app.ok("add_claim", json!({ "form": claim }));
    }
    let list = app.ok(
        "create_list",
        json!({ "name": "Đợt 1", "policies": ["68-f1"] }),
    );
    assert_eq!(list["claims"], 2);
    app.ok(
        "post_list",
        json!({ "list": list["id"], "postedOn": "01/09/2021" }),
    );
    for (name, role) in [
        (BINH, "approver"),
        (CUONG, "auditor"),
        ("Phạm Văn Lạ", "officer"),
    ] {
        app.add_user(name, role);
    }
    app.as_user(BINH);
    app.ok(
        "approve_list",
        json!({ "list": list["id"], "decisionNo": "125/QĐ-UBND", "decisionDate": "05/09/2021" }),
    );
    app.as_user(AN);
    let paid = app.ok(
        "pay",
        json!({ "list": list["id"], "claim": null, "paidOn": "10/09/2021", "method": "cash" }),
    );
    assert_eq!(paid["count"], 2);
    80_000 * 21
}

/// Another ward's list naming her with a digit of her CCCD dropped, a stranger, and a row with nothing
/// to compare (line 4).
fn ward_list(dir: &std::path::Path) -> String {
    let path = dir.join("phuc-dong.csv");
    std::fs::write(
        &path,
        "STT,Họ và tên,Ngày sinh,Giới tính,Số CCCD/CMND,Địa chỉ,Phường,Chính sách,Số tiền\n\
         1,Nguyễn Thị Hương,12/03/1985,Nữ,00118501234,Số 5 ngõ 12 Giang Biên,Phúc Đồng,68-f1,1.680.000\n\
         2,Lê Văn Tám,05/06/1970,Nam,001070009999,Tổ 1,Phúc Đồng,68-f1,1.680.000\n\
         3,,,,,,,68-f1,\n",
    )
    .unwrap();
    path.display().to_string()
}

fn check_args(sources: &[&str]) -> Value {
    json!({ "sources": sources, "onProgress": "__CHANNEL__:9" })
}

#[test]
fn a_duplicate_check_finds_the_pair_paid_twice_first_and_a_decision_builds_the_recovery_list() {
    let app = real_app();
    let amount = paid_twice(&app);
    let file = ward_list(app.dir.path());
    assert_eq!(
        app.ok("duplicate_summary", json!({})),
        Value::Null,
        "no run yet"
    );
    assert_eq!(
        app.err("duplicate_pairs", json!({ "filter": "all", "offset": 0 }))["code"],
        "no_check"
    );

    // Cường, the auditor, runs the check.
    app.as_user(CUONG);
    let summary = app.ok("check_duplicates", check_args(&[&file]));
    assert_eq!(summary["ledger"], "Sổ phường Giang Biên");
    assert_eq!(summary["paid_twice"], 1, "{summary}");
    assert_eq!(summary["at_stake_total"], amount);
    assert_eq!(summary["pairs"], summary["open"]);
    let pairs = summary["pairs"].as_u64().unwrap();
    assert!(
        pairs >= 3,
        "CCCD/CMND in the ledger, and both against the list: {summary}"
    );
    let sources = summary["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 2);
    assert_eq!(
        (&sources[0]["kind"], &sources[0]["people"]),
        (&json!("ledger"), &json!(2))
    );
    assert_eq!(sources[1]["source"], file);
    assert_eq!(sources[1]["people"], 2);
    assert_eq!(sources[1]["nothing_to_compare"], 1, "{summary}");
    assert_eq!(sources[1]["nothing_lines"], json!([4]));
    assert_eq!(app.ok("duplicate_summary", json!({})), summary);
    assert_eq!(
        app.ok("recent_audit", json!({}))[0]["action"],
        "duplicate_check"
    );

    // Paid twice first, with its reasons in words and codes.
    let page = app.ok("duplicate_pairs", json!({ "filter": "all", "offset": 0 }));
    assert_eq!(page["total"], pairs);
    assert_eq!(page["counts"]["paid_twice"], 1);
    let first = &page["pairs"][0];
    assert_eq!(first["n"], 1);
    assert_eq!(first["conflict"], "paid_twice");
    assert_eq!(first["at_stake"], amount);
    let codes: Vec<&str> = first["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    for code in ["cmnd_and_cccd", "same_name", "same_dob", "paid_same_policy"] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    assert!(first["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| !r["text"].as_str().unwrap().is_empty()));
    assert_eq!(first["a"]["name"], "Nguyễn Thị Hương");
    assert_eq!(first["a"]["payments"][0]["state"], "paid");
    // The list's row: a digit dropped, only listed there, so claimed twice rather than paid twice.
    let listed = page["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["b"]["source"] == file && p["b"]["ids"][0]["number"] == "00118501234")
        .unwrap_or_else(|| panic!("the list's row is paired: {page}"));
    assert_eq!(listed["b"]["line"], 2);
    assert_eq!(listed["conflict"], "claimed_twice");
    assert!(
        listed["reasons"].to_string().contains("id_digit_dropped"),
        "{listed}"
    );
    let only_paid = app.ok(
        "duplicate_pairs",
        json!({ "filter": "paid_twice", "offset": 0 }),
    );
    assert_eq!(only_paid["total"], 1);
    assert_eq!(only_paid["pairs"][0]["key"], first["key"]);
    assert_eq!(
        app.err("duplicate_pairs", json!({ "filter": "some", "offset": 0 }))["field"],
        "filter"
    );

    // Only an auditor or admin decides; a note says what the decision rests on.
    let key = first["key"].clone();
    let decide = |actor: &str, same: bool, note: &str, key: &Value| {
        app.as_user(actor);
        app.call(
            "decide_duplicate",
            json!({ "key": key, "samePerson": same, "note": note }),
        )
    };
    let note = "Cùng ngày sinh, địa chỉ; CMND cũ và CCCD mới";
    for actor in [BINH, "Phạm Văn Lạ"] {
        let refused = decide(actor, true, note, &key).unwrap_err();
        assert_eq!(refused["code"], "role_required", "{actor}: {refused}");
        assert!(refused["message"].as_str().unwrap().contains("kiểm toán"));
    }
    let short = decide("Lê Văn Cường", true, "ok", &key).unwrap_err();
    assert_eq!(
        (short["code"].as_str(), short["field"].as_str()),
        (Some("invalid_input"), Some("note"))
    );
    assert_eq!(app.ok("recovery_list", json!({}))["items"], json!([]));

    let done = decide("Lê Văn Cường", true, note, &key).unwrap();
    assert_eq!(done["same_person"], true);
    assert_eq!(done["recovery_lines"], 1);
    assert_eq!(done["recovery_amount"], amount);
    assert_eq!(done["open"], pairs - 1);
    assert_eq!(
        decide("Lê Văn Cường", true, note, &key).unwrap_err()["code"],
        "already_decided"
    );
    let page = app.ok("duplicate_pairs", json!({ "filter": "all", "offset": 0 }));
    assert_eq!(page["total"], pairs - 1);
    assert!(page["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["key"] != key));
    assert_eq!(page["counts"]["paid_twice"], 0);
    assert_eq!(app.ok("duplicate_summary", json!({}))["decided"], 1);

    // The recovery list: the later payout, its amount, the basis and who decided.
    let recovery = app.ok("recovery_list", json!({}));
    assert_eq!(recovery["total"], amount);
    let line = &recovery["items"][0];
    assert_eq!(line["person_name"], "Nguyễn Thị Hương");
    assert_eq!(line["policy"], "68-f1");
    assert_eq!(line["amount"], amount);
    assert_eq!(line["paid_on"], "2021-09-10");
    assert_eq!(line["decision_no"], "125/QĐ-UBND");
    assert_eq!(line["decided_by"], "Lê Văn Cường");
    assert_eq!(line["note"], note);
    assert_eq!(line["source"], "Sổ phường Giang Biên");
    let basis = line["basis"].as_str().unwrap();
    assert!(
        basis.starts_with("Cùng một người với Nguyễn Thị Hương (Sổ phường Giang Biên"),
        "{basis}"
    );
    let sheet = app.ok(
        "sheet_html",
        json!({ "kind": "recovery-sheet", "list": "" }),
    );
    let sheet = sheet.as_str().unwrap();
    assert!(sheet.contains("DANH SÁCH THU HỒI"), "{sheet}");
    assert!(sheet.contains("1.680.000"));
    assert!(app
        .ok("default_export_path", json!({ "kind": "recovery" }))
        .as_str()
        .unwrap()
        .ends_with("/danh-sach-thu-hoi.xlsx"));

    // "Not the same person" adds nothing to recover; the pair stays hidden in the next run.
    let other = listed["key"].clone();
    let distinct = decide(
        "Nguyễn Văn An",
        false,
        "Khác quê quán theo hồ sơ gốc",
        &other,
    )
    .unwrap();
    assert_eq!(
        (&distinct["same_person"], &distinct["recovery_lines"]),
        (&json!(false), &json!(0))
    );
    let audit = app.ok("recent_audit", json!({}));
    let decisions: Vec<(&str, &str)> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"].as_str().unwrap().starts_with("duplicate_"))
        .map(|e| (e["action"].as_str().unwrap(), e["actor"].as_str().unwrap()))
        .collect();
    assert_eq!(
        decisions[..3],
        [
            ("duplicate_not_same_person", AN),
            ("duplicate_same_person", CUONG),
            ("duplicate_check", CUONG)
        ]
    );

    // Both files for Excel, where the auditor says.
    let csv = app.dir.path().join("thu-hoi.csv");
    let saved = app.ok(
        "export_duplicates",
        json!({ "kind": "recovery", "semicolon": true, "path": csv.display().to_string() }),
    );
    assert_eq!(saved["rows"], 1);
    let text = String::from_utf8(std::fs::read(&csv).unwrap()).unwrap();
    assert!(text.starts_with('\u{feff}'), "UTF-8 with BOM for Excel");
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.lines().next().unwrap().contains(';'));
    let csv = app.dir.path().join("cap.csv");
    let saved = app.ok(
        "export_duplicates",
        json!({ "kind": "duplicate-pairs", "semicolon": false, "path": csv.display().to_string() }),
    );
    assert_eq!(saved["rows"], pairs, "every pair of the run");
    let bad = app.err(
        "export_duplicates",
        json!({ "kind": "x", "semicolon": false, "path": csv.display().to_string() }),
    );
    assert_eq!(bad["field"], "kind");

    let again = app.ok("check_duplicates", check_args(&[&file]));
    assert_eq!(again["reviewed_hidden"], 2);
    assert_eq!(again["pairs"], pairs - 2);
    assert_eq!(again["paid_twice"], 0);
    assert_eq!(again["decided"], 0);
}

#[test]
fn a_large_run_comes_a_page_at_a_time_in_the_report_order() {
    use super::duplicates::PAIRS_PAGE;
    let app = real_app();
    app.init(false);
    // A generated district with duplicates planted in another ward's rows.
    let path = app.dir.path().join("quan.csv");
    let spec = relief_ledger::demo::DemoSpec {
        people: 1_500,
        wards: 2,
        seed: 7,
    };
    relief_ledger::demo::write_ward_file_planted(
        &spec,
        0.08,
        std::fs::File::create(&path).unwrap(),
        None,
    )
    .unwrap();
    let file = path.display().to_string();
    let summary = app.ok("check_duplicates", check_args(&[&file]));
    let total = summary["pairs"].as_u64().unwrap() as usize;
    assert!(total > 2 * PAIRS_PAGE, "{summary}");
    assert_eq!(
        summary["pairs"].as_u64().unwrap(),
        summary["certain"].as_u64().unwrap()
            + summary["likely"].as_u64().unwrap()
            + summary["possible"].as_u64().unwrap()
    );

    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = app.ok(
            "duplicate_pairs",
            json!({ "filter": "all", "offset": offset }),
        );
        assert_eq!(page["total"], total);
        assert_eq!(page["size"], PAIRS_PAGE);
        let pairs = page["pairs"].as_array().unwrap();
        assert!(pairs.len() <= PAIRS_PAGE);
        if pairs.is_empty() {
            break;
        }
        seen.extend(pairs.iter().map(|p| p["n"].as_u64().unwrap()));
        offset += pairs.len();
    }
    let expected: Vec<u64> = (1..=total as u64).collect();
    assert_eq!(seen, expected, "every pair once, in the report's order");

    // Certain and likely only: fewer, still in order.
    let strong = app.ok(
        "duplicate_pairs",
        json!({ "filter": "strong", "offset": 0 }),
    );
    let count = summary["certain"].as_u64().unwrap() + summary["likely"].as_u64().unwrap();
    assert_eq!(strong["total"], count);
    assert!(strong["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["class"] == "certain" || p["class"] == "likely"));
    // A list's rows are listed, not paid: nothing was paid twice in a file alone.
    assert_eq!(summary["paid_twice"], 0);
}

#[test]
fn a_duplicate_check_names_a_bad_source_and_stops_when_asked() {
    use super::duplicates::{pairs_page, run_check, Checks};
    use super::{Job, Jobs};
    let app = real_app();
    app.init(false);
    let file = ward_list(app.dir.path());
    let ledger = app.dir.path().join("ledger.sqlite").display().to_string();
    let missing = app.dir.path().join("khong-co.csv").display().to_string();
    for (sources, code) in [
        (vec![missing.as_str()], "file_unreadable"),
        (vec!["phuc-dong.csv"], "invalid_input"),
        (vec![file.as_str(), ledger.as_str()], "invalid_input"),
    ] {
        let err = app.err("check_duplicates", check_args(&sources));
        assert_eq!(
            (err["code"].as_str(), err["field"].as_str()),
            (Some(code), Some("sources")),
            "{sources:?}: {err}"
        );
    }
    assert_eq!(app.ok("duplicate_summary", json!({})), Value::Null);

    // Stopped at its first report: nothing kept, nothing recorded.
    let dir = tempfile::tempdir().unwrap();
    let (state, an) = office_state(dir.path());
    let (jobs, checks) = (Jobs::default(), Checks::default());
    let sources = [std::path::PathBuf::from(&file)];
    let mut reports = Vec::new();
    let stopped = run_check(&state, &jobs, &checks, &sources, &an, |p| {
        reports.push(p.stage);
        assert!(jobs.cancel(), "the check is running");
    })
    .unwrap_err();
    assert_eq!(stopped.code, "cancelled");
    assert!(stopped.message.contains("Sổ không thay đổi"), "{stopped}");
    assert_eq!(reports.len(), 1);
    assert_eq!(pairs_page(&checks, "all", 0).unwrap_err().code, "no_check");
    let audit = state.with(|l| Ok(l.recent_audit(5)?)).unwrap();
    assert!(audit.iter().all(|e| e.action != "duplicate_check"));
    assert!(!jobs.cancel(), "the switch is released after a stop");

    // One long job at a time: a check waits for an import, and is told why.
    {
        let _import = jobs.begin(Job::Import).unwrap();
        let busy = run_check(&state, &jobs, &checks, &sources, &an, |_| {}).unwrap_err();
        assert_eq!(busy.code, "busy");
        assert!(busy.message.contains("nhập"), "{busy}");
    }
    let done = run_check(&state, &jobs, &checks, &sources, &an, |_| {}).unwrap();
    assert_eq!(done.records, 2);
    assert_eq!(done.sources[1].nothing_to_compare, 1);
}

/// Nguyễn Thị Hương with her CCCD, registered; the office set up.
fn huong_registered(app: &TestApp) -> String {
    app.init(false);
    let form = json!({ "fullName": "Nguyễn Thị Hương", "dob": "12/03/1990", "sex": "F",
                       "cccd": "001190012345", "cmnd": "", "bhxh": "", "address": "Số 5 ngõ 12 Giang Biên",
                       "residentialGroup": "Tổ 5", "phone": "" });
    let p = app.ok("add_person", json!({ "form": form }));
    p["id"].as_str().unwrap().to_string()
}

/// The same woman typed again: her old CMND, the name without tone marks.
fn huong_again() -> Value {
    json!({ "fullName": "Nguyen Thi Huong", "dob": "12/03/1990", "sex": "F",
            "cccd": "", "cmnd": "012345679", "bhxh": "", "address": "", "residentialGroup": "", "phone": "" })
}

#[test]
fn the_person_form_is_told_who_is_likely_the_same_person_before_saving() {
    let app = real_app();
    let id = huong_registered(&app);
    let found = app.ok("person_duplicates", json!({ "form": huong_again() }));
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    let m = &found[0];
    assert_eq!(
        m["person"]["person"],
        id.as_str(),
        "the id opens her record"
    );
    assert_eq!(m["person"]["name"], "Nguyễn Thị Hương");
    assert_eq!(m["person"]["dob"], "12/03/1990");
    assert_eq!(m["person"]["ids"][0]["kind"], "cccd");
    assert_eq!(m["person"]["ids"][0]["number"], "001190012345");
    assert!(
        matches!(m["class"].as_str(), Some("certain" | "likely")),
        "{m}"
    );
    assert!(m["score"].as_f64().unwrap() > 0.0);
    let reasons = m["reasons"].as_array().unwrap();
    assert!(
        reasons.iter().any(|r| r["code"] == "cmnd_and_cccd"),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .all(|r| !r["text"].as_str().unwrap().is_empty()),
        "every reason in words"
    );
    // Someone else: nothing to show. A form the core cannot read is refused at its field.
    let mut other = huong_again();
    other["fullName"] = json!("Kiều Thị Ngân");
    other["dob"] = json!("01/01/1999");
    other["cmnd"] = json!("");
    other["cccd"] = json!("001199123456");
    assert_eq!(
        app.ok("person_duplicates", json!({ "form": other })),
        json!([])
    );
    let mut bad = huong_again();
    bad["dob"] = json!("31/02/1990");
    assert_eq!(
        app.err("person_duplicates", json!({ "form": bad }))["field"],
        "dob"
    );
}

#[test]
fn saving_a_likely_duplicate_needs_a_reason_which_the_audit_log_keeps() {
    let app = real_app();
    huong_registered(&app);
    let an = "Nguyễn Văn An";
    // No reason: refused, at the reason field, naming her.
    let err = app.err("add_person", json!({ "form": huong_again() }));
    assert_eq!(err["code"], "likely_duplicate", "{err}");
    assert_eq!(err["field"], "despite");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("Nguyễn Thị Hương"),
        "{err}"
    );
    // A blank or too short reason is no reason.
    let err = app.err(
        "add_person",
        json!({ "form": huong_again(), "despite": "   " }),
    );
    assert_eq!(err["code"], "likely_duplicate");
    let err = app.err(
        "add_person",
        json!({ "form": huong_again(), "despite": "khác" }),
    );
    assert_eq!(
        (&err["code"], &err["field"]),
        (&json!("invalid_input"), &json!("despite"))
    );
    assert_eq!(app.ok("people_page", json!({ "offset": 0 }))["total"], 1);
    // With a reason: saved, and the audit log keeps the reason with who was shown.
    let p = app.ok(
        "add_person",
        json!({ "form": huong_again(), "despite": "Người khác: quê Nam Định" }),
    );
    assert_eq!(p["full_name"], "Nguyen Thi Huong");
    assert_eq!(app.ok("people_page", json!({ "offset": 0 }))["total"], 2);
    let log = app.ok("recent_audit", json!({}));
    assert_eq!(log[0]["entity_id"], p["id"]);
    assert_eq!(log[0]["actor"], an);
    let detail = log[0]["detail"].to_string();
    assert!(
        detail.contains("Người khác: quê Nam Định") && detail.contains("cmnd_and_cccd"),
        "{detail}"
    );
    // Someone new needs no reason.
    let mut fresh = huong_again();
    fresh["fullName"] = json!("Kiều Thị Ngân");
    fresh["dob"] = json!("01/01/1999");
    fresh["cmnd"] = json!("");
    fresh["cccd"] = json!("001199123456");
    app.ok("add_person", json!({ "form": fresh }));
}

#[test]
fn a_check_of_a_ward_file_lists_its_rows_likely_already_in_the_ledger() {
    let app = real_app();
    let id = huong_registered(&app);
    let header = std::fs::read_to_string(format!(
        "{}/../tests/fixtures/import/01_canonical_utf8_bom.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .lines()
    .next()
    .unwrap()
    .to_string();
    let file = app.dir.path().join("phuong.csv");
    std::fs::write(
        &file,
        format!(
            "{header}\n\
             1,Lê Văn Dũng,03/09/1985,Nam,001085016437,,Số 15 ngõ 8 đường Giang Biên,Tổ 3,Giang Biên,0983016437,hn-3642-freelance,24/07/2021,,,,,,,x,,,,05/09/2021,1.500.000,Xe ôm\n\
             2,Nguyen Thi Huong,12/03/1990,Nữ,012345679,,Số 5 ngõ 12 Giang Biên,Tổ 5,Giang Biên,,hn-3642-freelance,24/07/2021,,,,,,,x,,,,05/09/2021,1.500.000,\n"
        ),
    )
    .unwrap();
    let path = file.display().to_string();
    let check = app.ok("import_file", import_args(&path, true, false));
    assert_eq!(check["rows_read"], 2, "{check}");
    assert_eq!(check["committed"], false);
    let likely = &check["likely_duplicates"];
    assert_eq!(likely["total"], 1, "{likely}");
    let row = &likely["rows"][0];
    assert_eq!(row["row"]["line"], 3, "the file's physical line");
    assert_eq!(row["row"]["name"], "Nguyen Thi Huong");
    assert_eq!(row["other"]["person"], id.as_str());
    assert_eq!(row["other"]["name"], "Nguyễn Thị Hương");
    assert!(
        row["other"]["line"].is_null(),
        "in the ledger, not the file"
    );
    assert!(matches!(row["class"].as_str(), Some("certain" | "likely")));
    assert!(row["class_label"].is_string());
    assert!(
        row["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "cmnd_and_cccd"),
        "{row}"
    );
    assert_eq!(
        app.ok("people_page", json!({ "offset": 0 }))["total"],
        1,
        "a check writes nothing"
    );
    // The import itself answers its report alone.
    let done = app.ok("import_file", import_args(&path, false, true));
    assert!(done.get("likely_duplicates").is_none(), "{done}");
}

// Sao lưu và khôi phục.

/// The signed-in admin backs up into `dir` through the command; returns its answer.
fn backup_into(app: &TestApp, dir: &std::path::Path) -> Value {
    app.ok("backup_now", json!({ "folder": dir.display().to_string() }))
}

/// Nguyễn Thị Hương registered through the form (An signed in).
fn add_huong(app: &TestApp, cccd: &str) -> Value {
    app.ok(
        "add_person",
        json!({ "form": person_form("Nguyễn Thị Hương", cccd) }),
    )
}

#[test]
fn backup_now_writes_a_verified_backup_with_its_head_beside_it() {
    let app = real_app();
    app.init(false);
    add_huong(&app, "001185012345");
    let usb = app.dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();

    let answer = backup_into(&app, &usb);
    let done = &answer["done"];
    let file = std::path::PathBuf::from(done["file"].as_str().unwrap());
    assert_eq!(file.parent(), Some(usb.as_path()));
    let name = file.file_name().unwrap().to_str().unwrap();
    assert!(
        name.starts_with("so-chi-tra-giang-bien-") && name.ends_with(".sqlite"),
        "{name}"
    );
    // The file is a sound ledger on its own: the CLI's verify passes on it with the head written beside.
    let head_file = std::fs::read_to_string(done["head_file"].as_str().unwrap()).unwrap();
    let head = format!(
        "{}:{}",
        done["preview"]["head"]["seq"],
        done["preview"]["head"]["hash"].as_str().unwrap()
    );
    assert!(head_file.starts_with(&head), "{head_file}");
    let expected: relief_ledger::audit::ChainHead = head.parse().unwrap();
    let report = relief_ledger::ledger::verify_file(&file, Some(&expected)).unwrap();
    assert_eq!(report.problems, Vec::<String>::new());
    assert_eq!(done["preview"]["people"], 1);
    assert_eq!(done["preview"]["office"]["ward"], "Giang Biên");
    assert_eq!(done["preview"]["problems"], json!([]));
    // Nothing else is left in the folder: no partial file.
    let mut names: Vec<String> = std::fs::read_dir(&usb)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [name.to_string(), format!("{name}.head.txt")]);

    // The status remembers it, and the audit log has who backed up what.
    let last = &answer["status"]["last"];
    assert_eq!(
        (&last["ok"], &last["scheduled"], &last["by"], &last["file"]),
        (&json!(true), &json!(false), &json!(AN), &done["file"])
    );
    assert_eq!(last["head"], head);
    assert_eq!(app.ok("backup_status", json!({}))["last"], *last);
    let log = app.ok("recent_audit", json!({}));
    assert_eq!(log[0]["action"], "backup", "{log}");
    assert_eq!(log[0]["actor"], AN);
    assert_eq!(log[0]["detail"]["file"], done["file"]);

    // Every role may back up (it only reads).
    app.add_user(BINH, "approver");
    app.as_user(BINH);
    let second = backup_into(&app, &usb);
    assert_eq!(second["status"]["last"]["by"], BINH);

    // Refusals at the folder field, in Vietnamese; a failure is remembered as the last backup.
    let empty = app.err("backup_now", json!({ "folder": "  " }));
    assert_eq!(
        (&empty["code"], &empty["field"]),
        (&json!("invalid_input"), &json!("folder"))
    );
    let gone = app.dir.path().join("usb-chua-cam");
    let err = app.err(
        "backup_now",
        json!({ "folder": gone.display().to_string() }),
    );
    assert_eq!(err["code"], "file_unwritable", "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("Nếu đó là ổ USB"),
        "{err}"
    );
    assert!(!gone.exists(), "no folder made where a USB stick would be");
    let ledger = app.dir.path().join("ledger.sqlite");
    let file_err = app.err(
        "backup_now",
        json!({ "folder": ledger.display().to_string() }),
    );
    assert_eq!(file_err["field"], "folder", "{file_err}");
    assert!(
        app.ok("backup_status", json!({}))["last"]["ok"] == true,
        "refused before running"
    );
}

#[test]
fn a_backup_is_previewed_before_a_restore_and_one_that_fails_its_check_is_refused() {
    let app = real_app();
    app.init(false);
    add_huong(&app, "001185012345");
    let usb = app.dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let done = backup_into(&app, &usb)["done"].clone();
    let file = done["file"].as_str().unwrap().to_string();

    let preview = app.ok("backup_preview", json!({ "path": file }));
    assert_eq!(preview["office"], giang_bien());
    assert_eq!(
        (
            &preview["people"],
            &preview["claims"],
            &preview["payouts"],
            &preview["payouts_amount"]
        ),
        (&json!(1), &json!(0), &json!(0), &json!(0))
    );
    assert_eq!(preview["head"], done["preview"]["head"]);
    assert_eq!(preview["problems"], json!([]));
    assert!(
        preview["last_change"].as_str().unwrap().contains('/'),
        "{preview}"
    );
    assert!(preview["bytes"].as_u64().unwrap() > 0);

    // Not a ledger, or no file at all: said at the path field.
    let notes = app.dir.path().join("ghi-chu.txt");
    std::fs::write(&notes, "không phải sổ").unwrap();
    for path in [
        notes.display().to_string(),
        usb.join("khong-co.sqlite").display().to_string(),
    ] {
        let err = app.err("backup_preview", json!({ "path": path }));
        assert_eq!(
            (&err["code"], &err["field"]),
            (&json!("file_unreadable"), &json!("path")),
            "{err}"
        );
    }

    // A copy edited behind the app's back (the ward's name rewritten in place, in its rows and its
    // history alike) shows its problems, and is not restored.
    let bad = usb.join("sua-tay.sqlite");
    let mut bytes = std::fs::read(&file).unwrap();
    let mut edits = 0;
    for i in 0..bytes.len().saturating_sub(5) {
        if &bytes[i..i + 5] == b"Giang" {
            bytes[i + 2] = b'o';
            edits += 1;
        }
    }
    assert!(
        edits > 1,
        "the ward is in the office row and in the audit log"
    );
    std::fs::write(&bad, bytes).unwrap();
    let shown = app.ok(
        "backup_preview",
        json!({ "path": bad.display().to_string() }),
    );
    assert!(!shown["problems"].as_array().unwrap().is_empty(), "{shown}");
    let head = format!(
        "{}:{}",
        shown["head"]["seq"],
        shown["head"]["hash"].as_str().unwrap()
    );
    let refused = app.err(
        "restore_backup",
        json!({ "path": bad.display().to_string(), "head": head }),
    );
    assert_eq!(refused["code"], "backup_unsound", "{refused}");
    assert_eq!(
        app.ok("session_status", json!({}))["name"],
        AN,
        "still signed in"
    );
    assert_eq!(app.ok("people_page", json!({ "offset": 0 }))["total"], 1);
}

#[test]
fn only_an_admin_restores_and_the_ledger_goes_on_unchanged_when_refused() {
    let app = real_app();
    app.init(false);
    app.add_user(BINH, "approver");
    let usb = app.dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let done = backup_into(&app, &usb)["done"].clone();
    add_huong(&app, "001185012345");
    let file = done["file"].as_str().unwrap();
    let head = format!(
        "{}:{}",
        done["preview"]["head"]["seq"],
        done["preview"]["head"]["hash"].as_str().unwrap()
    );

    app.as_user(BINH);
    // Bình may look at the backup, not restore it.
    app.ok("backup_preview", json!({ "path": file }));
    let err = app.err("restore_backup", json!({ "path": file, "head": head }));
    assert_eq!(err["code"], "role_required", "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("quản trị"),
        "{err}"
    );
    // Nothing changed: the ledger is open, Hương is still there, no copy was made.
    assert_eq!(app.ok("session_status", json!({}))["name"], BINH);
    assert_eq!(app.ok("people_page", json!({ "offset": 0 }))["total"], 1);
    let kept = std::fs::read_dir(app.dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("truoc-khoi-phuc")
        })
        .count();
    assert_eq!(kept, 0);
    // Nor may anyone but an admin set the schedule.
    let err = app.err(
        "set_backup_schedule",
        json!({ "folder": usb.display().to_string(), "everyHours": 4 }),
    );
    assert_eq!(err["code"], "role_required", "{err}");
}

#[test]
fn an_admins_restore_keeps_the_previous_ledger_and_asks_for_sign_in_again() {
    let app = real_app();
    app.init(false);
    let usb = app.dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let done = backup_into(&app, &usb)["done"].clone();
    let file = done["file"].as_str().unwrap().to_string();
    let head = format!(
        "{}:{}",
        done["preview"]["head"]["seq"],
        done["preview"]["head"]["hash"].as_str().unwrap()
    );
    // After the backup: Hương registered, and Bình added.
    add_huong(&app, "001185012345");
    app.add_user(BINH, "approver");

    // A head that is not the previewed file's is refused (the file changed since the preview).
    let stale = app.err("restore_backup", json!({ "path": file, "head": "1:00" }));
    assert_eq!(stale["code"], "backup_changed", "{stale}");
    // The live ledger itself is not a backup to restore.
    let ledger = app.dir.path().join("ledger.sqlite");
    let live_head = app.ok("verify", json!({}))["head"].clone();
    let own = app.err(
        "restore_backup",
        json!({ "path": ledger.display().to_string(), "head": format!("{}:{}", live_head["seq"], live_head["hash"].as_str().unwrap()) }),
    );
    assert_eq!(own["code"], "unsafe_destination", "{own}");
    assert_eq!(app.ok("people_page", json!({ "offset": 0 }))["total"], 1);

    let restored = app.ok("restore_backup", json!({ "path": file, "head": head }));
    let kept = std::path::PathBuf::from(restored["done"]["previous_kept_at"].as_str().unwrap());
    assert_eq!(kept.parent(), Some(app.dir.path()));
    assert!(
        kept.file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("ledger.sqlite.truoc-khoi-phuc-"),
        "{kept:?}"
    );
    assert_eq!(restored["done"]["restored_from"], file);
    // The copy kept is the ledger as it was: Hương in it, sound.
    let before = relief_ledger::ledger::backups::preview(&kept).unwrap();
    assert_eq!((before.people, before.problems.len()), (1, 0));

    // Signed out: the restored ledger has its own operators. Bình is not one of them.
    assert_eq!(
        app.err("people_page", json!({ "offset": 0 }))["code"],
        "sign_in_required"
    );
    assert_eq!(
        app.err("sign_in", json!({ "name": BINH, "secret": SECRET }))["code"],
        "sign_in_failed"
    );
    app.ok("sign_in", json!({ "name": AN, "secret": SECRET }));
    assert_eq!(app.ok("people_page", json!({ "offset": 0 }))["total"], 0);
    let report = app.ok("verify", json!({}));
    assert_eq!(report["problems"], json!([]), "{report}");
    let log = app.ok("recent_audit", json!({}));
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .take(3)
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["sign_in", "sign_out", "restore"], "{log}");
    assert_eq!(log[1]["detail"]["why"], "restore");
    assert_eq!(log[2]["actor"], AN);
    assert_eq!(
        log[2]["detail"]["previous_kept_at"],
        kept.display().to_string()
    );
    // The app writes on: the restored ledger takes a new person.
    add_huong(&app, "001185012345");
}

#[test]
fn a_scheduled_backup_runs_as_the_signed_in_operator_or_waits_for_the_next_sign_in() {
    use super::backups::{tick, Backups};
    use tauri::Manager;
    let app = real_app();
    app.init(false);
    let usb = app.dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let state = app._app.state::<LedgerState>();
    let backups = app._app.state::<Backups>();

    // Off at first; the choices are off, 1, 4, 8 and 24 hours; anything else is refused.
    let status = app.ok("backup_status", json!({}));
    assert_eq!(
        (&status["everyHours"], &status["folder"], &status["last"]),
        (&json!(0), &Value::Null, &Value::Null)
    );
    assert_eq!(status["choices"], json!([0, 1, 4, 8, 24]));
    let bad = app.err(
        "set_backup_schedule",
        json!({ "folder": usb.display().to_string(), "everyHours": 3 }),
    );
    assert_eq!(bad["field"], "everyHours", "{bad}");
    let no_folder = app.err(
        "set_backup_schedule",
        json!({ "folder": "", "everyHours": 4 }),
    );
    assert_eq!(no_folder["field"], "folder", "{no_folder}");

    let before = chrono::Utc::now();
    let status = app.ok(
        "set_backup_schedule",
        json!({ "folder": usb.display().to_string(), "everyHours": 1 }),
    );
    assert_eq!(status["everyHours"], 1);
    assert_eq!(status["folder"], usb.display().to_string());
    let due = chrono::DateTime::parse_from_rfc3339(status["nextDue"].as_str().unwrap()).unwrap();
    let after = (due.with_timezone(&chrono::Utc) - before).num_minutes();
    assert!((59..=60).contains(&after), "due in an hour: {after}");
    // Remembered in the settings file beside the ledger, and read back by a new start.
    let settings = app.dir.path().join("ledger.sqlite.cai-dat.json");
    assert_eq!(status["settingsFile"], settings.display().to_string());
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&settings).unwrap()).unwrap();
    assert_eq!(saved["backup"]["everyHours"], 1);
    assert_eq!(Backups::beside(&state).status().settings.every_hours, 1);

    // Not yet due: nothing. Due: a backup as An, the signed-in admin, and the next one an hour on.
    let now = chrono::Utc::now();
    assert!(tick(&state, &backups, now + chrono::Duration::minutes(30)).is_none());
    let ran = tick(&state, &backups, now + chrono::Duration::minutes(61)).expect("due");
    let done = ran.unwrap();
    assert!(std::path::Path::new(&done.file).is_file());
    let status = app.ok("backup_status", json!({}));
    assert_eq!(
        (
            &status["last"]["scheduled"],
            &status["last"]["by"],
            &status["last"]["ok"]
        ),
        (&json!(true), &json!(AN), &json!(true))
    );
    let next = chrono::DateTime::parse_from_rfc3339(status["nextDue"].as_str().unwrap()).unwrap();
    let minutes = (next.with_timezone(&chrono::Utc) - now).num_minutes();
    assert!(
        (120..=121).contains(&minutes),
        "an hour after the backup: {minutes}"
    );

    // Due while nobody is signed in: it waits, and says since when.
    app.ok("sign_out", json!({}));
    assert!(tick(&state, &backups, now + chrono::Duration::minutes(125)).is_none());
    let waiting = backups.status().settings;
    assert_eq!(waiting.waiting_since.as_deref(), status["nextDue"].as_str());
    assert_eq!(
        waiting.last.as_ref().unwrap().file.as_deref(),
        Some(done.file.as_str())
    );
    // The next sign-in runs it, as whoever signed in.
    app.ok("sign_in", json!({ "name": AN, "secret": SECRET }));
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let status = app.ok("backup_status", json!({}));
        if status["waitingSince"].is_null() && status["last"]["file"] != json!(done.file) {
            assert_eq!(
                (&status["last"]["ok"], &status["last"]["scheduled"]),
                (&json!(true), &json!(true)),
                "{status}"
            );
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{status}");
        std::thread::sleep(Duration::from_millis(50));
    }

    // A folder gone when due (the USB stick taken out): the failure is the last backup, with why.
    std::fs::remove_dir_all(&usb).unwrap();
    let failed = tick(
        &state,
        &backups,
        chrono::Utc::now() + chrono::Duration::hours(3),
    )
    .expect("due");
    assert_eq!(failed.unwrap_err().code, "file_unwritable");
    let last = app.ok("backup_status", json!({}))["last"].clone();
    assert_eq!(last["ok"], false);
    assert!(last["error"].as_str().unwrap().contains("ổ USB"), "{last}");

    // Off: no folder needed, nothing due.
    let off = app.ok(
        "set_backup_schedule",
        json!({ "folder": "", "everyHours": 0 }),
    );
    assert_eq!(
        (&off["everyHours"], &off["nextDue"]),
        (&json!(0), &Value::Null)
    );
    assert!(tick(
        &state,
        &backups,
        chrono::Utc::now() + chrono::Duration::days(2)
    )
    .is_none());
}

#[test]
fn a_sheet_or_export_is_never_saved_onto_the_ledger() {
    let app = real_app();
    app.init(false);
    let file = fixture(app.dir.path(), "01_canonical_utf8_bom.csv");
    app.ok("import_file", import_args(&file, false, false));
    let list = app.ok("create_list", json!({ "name": "Đợt 1", "policies": [] }));
    let ledger = app.dir.path().join("ledger.sqlite");
    let before = std::fs::read(&ledger).unwrap();
    for target in ["ledger.sqlite", "ledger.sqlite-wal", "ledger.sqlite-shm"] {
        let path = app.dir.path().join(target).display().to_string();
        let err = app.err(
            "save_sheet",
            json!({ "kind": "payout-sheet", "list": list["id"], "path": path }),
        );
        assert_eq!(err["code"], "unsafe_destination", "{target}: {err}");
        let err = app.err(
            "export_file",
            json!({ "kind": "claims", "list": null, "semicolon": false, "path": path }),
        );
        assert_eq!(err["code"], "unsafe_destination", "{target}: {err}");
    }
    assert_eq!(std::fs::read(&ledger).unwrap().len(), before.len());
    assert_eq!(app.ok("verify", json!({}))["problems"], json!([]));
    // A sheet saved elsewhere leaves no temporary file behind.
    let out = app.dir.path().join("ky-nhan.html");
    app.ok(
        "save_sheet",
        json!({ "kind": "payout-sheet", "list": list["id"], "path": out.display().to_string() }),
    );
    let partial = std::fs::read_dir(app.dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".part")
        })
        .count();
    assert_eq!(partial, 0);
}

/// Issue 10: a workbook's sheet chosen by name, a column read as a template field, and the required
/// conditions confirmed for the whole file, all through the command's arguments; the choice is remembered
/// beside the ledger for the next file with the same headers.
#[test]
fn a_workbook_is_read_at_its_sheet_with_the_officers_column_choice() {
    let app = real_app();
    app.init(false);
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/workbooks/02_can_chon_cot.xlsx");
    let file = app.dir.path().join("ds.xlsx");
    std::fs::copy(from, &file).unwrap();
    let file = file.display().to_string();
    let mut args = import_args(&file, true, false);
    args["sheet"] = json!("Trang 3");
    let err = app.err("import_file", args.clone());
    assert_eq!(err["code"], "file_unreadable", "{err}");
    args["sheet"] = json!("Danh sách");
    let r = app.ok("import_file", args.clone());
    assert_eq!(r["sheet"], "Danh sách");
    assert_eq!(r["rows_rejected"], 5);
    assert!(r["fields"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["key"] == "from"));
    args["choices"] = json!([{ "column": "F", "field": "from" }]);
    let r = app.ok("import_file", args.clone());
    assert_eq!(
        (r["rows_added"].clone(), r["rows_rejected"].clone()),
        (json!(5), json!(0)),
        "{r}"
    );
    args["dryRun"] = json!(false);
    let r = app.ok("import_file", args);
    assert_eq!(r["committed"], true);
    let mut again = import_args(&file, true, false);
    again["sheet"] = json!("Danh sách");
    let r = app.ok("import_file", again);
    assert_eq!(r["choices_remembered"], true, "{r}");
    assert_eq!(r["rows_already_present"], 5);
}
