-- Matching's own data: its projection of intake, the cohort settings staff choose, runs and pairs.

CREATE TABLE cohorts (
    cohort_id           uuid PRIMARY KEY,
    name                text,                     -- null until CohortOpened/CohortUpdated arrives
    fairness            boolean NOT NULL DEFAULT false,
    industry_preference text    NOT NULL DEFAULT 'different',
    weights             jsonb   NOT NULL DEFAULT '{}',
    settings_updated_at timestamptz
);

CREATE TABLE companies (
    company_id uuid PRIMARY KEY,
    name       text NOT NULL
);

CREATE TABLE participants (
    participant_id uuid PRIMARY KEY,
    cohort_id      uuid    NOT NULL,
    company_id     uuid    NOT NULL,
    role           text    NOT NULL CHECK (role IN ('mentor', 'mentee')),
    display_name   text    NOT NULL DEFAULT '',
    profile        jsonb,                          -- null when only a withdrawal has arrived so far
    profile_as_of  timestamptz,                    -- occurred_at of the event the profile came from
    withdrawn      boolean NOT NULL DEFAULT false
);
CREATE INDEX participants_by_cohort ON participants (cohort_id, role);

CREATE TABLE runs (
    run_id       uuid PRIMARY KEY,
    cohort_id    uuid        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('proposed', 'approved', 'superseded')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    approved_at  timestamptz,
    settings     jsonb       NOT NULL,             -- the weights and settings the run used
    objective    jsonb       NOT NULL,
    solver       jsonb       NOT NULL,
    unmatched    jsonb       NOT NULL,
    dropped_pins jsonb       NOT NULL DEFAULT '[]'
);
CREATE INDEX runs_by_cohort ON runs (cohort_id, created_at DESC);

CREATE TABLE proposals (
    run_id      uuid             NOT NULL REFERENCES runs ON DELETE CASCADE,
    mentee_id   uuid             NOT NULL,
    mentor_id   uuid             NOT NULL,
    score       double precision NOT NULL,
    explanation jsonb            NOT NULL,
    pinned      boolean          NOT NULL,
    PRIMARY KEY (run_id, mentee_id)
);

CREATE TABLE pins (
    cohort_id  uuid        NOT NULL,
    mentee_id  uuid        NOT NULL,
    mentor_id  uuid        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cohort_id, mentee_id)
);

CREATE TABLE exclusions (
    cohort_id  uuid        NOT NULL,
    mentee_id  uuid        NOT NULL,
    mentor_id  uuid        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cohort_id, mentee_id, mentor_id)
);

CREATE TABLE pairs (
    pair_id           uuid PRIMARY KEY,
    cohort_id         uuid             NOT NULL,
    run_id            uuid             NOT NULL,
    mentee_id         uuid             NOT NULL,
    mentor_id         uuid             NOT NULL,
    mentee_company_id uuid             NOT NULL,
    mentor_company_id uuid             NOT NULL,
    score             double precision NOT NULL,
    explanation       jsonb            NOT NULL,
    matched_at        timestamptz      NOT NULL DEFAULT now(),
    ended_on          date,
    end_reason        text,
    do_not_rematch    boolean          NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX pairs_one_active_per_mentee ON pairs (mentee_id) WHERE ended_on IS NULL;
CREATE UNIQUE INDEX pairs_once_per_run ON pairs (run_id, mentee_id);
CREATE INDEX pairs_active_by_mentor ON pairs (mentor_id) WHERE ended_on IS NULL;
CREATE INDEX pairs_by_cohort ON pairs (cohort_id);
