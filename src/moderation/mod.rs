//! The review queue and what moderators do from it: flagged posts, comments and article
//! feedback, posts held for approval, held edits; approve, dismiss, hide, delete, restore,
//! silence or suspend the author. The states and flags themselves belong to `threads`; this
//! module decides who may act and on what, and builds the queue.

use std::collections::HashMap;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Serialize;

use crate::accounts::{self, Role, User};
use crate::db::schema::{kb_articles, kb_feedback, users};
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::msg;
use crate::screen::Gate;
use crate::threads::flags::{self, Flag, FlagGroup, NewFlag, QueueFilter, Reason, Target};
use crate::threads::{self, AuthorView, By, State};

/// Items on one page of the queue.
pub const PER_PAGE: i64 = 30;

/// Moderators, staff and admins review; members get 403.
pub fn ensure_reviewer(user: &User) -> AppResult<()> {
    if !user.role().can_moderate() {
        return Err(AppError::forbidden(msg!("review-not-allowed")));
    }
    Ok(())
}

/// One flag as the queue shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FlagView {
    pub id: i64,
    pub reason: String,
    pub note: String,
    /// None: flagged automatically (a watched word).
    pub flagger: Option<AuthorView>,
    pub duplicate_of_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// Something waiting for a moderator.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// flagged, held or held_edit.
    pub kind: String,
    /// post, comment, feedback or edit.
    pub target: String,
    pub target_id: i64,
    /// What the post is: question, answer, followup (posts only).
    pub post_kind: String,
    pub state: String,
    pub state_note: Option<Msg>,
    pub thread_id: Option<i64>,
    pub thread_title: String,
    /// Where to see it: the post's permalink, the article.
    pub url: String,
    pub author: Option<AuthorView>,
    /// The author is silenced or suspended now.
    pub author_restricted: bool,
    /// Sanitised HTML of what was written (print with `|safe`), or the feedback's text.
    pub body_html: String,
    /// A held edit: the proposed text (markdown, shown as text).
    pub proposed: Option<String>,
    pub flags: Vec<FlagView>,
    /// Flags per reason, for the summary line.
    pub reasons: Vec<(String, i64)>,
    /// When it started waiting (the first flag, or when it was held).
    pub since: NaiveDateTime,
}

/// A page of the queue with the counts for its header.
#[derive(Debug, Clone, Serialize)]
pub struct Queue {
    pub items: Vec<Item>,
    pub page: i64,
    pub has_more: bool,
    pub flagged: i64,
    pub held: i64,
}

/// What the queue shows: `reason` is a flag reason or `held`.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub reason: Option<String>,
    pub category: Option<String>,
    pub page: i64,
}

/// How many items wait (the count in moderators' headers).
pub fn waiting(conn: &mut DbConn) -> AppResult<i64> {
    Ok(flags::flagged_count(conn)? + flags::held_count(conn)?)
}

