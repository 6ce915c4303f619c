ALTER TABLE threads DROP COLUMN pinned_at;
