//! Read-only queries the desktop app's screens need (pages of people and list lines, likely duplicates,
//! claims waiting for a list); parameterised SQL over the same tables and `claim_state` view as the rest.

use super::people::load_person;
use super::{resolve_id, Ledger, ListItem, Person};
use crate::error::Result;
use crate::fields::InputField;
use crate::identity::fold;
use crate::money::Money;
use rusqlite::params;
use serde::Serialize;

/// One page of the registry, in name order.
#[derive(Debug, Clone, Serialize)]
pub struct PeoplePage {
    pub total: i64,
    pub offset: i64,
    pub people: Vec<Person>,
}

/// One page of a list's lines (same order as `list_items`), with the list's totals.
#[derive(Debug, Clone, Serialize)]
pub struct ListPage {
    pub total: i64,
    pub offset: i64,
    pub amount: Money,
    pub paid: i64,
    /// What paying the whole list now would pay: the approved, unpaid claims and their total (what the
    /// payout screen asks about before paying them all).
    pub due: i64,
    pub due_amount: Money,
    pub items: Vec<ListItem>,
}

/// Claims received but not yet on any list, per policy: what "build a list" would pick up.
#[derive(Debug, Clone, Serialize)]
pub struct UnlistedRow {
    pub policy: String,
    pub count: i64,
    pub total: Money,
}

/// A recently recorded claim, as the claims screen lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimRow {
    pub id: String,
    pub policy: String,
    pub name: String,
    pub person_id: Option<String>,
    pub amount: Money,
    pub state: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

