-- Retention: the day staff anonymised a closed cohort (every participant erased, its figures kept).
ALTER TABLE cohorts ADD COLUMN anonymised_on date;

-- Withdrawals of consent: who asked (staff, the person's company, the person) and when. A withdrawal
-- erases the person; this row keeps only that it happened, by the participant's id.
CREATE TABLE consent_withdrawals (
    participant_id uuid        PRIMARY KEY,
    withdrawn_at   timestamptz NOT NULL,
    withdrawn_by   text        NOT NULL CHECK (withdrawn_by IN ('staff', 'company', 'self'))
);
