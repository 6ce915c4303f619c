//! Trust levels 0–4, earned from what a person did: days visited, threads read, answers given
//! and accepted, flags agreed, and no recent moderation against them. Levels 1 and 2 are kept
//! once earned; level 3 is lost when its requirements stop being met (back to 2); level 4 is
//! only ever set by staff. A moderator can lock a level. What each level unlocks is
//! `screen::Privilege`.

use chrono::TimeDelta;
use diesel::prelude::*;
use serde::Serialize;

use crate::accounts::{self, User};
use crate::config::{TrustRequirements, TrustSettings};
use crate::db::schema::{posts, thread_visits, threads, user_days, users};
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::events::{self, Kind, NewEvent};
use crate::msg;

/// What a person has done, as the levels count it.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Stats {
    pub days_visited: i64,
    pub threads_read: i64,
    pub answers: i64,
    pub accepted: i64,
    pub flags_agreed: i64,
}

/// Counts what `user` did; `since`: only visits and answers from then on (level 3's window).
pub fn stats(
    conn: &mut DbConn,
    user: &User,
    since: Option<chrono::NaiveDateTime>,
) -> AppResult<Stats> {
    let mut days = user_days::table
        .filter(user_days::user_id.eq(user.id))
        .into_boxed();
    let mut answers = posts::table
        .filter(posts::author_id.eq(user.id))
        .filter(posts::kind.eq(crate::threads::ANSWER))
        .filter(posts::state.eq("visible"))
        .into_boxed();
    if let Some(s) = since {
        days = days.filter(user_days::day.ge(s.date().to_string()));
        answers = answers.filter(posts::created_at.ge(s));
    }
    let accepted: i64 = posts::table
        .inner_join(threads::table.on(threads::accepted_post_id.eq(posts::id.nullable())))
        .filter(posts::author_id.eq(user.id))
        .filter(threads::author_id.ne(user.id))
        .filter(posts::state.eq("visible"))
        .count()
        .get_result(conn)?;
    Ok(Stats {
        days_visited: days.count().get_result(conn)?,
        threads_read: thread_visits::table
            .filter(thread_visits::user_id.eq(user.id))
            .count()
            .get_result(conn)?,
        answers: answers.count().get_result(conn)?,
        accepted,
        flags_agreed: i64::from(user.flags_agreed),
    })
}

fn meets(s: &Stats, r: &TrustRequirements) -> bool {
    s.days_visited >= i64::from(r.days_visited)
        && s.threads_read >= i64::from(r.threads_read)
        && s.answers >= i64::from(r.answers)
        && s.accepted >= i64::from(r.accepted)
        && s.flags_agreed >= i64::from(r.flags_agreed)
}

/// Moderation against `user` within the window: a post of theirs a moderator hid or deleted
/// (not members' flags alone), or a silence.
fn recently_moderated(
    conn: &mut DbConn,
    user: &User,
    since: chrono::NaiveDateTime,
) -> AppResult<bool> {
    let moderated: i64 = posts::table
        .filter(posts::author_id.eq(user.id))
        .filter(posts::state.eq_any(["hidden", "deleted"]))
        .filter(posts::state_reason.ne("@flags"))
        .filter(posts::state_at.ge(since))
        .count()
        .get_result(conn)?;
    Ok(moderated > 0 || user.silenced_until.is_some_and(|t| t >= since))
}

/// The level `user` has earned now, given the level they have.
pub fn earned(conn: &mut DbConn, t: &TrustSettings, user: &User) -> AppResult<i32> {
    if user.trust_locked || user.trust_level >= 4 {
        return Ok(user.trust_level);
    }
    let all = stats(conn, user, None)?;
    let mut level = 0;
    if meets(&all, &t.level1) {
        level = 1;
    }
    if level == 1 && meets(&all, &t.level2) {
        level = 2;
    }
    let since = now() - TimeDelta::days(i64::from(t.level3_window_days));
    if level == 2 {
        let recent = stats(conn, user, Some(since))?;
        let recent = Stats {
            threads_read: all.threads_read,
            accepted: all.accepted,
            ..recent
        };
        if meets(&recent, &t.level3) && !recently_moderated(conn, user, since)? {
            level = 3;
        }
    }
    // Levels 1 and 2 are kept; level 3 falls back to 2 when no longer met.
    Ok(match user.trust_level {
        3 if level < 3 => 2,
        current => current.max(level),
    })
}

