-- Files attached to questions, answers and comments. The bytes live on disk under
-- [attachments] dir, named by sha256 (one file for identical uploads); a row per upload says
-- who uploaded it, under which name, and which post or comment it belongs to. A row with
-- neither is an upload not posted (yet): only its uploader may fetch it, and it is removed
-- after [attachments] orphan_hours.
CREATE TABLE attachments (
    id BIGSERIAL PRIMARY KEY,
    uploader_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    filename TEXT NOT NULL,
    mime TEXT NOT NULL,
    kind TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    width INTEGER,
    height INTEGER,
    post_id BIGINT REFERENCES posts(id) ON DELETE SET NULL,
    comment_id BIGINT REFERENCES comments(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_uploader ON attachments (uploader_id, created_at);
CREATE INDEX attachments_post ON attachments (post_id) WHERE post_id IS NOT NULL;
CREATE INDEX attachments_comment ON attachments (comment_id) WHERE comment_id IS NOT NULL;
CREATE INDEX attachments_sha ON attachments (sha256);
CREATE INDEX attachments_unposted ON attachments (created_at)
    WHERE post_id IS NULL AND comment_id IS NULL;
