//! Vietnamese names: NFC for storage and display, a folded key (no tone marks, đ→d, lowercase) for search.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Canonical composed form with runs of white space collapsed; NFD input from old tools becomes NFC.
pub fn normalize_nfc(text: &str) -> String {
    use unicode_normalization::{is_nfc_quick, IsNormalized};
    // Most text is already NFC with single spaces (an import has cleaned every cell): keep it as it is.
    let spaced_once = !text.contains("  ")
        && !text.starts_with(char::is_whitespace)
        && !text.ends_with(char::is_whitespace)
        && !text.contains(|c: char| c.is_whitespace() && c != ' ');
    if spaced_once && is_nfc_quick(text.chars()) == IsNormalized::Yes {
        return text.to_string();
    }
    let composed: String = text.nfc().collect();
    composed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The search key: "Nguyễn Thị Hương" → "nguyen thi huong". Two spellings that differ only in tone marks,
/// case, NFC/NFD or spacing fold to the same key.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.nfd() {
        if is_combining_mark(ch) {
            continue;
        }
        match ch {
            'đ' | 'Đ' => out.push('d'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_tone_marks_and_d() {
        assert_eq!(fold("Nguyễn Thị Hương"), "nguyen thi huong");
        assert_eq!(fold("ĐẶNG  Văn Đức"), "dang van duc");
    }

    #[test]
    fn nfd_input_becomes_nfc() {
        let nfd: String = "Nguyễn Thị Hương".nfd().collect();
        assert_ne!(nfd, "Nguyễn Thị Hương");
        assert_eq!(normalize_nfc(&nfd), "Nguyễn Thị Hương");
        assert_eq!(fold(&nfd), "nguyen thi huong");
    }
}
