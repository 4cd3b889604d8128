//! Validation of identity numbers: length, digits, and for the 12-digit citizen number the province code and
//! the century/sex digit checked against the holder's birth year and sex (Circular 07/2016/TT-BCA).

use crate::error::{LedgerError, Result};
use crate::fields::InputField;
use serde::{Deserialize, Serialize};

/// The kinds of identity document a person may hold; a person often holds several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// Old identity card: 9 digits (some later cards 12).
    Cmnd,
    /// Citizen identity card: 12 digits.
    Cccd,
    /// Personal identification number (also given to children): same 12-digit form as the CCCD.
    PersonalId,
    /// Social-insurance number: 10 digits.
    SocialInsurance,
}

impl IdKind {
    pub const ALL: [IdKind; 4] = [
        IdKind::Cccd,
        IdKind::Cmnd,
        IdKind::PersonalId,
        IdKind::SocialInsurance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Cmnd => "cmnd",
            IdKind::Cccd => "cccd",
            IdKind::PersonalId => "personal_id",
            IdKind::SocialInsurance => "social_insurance",
        }
    }

    /// The input field a number of this kind is typed into.
    pub fn field(self) -> InputField {
        match self {
            IdKind::Cmnd => InputField::Cmnd,
            IdKind::Cccd => InputField::Cccd,
            IdKind::PersonalId => InputField::PersonalId,
            IdKind::SocialInsurance => InputField::SocialInsurance,
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            IdKind::Cmnd => "CMND",
            IdKind::Cccd => "CCCD",
            IdKind::PersonalId => "Mã định danh",
            IdKind::SocialInsurance => "Mã số BHXH",
        }
    }

    pub fn parse(text: &str) -> Result<IdKind> {
        match text.trim().to_lowercase().as_str() {
            "cmnd" => Ok(IdKind::Cmnd),
            "cccd" => Ok(IdKind::Cccd),
            "personal_id" | "dinh_danh" | "madinhdanh" => Ok(IdKind::PersonalId),
            "social_insurance" | "bhxh" => Ok(IdKind::SocialInsurance),
            other => Err(LedgerError::InvalidInput {
                field: InputField::IdKind,
                message: format!("'{other}' không phải cmnd, cccd, personal_id hay bhxh"),
            }),
        }
    }

    /// Guesses the kind from a bare number as lists write it: 9 digits CMND, 12 digits CCCD, 10 digits BHXH.
    pub fn guess(number: &str) -> Option<IdKind> {
        match number.len() {
            9 => Some(IdKind::Cmnd),
            10 => Some(IdKind::SocialInsurance),
            12 => Some(IdKind::Cccd),
            _ => None,
        }
    }
}

/// One identity document of a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityDoc {
    pub kind: IdKind,
    pub number: String,
}

