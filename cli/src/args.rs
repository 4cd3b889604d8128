//! The command line's arguments (clap): every command, its flags and their help.

use crate::commands::audit;
use clap::{Args, Parser, Subcommand};
use relief_ledger::dates::parse_date;
use relief_ledger::fields::InputField;
use relief_ledger::rules::{ChildFact, ClaimFacts};
use relief_ledger::LedgerError;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "relief",
    version,
    about = "Sổ chi trả hỗ trợ COVID-19 (Relief Ledger)"
)]
pub struct Cli {
    /// Ledger file (default: the app's ledger in the user's data directory).
    #[arg(long, global = true, env = "RELIEF_DB")]
    pub db: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long, global = true)]
    pub json: bool,
    /// Who signs in to act (the password or PIN is asked at the terminal, or read from RELIEF_PASSWORD for
    /// scripts). Every command that opens the ledger signs in, except `verify`.
    #[arg(long = "as", global = true, env = "RELIEF_OPERATOR")]
    pub operator: Option<String>,
    /// A district's own rule pack instead of the shipped Hanoi 2021 pack.
    #[arg(long, global = true, env = "RELIEF_RULES")]
    pub rules: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Set up a new office ledger.
    Init {
        #[arg(long)]
        ward: String,
        #[arg(long)]
        district: String,
        #[arg(long, default_value = "Hà Nội")]
        city: String,
    },
    /// Operators and their roles.
    #[command(subcommand)]
    Operator(OperatorCmd),
    /// The policies of the rule pack.
    #[command(subcommand)]
    Rules(RulesCmd),
    /// Price a claim without saving anything.
    Quote {
        #[arg(long)]
        policy: String,
        #[command(flatten)]
        facts: FactArgs,
    },
    #[command(subcommand)]
    Person(PersonCmd),
    #[command(subcommand)]
    Household(HouseholdCmd),
    #[command(subcommand)]
    Group(GroupCmd),
    #[command(subcommand)]
    Claim(ClaimCmd),
    #[command(subcommand)]
    List(ListCmd),
    /// Approve a list under a numbered decision (by someone other than its recorder).
    Approve {
        #[arg(long)]
        list: String,
        #[arg(long)]
        decision: String,
        #[arg(long, visible_alias = "on")]
        date: String,
    },
    /// Pay the approved claims of a list (or one claim of it).
    Pay {
        #[arg(long)]
        list: String,
        #[arg(long)]
        claim: Option<String>,
        /// Payment date (default: today).
        #[arg(long, visible_alias = "on")]
        date: Option<String>,
        #[arg(long, default_value = "cash")]
        method: String,
    },
    /// Reverse a payout with a reason; the claim becomes payable again.
    Reverse {
        #[arg(long, required_unless_present = "claim")]
        payout: Option<String>,
        /// Reverse the live payout of this claim.
        #[arg(long)]
        claim: Option<String>,
        #[arg(long)]
        reason: String,
        #[arg(long, visible_alias = "on")]
        date: Option<String>,
    },
    /// Set a claim's amount by hand (approver or admin, with a reason).
    Override {
        #[arg(long)]
        claim: String,
        #[arg(long)]
        amount: i64,
        #[arg(long)]
        reason: String,
    },
    #[command(subcommand)]
    Report(ReportCmd),
    /// Check the ledger file read-only: the file, its schema and guards, the audit chain (against a head kept
    /// outside it with --head), the tallies, every payout against its claim and every amount against the rules.
    Verify {
        /// The chain head printed on a sheet or written beside a backup (SEQ:HASH): the chain must still hold it.
        #[arg(long)]
        head: Option<String>,
    },
    /// Write a verified backup of the ledger into a folder (a USB stick...), with its chain head beside it.
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a backup over the ledger (admin): without --yes only shows what the backup holds. The ledger
    /// as it was is kept beside it first.
    Restore {
        file: PathBuf,
        #[arg(long)]
        yes: bool,
    },
    /// The auditor's checks: duplicates across ID documents, typos, wards and ward files; review
    /// decisions; the recovery list.
    #[command(subcommand)]
    Audit(audit::AuditCmd),
    /// Import people and claims from a ward file (CSV as Excel writes it: `,` `;` or tab; UTF-8, UTF-16,
    /// Windows-1258 or TCVN3). All-or-nothing unless --accept-valid.
    Import {
        file: PathBuf,
        /// Check every row and report, writing nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import the good rows and write the rejected ones (with a reason column) to a CSV to fix.
        #[arg(long)]
        accept_valid: bool,
        /// Where the rejected rows go (default: FILE.bi-tu-choi.csv beside the file; .xlsx for a workbook).
        #[arg(long)]
        rejects: Option<PathBuf>,
        /// The sheet of an Excel workbook to read (default: the first that holds a list).
        #[arg(long)]
        sheet: Option<String>,
        /// Read a column of the file as a column of the template: "Header in the file=Template header"
        /// (or its key, e.g. from; or "bỏ qua" to leave it out); the left side may be a column letter.
        /// Repeatable.
        #[arg(long = "map", value_name = "COLUMN=FIELD")]
        map: Vec<String>,
        /// Confirm, for the whole file, every required condition of a policy that a row leaves blank (the
        /// ward's verified list is the confirmation); recorded with the officer and the file's SHA-256.
        #[arg(long)]
        confirm_conditions: bool,
    },
    /// Export a report: payouts, summary, claims, audit, template (an Excel workbook, or CSV for Excel), or
    /// payout-sheet, posting-list (printable HTML of a list).
    Export {
        kind: String,
        /// The list (payouts, payout-sheet, posting-list).
        #[arg(long)]
        list: Option<String>,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Separate cells with `;` (Excel set to a locale where `,` is the decimal mark).
        #[arg(long)]
        semicolon: bool,
        /// xlsx or csv (default: by the --out file's extension, .csv for CSV, else a workbook; CSV on
        /// standard output).
        #[arg(long)]
        format: Option<String>,
    },
    /// Fill the ledger with a realistic generated district.
    Demo {
        #[arg(long, default_value_t = 1000)]
        people: usize,
        #[arg(long, default_value_t = 3)]
        wards: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write the district as a ward file to import (the import template, UTF-8 with BOM) instead of
        /// loading it into the ledger.
        #[arg(long)]
        ward_file: Option<PathBuf>,
        /// With --ward-file: plant a duplicate of this share of the people (0.05 = 5%), of every kind an
        /// audit meets, after the originals.
        #[arg(long, default_value_t = 0.0)]
        duplicates: f64,
        /// With --duplicates: write the true pairs here (kind,a_line,b_line,subject).
        #[arg(long)]
        truth: Option<PathBuf>,
        /// With --ward-file: write the list as offices send it (official-form, unicode-text,
        /// windows-1258, no-tone-marks: real lists' headers, no "Đủ điều kiện" column) instead of the template.
        #[arg(long)]
        ward_style: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum OperatorCmd {
    /// Add an operator (admin only) with a role (officer, accountant, approver, auditor, admin) and a first
    /// password (asked, or RELIEF_NEW_PASSWORD).
    Add {
        name: String,
        #[arg(long)]
        role: String,
    },
    /// Change another operator's role (admin only).
    Role {
        name: String,
        #[arg(long)]
        role: String,
    },
    /// Set a new password for another operator and unlock them (admin only; asked, or RELIEF_NEW_PASSWORD).
    ResetPassword {
        name: String,
    },
    /// Change your own password (the new one asked, or RELIEF_NEW_PASSWORD).
    Passwd,
    List,
}

#[derive(Subcommand)]
pub enum RulesCmd {
    List,
    Show { code: String },
}

// Parsed once per run; boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum PersonCmd {
    Add {
        #[arg(long)]
        name: String,
        /// dd/mm/yyyy, yyyy-mm-dd or a year alone.
        #[arg(long)]
        dob: Option<String>,
        /// Nam / Nữ.
        #[arg(long)]
        sex: Option<String>,
        #[arg(long)]
        cccd: Vec<String>,
        #[arg(long)]
        cmnd: Vec<String>,
        #[arg(long = "personal-id")]
        personal_id: Vec<String>,
        #[arg(long)]
        bhxh: Vec<String>,
        #[arg(long)]
        address: Option<String>,
        /// Tổ dân phố.
        #[arg(long = "residential-group")]
        residential_group: Option<String>,
        #[arg(long)]
        ward: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        household: Option<String>,
        /// Register even though the ledger holds someone likely the same person: why they are not
        /// (kept in the audit log with the people shown).
        #[arg(long)]
        despite_duplicates: Option<String>,
    },
    /// Search by name (tone marks optional) or ID number.
    Find {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    Show {
        id: String,
    },
    /// Add an identity document to a person.
    AddId {
        person: String,
        #[arg(long)]
        kind: String,
        #[arg(long)]
        number: String,
    },
}

#[derive(Subcommand)]
pub enum HouseholdCmd {
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        head: Option<String>,
        #[arg(long = "tax-code")]
        tax_code: Option<String>,
        #[arg(long)]
        address: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum GroupCmd {
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "preschool")]
        kind: String,
        #[arg(long)]
        owner: Option<String>,
        #[arg(long)]
        address: Option<String>,
    },
}

