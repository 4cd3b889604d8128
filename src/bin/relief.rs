//! The `relief` command line: one subcommand, one call into the core. Exit 0 on success, 1 when a rule or
//! an invariant refuses, 2 on bad usage. Messages are Vietnamese with the English code in brackets.

use relief_ledger::fields::InputField;
#[path = "relief/audit.rs"]
mod audit;

use clap::{Args, Parser, Subcommand};
use relief_ledger::dates::{format_vi, parse_date};
use relief_ledger::identity::{IdKind, IdentityDoc};
use relief_ledger::ledger::{
    default_db_path, state_label_vi, Actor, ClaimSubject, Dob, NewClaim, NewPerson, Office, Role,
    Sex,
};
use relief_ledger::rules::{ChildFact, ClaimFacts, RulePack};
use relief_ledger::{Ledger, LedgerError, Money};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "relief",
    version,
    about = "Sổ chi trả hỗ trợ COVID-19 (Relief Ledger)"
)]
struct Cli {
    /// Ledger file (default: the app's ledger in the user's data directory).
    #[arg(long, global = true, env = "RELIEF_DB")]
    db: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long, global = true)]
    json: bool,
    /// Who signs in to act (the password or PIN is asked at the terminal, or read from RELIEF_PASSWORD for
    /// scripts). Every command that opens the ledger signs in, except `verify`.
    #[arg(long = "as", global = true, env = "RELIEF_OPERATOR")]
    operator: Option<String>,
    /// A district's own rule pack instead of the shipped Hanoi 2021 pack.
    #[arg(long, global = true, env = "RELIEF_RULES")]
    rules: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
        #[arg(long)]
        date: String,
    },
    /// Pay the approved claims of a list (or one claim of it).
    Pay {
        #[arg(long)]
        list: String,
        #[arg(long)]
        claim: Option<String>,
        /// Payment date (default: today).
        #[arg(long)]
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
        #[arg(long)]
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
        /// Where the rejected rows go (default: FILE.bi-tu-choi.csv beside the file).
        #[arg(long)]
        rejects: Option<PathBuf>,
    },
    /// Export a report: payouts, summary, claims, audit, template (CSV for Excel), or payout-sheet,
    /// posting-list (printable HTML of a list).
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
    },
}

