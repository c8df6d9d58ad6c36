-- People erased (ParticipantErased), kept by every service outside its projections: a rebuild or a
-- replay of the whole log never brings one back, even from plain values of events from before sealing.
CREATE TABLE erased_subjects (
    subject   uuid PRIMARY KEY,
    erased_at timestamptz NOT NULL DEFAULT now()
);
