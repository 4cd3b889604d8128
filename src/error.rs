//! The typed errors of the ledger: a stable English code for scripts and the UI, a Vietnamese message for people.

use serde::Serialize;

pub type Result<T, E = LedgerError> = std::result::Result<T, E>;

/// Every way a ledger operation can fail. `code()` is stable; the `Display` text is what an officer reads.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("Lỗi cơ sở dữ liệu: {0}")]
    Database(rusqlite::Error),
    #[error("Lỗi đọc/ghi tệp: {0}")]
    Io(#[from] std::io::Error),
    #[error("Sổ được tạo bởi phiên bản mới hơn (lược đồ {found}, phiên bản này hỗ trợ đến {supported}). Hãy cập nhật phần mềm; sổ không bị thay đổi.")]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("Bộ quy tắc {file} không hợp lệ, dòng {line}, cột {column}: {message}")]
    RulePackInvalid {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("Không có chính sách mã '{0}' trong bộ quy tắc")]
    UnknownPolicy(String),
    #[error("Số giấy tờ {kind} '{number}' không hợp lệ: {reason}")]
    InvalidIdentity {
        /// The field the number was typed into (its kind), for the app to mark.
        field: crate::fields::InputField,
        kind: String,
        number: String,
        reason: String,
    },
    #[error("Ngày '{0}' không hợp lệ (dùng dd/mm/yyyy hoặc yyyy-mm-dd)")]
    InvalidDate(String),
    #[error("Trường '{field}' không hợp lệ: {message}")]
    InvalidInput {
        field: crate::fields::InputField,
        message: String,
    },
    #[error("Không tìm thấy {what} '{id}'")]
    NotFound { what: String, id: String },
    #[error("Không đủ điều kiện hưởng {policy}: {}", reasons.join("; "))]
    NotEligible {
        policy: String,
        reasons: Vec<String>,
    },
    #[error("Giấy tờ {number} đã thuộc về người khác trong sổ ({owner})")]
    IdentityTaken { number: String, owner: String },
    #[error("Đã có hồ sơ {policy} đang xử lý cho đối tượng này; không ghi trùng")]
    DuplicateClaim { policy: String },
    #[error("Đã chi trả chính sách {policy} cho đối tượng này; không được chi trả lần thứ hai (muốn sửa, hãy lập bút toán đảo)")]
    DuplicatePayout { policy: String },
    #[error("Khoản hỗ trợ thêm cho trẻ/đối tượng này đã được đề nghị hoặc chi trả trong hồ sơ khác; chỉ được hưởng một lần")]
    DuplicateSupplement,
    #[error("Người phê duyệt phải khác người lập danh sách/ghi hồ sơ")]
    ApproverIsRecorder,
    #[error("Danh sách chưa được phê duyệt; chưa thể chi trả")]
    ListNotApproved,
    #[error("Danh sách chưa được niêm yết công khai; phải niêm yết trước khi phê duyệt")]
    ListNotPosted,
    #[error("Danh sách đã được phê duyệt; không thể thay đổi")]
    ListLocked,
    #[error("Số tiền chi khác số tiền theo quy tắc mà không có điều chỉnh được ghi nhận")]
    AmountMismatch,
    #[error("Khoản chi này đã được đảo trước đó")]
    AlreadyReversed,
    #[error(
        "Sổ chi trả chỉ được ghi thêm: không được sửa hay xóa khoản chi, bút toán đảo hay nhật ký"
    )]
    LedgerImmutable,
    #[error("Không được hưởng {policy} vì đã nhận {other} (loại trừ theo bộ quy tắc)")]
    ExcludedByPolicy { policy: String, other: String },
    #[error("Thao tác này cần vai trò {needed}; người dùng '{operator}' có vai trò {role}")]
    RoleRequired {
        needed: String,
        operator: String,
        role: String,
    },
    #[error("Không đọc được tệp {path}: {reason}")]
    FileUnreadable { path: String, reason: String },
    #[error("Không ghi được tệp {path}: {reason}")]
    FileUnwritable { path: String, reason: String },
    #[error("Sổ chưa được khởi tạo (chạy 'relief init' trước)")]
    NotInitialised,
    #[error("Nhật ký kiểm toán bị sai lệch tại dòng {seq}: {message}")]
    AuditBroken { seq: i64, message: String },
    #[error("Đã dừng theo yêu cầu sau {done} bản ghi; phần đã ghi vẫn được giữ nguyên vẹn")]
    Cancelled { done: usize },
    #[error("Đã dừng nhập theo yêu cầu sau {rows} dòng. Sổ không thay đổi: không dòng nào của tệp được ghi.")]
    ImportCancelled { rows: usize },
    #[error("Đã dừng kiểm tra trùng theo yêu cầu. Không có gì được ghi.")]
    CheckCancelled,
    #[error("Có thể trùng với người đã có trong sổ: {matches}. Kiểm tra lại; nếu đúng là người khác, ghi lý do để vẫn thêm")]
    LikelyDuplicate { matches: String },
    #[error("Tên đăng nhập hoặc mật khẩu không đúng")]
    SignInFailed,
    #[error("Tài khoản '{name}' bị khóa đến {until} vì nhập sai mật khẩu nhiều lần; quản trị viên có thể đặt lại mật khẩu để mở khóa")]
    AccountLocked { name: String, until: String },
    #[error("Người dùng '{name}' chưa có mật khẩu; nhờ quản trị viên đặt mật khẩu")]
    PasswordNotSet { name: String },
    #[error("Không đặt được mật khẩu đầu tiên: sổ đã có mật khẩu (hãy đăng nhập), hoặc '{name}' không phải quản trị viên của sổ")]
    FirstPasswordClosed { name: String },
    #[error("Mật khẩu hiện tại không đúng")]
    CurrentPasswordWrong,
    #[error("Cần đăng nhập: thao tác này phải do một người dùng đã đăng nhập thực hiện")]
    SignInRequired,
    #[error("Người đã chi khoản này không được tự đảo nó; nhờ một lãnh đạo phê duyệt khác")]
    ReverserIsPayer,
    #[error("Người đã điều chỉnh số tiền trong danh sách không được tự phê duyệt danh sách đó")]
    ApproverMadeOverride,
    #[error("Sổ đang được một chương trình khác ghi (ví dụ một lần nhập dài trên máy này); hãy đợi xong rồi thử lại. Không có gì bị thay đổi.")]
    LedgerBusy,
    #[error("Không có sổ tại {path}: hãy chỉ đúng tệp sổ (--db) hoặc khởi tạo sổ trước")]
    LedgerMissing { path: String },
    #[error("{}", order_message(*event, *date, *after, *today))]
    DateOutOfOrder {
        event: DatedEvent,
        date: Option<chrono::NaiveDate>,
        after: Option<(DatedEvent, chrono::NaiveDate)>,
        /// Today in Vietnam when the core checked it (none when a schema trigger refused the day).
        today: Option<chrono::NaiveDate>,
    },
    #[error("Hồ sơ đã thuộc một danh sách (đã niêm yết công khai): không rút hay sửa được nữa; trước khi phê duyệt có thể từ chối hồ sơ, sau khi chi có thể thu hồi khoản chi")]
    ClaimListed,
    #[error("Tên đơn vị đã in trên quyết định phê duyệt đầu tiên: không sửa được nữa")]
    OfficeLocked,
    #[error("Không được ghi vào {path}: đó là tệp sổ đang dùng (hoặc tệp đi kèm của nó); hãy chọn tên tệp khác")]
    UnsafeDestination { path: String },
}

