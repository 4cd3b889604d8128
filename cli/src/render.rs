//! How a command's result reaches the terminal: JSON for scripts, or the human text.

use serde::Serialize;

/// Prints `value` as JSON, or the human text.
pub fn out<T: Serialize>(json: bool, value: &T, human: impl FnOnce() -> String) {
    use std::io::Write;
    let text = if json {
        serde_json::to_string_pretty(value).expect("serialisable")
    } else {
        human()
    };
    // A closed pipe (`relief ... | head`) is not an error worth a panic.
    let _ = writeln!(std::io::stdout(), "{text}");
}
