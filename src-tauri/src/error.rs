//! The one error shape the UI sees: `{ "code": "...", "message": "..." }`, plus `"field"` when the error
//! belongs to one input of a form (the UI shows it next to that field).
//!
//! `code` is stable and meant for the UI's logic (which field to mark, which screen to show);
//! `message` is Vietnamese, written for a ward officer. Internal details (paths, OS and SQLite errors)
//! go to the log through [`CommandError::internal`], never to the screen.

use relief_ledger::LedgerError;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandError {
    pub code: String,
    pub message: String,
    /// The form field the error is about (the id the UI gives the input), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl CommandError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            message: message.into(),
            field: None,
        }
    }

    /// The same error, about one field of a form.
    pub fn at(mut self, field: Option<&str>) -> Self {
        self.field = field.map(str::to_string);
        self
    }

    /// An error whose cause the officer cannot act on: log the details, show a plain message.
    pub fn internal(code: &str, message: &str, detail: &dyn std::fmt::Display) -> Self {
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

    /// The ledger file could not be opened (permissions, a disk problem, a file from a newer version).
    pub fn ledger_unavailable(err: &LedgerError) -> Self {
        match err {
            LedgerError::SchemaTooNew { .. } => err.clone_public(),
            _ => Self::internal(
                "ledger_unavailable",
                "Không mở được sổ dữ liệu. Hãy kiểm tra ổ đĩa và quyền truy cập tệp, \
                 hoặc liên hệ bộ phận kỹ thuật.",
                err,
            ),
        }
    }
}

/// `LedgerError` → `{code, message}` through the core's own `to_public()`; database and file errors
/// carry internal text, so they are logged and replaced by a plain message.
trait ClonePublic {
    fn clone_public(&self) -> CommandError;
}

impl ClonePublic for LedgerError {
    fn clone_public(&self) -> CommandError {
        let public = self.to_public();
        CommandError {
            code: public.code,
            message: public.message,
            field: None,
        }
    }
}

impl From<LedgerError> for CommandError {
    fn from(err: LedgerError) -> Self {
        match err {
            LedgerError::Database(_) | LedgerError::Io(_) => CommandError::internal(
                err.code(),
                "Lỗi khi đọc/ghi sổ dữ liệu. Thao tác chưa được ghi; hãy thử lại, nếu vẫn lỗi hãy liên hệ bộ phận kỹ thuật.",
                &err,
            ),
            _ => err.clone_public(),
        }
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for CommandError {}