// Parsed once per run; boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum ClaimCmd {
    Add {
        #[arg(long)]
        policy: String,
        #[arg(long, group = "subject")]
        person: Option<String>,
        /// Find the person by an identity number.
        #[arg(long = "id-number", group = "subject")]
        id_number: Option<String>,
        #[arg(long, group = "subject")]
        household: Option<String>,
        #[arg(long, group = "subject")]
        group: Option<String>,
        #[command(flatten)]
        facts: FactArgs,
    },
    Show {
        id: String,
    },
    Reject {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// The claims register, newest first, filtered (each filter optional).
    List {
        #[arg(long)]
        policy: Option<String>,
        /// received, verified, posted, approved, paid, rejected, withdrawn, corrected.
        #[arg(long)]
        state: Option<String>,
        /// The residential group (tổ dân phố), as registered.
        #[arg(long)]
        group: Option<String>,
        /// A list's id, or "none" for claims on no list.
        #[arg(long)]
        list: Option<String>,
        /// A name (tone marks optional) or the start of an ID number.
        #[arg(long)]
        person: Option<String>,
        #[arg(long, default_value_t = 0)]
        offset: i64,
    },
    /// Correct the facts of a claim on no list yet: recorded again with these facts (all of them, as for
    /// `claim add`), priced again; the old claim is kept, marked corrected.
    Correct {
        id: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        facts: FactArgs,
    },
    /// Withdraw a claim on no list yet, with a reason.
    Withdraw {
        id: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
pub enum ListCmd {
    /// Build a list from received claims (of the given policies, or named claims).
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        policy: Vec<String>,
        #[arg(long)]
        claim: Vec<String>,
    },
    /// Record the public posting of a list.
    Post {
        id: String,
        /// The day it went up on the board (default: today).
        #[arg(long, visible_alias = "on")]
        date: Option<String>,
    },
    Show {
        id: String,
    },
    All,
}

#[derive(Subcommand)]
pub enum ReportCmd {
    /// Count and total per policy and status.
    Summary,
}

#[derive(Args)]
pub struct FactArgs {
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long)]
    pub days: Option<u32>,
    #[arg(long)]
    pub pregnant: bool,
    /// A child under 6's birth date (repeat per child).
    #[arg(long = "child-dob")]
    pub child_dob: Vec<String>,
    /// A child as "Name;dd/mm/yyyy[;ID number]" (repeat per child).
    #[arg(long)]
    pub child: Vec<String>,
    #[arg(long)]
    pub dob: Option<String>,
    #[arg(long)]
    pub applied: Option<String>,
    #[arg(long)]
    pub elderly: bool,
    #[arg(long)]
    pub disabled: bool,
    /// A yes/no fact named by the policy, as name=yes or name=no (repeatable).
    #[arg(long)]
    pub fact: Vec<String>,
}

