DROP INDEX search_outbox_created;
DROP TABLE search_log;
