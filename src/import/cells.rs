//! Reading one cell of a ward file as the value it means: dates, years, amounts, yes marks, children, facts
//! and identity numbers, written the many ways offices write them. Each refusal is a Vietnamese reason.

use crate::dates::parse_date;
use crate::ledger::Dob;
use crate::rules::ChildFact;
use chrono::NaiveDate;
use std::collections::BTreeMap;

pub type CellResult<T> = std::result::Result<T, String>;

/// A cell's text: NFC (files typed with combining marks, or decoded from Windows-1258), trimmed, inner
/// runs of spaces collapsed; non-breaking spaces count as spaces.
pub fn clean(raw: &str) -> String {
    let mut out = String::new();
    clean_into(raw, &mut out);
    out
}

/// `clean`, appended to `out` (a reader packing a row's cells into one buffer allocates once per row).
pub fn clean_into(raw: &str, out: &mut String) {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    // Nearly every cell is already NFC: every character below U+0300 (ASCII, Latin-1, ă â đ ê ô ơ ư) and
    // the precomposed Vietnamese letters (U+1EA0–U+1EF9) are NFC on their own, so the full check runs
    // only on a cell holding anything else.
    let plain = |c: char| c < '\u{300}' || ('\u{1EA0}'..='\u{1EF9}').contains(&c);
    let text: std::borrow::Cow<str> = if raw.chars().all(plain) {
        raw.into()
    } else {
        match is_nfc_quick(raw.chars()) {
            IsNormalized::Yes => raw.into(),
            _ => raw.nfc().collect::<String>().into(),
        }
    };
    let trimmed = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    // `="001190012345"`: how a CSV keeps digits as text for Excel (the exports write IDs so); the value is
    // what is inside the quotes.
    let trimmed = match trimmed
        .strip_prefix("=\"")
        .and_then(|t| t.strip_suffix('"'))
    {
        Some(inner) if !inner.contains('"') => inner,
        _ => trimmed,
    };
    // A leading apostrophe is Excel's "this is text" mark (and how our files neutralise a formula-like
    // cell): it is not part of the value.
    let trimmed = trimmed.strip_prefix('\'').unwrap_or(trimmed);
    if single_spaced(trimmed) {
        out.push_str(trimmed);
        return;
    }
    for (i, word) in trimmed.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// No whitespace but single plain spaces (one pass: most cells are like this).
fn single_spaced(text: &str) -> bool {
    let mut after_space = false;
    for c in text.chars() {
        if c == ' ' {
            if after_space {
                return false;
            }
            after_space = true;
        } else if c.is_whitespace() {
            return false;
        } else {
            after_space = false;
        }
    }
    true
}

/// A date as dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy or yyyy-mm-dd (also with Excel's midnight time,
/// `2021-07-24 00:00:00`).
pub fn date(text: &str) -> CellResult<NaiveDate> {
    let day = without_midnight(text);
    parse_date(day).map_err(|_| {
        if two_digit_year(day) {
            format!("ngày '{text}': năm phải ghi đủ 4 chữ số (dd/mm/yyyy)")
        } else if looks_like_date(day) {
            format!("ngày '{text}' không có thật trên lịch")
        } else {
            format!("'{text}' không phải ngày (dùng dd/mm/yyyy)")
        }
    })
}

/// `2021-07-24 00:00:00` (how Excel writes a date cell to CSV) → `2021-07-24`; anything else as it is.
fn without_midnight(text: &str) -> &str {
    match text.split_once(' ') {
        Some((day, time)) if ["00:00:00", "00:00", "0:00:00", "0:00"].contains(&time.trim()) => day,
        _ => text,
    }
}

fn two_digit_year(text: &str) -> bool {
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    looks_like_date(text) && parts[0].len() <= 2 && parts[2].len() == 2
}

fn looks_like_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A date of birth: a whole date, or a year alone (kept as a year, never passed off as 1 January).
pub fn birth(text: &str) -> CellResult<Dob> {
    let dob = Dob::parse(without_midnight(text)).map_err(|_| {
        if two_digit_year(without_midnight(text)) {
            format!("ngày sinh '{text}': năm phải ghi đủ 4 chữ số (dd/mm/yyyy)")
        } else if looks_like_date(text) {
            format!("ngày sinh '{text}' không có thật trên lịch")
        } else {
            format!("'{text}' không phải ngày sinh (dd/mm/yyyy hoặc năm sinh)")
        }
    })?;
    let today = crate::dates::today_vn();
    if dob.year() < 1900
        || dob.date().is_some_and(|d| d > today)
        || dob.year() > chrono::Datelike::year(&today)
    {
        return Err(format!("ngày sinh '{text}' không hợp lý"));
    }
    Ok(dob)
}

/// An amount in whole đồng: `1.855.000`, `1,855,000`, `1 855 000`, `1855000`, with or without "đ"/"đồng"/"VND".
pub fn amount(text: &str) -> CellResult<i64> {
    let bad = || format!("số tiền '{text}' không đọc được (ghi 1.234.500 hoặc 1234500)");
    let mut t = text.trim().to_lowercase();
    for unit in ["đồng", "vnđ", "vnd", "đ", "d"] {
        if let Some(stripped) = t.strip_suffix(unit) {
            t = stripped.trim().to_string();
            break;
        }
    }
    if t.is_empty() {
        return Err(bad());
    }
    // Separators group thousands; a separator followed by other than exactly three digits would be a
    // decimal part, and đồng have none (except a trailing ",00"/".00" that Excel writes for currency).
    let t = t
        .strip_suffix(",00")
        .or_else(|| t.strip_suffix(".00"))
        .unwrap_or(&t)
        .to_string();
    let groups: Vec<&str> = t.split(['.', ',', ' ', '\u{a0}']).collect();
    if groups
        .iter()
        .any(|g| g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    if groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return Err(bad());
    }
    groups.concat().parse::<i64>().map_err(|_| bad())
}

/// A yes/no mark, as `checks::yes_no` reads it (x, có, 1, yes, đúng → yes; blank, không, 0, no → no).
pub fn yes(text: &str) -> CellResult<bool> {
    crate::checks::yes_no(text)
}

/// A whole number of days.
pub fn days(text: &str) -> CellResult<u32> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=366).contains(d))
        .ok_or_else(|| format!("số ngày '{text}' phải là số nguyên từ 1 đến 366"))
}

