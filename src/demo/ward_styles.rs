//! A generated district written as the ward lists offices really send, not the import template: an
//! official form (title rows, a numbering row, the total, the amount in words and a signature block), Excel's
//! "Unicode Text" (UTF-16 LE, tab, names in NFD as typed on a Mac), a legacy Windows-1258 CSV (tone marks as
//! combining bytes), and a list whose headers were typed without tone marks. Each carries the headers real
//! lists use ("Ngày phát sinh", "Nơi ở hiện nay", "Số CMND/CCCD/ĐDCN", "Số tiền đề nghị hỗ trợ (đồng)") and
//! no "Đủ điều kiện" column: the ward's verified list is itself the confirmation, given for the whole file.

use super::{DemoSpec, Gen, WARDS};
use crate::rules::ClaimFacts;
use chrono::NaiveDate;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use unicode_normalization::UnicodeNormalization;

/// How a generated ward list is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WardFileStyle {
    /// The import template, UTF-8 with BOM (`write_ward_file`).
    Template,
    /// An official form: UTF-8 with BOM, title rows, numbering row, total and signature block.
    OfficialForm,
    /// Excel "Unicode Text": UTF-16 LE with BOM, tab-separated, names in NFD.
    UnicodeText,
    /// Excel "CSV" on a Vietnamese Windows: Windows-1258, tone marks as combining bytes.
    Windows1258,
    /// Headers typed without tone marks ("Ho va ten", "Ngay phat sinh").
    NoToneMarks,
}

impl WardFileStyle {
    /// Every style but the template.
    pub const OFFICE: [WardFileStyle; 4] = [
        WardFileStyle::OfficialForm,
        WardFileStyle::UnicodeText,
        WardFileStyle::Windows1258,
        WardFileStyle::NoToneMarks,
    ];

    /// The style's name (`relief demo --ward-style`).
    pub fn key(self) -> &'static str {
        match self {
            WardFileStyle::Template => "template",
            WardFileStyle::OfficialForm => "official-form",
            WardFileStyle::UnicodeText => "unicode-text",
            WardFileStyle::Windows1258 => "windows-1258",
            WardFileStyle::NoToneMarks => "no-tone-marks",
        }
    }

    pub fn parse(key: &str) -> Option<WardFileStyle> {
        [WardFileStyle::Template]
            .into_iter()
            .chain(WardFileStyle::OFFICE)
            .find(|s| s.key() == key)
    }
}

/// The columns of an office's list, as real lists head them.
const HEADERS: [&str; 19] = [
    "STT",
    "Họ và tên",
    "Ngày tháng năm sinh",
    "Giới tính",
    "Số CMND/CCCD/ĐDCN",
    "Nơi ở hiện nay",
    "Tổ dân phố",
    "Số điện thoại",
    "Đối tượng",
    "Ngày phát sinh",
    "Đến ngày",
    "Số ngày",
    "Mang thai",
    "Con dưới 6 tuổi",
    "Tên cơ sở",
    "Mã số thuế",
    "Ngày nộp hồ sơ",
    "Số tiền đề nghị hỗ trợ (đồng)",
    "Ghi chú",
];

