-- A stand-in for a consumer of intake's events (what matching keeps): one row per participant.
CREATE TABLE seen_participants (
    participant_id   uuid PRIMARY KEY,
    cohort_id        uuid     NOT NULL,
    role             text     NOT NULL,
    leadership_level smallint NOT NULL,
    withdrawn        boolean  NOT NULL DEFAULT false
);
