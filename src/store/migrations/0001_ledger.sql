-- The ledger schema. Money is INTEGER đồng. Ids are UUID v7 text made where the record is created.
-- Invariants live here so that a write that bypasses the core is refused just the same.

CREATE TABLE office (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    ward        TEXT NOT NULL CHECK (length(trim(ward)) > 0),
    district    TEXT NOT NULL CHECK (length(trim(district)) > 0),
    city        TEXT NOT NULL CHECK (length(trim(city)) > 0),
    created_at  TEXT NOT NULL
) STRICT;

-- `name_key` is the folded name: "Trần Thị Lan" typed with combining marks, or without tone marks, is the
-- same person and cannot be registered a second time (a look-alike would defeat approver ≠ recorder).
CREATE TABLE operator (
    name        TEXT PRIMARY KEY CHECK (length(trim(name)) > 0),
    name_key    TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL CHECK (role IN ('officer', 'accountant', 'approver', 'auditor', 'admin')),
    created_at  TEXT NOT NULL
) STRICT;

-- Every rule pack version that priced a claim, kept verbatim so a payout can be re-checked years later.
CREATE TABLE rule_pack (
    id          TEXT NOT NULL,
    version     TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    body        TEXT NOT NULL,
    loaded_at   TEXT NOT NULL,
    PRIMARY KEY (id, version)
) STRICT;

