//! The registry: people with their identity documents, households and groups, and finding them again.

use super::office::{require_office, require_role, RECORDERS};
use super::{new_id, now, resolve_id, Ledger};
use crate::dates::{format_vi, parse_date};
use crate::error::{LedgerError, Result};
use crate::fields::InputField;
use crate::identity::{fold, normalize_nfc, validate_identity, IdKind, IdentityDoc};
use crate::ledger::Actor;
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sex {
    #[serde(rename = "M")]
    Male,
    #[serde(rename = "F")]
    Female,
}

impl Sex {
    pub fn parse(text: &str) -> Result<Sex> {
        match fold(text).as_str() {
            "m" | "nam" | "male" => Ok(Sex::Male),
            "f" | "nu" | "female" => Ok(Sex::Female),
            other => Err(LedgerError::InvalidInput {
                field: InputField::Sex,
                message: format!("'{other}': dùng Nam hoặc Nữ"),
            }),
        }
    }
    fn code(self) -> &'static str {
        match self {
            Sex::Male => "M",
            Sex::Female => "F",
        }
    }

    pub const ALL: [Sex; 2] = [Sex::Male, Sex::Female];

    /// The stored key (`M`, `F`), as the app receives it.
    pub fn key(self) -> &'static str {
        self.code()
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Sex::Male => "Nam",
            Sex::Female => "Nữ",
        }
    }
}

/// A date of birth as lists give it: a whole date, or a year alone (marked so, never passed off as 01/01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "precision", content = "date", rename_all = "snake_case")]
pub enum Dob {
    Day(NaiveDate),
    Year(i32),
}

impl Dob {
    pub fn parse(text: &str) -> Result<Dob> {
        let t = text.trim();
        if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
            let y: i32 = t.parse().map_err(|_| LedgerError::InvalidDate(t.into()))?;
            if (1900..=2100).contains(&y) {
                return Ok(Dob::Year(y));
            }
            return Err(LedgerError::InvalidDate(t.into()));
        }
        Ok(Dob::Day(parse_date(t)?))
    }
    pub fn year(self) -> i32 {
        match self {
            Dob::Day(d) => d.year(),
            Dob::Year(y) => y,
        }
    }
    /// The exact date when known (age tests need it).
    pub fn date(self) -> Option<NaiveDate> {
        match self {
            Dob::Day(d) => Some(d),
            Dob::Year(_) => None,
        }
    }
    pub fn display(self) -> String {
        match self {
            Dob::Day(d) => format_vi(d),
            Dob::Year(y) => y.to_string(),
        }
    }
}

/// What the officer enters to register someone.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NewPerson {
    pub full_name: String,
    #[serde(default)]
    pub dob: Option<Dob>,
    #[serde(default)]
    pub sex: Option<Sex>,
    #[serde(default)]
    pub ids: Vec<IdentityDoc>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub residential_group: Option<String>,
    #[serde(default)]
    pub ward: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub household_id: Option<String>,
}

/// A registered person.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Person {
    pub id: String,
    pub full_name: String,
    pub dob: Option<Dob>,
    pub sex: Option<Sex>,
    pub ids: Vec<IdentityDoc>,
    pub address: Option<String>,
    pub residential_group: Option<String>,
    pub ward: Option<String>,
    pub phone: Option<String>,
    pub household_id: Option<String>,
}

/// The correctable details of a registered person.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PersonEdit {
    pub full_name: String,
    #[serde(default)]
    pub dob: Option<Dob>,
    #[serde(default)]
    pub sex: Option<Sex>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub residential_group: Option<String>,
    #[serde(default)]
    pub ward: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// A person's page: documents, claims and payouts.
