//! The office that keeps the ledger (ward, district, city) and its operators with their roles.

use super::sign_in::Actor;
use super::{now, Ledger};
use crate::error::{LedgerError, Result};
use crate::fields::InputField;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Office {
    pub ward: String,
    pub district: String,
    pub city: String,
}

/// The words that name a ward-level or district-level unit, folded. A name typed with the usual one
/// ("Phường Giang Biên", "P. Giang Biên", "Quận Long Biên") is stored without it, since every heading adds
/// it; a name with another ("Xã Đông Dư", "Huyện Gia Lâm") keeps it and is printed as typed.
const WARD_WORD: (&str, &str) = ("phuong", "p.");
const OTHER_WARD_WORDS: &[&str] = &["xa", "thi tran"];
const DISTRICT_WORD: (&str, &str) = ("quan", "q.");
const OTHER_DISTRICT_WORDS: &[&str] = &["huyen", "thi xa", "thanh pho", "tp."];

/// `name` (NFC, single spaces) without a leading `word` or its abbreviation, and whether it begins instead
/// with one of `others` (then kept whole).
fn unit_name(name: &str, (word, short): (&str, &str), others: &[&str]) -> (String, bool) {
    let words: Vec<String> = crate::identity::normalize_nfc(name)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let Some(first) = words.first() else {
        return (String::new(), false);
    };
    let folded = crate::identity::fold(first);
    if folded == word || folded == short {
        return (words[1..].join(" "), false);
    }
    // "P.Giang Biên": the abbreviation's dot, then the name.
    if let Some(rest) = folded.strip_prefix(short).filter(|r| !r.is_empty()) {
        let cut = first.chars().count() - rest.chars().count();
        let mut out = vec![first.chars().skip(cut).collect::<String>()];
        out.extend(words[1..].iter().cloned());
        return (out.join(" "), false);
    }
    let all = crate::identity::fold(&words.join(" "));
    let other = others.iter().any(|o| {
        all == *o || all.starts_with(&format!("{o} ")) || (o.ends_with('.') && all.starts_with(o))
    });
    (words.join(" "), other)
}

impl Office {
    /// The names as stored: NFC, trimmed, single spaces, and a ward typed "Phường …" or a district typed
    /// "Quận …" without that word (the printed heading adds it: "Phường Phường Giang Biên" never appears).
    pub fn normalised(&self) -> Office {
        Office {
            ward: unit_name(&self.ward, WARD_WORD, OTHER_WARD_WORDS).0,
            district: unit_name(&self.district, DISTRICT_WORD, OTHER_DISTRICT_WORDS).0,
            city: crate::identity::normalize_nfc(&self.city)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// "Phường Giang Biên" (or "Xã Đông Dư" as stored).
    pub fn ward_title(&self) -> String {
        match unit_name(&self.ward, WARD_WORD, OTHER_WARD_WORDS) {
            (name, true) => name,
            (name, false) => format!("Phường {name}"),
        }
    }

    /// "Quận Long Biên" (or "Huyện Gia Lâm" as stored).
    pub fn district_title(&self) -> String {
        match unit_name(&self.district, DISTRICT_WORD, OTHER_DISTRICT_WORDS) {
            (name, true) => name,
            (name, false) => format!("Quận {name}"),
        }
    }

    /// The office's names exactly as the screens and every printed sheet show them.
    pub fn names(&self) -> OfficeNames {
        let office = self.normalised();
        let ward = office.ward_title();
        let district = office.district_title();
        OfficeNames {
            line: format!("{ward} · {district} · {}", office.city),
            heading: [
                format!("UBND {}", district.to_uppercase()),
                format!("UBND {}", ward.to_uppercase()),
            ],
            ward_title: ward,
            district_title: district,
            office,
        }
    }
}

/// How an office's names come out: the line on the screens' header and the two heading lines of every
/// printed list and sheet, from the names as they will be stored.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OfficeNames {
    pub office: Office,
    pub ward_title: String,
    pub district_title: String,
    /// "Phường Giang Biên · Quận Long Biên · Hà Nội".
    pub line: String,
    /// ["UBND QUẬN LONG BIÊN", "UBND PHƯỜNG GIANG BIÊN"].
    pub heading: [String; 2],
}

/// What an operator may do. Only approvers and admins may set an amount by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Officer,
    Accountant,
    Approver,
    Auditor,
    Admin,
}

