-- Events of a newer schema version than this service understands, parked (and published to the parked
-- topic) until the service is upgraded and an operator replays them; resolved when one is applied.
CREATE TABLE parked_events (
    event_id       uuid PRIMARY KEY,
    event_type     text        NOT NULL,
    schema_version integer     NOT NULL,
    topic          text        NOT NULL,
    partition      integer     NOT NULL,
    "offset"       bigint      NOT NULL,
    reason         text        NOT NULL,
    parked_at      timestamptz NOT NULL DEFAULT now(),
    resolved_at    timestamptz
);
CREATE INDEX parked_events_waiting ON parked_events (event_id) WHERE resolved_at IS NULL;
