//! The one error shape the UI sees: `{ "code": "...", "message": "..." }`.
//!
//! `code` is stable and meant for the UI's logic (which field to mark, which screen to show);
//! `message` is Vietnamese, written for a ward officer. Internal details (paths, OS errors) go to
//! the log through [`CommandError::internal`], never to the screen.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandError {
    pub code: &'static str,
    pub message: String,
}

impl CommandError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// An error whose cause the officer cannot act on: log the details, show a plain message.
    pub fn internal(code: &'static str, message: &str, detail: &dyn std::fmt::Display) -> Self {
        eprintln!("relief-ledger-app: {code}: {detail}");
        Self::new(code, message)
    }

    /// The data directory (where the ledger file lives) could not be determined.
    pub fn data_dir_unavailable(detail: &dyn std::fmt::Display) -> Self {
        Self::internal(
            "data_dir_unavailable",
            "Không xác định được thư mục lưu dữ liệu của ứng dụng. \
             Hãy kiểm tra tài khoản người dùng trên máy này hoặc liên hệ bộ phận kỹ thuật.",
            detail,
        )
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for CommandError {}
