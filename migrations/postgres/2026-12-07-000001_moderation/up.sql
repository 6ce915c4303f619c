-- Moderation: what is visible to whom, flags, held edits, watched words, silenced accounts.
-- Keep in step with migrations/<other backend>/<same name>.

-- A post or comment is visible, held for approval (new account, watched word), hidden (by
-- flags pending review, or by a moderator) or deleted (soft: moderators can restore it). The
-- reason is shown to the author.
ALTER TABLE posts ADD COLUMN state TEXT NOT NULL DEFAULT 'visible';
ALTER TABLE posts ADD COLUMN state_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN state_at TIMESTAMP;
CREATE INDEX posts_not_visible ON posts (state, id) WHERE state <> 'visible';
ALTER TABLE comments ADD COLUMN state TEXT NOT NULL DEFAULT 'visible';
ALTER TABLE comments ADD COLUMN state_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN state_at TIMESTAMP;
CREATE INDEX comments_not_visible ON comments (state, id) WHERE state <> 'visible';
-- The same text twice within minutes is refused: a person's recent comments.
CREATE INDEX comments_author ON comments (author_id, created_at);

-- A thread's state follows its question post, unless unlisted or merged into another thread;
-- listings, counts and search show only 'visible' threads.
ALTER TABLE threads ADD COLUMN state TEXT NOT NULL DEFAULT 'visible';
ALTER TABLE threads ADD COLUMN unlisted_at TIMESTAMP;
ALTER TABLE threads ADD COLUMN merged_into_id BIGINT;
-- Why a moderator closed it (off_topic, duplicate, resolved_elsewhere, not_reproducible, other).
ALTER TABLE threads ADD COLUMN close_reason TEXT NOT NULL DEFAULT '';

-- Silenced: can read, cannot post. What moderators thought of a person's flags.
ALTER TABLE users ADD COLUMN silenced_until TIMESTAMP;
ALTER TABLE users ADD COLUMN flags_agreed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN flags_dismissed INTEGER NOT NULL DEFAULT 0;

-- A flag on a post, comment or article feedback ("target"). One open flag per person per
-- target; the outcome stays on the row for the flagger to see.
CREATE TABLE flags (
    id BIGSERIAL PRIMARY KEY,
    target TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    thread_id BIGINT,
    category_id BIGINT,
    -- None: flagged automatically (a watched word).
    flagger_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    duplicate_of_id BIGINT,
    weight INTEGER NOT NULL DEFAULT 1,
    status TEXT NOT NULL DEFAULT 'open',
    resolved_by BIGINT,
    resolved_at TIMESTAMP,
    outcome_reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX flags_one_open ON flags (target, target_id, flagger_id) WHERE status = 'open';
CREATE INDEX flags_open ON flags (status, target, target_id);
CREATE INDEX flags_flagger ON flags (flagger_id, id);

-- An edit waiting for a moderator (new account adding links, a watched word): applied as the
-- editor's revision when approved.
CREATE TABLE held_edits (
    id BIGSERIAL PRIMARY KEY,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    editor_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title TEXT,
    tags TEXT,
    body_md TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX held_edits_post ON held_edits (post_id);

-- Words and patterns an admin watches for: block the post, hold it for approval, or flag it.
CREATE TABLE watched_words (
    id BIGSERIAL PRIMARY KEY,
    pattern TEXT NOT NULL UNIQUE,
    is_regex BOOLEAN NOT NULL DEFAULT FALSE,
    action TEXT NOT NULL,
    created_by BIGINT,
    created_at TIMESTAMP NOT NULL
);
