//! Questions and answers: threads, posts (the question is the first post), comments, votes, the
//! accepted answer, edit history and thread status. Every rule about who may do what to which
//! thread or post lives here.

pub mod flags;
mod history;
mod input;
pub mod private;
mod stats;
mod views;
pub mod visibility;

pub use history::{record as record_timeline, TimelineKind, TimelineRow};
pub use input::{CommentBody, MarkdownBody, Title};
pub use stats::ViewCounter;
pub use views::*;
pub use visibility::{
    ensure_can_post, ensure_thread_visible, may_see, merge, set_comment_state, set_post_state,
    set_unlisted, visible_thread, By, State,
};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::accounts::{self, User};
use crate::attachments::{self, Owner};
use crate::catalog::{self, Category};
use crate::db::schema::{comments, post_revisions, posts, thread_tags, threads, users, votes};
use crate::db::{lock, now, DbConn, Lock};
use crate::error::{AppError, AppResult};
use crate::events::{self, Kind, NewEvent};
use crate::msg;
use crate::render::markdown::{self, RENDER_VERSION};
use crate::screen::{Action, Gate, Privilege, Standing, Verdict};
use visibility::{ensure_post_visible, ensure_postable};

/// Where a thread stands; shown wherever it is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// No answer yet.
    Open,
    /// At least one answer, none accepted.
    Answered,
    /// An answer was accepted.
    Solved,
    /// Closed by staff or a moderator: no new answers.
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Answered => "answered",
            Status::Solved => "solved",
            Status::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> AppResult<Status> {
        match s {
            "open" => Ok(Status::Open),
            "answered" => Ok(Status::Answered),
            "solved" => Ok(Status::Solved),
            "closed" => Ok(Status::Closed),
            other => Err(AppError::invalid(msg!(
                "threads-unknown-status",
                status = other
            ))),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = threads)]
pub struct Thread {
    pub id: i64,
    pub category_id: i64,
    pub author_id: i64,
    pub title: String,
    pub status: String,
    pub accepted_post_id: Option<i64>,
    pub answer_count: i32,
    pub score: i32,
    pub has_staff_answer: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub last_activity_at: NaiveDateTime,
    /// Closed as a duplicate of this thread.
    pub duplicate_of_id: Option<i64>,
    /// Page views (written in batches by `ViewCounter`).
    pub view_count: i64,
    /// Later questions whose titles matched this (solved) thread, and duplicates closed into it.
    pub similar_asked: i32,
    /// First public reply (answer or comment) by someone other than the asker.
    pub first_response_at: Option<NaiveDateTime>,
    pub first_response_by: Option<i64>,
    /// That first reply came from staff (else from a peer).
    pub first_response_staff: bool,
    /// The first response is due by then (the category's target at asking time).
    pub respond_by: Option<NaiveDateTime>,
    /// Currently assigned to this staff member and/or group (see `support`).
    pub assignee_id: Option<i64>,
    pub assigned_group_id: Option<i64>,
    /// Latest follow-up by the asker.
    pub followup_at: Option<NaiveDateTime>,
    /// Latest public post by staff.
    pub staff_reply_at: Option<NaiveDateTime>,
    /// Locked by a moderator: no new answers, comments or follow-ups.
    pub locked_at: Option<NaiveDateTime>,
    pub lock_reason: String,
    /// Pinned to the top of its category.
    pub pinned_at: Option<NaiveDateTime>,
    /// visible, held, hidden, deleted (its question's state), unlisted or merged: only
    /// visible threads are listed, counted and searchable.
    pub state: String,
    pub unlisted_at: Option<NaiveDateTime>,
    /// Merged into this thread: the old URL redirects there.
    pub merged_into_id: Option<i64>,
    /// Why it was closed (a `CLOSE_REASONS` code; empty: no reason given).
    pub close_reason: String,
    /// public; private (only its asker and staff see it, see `visibility::may_see_private`);
    /// anonymous (published with the asker's consent as "a customer").
    pub privacy: String,
    /// The asker pressed "I still need help" then (the reason is on the timeline).
    pub staff_requested_at: Option<NaiveDateTime>,
}

/// `Thread::privacy`.
pub const PUBLIC: &str = "public";
pub const PRIVATE: &str = "private";
pub const ANONYMOUS: &str = "anonymous";

impl Thread {
    /// Only its asker and staff see it.
    pub fn is_private(&self) -> bool {
        self.privacy == PRIVATE
    }
    /// Published as "a customer": others do not see who asked.
    pub fn asker_anonymous(&self) -> bool {
        self.privacy == ANONYMOUS
    }
    /// Canonical path: `/t/{id}/{slug}`.
    pub fn path(&self) -> String {
        thread_path(self.id, &self.title)
    }

    /// The status the thread has when not closed.
    fn natural_status(&self) -> Status {
        if self.accepted_post_id.is_some() {
            Status::Solved
        } else if self.answer_count > 0 {
            Status::Answered
        } else {
            Status::Open
        }
    }
}

pub fn thread_path(id: i64, title: &str) -> String {
    let slug = catalog::slugify(title);
    // Titles without ASCII letters or digits (Cyrillic, CJK, ...) still need a slug segment.
    // These are action paths under `/t/{id}/`.
    let slug = match slug.as_str() {
        "" | "answers" | "close" | "notes" | "promote" | "assign" | "promises" | "followups"
        | "watch" | "live" | "lock" | "move" | "pin" => "question",
        s => s,
    };
    format!("/t/{id}/{slug}")
}

/// Kinds of post.
pub const QUESTION: &str = "question";
pub const ANSWER: &str = "answer";
/// More from the asker on their own thread (instead of a new question).
pub const FOLLOWUP: &str = "followup";
/// A staff-only note on a thread: never shown to others, never indexed, not in the API for
/// non-staff callers.
pub const INTERNAL: &str = "internal";

/// Who sees internal notes: staff and admins (moderators curate the community, they are not
/// the support team).
pub fn sees_internal(viewer: Option<&User>) -> bool {
    viewer.is_some_and(|u| u.role().is_staff())
}

