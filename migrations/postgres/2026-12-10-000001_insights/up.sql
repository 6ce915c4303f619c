-- The self-service dashboard (insights). For every search: how well its best result matched
-- (a weak best result nobody opened is a content gap) and which result that was. For the ask
-- page's similar-question lookups: the random id of the ask-page visit they came from, whether
-- this is the visit's latest lookup so far (the title as the asker left it) and whether the
-- visit opened a suggestion; the search-log flusher keeps both flags, so the dashboard reads one
-- row per visit. `ask_posts`: the question a visit posted (a visit that opened a suggestion and
-- posted nothing was deflected).
ALTER TABLE search_log ADD COLUMN best_score DOUBLE PRECISION;
ALTER TABLE search_log ADD COLUMN top_result TEXT;
ALTER TABLE search_log ADD COLUMN ask_session TEXT;
ALTER TABLE search_log ADD COLUMN visit_last BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE search_log ADD COLUMN visit_opened BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX search_log_ask_session ON search_log (ask_session) WHERE ask_session IS NOT NULL;
-- The dashboard reads these instead of the rows (covering indexes): one entry per visit, and
-- every search's day, source, click, match and wording for the searches per day and the gaps.
CREATE INDEX search_log_visits ON search_log (created_at, visit_opened, ask_session, visit_last)
    WHERE visit_last;
CREATE INDEX search_log_searches ON search_log
    (created_at, source, clicked, result_count, best_score, visit_last, visit_opened, query);
CREATE TABLE ask_posts (
    id BIGSERIAL PRIMARY KEY,
    ask_session TEXT NOT NULL,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ask_posts_session ON ask_posts (ask_session);
CREATE INDEX ask_posts_thread ON ask_posts (thread_id);
