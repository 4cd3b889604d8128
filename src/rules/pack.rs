//! The rule-pack format (TOML) and its loader; a malformed pack is reported with file, line and what is wrong.

use crate::error::{LedgerError, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// How sure we are of a fact, as labelled in policy-rules.md. The UI shows anything but `confirmed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    Confirmed,
    Secondary,
    Inferred,
    Unconfirmed,
}

impl Confidence {
    pub const ALL: [Confidence; 4] = [
        Confidence::Confirmed,
        Confidence::Secondary,
        Confidence::Inferred,
        Confidence::Unconfirmed,
    ];

    /// The key as the rule pack and the app write it.
    pub fn key(self) -> &'static str {
        match self {
            Confidence::Confirmed => "confirmed",
            Confidence::Secondary => "secondary",
            Confidence::Inferred => "inferred",
            Confidence::Unconfirmed => "unconfirmed",
        }
    }

    /// The less certain of two labels: what a figure resting on both can claim.
    pub fn weakest(self, other: Confidence) -> Confidence {
        if self.rank() >= other.rank() {
            self
        } else {
            other
        }
    }

    fn rank(self) -> u8 {
        match self {
            Confidence::Confirmed => 0,
            Confidence::Secondary => 1,
            Confidence::Inferred => 2,
            Confidence::Unconfirmed => 3,
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Confidence::Confirmed => "đã xác nhận",
            Confidence::Secondary => "nguồn thứ cấp",
            Confidence::Inferred => "suy luận",
            Confidence::Unconfirmed => "CHƯA XÁC NHẬN",
        }
    }
}

/// Who a policy pays: one person, one household, or one group (such as a preschool class).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Person,
    Household,
    Group,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Person => "person",
            Unit::Household => "household",
            Unit::Group => "group",
        }
    }

    /// Who a claim of this unit is for, as the office says it.
    pub fn label_vi(self) -> &'static str {
        match self {
            Unit::Person => "Cá nhân",
            Unit::Household => "Hộ kinh doanh",
            Unit::Group => "Nhóm trẻ, lớp mẫu giáo",
        }
    }
}

/// Which part of the event must fall inside the policy window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowTest {
    /// The event starts inside the window (suspension, stoppage, termination, closures).
    Start,
    /// Both its first and last day are inside the window (treatment, quarantine).
    Whole,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub test: WindowTest,
    pub basis: String,
    /// How sure the window is, when it is less sure than the policy (e.g. a Hanoi group's dates assumed).
    #[serde(default)]
    pub confidence: Option<Confidence>,
}

/// One duration tier: reached when the period lasts at least `min_days` days and `min_months` calendar months.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    #[serde(default)]
    pub min_days: u32,
    #[serde(default)]
    pub min_months: u32,
    pub amount: i64,
    pub label: String,
    /// The text a tier's threshold follows (e.g. "01 tháng (30 ngày)") and how sure it is, when that differs
    /// from the policy's own basis and label.
    #[serde(default)]
    pub basis: Option<String>,
    #[serde(default)]
    pub confidence: Option<Confidence>,
}

/// At most `max` of the supplements sharing `group` are paid on one claim (the amending text's "thêm 01 triệu
/// đồng/người": one supplement per person, not one per fact).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplementLimit {
    pub group: String,
    pub max: u32,
    pub basis: String,
    pub confidence: Confidence,
}

/// How the base amount is computed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum AmountRule {
    /// A one-off amount.
    Fixed { amount: i64, label: String },
    /// The highest tier the period reaches (calendar-month semantics for `min_months`).
    Tiers { tiers: Vec<Tier> },
    /// A rate per day for the days of the period, capped at `max_days`.
    PerDay {
        rate: i64,
        max_days: u32,
        label: String,
    },
}