impl Role {
    /// The role as the office names it (what the app shows beside the operator's name).
    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Officer => "Cán bộ LĐ-TB&XH",
            Role::Accountant => "Kế toán",
            Role::Approver => "Lãnh đạo phê duyệt",
            Role::Auditor => "Thanh tra, kiểm toán",
            Role::Admin => "Quản trị",
        }
    }

    /// Every role, in the order the app lists them.
    pub const ALL: [Role; 5] = [
        Role::Officer,
        Role::Accountant,
        Role::Approver,
        Role::Auditor,
        Role::Admin,
    ];

    /// The label inside a sentence: "cần vai trò cán bộ LĐ-TB&XH hoặc quản trị".
    pub fn label_in_sentence_vi(self) -> String {
        let label = self.label_vi();
        let mut chars = label.chars();
        chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Accountant => "accountant",
            Role::Approver => "approver",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Result<Role> {
        Ok(match text.trim() {
            "officer" => Role::Officer,
            "accountant" => Role::Accountant,
            "approver" => Role::Approver,
            "auditor" => Role::Auditor,
            "admin" => Role::Admin,
            other => {
                return Err(LedgerError::InvalidInput {
                    field: InputField::Role,
                    message: format!(
                        "'{other}' không phải officer, accountant, approver, auditor hay admin"
                    ),
                })
            }
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Operator {
    pub name: String,
    pub role: Role,
    /// False for an operator of a ledger made before sign-in, until an admin sets their password.
    pub has_password: bool,
    /// Locked after repeated failed sign-ins (until this time, Vietnam time as shown).
    pub locked_until: Option<String>,
}

impl Ledger {
    /// Sets up a new office ledger; the first operator becomes its admin, with the password or PIN given, and
    /// is signed in.
    pub fn init_office(
        &mut self,
        office: &Office,
        first_operator: &str,
        secret: &str,
    ) -> Result<Actor> {
        let pack = self.pack.clone();
        let text = self.pack_text.clone();
        let name = normalise_operator_name(first_operator)?;
        let hash = super::sign_in::hash_secret(secret)?;
        let office = &office.normalised();
        self.write(|tx, _| {
            require_names(office)?;
            let exists: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM office)", [], |r| r.get(0))?;
            if exists {
                return Err(LedgerError::InvalidInput { field: InputField::Ledger, message: "sổ này đã được khởi tạo".into() });
            }
            tx.execute(
                "INSERT INTO office (id, ward, district, city, created_at) VALUES (1, ?1, ?2, ?3, ?4)",
                params![office.ward, office.district, office.city, now()],
            )?;
            upsert_operator(tx, &name, Role::Admin)?;
            tx.execute("UPDATE operator SET secret = ?2 WHERE name = ?1", params![name, hash])?;
            Ledger::register_pack(tx, &pack, &text)?;
            crate::audit::append(tx, &name, "init", "office", None, &serde_json::json!({
                "office": office, "admin": name,
            }))?;
            Ok(Actor::new(name.clone(), Role::Admin))
        })
    }

    pub fn office(&self) -> Result<Office> {
        require_office(&self.conn)
    }

    /// True until the first list is approved: a decision names the office, and what was printed under it
    /// stands (the schema refuses a later change too).
    pub fn office_correctable(&self) -> Result<bool> {
        Ok(!self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM approval)", [], |r| {
                r.get::<_, bool>(0)
            })?)
    }

    /// An admin corrects the office's names (a ward typed with "Phường", a misspelt district) until the first
    /// list is approved; the audit log keeps the names before and after.
    pub fn correct_office(&mut self, office: &Office, actor: &Actor) -> Result<Office> {
        let office = office.normalised();
        self.write(|tx, _| {
            require_role(tx, actor.name(), &[Role::Admin])?;
            require_names(&office)?;
            let before = require_office(tx)?;
            let decided: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM approval)", [], |r| r.get(0))?;
            if decided {
                return Err(LedgerError::OfficeLocked);
            }
            tx.execute(
                "UPDATE office SET ward = ?1, district = ?2, city = ?3 WHERE id = 1",
                params![office.ward, office.district, office.city],
            )?;
            crate::audit::append(
                tx,
                actor.name(),
                "correct_office",
                "office",
                None,
                &serde_json::json!({ "before": before, "office": office }),
            )?;
            Ok(office.clone())
        })
    }

    /// Changes an operator's role. Only an admin may, and never for themself: otherwise anyone could make
    /// themself an approver and approve their own list.
    pub fn set_operator(&mut self, name: &str, role: Role, actor: &Actor) -> Result<()> {
        self.write(|tx, _| {
            require_role(tx, actor.name(), &[Role::Admin])?;
            let target = operator_named(tx, name)?;
            if target == actor.name() {
                return Err(LedgerError::InvalidInput {
                    field: InputField::Operator,
                    message: "không thể tự đổi vai trò của chính mình; nhờ quản trị viên khác"
                        .into(),
                });
            }
            let before: String = tx.query_row(
                "SELECT role FROM operator WHERE name = ?1",
                [&target],
                |r| r.get(0),
            )?;
            tx.execute(
                "UPDATE operator SET role = ?2 WHERE name = ?1",
                params![target, role.as_str()],
            )?;
            crate::audit::append(
                tx,
                actor.name(),
                "set_operator",
                "operator",
                Some(&target),
                &serde_json::json!({ "role": role, "before": before }),
            )
        })
    }

    pub fn operators(&self) -> Result<Vec<Operator>> {
        let mut stmt = self.conn.prepare(
            "SELECT name, role, secret IS NOT NULL, locked_until FROM operator ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        let at = now();
        for row in rows {
            let (name, role, has_password, locked_until) = row?;
            out.push(Operator {
                name,
                role: Role::parse(&role)?,
                has_password,
                locked_until: locked_until
                    .filter(|u| u.as_str() > at.as_str())
                    .map(|u| crate::dates::format_time_vi(&u)),
            });
        }
        Ok(out)
    }
}

