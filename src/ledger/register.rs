//! The claims register: every claim of the ledger, filtered by policy, state, residential group, list and
//! person (name without tone marks, or the start of an ID number), newest first, a page at a time.

use super::report::state_label_vi;
use super::{resolve_id, Ledger};
use crate::error::Result;
use crate::fields::InputField;
use crate::identity::fold;
use crate::money::Money;
use rusqlite::params;
use serde::{Deserialize, Serialize};

/// What the register is filtered by; an empty field filters nothing.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ClaimFilter {
    pub policy: Option<String>,
    /// A derived state: received, verified, posted, approved, paid, rejected, withdrawn, corrected.
    pub state: Option<String>,
    pub residential_group: Option<String>,
    /// A list's id (or a unique prefix); `"none"` for claims on no list.
    pub list: Option<String>,
    /// A name (tone marks and case ignored) or the start of an ID number.
    pub person: Option<String>,
}

/// One claim as the register shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterRow {
    pub id: String,
    pub policy: String,
    pub unit: String,
    pub name: String,
    pub person_id: Option<String>,
    pub id_number: Option<String>,
    pub residential_group: Option<String>,
    pub amount: Money,
    pub state: String,
    pub state_label: String,
    pub list_id: Option<String>,
    pub list_name: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// A page of the register with the count and total of every claim the filter keeps.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterPage {
    pub total: i64,
    pub amount: Money,
    pub offset: i64,
    pub rows: Vec<RegisterRow>,
}

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl Ledger {
    /// One page of the claims the filter keeps, newest first.
    pub fn claims_register(
        &self,
        filter: &ClaimFilter,
        offset: i64,
        limit: i64,
    ) -> Result<RegisterPage> {
        let list = match blank(&filter.list) {
            Some("none") => Some(String::new()),
            Some(l) => Some(resolve_id(&self.conn, "claim_list", InputField::List, l)?),
            None => None,
        };
        let (name, number) = blank(&filter.person)
            .map(|p| {
                // Digits alone are the start of an ID number; anything else is a name.
                let digits: String = p.chars().filter(char::is_ascii_digit).collect();
                if !digits.is_empty()
                    && digits.len() == p.chars().filter(|c| !c.is_whitespace()).count()
                {
                    (None, Some(digits))
                } else {
                    (Some(fold(p)), None)
                }
            })
            .unwrap_or((None, None));
        let (policy, state, group) = (
            blank(&filter.policy),
            blank(&filter.state),
            blank(&filter.residential_group),
        );
        // Every condition is bound; a NULL one keeps every row.
        let filter_sql = "FROM claim_state c
               LEFT JOIN person p ON p.id = c.person_id
               LEFT JOIN household h ON h.id = c.household_id
               LEFT JOIN unit_group g ON g.id = c.group_id
              WHERE (?1 IS NULL OR c.policy_code = ?1)
                AND (?2 IS NULL OR c.state = ?2)
                AND (?3 IS NULL OR p.residential_group = ?3)
                AND (?4 IS NULL OR (?4 = '' AND c.list_id IS NULL) OR c.list_id = ?4)
                AND (?5 IS NULL OR p.name_key LIKE '%' || ?5 || '%' OR g.name_key LIKE '%' || ?5 || '%'
                     OR lower(h.name) LIKE '%' || ?5 || '%')
                AND (?6 IS NULL OR c.person_id IN (SELECT person_id FROM identity_doc
                                                   WHERE number >= ?6 AND number < ?6 || ':'))";
        // One pass over the claims the filter keeps (their amounts, not their states unless filtered by
        // one), materialised once for the count, the total and the page's order; the page's 100 lines are
        // then read whole.
        let mut stmt = self.conn.prepare(&format!(
            "WITH hit AS MATERIALIZED (SELECT c.id AS id, c.recorded_at AS at, c.amount AS amount {filter_sql})
             SELECT id, (SELECT count(*) FROM hit), (SELECT coalesce(sum(amount), 0) FROM hit)
               FROM hit ORDER BY at DESC, id DESC LIMIT ?7 OFFSET ?8"
        ))?;
        let page: Vec<(String, i64, i64)> = stmt
            .query_map(
                params![
                    policy,
                    state,
                    group,
                    list,
                    name,
                    number,
                    limit.clamp(1, 1000),
                    offset.max(0),
                ],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?
            .collect::<std::result::Result<_, _>>()?;
        let (total, amount) = match page.first() {
            Some((_, n, sum)) => (*n, *sum),
            // Past the last page: the count alone.
            None => self.conn.query_row(
                &format!("SELECT count(*), coalesce(sum(c.amount), 0) {filter_sql}"),
                params![policy, state, group, list, name, number],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?,
        };
        let ids = serde_json::to_string(&page.iter().map(|(id, _, _)| id).collect::<Vec<_>>())
            .expect("ids serialise");
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.policy_code, c.unit, coalesce(p.full_name, h.name, g.name), c.person_id,
                    (SELECT number FROM identity_doc d WHERE d.person_id = c.person_id
                      ORDER BY (kind = 'cccd') DESC, kind LIMIT 1),
                    p.residential_group, c.amount, c.state, c.list_id,
                    (SELECT name FROM claim_list l WHERE l.id = c.list_id), c.recorded_by, c.recorded_at
               FROM json_each(?1) j
               JOIN claim_state c ON c.id = j.value
               LEFT JOIN person p ON p.id = c.person_id
               LEFT JOIN household h ON h.id = c.household_id
               LEFT JOIN unit_group g ON g.id = c.group_id
              ORDER BY j.key",
        )?;
        let rows = stmt.query_map([ids], |r| {
            let state: String = r.get(8)?;
            Ok(RegisterRow {
                id: r.get(0)?,
                policy: r.get(1)?,
                unit: r.get(2)?,
                name: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                person_id: r.get(4)?,
                id_number: r.get(5)?,
                residential_group: r.get(6)?,
                amount: Money::from_dong(r.get(7)?),
                state_label: state_label_vi(&state).to_string(),
                state,
                list_id: r.get(9)?,
                list_name: r.get(10)?,
                recorded_by: r.get(11)?,
                recorded_at: r.get(12)?,
            })
        })?;
        Ok(RegisterPage {
            total,
            amount: Money::from_dong(amount),
            offset: offset.max(0),
            rows: rows.collect::<std::result::Result<_, _>>()?,
        })
    }

    /// The residential groups people are registered in (for the register's filter), in posting order.
    pub fn residential_groups(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT residential_group FROM person WHERE residential_group IS NOT NULL
                AND trim(residential_group) <> ''",
        )?;
        let mut groups: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        groups.sort_by_key(|g| super::lists::group_order(Some(g)));
        Ok(groups)
    }
}
