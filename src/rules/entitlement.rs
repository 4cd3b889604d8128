//! Entitlement: from a claim's facts and a policy, whether it is eligible, how much, and why, line by line.

use super::pack::{AmountRule, Policy, SupplementFact, WindowTest};
use crate::dates::{age_on, covers_months, days_inclusive, format_vi};
use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A child named on a claim for the child-under-6 supplement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildFact {
    #[serde(default)]
    pub name: Option<String>,
    pub dob: NaiveDate,
    /// The child's personal ID or birth-certificate number, which keys "one parent only".
    #[serde(default)]
    pub id_number: Option<String>,
}

/// The facts of one claim, as the officer enters them or a list supplies them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimFacts {
    #[serde(default)]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    pub to: Option<NaiveDate>,
    /// Days of treatment or quarantine when the dates are not known.
    #[serde(default)]
    pub days: Option<u32>,
    #[serde(default)]
    pub pregnant: bool,
    #[serde(default)]
    pub children: Vec<ChildFact>,
    /// The beneficiary's date of birth (age tests: under 16, 60 or over, 15 or over).
    #[serde(default)]
    pub dob: Option<NaiveDate>,
    /// The day the claim was filed (deadline test).
    #[serde(default)]
    pub applied: Option<NaiveDate>,
    #[serde(default)]
    pub elderly: bool,
    #[serde(default)]
    pub disabled: bool,
    /// Yes/no facts named by the policy's conditions (e.g. `receives_pension = false`).
    #[serde(default)]
    pub flags: BTreeMap<String, bool>,
    /// Once-only supplements this claim does not pay because an earlier claim holds them: the supplement is
    /// once, the base is not (a second parent, a later F0 episode of an F1 child).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub used_once: Vec<UsedOnce>,
}

/// A once-only supplement already held by another claim: which group, which child (or the beneficiary), and
/// the claim that holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsedOnce {
    pub group: String,
    #[serde(default)]
    pub child: Option<usize>,
    pub claim: String,
}

/// One readable line of the amount, naming its legal basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakdownLine {
    pub label: String,
    pub amount: Money,
    pub basis: String,
    pub confidence: super::Confidence,
}

impl BreakdownLine {
    /// The label a line carries where money is approved or signed for: `None` when confirmed, else the
    /// confidence in words ("nguồn thứ cấp", "suy luận", "CHƯA XÁC NHẬN").
    pub fn unconfirmed_vi(&self) -> Option<&'static str> {
        (self.confidence != super::Confidence::Confirmed).then(|| self.confidence.label_vi())
    }

    /// One line of a breakdown as text: amount, label, legal basis, and the confidence when not confirmed.
    pub fn text_vi(&self) -> String {
        let mut t = format!(
            "{:>12}  {}  [{}]",
            self.amount.format_vi(),
            self.label,
            self.basis
        );
        if let Some(c) = self.unconfirmed_vi() {
            t += &format!("  ({c})");
        }
        t
    }
}

/// A supplement that may be paid only once per subject across every payout (one parent per child...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnceSubject {
    pub group: String,
    /// Index into `ClaimFacts::children`, or `None` for the beneficiary themself.
    pub child: Option<usize>,
    pub amount: Money,
}

/// The result of pricing a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entitlement {
    pub policy: String,
    pub eligible: bool,
    pub amount: Money,
    pub lines: Vec<BreakdownLine>,
    /// Every reason the claim is not eligible (empty when eligible).
    pub reasons: Vec<String>,
    /// Information that does not change eligibility (a supplement not due, a cap applied).
    pub notes: Vec<String>,
    #[serde(skip)]
    pub once: Vec<OnceSubject>,
}

