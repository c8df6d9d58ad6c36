-- Consented evaluation quotes (EvaluationQuoteConsented, the quote sealed under its author's key and
-- opened by the consumer). Shown signed by role and year only; participant_id is kept to drop the quote
-- when its author is erased. A withdrawn quote keeps its row with no text, so a replay of the consent
-- that comes after it (any arrival order) does not bring the quote back.
CREATE TABLE evaluation_quotes (
    evaluation_id   uuid NOT NULL,
    participant_id  uuid NOT NULL,
    cohort_id       uuid NOT NULL,
    kind            text NOT NULL,
    role            text NOT NULL,
    year            integer NOT NULL,
    quote           text,
    withdrawn       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (evaluation_id, participant_id)
);
CREATE INDEX evaluation_quotes_cohort ON evaluation_quotes (cohort_id);
