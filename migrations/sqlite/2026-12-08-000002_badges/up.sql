-- Badges earned (peers::badges): one row per person, badge and cause (`source`: '' for
-- badges earned once, the post or thread for those earned again and again), so awarding twice
-- writes nothing.
CREATE TABLE badge_awards (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    badge TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    post_id BIGINT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, badge, source)
);
CREATE INDEX badge_awards_badge ON badge_awards (badge, created_at);

-- "Recommended by staff" on a peer's answer.
ALTER TABLE posts ADD COLUMN recommended_by BIGINT;
ALTER TABLE posts ADD COLUMN recommended_at TIMESTAMP;

-- Running totals for the leaderboards: per category (0: the whole site), person and period
-- ('all', 'w' + the Monday of the week, 'm' + the month), kept in step with the ledger.
CREATE TABLE helper_totals (
    category_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    accepted INTEGER NOT NULL DEFAULT 0,
    reputation INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (category_id, period, user_id)
);
CREATE INDEX helper_totals_rank ON helper_totals (category_id, period, accepted, reputation);

-- What badges and trust levels look up per person.
CREATE INDEX threads_first_response_by ON threads (first_response_by);
CREATE INDEX threads_accepted_post ON threads (accepted_post_id);
CREATE INDEX post_revisions_editor ON post_revisions (editor_id);
CREATE INDEX votes_user ON votes (user_id, value);
