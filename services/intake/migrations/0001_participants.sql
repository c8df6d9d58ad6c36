CREATE TABLE participants (
    participant_id uuid PRIMARY KEY,
    company_id     uuid NOT NULL,
    cohort_id      uuid NOT NULL,
    role           text NOT NULL CHECK (role IN ('mentor', 'mentee')),
    display_name   text NOT NULL,
    profile        jsonb NOT NULL,
    registered_at  timestamptz NOT NULL DEFAULT now()
);
