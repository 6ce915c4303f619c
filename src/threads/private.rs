//! Private questions — a ticket inside the forum — and "I still need help": making a thread
//! private, staff offering to publish it, the asker's one-click consent (under their name or as
//! "a customer"), and the asker asking for a person when peers did not solve it or the reply
//! target passed. Who may see a private thread is `visibility`'s rule.

use diesel::prelude::*;

use super::history::{self, TimelineKind, TimelineRow};
use super::visibility::{ensure_can_post, ensure_thread_visible, refresh_thread, VISIBLE};
use super::{ensure_active, find_thread, Status, Thread, ANSWER};
use crate::accounts::User;
use crate::db::schema::{posts, thread_events, threads, users};
use crate::db::{lock, now, DbConn, Lock};
use crate::error::{AppError, AppResult};
use crate::events::{self, Kind, NewEvent};
use crate::{input, msg};

/// Longest reason for asking for a person.
pub const REASON_CHARS: usize = 500;

/// The thread, locked, as `user` may see it.
fn open(conn: &mut DbConn, user: &User, thread_id: i64) -> AppResult<Thread> {
    ensure_active(user)?;
    lock(conn, Lock::Thread(thread_id))?;
    let thread = find_thread(conn, thread_id)?;
    ensure_thread_visible(conn, &thread, Some(user))?;
    Ok(thread)
}

fn timeline(
    conn: &mut DbConn,
    thread: &Thread,
    kind: TimelineKind,
    by: &User,
    note: &str,
) -> AppResult<()> {
    history::record(
        conn,
        TimelineRow {
            note,
            ..TimelineRow::now(thread.id, kind, by.id)
        },
    )
}

/// Makes a thread private (its asker or staff): it leaves every list, search and feed at once.
pub fn make_private(conn: &mut DbConn, user: &User, thread_id: i64) -> AppResult<Thread> {
    let thread = open(conn, user, thread_id)?;
    if user.id != thread.author_id && !user.role().is_staff() {
        return Err(AppError::forbidden(msg!("threads-private-not-allowed")));
    }
    if let Some(target) = thread.merged_into_id {
        return Err(AppError::Conflict(msg!(
            "threads-merged-into",
            id = target.to_string()
        )));
    }
    if thread.is_private() {
        return Ok(thread);
    }
    diesel::update(threads::table.find(thread.id))
        .set((
            threads::privacy.eq(super::PRIVATE),
            threads::updated_at.eq(now()),
        ))
        .execute(conn)?;
    refresh_thread(conn, thread.id)?;
    timeline(conn, &thread, TimelineKind::MadePrivate, user, "")?;
    events::emit(
        conn,
        NewEvent::new(Kind::ThreadMadePrivate)
            .actor(user.id)
            .thread(thread.id)
            .subject(thread.author_id),
    )?;
    find_thread(conn, thread.id)
}

/// Staff offer to publish a private thread; the asker is told and decides.
pub fn offer_publish(conn: &mut DbConn, staff: &User, thread_id: i64) -> AppResult<Thread> {
    let thread = open(conn, staff, thread_id)?;
    if !staff.role().is_staff() {
        return Err(AppError::forbidden(msg!(
            "threads-publish-offer-staff-only"
        )));
    }
    if !thread.is_private() {
        return Err(AppError::Conflict(msg!("threads-not-private")));
    }
    if publish_offered(conn, &thread)? {
        return Ok(thread);
    }
    timeline(conn, &thread, TimelineKind::PublishOffered, staff, "")?;
    events::emit(
        conn,
        NewEvent::new(Kind::PublishOffered)
            .actor(staff.id)
            .thread(thread.id)
            .subject(thread.author_id),
    )?;
    find_thread(conn, thread.id)
}

/// Whether staff offered to publish this private thread and its asker has not answered: the
/// latest of its offers, answers and privacy changes on the timeline is an offer.
pub fn publish_offered(conn: &mut DbConn, thread: &Thread) -> AppResult<bool> {
    if !thread.is_private() {
        return Ok(false);
    }
    let latest: Option<String> = thread_events::table
        .filter(thread_events::thread_id.eq(thread.id))
        .filter(thread_events::kind.eq_any([
            TimelineKind::PublishOffered.as_str(),
            TimelineKind::PublishDeclined.as_str(),
            TimelineKind::Published.as_str(),
            TimelineKind::MadePrivate.as_str(),
        ]))
        .order(thread_events::id.desc())
        .select(thread_events::kind)
        .first(conn)
        .optional()?;
    Ok(latest.as_deref() == Some(TimelineKind::PublishOffered.as_str()))
}

/// The asker's answer to "publish this?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    /// Public under their name.
    Named,
    /// Public, the asker shown as "a customer".
    Anonymous,
    /// Stays private.
    Decline,
}

