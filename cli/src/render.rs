//! How a command's result reaches the terminal: JSON for scripts, or the human text.

use relief_ledger::{InputField, LedgerError};
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

/// A refusal as a person reads it: the code, the flag (or variable) the refused input came from when the
/// core names one, and the core's message.
pub fn error_line(e: &LedgerError) -> String {
    match e.field().and_then(flag) {
        Some(flag) => format!("lỗi [{}] ({flag}): {e}", e.code()),
        None => format!("lỗi [{}]: {e}", e.code()),
    }
}

/// Where on the command line a field is given (the CLI's own map from the core's field keys).
fn flag(field: InputField) -> Option<&'static str> {
    use InputField::*;
    Some(match field {
        Operator => "--as",
        Password => "RELIEF_PASSWORD",
        Role => "--role",
        Ward => "--ward",
        District => "--district",
        City => "--city",
        Ledger => "--db",
        RulePack => "--rules",
        FullName => "--name",
        Dob => "--dob",
        Sex => "--sex",
        Phone => "--phone",
        Cccd => "--cccd",
        Cmnd => "--cmnd",
        PersonalId => "--personal-id",
        SocialInsurance => "--bhxh",
        TaxCode => "--tax-code",
        Claim => "--claim",
        Fact => "--fact",
        Days => "--days",
        Child | Children => "--child",
        List => "--list",
        DecisionNo => "--decision",
        DecisionDate | PaidOn | ReversedOn => "--date",
        Amount => "--amount",
        PaymentMethod => "--method",
        Reason => "--reason",
        Note => "--note",
        Pair => "--pair",
        ChainHead => "--head",
        _ => return None,
    })
}

/// What `relief --version` prints after the program's name: the version, the day it was built and the rule
/// pack built into it (a district's own, `--rules`, is a file the user names).
pub fn version_line(info: &relief_ledger::about::BuildInfo) -> String {
    format!(
        "{} (dựng ngày {}; bộ quy tắc kèm theo {} phiên bản {})",
        info.version,
        relief_ledger::dates::format_vi(info.build_date),
        info.pack_id,
        info.pack_version
    )
}
