-- A moderator's lock: no new answers, comments or follow-ups; the reason is shown on the page.
ALTER TABLE threads ADD COLUMN locked_at TIMESTAMP;
ALTER TABLE threads ADD COLUMN lock_reason TEXT NOT NULL DEFAULT '';
