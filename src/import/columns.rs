//! The columns of a ward file: the canonical template (Vietnamese headers in the order of the official
//! forms), the vocabulary of headers offices really type (data: `headers.toml`, matched without tone marks
//! or case), and the officer's own choices where a file's header means a field the vocabulary cannot guess.

use crate::identity::fold;
use serde::Serialize;

/// What a column of a ward file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Row number of the form (STT): read, never stored.
    RowNo,
    FullName,
    Dob,
    Sex,
    IdNumber,
    SocialInsurance,
    Address,
    ResidentialGroup,
    Ward,
    Phone,
    Policy,
    From,
    To,
    Days,
    Pregnant,
    Children,
    Elderly,
    Disabled,
    /// "x" when the officer confirmed every required condition of the policy from the dossier.
    ConditionsMet,
    /// Yes/no facts by name: `social_insurance=có; receives_pension=không`.
    Facts,
    /// Household business or preschool group name (household and group policies).
    UnitName,
    TaxCode,
    Applied,
    Amount,
    Note,
}

/// One template column: its canonical header and what a cell may hold. The other headers that mean it are
/// data, in `headers.toml` ([`variants`]).
pub struct ColumnSpec {
    pub field: Field,
    pub header: &'static str,
    pub required: bool,
    pub help: &'static str,
}

/// The canonical template, in the order of the official lists (Mẫu 05/07/08, QĐ 3642 Mẫu 01): who, then
/// which policy and the period, then supplements, then the amount and the signature-side notes.
pub const TEMPLATE: &[ColumnSpec] = &[
    ColumnSpec {
        field: Field::RowNo,
        header: "STT",
        required: false,
        help: "số thứ tự, không bắt buộc",
    },
    ColumnSpec {
        field: Field::FullName,
        header: "Họ và tên",
        required: true,
        help: "họ tên đầy đủ, có dấu",
    },
    ColumnSpec {
        field: Field::Dob,
        header: "Ngày sinh",
        required: false,
        help: "dd/mm/yyyy, d/m/yyyy hoặc chỉ năm",
    },
    ColumnSpec {
        field: Field::Sex,
        header: "Giới tính",
        required: false,
        help: "Nam hoặc Nữ",
    },
    ColumnSpec {
        field: Field::IdNumber,
        header: "Số CCCD/CMND",
        required: true,
        help: "12 số CCCD/định danh, hoặc 9 số CMND",
    },
    ColumnSpec {
        field: Field::SocialInsurance,
        header: "Mã số BHXH",
        required: false,
        help: "10 số, nếu có",
    },
    ColumnSpec {
        field: Field::Address,
        header: "Địa chỉ",
        required: false,
        help: "",
    },
    ColumnSpec {
        field: Field::ResidentialGroup,
        header: "Tổ dân phố",
        required: false,
        help: "",
    },
    ColumnSpec {
        field: Field::Ward,
        header: "Phường",
        required: false,
        help: "để trống: phường của sổ",
    },
    ColumnSpec {
        field: Field::Phone,
        header: "Số điện thoại",
        required: false,
        help: "",
    },
    ColumnSpec {
        field: Field::Policy,
        header: "Chính sách",
        required: true,
        help: "mã (vd hn-3642-freelance) hoặc tên chính sách trong bộ quy tắc",
    },
    ColumnSpec {
        field: Field::From,
        header: "Từ ngày",
        required: false,
        help: "ngày bắt đầu tạm hoãn/ngừng việc/cách ly, ngày mất việc",
    },
    ColumnSpec {
        field: Field::To,
        header: "Đến ngày",
        required: false,
        help: "",
    },
    ColumnSpec {
        field: Field::Days,
        header: "Số ngày",
        required: false,
        help: "khi không có từ ngày/đến ngày",
    },
    ColumnSpec {
        field: Field::Pregnant,
        header: "Mang thai",
        required: false,
        help: "x nếu đang mang thai",
    },
    ColumnSpec {
        field: Field::Children,
        header: "Con dưới 6 tuổi",
        required: false,
        help: "mỗi con: Họ tên - dd/mm/yyyy - số định danh; nhiều con cách nhau bằng dấu ;",
    },
    ColumnSpec {
        field: Field::Elderly,
        header: "Người cao tuổi",
        required: false,
        help: "x nếu có",
    },
    ColumnSpec {
        field: Field::Disabled,
        header: "Khuyết tật",
        required: false,
        help: "x nếu có",
    },
    ColumnSpec {
        field: Field::ConditionsMet,
        header: "Đủ điều kiện",
        required: false,
        help: "x khi hồ sơ đã xác nhận đủ mọi điều kiện bắt buộc của chính sách",
    },
    ColumnSpec {
        field: Field::Facts,
        header: "Điều kiện khác",
        required: false,
        help: "ten_dieu_kien=có/không; ... (xem relief rules show)",
    },
    ColumnSpec {
        field: Field::UnitName,
        header: "Tên hộ kinh doanh/nhóm lớp",
        required: false,
        help: "chính sách trả cho hộ hoặc nhóm/lớp",
    },
    ColumnSpec {
        field: Field::TaxCode,
        header: "Mã số thuế",
        required: false,
        help: "hộ kinh doanh",
    },
    ColumnSpec {
        field: Field::Applied,
        header: "Ngày nộp hồ sơ",
        required: false,
        help: "",
    },
    ColumnSpec {
        field: Field::Amount,
        header: "Số tiền",
        required: false,
        help: "nếu ghi, phải bằng mức của bộ quy tắc: 1.234.500, 1,234,500 hoặc 1234500",
    },
    ColumnSpec {
        field: Field::Note,
        header: "Ghi chú",
        required: false,
        help: "",
    },
];

