//! Each audit row as an officer reads it: one Vietnamese sentence ("Nhập tệp danh-sach.csv: 500 dòng, thêm
//! 480 hồ sơ, 720.000.000 đ"), written here once for the app's Nhật ký and anyone else who shows the log.
//! Names (people, lists, policies) are looked up in the ledger, never shown as ids or codes.

use super::{Ledger, Office, Role};
use crate::audit::AuditEntry;
use crate::error::Result;
use crate::money::Money;
use crate::rules::RulePack;
use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

/// Looks up what a row names (a beneficiary, a claim, a list, a payout) in the ledger it belongs to.
struct Names<'a> {
    conn: &'a Connection,
    pack: &'a RulePack,
}

impl Names<'_> {
    fn one(&self, sql: &str, arg: &str) -> Option<String> {
        self.conn
            .prepare_cached(sql)
            .ok()?
            .query_row([arg], |r| r.get::<_, Option<String>>(0))
            .optional()
            .ok()
            .flatten()
            .flatten()
    }

    /// The person, household or group a beneficiary key (`P:…`, `H:…`, `G:…`) names.
    fn beneficiary(&self, key: &str) -> Option<String> {
        let (kind, id) = key.split_once(':')?;
        match kind {
            "P" => self.one("SELECT full_name FROM person WHERE id = ?1", id),
            "H" => self
                .one("SELECT name FROM household WHERE id = ?1", id)
                .map(|n| format!("hộ {n}")),
            "G" => self
                .one("SELECT name FROM unit_group WHERE id = ?1", id)
                .map(|n| format!("nhóm {n}")),
            _ => None,
        }
    }

    /// "hồ sơ <policy> của <beneficiary>".
    fn claim(&self, claim: &str) -> String {
        let row = self
            .conn
            .prepare_cached("SELECT policy_code, beneficiary_key FROM claim WHERE id = ?1")
            .ok()
            .and_then(|mut s| {
                s.query_row([claim], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })
                .optional()
                .ok()
                .flatten()
            });
        match row {
            Some((policy, key)) => match self.beneficiary(&key) {
                Some(who) => format!("hồ sơ {} của {who}", self.policy(&policy)),
                None => format!("hồ sơ {}", self.policy(&policy)),
            },
            None => "một hồ sơ".into(),
        }
    }

    fn payout_claim(&self, payout: &str) -> String {
        match self.one("SELECT claim_id FROM payout WHERE id = ?1", payout) {
            Some(c) => self.claim(&c),
            None => "một hồ sơ".into(),
        }
    }

    fn list(&self, list: &str) -> String {
        match self.one("SELECT name FROM claim_list WHERE id = ?1", list) {
            Some(n) => format!("danh sách “{n}”"),
            None => "một danh sách".into(),
        }
    }

    fn policy(&self, code: &str) -> String {
        self.pack
            .policy(code)
            .map(|p| p.title.clone())
            .unwrap_or_else(|_| "chính sách không còn trong bộ quy tắc".into())
    }
}

