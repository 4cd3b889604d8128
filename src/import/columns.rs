//! The columns of a ward file: the canonical template (Vietnamese headers in the order of the official
//! forms) and the header variants offices really type, matched without tone marks or case.

use crate::identity::fold;
use serde::Serialize;

/// What a column of a ward file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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

/// One template column: its canonical header, the variants accepted, and what a cell may hold.
pub struct ColumnSpec {
    pub field: Field,
    pub header: &'static str,
    pub variants: &'static [&'static str],
    pub required: bool,
    pub help: &'static str,
}

/// The canonical template, in the order of the official lists (Mẫu 05/07/08, QĐ 3642 Mẫu 01): who, then
/// which policy and the period, then supplements, then the amount and the signature-side notes.
pub const TEMPLATE: &[ColumnSpec] = &[
    ColumnSpec {
        field: Field::RowNo,
        header: "STT",
        variants: &["so thu tu", "tt", "so tt"],
        required: false,
        help: "số thứ tự, không bắt buộc",
    },
    ColumnSpec {
        field: Field::FullName,
        header: "Họ và tên",
        variants: &[
            "ho ten",
            "ho va ten nguoi lao dong",
            "ho ten nguoi lao dong",
            "ho va ten nguoi de nghi",
            "ten",
            "ho ten nguoi nhan",
        ],
        required: true,
        help: "họ tên đầy đủ, có dấu",
    },
    ColumnSpec {
        field: Field::Dob,
        header: "Ngày sinh",
        variants: &[
            "ngay thang nam sinh",
            "ngay, thang, nam sinh",
            "nam sinh",
            "ngay sinh (dd/mm/yyyy)",
        ],
        required: false,
        help: "dd/mm/yyyy, d/m/yyyy hoặc chỉ năm",
    },
    ColumnSpec {
        field: Field::Sex,
        header: "Giới tính",
        variants: &["gioi", "nam/nu", "gioi tinh (nam/nu)"],
        required: false,
        help: "Nam hoặc Nữ",
    },
    ColumnSpec {
        field: Field::IdNumber,
        header: "Số CCCD/CMND",
        variants: &[
            "so cmnd/cccd",
            "cmnd/cccd",
            "cccd/cmnd",
            "so cccd",
            "so cmnd",
            "cccd",
            "cmnd",
            "so dinh danh",
            "so dinh danh ca nhan",
            "ma dinh danh",
            "so cmnd/cccd/dinh danh",
            "so cccd/cmnd/dinh danh ca nhan",
            "so giay to tuy than",
        ],
        required: true,
        help: "12 số CCCD/định danh, hoặc 9 số CMND",
    },
    ColumnSpec {
        field: Field::SocialInsurance,
        header: "Mã số BHXH",
        variants: &["so so bhxh", "ma so bao hiem xa hoi", "so bhxh", "ma bhxh"],
        required: false,
        help: "10 số, nếu có",
    },
    ColumnSpec {
        field: Field::Address,
        header: "Địa chỉ",
        variants: &[
            "dia chi thuong tru",
            "noi o hien nay",
            "dia chi cu tru",
            "noi cu tru",
            "dia chi noi o",
        ],
        required: false,
        help: "",
    },
    ColumnSpec {
        field: Field::ResidentialGroup,
        header: "Tổ dân phố",
        variants: &["to dp", "to", "tdp", "to dan pho so"],
        required: false,
        help: "",
    },
    ColumnSpec {
        field: Field::Ward,
        header: "Phường",
        variants: &["phuong/xa", "xa/phuong", "phuong xa", "don vi"],
        required: false,
        help: "để trống: phường của sổ",
    },
    ColumnSpec {
        field: Field::Phone,
        header: "Số điện thoại",
        variants: &["dien thoai", "sdt", "so dt", "dt"],
        required: false,
        help: "",
    },
    ColumnSpec {
        field: Field::Policy,
        header: "Chính sách",
        variants: &[
            "nhom doi tuong",
            "doi tuong",
            "doi tuong ho tro",
            "ma chinh sach",
            "loai ho tro",
            "chinh sach ho tro",
        ],
        required: true,
        help: "mã (vd hn-3642-freelance) hoặc tên chính sách trong bộ quy tắc",
    },
    ColumnSpec {
        field: Field::From,
        header: "Từ ngày",
        variants: &[
            "tu ngay (dd/mm/yyyy)",
            "ngay bat dau",
            "thoi gian tu ngay",
            "ngay mat viec",
            "ngay nghi viec",
        ],
        required: false,
        help: "ngày bắt đầu tạm hoãn/ngừng việc/cách ly, ngày mất việc",
    },
    ColumnSpec {
        field: Field::To,
        header: "Đến ngày",
        variants: &[
            "den ngay (dd/mm/yyyy)",
            "ngay ket thuc",
            "thoi gian den ngay",
        ],
        required: false,
        help: "",
    },
    ColumnSpec {
        field: Field::Days,
        header: "Số ngày",
        variants: &["so ngay cach ly", "so ngay dieu tri", "so ngay thuc te"],
        required: false,
        help: "khi không có từ ngày/đến ngày",
    },
    ColumnSpec {
        field: Field::Pregnant,
        header: "Mang thai",
        variants: &["dang mang thai", "lao dong nu mang thai", "co thai"],
        required: false,
        help: "x nếu đang mang thai",
    },
    ColumnSpec {
        field: Field::Children,
        header: "Con dưới 6 tuổi",
        variants: &[
            "con duoi 06 tuoi",
            "con chua du 6 tuoi",
            "ho ten, ngay sinh con duoi 6 tuoi",
            "tre em duoi 6 tuoi",
        ],
        required: false,
        help: "mỗi con: Họ tên - dd/mm/yyyy - số định danh; nhiều con cách nhau bằng dấu ;",
    },
    ColumnSpec {
        field: Field::Elderly,
        header: "Người cao tuổi",
        variants: &["cao tuoi", "nguoi cao tuoi (x)"],
        required: false,
        help: "x nếu có",
    },
    ColumnSpec {
        field: Field::Disabled,
        header: "Khuyết tật",
        variants: &[
            "nguoi khuyet tat",
            "khuyet tat nang",
            "nguoi khuyet tat nang",
        ],
        required: false,
        help: "x nếu có",
    },
    ColumnSpec {
        field: Field::ConditionsMet,
        header: "Đủ điều kiện",
        variants: &[
            "du dieu kien theo ho so",
            "dat dieu kien",
            "xac nhan du dieu kien",
            "dieu kien (x)",
        ],
        required: false,
        help: "x khi hồ sơ đã xác nhận đủ mọi điều kiện bắt buộc của chính sách",
    },
    ColumnSpec {
        field: Field::Facts,
        header: "Điều kiện khác",
        variants: &["dieu kien", "thong tin dieu kien"],
        required: false,
        help: "ten_dieu_kien=có/không; ... (xem relief rules show)",
    },
    ColumnSpec {
        field: Field::UnitName,
        header: "Tên hộ kinh doanh/nhóm lớp",
        variants: &[
            "ten ho kinh doanh",
            "ten nhom tre",
            "ten nhom/lop",
            "ten co so",
            "ten nhom lop",
        ],
        required: false,
        help: "chính sách trả cho hộ hoặc nhóm/lớp",
    },
    ColumnSpec {
        field: Field::TaxCode,
        header: "Mã số thuế",
        variants: &["mst", "ma so thue ho kinh doanh"],
        required: false,
        help: "hộ kinh doanh",
    },
    ColumnSpec {
        field: Field::Applied,
        header: "Ngày nộp hồ sơ",
        variants: &["ngay nop", "ngay de nghi", "ngay nhan ho so"],
        required: false,
        help: "",
    },
    ColumnSpec {
        field: Field::Amount,
        header: "Số tiền",
        variants: &[
            "so tien ho tro",
            "so tien (dong)",
            "so tien de nghi",
            "thanh tien",
            "muc ho tro",
            "tong so tien",
        ],
        required: false,
        help: "nếu ghi, phải bằng mức của bộ quy tắc: 1.234.500, 1,234,500 hoặc 1234500",
    },
    ColumnSpec {
        field: Field::Note,
        header: "Ghi chú",
        variants: &["ghi chu khac"],
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
}

/// A header cell folded for matching: no tone marks, lower case, single spaces, no trailing colon or
/// footnote star, "(*)" and "(1)" style notes dropped.
fn header_key(text: &str) -> String {
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
}

/// The field a header names, if any.
pub fn field_of(header: &str) -> Option<Field> {
    let key = header_key(header);
    if key.is_empty() {
        return None;
    }
    TEMPLATE
        .iter()
        .find(|c| header_key(c.header) == key || c.variants.contains(&key.as_str()))
        .map(|c| c.field)
}

/// How a header row maps onto fields: one entry per cell of the row.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnMapping {
    /// 1-based column number in the file (A = 1).
    pub column: usize,
    pub header: String,
    pub field: Option<Field>,
    /// The canonical header the column was read as, or None when it is ignored.
    pub read_as: Option<&'static str>,
    /// The earlier column (1-based) that names the same field: this one is not read, and a value in it
    /// that differs from that column's is refused.
    pub duplicate_of: Option<usize>,
}

