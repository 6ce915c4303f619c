DROP TABLE user_days;
ALTER TABLE users DROP COLUMN trust_locked;
ALTER TABLE users DROP COLUMN trust_level;
DROP TABLE reputation_ledger;