/// The facts a supplement depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupplementFact {
    Pregnant,
    /// Per child under 6 on the event's first day; one parent only (`once_group`).
    #[serde(rename = "child_under_6")]
    ChildUnder6,
    /// The beneficiary is under 16 on the event's first day.
    #[serde(rename = "child_under_16")]
    ChildUnder16,
    /// The beneficiary is 60 or over on the event's first day (Law on the Elderly), or declared so.
    Elderly,
    /// Declared severe or especially severe disability.
    Disabled,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supplement {
    pub fact: SupplementFact,
    pub amount: i64,
    pub label: String,
    pub basis: String,
    pub confidence: Confidence,
    /// The supplement applies only when the event's last day is on or after this date (later amendments).
    #[serde(default)]
    pub effective_from: Option<NaiveDate>,
    /// Supplements sharing a group are paid once per subject (child, person) across all payouts.
    #[serde(default)]
    pub once_group: Option<String>,
    /// A `limits` group of the policy: at most its `max` supplements of the group on one claim.
    #[serde(default)]
    pub limit_group: Option<String>,
    /// How sure `effective_from` and `once_group` are, when less sure than the amount.
    #[serde(default)]
    pub scope_confidence: Option<Confidence>,
}

/// A yes/no fact the officer confirms on the claim; a claim stating the wrong value is not eligible.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub fact: String,
    /// The yes/no question put to the officer ("Có tham gia BHXH bắt buộc").
    pub question: String,
    pub must: bool,
    pub reason: String,
    pub basis: String,
    /// How sure the condition is, when less sure than the policy.
    #[serde(default)]
    pub confidence: Option<Confidence>,
}

/// One support policy with everything needed to price a claim and explain the result.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub code: String,
    pub title: String,
    /// The instrument a ward report groups by (e.g. "Nghị quyết 15/NQ-HĐND").
    pub instrument: String,
    pub basis: String,
    pub source: String,
    pub confidence: Confidence,
    pub unit: Unit,
    /// What the from/to dates mean for this policy, shown next to the date fields.
    pub period_label: String,
    #[serde(default)]
    pub window: Option<Window>,
    #[serde(default)]
    pub deadline: Option<NaiveDate>,
    #[serde(default)]
    pub deadline_basis: Option<String>,
    #[serde(default)]
    pub deadline_confidence: Option<Confidence>,
    #[serde(default)]
    pub min_days: Option<u32>,
    #[serde(default)]
    pub min_days_basis: Option<String>,
    #[serde(default)]
    pub min_age: Option<i32>,
    /// Policies whose claim refuses this one (one way: recording one of them after this one is priced, and
    /// the pair is flagged for the auditor's review).
    #[serde(default)]
    pub excludes: Vec<String>,
    #[serde(default)]
    pub excludes_basis: Option<String>,
    #[serde(default)]
    pub excludes_confidence: Option<Confidence>,
    #[serde(default)]
    pub conditions: Vec<Condition>,
    pub amount: AmountRule,
    #[serde(default)]
    pub supplements: Vec<Supplement>,
    #[serde(default)]
    pub limits: Vec<SupplementLimit>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackHeader {
    pub id: String,
    pub version: String,
    pub title: String,
    pub note: String,
}

/// A versioned set of policies. Every payout records the version that priced it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulePack {
    pub pack: PackHeader,
    #[serde(rename = "policy")]
    pub policies: Vec<Policy>,
}

