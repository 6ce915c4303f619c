//! Timeline rows that have no row of their own elsewhere (accepted, closed, reopened,
//! assigned, unassigned): written where the thing happens, read by `support::timeline`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::thread_events;
use crate::db::{now, DbConn};
use crate::error::AppResult;

/// Kinds of stored timeline rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineKind {
    Accepted,
    Closed,
    Reopened,
    Assigned,
    Unassigned,
    /// Staff recommended a peer's answer.
    Recommended,
    /// The asker asked for a person (note: why).
    StaffRequested,
    /// Staff offered to publish a private thread.
    PublishOffered,
    /// Made public with the asker's consent.
    Published,
    /// The asker declined to publish it.
    PublishDeclined,
    /// Made private (by its asker or staff).
    MadePrivate,
}

impl TimelineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TimelineKind::Accepted => "accepted",
            TimelineKind::Closed => "closed",
            TimelineKind::Reopened => "reopened",
            TimelineKind::Assigned => "assigned",
            TimelineKind::Unassigned => "unassigned",
            TimelineKind::Recommended => "recommended",
            TimelineKind::StaffRequested => "staff_requested",
            TimelineKind::PublishOffered => "publish_offered",
            TimelineKind::Published => "published",
            TimelineKind::PublishDeclined => "publish_declined",
            TimelineKind::MadePrivate => "made_private",
        }
    }
}

/// One timeline row to store.
pub struct TimelineRow<'a> {
    pub thread_id: i64,
    pub kind: TimelineKind,
    pub actor_id: i64,
    pub assignee_id: Option<i64>,
    pub group_id: Option<i64>,
    /// Staff-only note (assignments).
    pub note: &'a str,
    pub at: NaiveDateTime,
}

impl<'a> TimelineRow<'a> {
    /// A row that happens now, with no assignee and no note.
    pub fn now(thread_id: i64, kind: TimelineKind, actor_id: i64) -> TimelineRow<'a> {
        TimelineRow {
            thread_id,
            kind,
            actor_id,
            assignee_id: None,
            group_id: None,
            note: "",
            at: now(),
        }
    }
}

/// Stores a timeline row (in the caller's transaction).
pub fn record(conn: &mut DbConn, row: TimelineRow) -> AppResult<()> {
    diesel::insert_into(thread_events::table)
        .values((
            thread_events::thread_id.eq(row.thread_id),
            thread_events::kind.eq(row.kind.as_str()),
            thread_events::actor_id.eq(row.actor_id),
            thread_events::assignee_id.eq(row.assignee_id),
            thread_events::group_id.eq(row.group_id),
            thread_events::note.eq(row.note),
            thread_events::created_at.eq(row.at),
        ))
        .execute(conn)?;
    Ok(())
}
