-- Server-side sessions: the cookie names a session (by the hash of its id), so signing out
-- ends it wherever the cookie was copied, and sessions idle for too long expire.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);

-- Rate limits shared by every node: one row per (rule, key) with the GCRA state (the
-- theoretical arrival time), repeated-burst strikes, and a revision for compare-and-swap.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    tat TIMESTAMP NOT NULL,
    strikes INTEGER NOT NULL DEFAULT 0,
    blocked_until TIMESTAMP,
    rev BIGINT NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX rate_limits_updated ON rate_limits (updated_at);

-- OpenID Connect / OAuth2 `state` values already used by a callback: a replay is refused
-- before the provider's token endpoint is called again.
CREATE TABLE oauth_used_states (
    state_hash TEXT PRIMARY KEY,
    used_at TIMESTAMP NOT NULL
);
CREATE INDEX oauth_used_states_used ON oauth_used_states (used_at);