/// Each of the office's names is given.
fn require_names(office: &Office) -> Result<()> {
    for (field, v) in [
        (InputField::Ward, &office.ward),
        (InputField::District, &office.district),
        (InputField::City, &office.city),
    ] {
        if v.trim().is_empty() {
            return Err(LedgerError::InvalidInput {
                field,
                message: "không được để trống".into(),
            });
        }
    }
    Ok(())
}

/// An operator's name as stored: NFC, trimmed, inner spaces single. Refused when empty.
pub(crate) fn normalise_operator_name(name: &str) -> Result<String> {
    let name = crate::identity::normalize_nfc(name)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() {
        return Err(LedgerError::InvalidInput {
            field: InputField::Operator,
            message: "cần tên người thao tác".into(),
        });
    }
    Ok(name)
}

/// Registers a new operator (the name already normalised); a look-alike of an existing name is refused.
pub(super) fn upsert_operator(conn: &Connection, name: &str, role: Role) -> Result<()> {
    let name = normalise_operator_name(name)?;
    let key = crate::identity::fold(&name);
    let same: Option<String> = conn
        .query_row(
            "SELECT name FROM operator WHERE name_key = ?1",
            params![key],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(existing) = same {
        return Err(LedgerError::InvalidInput {
            field: InputField::Operator,
            message: format!("'{name}' trùng với người thao tác đã có '{existing}'; hãy chọn đúng tên trong danh sách"),
        });
    }
    conn.execute(
        "INSERT INTO operator (name, name_key, role, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![name, key, role.as_str(), now()],
    )?;
    Ok(())
}

/// The stored name of the operator typed as `name` (with or without tone marks).
pub(super) fn operator_named(conn: &Connection, name: &str) -> Result<String> {
    conn.query_row(
        "SELECT name FROM operator WHERE name_key = ?1",
        [crate::identity::fold(name)],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| LedgerError::NotFound {
        what: "người dùng".into(),
        id: name.trim().to_string(),
    })
}

/// The operator's current role in the ledger. Actors come from a sign-in, so an unknown name is a ledger
/// edited behind the core's back (or an operator who no longer exists): refused, never registered.
pub(crate) fn role_of(conn: &Connection, name: &str) -> Result<Role> {
    let role: Option<String> = conn
        .prepare_cached("SELECT role FROM operator WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?;
    match role {
        Some(r) => Role::parse(&r),
        None => Err(LedgerError::SignInRequired),
    }
}

/// Who records people, households, groups, claims and lists, posts lists and imports ward files.
pub(crate) const RECORDERS: &[Role] = &[Role::Officer, Role::Admin];
/// Who hands out money (cash or transfer): never an approver or an auditor, so no one both decides and pays.
pub(crate) const PAYERS: &[Role] = &[Role::Officer, Role::Accountant, Role::Admin];
/// Who decides: approves lists, sets amounts by hand, reverses payouts.
pub(crate) const DECIDERS: &[Role] = &[Role::Approver, Role::Admin];
/// Who may refuse a claim at intake: the officer who checks it, or the approver who decides.
pub(crate) const REJECTERS: &[Role] = &[Role::Officer, Role::Approver, Role::Admin];

/// The operator's role, refused unless it is one of `allowed`.
pub(crate) fn require_role(conn: &Connection, name: &str, allowed: &[Role]) -> Result<Role> {
    let role = role_of(conn, name)?;
    if allowed.contains(&role) {
        Ok(role)
    } else {
        Err(LedgerError::RoleRequired {
            needed: allowed
                .iter()
                .map(|r| r.label_in_sentence_vi())
                .collect::<Vec<_>>()
                .join(" hoặc "),
            operator: name.trim().to_string(),
            role: role.label_in_sentence_vi(),
        })
    }
}

/// Fails unless the office was set up.
pub(crate) fn require_office(conn: &Connection) -> Result<Office> {
    conn.prepare_cached("SELECT ward, district, city FROM office WHERE id = 1")?
        .query_row([], |r| {
            Ok(Office {
                ward: r.get(0)?,
                district: r.get(1)?,
                city: r.get(2)?,
            })
        })
        .optional()?
        .ok_or(LedgerError::NotInitialised)
}
