ALTER TABLE categories DROP COLUMN business_hours;