fn text(d: &Value, key: &str) -> Option<String> {
    match &d[key] {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn number(d: &Value, key: &str) -> i64 {
    d[key]
        .as_i64()
        .or_else(|| d[key].as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(0)
}

/// A count as documents write it ("1.850").
fn count(n: i64) -> String {
    Money::from_dong(n).format_vi()
}

fn money(d: &Value, key: &str) -> String {
    let dong = d[key]
        .as_i64()
        .or_else(|| {
            d[key]
                .as_str()
                .and_then(|s| s.parse::<rust_decimal::Decimal>().ok())
                .and_then(|m| {
                    use rust_decimal::prelude::ToPrimitive;
                    m.to_i64()
                })
        })
        .unwrap_or(0);
    format!("{} đ", Money::from_dong(dong).format_vi())
}

fn day(d: &Value, key: &str) -> Option<String> {
    d[key]
        .as_str()
        .and_then(crate::dates::parse_stored)
        .map(crate::dates::format_vi)
}

fn role(d: &Value, key: &str) -> String {
    d[key]
        .as_str()
        .and_then(|r| Role::parse(r).ok())
        .map(|r| r.label_vi().to_string())
        .unwrap_or_else(|| "không rõ".into())
}

/// The last part of a path: the file an officer recognises.
fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

fn reason(d: &Value) -> String {
    text(d, "reason")
        .map(|r| format!("; lý do: {r}"))
        .unwrap_or_default()
}

/// What a claim's stored fact is called on the claim form.
fn fact_label(key: &str) -> &str {
    match key {
        "from" => "ngày bắt đầu",
        "to" => "ngày kết thúc",
        "days" => "số ngày",
        "applied" => "ngày nộp hồ sơ",
        "dob" => "ngày sinh",
        "pregnant" => "mang thai",
        "elderly" => "người cao tuổi",
        "disabled" => "khuyết tật",
        "children" => "con dưới 6 tuổi",
        "flags" => "điều kiện",
        _ => "thông tin khác",
    }
}

/// What a person's detail is called on the person form.
fn person_field(key: &str) -> Option<&'static str> {
    Some(match key {
        "full_name" => "họ tên",
        "dob" => "ngày sinh",
        "sex" => "giới tính",
        "address" => "địa chỉ",
        "residential_group" => "tổ dân phố",
        "ward" => "phường",
        "phone" => "số điện thoại",
        "household_id" => "hộ",
        _ => return None,
    })
}

fn office_line(v: &Value) -> String {
    serde_json::from_value::<Office>(v.clone())
        .map(|o| o.names().line)
        .unwrap_or_else(|_| "không rõ".into())
}

fn sign_out_why(why: &str) -> &'static str {
    match why {
        "on_demand" => "tự đăng xuất",
        "idle" => "không thao tác quá thời gian cho phép",
        "new_sign_in" => "người khác đăng nhập trên máy",
        "restore" => "sổ vừa được khôi phục từ bản sao lưu",
        _ => "không rõ lý do",
    }
}

fn ids_text(v: &Value) -> String {
    v.as_array()
        .map(|docs| {
            docs.iter()
                .filter_map(|d| {
                    let kind = crate::identity::IdKind::parse(d["kind"].as_str()?).ok()?;
                    Some(format!("{} {}", kind.label_vi(), d["number"].as_str()?))
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// One audit row in words.
fn describe(e: &AuditEntry, n: &Names<'_>) -> String {
    let d = &e.detail;
    let id = e.entity_id.as_deref().unwrap_or("");
    match e.action.as_str() {
        "init" => format!(
            "Khởi tạo sổ của {}; quản trị viên: {}",
            office_line(&d["office"]),
            text(d, "admin").unwrap_or_default()
        ),
        "correct_office" => format!(
            "Sửa tên đơn vị: {} → {}",
            office_line(&d["before"]),
            office_line(&d["office"])
        ),
        "sign_in" => "Đăng nhập".into(),
        "sign_in_failed" => format!(
            "Đăng nhập sai mật khẩu (lần thứ {} liên tiếp)",
            number(d, "failed_attempts")
        ),
        "locked" => format!(
            "Khóa tài khoản{} vì nhập sai mật khẩu nhiều lần",
            text(d, "locked_until")
                .map(|t| format!(" đến {}", crate::dates::format_time_vi(&t)))
                .unwrap_or_default()
        ),
        "sign_out" => format!(
            "Đăng xuất ({})",
            sign_out_why(d["why"].as_str().unwrap_or(""))
        ),
        "add_operator" => format!("Thêm người dùng {id}, vai trò {}", role(d, "role")),
        "set_operator" => format!(
            "Đổi vai trò của {id}: {} → {}",
            role(d, "before"),
            role(d, "role")
        ),
        "reset_password" => format!("Đặt lại mật khẩu cho {id} (mở khóa tài khoản)"),
        "change_password" => "Đổi mật khẩu của mình".into(),
        "set_first_password" => "Đặt mật khẩu đầu tiên của quản trị viên".into(),
        "add_person" => {
            let ids = ids_text(&d["ids"]);
            let mut s = format!(
                "Thêm người {}{}",
                text(d, "name").unwrap_or_default(),
                if ids.is_empty() {
                    String::new()
                } else {
                    format!(" ({ids})")
                }
            );
            if let Some(dup) = d["duplicates"].as_object() {
                let who: Vec<String> = dup
                    .get("despite_likely_duplicates")
                    .and_then(Value::as_array)
                    .map(|m| {
                        m.iter()
                            .filter_map(|x| x["name"].as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                s.push_str(&format!(
                    "; vẫn thêm dù có thể trùng với {}; lý do: {}",
                    who.join(", "),
                    dup.get("reason").and_then(Value::as_str).unwrap_or("")
                ));
            }
            s
        }
        "add_identity" => format!(
            "Thêm giấy tờ {} cho {}",
            ids_text(&Value::Array(vec![d.clone()])),
            n.beneficiary(&format!("P:{id}"))
                .unwrap_or_else(|| "một người".into())
        ),
        "update_person" => {
            let (before, after) = (&d["before"], &d["after"]);
            let mut changes = Vec::new();
            if let Some(a) = after.as_object() {
                for (k, v) in a {
                    if let Some(label) = person_field(k) {
                        if before.get(k) != Some(v) {
                            changes.push(label);
                        }
                    }
                }
            }
            format!(
                "Sửa thông tin của {}: {}",
                after["full_name"].as_str().unwrap_or(""),
                if changes.is_empty() {
                    "không đổi gì".to_string()
                } else {
                    changes.join(", ")
                }
            )
        }
        "add_household" => format!(
            "Thêm hộ kinh doanh {}{}",
            text(d, "name").unwrap_or_default(),
            text(d, "tax_code")
                .map(|t| format!(" (mã số thuế {t})"))
                .unwrap_or_default()
        ),
        "add_group" => format!("Thêm nhóm/lớp {}", text(d, "name").unwrap_or_default()),
        "add_claim" => format!(
            "Ghi hồ sơ {} cho {}, {}",
            n.policy(d["policy"].as_str().unwrap_or("")),
            d["beneficiary"]
                .as_str()
                .and_then(|k| n.beneficiary(k))
                .unwrap_or_else(|| "một đối tượng".into()),
            money(d, "amount")
        ),
        "reject_claim" => format!("Từ chối {}{}", n.claim(id), reason(d)),
        "withdraw_claim" => format!("Rút {}, {}{}", n.claim(id), money(d, "amount"), reason(d)),
        "correct_claim" => {
            let changed: Vec<&str> = d["changed"]
                .as_array()
                .map(|c| c.iter().filter_map(Value::as_str).map(fact_label).collect())
                .unwrap_or_default();
            format!(
                "Sửa {} (khác: {}); số tiền {} → {}{}",
                n.claim(id),
                changed.join(", "),
                money(d, "amount_before"),
                money(d, "amount"),
                reason(d)
            )
        }
        "create_list" => format!(
            "Lập danh sách “{}”: {} hồ sơ",
            text(d, "name").unwrap_or_default(),
            count(number(d, "claims"))
        ),
        "post_list" => format!(
            "Niêm yết công khai {}{}",
            n.list(id),
            day(d, "posted_on")
                .map(|x| format!(" ngày {x}"))
                .unwrap_or_default()
        ),
        "approve_list" => format!(
            "Phê duyệt {} theo Quyết định số {}{}",
            n.list(id),
            text(d, "decision_no").unwrap_or_default(),
            day(d, "decision_date")
                .map(|x| format!(" ngày {x}"))
                .unwrap_or_default()
        ),
        "pay" => format!(
            "Chi trả {} của {}: {}, {}{}",
            match d["claim"].as_str() {
                Some(c) => n.claim(c),
                None => format!("{} hồ sơ", count(number(d, "count"))),
            },
            n.list(id),
            money(d, "total"),
            match d["method"].as_str() {
                Some("bank") => "chuyển khoản",
                _ => "tiền mặt",
            },
            day(d, "paid_on")
                .map(|x| format!(", ngày {x}"))
                .unwrap_or_default()
        ),
        "reverse" => format!(
            "Thu hồi (đảo) khoản chi {}{}{}",
            n.payout_claim(id),
            day(d, "reversed_on")
                .map(|x| format!(", ngày {x}"))
                .unwrap_or_default(),
            reason(d)
        ),
        "override_amount" => format!(
            "Điều chỉnh số tiền {}: {} → {}{}",
            n.claim(id),
            money(d, "rule_amount"),
            money(d, "amount"),
            reason(d)
        ),
        "demo" => format!(
            "Tạo dữ liệu mẫu: {} người, {} hồ sơ, {}",
            count(number(d, "people_added")),
            count(number(d, "claims_added")),
            money(d, "amount_added")
        ),
        "import" => {
            let mut s = format!(
                "Nhập tệp {}: {} dòng, thêm {} hồ sơ, {}",
                file_name(&text(d, "file").unwrap_or_default()),
                count(number(d, "rows_read")),
                count(number(d, "rows_added")),
                money(d, "amount_added")
            );
            let present = number(d, "rows_already_present");
            if present > 0 {
                s.push_str(&format!("; {} dòng đã có sẵn trong sổ", count(present)));
            }
            let rejected = number(d, "rows_rejected");
            if rejected > 0 {
                s.push_str(&format!("; {} dòng bị từ chối", count(rejected)));
            }
            s
        }
        "duplicate_check" => {
            let mut s = format!(
                "Kiểm tra trùng: {} bản ghi, {} cặp ({} chắc chắn trùng, {} nhiều khả năng trùng, {} có thể trùng)",
                count(number(d, "records")),
                count(number(d, "pairs")),
                count(number(d, "certain")),
                count(number(d, "likely")),
                count(number(d, "possible"))
            );
            let twice = number(d, "paid_twice");
            if twice > 0 {
                s.push_str(&format!(
                    "; {} cặp đã chi trả hai lần, {} có thể phải thu hồi",
                    count(twice),
                    money(d, "at_stake")
                ));
            }
            s
        }
        "duplicate_same_person" => {
            format!(
            "Quyết định hai bản ghi là cùng một người{}; {} khoản đưa vào danh sách thu hồi, {}",
            text(d, "note").map(|t| format!(" (căn cứ: {t})")).unwrap_or_default(),
            count(number(d, "recovery_lines")),
            money(d, "recovery_amount")
        )
        }
        "duplicate_not_same_person" => format!(
            "Quyết định hai bản ghi không phải cùng một người{}",
            text(d, "note")
                .map(|t| format!(" (căn cứ: {t})"))
                .unwrap_or_default()
        ),
        "backup" => format!(
            "Sao lưu sổ vào tệp {}",
            file_name(&text(d, "file").unwrap_or_default())
        ),
        "restore" => format!(
            "Khôi phục sổ từ bản sao lưu {}; sổ trước đó giữ tại {}",
            file_name(&text(d, "from").unwrap_or_default()),
            file_name(&text(d, "previous_kept_at").unwrap_or_default())
        ),
        // A row written by a later version of the software.
        _ => "Thao tác do phiên bản mới hơn của phần mềm ghi".into(),
    }
}

impl Ledger {
    /// The most recent audit rows, newest first, each with its sentence (`AuditEntry::text`).
    pub fn recent_audit(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut rows = crate::audit::recent(&self.conn, limit)?;
        let names = Names {
            conn: &self.conn,
            pack: &self.pack,
        };
        for e in &mut rows {
            e.text = describe(e, &names);
        }
        Ok(rows)
    }
}