impl Consent {
    pub fn parse(s: &str) -> AppResult<Consent> {
        match s {
            "named" => Ok(Consent::Named),
            "anonymous" => Ok(Consent::Anonymous),
            "decline" => Ok(Consent::Decline),
            other => Err(AppError::invalid(msg!(
                "threads-unknown-consent",
                choice = other
            ))),
        }
    }
}

/// The asker publishes their private thread (with their name or as "a customer"), or declines
/// staff's offer. Setup details, internal notes and the customer's context stay staff-only
/// either way (they never were part of the thread's public page).
pub fn answer_publish(
    conn: &mut DbConn,
    asker: &User,
    thread_id: i64,
    consent: Consent,
) -> AppResult<Thread> {
    let thread = open(conn, asker, thread_id)?;
    if asker.id != thread.author_id {
        return Err(AppError::forbidden(msg!("threads-publish-asker-only")));
    }
    if !thread.is_private() {
        return Err(AppError::Conflict(msg!("threads-not-private")));
    }
    if consent == Consent::Decline {
        if !publish_offered(conn, &thread)? {
            return Ok(thread);
        }
        timeline(conn, &thread, TimelineKind::PublishDeclined, asker, "")?;
        return find_thread(conn, thread.id);
    }
    let anonymous = consent == Consent::Anonymous;
    diesel::update(threads::table.find(thread.id))
        .set((
            threads::privacy.eq(if anonymous {
                super::ANONYMOUS
            } else {
                super::PUBLIC
            }),
            threads::updated_at.eq(now()),
        ))
        .execute(conn)?;
    refresh_thread(conn, thread.id)?;
    timeline(conn, &thread, TimelineKind::Published, asker, "")?;
    events::emit(
        conn,
        NewEvent::new(Kind::ThreadPublished)
            .actor(asker.id)
            .thread(thread.id)
            .with("anonymous", anonymous),
    )?;
    find_thread(conn, thread.id)
}

/// Whether the asker may ask for a person now: a peer (not staff, not the asker) answered it,
/// or it waits past its first-response target, or it is private (a ticket no peer can answer:
/// the customer need not wait for a deadline to say a person is needed). Closed threads and
/// requests nobody picked up yet do not qualify.
pub fn may_request_staff(conn: &mut DbConn, thread: &Thread) -> AppResult<bool> {
    if thread.status == Status::Closed.as_str() || staff_request_open(thread) {
        return Ok(false);
    }
    if thread.is_private() {
        return Ok(true);
    }
    let overdue =
        thread.first_response_at.is_none() && thread.respond_by.is_some_and(|by| by < now());
    if overdue {
        return Ok(true);
    }
    let peer_answers: i64 = posts::table
        .inner_join(users::table)
        .filter(posts::thread_id.eq(thread.id))
        .filter(posts::kind.eq(ANSWER))
        .filter(posts::state.eq(VISIBLE))
        .filter(posts::author_id.ne(thread.author_id))
        .filter(users::role.ne_all(["staff", "admin"]))
        .count()
        .get_result(conn)?;
    Ok(peer_answers > 0)
}

/// A request for a person that no staff reply has answered yet.
pub fn staff_request_open(thread: &Thread) -> bool {
    match (thread.staff_requested_at, thread.staff_reply_at) {
        (Some(asked), Some(replied)) => replied < asked,
        (Some(_), None) => true,
        _ => false,
    }
}

/// "I still need help from <company>": the asker says why, the thread joins the staff queue's
/// "requested staff" list, and the timeline says so.
pub fn request_staff(
    conn: &mut DbConn,
    asker: &User,
    thread_id: i64,
    reason: &str,
) -> AppResult<Thread> {
    ensure_can_post(asker)?;
    let thread = open(conn, asker, thread_id)?;
    if asker.id != thread.author_id {
        return Err(AppError::forbidden(msg!("threads-request-asker-only")));
    }
    let reason = input::line(reason, "request-reason", REASON_CHARS)?;
    if reason.is_empty() {
        return Err(AppError::invalid(msg!("threads-request-reason-required")));
    }
    if staff_request_open(&thread) {
        return Err(AppError::Conflict(msg!("threads-request-pending")));
    }
    if !may_request_staff(conn, &thread)? {
        return Err(AppError::Conflict(msg!("threads-request-not-yet")));
    }
    let t = now();
    diesel::update(threads::table.find(thread.id))
        .set((
            threads::staff_requested_at.eq(Some(t)),
            threads::last_activity_at.eq(t),
        ))
        .execute(conn)?;
    timeline(conn, &thread, TimelineKind::StaffRequested, asker, &reason)?;
    events::emit(
        conn,
        NewEvent::new(Kind::StaffRequested)
            .actor(asker.id)
            .thread(thread.id)
            .with("reason", reason),
    )?;
    find_thread(conn, thread.id)
}
