-- A thread may have one vector per role: `main`, made by the model in `[search.semantic]
-- model_dir`, and `de`, made by the German model (`german_model_dir`) for German threads only
-- (other threads get an empty vector there: nothing to embed, nothing missing). SQLite cannot
-- change a primary key in place: the table is rebuilt, its vectors kept as `main`.
CREATE TABLE thread_vectors_roles (
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT 'main',
    model TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector BLOB NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (thread_id, role)
);
INSERT INTO thread_vectors_roles (thread_id, role, model, text_hash, vector, updated_at)
    SELECT thread_id, 'main', model, text_hash, vector, updated_at FROM thread_vectors;
DROP TABLE thread_vectors;
ALTER TABLE thread_vectors_roles RENAME TO thread_vectors;
