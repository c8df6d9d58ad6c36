-- Pruning processed_events (shared/messaging/inbox.py). Each id records where its event stands in its
-- producer's outbox (the relay's x-producer and x-outbox-position headers); pruning keeps, per stream
-- (topic, partition, producer), the newest pruned row as the watermark: a record of that stream at or
-- below its position was handled already, whatever its id.
ALTER TABLE processed_events
    ADD COLUMN producer        text,
    ADD COLUMN source_position bigint,
    ADD COLUMN watermark       boolean NOT NULL DEFAULT false;
CREATE INDEX processed_events_prunable ON processed_events (processed_at)
    WHERE source_position IS NOT NULL AND NOT watermark;
CREATE UNIQUE INDEX processed_events_watermark ON processed_events (topic, partition, producer)
    WHERE watermark;