/// One page of the queue, oldest first.
pub fn queue(conn: &mut DbConn, viewer: &User, f: &Filter) -> AppResult<Queue> {
    ensure_reviewer(viewer)?;
    let page = f.page.max(1);
    if page > threads::MAX_PAGE {
        return Err(AppError::invalid(msg!(
            "threads-page-range",
            max = threads::MAX_PAGE
        )));
    }
    let category_id = match f.category.as_deref().filter(|c| !c.is_empty()) {
        Some(key) => Some(crate::catalog::resolve_category(conn, key)?.id),
        None => None,
    };
    let reason = match f.reason.as_deref().filter(|r| !r.is_empty()) {
        None => None,
        Some("held") => Some("held".to_string()),
        Some(r) => Some(Reason::parse(r)?.as_str().to_string()),
    };
    // Enough of each source to fill this page once merged by age; only the items on the page
    // are then built in full (their flags, people and texts).
    let want = page * PER_PAGE + 1;
    let start = ((page - 1) * PER_PAGE) as usize;
    let groups = if reason.as_deref() == Some("held") {
        Vec::new()
    } else {
        flags::flag_groups(
            conn,
            &QueueFilter {
                reason: reason.clone(),
                category_id,
            },
            want,
            0,
        )?
    };
    let held = if reason.is_none() || reason.as_deref() == Some("held") {
        held_items(conn, category_id, want)?
    } else {
        Vec::new()
    };
    let mut slots: Vec<(NaiveDateTime, Option<FlagGroup>, Option<Item>)> = groups
        .into_iter()
        .map(|g| (g.first_at, Some(g), None))
        .chain(held.into_iter().map(|i| (i.since, None, Some(i))))
        .collect();
    slots.sort_by_key(|s| s.0);
    let has_more = slots.len() > start + PER_PAGE as usize;
    let on_page: Vec<_> = slots
        .into_iter()
        .skip(start)
        .take(PER_PAGE as usize)
        .collect();
    let flagged = flagged_items(conn, on_page.iter().filter_map(|s| s.1.clone()).collect())?;
    let mut flagged: HashMap<(String, i64), Item> = flagged
        .into_iter()
        .map(|i| ((i.target.clone(), i.target_id), i))
        .collect();
    let mut items: Vec<Item> = on_page
        .into_iter()
        .filter_map(|(_, g, held)| match (g, held) {
            (Some(g), _) => flagged.remove(&(g.target, g.target_id)),
            (None, held) => held,
        })
        .collect();
    // What is said in a private thread stays with those who may open it: a moderator not
    // allowed into private questions does not see it here either.
    let closed = private_threads_closed_to(conn, viewer, &items)?;
    items.retain(|i| i.thread_id.is_none_or(|t| !closed.contains(&t)));
    Ok(Queue {
        items,
        page,
        has_more,
        flagged: flags::flagged_count(conn)?,
        held: flags::held_count(conn)?,
    })
}

/// The private threads among `items`' that `viewer` may not open (none for staff and admins,
/// nor for moderators when the site settings let them in).
fn private_threads_closed_to(
    conn: &mut DbConn,
    viewer: &User,
    items: &[Item],
) -> AppResult<Vec<i64>> {
    if viewer.role().is_staff() || crate::site::moderators_see_private(conn)? {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = items.iter().filter_map(|i| i.thread_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(crate::db::schema::threads::table
        .filter(crate::db::schema::threads::id.eq_any(&ids))
        .filter(crate::db::schema::threads::privacy.eq(threads::PRIVATE))
        .select(crate::db::schema::threads::id)
        .load(conn)?)
}

/// A post or comment in a thread `moderator` may not open (private) is, for them, one that does
/// not exist.
fn ensure_opens_thread_of(
    conn: &mut DbConn,
    moderator: &User,
    target: Target,
    id: i64,
) -> AppResult<()> {
    let post_id = match target {
        Target::Post => id,
        Target::Comment => threads::find_comment(conn, id)?.post_id,
        Target::Feedback => return Ok(()),
    };
    let post = threads::find_post(conn, post_id)?;
    let thread = threads::find_thread(conn, post.thread_id)?;
    if thread.is_private() && !threads::visibility::may_see_private(conn, &thread, Some(moderator))?
    {
        return Err(AppError::not_found(msg!("threads-post-not-found")));
    }
    Ok(())
}

fn authors(conn: &mut DbConn, ids: &[i64]) -> AppResult<HashMap<i64, User>> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select(User::as_select())
        .load::<User>(conn)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect())
}

fn restricted(u: &User) -> bool {
    u.is_silenced() || u.is_suspended()
}

