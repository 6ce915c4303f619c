ALTER TABLE threads DROP COLUMN lock_reason;
ALTER TABLE threads DROP COLUMN locked_at;
