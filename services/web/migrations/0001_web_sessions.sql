-- Who is signed in, server-side: the cookie holds only a random id (its SHA-256 is the key here);
-- the credential the APIs need stays in this row and nowhere else.
CREATE TABLE web_sessions (
    id_hash      text PRIMARY KEY,
    role         text NOT NULL CHECK (role IN ('staff', 'company')),
    credential   text NOT NULL,
    company_id   uuid,
    company_name text,
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);

-- Failed sign-ins per client address: too many in a window locks that client out for a while.
CREATE TABLE sign_in_failures (
    client    text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_client ON sign_in_failures (client, failed_at);
