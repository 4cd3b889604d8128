//! The office that keeps the ledger (ward, district, city) and its operators with their roles.

use super::{now, Ledger};
use crate::error::{LedgerError, Result};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Office {
    pub ward: String,
    pub district: String,
    pub city: String,
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
    /// The role as the office names it.
    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Officer => "cán bộ",
            Role::Accountant => "kế toán",
            Role::Approver => "lãnh đạo phê duyệt",
            Role::Auditor => "kiểm toán",
            Role::Admin => "quản trị",
        }
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
                    field: "vai trò".into(),
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
}

impl Ledger {
    /// Sets up a new office ledger; the first operator becomes its admin.
    pub fn init_office(&mut self, office: &Office, first_operator: &str) -> Result<()> {
        let pack = self.pack.clone();
        let text = self.pack_text.clone();
        self.write(|tx, _| {
            for (field, v) in [("phường/xã", &office.ward), ("quận/huyện", &office.district), ("tỉnh/thành phố", &office.city)] {
                if v.trim().is_empty() {
                    return Err(LedgerError::InvalidInput { field: field.into(), message: "không được để trống".into() });
                }
            }
            let exists: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM office)", [], |r| r.get(0))?;
            if exists {
                return Err(LedgerError::InvalidInput { field: "sổ".into(), message: "sổ này đã được khởi tạo".into() });
            }
            tx.execute(
                "INSERT INTO office (id, ward, district, city, created_at) VALUES (1, ?1, ?2, ?3, ?4)",
                params![office.ward.trim(), office.district.trim(), office.city.trim(), now()],
            )?;
            upsert_operator(tx, first_operator, Role::Admin)?;
            Ledger::register_pack(tx, &pack, &text)?;
            crate::audit::append(tx, first_operator, "init", "office", None, &serde_json::to_value(office).unwrap())
        })
    }

    pub fn office(&self) -> Result<Office> {
        require_office(&self.conn)
    }

    /// Adds an operator or changes their role. Only an admin may, and never for themself: otherwise anyone
    /// could make themself an approver and approve their own list.
    pub fn set_operator(&mut self, name: &str, role: Role, actor: &str) -> Result<()> {
        self.write(|tx, _| {
            require_role(tx, actor, &[Role::Admin])?;
            if name.trim() == actor.trim() {
                return Err(LedgerError::InvalidInput {
                    field: "người dùng".into(),
                    message: "không thể tự đổi vai trò của chính mình; nhờ quản trị viên khác"
                        .into(),
                });
            }
            upsert_operator(tx, name, role)?;
            crate::audit::append(
                tx,
                actor,
                "set_operator",
                "operator",
                Some(name),
                &serde_json::json!({ "role": role }),
            )
        })
    }

    pub fn operators(&self) -> Result<Vec<Operator>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, role FROM operator ORDER BY name")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (name, role) = row?;
            out.push(Operator {
                name,
                role: Role::parse(&role)?,
            });
        }
        Ok(out)
    }
}

fn upsert_operator(conn: &Connection, name: &str, role: Role) -> Result<()> {
    if name.trim().is_empty() {
        return Err(LedgerError::InvalidInput {
            field: "người dùng".into(),
            message: "cần tên người thao tác".into(),
        });
    }
    let key = crate::identity::fold(name);
    let same: Option<String> = conn
        .query_row(
            "SELECT name FROM operator WHERE name_key = ?1 AND name <> ?2",
            params![key, name.trim()],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(existing) = same {
        return Err(LedgerError::InvalidInput {
            field: "người dùng".into(),
            message: format!("'{}' trùng với người thao tác đã có '{existing}'; hãy chọn đúng tên trong danh sách", name.trim()),
        });
    }
    conn.execute(
        "INSERT INTO operator (name, name_key, role, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (name) DO UPDATE SET role = excluded.role",
        params![name.trim(), key, role.as_str(), now()],
    )?;
    Ok(())
}

/// The operator's role, registering an unknown name as an officer (the shared office PC has no login yet).
pub(crate) fn role_of(conn: &Connection, name: &str) -> Result<Role> {
    let role: Option<String> = conn
        .prepare_cached("SELECT role FROM operator WHERE name = ?1")?
        .query_row([name.trim()], |r| r.get(0))
        .optional()?;
    match role {
        Some(r) => Role::parse(&r),
        None => {
            upsert_operator(conn, name, Role::Officer)?;
            Ok(Role::Officer)
        }
    }
}

/// The operator's role, refused unless it is one of `allowed`.
pub(crate) fn require_role(conn: &Connection, name: &str, allowed: &[Role]) -> Result<Role> {
    let role = role_of(conn, name)?;
    if allowed.contains(&role) {
        Ok(role)
    } else {
        Err(LedgerError::RoleRequired {
            needed: allowed
                .iter()
                .map(|r| r.label_vi())
                .collect::<Vec<_>>()
                .join(" hoặc "),
            operator: name.trim().to_string(),
            role: role.label_vi().to_string(),
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
