-- The consent texts participants agree to, versioned: each version in Danish and English with the day it
-- takes effect. A registration records the version it agreed to (participants.consent_text_version); one
-- that names none gets the version in force that day. Versions are never changed or deleted.
CREATE TABLE consent_texts (
    version       text        PRIMARY KEY,
    text_da       text        NOT NULL,
    text_en       text        NOT NULL,
    published_on  date        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_texts_by_day ON consent_texts (published_on DESC, created_at DESC);
