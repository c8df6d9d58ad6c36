-- A cohort's programme timeline (kick-off, mid-point, closing; unset until staff give them) and the day
-- staff closed the cohort (NULL while it runs): a closed cohort takes no registrations and no changes.
ALTER TABLE cohorts
    ADD COLUMN kickoff_on date,
    ADD COLUMN midpoint_on date,
    ADD COLUMN closing_on date,
    ADD COLUMN closed_on date;