/// Children under 6: "Họ tên - dd/mm/yyyy - số định danh" (ID optional), several separated by ";" or a
/// line break. A bare date is accepted too (then one parent only is keyed by nothing but the date, and the
/// core will ask for the name).
pub fn children(text: &str) -> CellResult<Vec<ChildFact>> {
    let mut out = Vec::new();
    for item in text
        .split([';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let parts: Vec<&str> = item
            .split(['-', '–', '|', '(', ')'])
            .flat_map(|p| p.split(", "))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let mut name = None;
        let mut dob = None;
        let mut id = None;
        for p in parts {
            if looks_like_date(p) {
                dob = Some(
                    parse_date(p)
                        .map_err(|_| format!("ngày sinh của con '{p}' không có thật trên lịch"))?,
                );
            } else if p
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b' ' || b == b'.')
            {
                id = Some(p.to_string());
            } else if name.is_none() {
                name = Some(p.to_string());
            } else {
                return Err(format!(
                    "không đọc được con '{item}' (ghi: Họ tên - dd/mm/yyyy - số định danh)"
                ));
            }
        }
        let dob = dob.ok_or_else(|| {
            format!("con '{item}' thiếu ngày sinh (ghi: Họ tên - dd/mm/yyyy - số định danh)")
        })?;
        // The same child twice would be two supplements for one child.
        let folded = name.as_deref().map(crate::identity::fold);
        let same = |c: &ChildFact| match (&c.id_number, &id) {
            (Some(a), Some(b)) => a == b,
            _ => c.dob == dob && c.name.as_deref().map(crate::identity::fold) == folded,
        };
        if out.iter().any(same) {
            return Err(format!("con '{item}' được ghi hai lần"));
        }
        out.push(ChildFact {
            name,
            dob,
            id_number: id,
        });
    }
    Ok(out)
}

