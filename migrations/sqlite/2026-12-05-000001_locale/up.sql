-- The interface language and time zone a user chose (NULL: follow the browser).
ALTER TABLE users ADD COLUMN locale TEXT;
ALTER TABLE users ADD COLUMN time_zone TEXT;
