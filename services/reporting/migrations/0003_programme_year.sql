-- The programme year: a cohort's timeline and closing (intake), pairs' agreements and evaluations with
-- their scaled answers (sessions). No free text arrives here: agreement terms, what an answer says and
-- quotes stay in sessions.
ALTER TABLE cohorts
    ADD COLUMN kickoff_on date,
    ADD COLUMN midpoint_on date,
    ADD COLUMN closing_on date,
    ADD COLUMN closed_on date;

-- The latest statement of each pair's agreement (sessions numbers them: version).
CREATE TABLE agreements (
    pair_id              uuid PRIMARY KEY,
    cohort_id            uuid NOT NULL,
    frequency            text NOT NULL,
    recorded_on          date NOT NULL,
    confirmed_by_mentor  boolean NOT NULL,
    confirmed_by_mentee  boolean NOT NULL,
    version              integer NOT NULL
);
CREATE INDEX agreements_cohort ON agreements (cohort_id);

CREATE TABLE evaluations (
    evaluation_id  uuid PRIMARY KEY,
    cohort_id      uuid NOT NULL,
    kind           text NOT NULL,
    opens_on       date NOT NULL,
    closes_on      date NOT NULL
);

-- One row per member's answer: who answered is kept only to count each once; views show aggregates.
CREATE TABLE evaluation_answers (
    evaluation_id     uuid NOT NULL,
    participant_id    uuid NOT NULL,
    cohort_id         uuid NOT NULL,
    role              text NOT NULL,
    company_id        uuid,
    expectations_met  smallint NOT NULL,
    learning          smallint NOT NULL,
    openness          smallint NOT NULL,
    programme         smallint NOT NULL,
    PRIMARY KEY (evaluation_id, participant_id)
);
CREATE INDEX evaluation_answers_cohort ON evaluation_answers (cohort_id);
