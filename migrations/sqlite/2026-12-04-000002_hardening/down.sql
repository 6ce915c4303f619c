DROP TABLE oauth_used_states;
DROP TABLE rate_limits;
DROP TABLE sessions;
