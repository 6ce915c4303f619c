DROP INDEX votes_user;
DROP INDEX post_revisions_editor;
DROP INDEX threads_accepted_post;
DROP INDEX threads_first_response_by;
DROP TABLE helper_totals;
ALTER TABLE posts DROP COLUMN recommended_at;
ALTER TABLE posts DROP COLUMN recommended_by;
DROP TABLE badge_awards;
