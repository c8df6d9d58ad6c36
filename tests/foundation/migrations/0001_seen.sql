-- A stand-in projection for the delivery tests: one row per participant seen.
CREATE TABLE seen_participants (
    participant_id uuid PRIMARY KEY,
    display_name   text NOT NULL
);