/// How far the site trusts what `user` posts (below the `links` trust level: new).
fn standing(gate: &Gate, user: &User) -> Standing {
    Standing::of(user, &gate.policy)
}

/// Screens new text: refuses the same text from the same person within the policy's minutes
/// (a double submit or a spam run), then asks the gate (watched words, links).
fn screen_text(
    conn: &mut DbConn,
    gate: &Gate,
    user: &User,
    text: &str,
    body: &str,
) -> AppResult<Verdict> {
    let standing = standing(gate, user);
    let minutes = gate.policy.settings.duplicate_minutes;
    if standing != Standing::Team && minutes > 0 && !body.trim().is_empty() {
        let since = now() - chrono::TimeDelta::minutes(i64::from(minutes));
        let posts_again: i64 = posts::table
            .filter(posts::author_id.eq(user.id))
            .filter(posts::created_at.gt(since))
            .filter(posts::body_md.eq(body))
            .count()
            .get_result(conn)?;
        let comments_again: i64 = comments::table
            .filter(comments::author_id.eq(user.id))
            .filter(comments::created_at.gt(since))
            .filter(comments::body_md.eq(body))
            .count()
            .get_result(conn)?;
        if posts_again + comments_again > 0 {
            return Err(AppError::invalid(msg!(
                "threads-duplicate-text",
                minutes = minutes
            )));
        }
    }
    gate.screen(conn, standing, text)
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = posts)]
pub struct Post {
    pub id: i64,
    pub thread_id: i64,
    pub author_id: i64,
    pub kind: String,
    pub body_md: String,
    pub body_html: String,
    pub body_text: String,
    pub render_version: i32,
    pub score: i32,
    pub revision_count: i32,
    pub created_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
    /// Size of `body_html` in bytes (pages of answers are cut by size).
    pub html_bytes: i32,
    /// visible, held, hidden or deleted (see `visibility`), and the reason the author sees.
    pub state: String,
    pub state_reason: String,
    pub state_at: Option<NaiveDateTime>,
    /// "Recommended by staff": who, and when.
    pub recommended_by: Option<i64>,
    pub recommended_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = comments)]
pub struct Comment {
    pub id: i64,
    pub post_id: i64,
    pub author_id: i64,
    pub body_md: String,
    pub body_html: String,
    pub body_text: String,
    pub render_version: i32,
    pub created_at: NaiveDateTime,
    /// Size of `body_html` in bytes.
    pub html_bytes: i32,
    pub state: String,
    pub state_reason: String,
    pub state_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = post_revisions)]
pub struct Revision {
    pub id: i64,
    pub post_id: i64,
    pub editor_id: i64,
    pub number: i32,
    pub title: Option<String>,
    pub body_md: String,
    pub summary: String,
    pub created_at: NaiveDateTime,
}

pub(crate) fn ensure_active(user: &User) -> AppResult<()> {
    if user.is_suspended() {
        return Err(AppError::forbidden(msg!("threads-account-suspended")));
    }
    Ok(())
}

pub fn find_thread(conn: &mut DbConn, id: i64) -> AppResult<Thread> {
    threads::table
        .find(id)
        .select(Thread::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(msg!("threads-thread-not-found")))
}

pub fn find_post(conn: &mut DbConn, id: i64) -> AppResult<Post> {
    posts::table
        .find(id)
        .select(Post::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(msg!("threads-post-not-found")))
}

/// Mentions linked in a post or comment: at most this many handles are looked up.
const MAX_MENTION_LOOKUPS: usize = 50;

/// Renders what a user wrote, with `@handle`s of existing users linked to their profiles.
fn render_body(conn: &mut DbConn, md: &str) -> AppResult<markdown::Rendered> {
    let mut handles = markdown::mentioned_handles(md);
    handles.truncate(MAX_MENTION_LOOKUPS);
    let known: std::collections::HashSet<String> = if handles.is_empty() {
        Default::default()
    } else {
        users::table
            .filter(users::handle.eq_any(&handles))
            .select(users::handle)
            .load::<String>(conn)?
            .into_iter()
            .collect()
    };
    markdown::render_mentioning(md, &known)
}

/// A comment by id.
pub fn find_comment(conn: &mut DbConn, id: i64) -> AppResult<Comment> {
    comments::table
        .find(id)
        .select(Comment::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(msg!("threads-comment-not-found")))
}

