DROP TABLE site_settings;
ALTER TABLE categories DROP COLUMN private_questions;
DROP INDEX threads_staff_requested;
ALTER TABLE threads DROP COLUMN staff_requested_at;
ALTER TABLE threads DROP COLUMN privacy;
