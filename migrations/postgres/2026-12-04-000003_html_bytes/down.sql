DROP INDEX posts_thread_pages;
ALTER TABLE comments DROP COLUMN html_bytes;
ALTER TABLE posts DROP COLUMN html_bytes;
