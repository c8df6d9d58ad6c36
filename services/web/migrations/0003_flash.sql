-- What a page shows once after a form (a new API key, new personal links): kept in the visitor's own
-- session row between the POST and the GET it redirects to, and cleared by that GET.
ALTER TABLE web_sessions ADD COLUMN flash jsonb;