/// Writes a generated district (the same people and claims as `write_ward_file` with the same spec) as a
/// ward list of `style`. Returns the data rows written.
pub fn write_ward_file_styled(
    spec: &DemoSpec,
    style: WardFileStyle,
    out: &mut dyn std::io::Write,
) -> std::io::Result<usize> {
    if style == WardFileStyle::Template {
        return super::write_ward_file(spec, out);
    }
    let wards: Vec<&str> = WARDS
        .iter()
        .copied()
        .cycle()
        .take(spec.wards.max(1))
        .collect();
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(spec.seed),
        serial: 0,
    };
    let pack = crate::rules::default_pack();
    let delimiter = if style == WardFileStyle::UnicodeText {
        b'\t'
    } else {
        b','
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let width = HEADERS.len();
    let line = |cells: &[&str]| {
        let mut row: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
        row.resize(width, String::new());
        row
    };
    if style == WardFileStyle::OfficialForm {
        for title in [
            "ỦY BAN NHÂN DÂN QUẬN LONG BIÊN",
            "ỦY BAN NHÂN DÂN PHƯỜNG GIANG BIÊN",
            "DANH SÁCH ĐỀ NGHỊ HỖ TRỢ NGƯỜI LAO ĐỘNG VÀ CÁC ĐỐI TƯỢNG GẶP KHÓ KHĂN DO ĐẠI DỊCH COVID-19",
            "(Kèm theo Tờ trình số 45/TTr-UBND ngày 10/9/2021)",
        ] {
            w.write_record(line(&[title]))?;
        }
        w.write_record(line(&[]))?;
    }
    let header: Vec<String> = HEADERS
        .iter()
        .map(|h| match style {
            WardFileStyle::NoToneMarks => without_tone_marks(h),
            _ => h.to_string(),
        })
        .collect();
    w.write_record(&header)?;
    if style == WardFileStyle::OfficialForm {
        let numbers: Vec<String> = (1..=width).map(|i| format!("({i})")).collect();
        w.write_record(&numbers)?;
    }
    let fmt = |d: Option<NaiveDate>| d.map(crate::dates::format_vi).unwrap_or_default();
    let mut rows = 0usize;
    let mut total = 0i64;
    for i in 0..spec.people {
        let case = g.case(i, &wards);
        let mut claims = vec![(
            case.policy,
            case.facts.clone(),
            case.household.clone(),
            None,
        )];
        if let Some((name, facts)) = &case.preschool {
            claims.push((
                "hn-15-preschool-group",
                facts.clone(),
                None,
                Some(name.clone()),
            ));
        }
        let p = &case.person;
        for (code, facts, household, group) in claims {
            let policy = pack.policy(code).expect("demo policies are in the pack");
            // The amount a ward computes from what the list itself says, every requirement confirmed.
            let listed = ClaimFacts {
                from: facts.from,
                to: facts.to,
                days: facts.days,
                pregnant: facts.pregnant,
                children: facts.children.clone(),
                dob: p.dob.and_then(|d| d.date()),
                applied: facts.applied,
                elderly: facts.elderly,
                disabled: facts.disabled,
                flags: policy
                    .conditions
                    .iter()
                    .filter(|c| c.must)
                    .map(|c| (c.fact.clone(), true))
                    .collect(),
                used_once: Vec::new(),
            };
            let ent = policy.entitlement(&listed);
            let amount = ent.amount.to_dong().filter(|_| ent.eligible);
            total += amount.unwrap_or(0);
            rows += 1;
            let name = match style {
                WardFileStyle::UnicodeText => p.full_name.nfd().collect(),
                _ => p.full_name.clone(),
            };
            let children = super::children_cell(&facts.children);
            let (unit, tax) = match (&household, &group) {
                (Some((n, t)), _) => (n.clone(), t.clone()),
                (None, Some(n)) => (n.clone(), String::new()),
                _ => (String::new(), String::new()),
            };
            let cells = [
                rows.to_string(),
                name,
                p.dob.map(crate::ledger::Dob::display).unwrap_or_default(),
                p.sex.map_or("", crate::ledger::Sex::label_vi).to_string(),
                p.ids.first().map(|d| d.number.clone()).unwrap_or_default(),
                p.address.clone().unwrap_or_default(),
                p.residential_group.clone().unwrap_or_default(),
                p.phone.clone().unwrap_or_default(),
                policy.title.clone(),
                fmt(facts.from),
                fmt(facts.to),
                facts.days.map(|d| d.to_string()).unwrap_or_default(),
                if facts.pregnant {
                    "x".into()
                } else {
                    String::new()
                },
                children,
                unit,
                tax,
                fmt(facts.applied),
                amount
                    .map(|a| crate::money::Money::from_dong(a).format_vi())
                    .unwrap_or_default(),
                String::new(),
            ];
            w.write_record(&cells)?;
        }
    }
    if style == WardFileStyle::OfficialForm {
        let sum = crate::money::Money::from_dong(total);
        w.write_record(line(&[
            "",
            "Tổng cộng",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            &sum.format_vi(),
        ]))?;
        w.write_record(line(&["", &format!("(Bằng chữ: {})", sum.in_words_vi())]))?;
        w.write_record(line(&[]))?;
        // The signature block as forms lay it out: the right-hand block over the policy's column.
        w.write_record(line(&[
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "Giang Biên, ngày 10 tháng 9 năm 2021",
        ]))?;
        w.write_record(line(&[
            "",
            "NGƯỜI LẬP BIỂU",
            "",
            "",
            "",
            "",
            "",
            "",
            "TM. ỦY BAN NHÂN DÂN",
        ]))?;
        w.write_record(line(&["", "", "", "", "", "", "", "", "CHỦ TỊCH"]))?;
        w.write_record(line(&[]))?;
        w.write_record(line(&[
            "",
            "Nguyễn Thị Thu Hà",
            "",
            "",
            "",
            "",
            "",
            "",
            "Trần Văn Bình",
        ]))?;
    }
    let text = String::from_utf8(w.into_inner().map_err(|e| e.into_error())?)
        .expect("written from strings");
    let bytes = match style {
        WardFileStyle::UnicodeText => {
            let mut b = vec![0xFF, 0xFE];
            for u in text.encode_utf16() {
                b.extend_from_slice(&u.to_le_bytes());
            }
            b
        }
        WardFileStyle::Windows1258 => windows_1258(&text),
        _ => {
            let mut b = b"\xEF\xBB\xBF".to_vec();
            b.extend_from_slice(text.as_bytes());
            b
        }
    };
    out.write_all(&bytes)?;
    Ok(rows)
}

/// A header as typed without tone marks: "Ho va ten", "So CMND/CCCD/DDCN", "STT".
fn without_tone_marks(header: &str) -> String {
    header
        .split(' ')
        .enumerate()
        .map(|(i, word)| {
            let folded = crate::identity::fold(word);
            if !word.chars().any(char::is_lowercase) {
                folded.to_uppercase()
            } else if i == 0 {
                let mut c = folded.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            } else {
                folded
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Windows-1258 as Windows writes it: a precomposed letter where the code page has one (â ă ê ô ơ ư đ
/// and some toned vowels), else the letter and its tone mark as a combining byte.
fn windows_1258(text: &str) -> Vec<u8> {
    const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let encode = |s: &str| {
        let (bytes, _, had_errors) = encoding_rs::WINDOWS_1258.encode(s);
        (!had_errors).then(|| bytes.into_owned())
    };
    let mut out = Vec::with_capacity(text.len());
    for c in text.nfc() {
        if let Some(b) = encode(c.encode_utf8(&mut [0; 4])) {
            out.extend(b);
            continue;
        }
        let decomposed: String = std::iter::once(c).nfd().collect();
        let base: String = decomposed
            .chars()
            .filter(|d| !TONES.contains(d))
            .collect::<String>()
            .nfc()
            .collect();
        let tone: String = decomposed.chars().filter(|d| TONES.contains(d)).collect();
        match (encode(&base), encode(&tone)) {
            (Some(b), Some(t)) => {
                out.extend(b);
                out.extend(t);
            }
            _ => out.push(b'?'),
        }
    }
    out
}
