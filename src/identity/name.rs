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
        if let Some(base) = folded_letter(ch) {
            push(base, &mut out, &mut gap);
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

/// The Latin letters of Vietnamese names (U+00C0–U+024F and the precomposed U+1EA0–U+1EF9) folded once
/// into a table: a letter's base, lower case, or None when it folds to more than one character (or to a
/// space) and takes the general path. A name is folded by the million in a duplicate check.
fn folded_letter(c: char) -> Option<char> {
    const LATIN: std::ops::RangeInclusive<u32> = 0xC0..=0x24F;
    const VIETNAMESE: std::ops::RangeInclusive<u32> = 0x1EA0..=0x1EF9;
    static TABLE: std::sync::OnceLock<Vec<Option<char>>> = std::sync::OnceLock::new();
    let code = c as u32;
    let index = if LATIN.contains(&code) {
        code - LATIN.start()
    } else if VIETNAMESE.contains(&code) {
        code - VIETNAMESE.start() + (LATIN.end() - LATIN.start() + 1)
    } else {
        return None;
    };
    let table = TABLE.get_or_init(|| {
        LATIN
            .chain(VIETNAMESE)
            .map(|code| {
                let c = char::from_u32(code)?;
                if matches!(c, 'đ' | 'Đ') {
                    return Some('d');
                }
                let mut bases = Vec::new();
                unicode_normalization::char::decompose_canonical(c, |d| {
                    if !is_combining_mark(d) {
                        bases.extend(d.to_lowercase());
                    }
                });
                match bases[..] {
                    [one] if !one.is_whitespace() => Some(one),
                    _ => None,
                }
            })
            .collect()
    });
    table[index as usize]
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
    fn the_letter_table_folds_every_letter_as_the_general_path() {
        let reference = |t: &str| {
            t.nfd()
                .filter(|c| !is_combining_mark(*c))
                .map(|c| if matches!(c, 'đ' | 'Đ') { 'd' } else { c })
                .flat_map(char::to_lowercase)
                .collect::<String>()
        };
        let mut tabled = 0;
        for code in (0xC0..=0x24F).chain(0x1EA0..=0x1EF9) {
            let c = char::from_u32(code).unwrap();
            tabled += usize::from(folded_letter(c).is_some());
            let word = format!("a{c}b");
            assert_eq!(fold(&word), reference(&word).trim(), "U+{code:04X} {c}");
        }
        assert!(tabled > 300, "the table covers the letters: {tabled}");
    }

    #[test]
    fn nfd_input_becomes_nfc() {
        let nfd: String = "Nguyễn Thị Hương".nfd().collect();
        assert_ne!(nfd, "Nguyễn Thị Hương");
        assert_eq!(normalize_nfc(&nfd), "Nguyễn Thị Hương");
        assert_eq!(fold(&nfd), "nguyen thi huong");
    }
}
