//! What the UI's forms send (every input as typed, as text) and how it becomes the core's types.
//!
//! Parsing uses the core's own parsers (dates, dates of birth, sex, identity numbers), so the message next
//! to a field is the core's Vietnamese message; each error names the form field it belongs to.

use relief_ledger::fields::InputField;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use relief_ledger::dates::parse_date;
use relief_ledger::identity::{validate_identity, IdKind, IdentityDoc};
use relief_ledger::ledger::{Actor, ClaimSubject, Dob, NewClaim, NewPerson, PersonEdit, Sex};
use relief_ledger::rules::{ChildFact, ClaimFacts, Unit};
use relief_ledger::{Ledger, LedgerError};
use serde::{Deserialize, Serialize};

use crate::CommandError;

/// One problem with one field, for inline validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

fn field_error(field: &str, err: LedgerError) -> CommandError {
    CommandError::from(err).at(Some(field))
}

fn text(value: &str) -> Option<String> {
    Some(value.trim().to_string()).filter(|v| !v.is_empty())
}

/// The "add person" form. Field names are the ids of the UI's inputs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PersonForm {
    pub full_name: String,
    pub dob: String,
    pub sex: String,
    pub cccd: String,
    pub cmnd: String,
    pub bhxh: String,
    pub address: String,
    pub residential_group: String,
    pub phone: String,
}

/// The identity fields of the form, with their kinds.
const ID_FIELDS: [(&str, IdKind); 3] = [
    ("cccd", IdKind::Cccd),
    ("cmnd", IdKind::Cmnd),
    ("bhxh", IdKind::SocialInsurance),
];

impl PersonForm {
    fn id_value(&self, field: &str) -> &str {
        match field {
            "cccd" => &self.cccd,
            "cmnd" => &self.cmnd,
            _ => &self.bhxh,
        }
    }

    fn dob(&self) -> Result<Option<Dob>, CommandError> {
        text(&self.dob)
            .map(|d| Dob::parse(&d))
            .transpose()
            .map_err(|e| field_error("dob", e))
    }

    fn sex(&self) -> Result<Option<Sex>, CommandError> {
        text(&self.sex)
            .map(|s| Sex::parse(&s))
            .transpose()
            .map_err(|e| field_error("sex", e))
    }

    /// The core's `NewPerson`, or the first field that does not parse.
    pub fn to_new_person(&self) -> Result<NewPerson, CommandError> {
        let ids = ID_FIELDS
            .iter()
            .filter_map(|(field, kind)| {
                text(self.id_value(field)).map(|number| IdentityDoc {
                    kind: *kind,
                    number,
                })
            })
            .collect();
        Ok(NewPerson {
            full_name: self.full_name.clone(),
            dob: self.dob()?,
            sex: self.sex()?,
            ids,
            address: text(&self.address),
            residential_group: text(&self.residential_group),
            ward: None,
            phone: text(&self.phone),
            household_id: None,
        })
    }

    /// The core's `PersonEdit` (identity documents are not edited), or the first field that does not parse.
    pub fn to_edit(&self) -> Result<PersonEdit, CommandError> {
        Ok(PersonEdit {
            full_name: self.full_name.clone(),
            dob: self.dob()?,
            sex: self.sex()?,
            address: text(&self.address),
            residential_group: text(&self.residential_group),
            ward: None,
            phone: text(&self.phone),
        })
    }

    /// Which field a refusal from `update_person` is about: the person's own identity numbers are not on
    /// the edit form, so a number that no longer fits the date of birth or sex is shown at the date of birth.
    pub fn locate_edit(&self, err: LedgerError) -> CommandError {
        let located = self.locate(err);
        match located.field.as_deref() {
            Some("cccd" | "cmnd" | "bhxh") | None if located.code == "invalid_identity" => {
                located.at(Some("dob"))
            }
            _ => located,
        }
    }

    /// Every problem the core can see without saving: dates, identity numbers (format, province, the
    /// century/sex digit against the date of birth and sex) and numbers already held by someone else.
    pub fn check(&self, ledger: &Ledger) -> Vec<FieldError> {
        let mut out = Vec::new();
        let mut push = |e: CommandError| {
            out.push(FieldError {
                field: e.field.unwrap_or_default(),
                code: e.code,
                message: e.message,
            })
        };
        let dob = self.dob().unwrap_or_else(|e| {
            push(e);
            None
        });
        let sex = self.sex().unwrap_or_else(|e| {
            push(e);
            None
        });
        // The phone as the core checks it when the person is saved (`checks::phone`), not a copy of it.
        if let Some(phone) = text(&self.phone) {
            if let Err(message) = relief_ledger::checks::phone(&phone) {
                push(
                    CommandError::from(LedgerError::InvalidInput {
                        field: InputField::Phone,
                        message,
                    })
                    .at(Some("phone")),
                );
            }
        }
        for (field, kind) in ID_FIELDS {
            let Some(raw) = text(self.id_value(field)) else {
                continue;
            };
            let female = sex.map(|s| s == Sex::Female);
            match validate_identity(kind, &raw, dob.map(|d| d.year()), female) {
                Err(e) => push(field_error(field, e)),
                Ok(number) => {
                    if let Ok(owner) = ledger.person_by_id_number(&number) {
                        push(field_error(
                            field,
                            LedgerError::IdentityTaken {
                                number,
                                owner: owner.full_name,
                            },
                        ));
                    }
                }
            }
        }
        out
    }

