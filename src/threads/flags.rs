//! Flags on posts and comments (and, through `moderation`, on article feedback), edits held
//! for approval, and what the review queue lists: flagged items, held posts and comments, held
//! edits. Enough spam or abuse flags hide a post at once, pending review.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::AggregateExpressionMethods;
use serde::Serialize;

use super::visibility::{self, By, State};
use super::{
    apply_edit, find_comment, find_post, find_thread, Comment, MarkdownBody, Post, PostEdit,
    Thread, Title, INTERNAL, QUESTION,
};
use crate::accounts::User;
use crate::db::schema::{comments, flags, held_edits, posts, threads, users};
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::events::{self, Kind, NewEvent};
use crate::msg;
use crate::screen::{Action, Gate};

/// Why something was flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Spam,
    /// Rude or abusive.
    Rude,
    OffTopic,
    /// A duplicate of another thread (named).
    Duplicate,
    /// Needs a staff member.
    NeedsStaff,
    /// Something else (the flagger says what).
    Other,
    /// A watched word set to "flag" (no flagger).
    WatchedWord,
}

impl Reason {
    pub const CHOICES: [Reason; 6] = [
        Reason::Spam,
        Reason::Rude,
        Reason::OffTopic,
        Reason::Duplicate,
        Reason::NeedsStaff,
        Reason::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Spam => "spam",
            Reason::Rude => "rude",
            Reason::OffTopic => "off_topic",
            Reason::Duplicate => "duplicate",
            Reason::NeedsStaff => "needs_staff",
            Reason::Other => "other",
            Reason::WatchedWord => "watched_word",
        }
    }
    /// A reason people may choose (not `watched_word`).
    pub fn parse(s: &str) -> AppResult<Reason> {
        Reason::CHOICES
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| AppError::invalid(msg!("flags-unknown-reason", reason = s)))
    }
    /// Spam and abuse can hide a post before anyone reviews it.
    fn hides(self) -> bool {
        matches!(self, Reason::Spam | Reason::Rude)
    }
}

/// What a flag is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Post,
    Comment,
    Feedback,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Post => "post",
            Target::Comment => "comment",
            Target::Feedback => "feedback",
        }
    }
    pub fn parse(s: &str) -> AppResult<Target> {
        match s {
            "post" => Ok(Target::Post),
            "comment" => Ok(Target::Comment),
            "feedback" => Ok(Target::Feedback),
            other => Err(AppError::invalid(msg!(
                "flags-unknown-target",
                target = other
            ))),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = flags)]
pub struct Flag {
    pub id: i64,
    pub target: String,
    pub target_id: i64,
    pub thread_id: Option<i64>,
    pub category_id: Option<i64>,
    pub flagger_id: Option<i64>,
    pub reason: String,
    pub note: String,
    pub duplicate_of_id: Option<i64>,
    pub weight: i32,
    /// open, agreed or dismissed.
    pub status: String,
    pub resolved_by: Option<i64>,
    pub resolved_at: Option<NaiveDateTime>,
    /// The moderator's reason, shown to the flagger.
    pub outcome_reason: String,
    pub created_at: NaiveDateTime,
}

pub const OPEN: &str = "open";
pub const AGREED: &str = "agreed";
pub const DISMISSED: &str = "dismissed";

/// A flag as someone raises it.
pub struct NewFlag {
    pub target: Target,
    pub target_id: i64,
    pub reason: Reason,
    pub note: String,
    pub duplicate_of: Option<i64>,
}

/// How much one person's flag weighs: the team's and trusted members' (the `flag_hide` level)
/// hide at once; everyone else's weigh 1.
fn weight_of(gate: &Gate, flagger: &User, hide_after: u32) -> i32 {
    if gate.allows(flagger, crate::screen::Privilege::FlagHide) {
        i32::try_from(hide_after.max(1)).unwrap_or(i32::MAX)
    } else {
        1
    }
}