impl Policy {
    /// Prices a claim. Never fails: problems with the facts become reasons.
    pub fn entitlement(&self, facts: &ClaimFacts) -> Entitlement {
        let mut reasons = Vec::new();
        let mut notes = Vec::new();
        let mut lines = Vec::new();
        let mut once = Vec::new();

        if let (Some(f), Some(t)) = (facts.from, facts.to) {
            if t < f {
                reasons.push(format!(
                    "Ngày kết thúc {} trước ngày bắt đầu {}",
                    format_vi(t),
                    format_vi(f)
                ));
            }
        }
        if let (Some(d), Some(f), Some(t)) = (facts.days, facts.from, facts.to) {
            let span = days_inclusive(f, t);
            if t >= f && i64::from(d) > span {
                reasons.push(format!(
                    "Số ngày khai ({d}) lớn hơn số ngày từ {} đến {} ({span} ngày)",
                    format_vi(f),
                    format_vi(t)
                ));
            }
        }
        let start = facts.from;
        // The last day of the event: its end date, or its start plus the days counted; for an event that is
        // one day (a job lost, a contract ended: a fixed amount with no minimum length) the start itself.
        // Otherwise it is not known, and nothing is computed on the start in its place.
        let one_day_event =
            matches!(self.amount, AmountRule::Fixed { .. }) && self.min_days.is_none();
        let last_day = match (facts.to, facts.from, facts.days) {
            (Some(t), _, _) => Some(t),
            (None, Some(f), Some(d)) if d > 0 => Some(f + chrono::Duration::days(i64::from(d) - 1)),
            (None, Some(f), _) if one_day_event => Some(f),
            _ => None,
        };
        // Only the days inside the policy window count (a leave from 25/12/2021 to 31/01/2022 counts 7).
        let counted_to = match (&self.window, last_day) {
            (Some(w), Some(l)) if l > w.to && start.is_some_and(|f| f <= w.to) => {
                notes.push(format!(
                    "Chỉ tính các ngày đến hết {} (hết khung {})",
                    format_vi(w.to),
                    w.basis
                ));
                Some(w.to)
            }
            (_, l) => l,
        };
        let days: Option<u32> = match (facts.days, start, counted_to) {
            (Some(d), Some(f), Some(t)) if counted_to != last_day && t >= f => {
                Some(d.min(days_inclusive(f, t) as u32))
            }
            (Some(d), _, _) => Some(d),
            (None, Some(f), Some(t)) if facts.to.is_some() && t >= f => {
                Some(days_inclusive(f, t) as u32)
            }
            _ => None,
        };
        self.check_window(facts, &mut reasons);

        if let Some(min) = self.min_days {
            match days {
                Some(d) if d < min => reasons.push(format!(
                    "{}: {d} ngày, chưa đủ {min} ngày liên tục ({})",
                    self.period_label,
                    self.min_days_basis.as_deref().unwrap_or(&self.basis)
                )),
                Some(_) => {}
                None => reasons.push(format!(
                    "Cần {} (từ ngày, đến ngày) để xét điều kiện {min} ngày",
                    self.period_label
                )),
            }
        }
        // A check that lacks its input is shown as not done, on a line of its own that every list, sheet and
        // export carries (0 đồng, marked unconfirmed), rather than passed unseen.
        let mut unchecked = Vec::new();
        // The age is the age on the day the event started: without that day (or the birth date) it is not
        // checked, never computed on another date standing in for it.
        let age_missing = match (facts.dob, start) {
            (None, _) => Some("chưa có ngày sinh".to_string()),
            (Some(_), None) => Some(format!(
                "chưa có ngày bắt đầu của {}",
                lower_first(&self.period_label)
            )),
            _ => None,
        };
        if let (Some(min_age), Some(missing)) = (self.min_age, &age_missing) {
            unchecked.push(BreakdownLine {
                label: format!("Chưa kiểm tra: đủ {min_age} tuổi ({missing})"),
                amount: Money::ZERO,
                basis: self.basis.clone(),
                confidence: super::Confidence::Unconfirmed,
            });
        }
        if let (Some(deadline), None) = (self.deadline, facts.applied) {
            unchecked.push(BreakdownLine {
                label: format!(
                    "Chưa kiểm tra: hạn nộp hồ sơ {} (chưa có ngày nộp)",
                    format_vi(deadline)
                ),
                amount: Money::ZERO,
                basis: self
                    .deadline_basis
                    .clone()
                    .unwrap_or_else(|| self.basis.clone()),
                confidence: super::Confidence::Unconfirmed,
            });
        }
        // What decided eligibility, when less sure than the policy: it marks the base amount too.
        let mut decided = self.confidence;
        let mut weaker = |what: String, c: Option<super::Confidence>, notes: &mut Vec<String>| {
            if let Some(c) = c.filter(|c| c.weakest(self.confidence) != self.confidence) {
                decided = decided.weakest(c);
                notes.push(format!("{what}: {}", c.label_vi()));
            }
        };
        if let Some(w) = &self.window {
            weaker(
                format!("Khung {}–{}", format_vi(w.from), format_vi(w.to)),
                w.confidence,
                &mut notes,
            );
        }
        if let (Some(d), Some(_)) = (self.deadline, facts.applied) {
            weaker(
                format!("Hạn nộp {}", format_vi(d)),
                self.deadline_confidence,
                &mut notes,
            );
        }
        for c in &self.conditions {
            weaker(
                format!("Điều kiện \"{}\"", c.question),
                c.confidence,
                &mut notes,
            );
        }
        if let (Some(min_age), Some(dob), Some(on)) = (self.min_age, facts.dob, start) {
            if age_on(dob, on) < min_age {
                reasons.push(format!(
                    "Chưa đủ {min_age} tuổi vào ngày {} ({})",
                    format_vi(on),
                    self.basis
                ));
            }
        }
        if let (Some(deadline), None) = (self.deadline, facts.applied) {
            notes.push(format!(
                "Chưa có ngày nộp hồ sơ: chưa kiểm tra hạn chót {}",
                format_vi(deadline)
            ));
        }
        if let (Some(deadline), Some(applied)) = (self.deadline, facts.applied) {
            if applied > deadline {
                reasons.push(format!(
                    "Nộp hồ sơ ngày {}, sau hạn chót {} ({})",
                    format_vi(applied),
                    format_vi(deadline),
                    self.deadline_basis.as_deref().unwrap_or(&self.basis)
                ));
            }
        }
        for c in &self.conditions {
            match facts.flags.get(&c.fact) {
                Some(v) if *v != c.must => reasons.push(format!("{} ({})", c.reason, c.basis)),
                Some(_) => {}
                // A requirement must be confirmed; an exclusion not declared is taken as not applying.
                None if c.must => {
                    reasons.push(format!("Chưa xác nhận: {}? ({})", c.question, c.basis))
                }
                None => {}
            }
        }

        let base = |label: String, amount: Money| BreakdownLine {
            label,
            amount,
            basis: self.basis.clone(),
            confidence: decided,
        };
        match &self.amount {
            AmountRule::Fixed { amount, label } => {
                lines.push(base(label.clone(), Money::from_dong(*amount)))
            }
            AmountRule::Tiers { tiers } => {
                let months = match (start, counted_to) {
                    (Some(f), Some(t)) if t >= f => Some(covers_months(f, t)),
                    _ => None,
                };
                let needs_months = tiers.iter().any(|t| t.min_months > 0);
                match (days, months) {
                    (None, _) => {
                        reasons.push(format!("Cần {} để tính mức hỗ trợ", self.period_label))
                    }
                    (Some(_), None) if needs_months => reasons.push(format!(
                        "Cần ngày bắt đầu và kết thúc của {} để tính theo tháng",
                        self.period_label
                    )),
                    (Some(d), m) => {
                        let m = m.unwrap_or(0);
                        let reached = tiers
                            .iter()
                            .filter(|t| d >= t.min_days && m >= t.min_months)
                            .max_by_key(|t| t.amount);
                        match reached {
                            Some(t) => {
                                let mut line = base(t.label.clone(), Money::from_dong(t.amount));
                                if let Some(b) = &t.basis {
                                    line.basis = b.clone();
                                }
                                if let Some(c) = t.confidence {
                                    line.confidence = line.confidence.weakest(c);
                                }
                                lines.push(line);
                            }
                            None if self.min_days.is_none() => reasons.push(format!(
                                "{}: {d} ngày, chưa đạt mức hỗ trợ thấp nhất ({})",
                                self.period_label, tiers[0].label
                            )),
                            None => {}
                        }
                    }
                }
            }
            AmountRule::PerDay {
                rate,
                max_days,
                label,
            } => match days {
                Some(0) => reasons.push(format!("{}: 0 ngày", self.period_label)),
                Some(d) => {
                    let paid = d.min(*max_days);
                    let rate = Money::from_dong(*rate);
                    let mut text = format!("{label}: {} × {paid} ngày", rate.format_vi());
                    if d > *max_days {
                        text.push_str(&format!(" (thực tế {d} ngày, tối đa {max_days} ngày)"));
                        notes.push(format!("Áp dụng mức trần {max_days} ngày"));
                    }
                    lines.push(base(text, rate * paid));
                }
                None => reasons.push(format!(
                    "Cần số ngày hoặc {} (từ ngày, đến ngày)",
                    self.period_label
                )),
            },
        }

        // Ages for supplements are taken on the day the event started (QĐ 23 Điều 26 khoản 3: "tại ngày bắt
        // đầu điều trị/cách ly"), never on the filing date or a birth date in its place.
        let age_ref = start;
        let used = |group: &Option<String>, child: Option<usize>| {
            group.as_ref().and_then(|g| {
                facts
                    .used_once
                    .iter()
                    .find(|u| &u.group == g && u.child == child)
            })
        };
        // How many supplements of each limit group were paid so far on this claim.
        let mut limited: BTreeMap<&str, u32> = BTreeMap::new();
        for s in &self.supplements {
            if let Some(eff) = s.effective_from {
                match last_day {
                    Some(last) if last < eff => {
                        notes.push(format!(
                            "{}: chỉ áp dụng từ {} ({})",
                            s.label,
                            format_vi(eff),
                            s.basis
                        ));
                        continue;
                    }
                    Some(_) => {}
                    None => {
                        notes.push(format!(
                            "{}: chưa xét (áp dụng từ {}; chưa có ngày kết thúc hoặc số ngày của {})",
                            s.label,
                            format_vi(eff),
                            lower_first(&self.period_label)
                        ));
                        continue;
                    }
                }
            }
            // A supplement decided by an age, with the age not known for want of the start date, is said so.
            let age_unknown = age_ref.is_none()
                && match s.fact {
                    SupplementFact::ChildUnder6 => !facts.children.is_empty(),
                    SupplementFact::ChildUnder16 => facts.dob.is_some(),
                    SupplementFact::Elderly => facts.dob.is_some() && !facts.elderly,
                    _ => false,
                };
            if age_unknown {
                notes.push(format!(
                    "{}: chưa xét tuổi (chưa có ngày bắt đầu của {})",
                    s.label,
                    lower_first(&self.period_label)
                ));
            }
            if let Some(g) = &s.limit_group {
                let max = self
                    .limits
                    .iter()
                    .find(|l| &l.group == g)
                    .map_or(u32::MAX, |l| l.max);
                let due = match s.fact {
                    SupplementFact::Pregnant => facts.pregnant,
                    SupplementFact::Disabled => facts.disabled,
                    SupplementFact::Elderly => {
                        facts.elderly
                            || matches!((facts.dob, age_ref), (Some(dob), Some(on)) if age_on(dob, on) >= 60)
                    }
                    SupplementFact::ChildUnder16 => {
                        matches!((facts.dob, age_ref), (Some(dob), Some(on)) if age_on(dob, on) < 16)
                    }
                    SupplementFact::ChildUnder6 => false,
                };
                if due && used(&s.once_group, None).is_none() {
                    let n = limited.entry(g.as_str()).or_insert(0);
                    if *n >= max {
                        let l = self
                            .limits
                            .iter()
                            .find(|l| &l.group == g)
                            .expect("validated");
                        notes.push(format!(
                            "{}: không cộng thêm, mỗi người chỉ hưởng {} khoản hỗ trợ thêm ({}; {})",
                            s.label,
                            l.max,
                            l.basis,
                            l.confidence.label_vi()
                        ));
                        continue;
                    }
                    *n += 1;
                }
            }
            let scope = s.scope_confidence.unwrap_or(s.confidence);
            let limit_confidence = s
                .limit_group
                .as_ref()
                .and_then(|g| self.limits.iter().find(|l| &l.group == g))
                .map_or(s.confidence, |l| l.confidence);
            let line = |label: String| BreakdownLine {
                label,
                amount: Money::from_dong(s.amount),
                basis: s.basis.clone(),
                confidence: s.confidence.weakest(scope).weakest(limit_confidence),
            };
            if s.fact != SupplementFact::ChildUnder6 {
                if let Some(u) = used(&s.once_group, None) {
                    notes.push(format!(
                        "{}: đã hưởng ở hồ sơ {} (chỉ hưởng một lần); phần còn lại vẫn được chi",
                        s.label,
                        short(&u.claim)
                    ));
                    continue;
                }
            }
            match s.fact {
                SupplementFact::Pregnant if facts.pregnant => lines.push(line(s.label.clone())),
                SupplementFact::ChildUnder6 => {
                    // Without the day the event started no child's age is known (the note above says so).
                    let Some(on) = age_ref else { continue };
                    for (i, child) in facts.children.iter().enumerate() {
                        let who = child
                            .name
                            .clone()
                            .unwrap_or_else(|| format!("sinh {}", format_vi(child.dob)));
                        if child.dob > on {
                            notes.push(format!(
                                "Con {who} sinh sau ngày {} nên chưa được tính",
                                format_vi(on)
                            ));
                            continue;
                        }
                        if age_on(child.dob, on) >= 6 {
                            notes.push(format!(
                                "Con {who} không dưới 6 tuổi vào ngày {}",
                                format_vi(on)
                            ));
                            continue;
                        }
                        if let Some(u) = used(&s.once_group, Some(i)) {
                            notes.push(format!(
                                "{} ({who}): đã hưởng ở hồ sơ {} (mỗi trẻ chỉ một lần); phần còn lại vẫn được chi",
                                s.label,
                                short(&u.claim)
                            ));
                            continue;
                        }
                        lines.push(line(format!("{} ({who})", s.label)));
                        if let Some(g) = &s.once_group {
                            once.push(OnceSubject {
                                group: g.clone(),
                                child: Some(i),
                                amount: Money::from_dong(s.amount),
                            });
                        }
                    }
                }
                SupplementFact::ChildUnder16 => {
                    if let (Some(dob), Some(on)) = (facts.dob, age_ref) {
                        if age_on(dob, on) < 16 {
                            lines.push(line(s.label.clone()));
                            if let Some(g) = &s.once_group {
                                once.push(OnceSubject {
                                    group: g.clone(),
                                    child: None,
                                    amount: Money::from_dong(s.amount),
                                });
                            }
                        }
                    }
                }
                SupplementFact::Elderly => {
                    let old = facts.elderly
                        || matches!((facts.dob, age_ref), (Some(dob), Some(on)) if age_on(dob, on) >= 60);
                    if old {
                        lines.push(line(s.label.clone()));
                        if let Some(g) = &s.once_group {
                            once.push(OnceSubject {
                                group: g.clone(),
                                child: None,
                                amount: Money::from_dong(s.amount),
                            });
                        }
                    }
                }
                SupplementFact::Disabled if facts.disabled => {
                    lines.push(line(s.label.clone()));
                    if let Some(g) = &s.once_group {
                        once.push(OnceSubject {
                            group: g.clone(),
                            child: None,
                            amount: Money::from_dong(s.amount),
                        });
                    }
                }
                _ => {}
            }
        }

        lines.extend(unchecked);
        let eligible = reasons.is_empty();
        let amount = if eligible {
            lines.iter().map(|l| l.amount).sum()
        } else {
            Money::ZERO
        };
        Entitlement {
            policy: self.code.clone(),
            eligible,
            amount,
            lines,
            reasons,
            notes,
            once,
        }
    }

