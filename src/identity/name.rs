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
    // Words joined by one space, none at either end, as `split_whitespace().join(" ")` would give.
    let mut gap = false;
    let push = |c: char, out: &mut String, gap: &mut bool| {
        if c.is_whitespace() {
            *gap = !out.is_empty();
            return;
        }
        if *gap {
            out.push(' ');
            *gap = false;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    };
    for ch in text.chars() {
        if ch.is_ascii() {
            push(ch, &mut out, &mut gap);
            continue;
        }
        match ch {
            'đ' | 'Đ' => push('d', &mut out, &mut gap),
            c => unicode_normalization::char::decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    push(d, &mut out, &mut gap);
                }
            }),
        }
    }
    out
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
    fn folding_matches_decompose_then_strip() {
        // The per-character fold gives what NFD of the whole text, marks removed, lowercased, gives.
        let reference = |t: &str| {
            t.nfd()
                .filter(|c| !is_combining_mark(*c))
                .map(|c| if matches!(c, 'đ' | 'Đ') { 'd' } else { c })
                .flat_map(char::to_lowercase)
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        for t in [
            "  Nguyễn\tThị  HƯƠNG ",
            "ĐẶNG Văn Đức",
            "Phạm Ngọc Ánh\u{a0}",
            "Lê Thị Thu Hà Nội",
            "Ư Ơ ư ơ Ỹ ỹ",
            "",
            "   ",
        ] {
            let nfd: String = t.nfd().collect();
            assert_eq!(fold(t), reference(t), "{t:?}");
            assert_eq!(fold(&nfd), reference(t), "{t:?} as NFD");
        }
    }

    #[test]
    fn nfd_input_becomes_nfc() {
        let nfd: String = "Nguyễn Thị Hương".nfd().collect();
        assert_ne!(nfd, "Nguyễn Thị Hương");
        assert_eq!(normalize_nfc(&nfd), "Nguyễn Thị Hương");
        assert_eq!(fold(&nfd), "nguyen thi huong");
    }
}
