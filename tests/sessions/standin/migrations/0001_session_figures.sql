-- A downstream projection of sessions' events, shaped like what reporting keeps: the latest version wins.
CREATE TABLE session_figures (
    session_id        uuid PRIMARY KEY,
    pair_id           uuid NOT NULL,
    held_on           date,
    duration_minutes  integer,
    format            text,
    tools             text[],
    version           integer NOT NULL,
    retracted         boolean NOT NULL DEFAULT false
);
