-- A child's supplement is stored under `id:NUMBER` and, when the claim also named the child, under
-- `named-id:NAME|DOB`, so that a later claim naming the same child without an ID meets it (the core checks that
-- crossing when a claim is recorded). At payout only the exact keys are once-only: two different children who
-- share a name and a birthday (each with their own ID) were refused as one child under 0001's trigger.
DROP TRIGGER payout_records_once;
CREATE TRIGGER payout_records_once AFTER INSERT ON payout
BEGIN
    INSERT INTO payout_once (payout_id, once_group, subject_key)
        SELECT NEW.id, once_group, subject_key FROM claim_once
         WHERE claim_id = NEW.claim_id AND subject_key NOT GLOB 'named-id:*';
END;

-- The cross-reference keys recorded at payout under 0001 guard nothing and could block a payout: remove them.
DROP TRIGGER payout_once_immutable_delete;
DELETE FROM payout_once WHERE subject_key GLOB 'named-id:*';
CREATE TRIGGER payout_once_immutable_delete BEFORE DELETE ON payout_once
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