impl Field {
    pub fn spec(self) -> &'static ColumnSpec {
        TEMPLATE
            .iter()
            .find(|c| c.field == self)
            .expect("every field is in the template")
    }

    /// The canonical Vietnamese header, as problems name the column.
    pub fn header(self) -> &'static str {
        self.spec().header
    }

    /// The stable key (snake_case, as in JSON and `headers.toml`).
    pub fn key(self) -> &'static str {
        match self {
            Field::RowNo => "row_no",
            Field::FullName => "full_name",
            Field::Dob => "dob",
            Field::Sex => "sex",
            Field::IdNumber => "id_number",
            Field::SocialInsurance => "social_insurance",
            Field::Address => "address",
            Field::ResidentialGroup => "residential_group",
            Field::Ward => "ward",
            Field::Phone => "phone",
            Field::Policy => "policy",
            Field::From => "from",
            Field::To => "to",
            Field::Days => "days",
            Field::Pregnant => "pregnant",
            Field::Children => "children",
            Field::Elderly => "elderly",
            Field::Disabled => "disabled",
            Field::ConditionsMet => "conditions_met",
            Field::Facts => "facts",
            Field::UnitName => "unit_name",
            Field::TaxCode => "tax_code",
            Field::Applied => "applied",
            Field::Amount => "amount",
            Field::Note => "note",
        }
    }

    /// The field of a key.
    pub fn from_key(key: &str) -> Option<Field> {
        TEMPLATE.iter().map(|c| c.field).find(|f| f.key() == key)
    }

    /// Whether a cell of this field holds a date (an Excel number in it is a date serial).
    pub fn is_date(self) -> bool {
        matches!(self, Field::Dob | Field::From | Field::To | Field::Applied)
    }
}

/// The header vocabulary, as shipped.
pub const HEADERS_TOML: &str = include_str!("headers.toml");

/// The vocabulary read: every header (folded) → its field, and each field's headers as written.
#[derive(Debug)]
struct Vocabulary {
    by_key: std::collections::HashMap<String, Field>,
    written: std::collections::HashMap<Field, Vec<String>>,
}

