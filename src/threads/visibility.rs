//! Who sees what. A post or comment is visible, held for approval, hidden (by flags pending
//! review, or by a moderator) or deleted (soft: moderators can restore it). Everyone sees what
//! is visible; authors see their own posts in any state, with the reason; moderators, staff and
//! admins see everything. A thread follows its question, unless it is unlisted or merged into
//! another thread. Counts (answers, category and tag use) count only what everyone sees, and
//! every change is an event, so the search index, notifications and the audit log follow.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::{
    ensure_active, find_comment, find_post, find_thread, history, record_reply, Comment, Post,
    Status, Thread, TimelineKind, TimelineRow, ANSWER, FOLLOWUP, INTERNAL, QUESTION,
};
use crate::accounts::{self, User};
use crate::catalog;
use crate::db::schema::{comments, posts, thread_tags, threads};
use crate::db::{lock, now, DbConn, Lock};
use crate::error::{AppError, AppResult};
use crate::events::{self, Kind, NewEvent};
use crate::msg;

/// Where a post or comment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Visible,
    /// Waits for a moderator's approval (new account with links, a watched word, a
    /// resubmitted edit).
    Held,
    /// Hidden pending review (flags) or by a moderator.
    Hidden,
    /// Deleted by a moderator; restorable.
    Deleted,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Visible => "visible",
            State::Held => "held",
            State::Hidden => "hidden",
            State::Deleted => "deleted",
        }
    }
    pub fn parse(s: &str) -> AppResult<State> {
        match s {
            "visible" => Ok(State::Visible),
            "held" => Ok(State::Held),
            "hidden" => Ok(State::Hidden),
            "deleted" => Ok(State::Deleted),
            other => Err(AppError::invalid(msg!(
                "threads-unknown-state",
                state = other
            ))),
        }
    }
}

/// Thread states beyond its question's: private (asker and staff only), taken off lists (404
/// for others), merged away.
pub const PRIVATE: &str = super::PRIVATE;
pub const UNLISTED: &str = "unlisted";
pub const MERGED: &str = "merged";
pub const VISIBLE: &str = "visible";

/// `viewer` may see something `author_id` wrote that is in `state`.
pub fn may_see(viewer: Option<&User>, author_id: i64, state: &str) -> bool {
    state == VISIBLE || viewer.is_some_and(|v| v.id == author_id || v.role().can_moderate())
}

/// Merges form chains at most this long (a canonical thread merged on later).
const MAX_MERGE_HOPS: usize = 8;

/// A thread as `viewer` may open it: a redirect (301) to where a merged thread went, 404 when
/// they may not see it.
pub fn visible_thread(conn: &mut DbConn, id: i64, viewer: Option<&User>) -> AppResult<Thread> {
    let mut thread = find_thread(conn, id)?;
    if thread.merged_into_id.is_some() {
        for _ in 0..MAX_MERGE_HOPS {
            match thread.merged_into_id {
                Some(next) => thread = find_thread(conn, next)?,
                None => return Err(AppError::Moved(thread.path())),
            }
        }
        return Err(AppError::not_found(msg!("threads-thread-not-found")));
    }
    ensure_thread_visible(conn, &thread, viewer)?;
    Ok(thread)
}

/// 404 unless `viewer` may see the thread (merged threads are not found here; pages redirect
/// through `visible_thread`).
pub fn ensure_thread_visible(
    conn: &mut DbConn,
    thread: &Thread,
    viewer: Option<&User>,
) -> AppResult<()> {
    let state = if thread.state == PRIVATE {
        VISIBLE
    } else {
        &thread.state
    };
    if thread.merged_into_id.is_some()
        || !may_see(viewer, thread.author_id, state)
        || (thread.is_private() && !may_see_private(conn, thread, viewer)?)
    {
        return Err(AppError::not_found(msg!("threads-thread-not-found")));
    }
    Ok(())
}

/// Whether `viewer` may open a private thread: its asker, staff and admins; moderators only
/// when the site settings allow it.
pub fn may_see_private(
    conn: &mut DbConn,
    thread: &Thread,
    viewer: Option<&User>,
) -> AppResult<bool> {
    let Some(v) = viewer else {
        return Ok(false);
    };
    if v.id == thread.author_id || v.role().is_staff() {
        return Ok(true);
    }
    Ok(v.role().can_moderate() && crate::site::moderators_see_private(conn)?)
}