/// Yes/no facts by name: `social_insurance=có; receives_pension=không` (also `:` and `,`).
pub fn facts(text: &str, known: &[&str]) -> CellResult<BTreeMap<String, bool>> {
    let mut out = BTreeMap::new();
    for item in text
        .split([';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let (k, v) = item
            .split_once(['=', ':'])
            .ok_or_else(|| format!("'{item}': ghi tên_điều_kiện=có hoặc tên_điều_kiện=không"))?;
        let k = k.trim().to_lowercase();
        if !known.contains(&k.as_str()) {
            return Err(format!(
                "điều kiện '{k}' không có trong chính sách (có: {})",
                known.join(", ")
            ));
        }
        out.insert(k, yes(v)?);
    }
    Ok(out)
}

/// An identity number's digits: spaces, dots and dashes dropped, and a number Excel turned into
/// scientific notation (1.08501E+11) caught, since its digits are lost.
pub fn id_digits(text: &str) -> CellResult<String> {
    let t = text.trim().trim_start_matches('\'');
    if t.contains(['E', 'e']) && t.contains('+') {
        return Err(format!(
            "'{text}' là số đã bị Excel đổi sang dạng khoa học, mất chữ số; định dạng cột là Văn bản (Text) rồi nhập lại"
        ));
    }
    let digits = crate::identity::without_separators(t, &[]);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("'{text}' không phải số giấy tờ (chỉ gồm chữ số)"));
    }
    match digits.len() {
        9 | 12 => Ok(digits),
        10 | 11 => Err(format!(
            "có {} chữ số; CCCD có 12, CMND có 9 — Excel có thể đã bỏ số 0 ở đầu (định dạng cột là Văn bản rồi nhập lại)",
            digits.len()
        )),
        n => Err(format!("có {n} chữ số; CCCD/định danh có 12, CMND có 9")),
    }
}

