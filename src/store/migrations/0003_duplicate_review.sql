-- The auditor's review of the duplicate check. A decision names a pair by its two records' fingerprints
-- (what identifies each record, not where it sits), so a pair decided "not the same person" is not shown
-- again unless either record changes. "The same person" puts the later payout(s) on the recovery list.
-- Only an auditor or an admin decides; decisions and recovery lines are never rewritten or deleted.
CREATE TABLE duplicate_review (
    id              TEXT PRIMARY KEY,
    pair_key        TEXT NOT NULL UNIQUE CHECK (length(pair_key) = 32 AND pair_key NOT GLOB '*[^0-9a-f]*'),
    decision        TEXT NOT NULL CHECK (decision IN ('distinct', 'same')),
    note            TEXT NOT NULL,
    a_record        TEXT NOT NULL CHECK (json_valid(a_record)),
    b_record        TEXT NOT NULL CHECK (json_valid(b_record)),
    score           REAL NOT NULL CHECK (score >= 0 AND score <= 1),
    class           TEXT NOT NULL CHECK (class IN ('certain', 'likely', 'possible')),
    decided_by      TEXT NOT NULL,
    decided_at      TEXT NOT NULL,
    -- "Not the same person" must say why (what the auditor saw); "the same" must name its basis.
    CHECK (length(trim(note)) >= 5)
) STRICT;

CREATE TRIGGER duplicate_review_by_auditor BEFORE INSERT ON duplicate_review
WHEN NOT EXISTS (SELECT 1 FROM operator WHERE name = NEW.decided_by AND role IN ('auditor', 'admin'))
BEGIN
    SELECT RAISE(ABORT, 'role_required');
END;
CREATE TRIGGER duplicate_review_immutable_update BEFORE UPDATE ON duplicate_review
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
CREATE TRIGGER duplicate_review_immutable_delete BEFORE DELETE ON duplicate_review
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;

-- The recovery list (danh sách thu hồi): a payout to ask back, with the review that decided it. A payout
-- of this ledger is named by its id (`own_payout_id`, which must exist, and is recovered at most once
-- however the ledger was labelled); one of another ward's ledger by that ledger's path and payout id, as
-- the auditor saw it.
CREATE TABLE recovery_item (
    id              TEXT PRIMARY KEY,
    review_id       TEXT NOT NULL REFERENCES duplicate_review(id),
    source          TEXT NOT NULL,
    payout_id       TEXT,
    own_payout_id   TEXT REFERENCES payout(id) CHECK (own_payout_id IS NULL OR own_payout_id = payout_id),
    claim_id        TEXT,
    person_name     TEXT NOT NULL CHECK (length(trim(person_name)) > 0),
    id_numbers      TEXT NOT NULL,
    ward            TEXT,
    policy_code     TEXT NOT NULL,
    amount          INTEGER NOT NULL CHECK (amount > 0),
    paid_on         TEXT,
    list_name       TEXT,
    decision_no     TEXT,
    basis           TEXT NOT NULL CHECK (length(trim(basis)) > 0),
    created_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX recovery_item_once ON recovery_item(source, payout_id) WHERE payout_id IS NOT NULL;
CREATE UNIQUE INDEX recovery_item_own_once ON recovery_item(own_payout_id) WHERE own_payout_id IS NOT NULL;
CREATE INDEX recovery_item_review ON recovery_item(review_id);

CREATE TRIGGER recovery_item_immutable_update BEFORE UPDATE ON recovery_item
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
CREATE TRIGGER recovery_item_immutable_delete BEFORE DELETE ON recovery_item
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
