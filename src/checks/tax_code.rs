//! A tax code (mã số thuế): 10 digits, or 13 for a dependent unit, written as the 10 digits, a dash and the
//! 3-digit branch number ("0101234567-001"), or as 13 digits in a row.

/// The code as stored (`0101234567` or `0101234567-001`), or why it is not one.
pub fn tax_code(text: &str) -> Result<String, String> {
    let typed = text.trim();
    let digits = crate::identity::without_separators(typed, &[]);
    let only_digits = digits.bytes().all(|b| b.is_ascii_digit());
    match digits.len() {
        10 if only_digits => Ok(digits),
        13 if only_digits => Ok(format!("{}-{}", &digits[..10], &digits[10..])),
        _ => Err(format!(
            "'{typed}' không phải mã số thuế: 10 chữ số, hoặc 13 chữ số (10 chữ số, dấu gạch và 3 chữ số của đơn vị phụ thuộc)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::tax_code;

    #[test]
    fn ten_or_thirteen_digits_as_written() {
        assert_eq!(tax_code(" 0101234567 ").unwrap(), "0101234567");
        assert_eq!(tax_code("0101234567-001").unwrap(), "0101234567-001");
        assert_eq!(tax_code("0101234567001").unwrap(), "0101234567-001");
        assert_eq!(tax_code("0101 234 567").unwrap(), "0101234567");
        for bad in [
            "010123456",
            "01012345670",
            "0101234567-01",
            "MST0101234567",
            "",
        ] {
            assert!(tax_code(bad).is_err(), "{bad}");
        }
    }
}
