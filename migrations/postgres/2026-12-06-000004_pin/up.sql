-- Pinned to the top of its category by a moderator.
ALTER TABLE threads ADD COLUMN pinned_at TIMESTAMP;
