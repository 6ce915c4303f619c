-- Support desk (SQLite). Keep in step with migrations/postgres/<same name>.

-- Staff teams a thread can be referred to ("Networking").
CREATE TABLE staff_groups (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE staff_group_members (
    group_id BIGINT NOT NULL REFERENCES staff_groups(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX staff_group_members_user ON staff_group_members (user_id);

-- "Staff usually reply within ..." (NULL: the category has no target).
ALTER TABLE categories ADD COLUMN first_response_minutes INTEGER;

-- First public response by someone other than the asker (answer or comment): the metric the
-- queue measures. Kept on the thread so the queue and the metrics never scan posts.
ALTER TABLE threads ADD COLUMN first_response_at TIMESTAMP;
ALTER TABLE threads ADD COLUMN first_response_by BIGINT REFERENCES users(id);
ALTER TABLE threads ADD COLUMN first_response_staff BOOLEAN NOT NULL DEFAULT FALSE;
-- The first response is due by then: the category's target when the question was asked
-- (recomputed for waiting threads when the target changes). NULL: no target.
ALTER TABLE threads ADD COLUMN respond_by TIMESTAMP;
-- Current assignment (history with notes is in thread_events).
ALTER TABLE threads ADD COLUMN assignee_id BIGINT REFERENCES users(id);
ALTER TABLE threads ADD COLUMN assigned_group_id BIGINT REFERENCES staff_groups(id);
-- Latest follow-up by the asker and latest public post by staff: "waiting on us" when the
-- follow-up is newer.
ALTER TABLE threads ADD COLUMN followup_at TIMESTAMP;
ALTER TABLE threads ADD COLUMN staff_reply_at TIMESTAMP;
CREATE INDEX threads_awaiting ON threads (first_response_at, respond_by);
CREATE INDEX threads_created ON threads (created_at);
CREATE INDEX threads_assignee ON threads (assignee_id, status);
CREATE INDEX threads_assigned_group ON threads (assigned_group_id, status);
-- Few threads have follow-ups: a partial index keeps "Follow-ups waiting" from scanning.
CREATE INDEX threads_followup ON threads (followup_at) WHERE followup_at IS NOT NULL;

-- Timeline entries that have no row of their own elsewhere: accepted, closed, reopened,
-- assigned, unassigned. `note` is for staff only (an assignment's context).
CREATE TABLE thread_events (
    id INTEGER PRIMARY KEY,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    actor_id BIGINT NOT NULL REFERENCES users(id),
    assignee_id BIGINT REFERENCES users(id),
    group_id BIGINT REFERENCES staff_groups(id),
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX thread_events_thread ON thread_events (thread_id, id);

-- "I will follow up by <time>": public, tracked, kept by a post or one click.
CREATE TABLE promises (
    id INTEGER PRIMARY KEY,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    staff_id BIGINT NOT NULL REFERENCES users(id),
    due_at TIMESTAMP NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    kept_at TIMESTAMP,
    -- Who kept it (the promiser by posting, or a colleague by one click).
    kept_by BIGINT REFERENCES users(id),
    kept_post_id BIGINT REFERENCES posts(id)
);
CREATE INDEX promises_thread ON promises (thread_id);
CREATE INDEX promises_open ON promises (staff_id, kept_at, due_at);
CREATE INDEX promises_due ON promises (due_at);

-- "My setup": the products a customer uses. Private entries are seen by the owner and staff.
CREATE TABLE customer_setups (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    category_id BIGINT NOT NULL REFERENCES categories(id),
    version TEXT NOT NULL DEFAULT '',
    platform TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    private BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX customer_setups_user ON customer_setups (user_id, category_id);

-- The setup as attached to a question (a copy: later profile edits do not rewrite history).
CREATE TABLE thread_setups (
    id INTEGER PRIMARY KEY,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    setup_id BIGINT REFERENCES customer_setups(id) ON DELETE SET NULL,
    category_id BIGINT NOT NULL REFERENCES categories(id),
    version TEXT NOT NULL DEFAULT '',
    platform TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    private BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX thread_setups_thread ON thread_setups (thread_id);

-- When a signed-in user last saw a thread: "what changed since your last visit".
CREATE TABLE thread_visits (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    seen_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);

-- Existing threads: first responses and the latest staff reply, from their answers.
UPDATE threads SET
    first_response_at = (SELECT MIN(p.created_at) FROM posts p
        WHERE p.thread_id = threads.id AND p.kind = 'answer' AND p.author_id <> threads.author_id),
    staff_reply_at = (SELECT MAX(p.created_at) FROM posts p JOIN users u ON u.id = p.author_id
        WHERE p.thread_id = threads.id AND p.kind = 'answer' AND u.role IN ('staff', 'admin'));
UPDATE threads SET
    first_response_by = (SELECT p.author_id FROM posts p
        WHERE p.thread_id = threads.id AND p.kind = 'answer' AND p.author_id <> threads.author_id
        ORDER BY p.created_at, p.id LIMIT 1)
    WHERE first_response_at IS NOT NULL;
UPDATE threads SET first_response_staff = TRUE
    WHERE first_response_by IN (SELECT id FROM users WHERE role IN ('staff', 'admin'));
-- Past acceptances are not backfilled: who accepted, and when, was never recorded.
