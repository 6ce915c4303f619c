DROP TABLE ask_posts;
DROP INDEX search_log_searches;
DROP INDEX search_log_visits;
DROP INDEX search_log_ask_session;
ALTER TABLE search_log DROP COLUMN visit_opened;
ALTER TABLE search_log DROP COLUMN visit_last;
ALTER TABLE search_log DROP COLUMN ask_session;
ALTER TABLE search_log DROP COLUMN top_result;
ALTER TABLE search_log DROP COLUMN best_score;