CREATE TABLE household (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    head_person_id  TEXT,
    tax_code        TEXT UNIQUE,
    address         TEXT,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX household_one_per_head ON household(head_person_id) WHERE head_person_id IS NOT NULL;

CREATE TABLE person (
    id                  TEXT PRIMARY KEY,
    full_name           TEXT NOT NULL CHECK (length(trim(full_name)) > 0),
    name_key            TEXT NOT NULL,
    dob                 TEXT CHECK (dob IS NULL OR dob GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    dob_precision       TEXT NOT NULL DEFAULT 'day' CHECK (dob_precision IN ('day', 'year', 'unknown')),
    sex                 TEXT CHECK (sex IS NULL OR sex IN ('M', 'F')),
    address             TEXT,
    residential_group   TEXT,
    ward                TEXT,
    phone               TEXT,
    household_id        TEXT REFERENCES household(id),
    created_by          TEXT NOT NULL,
    created_at          TEXT NOT NULL
) STRICT;
CREATE INDEX person_name_key ON person(name_key);
CREATE INDEX person_household ON person(household_id);

-- A person holds several documents. CCCD and personal ID share one number space.
CREATE TABLE identity_doc (
    person_id   TEXT NOT NULL REFERENCES person(id),
    kind        TEXT NOT NULL CHECK (kind IN ('cmnd', 'cccd', 'personal_id', 'social_insurance')),
    number      TEXT NOT NULL CHECK (number <> '' AND number NOT GLOB '*[^0-9]*'),
    -- A 12-digit CMND carries the same number the CCCD later keeps: one number space for all three.
    space       TEXT NOT NULL GENERATED ALWAYS AS (
                    CASE WHEN kind IN ('cccd', 'personal_id') OR (kind = 'cmnd' AND length(number) = 12)
                         THEN 'citizen' ELSE kind END) STORED,
    CHECK (
        (kind = 'cmnd' AND length(number) IN (9, 12)) OR
        (kind IN ('cccd', 'personal_id') AND length(number) = 12) OR
        (kind = 'social_insurance' AND length(number) = 10)
    ),
    PRIMARY KEY (kind, number)
) STRICT;
CREATE UNIQUE INDEX identity_doc_number ON identity_doc(space, number);
CREATE INDEX identity_doc_person ON identity_doc(person_id);

CREATE TABLE unit_group (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_key        TEXT NOT NULL,
    kind            TEXT NOT NULL,
    owner_person_id TEXT REFERENCES person(id),
    address         TEXT,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;

-- The same class registered twice (spelled with or without tone marks) by the same owner is one group.
CREATE UNIQUE INDEX unit_group_once ON unit_group(kind, name_key, coalesce(owner_person_id, ''));

CREATE TABLE claim (
    id                  TEXT PRIMARY KEY,
    policy_code         TEXT NOT NULL,
    unit                TEXT NOT NULL CHECK (unit IN ('person', 'household', 'group')),
    person_id           TEXT REFERENCES person(id),
    household_id        TEXT REFERENCES household(id),
    group_id            TEXT REFERENCES unit_group(id),
    beneficiary_key     TEXT NOT NULL,
    facts               TEXT NOT NULL CHECK (json_valid(facts)),
    pack_id             TEXT NOT NULL,
    pack_version        TEXT NOT NULL,
    rule_amount         INTEGER NOT NULL CHECK (rule_amount > 0),
    breakdown           TEXT NOT NULL CHECK (json_valid(breakdown)),
    -- Only the intake decision is stored; posted / approved / paid are derived (see claim_state), so that
    -- approving or paying a district's list adds rows instead of rewriting every claim.
    status              TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'verified', 'rejected')),
    rejected_reason     TEXT,
    applied_on          TEXT,
    ward                TEXT,
    recorded_by         TEXT NOT NULL,
    recorded_at         TEXT NOT NULL,
    CHECK (
        (unit = 'person' AND person_id IS NOT NULL AND beneficiary_key = 'P:' || person_id) OR
        (unit = 'household' AND household_id IS NOT NULL AND beneficiary_key = 'H:' || household_id) OR
        (unit = 'group' AND group_id IS NOT NULL AND beneficiary_key = 'G:' || group_id)
    ),
    CHECK (status <> 'rejected' OR length(trim(coalesce(rejected_reason, ''))) > 0),
    FOREIGN KEY (pack_id, pack_version) REFERENCES rule_pack(id, version)
) STRICT;
-- One open claim per beneficiary and policy: a second one is a duplicate, not a new case.
CREATE UNIQUE INDEX claim_open_per_beneficiary ON claim(beneficiary_key, policy_code) WHERE status <> 'rejected';
CREATE INDEX claim_person ON claim(person_id, policy_code);
CREATE INDEX claim_policy ON claim(policy_code);
-- Let list totals and the "waiting for a list" counts read a claim's amount without loading its facts.
CREATE INDEX claim_amount ON claim(id, rule_amount);
CREATE INDEX claim_waiting ON claim(policy_code, status, id, rule_amount);

-- What a claim was priced at, and who it is for, never changes after it is recorded.
CREATE TRIGGER claim_priced_once BEFORE UPDATE OF id, policy_code, unit, person_id, household_id, group_id,
    beneficiary_key, facts, rule_amount, breakdown, pack_id, pack_version, recorded_by, recorded_at ON claim
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
CREATE TRIGGER claim_not_deleted BEFORE DELETE ON claim
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;

-- Supplements paid once per subject (a child under 6 to one parent only, an F0/F1 child once...).
CREATE TABLE claim_once (
    claim_id    TEXT NOT NULL REFERENCES claim(id),
    once_group  TEXT NOT NULL,
    subject_key TEXT NOT NULL CHECK (length(subject_key) > 0),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (claim_id, once_group, subject_key)
) STRICT;
CREATE INDEX claim_once_subject ON claim_once(once_group, subject_key);
CREATE TRIGGER claim_once_immutable_update BEFORE UPDATE ON claim_once
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
CREATE TRIGGER claim_once_immutable_delete BEFORE DELETE ON claim_once
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
-- Once-only subjects are recorded with the claim, never added later to a claim already listed.
CREATE TRIGGER claim_once_with_the_claim BEFORE INSERT ON claim_once
WHEN EXISTS (SELECT 1 FROM list_item WHERE claim_id = NEW.claim_id)
BEGIN
    SELECT RAISE(ABORT, 'list_locked');
END;

CREATE TABLE claim_list (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    posted_by   TEXT,
    posted_at   TEXT
) STRICT;

-- A list's order (residential group, then name) is fixed when it is built, as it was posted: `position`
-- numbers its lines, so a page of a 10,000-line list is read straight off an index.
CREATE TABLE list_item (
    list_id     TEXT NOT NULL REFERENCES claim_list(id),
    claim_id    TEXT NOT NULL UNIQUE REFERENCES claim(id),
    position    INTEGER NOT NULL CHECK (position > 0),
    PRIMARY KEY (list_id, claim_id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX list_item_order ON list_item(list_id, position);

CREATE TABLE approval (
    list_id         TEXT PRIMARY KEY REFERENCES claim_list(id),
    decision_no     TEXT NOT NULL CHECK (length(trim(decision_no)) > 0),
    decision_date   TEXT NOT NULL CHECK (decision_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    approved_by     TEXT NOT NULL,
    approved_at     TEXT NOT NULL
) STRICT;

CREATE TRIGGER list_item_locked_insert BEFORE INSERT ON list_item
WHEN EXISTS (SELECT 1 FROM approval WHERE list_id = NEW.list_id)
BEGIN
    SELECT RAISE(ABORT, 'list_locked');
END;
CREATE TRIGGER list_item_locked_delete BEFORE DELETE ON list_item
WHEN EXISTS (SELECT 1 FROM approval WHERE list_id = OLD.list_id)
BEGIN
    SELECT RAISE(ABORT, 'list_locked');
END;

-- The approver is someone other than whoever built the list or recorded any claim on it.
-- A list is posted publicly at the ward office before it is approved (Decision 23's procedure).
CREATE TRIGGER approval_after_posting BEFORE INSERT ON approval
WHEN (SELECT posted_at FROM claim_list WHERE id = NEW.list_id) IS NULL
BEGIN
    SELECT RAISE(ABORT, 'list_not_posted');
END;
CREATE TRIGGER approval_needs_the_role BEFORE INSERT ON approval
WHEN NOT EXISTS (SELECT 1 FROM operator WHERE name = NEW.approved_by AND role IN ('approver', 'admin'))
BEGIN
    SELECT RAISE(ABORT, 'role_required');
END;
CREATE TRIGGER approval_by_another BEFORE INSERT ON approval
WHEN NEW.approved_by = (SELECT created_by FROM claim_list WHERE id = NEW.list_id)
  -- In claim order, not posting order: the claims are then read in the order they sit in the file.
  OR EXISTS (SELECT 1 FROM list_item li JOIN claim c ON c.id = li.claim_id
             WHERE li.list_id = NEW.list_id AND c.recorded_by = NEW.approved_by ORDER BY li.claim_id)
BEGIN
    SELECT RAISE(ABORT, 'approver_is_recorder');
END;
-- An approved claim can no longer be rejected: the decision stands until a reversal or a new decision.
CREATE TRIGGER claim_reject_before_approval BEFORE UPDATE OF status ON claim
WHEN NEW.status = 'rejected'
 AND EXISTS (SELECT 1 FROM list_item li JOIN approval a ON a.list_id = li.list_id WHERE li.claim_id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'list_locked');
END;
CREATE TRIGGER approval_immutable_update BEFORE UPDATE ON approval
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
CREATE TRIGGER approval_immutable_delete BEFORE DELETE ON approval
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;

-- A hand-set amount: needs a reason and an approver's or admin's role, and is itself append-only.
CREATE TABLE amount_override (
    seq         INTEGER PRIMARY KEY,
    claim_id    TEXT NOT NULL REFERENCES claim(id),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    reason      TEXT NOT NULL CHECK (length(trim(reason)) >= 5),
    operator    TEXT NOT NULL REFERENCES operator(name),
    role        TEXT NOT NULL CHECK (role IN ('approver', 'admin')),
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX amount_override_claim ON amount_override(claim_id, seq);
CREATE TRIGGER amount_override_role BEFORE INSERT ON amount_override
WHEN NEW.role <> (SELECT role FROM operator WHERE name = NEW.operator)
BEGIN
    SELECT RAISE(ABORT, 'role_mismatch');
END;
-- Once a list is approved its amounts are the decision's: a different amount needs a new decision.
CREATE TRIGGER amount_override_before_approval BEFORE INSERT ON amount_override
WHEN EXISTS (SELECT 1 FROM list_item li JOIN approval a ON a.list_id = li.list_id WHERE li.claim_id = NEW.claim_id)
BEGIN
    SELECT RAISE(ABORT, 'list_locked');
END;
CREATE TRIGGER amount_override_immutable_update BEFORE UPDATE ON amount_override
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
CREATE TRIGGER amount_override_immutable_delete BEFORE DELETE ON amount_override
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;

-- The payout ledger: append-only. A mistake is corrected by a reversal that names the payout.
CREATE TABLE payout (
    id              TEXT PRIMARY KEY,
    claim_id        TEXT NOT NULL REFERENCES claim(id),
    list_id         TEXT NOT NULL REFERENCES claim_list(id),
    beneficiary_key TEXT NOT NULL,
    policy_code     TEXT NOT NULL,
    amount          INTEGER NOT NULL CHECK (amount > 0),
    pack_version    TEXT NOT NULL,
    paid_on         TEXT NOT NULL CHECK (paid_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    method          TEXT NOT NULL CHECK (method IN ('cash', 'bank')),
    officer         TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
) STRICT;
CREATE INDEX payout_beneficiary ON payout(beneficiary_key, policy_code);
CREATE INDEX payout_claim ON payout(claim_id);
CREATE INDEX payout_list ON payout(list_id);

CREATE TABLE reversal (
    id          TEXT PRIMARY KEY,
    payout_id   TEXT NOT NULL UNIQUE REFERENCES payout(id),
    reason      TEXT NOT NULL CHECK (length(trim(reason)) >= 5),
    officer     TEXT NOT NULL,
    reversed_on TEXT NOT NULL CHECK (reversed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    recorded_at TEXT NOT NULL
) STRICT;

-- Each supplement subject a payout covered; at most one live payout per (group, subject).
CREATE TABLE payout_once (
    payout_id   TEXT NOT NULL REFERENCES payout(id),
    once_group  TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    PRIMARY KEY (payout_id, once_group, subject_key)
) STRICT, WITHOUT ROWID;
CREATE INDEX payout_once_subject ON payout_once(once_group, subject_key);

CREATE TRIGGER payout_guard BEFORE INSERT ON payout
BEGIN
    SELECT RAISE(ABORT, 'payout_claim_mismatch')
     WHERE NOT EXISTS (SELECT 1 FROM claim c
                        WHERE c.id = NEW.claim_id AND c.beneficiary_key = NEW.beneficiary_key
                          AND c.policy_code = NEW.policy_code AND c.pack_version = NEW.pack_version
                          AND c.status <> 'rejected');
    SELECT RAISE(ABORT, 'list_not_approved')
     WHERE NOT EXISTS (SELECT 1 FROM list_item li JOIN approval a ON a.list_id = li.list_id
                        WHERE li.claim_id = NEW.claim_id AND li.list_id = NEW.list_id);
    SELECT RAISE(ABORT, 'amount_mismatch')
     WHERE NEW.amount <> coalesce(
         (SELECT amount FROM amount_override WHERE claim_id = NEW.claim_id ORDER BY seq DESC LIMIT 1),
         (SELECT rule_amount FROM claim WHERE id = NEW.claim_id));
    SELECT RAISE(ABORT, 'duplicate_payout')
     WHERE EXISTS (SELECT 1 FROM payout p
                    WHERE p.beneficiary_key = NEW.beneficiary_key AND p.policy_code = NEW.policy_code
                      AND NOT EXISTS (SELECT 1 FROM reversal r WHERE r.payout_id = p.id));
END;

CREATE TRIGGER payout_records_once AFTER INSERT ON payout
BEGIN
    INSERT INTO payout_once (payout_id, once_group, subject_key)
        SELECT NEW.id, once_group, subject_key FROM claim_once WHERE claim_id = NEW.claim_id;
END;

CREATE TRIGGER payout_once_guard BEFORE INSERT ON payout_once
WHEN EXISTS (SELECT 1 FROM payout_once po
              WHERE po.once_group = NEW.once_group AND po.subject_key = NEW.subject_key
                AND NOT EXISTS (SELECT 1 FROM reversal r WHERE r.payout_id = po.payout_id))
BEGIN
    SELECT RAISE(ABORT, 'duplicate_supplement');
END;


-- Undoing a payout is a correction of the decision's execution: an approver or admin signs it.
CREATE TRIGGER reversal_needs_the_role BEFORE INSERT ON reversal
WHEN NOT EXISTS (SELECT 1 FROM operator WHERE name = NEW.officer AND role IN ('approver', 'admin'))
BEGIN
    SELECT RAISE(ABORT, 'role_required');
END;

CREATE TRIGGER payout_immutable_update BEFORE UPDATE ON payout
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
CREATE TRIGGER payout_immutable_delete BEFORE DELETE ON payout
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
CREATE TRIGGER reversal_immutable_update BEFORE UPDATE ON reversal
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
CREATE TRIGGER reversal_immutable_delete BEFORE DELETE ON reversal
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
CREATE TRIGGER payout_once_immutable_update BEFORE UPDATE ON payout_once
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
CREATE TRIGGER payout_once_immutable_delete BEFORE DELETE ON payout_once
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;

-- Hash-chained audit log: each row stores SHA-256 over the previous hash and its own content.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT,
    detail      TEXT NOT NULL CHECK (json_valid(detail)),
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE
) STRICT;
CREATE TRIGGER audit_immutable_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;
CREATE TRIGGER audit_immutable_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'ledger_immutable');
END;

-- A claim with what people see of it: the amount due (the latest override, else the rule's) and its state
-- (received → verified → posted → approved → paid, or rejected), derived from the lists, approvals,
-- payouts and reversals that the ledger only ever appends.
CREATE VIEW claim_state AS
SELECT c.id, c.policy_code, c.unit, c.person_id, c.household_id, c.group_id, c.beneficiary_key, c.ward,
       c.rule_amount, c.breakdown, c.pack_version, c.recorded_by, c.recorded_at, c.rejected_reason,
       coalesce((SELECT p.amount FROM payout p WHERE p.claim_id = c.id
                   AND NOT EXISTS (SELECT 1 FROM reversal r WHERE r.payout_id = p.id)),
                (SELECT o.amount FROM amount_override o WHERE o.claim_id = c.id ORDER BY o.seq DESC LIMIT 1),
                c.rule_amount) AS amount,
       li.list_id AS list_id,
       CASE
           WHEN c.status = 'rejected' THEN 'rejected'
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