/// Flags a post or comment. One open flag per person per target (a second is a 409); the
/// flagger must be able to see it and may not flag their own. Enough spam or abuse flags hide
/// it at once (`hide_after`, 0: never).
pub fn raise(conn: &mut DbConn, gate: &Gate, flagger: &User, f: NewFlag) -> AppResult<Flag> {
    super::ensure_active(flagger)?;
    gate.require(flagger, crate::screen::Privilege::Flag)?;
    let note = crate::input::line(&f.note, "flag-note", 500)?;
    if f.reason == Reason::Other && note.is_empty() {
        return Err(AppError::invalid(msg!("flags-other-needs-text")));
    }
    let (author_id, post) = match f.target {
        Target::Post => {
            let p = find_post(conn, f.target_id)?;
            (p.author_id, p)
        }
        Target::Comment => {
            let c = find_comment(conn, f.target_id)?;
            if !visibility::may_see(Some(flagger), c.author_id, &c.state) {
                return Err(AppError::not_found(msg!("threads-comment-not-found")));
            }
            (c.author_id, find_post(conn, c.post_id)?)
        }
        Target::Feedback => {
            return Err(AppError::invalid(msg!(
                "flags-unknown-target",
                target = "feedback"
            )))
        }
    };
    visibility::ensure_post_visible(&post, Some(flagger))?;
    if post.kind == INTERNAL {
        return Err(AppError::not_found(msg!("threads-post-not-found")));
    }
    let thread = find_thread(conn, post.thread_id)?;
    visibility::ensure_thread_visible(conn, &thread, Some(flagger))?;
    if author_id == flagger.id {
        return Err(AppError::forbidden(msg!("flags-own-post")));
    }
    let duplicate_of = match (f.reason, f.duplicate_of) {
        (Reason::Duplicate, None) => {
            return Err(AppError::invalid(msg!("flags-duplicate-needs-thread")))
        }
        (Reason::Duplicate, Some(id)) => {
            let unknown =
                || AppError::invalid(msg!("flags-duplicate-unknown", id = id.to_string()));
            let other = find_thread(conn, id).map_err(|_| unknown())?;
            visibility::ensure_thread_visible(conn, &other, Some(flagger))
                .map_err(|_| unknown())?;
            if other.id == thread.id {
                return Err(AppError::invalid(msg!("flags-duplicate-self")));
            }
            Some(other.id)
        }
        (_, _) => None,
    };
    gate.count(flagger, Action::Flag)?;
    let flag = insert(
        conn,
        Some(flagger),
        f.target,
        f.target_id,
        Some(&thread),
        f.reason,
        &note,
        duplicate_of,
        weight_of(gate, flagger, gate.policy.settings.hide_after_flags),
    )?;
    let hide_after = gate.policy.settings.hide_after_flags;
    if f.reason.hides() && hide_after > 0 {
        let weight: i64 = flags::table
            .filter(flags::target.eq(f.target.as_str()))
            .filter(flags::target_id.eq(f.target_id))
            .filter(flags::status.eq(OPEN))
            .filter(flags::reason.eq_any([Reason::Spam.as_str(), Reason::Rude.as_str()]))
            .select(diesel::dsl::sum(flags::weight))
            .first::<Option<i64>>(conn)?
            .unwrap_or(0);
        if weight >= i64::from(hide_after) {
            let state = match f.target {
                Target::Post => post.state.clone(),
                _ => find_comment(conn, f.target_id)?.state,
            };
            if state == State::Visible.as_str() {
                match f.target {
                    Target::Post => {
                        visibility::set_post_state(
                            conn,
                            By::Flags,
                            f.target_id,
                            State::Hidden,
                            "",
                        )?;
                    }
                    _ => {
                        visibility::set_comment_state(
                            conn,
                            By::Flags,
                            f.target_id,
                            State::Hidden,
                            "",
                        )?;
                    }
                }
            }
        }
    }
    Ok(flag)
}

