-- The dashboard's sign-ins: a session per browser (its cookie holds a random value, this table only its
-- hash) and one-time sign-in codes (a link's hand-off, short-lived). Never the credential itself, only
-- its hash: a revoked company key or a changed admin token ends what it opened.
CREATE TABLE dashboard_sign_ins (
    value_hash      text PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('session', 'code')),
    credential_hash text NOT NULL,
    company_id      uuid,
    expires_at      timestamptz NOT NULL
);
CREATE INDEX dashboard_sign_ins_expiry ON dashboard_sign_ins (expires_at);