fn insert_revision(
    conn: &mut DbConn,
    post_id: i64,
    editor_id: i64,
    number: i32,
    title: Option<&str>,
    body: &str,
    summary: &str,
) -> AppResult<()> {
    diesel::insert_into(post_revisions::table)
        .values((
            post_revisions::post_id.eq(post_id),
            post_revisions::editor_id.eq(editor_id),
            post_revisions::number.eq(number),
            post_revisions::title.eq(title),
            post_revisions::body_md.eq(body),
            post_revisions::summary.eq(summary),
            post_revisions::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Sets a thread's tags; `counted`: the thread is visible, so its tags count it.
fn set_thread_tags(
    conn: &mut DbConn,
    thread_id: i64,
    tag_names: &[String],
    counted: bool,
) -> AppResult<()> {
    let tags = catalog::ensure_tags(conn, tag_names)?;
    let old: Vec<i64> = thread_tags::table
        .filter(thread_tags::thread_id.eq(thread_id))
        .select(thread_tags::tag_id)
        .load(conn)?;
    if counted {
        catalog::count_tag_use(conn, &old, -1)?;
        catalog::count_tag_use(conn, &tags.iter().map(|t| t.id).collect::<Vec<_>>(), 1)?;
    }
    diesel::delete(thread_tags::table.filter(thread_tags::thread_id.eq(thread_id)))
        .execute(conn)?;
    for tag in tags {
        diesel::insert_into(thread_tags::table)
            .values((
                thread_tags::thread_id.eq(thread_id),
                thread_tags::tag_id.eq(tag.id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A new question, parsed.
pub struct NewQuestion {
    pub title: Title,
    pub body: MarkdownBody,
    pub tags: Vec<String>,
    /// "Only staff can see this" (the category may require or forbid it).
    pub private: bool,
}

/// Whether a question asked in `category` is private: required there, forbidden there (422 if
/// asked for), else as the asker chose.
pub fn private_in(category: &Category, asked: bool) -> AppResult<bool> {
    match category.private_questions.as_str() {
        catalog::PRIVATE_REQUIRED => Ok(true),
        catalog::PRIVATE_FORBIDDEN if asked => Err(AppError::invalid(msg!(
            "threads-private-forbidden",
            category = &category.name
        ))),
        _ => Ok(asked),
    }
}

/// Asks a question: the thread, its first post, revision 1, tags and the outbox row, together.
pub fn ask(
    conn: &mut DbConn,
    gate: &Gate,
    author: &User,
    category: &Category,
    q: NewQuestion,
) -> AppResult<Thread> {
    ensure_can_post(author)?;
    // A refused choice is bad input: it does not use up the asker's posting rate.
    let private = private_in(category, q.private)?;
    gate.count(author, Action::Question)?;
    let verdict = screen_text(
        conn,
        gate,
        author,
        &format!("{}\n{}", q.title.as_str(), q.body.as_str()),
        q.body.as_str(),
    )?;
    let t = now();
    let thread: Thread = diesel::insert_into(threads::table)
        .values((
            threads::category_id.eq(category.id),
            threads::author_id.eq(author.id),
            threads::title.eq(q.title.as_str()),
            threads::status.eq(Status::Open.as_str()),
            threads::created_at.eq(t),
            threads::updated_at.eq(t),
            threads::last_activity_at.eq(t),
            threads::respond_by.eq(category.respond_by(t)),
            threads::privacy.eq(if private { PRIVATE } else { PUBLIC }),
            threads::state.eq(if private {
                visibility::PRIVATE
            } else {
                visibility::VISIBLE
            }),
        ))
        .returning(threads::all_columns)
        .get_result::<Thread>(conn)?;
    // Only threads everyone sees are counted (a private one is counted once published).
    if !private {
        catalog::count_category_use(conn, category.id, 1)?;
    }
    let post = insert_post(conn, thread.id, author, QUESTION, &q.body, t)?;
    insert_revision(
        conn,
        post.id,
        author.id,
        1,
        Some(q.title.as_str()),
        q.body.as_str(),
        "",
    )?;
    set_thread_tags(conn, thread.id, &q.tags, !private)?;
    if flags::apply_verdict(conn, &post, verdict)?.is_some() {
        return find_thread(conn, thread.id);
    }
    visibility::publish_question(conn, &thread, &post)?;
    Ok(thread)
}

fn insert_post(
    conn: &mut DbConn,
    thread_id: i64,
    author: &User,
    kind: &str,
    body: &MarkdownBody,
    t: NaiveDateTime,
) -> AppResult<Post> {
    let rendered = render_body(conn, body.as_str())?;
    let post = diesel::insert_into(posts::table)
        .values((
            posts::thread_id.eq(thread_id),
            posts::author_id.eq(author.id),
            posts::kind.eq(kind),
            posts::body_md.eq(body.as_str()),
            posts::html_bytes.eq(rendered.html_bytes()),
            posts::body_html.eq(rendered.html),
            posts::body_text.eq(rendered.text),
            posts::render_version.eq(RENDER_VERSION),
            posts::created_at.eq(t),
        ))
        .returning(posts::all_columns)
        .get_result::<Post>(conn)?;
    attachments::claim(conn, author.id, Owner::Post(post.id), body.as_str())?;
    Ok(post)
}

/// A post after the question (answer, follow-up, internal note) with its first revision.
fn add_post(
    conn: &mut DbConn,
    thread_id: i64,
    author: &User,
    kind: &str,
    body: &MarkdownBody,
    t: NaiveDateTime,
) -> AppResult<Post> {
    let post = insert_post(conn, thread_id, author, kind, body, t)?;
    insert_revision(conn, post.id, author.id, 1, None, body.as_str(), "")?;
    Ok(post)
}

/// Answers a thread. Closed threads take no answers. Returns the answer and the thread as it
/// is now (callers link to the answer inside it).
pub fn answer(
    conn: &mut DbConn,
    gate: &Gate,
    author: &User,
    thread_id: i64,
    body: MarkdownBody,
) -> AppResult<(Post, Thread)> {
    ensure_can_post(author)?;
    lock(conn, Lock::Thread(thread_id))?;
    let thread = find_thread(conn, thread_id)?;
    ensure_postable(conn, &thread, author)?;
    if thread.status == Status::Closed.as_str() {
        return Err(AppError::Conflict(msg!("threads-closed-no-answers")));
    }
    ensure_unlocked(&thread)?;
    gate.count(author, Action::Answer)?;
    let verdict = screen_text(conn, gate, author, body.as_str(), body.as_str())?;
    let t = now();
    let post = add_post(conn, thread.id, author, ANSWER, &body, t)?;
    if let Some(held) = flags::apply_verdict(conn, &post, verdict)? {
        return Ok((held, thread));
    }
    visibility::publish_answer(conn, &thread, &post, author, t)?;
    Ok((post, find_thread(conn, thread.id)?))
}

/// Bookkeeping after a public reply (answer or comment) on a thread, in the same transaction:
/// the first response by someone other than the asker, and the latest staff reply.
fn record_reply(
    conn: &mut DbConn,
    thread: &Thread,
    author: &User,
    at: NaiveDateTime,
) -> AppResult<()> {
    let staff = author.role().is_staff();
    if thread.first_response_at.is_none() && author.id != thread.author_id {
        diesel::update(threads::table.find(thread.id))
            .filter(threads::first_response_at.is_null())
            .set((
                threads::first_response_at.eq(Some(at)),
                threads::first_response_by.eq(Some(author.id)),
                threads::first_response_staff.eq(staff),
            ))
            .execute(conn)?;
    }
    if staff {
        diesel::update(threads::table.find(thread.id))
            .set(threads::staff_reply_at.eq(Some(at)))
            .execute(conn)?;
    }
    Ok(())
}

/// Comments on a post (question or answer).
pub fn comment(
    conn: &mut DbConn,
    gate: &Gate,
    author: &User,
    post_id: i64,
    body: CommentBody,
) -> AppResult<Comment> {
    ensure_can_post(author)?;
    let post = find_post(conn, post_id)?;
    ensure_post_visible(&post, Some(author))?;
    let thread = find_thread(conn, post.thread_id)?;
    ensure_postable(conn, &thread, author)?;
    if thread.status == Status::Closed.as_str() {
        return Err(AppError::Conflict(msg!("threads-closed")));
    }
    ensure_unlocked(&thread)?;
    // Below the trust level that unlocks commenting anywhere: on one's own posts and in one's
    // own threads only.
    if post.author_id != author.id && thread.author_id != author.id {
        gate.require(author, Privilege::CommentAnywhere)?;
    }
    gate.count(author, Action::Comment)?;
    // Staff notes among staff are never screened.
    let verdict = if post.kind == INTERNAL {
        Verdict::Publish
    } else {
        screen_text(conn, gate, author, body.as_str(), body.as_str())?
    };
    let rendered = render_body(conn, body.as_str())?;
    let c = diesel::insert_into(comments::table)
        .values((
            comments::post_id.eq(post.id),
            comments::author_id.eq(author.id),
            comments::body_md.eq(body.as_str()),
            comments::html_bytes.eq(rendered.html_bytes()),
            comments::body_html.eq(rendered.html),
            comments::body_text.eq(rendered.text),
            comments::render_version.eq(RENDER_VERSION),
            comments::created_at.eq(now()),
        ))
        .returning(comments::all_columns)
        .get_result::<Comment>(conn)?;
    attachments::claim(conn, author.id, Owner::Comment(c.id), body.as_str())?;
    match verdict {
        Verdict::Hold(h) => return visibility::hold_comment(conn, thread.id, &c, &h.code()),
        Verdict::Flag(word) => flags::auto_flag_comment(conn, &thread, &c, &word)?,
        Verdict::Publish => {}
    }
    visibility::publish_comment(conn, &thread, &post, &c, author)?;
    Ok(c)
}

/// Adds a staff-only note to a thread (kept with revisions like any post; the thread's public
/// activity time, counters and search document do not change). Returns the note and its
/// thread, as `answer` does.
pub fn add_internal_note(
    conn: &mut DbConn,
    author: &User,
    thread_id: i64,
    body: MarkdownBody,
) -> AppResult<(Post, Thread)> {
    ensure_active(author)?;
    if !sees_internal(Some(author)) {
        return Err(AppError::forbidden(msg!("threads-internal-staff-only")));
    }
    let thread = find_thread(conn, thread_id)?;
    let post = add_post(conn, thread.id, author, INTERNAL, &body, now())?;
    events::emit(
        conn,
        NewEvent::new(Kind::InternalNotePosted)
            .actor(author.id)
            .thread(thread.id)
            .post(post.id),
    )?;
    Ok((post, thread))
}

/// Adds a follow-up to the asker's own thread: more detail, or "it happened again", instead of
/// a new question. Everyone who helped sees it; the thread waits on staff again.
pub fn add_followup(
    conn: &mut DbConn,
    gate: &Gate,
    author: &User,
    thread_id: i64,
    body: MarkdownBody,
) -> AppResult<(Post, Thread)> {
    ensure_can_post(author)?;
    lock(conn, Lock::Thread(thread_id))?;
    let thread = find_thread(conn, thread_id)?;
    ensure_postable(conn, &thread, author)?;
    if thread.author_id != author.id {
        return Err(AppError::forbidden(msg!("threads-followup-asker-only")));
    }
    if thread.status == Status::Closed.as_str() {
        return Err(AppError::Conflict(msg!("threads-closed-ask-new")));
    }
    ensure_unlocked(&thread)?;
    gate.count(author, Action::Answer)?;
    let verdict = screen_text(conn, gate, author, body.as_str(), body.as_str())?;
    let t = now();
    let post = add_post(conn, thread.id, author, FOLLOWUP, &body, t)?;
    if let Some(held) = flags::apply_verdict(conn, &post, verdict)? {
        return Ok((held, thread));
    }
    visibility::publish_followup(conn, &thread, &post, t)?;
    Ok((post, find_thread(conn, thread.id)?))
}

/// True when `user` may edit `post`: its author, or staff and moderators.
pub fn can_edit(user: &User, post_author_id: i64) -> bool {
    post_author_id == user.id || user.role().can_moderate()
}

/// The same, counting the trust level that unlocks editing others' posts.
pub fn may_edit(gate: &Gate, user: &User, post_author_id: i64) -> bool {
    can_edit(user, post_author_id) || gate.allows(user, Privilege::EditOthers)
}

/// A post as its edit form needs it: the post, its thread and the thread's tags.
pub struct EditTarget {
    pub post: Post,
    pub thread: Thread,
    pub tags: Vec<String>,
}

/// Loads a post for editing by `user`. Posts the user may not see are 404 for them (as if
/// they did not exist, exactly like an unknown id); visible posts others wrote are 403 unless
/// the user may edit them.
pub fn post_for_edit(
    conn: &mut DbConn,
    gate: &Gate,
    user: &User,
    post_id: i64,
) -> AppResult<EditTarget> {
    let post = find_post(conn, post_id)?;
    ensure_post_visible(&post, Some(user))?;
    let thread = find_thread(conn, post.thread_id)?;
    ensure_thread_visible(conn, &thread, Some(user))?;
    if !may_edit(gate, user, post.author_id) {
        return Err(AppError::forbidden(msg!("threads-edit-not-allowed")));
    }
    let tags = catalog::tags_for_threads(conn, &[thread.id])?
        .into_iter()
        .map(|t| t.1)
        .collect();
    Ok(EditTarget { post, thread, tags })
}

/// An edit, parsed. `title` and `tags` apply to questions only.
pub struct PostEdit {
    pub title: Option<Title>,
    pub tags: Option<Vec<String>>,
    pub body: MarkdownBody,
    pub summary: String,
}

/// What became of an edit.
pub struct Edited {
    pub post: Post,
    /// The edit waits for a moderator (the post is unchanged until then).
    pub held: bool,
}

/// Edits a post, keeping the new version as a revision. An edit that adds what a new post
/// would be held for waits for a moderator instead; the author's edit of their own hidden
/// post resubmits it for review.
pub fn edit(
    conn: &mut DbConn,
    gate: &Gate,
    editor: &User,
    post_id: i64,
    e: PostEdit,
) -> AppResult<Edited> {
    ensure_can_post(editor)?;
    lock(conn, Lock::Post(post_id))?;
    let post = find_post(conn, post_id)?;
    ensure_post_visible(&post, Some(editor))?;
    let thread = find_thread(conn, post.thread_id)?;
    ensure_postable(conn, &thread, editor)?;
    if !may_edit(gate, editor, post.author_id) {
        return Err(AppError::forbidden(msg!("threads-edit-not-allowed")));
    }
    // Others' tags change only from the trust level that unlocks retagging.
    if post.kind == QUESTION && e.tags.is_some() && editor.id != post.author_id {
        let current: Vec<String> = catalog::tags_for_threads(conn, &[post.thread_id])?
            .into_iter()
            .map(|t| t.1)
            .collect();
        if e.tags.as_ref() != Some(&current) {
            gate.require(editor, Privilege::Retag)?;
        }
    }
    if post.state == State::Deleted.as_str() && !editor.role().can_moderate() {
        return Err(AppError::Conflict(msg!("threads-edit-deleted")));
    }
    let summary = crate::input::line(&e.summary, "edit-summary", 200)?;
    let title = if post.kind == QUESTION {
        e.title.as_ref().map(|t| t.as_str().to_string())
    } else {
        None
    };
    let verdict = if post.kind == INTERNAL {
        Verdict::Publish
    } else {
        let text = format!("{}\n{}", title.as_deref().unwrap_or(""), e.body.as_str());
        // Only new links count: an edit that keeps the links a moderator approved passes.
        let standing = standing(gate, editor);
        match gate.screen(conn, standing, &text)? {
            Verdict::Hold(h)
                if crate::screen::count_links(&text)
                    <= crate::screen::count_links(&post.body_md)
                    && !matches!(h, crate::screen::Hold::WatchedWord(_)) =>
            {
                Verdict::Publish
            }
            v => v,
        }
    };
    if let Verdict::Hold(h) = &verdict {
        if post.state == State::Visible.as_str() {
            let id = flags::hold_edit(conn, &post, editor, &e, &summary, &h.code())?;
            events::emit(
                conn,
                NewEvent::new(Kind::EditHeld)
                    .actor(editor.id)
                    .thread(post.thread_id)
                    .post(post.id)
                    .subject(id)
                    .with("reason", h.code()),
            )?;
            return Ok(Edited { post, held: true });
        }
    }
    let post = apply_edit(conn, editor, &post, &e, title.as_deref(), &summary)?;
    // The author reworked a post a moderator hid: it goes back to them for review.
    if post.state == State::Hidden.as_str() && editor.id == post.author_id {
        diesel::update(posts::table.find(post.id))
            .set((
                posts::state.eq(State::Held.as_str()),
                posts::state_reason.eq("@resubmitted"),
                posts::state_at.eq(Some(now())),
            ))
            .execute(conn)?;
        if post.kind == QUESTION {
            visibility::refresh_thread(conn, post.thread_id)?;
        }
        events::emit(
            conn,
            NewEvent::new(Kind::PostHeld)
                .actor(editor.id)
                .thread(post.thread_id)
                .post(post.id)
                .with("target", "post")
                .with("reason", "@resubmitted"),
        )?;
    }
    Ok(Edited {
        post: find_post(conn, post.id)?,
        held: false,
    })
}

/// Writes an edit as `editor`'s next revision (also when a moderator approves a held edit).
pub(crate) fn apply_edit(
    conn: &mut DbConn,
    editor: &User,
    post: &Post,
    e: &PostEdit,
    title: Option<&str>,
    summary: &str,
) -> AppResult<Post> {
    let rendered = render_body(conn, e.body.as_str())?;
    let t = now();
    let number = post.revision_count + 1;
    if let Some(title) = title {
        diesel::update(threads::table.find(post.thread_id))
            .set((threads::title.eq(title), threads::updated_at.eq(t)))
            .execute(conn)?;
    }
    if post.kind == QUESTION {
        if let Some(tags) = &e.tags {
            let counted = find_thread(conn, post.thread_id)?.state == visibility::VISIBLE;
            set_thread_tags(conn, post.thread_id, tags, counted)?;
        }
    }
    diesel::update(posts::table.find(post.id))
        .set((
            posts::body_md.eq(e.body.as_str()),
            posts::html_bytes.eq(rendered.html_bytes()),
            posts::body_html.eq(rendered.html),
            posts::body_text.eq(rendered.text),
            posts::render_version.eq(RENDER_VERSION),
            posts::revision_count.eq(number),
            posts::edited_at.eq(Some(t)),
        ))
        .execute(conn)?;
    insert_revision(
        conn,
        post.id,
        editor.id,
        number,
        title,
        e.body.as_str(),
        summary,
    )?;
    attachments::release_unlinked(conn, post.id, e.body.as_str())?;
    attachments::claim(conn, editor.id, Owner::Post(post.id), e.body.as_str())?;
    events::emit(
        conn,
        NewEvent::new(Kind::PostEdited)
            .actor(editor.id)
            .thread(post.thread_id)
            .post(post.id)
            .subject(i64::from(number))
            .with("kind", post.kind.clone())
            .with("by_author", editor.id == post.author_id),
    )?;
    find_post(conn, post.id)
}

/// Votes on a post: 1 up, -1 down, 0 takes the vote back. Nobody votes on their own posts.
/// Returns the post's new score.
pub fn vote(
    conn: &mut DbConn,
    gate: &Gate,
    voter: &User,
    post_id: i64,
    value: i32,
) -> AppResult<i32> {
    ensure_active(voter)?;
    if !(-1..=1).contains(&value) {
        return Err(AppError::invalid(msg!("threads-vote-value")));
    }
    lock(conn, Lock::Post(post_id))?;
    let post = find_post(conn, post_id)?;
    ensure_post_visible(&post, Some(voter))?;
    let thread = find_thread(conn, post.thread_id)?;
    ensure_thread_visible(conn, &thread, Some(voter))?;
    if post.kind == INTERNAL || post.kind == FOLLOWUP {
        return Err(AppError::invalid(msg!("threads-vote-kinds")));
    }
    if post.author_id == voter.id {
        return Err(AppError::forbidden(msg!("threads-vote-own-post")));
    }
    match value {
        1 => gate.require(voter, Privilege::VoteUp)?,
        -1 => gate.require(voter, Privilege::VoteDown)?,
        _ => {}
    }
    gate.count(voter, Action::Vote)?;
    let previous: i32 = votes::table
        .find((post.id, voter.id))
        .select(votes::value)
        .first(conn)
        .optional()?
        .unwrap_or(0);
    if previous == value {
        return Ok(post.score);
    }
    // No upsert on the multi-backend: replace the row.
    diesel::delete(votes::table.find((post.id, voter.id))).execute(conn)?;
    if value != 0 {
        diesel::insert_into(votes::table)
            .values((
                votes::post_id.eq(post.id),
                votes::user_id.eq(voter.id),
                votes::value.eq(value),
                votes::created_at.eq(now()),
            ))
            .execute(conn)?;
    }
    let delta = value - previous;
    diesel::update(posts::table.find(post.id))
        .set(posts::score.eq(posts::score + delta))
        .execute(conn)?;
    if post.kind == QUESTION {
        diesel::update(threads::table.find(post.thread_id))
            .set(threads::score.eq(threads::score + delta))
            .execute(conn)?;
    }
    // Reputation follows from the event (the `reputation` consumer keeps the ledger).
    events::emit(
        conn,
        NewEvent::new(Kind::PostVoted)
            .actor(voter.id)
            .thread(post.thread_id)
            .post(post.id)
            .subject(post.author_id)
            .with("value", value)
            .with("previous", previous),
    )?;
    Ok(post.score + delta)
}

/// Accepts an answer: the asker, staff or moderators may. The thread becomes solved.
pub fn accept(conn: &mut DbConn, user: &User, post_id: i64) -> AppResult<Thread> {
    ensure_active(user)?;
    let post = find_post(conn, post_id)?;
    ensure_post_visible(&post, Some(user))?;
    if post.state != State::Visible.as_str() {
        return Err(AppError::Conflict(msg!("threads-accept-not-visible")));
    }
    if post.kind != ANSWER {
        return Err(AppError::invalid(msg!("threads-accept-answers-only")));
    }
    lock(conn, Lock::Thread(post.thread_id))?;
    let thread = find_thread(conn, post.thread_id)?;
    if thread.author_id != user.id && !user.role().can_moderate() {
        return Err(AppError::forbidden(msg!("threads-accept-not-allowed")));
    }
    if thread.accepted_post_id == Some(post.id) {
        return Ok(thread);
    }
    let status = if thread.status == Status::Closed.as_str() {
        Status::Closed
    } else {
        Status::Solved
    };
    diesel::update(threads::table.find(thread.id))
        .set((
            threads::accepted_post_id.eq(Some(post.id)),
            threads::status.eq(status.as_str()),
            threads::last_activity_at.eq(now()),
        ))
        .execute(conn)?;
    history::record(
        conn,
        TimelineRow::now(thread.id, TimelineKind::Accepted, user.id),
    )?;
    // Reputation follows from the event (the `reputation` consumer keeps the ledger).
    events::emit(
        conn,
        NewEvent::new(Kind::AnswerAccepted)
            .actor(user.id)
            .thread(thread.id)
            .post(post.id)
            .subject(post.author_id)
            .with("previous", thread.accepted_post_id),
    )?;
    find_thread(conn, thread.id)
}

/// Why a thread may be closed.
pub const CLOSE_REASONS: [&str; 5] = [
    "off_topic",
    "duplicate",
    "resolved_elsewhere",
    "not_reproducible",
    "other",
];

/// Marks a peer's answer "Recommended by staff" (or takes it back): staff and admins, on a
/// visible answer written by someone not on staff. It ranks like a strong vote and earns its
/// author reputation; the timeline says who recommended it.
pub fn set_recommended(conn: &mut DbConn, user: &User, post_id: i64, on: bool) -> AppResult<Post> {
    ensure_active(user)?;
    if !user.role().is_staff() {
        return Err(AppError::forbidden(msg!("threads-recommend-staff-only")));
    }
    lock(conn, Lock::Post(post_id))?;
    let post = find_post(conn, post_id)?;
    ensure_post_visible(&post, Some(user))?;
    if post.kind != ANSWER || post.state != State::Visible.as_str() {
        return Err(AppError::invalid(msg!("threads-recommend-answers-only")));
    }
    let author = accounts::find(conn, post.author_id)?;
    if author.role().is_staff() {
        return Err(AppError::invalid(msg!("threads-recommend-peers-only")));
    }
    if post.recommended_by.is_some() == on {
        return Ok(post);
    }
    let t = now();
    diesel::update(posts::table.find(post.id))
        .set((
            posts::recommended_by.eq(on.then_some(user.id)),
            posts::recommended_at.eq(on.then_some(t)),
        ))
        .execute(conn)?;
    if on {
        history::record(
            conn,
            TimelineRow::now(post.thread_id, TimelineKind::Recommended, user.id),
        )?;
    }
    events::emit(
        conn,
        NewEvent::new(Kind::PostRecommended)
            .actor(user.id)
            .thread(post.thread_id)
            .post(post.id)
            .subject(post.author_id)
            .with("on", on),
    )?;
    find_post(conn, post.id)
}

/// Closes or reopens a thread (staff and moderators), with a reason from `CLOSE_REASONS`
/// (optional; naming a duplicate makes it `duplicate`). Closing may name the thread this one
/// duplicates: the page then points there (and to its knowledge-base article), and the
/// canonical thread counts one more similar question. Reopening clears both.
pub fn set_closed(
    conn: &mut DbConn,
    gate: &Gate,
    user: &User,
    thread_id: i64,
    closed: bool,
    duplicate_of: Option<i64>,
    reason: &str,
) -> AppResult<Thread> {
    ensure_active(user)?;
    if !gate.allows(user, Privilege::Close) {
        return Err(AppError::forbidden(msg!("threads-close-not-allowed")));
    }
    let reason = match reason.trim() {
        "" if closed && duplicate_of.is_some() => "duplicate",
        "" => "",
        r => CLOSE_REASONS
            .into_iter()
            .find(|c| *c == r)
            .ok_or_else(|| AppError::invalid(msg!("threads-unknown-close-reason", reason = r)))?,
    };
    lock(conn, Lock::Thread(thread_id))?;
    let thread = find_thread(conn, thread_id)?;
    // A thread they may not open (private) is, for them, one that does not exist.
    visibility::ensure_thread_visible(conn, &thread, Some(user))?;
    let duplicate_of = match duplicate_of.filter(|_| closed) {
        Some(target) => {
            let canonical = find_thread(conn, target).map_err(|_| {
                // The number as written, not grouped like a quantity.
                AppError::invalid(msg!("threads-duplicate-unknown", id = target.to_string()))
            })?;
            if canonical.id == thread.id || canonical.duplicate_of_id == Some(thread.id) {
                return Err(AppError::invalid(msg!("threads-duplicate-self")));
            }
            // A public thread pointing at a private one would show its title to everyone.
            if canonical.is_private() && !thread.is_private() {
                return Err(AppError::invalid(msg!("threads-duplicate-private")));
            }
            if thread.duplicate_of_id != Some(canonical.id) {
                count_similar_asked(conn, &[canonical.id])?;
            }
            Some(canonical.id)
        }
        None => None,
    };
    let status = if closed {
        Status::Closed
    } else {
        thread.natural_status()
    };
    let reason = if closed { reason } else { "" };
    diesel::update(threads::table.find(thread.id))
        .set((
            threads::status.eq(status.as_str()),
            threads::duplicate_of_id.eq(duplicate_of),
            threads::close_reason.eq(reason),
            threads::updated_at.eq(now()),
        ))
        .execute(conn)?;
    let was_closed = thread.status == Status::Closed.as_str();
    if closed != was_closed
        || duplicate_of != thread.duplicate_of_id
        || reason != thread.close_reason
    {
        let (row, event) = if closed {
            (TimelineKind::Closed, Kind::ThreadClosed)
        } else {
            (TimelineKind::Reopened, Kind::ThreadReopened)
        };
        history::record(conn, TimelineRow::now(thread.id, row, user.id))?;
        events::emit(
            conn,
            NewEvent::new(event)
                .actor(user.id)
                .thread(thread.id)
                .with("duplicate_of", duplicate_of)
                .with("reason", reason),
        )?;
    } else {
        // Only the duplicate target changed, or nothing: the index still follows.
        events::emit(conn, NewEvent::new(Kind::ThreadReindexed).thread(thread.id))?;
    }
    find_thread(conn, thread.id)
}

/// A locked thread takes no new posts; the refusal carries the moderator's reason.
fn ensure_unlocked(thread: &Thread) -> AppResult<()> {
    if thread.locked_at.is_some() {
        return Err(AppError::Conflict(msg!(
            "threads-locked",
            reason = thread.lock_reason.as_str()
        )));
    }
    Ok(())
}

/// Locks a thread (no new answers, comments or follow-ups; the reason is shown) or unlocks it.
/// Staff and moderators.
pub fn set_locked(
    conn: &mut DbConn,
    gate: &Gate,
    user: &User,
    thread_id: i64,
    locked: bool,
    reason: &str,
) -> AppResult<Thread> {
    ensure_active(user)?;
    if !gate.allows(user, Privilege::Lock) {
        return Err(AppError::forbidden(msg!("threads-lock-not-allowed")));
    }
    let reason = crate::input::line(reason, "lock-reason", 300)?;
    lock(conn, Lock::Thread(thread_id))?;
    let thread = find_thread(conn, thread_id)?;
    // A thread they may not open (private) is, for them, one that does not exist.
    visibility::ensure_thread_visible(conn, &thread, Some(user))?;
    if locked && reason.is_empty() {
        return Err(AppError::invalid(msg!("threads-lock-reason")));
    }
    if thread.locked_at.is_some() == locked && (!locked || thread.lock_reason == reason) {
        return Ok(thread);
    }
    diesel::update(threads::table.find(thread.id))
        .set((
            threads::locked_at.eq(locked.then(now)),
            threads::lock_reason.eq(if locked { reason.as_str() } else { "" }),
            threads::updated_at.eq(now()),
        ))
        .execute(conn)?;
    let kind = if locked {
        Kind::ThreadLocked
    } else {
        Kind::ThreadUnlocked
    };
    events::emit(
        conn,
        NewEvent::new(kind)
            .actor(user.id)
            .thread(thread.id)
            .with("reason", reason)
            .with("previous_reason", thread.lock_reason.clone()),
    )?;
    find_thread(conn, thread.id)
}

/// Pins a thread to the top of its category, or unpins it (staff and moderators).
pub fn set_pinned(
    conn: &mut DbConn,
    user: &User,
    thread_id: i64,
    pinned: bool,
) -> AppResult<Thread> {
    ensure_active(user)?;
    if !user.role().can_moderate() {
        return Err(AppError::forbidden(msg!("threads-pin-not-allowed")));
    }
    lock(conn, Lock::Thread(thread_id))?;
    let thread = find_thread(conn, thread_id)?;
    // A thread they may not open (private) is, for them, one that does not exist.
    visibility::ensure_thread_visible(conn, &thread, Some(user))?;
    if thread.pinned_at.is_some() == pinned {
        return Ok(thread);
    }
    diesel::update(threads::table.find(thread.id))
        .set(threads::pinned_at.eq(pinned.then(now)))
        .execute(conn)?;
    let kind = if pinned {
        Kind::ThreadPinned
    } else {
        Kind::ThreadUnpinned
    };
    events::emit(conn, NewEvent::new(kind).actor(user.id).thread(thread.id))?;
    find_thread(conn, thread.id)
}

/// Moves a misfiled thread to another category (staff and moderators). Until someone has
/// responded, the new category's first-response target applies from the asking time.
pub fn move_thread(
    conn: &mut DbConn,
    gate: &Gate,
    user: &User,
    thread_id: i64,
    category_key: &str,
) -> AppResult<Thread> {
    ensure_active(user)?;
    if !gate.allows(user, Privilege::MoveThreads) {
        return Err(AppError::forbidden(msg!("threads-move-not-allowed")));
    }
    lock(conn, Lock::Thread(thread_id))?;
    let thread = find_thread(conn, thread_id)?;
    // A thread they may not open (private) is, for them, one that does not exist.
    visibility::ensure_thread_visible(conn, &thread, Some(user))?;
    let target = catalog::resolve_category(conn, category_key)?;
    if target.id == thread.category_id {
        return Ok(thread);
    }
    let respond_by = if thread.first_response_at.is_none() {
        target.respond_by(thread.created_at)
    } else {
        thread.respond_by
    };
    diesel::update(threads::table.find(thread.id))
        .set((
            threads::category_id.eq(target.id),
            threads::respond_by.eq(respond_by),
            threads::updated_at.eq(now()),
        ))
        .execute(conn)?;
    if thread.state == visibility::VISIBLE {
        catalog::count_category_use(conn, thread.category_id, -1)?;
        catalog::count_category_use(conn, target.id, 1)?;
    }
    events::emit(
        conn,
        NewEvent::new(Kind::ThreadMoved)
            .actor(user.id)
            .thread(thread.id)
            .subject(target.id)
            .with("from", thread.category_id),
    )?;
    find_thread(conn, thread.id)
}

/// One more later question similar to each of `ids` (a signal for "worth promoting").
pub fn count_similar_asked(conn: &mut DbConn, ids: &[i64]) -> AppResult<()> {
    // Rows are locked in id order, as every writer of several threads does (merge), so two
    // such transactions wait for each other instead of deadlocking.
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    for id in &sorted {
        lock(conn, Lock::Thread(*id))?;
    }
    diesel::update(threads::table.filter(threads::id.eq_any(ids)))
        .set(threads::similar_asked.eq(threads::similar_asked + 1))
        .execute(conn)?;
    Ok(())
}

/// Every revision of a post, oldest first, with the editor.
pub fn revisions(
    conn: &mut DbConn,
    post_id: i64,
    viewer: Option<&User>,
) -> AppResult<(Post, Vec<(Revision, User)>)> {
    let post = find_post(conn, post_id)?;
    ensure_post_visible(&post, viewer)?;
    let thread = find_thread(conn, post.thread_id)?;
    ensure_thread_visible(conn, &thread, viewer)?;
    let revs = post_revisions::table
        .inner_join(users::table.on(users::id.eq(post_revisions::editor_id)))
        .filter(post_revisions::post_id.eq(post.id))
        .order(post_revisions::number.asc())
        .select((Revision::as_select(), accounts::User::as_select()))
        .load(conn)?;
    Ok((post, revs))
}

/// Re-renders posts and comments stored by an older markdown renderer (`peerdesk rerender`).
/// Text that renders past the cap now (stored before there was one) is kept as preformatted text.
pub fn rerender_all(db: &crate::db::Db) -> AppResult<usize> {
    let mut done = 0;
    loop {
        let batch = db.write_blocking(|conn| {
            let stale: Vec<(i64, String)> = posts::table
                .filter(posts::render_version.lt(RENDER_VERSION))
                .select((posts::id, posts::body_md))
                .limit(500)
                .load(conn)?;
            // The search text changes too: re-index those threads.
            let ids: Vec<i64> = stale.iter().map(|p| p.0).collect();
            let mut thread_ids: Vec<i64> = posts::table
                .filter(posts::id.eq_any(&ids))
                .select(posts::thread_id)
                .load(conn)?;
            thread_ids.sort_unstable();
            thread_ids.dedup();
            for t in thread_ids {
                events::emit(conn, NewEvent::new(Kind::ThreadReindexed).thread(t))?;
            }
            for (id, md) in &stale {
                let r = markdown::render_or_text(md);
                diesel::update(posts::table.find(id))
                    .set((
                        posts::html_bytes.eq(r.html_bytes()),
                        posts::body_html.eq(r.html),
                        posts::body_text.eq(r.text),
                        posts::render_version.eq(RENDER_VERSION),
                    ))
                    .execute(conn)?;
            }
            let stale_comments: Vec<(i64, String)> = comments::table
                .filter(comments::render_version.lt(RENDER_VERSION))
                .select((comments::id, comments::body_md))
                .limit(500)
                .load(conn)?;
            for (id, md) in &stale_comments {
                let r = markdown::render_or_text(md);
                diesel::update(comments::table.find(id))
                    .set((
                        comments::html_bytes.eq(r.html_bytes()),
                        comments::body_html.eq(r.html),
                        comments::body_text.eq(r.text),
                        comments::render_version.eq(RENDER_VERSION),
                    ))
                    .execute(conn)?;
            }
            Ok(stale.len() + stale_comments.len())
        })?;
        if batch == 0 {
            return Ok(done);
        }
        done += batch;
        eprintln!("re-rendered {done}");
    }
}
