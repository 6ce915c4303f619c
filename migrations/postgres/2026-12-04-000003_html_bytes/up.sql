-- The size of each post's and comment's rendered HTML (bytes), written with the HTML: thread
-- pages end a page of answers once their HTML reaches a budget, and must know the sizes of all
-- answers without reading their text. The index covers what a page of answers is computed from.
ALTER TABLE posts ADD COLUMN html_bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN html_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE posts SET html_bytes = octet_length(body_html);
UPDATE comments SET html_bytes = octet_length(body_html);
CREATE INDEX posts_thread_pages ON posts (thread_id, kind, id, author_id, score, created_at, html_bytes);
