//! An import report as an officer reads it: what the file was taken to be, what was (or would be) added,
//! and every problem with its line and column.

use super::ImportReport;

impl ImportReport {
    /// The report in Vietnamese, one fact per line.
    pub fn describe_vi(&self) -> String {
        let mut s = String::new();
        let mut line = |t: String| {
            s.push_str(&t);
            s.push('\n');
        };
        line(format!(
            "Tệp {}: bảng mã {}, phân cách bằng {}, dòng tiêu đề là dòng {}.",
            self.file, self.encoding_label, self.delimiter, self.header_line
        ));
        line("Các cột đã đọc:".into());
        for c in &self.columns {
            match c.read_as {
                Some(canonical) if canonical == c.header => {
                    line(format!("  cột {:>2} «{}»", c.column, c.header))
                }
                Some(canonical) => line(format!(
                    "  cột {:>2} «{}» → {}",
                    c.column, c.header, canonical
                )),
                None if c.header.is_empty() => {}
                None if c.duplicate_of.is_some() => line(format!(
                    "  cột {:>2} «{}» → trùng tiêu đề với cột {}, không đọc (giá trị khác cột đó sẽ bị từ chối)",
                    c.column,
                    c.header,
                    c.duplicate_of.unwrap_or_default()
                )),
                None => line(format!(
                    "  cột {:>2} «{}» → bỏ qua (không thuộc mẫu)",
                    c.column, c.header
                )),
            }
        }
        let verb = if self.committed {
            "Đã thêm"
        } else {
            "Sẽ thêm"
        };
        line(format!("Số dòng dữ liệu đã đọc: {}", self.rows_read));
        line(format!(
            "{verb}: {} hồ sơ ({} người mới, {} hộ, {} nhóm/lớp), tổng {} đồng",
            self.rows_added,
            self.people_added,
            self.households_added,
            self.groups_added,
            self.amount_added.format_vi()
        ));
        if self.rows_already_present > 0 {
            line(format!(
                "Đã có sẵn trong sổ (không thêm lần hai): {} dòng",
                self.rows_already_present
            ));
        }
        if !self.lines_skipped.is_empty() {
            let shown: Vec<String> = self
                .lines_skipped
                .iter()
                .take(12)
                .map(|l| l.to_string())
                .collect();
            line(format!(
                "Bỏ qua {} dòng không phải dữ liệu (không có số giấy tờ và chính sách: tiêu đề cột đánh số, tổng cộng, chữ ký): dòng {}{}",
                self.lines_skipped.len(),
                shown.join(", "),
                if self.lines_skipped.len() > 12 { ", …" } else { "" }
            ));
        }
        if self.rows_rejected > 0 {
            line(format!(
                "Bị từ chối: {} dòng, {} lỗi:",
                self.rows_rejected, self.problems_total
            ));
            for p in &self.problems {
                let value = if p.value.is_empty() {
                    String::new()
                } else {
                    format!(" «{}»", p.value)
                };
                line(format!(
                    "  dòng {}, cột «{}»{}: {}",
                    p.line, p.column, value, p.reason
                ));
            }
            if self.problems_total > self.problems.len() {
                let more = self.problems_total - self.problems.len();
                line(match &self.rejects_file {
                    Some(_) => format!("  … và {more} lỗi khác (xem tệp các dòng bị từ chối)"),
                    None => format!(
                        "  … và {more} lỗi khác (--accept-valid ghi mọi dòng lỗi, kèm lý do, ra tệp để sửa)"
                    ),
                });
            }
        }
        let outcome = match (self.dry_run, self.committed, self.rows_rejected > 0, self.accept_valid) {
            (true, _, _, _) => "Chạy thử: sổ không thay đổi.".to_string(),
            (false, true, _, _) => "Đã ghi vào sổ.".to_string(),
            (false, false, true, false) => {
                "Không ghi gì vào sổ: nhập theo nguyên tắc tất cả hoặc không. Sửa các dòng trên rồi nhập lại, hoặc dùng --accept-valid để chỉ nhập các dòng đúng.".to_string()
            }
            (false, false, _, _) => "Không có gì mới để ghi.".to_string(),
        };
        line(outcome);
        if let Some(f) = &self.rejects_file {
            line(format!("Các dòng bị từ chối (kèm lý do) đã ghi ra: {f}"));
        }
        s
    }
}
