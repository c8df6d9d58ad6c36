-- The cluster tests' projection: every event applied, in the order applied. No unique key on
-- purpose: an event applied twice shows as two rows.
CREATE TABLE arrivals (
    arrival   bigserial PRIMARY KEY,
    event_id  uuid NOT NULL,
    key       uuid NOT NULL,
    seq       integer NOT NULL
);
