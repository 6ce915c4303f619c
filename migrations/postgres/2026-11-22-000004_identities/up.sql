-- Sign-in identities at OAuth2 / OpenID Connect providers (PostgreSQL). Keep in step with
-- migrations/sqlite/<same name>. Keyed by (issuer, subject), never by email.
CREATE TABLE identities (
    id BIGSERIAL PRIMARY KEY,
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

-- Whether the address is known to belong to the person: a provider said it was verified. Local
-- sign-ups are not (no mail is sent), so an account is joined by email only when it is.
ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT FALSE;
