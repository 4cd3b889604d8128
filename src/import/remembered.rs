//! The officer's column choices remembered per header row, so the next file with the same headers (the
//! same ward's next list) is read the same way: kept in `<ledger>.cot-nhap.json` beside the ledger, written
//! whole through `files` (never onto the ledger), read leniently (a damaged file is as good as none, never a
//! failed import).

use super::columns::{header_key, ColumnChoice};
use crate::error::Result;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Header rows kept (the oldest go first).
const KEPT: usize = 200;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Memory {
    version: u32,
    files: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    /// The header row, each cell folded (what "the same headers" means).
    headers: Vec<String>,
    choices: Vec<ColumnChoice>,
    by: String,
    at: String,
}

/// `<ledger>.cot-nhap.json` beside the ledger file.
pub fn beside(ledger: &str) -> PathBuf {
    PathBuf::from(format!("{ledger}.cot-nhap.json"))
}

fn key(header: &[String]) -> Vec<String> {
    let mut k: Vec<String> = header.iter().map(|h| header_key(h)).collect();
    while k.last().is_some_and(String::is_empty) {
        k.pop();
    }
    k
}

fn load(path: &Path) -> Memory {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// The choices kept for a file with this header row (none when there are none).
pub fn recall(path: &Path, header: &[String]) -> Result<Vec<ColumnChoice>> {
    let k = key(header);
    Ok(load(path)
        .files
        .into_iter()
        .find(|e| e.headers == k)
        .map(|e| e.choices)
        .unwrap_or_default())
}

/// Keeps `choices` for this header row (replacing what was kept for it), as `actor` chose them.
pub fn keep(path: &Path, header: &[String], choices: &[ColumnChoice], actor: &str) -> Result<()> {
    let k = key(header);
    let mut memory = load(path);
    memory.version = 1;
    memory.files.retain(|e| e.headers != k);
    memory.files.push(Entry {
        headers: k,
        choices: choices.to_vec(),
        by: actor.to_string(),
        at: crate::dates::now(),
    });
    let extra = memory.files.len().saturating_sub(KEPT);
    memory.files.drain(..extra);
    let text = serde_json::to_vec_pretty(&memory).expect("choices serialise");
    crate::files::write_bytes(path, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_come_back_for_the_same_headers_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = beside(&dir.path().join("so.sqlite").display().to_string());
        let header: Vec<String> = ["STT", "Họ tên", "Ngày bị ảnh hưởng", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(recall(&path, &header).unwrap().is_empty());
        let choice = ColumnChoice::parse("Ngày bị ảnh hưởng=Từ ngày").unwrap();
        keep(&path, &header, std::slice::from_ref(&choice), "Lan").unwrap();
        // The same headers typed otherwise (case, tone marks, a trailing blank cell) are the same headers.
        let again: Vec<String> = ["stt", "HO TEN", "Ngay bi anh huong"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(recall(&path, &again).unwrap(), vec![choice]);
        assert!(recall(&path, &again[..2]).unwrap().is_empty());
        std::fs::write(&path, b"{not json").unwrap();
        assert!(
            recall(&path, &header).unwrap().is_empty(),
            "a damaged file is as good as none"
        );
    }
}
