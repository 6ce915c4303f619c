DELETE FROM thread_vectors WHERE role <> 'main';
ALTER TABLE thread_vectors DROP CONSTRAINT thread_vectors_pkey;
ALTER TABLE thread_vectors ADD PRIMARY KEY (thread_id);
ALTER TABLE thread_vectors DROP COLUMN role;
