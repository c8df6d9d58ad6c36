-- Erasure (crypto-shredding, README "Personal data"): an erased participant's row stays, with every
-- personal value scrubbed, so counts and references hold; their key in the vault is destroyed after
-- this database commits. `erasures_pending` lists erasures whose key is not destroyed yet: written in
-- the erasure's transaction, emptied once the vault confirms, retried until it does.
ALTER TABLE participants DROP CONSTRAINT participants_status_check;
ALTER TABLE participants ADD CONSTRAINT participants_status_check
    CHECK (status IN ('active', 'withdrawn', 'erased'));
ALTER TABLE participants ADD COLUMN erased_at timestamptz;

CREATE TABLE erasures_pending (
    participant_id uuid PRIMARY KEY,
    requested_at   timestamptz NOT NULL DEFAULT now()
);
