//! Rate limits that hold across every node on one database: failed sign-ins per account and per
//! address, sign-ups, failed API tokens, anonymous feedback (and, later, posting limits). Each
//! (rule, key) is one row holding the state of the generic cell rate algorithm (GCRA: the
//! "theoretical arrival time", as `governor` keeps in memory) plus strikes for repeated
//! bursts, which make the wait grow: the first burst waits until the rate allows again, each
//! further burst within an hour waits twice as long as the one before (up to an hour).
//!
//! Why not an in-memory limiter such as `governor`: its state lives in one process, and its
//! clock starts with the process, so two nodes could not share it; the same algorithm in a
//! row, changed by compare-and-swap on `rev`, is shared by every node and survives restarts.

pub mod local;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::schema::rate_limits;
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Msg};
use crate::msg;

pub use crate::config::Rate;

/// What a limit says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Try again after this many seconds (at least 1).
    Limited {
        retry_after_secs: i64,
    },
}

impl Verdict {
    /// The 429 error for it (or Ok when allowed): `message` says what was refused and gets the
    /// wait as its argument `wait` (a duration), e.g. `msg!("accounts-too-many-sign-ups")` with
    /// "too many new accounts from your address: try again in { $wait }".
    pub fn or_too_many(self, message: Msg) -> AppResult<()> {
        match self {
            Verdict::Allowed => Ok(()),
            Verdict::Limited { retry_after_secs } => Err(too_many(message, retry_after_secs)),
        }
    }
}

/// A 429 error: `message` gets the wait, in whole minutes rounded up, as its argument `wait`.
pub fn too_many(message: Msg, retry_after_secs: i64) -> AppError {
    AppError::TooMany {
        message: message.arg("wait", Arg::minutes(wait_minutes(retry_after_secs))),
        retry_after_secs,
    }
}

/// A wait in whole minutes, rounded up and at least one ("try again in 1 minute" for 45 s).
pub fn wait_minutes(secs: i64) -> i64 {
    ((secs + 59) / 60).max(1)
}

/// A repeated burst within this time counts as a strike; strikes older than it are forgotten.
const STRIKE_MEMORY: TimeDelta = TimeDelta::hours(1);
/// The longest wait a run of strikes can cause.
const MAX_BLOCK: TimeDelta = TimeDelta::hours(1);
/// Compare-and-swap attempts before giving up (another node kept changing the row).
const ATTEMPTS: usize = 8;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = rate_limits)]
struct Row {
    tat: NaiveDateTime,
    strikes: i32,
    blocked_until: Option<NaiveDateTime>,
    rev: i64,
    updated_at: NaiveDateTime,
}

fn load(conn: &mut DbConn, key: &str) -> AppResult<Option<Row>> {
    Ok(rate_limits::table
        .find(key)
        .select(Row::as_select())
        .first(conn)
        .optional()?)
}

fn row_key(rule: &str, key: &str) -> String {
    format!("{rule}:{key}")
}

/// Whether one more event of `rule` for `key` would be allowed now, without counting it.
pub fn check(conn: &mut DbConn, rule: &str, key: &str, rate: Rate) -> AppResult<Verdict> {
    if rate.is_off() {
        return Ok(Verdict::Allowed);
    }
    let t = now();
    let row = load(conn, &row_key(rule, key))?;
    Ok(match row {
        None => Verdict::Allowed,
        Some(r) => {
            if let Some(until) = r.blocked_until.filter(|u| *u > t) {
                limited(until - t)
            } else {
                let next = r.tat.max(t) + rate.interval();
                if next - t > rate.period() {
                    limited(next - rate.period() - t)
                } else {
                    Verdict::Allowed
                }
            }
        }
    })
}

fn limited(wait: TimeDelta) -> Verdict {
    Verdict::Limited {
        retry_after_secs: ((wait.num_milliseconds() + 999) / 1000).max(1),
    }
}

