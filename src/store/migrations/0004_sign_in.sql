-- Sign-in and the guards a ledger needs once an operator is a proven person, not a typed name.
--
-- An operator signs in with a password or PIN, kept only as an Argon2id hash (PHC string). Repeated failures
-- lock the account until `locked_until`; an admin resets it. Operators are never renamed or deleted: every
-- claim, list, approval and payout names them.
ALTER TABLE operator ADD COLUMN secret TEXT CHECK (secret IS NULL OR secret GLOB '$argon2id$*');
ALTER TABLE operator ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0);
ALTER TABLE operator ADD COLUMN locked_until TEXT;

CREATE TRIGGER operator_name_fixed BEFORE UPDATE OF name, name_key, created_at ON operator
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
CREATE TRIGGER operator_not_deleted BEFORE DELETE ON operator
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
-- Names are stored trimmed (the core also NFC-normalises them), so the role look-up and the stored name agree.
CREATE TRIGGER operator_name_trimmed BEFORE INSERT ON operator
WHEN NEW.name <> trim(NEW.name)
BEGIN
    SELECT RAISE(ABORT, 'invalid_input');
END;

-- The audit chain from here on hashes each row's own sequence number (chain 2), so a row cannot be moved or
-- renumbered; rows are appended with the next number only.
ALTER TABLE audit_log ADD COLUMN chain INTEGER NOT NULL DEFAULT 1 CHECK (chain IN (1, 2));
CREATE TRIGGER audit_append_next BEFORE INSERT ON audit_log
WHEN NEW.seq IS NULL OR NEW.seq <> coalesce((SELECT max(seq) FROM audit_log), 0) + 1
  OR NEW.chain <> 2
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;

-- The pack text that re-pricing trusts is never rewritten or removed.
CREATE TRIGGER rule_pack_immutable_update BEFORE UPDATE ON rule_pack
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
CREATE TRIGGER rule_pack_immutable_delete BEFORE DELETE ON rule_pack
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;

-- The tally every audit row carries counts rejections: read off this small index, not the claim table.
CREATE INDEX claim_rejected ON claim(status) WHERE status = 'rejected';

-- A rejection is final: a rejected claim is recorded again as a new claim, never un-rejected.
CREATE TRIGGER claim_rejection_final BEFORE UPDATE OF status, rejected_reason ON claim
WHEN OLD.status = 'rejected'
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;

-- A list's posting (who, when) is a public fact: set once, never moved; lists are never deleted.
CREATE TRIGGER list_posting_fixed BEFORE UPDATE OF posted_at, posted_by, created_by, created_at ON claim_list
WHEN OLD.posted_at IS NOT NULL OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
CREATE TRIGGER list_not_deleted BEFORE DELETE ON claim_list
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;

-- Paying needs the role: an officer or accountant pays out, or an admin; never an approver or an auditor.
CREATE TRIGGER payout_needs_the_role BEFORE INSERT ON payout
WHEN NOT EXISTS (SELECT 1 FROM operator WHERE name = NEW.officer AND role IN ('officer', 'accountant', 'admin'))
BEGIN
    SELECT RAISE(ABORT, 'role_required');
END;
-- Whoever paid may not reverse their own payout (and so pay it again).
CREATE TRIGGER reversal_by_another BEFORE INSERT ON reversal
WHEN NEW.officer = (SELECT officer FROM payout WHERE id = NEW.payout_id)
BEGIN
    SELECT RAISE(ABORT, 'reverser_is_payer');
END;
-- Whoever set an amount by hand on a list may not approve that list.
CREATE TRIGGER approval_not_by_overrider BEFORE INSERT ON approval
WHEN EXISTS (SELECT 1 FROM list_item li JOIN amount_override o ON o.claim_id = li.claim_id
             WHERE li.list_id = NEW.list_id AND o.operator = NEW.approved_by)
BEGIN
    SELECT RAISE(ABORT, 'approver_made_override');
END;
-- Posting a list publicly is an officer's act (or an admin's).
CREATE TRIGGER list_posting_needs_the_role BEFORE UPDATE OF posted_at ON claim_list
WHEN NEW.posted_at IS NOT NULL
 AND NOT EXISTS (SELECT 1 FROM operator WHERE name = NEW.posted_by AND role IN ('officer', 'admin'))
BEGIN
    SELECT RAISE(ABORT, 'role_required');
END;
-- A person's documents are added, never rewritten; one is removed only with a person who holds no claim (an
-- import takes back the person a refused row created).
CREATE TRIGGER identity_doc_immutable_update BEFORE UPDATE ON identity_doc
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
CREATE TRIGGER identity_doc_kept BEFORE DELETE ON identity_doc
WHEN EXISTS (SELECT 1 FROM claim WHERE person_id = OLD.person_id)
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
