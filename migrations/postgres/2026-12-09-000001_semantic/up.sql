-- Sentence embeddings of threads (search::vectors): computed once by the embedder (an event
-- consumer) and reused by every restart and reindex. `model` names the model that made the
-- vector (vectors of another model are recomputed); `text_hash` the text it was made from (an
-- unchanged thread is never embedded again). `vector`: little-endian f32s.
CREATE TABLE thread_vectors (
    thread_id BIGINT PRIMARY KEY REFERENCES threads(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector BYTEA NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
