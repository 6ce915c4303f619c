DROP INDEX users_created;