/// Province and city codes that open a 12-digit citizen number.
const PROVINCES: &[(&str, &str)] = &[
    ("001", "Hà Nội"),
    ("002", "Hà Giang"),
    ("004", "Cao Bằng"),
    ("006", "Bắc Kạn"),
    ("008", "Tuyên Quang"),
    ("010", "Lào Cai"),
    ("011", "Điện Biên"),
    ("012", "Lai Châu"),
    ("014", "Sơn La"),
    ("015", "Yên Bái"),
    ("017", "Hòa Bình"),
    ("019", "Thái Nguyên"),
    ("020", "Lạng Sơn"),
    ("022", "Quảng Ninh"),
    ("024", "Bắc Giang"),
    ("025", "Phú Thọ"),
    ("026", "Vĩnh Phúc"),
    ("027", "Bắc Ninh"),
    ("030", "Hải Dương"),
    ("031", "Hải Phòng"),
    ("033", "Hưng Yên"),
    ("034", "Thái Bình"),
    ("035", "Hà Nam"),
    ("036", "Nam Định"),
    ("037", "Ninh Bình"),
    ("038", "Thanh Hóa"),
    ("040", "Nghệ An"),
    ("042", "Hà Tĩnh"),
    ("044", "Quảng Bình"),
    ("045", "Quảng Trị"),
    ("046", "Thừa Thiên Huế"),
    ("048", "Đà Nẵng"),
    ("049", "Quảng Nam"),
    ("051", "Quảng Ngãi"),
    ("052", "Bình Định"),
    ("054", "Phú Yên"),
    ("056", "Khánh Hòa"),
    ("058", "Ninh Thuận"),
    ("060", "Bình Thuận"),
    ("062", "Kon Tum"),
    ("064", "Gia Lai"),
    ("066", "Đắk Lắk"),
    ("067", "Đắk Nông"),
    ("068", "Lâm Đồng"),
    ("070", "Bình Phước"),
    ("072", "Tây Ninh"),
    ("074", "Bình Dương"),
    ("075", "Đồng Nai"),
    ("077", "Bà Rịa - Vũng Tàu"),
    ("079", "TP. Hồ Chí Minh"),
    ("080", "Long An"),
    ("082", "Tiền Giang"),
    ("083", "Bến Tre"),
    ("084", "Trà Vinh"),
    ("086", "Vĩnh Long"),
    ("087", "Đồng Tháp"),
    ("089", "An Giang"),
    ("091", "Kiên Giang"),
    ("092", "Cần Thơ"),
    ("093", "Hậu Giang"),
    ("094", "Sóc Trăng"),
    ("095", "Bạc Liêu"),
    ("096", "Cà Mau"),
];

/// The province a 12-digit citizen number was issued for.
pub fn province_name(code: &str) -> Option<&'static str> {
    PROVINCES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// Normalises (strips spaces, dots and dashes) and validates an identity number. `birth_year` and
/// `female` are checked against a 12-digit citizen number when known.
pub fn validate_identity(
    kind: IdKind,
    raw: &str,
    birth_year: Option<i32>,
    female: Option<bool>,
) -> Result<String> {
    let number = super::without_separators(raw, &[]);
    let fail = |reason: String| LedgerError::InvalidIdentity {
        field: kind.field(),
        kind: kind.label_vi().to_string(),
        number: raw.trim().to_string(),
        reason,
    };
    if number.is_empty() {
        return Err(fail("để trống".into()));
    }
    if !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(fail("chỉ được gồm chữ số".into()));
    }
    let len = number.len();
    match kind {
        IdKind::Cmnd if len != 9 && len != 12 => {
            Err(fail(format!("CMND có 9 (hoặc 12) chữ số, số này có {len}")))
        }
        IdKind::Cccd | IdKind::PersonalId if len != 12 => {
            Err(fail(format!("phải có 12 chữ số, số này có {len}")))
        }
        IdKind::SocialInsurance if len != 10 => {
            Err(fail(format!("mã số BHXH có 10 chữ số, số này có {len}")))
        }
        // A 12-digit CMND is already in the citizen-number form (and the same number the CCCD keeps).
        IdKind::Cccd | IdKind::PersonalId => {
            check_citizen_number(&number, birth_year, female).map_err(fail)?;
            Ok(number)
        }
        IdKind::Cmnd if len == 12 => {
            check_citizen_number(&number, birth_year, female).map_err(fail)?;
            Ok(number)
        }
        _ => Ok(number),
    }
}

/// What a 12-digit citizen number (CCCD, personal ID, 12-digit CMND) says of its holder: digit 4 is the
/// century and sex (0/1: 1900s male/female, 2/3: 2000s, 4/5: 2100s...), digits 5–6 the last two digits of
/// the birth year. The one reading of those digits: the form's sex filled from a CCCD, the check of a
/// number against a declared birth year and sex, and the duplicate check all use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CitizenBirth {
    pub year: i32,
    pub female: bool,
}