impl LedgerError {
    /// The stable machine code (English, snake_case) shown next to every message.
    pub fn code(&self) -> &'static str {
        use LedgerError::*;
        match self {
            Database(_) => "database",
            Io(_) => "io",
            SchemaTooNew { .. } => "schema_too_new",
            RulePackInvalid { .. } => "rule_pack_invalid",
            UnknownPolicy(_) => "unknown_policy",
            InvalidIdentity { .. } => "invalid_identity",
            InvalidDate(_) => "invalid_date",
            InvalidInput { .. } => "invalid_input",
            NotFound { .. } => "not_found",
            NotEligible { .. } => "not_eligible",
            IdentityTaken { .. } => "identity_taken",
            DuplicateClaim { .. } => "duplicate_claim",
            DuplicatePayout { .. } => "duplicate_payout",
            DuplicateSupplement => "duplicate_supplement",
            ApproverIsRecorder => "approver_is_recorder",
            ListNotApproved => "list_not_approved",
            ListLocked => "list_locked",
            ListNotPosted => "list_not_posted",
            AmountMismatch => "amount_mismatch",
            AlreadyReversed => "already_reversed",
            LedgerImmutable => "ledger_immutable",
            ExcludedByPolicy { .. } => "excluded_by_policy",
            RoleRequired { .. } => "role_required",
            NotInitialised => "not_initialised",
            FileUnreadable { .. } => "file_unreadable",
            FileUnwritable { .. } => "file_unwritable",
            AuditBroken { .. } => "audit_broken",
            Cancelled { .. } | ImportCancelled { .. } | CheckCancelled => "cancelled",
            LikelyDuplicate { .. } => "likely_duplicate",
            SignInFailed => "sign_in_failed",
            AccountLocked { .. } => "account_locked",
            PasswordNotSet { .. } => "password_not_set",
            SignInRequired => "sign_in_required",
            FirstPasswordClosed { .. } => "first_password_closed",
            CurrentPasswordWrong => "current_password_wrong",
            ReverserIsPayer => "reverser_is_payer",
            ApproverMadeOverride => "approver_made_override",
            LedgerBusy => "ledger_busy",
            LedgerMissing { .. } => "ledger_missing",
            UnsafeDestination { .. } => "unsafe_destination",
            DateOutOfOrder { .. } => "date_out_of_order",
            ClaimListed => "claim_listed",
            OfficeLocked => "office_locked",
        }
    }

    /// True when the input itself was malformed (bad usage) rather than refused by a rule or invariant.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            LedgerError::InvalidDate(_)
                | LedgerError::InvalidInput { .. }
                | LedgerError::NotFound { .. }
                | LedgerError::FileUnreadable { .. }
                | LedgerError::FileUnwritable { .. }
                | LedgerError::InvalidIdentity { .. }
                | LedgerError::UnknownPolicy(_)
                | LedgerError::RulePackInvalid { .. }
                | LedgerError::LedgerMissing { .. }
                | LedgerError::UnsafeDestination { .. }
        )
    }

    /// The `{code, message}` pair that crosses to the UI and to `--json` output.
    pub fn to_public(&self) -> PublicError {
        PublicError {
            code: self.code().to_string(),
            message: self.to_string(),
            field: self.field(),
        }
    }

    /// The input a refusal of malformed input is about.
    pub fn field(&self) -> Option<crate::fields::InputField> {
        match self {
            LedgerError::InvalidInput { field, .. }
            | LedgerError::InvalidIdentity { field, .. } => Some(*field),
            LedgerError::InvalidDate(_) => None,
            _ => None,
        }
    }

    /// Maps a refusal raised by a schema trigger (`RAISE(ABORT, 'code')`) or constraint to its typed error,
    /// so an invariant the database enforces reads the same as one the core checks first.
    pub(crate) fn from_db(err: rusqlite::Error) -> LedgerError {
        if let rusqlite::Error::SqliteFailure(e, _) = &err {
            if matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) {
                return LedgerError::LedgerBusy;
            }
        }
        let text = err.to_string();
        let first = text.split(':').next().unwrap_or("").trim();
        match first {
            "duplicate_payout" => LedgerError::DuplicatePayout {
                policy: text.split(':').nth(1).unwrap_or("").trim().to_string(),
            },
            "duplicate_supplement" => LedgerError::DuplicateSupplement,
            "approver_is_recorder" => LedgerError::ApproverIsRecorder,
            "list_not_approved" => LedgerError::ListNotApproved,
            "list_locked" => LedgerError::ListLocked,
            "list_not_posted" => LedgerError::ListNotPosted,
            "amount_mismatch" => LedgerError::AmountMismatch,
            "ledger_immutable" => LedgerError::LedgerImmutable,
            "reverser_is_payer" => LedgerError::ReverserIsPayer,
            "claim_listed" => LedgerError::ClaimListed,
            "office_locked" => LedgerError::OfficeLocked,
            "date_out_of_order" => {
                match DatedEvent::from_code(text.split(':').nth(1).unwrap_or("").trim()) {
                    Some(event) => LedgerError::DateOutOfOrder {
                        event,
                        date: None,
                        after: None,
                        today: None,
                    },
                    None => LedgerError::Database(err),
                }
            }
            "approver_made_override" => LedgerError::ApproverMadeOverride,
            "role_required" => LedgerError::RoleRequired {
                needed: "vai trò được phép cho thao tác này".into(),
                operator: "(ghi trực tiếp vào sổ)".into(),
                role: "không đủ".into(),
            },
            _ if text.contains("UNIQUE constraint failed: reversal.payout_id") => {
                LedgerError::AlreadyReversed
            }
            _ => LedgerError::Database(err),
        }
    }
}