/// Posting into a thread: merged threads say where to go instead; hidden ones do not exist.
pub(super) fn ensure_postable(conn: &mut DbConn, thread: &Thread, user: &User) -> AppResult<()> {
    if let Some(target) = thread.merged_into_id {
        return Err(AppError::Conflict(msg!(
            "threads-merged-into",
            id = target.to_string()
        )));
    }
    ensure_thread_visible(conn, thread, Some(user))
}

/// 404 for a post `viewer` may not see (internal notes for non-staff, others' held, hidden
/// or deleted posts).
pub(super) fn ensure_post_visible(post: &Post, viewer: Option<&User>) -> AppResult<()> {
    let internal_hidden = post.kind == INTERNAL && !super::sees_internal(viewer);
    if internal_hidden || !may_see(viewer, post.author_id, &post.state) {
        return Err(AppError::not_found(msg!("threads-post-not-found")));
    }
    Ok(())
}

/// An attachment as `viewer` may fetch it: before it is posted, its uploader (and moderators,
/// for held edits); then
/// whoever may see its post (or comment) in its thread, so attachments of private threads,
/// internal notes and hidden posts stay as hidden as those. 404 for everyone else.
pub fn visible_attachment(
    conn: &mut DbConn,
    id: i64,
    viewer: Option<&User>,
) -> AppResult<crate::attachments::Attachment> {
    let not_found = || AppError::not_found(msg!("attachments-not-found"));
    let a = crate::attachments::find(conn, id)?;
    let post_id = match (a.post_id, a.comment_id) {
        (Some(p), _) => p,
        (None, Some(c)) => {
            let comment = find_comment(conn, c)?;
            if !may_see(viewer, comment.author_id, &comment.state) {
                return Err(not_found());
            }
            comment.post_id
        }
        // Not posted yet: its uploader's; moderators review held edits that link to it.
        (None, None)
            if viewer.is_some_and(|v| v.id == a.uploader_id || v.role().can_moderate()) =>
        {
            return Ok(a)
        }
        (None, None) => return Err(not_found()),
    };
    let post = find_post(conn, post_id)?;
    let thread = find_thread(conn, post.thread_id)?;
    ensure_post_visible(&post, viewer)
        .and_then(|()| ensure_thread_visible(conn, &thread, viewer))
        .map_err(|_| not_found())?;
    Ok(a)
}

/// Suspended and silenced people may not post.
pub fn ensure_can_post(user: &User) -> AppResult<()> {
    ensure_active(user)?;
    if user.is_silenced() {
        return Err(AppError::forbidden(msg!("threads-account-silenced")));
    }
    Ok(())
}

fn ensure_moderator(user: &User) -> AppResult<()> {
    ensure_active(user)?;
    if !user.role().can_moderate() {
        return Err(AppError::forbidden(msg!("threads-moderate-not-allowed")));
    }
    Ok(())
}

/// The reason a moderator gives (optional, shown to the author).
fn reason_line(reason: &str) -> AppResult<String> {
    crate::input::line(reason, "moderation-reason", 500)
}

/// A thread's state from its question, unlisting and merging; when it starts or stops being
/// visible, its category and tags count it again or no longer.
pub(super) fn refresh_thread(conn: &mut DbConn, thread_id: i64) -> AppResult<Thread> {
    let t = find_thread(conn, thread_id)?;
    let question_state: String = posts::table
        .filter(posts::thread_id.eq(thread_id))
        .filter(posts::kind.eq(QUESTION))
        .order(posts::id.asc())
        .select(posts::state)
        .first(conn)
        .optional()?
        .unwrap_or_else(|| VISIBLE.to_string());
    let state = if t.merged_into_id.is_some() {
        MERGED.to_string()
    } else if question_state != VISIBLE {
        question_state
    } else if t.is_private() {
        PRIVATE.to_string()
    } else if t.unlisted_at.is_some() {
        UNLISTED.to_string()
    } else {
        VISIBLE.to_string()
    };
    if state == t.state {
        return Ok(t);
    }
    diesel::update(threads::table.find(thread_id))
        .set(threads::state.eq(&state))
        .execute(conn)?;
    let (was, is) = (t.state == VISIBLE, state == VISIBLE);
    if was != is {
        let delta = if is { 1 } else { -1 };
        catalog::count_category_use(conn, t.category_id, delta)?;
        let tag_ids: Vec<i64> = thread_tags::table
            .filter(thread_tags::thread_id.eq(thread_id))
            .select(thread_tags::tag_id)
            .load(conn)?;
        catalog::count_tag_use(conn, &tag_ids, delta)?;
    }
    find_thread(conn, thread_id)
}

