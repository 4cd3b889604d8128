//! Comparing two records: the folded, compact form each record is compared in, and the evidence a pair
//! shows for and against one person, as reasons with weights.

use super::reason::{Reason, ReasonCode};
use super::record::{Record, RecordKind};
use crate::identity::fold;
use crate::ledger::{Dob, Sex};
use chrono::Datelike;

/// The number spaces in which two different numbers mean two different people (one person holds one
/// citizen number, one CMND, one social-insurance number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Space {
    Citizen,
    Cmnd,
    SocialInsurance,
    Unknown,
}

#[derive(Debug, Clone)]
pub(super) struct IdKey {
    pub digits: Box<str>,
    pub space: Space,
}

/// A record folded for comparison: name words without tone marks, the date of birth, the numbers.
#[derive(Debug, Clone)]
pub(super) struct Prepared {
    /// Folded name words in the order written.
    pub words: Vec<Box<str>>,
    pub dob: Option<Dob>,
    pub sex: Option<Sex>,
    pub ids: Vec<IdKey>,
    pub phone: Option<Box<str>>,
    pub address: Option<Box<str>>,
    pub ward: Option<Box<str>>,
    pub child: bool,
}

impl Prepared {
    pub fn of(r: &Record) -> Prepared {
        let ids = r
            .ids
            .iter()
            .map(|i| IdKey {
                digits: i.number.clone().into_boxed_str(),
                space: match (i.kind, i.number.len()) {
                    ("cccd" | "personal_id", _) | ("cmnd", 12) => Space::Citizen,
                    ("cmnd", _) => Space::Cmnd,
                    ("social_insurance", _) => Space::SocialInsurance,
                    _ => Space::Unknown,
                },
            })
            .collect();
        Prepared {
            words: fold(&r.name)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(Into::into)
                .collect(),
            dob: r.birth,
            sex: r.sex,
            ids,
            phone: r.phone.as_deref().and_then(phone_key).map(Into::into),
            address: r
                .address
                .as_deref()
                .map(fold)
                .filter(|a| a.len() >= 6)
                .map(Into::into),
            ward: r.ward.as_deref().map(fold).map(Into::into),
            child: r.kind == RecordKind::Child,
        }
    }

    /// The birth year, from the date of birth or else from a citizen number's digits 4–6.
    pub fn birth_year(&self) -> Option<i32> {
        self.dob.map(Dob::year).or_else(|| {
            self.ids
                .iter()
                .filter(|i| i.space == Space::Citizen)
                .find_map(|i| citizen_birth(&i.digits).map(|(y, _)| y))
        })
    }
}

/// A phone as digits in the national form (`+84 912…` and `0912…` are one number).
pub(super) fn phone_key(text: &str) -> Option<String> {
    let d: String = text.chars().filter(char::is_ascii_digit).collect();
    let d = match d.strip_prefix("84") {
        Some(rest) if d.len() == 11 => format!("0{rest}"),
        _ => d,
    };
    (d.len() >= 9).then_some(d)
}

/// What a 12-digit citizen number says of its holder: the birth year (century from digit 4) and sex.
pub(super) fn citizen_birth(n: &str) -> Option<(i32, Sex)> {
    let b = n.as_bytes();
    if b.len() != 12 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let code = i32::from(b[3] - b'0');
    let yy = i32::from(b[4] - b'0') * 10 + i32::from(b[5] - b'0');
    let year = 1900 + (code / 2) * 100 + yy;
    let sex = if code % 2 == 1 {
        Sex::Female
    } else {
        Sex::Male
    };
    Some((year, sex))
}