/// Stores a flag (checked by the caller) and its event. `flagger` None: automatic.
#[allow(clippy::too_many_arguments)]
pub fn insert(
    conn: &mut DbConn,
    flagger: Option<&User>,
    target: Target,
    target_id: i64,
    thread: Option<&Thread>,
    reason: Reason,
    note: &str,
    duplicate_of: Option<i64>,
    weight: i32,
) -> AppResult<Flag> {
    if let Some(u) = flagger {
        let open: i64 = flags::table
            .filter(flags::target.eq(target.as_str()))
            .filter(flags::target_id.eq(target_id))
            .filter(flags::flagger_id.eq(u.id))
            .filter(flags::status.eq(OPEN))
            .count()
            .get_result(conn)?;
        if open > 0 {
            return Err(AppError::Conflict(msg!("flags-already-flagged")));
        }
    }
    let flag: Flag = diesel::insert_into(flags::table)
        .values((
            flags::target.eq(target.as_str()),
            flags::target_id.eq(target_id),
            flags::thread_id.eq(thread.map(|t| t.id)),
            flags::category_id.eq(thread.map(|t| t.category_id)),
            flags::flagger_id.eq(flagger.map(|u| u.id)),
            flags::reason.eq(reason.as_str()),
            flags::note.eq(note),
            flags::duplicate_of_id.eq(duplicate_of),
            flags::weight.eq(weight),
            flags::created_at.eq(now()),
        ))
        .returning(flags::all_columns)
        .get_result(conn)?;
    let mut e = NewEvent::new(Kind::PostFlagged)
        .subject(flag.id)
        .with("target", target.as_str())
        .with("target_id", target_id)
        .with("reason", reason.as_str());
    if let Some(u) = flagger {
        e = e.actor(u.id);
    }
    if let Some(t) = thread {
        e = e.thread(t.id);
    }
    if target == Target::Post {
        e = e.post(target_id);
    }
    events::emit(conn, e)?;
    Ok(flag)
}

/// A new post's screening verdict applied: held (returned, nothing else happens), flagged
/// automatically, or nothing to do.
pub(super) fn apply_verdict(
    conn: &mut DbConn,
    post: &Post,
    verdict: crate::screen::Verdict,
) -> AppResult<Option<Post>> {
    use crate::screen::Verdict;
    match verdict {
        Verdict::Hold(h) => Ok(Some(visibility::hold_post(conn, post, &h.code())?)),
        Verdict::Flag(word) => {
            auto_flag(conn, post, &word)?;
            Ok(None)
        }
        Verdict::Publish => Ok(None),
    }
}

/// A watched word set to "flag" was in a new post: a flag with no flagger.
pub(super) fn auto_flag(conn: &mut DbConn, post: &Post, word: &str) -> AppResult<()> {
    let thread = find_thread(conn, post.thread_id)?;
    insert(
        conn,
        None,
        Target::Post,
        post.id,
        Some(&thread),
        Reason::WatchedWord,
        word,
        None,
        1,
    )?;
    Ok(())
}

pub(super) fn auto_flag_comment(
    conn: &mut DbConn,
    thread: &Thread,
    c: &Comment,
    word: &str,
) -> AppResult<()> {
    insert(
        conn,
        None,
        Target::Comment,
        c.id,
        Some(thread),
        Reason::WatchedWord,
        word,
        None,
        1,
    )?;
    Ok(())
}

