-- Knowledge base (PostgreSQL). Keep in step with migrations/sqlite/<same name>.
CREATE TABLE kb_sections (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE kb_articles (
    id BIGSERIAL PRIMARY KEY,
    section_id BIGINT NOT NULL REFERENCES kb_sections(id),
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    body_text TEXT NOT NULL,
    render_version INTEGER NOT NULL,
    -- draft, published or archived
    status TEXT NOT NULL DEFAULT 'draft',
    -- Product versions, comma separated as the editor wrote them.
    applies_to TEXT NOT NULL DEFAULT '',
    -- One article per thread: the thread's banner links to it.
    source_thread_id BIGINT UNIQUE REFERENCES threads(id),
    source_post_id BIGINT REFERENCES posts(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    verified_by_id BIGINT NOT NULL REFERENCES users(id),
    verified_at TIMESTAMP NOT NULL,
    review_by TIMESTAMP NOT NULL,
    revision_count INTEGER NOT NULL DEFAULT 1,
    -- Kept in step with kb_feedback so listings never count rows.
    helpful_yes INTEGER NOT NULL DEFAULT 0,
    helpful_no INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX kb_articles_section ON kb_articles (section_id, status, title);
CREATE INDEX kb_articles_review ON kb_articles (status, review_by);

CREATE TABLE kb_revisions (
    id BIGSERIAL PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    editor_id BIGINT NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    section_id BIGINT NOT NULL REFERENCES kb_sections(id),
    applies_to TEXT NOT NULL DEFAULT '',
    body_md TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (article_id, number)
);

-- "Was this helpful?": one vote per person (u:<id>) or anonymous session (s:<hash>).
CREATE TABLE kb_feedback (
    id BIGSERIAL PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    voter TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    helpful BOOLEAN NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (article_id, voter)
);
CREATE INDEX kb_feedback_recent ON kb_feedback (article_id, created_at);

-- A question closed as a duplicate points to the canonical thread (and its article).
ALTER TABLE threads ADD COLUMN duplicate_of_id BIGINT REFERENCES threads(id);
-- Page views (buffered) and later questions similar to this one: promotion candidates.
ALTER TABLE threads ADD COLUMN view_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE threads ADD COLUMN similar_asked INTEGER NOT NULL DEFAULT 0;
CREATE INDEX threads_duplicate_of ON threads (duplicate_of_id);

INSERT INTO kb_sections (slug, name, description, position, created_at)
VALUES ('general', 'General', 'Articles that do not fit a product yet.', 0, CURRENT_TIMESTAMP);
