//! Lists (đợt): claims grouped for public posting, approval by decision, and payment.

use super::office::{require_office, require_role, RECORDERS};
use super::Role;
use super::{new_id, now, resolve_id, Ledger};
use crate::dates::DatedEvent;
use crate::error::{LedgerError, Result};
use crate::fields::InputField;
use crate::ledger::Actor;
use crate::money::Money;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct ListSummary {
    pub id: String,
    pub name: String,
    pub created_by: String,
    pub created_at: String,
    pub posted_at: Option<String>,
    /// The day the list was posted publicly, as entered (`yyyy-mm-dd`); none for a list posted before the
    /// ledger kept it (schema 5).
    pub posted_on: Option<String>,
    pub decision_no: Option<String>,
    pub decision_date: Option<String>,
    pub approved_by: Option<String>,
    pub claims: i64,
    pub total: Money,
    pub paid: i64,
}

/// One line of a list, as posted publicly or printed for signatures.
#[derive(Debug, Clone, Serialize)]
pub struct ListItem {
    pub claim_id: String,
    pub policy: String,
    pub name: String,
    pub id_number: Option<String>,
    pub residential_group: Option<String>,
    pub amount: Money,
    pub status: String,
    pub payout_id: Option<String>,
    /// The parts of the amount resting on a rate, threshold or condition not confirmed by a legal text
    /// ("Từ 01 tháng (30 ngày) trở lên: CHƯA XÁC NHẬN"), or a check not done for want of its input: what the
    /// approver, the posting list and the payout sheet show beside the amount. Empty when all confirmed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unconfirmed: Vec<String>,
}