/// Agrees with or dismisses every open flag on a target (moderators): each flag keeps its
/// outcome for its flagger to see, and the flagger's record counts it. Returns how many.
pub fn resolve(
    conn: &mut DbConn,
    moderator: &User,
    target: Target,
    target_id: i64,
    agreed: bool,
    reason: &str,
) -> AppResult<usize> {
    let open: Vec<Flag> = flags::table
        .filter(flags::target.eq(target.as_str()))
        .filter(flags::target_id.eq(target_id))
        .filter(flags::status.eq(OPEN))
        .select(Flag::as_select())
        .load(conn)?;
    let outcome = if agreed { AGREED } else { DISMISSED };
    let t = now();
    for f in &open {
        diesel::update(flags::table.find(f.id))
            .set((
                flags::status.eq(outcome),
                flags::resolved_by.eq(Some(moderator.id)),
                flags::resolved_at.eq(Some(t)),
                flags::outcome_reason.eq(reason),
            ))
            .execute(conn)?;
        if let Some(flagger) = f.flagger_id {
            if agreed {
                diesel::update(users::table.find(flagger))
                    .set(users::flags_agreed.eq(users::flags_agreed + 1))
                    .execute(conn)?;
            } else {
                diesel::update(users::table.find(flagger))
                    .set(users::flags_dismissed.eq(users::flags_dismissed + 1))
                    .execute(conn)?;
            }
        }
        let mut e = NewEvent::new(Kind::FlagResolved)
            .actor(moderator.id)
            .subject(f.id)
            .with("outcome", outcome)
            .with("flagger", f.flagger_id)
            .with("target", target.as_str())
            .with("target_id", target_id)
            .with("reason", reason);
        if let Some(t) = f.thread_id {
            e = e.thread(t);
        }
        events::emit(conn, e)?;
    }
    Ok(open.len())
}

/// A person's own flags, newest first, with their outcomes.
pub fn flags_of(conn: &mut DbConn, user_id: i64, limit: i64) -> AppResult<Vec<Flag>> {
    Ok(flags::table
        .filter(flags::flagger_id.eq(user_id))
        .order(flags::id.desc())
        .limit(limit)
        .select(Flag::as_select())
        .load(conn)?)
}

/// Open flags on some targets of one kind, oldest first.
pub fn open_flags_for(conn: &mut DbConn, target: Target, ids: &[i64]) -> AppResult<Vec<Flag>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(flags::table
        .filter(flags::target.eq(target.as_str()))
        .filter(flags::target_id.eq_any(ids))
        .filter(flags::status.eq(OPEN))
        .order(flags::id.asc())
        .select(Flag::as_select())
        .load(conn)?)
}

/// Open flags on one target, oldest first.
pub fn open_flags_on(conn: &mut DbConn, target: Target, target_id: i64) -> AppResult<Vec<Flag>> {
    Ok(flags::table
        .filter(flags::target.eq(target.as_str()))
        .filter(flags::target_id.eq(target_id))
        .filter(flags::status.eq(OPEN))
        .order(flags::id.asc())
        .select(Flag::as_select())
        .load(conn)?)
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = held_edits)]
pub struct HeldEdit {
    pub id: i64,
    pub post_id: i64,
    pub editor_id: i64,
    pub title: Option<String>,
    /// The new tags, one per line (None: unchanged).
    pub tags: Option<String>,
    pub body_md: String,
    pub summary: String,
    pub reason: String,
    pub created_at: NaiveDateTime,
}

/// Keeps an edit for a moderator; returns its id. A newer held edit of the same post by the
/// same person replaces theirs.
pub(super) fn hold_edit(
    conn: &mut DbConn,
    post: &Post,
    editor: &User,
    e: &PostEdit,
    summary: &str,
    reason: &str,
) -> AppResult<i64> {
    diesel::delete(
        held_edits::table
            .filter(held_edits::post_id.eq(post.id))
            .filter(held_edits::editor_id.eq(editor.id)),
    )
    .execute(conn)?;
    let title = if post.kind == QUESTION {
        e.title.as_ref().map(|t| t.as_str().to_string())
    } else {
        None
    };
    Ok(diesel::insert_into(held_edits::table)
        .values((
            held_edits::post_id.eq(post.id),
            held_edits::editor_id.eq(editor.id),
            held_edits::title.eq(title),
            held_edits::tags.eq(e.tags.as_ref().map(|t| t.join("\n"))),
            held_edits::body_md.eq(e.body.as_str()),
            held_edits::summary.eq(summary),
            held_edits::reason.eq(reason),
            held_edits::created_at.eq(now()),
        ))
        .returning(held_edits::id)
        .get_result(conn)?)
}

