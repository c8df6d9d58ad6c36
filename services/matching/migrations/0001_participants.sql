CREATE TABLE participants (
    participant_id uuid PRIMARY KEY,
    company_id     uuid NOT NULL,
    cohort_id      uuid NOT NULL,
    role           text NOT NULL,
    withdrawn      boolean NOT NULL DEFAULT false
);