/// Counts one event of `rule` for `key`: Allowed when it fits the rate, else Limited (and a
/// burst past the limit is a strike that lengthens the wait). Runs its own compare-and-swap,
/// so call it outside a long transaction; the count stands whatever the caller does next.
pub fn hit(conn: &mut DbConn, rule: &str, key: &str, rate: Rate) -> AppResult<Verdict> {
    if rate.is_off() {
        return Ok(Verdict::Allowed);
    }
    let k = row_key(rule, key);
    for _ in 0..ATTEMPTS {
        let t = now();
        let row = load(conn, &k)?;
        let (tat, strikes, blocked, rev) = match &row {
            Some(r) => {
                let strikes = if t - r.updated_at > STRIKE_MEMORY {
                    0
                } else {
                    r.strikes
                };
                (r.tat, strikes, r.blocked_until, r.rev)
            }
            None => (t, 0, None, -1),
        };
        // Still waiting out a burst: nothing more is counted, and nothing is written (a flood
        // of refused requests costs reads only).
        if let Some(until) = blocked.filter(|u| *u > t) {
            return Ok(limited(until - t));
        }
        let next = tat.max(t) + rate.interval();
        let (verdict, new_tat, new_strikes, new_blocked) = if next - t <= rate.period() {
            (Verdict::Allowed, next, strikes, None)
        } else {
            // A burst past the limit: the first waits until the rate allows one more, each
            // repeated one twice as long as the one before.
            let base = next - rate.period() - t;
            let strikes = strikes + 1;
            let growth = rate.interval() * (1i32 << (strikes - 1).min(12));
            let wait = base.max(growth).min(MAX_BLOCK);
            (limited(wait), tat, strikes, Some(t + wait))
        };
        let values = (
            rate_limits::tat.eq(new_tat),
            rate_limits::strikes.eq(new_strikes),
            rate_limits::blocked_until.eq(new_blocked),
            rate_limits::rev.eq(rev + 1),
            rate_limits::updated_at.eq(t),
        );
        let stored = if row.is_some() {
            diesel::update(rate_limits::table.find(&k).filter(rate_limits::rev.eq(rev)))
                .set(values)
                .execute(conn)?
                == 1
        } else {
            // In a savepoint: on PostgreSQL a failed insert would otherwise abort the whole
            // transaction, and the retry below could not run.
            let inserted = conn.transaction::<_, diesel::result::Error, _>(|c| {
                diesel::insert_into(rate_limits::table)
                    .values((rate_limits::key.eq(&k), values))
                    .execute(c)
            });
            match inserted {
                Ok(_) => true,
                Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                )) => false,
                Err(e) => return Err(e.into()),
            }
        };
        if stored {
            return Ok(verdict);
        }
    }
    Err(AppError::Unavailable(msg!("limits-contention")))
}

/// Gives back one event of `rule` for `key` (a counted attempt that turned out fine, such as a
/// successful sign-in from an address).
pub fn refund(conn: &mut DbConn, rule: &str, key: &str, rate: Rate) -> AppResult<()> {
    if rate.is_off() {
        return Ok(());
    }
    if let Some(r) = load(conn, &row_key(rule, key))? {
        diesel::update(rate_limits::table.find(row_key(rule, key)))
            .set((
                rate_limits::tat.eq(r.tat - rate.interval()),
                rate_limits::rev.eq(r.rev + 1),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Forgets `key`'s count for `rule` (a successful sign-in clears its account's failures).
pub fn reset(conn: &mut DbConn, rule: &str, key: &str) -> AppResult<()> {
    diesel::delete(rate_limits::table.find(row_key(rule, key))).execute(conn)?;
    Ok(())
}

/// Deletes rows idle for a day (their state has long run out). Returns how many went.
pub fn prune(conn: &mut DbConn) -> AppResult<usize> {
    let cutoff = now() - TimeDelta::days(1);
    Ok(diesel::delete(
        rate_limits::table
            .filter(rate_limits::updated_at.lt(cutoff))
            .filter(
                rate_limits::blocked_until
                    .is_null()
                    .or(rate_limits::blocked_until.lt(cutoff)),
            ),
    )
    .execute(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_whole_minutes_rounded_up() {
        assert_eq!(wait_minutes(0), 1);
        assert_eq!(wait_minutes(45), 1);
        assert_eq!(wait_minutes(60), 1);
        assert_eq!(wait_minutes(61), 2);
        assert_eq!(wait_minutes(3600), 60);
    }

    #[test]
    fn a_limit_words_its_wait() {
        let e = Verdict::Limited {
            retry_after_secs: 61,
        }
        .or_too_many(msg!("accounts-too-many-sign-ups"))
        .unwrap_err();
        assert_eq!(
            e.message().unwrap().english(),
            "too many new accounts from your address: try again in 2 minutes"
        );
        assert!(Verdict::Allowed
            .or_too_many(msg!("accounts-too-many-sign-ups"))
            .is_ok());
    }
}
