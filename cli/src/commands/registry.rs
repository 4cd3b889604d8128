//! The registry: people, households and groups.

use super::Ctx;
use crate::args::*;
use crate::render::out;
use crate::Outcome;
use relief_ledger::identity::{IdKind, IdentityDoc};
use relief_ledger::ledger::{state_label_vi, Actor, Dob, NewPerson, Sex};
use relief_ledger::{Ledger, LedgerError};

/// Registers a household business.
pub fn add_household(
    c: &mut Ctx,
    name: String,
    head: Option<String>,
    tax_code: Option<String>,
    address: Option<String>,
) -> Result<Outcome, LedgerError> {
    let json = c.json;
    let ledger = &mut *c.ledger;
    let actor = c.actor;
    let h = ledger.add_household(
        &name,
        head.as_deref(),
        tax_code.as_deref(),
        address.as_deref(),
        actor,
    )?;
    out(json, &h, || format!("Đã thêm hộ {} ({})", h.name, h.id));
    Ok(Outcome::Done)
}

/// Registers a preschool group or class.
pub fn add_group(
    c: &mut Ctx,
    name: String,
    kind: String,
    owner: Option<String>,
    address: Option<String>,
) -> Result<Outcome, LedgerError> {
    let json = c.json;
    let ledger = &mut *c.ledger;
    let actor = c.actor;
    let id = ledger.add_group(&name, &kind, owner.as_deref(), address.as_deref(), actor)?;
    out(json, &serde_json::json!({ "id": id, "name": name }), || {
        format!("Đã thêm nhóm {name} ({id})")
    });
    Ok(Outcome::Done)
}

/// The `person` subcommands.
pub fn person(c: &mut Ctx, cmd: PersonCmd) -> Result<Outcome, LedgerError> {
    person_cmd(c.json, c.ledger, cmd, c.actor)?;
    Ok(Outcome::Done)
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