/// The birth year and sex a 12-digit citizen number carries (spaces, dots and dashes ignored); None for any
/// other number.
pub fn citizen_birth(number: &str) -> Option<CitizenBirth> {
    let digits = super::without_separators(number, &[]).into_bytes();
    if digits.len() != 12 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let code = i32::from(digits[3] - b'0');
    let yy = i32::from(digits[4] - b'0') * 10 + i32::from(digits[5] - b'0');
    Some(CitizenBirth {
        year: 1900 + (code / 2) * 100 + yy,
        female: code % 2 == 1,
    })
}

/// Digits 1–3 province, then what `citizen_birth` reads, checked against the declared birth year and sex.
fn check_citizen_number(
    n: &str,
    birth_year: Option<i32>,
    female: Option<bool>,
) -> std::result::Result<(), String> {
    let province = &n[0..3];
    if province_name(province).is_none() {
        return Err(format!("mã tỉnh '{province}' không tồn tại"));
    }
    let birth = citizen_birth(n).ok_or_else(|| "năm sinh không hợp lệ".to_string())?;
    if let Some(by) = birth_year {
        if by != birth.year {
            return Err(format!(
                "số cho năm sinh {}, nhưng năm sinh khai là {by}",
                birth.year
            ));
        }
    }
    if let Some(f) = female {
        if f != birth.female {
            let said = if birth.female { "nữ" } else { "nam" };
            return Err(format!("số ghi giới tính {said}, khác với giới tính khai"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_a_valid_cccd_and_checks_year_and_sex() {
        // 001 Hà Nội, 1 = female born 1900s, 90 = 1990.
        assert_eq!(
            validate_identity(IdKind::Cccd, "001 190 012345", Some(1990), Some(true)).unwrap(),
            "001190012345"
        );
        let wrong_year =
            validate_identity(IdKind::Cccd, "001190012345", Some(1991), None).unwrap_err();
        assert!(wrong_year.to_string().contains("1990"));
        assert!(validate_identity(IdKind::Cccd, "001190012345", None, Some(false)).is_err());
        // 2 = male born 2000s.
        assert!(
            validate_identity(IdKind::PersonalId, "001215012345", Some(2015), Some(false)).is_ok()
        );
    }

    #[test]
    fn refuses_bad_numbers_with_a_reason() {
        let dropped_digit = validate_identity(IdKind::Cccd, "00119001234", None, None).unwrap_err();
        assert!(dropped_digit.to_string().contains("11"), "{dropped_digit}");
        assert!(
            validate_identity(IdKind::Cccd, "003190012345", None, None).is_err(),
            "003 is no province"
        );
        assert!(validate_identity(IdKind::Cmnd, "01234567", None, None).is_err());
        assert!(validate_identity(IdKind::Cmnd, "01234567a", None, None).is_err());
        assert!(validate_identity(IdKind::SocialInsurance, "012345678", None, None).is_err());
        assert_eq!(
            validate_identity(IdKind::Cmnd, "012.345.678", None, None).unwrap(),
            "012345678"
        );
    }

    #[test]
    fn reads_century_sex_and_year() {
        let b = citizen_birth("001 190 012345").unwrap();
        assert_eq!((b.year, b.female), (1990, true));
        let b = citizen_birth("001215012345").unwrap();
        assert_eq!((b.year, b.female), (2015, false));
        assert_eq!(citizen_birth("012345678"), None);
        assert_eq!(citizen_birth("00119001234a"), None);
    }

    proptest! {
        #[test]
        fn never_panics_and_accepted_numbers_are_digits(s in "\\PC{0,20}") {
            for kind in [IdKind::Cmnd, IdKind::Cccd, IdKind::PersonalId, IdKind::SocialInsurance] {
                if let Ok(n) = validate_identity(kind, &s, None, None) {
                    prop_assert!(n.bytes().all(|b| b.is_ascii_digit()));
                    prop_assert!(matches!(n.len(), 9 | 10 | 12));
                }
            }
        }
    }
}