    /// Which field a refusal from `add_person` is about.
    pub fn locate(&self, err: LedgerError) -> CommandError {
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        let field = match &err {
            LedgerError::InvalidInput { field, .. } => match field {
                InputField::FullName => Some("fullName"),
                InputField::Dob => Some("dob"),
                InputField::Sex => Some("sex"),
                InputField::Reason => Some("despite"),
                InputField::Phone => Some("phone"),
                _ => None,
            },
            // Someone likely the same is registered: the reason to go on is asked for beside the form.
            LedgerError::LikelyDuplicate { .. } => Some("despite"),
            LedgerError::InvalidDate(_) => Some("dob"),
            LedgerError::InvalidIdentity { field, .. } => ID_FIELDS
                .iter()
                .find(|(_, k)| k.field() == *field)
                .map(|(f, _)| *f),
            LedgerError::IdentityTaken { number, .. } => ID_FIELDS
                .iter()
                .find(|(f, _)| digits(self.id_value(f)) == *number)
                .map(|(f, _)| *f),
            _ => None,
        };
        CommandError::from(err).at(field)
    }
}

/// A child named on a claim (for the child-under-6 supplement).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChildForm {
    pub name: String,
    pub dob: String,
    pub id_number: String,
}

/// The claim form: a policy, a person, and the facts as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClaimForm {
    pub policy: String,
    pub person_id: String,
    pub from: String,
    pub to: String,
    pub days: String,
    pub applied: String,
    pub pregnant: bool,
    pub elderly: bool,
    pub disabled: bool,
    pub children: Vec<ChildForm>,
    /// The yes/no facts the policy declares; a fact left unanswered is absent.
    pub flags: BTreeMap<String, bool>,
    /// The household or group the claim is for, when the policy pays per household or per group.
    pub subject_id: String,
}

fn date_field(field: &str, value: &str) -> Result<Option<chrono::NaiveDate>, CommandError> {
    text(value)
        .map(|v| parse_date(&v))
        .transpose()
        .map_err(|e| field_error(field, e))
}

impl ClaimForm {
    /// The facts, with the person's date of birth filled in (as `add_claim` does) so the quote matches.
    pub fn facts(&self, ledger: &Ledger) -> Result<ClaimFacts, CommandError> {
        let days = text(&self.days)
            .map(|d| {
                d.parse::<u32>().map_err(|_| {
                    field_error(
                        "days",
                        LedgerError::InvalidInput {
                            field: InputField::Days,
                            message: format!("'{d}' không phải số ngày"),
                        },
                    )
                })
            })
            .transpose()?;
        let mut children = Vec::new();
        for (i, c) in self.children.iter().enumerate() {
            let field = format!("child-{i}-dob");
            let Some(dob) = date_field(&field, &c.dob)? else {
                if c.name.trim().is_empty() && c.id_number.trim().is_empty() {
                    continue;
                }
                return Err(field_error(&field, LedgerError::InvalidDate(String::new())));
            };
            children.push(ChildFact {
                name: text(&c.name),
                dob,
                id_number: text(&c.id_number),
            });
        }
        let dob = match text(&self.person_id) {
            Some(id) => ledger
                .person(&id)
                .map_err(|e| field_error("person", e))?
                .dob
                .and_then(|d| d.date()),
            None => None,
        };
        Ok(ClaimFacts {
            from: date_field("from", &self.from)?,
            to: date_field("to", &self.to)?,
            days,
            pregnant: self.pregnant,
            children,
            dob,
            applied: date_field("applied", &self.applied)?,
            elderly: self.elderly,
            disabled: self.disabled,
            flags: self.flags.clone(),
            used_once: Vec::new(),
        })
    }

    pub fn to_new_claim(&self, ledger: &Ledger) -> Result<NewClaim, CommandError> {
        let unit = ledger
            .pack()
            .policy(&self.policy)
            .map_err(|e| field_error("policy", e))?
            .unit;
        let missing = |what: InputField| {
            field_error(
                "person",
                LedgerError::InvalidInput {
                    field: what,
                    message: format!("chọn {} trước khi lưu", what.label_vi()),
                },
            )
        };
        let subject = match unit {
            Unit::Person => ClaimSubject::Person(
                text(&self.person_id).ok_or_else(|| missing(InputField::Person))?,
            ),
            Unit::Household => ClaimSubject::Household(
                text(&self.subject_id).ok_or_else(|| missing(InputField::Household))?,
            ),
            Unit::Group => ClaimSubject::Group(
                text(&self.subject_id).ok_or_else(|| missing(InputField::Group))?,
            ),
        };
        let facts = match unit {
            Unit::Person => self.facts(ledger)?,
            // A household or group has no date of birth; the applicant is its head or owner.
            _ => ClaimForm {
                person_id: String::new(),
                ..self.clone()
            }
            .facts(ledger)?,
        };
        Ok(NewClaim {
            policy: self.policy.clone(),
            subject,
            applicant: None,
            facts,
        })
    }
}