/// Counts a thread's visible answers again and sets its status from them (an accepted answer
/// nobody may see does not make the thread solved).
pub(super) fn recount_answers(conn: &mut DbConn, thread_id: i64) -> AppResult<Thread> {
    let t = find_thread(conn, thread_id)?;
    let visible: Vec<i64> = posts::table
        .filter(posts::thread_id.eq(thread_id))
        .filter(posts::kind.eq(ANSWER))
        .filter(posts::state.eq(VISIBLE))
        .select(posts::id)
        .load(conn)?;
    let accepted = t.accepted_post_id.is_some_and(|a| visible.contains(&a));
    let status = if t.status == Status::Closed.as_str() {
        Status::Closed
    } else if accepted {
        Status::Solved
    } else if !visible.is_empty() {
        Status::Answered
    } else {
        Status::Open
    };
    diesel::update(threads::table.find(thread_id))
        .set((
            threads::answer_count.eq(visible.len() as i32),
            threads::status.eq(status.as_str()),
        ))
        .execute(conn)?;
    find_thread(conn, thread_id)
}

/// What publishing a question says (now, or when a held question is approved).
pub(super) fn publish_question(conn: &mut DbConn, thread: &Thread, post: &Post) -> AppResult<()> {
    events::emit(
        conn,
        NewEvent::new(Kind::QuestionAsked)
            .actor(post.author_id)
            .thread(thread.id)
            .post(post.id)
            .subject(thread.category_id),
    )
}

/// What publishing a follow-up does to its thread: it waits on staff again.
pub(super) fn publish_followup(
    conn: &mut DbConn,
    thread: &Thread,
    post: &Post,
    at: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(threads::table.find(thread.id))
        .set((
            threads::followup_at.eq(Some(at)),
            threads::last_activity_at.eq(at),
        ))
        .execute(conn)?;
    events::emit(
        conn,
        NewEvent::new(Kind::FollowupPosted)
            .actor(post.author_id)
            .thread(thread.id)
            .post(post.id),
    )
}

/// What publishing an answer does to its thread (now, or when a held answer is approved).
pub(super) fn publish_answer(
    conn: &mut DbConn,
    thread: &Thread,
    post: &Post,
    author: &User,
    at: NaiveDateTime,
) -> AppResult<()> {
    recount_answers(conn, thread.id)?;
    diesel::update(threads::table.find(thread.id))
        .set((
            threads::last_activity_at.eq(at),
            threads::has_staff_answer.eq(thread.has_staff_answer || author.role().is_staff()),
        ))
        .execute(conn)?;
    record_reply(conn, thread, author, at)?;
    events::emit(
        conn,
        NewEvent::new(Kind::AnswerPosted)
            .actor(author.id)
            .thread(thread.id)
            .post(post.id)
            .with("staff", author.role().is_staff()),
    )
}

/// What publishing a comment does (now, or when a held comment is approved).
pub(super) fn publish_comment(
    conn: &mut DbConn,
    thread: &Thread,
    on: &Post,
    c: &Comment,
    author: &User,
) -> AppResult<()> {
    // Comments on internal notes stay internal: no public activity, no response.
    if on.kind != INTERNAL {
        diesel::update(threads::table.find(thread.id))
            .set(threads::last_activity_at.eq(c.created_at))
            .execute(conn)?;
        record_reply(conn, thread, author, c.created_at)?;
    }
    events::emit(
        conn,
        NewEvent::new(Kind::CommentPosted)
            .actor(author.id)
            .thread(thread.id)
            .post(on.id)
            .subject(c.id)
            .with("internal", on.kind == INTERNAL)
            .with("staff", author.role().is_staff()),
    )
}

