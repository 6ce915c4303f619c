DROP INDEX users_role;
DROP INDEX users_created;