fn flagged_items(conn: &mut DbConn, groups: Vec<FlagGroup>) -> AppResult<Vec<Item>> {
    let ids_of = |t: &str| -> Vec<i64> {
        groups
            .iter()
            .filter(|g| g.target == t)
            .map(|g| g.target_id)
            .collect()
    };
    let posts = flags::posts_by_id(conn, &ids_of("post"))?;
    let comments = flags::comments_by_id(conn, &ids_of("comment"))?;
    let feedback_ids = ids_of("feedback");
    let feedback: HashMap<i64, (i64, String, Option<i64>, String)> = kb_feedback::table
        .inner_join(kb_articles::table)
        .filter(kb_feedback::id.eq_any(&feedback_ids))
        .select((
            kb_feedback::id,
            kb_feedback::article_id,
            kb_feedback::comment,
            kb_feedback::user_id,
            kb_articles::title,
        ))
        .load::<(i64, i64, String, Option<i64>, String)>(conn)?
        .into_iter()
        .map(|(id, article, comment, user, title)| (id, (article, comment, user, title)))
        .collect();
    let mut open: Vec<Flag> = Vec::new();
    for target in [Target::Post, Target::Comment, Target::Feedback] {
        open.extend(flags::open_flags_for(
            conn,
            target,
            &ids_of(target.as_str()),
        )?);
    }
    let mut people: Vec<i64> = open.iter().filter_map(|f| f.flagger_id).collect();
    people.extend(posts.values().map(|(p, _)| p.author_id));
    people.extend(comments.values().map(|(c, _)| c.author_id));
    people.extend(feedback.values().filter_map(|f| f.2));
    let people = authors(conn, &people)?;
    let mut by_target: HashMap<(String, i64), Vec<Flag>> = HashMap::new();
    for f in open {
        by_target
            .entry((f.target.clone(), f.target_id))
            .or_default()
            .push(f);
    }
    let mut items = Vec::new();
    for g in groups {
        let fl = by_target
            .remove(&(g.target.clone(), g.target_id))
            .unwrap_or_default();
        let mut reasons: Vec<(String, i64)> = Vec::new();
        for f in &fl {
            match reasons.iter_mut().find(|r| r.0 == f.reason) {
                Some(r) => r.1 += 1,
                None => reasons.push((f.reason.clone(), 1)),
            }
        }
        let flag_views = fl
            .iter()
            .map(|f| FlagView {
                id: f.id,
                reason: f.reason.clone(),
                note: f.note.clone(),
                flagger: f
                    .flagger_id
                    .and_then(|id| people.get(&id))
                    .map(AuthorView::from),
                duplicate_of_id: f.duplicate_of_id,
                created_at: f.created_at,
            })
            .collect();
        let base = |author: Option<&User>| Item {
            kind: "flagged".into(),
            target: g.target.clone(),
            target_id: g.target_id,
            post_kind: String::new(),
            state: State::Visible.as_str().into(),
            state_note: None,
            thread_id: g.thread_id,
            thread_title: String::new(),
            url: String::new(),
            author: author.map(AuthorView::from),
            author_restricted: author.is_some_and(restricted),
            body_html: String::new(),
            proposed: None,
            flags: Vec::new(),
            reasons: Vec::new(),
            since: g.first_at,
        };
        let item = match g.target.as_str() {
            "post" => match posts.get(&g.target_id) {
                Some((p, t)) => Item {
                    post_kind: p.kind.clone(),
                    state: p.state.clone(),
                    state_note: note(&p.state, &p.state_reason),
                    thread_title: t.title.clone(),
                    url: format!("/p/{}", p.id),
                    body_html: p.body_html.clone(),
                    ..base(people.get(&p.author_id))
                },
                None => continue,
            },
            "comment" => match comments.get(&g.target_id) {
                Some((c, t)) => Item {
                    state: c.state.clone(),
                    state_note: note(&c.state, &c.state_reason),
                    thread_title: t.title.clone(),
                    url: format!("/p/{}", c.post_id),
                    body_html: c.body_html.clone(),
                    ..base(people.get(&c.author_id))
                },
                None => continue,
            },
            _ => match feedback.get(&g.target_id) {
                Some((article, comment, user, title)) => Item {
                    thread_title: title.clone(),
                    url: format!("/kb/{article}"),
                    body_html: crate::render::theme::escape_html(comment),
                    ..base(user.and_then(|u| people.get(&u)))
                },
                None => continue,
            },
        };
        items.push(Item {
            flags: flag_views,
            reasons,
            ..item
        });
    }
    Ok(items)
}

fn note(state: &str, reason: &str) -> Option<Msg> {
    (state != State::Visible.as_str()).then(|| crate::screen::reason_message(reason))
}

