-- The users admin: "new this week" reads a range of join times instead of every account.
-- (No index on role: most accounts are members, and without statistics SQLite would pick a
-- role index even where the join-time range is far narrower; a scan of 100,000 rows for
-- "staff" takes ~15 ms, see docs/performance.md.)
CREATE INDEX users_created ON users (created_at);