impl Ledger {
    /// Builds a list from the received claims not yet on any list, of the given policies (all when empty),
    /// plus any claims named explicitly.
    pub fn create_list(
        &mut self,
        name: &str,
        policies: &[String],
        claim_ids: &[String],
        actor: &Actor,
    ) -> Result<ListSummary> {
        let actor = actor.name();
        let id = self.write_bulk(|tx, pack| {
            require_office(tx)?;
            require_role(tx, actor, RECORDERS)?;
            if name.trim().is_empty() {
                return Err(LedgerError::InvalidInput {
                    field: InputField::ListName,
                    message: "không được để trống".into(),
                });
            }
            for p in policies {
                pack.policy(p)?;
            }
            let id = new_id();
            tx.execute(
                "INSERT INTO claim_list (id, name, created_by, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![id, crate::identity::normalize_nfc(name), actor, now()],
            )?;
            // Either every waiting claim (of the given policies), or exactly the claims named; numbered in
            // posting order (residential group, then name) as they go in.
            let mut named = Vec::new();
            for c in claim_ids {
                let cid = resolve_id(tx, "claim", InputField::Claim, c)?;
                let (status, listed): (String, bool) = tx.query_row(
                    "SELECT state, list_id IS NOT NULL FROM claim_state WHERE id = ?1",
                    [&cid],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                if listed {
                    return Err(LedgerError::InvalidInput {
                        field: InputField::Claim,
                        message: format!("hồ sơ {cid} đã thuộc một danh sách khác"),
                    });
                }
                if !matches!(status.as_str(), "received" | "verified") {
                    return Err(LedgerError::InvalidInput {
                        field: InputField::Claim,
                        message: format!("hồ sơ {cid} đang ở trạng thái {status}"),
                    });
                }
                named.push(cid);
            }
            let filter = serde_json::to_string(policies).expect("strings serialise");
            let named = serde_json::to_string(&named).expect("strings serialise");
            let mut lines: Vec<(String, Option<String>, Option<String>)> = tx
                .prepare_cached(
                    "SELECT c.id, p.residential_group, p.name_key
                       FROM claim c LEFT JOIN person p ON p.id = c.person_id
                      WHERE CASE WHEN json_array_length(?2) = 0
                                 THEN c.status <> 'rejected'
                                      AND (json_array_length(?1) = 0 OR c.policy_code IN (SELECT value FROM json_each(?1)))
                                      AND NOT EXISTS (SELECT 1 FROM list_item li WHERE li.claim_id = c.id)
                                 ELSE c.id IN (SELECT value FROM json_each(?2))
                            END",
                )?
                .query_map(params![filter, named], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<std::result::Result<_, _>>()?;
            // Posting order: residential group by its number ("Tổ 2" before "Tổ 10"), then name.
            lines.sort_by(|a, b| {
                group_order(a.1.as_deref()).cmp(&group_order(b.1.as_deref())).then_with(|| a.2.cmp(&b.2)).then_with(|| a.0.cmp(&b.0))
            });
            let mut numbered: Vec<(usize, &String)> = lines.iter().enumerate().map(|(i, l)| (i + 1, &l.0)).collect();
            // Inserted in claim order, the order of the table's key, whatever their positions.
            numbered.sort_by(|a, b| a.1.cmp(b.1));
            let mut insert = tx.prepare_cached("INSERT INTO list_item (list_id, claim_id, position) VALUES (?1, ?2, ?3)")?;
            for (position, claim) in &numbered {
                insert.execute(params![id, claim, *position as i64])?;
            }
            let added = numbered.len();
            if added == 0 {
                return Err(LedgerError::InvalidInput {
                    field: InputField::List,
                    message: "không có hồ sơ nào chờ lập danh sách".into(),
                });
            }
            crate::audit::append(
                tx,
                actor,
                "create_list",
                "list",
                Some(&id),
                &serde_json::json!({ "name": name, "claims": added }),
            )?;
            Ok(id)
        })?;
        self.list(&id)
    }

    /// Records that the list was posted publicly at the ward office (niêm yết công khai) on `posted_on`,
    /// the day it went up on the board (not after today).
    pub fn post_list(&mut self, list: &str, posted_on: NaiveDate, actor: &Actor) -> Result<()> {
        let actor = actor.name();
        self.write(|tx, _| {
            require_role(tx, actor, RECORDERS)?;
            let id = resolve_id(tx, "claim_list", InputField::List, list)?;
            crate::dates::check_order(DatedEvent::Posting, posted_on, None)?;
            let at = now();
            let n = tx.execute(
                "UPDATE claim_list SET posted_by = ?2, posted_at = ?3, posted_on = ?4 WHERE id = ?1 AND posted_at IS NULL",
                params![id, actor, at, posted_on.to_string()],
            )?;
            if n == 0 {
                return Err(LedgerError::InvalidInput { field: InputField::List, message: "danh sách đã được niêm yết trước đó".into() });
            }
            crate::audit::append(
                tx,
                actor,
                "post_list",
                "list",
                Some(&id),
                &serde_json::json!({ "posted_at": at, "posted_on": posted_on }),
            )
        })
    }

    /// Approves a list under a numbered decision. The approver must be someone other than whoever built the
    /// list or recorded its claims (the database refuses it too).
    pub fn approve_list(
        &mut self,
        list: &str,
        decision_no: &str,
        decision_date: NaiveDate,
        actor: &Actor,
    ) -> Result<ListSummary> {
        let actor = actor.name();
        let id = self.write_bulk(|tx, _| {
            let id = resolve_id(tx, "claim_list", InputField::List, list)?;
            require_role(tx, actor, &[Role::Approver, Role::Admin])?;
            if decision_no.trim().is_empty() {
                return Err(LedgerError::InvalidInput { field: InputField::DecisionNo, message: "không được để trống".into() });
            }
            let already: Option<String> =
                tx.query_row("SELECT decision_no FROM approval WHERE list_id = ?1", [&id], |r| r.get(0)).optional()?;
            if let Some(d) = already {
                return Err(LedgerError::InvalidInput { field: InputField::List, message: format!("đã được phê duyệt theo quyết định {d}") });
            }
            // The decision follows the posting (when its day is known) and is not in the future.
            let posted_on: Option<String> =
                tx.query_row("SELECT posted_on FROM claim_list WHERE id = ?1", [&id], |r| r.get(0))?;
            let after = posted_on.as_deref().and_then(crate::dates::parse_stored).map(|d| (DatedEvent::Posting, d));
            crate::dates::check_order(DatedEvent::Decision, decision_date, after)?;
            tx.execute(
                "INSERT INTO approval (list_id, decision_no, decision_date, approved_by, approved_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, decision_no.trim(), decision_date.to_string(), actor, now()],
            )
            .map_err(LedgerError::from_db)?;
            crate::audit::append(
                tx,
                actor,
                "approve_list",
                "list",
                Some(&id),
                &serde_json::json!({ "decision_no": decision_no.trim(), "decision_date": decision_date }),
            )?;
            Ok(id)
        })?;
        self.list(&id)
    }

    pub fn list(&self, id: &str) -> Result<ListSummary> {
        let id = resolve_id(&self.conn, "claim_list", InputField::List, id)?;
        self.lists_where("l.id = ?1", &id)?
            .pop()
            .ok_or(LedgerError::NotFound {
                what: "danh sách".into(),
                id,
            })
    }

    pub fn lists(&self) -> Result<Vec<ListSummary>> {
        self.lists_where("?1 = ''", "")
    }

    fn lists_where(&self, filter: &str, arg: &str) -> Result<Vec<ListSummary>> {
        // `filter` is written in this module; `arg` is bound.
        let sql = format!(
            "SELECT l.id, l.name, l.created_by, l.created_at, l.posted_at, l.posted_on, a.decision_no, a.decision_date, a.approved_by,
                    (SELECT count(*) FROM list_item li WHERE li.list_id = l.id),
                    (SELECT coalesce(sum(due), 0) FROM (
                        SELECT coalesce((SELECT o.amount FROM amount_override o WHERE o.claim_id = k.id
                                          ORDER BY o.seq DESC LIMIT 1), k.rule_amount) AS due
                          FROM list_item li JOIN claim k ON k.id = li.claim_id WHERE li.list_id = l.id
                         ORDER BY li.claim_id)),
                    (SELECT count(*) FROM payout py WHERE py.list_id = l.id
                        AND NOT EXISTS (SELECT 1 FROM reversal r WHERE r.payout_id = py.id))
               FROM claim_list l
               LEFT JOIN approval a ON a.list_id = l.id
              WHERE {filter}
              ORDER BY l.created_at"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([arg], |r| {
            Ok(ListSummary {
                id: r.get(0)?,
                name: r.get(1)?,
                created_by: r.get(2)?,
                created_at: r.get(3)?,
                posted_at: r.get(4)?,
                posted_on: r.get(5)?,
                decision_no: r.get(6)?,
                decision_date: r.get(7)?,
                approved_by: r.get(8)?,
                claims: r.get(9)?,
                total: Money::from_dong(r.get(10)?),
                paid: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The lines of a list in a stable order (residential group, then name), for posting and payout sheets.
    pub fn list_items(&self, list: &str) -> Result<Vec<ListItem>> {
        let id = resolve_id(&self.conn, "claim_list", InputField::List, list)?;
        list_lines(&self.conn, &id, -1, 0)
    }
}

/// How residential groups sort on a list: by the first number in the name, then by the folded name, so
/// "Tổ dân phố 2" comes before "Tổ dân phố 10"; lines with no group come last.
pub(super) fn group_order(group: Option<&str>) -> (u64, String) {
    match group {
        None => (u64::MAX, String::new()),
        Some(g) => {
            let digits: String = g
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(|c| c.is_ascii_digit())
                .collect();
            (
                digits.parse().unwrap_or(u64::MAX - 1),
                crate::identity::fold(g),
            )
        }
    }
}

/// Lines of a list from `offset`, at most `limit` of them (-1: all), in posting order (residential group, then
/// name): the one query behind the posting list, the payout sheet and the app's pages.
pub(crate) fn list_lines(
    conn: &rusqlite::Connection,
    list_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ListItem>> {
    // Lines come in their fixed order straight off `list_item_order`; only the lines of the page pay for the
    // derived state, amount and payout lookups.
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.policy_code, CASE c.unit WHEN 'household' THEN h.name WHEN 'group' THEN g.name ELSE p.full_name END,
                (SELECT number FROM identity_doc d WHERE d.person_id = c.person_id ORDER BY (kind = 'cccd') DESC, kind LIMIT 1),
                p.residential_group,
                c.amount,
                c.state,
                (SELECT py.id FROM payout py WHERE py.claim_id = c.id
                    AND NOT EXISTS (SELECT 1 FROM reversal r WHERE r.payout_id = py.id)),
                c.breakdown
           FROM list_item li
           JOIN claim_state c ON c.id = li.claim_id
           LEFT JOIN person p ON p.id = c.person_id
           LEFT JOIN household h ON h.id = c.household_id
           LEFT JOIN unit_group g ON g.id = c.group_id
          WHERE li.list_id = ?1
          ORDER BY li.position
          LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt.query_map(params![list_id, limit, offset], |r| {
        Ok(ListItem {
            claim_id: r.get(0)?,
            policy: r.get(1)?,
            name: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            id_number: r.get(3)?,
            residential_group: r.get(4)?,
            amount: Money::from_dong(r.get(5)?),
            status: r.get(6)?,
            payout_id: r.get(7)?,
            unconfirmed: unconfirmed_parts(&r.get::<_, String>(8)?),
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The lines of a stored breakdown whose confidence is not `confirmed`, as "label: confidence".
pub(crate) fn unconfirmed_parts(breakdown: &str) -> Vec<String> {
    serde_json::from_str::<Vec<crate::rules::BreakdownLine>>(breakdown)
        .map(|lines| {
            lines
                .iter()
                .filter_map(|l| l.unconfirmed_vi().map(|c| format!("{}: {c}", l.label)))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::group_order;

    #[test]
    fn residential_groups_sort_by_their_number() {
        let mut groups = vec![
            Some("Tổ dân phố 10"),
            None,
            Some("Tổ dân phố 2"),
            Some("Tổ 1"),
            Some("Thôn Đông"),
        ];
        groups.sort_by_key(|g| group_order(*g));
        assert_eq!(
            groups,
            vec![
                Some("Tổ 1"),
                Some("Tổ dân phố 2"),
                Some("Tổ dân phố 10"),
                Some("Thôn Đông"),
                None
            ]
        );
    }
}
