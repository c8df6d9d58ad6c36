-- A rebuild empties the pairs projection and replays matching's events in one transaction: sessions and
-- members' tokens keep referring to pairs, so those references are checked when the transaction commits
-- (SET CONSTRAINTS ALL DEFERRED in the rebuild only; everywhere else they stay checked at once).
ALTER TABLE sessions ALTER CONSTRAINT sessions_pair_id_fkey DEFERRABLE INITIALLY IMMEDIATE;
ALTER TABLE member_tokens ALTER CONSTRAINT member_tokens_pair_id_fkey DEFERRABLE INITIALLY IMMEDIATE;