/// Every SQLite error goes through `from_db`, so a refusal raised by a schema trigger reaches the caller
/// as the same typed error the core's own check would give, wherever the `?` is.
impl From<rusqlite::Error> for LedgerError {
    fn from(err: rusqlite::Error) -> LedgerError {
        LedgerError::from_db(err)
    }
}

/// What happened on a day the officer enters, in the order the days must run: a list is posted, then
/// decided, then paid, then (if need be) a payout reversed, and none of it after today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DatedEvent {
    Posting,
    Decision,
    Payout,
    Reversal,
}

impl DatedEvent {
    /// The day's name as forms and messages say it.
    pub fn label_vi(self) -> &'static str {
        match self {
            DatedEvent::Posting => "ngày niêm yết",
            DatedEvent::Decision => "ngày quyết định",
            DatedEvent::Payout => "ngày chi",
            DatedEvent::Reversal => "ngày thu hồi",
        }
    }

    /// The code a schema trigger raises for this day (`date_out_of_order:<code>`).
    pub fn code(self) -> &'static str {
        match self {
            DatedEvent::Posting => "posting",
            DatedEvent::Decision => "decision",
            DatedEvent::Payout => "payout",
            DatedEvent::Reversal => "reversal",
        }
    }

    pub fn from_code(code: &str) -> Option<DatedEvent> {
        [
            DatedEvent::Posting,
            DatedEvent::Decision,
            DatedEvent::Payout,
            DatedEvent::Reversal,
        ]
        .into_iter()
        .find(|e| e.code() == code)
    }
}