fn held_items(conn: &mut DbConn, category_id: Option<i64>, want: i64) -> AppResult<Vec<Item>> {
    let posts = flags::held_posts(conn, category_id, want)?;
    let comments = flags::held_comments(conn, category_id, want)?;
    let edits = flags::held_edits_list(conn, category_id, want)?;
    let mut people: Vec<i64> = posts.iter().map(|(p, _)| p.author_id).collect();
    people.extend(comments.iter().map(|(c, _)| c.author_id));
    people.extend(edits.iter().map(|(e, _, _)| e.editor_id));
    let people = authors(conn, &people)?;
    let item = |kind: &str, target: &str, id: i64, author: i64, t: &threads::Thread| Item {
        kind: kind.into(),
        target: target.into(),
        target_id: id,
        post_kind: String::new(),
        state: State::Held.as_str().into(),
        state_note: None,
        thread_id: Some(t.id),
        thread_title: t.title.clone(),
        url: String::new(),
        author: people.get(&author).map(AuthorView::from),
        author_restricted: people.get(&author).is_some_and(restricted),
        body_html: String::new(),
        proposed: None,
        flags: Vec::new(),
        reasons: Vec::new(),
        since: t.created_at,
    };
    let mut items = Vec::new();
    for (p, t) in posts {
        items.push(Item {
            post_kind: p.kind.clone(),
            state_note: note(&p.state, &p.state_reason),
            url: format!("/p/{}", p.id),
            body_html: p.body_html.clone(),
            since: p.state_at.unwrap_or(p.created_at),
            ..item("held", "post", p.id, p.author_id, &t)
        });
    }
    for (c, t) in comments {
        items.push(Item {
            state_note: note(&c.state, &c.state_reason),
            url: format!("/p/{}", c.post_id),
            body_html: c.body_html.clone(),
            since: c.state_at.unwrap_or(c.created_at),
            ..item("held", "comment", c.id, c.author_id, &t)
        });
    }
    for (e, p, t) in edits {
        items.push(Item {
            post_kind: p.kind.clone(),
            state: p.state.clone(),
            state_note: Some(crate::screen::reason_message(&e.reason)),
            url: format!("/p/{}", p.id),
            body_html: p.body_html.clone(),
            proposed: Some(e.body_md.clone()),
            since: e.created_at,
            ..item("held_edit", "edit", e.id, e.editor_id, &t)
        });
    }
    Ok(items)
}

/// What a moderator does with an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Publish a held post or comment, or clear flags and show a hidden one again.
    Approve,
    /// The flags were wrong: dismiss them (a post hidden by flags shows again).
    Dismiss,
    Hide,
    /// Soft delete: moderators can restore it.
    Delete,
    /// Visible again after hide or delete.
    Restore,
}

impl Decision {
    pub fn parse(s: &str) -> AppResult<Decision> {
        match s {
            "approve" => Ok(Decision::Approve),
            "dismiss" => Ok(Decision::Dismiss),
            "hide" => Ok(Decision::Hide),
            "delete" => Ok(Decision::Delete),
            "restore" => Ok(Decision::Restore),
            other => Err(AppError::invalid(msg!(
                "review-unknown-action",
                action = other
            ))),
        }
    }
}

/// Decides on a post, comment or article feedback (`target`), with the reason the author
/// (and the flaggers) see. Hiding and deleting agree with its open flags; approving and
/// dismissing decline them. Returns the target's state now.
pub fn decide(
    conn: &mut DbConn,
    moderator: &User,
    target: Target,
    id: i64,
    decision: Decision,
    reason: &str,
) -> AppResult<String> {
    ensure_reviewer(moderator)?;
    threads::ensure_can_post(moderator)?;
    let reason = crate::input::line(reason, "moderation-reason", 500)?;
    if target == Target::Feedback {
        return decide_feedback(conn, moderator, id, decision, &reason);
    }
    ensure_opens_thread_of(conn, moderator, target, id)?;
    let current = match target {
        Target::Post => {
            let p = threads::find_post(conn, id)?;
            if p.kind == threads::INTERNAL {
                return Err(AppError::not_found(msg!("threads-post-not-found")));
            }
            State::parse(&p.state)?
        }
        _ => State::parse(&threads::find_comment(conn, id)?.state)?,
    };
    let open = flags::open_flags_on(conn, target, id)?.len();
    let to = match decision {
        Decision::Approve | Decision::Dismiss | Decision::Restore => {
            if current == State::Deleted && decision != Decision::Restore {
                return Err(AppError::Conflict(msg!("review-deleted-restore-first")));
            }
            State::Visible
        }
        Decision::Hide => State::Hidden,
        Decision::Delete => State::Deleted,
    };
    if current == to && open == 0 {
        return Err(AppError::Conflict(msg!(
            "threads-already-in-state",
            state = to.as_str()
        )));
    }
    if current != to {
        match target {
            Target::Post => {
                threads::set_post_state(conn, By::Moderator(moderator), id, to, &reason)?;
            }
            _ => {
                threads::set_comment_state(conn, By::Moderator(moderator), id, to, &reason)?;
            }
        }
    }
    if open > 0 {
        let agreed = matches!(decision, Decision::Hide | Decision::Delete);
        flags::resolve(conn, moderator, target, id, agreed, &reason)?;
    }
    Ok(to.as_str().to_string())
}

