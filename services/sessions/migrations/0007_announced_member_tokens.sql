-- Whether a member token's hash was published (MemberTokenIssued). Tokens issued before that event
-- existed are not: a periodic job announces them once, so their members can ask for their own export.
ALTER TABLE member_tokens ADD COLUMN announced boolean NOT NULL DEFAULT false;