/// A day as people write it (`dd/mm/yyyy`, as `dates::format_vi` writes it; errors sit below `dates`).
fn day_vi(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The message of `LedgerError::DateOutOfOrder`: which day, and between which days it must fall.
fn order_message(
    event: DatedEvent,
    date: Option<chrono::NaiveDate>,
    after: Option<(DatedEvent, chrono::NaiveDate)>,
    today: Option<chrono::NaiveDate>,
) -> String {
    let mut name = event.label_vi().to_string();
    name.replace_range(..1, &name[..1].to_uppercase());
    let today = today
        .map(|t| format!("hôm nay ({})", day_vi(t)))
        .unwrap_or_else(|| "hôm nay".into());
    match (date, after) {
        (Some(d), Some((before, a))) => format!(
            "{name} {} không hợp lệ: phải từ {} ({}) đến {today}",
            day_vi(d),
            before.label_vi(),
            day_vi(a)
        ),
        (Some(d), None) => format!(
            "{name} {} là ngày trong tương lai: muộn nhất là {today}",
            day_vi(d)
        ),
        (None, _) => format!(
            "{name} không theo thứ tự: ngày niêm yết ≤ ngày quyết định ≤ ngày chi ≤ ngày thu hồi ≤ {today}"
        ),
    }
}

/// Why a file could not be opened, read or written, in Vietnamese (the system's English text otherwise).
pub fn io_reason_vi(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "không có tệp hoặc thư mục này".into(),
        PermissionDenied => {
            "không có quyền truy cập (hãy chọn thư mục khác hoặc kiểm tra quyền của tệp)".into()
        }
        IsADirectory => "đây là một thư mục, không phải tệp".into(),
        ReadOnlyFilesystem => "ổ đĩa chỉ cho phép đọc".into(),
        StorageFull => "ổ đĩa đã đầy".into(),
        InvalidData => e.to_string(),
        _ => format!("lỗi hệ thống: {e}"),
    }
}

/// What the UI and `--json` receive for an error.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct PublicError {
    pub code: String,
    pub message: String,
    /// The input the error is about, by its stable key (`InputField::key`), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<crate::fields::InputField>,
}