fn decide_feedback(
    conn: &mut DbConn,
    moderator: &User,
    id: i64,
    decision: Decision,
    reason: &str,
) -> AppResult<String> {
    let exists: i64 = kb_feedback::table.find(id).count().get_result(conn)?;
    if exists == 0 {
        return Err(AppError::not_found(msg!("review-feedback-not-found")));
    }
    match decision {
        Decision::Approve | Decision::Dismiss | Decision::Restore => {
            flags::resolve(conn, moderator, Target::Feedback, id, false, reason)?;
            Ok(State::Visible.as_str().into())
        }
        Decision::Hide | Decision::Delete => {
            // Feedback has no states: its comment is removed (the vote stays counted).
            diesel::update(kb_feedback::table.find(id))
                .set(kb_feedback::comment.eq(""))
                .execute(conn)?;
            flags::resolve(conn, moderator, Target::Feedback, id, true, reason)?;
            Ok(State::Deleted.as_str().into())
        }
    }
}

/// Flags article feedback (its comment): signed-in people, one open flag each.
pub fn flag_feedback(
    conn: &mut DbConn,
    gate: &Gate,
    flagger: &User,
    feedback_id: i64,
    reason: Reason,
    note: &str,
) -> AppResult<Flag> {
    threads::ensure_can_post(flagger)?;
    gate.require(flagger, crate::screen::Privilege::Flag)?;
    let note = crate::input::line(note, "flag-note", 500)?;
    if reason == Reason::Other && note.is_empty() {
        return Err(AppError::invalid(msg!("flags-other-needs-text")));
    }
    // Only feedback with words can be flagged (a bare vote says nothing to object to).
    let row: Option<(String, Option<i64>)> = kb_feedback::table
        .find(feedback_id)
        .select((kb_feedback::comment, kb_feedback::user_id))
        .first(conn)
        .optional()?;
    let Some((_, author)) = row.filter(|(c, _)| !c.trim().is_empty()) else {
        return Err(AppError::not_found(msg!("review-feedback-not-found")));
    };
    if author == Some(flagger.id) {
        return Err(AppError::forbidden(msg!("flags-own-post")));
    }
    gate.count(flagger, crate::screen::Action::Flag)?;
    flags::insert(
        conn,
        Some(flagger),
        Target::Feedback,
        feedback_id,
        None,
        reason,
        &note,
        None,
        1,
    )
}

/// Flags a post or comment (see `threads::flags::raise`).
pub fn flag(conn: &mut DbConn, gate: &Gate, flagger: &User, f: NewFlag) -> AppResult<Flag> {
    threads::ensure_can_post(flagger)?;
    flags::raise(conn, gate, flagger, f)
}

/// How long a silence or suspension lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duration {
    Days(i64),
    /// Suspensions only.
    Forever,
    /// Lift it.
    Lift,
}

/// The longest silence or timed suspension, in days.
pub const MAX_DAYS: i64 = 3650;

impl Duration {
    /// `days`: a whole number of days 1–3650, `0` or empty to lift, `forever`.
    pub fn parse(days: &str) -> AppResult<Duration> {
        match days.trim() {
            "" | "0" => Ok(Duration::Lift),
            "forever" => Ok(Duration::Forever),
            d => match d.parse::<i64>() {
                Ok(n) if (1..=MAX_DAYS).contains(&n) => Ok(Duration::Days(n)),
                _ => Err(AppError::invalid(msg!("review-days-range", max = MAX_DAYS))),
            },
        }
    }

    fn until(self) -> Option<NaiveDateTime> {
        match self {
            Duration::Days(n) => Some(now() + TimeDelta::days(n)),
            // Far enough to mean "for good", representable on both databases.
            Duration::Forever => Some(now() + TimeDelta::days(365 * 200)),
            Duration::Lift => None,
        }
    }
}