/// Holds a just-written post for approval (it was never public: no "posted" event yet).
pub(super) fn hold_post(conn: &mut DbConn, post: &Post, reason: &str) -> AppResult<Post> {
    diesel::update(posts::table.find(post.id))
        .set((
            posts::state.eq(State::Held.as_str()),
            posts::state_reason.eq(reason),
            posts::state_at.eq(Some(now())),
        ))
        .execute(conn)?;
    if post.kind == QUESTION {
        refresh_thread(conn, post.thread_id)?;
    }
    events::emit(
        conn,
        NewEvent::new(Kind::PostHeld)
            .actor(post.author_id)
            .thread(post.thread_id)
            .post(post.id)
            .with("target", "post")
            .with("reason", reason),
    )?;
    find_post(conn, post.id)
}

/// Holds a just-written comment for approval.
pub(super) fn hold_comment(
    conn: &mut DbConn,
    thread_id: i64,
    c: &Comment,
    reason: &str,
) -> AppResult<Comment> {
    diesel::update(comments::table.find(c.id))
        .set((
            comments::state.eq(State::Held.as_str()),
            comments::state_reason.eq(reason),
            comments::state_at.eq(Some(now())),
        ))
        .execute(conn)?;
    events::emit(
        conn,
        NewEvent::new(Kind::PostHeld)
            .actor(c.author_id)
            .thread(thread_id)
            .post(c.post_id)
            .subject(c.id)
            .with("target", "comment")
            .with("reason", reason),
    )?;
    find_comment(conn, c.id)
}

fn event_for(from: State, to: State) -> Kind {
    match to {
        State::Visible if from == State::Held => Kind::PostApproved,
        State::Visible => Kind::PostRestored,
        State::Held => Kind::PostHeld,
        State::Hidden => Kind::PostHidden,
        State::Deleted => Kind::PostDeleted,
    }
}

/// Who moderates: a moderator, or the flags themselves (`None`: hidden at once by enough spam
/// or abuse flags, pending review).
#[derive(Clone, Copy)]
pub enum By<'a> {
    Moderator(&'a User),
    Flags,
}

/// Moves a post to `to` (approve a held post, hide, delete, restore) with the reason its
/// author sees. The same state again is a 409 (the post already is so); internal notes have
/// no states.
pub fn set_post_state(
    conn: &mut DbConn,
    by: By<'_>,
    post_id: i64,
    to: State,
    reason: &str,
) -> AppResult<Post> {
    if let By::Moderator(m) = by {
        ensure_moderator(m)?;
    }
    let reason = match by {
        By::Moderator(_) => reason_line(reason)?,
        By::Flags => "@flags".to_string(),
    };
    lock(conn, Lock::Post(post_id))?;
    let post = find_post(conn, post_id)?;
    if post.kind == INTERNAL {
        return Err(AppError::invalid(msg!("threads-moderate-internal")));
    }
    let from = State::parse(&post.state)?;
    if from == to {
        return Err(AppError::Conflict(msg!(
            "threads-already-in-state",
            state = to.as_str()
        )));
    }
    lock(conn, Lock::Thread(post.thread_id))?;
    let t = now();
    diesel::update(posts::table.find(post.id))
        .set((
            posts::state.eq(to.as_str()),
            posts::state_reason.eq(if to == State::Visible { "" } else { &reason }),
            posts::state_at.eq(Some(t)),
        ))
        .execute(conn)?;
    let thread = match post.kind.as_str() {
        QUESTION => refresh_thread(conn, post.thread_id)?,
        ANSWER => recount_answers(conn, post.thread_id)?,
        _ => find_thread(conn, post.thread_id)?,
    };
    let actor = match by {
        By::Moderator(m) => Some(m.id),
        By::Flags => None,
    };
    let mut e = NewEvent::new(event_for(from, to))
        .thread(post.thread_id)
        .post(post.id)
        .subject(post.author_id)
        .with("target", "post")
        .with("kind", post.kind.clone())
        .with("reason", reason.clone())
        .with("from", from.as_str());
    if let Some(a) = actor {
        e = e.actor(a);
    }
    events::emit(conn, e)?;
    // A held post goes public for the first time: what posting it would have done, now.
    if from == State::Held && to == State::Visible {
        let author = accounts::find(conn, post.author_id)?;
        match post.kind.as_str() {
            QUESTION => publish_question(conn, &thread, &post)?,
            ANSWER => publish_answer(conn, &thread, &post, &author, t)?,
            FOLLOWUP => publish_followup(conn, &thread, &post, t)?,
            _ => {}
        }
    }
    find_post(conn, post.id)
}