impl Ledger {
    /// How many people the registry holds.
    pub fn people_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM person", [], |r| r.get(0))?)
    }

    /// People in name order, `limit` from `offset` (the registry screen with an empty search box).
    pub fn people_page(&self, offset: i64, limit: i64) -> Result<PeoplePage> {
        let total = self.people_count()?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM person ORDER BY name_key, id LIMIT ?1 OFFSET ?2")?;
        let ids: Vec<String> = stmt
            .query_map(params![limit.clamp(1, 1000), offset.max(0)], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        let people = ids
            .iter()
            .map(|id| load_person(&self.conn, id))
            .collect::<Result<_>>()?;
        Ok(PeoplePage {
            total,
            offset: offset.max(0),
            people,
        })
    }

    /// Other people whose name folds to the same key as `name` (tone marks, case and spacing ignored):
    /// the first thing to look at before registering or paying someone who may already be in the ledger.
    pub fn people_with_same_name(
        &self,
        name: &str,
        except: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Person>> {
        let key = fold(name);
        if key.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM person WHERE name_key = ?1 AND id <> ?2 ORDER BY created_at LIMIT ?3",
        )?;
        let ids: Vec<String> = stmt
            .query_map(
                params![key, except.unwrap_or(""), limit.clamp(1, 100)],
                |r| r.get(0),
            )?
            .collect::<std::result::Result<_, _>>()?;
        ids.iter().map(|id| load_person(&self.conn, id)).collect()
    }

    /// Count and total of the claims not rejected and not yet on a list, per policy.
    pub fn unlisted_claims(&self) -> Result<Vec<UnlistedRow>> {
        let mut stmt = self.conn.prepare_cached(
            // Read off `claim_waiting` with one probe per claim: the lists screen asks for this on every
            // visit, and deriving every claim's full state made it the slowest thing on a large ledger.
            "SELECT c.policy_code, count(*),
                    coalesce(sum(coalesce((SELECT o.amount FROM amount_override o WHERE o.claim_id = c.id
                                            ORDER BY o.seq DESC LIMIT 1), c.rule_amount)), 0)
               FROM claim c
              WHERE c.status <> 'rejected' AND NOT EXISTS (SELECT 1 FROM list_item li WHERE li.claim_id = c.id)
              GROUP BY c.policy_code ORDER BY c.policy_code",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(UnlistedRow {
                policy: r.get(0)?,
                count: r.get(1)?,
                total: Money::from_dong(r.get(2)?),
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The most recently recorded claims, newest first.
    pub fn recent_claims(&self, limit: i64) -> Result<Vec<ClaimRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.policy_code, coalesce(p.full_name, h.name, g.name), c.person_id, c.amount, c.state,
                    c.recorded_by, c.recorded_at
               FROM claim_state c
               LEFT JOIN person p ON c.unit = 'person' AND p.id = c.person_id
               LEFT JOIN household h ON h.id = c.household_id
               LEFT JOIN unit_group g ON g.id = c.group_id
              ORDER BY c.recorded_at DESC, c.id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit.clamp(1, 1000)], |r| {
            Ok(ClaimRow {
                id: r.get(0)?,
                policy: r.get(1)?,
                name: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                person_id: r.get(3)?,
                amount: Money::from_dong(r.get(4)?),
                state: r.get(5)?,
                recorded_by: r.get(6)?,
                recorded_at: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// One page of a list's lines, in the order of `list_items` (residential group, then name), so a
    /// 10,000-line list opens without sending every line to the screen.
    pub fn list_page(&self, list: &str, offset: i64, limit: i64) -> Result<ListPage> {
        let id = resolve_id(&self.conn, "claim_list", InputField::List, list)?;
        let summary = self.list(&id)?;
        let items = super::lists::list_lines(&self.conn, &id, limit.clamp(1, 1000), offset.max(0))?;
        let (due, due_amount): (i64, i64) = self.conn.query_row(
            "SELECT count(*), coalesce(sum(amount), 0) FROM claim_state WHERE list_id = ?1 AND state = 'approved'",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(ListPage {
            total: summary.claims,
            offset: offset.max(0),
            amount: summary.total,
            paid: summary.paid,
            due,
            due_amount: Money::from_dong(due_amount),
            items,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{Actor, Office, Role};

    /// The ledger with its admin "An" signed in (and an approver, "Bình").
    fn ledger() -> (tempfile::TempDir, Ledger, Actor) {
        const PW: &str = "mat-khau-1";
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
        let an = l
            .init_office(
                &Office {
                    ward: "Giang Biên".into(),
                    district: "Long Biên".into(),
                    city: "Hà Nội".into(),
                },
                "An",
                PW,
            )
            .unwrap();
        l.add_operator("Bình", Role::Approver, PW, &an).unwrap();
        (dir, l, an)
    }

    #[test]
    fn pages_and_same_name_and_unlisted() {
        let (_d, mut l, an) = ledger();
        crate::demo::generate(
            &mut l,
            &crate::demo::DemoSpec {
                people: 120,
                wards: 1,
                seed: 7,
            },
            &an,
        )
        .unwrap();
        let page = l.people_page(100, 100).unwrap();
        assert_eq!(page.total, 120);
        assert_eq!(page.people.len(), 20);
        let first = &l.people_page(0, 1).unwrap().people[0];
        let twins = l
            .people_with_same_name(&fold(&first.full_name), None, 10)
            .unwrap();
        assert!(twins.iter().any(|p| p.id == first.id));
        assert!(l
            .people_with_same_name(&first.full_name, Some(&first.id), 10)
            .unwrap()
            .iter()
            .all(|p| p.id != first.id));
        let unlisted: i64 = l.unlisted_claims().unwrap().iter().map(|r| r.count).sum();
        assert!(unlisted > 0);
        assert!(!l.recent_claims(5).unwrap().is_empty());
        let list = l.create_list("Đợt 1", &[], &[], &an).unwrap();
        assert!(l.unlisted_claims().unwrap().is_empty());
        let page = l.list_page(&list.id, 0, 10).unwrap();
        assert_eq!(page.total, list.claims);
        assert_eq!(page.amount, list.total);
        let all = l.list_items(&list.id).unwrap();
        let ids: Vec<_> = page.items.iter().map(|i| &i.claim_id).collect();
        let first_ten: Vec<_> = all.iter().take(10).map(|i| &i.claim_id).collect();
        assert_eq!(ids, first_ten);
    }
}

/// A household or group as the UI's pickers show it: name, the person who heads or owns it, tax code
/// (households) and address.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRow {
    pub id: String,
    /// "household" or "group".
    pub unit: String,
    pub name: String,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub tax_code: Option<String>,
    pub address: Option<String>,
}

impl Ledger {
    /// Households (`unit = "household"`) or groups (`"group"`) whose name, owner's name or tax code
    /// contains `query` (tone marks and case ignored), newest first; all of them when `query` is empty.
    pub fn find_units(&self, unit: &str, query: &str, limit: usize) -> Result<Vec<UnitRow>> {
        let sql = match unit {
            "household" => {
                "SELECT h.id, h.name, h.head_person_id, p.full_name, h.tax_code, h.address
                   FROM household h LEFT JOIN person p ON p.id = h.head_person_id
                  ORDER BY h.created_at DESC, h.id"
            }
            "group" => {
                "SELECT g.id, g.name, g.owner_person_id, p.full_name, NULL, g.address
                   FROM unit_group g LEFT JOIN person p ON p.id = g.owner_person_id
                  ORDER BY g.created_at DESC, g.id"
            }
            other => {
                return Err(crate::error::LedgerError::InvalidInput {
                    field: InputField::UnitKind,
                    message: format!("'{other}' không phải hộ hay nhóm"),
                })
            }
        };
        let q = fold(query);
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([], |r| {
            Ok(UnitRow {
                id: r.get(0)?,
                unit: unit.to_string(),
                name: r.get(1)?,
                owner_id: r.get(2)?,
                owner_name: r.get(3)?,
                tax_code: r.get(4)?,
                address: r.get(5)?,
            })
        })?;
        let mut out = Vec::new();
        for row in rows {
            let row = row?;
            let hit = q.is_empty()
                || fold(&row.name).contains(&q)
                || row
                    .owner_name
                    .as_deref()
                    .is_some_and(|n| fold(n).contains(&q))
                || row.tax_code.as_deref().is_some_and(|t| t.starts_with(&q));
            if hit {
                out.push(row);
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }
}
