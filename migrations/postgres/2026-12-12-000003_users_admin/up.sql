-- The users admin: "new this week" reads a range of join times, and the role filter (staff,
-- moderators and admins are few) reads one role's rows, instead of scanning every account.
CREATE INDEX users_created ON users (created_at);
CREATE INDEX users_role ON users (role);