/// Moderators may restrict members; only admins may restrict the team, and nobody themselves.
fn ensure_may_restrict(moderator: &User, target: &User) -> AppResult<()> {
    ensure_reviewer(moderator)?;
    if target.id == moderator.id {
        return Err(AppError::invalid(msg!("review-not-yourself")));
    }
    if target.role() != Role::Member && moderator.role() != Role::Admin {
        return Err(AppError::forbidden(msg!("review-team-admins-only")));
    }
    Ok(())
}

/// Silences a person (may read, may not post) for a number of days, or lifts it.
pub fn silence(
    conn: &mut DbConn,
    moderator: &User,
    user_id: i64,
    duration: Duration,
    reason: &str,
) -> AppResult<User> {
    let target = accounts::find(conn, user_id)?;
    ensure_may_restrict(moderator, &target)?;
    if duration == Duration::Forever {
        return Err(AppError::invalid(msg!("review-silence-not-forever")));
    }
    let reason = crate::input::line(reason, "moderation-reason", 500)?;
    accounts::set_silence(conn, moderator.id, user_id, duration.until(), &reason)
}

/// Suspends a person (cannot sign in) for days or for good, or lifts it.
pub fn suspend(
    conn: &mut DbConn,
    moderator: &User,
    user_id: i64,
    duration: Duration,
    reason: &str,
) -> AppResult<User> {
    let target = accounts::find(conn, user_id)?;
    ensure_may_restrict(moderator, &target)?;
    let reason = crate::input::line(reason, "moderation-reason", 500)?;
    accounts::set_suspension_because(conn, moderator.id, user_id, duration.until(), &reason)
}

/// A held edit: apply it or throw it away.
pub fn decide_edit(
    conn: &mut DbConn,
    moderator: &User,
    id: i64,
    approve: bool,
    reason: &str,
) -> AppResult<()> {
    ensure_reviewer(moderator)?;
    let reason = crate::input::line(reason, "moderation-reason", 500)?;
    let post_id: Option<i64> = crate::db::schema::held_edits::table
        .find(id)
        .select(crate::db::schema::held_edits::post_id)
        .first(conn)
        .optional()?;
    if let Some(post_id) = post_id {
        ensure_opens_thread_of(conn, moderator, Target::Post, post_id)?;
    }
    flags::decide_held_edit(conn, moderator, id, approve, &reason)?;
    Ok(())
}

/// A person's own flags and their outcomes, for "my flags".
#[derive(Debug, Clone, Serialize)]
pub struct MyFlag {
    pub id: i64,
    pub target: String,
    pub target_id: i64,
    pub reason: String,
    pub note: String,
    pub status: String,
    pub outcome_reason: String,
    pub created_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
    /// Where the flagged thing is (only while the flagger may still see it).
    pub url: Option<String>,
}

pub fn my_flags(conn: &mut DbConn, user: &User) -> AppResult<Vec<MyFlag>> {
    let list = flags::flags_of(conn, user.id, 100)?;
    let post_ids: Vec<i64> = list
        .iter()
        .filter(|f| f.target == "post")
        .map(|f| f.target_id)
        .collect();
    let posts = flags::posts_by_id(conn, &post_ids)?;
    // A link only to what the flagger may still open (a hidden or deleted post is a 404 now).
    let mut link = |f: &Flag| -> Option<String> {
        match f.target.as_str() {
            "post" => posts.get(&f.target_id).and_then(|(p, t)| {
                let open = threads::may_see(Some(user), p.author_id, &p.state)
                    && threads::ensure_thread_visible(conn, t, Some(user)).is_ok();
                open.then(|| format!("/p/{}", p.id))
            }),
            _ => None,
        }
    };
    Ok(list
        .iter()
        .map(|f| MyFlag {
            url: link(f),
            id: f.id,
            target: f.target.clone(),
            target_id: f.target_id,
            reason: f.reason.clone(),
            note: f.note.clone(),
            status: f.status.clone(),
            outcome_reason: f.outcome_reason.clone(),
            created_at: f.created_at,
            resolved_at: f.resolved_at,
        })
        .collect())
}
