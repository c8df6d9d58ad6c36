-- Sessions' projection of pairs (from matching's PairMatched / PairEnded).
-- matched_on stays NULL while only a PairEnded has arrived (store what you know).
CREATE TABLE pairs (
    pair_id     uuid PRIMARY KEY,
    cohort_id   uuid NOT NULL,
    mentee_id   uuid NOT NULL,
    mentor_id   uuid NOT NULL,
    matched_on  date,
    ended_on    date,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The members' personal tokens: only their SHA-256 is kept; issuing again replaces (revokes) the old one.
CREATE TABLE member_tokens (
    pair_id     uuid NOT NULL REFERENCES pairs,
    role        text NOT NULL CHECK (role IN ('mentor', 'mentee')),
    token_hash  text NOT NULL UNIQUE,
    generation  integer NOT NULL,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (pair_id, role)
);

-- Pair ids staff used before sessions knew them: plausibly in flight for a grace period (409), then 404.
CREATE TABLE unknown_pair_sightings (
    pair_id        uuid PRIMARY KEY,
    first_seen_at  timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now(),
    attempts       integer NOT NULL DEFAULT 1
);

-- Each session as it stands now (its latest version). first_started_at is the idempotency key of logging.
CREATE TABLE sessions (
    session_id        uuid PRIMARY KEY,
    pair_id           uuid NOT NULL REFERENCES pairs,
    cohort_id         uuid NOT NULL,
    first_started_at  timestamptz NOT NULL,
    held_on           date NOT NULL,
    started_at        timestamptz NOT NULL,
    duration_minutes  integer NOT NULL CHECK (duration_minutes BETWEEN 10 AND 600),
    format            text NOT NULL CHECK (format IN ('in_person', 'online', 'phone')),
    tools             text[] NOT NULL,
    rating            integer CHECK (rating BETWEEN 1 AND 5),
    logged_by         text NOT NULL CHECK (logged_by IN ('mentor', 'mentee', 'staff')),
    version           integer NOT NULL,
    retracted         boolean NOT NULL DEFAULT false,
    first_event_id    uuid NOT NULL,
    last_event_id     uuid NOT NULL,
    UNIQUE (pair_id, first_started_at)
);
-- Two live sessions of one pair never start at the same moment.
CREATE UNIQUE INDEX sessions_live_start ON sessions (pair_id, started_at) WHERE NOT retracted;

-- Every version of every session: held (1), then corrections and a retraction. Never updated.
CREATE TABLE session_versions (
    session_id         uuid NOT NULL REFERENCES sessions,
    version            integer NOT NULL,
    kind               text NOT NULL CHECK (kind IN ('held', 'corrected', 'retracted')),
    held_on            date NOT NULL,
    started_at         timestamptz NOT NULL,
    duration_minutes   integer NOT NULL,
    format             text NOT NULL,
    tools              text[] NOT NULL,
    rating             integer,
    recorded_by        text NOT NULL,
    retraction_reason  text,
    event_id           uuid NOT NULL UNIQUE,
    recorded_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, version)
);

-- Private notes, apart from everything else, with no CHECK constraint: a failing constraint's error
-- message quotes the row, and notes must never appear in an error. A row per version that set them
-- (NULL = cleared); the notes in force at version v are the latest row at or before v.
CREATE TABLE session_notes (
    session_id  uuid NOT NULL,
    version     integer NOT NULL,
    notes       text,
    PRIMARY KEY (session_id, version),
    FOREIGN KEY (session_id, version) REFERENCES session_versions
);