/// The same for a comment.
pub fn set_comment_state(
    conn: &mut DbConn,
    by: By<'_>,
    comment_id: i64,
    to: State,
    reason: &str,
) -> AppResult<Comment> {
    if let By::Moderator(m) = by {
        ensure_moderator(m)?;
    }
    let reason = match by {
        By::Moderator(_) => reason_line(reason)?,
        By::Flags => "@flags".to_string(),
    };
    let c = find_comment(conn, comment_id)?;
    let on = find_post(conn, c.post_id)?;
    if on.kind == INTERNAL {
        return Err(AppError::invalid(msg!("threads-moderate-internal")));
    }
    let from = State::parse(&c.state)?;
    if from == to {
        return Err(AppError::Conflict(msg!(
            "threads-already-in-state",
            state = to.as_str()
        )));
    }
    diesel::update(comments::table.find(c.id))
        .set((
            comments::state.eq(to.as_str()),
            comments::state_reason.eq(if to == State::Visible { "" } else { &reason }),
            comments::state_at.eq(Some(now())),
        ))
        .execute(conn)?;
    let mut e = NewEvent::new(event_for(from, to))
        .thread(on.thread_id)
        .post(on.id)
        .subject(c.id)
        .with("target", "comment")
        .with("author", c.author_id)
        .with("reason", reason.clone())
        .with("from", from.as_str());
    if let By::Moderator(m) = by {
        e = e.actor(m.id);
    }
    events::emit(conn, e)?;
    if from == State::Held && to == State::Visible {
        let author = accounts::find(conn, c.author_id)?;
        let thread = find_thread(conn, on.thread_id)?;
        publish_comment(conn, &thread, &on, &c, &author)?;
    }
    find_comment(conn, c.id)
}

/// Takes a thread off every list and out of search (others get 404), or puts it back.
/// Staff and moderators.
pub fn set_unlisted(
    conn: &mut DbConn,
    user: &User,
    thread_id: i64,
    unlisted: bool,
    reason: &str,
) -> AppResult<Thread> {
    ensure_moderator(user)?;
    let reason = reason_line(reason)?;
    lock(conn, Lock::Thread(thread_id))?;
    let thread = find_thread(conn, thread_id)?;
    // A thread they may not open (private) is, for them, one that does not exist.
    ensure_thread_visible(conn, &thread, Some(user))?;
    if thread.merged_into_id.is_some() {
        return Err(AppError::Conflict(msg!(
            "threads-merged-into",
            id = thread.merged_into_id.unwrap_or_default().to_string()
        )));
    }
    if thread.unlisted_at.is_some() == unlisted {
        return Ok(thread);
    }
    diesel::update(threads::table.find(thread.id))
        .set((
            threads::unlisted_at.eq(unlisted.then(now)),
            threads::updated_at.eq(now()),
        ))
        .execute(conn)?;
    refresh_thread(conn, thread.id)?;
    let kind = if unlisted {
        Kind::ThreadUnlisted
    } else {
        Kind::ThreadRelisted
    };
    events::emit(
        conn,
        NewEvent::new(kind)
            .actor(user.id)
            .thread(thread.id)
            .subject(thread.author_id)
            .with("reason", reason),
    )?;
    find_thread(conn, thread.id)
}