pub fn find_held_edit(conn: &mut DbConn, id: i64) -> AppResult<HeldEdit> {
    held_edits::table
        .find(id)
        .select(HeldEdit::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(msg!("flags-held-edit-not-found")))
}

/// Applies a held edit as its editor's revision (moderators), or throws it away with a reason
/// the editor is told.
pub fn decide_held_edit(
    conn: &mut DbConn,
    moderator: &User,
    id: i64,
    approve: bool,
    reason: &str,
) -> AppResult<Post> {
    if !moderator.role().can_moderate() {
        return Err(AppError::forbidden(msg!("threads-moderate-not-allowed")));
    }
    let held = find_held_edit(conn, id)?;
    let post = find_post(conn, held.post_id)?;
    diesel::delete(held_edits::table.find(id)).execute(conn)?;
    let kind = if approve {
        let editor = crate::accounts::find(conn, held.editor_id)?;
        let e = PostEdit {
            title: match &held.title {
                Some(t) => Some(Title::parse(t)?),
                None => None,
            },
            tags: held
                .tags
                .as_ref()
                .map(|t| t.lines().map(str::to_string).collect()),
            body: MarkdownBody::parse(&held.body_md)?,
            summary: held.summary.clone(),
        };
        apply_edit(
            conn,
            &editor,
            &post,
            &e,
            held.title.as_deref(),
            &held.summary,
        )?;
        Kind::EditApproved
    } else {
        Kind::EditRejected
    };
    events::emit(
        conn,
        NewEvent::new(kind)
            .actor(moderator.id)
            .thread(post.thread_id)
            .post(post.id)
            .subject(id)
            .with("editor", held.editor_id)
            .with("reason", reason),
    )?;
    find_post(conn, post.id)
}

/// What the review queue shows, and how.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// Only items with a flag of this reason (`held` for held posts and edits).
    pub reason: Option<String>,
    pub category_id: Option<i64>,
}

/// A flagged post, comment or feedback: its open flags grouped.
#[derive(Debug, Clone, Serialize)]
pub struct FlagGroup {
    pub target: String,
    pub target_id: i64,
    pub thread_id: Option<i64>,
    pub count: i64,
    pub first_at: NaiveDateTime,
}

/// Target, target id, thread, open flags, first flagged.
type GroupRow = (String, i64, Option<i64>, i64, Option<NaiveDateTime>);

/// The oldest flagged targets (open flags grouped by target), at most `limit` after skipping
/// `offset`.
pub fn flag_groups(
    conn: &mut DbConn,
    f: &QueueFilter,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<FlagGroup>> {
    let mut q = flags::table
        .filter(flags::status.eq(OPEN))
        .group_by((flags::target, flags::target_id))
        .select((
            flags::target,
            flags::target_id,
            diesel::dsl::max(flags::thread_id),
            diesel::dsl::count_star(),
            diesel::dsl::min(flags::created_at),
        ))
        .into_boxed();
    if let Some(r) = &f.reason {
        q = q.filter(flags::reason.eq(r.clone()));
    }
    if let Some(c) = f.category_id {
        q = q.filter(flags::category_id.eq(c));
    }
    let rows: Vec<GroupRow> = q
        .order(diesel::dsl::min(flags::created_at).asc())
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(target, target_id, thread_id, count, first)| FlagGroup {
            target,
            target_id,
            thread_id,
            count,
            first_at: first.unwrap_or_default(),
        })
        .collect())
}