#[derive(Subcommand)]
enum OperatorCmd {
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
enum RulesCmd {
    List,
    Show { code: String },
}

// Parsed once per run; boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum PersonCmd {
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
enum HouseholdCmd {
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
enum GroupCmd {
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
enum ClaimCmd {
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
}

#[derive(Subcommand)]
enum ListCmd {
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
    },
    Show {
        id: String,
    },
    All,
}

#[derive(Subcommand)]
enum ReportCmd {
    /// Count and total per policy and status.
    Summary,
}

#[derive(Args)]
struct FactArgs {
    #[arg(long)]
    from: Option<String>,
    #[arg(long)]
    to: Option<String>,
    #[arg(long)]
    days: Option<u32>,
    #[arg(long)]
    pregnant: bool,
    /// A child under 6's birth date (repeat per child).
    #[arg(long = "child-dob")]
    child_dob: Vec<String>,
    /// A child as "Name;dd/mm/yyyy[;ID number]" (repeat per child).
    #[arg(long)]
    child: Vec<String>,
    #[arg(long)]
    dob: Option<String>,
    #[arg(long)]
    applied: Option<String>,
    #[arg(long)]
    elderly: bool,
    #[arg(long)]
    disabled: bool,
    /// A yes/no fact named by the policy, as name=yes or name=no (repeatable).
    #[arg(long)]
    fact: Vec<String>,
}

fn opt_date(v: &Option<String>) -> Result<Option<chrono::NaiveDate>, LedgerError> {
    v.as_deref().map(parse_date).transpose()
}

impl FactArgs {
    fn to_facts(&self) -> Result<ClaimFacts, LedgerError> {
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

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let json = cli.json;
    match run(cli) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Refused) => ExitCode::from(1),
        Err(e) => {
            if json {
                println!("{}", serde_json::json!({ "error": e.to_public() }));
            } else {
                eprintln!("lỗi [{}]: {}", e.code(), e);
            }
            if e.is_bad_input() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

/// Prints `value` as JSON, or the human text.
fn out<T: Serialize>(json: bool, value: &T, human: impl FnOnce() -> String) {
    use std::io::Write;
    let text = if json {
        serde_json::to_string_pretty(value).expect("serialisable")
    } else {
        human()
    };
    // A closed pipe (`relief ... | head`) is not an error worth a panic.
    let _ = writeln!(std::io::stdout(), "{text}");
}

/// Today as the office means it (Hà Nội time), whatever the machine's clock zone.
fn today() -> chrono::NaiveDate {
    relief_ledger::dates::today_vn()
}

fn load_pack(path: &Option<PathBuf>) -> Result<Option<(RulePack, String)>, LedgerError> {
    match path {
        None => Ok(None),
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| LedgerError::FileUnreadable {
                path: p.display().to_string(),
                reason: e.to_string(),
            })?;
            Ok(Some((
                RulePack::parse(&text, &p.display().to_string())?,
                text,
            )))
        }
    }
}

/// How a command that did not fail ended: done, or refused by a rule after reporting why.
enum Outcome {
    Done,
    Refused,
}

/// A password or PIN: from `env_var` (scripts), else asked at the terminal without echo (twice when `confirm`).
fn secret(env_var: &str, prompt: &str, confirm: bool) -> Result<String, LedgerError> {
    if let Ok(s) = std::env::var(env_var) {
        return Ok(s);
    }
    let ask = |p: &str| {
        rpassword::prompt_password(p).map_err(|_| LedgerError::InvalidInput {
            field: InputField::Password,
            message: format!(
                "không hỏi được mật khẩu ở cửa sổ lệnh; đặt biến môi trường {env_var}"
            ),
        })
    };
    let first = ask(prompt)?;
    if confirm && ask("Nhập lại: ")? != first {
        return Err(LedgerError::InvalidInput {
            field: InputField::Password,
            message: "hai lần nhập không giống nhau".into(),
        });
    }
    Ok(first)
}

/// Who `--as` names, or the reason there is nobody to sign in.
fn who(cli_operator: &Option<String>) -> Result<String, LedgerError> {
    cli_operator
        .clone()
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| LedgerError::InvalidInput {
            field: InputField::Operator,
            message: "cần tên người dùng để đăng nhập (--as TÊN hoặc RELIEF_OPERATOR)".into(),
        })
}

/// Signs the operator in with their password. On a ledger made before sign-in (no password anywhere yet),
/// its admin sets the first password this way.
fn sign_in(ledger: &mut Ledger, name: &str) -> Result<Actor, LedgerError> {
    if ledger.needs_first_password()? {
        let pw = secret(
            "RELIEF_PASSWORD",
            &format!("Sổ chưa có mật khẩu nào. Đặt mật khẩu quản trị cho {name}: "),
            true,
        )?;
        return ledger.claim_legacy_admin(name, &pw);
    }
    let pw = secret("RELIEF_PASSWORD", &format!("Mật khẩu của {name}: "), false)?;
    ledger.sign_in(name, &pw)
}

fn run(cli: Cli) -> Result<Outcome, LedgerError> {
    let json = cli.json;
    let pack = load_pack(&cli.rules)?;
    // Commands that need no ledger file.
    match &cli.command {
        Command::Rules(cmd) => {
            let pack = pack
                .map(|p| p.0)
                .unwrap_or_else(relief_ledger::rules::default_pack);
            rules_cmd(json, &pack, cmd)?;
            return Ok(Outcome::Done);
        }
        Command::Quote { policy, facts } => {
            let pack = pack
                .map(|p| p.0)
                .unwrap_or_else(relief_ledger::rules::default_pack);
            let ent = pack.policy(policy)?.entitlement(&facts.to_facts()?);
            out(json, &ent, || {
                let mut s = format!(
                    "{}: {}\n",
                    ent.policy,
                    if ent.eligible {
                        "ĐỦ điều kiện"
                    } else {
                        "KHÔNG đủ điều kiện"
                    }
                );
                for l in &ent.lines {
                    s += &format!("  {}\n", l.text_vi());
                }
                for r in &ent.reasons {
                    s += &format!("  ✗ {r}\n");
                }
                for n in &ent.notes {
                    s += &format!("  · {n}\n");
                }
                s + &format!("  Tổng: {}", ent.amount)
            });
            // A refused quote was reported in full above; it still exits 1 like any rule refusal.
            return Ok(if ent.eligible {
                Outcome::Done
            } else {
                Outcome::Refused
            });
        }
        Command::Demo {
            people,
            wards,
            seed,
            ward_file: Some(path),
            duplicates,
            truth,
        } => {
            let (people, wards, seed) = (*people, *wards, *seed);
            relief_ledger::files::refuse_ledger_destination(path)?;
            let file = std::io::BufWriter::new(std::fs::File::create(path)?);
            let spec = relief_ledger::demo::DemoSpec {
                people,
                wards,
                seed,
            };
            let mut truth_file = match truth {
                Some(t) => {
                    relief_ledger::files::refuse_ledger_destination(t)?;
                    Some(std::io::BufWriter::new(std::fs::File::create(t)?))
                }
                None => None,
            };
            let (rows, planted) = relief_ledger::demo::write_ward_file_planted(
                &spec,
                *duplicates,
                file,
                truth_file.as_mut().map(|t| t as &mut dyn std::io::Write),
            )?;
            if let Some(mut t) = truth_file {
                std::io::Write::flush(&mut t)?;
            }
            out(
                json,
                &serde_json::json!({ "rows": rows, "file": path, "duplicates_planted": planted }),
                || {
                    let mut t = format!("Đã ghi {rows} dòng vào {}", path.display());
                    if planted > 0 {
                        t += &format!(", trong đó {planted} bản ghi trùng được cài sẵn");
                    }
                    t
                },
            );
            return Ok(Outcome::Done);
        }
        _ => {}
    }
    let path = cli.db.clone().unwrap_or_else(default_db_path);
    if let Command::Verify { head } = &cli.command {
        // Read-only: never created, migrated or written, and no sign-in (an auditor checks any office's file).
        let head = head.as_deref().map(str::parse).transpose()?;
        let v = relief_ledger::ledger::verify_file(&path, head.as_ref())?;
        out(json, &v, || {
            let mut t = format!(
                "Sổ {}: nhật ký {} dòng, mốc {}. Khoản chi: {}.",
                path.display(),
                v.audit_rows,
                v.head,
                v.payouts
            );
            if v.problems.is_empty() {
                t += " Không phát hiện sai lệch.";
            }
            for p in &v.problems {
                t += &format!("\n  ✗ {p}");
            }
            t
        });
        return Ok(if v.problems.is_empty() {
            Outcome::Done
        } else {
            Outcome::Refused
        });
    }
    let mut ledger = match pack {
        Some((p, text)) => Ledger::open_with_pack(&path, p, text)?,
        None => Ledger::open(&path)?,
    };
    let name = who(&cli.operator)?;
    if let Command::Init {
        ward,
        district,
        city,
    } = cli.command
    {
        let office = Office {
            ward,
            district,
            city,
        };
        ledger
            .office()
            .err()
            .ok_or_else(|| LedgerError::InvalidInput {
                field: InputField::Ledger,
                message: "sổ này đã được khởi tạo".into(),
            })?;
        let pw = secret(
            "RELIEF_PASSWORD",
            &format!("Đặt mật khẩu quản trị cho {name}: "),
            true,
        )?;
        ledger.init_office(&office, &name, &pw)?;
        out(
            json,
            &serde_json::json!({ "db": path, "office": office }),
            || {
                format!(
                    "Đã khởi tạo sổ {} – {} – {} tại {}",
                    office.ward,
                    office.district,
                    office.city,
                    path.display()
                )
            },
        );
        return Ok(Outcome::Done);
    }
    if let Command::Demo {
        people,
        wards,
        seed,
        ..
    } = &cli.command
    {
        // A demo ledger is set up for the demo district, its admin the one signing in.
        if ledger.office().is_err() {
            let spec = relief_ledger::demo::DemoSpec {
                people: *people,
                wards: *wards,
                seed: *seed,
            };
            let pw = secret(
                "RELIEF_PASSWORD",
                &format!("Đặt mật khẩu quản trị cho {name}: "),
                true,
            )?;
            ledger.init_office(&relief_ledger::demo::demo_office(&spec), &name, &pw)?;
        }
    }
    let actor = sign_in(&mut ledger, &name)?;
    match cli.command {
        Command::Rules(_)
        | Command::Quote { .. }
        | Command::Verify { .. }
        | Command::Init { .. } => {
            unreachable!("handled above")
        }
        Command::Operator(OperatorCmd::Role { name, role }) => {
            let role = Role::parse(&role)?;
            ledger.set_operator(&name, role, &actor)?;
            out(
                json,
                &serde_json::json!({ "name": name, "role": role }),
                || format!("Người dùng {name}: {}", role.label_vi()),
            );
        }
        Command::Operator(OperatorCmd::ResetPassword { name }) => {
            let pw = secret(
                "RELIEF_NEW_PASSWORD",
                &format!("Mật khẩu mới cho {name}: "),
                true,
            )?;
            ledger.reset_password(&name, &pw, &actor)?;
            out(json, &serde_json::json!({ "name": name }), || {
                format!("Đã đặt lại mật khẩu cho {name}")
            });
        }
        Command::Operator(OperatorCmd::Passwd) => {
            let current = secret("RELIEF_PASSWORD", "Mật khẩu hiện tại: ", false)?;
            let pw = secret("RELIEF_NEW_PASSWORD", "Mật khẩu mới: ", true)?;
            ledger.change_password(&actor, &current, &pw)?;
            out(json, &serde_json::json!({ "name": actor.name() }), || {
                "Đã đổi mật khẩu".to_string()
            });
        }
        Command::Operator(OperatorCmd::Add { name, role }) => {
            let role = Role::parse(&role)?;
            let pw = secret(
                "RELIEF_NEW_PASSWORD",
                &format!("Mật khẩu đầu tiên cho {name}: "),
                true,
            )?;
            ledger.add_operator(&name, role, &pw, &actor)?;
            out(
                json,
                &serde_json::json!({ "name": name, "role": role }),
                || format!("Đã thêm người dùng {name}: {}", role.label_vi()),
            );
        }
        Command::Operator(OperatorCmd::List) => {
            let ops = ledger.operators()?;
            out(json, &ops, || {
                ops.iter()
                    .map(|o| format!("{}\t{}", o.name, o.role.as_str()))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Command::Person(cmd) => person_cmd(json, &mut ledger, cmd, &actor)?,
        Command::Household(HouseholdCmd::Add {
            name,
            head,
            tax_code,
            address,
        }) => {
            let h = ledger.add_household(
                &name,
                head.as_deref(),
                tax_code.as_deref(),
                address.as_deref(),
                &actor,
            )?;
            out(json, &h, || format!("Đã thêm hộ {} ({})", h.name, h.id));
        }
        Command::Group(GroupCmd::Add {
            name,
            kind,
            owner,
            address,
        }) => {
            let id =
                ledger.add_group(&name, &kind, owner.as_deref(), address.as_deref(), &actor)?;
            out(json, &serde_json::json!({ "id": id, "name": name }), || {
                format!("Đã thêm nhóm {name} ({id})")
            });
        }
        Command::Claim(ClaimCmd::Add {
            policy,
            person,
            id_number,
            household,
            group,
            facts,
        }) => {
            let subject = match (person, id_number, household, group) {
                (Some(p), _, _, _) => ClaimSubject::Person(p),
                (_, Some(n), _, _) => ClaimSubject::Person(ledger.person_by_id_number(&n)?.id),
                (_, _, Some(h), _) => ClaimSubject::Household(h),
                (_, _, _, Some(g)) => ClaimSubject::Group(g),
                _ => {
                    return Err(LedgerError::InvalidInput {
                        field: InputField::Person,
                        message: "cần --person, --id-number, --household hoặc --group".into(),
                    })
                }
            };
            let c = ledger.add_claim(
                &NewClaim {
                    policy,
                    subject,
                    applicant: None,
                    facts: facts.to_facts()?,
                },
                &actor,
            )?;
            out(json, &c, || {
                let mut s = format!(
                    "Đã ghi hồ sơ {} – {} – {}: {}\n",
                    c.id, c.policy, c.beneficiary_name, c.amount
                );
                for l in &c.lines {
                    s += &format!("  {}\n", l.text_vi());
                }
                for n in &c.notes {
                    s += &format!("  · {n}\n");
                }
                s.trim_end().to_string()
            });
        }
        Command::Claim(ClaimCmd::Show { id }) => {
            let c = ledger.claim(&id)?;
            out(json, &c, || {
                format!(
                    "{} {} {} {} {}",
                    c.id,
                    c.policy,
                    c.beneficiary_name,
                    c.amount,
                    state_label_vi(&c.status)
                )
            });
        }
        Command::Claim(ClaimCmd::Reject { id, reason }) => {
            ledger.reject_claim(&id, &reason, &actor)?;
            out(
                json,
                &serde_json::json!({ "id": id, "status": "rejected" }),
                || format!("Đã từ chối hồ sơ {id}"),
            );
        }
        Command::List(cmd) => list_cmd(json, &mut ledger, cmd, &actor)?,
        Command::Approve {
            list,
            decision,
            date,
        } => {
            let l = ledger.approve_list(&list, &decision, parse_date(&date)?, &actor)?;
            out(json, &l, || {
                format!(
                    "Đã phê duyệt danh sách {} theo QĐ {}: {} hồ sơ, {}",
                    l.name, decision, l.claims, l.total
                )
            });
        }
        Command::Pay {
            list,
            claim,
            date,
            method,
        } => {
            let day = opt_date(&date)?.unwrap_or_else(today);
            let s = ledger.pay(&list, claim.as_deref(), day, &method, &actor)?;
            out(json, &s, || {
                format!(
                    "Đã chi trả {} hồ sơ, tổng {} (ngày {})",
                    s.count,
                    s.total,
                    format_vi(day)
                )
            });
        }
        Command::Reverse {
            payout,
            claim,
            reason,
            date,
        } => {
            let payout = match (payout, claim) {
                (Some(p), _) => p,
                (None, Some(c)) => {
                    ledger
                        .live_payout_of(&c)?
                        .ok_or_else(|| LedgerError::NotFound {
                            what: "khoản chi còn hiệu lực của hồ sơ".into(),
                            id: c.clone(),
                        })?
                }
                (None, None) => unreachable!("clap requires one"),
            };
            let day = opt_date(&date)?.unwrap_or_else(today);
            let id = ledger.reverse(&payout, &reason, day, &actor)?;
            out(
                json,
                &serde_json::json!({ "reversal": id, "payout": payout }),
                || format!("Đã đảo khoản chi {payout} (bút toán {id})"),
            );
        }
        Command::Override {
            claim,
            amount,
            reason,
        } => {
            ledger.override_amount(&claim, Money::from_dong(amount), &reason, &actor)?;
            out(
                json,
                &serde_json::json!({ "claim": claim, "amount": amount }),
                || {
                    format!(
                        "Đã điều chỉnh số tiền hồ sơ {claim}: {}",
                        Money::from_dong(amount)
                    )
                },
            );
        }
        Command::Report(ReportCmd::Summary) => {
            let s = ledger.report_summary()?;
            out(json, &s, || {
                let mut t = format!(
                    "{:<32} {:<14} {:>8} {:>16}\n",
                    "Chính sách", "Trạng thái", "Số hồ sơ", "Số tiền (đ)"
                );
                for r in &s.rows {
                    t += &format!(
                        "{:<32} {:<14} {:>8} {:>16}\n",
                        r.policy,
                        state_label_vi(&r.status),
                        r.count,
                        r.total.format_vi()
                    );
                }
                t += "\nĐã chi trả theo văn bản:\n";
                if s.by_instrument.is_empty() {
                    t += "  (chưa có khoản chi nào)\n";
                }
                for i in &s.by_instrument {
                    t += &format!(
                        "  {}: {} hồ sơ, {}\n",
                        i.instrument, i.paid_count, i.paid_total
                    );
                }
                t + &format!(
                    "Bút toán đảo: {} ({})\nMốc nhật ký sổ: {}",
                    s.reversals, s.reversed_total, s.head
                )
            });
        }
        Command::Audit(cmd) => {
            return audit::run(&mut ledger, &path, cmd, json, &actor);
        }
        Command::Backup { to } => {
            let done = ledger.backup_to(&to, &actor)?;
            out(json, &done, || {
                format!(
                    "Đã sao lưu vào {} ({} hồ sơ, {} khoản chi); đã kiểm tra bản sao. Mốc nhật ký: {} (ghi ở {})",
                    done.file, done.preview.claims, done.preview.payouts, done.preview.head, done.head_file
                )
            });
        }
        Command::Restore { file, yes } => {
            let shown = relief_ledger::ledger::backups::preview(&file)?;
            if !yes || !shown.problems.is_empty() {
                out(json, &shown, || {
                    let mut t = format!(
                        "Bản sao lưu {}: sổ {} – {} – {}; {} người, {} hồ sơ, {} khoản chi ({} đồng); thay đổi cuối {}; mốc {}",
                        shown.path,
                        shown.office.ward,
                        shown.office.district,
                        shown.office.city,
                        shown.people,
                        shown.claims,
                        shown.payouts,
                        Money::from_dong(shown.payouts_amount).format_vi(),
                        shown.last_change.as_deref().unwrap_or("-"),
                        shown.head
                    );
                    for p in &shown.problems {
                        t += &format!("\n  ✗ {p}");
                    }
                    if shown.problems.is_empty() {
                        t += "\nChạy lại với --yes để khôi phục (sổ hiện tại được giữ một bản bên cạnh).";
                    }
                    t
                });
                return Ok(if shown.problems.is_empty() {
                    Outcome::Done
                } else {
                    Outcome::Refused
                });
            }
            let (_ledger, done) = ledger.restore_from(&file, &actor)?;
            out(json, &done, || {
                format!(
                    "Đã khôi phục từ {}. Sổ trước khi khôi phục được giữ tại {}. Mốc nhật ký: {}",
                    done.restored_from, done.previous_kept_at, done.head
                )
            });
            return Ok(Outcome::Done);
        }
        Command::Import {
            file,
            dry_run,
            accept_valid,
            rejects,
        } => {
            let options = relief_ledger::import::ImportOptions {
                dry_run,
                accept_valid,
                rejects_out: rejects,
            };
            let report = relief_ledger::import::import_file(
                &mut ledger,
                &file,
                &options,
                &actor,
                &mut |_| true,
            )?;
            // A dry run also names the rows likely already in the ledger as someone else (a CMND for a
            // CCCD, a digit dropped, the name without marks): the import itself only sees exact numbers.
            let likely = if dry_run {
                let r = relief_ledger::dedup::find_duplicates(
                    &ledger,
                    &path.display().to_string(),
                    &[file.display().to_string()],
                    &mut |_| true,
                )?;
                Some(r)
            } else {
                None
            };
            match &likely {
                Some(r) if json => {
                    let mut v = serde_json::to_value(&report).expect("serialises");
                    v["likely_duplicates"] = serde_json::Value::Array(
                        r.likely_file_rows()
                            .into_iter()
                            .map(|m| serde_json::to_value(r.view(m.pair)).expect("serialises"))
                            .collect(),
                    );
                    out(true, &v, String::new);
                }
                Some(r) => out(false, &report, || {
                    let mut t = report.describe_vi();
                    let found = r.likely_file_rows();
                    if !found.is_empty() {
                        t += &format!(
                            "\nCó thể trùng với người khác (trong sổ hoặc trong tệp): {} cặp",
                            found.len()
                        );
                        for m in found.iter().take(20) {
                            let (p, a, b) = (m.pair, m.row, m.other);
                            t += &format!(
                                "\n  [{}] {} ({}) — {} ({}): {}",
                                p.class.label_vi(),
                                a.name,
                                a.place_vi(),
                                b.name,
                                b.place_vi(),
                                p.reasons
                                    .iter()
                                    .filter(|x| x.code.weight() > 0.0)
                                    .map(|x| x.text.as_str())
                                    .collect::<Vec<_>>()
                                    .join("; ")
                            );
                        }
                        if found.len() > 20 {
                            t += "\n  … (relief audit duplicates FILE --out cap.csv để xem hết)";
                        }
                    }
                    t
                }),
                None => out(json, &report, || report.describe_vi()),
            }
            // Rejected rows are a refusal (exit 1) unless the good ones were kept on purpose.
            if report.rows_rejected > 0 && (dry_run || !accept_valid) {
                return Ok(Outcome::Refused);
            }
        }
        Command::Export {
            kind,
            list,
            out: path,
            semicolon,
        } => {
            let written = export_cmd(
                &ledger,
                &kind,
                list,
                path.as_deref(),
                if semicolon { b';' } else { b',' },
            )?;
            if let Some(summary) = written {
                out(json, &summary, || {
                    format!(
                        "Đã ghi {} dòng vào {}",
                        summary.rows,
                        summary.file.as_deref().unwrap_or("-")
                    )
                });
            }
        }
        Command::Demo {
            people,
            wards,
            seed,
            ward_file: _,
            duplicates: _,
            truth: _,
        } => {
            let s = relief_ledger::demo::generate(
                &mut ledger,
                &relief_ledger::demo::DemoSpec {
                    people,
                    wards,
                    seed,
                },
                &actor,
            )?;
            out(json, &s, || {
                format!(
                    "Đã tạo {} người, {} hồ sơ ở {} phường",
                    s.people, s.claims, s.wards
                )
            });
        }
    }
    Ok(Outcome::Done)
}

/// Writes an export to `path` (reporting it) or to standard output (reporting nothing, so it pipes).
fn export_cmd(
    ledger: &Ledger,
    kind: &str,
    list: Option<String>,
    path: Option<&std::path::Path>,
    delimiter: u8,
) -> Result<Option<relief_ledger::export::ExportSummary>, LedgerError> {
    use relief_ledger::export;
    use std::io::Write;
    let html = match kind {
        "payout-sheet" | "posting-list" => {
            let list = list.as_deref().ok_or_else(|| LedgerError::InvalidInput {
                field: InputField::List,
                message: "cần mã danh sách".into(),
            })?;
            Some(if kind == "payout-sheet" {
                export::payout_sheet_html(ledger, list)?
            } else {
                export::posting_list_html(ledger, list)?
            })
        }
        _ => None,
    };
    match (html, path) {
        (Some(html), Some(p)) => {
            relief_ledger::files::write_bytes(p, html.as_bytes())?;
            println!(
                "Đã ghi bảng in vào {} (mở bằng trình duyệt để in hoặc lưu PDF)",
                p.display()
            );
            Ok(None)
        }
        (Some(html), None) => {
            let _ = std::io::stdout().write_all(html.as_bytes());
            Ok(None)
        }
        (None, Some(p)) => Ok(Some(export::export_to_file(
            ledger,
            &export::ExportKind::parse(kind, list)?,
            delimiter,
            p,
        )?)),
        (None, None) => {
            let stdout = std::io::stdout();
            let lock = std::io::BufWriter::new(stdout.lock());
            export::export_csv(
                ledger,
                &export::ExportKind::parse(kind, list)?,
                delimiter,
                lock,
            )?;
            Ok(None)
        }
    }
}

fn rules_cmd(json: bool, pack: &RulePack, cmd: &RulesCmd) -> Result<(), LedgerError> {
    match cmd {
        RulesCmd::List => out(json, &pack.policies, || {
            let mut s = format!(
                "Bộ quy tắc {} phiên bản {}\n",
                pack.pack.id, pack.pack.version
            );
            for p in &pack.policies {
                s += &format!(
                    "{:<32} {:<10} [{}] {}\n",
                    p.code,
                    p.unit.as_str(),
                    p.confidence.label_vi(),
                    p.title
                );
            }
            s.trim_end().to_string()
        }),
        RulesCmd::Show { code } => {
            let p = pack.policy(code)?;
            out(json, p, || p.describe_vi())
        }
    }
    Ok(())
}

fn person_cmd(
    json: bool,
    ledger: &mut Ledger,
    cmd: PersonCmd,
    actor: &Actor,
) -> Result<(), LedgerError> {
    match cmd {
        PersonCmd::Add {
            name,
            dob,
            sex,
            cccd,
            cmnd,
            personal_id,
            bhxh,
            address,
            residential_group,
            ward,
            phone,
            household,
            despite_duplicates,
        } => {
            let mut ids = Vec::new();
            for (kind, list) in [
                (IdKind::Cccd, cccd),
                (IdKind::Cmnd, cmnd),
                (IdKind::PersonalId, personal_id),
                (IdKind::SocialInsurance, bhxh),
            ] {
                ids.extend(list.into_iter().map(|number| IdentityDoc { kind, number }));
            }
            let new = NewPerson {
                full_name: name,
                dob: dob.as_deref().map(Dob::parse).transpose()?,
                sex: sex.as_deref().map(Sex::parse).transpose()?,
                ids,
                address,
                residential_group,
                ward,
                phone,
                household_id: household,
            };
            let (p, shown) = relief_ledger::dedup::register_person(
                ledger,
                &new,
                despite_duplicates.as_deref(),
                actor,
            )?;
            out(json, &p, || {
                let mut t = format!("Đã thêm {} ({})", p.full_name, p.id);
                if !shown.is_empty() {
                    t += &format!(
                        "\nĐã ghi vào nhật ký: thêm dù có {} người có thể trùng, lý do: {}",
                        shown.len(),
                        despite_duplicates.as_deref().unwrap_or("")
                    );
                }
                t
            });
        }
        PersonCmd::Find { query, limit } => {
            let found = ledger.search_people(&query, limit)?;
            out(json, &found, || {
                found
                    .iter()
                    .map(|p| {
                        let ids: Vec<String> = p
                            .ids
                            .iter()
                            .map(|d| format!("{} {}", d.kind.label_vi(), d.number))
                            .collect();
                        format!(
                            "{}  {}  {}  {}",
                            &p.id,
                            p.full_name,
                            p.dob.map(|d| d.display()).unwrap_or_default(),
                            ids.join(", ")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        PersonCmd::Show { id } => {
            let d = ledger.person_detail(&id)?;
            out(json, &d, || {
                let mut s = format!("{} ({})\n", d.person.full_name, d.person.id);
                for doc in &d.person.ids {
                    s += &format!("  {}: {}\n", doc.kind.label_vi(), doc.number);
                }
                for c in &d.claims {
                    s += &format!(
                        "  hồ sơ {} {} {} {}\n",
                        c.id,
                        c.policy,
                        c.amount,
                        state_label_vi(&c.status)
                    );
                }
                for p in &d.payouts {
                    s += &format!(
                        "  chi {} {} {}{}\n",
                        p.id,
                        p.policy,
                        p.amount,
                        if p.reversed { " (đã đảo)" } else { "" }
                    );
                }
                s.trim_end().to_string()
            });
        }
        PersonCmd::AddId {
            person,
            kind,
            number,
        } => {
            let doc = ledger.add_identity(&person, IdKind::parse(&kind)?, &number, actor)?;
            out(json, &doc, || {
                format!("Đã thêm {} {}", doc.kind.label_vi(), doc.number)
            });
        }
    }
    Ok(())
}

fn list_cmd(
    json: bool,
    ledger: &mut Ledger,
    cmd: ListCmd,
    actor: &Actor,
) -> Result<(), LedgerError> {
    match cmd {
        ListCmd::Create {
            name,
            policy,
            claim,
        } => {
            let l = ledger.create_list(&name, &policy, &claim, actor)?;
            out(json, &l, || {
                format!(
                    "Đã lập danh sách {} ({}): {} hồ sơ, {}",
                    l.name, l.id, l.claims, l.total
                )
            });
        }
        ListCmd::Post { id } => {
            ledger.post_list(&id, actor)?;
            out(
                json,
                &serde_json::json!({ "id": id, "posted": true }),
                || format!("Đã ghi nhận niêm yết danh sách {id}"),
            );
        }
        ListCmd::Show { id } => {
            let l = ledger.list(&id)?;
            let items = ledger.list_items(&id)?;
            out(
                json,
                &serde_json::json!({ "list": l, "items": items }),
                || {
                    let mut s =
                        format!("{} ({}) – {} hồ sơ, {}\n", l.name, l.id, l.claims, l.total);
                    for (i, it) in items.iter().enumerate() {
                        s += &format!(
                            "{:>4}. {:<28} {:<13} {:>12} {}\n",
                            i + 1,
                            it.name,
                            it.id_number.clone().unwrap_or_default(),
                            it.amount.format_vi(),
                            state_label_vi(&it.status)
                        );
                    }
                    s + &format!(
                        "Tổng cộng: {} – Bằng chữ: {}",
                        l.total,
                        l.total.in_words_vi()
                    )
                },
            );
        }
        ListCmd::All => {
            let lists = ledger.lists()?;
            out(json, &lists, || {
                lists
                    .iter()
                    .map(|l| {
                        format!(
                            "{}  {}  {} hồ sơ  {}  {}",
                            l.id,
                            l.name,
                            l.claims,
                            l.total,
                            l.decision_no.clone().unwrap_or_else(|| "chưa duyệt".into())
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
