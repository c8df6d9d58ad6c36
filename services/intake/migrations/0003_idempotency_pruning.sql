-- Idempotency records are pruned by age (see services/intake/service_layer/housekeeping.py): an index
-- on their age keeps the periodic prune from scanning the whole table.
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
