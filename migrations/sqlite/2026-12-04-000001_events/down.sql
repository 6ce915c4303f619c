DROP TABLE event_leases;
DROP TABLE event_cursors;
CREATE TABLE search_outbox (
    id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO search_outbox (id, entity, entity_id, created_at)
SELECT id, CASE WHEN article_id IS NOT NULL THEN 'article' ELSE 'thread' END,
       COALESCE(article_id, thread_id, 0), created_at
FROM events WHERE article_id IS NOT NULL OR thread_id IS NOT NULL;
CREATE INDEX search_outbox_created ON search_outbox (created_at);
DROP TABLE events;
