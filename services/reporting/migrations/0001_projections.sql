-- Reporting's projections of every service's events.
-- Events may arrive in any order across topics (and twice): each row keeps what it has been told so far,
-- and the *_at/*_event columns decide which of two competing events wins, so any arrival order ends in
-- the same rows. Ratings and notes are never stored here.

CREATE TABLE cohorts (
    cohort_id        uuid PRIMARY KEY,
    name             text,            -- null until CohortOpened arrives
    intake_opens_on  date,
    intake_closes_on date,
    opened_at        timestamptz,
    opened_event     uuid
);

CREATE TABLE companies (
    company_id       uuid PRIMARY KEY,
    name             text        NOT NULL,
    hr_contact_name  text        NOT NULL,
    hr_contact_email text        NOT NULL,
    registered_at    timestamptz NOT NULL,
    registered_event uuid        NOT NULL
);

-- Only the SHA-256 of a company's key; revocation is final.
CREATE TABLE company_keys (
    key_id     uuid PRIMARY KEY,
    company_id uuid    NOT NULL,
    key_hash   text,                  -- null when the revocation arrived first
    revoked    boolean NOT NULL DEFAULT false
);
CREATE INDEX company_keys_live_hash ON company_keys (key_hash) WHERE NOT revoked;

CREATE TABLE participants (
    participant_id  uuid PRIMARY KEY,
    company_id      uuid NOT NULL,
    cohort_id       uuid NOT NULL,
    role            text NOT NULL,
    display_name    text,             -- null until registered (a withdrawal may come first)
    profile_at      timestamptz,
    profile_rank    smallint,         -- 0 registered, 1 updated: the later statement wins a tie
    profile_event   uuid,
    withdrawn_at    timestamptz,      -- withdrawal is final; the earliest one is kept
    withdrawn_event uuid
);
CREATE INDEX participants_cohort ON participants (cohort_id);

CREATE TABLE pairs (
    pair_id           uuid PRIMARY KEY,
    cohort_id         uuid NOT NULL,
    mentee_id         uuid NOT NULL,
    mentor_id         uuid NOT NULL,
    mentee_company_id uuid,           -- null until PairMatched arrives (PairEnded may come first)
    mentor_company_id uuid,
    matched_at        timestamptz,
    matched_event     uuid,
    ended_on          date,
    end_reason        text,
    do_not_rematch    boolean,
    ended_at          timestamptz,
    ended_event       uuid
);
CREATE INDEX pairs_cohort ON pairs (cohort_id);

CREATE TABLE sessions (
    session_id       uuid PRIMARY KEY,
    pair_id          uuid NOT NULL,
    cohort_id        uuid NOT NULL,
    held_on          date,            -- null until SessionHeld/Corrected arrives (a retraction may come first)
    started_at       timestamptz,
    duration_minutes integer,
    format           text,
    tools            text[],
    version_at       timestamptz,
    version_rank     smallint,        -- 0 held, 1 corrected: the correction wins a tie
    version_event    uuid,
    retracted_at     timestamptz,     -- retraction is final
    retracted_event  uuid
);
CREATE INDEX sessions_cohort ON sessions (cohort_id);