#[derive(Debug, Clone, Serialize)]
pub struct PersonDetail {
    pub person: Person,
    pub claims: Vec<super::ClaimRecord>,
    pub payouts: Vec<super::PayoutRecord>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Household {
    pub id: String,
    pub name: String,
    pub head_person_id: Option<String>,
    pub tax_code: Option<String>,
    pub address: Option<String>,
}

impl Ledger {
    /// Registers a person after validating every field; an identity number already held by someone else is
    /// refused with that person's name, since that is how one person ends up paid twice.
    pub fn add_person(&mut self, new: &NewPerson, actor: &Actor) -> Result<Person> {
        self.add_person_noting(new, None, actor)
    }

    /// As `add_person`, with a note for the audit log (why it was registered despite likely duplicates).
    pub fn add_person_noting(
        &mut self,
        new: &NewPerson,
        note: Option<serde_json::Value>,
        actor: &Actor,
    ) -> Result<Person> {
        let actor = actor.name();
        self.write(|tx, _| {
            let p = insert_person(tx, new, actor)?;
            let mut detail = serde_json::json!({ "name": p.full_name, "ids": p.ids });
            if let Some(note) = note {
                detail["duplicates"] = note;
            }
            crate::audit::append(tx, actor, "add_person", "person", Some(&p.id), &detail)?;
            Ok(p)
        })
    }

    /// Adds another identity document (a CCCD for someone first listed by CMND...).
    pub fn add_identity(
        &mut self,
        person: &str,
        kind: IdKind,
        number: &str,
        actor: &Actor,
    ) -> Result<IdentityDoc> {
        let actor = actor.name();
        self.write(|tx, _| {
            let person_id = resolve_id(tx, "person", InputField::Person, person)?;
            let p = load_person(tx, &person_id)?;
            let female = p.sex.map(|s| s == Sex::Female);
            // "Already held by X" matters more to an auditor than a format problem, so it is checked first.
            check_identity_free(tx, kind, &digits_of(number))?;
            let number = validate_identity(kind, number, p.dob.map(|d| d.year()), female)?;
            tx.execute(
                "INSERT INTO identity_doc (person_id, kind, number) VALUES (?1, ?2, ?3)",
                params![person_id, kind.as_str(), number],
            )?;
            crate::audit::append(
                tx,
                actor,
                "add_identity",
                "person",
                Some(&person_id),
                &serde_json::json!({ "kind": kind, "number": number }),
            )?;
            Ok(IdentityDoc { kind, number })
        })
    }