/// Looks at `user_id` again and stores a new level (an event says so).
pub fn evaluate(conn: &mut DbConn, t: &TrustSettings, user_id: i64) -> AppResult<i32> {
    let user = accounts::find(conn, user_id)?;
    let level = earned(conn, t, &user)?;
    if level != user.trust_level {
        store(conn, None, &user, level, user.trust_locked)?;
    }
    Ok(level)
}

fn store(
    conn: &mut DbConn,
    actor: Option<&User>,
    user: &User,
    level: i32,
    locked: bool,
) -> AppResult<()> {
    diesel::update(users::table.find(user.id))
        .set((users::trust_level.eq(level), users::trust_locked.eq(locked)))
        .execute(conn)?;
    let mut e = NewEvent::new(Kind::TrustLevelChanged)
        .subject(user.id)
        .with("level", level)
        .with("previous", user.trust_level)
        .with("locked", locked);
    if let Some(a) = actor {
        e = e.actor(a.id);
    }
    events::emit(conn, e)
}

/// Sets a level by hand: staff and admins grant level 4; moderators lock any level 0–3 (or
/// unlock, which lets it be earned again).
pub fn set_level(
    conn: &mut DbConn,
    actor: &User,
    user_id: i64,
    level: i32,
    locked: bool,
) -> AppResult<User> {
    if !actor.role().can_moderate() {
        return Err(AppError::forbidden(msg!("peers-trust-not-allowed")));
    }
    if !(0..=4).contains(&level) {
        return Err(AppError::invalid(msg!("peers-trust-range")));
    }
    if level == 4 && !actor.role().is_staff() {
        return Err(AppError::forbidden(msg!("peers-trust-four-staff")));
    }
    let user = accounts::find(conn, user_id)?;
    store(conn, Some(actor), &user, level, locked)?;
    accounts::find(conn, user_id)
}

/// Notes a signed-in visit today (once per day).
pub fn record_visit(conn: &mut DbConn, user_id: i64) -> AppResult<bool> {
    let day = now().date().to_string();
    let seen: i64 = user_days::table
        .filter(user_days::user_id.eq(user_id))
        .filter(user_days::day.eq(&day))
        .count()
        .get_result(conn)?;
    if seen > 0 {
        return Ok(false);
    }
    diesel::insert_into(user_days::table)
        .values((user_days::user_id.eq(user_id), user_days::day.eq(day)))
        .execute(conn)?;
    Ok(true)
}

/// A signed-in visit (at sign-in, then every few minutes of use): the first of the day is
/// counted, and what was read meanwhile may earn a level.
pub fn visit(conn: &mut DbConn, t: &TrustSettings, user_id: i64) -> AppResult<()> {
    record_visit(conn, user_id)?;
    evaluate(conn, t, user_id)?;
    Ok(())
}

/// A person's level and the way to the next, for their account page.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub level: i32,
    pub locked: bool,
    /// The next level earned automatically (none at 3 and above).
    pub next: Option<i32>,
    /// What the next level needs: (what, have, need).
    pub needs: Vec<(&'static str, i64, i64)>,
}

pub fn progress(conn: &mut DbConn, t: &TrustSettings, user: &User) -> AppResult<Progress> {
    let (next, req) = match user.trust_level {
        0 => (Some(1), Some(&t.level1)),
        1 => (Some(2), Some(&t.level2)),
        2 => (Some(3), Some(&t.level3)),
        _ => (None, None),
    };
    let needs = match req {
        None => Vec::new(),
        Some(r) => {
            let since =
                (next == Some(3)).then(|| now() - TimeDelta::days(i64::from(t.level3_window_days)));
            let s = stats(conn, user, since)?;
            let all = stats(conn, user, None)?;
            vec![
                ("days_visited", s.days_visited, i64::from(r.days_visited)),
                ("threads_read", all.threads_read, i64::from(r.threads_read)),
                ("answers", s.answers, i64::from(r.answers)),
                ("accepted", all.accepted, i64::from(r.accepted)),
                ("flags_agreed", all.flags_agreed, i64::from(r.flags_agreed)),
            ]
            .into_iter()
            .filter(|(_, _, need)| *need > 0)
            .collect()
        }
    };
    Ok(Progress {
        level: user.trust_level,
        locked: user.trust_locked,
        next,
        needs,
    })
}
