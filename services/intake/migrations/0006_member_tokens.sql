-- Pair members' personal tokens as sessions announced them (MemberTokenIssued: only the SHA-256), so a
-- member can read their own data export here; the newest generation per pair seat is the live one.
CREATE TABLE member_tokens (
    pair_id        uuid    NOT NULL,
    role           text    NOT NULL,
    participant_id uuid    NOT NULL,
    token_hash     text    NOT NULL,
    generation     integer NOT NULL,
    PRIMARY KEY (pair_id, role)
);
CREATE INDEX member_tokens_by_hash ON member_tokens (token_hash);