    /// Corrects a person's details (identity documents are added, never edited). The date of birth and sex
    /// are checked against the person's citizen numbers again; the birth date cannot change once a claim
    /// was priced with it. The audit log keeps what it was before.
    pub fn update_person(&mut self, id: &str, edit: &PersonEdit, actor: &Actor) -> Result<Person> {
        let actor = actor.name();
        self.write(|tx, _| {
            require_role(tx, actor, RECORDERS)?;
            let id = resolve_id(tx, "person", InputField::Person, id)?;
            let before = load_person(tx, &id)?;
            let full_name = normalize_nfc(&edit.full_name);
            if full_name.is_empty() || full_name.chars().any(|c| c.is_ascii_digit()) {
                return Err(LedgerError::InvalidInput { field: InputField::FullName, message: format!("'{full_name}' không hợp lệ") });
            }
            if edit.dob != before.dob {
                let priced: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM claim WHERE person_id = ?1 AND status <> 'rejected')",
                    [&id],
                    |r| r.get(0),
                )?;
                if priced {
                    return Err(LedgerError::InvalidInput {
                        field: InputField::Dob,
                        message: "người này đã có hồ sơ được tính tiền theo ngày sinh cũ; từ chối hồ sơ đó trước khi sửa".into(),
                    });
                }
            }
            let female = edit.sex.map(|s| s == Sex::Female);
            for doc in &before.ids {
                validate_identity(doc.kind, &doc.number, edit.dob.map(|d| d.year()), female)?;
            }
            let (dob, precision) = dob_columns(edit.dob);
            let phone = checked_phone(edit.phone.as_deref())?;
            let clean = |v: &Option<String>| v.as_deref().map(normalize_nfc).filter(|s| !s.is_empty());
            tx.execute(
                "UPDATE person SET full_name = ?2, name_key = ?3, dob = ?4, dob_precision = ?5, sex = ?6, address = ?7,
                                   residential_group = ?8, ward = coalesce(?9, ward), phone = ?10
                  WHERE id = ?1",
                params![
                    id,
                    full_name,
                    fold(&full_name),
                    dob,
                    precision,
                    edit.sex.map(|s| s.code()),
                    clean(&edit.address),
                    clean(&edit.residential_group),
                    clean(&edit.ward),
                    phone,
                ],
            )?;
            let after = load_person(tx, &id)?;
            crate::audit::append(tx, actor, "update_person", "person", Some(&id), &serde_json::json!({ "before": before, "after": after }))?;
            Ok(after)
        })
    }

    pub fn person(&self, id: &str) -> Result<Person> {
        let id = resolve_id(&self.conn, "person", InputField::Person, id)?;
        load_person(&self.conn, &id)
    }

    /// The person holding this identity number, of whatever kind.
    pub fn person_by_id_number(&self, number: &str) -> Result<Person> {
        let n: String = number.chars().filter(|c| c.is_ascii_digit()).collect();
        let id: Option<String> = self
            .conn
            .query_row(
                "SELECT person_id FROM identity_doc WHERE number = ?1 LIMIT 1",
                [&n],
                |r| r.get(0),
            )
            .optional()?;
        match id {
            Some(id) => load_person(&self.conn, &id),
            None => Err(LedgerError::NotFound {
                what: "người có số giấy tờ".into(),
                id: number.to_string(),
            }),
        }
    }

    /// Instant search: folded name (tone marks, case and đ ignored) or the start of an identity number.
    pub fn search_people(&self, query: &str, limit: usize) -> Result<Vec<Person>> {
        // LIKE's wildcards are not search terms: "%" must not list everyone.
        let q = fold(query).replace(['%', '_', '\\'], "").trim().to_string();
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let digits = q.chars().all(|c| c.is_ascii_digit());
        let ids: Vec<String> = if digits {
            let mut stmt = self.conn.prepare_cached(
                "SELECT DISTINCT person_id FROM identity_doc WHERE number >= ?1 AND number < ?1 || ':' LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![q, limit as i64], |r| r.get(0))?;
            rows.collect::<std::result::Result<_, _>>()?
        } else {
            // Names that start with what was typed come first, in name order, straight off the index: on a
            // 100,000-person ledger the first keystrokes match most names, and sorting them all was the cost.
            let mut stmt = self.conn.prepare_cached(
                "SELECT id FROM person WHERE name_key >= ?1 AND name_key < ?1 || char(1114111) ORDER BY name_key LIMIT ?2",
            )?;
            let mut ids: Vec<String> = stmt
                .query_map(params![q, limit as i64], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?;
            if ids.len() < limit {
                // Then names that contain it elsewhere ("huong" finds "Nguyễn Thị Hương"), stopping at the limit.
                let pattern = format!("%{}%", q.replace(['%', '_'], ""));
                let mut stmt = self.conn.prepare_cached(
                    "SELECT id, name_key FROM person
                      WHERE name_key LIKE ?1 AND NOT (name_key >= ?2 AND name_key < ?2 || char(1114111)) LIMIT ?3",
                )?;
                let mut more: Vec<(String, String)> = stmt
                    .query_map(params![pattern, q, (limit - ids.len()) as i64], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })?
                    .collect::<std::result::Result<_, _>>()?;
                more.sort_by(|a, b| a.1.cmp(&b.1));
                ids.extend(more.into_iter().map(|(id, _)| id));
            }
            ids
        };
        ids.iter().map(|id| load_person(&self.conn, id)).collect()
    }

    pub fn person_detail(&self, id: &str) -> Result<PersonDetail> {
        let person = self.person(id)?;
        let claims = self.claims_of_person(&person.id)?;
        let payouts = self.payouts_of_person(&person.id)?;
        Ok(PersonDetail {
            person,
            claims,
            payouts,
        })
    }

    pub fn add_household(
        &mut self,
        name: &str,
        head: Option<&str>,
        tax_code: Option<&str>,
        address: Option<&str>,
        actor: &Actor,
    ) -> Result<Household> {
        let actor = actor.name();
        self.write(|tx, _| {
            let h = insert_household(tx, name, head, tax_code, address, actor)?;
            crate::audit::append(
                tx,
                actor,
                "add_household",
                "household",
                Some(&h.id),
                &serde_json::to_value(&h).unwrap(),
            )?;
            Ok(h)
        })
    }

    /// Registers a group paid as one unit (an independent preschool group or class).
    pub fn add_group(
        &mut self,
        name: &str,
        kind: &str,
        owner: Option<&str>,
        address: Option<&str>,
        actor: &Actor,
    ) -> Result<String> {
        let actor = actor.name();
        self.write(|tx, _| {
            let id = insert_group(tx, name, kind, owner, address, actor)?;
            crate::audit::append(
                tx,
                actor,
                "add_group",
                "group",
                Some(&id),
                &serde_json::json!({ "name": normalize_nfc(name), "kind": kind }),
            )?;
            Ok(id)
        })
    }
}