/// Maps a header row. A field named twice keeps its first column; the second is reported as ignored.
pub fn map_header(cells: &[String]) -> Vec<ColumnMapping> {
    let mut seen: Vec<(Field, usize)> = Vec::new();
    cells
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let named = field_of(h);
            let duplicate_of =
                named.and_then(|f| seen.iter().find(|(g, _)| *g == f).map(|(_, c)| *c));
            let field = named.filter(|_| duplicate_of.is_none());
            if let Some(f) = field {
                seen.push((f, i + 1));
            }
            ColumnMapping {
                column: i + 1,
                header: h.trim().to_string(),
                field,
                read_as: field.map(|f| f.header()),
                duplicate_of,
            }
        })
        .collect()
}

/// How many cells of a row name a known field (how a header row is found under the title rows).
pub fn header_score(cells: &[String]) -> usize {
    map_header(cells)
        .iter()
        .filter(|m| m.field.is_some())
        .count()
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
        w.write_record(TEMPLATE.iter().map(|c| match c.field {
            // Marked as the example, so a file filled in under it refuses it until it is deleted.
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
        }))
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
    fn template_headers_are_read_back_as_themselves() {
        let cells: Vec<String> = TEMPLATE.iter().map(|c| c.header.to_string()).collect();
        assert_eq!(header_score(&cells), TEMPLATE.len());
    }
}
