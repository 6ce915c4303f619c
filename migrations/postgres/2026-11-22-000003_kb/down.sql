DROP INDEX threads_duplicate_of;
ALTER TABLE threads DROP COLUMN similar_asked;
ALTER TABLE threads DROP COLUMN view_count;
ALTER TABLE threads DROP COLUMN duplicate_of_id;
DROP TABLE kb_feedback;
DROP TABLE kb_revisions;
DROP TABLE kb_articles;
DROP TABLE kb_sections;