impl RulePack {
    /// Parses and validates a pack. `file` names it in error messages.
    pub fn parse(text: &str, file: &str) -> Result<RulePack> {
        let pack: RulePack = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
            LedgerError::RulePackInvalid {
                file: file.to_string(),
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        pack.validate(text, file)?;
        Ok(pack)
    }

    /// Reads a pack from disk.
    pub fn load(path: &std::path::Path) -> Result<RulePack> {
        let text = std::fs::read_to_string(path).map_err(|e| LedgerError::FileUnreadable {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        RulePack::parse(&text, &path.display().to_string())
    }

    pub fn policy(&self, code: &str) -> Result<&Policy> {
        self.policies
            .iter()
            .find(|p| p.code == code)
            .ok_or_else(|| LedgerError::UnknownPolicy(code.to_string()))
    }

    /// Checks what the type system cannot: unique codes, sane amounts, known exclusions.
    fn validate(&self, text: &str, file: &str) -> Result<()> {
        let mut seen = HashSet::new();
        let codes: HashSet<&str> = self.policies.iter().map(|p| p.code.as_str()).collect();
        for p in &self.policies {
            let fail = |message: String| {
                let (line, column) = text
                    .find(&format!("code = \"{}\"", p.code))
                    .map(|at| line_col(text, at))
                    .unwrap_or((0, 0));
                LedgerError::RulePackInvalid {
                    file: file.to_string(),
                    line,
                    column,
                    message,
                }
            };
            if !seen.insert(p.code.as_str()) {
                return Err(fail(format!("mã chính sách '{}' bị lặp", p.code)));
            }
            if p.code.trim().is_empty() || p.source.trim().is_empty() || p.basis.trim().is_empty() {
                return Err(fail(
                    "mỗi chính sách cần mã, căn cứ pháp lý và nguồn".into(),
                ));
            }
            let amounts: Vec<i64> = match &p.amount {
                AmountRule::Fixed { amount, .. } => vec![*amount],
                AmountRule::Tiers { tiers } => {
                    if tiers.is_empty() {
                        return Err(fail(format!("{}: cần ít nhất một mức", p.code)));
                    }
                    tiers.iter().map(|t| t.amount).collect()
                }
                AmountRule::PerDay { rate, max_days, .. } => {
                    if *max_days == 0 {
                        return Err(fail(format!("{}: số ngày tối đa phải lớn hơn 0", p.code)));
                    }
                    vec![*rate]
                }
            };
            if amounts
                .iter()
                .chain(p.supplements.iter().map(|s| &s.amount))
                .any(|a| *a <= 0)
            {
                return Err(fail(format!("{}: số tiền phải dương", p.code)));
            }
            if let Some(w) = &p.window {
                if w.from > w.to {
                    return Err(fail(format!(
                        "{}: khung thời gian có ngày bắt đầu sau ngày kết thúc",
                        p.code
                    )));
                }
            }
            for s in &p.supplements {
                if let Some(g) = &s.limit_group {
                    if !p.limits.iter().any(|l| &l.group == g) {
                        return Err(fail(format!(
                            "{}: nhóm giới hạn '{g}' của khoản hỗ trợ thêm không có trong limits",
                            p.code
                        )));
                    }
                }
            }
            for ex in &p.excludes {
                if !codes.contains(ex.as_str()) {
                    return Err(fail(format!(
                        "{}: loại trừ chính sách không tồn tại '{ex}'",
                        p.code
                    )));
                }
            }
        }
        Ok(())
    }

    /// How messages name a policy: its title, then its code ("Lao động tự do bị mất việc làm (hn-3642-freelance)").
    pub fn label(&self, code: &str) -> String {
        match self.policy(code) {
            Ok(p) => format!("{} ({code})", p.title),
            Err(_) => code.to_string(),
        }
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_pack_loads_with_every_required_code() {
        let pack = crate::rules::default_pack();
        for code in [
            "68-suspension",
            "68-stoppage",
            "68-termination",
            "68-f0",
            "68-f1",
            "68-artist",
            "68-tour-guide",
            "68-household-business",
            "hn-3642-freelance",
            "mttq-topup",
        ] {
            let p = pack.policy(code).unwrap();
            assert!(
                !p.source.trim().is_empty() && !p.basis.trim().is_empty(),
                "{code} cites its source"
            );
        }
    }

    #[test]
    fn malformed_pack_names_file_line_and_problem() {
        let text = "[pack]\nid = \"x\"\nversion = \"1\"\ntitle = \"t\"\nnote = \"n\"\n\n[[policy]]\ncode = \"a\"\nunit = \"village\"\n";
        let err = RulePack::parse(text, "district.toml").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("district.toml"), "{msg}");
        assert!(msg.contains("dòng 9"), "{msg}");
        assert!(msg.contains("village"), "{msg}");
    }

    #[test]
    fn semantic_errors_point_at_the_policy() {
        let good = crate::rules::DEFAULT_PACK_TOML;
        let bad = good.replacen("amount = 1500000", "amount = -1500000", 1);
        let err = RulePack::parse(&bad, "p.toml").unwrap_err();
        assert_eq!(err.code(), "rule_pack_invalid");
        assert!(err.to_string().contains("số tiền phải dương"), "{err}");
    }
}