/// Validates and inserts a household inside the caller's transaction (shared by the app, the CLI and the demo).
pub(crate) fn insert_household(
    conn: &Connection,
    name: &str,
    head: Option<&str>,
    tax_code: Option<&str>,
    address: Option<&str>,
    actor: &str,
) -> Result<Household> {
    require_office(conn)?;
    require_role(conn, actor, RECORDERS)?;
    let head = head
        .map(|h| resolve_id(conn, "person", InputField::Person, h))
        .transpose()?;
    let name = normalize_nfc(name);
    if name.is_empty() {
        return Err(LedgerError::InvalidInput {
            field: InputField::HouseholdName,
            message: "không được để trống".into(),
        });
    }
    let tax = tax_code
        .filter(|t| !t.trim().is_empty())
        .map(|t| {
            crate::checks::tax_code(t).map_err(|message| LedgerError::InvalidInput {
                field: InputField::TaxCode,
                message,
            })
        })
        .transpose()?;
    let h = Household {
        id: new_id(),
        name,
        head_person_id: head,
        tax_code: tax,
        address: address.map(normalize_nfc),
    };
    conn.execute(
        "INSERT INTO household (id, name, head_person_id, tax_code, address, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![h.id, h.name, h.head_person_id, h.tax_code, h.address, actor, now()],
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(_, Some(ref m)) if m.contains("household.tax_code") => LedgerError::InvalidInput {
            field: InputField::TaxCode,
            message: "đã có hộ kinh doanh khác với mã số thuế này".into(),
        },
        rusqlite::Error::SqliteFailure(_, Some(ref m)) if m.contains("household.head_person_id") => {
            LedgerError::InvalidInput {
                field: InputField::UnitOwner,
                message: "người này đã là chủ một hộ kinh doanh khác trong sổ".into(),
            }
        }
        e => e.into(),
    })?;
    if let Some(head) = &h.head_person_id {
        conn.execute(
            "UPDATE person SET household_id = ?1 WHERE id = ?2",
            params![h.id, head],
        )?;
    }
    Ok(h)
}

/// Validates and inserts a group paid as one unit, inside the caller's transaction.
pub(crate) fn insert_group(
    conn: &Connection,
    name: &str,
    kind: &str,
    owner: Option<&str>,
    address: Option<&str>,
    actor: &str,
) -> Result<String> {
    require_office(conn)?;
    require_role(conn, actor, RECORDERS)?;
    let owner = owner
        .map(|o| resolve_id(conn, "person", InputField::Person, o))
        .transpose()?;
    let name = normalize_nfc(name);
    if name.is_empty() {
        return Err(LedgerError::InvalidInput {
            field: InputField::GroupName,
            message: "không được để trống".into(),
        });
    }
    let id = new_id();
    conn.execute(
        "INSERT INTO unit_group (id, name, name_key, kind, owner_person_id, address, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![id, name, fold(&name), kind, owner, address.map(normalize_nfc), actor, now()],
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(_, Some(ref m)) if m.contains("unit_group") => LedgerError::InvalidInput {
            field: InputField::GroupName,
            message: format!("nhóm '{name}' của chủ nhóm này đã có trong sổ"),
        },
        e => e.into(),
    })?;
    Ok(id)
}