/// How two digit strings differ when they differ by one edit; None when equal or further apart.
fn one_edit(a: &str, b: &str) -> Option<ReasonCode> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b {
        return None;
    }
    if a.len() == b.len() {
        let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
        return match diff.as_slice() {
            [_] => Some(ReasonCode::IdDigitChanged),
            [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i] => {
                Some(ReasonCode::IdDigitsSwapped)
            }
            _ => None,
        };
    }
    let (long, short) = if a.len() > b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 {
        return None;
    }
    let first = (0..short.len())
        .find(|&i| long[i] != short[i])
        .unwrap_or(short.len());
    (long[first + 1..] == short[first..]).then_some(ReasonCode::IdDigitDropped)
}

/// The evidence of one pair: reasons with their weights, and the total in bits.
pub(super) struct Evidence {
    pub reasons: Vec<Reason>,
    pub bits: f32,
    /// The pair shares an identity number outright (never dropped below "possible").
    pub same_id: bool,
    /// Whether the words are written (only for the pairs kept: most candidates are dismissed unread).
    explain: bool,
}

impl Evidence {
    fn add(&mut self, code: ReasonCode, text: impl FnOnce() -> String) {
        self.bits += code.weight();
        self.reasons.push(Reason {
            code,
            text: if self.explain { text() } else { String::new() },
        });
    }
}

fn name_shown(r: &Record) -> String {
    format!("«{}»", r.name)
}

/// Compares two records; with `explain`, each reason gets its words.
pub(super) fn compare(
    ra: &Record,
    a: &Prepared,
    rb: &Record,
    b: &Prepared,
    explain: bool,
) -> Evidence {
    let mut e = Evidence {
        reasons: Vec::new(),
        bits: 0.0,
        same_id: false,
        explain,
    };
    compare_ids(ra, a, rb, b, &mut e);
    compare_names(ra, a, rb, b, &mut e);
    compare_births(ra, a, rb, b, &mut e);
    if let (Some(x), Some(y)) = (a.sex, b.sex) {
        if x != y {
            e.add(ReasonCode::SexDifferent, || "Khác giới tính".into());
        }
    }
    if let (Some(x), Some(y)) = (&a.phone, &b.phone) {
        if x == y {
            e.add(ReasonCode::SamePhone, || format!("Cùng số điện thoại {x}"));
        }
    }
    if let (Some(x), Some(y)) = (&a.address, &b.address) {
        if x == y {
            e.add(ReasonCode::SameAddress, || {
                format!("Cùng địa chỉ «{}»", ra.address.as_deref().unwrap_or(""))
            });
        }
    }
    if let (Some(x), Some(y)) = (&a.ward, &b.ward) {
        if x != y {
            e.add(ReasonCode::OtherWard, || {
                format!(
                    "Ở hai phường: {} và {}",
                    ra.ward.as_deref().unwrap_or(""),
                    rb.ward.as_deref().unwrap_or("")
                )
            });
        }
    }
    if a.child && b.child {
        e.add(ReasonCode::ChildInTwoClaims, || {
            format!(
                "Trẻ được kê trong hồ sơ của {} và của {}",
                ra.child_of.as_deref().unwrap_or("?"),
                rb.child_of.as_deref().unwrap_or("?")
            )
        });
    }
    e
}

