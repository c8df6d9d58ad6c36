-- A mentor's or mentee's browser, signed in by their personal link: the cookie holds only a random id
-- (its SHA-256 is the key here). One browser may hold several pairs (a mentor with three mentees opens
-- three links); each pair keeps the member token sessions issued for it, which never leaves the server.
CREATE TABLE member_sessions (
    id_hash    text PRIMARY KEY,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX member_sessions_expiry ON member_sessions (expires_at);

CREATE TABLE member_pairs (
    id_hash    text NOT NULL REFERENCES member_sessions (id_hash) ON DELETE CASCADE,
    pair_id    uuid NOT NULL,
    role       text NOT NULL CHECK (role IN ('mentor', 'mentee')),
    credential text NOT NULL,
    added_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id_hash, pair_id)
);

-- A partner company's upload, between its dry run and the import for real: the file (deleted once
-- imported, or when it expires), what the dry run said, and how far the import has come.
CREATE TABLE company_uploads (
    upload_id    uuid PRIMARY KEY,
    company_key  text NOT NULL,  -- SHA-256 of the API key that uploaded it: only that company sees it
    cohort_id    uuid NOT NULL,
    filename     text NOT NULL,
    content_type text NOT NULL,
    data         bytea,
    checked      jsonb,          -- the dry run's report
    state        text NOT NULL CHECK (state IN ('checked', 'importing', 'done', 'failed')),
    total        integer NOT NULL DEFAULT 0,
    done         integer NOT NULL DEFAULT 0,
    report       jsonb,          -- the import's report, row numbers as in the file
    failure      text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX company_uploads_expiry ON company_uploads (expires_at);
