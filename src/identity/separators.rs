//! What people type between the digits of a number (an ID number, a tax code, a phone): spaces, dots,
//! dashes, non-breaking spaces. Dropped in one place, so every number is read the same way.

/// `text` without the separators people type inside a number (and without `also`).
pub fn without_separators(text: &str, also: &[char]) -> String {
    text.chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}') && !also.contains(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_what_is_typed_between_digits() {
        assert_eq!(
            without_separators("001 190.012-345\u{a0}", &[]),
            "001190012345"
        );
        assert_eq!(
            without_separators("(024) 3826 1234", &['(', ')']),
            "02438261234"
        );
        assert_eq!(without_separators("12a", &[]), "12a");
    }
}