/// Reads `headers.toml`: a header listed under two fields, or under an unknown field, is an error.
fn parse_vocabulary(text: &str) -> Result<Vocabulary, String> {
    let table: std::collections::BTreeMap<String, Vec<String>> =
        toml::from_str(text).map_err(|e| e.to_string())?;
    let mut by_key = std::collections::HashMap::new();
    let mut written = std::collections::HashMap::new();
    for c in TEMPLATE {
        by_key.insert(header_key(c.header), c.field);
    }
    for (key, headers) in table {
        let field = Field::from_key(&key).ok_or_else(|| format!("no field '{key}'"))?;
        for h in &headers {
            let folded = header_key(h);
            if folded.is_empty() {
                return Err(format!("{key}: an empty header"));
            }
            match by_key.insert(folded.clone(), field) {
                Some(other) if other != field => {
                    return Err(format!(
                        "'{h}' ({folded}) names both {} and {}",
                        other.key(),
                        field.key()
                    ))
                }
                _ => {}
            }
        }
        written.insert(field, headers);
    }
    Ok(Vocabulary { by_key, written })
}

fn vocabulary() -> &'static Vocabulary {
    static V: std::sync::OnceLock<Vocabulary> = std::sync::OnceLock::new();
    V.get_or_init(|| parse_vocabulary(HEADERS_TOML).expect("headers.toml is valid (tested)"))
}

/// The other headers the vocabulary reads as `field` (as written in `headers.toml`).
pub fn variants(field: Field) -> &'static [String] {
    vocabulary()
        .written
        .get(&field)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// A header cell folded for matching: no tone marks, lower case, single spaces, no trailing colon or
