-- Every search, for the self-service metrics: what was asked, how many results, what was clicked.
CREATE TABLE search_log (
    id INTEGER PRIMARY KEY,
    search_id TEXT NOT NULL UNIQUE,
    query TEXT NOT NULL,
    filters TEXT NOT NULL DEFAULT '',
    result_count INTEGER NOT NULL,
    clicked TEXT,
    session TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT 'web',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX search_log_created ON search_log (created_at);
CREATE INDEX search_log_gaps ON search_log (result_count, created_at);
CREATE INDEX search_outbox_created ON search_outbox (created_at);
