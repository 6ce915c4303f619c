DROP TABLE helper_totals;
ALTER TABLE posts DROP COLUMN recommended_at;
ALTER TABLE posts DROP COLUMN recommended_by;
DROP TABLE badge_awards;