pub fn opt_date(v: &Option<String>) -> Result<Option<chrono::NaiveDate>, LedgerError> {
    v.as_deref().map(parse_date).transpose()
}

impl FactArgs {
    pub fn to_facts(&self) -> Result<ClaimFacts, LedgerError> {
        let mut children = Vec::new();
        for d in &self.child_dob {
            children.push(ChildFact {
                name: None,
                dob: parse_date(d)?,
                id_number: None,
            });
        }
        for c in &self.child {
            let parts: Vec<&str> = c.split(';').map(str::trim).collect();
            if parts.len() < 2 {
                return Err(LedgerError::InvalidInput {
                    field: InputField::Child,
                    message: format!("'{c}': dùng \"Tên;dd/mm/yyyy[;mã định danh]\""),
                });
            }
            children.push(ChildFact {
                name: Some(parts[0].to_string()).filter(|n| !n.is_empty()),
                dob: parse_date(parts[1])?,
                id_number: parts
                    .get(2)
                    .map(|s| s.to_string())
                    .filter(|s| !s.is_empty()),
            });
        }
        let mut flags = std::collections::BTreeMap::new();
        for f in &self.fact {
            let (name, value) = f.split_once('=').ok_or_else(|| LedgerError::InvalidInput {
                field: InputField::Fact,
                message: format!("'{f}': dùng tên=yes hoặc tên=no"),
            })?;
            // A blank value is not an answer on the command line: say yes or no.
            let v = relief_ledger::checks::yes_no(value)
                .ok()
                .filter(|_| !value.trim().is_empty())
                .ok_or_else(|| LedgerError::InvalidInput {
                    field: InputField::Fact,
                    message: format!("'{}' không phải yes/no (có/không)", value.trim()),
                })?;
            flags.insert(name.trim().to_string(), v);
        }
        Ok(ClaimFacts {
            from: opt_date(&self.from)?,
            to: opt_date(&self.to)?,
            days: self.days,
            pregnant: self.pregnant,
            children,
            dob: opt_date(&self.dob)?,
            applied: opt_date(&self.applied)?,
            elderly: self.elderly,
            disabled: self.disabled,
            flags,
            used_once: Vec::new(),
        })
    }
}
