-- Reminders (docs/intake.md "Reminders"): intake's own small projection of what matching and sessions
-- publish (pairs, sessions held, agreements, evaluations and their answers), the members who opted out,
-- and every reminder decided, once per (rule, pair, recipient, period), which is also the mail queue.

CREATE TABLE reminder_pairs (
    pair_id    uuid PRIMARY KEY,
    cohort_id  uuid NOT NULL,
    mentee_id  uuid NOT NULL,
    mentor_id  uuid NOT NULL,
    matched_at timestamptz NOT NULL,  -- its day is taken in the programme's zone, as reporting does
    ended_on   date
);

-- the latest statement of each session wins (by the sessions service's version); retraction is final
CREATE TABLE reminder_sessions (
    session_id uuid PRIMARY KEY,
    pair_id    uuid    NOT NULL,
    held_on    date    NOT NULL,
    version    integer NOT NULL DEFAULT 0,
    retracted  boolean NOT NULL DEFAULT false
);
CREATE INDEX reminder_sessions_of_pair ON reminder_sessions (pair_id);

CREATE TABLE reminder_agreements (
    pair_id     uuid PRIMARY KEY,
    recorded_on date NOT NULL
);

CREATE TABLE reminder_evaluations (
    evaluation_id uuid PRIMARY KEY,
    cohort_id     uuid NOT NULL,
    kind          text NOT NULL,
    opens_on      date NOT NULL,
    closes_on     date NOT NULL
);

CREATE TABLE reminder_evaluation_answers (
    evaluation_id  uuid NOT NULL,
    participant_id uuid NOT NULL,
    PRIMARY KEY (evaluation_id, participant_id)
);

-- a member who asked for no more reminders (staff notes about pairs at risk still go to staff)
CREATE TABLE reminder_opt_outs (
    participant_id uuid PRIMARY KEY,
    via            text        NOT NULL CHECK (via IN ('mail_link', 'pair_page')),
    opted_out_at   timestamptz NOT NULL
);

-- One row per reminder decided; the unique key makes each one once per rule, pair, recipient and period.
-- It is the durable mail queue too: `queued` rows are sent (and retried) by the mail task; ReminderSent is
-- written to the outbox in the transaction that marks a row `sent`.
CREATE TABLE reminders (
    reminder_id     uuid PRIMARY KEY,
    rule            text        NOT NULL CHECK (rule IN ('pair_at_risk', 'evaluation_unanswered', 'agreement_missing')),
    pair_id         uuid        NOT NULL,
    recipient       text        NOT NULL CHECK (recipient IN ('mentor', 'mentee', 'staff')),
    participant_id  uuid        CHECK ((recipient = 'staff') = (participant_id IS NULL)),
    period          text        NOT NULL,
    facts           jsonb       NOT NULL DEFAULT '{}',  -- dates and counts the mail states, never free text
    decided_at      timestamptz NOT NULL,
    status          text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'cancelled', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    sent_at         timestamptz,
    last_error      text,  -- the error's class and SMTP code only: its text may quote an address
    UNIQUE (rule, pair_id, recipient, period)
);
CREATE INDEX reminders_queued ON reminders (next_attempt_at) WHERE status = 'queued';
CREATE INDEX reminders_by_time ON reminders (decided_at DESC);
