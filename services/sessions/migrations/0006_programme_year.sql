-- The programme year as sessions needs it: cohorts from intake's events (a closed cohort takes no new
-- sessions, agreements or evaluation answers; the name gives quotes their year), each pair's agreement,
-- the evaluations staff open and the members' answers.
CREATE TABLE cohorts (
    cohort_id   uuid PRIMARY KEY,
    name        text,
    kickoff_on  date,
    closing_on  date,
    closed_on   date,
    stated_at   timestamptz
);

-- A pair's agreement. `terms` is the pair's free text: no CHECK constraint anywhere near it (a failing
-- constraint's message quotes the row), never in an event, a log line or an answer to staff.
CREATE TABLE agreements (
    pair_id              uuid PRIMARY KEY REFERENCES pairs DEFERRABLE INITIALLY IMMEDIATE,
    cohort_id            uuid NOT NULL,
    frequency            text NOT NULL,
    terms                text NOT NULL,
    recorded_on          date NOT NULL,
    recorded_by          text NOT NULL,
    mentor_confirmed_on  date,
    mentee_confirmed_on  date,
    version              integer NOT NULL
);

CREATE TABLE evaluations (
    evaluation_id  uuid PRIMARY KEY,
    cohort_id      uuid NOT NULL,
    kind           text NOT NULL,
    opens_on       date NOT NULL,
    closes_on      date NOT NULL,
    opened_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (cohort_id, kind)
);

-- One answer per member and evaluation: the scaled answers (these travel in EvaluationSubmitted).
CREATE TABLE evaluation_answers (
    evaluation_id     uuid NOT NULL REFERENCES evaluations,
    participant_id    uuid NOT NULL,
    pair_id           uuid NOT NULL,
    role              text NOT NULL,
    company_id        uuid,
    expectations_met  smallint NOT NULL,
    learning          smallint NOT NULL,
    openness          smallint NOT NULL,
    programme         smallint NOT NULL,
    submitted_on      date NOT NULL,
    PRIMARY KEY (evaluation_id, participant_id)
);

-- The answer's free text, apart and without constraints (like session notes): what the relation gave,
-- what to improve, and a quote published (anonymously, as "Mentor 2027") only when consented.
CREATE TABLE evaluation_texts (
    evaluation_id    uuid NOT NULL,
    participant_id   uuid NOT NULL,
    gave             text NOT NULL,
    improve          text NOT NULL,
    quote            text,
    quote_consented  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (evaluation_id, participant_id),
    FOREIGN KEY (evaluation_id, participant_id) REFERENCES evaluation_answers
);
