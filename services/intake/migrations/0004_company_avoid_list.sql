-- A partner company may name companies its people must not be paired with (competitors). Intake adds
-- them to each of its participants' avoid list in the profile it publishes; a participant's own list
-- stays in participants.avoid_company_ids.
ALTER TABLE companies ADD COLUMN avoid_company_ids uuid[] NOT NULL DEFAULT '{}';
