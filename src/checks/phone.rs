//! A Vietnamese phone number: mobile (10 digits) or landline with its area code (11 digits, e.g. 024 3826
//! 1234), written with spaces, dots or dashes, or with +84 / 84 in front.

/// The number as stored (digits, with the leading 0), or why it is not one.
pub fn phone(text: &str) -> Result<String, String> {
    let typed = text.trim();
    let mut digits = crate::identity::without_separators(typed, &['(', ')']);
    if let Some(rest) = digits.strip_prefix("+84").or_else(|| {
        digits
            .strip_prefix("84")
            .filter(|r| r.len() == 9 || r.len() == 10)
    }) {
        digits = format!("0{rest}");
    }
    let ok = digits.starts_with('0')
        && (digits.len() == 10 || digits.len() == 11)
        && digits.bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(digits)
    } else {
        Err(format!(
            "'{typed}' không phải số điện thoại: 10 chữ số (di động) hoặc 11 chữ số có mã vùng (cố định), bắt đầu bằng 0 hoặc +84"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::phone;

    #[test]
    fn mobiles_landlines_and_the_country_code() {
        assert_eq!(phone("0912 345 678").unwrap(), "0912345678");
        assert_eq!(phone("0912.345.678").unwrap(), "0912345678");
        assert_eq!(phone("+84 912 345 678").unwrap(), "0912345678");
        assert_eq!(phone("84912345678").unwrap(), "0912345678");
        assert_eq!(phone("(024) 3826 1234").unwrap(), "02438261234");
        for bad in [
            "12345",
            "091234567",
            "0912a45678",
            "912345678",
            "",
            "091234567890",
        ] {
            assert!(phone(bad).is_err(), "{bad}");
        }
    }
}
