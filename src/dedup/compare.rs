//! Comparing two records: the folded, compact form each record is compared in, and the evidence a pair
//! shows for and against one person, as reasons with weights.

use super::reason::{Reason, ReasonCode};
use super::record::Record;
use super::store::RecordStore;
use crate::identity::fold;
use crate::ledger::{Dob, Sex};
use chrono::Datelike;

/// The number spaces in which two different numbers mean two different people (one person holds one
/// citizen number, one CMND, one social-insurance number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Space {
    Citizen,
    Cmnd,
    SocialInsurance,
    #[default]
    Unknown,
}

/// An identity number as an integer and its length (leading zeros kept by the length). Numbers longer
/// than 19 digits are kept by a hash: equal or not, never one edit apart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct IdKey {
    pub num: u64,
    pub len: u8,
    pub space: Space,
}

impl IdKey {
    fn of(kind: &str, digits: &str) -> IdKey {
        let len = digits.len().min(255) as u8;
        let num = if digits.len() <= 19 {
            digits.parse().unwrap_or(0)
        } else {
            super::blocking::key_hash(0, &[digits.as_bytes()])
        };
        IdKey {
            num,
            len,
            space: match (kind, digits.len()) {
                ("cccd" | "personal_id", _) | ("cmnd", 12) => Space::Citizen,
                ("cmnd", _) => Space::Cmnd,
                ("social_insurance", _) => Space::SocialInsurance,
                _ => Space::Unknown,
            },
        }
    }
    /// The digits into `buf` (at most 19), leading zeros included.
    pub fn digits_into<'b>(&self, buf: &'b mut [u8; 19]) -> &'b [u8] {
        let len = usize::from(self.len.min(19));
        let mut n = self.num;
        for slot in buf[..len].iter_mut().rev() {
            *slot = b'0' + (n % 10) as u8;
            n /= 10;
        }
        &buf[..len]
    }

    /// The digits, leading zeros included (a hashed long number gives its hash).
    pub fn digits(&self) -> String {
        format!("{:0width$}", self.num, width = self.len.min(19) as usize)
    }
}

/// The folded name words of a run, each once: records hold their numbers.
#[derive(Debug, Default)]
pub(super) struct Words {
    all: Vec<Box<str>>,
    index: std::collections::HashMap<Box<str>, u32, super::store::FastHash>,
}

impl Words {
    fn id(&mut self, w: &str) -> u32 {
        if let Some(&i) = self.index.get(w) {
            return i;
        }
        let i = self.all.len() as u32;
        self.all.push(w.into());
        self.index.insert(w.into(), i);
        i
    }
    pub fn get(&self, i: u32) -> &str {
        &self.all[i as usize]
    }
}

/// Name words kept per record (longer names keep their first five words and the last).
pub(super) const MAX_WORDS: usize = 6;
const MAX_IDS: usize = 3;

/// A record folded for comparison: name words (numbers in `Words`), the birth date, the numbers.
#[derive(Debug, Clone, Default)]
pub(super) struct Prepared {
    words: [u32; MAX_WORDS],
    n_words: u8,
    pub dob: Option<Dob>,
    pub sex: Option<Sex>,
    ids: [IdKey; MAX_IDS],
    n_ids: u8,
    /// The phone's digits as a number (0: none).
    pub phone: u64,
    /// A hash of the folded address (0: none).
    pub address: u64,
    pub ward: u32,
    pub child: bool,
    /// The name was written with tone marks (a one-letter difference between two marked names is two
    /// names: "Hùng" and "Hương" fold one letter apart).
    pub marked: bool,
}