fn compare_ids(ra: &Record, a: &Prepared, rb: &Record, b: &Prepared, e: &mut Evidence) {
    // The same number anywhere decides; else the closest pair of numbers one edit apart.
    for x in &a.ids {
        for y in &b.ids {
            if x.digits == y.digits {
                e.same_id = true;
                e.add(ReasonCode::SameIdNumber, || {
                    format!("Cùng số giấy tờ {}", x.digits)
                });
                return;
            }
        }
    }
    for x in &a.ids {
        for y in &b.ids {
            if x.digits.len() < 8 || y.digits.len() < 8 {
                continue;
            }
            if let Some(code) = one_edit(&x.digits, &y.digits) {
                let how = match code {
                    ReasonCode::IdDigitDropped => "thiếu hoặc thừa một chữ số",
                    ReasonCode::IdDigitsSwapped => "hai chữ số liền nhau đổi chỗ",
                    _ => "khác một chữ số",
                };
                e.add(code, || {
                    format!("Số giấy tờ {} và {}: {how}", x.digits, y.digits)
                });
                return;
            }
        }
    }
    // Two numbers of the same kind that are nowhere near each other: one person holds one such number.
    let clash = a.ids.iter().find_map(|x| {
        b.ids
            .iter()
            .find(|y| x.space == y.space && x.space != Space::Unknown)
            .map(|y| (x, y))
    });
    if let Some((x, y)) = clash {
        e.add(ReasonCode::IdNumbersDiffer, || {
            format!(
                "Hai số giấy tờ cùng loại khác hẳn nhau: {} và {}",
                x.digits, y.digits
            )
        });
        return;
    }
    // A CMND on one side and a citizen number on the other: the person may have changed cards.
    let has = |p: &Prepared, s: Space| p.ids.iter().any(|i| i.space == s);
    if (has(a, Space::Cmnd) && has(b, Space::Citizen))
        || (has(a, Space::Citizen) && has(b, Space::Cmnd))
    {
        e.add(ReasonCode::CmndAndCccd, || {
            format!(
                "Một bên CMND, một bên CCCD ({} / {})",
                ids_shown(ra),
                ids_shown(rb)
            )
        });
    }
    // A citizen number tells the birth year and sex: check it against the other side.
    for (p, q) in [(a, b), (b, a)] {
        let Some((year, sex)) = p
            .ids
            .iter()
            .filter(|i| i.space == Space::Citizen)
            .find_map(|i| citizen_birth(&i.digits))
        else {
            continue;
        };
        let Some(dob) = q.dob else { continue };
        if dob.year() == year && q.sex.is_none_or(|s| s == sex) {
            e.add(ReasonCode::CccdMatchesBirth, || {
                format!(
                    "Số CCCD ghi năm sinh {year}, {}: khớp với bên kia",
                    if sex == Sex::Female { "nữ" } else { "nam" }
                )
            });
        } else {
            e.add(ReasonCode::CccdContradictsBirth, || {
                format!(
                    "Số CCCD ghi năm sinh {year}, bên kia sinh năm {}",
                    dob.year()
                )
            });
        }
        return;
    }
}

fn ids_shown(r: &Record) -> String {
    if r.ids.is_empty() {
        return "không có số".into();
    }
    r.ids
        .iter()
        .map(|i| format!("{} {}", i.label_vi(), i.number))
        .collect::<Vec<_>>()
        .join(", ")
}

fn compare_names(ra: &Record, a: &Prepared, rb: &Record, b: &Prepared, e: &mut Evidence) {
    if a.words.is_empty() || b.words.is_empty() {
        return;
    }
    if a.words == b.words {
        e.add(ReasonCode::SameName, || {
            if ra.name == rb.name {
                format!("Cùng họ tên {}", name_shown(ra))
            } else {
                format!(
                    "Cùng họ tên khi bỏ dấu và chữ hoa: {} / {}",
                    name_shown(ra),
                    name_shown(rb)
                )
            }
        });
        return;
    }
    let mut sa: Vec<&str> = a.words.iter().map(|w| &**w).collect();
    let mut sb: Vec<&str> = b.words.iter().map(|w| &**w).collect();
    sa.sort_unstable();
    sb.sort_unstable();
    if sa == sb {
        e.add(ReasonCode::NameWordsReordered, || {
            format!(
                "Cùng các chữ của họ tên, khác thứ tự: {} / {}",
                name_shown(ra),
                name_shown(rb)
            )
        });
        return;
    }
    // The middle name left out: the same surname and given name, the shorter's words all in the longer.
    let (short, long) = if a.words.len() < b.words.len() {
        (&a.words, &b.words)
    } else {
        (&b.words, &a.words)
    };
    if short.len() >= 2
        && short.len() < long.len()
        && short.first() == long.first()
        && short.last() == long.last()
        && short.iter().all(|w| long.contains(w))
    {
        e.add(ReasonCode::NameMiddleMissing, || {
            format!(
                "Họ tên thiếu tên đệm: {} / {}",
                name_shown(ra),
                name_shown(rb)
            )
        });
        return;
    }
    let ja = a.words.join(" ");
    let jb = b.words.join(" ");
    let sim = strsim::jaro_winkler(&ja, &jb);
    // A typo keeps the given name or the surname; two different people usually differ in the given name.
    if sim >= 0.93 && (a.words.last() == b.words.last() || a.words.first() == b.words.first()) {
        e.add(ReasonCode::NameSimilar, || {
            format!(
                "Họ tên gần giống (giống {:.0}%): {} / {}",
                sim * 100.0,
                name_shown(ra),
                name_shown(rb)
            )
        });
    } else {
        e.add(ReasonCode::NameDifferent, || {
            format!("Khác họ tên: {} / {}", name_shown(ra), name_shown(rb))
        });
    }
}

