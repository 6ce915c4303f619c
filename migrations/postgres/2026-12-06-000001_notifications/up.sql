-- Notifications (issue: notifications). One row per person told about one thing; written by
-- the notifier, a consumer of the event log. `event_id` names the event that caused it (events
-- are pruned, so no foreign key); the unique index makes a replayed event notify nobody twice.
CREATE TABLE notifications (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    event_id BIGINT NOT NULL,
    thread_id BIGINT REFERENCES threads(id) ON DELETE CASCADE,
    post_id BIGINT,
    actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP
);
CREATE UNIQUE INDEX notifications_once ON notifications (user_id, event_id, kind);
CREATE INDEX notifications_user ON notifications (user_id, id);
-- The bell's count reads only unread rows.
CREATE INDEX notifications_unread ON notifications (user_id, id) WHERE read_at IS NULL;

-- How closely someone follows a thread: watching (every post), normal (what concerns them),
-- muted (nothing). No row: normal.
CREATE TABLE thread_watches (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    level TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);
CREATE INDEX thread_watches_thread ON thread_watches (thread_id, level);

-- Categories and tags watched: watching (every post of every thread) or first_post (each new
-- question only).
CREATE TABLE category_watches (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    category_id BIGINT NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    level TEXT NOT NULL,
    PRIMARY KEY (user_id, category_id)
);
CREATE INDEX category_watches_category ON category_watches (category_id);
CREATE TABLE tag_watches (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    level TEXT NOT NULL,
    PRIMARY KEY (user_id, tag_id)
);
CREATE INDEX tag_watches_tag ON tag_watches (tag_id);

-- How each kind of notification is emailed: instant, daily, weekly or never. No row: the
-- kind's default (see notify::Kind::default_delivery).
CREATE TABLE notification_prefs (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    delivery TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
-- The hour (in the user's zone) digests go out, and when the last ones went.
ALTER TABLE users ADD COLUMN digest_hour INTEGER NOT NULL DEFAULT 8;
ALTER TABLE users ADD COLUMN daily_digest_at TIMESTAMP;
ALTER TABLE users ADD COLUMN weekly_digest_at TIMESTAMP;

-- Outgoing mail, written in the transaction of what caused it; the sender (one per cluster)
-- delivers it. A notification's mail is worded when sent (and dropped if read by then);
-- account mail (verification, reset) is worded when written, since it carries a one-time link.
CREATE TABLE email_jobs (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    to_address TEXT NOT NULL,
    kind TEXT NOT NULL,
    notification_id BIGINT REFERENCES notifications(id) ON DELETE CASCADE,
    subject TEXT NOT NULL DEFAULT '',
    body_text TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    -- Extra headers as a JSON array of [name, value] (List-Unsubscribe, ...).
    headers TEXT NOT NULL DEFAULT '[]',
    message_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    send_after TIMESTAMP NOT NULL,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX email_jobs_due ON email_jobs (send_after) WHERE status = 'pending';
CREATE INDEX email_jobs_status ON email_jobs (status, id);

-- One-time links sent by email: verify an address, reset a password. Only the hash is kept.
CREATE TABLE email_tokens (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);