/// Merges a duplicate into its canonical thread (staff and moderators): the duplicate's
/// answers (with their comments and votes) and internal notes move, comments on its question
/// move to the canonical question, its accepted answer becomes the canonical one's if that had
/// none; the duplicate is closed, leaves every list and its URL redirects (301). Returns the
/// canonical thread.
pub fn merge(
    conn: &mut DbConn,
    gate: &crate::screen::Gate,
    user: &User,
    duplicate_id: i64,
    canonical_id: i64,
) -> AppResult<Thread> {
    ensure_active(user)?;
    if !gate.allows(user, crate::screen::Privilege::Merge) {
        return Err(AppError::forbidden(msg!("threads-moderate-not-allowed")));
    }
    if duplicate_id == canonical_id {
        return Err(AppError::invalid(msg!("threads-merge-self")));
    }
    // Always in id order, so two merges of the same pair cannot wait on each other.
    for id in [
        duplicate_id.min(canonical_id),
        duplicate_id.max(canonical_id),
    ] {
        lock(conn, Lock::Thread(id))?;
    }
    let dup = find_thread(conn, duplicate_id)?;
    if let Some(into) = dup.merged_into_id {
        return Err(AppError::Conflict(msg!(
            "threads-merged-into",
            id = into.to_string()
        )));
    }
    let canonical = find_thread(conn, canonical_id).map_err(|_| {
        AppError::invalid(msg!("threads-merge-unknown", id = canonical_id.to_string()))
    })?;
    if canonical.merged_into_id.is_some() {
        return Err(AppError::invalid(msg!(
            "threads-merge-target-merged",
            id = canonical_id.to_string()
        )));
    }
    // Only threads the merger may open; and never across privacy: a private thread's answers
    // in a public one (or the reverse) reach people the asker never agreed to.
    ensure_thread_visible(conn, &dup, Some(user))?;
    ensure_thread_visible(conn, &canonical, Some(user)).map_err(|_| {
        AppError::invalid(msg!("threads-merge-unknown", id = canonical_id.to_string()))
    })?;
    if dup.is_private() != canonical.is_private() {
        return Err(AppError::Conflict(msg!("threads-merge-private")));
    }
    let question_of = |conn: &mut DbConn, thread_id: i64| -> AppResult<i64> {
        Ok(posts::table
            .filter(posts::thread_id.eq(thread_id))
            .filter(posts::kind.eq(QUESTION))
            .order(posts::id.asc())
            .select(posts::id)
            .first(conn)?)
    };
    let dup_question = question_of(conn, dup.id)?;
    let canonical_question = question_of(conn, canonical.id)?;
    let moved: Vec<i64> = posts::table
        .filter(posts::thread_id.eq(dup.id))
        .filter(posts::kind.eq_any([ANSWER, INTERNAL]))
        .select(posts::id)
        .load(conn)?;
    diesel::update(posts::table.filter(posts::id.eq_any(&moved)))
        .set(posts::thread_id.eq(canonical.id))
        .execute(conn)?;
    diesel::update(comments::table.filter(comments::post_id.eq(dup_question)))
        .set(comments::post_id.eq(canonical_question))
        .execute(conn)?;
    let accepted = canonical
        .accepted_post_id
        .or(dup.accepted_post_id.filter(|a| moved.contains(a)));
    let first_response = match (canonical.first_response_at, dup.first_response_at) {
        (Some(_), _) | (None, None) => None,
        (None, Some(at)) => Some((at, dup.first_response_by, dup.first_response_staff)),
    };
    diesel::update(threads::table.find(canonical.id))
        .set((
            threads::accepted_post_id.eq(accepted),
            threads::has_staff_answer.eq(canonical.has_staff_answer || dup.has_staff_answer),
            threads::last_activity_at.eq(canonical.last_activity_at.max(dup.last_activity_at)),
            threads::similar_asked.eq(threads::similar_asked + 1),
            threads::updated_at.eq(now()),
        ))
        .execute(conn)?;
    if let Some((at, by, staff)) = first_response {
        diesel::update(threads::table.find(canonical.id))
            .set((
                threads::first_response_at.eq(Some(at)),
                threads::first_response_by.eq(by),
                threads::first_response_staff.eq(staff),
            ))
            .execute(conn)?;
    }
    diesel::update(threads::table.find(dup.id))
        .set((
            threads::merged_into_id.eq(Some(canonical.id)),
            threads::duplicate_of_id.eq(Some(canonical.id)),
            threads::status.eq(Status::Closed.as_str()),
            threads::close_reason.eq("duplicate"),
            threads::accepted_post_id.eq(None::<i64>),
            threads::answer_count.eq(0),
            threads::pinned_at.eq(None::<NaiveDateTime>),
            threads::updated_at.eq(now()),
        ))
        .execute(conn)?;
    refresh_thread(conn, dup.id)?;
    recount_answers(conn, canonical.id)?;
    history::record(
        conn,
        TimelineRow::now(dup.id, TimelineKind::Closed, user.id),
    )?;
    events::emit(
        conn,
        NewEvent::new(Kind::ThreadMerged)
            .actor(user.id)
            .thread(dup.id)
            .subject(canonical.id)
            .with("answers", moved.len())
            .with("title", dup.title.clone()),
    )?;
    // The canonical thread's document changes too (more answers).
    events::emit(
        conn,
        NewEvent::new(Kind::ThreadReindexed).thread(canonical.id),
    )?;
    find_thread(conn, canonical.id)
}
