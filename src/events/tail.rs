//! Reading the log in order when ids do not commit in order. On PostgreSQL a transaction can
//! commit an event with a lower id after a higher one is visible, so a consumer keeps two
//! things: `position`, below which every event is final and applied, and the ids it applied
//! past it. Events younger than `GRACE` are re-read (and skipped when already applied) until
//! they are old enough to be certain; only then does `position` move past them.

use std::collections::BTreeSet;

use chrono::TimeDelta;
use diesel::prelude::*;

use super::Event;
use crate::db::schema::events;
use crate::db::{now, DbConn};
use crate::error::AppResult;

/// How long after its write an event may still appear below a visible one.
pub const GRACE: TimeDelta = TimeDelta::seconds(10);
/// Late events inside the grace window that are re-checked per poll, at most.
const WINDOW: i64 = 50_000;

/// A consumer's place in the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tail {
    /// Every event up to here is applied and final.
    pub position: i64,
    /// Events past `position` already applied.
    applied: BTreeSet<i64>,
}

/// What one poll found.
#[derive(Debug, Default)]
pub struct Poll {
    /// Events not applied yet, in id order.
    pub fresh: Vec<Event>,
    /// Where `position` moves once `fresh` is applied.
    pub position: i64,
}

impl Poll {
    /// True when applying it changes nothing: no fresh events and the same position.
    pub fn is_idle(&self, tail: &Tail) -> bool {
        self.fresh.is_empty() && self.position == tail.position
    }
}

impl Tail {
    pub fn at(position: i64) -> Tail {
        Tail {
            position,
            applied: BTreeSet::new(),
        }
    }

    /// From a stored cursor: the position and the applied ids as `"12,15"`.
    pub fn from_parts(position: i64, applied: &str) -> Tail {
        Tail {
            position,
            applied: applied
                .split(',')
                .filter_map(|s| s.trim().parse().ok())
                .filter(|id| *id > position)
                .collect(),
        }
    }

    pub fn applied_text(&self) -> String {
        let ids: Vec<String> = self.applied.iter().map(i64::to_string).collect();
        ids.join(",")
    }

    pub fn applied_count(&self) -> usize {
        self.applied.len()
    }

    /// The highest event applied (at least `position`).
    pub fn max_applied(&self) -> i64 {
        self.applied
            .last()
            .copied()
            .unwrap_or(self.position)
            .max(self.position)
    }

    /// Reads what is new: events inside the grace window not applied yet, then events never
    /// seen (at most `batch`).
    pub fn poll(&self, conn: &mut DbConn, batch: i64) -> AppResult<Poll> {
        let after = self.position;
        let max_applied = self.max_applied();
        let window = if max_applied > after {
            select(conn, after, Some(max_applied), WINDOW)?
        } else {
            Vec::new()
        };
        // A full window may hide events after it: then the position stops at its end.
        let rows = if window.len() as i64 == WINDOW {
            window
        } else {
            let mut rows = window;
            rows.extend(select(conn, max_applied, None, batch)?);
            rows
        };
        // The new position: the end of the leading run of events old enough to be final.
        let cutoff = now() - GRACE;
        let mut position = after;
        for e in &rows {
            if e.created_at < cutoff {
                position = e.id;
            } else {
                break;
            }
        }
        let fresh = rows
            .into_iter()
            .filter(|e| !self.applied.contains(&e.id))
            .collect();
        Ok(Poll { fresh, position })
    }

    /// Records that `poll` was applied.
    pub fn advance(&mut self, poll: &Poll) {
        self.applied.extend(poll.fresh.iter().map(|e| e.id));
        self.position = poll.position.max(self.position);
        let position = self.position;
        self.applied.retain(|id| *id > position);
    }
}

fn select(conn: &mut DbConn, from: i64, to: Option<i64>, limit: i64) -> AppResult<Vec<Event>> {
    let mut q = events::table.filter(events::id.gt(from)).into_boxed();
    if let Some(to) = to {
        q = q.filter(events::id.le(to));
    }
    Ok(q.order(events::id.asc())
        .limit(limit)
        .select(Event::as_select())
        .load(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: i64, age_secs: i64) -> Event {
        Event {
            id,
            kind: "answer_posted".into(),
            actor_id: None,
            thread_id: Some(1),
            post_id: None,
            article_id: None,
            subject_id: None,
            payload: "{}".into(),
            created_at: now() - TimeDelta::seconds(age_secs),
        }
    }

    #[test]
    fn stored_parts_round_trip_and_drop_ids_below_the_position() {
        let t = Tail::from_parts(10, "9,12, 15,x");
        assert_eq!(t.applied_text(), "12,15");
        assert_eq!(t.max_applied(), 15);
        assert_eq!(Tail::from_parts(7, "").max_applied(), 7);
    }

    #[test]
    fn advancing_keeps_young_ids_and_forgets_final_ones() {
        let mut t = Tail::at(0);
        let poll = Poll {
            fresh: vec![event(1, 60), event(2, 60), event(4, 0)],
            position: 2,
        };
        t.advance(&poll);
        assert_eq!(t.position, 2);
        assert_eq!(t.applied_text(), "4");
        // Event 3 committed late: it is fresh next time, 4 is not.
        let poll = Poll {
            fresh: vec![event(3, 0)],
            position: 2,
        };
        t.advance(&poll);
        assert_eq!(t.applied_text(), "3,4");
        t.advance(&Poll {
            fresh: vec![],
            position: 4,
        });
        assert_eq!((t.position, t.applied_text().as_str()), (4, ""));
    }
}
