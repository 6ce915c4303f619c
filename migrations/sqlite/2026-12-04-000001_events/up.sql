-- The domain event log replaces the search outbox: every action writes what happened in the
-- same transaction as the change; consumers (the search indexer first) read it in id order.
-- No foreign keys: events outlive what they name and are pruned by age. `INTEGER PRIMARY KEY`
-- reuses the highest id once it is deleted, so pruning always keeps the newest row.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    actor_id BIGINT,
    thread_id BIGINT,
    post_id BIGINT,
    article_id BIGINT,
    subject_id BIGINT,
    payload TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMP NOT NULL
);
-- Outbox rows keep their ids, so search index cursors stay valid.
INSERT INTO events (id, kind, thread_id, article_id, created_at)
SELECT id,
       CASE entity WHEN 'article' THEN 'article_reindexed' ELSE 'thread_reindexed' END,
       CASE entity WHEN 'article' THEN NULL ELSE entity_id END,
       CASE entity WHEN 'article' THEN entity_id ELSE NULL END,
       created_at
FROM search_outbox;
DROP TABLE search_outbox;
CREATE INDEX events_created ON events (created_at);

-- Each consumer's durable position: every event up to `position` is applied, and so are the
-- ids listed in `applied` (events past `position` that committed early; see events::Tail).
CREATE TABLE event_cursors (
    consumer TEXT PRIMARY KEY,
    position BIGINT NOT NULL,
    applied TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL
);

-- Consumers that run once per cluster hold a lease: one holder until it expires.
CREATE TABLE event_leases (
    consumer TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