    fn check_window(&self, facts: &ClaimFacts, reasons: &mut Vec<String>) {
        let Some(w) = &self.window else { return };
        let range = format!("{}–{}", format_vi(w.from), format_vi(w.to));
        let Some(from) = facts.from else {
            reasons.push(format!(
                "Cần ngày bắt đầu của {} để xét khung {range}",
                self.period_label
            ));
            return;
        };
        let inside = |d: NaiveDate| d >= w.from && d <= w.to;
        match w.test {
            WindowTest::Start if !inside(from) => reasons.push(format!(
                "{} bắt đầu ngày {}, ngoài khung {range} ({})",
                self.period_label,
                format_vi(from),
                w.basis
            )),
            WindowTest::Whole => {
                // The last day: the end date, or the start plus the days; never the start in its place.
                let to = match (facts.to, facts.days) {
                    (Some(t), _) => t,
                    (None, Some(d)) if d > 0 => from + chrono::Duration::days(i64::from(d) - 1),
                    _ => {
                        reasons.push(format!(
                            "Cần ngày kết thúc (hoặc số ngày) của {} để xét khung {range}",
                            lower_first(&self.period_label)
                        ));
                        return;
                    }
                };
                if !inside(from) || !inside(to) {
                    reasons.push(format!(
                        "{} {}–{} không nằm trong khung {range} ({})",
                        self.period_label,
                        format_vi(from),
                        format_vi(to),
                        w.basis
                    ));
                }
            }
            _ => {}
        }
    }
}

/// "Thời gian điều trị" → "thời gian điều trị", to sit inside a sentence.
fn lower_first(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A claim id as people read it on screen: its first 8 characters.
fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}