/// The "add household" form (a household business: name, head, tax code, address).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HouseholdForm {
    pub name: String,
    pub head_id: String,
    pub tax_code: String,
    pub address: String,
}

/// The "add group" form (an independent preschool group or class: name, owner, address).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GroupForm {
    pub name: String,
    pub owner_id: String,
    pub address: String,
}

/// The kind of group the app registers (the only group-paid policy is the preschool one).
pub const PRESCHOOL_GROUP: &str = "preschool";

/// Which form field a refusal from `add_household` / `add_group` is about.
pub fn locate_unit(err: LedgerError) -> CommandError {
    let field = match &err {
        LedgerError::InvalidInput { field, .. } => match field {
            InputField::HouseholdName | InputField::GroupName => Some("name"),
            InputField::TaxCode => Some("taxCode"),
            InputField::UnitOwner => Some("owner"),
            _ => None,
        },
        LedgerError::NotFound { .. } => Some("owner"),
        _ => None,
    };
    CommandError::from(err).at(field)
}

impl HouseholdForm {
    pub fn save(
        &self,
        ledger: &mut Ledger,
        actor: &Actor,
    ) -> Result<relief_ledger::ledger::Household, CommandError> {
        ledger
            .add_household(
                &self.name,
                text(&self.head_id).as_deref(),
                text(&self.tax_code).as_deref(),
                text(&self.address).as_deref(),
                actor,
            )
            .map_err(locate_unit)
    }
}

impl GroupForm {
    pub fn save(&self, ledger: &mut Ledger, actor: &Actor) -> Result<String, CommandError> {
        ledger
            .add_group(
                &self.name,
                PRESCHOOL_GROUP,
                text(&self.owner_id).as_deref(),
                text(&self.address).as_deref(),
                actor,
            )
            .map_err(locate_unit)
    }
}

/// A date typed in a form (dd/mm/yyyy), for commands that take one.
pub fn date_arg(field: &str, value: &str) -> Result<chrono::NaiveDate, CommandError> {
    parse_date(value).map_err(|e| field_error(field, e))
}

/// A path as the UI writes it: trimmed, `~/` standing for the home folder.
pub fn expand_home(value: &str, home: Option<&Path>) -> PathBuf {
    let value = value.trim();
    match (value.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(value),
    }
}

/// A path typed in a form; it must be a full path, since the app's working folder means nothing to the
/// officer.
fn typed_path(field: &str, value: &str, home: Option<&Path>) -> Result<PathBuf, CommandError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(CommandError::new("invalid_input", "Hãy nhập đường dẫn tệp.").at(Some(field)));
    }
    let path = expand_home(value, home);
    if !path.is_absolute() {
        return Err(CommandError::new(
            "invalid_input",
            format!("Hãy nhập đường dẫn đầy đủ, bắt đầu bằng / (ví dụ ~/Documents/{value})."),
        )
        .at(Some(field)));
    }
    Ok(path)
}

/// A file to read (a ward file to import): it has to exist and be a file.
pub fn source_path(field: &str, value: &str, home: Option<&Path>) -> Result<PathBuf, CommandError> {
    let path = typed_path(field, value, home)?;
    let refuse =
        |message: String| Err(CommandError::new("file_unreadable", message).at(Some(field)));
    if path.is_dir() {
        return refuse(format!(
            "{} là một thư mục; hãy chọn một tệp trong đó.",
            path.display()
        ));
    }
    if !path.is_file() {
        return refuse(format!("Không tìm thấy tệp {}.", path.display()));
    }
    Ok(path)
}

/// A file to write (an export): its folder has to exist; a file already there is replaced.
pub fn dest_path(field: &str, value: &str, home: Option<&Path>) -> Result<PathBuf, CommandError> {
    let path = typed_path(field, value, home)?;
    let refuse = |message: String| Err(CommandError::new("invalid_input", message).at(Some(field)));
    if path.is_dir() || value.trim_end().ends_with('/') {
        return refuse(format!(
            "{} là một thư mục; hãy thêm tên tệp vào cuối đường dẫn.",
            path.display()
        ));
    }
    match path.parent() {
        Some(dir) if dir.is_dir() => Ok(path),
        Some(dir) => refuse(format!("Không có thư mục {}.", dir.display())),
        None => refuse(format!("Không ghi được vào {}.", path.display())),
    }
}
