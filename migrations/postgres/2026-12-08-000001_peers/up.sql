-- Peer help: the reputation ledger, trust levels, visit days.
-- Keep in step with migrations/<other backend>/<same name>.

-- Every reputation change with its cause. `source` names the cause (e.g. "vote:41:7"): one
-- row per person and cause, so a replay writes nothing twice and undoing the cause removes it.
-- A person's reputation is derived from these rows (votes capped per day, see peers::ledger).
CREATE TABLE reputation_ledger (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    amount INTEGER NOT NULL,
    source TEXT NOT NULL,
    post_id BIGINT,
    thread_id BIGINT,
    category_id BIGINT,
    day TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, source)
);
CREATE INDEX reputation_ledger_user ON reputation_ledger (user_id, created_at);
CREATE INDEX reputation_ledger_post ON reputation_ledger (post_id);

-- Trust levels 0-4 (docs/peers.md); a moderator may lock one.
ALTER TABLE users ADD COLUMN trust_level INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN trust_locked BOOLEAN NOT NULL DEFAULT FALSE;

-- The days a person visited (signed in), for trust levels and visit streaks.
CREATE TABLE user_days (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    PRIMARY KEY (user_id, day)
);
