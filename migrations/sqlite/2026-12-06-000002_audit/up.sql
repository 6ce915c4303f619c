-- The audit log: every moderation, staff and admin action, kept for good. Written by the
-- `audit` consumer of the event log (one row per event: replays write nothing twice); no code
-- path updates or deletes a row. No foreign keys: entries outlive the users and objects they name.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    event_id BIGINT NOT NULL UNIQUE,
    actor_id BIGINT,
    action TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id BIGINT,
    reason TEXT NOT NULL DEFAULT '',
    before TEXT NOT NULL DEFAULT '{}',
    after TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_object ON audit_log (object_kind, object_id);
