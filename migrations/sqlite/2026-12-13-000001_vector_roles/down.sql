CREATE TABLE thread_vectors_main (
    thread_id BIGINT PRIMARY KEY REFERENCES threads(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector BLOB NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO thread_vectors_main (thread_id, model, text_hash, vector, updated_at)
    SELECT thread_id, model, text_hash, vector, updated_at FROM thread_vectors WHERE role = 'main';
DROP TABLE thread_vectors;
ALTER TABLE thread_vectors_main RENAME TO thread_vectors;
