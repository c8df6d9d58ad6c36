-- Who is who, from intake's events: staff handing out a pair's tokens need to see the two names.
CREATE TABLE participants (
    participant_id uuid PRIMARY KEY,
    display_name   text,
    withdrawn      boolean NOT NULL DEFAULT false,
    stated_at      timestamptz NOT NULL
);