/// What a cell an Excel sheet stored as a number means, for a column whose values start with 0: the
/// number has lost its leading zeros. They are put back only where one reading is possible, with the reason
/// to show (`Ok(Some((number, why)))`); `Ok(None)` leaves the cell as it is; an ID number that cannot be
/// read one way only is refused with what to do.
pub fn restore_zeros(
    field: crate::import::Field,
    text: &str,
) -> CellResult<Option<(String, String)>> {
    use crate::import::Field;
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let n = text.len();
    let pad = |to: usize| format!("{}{text}", "0".repeat(to - n));
    let lost = "Excel lưu ô này dạng số nên đã bỏ số 0 ở đầu";
    Ok(match (field, n) {
        (Field::IdNumber, 9 | 12) => None,
        (Field::IdNumber, 10 | 11) => Some((
            pad(12),
            format!("{lost}; {n} chữ số chỉ có thể là CCCD 12 số (mã tỉnh bắt đầu bằng 0), đã thêm lại"),
        )),
        (Field::IdNumber, 8) => Some((
            pad(9),
            format!("{lost}; 8 chữ số chỉ có thể là CMND 9 số (CCCD mất nhiều nhất hai số 0), đã thêm lại"),
        )),
        (Field::IdNumber, _) => {
            return Err(format!(
                "{lost}; {n} chữ số không cho biết số đúng (CCCD có 12 số, CMND 9 số): định dạng cột là Văn bản (Text), gõ lại số rồi nhập lại"
            ))
        }
        (Field::Phone, 9) if matches!(text.as_bytes()[0], b'3' | b'5' | b'7' | b'8' | b'9') => Some((
            pad(10),
            format!("{lost}; số di động có 10 chữ số bắt đầu bằng 0, đã thêm lại"),
        )),
        (Field::Phone, 10) if text.starts_with('2') => Some((
            pad(11),
            format!("{lost}; số cố định có 11 chữ số bắt đầu bằng 02, đã thêm lại"),
        )),
        (Field::SocialInsurance | Field::TaxCode, 9) => Some((
            pad(10),
            format!("{lost}; mã này có 10 chữ số, đã thêm lại"),
        )),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_offices_write_them() {
        for t in [
            "1.855.000",
            "1,855,000",
            "1855000",
            "1 855 000",
            "1.855.000 đ",
            "1.855.000đ",
            "1855000 VND",
            "1.855.000,00",
        ] {
            assert_eq!(amount(t), Ok(1_855_000), "{t}");
        }
        for t in ["1.855", "abc", "1,85", "", "18.55.000", "-5"] {
            if t == "1.855" {
                assert_eq!(amount(t), Ok(1_855), "a thousands group is read as such");
                continue;
            }
            assert!(amount(t).is_err(), "{t}");
        }
    }

    #[test]
    fn dates_and_years() {
        assert_eq!(
            date("5/7/2021"),
            Ok(NaiveDate::from_ymd_opt(2021, 7, 5).unwrap())
        );
        assert_eq!(
            date("05/07/2021"),
            Ok(NaiveDate::from_ymd_opt(2021, 7, 5).unwrap())
        );
        assert!(date("31/02/1985").unwrap_err().contains("không có thật"));
        assert!(date("hôm qua").unwrap_err().contains("không phải ngày"));
        assert_eq!(birth("1962"), Ok(Dob::Year(1962)));
        assert!(birth("2090").is_err());
    }

    #[test]
    fn children_and_ids() {
        let c = children("Nguyễn An - 02/03/2019 - 001219012345; Nguyễn Bình - 4/5/2020").unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].name.as_deref(), Some("Nguyễn An"));
        assert_eq!(c[0].id_number.as_deref(), Some("001219012345"));
        assert_eq!(c[1].id_number, None);
        assert!(children("Nguyễn An").is_err());
        assert!(
            children("An - 02/03/2019 - 001219012345; An - 02/03/2019 - 001219012345")
                .unwrap_err()
                .contains("hai lần")
        );
        assert!(children("An - 02/03/2019; an - 2/3/2019")
            .unwrap_err()
            .contains("hai lần"));
        assert_eq!(
            date("2021-07-24 00:00:00"),
            Ok(NaiveDate::from_ymd_opt(2021, 7, 24).unwrap())
        );
        assert!(date("24/7/21").unwrap_err().contains("4 chữ số"));
        assert_eq!(clean("'01/01/1980"), "01/01/1980");
        assert_eq!(clean("=\"001190012345\""), "001190012345");
        assert_eq!(id_digits(" 001 088 012 345 "), Ok("001088012345".into()));
        assert!(id_digits("1088012345").unwrap_err().contains("bỏ số 0"));
        assert!(id_digits("1.08801E+11").unwrap_err().contains("khoa học"));
    }

    #[test]
    fn zeros_are_restored_only_where_one_reading_is_possible() {
        use crate::import::Field;
        let restored = |f, t| restore_zeros(f, t).unwrap().map(|(n, _)| n);
        assert_eq!(
            restored(Field::IdNumber, "1190012345").as_deref(),
            Some("001190012345")
        );
        assert_eq!(
            restored(Field::IdNumber, "79085012345").as_deref(),
            Some("079085012345")
        );
        assert_eq!(
            restored(Field::IdNumber, "12345678").as_deref(),
            Some("012345678")
        );
        assert_eq!(restored(Field::IdNumber, "162345817"), None);
        assert_eq!(restored(Field::IdNumber, "001190012345"), None);
        assert!(restore_zeros(Field::IdNumber, "1234567")
            .unwrap_err()
            .contains("Văn bản"));
        assert_eq!(
            restored(Field::Phone, "912345678").as_deref(),
            Some("0912345678")
        );
        assert_eq!(
            restored(Field::Phone, "2438253535").as_deref(),
            Some("02438253535")
        );
        assert_eq!(restored(Field::Phone, "112"), None);
        assert_eq!(
            restored(Field::SocialInsurance, "121457893").as_deref(),
            Some("0121457893")
        );
        assert_eq!(restored(Field::Amount, "1500000"), None);
        assert_eq!(restored(Field::IdNumber, "1.5"), None);
    }

    #[test]
    fn clean_normalises_and_trims() {
        let nfd = "Nguye\u{302}\u{303}n  Thi\u{323}\u{a0} Lan ";
        assert_eq!(clean(nfd), "Nguyễn Thị Lan");
    }
}
