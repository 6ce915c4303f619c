DROP TABLE thread_vectors;
