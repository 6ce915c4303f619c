-- Sign-in identities at OAuth2 / OpenID Connect providers (SQLite). Keep in step with
-- migrations/postgres/<same name>. Keyed by (issuer, subject), never by email.
CREATE TABLE identities (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- The configured provider id (auth.providers[].id) it was made with.
    provider TEXT NOT NULL,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    -- The address the provider last reported (informational).
    email TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    UNIQUE (issuer, subject)
);
CREATE INDEX identities_user ON identities (user_id);
