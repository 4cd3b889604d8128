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
        match &self.sheet {
            Some(sheet) => line(format!(
                "Tệp {}: {}, trang tính «{}», dòng tiêu đề là hàng {}.",
                self.file, self.encoding_label, sheet, self.header_line
            )),
            None => line(format!(
                "Tệp {}: bảng mã {}, phân cách bằng {}, dòng tiêu đề là dòng {}.",
                self.file, self.encoding_label, self.delimiter, self.header_line
            )),
        }
        if self.choices_remembered {
            line("Cách đọc cột đã chọn cho tệp có cùng tiêu đề lần trước được dùng lại.".into());
        }
        line("Các cột đã đọc:".into());
        let mut ignored = Vec::new();
        for c in &self.columns {
            let at = format!("cột {:>2} ({})", c.letter, c.column);
            let by = if c.chosen { " (đã chọn)" } else { "" };
            match c.read_as {
                Some(canonical) if canonical == c.header => {
                    line(format!("  {at} «{}»{by}", c.header))
                }
                Some(canonical) => line(format!("  {at} «{}» → {canonical}{by}", c.header)),
                None if c.header.is_empty() => {}
                None => ignored.push(c),
            }
        }
        if !ignored.is_empty() {
            line("Các cột không đọc:".into());
        }
        for c in ignored {
            let at = format!("cột {:>2} ({})", c.letter, c.column);
            line(match (c.duplicate_of, c.displaced_by, c.chosen) {
                (Some(first), _, _) => format!(
                    "  {at} «{}» → trùng tiêu đề với cột {first}, không đọc (giá trị khác cột đó sẽ bị từ chối)",
                    c.header
                ),
                (_, Some(other), _) => format!(
                    "  {at} «{}» → bỏ qua (đã chọn cột {other} cho cột này của mẫu)",
                    c.header
                ),
                (_, _, true) => format!("  {at} «{}» → bỏ qua (đã chọn)", c.header),
                _ => format!(
                    "  {at} «{}» → bỏ qua (không thuộc mẫu; nếu cột này là một cột của mẫu, chọn: --map \"{}=<cột của mẫu>\")",
                    c.header, c.header
                ),
            });
        }
        if self.restored_total > 0 {
            line(format!(
                "Đã đọc lại {} ô lưu dạng số (Excel bỏ số 0 ở đầu), chỉ nơi chỉ có một cách đọc:",
                self.restored_total
            ));
            for r in self.restored.iter().take(12) {
                line(format!(
                    "  {} {}, cột «{}»: {} → {} ({})",
                    self.line_word, r.line, r.column, r.stored, r.read, r.reason
                ));
            }
            if self.restored_total > 12 {
                line(format!("  … và {} ô khác", self.restored_total - 12));
            }
        }
        for c in &self.conditions {
            line(format!(
                "{} dòng chính sách {} ({}) không ghi xác nhận điều kiện bắt buộc ({} trống){}:",
                c.rows,
                c.policy,
                c.title,
                super::Field::ConditionsMet.header(),
                if self.conditions_confirmed {
                    "; đã xác nhận cho cả tệp (--confirm-conditions)"
                } else {
                    "; nếu danh sách đã được phường xác nhận, xác nhận cho cả tệp bằng --confirm-conditions"
                }
            ));
            for r in &c.conditions {
                line(format!(
                    "  · {}? ({}; {})",
                    r.question, r.basis, r.confidence_label
                ));
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
                "Bỏ qua {} dòng không phải dữ liệu (không có số giấy tờ và chính sách: tiêu đề cột đánh số, tổng cộng, chữ ký): {} {}{}",
                self.lines_skipped.len(),
                self.line_word,
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
                    "  {} {}, cột «{}»{}: {}",
                    self.line_word, p.line, p.column, value, p.reason
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
