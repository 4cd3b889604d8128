//! The commands the UI invokes. Each is a one-line delegation: the work lives in the core library
//! (or, while the core has no ledger API yet, in this crate's small helpers), so these stay thin and
//! every one of them is generic over the runtime for `tauri::test`.
//!
//! A command added here must also be listed in build.rs (its generated `allow-` permission) and
//! granted in capabilities/default.json, or the webview is refused.

use tauri::{AppHandle, Runtime, State};

use crate::{AppInfo, CommandError, LedgerState};

/// Returns `text` unchanged. Proves that Vietnamese text (NFC or NFD, as typed) survives the IPC
/// boundary both ways in the real webview; the e2e test and the overview screen's IPC check use it.
#[tauri::command]
pub fn echo_text(text: String) -> String {
    text
}

/// The app's name and version, and where its ledger file lives.
#[tauri::command]
pub fn app_info<R: Runtime>(
    app: AppHandle<R>,
    ledger: State<'_, LedgerState>,
) -> Result<AppInfo, CommandError> {
    AppInfo::collect(&app, &ledger)
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};
    use tauri::ipc::{CallbackFn, InvokeBody};
    use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime};
    use tauri::webview::InvokeRequest;
    use tauri::{App, Manager, WebviewWindow};

    use crate::{CommandError, LedgerState, LEDGER_FILE_NAME};

    /// The real app (its tauri.conf.json, capabilities and embedded ui/) on the mock runtime.
    fn real_app() -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
        let app = crate::build(mock_builder(), tauri::generate_context!())
            .expect("the app builds on the mock runtime");
        // The mock runtime creates the configured windows only in `run`; build the main one here.
        let config = app.config().app.windows.first().cloned();
        let config = config.expect("tauri.conf.json declares the main window");
        assert_eq!(config.label, "main");
        let window = tauri::WebviewWindowBuilder::from_config(&app, &config)
            .unwrap()
            .build()
            .unwrap();
        (app, window)
    }

    /// On Linux (and macOS) the webview's own origin is `tauri://localhost`;
    /// `http://tauri.localhost` is Windows' and is refused here.
    const APP_URL: &str = "tauri://localhost";

    fn invoke(
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

    #[test]
    fn echo_text_returns_vietnamese_text_unchanged() {
        let (_app, window) = real_app();
        let nfc = "Nguyễn Thị Hương – Đặng Văn Đức";
        // The same name typed with combining marks (NFD), as some keyboards and old files produce.
        let nfd = "Nguye\u{302}\u{303}n Thi\u{323} Hu\u{31b}o\u{31b}ng";
        for text in [nfc, nfd, "", "ă â đ ê ô ơ ư Ă Â Đ Ê Ô Ơ Ư ạ ả ã á à"] {
            assert_eq!(
                invoke(&window, APP_URL, "echo_text", json!({ "text": text })),
                Ok(json!(text)),
            );
        }
    }

    #[test]
    fn echo_text_without_its_argument_is_an_error_not_a_panic() {
        let (_app, window) = real_app();
        assert!(invoke(&window, APP_URL, "echo_text", json!({})).is_err());
    }

    #[test]
    fn app_info_names_the_app_and_its_ledger_file() {
        let (app, window) = real_app();
        let info = invoke(&window, APP_URL, "app_info", json!({})).expect("app_info answers");
        assert_eq!(info["name"], "Relief Ledger");
        assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
        let expected = app.path().app_data_dir().unwrap().join(LEDGER_FILE_NAME);
        assert_eq!(info["ledgerPath"], expected.display().to_string());
        let short = info["ledgerPathShort"].as_str().unwrap();
        assert!(short.ends_with("/ledger.sqlite"), "{short}");
        // Only resolved: nothing is created on disk before the ledger API exists.
        assert!(info["ledgerPath"]
            .as_str()
            .unwrap()
            .ends_with("/ledger.sqlite"));
    }

    #[test]
    fn an_unavailable_data_dir_crosses_as_code_and_vietnamese_message() {
        let app = mock_builder()
            .invoke_handler(tauri::generate_handler![super::app_info])
            .build(mock_context(noop_assets()))
            .unwrap();
        app.manage(LedgerState::unavailable(
            CommandError::data_dir_unavailable(&"HOME is not set"),
        ));
        let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        let err = invoke(&window, APP_URL, "app_info", json!({})).unwrap_err();
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

    #[test]
    fn a_remote_origin_cannot_invoke_the_commands() {
        let (_app, window) = real_app();
        for cmd in ["echo_text", "app_info"] {
            let refused = invoke(&window, "https://example.com", cmd, json!({ "text": "x" }));
            assert!(
                refused.is_err(),
                "{cmd} answered a remote page: {refused:?}"
            );
        }
    }

    #[test]
    fn an_unknown_command_is_refused() {
        let (_app, window) = real_app();
        assert!(invoke(&window, APP_URL, "delete_everything", json!({})).is_err());
    }
}
