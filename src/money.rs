//! VND amounts: exact decimals in Rust, whole đồng (INTEGER) in SQLite, never a float.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign, Mul};

/// An amount of Vietnamese đồng. Arithmetic is exact; converting to storage refuses fractions of a đồng.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(Decimal);

/// JSON carries whole đồng as an integer (what scripts and the UI expect); a fraction, which no rule
/// should produce, travels as an exact decimal string rather than a float.
impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.to_dong() {
            Some(d) => s.serialize_i64(d),
            None => s.serialize_str(&self.0.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        Ok(Money::from_dong(i64::deserialize(d)?))
    }
}

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    pub fn from_dong(dong: i64) -> Money {
        Money(Decimal::from(dong))
    }

    pub fn decimal(self) -> Decimal {
        self.0
    }

    /// Whole đồng for storage. `None` when the amount has a fraction or does not fit, which the callers
    /// treat as a rule-pack error rather than silently rounding money.
    pub fn to_dong(self) -> Option<i64> {
        if self.0.fract().is_zero() {
            self.0.to_i64()
        } else {
            None
        }
    }

    /// "1.855.000" the way Vietnamese documents write amounts.
    pub fn format_vi(self) -> String {
        let whole = self.0.trunc().abs().to_string();
        let mut out = String::new();
        for (i, ch) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                out.push('.');
            }
            out.push(ch);
        }
        if self.0.is_sign_negative() && !self.0.is_zero() {
            out.insert(0, '-');
        }
        out
    }
}

/// Reads one group of three digits. `inner` groups (not the leading one) are read in full, so 1.000.050
/// becomes "... không trăm năm mươi".
fn group_in_words(n: u64, inner: bool, out: &mut Vec<&'static str>) {
    const DIGITS: [&str; 10] = [
        "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
    ];
    let (h, t, u) = (
        (n / 100) as usize,
        ((n / 10) % 10) as usize,
        (n % 10) as usize,
    );
    if h > 0 || inner {
        out.extend([DIGITS[h], "trăm"]);
    }
    match t {
        0 if u > 0 && (h > 0 || inner) => out.push("linh"),
        0 => {}
        1 => out.push("mười"),
        _ => out.extend([DIGITS[t], "mươi"]),
    }
    match u {
        0 => {}
        1 if t > 1 => out.push("mốt"),
        5 if t > 0 => out.push("lăm"),
        _ => out.push(DIGITS[u]),
    }
}

impl Money {
    /// The amount in Vietnamese words, as written on payout sheets ("Số tiền bằng chữ"):
    /// 1.855.000 → "Một triệu tám trăm năm mươi lăm nghìn đồng".
    pub fn in_words_vi(self) -> String {
        // Up to Decimal's largest (about 7.9 × 10^28): ten groups of three digits. With six scales, an amount
        // of 10^18 đồng or more (an amount cell reads up to i64::MAX) indexed past the end and panicked.
        const SCALES: [&str; 10] = [
            "",
            "nghìn",
            "triệu",
            "tỷ",
            "nghìn tỷ",
            "triệu tỷ",
            "tỷ tỷ",
            "nghìn tỷ tỷ",
            "triệu tỷ tỷ",
            "tỷ tỷ tỷ",
        ];
        let whole = self.0.trunc().abs().to_u128().unwrap_or(0);
        if whole == 0 {
            return "Không đồng".to_string();
        }
        let mut groups = Vec::new();
        let mut rest = whole;
        while rest > 0 {
            groups.push((rest % 1000) as u64);
            rest /= 1000;
        }
        let mut words: Vec<&'static str> = Vec::new();
        if self.0.is_sign_negative() {
            words.push("âm");
        }
        for (i, g) in groups.iter().enumerate().rev() {
            if *g == 0 {
                continue;
            }
            group_in_words(*g, i + 1 < groups.len(), &mut words);
            if !SCALES[i].is_empty() {
                words.push(SCALES[i]);
            }
        }
        words.push("đồng");
        let text = words.join(" ");
        let mut chars = text.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
            None => text,
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} đ", self.format_vi())
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Mul<u32> for Money {
    type Output = Money;
    fn mul(self, rhs: u32) -> Money {
        Money(self.0 * Decimal::from(rhs))
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_dot_thousands() {
        assert_eq!(Money::from_dong(1_855_000).format_vi(), "1.855.000");
        assert_eq!(Money::from_dong(184_500_000).to_string(), "184.500.000 đ");
        assert_eq!(Money::from_dong(0).format_vi(), "0");
        assert_eq!(Money::from_dong(999).format_vi(), "999");
    }

    #[test]
    fn per_day_arithmetic_is_exact() {
        let m = Money::from_dong(80_000) * 21;
        assert_eq!(m.to_dong(), Some(1_680_000));
    }

    #[test]
    fn amounts_in_vietnamese_words() {
        let w = |d: i64| Money::from_dong(d).in_words_vi();
        assert_eq!(w(0), "Không đồng");
        assert_eq!(w(5), "Năm đồng");
        assert_eq!(w(15), "Mười lăm đồng");
        assert_eq!(w(21), "Hai mươi mốt đồng");
        assert_eq!(w(25), "Hai mươi lăm đồng");
        assert_eq!(w(105), "Một trăm linh năm đồng");
        assert_eq!(w(110), "Một trăm mười đồng");
        assert_eq!(w(1_855_000), "Một triệu tám trăm năm mươi lăm nghìn đồng");
        assert_eq!(w(3_710_000), "Ba triệu bảy trăm mười nghìn đồng");
        assert_eq!(w(1_000_050), "Một triệu không trăm năm mươi đồng");
        assert_eq!(w(1_001_000), "Một triệu không trăm linh một nghìn đồng");
        assert_eq!(w(9_400_000), "Chín triệu bốn trăm nghìn đồng");
        assert_eq!(
            w(184_500_000),
            "Một trăm tám mươi bốn triệu năm trăm nghìn đồng"
        );
        assert_eq!(w(2_000_000_000), "Hai tỷ đồng");
        // 10^18 and more: past "triệu tỷ" (this panicked on an index out of bounds).
        assert_eq!(w(1_000_000_000_000_000_000), "Một tỷ tỷ đồng");
        assert!(w(i64::MAX).starts_with("Chín tỷ tỷ hai trăm hai mươi ba triệu tỷ"));
        assert!(w(i64::MIN + 1).starts_with("Âm chín tỷ tỷ"));
        assert!((Money::from_dong(i64::MAX) * 366)
            .in_words_vi()
            .starts_with("Ba nghìn tỷ tỷ"));
        assert_eq!(
            w(658_400_000),
            "Sáu trăm năm mươi tám triệu bốn trăm nghìn đồng"
        );
    }

    #[test]
    fn fractions_of_a_dong_do_not_reach_storage() {
        let half = Money(Decimal::new(5, 1));
        assert_eq!(half.to_dong(), None);
    }
}