/// How many targets have open flags (the count in moderators' headers).
pub fn flagged_count(conn: &mut DbConn) -> AppResult<i64> {
    let per_kind: Vec<(String, i64)> = flags::table
        .filter(flags::status.eq(OPEN))
        .group_by(flags::target)
        .select((
            flags::target,
            diesel::dsl::count(flags::target_id).aggregate_distinct(),
        ))
        .load(conn)?;
    Ok(per_kind.into_iter().map(|(_, n)| n).sum())
}

/// Held posts (questions, answers, follow-ups) oldest first, with their thread.
pub fn held_posts(
    conn: &mut DbConn,
    category_id: Option<i64>,
    limit: i64,
) -> AppResult<Vec<(Post, Thread)>> {
    let mut q = posts::table
        .inner_join(threads::table)
        .filter(posts::state.eq(State::Held.as_str()))
        .select((Post::as_select(), Thread::as_select()))
        .into_boxed();
    if let Some(c) = category_id {
        q = q.filter(threads::category_id.eq(c));
    }
    Ok(q.order(posts::id.asc()).limit(limit).load(conn)?)
}

/// Held comments oldest first, with the thread they are in.
pub fn held_comments(
    conn: &mut DbConn,
    category_id: Option<i64>,
    limit: i64,
) -> AppResult<Vec<(Comment, Thread)>> {
    let mut q = comments::table
        .inner_join(posts::table.inner_join(threads::table))
        .filter(comments::state.eq(State::Held.as_str()))
        .select((Comment::as_select(), Thread::as_select()))
        .into_boxed();
    if let Some(c) = category_id {
        q = q.filter(threads::category_id.eq(c));
    }
    Ok(q.order(comments::id.asc()).limit(limit).load(conn)?)
}

/// Held edits oldest first, with the post and thread.
pub fn held_edits_list(
    conn: &mut DbConn,
    category_id: Option<i64>,
    limit: i64,
) -> AppResult<Vec<(HeldEdit, Post, Thread)>> {
    let mut q = held_edits::table
        .inner_join(posts::table.inner_join(threads::table))
        .select((
            HeldEdit::as_select(),
            Post::as_select(),
            Thread::as_select(),
        ))
        .into_boxed();
    if let Some(c) = category_id {
        q = q.filter(threads::category_id.eq(c));
    }
    Ok(q.order(held_edits::id.asc()).limit(limit).load(conn)?)
}

/// How many posts, comments and edits wait for approval.
pub fn held_count(conn: &mut DbConn) -> AppResult<i64> {
    let p: i64 = posts::table
        .filter(posts::state.eq(State::Held.as_str()))
        .count()
        .get_result(conn)?;
    let c: i64 = comments::table
        .filter(comments::state.eq(State::Held.as_str()))
        .count()
        .get_result(conn)?;
    let e: i64 = held_edits::table.count().get_result(conn)?;
    Ok(p + c + e)
}

/// Posts by id (any state) with their threads: the queue shows what was flagged.
pub fn posts_by_id(conn: &mut DbConn, ids: &[i64]) -> AppResult<HashMap<i64, (Post, Thread)>> {
    Ok(posts::table
        .inner_join(threads::table)
        .filter(posts::id.eq_any(ids))
        .select((Post::as_select(), Thread::as_select()))
        .load::<(Post, Thread)>(conn)?
        .into_iter()
        .map(|(p, t)| (p.id, (p, t)))
        .collect())
}

/// Comments by id (any state) with their threads.
pub fn comments_by_id(
    conn: &mut DbConn,
    ids: &[i64],
) -> AppResult<HashMap<i64, (Comment, Thread)>> {
    Ok(comments::table
        .inner_join(posts::table.inner_join(threads::table))
        .filter(comments::id.eq_any(ids))
        .select((Comment::as_select(), Thread::as_select()))
        .load::<(Comment, Thread)>(conn)?
        .into_iter()
        .map(|(c, t)| (c.id, (c, t)))
        .collect())
}
