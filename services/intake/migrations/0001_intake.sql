-- Intake's own data: partner companies, their API keys, cohorts, participants, idempotency records.
-- Personal data (email, job title, free text, consent) lives only here; events carry what matching needs.

CREATE TABLE companies (
    company_id       uuid PRIMARY KEY,
    name             text        NOT NULL,
    hr_contact_name  text        NOT NULL,
    hr_contact_email text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX companies_name_unique ON companies (lower(name));

-- Only the SHA-256 of a key is stored; the key itself is shown once, when issued.
CREATE TABLE api_keys (
    key_id       uuid PRIMARY KEY,
    company_id   uuid        NOT NULL REFERENCES companies,
    key_hash     text        NOT NULL UNIQUE,
    key_prefix   text        NOT NULL,
    label        text        NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_keys_of_company ON api_keys (company_id, created_at);

CREATE TABLE cohorts (
    cohort_id        uuid PRIMARY KEY,
    name             text        NOT NULL,
    intake_opens_on  date        NOT NULL,
    intake_closes_on date        NOT NULL CHECK (intake_closes_on >= intake_opens_on),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX cohorts_name_unique ON cohorts (lower(name));

CREATE TABLE participants (
    seq                  bigserial   NOT NULL UNIQUE,
    participant_id       uuid PRIMARY KEY,
    company_id           uuid        NOT NULL REFERENCES companies,
    cohort_id            uuid        NOT NULL REFERENCES cohorts,
    role                 text        NOT NULL CHECK (role IN ('mentor', 'mentee')),
    external_ref         text,
    status               text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
    name                 text        NOT NULL,
    email                text        NOT NULL,
    job_title            text        NOT NULL,
    leadership_level     smallint    NOT NULL CHECK (leadership_level BETWEEN 1 AND 5),
    years_experience     smallint    NOT NULL CHECK (years_experience BETWEEN 0 AND 60),
    industry             text        NOT NULL,
    function             text        NOT NULL,
    languages            text[]      NOT NULL,
    region               text        NOT NULL,
    meeting_preference   text        NOT NULL,
    themes               text[]      NOT NULL,
    themes_free_text     text        NOT NULL DEFAULT '',
    expectations         text        NOT NULL,
    capacity             smallint    CHECK ((role = 'mentor') = (capacity IS NOT NULL) AND capacity BETWEEN 1 AND 3),
    avoid_company_ids    uuid[]      NOT NULL DEFAULT '{}',
    consented_at         timestamptz NOT NULL,
    consent_text_version text        NOT NULL DEFAULT '',
    registered_at        timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    withdrawn_at         timestamptz,
    withdrawal_reason    text,
    withdrawal_note      text        NOT NULL DEFAULT ''
);
-- The same person (email) once per cohort while active; a withdrawn registration frees the email.
CREATE UNIQUE INDEX participants_email_in_cohort ON participants (cohort_id, lower(email)) WHERE status = 'active';
CREATE UNIQUE INDEX participants_external_ref ON participants (company_id, external_ref) WHERE external_ref IS NOT NULL;
CREATE INDEX participants_of_company ON participants (company_id, seq);

-- Answers given to registrations, so a retry (same Idempotency-Key, or same external_ref) gets the
-- first answer again instead of a second participant. Written in the registration's transaction.
CREATE TABLE idempotency_keys (
    company_id     uuid        NOT NULL,
    scope          text        NOT NULL CHECK (scope IN ('header', 'external_ref')),
    key            text        NOT NULL,
    request_hash   text        NOT NULL,
    participant_id uuid        NOT NULL,
    status_code    integer     NOT NULL,
    response       jsonb       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (company_id, scope, key)
);
