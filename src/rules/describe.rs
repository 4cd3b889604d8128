//! A policy in words, every parameter with its basis and confidence: what `relief rules show` prints and what
//! an approver reads before signing.

use super::pack::{AmountRule, Confidence, Policy, SupplementFact};
use crate::dates::format_vi;
use crate::money::Money;

fn mark(c: Option<Confidence>, policy: Confidence) -> String {
    let c = c.map_or(policy, |c| c.weakest(policy));
    format!("[{}]", c.label_vi())
}

impl Policy {
    /// Every parameter of the policy, one per line, each with its basis and confidence label.
    pub fn describe_vi(&self) -> String {
        let mut t = format!(
            "{}\n{}\nVăn bản: {}\nCăn cứ: {}\nNguồn: {}\nĐộ tin cậy của chính sách: {}\nĐơn vị chi trả: {}\n",
            self.code,
            self.title,
            self.instrument,
            self.basis,
            self.source,
            self.confidence.label_vi(),
            match self.unit {
                super::Unit::Person => "người",
                super::Unit::Household => "hộ",
                super::Unit::Group => "nhóm/lớp",
            }
        );
        if let Some(w) = &self.window {
            t += &format!(
                "Khung thời gian: {}–{} ({}) — {} {}\n",
                format_vi(w.from),
                format_vi(w.to),
                match w.test {
                    super::WindowTest::Start => "bắt đầu trong khung",
                    super::WindowTest::Whole => "cả thời gian trong khung",
                },
                w.basis,
                mark(w.confidence, self.confidence)
            );
        }
        if let Some(d) = self.min_days {
            t += &format!(
                "Tối thiểu: {d} ngày — {} {}\n",
                self.min_days_basis.as_deref().unwrap_or(&self.basis),
                mark(None, self.confidence)
            );
        }
        if let Some(a) = self.min_age {
            t += &format!("Tuổi tối thiểu: {a} {}\n", mark(None, self.confidence));
        }
        match self.deadline {
            Some(d) => {
                t += &format!(
                    "Hạn nộp hồ sơ: {} — {} {}\n",
                    format_vi(d),
                    self.deadline_basis.as_deref().unwrap_or(&self.basis),
                    mark(self.deadline_confidence, self.confidence)
                )
            }
            None => t += "Hạn nộp hồ sơ: không có hạn trong bộ quy tắc\n",
        }
        for c in &self.conditions {
            t += &format!(
                "Điều kiện ({}): {} — {} {}\n",
                if c.must {
                    "bắt buộc xác nhận"
                } else {
                    "loại trừ nếu có"
                },
                c.question,
                c.basis,
                mark(c.confidence, self.confidence)
            );
        }
        match &self.amount {
            AmountRule::Fixed { amount, label } => {
                t += &format!(
                    "Mức: {} — {label} {}\n",
                    Money::from_dong(*amount).format_vi(),
                    mark(None, self.confidence)
                )
            }
            AmountRule::Tiers { tiers } => {
                for tier in tiers {
                    t += &format!(
                        "Mức: {} — {} (từ {} ngày{}) — {} {}\n",
                        Money::from_dong(tier.amount).format_vi(),
                        tier.label,
                        tier.min_days,
                        if tier.min_months > 0 {
                            format!(", {} tháng theo lịch", tier.min_months)
                        } else {
                            String::new()
                        },
                        tier.basis.as_deref().unwrap_or(&self.basis),
                        mark(tier.confidence, self.confidence)
                    );
                }
            }
            AmountRule::PerDay {
                rate,
                max_days,
                label,
            } => {
                t += &format!(
                    "Mức: {} / ngày, tối đa {max_days} ngày — {label} {}\n",
                    Money::from_dong(*rate).format_vi(),
                    mark(None, self.confidence)
                )
            }
        }
        for s in &self.supplements {
            let fact = match s.fact {
                SupplementFact::Pregnant => "đang mang thai",
                SupplementFact::ChildUnder6 => "mỗi con dưới 6 tuổi",
                SupplementFact::ChildUnder16 => "trẻ em dưới 16 tuổi",
                SupplementFact::Elderly => "người cao tuổi",
                SupplementFact::Disabled => "người khuyết tật nặng",
            };
            t += &format!(
                "Hỗ trợ thêm ({fact}): {} — {} — {} [{}]",
                Money::from_dong(s.amount).format_vi(),
                s.label,
                s.basis,
                s.confidence.label_vi()
            );
            if let Some(e) = s.effective_from {
                t += &format!("; chỉ từ {}", format_vi(e));
            }
            if let Some(g) = &s.once_group {
                t += &format!(
                    "; một lần cho mỗi người/trẻ (nhóm {g}) {}",
                    mark(s.scope_confidence, s.confidence)
                );
            }
            t += "\n";
        }
        for l in &self.limits {
            t += &format!(
                "Giới hạn: tối đa {} khoản hỗ trợ thêm nhóm {} mỗi hồ sơ — {} [{}]\n",
                l.max,
                l.group,
                l.basis,
                l.confidence.label_vi()
            );
        }
        if !self.excludes.is_empty() {
            t += &format!(
                "Không cấp khi đã có hồ sơ: {} — {} {}\n",
                self.excludes.join(", "),
                self.excludes_basis.as_deref().unwrap_or(&self.basis),
                mark(self.excludes_confidence, self.confidence)
            );
        }
        if let Some(n) = &self.note {
            t += &format!("Ghi chú: {n}\n");
        }
        t.trim_end().to_string()
    }
}

/// A requirement a claim must confirm (a condition with `must = true`), as an officer confirming a whole
/// ward list reads it: the question, its legal basis and how sure that basis is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RequiredCondition {
    pub fact: String,
    pub question: String,
    pub basis: String,
    pub confidence: Confidence,
    pub confidence_label: &'static str,
}

impl Policy {
    /// The conditions a claim under this policy has to confirm, in the pack's order.
    pub fn required_conditions(&self) -> Vec<RequiredCondition> {
        self.conditions
            .iter()
            .filter(|c| c.must)
            .map(|c| {
                let confidence = c
                    .confidence
                    .map_or(self.confidence, |x| x.weakest(self.confidence));
                RequiredCondition {
                    fact: c.fact.clone(),
                    question: c.question.clone(),
                    basis: c.basis.clone(),
                    confidence,
                    confidence_label: confidence.label_vi(),
                }
            })
            .collect()
    }
}
