-- A thread may have one vector per role: `main`, made by the model in `[search.semantic]
-- model_dir`, and `de`, made by the German model (`german_model_dir`) for German threads only
-- (other threads get an empty vector there: nothing to embed, nothing missing).
ALTER TABLE thread_vectors ADD COLUMN role TEXT NOT NULL DEFAULT 'main';
ALTER TABLE thread_vectors DROP CONSTRAINT thread_vectors_pkey;
ALTER TABLE thread_vectors ADD PRIMARY KEY (thread_id, role);
