-- Every service's event store and outbox: what it emitted, in order, and whether the relay sent it.
CREATE TABLE outbox (
    position       bigserial PRIMARY KEY,
    event_id       uuid        NOT NULL UNIQUE,
    topic          text        NOT NULL,
    key            text        NOT NULL,
    event_type     text        NOT NULL,
    schema_version integer     NOT NULL DEFAULT 1,
    payload        bytea       NOT NULL,
    correlation_id uuid,
    created_at     timestamptz NOT NULL DEFAULT now(),
    published_at   timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (position) WHERE published_at IS NULL;

-- The broker this outbox was last published to; a different one (a restarted embedded broker) gets everything again.
CREATE TABLE relay_state (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    cluster_id text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every event a consumer has applied, written in the same transaction as the projection change.
CREATE TABLE processed_events (
    event_id     uuid PRIMARY KEY,
    event_type   text        NOT NULL,
    topic        text        NOT NULL,
    partition    integer     NOT NULL,
    "offset"     bigint      NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);
