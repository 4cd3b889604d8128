//! A record as the duplicate check sees it: one person (or a child named in a claim) from one source, with
//! every identity number they carry and what was paid to them or listed for them there.

use crate::ledger::{Dob, Sex};
use crate::money::Money;
use chrono::NaiveDate;
use serde::Serialize;

/// Whether a record is a registered person (or a row of a ward list), or a child named in someone's claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Person,
    Child,
}

/// One identity number as the source wrote it: its kind (`cmnd`, `cccd`, `personal_id`, `social_insurance`,
/// or `unknown` for a number of no known length, e.g. a CCCD with a digit dropped) and its digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdNumber {
    pub kind: &'static str,
    pub number: String,
}

impl IdNumber {
    /// Reads a number typed in a list: digits only; the kind guessed from the length.
    pub fn from_typed(text: &str) -> Option<IdNumber> {
        let number: String = text.chars().filter(char::is_ascii_digit).collect();
        if number.is_empty() {
            return None;
        }
        let kind = match number.len() {
            9 => "cmnd",
            12 => "cccd",
            10 => "social_insurance",
            _ => "unknown",
        };
        Some(IdNumber { kind, number })
    }
    pub fn label_vi(&self) -> &'static str {
        match self.kind {
            "cmnd" => "CMND",
            "cccd" => "CCCD",
            "personal_id" => "mã định danh",
            "social_insurance" => "mã số BHXH",
            _ => "số giấy tờ",
        }
    }
}

/// Where a payment stands: paid (a live payout), approved for payment, or only listed or claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    Paid,
    Approved,
    Listed,
    Claimed,
}

impl PaymentState {
    pub fn label_vi(self) -> &'static str {
        match self {
            PaymentState::Paid => "đã chi trả",
            PaymentState::Approved => "đã phê duyệt",
            PaymentState::Listed => "có tên trong danh sách",
            PaymentState::Claimed => "đã nộp hồ sơ",
        }
    }
    pub fn parse(text: &str) -> PaymentState {
        match text {
            "paid" => PaymentState::Paid,
            "approved" => PaymentState::Approved,
            "listed" => PaymentState::Listed,
            _ => PaymentState::Claimed,
        }
    }
}

/// What a record was paid (or is listed for) under one policy. For a child, the supplement for that child.
#[derive(Debug, Clone, Serialize)]
pub struct Payment {
    pub policy: String,
    /// Whole đồng; zero when the source does not say (a ward list without an amount column).
    pub amount: Money,
    pub state: PaymentState,
    pub ward: Option<String>,
    /// The list (đợt) it was on, and the approving decision's number.
    pub list: Option<String>,
    pub decision: Option<String>,
    pub paid_on: Option<NaiveDate>,
    pub claim: Option<String>,
    pub payout: Option<String>,
}

/// One record of one source.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    /// The source exactly as given on the command line (the `--db` ledger as its path).
    pub source: String,
    /// The physical line of a file source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The person's id in a ledger source (for a child, the parent's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    pub kind: RecordKind,
    /// For a child named in a claim: the claimant's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child_of: Option<String>,
    pub name: String,
    /// `dd/mm/yyyy`, or the year alone.
    pub dob: Option<String>,
    #[serde(skip)]
    pub birth: Option<Dob>,
    pub sex: Option<Sex>,
    pub ids: Vec<IdNumber>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub ward: Option<String>,
    pub payments: Vec<Payment>,
}

impl Record {
    pub fn new(source: &str, kind: RecordKind, name: String) -> Record {
        Record {
            source: source.to_string(),
            line: None,
            person: None,
            kind,
            child_of: None,
            name,
            dob: None,
            birth: None,
            sex: None,
            ids: Vec::new(),
            phone: None,
            address: None,
            ward: None,
            payments: Vec::new(),
        }
    }

    pub fn set_birth(&mut self, dob: Option<Dob>) {
        self.birth = dob;
        self.dob = dob.map(Dob::display);
    }

    /// Where the record is, in words: "dòng 12 của a.csv", or the ledger and the person's id.
    pub fn place_vi(&self) -> String {
        match (self.line, &self.person) {
            (Some(l), _) => format!("{} dòng {l}", self.source),
            // Ids are time-ordered (UUID v7): their end tells two people apart, their start does not.
            (None, Some(p)) => format!(
                "{} (người …{})",
                self.source,
                &p[p.len().saturating_sub(8)..]
            ),
            _ => self.source.clone(),
        }
    }

    /// A digest of what identifies the record (not where it sits): a review decision holds while neither
    /// record of the pair changes, and a changed record brings the pair back for review.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        let mut ids: Vec<String> = self.ids.iter().map(|i| i.number.clone()).collect();
        ids.sort();
        for part in [
            match self.kind {
                RecordKind::Person => "p",
                RecordKind::Child => "c",
            },
            &crate::identity::fold(&self.name),
            self.dob.as_deref().unwrap_or(""),
            &ids.join(","),
            self.phone.as_deref().unwrap_or(""),
            &crate::identity::fold(self.address.as_deref().unwrap_or("")),
            self.person.as_deref().unwrap_or(""),
            &crate::identity::fold(self.child_of.as_deref().unwrap_or("")),
        ] {
            h.update(part.as_bytes());
            h.update([0x1f]);
        }
        hex::encode(&h.finalize()[..12])
    }
}