impl Prepared {
    pub fn of(store: &RecordStore, i: usize, words: &mut Words) -> Prepared {
        let mut p = Prepared {
            dob: store.dob(i),
            sex: store.sex(i),
            child: store.is_child(i),
            ward: store.ward_id(i),
            ..Default::default()
        };
        p.marked = !store.name(i).is_ascii();
        let folded = fold(store.name(i));
        // Longer names keep their first words and the last.
        let mut n = 0;
        let mut last = None;
        for w in folded
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            if n < MAX_WORDS - 1 {
                p.words[n] = words.id(w);
                n += 1;
            } else {
                last = Some(w);
            }
        }
        if let Some(w) = last {
            p.words[n] = words.id(w);
            n += 1;
        }
        p.n_words = n as u8;
        for (kind, digits) in store.ids(i).take(MAX_IDS) {
            p.ids[p.n_ids as usize] = IdKey::of(kind, digits);
            p.n_ids += 1;
        }
        p.phone = store
            .phone(i)
            .and_then(phone_key)
            .and_then(|d| d.parse().ok())
            .unwrap_or(0);
        p.address = store
            .address(i)
            .map(fold)
            .filter(|a| a.len() >= 6)
            .map_or(0, |a| super::blocking::key_hash(9, &[a.as_bytes()]) | 1);
        p
    }

    pub fn words(&self) -> &[u32] {
        &self.words[..self.n_words as usize]
    }
    pub fn ids(&self) -> &[IdKey] {
        &self.ids[..self.n_ids as usize]
    }

    /// The birth year, from the date of birth or else from a citizen number's digits 4–6.
    pub fn birth_year(&self) -> Option<i32> {
        self.dob.map(Dob::year).or_else(|| {
            self.ids()
                .iter()
                .filter(|i| i.space == Space::Citizen)
                .find_map(|i| citizen_birth(&i.digits()).map(|(y, _)| y))
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

/// What a 12-digit citizen number says of its holder: the birth year (century from digit 4) and sex, as
/// `identity::citizen_birth` reads them.
pub(super) fn citizen_birth(n: &str) -> Option<(i32, Sex)> {
    // Only bare digits are stored here; the identity module's reader also skips separators.
    if n.len() != 12 {
        return None;
    }
    crate::identity::citizen_birth(n)
        .map(|b| (b.year, if b.female { Sex::Female } else { Sex::Male }))
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
pub(super) struct Evidence<'r> {
    pub reasons: Vec<Reason>,
    pub bits: f32,
    /// The pair shares an identity number outright (never dropped below "possible").
    pub same_id: bool,
    /// The two records, when the reasons are to be written in words (only for the pairs kept: most
    /// candidates are dismissed unread).
    explain: Option<(&'r Record, &'r Record)>,
}

impl<'r> Evidence<'r> {
    fn add(&mut self, code: ReasonCode, text: impl FnOnce(&Record, &Record) -> String) {
        self.bits += code.weight();
        self.reasons.push(Reason {
            code,
            text: self.explain.map_or_else(String::new, |(a, b)| text(a, b)),
        });
    }
}

fn name_shown(r: &Record) -> String {
    format!("«{}»", r.name)
}

/// Compares two records; with `explain` (the two records whole), each reason gets its words.
pub(super) fn compare<'r>(
    a: &Prepared,
    b: &Prepared,
    words: &Words,
    explain: Option<(&'r Record, &'r Record)>,
) -> Evidence<'r> {
    let mut e = Evidence {
        reasons: Vec::new(),
        bits: 0.0,
        same_id: false,
        explain,
    };
    compare_ids(a, b, &mut e);
    compare_names(a, b, words, &mut e);
    compare_births(a, b, &mut e);
    if let (Some(x), Some(y)) = (a.sex, b.sex) {
        if x != y {
            e.add(ReasonCode::SexDifferent, |_, _| "Khác giới tính".into());
        }
    }
    if a.phone != 0 && a.phone == b.phone {
        e.add(ReasonCode::SamePhone, |ra, _| {
            format!("Cùng số điện thoại {}", ra.phone.as_deref().unwrap_or(""))
        });
    }
    if a.address != 0 && a.address == b.address {
        e.add(ReasonCode::SameAddress, |ra, _| {
            format!("Cùng địa chỉ «{}»", ra.address.as_deref().unwrap_or(""))
        });
    }
    if a.ward != u32::MAX && b.ward != u32::MAX && a.ward != b.ward {
        e.add(ReasonCode::OtherWard, |ra, rb| {
            format!(
                "Ở hai phường: {} và {}",
                ra.ward.as_deref().unwrap_or(""),
                rb.ward.as_deref().unwrap_or("")
            )
        });
    }
    if a.child && b.child {
        e.add(ReasonCode::ChildInTwoClaims, |ra, rb| {
            format!(
                "Trẻ được kê trong hồ sơ của {} và của {}",
                ra.child_of.as_deref().unwrap_or("?"),
                rb.child_of.as_deref().unwrap_or("?")
            )
        });
    }
    e
}

fn compare_ids(a: &Prepared, b: &Prepared, e: &mut Evidence) {
    // The same number anywhere decides; else the closest pair of numbers one edit apart.
    for x in a.ids() {
        for y in b.ids() {
            if x.num == y.num && x.len == y.len {
                e.same_id = true;
                let n = x.digits();
                e.add(ReasonCode::SameIdNumber, |_, _| {
                    format!("Cùng số giấy tờ {n}")
                });
                return;
            }
        }
    }
    for x in a.ids() {
        for y in b.ids() {
            if x.len < 8 || y.len < 8 || x.len > 19 || y.len > 19 || x.len.abs_diff(y.len) > 1 {
                continue;
            }
            let (dx, dy) = (x.digits(), y.digits());
            if let Some(code) = one_edit(&dx, &dy) {
                let how = match code {
                    ReasonCode::IdDigitDropped => "thiếu hoặc thừa một chữ số",
                    ReasonCode::IdDigitsSwapped => "hai chữ số liền nhau đổi chỗ",
                    _ => "khác một chữ số",
                };
                e.add(code, |_, _| format!("Số giấy tờ {dx} và {dy}: {how}"));
                return;
            }
        }
    }
    // Two numbers of the same kind that are nowhere near each other: one person holds one such number.
    let clash = a.ids().iter().find_map(|x| {
        b.ids()
            .iter()
            .find(|y| x.space == y.space && x.space != Space::Unknown)
            .map(|y| (x, y))
    });
    if let Some((x, y)) = clash {
        let (dx, dy) = (x.digits(), y.digits());
        e.add(ReasonCode::IdNumbersDiffer, |_, _| {
            format!("Hai số giấy tờ cùng loại khác hẳn nhau: {dx} và {dy}")
        });
        return;
    }
    // A CMND on one side and a citizen number on the other: the person may have changed cards.
    let has = |p: &Prepared, s: Space| p.ids().iter().any(|i| i.space == s);
    if (has(a, Space::Cmnd) && has(b, Space::Citizen))
        || (has(a, Space::Citizen) && has(b, Space::Cmnd))
    {
        e.add(ReasonCode::CmndAndCccd, |ra, rb| {
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
            .ids()
            .iter()
            .filter(|i| i.space == Space::Citizen)
            .find_map(|i| citizen_birth(&i.digits()))
        else {
            continue;
        };
        let Some(dob) = q.dob else { continue };
        if dob.year() == year && q.sex.is_none_or(|s| s == sex) {
            e.add(ReasonCode::CccdMatchesBirth, |_, _| {
                format!(
                    "Số CCCD ghi năm sinh {year}, {}: khớp với bên kia",
                    if sex == Sex::Female { "nữ" } else { "nam" }
                )
            });
        } else {
            e.add(ReasonCode::CccdContradictsBirth, |_, _| {
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

fn compare_names(a: &Prepared, b: &Prepared, words: &Words, e: &mut Evidence) {
    let (wa, wb) = (a.words(), b.words());
    if wa.is_empty() || wb.is_empty() {
        return;
    }
    if wa == wb {
        e.add(ReasonCode::SameName, |ra, rb| {
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
    let mut sa = [0u32; MAX_WORDS];
    let mut sb = [0u32; MAX_WORDS];
    sa[..wa.len()].copy_from_slice(wa);
    sb[..wb.len()].copy_from_slice(wb);
    sa[..wa.len()].sort_unstable();
    sb[..wb.len()].sort_unstable();
    if wa.len() == wb.len() && sa == sb {
        e.add(ReasonCode::NameWordsReordered, |ra, rb| {
            format!(
                "Cùng các chữ của họ tên, khác thứ tự: {} / {}",
                name_shown(ra),
                name_shown(rb)
            )
        });
        return;
    }
    // The middle name left out: the same surname and given name, the shorter's words all in the longer.
    let (short, long) = if wa.len() < wb.len() {
        (wa, wb)
    } else {
        (wb, wa)
    };
    if short.len() >= 2
        && short.len() < long.len()
        && short.first() == long.first()
        && short.last() == long.last()
        && short.iter().all(|w| long.contains(w))
    {
        e.add(ReasonCode::NameMiddleMissing, |ra, rb| {
            format!(
                "Họ tên thiếu tên đệm: {} / {}",
                name_shown(ra),
                name_shown(rb)
            )
        });
        return;
    }
    let joined = |w: &[u32]| {
        w.iter()
            .map(|&i| words.get(i))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (ja, jb) = (joined(wa), joined(wb));
    // A typo is one letter dropped, added, changed or two swapped in a name typed without marks ("Nguyen
    // Thi Huog"); between two names written with their marks, or another surname ("Đặng" for "Hoàng"), it
    // is another person (twins share a birth date and often neighbouring numbers).
    if !(a.marked && b.marked) && strsim::damerau_levenshtein(&ja, &jb) <= 1 {
        e.add(ReasonCode::NameSimilar, |ra, rb| {
            format!(
                "Họ tên khác một chữ cái (gõ nhầm?): {} / {}",
                name_shown(ra),
                name_shown(rb)
            )
        });
    } else {
        e.add(ReasonCode::NameDifferent, |ra, rb| {
            format!("Khác họ tên: {} / {}", name_shown(ra), name_shown(rb))
        });
    }
}

fn compare_births(a: &Prepared, b: &Prepared, e: &mut Evidence) {
    let (Some(x), Some(y)) = (a.dob, b.dob) else {
        return;
    };
    let shown = |ra: &Record, rb: &Record| {
        format!(
            "{} / {}",
            ra.dob.as_deref().unwrap_or(""),
            rb.dob.as_deref().unwrap_or("")
        )
    };
    match (x, y) {
        (Dob::Day(p), Dob::Day(q)) if p == q => {
            e.add(ReasonCode::SameDob, |ra, _| {
                format!("Cùng ngày sinh {}", ra.dob.as_deref().unwrap_or(""))
            });
        }
        (Dob::Day(p), Dob::Day(q))
            if p.year() == q.year() && p.day() == q.month() && p.month() == q.day() =>
        {
            e.add(ReasonCode::DobDayMonthSwapped, |ra, rb| {
                format!("Ngày sinh đảo ngày và tháng: {}", shown(ra, rb))
            });
        }
        (Dob::Day(p), Dob::Day(q))
            if (p.year() == q.year() && (p.month() == q.month() || p.day() == q.day()))
                || (p.month() == q.month()
                    && p.day() == q.day()
                    && (p.year() - q.year()).abs() <= 1) =>
        {
            e.add(ReasonCode::DobClose, |ra, rb| {
                format!("Ngày sinh gần giống (gõ nhầm?): {}", shown(ra, rb))
            });
        }
        (Dob::Year(_), _) | (_, Dob::Year(_)) if x.year() == y.year() => {
            let year = x.year();
            e.add(ReasonCode::DobYearOnly, |_, _| {
                format!("Một bên chỉ ghi năm sinh, cùng năm {year}")
            });
        }
        _ => e.add(ReasonCode::DobDifferent, |ra, rb| {
            format!("Khác ngày sinh: {}", shown(ra, rb))
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
    fn digits_keep_their_leading_zeros() {
        let k = IdKey::of("cccd", "001190012345");
        let mut buf = [0u8; 19];
        assert_eq!(k.digits_into(&mut buf), b"001190012345");
        assert_eq!(k.digits(), "001190012345");
    }

    #[test]
    fn citizen_number_tells_year_and_sex() {
        assert_eq!(citizen_birth("001190012345"), Some((1990, Sex::Female)));
        assert_eq!(citizen_birth("001085012345"), Some((1985, Sex::Male)));
        assert_eq!(citizen_birth("001315012345"), Some((2015, Sex::Female)));
        assert_eq!(citizen_birth("001215012345"), Some((2015, Sex::Male)));
    }
}
