//! Server-side sessions. The cookie carries a random session id; the database keeps only its
//! hash, the user and when it was last used. Signing out deletes the row, so a copy of the
//! cookie taken before is worth nothing; a session unused for longer than the idle limit ends.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::{sha256, User};
use crate::db::schema::{sessions, users};
use crate::db::{now, DbConn};
use crate::error::AppResult;

/// Last use is written at most this often (not on every request).
pub const TOUCH_EVERY: TimeDelta = TimeDelta::minutes(10);

/// Starts a session `sid` for `user_id` (the cookie carries `sid`), and deletes sessions of
/// anyone that have been idle past `idle` (cheap: an indexed range).
pub fn start(conn: &mut DbConn, user_id: i64, sid: &str, idle: TimeDelta) -> AppResult<()> {
    let t = now();
    diesel::delete(sessions::table.filter(sessions::last_seen_at.lt(t - idle))).execute(conn)?;
    diesel::insert_into(sessions::table)
        .values((
            sessions::id_hash.eq(sha256(sid)),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(t),
            sessions::last_seen_at.eq(t),
        ))
        .execute(conn)?;
    Ok(())
}

/// The user of a live session `sid`, and when it was last used (for `touch`). None when the
/// session was ended, belongs to someone else, or has been idle past `idle`.
pub fn resume(
    conn: &mut DbConn,
    sid: &str,
    user_id: i64,
    idle: TimeDelta,
) -> AppResult<Option<(User, NaiveDateTime)>> {
    let found: Option<(User, NaiveDateTime)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::id_hash.eq(sha256(sid)))
        .filter(sessions::user_id.eq(user_id))
        .select((User::as_select(), sessions::last_seen_at))
        .first(conn)
        .optional()?;
    Ok(found.filter(|(_, seen)| *seen >= now() - idle))
}

/// Records that the session was just used (sliding expiry).
pub fn touch(conn: &mut DbConn, sid: &str) -> AppResult<()> {
    diesel::update(sessions::table.find(sha256(sid)))
        .set(sessions::last_seen_at.eq(now()))
        .execute(conn)?;
    Ok(())
}

/// Ends one session (signing out).
pub fn end(conn: &mut DbConn, sid: &str) -> AppResult<()> {
    diesel::delete(sessions::table.find(sha256(sid))).execute(conn)?;
    Ok(())
}

/// Ends every session of a user ("sign out everywhere", a new password, role or suspension).
pub fn end_all(conn: &mut DbConn, user_id: i64) -> AppResult<()> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?;
    Ok(())
}

/// A live session as an admin sees it: when it started and was last used, never its id or hash.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SessionInfo {
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
}

/// A user's sessions, most recently used first (idle ones are deleted as others start).
pub fn of_user(conn: &mut DbConn, user_id: i64) -> AppResult<Vec<SessionInfo>> {
    let rows: Vec<(NaiveDateTime, NaiveDateTime)> = sessions::table
        .filter(sessions::user_id.eq(user_id))
        .order(sessions::last_seen_at.desc())
        .limit(50)
        .select((sessions::created_at, sessions::last_seen_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(created_at, last_seen_at)| SessionInfo {
            created_at,
            last_seen_at,
        })
        .collect())
}
