//! Promise reminders for staff: a promise of theirs due within the hour, and one overdue. Not
//! events but moments, found by the sender's periodic tick; each reminder is written once
//! (keyed by the promise: `event_id` holds the promise id negated, never an event's id).

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::fanout::{notify_one, EmailPlan, One};
use super::Kind;
use crate::db::schema::promises;
use crate::db::DbConn;
use crate::error::AppResult;

/// Writes the reminders due at `at`. Returns how many were written.
pub fn remind(conn: &mut DbConn, at: NaiveDateTime, email: Option<&EmailPlan>) -> AppResult<usize> {
    let open: Vec<(i64, i64, i64, NaiveDateTime, String)> = promises::table
        .filter(promises::kept_at.is_null())
        .filter(promises::due_at.lt(at + TimeDelta::hours(1)))
        // Older than a week overdue: the queue shows it; no more reminders.
        .filter(promises::due_at.gt(at - TimeDelta::days(7)))
        .select((
            promises::id,
            promises::staff_id,
            promises::thread_id,
            promises::due_at,
            promises::note,
        ))
        .load(conn)?;
    let mut written = 0;
    for (id, staff, thread, due, note) in open {
        let kind = if due <= at {
            Kind::PromiseOverdue
        } else {
            Kind::PromiseDue
        };
        let payload = serde_json::json!({
            "due_at": due.format("%Y-%m-%dT%H:%M:%S").to_string(),
            "note": note,
        });
        let one = One {
            user_id: staff,
            kind,
            key: -id,
            thread_id: thread,
            post_id: None,
            actor_id: None,
            payload,
        };
        if notify_one(conn, one, email)? {
            written += 1;
        }
    }
    Ok(written)
}