/// Validates and inserts a person inside the caller's transaction (shared by the CLI, UI, demo and import).
/// A phone as typed, checked and stored as digits (`checks::phone`); blank is none.
fn checked_phone(text: Option<&str>) -> Result<Option<String>> {
    text.filter(|p| !p.trim().is_empty())
        .map(|p| {
            crate::checks::phone(p).map_err(|message| LedgerError::InvalidInput {
                field: InputField::Phone,
                message,
            })
        })
        .transpose()
}

pub(crate) fn insert_person(conn: &Connection, new: &NewPerson, actor: &str) -> Result<Person> {
    let office = require_office(conn)?;
    require_role(conn, actor, RECORDERS)?;
    insert_person_in(conn, new, actor, &office.ward, 0)
}

/// As `insert_person`, for a caller that has already checked the office and the actor once for a whole
/// batch, and found the first `known_free` identity numbers unregistered (an import looks each row's
/// number up first): those are not looked up again (the unique index still refuses a taken number).
pub(crate) fn insert_person_in(
    conn: &Connection,
    new: &NewPerson,
    actor: &str,
    office_ward: &str,
    known_free: usize,
) -> Result<Person> {
    let full_name = normalize_nfc(&new.full_name);
    if full_name.is_empty() {
        return Err(LedgerError::InvalidInput {
            field: InputField::FullName,
            message: "không được để trống".into(),
        });
    }
    if full_name.chars().any(|c| c.is_ascii_digit()) {
        return Err(LedgerError::InvalidInput {
            field: InputField::FullName,
            message: format!("'{full_name}' có chữ số"),
        });
    }
    // Letters and spaces (a name may carry an apostrophe, hyphen or dot): never a formula, a symbol or a
    // control character that would print as something else on a posted list.
    if !full_name.starts_with(char::is_alphabetic)
        || !full_name.chars().all(|c| {
            c.is_alphabetic()
                || c == ' '
                || c == '\''
                || c == '-'
                || c == '.'
                || unicode_normalization::char::is_combining_mark(c)
        })
    {
        return Err(LedgerError::InvalidInput {
            field: InputField::FullName,
            message: format!("'{}' có ký tự không phải chữ cái", full_name.escape_debug()),
        });
    }
    if let Some(dob) = new.dob {
        let today = chrono::Utc::now().date_naive();
        if dob.date().is_some_and(|d| d > today) || dob.year() < 1900 {
            return Err(LedgerError::InvalidInput {
                field: InputField::Dob,
                message: format!("{} không hợp lệ", dob.display()),
            });
        }
    }
    let female = new.sex.map(|s| s == Sex::Female);
    let mut ids = Vec::new();
    for doc in new.ids.iter().skip(known_free) {
        check_identity_free(conn, doc.kind, &digits_of(&doc.number))?;
    }
    for doc in &new.ids {
        let number = validate_identity(doc.kind, &doc.number, new.dob.map(|d| d.year()), female)?;
        if ids.iter().any(|d: &IdentityDoc| d.number == number) {
            continue;
        }
        ids.push(IdentityDoc {
            kind: doc.kind,
            number,
        });
    }
    let household_id = new
        .household_id
        .as_deref()
        .map(|h| resolve_id(conn, "household", InputField::Household, h))
        .transpose()?;
    let person = Person {
        id: new_id(),
        full_name,
        dob: new.dob,
        sex: new.sex,
        ids,
        address: new
            .address
            .as_deref()
            .map(normalize_nfc)
            .filter(|s| !s.is_empty()),
        residential_group: new
            .residential_group
            .as_deref()
            .map(normalize_nfc)
            .filter(|s| !s.is_empty()),
        ward: Some(
            new.ward
                .as_deref()
                .map(normalize_nfc)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| office_ward.to_string()),
        ),
        phone: checked_phone(new.phone.as_deref())?,
        household_id,
    };
    let (dob, precision) = dob_columns(person.dob);
    conn.prepare_cached(
        "INSERT INTO person (id, full_name, name_key, dob, dob_precision, sex, address, residential_group, ward, phone,
                             household_id, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        person.id,
        person.full_name,
        fold(&person.full_name),
        dob,
        precision,
        person.sex.map(|s| s.code()),
        person.address,
        person.residential_group,
        person.ward,
        person.phone,
        person.household_id,
        actor,
        now()
    ])?;
    let mut stmt = conn
        .prepare_cached("INSERT INTO identity_doc (person_id, kind, number) VALUES (?1, ?2, ?3)")?;
    for d in &person.ids {
        stmt.execute(params![person.id, d.kind.as_str(), d.number])?;
    }
    Ok(person)
}

