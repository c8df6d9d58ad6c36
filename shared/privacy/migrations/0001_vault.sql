-- The key vault: one data key per person (subject), standing in for a KMS (Vault transit, cloud KMS).
-- Intake alone creates and destroys keys; the other services only read them by subject.
-- Destroying a key leaves its row as a tombstone (key NULL, destroyed_at set): no personal data, and
-- every reader then knows the subject is erased, also for plain values of events from before sealing.
CREATE TABLE vault_keys (
    subject      uuid PRIMARY KEY,
    key          bytea CHECK (key IS NULL OR length(key) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    destroyed_at timestamptz,
    CHECK ((key IS NULL) = (destroyed_at IS NOT NULL))
);
