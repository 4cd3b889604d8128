//! The fields a person fills in, by a stable key: what an `InvalidInput` refusal is about. The app and the
//! CLI map the key to their widget or flag; the Vietnamese label lives here, once.

use serde::{Deserialize, Serialize};

macro_rules! input_fields {
    ($($variant:ident => $key:literal, $label:literal;)*) => {
        /// One field of a form, a command's argument or a file's cell that input was refused for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(into = "&'static str", try_from = "String")]
        pub enum InputField {
            $($variant,)*
        }

        impl InputField {
            /// Every field, in declaration order.
            pub const ALL: &'static [InputField] = &[$(InputField::$variant,)*];

            /// The stable key (English, snake_case) that crosses to the app and to `--json`.
            pub fn key(self) -> &'static str {
                match self {
                    $(InputField::$variant => $key,)*
                }
            }

            /// The field as an officer calls it.
            pub fn label_vi(self) -> &'static str {
                match self {
                    $(InputField::$variant => $label,)*
                }
            }
        }
    };
}

input_fields! {
    Operator => "operator", "người dùng";
    Password => "password", "mật khẩu";
    Role => "role", "vai trò";
    Ward => "ward", "phường/xã";
    District => "district", "quận/huyện";
    City => "city", "tỉnh/thành phố";
    Ledger => "ledger", "sổ";
    RulePack => "rule_pack", "bộ quy tắc";
    FullName => "full_name", "họ và tên";
    Dob => "dob", "ngày sinh";
    Sex => "sex", "giới tính";
    Phone => "phone", "số điện thoại";
    IdKind => "id_kind", "loại giấy tờ";
    Cccd => "cccd", "số CCCD";
    Cmnd => "cmnd", "số CMND";
    PersonalId => "personal_id", "số định danh cá nhân";
    SocialInsurance => "social_insurance", "mã số BHXH";
    Person => "person", "người thụ hưởng";
    UnitKind => "unit_kind", "loại đối tượng";
    HouseholdName => "household_name", "tên hộ";
    GroupName => "group_name", "tên nhóm";
    UnitOwner => "unit_owner", "chủ hộ";
    Household => "household", "hộ kinh doanh";
    Group => "group", "nhóm trẻ, lớp";
    TaxCode => "tax_code", "mã số thuế";
    Claim => "claim", "hồ sơ";
    Fact => "fact", "điều kiện";
    Days => "days", "số ngày";
    Children => "children", "con dưới 6 tuổi";
    Child => "child", "con";
    List => "list", "danh sách";
    ListName => "list_name", "tên danh sách";
    DecisionNo => "decision_no", "số quyết định";
    DecisionDate => "decision_date", "ngày quyết định";
    Amount => "amount", "số tiền";
    PaymentMethod => "payment_method", "hình thức chi";
    PaidOn => "paid_on", "ngày chi";
    Payout => "payout", "khoản chi";
    ReversedOn => "reversed_on", "ngày đảo";
    Reason => "reason", "lý do";
    Note => "note", "ghi chú";
    ReportKind => "report_kind", "loại báo cáo";
    Source => "source", "nguồn";
    Pair => "pair", "cặp";
    RecoveryAmount => "recovery_amount", "số tiền thu hồi";
    ChainHead => "chain_head", "đầu chuỗi nhật ký";
    ColumnMap => "column_map", "cột của tệp nhập";
    Sheet => "sheet", "trang tính";
    ExportFormat => "export_format", "định dạng tệp xuất";
}

impl From<InputField> for &'static str {
    fn from(f: InputField) -> &'static str {
        f.key()
    }
}

impl TryFrom<String> for InputField {
    type Error = String;

    fn try_from(key: String) -> Result<Self, String> {
        InputField::ALL
            .iter()
            .copied()
            .find(|f| f.key() == key)
            .ok_or_else(|| format!("unknown field key '{key}'"))
    }
}

impl std::fmt::Display for InputField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label_vi())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_labels_are_each_unique() {
        let mut keys: Vec<_> = InputField::ALL.iter().map(|f| f.key()).collect();
        let mut labels: Vec<_> = InputField::ALL.iter().map(|f| f.label_vi()).collect();
        keys.sort_unstable();
        labels.sort_unstable();
        let n = InputField::ALL.len();
        keys.dedup();
        labels.dedup();
        assert_eq!((keys.len(), labels.len()), (n, n));
        assert_eq!(
            serde_json::to_string(&InputField::TaxCode).unwrap(),
            "\"tax_code\""
        );
        for f in InputField::ALL {
            let back: InputField = serde_json::from_str(&format!("\"{}\"", f.key())).unwrap();
            assert_eq!(back, *f);
        }
    }
}
