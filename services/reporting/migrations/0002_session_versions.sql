-- Sessions number each session's history (1 = held, then one per correction or retraction). When given,
-- that number decides which statement is the latest; timestamps only break ties between unnumbered ones.
ALTER TABLE sessions ADD COLUMN version_no integer NOT NULL DEFAULT 0;