/// How a date of birth is stored: an ISO date plus its precision (a year alone is kept as 1 January, marked).
fn dob_columns(dob: Option<Dob>) -> (Option<String>, &'static str) {
    match dob {
        Some(Dob::Day(d)) => (Some(d.to_string()), "day"),
        Some(Dob::Year(y)) => (Some(format!("{y:04}-01-01")), "year"),
        None => (None, "unknown"),
    }
}

fn digits_of(number: &str) -> String {
    number.chars().filter(|c| c.is_ascii_digit()).collect()
}

fn check_identity_free(conn: &Connection, kind: IdKind, number: &str) -> Result<()> {
    // The same rule as the schema's `identity_doc.space`: a 12-digit CMND is a citizen number.
    let space = match kind {
        IdKind::Cccd | IdKind::PersonalId => "citizen",
        IdKind::Cmnd if number.len() == 12 => "citizen",
        other => other.as_str(),
    };
    let owner: Option<String> = conn
        .prepare_cached(
            "SELECT p.full_name FROM identity_doc d JOIN person p ON p.id = d.person_id WHERE d.space = ?1 AND d.number = ?2",
        )?
        .query_row(params![space, number], |r| r.get(0))
        .optional()?;
    match owner {
        Some(owner) => Err(LedgerError::IdentityTaken {
            number: number.to_string(),
            owner,
        }),
        None => Ok(()),
    }
}

pub(crate) fn load_person(conn: &Connection, id: &str) -> Result<Person> {
    let mut person = conn
        .prepare_cached(
            "SELECT id, full_name, dob, dob_precision, sex, address, residential_group, ward, phone, household_id
               FROM person WHERE id = ?1",
        )?
        .query_row([id], |r| {
            let dob: Option<String> = r.get(2)?;
            let precision: String = r.get(3)?;
            let sex: Option<String> = r.get(4)?;
            Ok(Person {
                id: r.get(0)?,
                full_name: r.get(1)?,
                dob: dob.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()).map(|d| {
                    if precision == "year" {
                        Dob::Year(d.year())
                    } else {
                        Dob::Day(d)
                    }
                }),
                sex: sex.map(|s| if s == "F" { Sex::Female } else { Sex::Male }),
                ids: Vec::new(),
                address: r.get(5)?,
                residential_group: r.get(6)?,
                ward: r.get(7)?,
                phone: r.get(8)?,
                household_id: r.get(9)?,
            })
        })
        .optional()?
        .ok_or_else(|| LedgerError::NotFound { what: "người".into(), id: id.to_string() })?;
    let mut stmt = conn.prepare_cached(
        "SELECT kind, number FROM identity_doc WHERE person_id = ?1 ORDER BY kind",
    )?;
    let docs = stmt.query_map([id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for doc in docs {
        let (kind, number) = doc?;
        person.ids.push(IdentityDoc {
            kind: IdKind::parse(&kind)?,
            number,
        });
    }
    Ok(person)
}