fn compare_births(ra: &Record, a: &Prepared, rb: &Record, b: &Prepared, e: &mut Evidence) {
    let (Some(x), Some(y)) = (a.dob, b.dob) else {
        return;
    };
    let shown = || {
        format!(
            "{} / {}",
            ra.dob.as_deref().unwrap_or(""),
            rb.dob.as_deref().unwrap_or("")
        )
    };
    match (x, y) {
        (Dob::Day(p), Dob::Day(q)) if p == q => {
            e.add(ReasonCode::SameDob, || {
                format!("Cùng ngày sinh {}", ra.dob.as_deref().unwrap_or(""))
            });
        }
        (Dob::Day(p), Dob::Day(q))
            if p.year() == q.year() && p.day() == q.month() && p.month() == q.day() =>
        {
            e.add(ReasonCode::DobDayMonthSwapped, || {
                format!("Ngày sinh đảo ngày và tháng: {}", shown())
            });
        }
        (Dob::Day(p), Dob::Day(q))
            if (p.year() == q.year() && (p.month() == q.month() || p.day() == q.day()))
                || (p.month() == q.month()
                    && p.day() == q.day()
                    && (p.year() - q.year()).abs() <= 1) =>
        {
            e.add(ReasonCode::DobClose, || {
                format!("Ngày sinh gần giống (gõ nhầm?): {}", shown())
            });
        }
        (Dob::Year(_), _) | (_, Dob::Year(_)) if x.year() == y.year() => {
            e.add(ReasonCode::DobYearOnly, || {
                format!("Một bên chỉ ghi năm sinh, cùng năm {}", x.year())
            });
        }
        _ => e.add(ReasonCode::DobDifferent, || {
            format!("Khác ngày sinh: {}", shown())
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_kinds() {
        assert_eq!(
            one_edit("001190012345", "00119012345"),
            Some(ReasonCode::IdDigitDropped)
        );
        assert_eq!(
            one_edit("001190012345", "001190012346"),
            Some(ReasonCode::IdDigitChanged)
        );
        assert_eq!(
            one_edit("001190012345", "001190012354"),
            Some(ReasonCode::IdDigitsSwapped)
        );
        assert_eq!(
            one_edit("001190012345", "0011900123456"),
            Some(ReasonCode::IdDigitDropped)
        );
        assert_eq!(one_edit("001190012345", "001190012345"), None);
        assert_eq!(one_edit("001190012345", "001190099345"), None);
    }

    #[test]
    fn citizen_number_tells_year_and_sex() {
        assert_eq!(citizen_birth("001190012345"), Some((1990, Sex::Female)));
        assert_eq!(citizen_birth("001085012345"), Some((1985, Sex::Male)));
        assert_eq!(citizen_birth("001315012345"), Some((2015, Sex::Female)));
        assert_eq!(citizen_birth("001215012345"), Some((2015, Sex::Male)));
    }
}
