//! Drafts: what an officer typed in a form and has not saved yet, kept while they move between screens and
//! across a restart of the app, in `<ledger>.ban-nhap.json` beside the ledger (written whole through the
//! core's `files`, never onto the ledger). Each operator has their own drafts: a form half-filled by one is
//! not saved under another's name. Only typed text is kept — a field whose name speaks of a password or PIN
//! is dropped before anything is written, whatever the page sends.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tauri::State;

use crate::{CommandError, LedgerState};

type Res<T> = Result<T, CommandError>;

/// The largest draft kept (a claim form with several children is a few kilobytes).
const MAX_DRAFT_BYTES: usize = 64 * 1024;

/// The drafts file of the ledger at `ledger`: `<ledger>.ban-nhap.json` beside it.
pub fn drafts_file(ledger: &Path) -> PathBuf {
    let mut name = ledger.as_os_str().to_os_string();
    name.push(".ban-nhap.json");
    PathBuf::from(name)
}

/// One form's draft: its fields as the page collected them, and when it was last kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub saved_at: String,
    pub fields: Value,
}

/// operator → form → draft.
type DraftsFile = BTreeMap<String, BTreeMap<String, Draft>>;

/// The drafts beside the open ledger; one writer at a time.
pub struct Drafts {
    file: Option<PathBuf>,
    lock: Mutex<()>,
}

impl Drafts {
    pub fn beside(ledger: &LedgerState) -> Self {
        Drafts {
            file: ledger.path().ok().map(drafts_file),
            lock: Mutex::new(()),
        }
    }

    fn read(&self) -> DraftsFile {
        let Some(file) = &self.file else {
            return DraftsFile::new();
        };
        match std::fs::read(file) {
            // A file that cannot be read back (cut short by a power cut) holds nothing worth keeping.
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_default(),
            Err(_) => DraftsFile::new(),
        }
    }

    fn write(&self, all: &DraftsFile) -> Res<()> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let json = serde_json::to_vec_pretty(all)
            .map_err(|e| CommandError::internal("unexpected", "Lỗi nội bộ", &e))?;
        relief_ledger::files::write_bytes(file, &json).map_err(|e| {
            CommandError::internal(
                "file_unwritable",
                &format!(
                    "Không lưu được bản nháp vào {}. Hãy kiểm tra quyền ghi và chỗ trống trên ổ đĩa; những gì đã nhập vẫn còn trên màn hình.",
                    file.display()
                ),
                &e,
            )
        })
    }

    /// `operator`'s drafts, by form.
    pub fn of(&self, operator: &str) -> BTreeMap<String, Draft> {
        let _one = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        self.read().remove(operator).unwrap_or_default()
    }

    /// Keeps `fields` as `operator`'s draft of `form` (a password field dropped), or discards the draft
    /// when `fields` is null or holds nothing typed.
    pub fn keep(&self, operator: &str, form: &str, fields: Option<Value>) -> Res<Option<Draft>> {
        let form = form.trim();
        if form.is_empty() || form.len() > 64 {
            return Err(CommandError::new(
                "invalid_input",
                "Tên biểu mẫu không hợp lệ.",
            ));
        }
        let fields = fields.map(without_secrets).filter(typed);
        let draft = match fields {
            Some(fields) => {
                if serde_json::to_vec(&fields).map_or(0, |b| b.len()) > MAX_DRAFT_BYTES {
                    return Err(CommandError::new(
                        "invalid_input",
                        "Bản nháp quá lớn để lưu; những gì đã nhập vẫn còn trên màn hình.",
                    ));
                }
                Some(Draft {
                    saved_at: relief_ledger::dates::now(),
                    fields,
                })
            }
            None => None,
        };
        let _one = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut all = self.read();
        let mine = all.entry(operator.to_string()).or_default();
        let changed = match &draft {
            Some(d) => mine
                .insert(form.to_string(), d.clone())
                .is_none_or(|old| old.fields != d.fields),
            None => mine.remove(form).is_some(),
        };
        if mine.is_empty() {
            all.remove(operator);
        }
        if changed {
            self.write(&all)?;
        }
        Ok(draft)
    }
}

/// True for a key that names a password or PIN, in English or Vietnamese.
fn secret_key(key: &str) -> bool {
    let k = relief_ledger::identity::fold(key).replace([' ', '-', '_'], "");
    k == "pin"
        || ["secret", "password", "passwd", "matkhau"]
            .iter()
            .any(|w| k.contains(w))
}

/// The same value without any field named like a password, at any depth.
fn without_secrets(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| !secret_key(k))
                .map(|(k, v)| (k, without_secrets(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_secrets).collect()),
        other => other,
    }
}

/// True when something was typed or chosen: a non-empty text, a ticked box, a number.
fn typed(v: &Value) -> bool {
    match v {
        Value::String(s) => !s.trim().is_empty(),
        Value::Bool(b) => *b,
        Value::Number(_) => true,
        Value::Array(items) => items.iter().any(typed),
        Value::Object(map) => map.values().any(typed),
        Value::Null => false,
    }
}

/// The signed-in operator's drafts, by form.
#[tauri::command]
pub async fn drafts(
    s: State<'_, LedgerState>,
    d: State<'_, Drafts>,
) -> Res<BTreeMap<String, Draft>> {
    let actor = s.session().actor()?;
    Ok(d.of(actor.name()))
}

/// Keeps what the signed-in operator typed in `form` (or discards it: `fields` null); returns the draft
/// kept, null when there is nothing to keep.
#[tauri::command]
pub async fn save_draft(
    s: State<'_, LedgerState>,
    d: State<'_, Drafts>,
    form: String,
    fields: Option<Value>,
) -> Res<Option<Draft>> {
    let actor = s.session().actor()?;
    d.keep(actor.name(), &form, fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn drops_passwords_and_keeps_what_was_typed() {
        let v = without_secrets(json!({
            "name": "Lê Văn Cường", "secret": "x", "secret2": "x", "matKhau": "y",
            "nested": { "password": "z", "ok": "1" }, "pin": "1234"
        }));
        assert_eq!(
            v,
            json!({ "name": "Lê Văn Cường", "nested": { "ok": "1" } })
        );
        assert!(!typed(&json!({ "a": "  ", "b": false, "c": [] })));
        assert!(typed(&json!({ "a": "", "b": ["", "x"] })));
    }

    #[test]
    fn each_operator_keeps_their_own_drafts_in_a_file_beside_the_ledger() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("ledger.sqlite");
        let d = Drafts {
            file: Some(drafts_file(&ledger)),
            lock: Mutex::new(()),
        };
        d.keep(
            "An",
            "person",
            Some(json!({ "fullName": "Nguyễn Thị Hương", "secret": "x" })),
        )
        .unwrap()
        .unwrap();
        assert!(d
            .keep("An", "claim", Some(json!({ "from": "" })))
            .unwrap()
            .is_none());
        let text = std::fs::read_to_string(dir.path().join("ledger.sqlite.ban-nhap.json")).unwrap();
        assert!(
            text.contains("Nguyễn Thị Hương") && !text.contains("secret"),
            "{text}"
        );
        assert_eq!(
            d.of("An")["person"].fields,
            json!({ "fullName": "Nguyễn Thị Hương" })
        );
        assert!(d.of("Bình").is_empty());
        d.keep("An", "person", None).unwrap();
        assert!(d.of("An").is_empty());
    }
}
