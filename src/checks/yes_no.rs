//! A yes/no answer as offices write it in a list cell or on the command line, with or without tone marks.

/// Yes: x, có, 1, yes, y, đúng, v, ok, true. No: blank, không, 0, no, n, -, sai, false. Anything else is
/// refused with what to write.
pub fn yes_no(text: &str) -> Result<bool, String> {
    match crate::identity::fold(text).as_str() {
        "" | "khong" | "0" | "no" | "n" | "-" | "sai" | "false" => Ok(false),
        "x" | "co" | "1" | "yes" | "y" | "dung" | "v" | "ok" | "true" => Ok(true),
        _ => Err(format!(
            "'{}': ghi x / có / yes (có) hoặc để trống / không / no (không)",
            text.trim()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::yes_no;

    #[test]
    fn the_words_offices_use() {
        for y in ["x", "X", "có", "Có", "co", "1", "yes", "đúng", "true"] {
            assert_eq!(yes_no(y), Ok(true), "{y}");
        }
        for n in ["", " ", "không", "khong", "0", "no", "-", "sai", "false"] {
            assert_eq!(yes_no(n), Ok(false), "{n}");
        }
        assert!(yes_no("có lẽ").is_err());
    }
}