/// footnote star, "(*)" and "(1)" style notes dropped.
pub fn header_key(text: &str) -> String {
    let folded = fold(text);
    let mut key = folded
        .replace(['*', ':', '\u{a0}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // "(1)", "(2)" column numbers under the header in official forms.
    while let Some(start) = key.rfind(" (") {
        let tail = &key[start + 2..];
        if tail.ends_with(')') && tail[..tail.len() - 1].chars().all(|c| c.is_ascii_digit()) {
            key.truncate(start);
        } else {
            break;
        }
    }
    key.replace(" / ", "/")
        .replace("/ ", "/")
        .replace(" /", "/")
}

/// The field a header names, if any.
pub fn field_of(header: &str) -> Option<Field> {
    let key = header_key(header);
    if key.is_empty() {
        return None;
    }
    vocabulary().by_key.get(&key).copied()
}

/// An officer's choice for one column of a file: the column (its header as the file writes it, or its
/// letter) read as a template field, or `None` to leave it out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ColumnChoice {
    pub column: String,
    pub field: Option<Field>,
}

impl ColumnChoice {
    /// Reads `"Ngày phát sinh=Từ ngày"`: the file's header (or column letter) on the left; on the right a
    /// template header (or any header the vocabulary knows), a field key (`from`), or `bỏ qua` / `-` /
    /// nothing to leave the column out.
    pub fn parse(text: &str) -> Result<ColumnChoice, String> {
        let (left, right) = text.split_once('=').ok_or_else(|| {
            format!(
                "'{text}': ghi «tiêu đề cột trong tệp=cột của mẫu», ví dụ «Ngày phát sinh=Từ ngày»"
            )
        })?;
        let left = crate::import::cells::clean(left);
        if left.is_empty() {
            return Err(format!(
                "'{text}': thiếu tiêu đề cột trong tệp (bên trái dấu =)"
            ));
        }
        Ok(ColumnChoice {
            column: left,
            field: target_field(right)?,
        })
    }
}

/// The right side of a choice: a template header or a header the vocabulary knows, a field key, or
/// "bỏ qua" (leave out).
fn target_field(text: &str) -> Result<Option<Field>, String> {
    let key = header_key(text);
    if matches!(
        key.as_str(),
        "" | "-" | "bo qua" | "khong doc" | "khong nhap"
    ) {
        return Ok(None);
    }
    if let Some(f) = Field::from_key(text.trim()) {
        return Ok(Some(f));
    }
    field_of(text).map(Some).ok_or_else(|| {
        format!(
            "'{}' không phải cột của mẫu nhập; chọn một trong: {}, hoặc «bỏ qua»",
            text.trim(),
            TEMPLATE
                .iter()
                .map(|c| c.header)
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// The letter Excel shows over a column (1 → A, 27 → AA).
pub fn column_letter(column: usize) -> String {
    let mut n = column;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

/// How a header row maps onto fields: one entry per cell of the row.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnMapping {
    /// 1-based column number in the file (A = 1).
    pub column: usize,
    /// The column's letter as Excel shows it (A, B, …, AA).
    pub letter: String,
    pub header: String,
    pub field: Option<Field>,
    /// The canonical header the column was read as, or None when it is ignored.
    pub read_as: Option<&'static str>,
    /// The earlier column (1-based) that names the same field: this one is not read, and a value in it
    /// that differs from that column's is refused.
    pub duplicate_of: Option<usize>,
    /// Read this way because the officer chose it (`--map`, the preview's drop-down, or a choice
    /// remembered for a file with the same headers), not by the vocabulary.
    pub chosen: bool,
    /// A column the vocabulary read as a field the officer gave to another column: left out.
    pub displaced_by: Option<usize>,
}

/// Maps a header row. A field named twice keeps its first column; the second is reported as ignored.
pub fn map_header(cells: &[String]) -> Vec<ColumnMapping> {
    map_header_with(cells, &[]).expect("no choices, nothing to refuse")
}

/// The column a choice names: a header as the file writes it (folded), else a column letter.
fn chosen_column(cells: &[String], choice: &ColumnChoice) -> Option<usize> {
    let key = header_key(&choice.column);
    cells
        .iter()
        .position(|h| !key.is_empty() && header_key(h) == key)
        .or_else(|| {
            let letters = choice.column.trim().to_ascii_uppercase();
            let letters = letters
                .strip_prefix("CỘT ")
                .unwrap_or(&letters)
                .trim()
                .to_string();
            (!letters.is_empty()
                && letters.len() <= 3
                && letters.bytes().all(|b| b.is_ascii_uppercase()))
            .then(|| (1..=cells.len()).find(|&c| column_letter(c) == letters))
            .flatten()
            .map(|c| c - 1)
        })
}

/// Maps a header row with the officer's choices: a chosen column is read as its field whatever its header
/// says (or left out), and takes that field from a column the vocabulary gave it to. A choice naming no
/// column of the row, or two choices giving one field to two columns, is refused with the reason.
pub fn map_header_with(
    cells: &[String],
    choices: &[ColumnChoice],
) -> Result<Vec<ColumnMapping>, String> {
    let mut chosen: Vec<Option<Option<Field>>> = vec![None; cells.len()];
    for c in choices {
        let i = chosen_column(cells, c).ok_or_else(|| {
            format!(
                "không có cột «{}» trong dòng tiêu đề (các cột: {})",
                c.column,
                cells
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| !h.trim().is_empty())
                    .map(|(i, h)| format!("{} «{}»", column_letter(i + 1), h.trim()))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        if let Some(f) = c.field {
            if let Some(j) = chosen.iter().position(|x| *x == Some(Some(f))) {
                if j != i {
                    return Err(format!(
                        "cột {} và cột {} cùng được chọn là «{}»; mỗi cột của mẫu chỉ đọc từ một cột",
                        column_letter(j + 1),
                        column_letter(i + 1),
                        f.header()
                    ));
                }
            }
        }
        chosen[i] = Some(c.field);
    }
    let taken: Vec<(Field, usize)> = chosen
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.flatten().map(|f| (f, i + 1)))
        .collect();
    let mut seen: Vec<(Field, usize)> = taken.clone();
    Ok(cells
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let column = i + 1;
            let (named, was_chosen) = match chosen[i] {
                Some(choice) => (choice, true),
                None => (field_of(h), false),
            };
            let displaced_by = (!was_chosen)
                .then(|| named.and_then(|f| taken.iter().find(|(g, _)| *g == f).map(|(_, c)| *c)))
                .flatten();
            let duplicate_of = if was_chosen || displaced_by.is_some() {
                None
            } else {
                named.and_then(|f| seen.iter().find(|(g, _)| *g == f).map(|(_, c)| *c))
            };
            let field = named.filter(|_| duplicate_of.is_none() && displaced_by.is_none());
            if let (Some(f), false) = (field, was_chosen) {
                seen.push((f, column));
            }
            ColumnMapping {
                column,
                letter: column_letter(column),
                header: h.trim().to_string(),
                field,
                read_as: field.map(|f| f.header()),
                duplicate_of,
                chosen: was_chosen,
                displaced_by,
            }
        })
        .collect())
}

/// How many cells of a row name a known field (how a header row is found under the title rows).
pub fn header_score(cells: &[String]) -> usize {
    header_score_with(cells, &[])
}

/// As `header_score`, a column the officer chose counting too (a list whose headers the vocabulary does
/// not know is still found).
pub fn header_score_with(cells: &[String], choices: &[ColumnChoice]) -> usize {
    cells
        .iter()
        .filter(|h| {
            field_of(h).is_some()
                || choices.iter().any(|c| {
                    c.field.is_some()
                        && !h.trim().is_empty()
                        && header_key(&c.column) == header_key(h)
                })
        })
        .count()
}

/// The template's worked example, by field. Marked as the example ("Ví dụ" in STT), so a file filled in
/// under it refuses it until it is deleted.
pub fn template_example(field: Field) -> &'static str {
    match field {
        Field::RowNo => "Ví dụ",
        Field::FullName => "Nguyễn Thị Lan",
        Field::Dob => "12/03/1988",
        Field::Sex => "Nữ",
        Field::IdNumber => "001188012345",
        Field::Address => "Số 12 ngõ 34 Ngô Gia Tự",
        Field::ResidentialGroup => "Tổ dân phố 7",
        Field::Ward => "Giang Biên",
        Field::Phone => "0912345678",
        Field::Policy => "hn-3642-freelance",
        Field::From => "15/07/2021",
        Field::ConditionsMet => "x",
        Field::Applied => "01/09/2021",
        _ => "",
    }
}

/// Whether a field's values are codes written with digits (kept as text: leading zeros matter).
pub fn is_code(field: Field) -> bool {
    matches!(
        field,
        Field::IdNumber | Field::Phone | Field::SocialInsurance | Field::TaxCode
    )
}

/// The canonical template as an Excel-ready CSV (UTF-8 with BOM), with one worked example row.
pub fn template_csv(delimiter: u8) -> Vec<u8> {
    let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(TEMPLATE.iter().map(|c| c.header))
            .expect("in memory");
        w.write_record(TEMPLATE.iter().map(|c| template_example(c.field)))
            .expect("in memory");
        w.flush().expect("in memory");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_variants_map_to_fields() {
        for (h, f) in [
            ("Họ và tên", Field::FullName),
            ("HỌ TÊN", Field::FullName),
            ("Ho va ten", Field::FullName),
            ("Số CCCD/CMND", Field::IdNumber),
            ("CMND/CCCD", Field::IdNumber),
            ("Số định danh", Field::IdNumber),
            ("Số CMND / CCCD", Field::IdNumber),
            ("  Ngày sinh  ", Field::Dob),
            ("Ngày, tháng, năm sinh", Field::Dob),
            ("Số tiền (đồng)", Field::Amount),
            ("Số tiền (5)", Field::Amount),
            ("Chính sách*", Field::Policy),
            ("STT", Field::RowNo),
        ] {
            assert_eq!(field_of(h), Some(f), "{h}");
        }
        assert_eq!(field_of("Chữ ký"), None);
        assert_eq!(field_of(""), None);
    }

    #[test]
    fn the_vocabulary_names_each_header_once_and_reads_real_lists() {
        // Parsed strictly: a header under two fields, or an unknown field, is refused.
        parse_vocabulary(HEADERS_TOML).unwrap();
        assert!(parse_vocabulary("from = [\"Ngày sinh\"]")
            .unwrap_err()
            .contains("names both"));
        assert!(parse_vocabulary("khong_co = [\"x\"]").is_err());
        for (h, f) in [
            ("Ngày phát sinh", Field::From),
            ("Ngày mất việc", Field::From),
            ("Thời gian tạm hoãn từ ngày", Field::From),
            ("Thời gian tạm hoãn đến ngày", Field::To),
            ("Nơi ở hiện nay", Field::Address),
            ("Số CMND/CCCD/ĐDCN", Field::IdNumber),
            ("SO CMND / CCCD / DDCN", Field::IdNumber),
            ("Số tiền đề nghị hỗ trợ (đồng)", Field::Amount),
        ] {
            assert_eq!(field_of(h), Some(f), "{h}");
        }
        for f in TEMPLATE.iter().map(|c| c.field) {
            assert_eq!(Field::from_key(f.key()), Some(f));
            for v in variants(f) {
                assert_eq!(field_of(v), Some(f), "{v}");
            }
        }
    }

    #[test]
    fn the_officer_maps_a_column_by_header_or_letter() {
        let cells: Vec<String> = [
            "STT",
            "Họ tên",
            "Số CCCD",
            "Đối tượng",
            "Ngày bị ảnh hưởng",
            "Ghi chú",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let plain = map_header(&cells);
        assert_eq!(plain[4].field, None);
        let choice = ColumnChoice::parse("ngay bi anh huong = Từ ngày").unwrap();
        assert_eq!(choice.field, Some(Field::From));
        let m = map_header_with(&cells, &[choice]).unwrap();
        assert_eq!(
            (m[4].field, m[4].chosen, m[4].letter.as_str()),
            (Some(Field::From), true, "E")
        );
        // By letter, to a field key; and a column left out.
        let m = map_header_with(
            &cells,
            &[
                ColumnChoice::parse("E=from").unwrap(),
                ColumnChoice::parse("Ghi chú=bỏ qua").unwrap(),
            ],
        )
        .unwrap();
        assert_eq!(m[4].field, Some(Field::From));
        assert_eq!((m[5].field, m[5].chosen), (None, true));
        // A chosen column takes its field from the column the vocabulary gave it to.
        let m =
            map_header_with(&cells, &[ColumnChoice::parse("Ghi chú=Họ và tên").unwrap()]).unwrap();
        assert_eq!(m[5].field, Some(Field::FullName));
        assert_eq!((m[1].field, m[1].displaced_by), (None, Some(6)));
        assert!(
            map_header_with(&cells, &[ColumnChoice::parse("Ngày nghỉ=Từ ngày").unwrap()])
                .unwrap_err()
                .contains("không có cột «Ngày nghỉ»")
        );
        assert!(ColumnChoice::parse("E=Ngày bay")
            .unwrap_err()
            .contains("không phải cột của mẫu"));
        assert!(ColumnChoice::parse("Ngày phát sinh").is_err());
        assert_eq!(column_letter(28), "AB");
        assert_eq!(header_score_with(&cells, &[]), 5);
        assert_eq!(
            header_score_with(
                &cells,
                &[ColumnChoice::parse("Ngày bị ảnh hưởng=Từ ngày").unwrap()]
            ),
            6
        );
    }

    #[test]
    fn template_headers_are_read_back_as_themselves() {
        let cells: Vec<String> = TEMPLATE.iter().map(|c| c.header.to_string()).collect();
        assert_eq!(header_score(&cells), TEMPLATE.len());
    }
}
