-- A retracted session no longer holds its start: the pair may log that start again as a new session.
ALTER TABLE sessions DROP CONSTRAINT sessions_pair_id_first_started_at_key;
CREATE UNIQUE INDEX sessions_live_first_start ON sessions (pair_id, first_started_at) WHERE NOT retracted;
-- When each session was first logged: lists order by start, then by this.
ALTER TABLE sessions ADD COLUMN logged_at timestamptz NOT NULL DEFAULT now();
