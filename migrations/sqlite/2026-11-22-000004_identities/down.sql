ALTER TABLE users DROP COLUMN email_verified;
DROP TABLE identities;
