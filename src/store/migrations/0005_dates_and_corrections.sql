-- The days things happened on, claims corrected or withdrawn before they are listed, and the office's names
-- corrected until its first decision.
--
-- Posting, decision, payout and reversal each carry the day they happened, as the officer enters it (offices
-- record a week's paper work the next Monday), beside the time the ledger recorded them (`*_at`, unchanged).
-- The days run in order: posting ≤ decision ≤ payout ≤ reversal ≤ today (Vietnam time, UTC+7). A refusal
-- names the day that is out of order: 'date_out_of_order:<posting|decision|payout|reversal>'.

-- The day a list was posted publicly. Lists posted before this migration keep NULL: the day was never
-- entered, and the recorded time is not it.
ALTER TABLE claim_list ADD COLUMN posted_on TEXT
    CHECK (posted_on IS NULL OR posted_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');

-- A posting from now on says its day, and the day is not after today.
CREATE TRIGGER list_posting_dated BEFORE UPDATE OF posted_at, posted_on ON claim_list
WHEN NEW.posted_at IS NOT NULL AND OLD.posted_at IS NULL
 AND (NEW.posted_on IS NULL OR NEW.posted_on > date('now', '+7 hours'))
BEGIN
    SELECT RAISE(ABORT, 'date_out_of_order:posting');
END;
CREATE TRIGGER list_posted_dated_on_insert BEFORE INSERT ON claim_list
WHEN NEW.posted_at IS NOT NULL AND (NEW.posted_on IS NULL OR NEW.posted_on > date('now', '+7 hours'))
BEGIN
    SELECT RAISE(ABORT, 'date_out_of_order:posting');
END;
-- The posting day is set with the posting, once; a list posted before it was recorded keeps none.
CREATE TRIGGER list_posting_day_fixed BEFORE UPDATE OF posted_on ON claim_list
WHEN NEW.posted_on IS NOT OLD.posted_on AND (OLD.posted_at IS NOT NULL OR NEW.posted_at IS NULL)
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;

-- A decision is taken after the list was posted (when its day is known), and not in the future.
CREATE TRIGGER approval_dated BEFORE INSERT ON approval
WHEN NEW.decision_date > date('now', '+7 hours')
  OR NEW.decision_date < (SELECT posted_on FROM claim_list WHERE id = NEW.list_id)
BEGIN
    SELECT RAISE(ABORT, 'date_out_of_order:decision');
END;

-- Money is handed out after the decision that approved it, and not in the future.
CREATE TRIGGER payout_dated BEFORE INSERT ON payout
WHEN NEW.paid_on > date('now', '+7 hours')
  OR NEW.paid_on < (SELECT decision_date FROM approval WHERE list_id = NEW.list_id)
BEGIN
    SELECT RAISE(ABORT, 'date_out_of_order:payout');
END;

-- A payout is reversed after it was made, and not in the future.
CREATE TRIGGER reversal_dated BEFORE INSERT ON reversal
WHEN NEW.reversed_on > date('now', '+7 hours')
  OR NEW.reversed_on < (SELECT paid_on FROM payout WHERE id = NEW.payout_id)
BEGIN
    SELECT RAISE(ABORT, 'date_out_of_order:reversal');
END;

-- A claim closed before it is listed: withdrawn (the applicant withdrew it, or it was entered by mistake),
-- or corrected (its facts were wrong; `replaced_by` is the claim recorded with the right ones, priced again).
-- What a claim was priced on never changes: a correction is a new claim, and the old one stays, closed.
-- The new claim is inserted after this row in the same transaction, hence the deferred reference.
CREATE TABLE claim_withdrawal (
    claim_id    TEXT PRIMARY KEY REFERENCES claim(id),
    kind        TEXT NOT NULL CHECK (kind IN ('withdrawn', 'corrected')),
    replaced_by TEXT UNIQUE REFERENCES claim(id) DEFERRABLE INITIALLY DEFERRED,
    reason      TEXT NOT NULL CHECK (length(trim(reason)) >= 5),
    officer     TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    CHECK ((kind = 'corrected') = (replaced_by IS NOT NULL)),
    CHECK (replaced_by IS NULL OR replaced_by <> claim_id)
) STRICT;

-- Only an open claim that is on no list is withdrawn or corrected: a listed claim was posted publicly (and
-- perhaps approved or paid), so it is rejected before approval, or corrected by a reversal, instead.
CREATE TRIGGER claim_withdrawal_not_listed BEFORE INSERT ON claim_withdrawal
WHEN EXISTS (SELECT 1 FROM list_item WHERE claim_id = NEW.claim_id)
BEGIN
    SELECT RAISE(ABORT, 'claim_listed');
END;
CREATE TRIGGER claim_withdrawal_of_an_open_claim BEFORE INSERT ON claim_withdrawal
WHEN NOT EXISTS (SELECT 1 FROM claim WHERE id = NEW.claim_id AND status <> 'rejected')
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
-- Whoever may refuse a claim at intake may withdraw it: an officer, an approver or an admin.
CREATE TRIGGER claim_withdrawal_needs_the_role BEFORE INSERT ON claim_withdrawal
WHEN NOT EXISTS (SELECT 1 FROM operator WHERE name = NEW.officer AND role IN ('officer', 'approver', 'admin'))
BEGIN
    SELECT RAISE(ABORT, 'role_required');
END;
-- The claim is closed with it, as a rejection closes one: its beneficiary and policy are free for the
-- corrected claim, and a closed claim is never listed or paid.
CREATE TRIGGER claim_withdrawal_closes AFTER INSERT ON claim_withdrawal
BEGIN
    UPDATE claim SET status = 'rejected', rejected_reason = NEW.reason WHERE id = NEW.claim_id;
END;
CREATE TRIGGER claim_withdrawal_immutable_update BEFORE UPDATE ON claim_withdrawal
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
CREATE TRIGGER claim_withdrawal_immutable_delete BEFORE DELETE ON claim_withdrawal
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;

-- The office's names (as printed on every list and sheet) are corrected only until the first decision: a
-- decision names the office, and what was printed under it stands. The office is never removed.
CREATE TRIGGER office_names_until_a_decision BEFORE UPDATE ON office
WHEN EXISTS (SELECT 1 FROM approval)
BEGIN
    SELECT RAISE(ABORT, 'office_locked');
END;
CREATE TRIGGER office_created_fixed BEFORE UPDATE OF id, created_at ON office
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
CREATE TRIGGER office_not_deleted BEFORE DELETE ON office
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;

-- A claim's state now tells a withdrawn or corrected claim from a rejected one.
DROP VIEW claim_state;
CREATE VIEW claim_state AS
SELECT c.id, c.policy_code, c.unit, c.person_id, c.household_id, c.group_id, c.beneficiary_key, c.ward,
       c.rule_amount, c.breakdown, c.pack_version, c.recorded_by, c.recorded_at, c.rejected_reason,
       coalesce((SELECT p.amount FROM payout p WHERE p.claim_id = c.id
                   AND NOT EXISTS (SELECT 1 FROM reversal r WHERE r.payout_id = p.id)),
                (SELECT o.amount FROM amount_override o WHERE o.claim_id = c.id ORDER BY o.seq DESC LIMIT 1),
                c.rule_amount) AS amount,
       li.list_id AS list_id,
       CASE
           WHEN c.status = 'rejected'
               THEN coalesce((SELECT w.kind FROM claim_withdrawal w WHERE w.claim_id = c.id), 'rejected')
           WHEN EXISTS (SELECT 1 FROM payout p WHERE p.claim_id = c.id
                          AND NOT EXISTS (SELECT 1 FROM reversal r WHERE r.payout_id = p.id)) THEN 'paid'
           WHEN a.list_id IS NOT NULL THEN 'approved'
           WHEN l.posted_at IS NOT NULL THEN 'posted'
           ELSE c.status
       END AS state
  FROM claim c
  LEFT JOIN list_item li ON li.claim_id = c.id
  LEFT JOIN claim_list l ON l.id = li.list_id
  LEFT JOIN approval a ON a.list_id = li.list_id;
